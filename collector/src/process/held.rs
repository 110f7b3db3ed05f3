//! Open files of known processes, kept from one sample to the next and re-read with
//! `pread(fd, buf, 0)` (the kernel regenerates a /proc seq file read from offset 0).
//!
//! Why: on the machines measured, opening and closing a /proc/PID file cost more than reading
//! it (the kernel builds a new dentry and inode for /proc/PID/... at every open): stat,
//! status and io of a process took ~34 µs opened each time and ~13 µs re-read through kept
//! descriptors. The price is kernel memory: each kept file holds its seq_file buffer (one
//! page): stat, schedstat and io of every process and status of a running one, ~12 to
//! 16 KiB per process; [`budget`] bounds the number of processes whose files are
//! kept (beyond it, files are opened and closed each sample as before).
//!
//! A kept descriptor refers to the process it was opened for, never to a later process that
//! reuses the pid: when that process ends, reading gives ESRCH, the files are closed and the
//! pid's files are opened again (the new process).

use std::ffi::OsStr;
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::path::Path;

use nix::errno::Errno;
use nix::sys::resource::{getrlimit, setrlimit, Resource};

use super::read::ReadError;
use super::status::Status;

/// Most processes whose files are kept open (3 or 4 descriptors and 12 to 16 KiB of kernel
/// memory each).
pub const HELD_PROCESSES_MAX: usize = 2048;
/// Descriptors left for everything else (daily files, cgroup walk, threads).
const FD_RESERVE: u64 = 256;

/// How many processes may keep their files open: [`HELD_PROCESSES_MAX`], within the
/// descriptor limit. Raises the soft RLIMIT_NOFILE towards the hard one when that is needed
/// (what systemd recommends for programs that need many descriptors; rstat uses poll, never
/// select, so descriptors above 1024 are fine).
pub(crate) fn budget() -> usize {
    let wanted = HELD_PROCESSES_MAX as u64 * 4 + FD_RESERVE;
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return 0;
    };
    let mut limit = soft;
    if soft < wanted && hard > soft {
        let raised = wanted.min(hard);
        if setrlimit(Resource::RLIMIT_NOFILE, raised, hard).is_ok() {
            limit = raised;
        }
    }
    usize::try_from(limit.saturating_sub(FD_RESERVE) / 4)
        .unwrap_or(0)
        .min(HELD_PROCESSES_MAX)
}

/// What is kept of one known process between samples: its open files (a `None` file is
/// opened at its next read) and the last status read, for the samples in which the process
/// did not run (see `TaskReader::read_process`).
#[derive(Debug, Default)]
pub(crate) struct HeldFiles {
    pub(crate) pid: u32,
    /// Start time of the process these belong to (`None` before its first stat).
    pub(crate) starttime: Option<u64>,
    pub(crate) stat: Option<File>,
    pub(crate) schedstat: Option<File>,
    pub(crate) io: Option<File>,
    /// Kept only while the process runs (idle processes read their status rarely).
    pub(crate) status: Option<File>,
    /// /proc/PID/io could not be read (EACCES; or absent: a kernel without task I/O
    /// accounting): not tried again until [`HeldFiles::retry`].
    pub(crate) io_denied: bool,
    /// /proc/PID/schedstat is absent (a kernel without schedstats): likewise.
    pub(crate) sched_missing: bool,
    /// The status last read and the schedstat (run time, timeslices) read just before it.
    pub(crate) last_status: Option<(Status, u64, u64)>,
}

impl HeldFiles {
    pub(crate) fn new(pid: u32) -> HeldFiles {
        HeldFiles {
            pid,
            ..HeldFiles::default()
        }
    }

    /// Whether any file is kept (a failure then may mean the pid was reused).
    pub(crate) fn holds_any(&self) -> bool {
        self.stat.is_some() || self.schedstat.is_some() || self.io.is_some()
    }

    /// Forgets failures on io and schedstat and the cached status (the periodic refresh).
    pub(crate) fn retry(&mut self) {
        self.io_denied = false;
        self.sched_missing = false;
        self.last_status = None;
    }
}

/// Opens `ROOT/proc/PID/NAME` with a path built in a reused buffer.
#[derive(Default)]
pub(crate) struct Opener {
    path: Vec<u8>,
    base: usize,
}

impl Opener {
    pub(crate) fn new(proc_dir: &Path) -> Opener {
        let mut path = proc_dir.as_os_str().as_bytes().to_vec();
        path.push(b'/');
        let base = path.len();
        Opener { path, base }
    }

    pub(crate) fn open(&mut self, pid: u32, name: &str) -> Result<File, ReadError> {
        self.path.truncate(self.base);
        self.path
            .extend_from_slice(super::decimal(&mut [0; 10], pid).as_bytes());
        self.path.push(b'/');
        self.path.extend_from_slice(name.as_bytes());
        File::open(Path::new(OsStr::from_bytes(&self.path))).map_err(io_error)
    }
}

/// Reads all of `file` from offset 0 into `buf` (kept at its length between calls, like
/// `read::read_at`), at most `limit` bytes; returns the length read.
pub(crate) fn pread_all(file: &File, buf: &mut Vec<u8>, limit: usize) -> Result<usize, ReadError> {
    let mut filled = 0;
    while filled < limit {
        if buf.len() == filled {
            buf.resize(filled + 4096.max(filled), 0);
        }
        let end = buf.len().min(limit);
        let n = loop {
            match file.read_at(&mut buf[filled..end], filled as u64) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other.map_err(io_error)?,
            }
        };
        if n == 0 {
            break;
        }
        filled += n;
        // A /proc seq file read from 0 with room to spare returned all of it.
        if filled < end {
            break;
        }
    }
    Ok(filled)
}

fn io_error(error: std::io::Error) -> ReadError {
    match error.raw_os_error() {
        Some(code) => ReadError::from(Errno::from_raw(code)),
        None => ReadError::Other(Errno::EIO),
    }
}

/// Reads the kept file in `slot`, opening it first if needed (and keeping it if `keep`). A
/// failure closes it.
pub(crate) fn read_slot(
    slot: &mut Option<File>,
    opener: &mut Opener,
    pid: u32,
    name: &str,
    keep: bool,
    buf: &mut Vec<u8>,
    limit: usize,
) -> Result<usize, ReadError> {
    if let Some(file) = slot {
        return match pread_all(file, buf, limit) {
            Ok(len) => Ok(len),
            Err(error) => {
                *slot = None;
                Err(error)
            }
        };
    }
    let file = opener.open(pid, name)?;
    let len = pread_all(&file, buf, limit)?;
    if keep {
        *slot = Some(file);
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_through_a_kept_file_see_new_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("7")).unwrap();
        std::fs::write(dir.path().join("7/stat"), b"first").unwrap();
        let mut opener = Opener::new(dir.path());
        let (mut slot, mut buf) = (None, Vec::new());
        let len = read_slot(&mut slot, &mut opener, 7, "stat", true, &mut buf, 100).unwrap();
        assert_eq!(&buf[..len], b"first");
        assert!(slot.is_some());
        // Rewritten in place (as the kernel regenerates a /proc file).
        std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join("7/stat"))
            .unwrap()
            .write_at(b"again", 0)
            .unwrap();
        let len = read_slot(&mut slot, &mut opener, 7, "stat", true, &mut buf, 100).unwrap();
        assert_eq!(&buf[..len], b"again");
        assert_eq!(
            read_slot(&mut None, &mut opener, 8, "stat", true, &mut buf, 100),
            Err(ReadError::Gone)
        );
    }

    #[test]
    fn the_budget_is_bounded() {
        assert!(budget() <= HELD_PROCESSES_MAX);
    }
}
