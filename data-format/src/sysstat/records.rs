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
use super::legacy::{self, Legacy, FORMAT_2171, FORMAT_2173};
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
    /// A statistics record: one sample of every activity the file holds.
    Stats {
        /// The record's time and uptime.
        header: RecordHeader,
        /// Each activity's items, in the file's activity order.
        data: Vec<ActivityData>,
    },
    /// The host rebooted.
    Restart {
        /// The record's time and uptime.
        header: RecordHeader,
        /// CPUs plus one, as sysstat counts them.
        cpu_nr: u32,
    },
    /// A comment (`sadc -C`).
    Comment {
        /// The record's time and uptime.
        header: RecordHeader,
        /// The comment, up to its first NUL.
        text: String,
    },
}

/// Reads one sa file from start to end.
pub struct SaReader {
    path: PathBuf,
    input: BufReader<File>,
    pos: u64,
    len: u64,
    /// The file's magic: byte order, format and the sysstat version that wrote it.
    pub magic: FileMagic,
    /// The file's header: host, clock rate, structure sizes.
    pub header: FileHeader,
    /// The activities the file holds, in record order.
    pub activities: Vec<Activity>,
    enc: Encoding,
    /// Set for the older formats (0x2171, 0x2173).
    legacy: Option<Legacy>,
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
        // Format 0x2171's magic structure is 8 bytes; the others' are 76.
        let mut bytes = reader.take(legacy::FILE_MAGIC_2171_LEN as u64, "file magic")?;
        let big_endian = super::layout::magic_order(&bytes).ok_or_else(|| {
            Error::corrupt(path, 0, "not a sysstat data file (bad magic at byte 0)")
        })?;
        let format = Encoding {
            big_endian,
            long_len: 8,
        }
        .u16(&bytes[2..4]);
        if format != FORMAT_2171 {
            bytes.extend(reader.take((FILE_MAGIC_LEN - bytes.len()) as u64, "file magic")?);
        } else {
            bytes.resize(FILE_MAGIC_LEN, 0);
        }
        let magic = FileMagic::parse(&bytes).ok_or_else(|| {
            Error::corrupt(path, 0, "not a sysstat data file (bad magic at byte 0)")
        })?;
        if format == FORMAT_2171 || format == FORMAT_2173 {
            return Self::open_legacy(path, reader, magic);
        }
        if magic.format_magic != FORMAT_MAGIC {
            return Err(Error::corrupt(
                path,
                2,
                format!(
                    "sysstat data file of format {:#06x} (written by sysstat {}): rstat reads \
                     formats {FORMAT_2171:#06x}, {FORMAT_2173:#06x} and {FORMAT_MAGIC:#06x} \
                     (sysstat 9.1.6 to 12.7.x); read it with the sysstat that wrote it \
                     (`sadf -d {}` prints every record as text)",
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
        Ok(reader.into_records(magic, header, activities, enc, None))
    }

    /// The rest of [`SaReader::open`] for formats 0x2171 and 0x2173.
    fn open_legacy(
        path: &Path,
        mut reader: SaHeaderReader<'_>,
        magic: FileMagic,
    ) -> Result<SaReader> {
        let header_len = if magic.format_magic == FORMAT_2171 {
            legacy::FILE_HEADER_2171_LEN
        } else {
            magic.header_len
        };
        if header_len > MAX_HEADER_LEN {
            return Err(Error::corrupt(
                path,
                8,
                format!("file header size {header_len} out of range"),
            ));
        }
        let at = reader.pos;
        let bytes = reader.take(header_len as u64, "file header")?;
        let (mut header, volatile_nr) =
            legacy::parse_header(magic.format_magic, &bytes, magic.enc_big_endian)
                .map_err(|what| Error::corrupt(path, at, what))?;
        let enc = header.encoding(magic.enc_big_endian);
        let mut stored: Vec<legacy::StoredActivity> = Vec::new();
        for _ in 0..header.act_nr {
            let at = reader.pos;
            let bytes = reader.take(legacy::OLD_ACTIVITY_LEN as u64, "activity list")?;
            let activity = legacy::parse_activity(enc, &bytes)
                .map_err(|what| Error::corrupt(path, at, what))?;
            if stored.iter().any(|a| a.id == activity.id) {
                return Err(Error::corrupt(
                    path,
                    at,
                    format!("activity {} listed twice", activity.id),
                ));
            }
            stored.push(activity);
        }
        header.cpu_nr = legacy::cpu_count(&stored).ok_or_else(|| {
            Error::corrupt(
                path,
                at,
                "no CPU activity in the activity list (sysstat requires it)",
            )
        })?;
        let activities = stored.iter().map(|a| a.current()).collect();
        let legacy = Legacy {
            format: magic.format_magic,
            volatile_nr,
            stored,
        };
        Ok(reader.into_records(magic, header, activities, enc, Some(legacy)))
    }

    /// Whether rstat reads activity `index` (an older file's unknown structures are skipped).
    pub fn is_readable(&self, index: usize) -> bool {
        self.legacy
            .as_ref()
            .is_none_or(|l| l.stored.get(index).is_some_and(|a| a.shape.is_some()))
    }

    /// The sa file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The byte order and word size of the file's structures.
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
        let header = if self.legacy.is_some() {
            legacy::parse_record_header(self.enc, &bytes)
        } else {
            RecordHeader::parse(Fields {
                bytes: &bytes,
                types: self.header.rec_types,
                enc: self.enc,
            })
        };
        if self.legacy.is_some() && header.record_type == R_RESTART {
            let cpu_nr = self.legacy_restart()?;
            return Ok(Some(SaRecord::Restart { header, cpu_nr }));
        }
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
            5..=15 if self.legacy.is_none() => {
                if header.extra_next {
                    self.extras()?;
                }
                None
            }
            other => return Err((self.pos - rec_len, format!("unknown record type {other}"))),
        };
        Ok(record)
    }

    /// Format 0x2173's restart record lists the activities whose item counts changed (the
    /// CPUs among them); format 0x2171's keeps the file's.
    fn legacy_restart(&mut self) -> std::result::Result<u32, Stop> {
        let volatile_nr = self.legacy.as_ref().map_or(0, |l| l.volatile_nr);
        let mut cpu_nr = self.header.cpu_nr;
        for _ in 0..volatile_nr {
            let at = self.pos;
            let bytes = self.take(legacy::OLD_ACTIVITY_LEN as u64, "restart's activity list")?;
            let (id, nr) = (
                self.enc.u32(&bytes[0..4]),
                self.enc.u32(&bytes[8..12]) as i32,
            );
            if id == 0 || nr <= 0 {
                continue;
            }
            if id == super::catalog::id::CPU && nr > 65537 {
                return Err((at, format!("restart record gives {nr} CPUs")));
            }
            let Some(legacy) = self.legacy.as_mut() else {
                break;
            };
            if let Some(index) = legacy.stored.iter().position(|a| a.id == id) {
                legacy.stored[index].nr = nr as u32;
                self.activities[index].nr = nr as u32;
            }
            if id == super::catalog::id::CPU {
                cpu_nr = nr as u32;
            }
        }
        Ok(cpu_nr)
    }

    fn activity_data(&mut self, index: usize) -> std::result::Result<ActivityData, Stop> {
        if let Some(stored) = self.legacy.as_ref().map(|l| l.stored[index]) {
            let bytes = self.items(stored.id, stored.nr, stored.nr2, stored.size)?;
            let (count, bytes) = stored.rewrite(self.enc, &bytes);
            return Ok(ActivityData {
                index,
                count,
                bytes,
            });
        }
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
        let bytes = self.items(activity.id, count, activity.nr2, activity.size)?;
        Ok(ActivityData {
            index,
            count,
            bytes,
        })
    }

    /// One activity's `count * nr2` items of `size` bytes, checked before anything is
    /// allocated.
    fn items(
        &mut self,
        id: u32,
        count: u32,
        nr2: u32,
        size: u32,
    ) -> std::result::Result<Vec<u8>, Stop> {
        let total = count as u64 * nr2 as u64 * size as u64;
        if total > MAX_ACTIVITY_BYTES {
            return Err((
                self.pos,
                format!(
                    "activity {} claims {count}x{} items of {} bytes, over {MAX_ACTIVITY_BYTES} bytes",
                    id, nr2, size
                ),
            ));
        }
        if total > self.len - self.pos {
            return Err((
                self.pos,
                format!(
                    "activity {} claims {count}x{} items of {} bytes, past the end of the file",
                    id, nr2, size
                ),
            ));
        }
        self.take(total, "statistics")
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
    /// The reader of the records that follow the header.
    fn into_records(
        self,
        magic: FileMagic,
        header: FileHeader,
        activities: Vec<Activity>,
        enc: Encoding,
        legacy: Option<Legacy>,
    ) -> SaReader {
        SaReader {
            path: self.path.to_path_buf(),
            input: self.input,
            pos: self.pos,
            len: self.len,
            magic,
            header,
            activities,
            enc,
            legacy,
            done: false,
        }
    }

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
