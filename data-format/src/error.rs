//! Errors of the file container: every one names the file and, where it applies, the byte
//! offset, so that a one-line message tells the user what is wrong and where.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong with a daily file.
#[derive(Debug)]
pub enum Error {
    /// An I/O error while doing `action` on `path`.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What was being done (`open`, `read`, `lock`), for the message.
        action: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file does not start with rstat's magic bytes.
    NotRstat {
        /// The file concerned.
        path: PathBuf,
    },
    /// The file was written by a newer rstat whose major format version we cannot read.
    FutureVersion {
        /// The file concerned.
        path: PathBuf,
        /// The file's major format version.
        major: u16,
    },
    /// The header (or another structure at `offset`) is damaged.
    Corrupt {
        /// The file concerned.
        path: PathBuf,
        /// Byte offset of the damaged structure in the file.
        offset: u64,
        /// What is wrong, for the message.
        what: String,
    },
    /// Another collector holds the file's write lock.
    Locked {
        /// The file concerned.
        path: PathBuf,
        /// The holder's process id, when the lock says.
        pid: Option<u32>,
    },
    /// A sample or record could not be encoded (should not happen with valid data).
    Encode {
        /// What could not be encoded and why.
        what: String,
    },
    /// The path is not a regular file (`what` says what it is).
    NotRegular {
        /// The file concerned.
        path: PathBuf,
        /// What the path is instead (`a directory`, `a FIFO`).
        what: &'static str,
    },
    /// A collector refuses to write through this path (a symbolic link, another owner).
    Unsafe {
        /// The file concerned.
        path: PathBuf,
        /// Why it is refused.
        what: String,
    },
    /// A record could not be appended: it is lost, and the file was brought back to a state
    /// where every later record decodes. `torn_left` is the count of partial-record bytes
    /// that could not be removed (readers skip them; the next record starts a new chunk).
    Append {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
        /// Partial-record bytes left at the end of the file.
        torn_left: u64,
    },
    /// The record was written but could not be flushed to disk: it may be lost in a crash.
    Sync {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
}

impl Error {
    pub(crate) fn io(path: &Path, action: &'static str, source: io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    pub(crate) fn corrupt(path: &Path, offset: u64, what: impl Into<String>) -> Error {
        Error::Corrupt {
            path: path.to_path_buf(),
            offset,
            what: what.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, action, source } => {
                write!(f, "{}: cannot {action}: {source}", path.display())
            }
            Error::NotRstat { path } => write!(
                f,
                "{}: not an rstat data file (bad magic at byte 0); pass a file written by `rstat collect`",
                path.display()
            ),
            Error::FutureVersion { path, major } => write!(
                f,
                "{}: written by a newer rstat (format version {major}); upgrade rstat to read it",
                path.display()
            ),
            Error::Corrupt { path, offset, what } => {
                write!(f, "{}: damaged at byte {offset}: {what}", path.display())
            }
            Error::Locked { path, pid: Some(pid) } => write!(
                f,
                "{}: locked by another collector (pid {pid}); stop it or write to another --file/--dir",
                path.display()
            ),
            Error::Locked { path, pid: None } => write!(
                f,
                "{}: locked by another collector; stop it or write to another --file/--dir",
                path.display()
            ),
            Error::Encode { what } => write!(f, "cannot encode {what}"),
            Error::NotRegular { path, what } => write!(
                f,
                "{}: {what}, not a regular file; pass an rstat data file",
                path.display()
            ),
            Error::Unsafe { path, what } => write!(
                f,
                "{}: refused: {what}; remove it or write to another --file/--dir",
                path.display()
            ),
            Error::Append {
                path,
                source,
                torn_left: 0,
            } => write!(
                f,
                "{}: cannot append: {source} ({}); the record is lost, the file is intact",
                path.display(),
                hint(source)
            ),
            Error::Append {
                path,
                source,
                torn_left,
            } => write!(
                f,
                "{}: cannot append: {source} ({}); the record is lost and {torn_left} partial \
                 bytes stay in the file (readers skip them)",
                path.display(),
                hint(source)
            ),
            Error::Sync { path, source } => write!(
                f,
                "{}: cannot flush to disk: {source}; the record may be lost in a crash ({})",
                path.display(),
                hint(source)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. }
            | Error::Append { source, .. }
            | Error::Sync { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What to do about a failed write.
fn hint(source: &io::Error) -> &'static str {
    match source.raw_os_error() {
        Some(nix::libc::ENOSPC) | Some(nix::libc::EDQUOT) => "free space on its file system",
        Some(nix::libc::EPERM) | Some(nix::libc::EACCES) => {
            "check the file's attributes and permissions (chattr -i)"
        }
        Some(nix::libc::EFBIG) => "the file size limit was reached; raise it (ulimit -f)",
        _ => "check the disk and the kernel log",
    }
}

/// A result whose error is data-format's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
