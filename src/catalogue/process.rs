//! Report tables for processes (pidstat's -u, -r, -d, -w and -v views, per interval, from the
//! recorded history) and cgroups. Each view is a plain table whose rows are the top consumers
//! of the interval; every figure comes from `rstat_data_format::derive_process`.

use regex::bytes::{Regex, RegexBuilder};
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::{display_cmdline, IoRates, ProcessRates, ThreadRates};

use super::column::{Column, Kind, Unit};
use super::id::Family;
use super::Activity;

mod cgroup;
mod gpu;

/// Options for processes and cgroups (not part of -A), as given.
#[derive(Clone, Debug, Default)]
pub struct ProcessSelection {
    /// --processes: views among cpu, mem, io, ctx, threads, summary (or pidstat's letters).
    pub processes: Option<Vec<String>>,
    /// --pid: only these processes.
    pub pids: Vec<u32>,
    /// --command: only processes whose command name or line matches.
    pub command: Option<String>,
    /// --user: only processes of this user (a name or a uid).
    pub user: Option<String>,
    /// --top: per interval, the N processes or cgroups using the most (0: all active).
    pub top: usize,
    /// --per-thread: threads instead of processes.
    pub per_thread: bool,
    /// --cgroups: views among cpu, mem, io, psi.
    pub cgroups: Option<Vec<String>>,
    /// --cgroup: only cgroups whose path matches.
    pub cgroup: Option<String>,
}

impl ProcessSelection {
    /// True when no process or cgroup table was asked for.
    pub fn is_empty(&self) -> bool {
        self.processes.is_none()
            && self.pids.is_empty()
            && self.command.is_none()
            && self.user.is_none()
            && self.cgroups.is_none()
            && self.cgroup.is_none()
    }

    /// The process (or thread) views asked for: `--processes`, else cpu when a filter
    /// (`--pid`, `--command`, `--user`) is given.
    fn views(&self) -> Vec<String> {
        let filtered = !self.pids.is_empty() || self.command.is_some() || self.user.is_some();
        match &self.processes {
            Some(views) => views.clone(),
            None if filtered => vec!["cpu".to_string()],
            None => Vec::new(),
        }
    }

    /// Whether a view asked for reads the processes' rates ([`Interval::processes`]): then a
    /// reader derives them once per interval for every view ([`with_process_rates`]).
    pub fn uses_process_rates(&self) -> bool {
        !self.per_thread
            && self
                .views()
                .iter()
                .any(|view| !matches!(view.as_str(), "gpu" | "summary"))
    }
}

/// Calls `then` with `interval`, which carries its processes' rates derived once when `shared`
/// ([`ProcessSelection::uses_process_rates`]), so that each process view borrows them
/// instead of deriving them again (a day of 1 s samples spent most of its plot there).
pub fn with_process_rates<R>(
    interval: &Interval,
    shared: bool,
    then: impl FnOnce(&Interval) -> R,
) -> R {
    if !shared {
        return then(interval);
    }
    let rates = interval.processes();
    then(&interval.with_processes(&rates))
}

/// The item column of process rows: uid, pid and command name.
const PROCESS_ITEM: &str = "   UID      PID Command        ";
const THREAD_ITEM: &str = "    TGID      TID Command        ";

/// An item's field names and the function that splits an item string into them.
pub type ItemFields = (&'static [&'static str], fn(&str) -> Vec<String>);

/// The fields packed into a process, thread, cgroup or sensor item string, named, for
/// exports that give each its own field (CSV columns, JSON keys, OpenMetrics labels); `None`
/// for the item columns of other activities, which hold one name. The splitters undo `process_item`,
/// `thread_item` and the cgroup path's padding, so the text report keeps its columns.
pub fn item_fields(label: &str) -> Option<ItemFields> {
    match label {
        PROCESS_ITEM => Some((&["UID", "PID", "Command"], split_id_id_command)),
        THREAD_ITEM => Some((&["TGID", "TID", "Command"], split_id_id_command)),
        cgroup::CGROUP_ITEM => Some((&["CGROUP"], |item| vec![item.trim_end().to_string()])),
        gpu::GPU_PROCESS_ITEM => Some((&["PID", "GPU", "Command"], gpu::split_pid_device_command)),
        // sar -m's sensors, `1 coretemp-isa-0000`: sar's number, then its DEVICE.
        "FAN" => Some((&["FAN", "DEVICE"], split_number_device)),
        "TEMP" => Some((&["TEMP", "DEVICE"], split_number_device)),
        "IN" => Some((&["IN", "DEVICE"], split_number_device)),
        _ => None,
    }
}

/// `"1 coretemp-isa-0000"` -> `["1", "coretemp-isa-0000"]`.
fn split_number_device(item: &str) -> Vec<String> {
    let (number, device) = item.split_once(' ').unwrap_or((item, ""));
    vec![number.to_string(), device.to_string()]
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
            && self.command.as_ref().is_none_or(|re| {
                re.is_match(p.comm.as_bytes()) || re.is_match(display_cmdline(p.cmdline).as_bytes())
            })
    }

    fn thread(&self, t: &ThreadRates) -> bool {
        (self.pids.is_empty()
            || self.pids.contains(&t.tid)
            || self.pids.iter().any(|&pid| u64::from(pid) == t.tgid))
            && self
                .command
                .as_ref()
                .is_none_or(|re| re.is_match(t.comm.as_bytes()))
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

/// The pattern of `option`, matched against bytes with ASCII classes (`\\w`, `(?i)`): the
/// regex crate is built without its Unicode tables (README, "Dependencies").
fn regex(option: &str, pattern: &Option<String>) -> Result<Option<Regex>, String> {
    pattern
        .as_deref()
        .map(|p| {
            RegexBuilder::new(p)
                .unicode(false)
                .build()
                .map_err(|e| format!("{option} {p}: {e}"))
        })
        .transpose()
}

/// Adds the process and cgroup tables `args` asks for to `chosen`.
pub(crate) fn select(args: &ProcessSelection, chosen: &mut Vec<Activity>) -> Result<(), String> {
    let filter = Filter {
        pids: args.pids.clone(),
        command: regex("--command", &args.command)?,
        uid: args.user.as_deref().map(user_id).transpose()?,
        top: args.top,
    };
    for view in args.views() {
        let activity = if args.per_thread {
            thread_view(&view, filter.clone())
        } else if view == "gpu" {
            Some(gpu::gpu_process_view(filter.clone()))
        } else {
            process_view(&view, filter.clone())
        };
        let activity = activity.ok_or_else(|| {
            format!("--processes {view}: expected cpu, mem, io, ctx, threads, summary or gpu")
        })?;
        let family = if args.per_thread {
            Family::Thread
        } else {
            Family::Process
        };
        // pidstat's letters name the same views as the words.
        let view = match view.as_str() {
            "u" => "cpu",
            "r" => "mem",
            "d" => "io",
            "w" => "ctx",
            word => word,
        };
        chosen.push(activity.named(family.member(view)));
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
        chosen.push(activity.named(Family::Cgroup.member(&view)));
    }
    Ok(())
}

/// A view's rank of a task (below zero: left out) and its figures, computed only for the
/// rows kept: an interval holds hundreds of tasks and a view keeps a few, so the figures and
/// the item are built after ranking (the plot of a day spent most of its time allocating them).
/// `Rank` and `Values` are function pointers over every lifetime of the task's rates.
struct Design<Rank, Values> {
    rank: Rank,
    values: Values,
}

/// A process view's design.
type ProcessDesign = Design<fn(&ProcessRates) -> f64, fn(&ProcessRates) -> Vec<f64>>;
/// A thread view's design.
type ThreadDesign = Design<fn(&ThreadRates) -> f64, fn(&ThreadRates) -> Vec<f64>>;

impl<Rank, Values> Design<Rank, Values> {
    /// The kept rows of `tasks` (already filtered), named by `item`, best ranked first.
    fn rows<'t, T: 't>(
        &self,
        tasks: impl Iterator<Item = &'t T>,
        filter: &Filter,
        keep_idle: bool,
        item: impl Fn(&T) -> String,
    ) -> Vec<(String, Vec<f64>)>
    where
        Rank: Fn(&T) -> f64,
        Values: Fn(&T) -> Vec<f64>,
    {
        let ranked = tasks
            .map(|task| ((self.rank)(task), task))
            .filter(|(rank, _)| *rank >= 0.0)
            .collect();
        filter
            .rank(ranked, keep_idle)
            .into_iter()
            .map(|task| (item(task), (self.values)(task)))
            .collect()
    }
}

/// pidstat -d's rank (all activity); below zero leaves out a process or thread whose I/O
/// could not be read.
fn io_rank(io: Option<&IoRates>) -> f64 {
    io.map_or(-1.0, |io| {
        io.kb_rd_per_s + io.kb_wr_per_s + io.kb_ccwr_per_s + io.iodelay as f64
    })
}

/// pidstat -d's figures.
fn io_values(io: Option<&IoRates>) -> Vec<f64> {
    io.map_or_else(Vec::new, |io| {
        vec![
            io.kb_rd_per_s,
            io.kb_wr_per_s,
            io.kb_ccwr_per_s,
            io.iodelay as f64,
        ]
    })
}

/// A view's columns.
type Columns = &'static [Column];

fn process_view(view: &str, filter: Filter) -> Option<Activity> {
    // The columns, whether idle rows are shown, and the rank and figures.
    let (columns, keep_idle, design): (Columns, bool, ProcessDesign) = match view {
        "cpu" | "u" => (
            PROCESS_CPU,
            false,
            Design {
                rank: |p| p.cpu_pct,
                values: |p| {
                    vec![
                        p.usr_pct,
                        p.system_pct,
                        p.guest_pct,
                        p.wait_pct.unwrap_or(0.0),
                        p.cpu_pct,
                        p.cpu as f64,
                    ]
                },
            },
        ),
        "mem" | "r" => (
            PROCESS_MEM,
            true,
            Design {
                rank: |p| p.rss_kb as f64,
                values: |p| {
                    vec![
                        p.minflt_per_s,
                        p.majflt_per_s,
                        p.vsz_kb as f64,
                        p.rss_kb as f64,
                        p.mem_pct,
                    ]
                },
            },
        ),
        "io" | "d" => (
            TASK_IO,
            false,
            Design {
                rank: |p| io_rank(p.io.as_ref()),
                values: |p| io_values(p.io.as_ref()),
            },
        ),
        "ctx" | "w" => (
            TASK_CTX,
            false,
            Design {
                rank: |p| p.cswch_per_s + p.nvcswch_per_s,
                values: |p| vec![p.cswch_per_s, p.nvcswch_per_s],
            },
        ),
        "threads" | "v" => (
            PROCESS_THREADS,
            true,
            Design {
                rank: |p| p.threads as f64,
                values: |p| vec![p.threads as f64],
            },
        ),
        "summary" => return Some(summary_view()),
        _ => return None,
    };
    Some(Activity::new(
        Some(PROCESS_ITEM),
        columns,
        move |interval: &Interval| {
            // Borrowed when the reader derived the interval's processes once for every view.
            let processes = interval.process_rates();
            let kept = processes.iter().filter(|p| filter.process(p));
            design.rows(kept, &filter, keep_idle, |p| {
                process_item(p.uid, p.pid, p.comm)
            })
        },
    ))
}

fn thread_view(view: &str, filter: Filter) -> Option<Activity> {
    let (columns, design): (Columns, ThreadDesign) = match view {
        "cpu" | "u" => (
            PROCESS_CPU,
            Design {
                rank: |t| t.cpu_pct,
                values: |t| {
                    vec![
                        t.usr_pct,
                        t.system_pct,
                        t.guest_pct,
                        t.wait_pct.unwrap_or(0.0),
                        t.cpu_pct,
                        t.cpu as f64,
                    ]
                },
            },
        ),
        "mem" | "r" => (
            THREAD_MEM,
            Design {
                rank: |t| t.minflt_per_s + t.majflt_per_s,
                values: |t| vec![t.minflt_per_s, t.majflt_per_s],
            },
        ),
        "io" | "d" => (
            TASK_IO,
            Design {
                rank: |t| io_rank(t.io.as_ref()),
                values: |t| io_values(t.io.as_ref()),
            },
        ),
        "ctx" | "w" => (
            TASK_CTX,
            Design {
                rank: |t| t.cswch_per_s + t.nvcswch_per_s,
                values: |t| vec![t.cswch_per_s, t.nvcswch_per_s],
            },
        ),
        _ => return None,
    };
    Some(Activity::new(
        Some(THREAD_ITEM),
        columns,
        move |interval: &Interval| {
            let threads = interval.threads();
            let kept = threads.iter().filter(|t| filter.thread(t));
            design.rows(kept, &filter, false, |t| thread_item(t.tgid, t.tid, t.comm))
        },
    ))
}

fn summary_view() -> Activity {
    Activity::new(None, PROCESS_SUMMARY, |interval: &Interval| {
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
    })
}

use Kind::{Delta, Level};
use Unit::{Count, Kilobytes, Percent};

/// pidstat -u (and -t -u): the CPU a task used, in percent of one CPU.
pub const PROCESS_CPU: &[Column] = &[
    Column::percent(
        "%usr",
        "CPU time in user mode, guest time excluded.",
        "ProcessRates.usr_pct+ThreadRates.usr_pct",
    ),
    Column::percent(
        "%system",
        "CPU time in kernel mode.",
        "ProcessRates.system_pct+ThreadRates.system_pct",
    ),
    Column::percent(
        "%guest",
        "CPU time running a virtual CPU.",
        "ProcessRates.guest_pct+ThreadRates.guest_pct",
    ),
    Column::percent(
        "%wait",
        "Time waiting to run on a CPU (0 without schedstats).",
        "ProcessRates.wait_pct+ThreadRates.wait_pct",
    ),
    Column::percent(
        "%CPU",
        "CPU time, user and kernel.",
        "ProcessRates.cpu_pct+ThreadRates.cpu_pct",
    ),
    Column::whole(
        "CPU",
        Unit::CpuNumber,
        "The CPU the task last ran on.",
        "ProcessRates.cpu+ThreadRates.cpu",
    ),
];

/// pidstat -r.
pub const PROCESS_MEM: &[Column] = &[
    Column::rate(
        "minflt/s",
        "Minor page faults (no page read from disk).",
        "ProcessRates.minflt_per_s",
    ),
    Column::rate(
        "majflt/s",
        "Major page faults (a page read from disk).",
        "ProcessRates.majflt_per_s",
    ),
    Column::whole(
        "VSZ",
        Kilobytes,
        "Virtual memory size.",
        "ProcessRates.vsz_kb",
    ),
    Column::whole(
        "RSS",
        Kilobytes,
        "Resident set size: memory in RAM.",
        "ProcessRates.rss_kb",
    ),
    Column::new(
        "%MEM",
        Percent,
        Level,
        "Resident set, of the machine's memory.",
        "ProcessRates.mem_pct",
    ),
];

/// pidstat -t -r.
pub const THREAD_MEM: &[Column] = &[
    Column::rate(
        "minflt/s",
        "Minor page faults (no page read from disk).",
        "ThreadRates.minflt_per_s",
    ),
    Column::rate(
        "majflt/s",
        "Major page faults (a page read from disk).",
        "ThreadRates.majflt_per_s",
    ),
];

/// pidstat -d (and -t -d).
pub const TASK_IO: &[Column] = &[
    Column::new(
        "kB_rd/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes the task caused to be read from storage.",
        "IoRates.kb_rd_per_s",
    ),
    Column::new(
        "kB_wr/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes the task caused to be written to storage.",
        "IoRates.kb_wr_per_s",
    ),
    Column::new(
        "kB_ccwr/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes whose writing the task cancelled (truncated dirty pages).",
        "IoRates.kb_ccwr_per_s",
    ),
    Column::whole(
        "iodelay",
        Unit::Ticks,
        "Clock ticks the task waited for block I/O during the interval.",
        "IoRates.iodelay",
    )
    .kind(Delta),
];

/// pidstat -w (and -t -w).
pub const TASK_CTX: &[Column] = &[
    Column::rate(
        "cswch/s",
        "Voluntary context switches (the task waited for something).",
        "ProcessRates.cswch_per_s+ThreadRates.cswch_per_s",
    ),
    Column::rate(
        "nvcswch/s",
        "Involuntary context switches (the task's time slice ran out).",
        "ProcessRates.nvcswch_per_s+ThreadRates.nvcswch_per_s",
    ),
];

/// pidstat -v (threads only).
pub const PROCESS_THREADS: &[Column] = &[Column::whole(
    "threads",
    Count,
    "Threads of the process.",
    "ProcessRates.threads",
)];

/// The process summary: how the collection went.
pub const PROCESS_SUMMARY: &[Column] = &[
    Column::rate(
        "proc/s",
        "Processes created (forks), from the kernel's counter.",
        "ProcessSummary.forks_per_s",
    ),
    Column::whole(
        "new",
        Count,
        "Processes seen for the first time.",
        "ProcessSummary.new",
    )
    .kind(Delta),
    Column::whole(
        "exited",
        Count,
        "Processes gone since the previous sample.",
        "ProcessSummary.exited",
    )
    .kind(Delta),
    Column::whole(
        "unseen",
        Count,
        "Processes that started and ended between two samples.",
        "ProcessSummary.unseen",
    )
    .kind(Delta),
    Column::whole(
        "nproc",
        Count,
        "Processes recorded.",
        "ProcessSummary.processes",
    ),
    Column::whole(
        "nthread",
        Count,
        "Threads recorded.",
        "ProcessSummary.threads",
    ),
    Column::whole(
        "vanished",
        Count,
        "Processes that ended while being read.",
        "ProcessSummary.vanished_during_read",
    )
    .kind(Delta),
];

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
        let (names, split) = item_fields(gpu::GPU_PROCESS_ITEM).unwrap();
        assert_eq!(names, ["PID", "GPU", "Command"]);
        let on = |device: &str, comm: &str| {
            let p = rstat_data_format::derive_gpu::GpuProcessRates {
                pid: 42,
                device: device.into(),
                comm: comm.into(),
                ..Default::default()
            };
            split(&gpu::item(&p))
        };
        assert_eq!(on("card0", "a) (b\nc"), ["42", "card0", "a) (b?c"]);
        assert_eq!(on("0000:00:02.0", " lead"), ["42", "0000:00:02.0", " lead"]);
        assert_eq!(
            on("platform-device-x", "x y"),
            ["42", "platform-device-x", "x y"]
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
