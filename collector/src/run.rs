//! The sampling loop behind `rstat collect`: describes the host, takes a sample every
//! interval, appends it to the day's file, and stops cleanly on SIGTERM or SIGINT after
//! finishing the record in progress.
//!
//! Signals are blocked and read from a signalfd that the loop polls while it waits for the
//! next sample, so no handler runs in the middle of a write and no thread is needed.

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::unistd::{sysconf, SysconfVar};
use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::{FileHeader, Sample, TableKind, TimeUs};

use crate::activities::Activities;
use crate::process::ProcessOptions;
pub use crate::run_error::RunError;
use crate::sampler::Sampler;

/// What `rstat collect` was asked to do.
#[derive(Clone, Debug)]
pub struct CollectOptions {
    /// The directory that plays `/` (fixtures in tests, a container's root in production).
    pub root: PathBuf,
    /// Time between samples.
    pub interval: Duration,
    /// Stop after this many samples; `None` runs until a signal.
    pub count: Option<u64>,
    /// Where the samples go: day files in a directory, or one file.
    pub target: Target,
    /// A comment record written before the first sample (`--comment`).
    pub comment: Option<String>,
    /// Permission bits of new files.
    pub file_mode: u32,
    /// fdatasync after every record (on by default; off only for benchmarks of CPU cost).
    pub durable: bool,
    /// Which activity groups to record (`--activities`).
    pub activities: Activities,
    /// Processes, threads and cgroups (`--no-processes`, `--no-cmdline`, `--threads`,
    /// `--no-cgroups`).
    pub processes: ProcessOptions,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// Samples appended to the data files.
    pub samples_written: u64,
    /// Samples that could not be written (each was reported through `warn`).
    pub failed_writes: u64,
    /// The signal that stopped the run, if any.
    pub stopped_by: Option<Signal>,
    /// The file the last sample went to.
    pub last_file: Option<PathBuf>,
}

/// Runs the collector. Problems that do not stop collection (an unreadable /proc file, a
/// failed write, a file deleted under it) are passed to `warn` once each, one line saying
/// what happened to the data; an error that prevents collecting at all (the file is locked,
/// the directory cannot be created) is returned.
pub fn run(options: &CollectOptions, warn: &mut dyn FnMut(&str)) -> Result<RunSummary, RunError> {
    run_announced(options, &mut |_| {}, warn)
}

/// [`run`], calling `started` with the file written to once it is open and locked (before
/// the first sample), so that the caller can say where the samples go.
pub fn run_announced(
    options: &CollectOptions,
    started: &mut dyn FnMut(&Path),
    warn: &mut dyn FnMut(&str),
) -> Result<RunSummary, RunError> {
    collect_loop(options, started, warn, AtEnd::Release)
}

/// [`run_announced`] for a process that exits as soon as it returns (`rstat collect`): the
/// sampler's open /proc files, the compression contexts and the data file (with its lock,
/// after the last record is written and synced) are left to the kernel to release at exit
/// rather than closed and freed one by one. A one-shot run spent ~5% of its CPU in those
/// drops (closing ~30 files, unmapping zstd's contexts); nothing is buffered in them.
/// Calling it from a process that goes on leaks them: tests and libraries use
/// [`run_announced`].
pub fn run_announced_then_exit(
    options: &CollectOptions,
    started: &mut dyn FnMut(&Path),
    warn: &mut dyn FnMut(&str),
) -> Result<RunSummary, RunError> {
    collect_loop(options, started, warn, AtEnd::LeaveToExit)
}

/// What [`collect_loop`] does with its sampler and writer when it ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AtEnd {
    /// Drop them: close every file, free every buffer.
    Release,
    /// Forget them: the process exits next, and the kernel closes and frees in bulk.
    LeaveToExit,
}

fn collect_loop(
    options: &CollectOptions,
    started: &mut dyn FnMut(&Path),
    warn: &mut dyn FnMut(&str),
    at_end: AtEnd,
) -> Result<RunSummary, RunError> {
    let signals = SignalWatch::new()?;
    let mut sampler = Sampler::with_activities(&options.root, options.activities);
    sampler.enable_processes(&options.root, options.processes);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    let header = host_header(&options.root, &sample);
    let mut writer = DailyWriter::new(options.target.clone(), header, options.file_mode);
    writer.set_durable(options.durable);
    writer.prepare(now_us()).map_err(RunError::from_data)?;
    if let Some(path) = writer.current_path() {
        started(path);
    }
    if let Some(text) = &options.comment {
        writer
            .append_comment(now_us(), text)
            .map_err(RunError::from_data)?;
    }

    let mut summary = RunSummary {
        samples_written: 0,
        failed_writes: 0,
        stopped_by: None,
        last_file: None,
    };
    let mut last_error = String::new();
    let mut lost_in_a_row = 0u64;
    let start = Instant::now();
    let mut first = true;
    loop {
        if !first {
            sampler.sample(&mut sample);
        }
        first = false;
        sample.time_us = now_us();
        for warning in sampler.take_warnings() {
            warn(&warning);
        }
        let appended = writer.append_sample(&sample);
        for warning in writer.take_warnings() {
            warn(&warning);
        }
        match appended {
            Ok(()) => {
                summary.samples_written += 1;
                if lost_in_a_row > 0 {
                    warn(&format!(
                        "writing works again; {lost_in_a_row} sample(s) were lost while it failed"
                    ));
                }
                lost_in_a_row = 0;
                last_error.clear();
            }
            Err(e) => {
                summary.failed_writes += 1;
                lost_in_a_row += 1;
                let message = e.to_string();
                // One line per problem, not one per sample.
                if message != last_error {
                    warn(&format!("{message}; collection continues"));
                    last_error = message;
                }
            }
        }
        summary.last_file = writer.current_path().map(Path::to_path_buf);
        let taken = summary.samples_written + summary.failed_writes;
        if options.count.is_some_and(|count| taken >= count) {
            break;
        }
        // Sleep to the next multiple of the interval since the start, so that the schedule
        // does not drift by the time sampling takes; after a stall, skip the missed ones.
        let interval = options.interval.max(Duration::from_millis(1));
        let elapsed = start.elapsed();
        let next = interval * (elapsed.as_nanos() / interval.as_nanos()) as u32 + interval;
        if let Some(signal) = signals.wait(next.saturating_sub(elapsed))? {
            summary.stopped_by = Some(signal);
            break;
        }
    }
    if at_end == AtEnd::LeaveToExit {
        // Every record is complete in the file (and synced when durable) by now: the drops
        // would only close and free what exit releases anyway.
        std::mem::forget(writer);
        std::mem::forget(sampler);
        std::mem::forget(sample);
    }
    Ok(summary)
}

fn now_us() -> TimeUs {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as TimeUs)
}

/// SIGTERM, SIGINT and SIGHUP, blocked and readable from a signalfd.
struct SignalWatch {
    fd: SignalFd,
}

impl SignalWatch {
    fn new() -> Result<SignalWatch, RunError> {
        let mut mask = SigSet::empty();
        for signal in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
            mask.add(signal);
        }
        mask.thread_block()
            .map_err(RunError::system("block signals"))?;
        let fd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
            .map_err(RunError::system("create a signalfd"))?;
        Ok(SignalWatch { fd })
    }

    /// Waits up to `timeout`; returns the signal that arrived, if one did.
    fn wait(&self, timeout: Duration) -> Result<Option<Signal>, RunError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            // Round up so that the wait never ends just before the deadline.
            let millis = u16::try_from(left.as_micros().div_ceil(1000)).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(self.fd.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(millis)) {
                Ok(0) if left.is_zero() || Instant::now() >= deadline => return Ok(None),
                Ok(0) => continue,
                Ok(_) => {
                    return match self.fd.read_signal() {
                        Ok(Some(info)) => Ok(Signal::try_from(info.ssi_signo as i32).ok()),
                        Ok(None) => Ok(None),
                        Err(e) => Err(RunError::system("read a signal")(e)),
                    };
                }
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(RunError::system("wait for the next sample")(e)),
            }
        }
    }
}

/// Describes the host for a new file's header, from files under `root` where they exist.
pub fn host_header(root: &Path, sample: &Sample) -> FileHeader {
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path))
            .ok()
            .map(|s| s.trim().to_string())
    };
    let uname = nix::sys::utsname::uname().ok();
    let from_uname = |f: fn(&nix::sys::utsname::UtsName) -> &std::ffi::OsStr| {
        uname
            .as_ref()
            .map(|u| f(u).to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let cpu_count = sample
        .table(TableKind::CPU)
        .map(|t| t.rows.iter().filter(|r| r.key != "cpu").count() as u32)
        .unwrap_or(0);
    let sysconf_u32 = |var| {
        sysconf(var)
            .ok()
            .flatten()
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    let (time_zone, utc_offset_s) = local_zone(root);
    FileHeader {
        host: read("proc/sys/kernel/hostname").unwrap_or_else(|| from_uname(|u| u.nodename())),
        kernel_release: read("proc/sys/kernel/osrelease")
            .unwrap_or_else(|| from_uname(|u| u.release())),
        arch: from_uname(|u| u.machine()),
        cpu_count,
        ticks_per_sec: sysconf_u32(SysconfVar::CLK_TCK),
        page_size: sysconf_u32(SysconfVar::PAGE_SIZE),
        boot_time: sample
            .table(TableKind::STAT)
            .and_then(|t| t.get("btime"))
            .unwrap_or(0) as i64,
        boot_id: sample.boot_id().unwrap_or_default().to_string(),
        time_zone,
        utc_offset_s,
        created_us: now_us(),
        writer: format!("rstat {}", env!("CARGO_PKG_VERSION")),
    }
}

/// The local time zone's name (from TZ, /etc/timezone or the /etc/localtime link) and the
/// current offset from UTC.
fn local_zone(root: &Path) -> (String, i32) {
    let offset = chrono::Local::now().offset().local_minus_utc();
    let name = std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .filter(|tz| !tz.is_empty())
        .or_else(|| {
            std::fs::read_to_string(root.join("etc/timezone"))
                .ok()
                .map(|s| s.trim().to_string())
        })
        .or_else(|| {
            let link = std::fs::read_link(root.join("etc/localtime")).ok()?;
            let link = link.to_string_lossy();
            link.split_once("zoneinfo/")
                .map(|(_, name)| name.to_string())
        })
        .unwrap_or_default();
    (name, offset)
}
