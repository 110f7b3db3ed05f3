//! The process and cgroup tables of the Processes and Cgroups screens: which processes are
//! listed (the `/` filter, the cgroup drilled into), in which order (the sort column, its
//! direction, the tree view by parent pid), and the cgroup tree. Figures come from
//! data-format's derivation ([`Interval::processes`], [`Interval::cgroups`]); this module only
//! chooses and orders rows.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use regex::bytes::Regex;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::{display_cmdline, CgroupRates, ProcessRates};

use crate::gpu::ProcessGpu;

/// The columns the process table can be sorted by, in the order `s` cycles through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Process id.
    Pid,
    /// User (uid or name).
    User,
    /// CPU percent.
    Cpu,
    /// Memory percent.
    Mem,
    /// Resident memory.
    Rss,
    /// Read rate.
    Read,
    /// Write rate.
    Write,
    /// Command name.
    Command,
}

impl SortKey {
    /// Every sort key, in the order the sort key cycles.
    pub const ALL: [SortKey; 8] = [
        SortKey::Pid,
        SortKey::User,
        SortKey::Cpu,
        SortKey::Mem,
        SortKey::Rss,
        SortKey::Read,
        SortKey::Write,
        SortKey::Command,
    ];

    /// The column title (the table marks the sort column with an arrow).
    pub fn title(self) -> &'static str {
        match self {
            SortKey::Pid => "pid",
            SortKey::User => "user",
            SortKey::Cpu => "CPU%",
            SortKey::Mem => "MEM%",
            SortKey::Rss => "RSS",
            SortKey::Read => "read/s",
            SortKey::Write => "write/s",
            SortKey::Command => "command",
        }
    }

    /// The sort key after this one.
    pub fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|&k| k == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// Figures sort biggest first, names and pids smallest first (before `reverse`).
    fn descending(self) -> bool {
        !matches!(self, SortKey::Pid | SortKey::User | SortKey::Command)
    }
}

/// What the user chose for the process table.
#[derive(Clone, Debug)]
pub struct ProcessQuery {
    /// The column sorted by.
    pub sort: SortKey,
    /// Reverses the column's natural direction.
    pub reverse: bool,
    /// The `/` filter: matched against the command name and the command line.
    pub filter: Option<Regex>,
    /// Tree view: children under their parent, indented.
    pub tree: bool,
    /// Drilled down from the Cgroups screen: only this group and the groups under it.
    pub cgroup: Option<String>,
}

impl Default for ProcessQuery {
    fn default() -> Self {
        ProcessQuery {
            sort: SortKey::Cpu,
            reverse: false,
            filter: None,
            tree: false,
            cgroup: None,
        }
    }
}

/// One process as the table lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessRow {
    /// The process id.
    pub pid: u32,
    /// Start time (clock ticks after boot): with the pid, the identity of the process.
    pub start: u64,
    /// The parent's pid.
    pub ppid: u64,
    /// The owner's uid.
    pub uid: u64,
    /// The state letter (R, S, D, Z, ...).
    pub state: char,
    /// Threads of the process.
    pub threads: u64,
    /// CPU percent, user and kernel.
    pub cpu_pct: f64,
    /// CPU percent in user mode.
    pub usr_pct: f64,
    /// CPU percent in kernel mode.
    pub system_pct: f64,
    /// Resident memory, of the machine's.
    pub mem_pct: f64,
    /// Resident memory in kB.
    pub rss_kb: u64,
    /// Virtual memory in kB.
    pub vsz_kb: u64,
    /// kB/s; `None` when /proc/PID/io was not readable in both samples.
    pub read_kb_s: Option<f64>,
    /// kB/s written; `None` as for `read_kb_s`.
    pub write_kb_s: Option<f64>,
    /// The command name.
    pub comm: String,
    /// The command line with spaces, or `[comm]` when there is none (kernel threads).
    pub command: String,
    /// The cgroup v2 path.
    pub cgroup: String,
    /// Indentation in the tree view (0 otherwise).
    pub depth: usize,
    /// GPU use, when the interval recorded the process on a GPU.
    pub gpu: Option<ProcessGpu>,
}

impl ProcessRow {
    fn of(p: &ProcessRates) -> ProcessRow {
        let command = if p.cmdline.is_empty() {
            format!("[{}]", p.comm)
        } else {
            display_cmdline(p.cmdline)
        };
        ProcessRow {
            pid: p.pid,
            start: p.starttime,
            ppid: p.ppid,
            uid: p.uid,
            state: p.state,
            threads: p.threads,
            cpu_pct: p.cpu_pct,
            usr_pct: p.usr_pct,
            system_pct: p.system_pct,
            mem_pct: p.mem_pct,
            rss_kb: p.rss_kb,
            vsz_kb: p.vsz_kb,
            read_kb_s: p.io.as_ref().map(|io| io.kb_rd_per_s),
            write_kb_s: p.io.as_ref().map(|io| io.kb_wr_per_s),
            comm: p.comm.to_string(),
            command,
            cgroup: p.cgroup.to_string(),
            depth: 0,
            gpu: None,
        }
    }

    fn compare(&self, other: &ProcessRow, key: SortKey) -> Ordering {
        let f = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(Ordering::Equal);
        let io = |v: Option<f64>| v.unwrap_or(-1.0);
        match key {
            SortKey::Pid => self.pid.cmp(&other.pid),
            SortKey::User => self.uid.cmp(&other.uid),
            SortKey::Cpu => f(self.cpu_pct, other.cpu_pct),
            SortKey::Mem => f(self.mem_pct, other.mem_pct),
            SortKey::Rss => self.rss_kb.cmp(&other.rss_kb),
            SortKey::Read => f(io(self.read_kb_s), io(other.read_kb_s)),
            SortKey::Write => f(io(self.write_kb_s), io(other.write_kb_s)),
            SortKey::Command => self.command.cmp(&other.command),
        }
    }
}

/// The process filter's pattern (`/` in `rstat top`), matched against bytes with ASCII
/// classes (`\\w`, `(?i)`), as `rstat report --command` matches: the regex crate is built
/// without its Unicode tables (README, "Dependencies").
pub fn filter_regex(text: &str) -> Result<Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(text).unicode(false).build()
}

/// Whether a process in `cgroup` belongs to the group `under` or to a group below it.
pub fn in_cgroup(cgroup: &str, under: &str) -> bool {
    under == "/"
        || cgroup == under
        || cgroup
            .strip_prefix(under)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl ProcessQuery {
    /// Whether the rows go from the biggest value of the sort column to the smallest.
    pub fn biggest_first(&self) -> bool {
        self.sort.descending() != self.reverse
    }

    fn keeps(&self, row: &ProcessRow) -> bool {
        let matches = self.filter.as_ref().is_none_or(|re| {
            re.is_match(row.comm.as_bytes()) || re.is_match(row.command.as_bytes())
        });
        let grouped = self
            .cgroup
            .as_deref()
            .is_none_or(|under| in_cgroup(&row.cgroup, under));
        matches && grouped
    }

    fn order(&self, a: &ProcessRow, b: &ProcessRow) -> Ordering {
        let natural = a.compare(b, self.sort);
        let natural = if self.sort.descending() {
            natural.reverse()
        } else {
            natural
        };
        let directed = if self.reverse {
            natural.reverse()
        } else {
            natural
        };
        // Equal figures keep pid order, so that rows do not swap places from frame to frame.
        directed.then(a.pid.cmp(&b.pid))
    }

    /// The processes of `interval` to list, filtered and ordered.
    pub fn rows(&self, interval: &Interval) -> Vec<ProcessRow> {
        let gpu = crate::gpu::per_process(interval);
        let mut rows: Vec<ProcessRow> = interval
            .processes()
            .iter()
            .map(|p| ProcessRow {
                gpu: gpu.get(&p.pid).copied(),
                ..ProcessRow::of(p)
            })
            .filter(|row| self.keeps(row))
            .collect();
        rows.sort_by(|a, b| self.order(a, b));
        if self.tree {
            rows = tree_order(rows);
        }
        rows
    }
}

/// Orders sorted rows as a tree: each process followed by its children (in the sorted order)
/// one level deeper. A process whose parent is not listed is a root.
fn tree_order(sorted: Vec<ProcessRow>) -> Vec<ProcessRow> {
    let listed: HashSet<u64> = sorted.iter().map(|r| u64::from(r.pid)).collect();
    let mut children: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, row) in sorted.iter().enumerate() {
        if row.ppid != u64::from(row.pid) && listed.contains(&row.ppid) {
            children.entry(row.ppid).or_default().push(i);
        } else {
            roots.push(i);
        }
    }
    let mut order = Vec::with_capacity(sorted.len());
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&i| (i, 0)).collect();
    let mut seen = vec![false; sorted.len()];
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push((i, depth));
        if let Some(kids) = children.get(&u64::from(sorted[i].pid)) {
            stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        }
    }
    // A parent loop (pids reused between reads) leaves rows unreached: list them as roots.
    order.extend((0..sorted.len()).filter(|&i| !seen[i]).map(|i| (i, 0)));
    let mut slots: Vec<Option<ProcessRow>> = sorted.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| {
            let mut row = slots[i].take()?;
            row.depth = depth;
            Some(row)
        })
        .collect()
}

/// One cgroup as the Cgroups screen lists it: the group's figures and its depth in the tree.
#[derive(Clone, Debug)]
pub struct CgroupRow<'a> {
    /// The group's figures.
    pub rates: CgroupRates<'a>,
    /// 0 for the root `/`, 1 for `/system.slice`, ...
    pub depth: usize,
    /// The last part of the path (`/` for the root).
    pub name: &'a str,
}

/// The cgroups of `interval` in tree order (the file's walk order: parents first).
pub fn cgroup_rows<'a>(interval: &Interval<'a>) -> Vec<CgroupRow<'a>> {
    interval
        .cgroups()
        .into_iter()
        .map(|rates| {
            let path = rates.path;
            let depth = if path == "/" {
                0
            } else {
                path.matches('/').count()
            };
            let name = match path.rsplit_once('/') {
                Some((_, last)) if !last.is_empty() => last,
                _ => path,
            };
            CgroupRow { rates, depth, name }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_classes_are_ascii() {
        let re = filter_regex(r"(?i)^BASH\s+-\w$").unwrap();
        assert!(re.is_match(b"bash  -c"));
        assert!(!re.is_match("bash -é".as_bytes()));
        // A literal non-ASCII character still matches its UTF-8 bytes.
        assert!(filter_regex("é").unwrap().is_match("café".as_bytes()));
        let refused = filter_regex(r"\p{Greek}").unwrap_err().to_string();
        assert!(refused.contains("Unicode"), "{refused}");
    }

    fn row(pid: u32, ppid: u64, cpu: f64, command: &str) -> ProcessRow {
        ProcessRow {
            pid,
            start: 100,
            ppid,
            uid: 0,
            state: 'S',
            threads: 1,
            cpu_pct: cpu,
            usr_pct: cpu,
            system_pct: 0.0,
            mem_pct: 0.0,
            rss_kb: u64::from(pid) * 10,
            vsz_kb: 0,
            read_kb_s: None,
            write_kb_s: None,
            comm: command.to_string(),
            command: command.to_string(),
            cgroup: "/".into(),
            depth: 0,
            gpu: None,
        }
    }

    #[test]
    fn tree_puts_children_under_parents_in_sorted_order() {
        // Sorted by CPU: 30 (child of 1), 1, 20 (child of 1), 40 (child of 30), 50 (orphan).
        let sorted = vec![
            row(30, 1, 9.0, "c"),
            row(1, 0, 5.0, "init"),
            row(20, 1, 3.0, "b"),
            row(40, 30, 2.0, "d"),
            row(50, 7, 1.0, "e"),
        ];
        let tree = tree_order(sorted);
        let shape: Vec<(u32, usize)> = tree.iter().map(|r| (r.pid, r.depth)).collect();
        assert_eq!(shape, vec![(1, 0), (30, 1), (40, 2), (20, 1), (50, 0)]);
    }

    #[test]
    fn tree_survives_a_parent_loop() {
        let tree = tree_order(vec![row(2, 3, 1.0, "a"), row(3, 2, 1.0, "b")]);
        let pids: Vec<u32> = tree.iter().map(|r| r.pid).collect();
        assert_eq!(pids.len(), 2);
        assert!(pids.contains(&2) && pids.contains(&3));
    }

    #[test]
    fn order_follows_the_column_and_its_direction() {
        let mut query = ProcessQuery::default();
        let (a, b) = (row(1, 0, 5.0, "zsh"), row(2, 0, 9.0, "bash"));
        assert_eq!(query.order(&a, &b), Ordering::Greater, "CPU: biggest first");
        query.reverse = true;
        assert_eq!(query.order(&a, &b), Ordering::Less);
        query.reverse = false;
        query.sort = SortKey::Command;
        assert_eq!(query.order(&a, &b), Ordering::Greater, "names: a to z");
        query.sort = SortKey::Pid;
        assert_eq!(query.order(&a, &b), Ordering::Less);
        assert_eq!(SortKey::Command.next(), SortKey::Pid);
        assert_eq!(SortKey::Cpu.next(), SortKey::Mem);
    }

    #[test]
    fn cgroup_membership_is_by_path_prefix_at_a_slash() {
        assert!(in_cgroup("/user.slice/user-1000.slice", "/user.slice"));
        assert!(in_cgroup("/user.slice", "/user.slice"));
        assert!(!in_cgroup("/user.slice2", "/user.slice"));
        assert!(in_cgroup("/anything", "/"));
        let query = ProcessQuery {
            filter: filter_regex("^ba").ok(),
            ..ProcessQuery::default()
        };
        assert!(query.keeps(&row(2, 0, 1.0, "bash")));
        assert!(!query.keeps(&row(3, 0, 1.0, "zsh")));
    }
}
