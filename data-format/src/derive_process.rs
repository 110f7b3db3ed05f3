//! pidstat's figures per process and per thread, and cgroup figures, from two samples: the
//! derivation every reader shares for the tables of [`crate::schema_process`].
//!
//! A process is matched across the two samples by its identity, (pid, start time): a pid
//! reused by a new process is a new process, and a process seen for the first time gets no
//! rate for that interval (as a device does in [`crate::derive`]). Counters follow
//! [`counter_delta`]. Formulas are pidstat's (sysstat 12.6): CPU percentages are of one CPU
//! (a process using two CPUs fully shows 200 %CPU), %usr excludes guest time, %wait comes
//! from the run-queue delay of `/proc/PID/schedstat`, iodelay is the block I/O delay in clock
//! ticks over the interval (not per second), kB are 1024 bytes.
//!
//! Cgroups are matched by path; a group seen for the first time gets no rate.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::derive::{counter_delta, Interval};
pub use crate::process_rates::{IoRates, ProcessRates};
use crate::schema::{Row, Sample, Table, TableKind};
use crate::schema_process::{
    cgroup_col, cgroup_io_col, process_col, process_flag, process_summary_col, thread_col,
};

/// USER_HZ on every Linux architecture rstat runs on, for files without a summary table.
const DEFAULT_TICKS_PER_SEC: u64 = 100;
const DEFAULT_PAGE_SIZE: u64 = 4096;

fn summary_value(sample: &Sample, col: usize) -> Option<u64> {
    sample
        .table(TableKind::PROCESS_SUMMARY)?
        .row("processes")?
        .value(col)
        .filter(|&value| value > 0)
}

/// Clock ticks per second of the process times in `sample`.
pub fn ticks_per_sec(sample: &Sample) -> u64 {
    summary_value(sample, process_summary_col::TICKS_PER_SEC).unwrap_or(DEFAULT_TICKS_PER_SEC)
}

/// Bytes per page of the RSS column in `sample`.
pub fn page_size(sample: &Sample) -> u64 {
    summary_value(sample, process_summary_col::PAGE_SIZE).unwrap_or(DEFAULT_PAGE_SIZE)
}

/// One process (or thread) row of a sample, with typed accessors.
#[derive(Clone, Copy, Debug)]
pub struct TaskRow<'a> {
    /// The pid (process rows) or thread id (thread rows), from the key.
    pub id: u32,
    /// The recorded row: the key, text columns (command, cgroup) and counters.
    pub row: &'a Row,
}

impl<'a> TaskRow<'a> {
    /// Value of column `col`, 0 when the row has fewer columns.
    pub fn value(&self, col: usize) -> u64 {
        self.row.value(col).unwrap_or(0)
    }

    fn text(&self, index: usize) -> &'a str {
        self.row.text.get(index).map_or("", String::as_str)
    }

    /// The command name.
    pub fn comm(&self) -> &'a str {
        self.text(0)
    }

    /// The command line as stored: arguments separated by NUL (see [`display_cmdline`]).
    pub fn cmdline(&self) -> &'a str {
        self.text(1)
    }

    /// The cgroup v2 path.
    pub fn cgroup(&self) -> &'a str {
        self.text(2)
    }
}

/// The rows of a process or thread table whose key is a pid, in table order.
pub fn tasks(table: &Table) -> impl Iterator<Item = TaskRow<'_>> {
    table.rows.iter().filter_map(|row| {
        Some(TaskRow {
            id: row.key.parse().ok()?,
            row,
        })
    })
}

/// The processes of `sample`, in table order (increasing pid).
pub fn processes(sample: &Sample) -> Vec<TaskRow<'_>> {
    sample
        .table(TableKind::PROCESSES)
        .map(|table| tasks(table).collect())
        .unwrap_or_default()
}

/// A stored command line as pidstat -l shows it: arguments separated by spaces.
pub fn display_cmdline(stored: &str) -> String {
    stored.replace('\0', " ")
}

/// Finds a task's previous row by id; `start_col` is the start-time column, which must match.
struct Previous<'a> {
    rows: Vec<TaskRow<'a>>,
}

impl<'a> Previous<'a> {
    fn new(table: Option<&'a Table>) -> Previous<'a> {
        let mut rows: Vec<TaskRow<'a>> = table.map(|t| tasks(t).collect()).unwrap_or_default();
        // Written in increasing id order; sort only if a writer did not.
        if !rows.windows(2).all(|pair| pair[0].id <= pair[1].id) {
            rows.sort_by_key(|task| task.id);
        }
        Previous { rows }
    }

    fn find(&self, cur: &TaskRow<'_>, start_col: usize) -> Option<TaskRow<'a>> {
        let index = self.rows.binary_search_by_key(&cur.id, |t| t.id).ok()?;
        let prev = self.rows[index];
        (prev.value(start_col) == cur.value(start_col)).then_some(prev)
    }
}

/// Rates shared by processes and threads.
#[derive(Clone, Copy)]
struct Rater {
    seconds: f64,
    ticks: f64,
}

impl Rater {
    fn new(interval: &Interval) -> Rater {
        Rater {
            seconds: interval.seconds,
            ticks: interval.seconds * ticks_per_sec(interval.cur) as f64,
        }
    }

    fn delta(prev: &TaskRow, cur: &TaskRow, col: usize) -> u64 {
        counter_delta(prev.value(col), cur.value(col))
    }

    fn per_s(&self, prev: &TaskRow, cur: &TaskRow, col: usize) -> f64 {
        Self::delta(prev, cur, col) as f64 / self.seconds
    }

    fn tick_pct(&self, ticks: u64) -> f64 {
        ticks as f64 / self.ticks * 100.0
    }

    /// (%usr, %system, %guest, %CPU) from the utime, stime and guest columns.
    fn cpu(&self, prev: &TaskRow, cur: &TaskRow, cols: [usize; 3]) -> [f64; 4] {
        let [utime, stime, guest] = cols;
        let user = |t: &TaskRow| t.value(utime).saturating_sub(t.value(guest));
        let both = |t: &TaskRow| t.value(utime) + t.value(stime);
        [
            self.tick_pct(counter_delta(user(prev), user(cur))),
            self.tick_pct(Self::delta(prev, cur, stime)),
            self.tick_pct(Self::delta(prev, cur, guest)),
            self.tick_pct(counter_delta(both(prev), both(cur))),
        ]
    }

    fn wait_pct(&self, prev: &TaskRow, cur: &TaskRow, flags: usize, col: usize) -> Option<f64> {
        let both = prev.value(flags) & cur.value(flags) & process_flag::SCHEDSTAT != 0;
        both.then(|| Self::delta(prev, cur, col) as f64 / (self.seconds * 1e9) * 100.0)
    }
}

impl<'a> Interval<'a> {
    /// Every process present in both samples with the same start time, in pid order.
    pub fn processes(&self) -> Vec<ProcessRates<'a>> {
        self.process_rates().into_owned()
    }

    /// The processes' rates ([`Interval::processes`]) borrowed when this interval carries
    /// them already ([`Interval::with_processes`]), derived otherwise.
    pub fn process_rates(&self) -> Cow<'a, [ProcessRates<'a>]> {
        match self.processes {
            Some(rates) => Cow::Borrowed(rates),
            None => Cow::Owned(self.derive_processes()),
        }
    }

    /// The same interval carrying `rates`, its processes' rates derived once
    /// ([`Interval::processes`] of this interval), so that a reader showing several process
    /// views (CPU, memory, I/O) of one interval does not derive them again for each.
    pub fn with_processes<'b>(self, rates: &'b [ProcessRates<'b>]) -> Interval<'b>
    where
        'a: 'b,
    {
        Interval {
            processes: Some(rates),
            ..self
        }
    }

    fn derive_processes(&self) -> Vec<ProcessRates<'a>> {
        use process_col as c;
        let Some(cur_table) = self.cur.table(TableKind::PROCESSES) else {
            return Vec::new();
        };
        let previous = Previous::new(self.prev.table(TableKind::PROCESSES));
        let rater = Rater::new(self);
        let page_kb = page_size(self.cur) / 1024;
        let mem_total = self
            .cur
            .table(TableKind::MEMINFO)
            .and_then(|m| m.get("MemTotal"))
            .unwrap_or(0);
        tasks(cur_table)
            .filter_map(|cur| {
                let prev = previous.find(&cur, c::STARTTIME)?;
                let [usr, system, guest, cpu] =
                    rater.cpu(&prev, &cur, [c::UTIME, c::STIME, c::GUEST]);
                let children = |t: &TaskRow| t.value(c::CUTIME) + t.value(c::CSTIME);
                let rss_kb = cur.value(c::RSS) * page_kb;
                let io_both = prev.value(c::FLAGS) & cur.value(c::FLAGS) & process_flag::IO != 0;
                let kb = |col| rater.per_s(&prev, &cur, col) / 1024.0;
                Some(ProcessRates {
                    pid: cur.id,
                    ppid: cur.value(c::PPID),
                    uid: cur.value(c::UID),
                    starttime: cur.value(c::STARTTIME),
                    state: char::from(u8::try_from(cur.value(c::STATE)).unwrap_or(b'?')),
                    kernel_thread: cur.value(c::FLAGS) & process_flag::KERNEL_THREAD != 0,
                    comm: cur.comm(),
                    cmdline: cur.cmdline(),
                    cgroup: cur.cgroup(),
                    usr_pct: usr,
                    system_pct: system,
                    guest_pct: guest,
                    wait_pct: rater.wait_pct(&prev, &cur, c::FLAGS, c::RUN_DELAY_NS),
                    cpu_pct: cpu,
                    children_cpu_pct: rater
                        .tick_pct(counter_delta(children(&prev), children(&cur))),
                    cpu: cur.value(c::PROCESSOR),
                    minflt_per_s: rater.per_s(&prev, &cur, c::MINFLT),
                    majflt_per_s: rater.per_s(&prev, &cur, c::MAJFLT),
                    vsz_kb: cur.value(c::VSIZE) / 1024,
                    rss_kb,
                    mem_pct: if mem_total > 0 {
                        rss_kb as f64 / mem_total as f64 * 100.0
                    } else {
                        0.0
                    },
                    swap_kb: cur.value(c::SWAP_KB),
                    io: io_both.then(|| IoRates {
                        kb_rd_per_s: kb(c::READ_BYTES),
                        kb_wr_per_s: kb(c::WRITE_BYTES),
                        kb_ccwr_per_s: kb(c::CANCELLED_WRITE_BYTES),
                        iodelay: Rater::delta(&prev, &cur, c::IODELAY),
                        kb_rchar_per_s: kb(c::RCHAR),
                        kb_wchar_per_s: kb(c::WCHAR),
                    }),
                    cswch_per_s: rater.per_s(&prev, &cur, c::VCSW),
                    nvcswch_per_s: rater.per_s(&prev, &cur, c::NVCSW),
                    threads: cur.value(c::THREADS),
                })
            })
            .collect()
    }

    /// Every thread present in both samples with the same start time (pidstat -t), in table
    /// order; empty unless threads were collected.
    pub fn threads(&self) -> Vec<ThreadRates<'a>> {
        use thread_col as c;
        let Some(cur_table) = self.cur.table(TableKind::THREADS) else {
            return Vec::new();
        };
        let previous = Previous::new(self.prev.table(TableKind::THREADS));
        let rater = Rater::new(self);
        tasks(cur_table)
            .filter_map(|cur| {
                let prev = previous.find(&cur, c::STARTTIME)?;
                let [usr, system, guest, cpu] =
                    rater.cpu(&prev, &cur, [c::UTIME, c::STIME, c::GUEST]);
                let io_both = prev.value(c::FLAGS) & cur.value(c::FLAGS) & process_flag::IO != 0;
                let kb = |col| rater.per_s(&prev, &cur, col) / 1024.0;
                Some(ThreadRates {
                    tgid: cur.value(c::TGID),
                    tid: cur.id,
                    state: char::from(u8::try_from(cur.value(c::STATE)).unwrap_or(b'?')),
                    comm: cur.comm(),
                    usr_pct: usr,
                    system_pct: system,
                    guest_pct: guest,
                    wait_pct: rater.wait_pct(&prev, &cur, c::FLAGS, c::RUN_DELAY_NS),
                    cpu_pct: cpu,
                    cpu: cur.value(c::PROCESSOR),
                    minflt_per_s: rater.per_s(&prev, &cur, c::MINFLT),
                    majflt_per_s: rater.per_s(&prev, &cur, c::MAJFLT),
                    io: io_both.then(|| IoRates {
                        kb_rd_per_s: kb(c::READ_BYTES),
                        kb_wr_per_s: kb(c::WRITE_BYTES),
                        kb_ccwr_per_s: kb(c::CANCELLED_WRITE_BYTES),
                        iodelay: Rater::delta(&prev, &cur, c::IODELAY),
                        kb_rchar_per_s: 0.0,
                        kb_wchar_per_s: 0.0,
                    }),
                    cswch_per_s: rater.per_s(&prev, &cur, c::VCSW),
                    nvcswch_per_s: rater.per_s(&prev, &cur, c::NVCSW),
                })
            })
            .collect()
    }

    /// Process creation and the processes seen to start and end in the interval.
    pub fn process_summary(&self) -> Option<ProcessSummary> {
        let cur_table = self.cur.table(TableKind::PROCESSES)?;
        let previous = Previous::new(Some(self.prev.table(TableKind::PROCESSES)?));
        let current = Previous::new(Some(cur_table));
        let new = tasks(cur_table)
            .filter(|t| previous.find(t, process_col::STARTTIME).is_none())
            .count() as u64;
        let exited = previous
            .rows
            .iter()
            .filter(|t| current.find(t, process_col::STARTTIME).is_none())
            .count() as u64;
        let forks = self.tables_value(TableKind::STAT, "processes");
        let summary = |col| {
            self.cur
                .table(TableKind::PROCESS_SUMMARY)
                .and_then(|t| t.row("processes"))
                .and_then(|r| r.value(col))
                .unwrap_or(0)
        };
        Some(ProcessSummary {
            forks_per_s: forks.map(|f| f as f64 / self.seconds),
            new,
            exited,
            unseen: forks.map(|f| f.saturating_sub(new)),
            processes: cur_table.rows.len() as u64,
            threads: summary(process_summary_col::THREADS),
            vanished_during_read: summary(process_summary_col::VANISHED),
        })
    }

    fn tables_value(&self, kind: TableKind, key: &str) -> Option<u64> {
        let prev = self.prev.table(kind)?.get(key)?;
        Some(counter_delta(prev, self.cur.table(kind)?.get(key)?))
    }

    /// Every cgroup present in both samples, in the current sample's walk order.
    pub fn cgroups(&self) -> Vec<CgroupRates<'a>> {
        use cgroup_col as c;
        let (Some(prev_table), Some(cur_table)) = (
            self.prev.table(TableKind::CGROUPS),
            self.cur.table(TableKind::CGROUPS),
        ) else {
            return Vec::new();
        };
        let prev_rows: HashMap<&str, &Row> = prev_table
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r))
            .collect();
        let io = self.cgroup_io();
        let seconds = self.seconds;
        cur_table
            .rows
            .iter()
            .filter_map(|cur| {
                let prev = prev_rows.get(cur.key.as_str())?;
                let v = |col: usize| cur.value(col).unwrap_or(0);
                let d = |col: usize| counter_delta(prev.value(col).unwrap_or(0), v(col));
                let usec_pct = |col: usize| d(col) as f64 / (seconds * 1e6) * 100.0;
                let kb = |col: usize| v(col) / 1024;
                let psi = |base: usize| Pressure {
                    some_avg10: v(base + c::psi::SOME_AVG10) as f64 / 100.0,
                    full_avg10: v(base + c::psi::FULL_AVG10) as f64 / 100.0,
                    some_pct: usec_pct(base + c::psi::SOME_TOTAL_US),
                    full_pct: usec_pct(base + c::psi::FULL_TOTAL_US),
                };
                Some(CgroupRates {
                    path: cur.key.as_str(),
                    flags: v(c::FLAGS),
                    cpu_pct: usec_pct(c::USAGE_USEC),
                    user_pct: usec_pct(c::USER_USEC),
                    system_pct: usec_pct(c::SYSTEM_USEC),
                    throttled_per_s: d(c::NR_THROTTLED) as f64 / seconds,
                    throttled_pct: usec_pct(c::THROTTLED_USEC),
                    memory_kb: kb(c::MEMORY_CURRENT),
                    anon_kb: kb(c::ANON),
                    file_kb: kb(c::FILE),
                    kernel_kb: kb(c::KERNEL),
                    sock_kb: kb(c::SOCK),
                    shmem_kb: kb(c::SHMEM),
                    swap_kb: kb(c::SWAP_CURRENT),
                    pgfault_per_s: d(c::PGFAULT) as f64 / seconds,
                    pgmajfault_per_s: d(c::PGMAJFAULT) as f64 / seconds,
                    events_high: d(c::EVENTS_HIGH),
                    events_max: d(c::EVENTS_MAX),
                    events_oom: d(c::EVENTS_OOM),
                    events_oom_kill: d(c::EVENTS_OOM_KILL),
                    io: io.get(cur.key.as_str()).cloned().unwrap_or_default(),
                    cpu_pressure: psi(c::PSI_CPU),
                    io_pressure: psi(c::PSI_IO),
                    memory_pressure: psi(c::PSI_MEMORY),
                    pids: v(c::PIDS_CURRENT),
                })
            })
            .collect()
    }

    /// `io.stat` rates per cgroup path, summed over the devices present in both samples.
    fn cgroup_io(&self) -> HashMap<&'a str, CgroupIo> {
        use cgroup_io_col as c;
        let mut sums: HashMap<&'a str, CgroupIo> = HashMap::new();
        let (Some(prev_table), Some(cur_table)) = (
            self.prev.table(TableKind::CGROUP_IO),
            self.cur.table(TableKind::CGROUP_IO),
        ) else {
            return sums;
        };
        let prev_rows: HashMap<&str, &Row> = prev_table
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r))
            .collect();
        for cur in &cur_table.rows {
            let (Some(prev), Some((path, _device))) =
                (prev_rows.get(cur.key.as_str()), cur.key.rsplit_once(' '))
            else {
                continue;
            };
            let rate = |col: usize| {
                counter_delta(prev.value(col).unwrap_or(0), cur.value(col).unwrap_or(0)) as f64
                    / self.seconds
            };
            let sum = sums.entry(path).or_default();
            sum.rkb_per_s += rate(c::RBYTES) / 1024.0;
            sum.wkb_per_s += rate(c::WBYTES) / 1024.0;
            sum.rio_per_s += rate(c::RIOS);
            sum.wio_per_s += rate(c::WIOS);
            sum.dkb_per_s += rate(c::DBYTES) / 1024.0;
            sum.dio_per_s += rate(c::DIOS);
        }
        sums
    }
}

/// One thread over an interval (pidstat -t).
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadRates<'a> {
    /// TGID: the id of the process the thread belongs to.
    pub tgid: u64,
    /// TID: the thread's id.
    pub tid: u32,
    /// The thread's state letter at the end of the interval (/proc/PID/task/TID/stat `state`).
    pub state: char,
    /// Command: the thread's name (/proc/PID/task/TID/stat `comm`).
    pub comm: &'a str,
    /// %usr: the thread's user time without guest time, percent of one CPU.
    pub usr_pct: f64,
    /// %system: the thread's kernel time, percent of one CPU.
    pub system_pct: f64,
    /// %guest: the thread's time running a virtual CPU, percent of one CPU.
    pub guest_pct: f64,
    /// %wait: the thread's time waiting on a run queue, percent of one CPU
    /// (/proc/PID/task/TID/schedstat); `None` without schedstat.
    pub wait_pct: Option<f64>,
    /// %CPU: the thread's user and kernel time together, percent of one CPU.
    pub cpu_pct: f64,
    /// The CPU the thread last ran on (/proc/PID/task/TID/stat `processor`).
    pub cpu: u64,
    /// minflt/s: the thread's minor faults per second.
    pub minflt_per_s: f64,
    /// majflt/s: the thread's major faults per second.
    pub majflt_per_s: f64,
    /// `rchar`/`wchar` are not recorded per thread: their rates are 0.
    pub io: Option<IoRates>,
    /// cswch/s: the thread's voluntary context switches per second.
    pub cswch_per_s: f64,
    /// nvcswch/s: the thread's involuntary context switches per second.
    pub nvcswch_per_s: f64,
}

/// Processes over an interval as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessSummary {
    /// Processes and threads created per second (/proc/stat `processes`), if recorded.
    pub forks_per_s: Option<f64>,
    /// Processes present at the end of the interval but not at its start.
    pub new: u64,
    /// Processes present at the start but not at the end.
    pub exited: u64,
    /// Forks not seen as a new process: threads, and processes that started and ended within
    /// the interval (their CPU time reaches their parent's children columns once waited for).
    pub unseen: Option<u64>,
    /// Processes recorded at the end of the interval (rows of the process table).
    pub processes: u64,
    /// Threads of every process at the end of the interval (the process table's summary row).
    pub threads: u64,
    /// Processes that ended while the collector read /proc at the end of the interval (not
    /// recorded).
    pub vanished_during_read: u64,
}

/// A cgroup's `io.stat`, summed over devices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CgroupIo {
    /// rkB/s: kilobytes read per second (io.stat `rbytes` ÷ 1024).
    pub rkb_per_s: f64,
    /// wkB/s: kilobytes written per second (io.stat `wbytes` ÷ 1024).
    pub wkb_per_s: f64,
    /// rio/s: read operations per second (io.stat `rios`).
    pub rio_per_s: f64,
    /// wio/s: write operations per second (io.stat `wios`).
    pub wio_per_s: f64,
    /// dkB/s: kilobytes discarded per second (io.stat `dbytes` ÷ 1024).
    pub dkb_per_s: f64,
    /// dio/s: discard operations per second (io.stat `dios`).
    pub dio_per_s: f64,
}

/// One pressure file of a cgroup.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pressure {
    /// The kernel's 10-second averages at the end of the interval, percent.
    pub some_avg10: f64,
    /// The kernel's 10-second average of the `full` line at the end of the interval, percent.
    pub full_avg10: f64,
    /// Share of the interval with some / all tasks stalled, from the totals, percent.
    pub some_pct: f64,
    /// Share of the interval with every non-idle task of the group stalled at once, from the `full`
    /// total, percent.
    pub full_pct: f64,
}

/// One cgroup over an interval.
#[derive(Clone, Debug, PartialEq)]
pub struct CgroupRates<'a> {
    /// The cgroup's path under the cgroup v2 root (`/system.slice/ssh.service`).
    pub path: &'a str,
    /// [`crate::schema_process::cgroup_flag`] bits of the current sample: which files exist.
    pub flags: u64,
    /// CPU time of the group in percent of one CPU.
    pub cpu_pct: f64,
    /// %usr: the group's user time, percent of one CPU (cpu.stat `user_usec`).
    pub user_pct: f64,
    /// %system: the group's kernel time, percent of one CPU (cpu.stat `system_usec`).
    pub system_pct: f64,
    /// Periods in which the group was throttled by its CPU limit, per second (cpu.stat
    /// `nr_throttled`).
    pub throttled_per_s: f64,
    /// Share of the interval the group was throttled, percent (cpu.stat `throttled_usec`).
    pub throttled_pct: f64,
    /// Memory in use in kB at the end of the interval (memory.current ÷ 1024).
    pub memory_kb: u64,
    /// Anonymous memory in kB (memory.stat `anon`).
    pub anon_kb: u64,
    /// Page cache in kB (memory.stat `file`).
    pub file_kb: u64,
    /// Kernel memory in kB (memory.stat `kernel`).
    pub kernel_kb: u64,
    /// Memory used by network buffers in kB (memory.stat `sock`).
    pub sock_kb: u64,
    /// Shared memory in kB (memory.stat `shmem`).
    pub shmem_kb: u64,
    /// Swap in use in kB (memory.swap.current ÷ 1024).
    pub swap_kb: u64,
    /// Page faults per second (memory.stat `pgfault`).
    pub pgfault_per_s: f64,
    /// Major page faults per second (memory.stat `pgmajfault`).
    pub pgmajfault_per_s: f64,
    /// memory.events counts over the interval.
    pub events_high: u64,
    /// Times the group's usage hit memory.max over the interval (memory.events `max`).
    pub events_max: u64,
    /// Times the group hit its limit and reclaim failed over the interval (memory.events `oom`).
    pub events_oom: u64,
    /// Tasks of the group killed by the OOM killer over the interval (memory.events `oom_kill`).
    pub events_oom_kill: u64,
    /// The group's I/O (io.stat summed over devices).
    pub io: CgroupIo,
    /// The group's CPU pressure (cpu.pressure).
    pub cpu_pressure: Pressure,
    /// The group's I/O pressure (io.pressure).
    pub io_pressure: Pressure,
    /// The group's memory pressure (memory.pressure).
    pub memory_pressure: Pressure,
    /// Tasks in the group at the end of the interval (pids.current).
    pub pids: u64,
}

#[cfg(test)]
#[path = "derive_process_tests.rs"]
mod tests;
