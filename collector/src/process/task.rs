//! Reading one task (a process or a thread): its stat, status, io and schedstat files under
//! `/proc`, into reused buffers, with the rule "never a partial record": if the task vanishes
//! (ENOENT/ESRCH) while being read, the whole task is left out of the sample. An io or
//! schedstat file that cannot be read while the task is still there (permission; a kernel
//! built without task I/O accounting or schedstats) only leaves its columns out (flag bit
//! clear).

use std::fmt;
use std::os::fd::RawFd;

use rstat_data_format::schema_process::{process_col, process_flag, thread_col};

use super::held::{pread_all, read_slot, HeldFiles, Opener};
use super::read::{read_at, ReadError, TaskPath};
use super::stat::{self, ProcStat};
use super::status::{self, Io, Status};
use crate::proc::ParseError;

/// Largest stat file read (a line of ~52 numbers and a comm of at most 64 bytes).
const STAT_LIMIT: usize = 4096;
/// Largest status file read (long Cpus_allowed lists on big machines).
const STATUS_LIMIT: usize = 64 * 1024;
const SMALL_LIMIT: usize = 4096;

/// Why a task is left out of the sample.
#[derive(Debug)]
pub(crate) enum Skip {
    /// It exited while being read: not a problem.
    Gone,
    /// Its stat or status could not be read or parsed: warned about once.
    Failed(String),
}

impl From<ParseError> for Skip {
    fn from(error: ParseError) -> Skip {
        Skip::Failed(error.to_string())
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Gone => f.write_str("it exited"),
            Skip::Failed(message) => f.write_str(message),
        }
    }
}

/// What was read of one task.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TaskData {
    pub(crate) stat: ProcStat,
    pub(crate) status: Status,
    /// `None` when /proc/PID/io was not readable.
    pub(crate) io: Option<Io>,
    /// `None` when /proc/PID/schedstat was not readable.
    pub(crate) run_delay_ns: Option<u64>,
}

impl TaskData {
    /// [`process_flag`] bits for what was read.
    pub(crate) fn flags(&self) -> u64 {
        let mut flags = 0;
        if self.io.is_some() {
            flags |= process_flag::IO;
        }
        if self.run_delay_ns.is_some() {
            flags |= process_flag::SCHEDSTAT;
        }
        if self.stat.is_kernel_thread() {
            flags |= process_flag::KERNEL_THREAD;
        }
        flags
    }

    fn nice(&self) -> u64 {
        u64::try_from(self.stat.nice.clamp(-20, 19) + 20).unwrap_or(0)
    }

    /// The values of a process row (see [`process_col`]); `flags` adds the text flags.
    pub(crate) fn process_values(&self, flags: u64) -> [u64; process_col::COUNT] {
        let (s, st) = (&self.stat, &self.status);
        let io = self.io.unwrap_or_default();
        [
            s.ppid,
            s.starttime,
            st.uid,
            u64::from(s.state),
            self.flags() | flags,
            s.utime,
            s.stime,
            s.guest_time,
            s.cutime,
            s.cstime,
            s.minflt,
            s.majflt,
            s.vsize,
            s.rss,
            st.swap_kb,
            s.num_threads,
            st.voluntary_ctxt_switches,
            st.nonvoluntary_ctxt_switches,
            io.rchar,
            io.wchar,
            io.read_bytes,
            io.write_bytes,
            io.cancelled_write_bytes,
            s.delayacct_blkio_ticks,
            self.run_delay_ns.unwrap_or(0),
            s.processor,
            self.nice(),
            s.rt_priority,
            s.policy,
        ]
    }

    /// The values of a thread row (see [`thread_col`]).
    pub(crate) fn thread_values(&self, tgid: u32) -> [u64; thread_col::COUNT] {
        let (s, st) = (&self.stat, &self.status);
        let io = self.io.unwrap_or_default();
        [
            u64::from(tgid),
            s.starttime,
            u64::from(s.state),
            self.flags(),
            s.utime,
            s.stime,
            s.guest_time,
            s.minflt,
            s.majflt,
            st.voluntary_ctxt_switches,
            st.nonvoluntary_ctxt_switches,
            io.read_bytes,
            io.write_bytes,
            io.cancelled_write_bytes,
            s.delayacct_blkio_ticks,
            self.run_delay_ns.unwrap_or(0),
            s.processor,
            self.nice(),
            s.rt_priority,
            s.policy,
        ]
    }
}

/// Reads tasks under an open `/proc` directory with reused buffers.
#[derive(Default)]
pub(crate) struct TaskReader {
    pub(crate) path: TaskPath,
    pub(crate) opener: Opener,
    /// The last stat file read: [`ProcStat::comm`] indexes into it.
    pub(crate) stat_buf: Vec<u8>,
    stat_len: usize,
    buf: Vec<u8>,
    /// For the command line and the cgroup file.
    pub(crate) text_buf: Vec<u8>,
}

impl TaskReader {
    /// A reader of the processes under `proc_dir` (`ROOT/proc`).
    pub(crate) fn new(proc_dir: &std::path::Path) -> TaskReader {
        TaskReader {
            opener: Opener::new(proc_dir),
            ..TaskReader::default()
        }
    }

    /// The command name of the last task read.
    pub(crate) fn comm(&self, data: &TaskData) -> &[u8] {
        data.stat.comm(&self.stat_buf[..self.stat_len])
    }

    /// Reads a thread: `PID/task/TID/{stat,status,io,schedstat}` under `proc_fd`, opened
    /// and closed each time (`self.path` must be set with `set_thread` first).
    pub(crate) fn read_thread(&mut self, proc_fd: RawFd, tid: u32) -> Result<TaskData, Skip> {
        let file = self.path.file(b"stat");
        self.stat_len = read_at(proc_fd, file, &mut self.stat_buf, STAT_LIMIT, true)
            .map_err(|e| failure(e, stat::FILE))?;
        let stat = self.parse_stat(tid)?;
        let file = self.path.file(b"status");
        let len = read_at(proc_fd, file, &mut self.buf, STATUS_LIMIT, true)
            .map_err(|e| failure(e, status::STATUS_FILE))?;
        let status = status::parse_status(&self.buf[..len])?;
        let file = self.path.file(b"io");
        let io = match read_at(proc_fd, file, &mut self.buf, SMALL_LIMIT, true) {
            Ok(len) => status::parse_io(&self.buf[..len]).ok(),
            Err(ReadError::Gone) => self.thread_still_there(proc_fd)?,
            Err(_) => None,
        };
        let run_delay_ns = self.read_schedstat(proc_fd)?;
        Ok(TaskData {
            stat,
            status,
            io,
            run_delay_ns,
        })
    }

    /// Reads a process through its kept files (see [`super::held`]), opening those not kept
    /// yet and keeping them if `keep`: stat, schedstat and io every time; status only when
    /// the process (its main thread) ran since the status was last read, as told by its
    /// schedstat run time and timeslices, or when `files.retry()` asked for it. Otherwise
    /// the cached status is used: its uid and context switches cannot have changed (they
    /// change only while the main thread runs; schedstat is read before status, so a switch
    /// after a status read shows as a schedstat change at the next sample). `VmSwap` can
    /// change while a process sleeps: it is refreshed by the periodic `retry`.
    pub(crate) fn read_process(
        &mut self,
        files: &mut HeldFiles,
        keep: bool,
    ) -> Result<TaskData, Skip> {
        let pid = files.pid;
        self.stat_len = read_slot(
            &mut files.stat,
            &mut self.opener,
            pid,
            "stat",
            keep,
            &mut self.stat_buf,
            STAT_LIMIT,
        )
        .map_err(|e| failure(e, stat::FILE))?;
        let stat = self.parse_stat(pid)?;
        if files.starttime != Some(stat.starttime) {
            // Another process under this pid (or the first read): nothing cached applies.
            files.starttime = Some(stat.starttime);
            files.last_status = None;
            files.io_denied = false;
            files.sched_missing = false;
        }
        let sched = if files.sched_missing {
            None
        } else {
            let len = read_slot(
                &mut files.schedstat,
                &mut self.opener,
                pid,
                "schedstat",
                keep,
                &mut self.buf,
                SMALL_LIMIT,
            );
            match len {
                Ok(len) => status::parse_schedstat(&self.buf[..len]).ok(),
                Err(ReadError::Gone) if self.process_still_there(files) => {
                    files.sched_missing = true;
                    None
                }
                Err(ReadError::Gone) => return Err(Skip::Gone),
                Err(_) => None,
            }
        };
        let status = match (files.last_status, sched) {
            (Some((status, run_ns, slices)), Some(now))
                if now.run_ns == run_ns && now.timeslices == slices =>
            {
                // Did not run: close the status file until it runs again.
                files.status = None;
                status
            }
            _ => {
                let len = read_slot(
                    &mut files.status,
                    &mut self.opener,
                    pid,
                    "status",
                    keep,
                    &mut self.buf,
                    STATUS_LIMIT,
                )
                .map_err(|e| failure(e, status::STATUS_FILE))?;
                let status = status::parse_status(&self.buf[..len])?;
                files.last_status = sched.map(|now| (status, now.run_ns, now.timeslices));
                status
            }
        };
        let io = if files.io_denied {
            None
        } else {
            let len = read_slot(
                &mut files.io,
                &mut self.opener,
                pid,
                "io",
                keep,
                &mut self.buf,
                SMALL_LIMIT,
            );
            match len {
                Ok(len) => status::parse_io(&self.buf[..len]).ok(),
                Err(ReadError::Gone) if !self.process_still_there(files) => return Err(Skip::Gone),
                Err(_) => {
                    files.io_denied = true;
                    None
                }
            }
        };
        Ok(TaskData {
            stat,
            status,
            io,
            run_delay_ns: sched.map(|s| s.run_delay_ns),
        })
    }

    fn parse_stat(&self, id: u32) -> Result<ProcStat, Skip> {
        let stat = stat::parse(&self.stat_buf[..self.stat_len])?;
        if stat.pid != id {
            return Err(Skip::Failed(format!(
                "{}: reports id {} for {id}",
                stat::FILE,
                stat.pid
            )));
        }
        Ok(stat)
    }

    /// The run delay from the current task's schedstat (`self.path`'s base), `None` when it
    /// cannot be read (kernel without schedstats).
    fn read_schedstat(&mut self, proc_fd: RawFd) -> Result<Option<u64>, Skip> {
        let file = self.path.file(b"schedstat");
        match read_at(proc_fd, file, &mut self.buf, SMALL_LIMIT, true) {
            Ok(len) => Ok(status::parse_schedstat(&self.buf[..len])
                .ok()
                .map(|s| s.run_delay_ns)),
            Err(ReadError::Gone) => self.thread_still_there(proc_fd),
            Err(_) => Ok(None),
        }
    }

    /// After an optional file of the current thread was not found: `Ok(None)` if the thread
    /// is still there (a kernel without that file), `Err(Skip::Gone)` if it exited.
    fn thread_still_there<T>(&mut self, proc_fd: RawFd) -> Result<Option<T>, Skip> {
        let file = self.path.file(b"stat");
        match read_at(proc_fd, file, &mut self.buf, STAT_LIMIT, true) {
            Ok(_) => Ok(None),
            Err(_) => Err(Skip::Gone),
        }
    }

    /// After an optional file of process `files.pid` was not found: whether the process is
    /// still there (a kernel without task I/O accounting or schedstats has no such file).
    fn process_still_there(&mut self, files: &HeldFiles) -> bool {
        match &files.stat {
            Some(stat) => pread_all(stat, &mut self.buf, STAT_LIMIT).is_ok(),
            None => self.opener.open(files.pid, "stat").is_ok(),
        }
    }

    /// Reads a text file of the current task (cmdline, cgroup) into `text_buf`; `Ok(None)`
    /// when it exists but cannot be read.
    pub(crate) fn read_text(
        &mut self,
        proc_fd: RawFd,
        name: &[u8],
        limit: usize,
    ) -> Result<Option<&[u8]>, Skip> {
        let file = self.path.file(name);
        // cmdline is read from the process's memory page by page: read until the end.
        match read_at(proc_fd, file, &mut self.text_buf, limit, false) {
            Ok(len) => Ok(Some(&self.text_buf[..len])),
            Err(ReadError::Gone) => Err(Skip::Gone),
            Err(_) => Ok(None),
        }
    }
}

fn failure(error: ReadError, file: &str) -> Skip {
    match error {
        ReadError::Gone => Skip::Gone,
        ReadError::Denied => Skip::Failed(format!("{file}: permission denied")),
        ReadError::Other(errno) => Skip::Failed(format!("{file}: {}", errno.desc())),
    }
}
