//! Table kinds 40 to 59: processes, threads and cgroups. Numbers are part of the file format.
//!
//! Every table here keeps the rules of [`crate::schema`]: raw cumulative counters as the
//! kernel reports them (rates are derived at read time, see [`crate::derive_process`]), one
//! row per item keyed by the item's identity, columns only ever appended. FORMAT.md's
//! "Tables" section documents the same columns.
//!
//! Designed for the delta codec ([`crate::codec`]): rows are written in a stable order
//! (processes and threads by increasing pid, cgroups in walk order), so a row is matched with
//! the key frame's row at its expected position; a value that did not change costs one byte
//! before compression; text that did not change costs nothing.

use crate::schema::TableKind;

impl TableKind {
    /// One row per process (thread group), in increasing pid order. Key = the pid in
    /// decimal; text = `[comm, cmdline, cgroup]`; values: see [`process_col`]. The identity of
    /// a process is (pid, [`process_col::STARTTIME`]): a reused pid has another start time.
    ///
    /// - `comm`: the command name from `/proc/PID/stat` (between the first `(` and the last
    ///   `)`: it may hold spaces, parentheses and newlines).
    /// - `cmdline`: `/proc/PID/cmdline` with its arguments separated by NUL (`\0`) as the kernel
    ///   gives them, the trailing NUL removed, cut to [`CMDLINE_MAX`] bytes; empty for kernel
    ///   threads, zombies, and when not recorded (`rstat collect --no-cmdline`, see
    ///   [`process_flag::CMDLINE`]). Read when the process is first seen and again when its
    ///   `comm` changes (an `execve`; not for kernel threads, whose names change with their
    ///   work). The environment is never recorded.
    /// - `cgroup`: the process's cgroup v2 path (the `0::` line of `/proc/PID/cgroup`), empty
    ///   on a cgroup v1 host. Read when the process is first seen, when its `comm` changes, and
    ///   every [`CGROUP_REFRESH_SAMPLES`] samples.
    ///
    /// Text that is not valid UTF-8 is stored with U+FFFD in place of the bad bytes.
    pub const PROCESSES: TableKind = TableKind(40);
    /// One row per thread, only when collected (`rstat collect --threads`): every thread of
    /// every process (the main thread included), grouped by process in increasing pid order,
    /// then by increasing thread id. Key = the thread id in decimal; text = `[comm]`; values:
    /// see [`thread_col`].
    pub const THREADS: TableKind = TableKind(41);
    /// One row per cgroup v2 group, in walk order (depth first, parents before children). Key =
    /// the group's path relative to the cgroup v2 root, `/` for the root itself
    /// (`/system.slice/cron.service`); no text; values: see [`cgroup_col`].
    pub const CGROUPS: TableKind = TableKind(42);
    /// One row per (cgroup, device) line of a group's `io.stat`. Key = the group's path, a
    /// space, and the device's `major:minor` (`/system.slice 254:0`: split at the last space);
    /// no text; values: see [`cgroup_io_col`].
    pub const CGROUP_IO: TableKind = TableKind(43);
    /// One row `processes` describing the process and cgroup collection of the sample; values:
    /// see [`process_summary_col`]. Present whenever [`TableKind::PROCESSES`] or
    /// [`TableKind::CGROUPS`] is.
    pub const PROCESS_SUMMARY: TableKind = TableKind(44);
}

/// Longest command line recorded, in bytes (cut at a character boundary). A prefix of this
/// length identifies a process (atop keeps 255 bytes, pidstat 128); compiler command lines of
/// several kB would otherwise dominate the file, as a process that starts after a chunk's key
/// frame is repeated in full in each of the chunk's later delta frames.
pub const CMDLINE_MAX: usize = 1024;

/// A process's cgroup is read again every this many samples (its position in that cycle comes
/// from its pid, so each sample re-reads about 1/64 of the processes).
pub const CGROUP_REFRESH_SAMPLES: u64 = 64;

/// Column indexes of [`TableKind::PROCESSES`] rows. Sources: `/proc/PID/stat` unless said
/// otherwise; times in clock ticks (see [`process_summary_col::TICKS_PER_SEC`]).
pub mod process_col {
    /// Parent pid.
    pub const PPID: usize = 0;
    /// Start time, clock ticks after boot: with the pid, the identity of the process.
    pub const STARTTIME: usize = 1;
    /// Real user id (`/proc/PID/status` `Uid:`, first field).
    pub const UID: usize = 2;
    /// The state letter as an ASCII byte (`R` = 82, `S`, `D`, `Z`, `T`, `t`, `I`, `X`, ...).
    pub const STATE: usize = 3;
    /// Bits of [`super::process_flag`]: which optional sources were read.
    pub const FLAGS: usize = 4;
    /// User time, guest time included (as the kernel counts it).
    pub const UTIME: usize = 5;
    /// System (kernel) time, clock ticks (/proc/PID/stat `stime`).
    pub const STIME: usize = 6;
    /// Time spent running a virtual CPU for a guest.
    pub const GUEST: usize = 7;
    /// User and system time of waited-for children (how short-lived children show up).
    pub const CUTIME: usize = 8;
    /// System time of waited-for children, clock ticks (/proc/PID/stat `cstime`).
    pub const CSTIME: usize = 9;
    /// Minor faults: no page read from disk (/proc/PID/stat `minflt`).
    pub const MINFLT: usize = 10;
    /// Major faults: a page read from disk (/proc/PID/stat `majflt`).
    pub const MAJFLT: usize = 11;
    /// Virtual memory size, bytes.
    pub const VSIZE: usize = 12;
    /// Resident set size, pages (see [`super::process_summary_col::PAGE_SIZE`]).
    pub const RSS: usize = 13;
    /// Swapped-out memory, kB (`/proc/PID/status` `VmSwap:`; 0 for kernel threads).
    pub const SWAP_KB: usize = 14;
    /// Threads in the process (/proc/PID/stat `num_threads`).
    pub const THREADS: usize = 15;
    /// Voluntary context switches (`/proc/PID/status`).
    pub const VCSW: usize = 16;
    /// Involuntary context switches (`/proc/PID/status`).
    pub const NVCSW: usize = 17;
    /// `/proc/PID/io` (all 0 unless [`super::process_flag::IO`] is set).
    pub const RCHAR: usize = 18;
    /// Bytes passed to write() and the like, storage or not (/proc/PID/io `wchar`).
    pub const WCHAR: usize = 19;
    /// Bytes the process caused to be read from storage (/proc/PID/io `read_bytes`).
    pub const READ_BYTES: usize = 20;
    /// Bytes the process caused to be written to storage (/proc/PID/io `write_bytes`).
    pub const WRITE_BYTES: usize = 21;
    /// Bytes whose writing was cancelled by truncating dirty page cache (/proc/PID/io
    /// `cancelled_write_bytes`).
    pub const CANCELLED_WRITE_BYTES: usize = 22;
    /// Aggregated block I/O delay, clock ticks (`delayacct_blkio_ticks`).
    pub const IODELAY: usize = 23;
    /// Time spent waiting on a run queue, ns (`/proc/PID/schedstat`, second field; 0 unless
    /// [`super::process_flag::SCHEDSTAT`] is set).
    pub const RUN_DELAY_NS: usize = 24;
    /// The CPU the process last ran on.
    pub const PROCESSOR: usize = 25;
    /// Nice value plus 20 (0 to 39).
    pub const NICE: usize = 26;
    /// Real-time priority, 0 for normal policies (/proc/PID/stat `rt_priority`).
    pub const RT_PRIORITY: usize = 27;
    /// Scheduling policy (0 normal, 1 FIFO, 2 RR, 3 batch, 5 idle, 6 deadline).
    pub const POLICY: usize = 28;
    /// How many values a row has.
    pub const COUNT: usize = 29;
}

/// Bits of [`process_col::FLAGS`] and [`thread_col::FLAGS`].
pub mod process_flag {
    /// `/proc/PID/io` was read: the I/O columns are valid (it is not readable for other users'
    /// processes unless the collector runs as root).
    pub const IO: u64 = 1;
    /// The command line was recorded (not turned off with `--no-cmdline`).
    pub const CMDLINE: u64 = 2;
    /// A kernel thread (PF_KTHREAD).
    pub const KERNEL_THREAD: u64 = 4;
    /// `/proc/PID/schedstat` was read: the run-delay column is valid.
    pub const SCHEDSTAT: u64 = 8;
    /// The cgroup text was read (a cgroup v2 path, possibly empty on a v1 host).
    pub const CGROUP: u64 = 16;
}

/// Column indexes of [`TableKind::THREADS`] rows, from `/proc/PID/task/TID/{stat,status,io,
/// schedstat}`; the meanings are those of [`process_col`].
pub mod thread_col {
    /// The process (thread group) this thread belongs to.
    pub const TGID: usize = 0;
    /// When the thread started, clock ticks after boot (`starttime`).
    pub const STARTTIME: usize = 1;
    /// The state letter as an ASCII byte.
    pub const STATE: usize = 2;
    /// Bits of [`super::process_flag`]: which optional sources were read.
    pub const FLAGS: usize = 3;
    /// User time, guest time included, clock ticks (`utime`).
    pub const UTIME: usize = 4;
    /// System time, clock ticks (`stime`).
    pub const STIME: usize = 5;
    /// Time running a virtual CPU, clock ticks (`guest_time`).
    pub const GUEST: usize = 6;
    /// Minor faults (`minflt`).
    pub const MINFLT: usize = 7;
    /// Major faults (`majflt`).
    pub const MAJFLT: usize = 8;
    /// Voluntary context switches (`voluntary_ctxt_switches`).
    pub const VCSW: usize = 9;
    /// Involuntary context switches (`nonvoluntary_ctxt_switches`).
    pub const NVCSW: usize = 10;
    /// Bytes the thread caused to be read from storage (`read_bytes`).
    pub const READ_BYTES: usize = 11;
    /// Bytes the thread caused to be written to storage (`write_bytes`).
    pub const WRITE_BYTES: usize = 12;
    /// Bytes whose writing the thread cancelled (`cancelled_write_bytes`).
    pub const CANCELLED_WRITE_BYTES: usize = 13;
    /// Aggregated block I/O delay, clock ticks (`delayacct_blkio_ticks`).
    pub const IODELAY: usize = 14;
    /// Time spent waiting on a run queue, ns (`schedstat` second field).
    pub const RUN_DELAY_NS: usize = 15;
    /// The CPU the thread last ran on (`processor`).
    pub const PROCESSOR: usize = 16;
    /// Nice value plus 20 (0 to 39).
    pub const NICE: usize = 17;
    /// Real-time priority, 0 for normal policies.
    pub const RT_PRIORITY: usize = 18;
    /// Scheduling policy (as [`process_col::POLICY`](super::process_col::POLICY)).
    pub const POLICY: usize = 19;
    /// How many values a row has.
    pub const COUNT: usize = 20;
}

/// Column indexes of [`TableKind::CGROUPS`] rows. A file the group lacks (the root has no
/// `memory.current`; a controller not enabled for the group) leaves its columns 0 and its
/// [`cgroup_flag`] bit clear.
pub mod cgroup_col {
    /// Bits of [`super::cgroup_flag`]: which files were read.
    pub const FLAGS: usize = 0;
    /// `cpu.stat`, µs and counts.
    pub const USAGE_USEC: usize = 1;
    /// User time of the group's tasks, µs (cpu.stat `user_usec`).
    pub const USER_USEC: usize = 2;
    /// System time of the group's tasks, µs (cpu.stat `system_usec`).
    pub const SYSTEM_USEC: usize = 3;
    /// Enforcement periods elapsed under a CPU limit (cpu.stat `nr_periods`).
    pub const NR_PERIODS: usize = 4;
    /// Periods in which the group was throttled (cpu.stat `nr_throttled`).
    pub const NR_THROTTLED: usize = 5;
    /// Time the group was throttled, µs (cpu.stat `throttled_usec`).
    pub const THROTTLED_USEC: usize = 6;
    /// `memory.current`, bytes.
    pub const MEMORY_CURRENT: usize = 7;
    /// `memory.swap.current`, bytes.
    pub const SWAP_CURRENT: usize = 8;
    /// `memory.stat` fields, bytes (the last four are event counts); see [`MEMORY_STAT_KEYS`].
    pub const ANON: usize = 9;
    /// Page cache, bytes (memory.stat `file`).
    pub const FILE: usize = 10;
    /// Kernel memory, bytes (memory.stat `kernel`).
    pub const KERNEL: usize = 11;
    /// Kernel stacks, bytes (memory.stat `kernel_stack`).
    pub const KERNEL_STACK: usize = 12;
    /// Page tables, bytes (memory.stat `pagetables`).
    pub const PAGETABLES: usize = 13;
    /// Network buffers, bytes (memory.stat `sock`).
    pub const SOCK: usize = 14;
    /// Shared memory, bytes (memory.stat `shmem`).
    pub const SHMEM: usize = 15;
    /// Page cache mapped into tasks, bytes (memory.stat `file_mapped`).
    pub const FILE_MAPPED: usize = 16;
    /// Page cache waiting for writeback, bytes (memory.stat `file_dirty`).
    pub const FILE_DIRTY: usize = 17;
    /// Page cache being written back, bytes (memory.stat `file_writeback`).
    pub const FILE_WRITEBACK: usize = 18;
    /// Anonymous memory in transparent huge pages, bytes (memory.stat `anon_thp`).
    pub const ANON_THP: usize = 19;
    /// Anonymous memory not used recently, bytes (memory.stat `inactive_anon`).
    pub const INACTIVE_ANON: usize = 20;
    /// Anonymous memory used recently, bytes (memory.stat `active_anon`).
    pub const ACTIVE_ANON: usize = 21;
    /// Page cache not used recently, bytes (memory.stat `inactive_file`).
    pub const INACTIVE_FILE: usize = 22;
    /// Page cache used recently, bytes (memory.stat `active_file`).
    pub const ACTIVE_FILE: usize = 23;
    /// Memory that cannot be reclaimed, bytes (memory.stat `unevictable`).
    pub const UNEVICTABLE: usize = 24;
    /// Reclaimable slab, bytes (memory.stat `slab_reclaimable`).
    pub const SLAB_RECLAIMABLE: usize = 25;
    /// Unreclaimable slab, bytes (memory.stat `slab_unreclaimable`).
    pub const SLAB_UNRECLAIMABLE: usize = 26;
    /// Page faults, a count (memory.stat `pgfault`).
    pub const PGFAULT: usize = 27;
    /// Major page faults, a count (memory.stat `pgmajfault`).
    pub const PGMAJFAULT: usize = 28;
    /// Refaults of evicted anonymous pages, a count (memory.stat `workingset_refault_anon`).
    pub const WORKINGSET_REFAULT_ANON: usize = 29;
    /// Refaults of evicted page cache, a count (memory.stat `workingset_refault_file`).
    pub const WORKINGSET_REFAULT_FILE: usize = 30;
    /// `memory.events` counts; see [`MEMORY_EVENTS_KEYS`].
    pub const EVENTS_LOW: usize = 31;
    /// Times usage went over memory.high (memory.events `high`).
    pub const EVENTS_HIGH: usize = 32;
    /// Times usage hit memory.max (memory.events `max`).
    pub const EVENTS_MAX: usize = 33;
    /// Times the limit was hit and reclaim failed (memory.events `oom`).
    pub const EVENTS_OOM: usize = 34;
    /// Tasks killed by the OOM killer (memory.events `oom_kill`).
    pub const EVENTS_OOM_KILL: usize = 35;
    /// Times the whole group was killed by the OOM killer (memory.events `oom_group_kill`).
    pub const EVENTS_OOM_GROUP_KILL: usize = 36;
    /// `cpu.pressure`, `io.pressure`, `memory.pressure`: for each, 8 columns from
    /// [`PSI_CPU`], [`PSI_IO`], [`PSI_MEMORY`], in the order of [`psi`].
    pub const PSI_CPU: usize = 37;
    /// First of io.pressure's 8 columns.
    pub const PSI_IO: usize = 45;
    /// First of memory.pressure's 8 columns.
    pub const PSI_MEMORY: usize = 53;
    /// `pids.current`.
    pub const PIDS_CURRENT: usize = 61;
    /// How many values a row has.
    pub const COUNT: usize = 62;

    /// Offsets within one pressure file's 8 columns: `some` then `full`, each avg10, avg60,
    /// avg300 in hundredths of a percent (`0.52` is 52) and total stall time in µs. A file
    /// without a `full` line (cpu.pressure before Linux 5.13) leaves the full columns 0.
    pub mod psi {
        /// `some` line, `avg10`: hundredths of a percent.
        pub const SOME_AVG10: usize = 0;
        /// `some` line, `avg60`: hundredths of a percent.
        pub const SOME_AVG60: usize = 1;
        /// `some` line, `avg300`: hundredths of a percent.
        pub const SOME_AVG300: usize = 2;
        /// `some` line, `total`: stall time in µs.
        pub const SOME_TOTAL_US: usize = 3;
        /// `full` line, `avg10`: hundredths of a percent.
        pub const FULL_AVG10: usize = 4;
        /// `full` line, `avg60`: hundredths of a percent.
        pub const FULL_AVG60: usize = 5;
        /// `full` line, `avg300`: hundredths of a percent.
        pub const FULL_AVG300: usize = 6;
        /// `full` line, `total`: stall time in µs.
        pub const FULL_TOTAL_US: usize = 7;
        /// How many columns one pressure file takes.
        pub const COUNT: usize = 8;
    }

    /// `cpu.stat` keys stored, in column order from [`USAGE_USEC`].
    pub const CPU_STAT_KEYS: [&str; 6] = [
        "usage_usec",
        "user_usec",
        "system_usec",
        "nr_periods",
        "nr_throttled",
        "throttled_usec",
    ];
    /// `memory.stat` keys stored, in column order from [`ANON`].
    pub const MEMORY_STAT_KEYS: [&str; 22] = [
        "anon",
        "file",
        "kernel",
        "kernel_stack",
        "pagetables",
        "sock",
        "shmem",
        "file_mapped",
        "file_dirty",
        "file_writeback",
        "anon_thp",
        "inactive_anon",
        "active_anon",
        "inactive_file",
        "active_file",
        "unevictable",
        "slab_reclaimable",
        "slab_unreclaimable",
        "pgfault",
        "pgmajfault",
        "workingset_refault_anon",
        "workingset_refault_file",
    ];
    /// `memory.events` keys stored, in column order from [`EVENTS_LOW`].
    pub const MEMORY_EVENTS_KEYS: [&str; 6] =
        ["low", "high", "max", "oom", "oom_kill", "oom_group_kill"];
}

/// Bits of [`cgroup_col::FLAGS`]: the files that were read for the group.
pub mod cgroup_flag {
    /// `cpu.stat` was read.
    pub const CPU_STAT: u64 = 1;
    /// `memory.current` was read.
    pub const MEMORY_CURRENT: u64 = 2;
    /// `memory.stat` was read.
    pub const MEMORY_STAT: u64 = 4;
    /// `memory.events` was read.
    pub const MEMORY_EVENTS: u64 = 8;
    /// `io.stat` was read.
    pub const IO_STAT: u64 = 16;
    /// `cpu.pressure` was read.
    pub const CPU_PRESSURE: u64 = 32;
    /// `io.pressure` was read.
    pub const IO_PRESSURE: u64 = 64;
    /// `memory.pressure` was read.
    pub const MEMORY_PRESSURE: u64 = 128;
    /// `pids.current` was read.
    pub const PIDS_CURRENT: u64 = 256;
    /// `memory.swap.current` was read.
    pub const SWAP_CURRENT: u64 = 512;
}

/// Column indexes of [`TableKind::CGROUP_IO`] rows (`io.stat`), cumulative bytes and counts.
pub mod cgroup_io_col {
    /// Bytes read, summed over devices (io.stat `rbytes`).
    pub const RBYTES: usize = 0;
    /// Bytes written, summed over devices (io.stat `wbytes`).
    pub const WBYTES: usize = 1;
    /// Read operations, summed over devices (io.stat `rios`).
    pub const RIOS: usize = 2;
    /// Write operations, summed over devices (io.stat `wios`).
    pub const WIOS: usize = 3;
    /// Bytes discarded, summed over devices (io.stat `dbytes`).
    pub const DBYTES: usize = 4;
    /// Discard operations, summed over devices (io.stat `dios`).
    pub const DIOS: usize = 5;
    /// How many values a row has.
    pub const COUNT: usize = 6;
    /// The `io.stat` keys stored, in column order.
    pub const KEYS: [&str; 6] = ["rbytes", "wbytes", "rios", "wios", "dbytes", "dios"];
}

/// Column indexes of the [`TableKind::PROCESS_SUMMARY`] row `processes`.
pub mod process_summary_col {
    /// Clock ticks per second of the process times (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
    pub const TICKS_PER_SEC: usize = 0;
    /// Bytes per page, for [`super::process_col::RSS`].
    pub const PAGE_SIZE: usize = 1;
    /// Processes recorded in this sample.
    pub const PROCESSES: usize = 2;
    /// Threads of those processes (the sum of their thread counts).
    pub const THREADS: usize = 3;
    /// Processes that vanished while being read (left out: never a partial row).
    pub const VANISHED: usize = 4;
    /// Processes whose `/proc/PID/io` could not be read (permission).
    pub const IO_UNREADABLE: usize = 5;
    /// Which cgroup hierarchy was walked: see [`super::cgroup_mode`].
    pub const CGROUP_MODE: usize = 6;
    /// Cgroups recorded.
    pub const CGROUPS: usize = 7;
    /// Cgroups left out by the walk's bounds (depth, count).
    pub const CGROUPS_SKIPPED: usize = 8;
    /// Wall time the process and cgroup collection of this sample took, µs.
    pub const WALK_US: usize = 9;
    /// How many values the summary row has.
    pub const COUNT: usize = 10;
}

/// Values of [`process_summary_col::CGROUP_MODE`].
pub mod cgroup_mode {
    /// Not collected (`--no-cgroups`) or no cgroup filesystem under the root.
    pub const NONE: u64 = 0;
    /// Only cgroup v1 is mounted: no cgroup data.
    pub const V1_ONLY: u64 = 1;
    /// Pure cgroup v2 at `/sys/fs/cgroup`.
    pub const V2: u64 = 2;
    /// Hybrid: cgroup v2 at `/sys/fs/cgroup/unified`, beside v1 hierarchies.
    pub const HYBRID: u64 = 3;
}
