//! Errors of the viewer, by kind, each with what to do next: a data file that cannot be
//! replayed (data-format's error kept as the source: file, offset, locked, not rstat), a key
//! map that is wrong (file and line), the terminal, or a time that is not on the day shown.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// What went wrong in `rstat top`.
#[derive(Debug)]
pub enum Error {
    /// A day file could not be read or walked.
    Data(rstat_data_format::Error),
    /// A day file is empty: not even a header.
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// None of the files holds a sample yet.
    NoSamples {
        /// The files given.
        paths: Vec<PathBuf>,
    },
    /// A key map file could not be read.
    KeyMapRead {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A key map is wrong.
    KeyMap {
        /// The file (or other origin) of the text.
        origin: String,
        /// The line of the entry.
        line: usize,
        /// What is wrong (the entry and the rule).
        what: String,
    },
    /// The terminal could not be set up (`setup`) or failed while running.
    Terminal {
        /// Whether it failed while being set up.
        setup: bool,
        /// Why.
        source: io::Error,
    },
    /// A typed time is not a time of the day shown.
    BadTime {
        /// The text typed.
        text: String,
        /// The day shown, when the time does not exist on it (a clock change).
        missing_on: Option<chrono::NaiveDate>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Data(error) => write!(f, "{error}"),
            Error::EmptyFile { path } => write!(
                f,
                "{}: the file is empty (not even a header); pass a file written by `rstat collect`",
                path.display()
            ),
            Error::NoSamples { paths } => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "{}: no samples recorded yet; run `rstat collect` or pick another file",
                    names.join(", ")
                )
            }
            Error::KeyMapRead { path, source } => {
                write!(f, "{}: cannot read: {source}", path.display())
            }
            Error::KeyMap { origin, line, what } => write!(f, "{origin}:{line}: {what}"),
            Error::Terminal {
                setup: true,
                source,
            } => {
                write!(f, "cannot set up the terminal: {source}")
            }
            Error::Terminal {
                setup: false,
                source,
            } => write!(f, "terminal: {source}"),
            Error::BadTime {
                text,
                missing_on: None,
            } => write!(f, "`{text}`: type a time as HH:MM or HH:MM:SS"),
            Error::BadTime {
                text,
                missing_on: Some(date),
            } => write!(f, "{text} does not exist on {date} (clock change)"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Data(error) => Some(error),
            Error::KeyMapRead { source, .. } | Error::Terminal { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rstat_data_format::Error> for Error {
    fn from(error: rstat_data_format::Error) -> Error {
        Error::Data(error)
    }
}

/// The command line prints errors as one line.
impl From<Error> for String {
    fn from(error: Error) -> String {
        error.to_string()
    }
}

/// A result of the viewer.
pub type Result<T> = std::result::Result<T, Error>;
