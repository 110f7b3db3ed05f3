//! Per-process, per-thread and per-cgroup collection: the tables of
//! `rstat_data_format::schema_process` (PROCESSES, THREADS, CGROUPS, CGROUP_IO and
//! PROCESS_SUMMARY), filled by [`ProcessSampler::fill`] once per sample.
//!
//! Cost is what drives the design (a sample of ~1,100 processes must cost a fraction of
//! atop's; on the measured VM opening a /proc/PID file costs more than reading it):
//! - `ROOT/proc` is opened once and listed with `getdents` through one `Dir`;
//! - per process and sample: `stat` (most fields), `schedstat` (run delay, and whether the
//!   process ran) and `io`, re-read with `pread` through descriptors kept open from one sample
//!   to the next (see `held`; bounded, with their kernel memory); `status` (uid, context
//!   switches, swap) only when the process ran since it was last read, and every
//!   `CGROUP_REFRESH_SAMPLES` samples. The command line and cgroup are read only for a process
//!   not seen before (identity: pid + start time), again when its command name changes (an
//!   execve), and its cgroup every `CGROUP_REFRESH_SAMPLES` samples;
//! - every file goes into a reused buffer and the rows are updated in place, in pid order: a
//!   known process keeps its row, text and all, so unchanged text is never copied, a
//!   steady-state sample allocates nothing, and the delta codec finds each row at its
//!   expected position.
//!
//! Processes come and go between two reads: a process that vanishes while being read is left
//! out of the sample (never a partial row) and counted in the summary. A process that started
//! and ended between two samples is only counted (/proc/stat `processes`, and its parent's
//! children-time columns once it is waited for): the process connector and taskstats need
//! privileges and are not used.

mod cgroup;
pub mod cgroup_files;
pub mod drm;
mod held;
pub mod read;
pub mod stat;
pub mod status;
mod table;
mod task;
pub mod text;
mod threads;

use std::path::Path;
use std::time::Instant;

use nix::dir::Dir;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;
use nix::unistd::{sysconf, SysconfVar};
use rstat_data_format::schema::{Row, Sample, TableKind};
use rstat_data_format::schema_process::process_summary_col;

use self::cgroup::CgroupWalker;
use self::drm::DrmScanner;
use self::read::parse_id;
use self::task::TaskReader;
use crate::gpu::fdinfo::DrmUsage;

/// What to collect (`rstat collect --no-processes --no-cmdline --threads --no-cgroups`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessOptions {
    /// Record processes.
    pub processes: bool,
    /// Record command lines (they may hold secrets).
    pub cmdline: bool,
    /// Record every thread of every process too.
    pub threads: bool,
    /// Record cgroup v2 groups.
    pub cgroups: bool,
}

impl Default for ProcessOptions {
    /// What `rstat collect` does by default: processes with command lines, and cgroups.
    fn default() -> Self {
        ProcessOptions {
            processes: true,
            cmdline: true,
            threads: false,
            cgroups: true,
        }
    }
}

/// Most rows of vanished processes kept for reuse by new ones.
const POOL_MAX: usize = 256;

/// Warnings given once per collector run.
#[derive(Clone, Copy)]
enum Warned {
    ProcDir = 1,
    TaskFailed = 2,
}

/// Collects processes, threads and cgroups under a root; see the module doc.
pub struct ProcessSampler {
    options: ProcessOptions,
    proc_path: std::path::PathBuf,
    /// `ROOT/proc`, opened at the first sample (and again after a failure).
    proc_dir: Option<Dir>,
    cgroups: CgroupWalker,
    reader: TaskReader,
    pids: Vec<u32>,
    /// Rows of vanished processes, reused for new ones.
    pool: Vec<Row>,
    /// Kept files of known processes, in pid order (see [`held`]).
    held: Vec<held::HeldFiles>,
    /// How many processes may keep their files open.
    held_budget: usize,
    tids: Vec<u32>,
    samples: u64,
    ticks_per_sec: u64,
    page_size: u64,
    warned: u32,
    /// Each process's DRM files, when GPUs are collected.
    drm: Option<DrmScanner>,
}

impl ProcessSampler {
    /// `root` plays "/": processes are read from `ROOT/proc`, cgroups from
    /// `ROOT/sys/fs/cgroup` (pure v2) or `ROOT/sys/fs/cgroup/unified` (hybrid).
    pub fn new(root: &Path, options: ProcessOptions) -> ProcessSampler {
        let sysconf_u64 = |var, default| {
            sysconf(var)
                .ok()
                .flatten()
                .and_then(|v| u64::try_from(v).ok())
                .filter(|&v| v > 0)
                .unwrap_or(default)
        };
        ProcessSampler {
            options,
            proc_path: root.join("proc"),
            proc_dir: None,
            cgroups: CgroupWalker::new(root),
            reader: TaskReader::new(&root.join("proc")),
            pids: Vec::new(),
            pool: Vec::new(),
            held: Vec::new(),
            held_budget: held::budget(),
            tids: Vec::new(),
            samples: 0,
            ticks_per_sec: sysconf_u64(SysconfVar::CLK_TCK, 100),
            page_size: sysconf_u64(SysconfVar::PAGE_SIZE, 4096),
            warned: 0,
            drm: None,
        }
    }

    /// Also reads each process's DRM files (`/proc/PID/fdinfo`) during the walk.
    pub fn enable_drm(&mut self, root: &Path) {
        self.drm = Some(DrmScanner::new(root));
    }

    /// The DRM usage of the last sample's processes, by pid (empty unless enabled).
    pub fn drm_usage(&self) -> &[DrmUsage] {
        self.drm.as_ref().map_or(&[], DrmScanner::usage)
    }

    /// What this collection records.
    pub fn options(&self) -> ProcessOptions {
        self.options
    }

    /// Refills the process, thread, cgroup and summary tables of `sample` in place. A table
    /// with nothing to record (no process directory under the root, no cgroup v2) is left
    /// out. Problems are queued in `warnings`, each kind once per run.
    pub fn fill(&mut self, sample: &mut Sample, warnings: &mut Vec<String>) {
        let start = Instant::now();
        let mut summary = [0u64; process_summary_col::COUNT];
        summary[process_summary_col::TICKS_PER_SEC] = self.ticks_per_sec;
        summary[process_summary_col::PAGE_SIZE] = self.page_size;
        if let Some(drm) = self.drm.as_mut() {
            drm.begin();
        }
        let processes =
            self.options.processes && self.fill_processes(sample, &mut summary, warnings);
        if !processes {
            sample.remove_table(TableKind::PROCESSES);
        }
        if !processes || !self.options.threads {
            sample.remove_table(TableKind::THREADS);
        }
        if let Some(drm) = self.drm.as_mut() {
            drm.finish();
        }
        let cgroups = self.options.cgroups && self.cgroups.fill(sample, &mut summary, warnings);
        if !cgroups {
            sample.remove_table(TableKind::CGROUPS);
            sample.remove_table(TableKind::CGROUP_IO);
        }
        self.samples += 1;
        if !processes && !cgroups {
            sample.remove_table(TableKind::PROCESS_SUMMARY);
            return;
        }
        summary[process_summary_col::WALK_US] =
            u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
        let mut fill = sample.table_mut(TableKind::PROCESS_SUMMARY).refill();
        fill.row("processes").values.extend_from_slice(&summary);
        fill.finish();
    }

    fn warn_once(&mut self, which: Warned, warnings: &mut Vec<String>, message: String) {
        if self.warned & which as u32 == 0 {
            self.warned |= which as u32;
            warnings.push(message);
        }
    }

    /// Lists `ROOT/proc` into `self.pids` (sorted). False when it cannot be listed.
    fn list_pids(&mut self, warnings: &mut Vec<String>) -> bool {
        if self.proc_dir.is_none() {
            let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
            match Dir::open(&self.proc_path, flags, Mode::empty()) {
                Ok(dir) => self.proc_dir = Some(dir),
                Err(errno) => {
                    let message = format!(
                        "cannot open {}: {}; processes are not recorded until it can be read",
                        self.proc_path.display(),
                        errno.desc()
                    );
                    self.warn_once(Warned::ProcDir, warnings, message);
                    return false;
                }
            }
        }
        self.pids.clear();
        let Some(dir) = self.proc_dir.as_mut() else {
            return false;
        };
        let mut complete = true;
        for entry in dir.iter() {
            match entry {
                Ok(entry) => {
                    if let Some(pid) = parse_id(entry.file_name().to_bytes()) {
                        self.pids.push(pid);
                    }
                }
                Err(_) => {
                    complete = false;
                    break;
                }
            }
        }
        if !complete {
            // Reopen at the next sample rather than trust a half-listed directory.
            self.proc_dir = None;
            return false;
        }
        if !self.pids.windows(2).all(|pair| pair[0] < pair[1]) {
            self.pids.sort_unstable();
            self.pids.dedup();
        }
        true
    }
}

/// `value` in decimal, written into `buf` (no allocation).
pub(crate) fn decimal(buf: &mut [u8; 10], mut value: u32) -> &str {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[start..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_every_width() {
        for value in [0, 7, 10, 4_194_304, u32::MAX] {
            assert_eq!(decimal(&mut [0; 10], value), value.to_string());
        }
    }
}
