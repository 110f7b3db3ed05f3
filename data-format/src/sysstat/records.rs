//! Reading a sysstat data file record by record: the header and activity list once, then
//! statistics, restart and comment records in file order.
//!
//! Nothing the file says is trusted: every count and size is checked against sysstat's own
//! bounds and against the bytes left in the file before anything is allocated, so a hostile
//! file costs at most its own size in time and one record in memory. sa files have no sync
//! markers, so the first record that does not fit ends the reading: it is reported as damage
//! (with its byte offset), and every record before it has been returned.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::layout::{
    Activity, Encoding, Fields, FileHeader, FileMagic, RecordHeader, Types, COMMENT_LEN,
    EXTRA_DESC_LEN, FILE_MAGIC_LEN, FORMAT_MAGIC, MAX_ACTIVITIES, MAX_ACTIVITY_BYTES,
    MAX_ACTIVITY_DESC_LEN, MAX_EXTRA_LEN, MAX_EXTRA_NR, MAX_HEADER_LEN, MAX_RECORD_HEADER_LEN,
    R_COMMENT, R_LAST_STATS, R_RESTART, R_STATS,
};
use crate::error::{Error, Result};
use crate::reader::Damage;

/// One activity's items in a statistics record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityData {
    /// Index into [`SaReader::activities`].
    pub index: usize,
    /// Items in this record (each of `nr2` sub-items).
    pub count: u32,
    /// `count * nr2` structures of the activity's size, as written.
    pub bytes: Vec<u8>,
}

/// A record of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaRecord {
    Stats {
        header: RecordHeader,
        data: Vec<ActivityData>,
    },
    Restart {
        header: RecordHeader,
        /// CPUs plus one, as sysstat counts them.
        cpu_nr: u32,
    },
    Comment {
        header: RecordHeader,
        text: String,
    },
}

/// Reads one sa file from start to end.
pub struct SaReader {
    path: PathBuf,
    input: BufReader<File>,
    pos: u64,
    len: u64,
    pub magic: FileMagic,
    pub header: FileHeader,
    pub activities: Vec<Activity>,
    enc: Encoding,
    done: bool,
}

/// Why a record could not be read: where it starts and what is wrong.
type Stop = (u64, String);

/// The offset of a [`Stop`] that is an I/O error, not damage.
const IO_ERROR: u64 = u64::MAX;

/// Reads the next `n` bytes (naming `what` in errors).
type Take<'a> = dyn FnMut(u64, &str) -> std::result::Result<Vec<u8>, Stop> + 'a;

impl SaReader {
    /// Opens `path` and reads its header and activity list.
    pub fn open(path: &Path) -> Result<SaReader> {
        let file = crate::safe_open::open_for_reading(path)?;
        let len = file
            .metadata()
            .map_err(|e| Error::io(path, "stat", e))?
            .len();
        let mut reader = SaHeaderReader {
            path,
            input: BufReader::with_capacity(64 * 1024, file),
            pos: 0,
            len,
        };
        let bytes = reader.take(FILE_MAGIC_LEN as u64, "file magic")?;
        let magic = FileMagic::parse(&bytes).ok_or_else(|| {
            Error::corrupt(path, 0, "not a sysstat data file (bad magic at byte 0)")
        })?;
        if magic.format_magic != FORMAT_MAGIC {
            return Err(Error::corrupt(
                path,
                2,
                format!(
                    "sysstat data file of format {:#06x} (written by sysstat {}): rstat reads \
                     format {FORMAT_MAGIC:#06x} (sysstat 11.7.1 and later); convert it first with \
                     `sadf -c {} > NEWFILE` from sysstat 12",
                    magic.format_magic,
                    magic.version_text(),
                    path.display()
                ),
            ));
        }
        if magic.header_len > MAX_HEADER_LEN {
            return Err(Error::corrupt(
                path,
                8,
                format!("file header size {} out of range", magic.header_len),
            ));
        }
        let at = reader.pos;
        let bytes = reader.take(magic.header_len as u64, "file header")?;
        let header = FileHeader::parse(&bytes, magic.header_types, magic.enc_big_endian)
            .map_err(|what| Error::corrupt(path, at, what))?;
        let enc = header.encoding(magic.enc_big_endian);
        check_struct(
            path,
            at,
            "activity",
            header.act_types,
            header.act_len,
            36,
            MAX_ACTIVITY_DESC_LEN,
        )?;
        check_struct(
            path,
            at,
            "record header",
            header.rec_types,
            header.rec_len,
            21,
            MAX_RECORD_HEADER_LEN,
        )?;
        if header.rec_types.ull < 2 || header.rec_types.u < 1 {
            return Err(Error::corrupt(
                path,
                at,
                "record header lacks uptime, time or type",
            ));
        }
        if header.act_nr > MAX_ACTIVITIES {
            return Err(Error::corrupt(
                path,
                at,
                format!(
                    "{} activities (sysstat allows {MAX_ACTIVITIES})",
                    header.act_nr
                ),
            ));
        }
        let mut activities = Vec::with_capacity(header.act_nr as usize);
        for _ in 0..header.act_nr {
            let at = reader.pos;
            let bytes = reader.take(header.act_len as u64, "activity list")?;
            let fields = Fields {
                bytes: &bytes,
                types: header.act_types,
                enc,
            };
            let activity =
                Activity::parse(fields).map_err(|what| Error::corrupt(path, at, what))?;
            if activities.iter().any(|a: &Activity| a.id == activity.id) {
                return Err(Error::corrupt(
                    path,
                    at,
                    format!("activity {} listed twice", activity.id),
                ));
            }
            activities.push(activity);
        }
        if header.extra_next {
            let at = reader.pos;
            skip_extras(
                &mut |n, what| reader.take(n, what).map_err(|e| (at, e.to_string())),
                enc,
                at,
            )
            .map_err(|(_, what)| Error::corrupt(path, at, what))?;
        }
        let SaHeaderReader { input, pos, .. } = reader;
        Ok(SaReader {
            path: path.to_path_buf(),
            input,
            pos,
            len,
            magic,
            header,
            activities,
            enc,
            done: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn encoding(&self) -> Encoding {
        self.enc
    }

    /// The next record; `Ok(None)` at the end; `Err(damage)` once, for a record that does not
    /// fit (then `Ok(None)` after it). I/O errors are [`Error`]s.
    pub fn next_record(&mut self) -> Result<Option<std::result::Result<SaRecord, Damage>>> {
        loop {
            if self.done || self.pos >= self.len {
                return Ok(None);
            }
            let start = self.pos;
            match self.record() {
                Ok(Some(record)) => return Ok(Some(Ok(record))),
                Ok(None) => continue, // an R_EXTRA record: nothing for us
                Err((offset, reason)) => {
                    self.done = true;
                    if offset == IO_ERROR {
                        return Err(Error::io(&self.path, "read", std::io::Error::other(reason)));
                    }
                    return Ok(Some(Err(Damage {
                        start,
                        end: self.len,
                        reason: format!("byte {offset}: {reason}"),
                        at_tail: true,
                        torn_tail: false,
                    })));
                }
            }
        }
    }

    fn record(&mut self) -> std::result::Result<Option<SaRecord>, Stop> {
        let rec_len = self.header.rec_len as u64;
        let bytes = self.take(rec_len, "record header")?;
        let header = RecordHeader::parse(Fields {
            bytes: &bytes,
            types: self.header.rec_types,
            enc: self.enc,
        });
        let record = match header.record_type {
            R_STATS | R_LAST_STATS => {
                if header.extra_next {
                    self.extras()?;
                }
                let mut data = Vec::with_capacity(self.activities.len());
                for index in 0..self.activities.len() {
                    data.push(self.activity_data(index)?);
                }
                Some(SaRecord::Stats { header, data })
            }
            R_RESTART => {
                let at = self.pos;
                let bytes = self.take(4, "restart record")?;
                let cpu_nr = self.enc.u32(&bytes) as i32;
                if !(1..=65537).contains(&cpu_nr) {
                    return Err((at, format!("restart record gives {cpu_nr} CPUs")));
                }
                if header.extra_next {
                    self.extras()?;
                }
                Some(SaRecord::Restart {
                    header,
                    cpu_nr: cpu_nr as u32,
                })
            }
            R_COMMENT => {
                let bytes = self.take(COMMENT_LEN as u64, "comment")?;
                if header.extra_next {
                    self.extras()?;
                }
                Some(SaRecord::Comment {
                    header,
                    text: super::layout::c_string(&bytes),
                })
            }
            5..=15 => {
                if header.extra_next {
                    self.extras()?;
                }
                None
            }
            other => return Err((self.pos - rec_len, format!("unknown record type {other}"))),
        };
        Ok(record)
    }

    fn activity_data(&mut self, index: usize) -> std::result::Result<ActivityData, Stop> {
        let activity = self.activities[index];
        let count = if activity.has_nr {
            let at = self.pos;
            let bytes = self.take(4, "item count")?;
            let count = self.enc.u32(&bytes) as i32;
            if count < 0 {
                return Err((at, format!("activity {} has {count} items", activity.id)));
            }
            count as u32
        } else {
            activity.nr
        };
        let total = count as u64 * activity.nr2 as u64 * activity.size as u64;
        if total > MAX_ACTIVITY_BYTES {
            return Err((
                self.pos,
                format!(
                    "activity {} claims {count}x{} items of {} bytes, over {MAX_ACTIVITY_BYTES} bytes",
                    activity.id, activity.nr2, activity.size
                ),
            ));
        }
        if total > self.len - self.pos {
            return Err((
                self.pos,
                format!(
                    "activity {} claims {count}x{} items of {} bytes, past the end of the file",
                    activity.id, activity.nr2, activity.size
                ),
            ));
        }
        let bytes = self.take(total, "statistics")?;
        Ok(ActivityData {
            index,
            count,
            bytes,
        })
    }

    fn extras(&mut self) -> std::result::Result<(), Stop> {
        let enc = self.enc;
        let at = self.pos;
        skip_extras(&mut |n, what| self.take(n, what), enc, at)
    }

    fn take(&mut self, n: u64, what: &str) -> std::result::Result<Vec<u8>, Stop> {
        if n > self.len.saturating_sub(self.pos) {
            return Err((self.pos, format!("file ends inside a {what}")));
        }
        let mut buf = vec![0; n as usize];
        self.input
            .read_exact(&mut buf)
            .map_err(|e| (IO_ERROR, e.to_string()))?;
        self.pos += n;
        Ok(buf)
    }
}

/// The reader while the header is read: errors are [`Error`]s naming the file.
struct SaHeaderReader<'a> {
    path: &'a Path,
    input: BufReader<File>,
    pos: u64,
    len: u64,
}

impl SaHeaderReader<'_> {
    fn take(&mut self, n: u64, what: &str) -> Result<Vec<u8>> {
        if n > self.len.saturating_sub(self.pos) {
            return Err(Error::corrupt(
                self.path,
                self.pos,
                format!("file ends inside its {what}"),
            ));
        }
        let mut buf = vec![0; n as usize];
        self.input
            .read_exact(&mut buf)
            .map_err(|e| Error::io(self.path, "read", e))?;
        self.pos += n;
        Ok(buf)
    }
}

fn check_struct(
    path: &Path,
    at: u64,
    what: &str,
    types: Types,
    len: u32,
    min: u32,
    max: u32,
) -> Result<()> {
    if len < min || len > max || types.fields_len() > len as u64 {
        return Err(Error::corrupt(
            path,
            at,
            format!(
                "{what} size {len} with ({},{},{}) fields out of range",
                types.ull, types.ul, types.u
            ),
        ));
    }
    Ok(())
}

/// Skips a chain of extra structures (sysstat's `extra_desc`) starting at byte `at`: rstat
/// does not use them.
fn skip_extras(take: &mut Take<'_>, enc: Encoding, at: u64) -> std::result::Result<(), Stop> {
    loop {
        let desc = take(EXTRA_DESC_LEN as u64, "extra structure description")?;
        let (nr, len, next) = (
            enc.u32(&desc[0..4]),
            enc.u32(&desc[4..8]),
            enc.u32(&desc[8..12]),
        );
        if nr > MAX_EXTRA_NR || len > MAX_EXTRA_LEN {
            return Err((at, format!("extra structures {nr}x{len} out of range")));
        }
        take(nr as u64 * len as u64, "extra structure")?;
        if next == 0 {
            return Ok(());
        }
    }
}
