//! Appending to one daily file: the advisory lock, the header of a new file, recovery of the
//! chunk state from the tail of an existing file, and the key/delta choice for each sample.
//!
//! Every record is one `write` of a whole frame on an `O_APPEND` descriptor, followed by
//! `fdatasync` when durable: a crash (or a SIGKILL between two pages of one `write`) leaves
//! at most one torn frame at the tail, which readers report as a torn tail. The next writer,
//! once it holds the lock (so the writer that tore it is gone), cuts those bytes off before
//! appending: left in place they would turn into damage inside the file, reported by every
//! reader for ever. Only a frame cut short is cut; a whole frame whose checksum fails is
//! damage, kept as evidence. A write that fails or is cut short (a full disk) is undone the
//! same way, back to where the record started, so that every later frame decodes; if even
//! that fails, the next sample starts a new chunk after the torn bytes.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use nix::fcntl::{Flock, FlockArg};

use crate::codec::{EncodedKey, Encoder};
use crate::error::{Error, Result};
use crate::frame::{
    encode_file_header, FrameHeader, FrameKind, FILE_MAGIC, FLAG_CARRIED, FLAG_DELTA,
    FRAME_HEADER_LEN,
};
use crate::header::{FileHeader, RestartInfo};
use crate::limits::{row_cost, MAX_DECODED_BYTES, MAX_RAW_PAYLOAD, MAX_ROWS};
use crate::reader::read_header;
use crate::scan::{self, Window};
use crate::schema::{Sample, TimeUs};
pub use crate::tail::LastSample;
use crate::tail::{read_tail, read_tail_for_append, ChunkKey};

/// Bytes read at once while opening a file to append to (see [`FileWriter::open`]).
const OPEN_READ: usize = 16 * 1024;

/// The most samples per chunk: one key frame, then deltas against it. Within that bound a
/// chunk ends where it is cheapest (see [`FileWriter::append_sample`]): a longer chunk
/// amortises its key frame over more samples but lets deltas drift further from it. The
/// bound keeps what a damaged key frame costs, and a seek's decoding, small.
pub const CHUNK_LEN: u16 = 64;

/// An open, locked daily file, ready to append to.
pub struct FileWriter {
    path: PathBuf,
    file: Flock<File>,
    header: FileHeader,
    end: u64,
    encoder: Encoder,
    payload: Vec<u8>,
    frame: Vec<u8>,
    key: Option<ChunkKey>,
    /// The rows of the key frame in `key`, kept encoded (a third of their decoded size; the
    /// buffers are reused from one chunk to the next).
    key_rows: EncodedKey,
    /// What the series needs of the file's last sample: when it was taken and the uptime
    /// (to see a restart). The sample itself is not kept: with a thousand processes it is a
    /// megabyte; the day change reads it back from the file ([`crate::daily::last_sample_of`]).
    last_sample: Option<LastSample>,
    last_boot_id: Option<String>,
    durable: bool,
    /// Device and inode of the file opened, to notice it was deleted or renamed away.
    identity: (u64, u64),
}

impl FileWriter {
    /// Opens `path` for appending, creating it with `header` if it does not exist (or holds
    /// only a header torn by a crash at creation). Fails if another writer holds the lock.
    pub fn open(path: &Path, header: &FileHeader, mode: u32) -> Result<FileWriter> {
        Self::open_with(path, header, mode, || {})
    }

    /// [`FileWriter::open`], running `before_lock` between opening the path and locking it
    /// (where a test puts a prune's rename).
    pub(crate) fn open_with(
        path: &Path,
        header: &FileHeader,
        mode: u32,
        mut before_lock: impl FnMut(),
    ) -> Result<FileWriter> {
        let file = open_locked(path, mode, &mut before_lock)?;
        let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
        let len = meta.len();
        let mut writer = FileWriter {
            path: path.to_path_buf(),
            file,
            header: header.clone(),
            end: len,
            encoder: Encoder::new(),
            payload: Vec::new(),
            frame: Vec::new(),
            key: None,
            key_rows: EncodedKey::new(),
            last_sample: None,
            last_boot_id: None,
            durable: true,
            identity: (meta.dev(), meta.ino()),
        };
        // Opening reads the header, then the last frames and their key frame: small reads
        // (a one-shot collector's whole file read into a 256 KiB window cost ~40 page faults).
        let mut window = Window::with_read_size(OPEN_READ);
        match read_header(path, &writer.file, &mut window, len) {
            Ok((existing, data_start)) => {
                writer.header = existing;
                let fixed = window
                    .bytes(&writer.file, 0, crate::frame::FILE_HEADER_FIXED)
                    .map_err(|e| Error::io(path, "read", e))?;
                if crate::frame::FileHeaderBytes::parse(fixed).minor == 0 {
                    writer.encoder.write_format_1_0();
                }
                writer.cut_torn_tail(&mut window, data_start)?;
                let len = writer.end;
                let tail = read_tail_for_append(path, &writer.file, &mut window, data_start, len)?;
                writer.last_sample = tail.last;
                writer.last_boot_id = tail.last_boot_id;
                if let Some((key, key_rows)) = tail.key {
                    writer.key = Some(key);
                    writer.key_rows = key_rows;
                }
            }
            Err(_) if is_torn_header(&writer.file, len) => writer.write_header()?,
            Err(e) => return Err(e),
        }
        Ok(writer)
    }

    /// Cuts a frame left incomplete at the end of the file by a crashed writer, so that the
    /// next record follows the last whole one. If the cut fails (an append-only file), the
    /// writer appends after the torn bytes, as it would after damage.
    fn cut_torn_tail(&mut self, window: &mut Window, data_start: u64) -> Result<()> {
        let io = |e| Error::io(&self.path, "read", e);
        let len = self.end;
        let last_end = scan::prev_valid(&self.file, window, len, len)
            .map_err(io)?
            .map(|(offset, header)| offset + header.frame_len())
            .filter(|&end| end >= data_start)
            .unwrap_or(data_start);
        if last_end >= len
            || scan::frame_at(&self.file, window, last_end, len).map_err(io)?
                != Err(scan::Invalid::Incomplete)
        {
            return Ok(());
        }
        if self.file.set_len(last_end).is_ok() {
            self.end = last_end;
            window.invalidate();
        }
        Ok(())
    }

    /// Whether each record is flushed to disk before `append_*` returns (default: yes).
    pub fn set_durable(&mut self, durable: bool) {
        self.durable = durable;
    }

    /// The file being appended to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header of the file (the existing one when the file was already there).
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// The time and uptime of the last sample in the file, if the file's last record is a
    /// sample or a comment after one.
    pub fn last_sample(&self) -> Option<LastSample> {
        self.last_sample
    }

    /// The boot the file's last sample or restart record belongs to.
    pub fn last_boot_id(&self) -> Option<&str> {
        self.last_boot_id.as_deref()
    }

    /// Whether the path no longer names the file this writer appends to (deleted, renamed
    /// away, or its directory removed): whatever is appended now is lost to readers. One
    /// `stat` of the path, cheap enough for every sample.
    pub fn is_detached(&self) -> bool {
        match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => (meta.dev(), meta.ino()) != self.identity,
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        }
    }

    /// The last sample of the file, read back through this writer's descriptor (so even
    /// when the path no longer names the file).
    pub fn last_sample_in_file(&self) -> Option<Sample> {
        let mut window = Window::default();
        let (_, data_start) = read_header(&self.path, &self.file, &mut window, self.end).ok()?;
        read_tail(&self.path, &self.file, &mut window, data_start, self.end)
            .ok()?
            .last_sample
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.end
    }

    /// Whether the file holds no record after its header.
    pub fn is_empty(&self) -> bool {
        self.end == 0
    }

    /// Appends a sample; `carried` marks the previous day's last sample copied as a baseline.
    pub fn append_sample(&mut self, sample: &Sample, carried: bool) -> Result<()> {
        check_readable(sample)?;
        let result = self.append_sample_frame(sample, carried);
        if result.is_err() {
            // The record may have been a key frame that is not in the file: the next sample
            // starts a new chunk rather than a delta against it.
            self.key = None;
        }
        result
    }

    fn append_sample_frame(&mut self, sample: &Sample, carried: bool) -> Result<()> {
        let offset = self.end;
        let delta_key = self
            .key
            .as_ref()
            .filter(|key| key.seq + 1 < CHUNK_LEN && u32::try_from(offset - key.offset).is_ok());
        let mut delta = None;
        if let Some(key) = delta_key {
            let (raw_len, compression) = self
                .encoder
                .encode_delta_against(&sample.tables, &self.key_rows, &mut self.payload)
                .map_err(|e| Error::Encode {
                    what: format!("sample: {e}"),
                })?;
            // When the sample's shape moved far from the key's, a fresh key frame is smaller
            // for the rest of the chunk. And deltas grow with their distance from the key:
            // the bytes per sample of a chunk are lowest when it ends just before a delta
            // larger than the chunk's average so far (key included). Both are read from the
            // file's offsets, so a collector started per sample (the timer) decides the same.
            let delta_len = (FRAME_HEADER_LEN + self.payload.len()) as u64;
            let average = (offset - key.offset) / (u64::from(key.seq) + 1);
            if raw_len.saturating_mul(4) <= key.raw_len.saturating_mul(3) && delta_len <= average {
                delta = Some((key.offset, key.seq + 1, compression));
            }
        }
        let mut flags = if carried { FLAG_CARRIED } else { 0 };
        let (key_back, chunk_seq) = match delta {
            Some((key_offset, seq, compression)) => {
                flags |= FLAG_DELTA | compression;
                ((offset - key_offset) as u32, seq)
            }
            None => {
                let (raw_len, compression) = self
                    .encoder
                    .encode_key_into(&sample.tables, &mut self.key_rows, &mut self.payload)
                    .map_err(|e| Error::Encode {
                        what: format!("sample: {e}"),
                    })?;
                if raw_len > MAX_RAW_PAYLOAD {
                    return Err(Error::Encode {
                        what: format!(
                            "a sample of {raw_len} bytes (readers accept {MAX_RAW_PAYLOAD})"
                        ),
                    });
                }
                flags |= compression;
                self.key = Some(ChunkKey {
                    offset,
                    seq: 0,
                    raw_len,
                });
                (0, 0)
            }
        };
        self.write_frame(
            FrameKind::Sample,
            flags,
            chunk_seq,
            key_back,
            sample.time_us,
        )?;
        if let Some(key) = self.key.as_mut() {
            key.seq = chunk_seq;
        }
        self.last_sample = Some(LastSample::of(sample));
        if let Some(boot_id) = sample.boot_id() {
            if self.last_boot_id.as_deref() != Some(boot_id) {
                self.last_boot_id = Some(boot_id.to_string());
            }
        }
        Ok(())
    }

    /// Appends a restart record: no interval is computed across it, and the next sample
    /// starts a new chunk.
    pub fn append_restart(&mut self, time_us: TimeUs, info: &RestartInfo) -> Result<()> {
        self.payload = postcard::to_allocvec(info).map_err(|e| Error::Encode {
            what: format!("restart: {e}"),
        })?;
        self.write_frame(FrameKind::Restart, 0, 0, 0, time_us)?;
        self.key = None;
        self.last_sample = None;
        self.last_boot_id = Some(info.boot_id.clone());
        Ok(())
    }

    /// Appends a comment.
    pub fn append_comment(&mut self, time_us: TimeUs, text: &str) -> Result<()> {
        self.payload.clear();
        self.payload.extend_from_slice(text.as_bytes());
        self.write_frame(FrameKind::Comment, 0, 0, 0, time_us)
    }

    fn write_frame(
        &mut self,
        kind: FrameKind,
        flags: u8,
        chunk_seq: u16,
        key_back: u32,
        time_us: TimeUs,
    ) -> Result<()> {
        let payload_len = u32::try_from(self.payload.len())
            .ok()
            .filter(|&len| len <= crate::frame::MAX_PAYLOAD)
            .ok_or_else(|| Error::Encode {
                what: format!("a record of {} bytes", self.payload.len()),
            })?;
        let header = FrameHeader {
            payload_len,
            kind,
            flags,
            chunk_seq,
            key_back,
            time_us,
            payload_crc: crate::crc::crc32c(&self.payload),
        };
        self.frame.clear();
        self.frame.extend_from_slice(&header.encode());
        self.frame.extend_from_slice(&self.payload);
        self.write_all_and_sync()
    }

    fn write_header(&mut self) -> Result<()> {
        let encoded = postcard::to_allocvec(&self.header).map_err(|e| Error::Encode {
            what: format!("file header: {e}"),
        })?;
        self.frame = encode_file_header(&encoded);
        self.file
            .set_len(0)
            .map_err(|e| Error::io(&self.path, "truncate a torn header", e))?;
        self.end = 0;
        self.write_all_and_sync()
    }

    /// Writes `self.frame` at the end. On failure, the torn bytes are cut off again (`end`
    /// is where the record started); if the file cannot be cut, `end` moves past them so
    /// that later offsets stay right. A failed flush leaves the record in place.
    fn write_all_and_sync(&mut self) -> Result<()> {
        let mut file: &File = &self.file;
        if let Err(source) = file.write_all(&self.frame) {
            let start = self.end;
            let actual = file.metadata().map_or(start, |m| m.len());
            if actual > start && file.set_len(start).is_err() {
                self.end = actual;
            }
            return Err(Error::Append {
                path: self.path.clone(),
                source,
                torn_left: self.end - start,
            });
        }
        self.end += self.frame.len() as u64;
        if self.durable {
            file.sync_data().map_err(|source| Error::Sync {
                path: self.path.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

/// Refuses a sample that readers would refuse (see [`crate::limits`]).
fn check_readable(sample: &Sample) -> Result<()> {
    let rows = sample.tables.iter().flat_map(|t| &t.rows);
    let cost: usize = rows.clone().map(row_cost).sum();
    if cost > MAX_DECODED_BYTES || rows.count() > MAX_ROWS {
        return Err(Error::Encode {
            what: format!(
                "a sample of {cost} bytes in memory (readers accept {MAX_DECODED_BYTES} bytes \
                 and {MAX_ROWS} rows)"
            ),
        });
    }
    Ok(())
}

/// True when a file holds nothing but the beginning of a header (a crash while creating it):
/// no record can be lost by writing the header again.
fn is_torn_header(file: &File, len: u64) -> bool {
    if len as usize >= crate::frame::FILE_HEADER_FIXED + crate::frame::MAX_FILE_HEADER as usize {
        return false;
    }
    let mut window = Window::default();
    let Ok(bytes) = window.bytes(file, 0, len as usize) else {
        return false;
    };
    let magic_len = bytes.len().min(FILE_MAGIC.len());
    if bytes[..magic_len] != FILE_MAGIC[..magic_len] {
        return false;
    }
    if bytes.len() < crate::frame::FILE_HEADER_FIXED {
        return true;
    }
    let fields = crate::frame::FileHeaderBytes::parse(bytes);
    (bytes.len() as u64) < crate::frame::FILE_HEADER_FIXED as u64 + u64::from(fields.len) + 4
        && !bytes[crate::frame::FILE_HEADER_FIXED..]
            .windows(4)
            .any(|w| w == crate::frame::FRAME_SYNC)
}

/// How often [`lock_path`] opens a path that keeps being replaced before it gives up.
const OPEN_TRIES: u32 = 16;

/// Opens and locks `path`, again when the path was renamed over or removed between the open
/// and the lock: prune and import replace a day by a rename under the old file's lock, and
/// a descriptor opened before that would append to the replaced copy, lost to every reader.
fn open_locked(path: &Path, mode: u32, before_lock: &mut dyn FnMut()) -> Result<Flock<File>> {
    let open = || crate::safe_open::open_for_appending(path, mode).map(Some);
    let locked = lock_path(path, open, before_lock)?;
    locked.ok_or_else(|| Error::io(path, "open", std::io::ErrorKind::NotFound.into()))
}

/// Opens `path` with `open` (`None`: there is no file) and takes its lock without waiting
/// ([`Error::Locked`] while another holds it), until the lock is on the file the path names.
/// `before_lock` runs between the open and the lock (where tests put a rename).
pub(crate) fn lock_path(
    path: &Path,
    mut open: impl FnMut() -> Result<Option<File>>,
    before_lock: &mut dyn FnMut(),
) -> Result<Option<Flock<File>>> {
    for _ in 0..OPEN_TRIES {
        let Some(file) = open()? else {
            return Ok(None);
        };
        before_lock();
        let locked = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(locked) => locked,
            Err((file, nix::errno::Errno::EWOULDBLOCK)) => {
                let pid = file.metadata().ok().and_then(|m| lock_holder(m.ino()));
                return Err(Error::Locked {
                    path: path.to_path_buf(),
                    pid,
                });
            }
            Err((_, errno)) => return Err(Error::io(path, "lock", errno.into())),
        };
        if names_file(path, &locked)? {
            return Ok(Some(locked));
        }
    }
    Err(Error::io(
        path,
        "lock",
        std::io::Error::other(format!(
            "the file was replaced {OPEN_TRIES} times while being opened; is another program \
             renaming files over it?"
        )),
    ))
}

/// Whether `path` still names the open `file` (false once it was renamed over or removed).
fn names_file(path: &Path, file: &File) -> Result<bool> {
    let open = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
    match std::fs::symlink_metadata(path) {
        Ok(now) => Ok((now.dev(), now.ino()) == (open.dev(), open.ino())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(path, "stat", e)),
    }
}

/// The pid holding a `flock` on the file with inode `ino`, from /proc/locks.
fn lock_holder(ino: u64) -> Option<u32> {
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    locks.lines().find_map(|line| {
        // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) != Some(&"FLOCK") {
            return None;
        }
        let inode = fields.get(5)?.rsplit(':').next()?.parse::<u64>().ok()?;
        (inode == ino)
            .then(|| fields.get(4)?.parse().ok())
            .flatten()
    })
}

/// Length of a frame header, re-exported for size accounting in benches and `rstat info`.
pub const FRAME_OVERHEAD: usize = FRAME_HEADER_LEN;
