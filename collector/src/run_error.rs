//! Why `rstat collect` could not collect at all, typed so that callers can tell a file
//! locked by another collector from a data file that cannot be written and from a failure of
//! the process's own machinery (signals, waiting). Each message says what happened, to which
//! file, and what to do; `source()` keeps the underlying error.

use std::fmt;

use rstat_data_format::Error as DataError;

/// An error that stops a collector before or between samples.
#[derive(Debug)]
pub enum RunError {
    /// Another collector holds the data file's lock (the inner error names the file and pid).
    Locked(DataError),
    /// The data file or its directory cannot be opened, created or written.
    Data(DataError),
    /// Signal handling or waiting failed: `action` is what the collector was doing.
    System {
        /// What the collector was doing, e.g. "wait for a signal".
        action: &'static str,
        /// The system's error.
        source: nix::errno::Errno,
    },
}

impl RunError {
    /// Classifies an error of the data-format crate.
    pub fn from_data(error: DataError) -> RunError {
        match error {
            DataError::Locked { .. } => RunError::Locked(error),
            other => RunError::Data(other),
        }
    }

    pub(crate) fn system(action: &'static str) -> impl FnOnce(nix::errno::Errno) -> RunError {
        move |source| RunError::System { action, source }
    }

    /// Whether another collector holds the file.
    pub fn is_locked(&self) -> bool {
        matches!(self, RunError::Locked(_))
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Locked(e) | RunError::Data(e) => e.fmt(f),
            RunError::System { action, source } => write!(
                f,
                "cannot {action}: {source}; this is a problem of the system, not of the data \
                 files (check the process limits)"
            ),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Locked(e) | RunError::Data(e) => Some(e),
            RunError::System { source, .. } => Some(source),
        }
    }
}
