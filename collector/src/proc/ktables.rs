//! Kernel tables (sar -v) → [`TableKind::KTABLES`]: `/proc/sys/fs/dentry-state`, `file-nr`,
//! `inode-state` and `/proc/sys/kernel/pty/nr`, one row each (see
//! [`schema_system::ktables`](rstat_data_format::schema_system::ktables)), every number of
//! the file stored.
//! Each file is read separately (one missing file drops only its row); [`parse_row`] parses one
//! of them, [`parse`] all four at once (for tests and fuzzing).
//!
//! [`TableKind::KTABLES`]: rstat_data_format::schema::TableKind::KTABLES

use rstat_data_format::schema::Table;
use rstat_data_format::schema_system::ktables;

use super::{Lines, ParseError};

/// One of the kernel-table files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `/proc/sys/fs/dentry-state`.
    DentryState,
    /// `/proc/sys/fs/file-nr`.
    FileNr,
    /// `/proc/sys/fs/inode-state`.
    InodeState,
    /// `/proc/sys/kernel/pty/nr`.
    PtyNr,
}

impl Source {
    /// Every kernel-table file, in row order.
    pub const ALL: [Source; 4] = [
        Source::DentryState,
        Source::FileNr,
        Source::InodeState,
        Source::PtyNr,
    ];

    /// The file, as named in errors (its path under the root without the leading `/`).
    pub fn file(self) -> &'static str {
        match self {
            Source::DentryState => "/proc/sys/fs/dentry-state",
            Source::FileNr => "/proc/sys/fs/file-nr",
            Source::InodeState => "/proc/sys/fs/inode-state",
            Source::PtyNr => "/proc/sys/kernel/pty/nr",
        }
    }

    /// The row it fills.
    pub fn key(self) -> &'static str {
        match self {
            Source::DentryState => ktables::DENTRY_STATE,
            Source::FileNr => ktables::FILE_NR,
            Source::InodeState => ktables::INODE_STATE,
            Source::PtyNr => ktables::PTY_NR,
        }
    }

    /// How many numbers the file has at least (dentry-state has 6, inode-state 7).
    fn min_values(self) -> usize {
        match self {
            Source::DentryState | Source::InodeState => 2,
            Source::FileNr => 3,
            Source::PtyNr => 1,
        }
    }
}

/// Parses the numbers of one kernel-table file into `values` (cleared first).
pub fn parse_row(source: Source, bytes: &[u8], values: &mut Vec<u64>) -> Result<(), ParseError> {
    values.clear();
    let file = source.file();
    let line = Lines::new(file, bytes)
        .next_nonblank()
        .ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    line.fields().rest_into(values, "a number")?;
    if values.len() < source.min_values() {
        return Err(line.error(format!(
            "{} numbers, expected at least {}",
            values.len(),
            source.min_values()
        )));
    }
    Ok(())
}

/// Refills `table` from `files` (the bytes of each source, in [`Source::ALL`] order; `None`
/// for a file that could not be read, which gets no row).
pub fn parse(files: [Option<&[u8]>; 4], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let mut result = Ok(());
    for (source, bytes) in Source::ALL.into_iter().zip(files) {
        let Some(bytes) = bytes else { continue };
        let row = fill.row(source.key());
        if let Err(error) = parse_row(source, bytes, &mut row.values) {
            result = Err(error);
            break;
        }
    }
    fill.finish();
    result
}
