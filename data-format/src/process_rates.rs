//! The per-process record of an interval ([`ProcessRates`], pidstat's -u, -r, -d, -w and -v
//! figures in one) and its I/O part: the types alone, apart from their derivation in
//! [`crate::derive_process`], so that an [`crate::derive::Interval`] can carry rates a reader
//! derived once for several process views.

/// I/O of a task over an interval (pidstat -d).
#[derive(Clone, Debug, PartialEq)]
pub struct IoRates {
    /// kB_rd/s: kilobytes the task caused to be read from storage per second (/proc/PID/io
    /// `read_bytes`).
    pub kb_rd_per_s: f64,
    /// kB_wr/s: kilobytes the task caused to be written to storage per second (/proc/PID/io
    /// `write_bytes`).
    pub kb_wr_per_s: f64,
    /// kB_ccwr/s: kilobytes whose writing the task cancelled (truncated dirty page cache) per
    /// second (/proc/PID/io `cancelled_write_bytes`).
    pub kb_ccwr_per_s: f64,
    /// Block I/O delay over the interval, clock ticks (pidstat's iodelay).
    pub iodelay: u64,
    /// Bytes passed to read()/write() and the like (storage or not), kB/s.
    pub kb_rchar_per_s: f64,
    /// Bytes passed to write() and the like (storage or not), kB/s (/proc/PID/io `wchar`).
    pub kb_wchar_per_s: f64,
}

/// One process over an interval: pidstat -u, -r, -d, -w and -v in one record.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessRates<'a> {
    /// PID: the process id.
    pub pid: u32,
    /// PPID: the parent's process id (/proc/PID/stat field 4).
    pub ppid: u64,
    /// UID: the real user id (/proc/PID/status `Uid`).
    pub uid: u64,
    /// When the process started, clock ticks after boot (/proc/PID/stat `starttime`): with the pid,
    /// what tells a reused pid apart.
    pub starttime: u64,
    /// The state letter at the end of the interval.
    pub state: char,
    /// Whether it is a kernel thread (PF_KTHREAD in /proc/PID/stat `flags`).
    pub kernel_thread: bool,
    /// Command: the command name (/proc/PID/stat `comm`, at most 15 bytes).
    pub comm: &'a str,
    /// As stored (NUL-separated, see `display_cmdline` in [`crate::derive_process`]).
    pub cmdline: &'a str,
    /// The cgroup v2 path it belongs to (/proc/PID/cgroup), empty when not recorded.
    pub cgroup: &'a str,
    /// %usr: user time without guest time, percent of one CPU (/proc/PID/stat `utime` -
    /// `guest_time`).
    pub usr_pct: f64,
    /// %system: kernel time, percent of one CPU (/proc/PID/stat `stime`).
    pub system_pct: f64,
    /// %guest: time running a virtual CPU, percent of one CPU (/proc/PID/stat `guest_time`).
    pub guest_pct: f64,
    /// Waiting on a run queue; `None` without schedstat.
    pub wait_pct: Option<f64>,
    /// %CPU: user and kernel time together, percent of one CPU (can exceed 100 on several CPUs).
    pub cpu_pct: f64,
    /// CPU time of children that ended and were waited for in the interval.
    pub children_cpu_pct: f64,
    /// The CPU it last ran on.
    pub cpu: u64,
    /// minflt/s: minor faults (no page read from disk) per second (/proc/PID/stat `minflt`).
    pub minflt_per_s: f64,
    /// majflt/s: major faults (a page read from disk) per second (/proc/PID/stat `majflt`).
    pub majflt_per_s: f64,
    /// VSZ: virtual memory size in kB at the end of the interval (/proc/PID/stat `vsize`).
    pub vsz_kb: u64,
    /// RSS: resident memory in kB at the end of the interval (/proc/PID/stat `rss` × page size).
    pub rss_kb: u64,
    /// RSS in percent of MemTotal (0 when the sample has no meminfo).
    pub mem_pct: f64,
    /// Swapped-out memory in kB at the end of the interval (/proc/PID/status `VmSwap`).
    pub swap_kb: u64,
    /// `None` when /proc/PID/io was not readable in either sample.
    pub io: Option<IoRates>,
    /// cswch/s: voluntary context switches (the task waited for something) per second
    /// (/proc/PID/status `voluntary_ctxt_switches`).
    pub cswch_per_s: f64,
    /// nvcswch/s: involuntary context switches (the scheduler took the CPU away) per second
    /// (/proc/PID/status `nonvoluntary_ctxt_switches`).
    pub nvcswch_per_s: f64,
    /// Threads: the process's thread count at the end of the interval (/proc/PID/stat
    /// `num_threads`).
    pub threads: u64,
}
