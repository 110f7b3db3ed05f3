//! Reading small kernel files relative to an open directory, into reused buffers, without
//! allocating: `openat` + `read` + `close` on raw descriptors (nix), paths built in a reused
//! byte buffer. This is the hot path of process sampling: three or four files per process per
//! sample.

use std::io::Write as _;
use std::os::fd::RawFd;

use nix::errno::Errno;
use nix::fcntl::{openat, OFlag};
use nix::sys::stat::Mode;
use nix::unistd::{close, read};

/// Why a file could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The process or thread exited (ENOENT, ESRCH): not an error, it is just gone.
    Gone,
    /// Not allowed (EACCES, EPERM): e.g. another user's /proc/PID/io when not root.
    Denied,
    /// Anything else.
    Other(Errno),
}

impl From<Errno> for ReadError {
    fn from(errno: Errno) -> ReadError {
        match errno {
            Errno::ENOENT | Errno::ESRCH => ReadError::Gone,
            Errno::EACCES | Errno::EPERM => ReadError::Denied,
            other => ReadError::Other(other),
        }
    }
}

/// How much a read adds to a buffer that is full.
const GROW: usize = 4096;

/// Reads the file `path` (relative to the directory `dir`) into `buf`, at most `limit` bytes,
/// and returns how many bytes were read: the content is `buf[..n]`. `buf` keeps its length
/// (zero-filled once) between calls, so a buffer that has grown is never filled again.
///
/// With `single_record`, a read that returns less than asked is taken as the end of the file:
/// true for regular files and for the /proc and cgroup files that the kernel generates in one
/// piece (stat, status, io, schedstat, cgroup, cpu.stat, memory.stat, ...), and it saves a
/// system call per file. Without it, reading goes on until a read returns 0.
pub(crate) fn read_at(
    dir: RawFd,
    path: &[u8],
    buf: &mut Vec<u8>,
    limit: usize,
    single_record: bool,
) -> Result<usize, ReadError> {
    let fd = openat(
        Some(dir),
        path,
        OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY,
        Mode::empty(),
    )?;
    let result = read_fd(fd, buf, limit, single_record);
    // Nothing useful can be done about a failed close of a read-only descriptor.
    let _ = close(fd);
    result
}

fn read_fd(
    fd: RawFd,
    buf: &mut Vec<u8>,
    limit: usize,
    single_record: bool,
) -> Result<usize, ReadError> {
    let mut filled = 0;
    while filled < limit {
        if buf.len() == filled {
            buf.resize(filled + GROW.max(filled), 0);
        }
        let end = buf.len().min(limit);
        let n = loop {
            match read(fd, &mut buf[filled..end]) {
                Err(Errno::EINTR) => continue,
                other => break other?,
            }
        };
        if n == 0 {
            break;
        }
        filled += n;
        if single_record && filled < end {
            break;
        }
    }
    Ok(filled)
}

/// A reused path buffer for `PID/file` and `PID/task/TID/file`.
#[derive(Default)]
pub(crate) struct TaskPath {
    bytes: Vec<u8>,
    base: usize,
}

impl TaskPath {
    /// Paths under `PID/`.
    pub(crate) fn set_process(&mut self, pid: u32) {
        self.bytes.clear();
        // Writing to a Vec cannot fail.
        let _ = write!(self.bytes, "{pid}/");
        self.base = self.bytes.len();
    }

    /// Paths under `PID/task/TID/`.
    pub(crate) fn set_thread(&mut self, pid: u32, tid: u32) {
        self.bytes.clear();
        let _ = write!(self.bytes, "{pid}/task/{tid}/");
        self.base = self.bytes.len();
    }

    /// The path of `name` under the current base.
    pub(crate) fn file(&mut self, name: &[u8]) -> &[u8] {
        self.bytes.truncate(self.base);
        self.bytes.extend_from_slice(name);
        &self.bytes
    }
}

/// Parses a directory entry name made only of ASCII digits as a pid or tid.
pub(crate) fn parse_id(name: &[u8]) -> Option<u32> {
    if name.is_empty() || name.len() > 10 || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    crate::proc::parse_u64(name).and_then(|id| u32::try_from(id).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_paths() {
        let mut path = TaskPath::default();
        path.set_process(42);
        assert_eq!(path.file(b"stat"), b"42/stat");
        assert_eq!(path.file(b"io"), b"42/io");
        path.set_thread(42, 7);
        assert_eq!(path.file(b"status"), b"42/task/7/status");
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id(b"1"), Some(1));
        assert_eq!(parse_id(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_id(b"4294967296"), None);
        assert_eq!(parse_id(b"self"), None);
        assert_eq!(parse_id(b""), None);
        assert_eq!(parse_id(b"12a"), None);
    }

    #[test]
    fn errors_are_classified() {
        assert_eq!(ReadError::from(Errno::ENOENT), ReadError::Gone);
        assert_eq!(ReadError::from(Errno::ESRCH), ReadError::Gone);
        assert_eq!(ReadError::from(Errno::EACCES), ReadError::Denied);
        assert_eq!(ReadError::from(Errno::EIO), ReadError::Other(Errno::EIO));
    }

    #[test]
    fn reads_whole_files_and_respects_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("f"), &content).unwrap();
        let fd = openat(
            None,
            dir.path(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
        let mut buf = Vec::new();
        for single in [false, true] {
            let n = read_at(fd, b"f", &mut buf, usize::MAX, single).unwrap();
            assert_eq!(&buf[..n], &content[..]);
            let n = read_at(fd, b"f", &mut buf, 100, single).unwrap();
            assert_eq!(&buf[..n], &content[..100]);
        }
        assert_eq!(
            read_at(fd, b"missing", &mut buf, 10, true),
            Err(ReadError::Gone)
        );
        close(fd).unwrap();
    }
}
