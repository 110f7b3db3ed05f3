//! Replacing a day file's contents crash-safely (import merges, thinning): the new contents
//! are written to a temporary file in the same directory, synced, and renamed over the old
//! file while the old file's lock is held, so a collector never appends to a file being
//! replaced and a crash at any moment leaves either the old or the new file complete (the
//! temporary file, whose name is not a day file's, is removed by the next rewrite).

use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use nix::fcntl::Flock;

use crate::error::{Error, Result};
use crate::header::FileHeader;
use crate::reader::{FileReader, Item, Record};
use crate::writer::FileWriter;

/// Where the new contents of `path` are written before the rename.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.rewrite"))
}

/// Locks `path` against collectors (non-blocking: a held lock is [`Error::Locked`]).
/// `None` when the file does not exist. The lock is on the file the path names once it is
/// held: one replaced meanwhile (another prune or import) is opened again.
pub fn lock_existing(path: &Path) -> Result<Option<Flock<File>>> {
    lock_existing_with(path, || {})
}

/// [`lock_existing`], running `before_lock` between opening the path and locking it (where
/// a test puts another rewrite).
fn lock_existing_with(path: &Path, mut before_lock: impl FnMut()) -> Result<Option<Flock<File>>> {
    let open = || match File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "open", e)),
    };
    crate::writer::lock_path(path, open, &mut before_lock)
}

/// Replaces `path` (created if absent) with what `fill` writes into a new file with
/// `header`. The caller holds `path`'s lock ([`lock_existing`]) from before it read the old
/// contents until this returns.
pub fn replace(
    path: &Path,
    header: &FileHeader,
    fill: impl FnOnce(&mut FileWriter) -> Result<()>,
) -> Result<()> {
    let temp = temp_path(path);
    let _ = std::fs::remove_file(&temp);
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0o640);
    let written = (|| {
        let mut writer = FileWriter::open(&temp, header, mode)?;
        writer.set_durable(false);
        fill(&mut writer)?;
        drop(writer);
        File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&temp, "sync", e))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, "rename over", e))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, "sync", e))?;
    }
    Ok(())
}

/// Appends a record to a writer.
pub fn append(writer: &mut FileWriter, record: &Record) -> Result<()> {
    match record {
        Record::Sample { sample, carried } => writer.append_sample(sample, *carried),
        Record::Restart { time_us, info } => writer.append_restart(*time_us, info),
        Record::Comment { time_us, text } => writer.append_comment(*time_us, text),
    }
}

/// What a merge did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Records of the new file written.
    pub added: u64,
    /// Records of the new file already in the old one (same kind and time), left out.
    pub duplicates: u64,
}

/// Merges the records of `new` into `path` in time order; a record of the same kind and
/// time as one already in `path` is left out, so merging the same records twice adds nothing.
/// `path` is left untouched when nothing is added. Fails with [`Error::Locked`] while a
/// collector holds `path`.
pub fn merge(path: &Path, new: &Path) -> Result<Merged> {
    let _lock = lock_existing(path)?;
    let mut old_reader = FileReader::open(path)?;
    let header = old_reader.header().clone();
    let mut old_keys = std::collections::HashSet::new();
    while let Some(item) = old_reader.next_item()? {
        match item {
            Item::Record { record, .. } => {
                old_keys.insert(key(&record));
            }
            // Rewriting would drop the damaged bytes, which a later rstat might still read.
            Item::Damaged(damage) => {
                return Err(Error::corrupt(
                    path,
                    damage.start,
                    format!("{damage}; not rewritten (merge into another file)"),
                ))
            }
        }
    }
    let mut merged = Merged::default();
    let mut new_reader = FileReader::open(new)?;
    while let Some(item) = new_reader.next_item()? {
        if let Item::Record { record, .. } = item {
            if old_keys.contains(&key(&record)) {
                merged.duplicates += 1;
            } else {
                merged.added += 1;
            }
        }
    }
    if merged.added == 0 {
        return Ok(merged);
    }
    replace(path, &header, |writer| {
        let mut old = records(FileReader::open(path)?);
        let mut new = records(FileReader::open(new)?);
        let (mut a, mut b) = (old.next().transpose()?, new.next().transpose()?);
        loop {
            let take_old = match (&a, &b) {
                (None, None) => return Ok(()),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(x), Some(y)) => x.time_us() <= y.time_us(),
            };
            if take_old {
                if let Some(record) = a.take() {
                    append(writer, &record)?;
                }
                a = old.next().transpose()?;
            } else {
                if let Some(record) = b.take() {
                    if !old_keys.contains(&key(&record)) {
                        append(writer, &record)?;
                    }
                }
                b = new.next().transpose()?;
            }
        }
    })?;
    Ok(merged)
}

/// The readable records of a file, in file order (damaged ranges are skipped).
pub fn records(mut reader: FileReader) -> impl Iterator<Item = Result<Record>> {
    std::iter::from_fn(move || loop {
        match reader.next_item() {
            Ok(None) => return None,
            Ok(Some(Item::Record { record, .. })) => return Some(Ok(record)),
            Ok(Some(Item::Damaged(_))) => continue,
            Err(e) => return Some(Err(e)),
        }
    })
}

/// What identifies a record across two copies of the same data: kind, time and, for a
/// sample, the uptime (sa files give whole seconds: two collectors' samples can share one).
fn key(record: &Record) -> (u8, i64, u64) {
    match record {
        Record::Sample { sample, carried } => (
            u8::from(!carried),
            record.time_us(),
            sample.uptime_cs().unwrap_or(0),
        ),
        Record::Restart { .. } => (2, record.time_us(), 0),
        Record::Comment { .. } => (3, record.time_us(), 0),
    }
}

#[cfg(test)]
#[path = "rewrite_race_tests.rs"]
mod race_tests;
