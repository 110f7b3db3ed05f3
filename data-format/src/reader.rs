//! Reading a daily file: the header, then records in order, with damage reported as items of
//! its own rather than as errors, so that every intact frame before and after a damaged byte
//! range is still read.
//!
//! Only I/O errors and an unreadable header are errors. The reader notices frames appended
//! while it reads (it re-checks the file length when it reaches the end), which is what a
//! follow mode needs.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::frame::{
    FileHeaderBytes, FrameHeader, FrameKind, FILE_HEADER_FIXED, FILE_MAGIC, FLAG_CARRIED,
    FORMAT_MAJOR, MAX_FILE_HEADER,
};
use crate::header::{decode_prefix, FileHeader, RestartInfo};
use crate::scan::{self, Invalid, Window};
use crate::schema::{Sample, Table, TimeUs};

/// Below this many bytes, a seek walks frames instead of bisecting.
const SEEK_LINEAR_SPAN: u64 = 32 * 1024;
/// Bytes read per seek probe: enough to hold a frame header past any usual frame.
const SEEK_PROBE_READ: usize = 16 * 1024;

/// One record of a file.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// One sample of every source the collector read.
    Sample {
        /// The sample's tables and time.
        sample: Sample,
        /// The previous day's last sample, copied as this file's baseline: it starts the
        /// first interval of the day but belongs to the previous day's report.
        carried: bool,
    },
    /// The host rebooted before the next sample.
    Restart {
        /// When the restart was recorded, µs since the epoch (UTC).
        time_us: TimeUs,
        /// The new boot: its time, id, kernel and CPU count.
        info: RestartInfo,
    },
    /// A user's comment (`rstat collect --comment`).
    Comment {
        /// When the comment was recorded, µs since the epoch (UTC).
        time_us: TimeUs,
        /// The comment as given.
        text: String,
    },
}

impl Record {
    /// When the record was taken, µs since the epoch (UTC).
    pub fn time_us(&self) -> TimeUs {
        match self {
            Record::Sample { sample, .. } => sample.time_us,
            Record::Restart { time_us, .. } | Record::Comment { time_us, .. } => *time_us,
        }
    }
}

/// A byte range that holds no readable record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    /// Byte offset where the unreadable range starts.
    pub start: u64,
    /// Byte offset just past its end.
    pub end: u64,
    /// Why it could not be read (a bad CRC, a truncated frame), for the message.
    pub reason: String,
    /// The range runs to the end of the file: a crash mid-write, or a writer appending now.
    pub at_tail: bool,
    /// The range is one record cut short by the end of the file, the normal result of a
    /// crash or power cut mid-write: nothing recorded before it is damaged.
    pub torn_tail: bool,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bytes {}..{}: {}", self.start, self.end, self.reason)
    }
}

impl Damage {
    /// The one line a reader prints about this range of `path`; `handled` says what it does
    /// with the other records (`shown`, `exported`). A torn tail is not damage: it says so.
    pub fn report_line(&self, path: &Path, handled: &str) -> String {
        let path = crate::printable::printable(&path.to_string_lossy()).into_owned();
        if self.torn_tail {
            format!(
                "{path}: torn tail: the last {} bytes are a record cut short by a crash or power \
                 cut mid-write (or one being written now); every record before them is {handled}",
                self.end - self.start
            )
        } else {
            format!(
                "{path}: damaged {}; records before and after it are {handled}",
                crate::printable::printable(&self.to_string())
            )
        }
    }
}

/// What [`FileReader::next_item`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A record that decoded.
    Record {
        /// Byte offset of the record's frame in the file.
        offset: u64,
        /// The record.
        record: Record,
    },
    /// A range that holds no readable record (skipped).
    Damaged(Damage),
}

/// The header and position of a frame, without its payload decoded (see [`FileReader::next_frame`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// Byte offset of the frame in the file.
    pub offset: u64,
    /// The frame's decoded header.
    pub header: FrameHeader,
}

/// Reads one daily file from start to end.
pub struct FileReader {
    path: PathBuf,
    file: File,
    header: FileHeader,
    data_start: u64,
    len: u64,
    pos: u64,
    window: Window,
    /// A small separate window for seeking, so probes do not evict the reading window.
    probe: Window,
    key: Option<(u64, Vec<Table>)>,
    /// Tables of a sample the caller gave back ([`FileReader::recycle`]), reused by the next
    /// delta frame's decoding.
    spare: Vec<Table>,
    /// Damage found while converting a sysstat file, reported after its last record.
    trailing_damage: Option<Damage>,
    /// The file length when a torn tail was reported at `pos`: the reader stays at the torn
    /// frame (a writer may be appending it now) and reads it again once the file grew.
    torn_tail_len: Option<u64>,
}

impl FileReader {
    /// Opens `path` and checks its header.
    pub fn open(path: &Path) -> Result<FileReader> {
        let file = crate::safe_open::open_for_reading(path)?;
        let len = file
            .metadata()
            .map_err(|e| Error::io(path, "stat", e))?
            .len();
        let mut window = Window::default();
        let (header, data_start) = read_header(path, &file, &mut window, len)?;
        Ok(FileReader {
            path: path.to_path_buf(),
            file,
            header,
            data_start,
            len,
            pos: data_start,
            window,
            probe: Window::with_read_size(SEEK_PROBE_READ),
            key: None,
            spare: Vec::new(),
            trailing_damage: None,
            torn_tail_len: None,
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This reader of a converted copy (see [`crate::open`]) named as the file it was made
    /// from, with the damage the conversion found reported after the last record.
    pub fn shown_as(mut self, path: &Path, trailing_damage: Option<Damage>) -> FileReader {
        self.path = path.to_path_buf();
        self.trailing_damage = trailing_damage;
        self
    }

    /// Gives back a sample this reader returned and the caller no longer needs: its
    /// strings and vectors are reused to decode the next one.
    pub fn recycle(&mut self, sample: Sample) {
        self.spare = sample.tables;
    }

    /// The file's header: the host it describes (name, kernel, CPUs, tick rate, boot).
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// Where the first frame starts.
    pub fn data_start(&self) -> u64 {
        self.data_start
    }

    /// The offset of the next frame to read.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// File length as last seen.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file holds no record after its header.
    pub fn is_empty(&self) -> bool {
        self.len <= self.data_start
    }

    /// The next record or damaged range; `None` at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            let Some(frame) = self.next_frame()? else {
                return Ok(None);
            };
            let frame = match frame {
                Ok(frame) => frame,
                Err(damage) => return Ok(Some(Item::Damaged(damage))),
            };
            match self.decode(frame)? {
                Some(item) => return Ok(Some(item)),
                None => continue, // a frame kind of a newer rstat: skipped
            }
        }
    }

    /// The next valid frame's header without decoding its payload, or the damaged range
    /// before it. This is what seeking and `rstat info` use: a day of frames is walked in
    /// milliseconds because payloads are only checksummed, never decompressed.
    pub fn next_frame(&mut self) -> Result<Option<std::result::Result<FrameInfo, Damage>>> {
        if self.pos >= self.len {
            self.refresh_len()?;
            if self.pos >= self.len {
                return Ok(self.trailing_damage.take().map(Err));
            }
        }
        if let Some(torn_len) = self.torn_tail_len {
            // Reported once already: nothing new until the writer has added bytes.
            self.refresh_len()?;
            if self.len <= torn_len {
                return Ok(None);
            }
            self.torn_tail_len = None;
        }
        let offset = self.pos;
        match self.frame_at(offset)? {
            Ok(header) => {
                self.pos = offset + header.frame_len();
                Ok(Some(Ok(FrameInfo { offset, header })))
            }
            Err(invalid) => {
                let next = scan::next_valid(&self.file, &mut self.window, offset + 1, self.len)
                    .map_err(|e| Error::io(&self.path, "read", e))?;
                let end = next.unwrap_or(self.len);
                let torn_tail = invalid == Invalid::Incomplete && next.is_none();
                if torn_tail {
                    // Not skipped: a following reader decodes the frame once it is whole.
                    self.pos = offset;
                    self.torn_tail_len = Some(self.len);
                } else {
                    self.pos = end;
                }
                let reason = if torn_tail {
                    "incomplete record at the end of the file (a crash or power cut mid-write, \
                     or a writer appending now); everything before it is intact"
                        .to_string()
                } else {
                    invalid.describe().to_string()
                };
                Ok(Some(Err(Damage {
                    start: offset,
                    end,
                    reason,
                    at_tail: next.is_none(),
                    torn_tail,
                })))
            }
        }
    }

    /// Decodes the record of a frame returned by [`FileReader::next_frame`]. `None` for a
    /// frame kind this version does not know.
    pub fn decode(&mut self, frame: FrameInfo) -> Result<Option<Item>> {
        let FrameInfo { offset, header } = frame;
        let damaged = |reason: String| {
            Ok(Some(Item::Damaged(Damage {
                start: offset,
                end: offset + header.frame_len(),
                reason,
                at_tail: false,
                torn_tail: false,
            })))
        };
        let record = match header.kind {
            FrameKind::Sample => {
                let tables = scan::sample_tables(
                    &self.file,
                    &mut self.window,
                    offset,
                    &header,
                    self.len,
                    &mut self.key,
                    std::mem::take(&mut self.spare),
                )
                .map_err(|e| Error::io(&self.path, "read", e))?;
                match tables {
                    Ok(tables) => Record::Sample {
                        sample: Sample {
                            time_us: header.time_us,
                            tables,
                        },
                        carried: header.flags & FLAG_CARRIED != 0,
                    },
                    Err(reason) => return damaged(format!("sample does not decode: {reason}")),
                }
            }
            FrameKind::Restart => {
                let payload = self.payload(offset, &header)?;
                match decode_prefix::<RestartInfo>(payload) {
                    Ok(info) => Record::Restart {
                        time_us: header.time_us,
                        info,
                    },
                    Err(e) => return damaged(format!("restart record does not decode: {e}")),
                }
            }
            FrameKind::Comment => {
                let payload = self.payload(offset, &header)?;
                Record::Comment {
                    time_us: header.time_us,
                    text: String::from_utf8_lossy(payload).into_owned(),
                }
            }
            FrameKind::Unknown(_) => return Ok(None),
        };
        Ok(Some(Item::Record { offset, record }))
    }

    /// Positions the reader so that the next record is the first one at or after `time_us`.
    ///
    /// A binary search over frame headers (found by their sync marker and verified by their
    /// own checksum; payloads are neither read nor decoded), then a short walk. Frames are in
    /// time order unless the wall clock was stepped back while collecting; the result is then
    /// the first frame at or after `time_us` past the step, never an earlier one.
    pub fn seek_time(&mut self, time_us: TimeUs) -> Result<()> {
        self.refresh_len()?;
        let io = |e| Error::io(&self.path, "read", e);
        let (mut lo, mut hi) = (self.data_start, self.len);
        while hi - lo > SEEK_LINEAR_SPAN {
            let mid = lo + (hi - lo) / 2;
            match scan::next_header(&self.file, &mut self.probe, mid, hi).map_err(io)? {
                Some((offset, header)) if header.time_us < time_us => lo = offset,
                _ => hi = mid,
            }
        }
        self.pos = lo;
        self.torn_tail_len = None;
        loop {
            let before = self.pos;
            match self.next_frame()? {
                None => return Ok(()),
                Some(Ok(frame)) if frame.header.time_us >= time_us => {
                    self.pos = before;
                    return Ok(());
                }
                Some(_) => {}
            }
        }
    }

    /// Moves to `offset`, which must be a frame start returned earlier.
    pub fn seek_offset(&mut self, offset: u64) {
        self.pos = offset.max(self.data_start);
        self.torn_tail_len = None;
    }

    fn frame_at(&mut self, offset: u64) -> Result<std::result::Result<FrameHeader, Invalid>> {
        let frame = scan::frame_at(&self.file, &mut self.window, offset, self.len)
            .map_err(|e| Error::io(&self.path, "read", e))?;
        if let Err(Invalid::Incomplete) = frame {
            // A writer may have appended the rest since we looked at the length.
            if self.refresh_len()? {
                return scan::frame_at(&self.file, &mut self.window, offset, self.len)
                    .map_err(|e| Error::io(&self.path, "read", e));
            }
        }
        Ok(frame)
    }

    fn payload(&mut self, offset: u64, header: &FrameHeader) -> Result<&[u8]> {
        scan::payload(&self.file, &mut self.window, offset, header)
            .map_err(|e| Error::io(&self.path, "read", e))
    }

    /// Re-reads the file length; true if it grew.
    fn refresh_len(&mut self) -> Result<bool> {
        let len = self
            .file
            .metadata()
            .map_err(|e| Error::io(&self.path, "stat", e))?
            .len();
        let grew = len > self.len;
        if grew {
            self.window.invalidate();
        }
        self.len = len;
        Ok(grew)
    }
}

/// Reads and checks the file header; returns it and where the frames start.
pub(crate) fn read_header(
    path: &Path,
    file: &File,
    window: &mut Window,
    len: u64,
) -> Result<(FileHeader, u64)> {
    let io = |e| Error::io(path, "read", e);
    let fixed = window.bytes(file, 0, FILE_HEADER_FIXED).map_err(io)?;
    if fixed.len() < FILE_MAGIC.len() || fixed[..FILE_MAGIC.len()] != FILE_MAGIC {
        return Err(Error::NotRstat {
            path: path.to_path_buf(),
        });
    }
    if fixed.len() < FILE_HEADER_FIXED {
        return Err(Error::corrupt(
            path,
            fixed.len() as u64,
            "file ends inside its header",
        ));
    }
    let fields = FileHeaderBytes::parse(fixed);
    if fields.major > FORMAT_MAJOR {
        return Err(Error::FutureVersion {
            path: path.to_path_buf(),
            major: fields.major,
        });
    }
    if fields.len > MAX_FILE_HEADER {
        return Err(Error::corrupt(
            path,
            12,
            format!("header length {} out of range", fields.len),
        ));
    }
    let total = FILE_HEADER_FIXED + fields.len as usize + 4;
    if len < total as u64 {
        return Err(Error::corrupt(path, len, "file ends inside its header"));
    }
    let bytes = window.bytes(file, 0, total).map_err(io)?;
    let (body, crc) = bytes.split_at(total - 4);
    let crc = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crate::crc::crc32c(body) != crc {
        return Err(Error::corrupt(path, 0, "header checksum mismatch"));
    }
    let header = decode_prefix::<FileHeader>(&body[FILE_HEADER_FIXED..]).map_err(|e| {
        Error::corrupt(
            path,
            FILE_HEADER_FIXED as u64,
            format!("header does not decode: {e}"),
        )
    })?;
    Ok((header, total as u64))
}
