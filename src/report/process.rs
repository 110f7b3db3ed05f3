//! Report tables for processes (pidstat's -u, -r, -d, -w and -v views, per interval, from the
//! recorded history) and cgroups. Each view is a plain table whose rows are the top consumers
//! of the interval; every figure comes from `rstat_data_format::derive_process`.

use clap::Args;
use regex::Regex;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::{display_cmdline, IoRates, ProcessRates, ThreadRates};

use super::select::Activity;

mod cgroup;

/// Options for processes and cgroups (not part of -A).
#[derive(Args, Debug, Default)]
pub struct ProcessArgs {
    /// Per-process figures for each interval (pidstat). VIEWS is a comma-separated list of cpu
    /// (-u: %usr %system %guest %wait %CPU CPU), mem (-r), io (-d), ctx (-w), threads (-v)
    /// and summary (processes started, ended, unseen); default cpu.
    #[arg(long = "processes", value_name = "VIEWS", num_args = 0..=1, default_missing_value = "cpu", value_delimiter = ',')]
    pub processes: Option<Vec<String>>,
    /// Only these processes: --pid 1,42 (implies --processes).
    #[arg(long = "pid", value_name = "PID", value_delimiter = ',')]
    pub pids: Vec<u32>,
    /// Only processes whose command name or command line matches REGEX (implies --processes).
    #[arg(long = "command", value_name = "REGEX")]
    pub command: Option<String>,
    /// Only processes of USER, a name or a uid (implies --processes).
    #[arg(long = "user", value_name = "USER")]
    pub user: Option<String>,
    /// Per interval, the N processes or cgroups using the most of the view's resource (0: all
    /// that were active).
    #[arg(long = "top", value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Threads instead of processes (files collected with `rstat collect --threads`).
    #[arg(long = "per-thread")]
    pub per_thread: bool,
    /// cgroup v2 figures for each interval. VIEWS is a comma-separated list of cpu, mem, io
    /// and psi (pressure stall); default all four.
    #[arg(long = "cgroups", value_name = "VIEWS", num_args = 0..=1, default_missing_values = ["cpu", "mem", "io", "psi"], value_delimiter = ',')]
    pub cgroups: Option<Vec<String>>,
    /// Only cgroups whose path matches REGEX (implies --cgroups).
    #[arg(long = "cgroup", value_name = "REGEX")]
    pub cgroup: Option<String>,
}

impl ProcessArgs {
    /// True when no process or cgroup table was asked for.
    pub fn is_empty(&self) -> bool {
        self.processes.is_none()
            && self.pids.is_empty()
            && self.command.is_none()
            && self.user.is_none()
            && self.cgroups.is_none()
            && self.cgroup.is_none()
    }
}

/// The item column of process rows: uid, pid and command name.
const PROCESS_ITEM: &str = "   UID      PID Command        ";
const THREAD_ITEM: &str = "    TGID      TID Command        ";

/// An item's field names and the function that splits an item string into them.
pub(crate) type ItemFields = (&'static [&'static str], fn(&str) -> Vec<String>);

/// The fields packed into a process, thread or cgroup item string, named, for exports that
/// give each its own field (CSV columns, JSON keys, OpenMetrics labels); `None` for the item
/// columns of other activities, which hold one name. The splitters undo [`process_item`],
/// [`thread_item`] and the cgroup path's padding, so the text report keeps its columns.
pub(crate) fn item_fields(label: &str) -> Option<ItemFields> {
    match label {
        PROCESS_ITEM => Some((&["UID", "PID", "Command"], split_id_id_command)),
        THREAD_ITEM => Some((&["TGID", "TID", "Command"], split_id_id_command)),
        cgroup::CGROUP_ITEM => Some((&["CGROUP"], |item| vec![item.trim_end().to_string()])),
        _ => None,
    }
}

/// `"  1000       42 a) (b?c        "` -> `["1000", "42", "a) (b?c"]`: two right-aligned
/// numbers, then the command after exactly one space (a command may itself hold spaces).
fn split_id_id_command(item: &str) -> Vec<String> {
    let (first, rest) = item
        .trim_start()
        .split_once(' ')
        .unwrap_or((item.trim(), ""));
    let (second, rest) = rest
        .trim_start()
        .split_once(' ')
        .unwrap_or((rest.trim(), ""));
    vec![
        first.to_string(),
        second.to_string(),
        rest.trim_end().to_string(),
    ]
}

fn process_item(uid: u64, pid: u32, comm: &str) -> String {
    format!("{uid:>6} {pid:>8} {:<15}", clean(comm))
}

fn thread_item(tgid: u64, tid: u32, comm: &str) -> String {
    format!("{tgid:>8} {tid:>8} {:<15}", clean(comm))
}

/// A command name fit for one column: control characters (a newline) shown as `?`, at most 15.
fn clean(comm: &str) -> String {
    comm.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(15)
        .collect()
}

/// Which processes to show.
#[derive(Clone, Default)]
struct Filter {
    pids: Vec<u32>,
    command: Option<Regex>,
    uid: Option<u64>,
    top: usize,
}

impl Filter {
    fn explicit(&self) -> bool {
        !self.pids.is_empty()
    }

    fn process(&self, p: &ProcessRates) -> bool {
        (self.pids.is_empty() || self.pids.contains(&p.pid))
            && self.uid.is_none_or(|uid| uid == p.uid)
            && self
                .command
                .as_ref()
                .is_none_or(|re| re.is_match(p.comm) || re.is_match(&display_cmdline(p.cmdline)))
    }

    fn thread(&self, t: &ThreadRates) -> bool {
        (self.pids.is_empty()
            || self.pids.contains(&t.tid)
            || self.pids.iter().any(|&pid| u64::from(pid) == t.tgid))
            && self.command.as_ref().is_none_or(|re| re.is_match(t.comm))
    }

    /// Keeps the rows whose rank is positive (all of them for explicit pids), largest first,
    /// at most `top` (0: no limit).
    fn rank<T>(&self, mut rows: Vec<(f64, T)>, keep_idle: bool) -> Vec<T> {
        if !keep_idle && !self.explicit() {
            rows.retain(|(rank, _)| *rank > 0.0);
        }
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        if self.top > 0 {
            rows.truncate(self.top);
        }
        rows.into_iter().map(|(_, row)| row).collect()
    }
}

fn user_id(user: &str) -> Result<u64, String> {
    if let Ok(uid) = user.parse() {
        return Ok(uid);
    }
    match nix::unistd::User::from_name(user) {
        Ok(Some(found)) => Ok(u64::from(found.uid.as_raw())),
        _ => Err(format!(
            "--user {user}: no such user on this host; give a uid"
        )),
    }
}

fn regex(option: &str, pattern: &Option<String>) -> Result<Option<Regex>, String> {
    pattern
        .as_deref()
        .map(|p| Regex::new(p).map_err(|e| format!("{option} {p}: {e}")))
        .transpose()
}

/// Adds the process and cgroup tables `args` asks for to `chosen`.
pub(crate) fn select(args: &ProcessArgs, chosen: &mut Vec<Activity>) -> Result<(), String> {
    let filter = Filter {
        pids: args.pids.clone(),
        command: regex("--command", &args.command)?,
        uid: args.user.as_deref().map(user_id).transpose()?,
        top: args.top,
    };
    let filtered = !args.pids.is_empty() || args.command.is_some() || args.user.is_some();
    let views = match &args.processes {
        Some(views) => views.clone(),
        None if filtered => vec!["cpu".to_string()],
        None => Vec::new(),
    };
    for view in views {
        let activity = if args.per_thread {
            thread_view(&view, filter.clone())
        } else {
            process_view(&view, filter.clone())
        };
        let activity = activity.ok_or_else(|| {
            format!("--processes {view}: expected cpu, mem, io, ctx, threads or summary")
        })?;
        let kind = if args.per_thread { "thread" } else { "process" };
        // pidstat's letters name the same views as the words.
        let view = match view.as_str() {
            "u" => "cpu",
            "r" => "mem",
            "d" => "io",
            "w" => "ctx",
            word => word,
        };
        chosen.push(activity.named(format!("{kind}-{view}")));
    }
    let cgroup_filter = regex("--cgroup", &args.cgroup)?;
    let views = match &args.cgroups {
        Some(views) => views.clone(),
        None if cgroup_filter.is_some() => ["cpu", "mem", "io", "psi"].map(String::from).to_vec(),
        None => Vec::new(),
    };
    for view in views {
        let activity = cgroup::cgroup_view(&view, cgroup_filter.clone(), args.top);
        let activity =
            activity.ok_or_else(|| format!("--cgroups {view}: expected cpu, mem, io or psi"))?;
        chosen.push(activity.named(format!("cgroup-{view}")));
    }
    Ok(())
}

type ProcessRow = fn(&ProcessRates) -> (f64, Vec<f64>);

/// pidstat -d's figures and their rank (all activity); a rank below zero leaves out a
/// process or thread whose I/O could not be read.
fn io_row(io: Option<&IoRates>) -> (f64, Vec<f64>) {
    match io {
        Some(io) => (
            io.kb_rd_per_s + io.kb_wr_per_s + io.kb_ccwr_per_s + io.iodelay as f64,
            vec![
                io.kb_rd_per_s,
                io.kb_wr_per_s,
                io.kb_ccwr_per_s,
                io.iodelay as f64,
            ],
        ),
        None => (-1.0, Vec::new()),
    }
}

/// A view's columns, which of them are whole numbers, and (for processes) whether idle rows
/// are shown.
type Columns = &'static [&'static str];
type Integer = fn(usize) -> bool;

fn process_view(view: &str, filter: Filter) -> Option<Activity> {
    let (columns, integer, keep_idle, row): (Columns, Integer, bool, ProcessRow) = match view {
        "cpu" | "u" => (
            &["%usr", "%system", "%guest", "%wait", "%CPU", "CPU"],
            |col| col == 5,
            false,
            |p| {
                let values = vec![
                    p.usr_pct,
                    p.system_pct,
                    p.guest_pct,
                    p.wait_pct.unwrap_or(0.0),
                    p.cpu_pct,
                    p.cpu as f64,
                ];
                (p.cpu_pct, values)
            },
        ),
        "mem" | "r" => (
            &["minflt/s", "majflt/s", "VSZ", "RSS", "%MEM"],
            |col| col == 2 || col == 3,
            true,
            |p| {
                let values = vec![
                    p.minflt_per_s,
                    p.majflt_per_s,
                    p.vsz_kb as f64,
                    p.rss_kb as f64,
                    p.mem_pct,
                ];
                (p.rss_kb as f64, values)
            },
        ),
        "io" | "d" => (
            &["kB_rd/s", "kB_wr/s", "kB_ccwr/s", "iodelay"],
            |col| col == 3,
            false,
            |p| io_row(p.io.as_ref()),
        ),
        "ctx" | "w" => (
            &["cswch/s", "nvcswch/s"],
            |_| false,
            false,
            |p| {
                (
                    p.cswch_per_s + p.nvcswch_per_s,
                    vec![p.cswch_per_s, p.nvcswch_per_s],
                )
            },
        ),
        "threads" | "v" => (
            &["threads"],
            |_| true,
            true,
            |p| (p.threads as f64, vec![p.threads as f64]),
        ),
        "summary" => return Some(summary_view()),
        _ => return None,
    };
    Some(Activity {
        name: String::new(),
        item: Some(PROCESS_ITEM),
        columns,
        integer,
        rows: Box::new(move |interval: &Interval| {
            let rows = interval
                .processes()
                .into_iter()
                .filter(|p| filter.process(p))
                .map(|p| {
                    let (rank, values) = row(&p);
                    (rank, (process_item(p.uid, p.pid, p.comm), values))
                })
                .filter(|(rank, _)| *rank >= 0.0)
                .collect();
            filter.rank(rows, keep_idle)
        }),
    })
}

type ThreadRow = fn(&ThreadRates) -> (f64, Vec<f64>);

fn thread_view(view: &str, filter: Filter) -> Option<Activity> {
    let (columns, integer, row): (Columns, Integer, ThreadRow) = match view {
        "cpu" | "u" => (
            &["%usr", "%system", "%guest", "%wait", "%CPU", "CPU"],
            |col| col == 5,
            |t| {
                (
                    t.cpu_pct,
                    vec![
                        t.usr_pct,
                        t.system_pct,
                        t.guest_pct,
                        t.wait_pct.unwrap_or(0.0),
                        t.cpu_pct,
                        t.cpu as f64,
                    ],
                )
            },
        ),
        "mem" | "r" => (
            &["minflt/s", "majflt/s"],
            |_| false,
            |t| {
                (
                    t.minflt_per_s + t.majflt_per_s,
                    vec![t.minflt_per_s, t.majflt_per_s],
                )
            },
        ),
        "io" | "d" => (
            &["kB_rd/s", "kB_wr/s", "kB_ccwr/s", "iodelay"],
            |col| col == 3,
            |t| io_row(t.io.as_ref()),
        ),
        "ctx" | "w" => (
            &["cswch/s", "nvcswch/s"],
            |_| false,
            |t| {
                (
                    t.cswch_per_s + t.nvcswch_per_s,
                    vec![t.cswch_per_s, t.nvcswch_per_s],
                )
            },
        ),
        _ => return None,
    };
    Some(Activity {
        name: String::new(),
        item: Some(THREAD_ITEM),
        columns,
        integer,
        rows: Box::new(move |interval: &Interval| {
            let rows = interval
                .threads()
                .into_iter()
                .filter(|t| filter.thread(t))
                .map(|t| {
                    let (rank, values) = row(&t);
                    (rank, (thread_item(t.tgid, t.tid, t.comm), values))
                })
                .filter(|(rank, _)| *rank >= 0.0)
                .collect();
            filter.rank(rows, false)
        }),
    })
}

fn summary_view() -> Activity {
    Activity {
        name: String::new(),
        item: None,
        columns: &[
            "proc/s", "new", "exited", "unseen", "nproc", "nthread", "vanished",
        ],
        integer: |col| col > 0,
        rows: Box::new(|interval: &Interval| {
            interval
                .process_summary()
                .map(|s| {
                    let values = vec![
                        s.forks_per_s.unwrap_or(0.0),
                        s.new as f64,
                        s.exited as f64,
                        s.unseen.unwrap_or(0) as f64,
                        s.processes as f64,
                        s.threads as f64,
                        s.vanished_during_read as f64,
                    ];
                    vec![(String::new(), values)]
                })
                .unwrap_or_default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_headers_are_as_wide_as_the_items() {
        assert_eq!(PROCESS_ITEM.len(), process_item(0, 1, "x").len());
        assert_eq!(
            PROCESS_ITEM,
            format!("{:>6} {:>8} {:<15}", "UID", "PID", "Command")
        );
        assert_eq!(
            THREAD_ITEM,
            format!("{:>8} {:>8} {:<15}", "TGID", "TID", "Command")
        );
        assert_eq!(clean("a) (b\nc"), "a) (b?c");
        assert_eq!(clean("kworker/0:1H-events_highpri").chars().count(), 15);
    }

    #[test]
    fn items_split_back_into_their_fields() {
        let (names, split) = item_fields(PROCESS_ITEM).unwrap();
        assert_eq!(names, ["UID", "PID", "Command"]);
        assert_eq!(
            split(&process_item(1000, 42, "a) (b\nc")),
            ["1000", "42", "a) (b?c"]
        );
        assert_eq!(split(&process_item(0, 1, " lead")), ["0", "1", " lead"]);
        let (names, split) = item_fields(THREAD_ITEM).unwrap();
        assert_eq!(names, ["TGID", "TID", "Command"]);
        assert_eq!(
            split(&thread_item(42, 43, "worker 1")),
            ["42", "43", "worker 1"]
        );
        let (names, split) = item_fields(cgroup::CGROUP_ITEM).unwrap();
        assert_eq!(names, ["CGROUP"]);
        assert_eq!(
            split(&format!("{:<40}", "/system.slice")),
            ["/system.slice"]
        );
        assert!(item_fields("DEV").is_none());
    }

    #[test]
    fn ranking_keeps_the_top_active_rows() {
        let filter = Filter {
            top: 2,
            ..Filter::default()
        };
        let rows = vec![(1.0, "a"), (0.0, "idle"), (5.0, "b"), (3.0, "c")];
        assert_eq!(filter.rank(rows.clone(), false), ["b", "c"]);
        let all = Filter::default();
        assert_eq!(all.rank(rows.clone(), false), ["b", "c", "a"]);
        assert_eq!(all.rank(rows, true), ["b", "c", "a", "idle"]);
    }

    #[test]
    fn users_by_number() {
        assert_eq!(user_id("1000"), Ok(1000));
        assert!(user_id("no-such-user-here").is_err());
    }
}
