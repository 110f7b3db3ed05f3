//! Positional access to frames: a read window over the file, validation of a frame at an
//! offset, and forward/backward scans for the next valid frame after damage. Shared by the
//! reader (walking forward) and the writer (finding the tail to append after).

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use crate::codec;
use crate::frame::{FrameHeader, FrameKind, FLAG_DELTA, FRAME_HEADER_LEN, FRAME_SYNC};
use crate::range_crc::RangeCrc;
use crate::schema::Table;

/// Bytes read at once: large enough that walking a day of small frames is a few hundred reads.
const WINDOW: usize = 256 * 1024;
/// The first step of a backward scan ([`prev_valid`]): one page.
const TAIL_STEP: usize = 4096;

/// A buffered view of a file for positional reads.
#[derive(Default)]
pub(crate) struct Window {
    buf: Vec<u8>,
    start: u64,
    /// Bytes to read when refilling (0: [`WINDOW`]).
    read_size: usize,
    /// Payload CRCs of resync candidates, linear in the file size whatever their number.
    crcs: RangeCrc,
}

impl Window {
    /// A window that refills `read_size` bytes at a time.
    pub(crate) fn with_read_size(read_size: usize) -> Window {
        Window {
            read_size,
            ..Window::default()
        }
    }

    /// Up to `len` bytes at `offset` (fewer at the end of the file).
    pub(crate) fn bytes(&mut self, file: &File, offset: u64, len: usize) -> io::Result<&[u8]> {
        let end = self.start + self.buf.len() as u64;
        let want_end = offset.saturating_add(len as u64);
        if offset < self.start || want_end > end {
            let read_size = if self.read_size == 0 {
                WINDOW
            } else {
                self.read_size
            };
            // No larger than what the file holds past `offset`: zeroing a whole window to
            // read a small file's tail was a quarter of a one-shot collector's page faults.
            let held = file.metadata()?.len().saturating_sub(offset);
            let read_size = read_size.min(usize::try_from(held).unwrap_or(usize::MAX));
            self.buf.resize(len.max(read_size), 0);
            let mut filled = 0;
            while filled < self.buf.len() {
                match file.read_at(&mut self.buf[filled..], offset + filled as u64) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.buf.clear();
                        return Err(e);
                    }
                }
            }
            self.buf.truncate(filled);
            self.start = offset;
        }
        let from = (offset - self.start) as usize;
        let to = (from + len).min(self.buf.len());
        Ok(&self.buf[from.min(to)..to])
    }

    /// Forgets the buffered bytes (the file grew or was rewritten).
    pub(crate) fn invalidate(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.crcs = RangeCrc::default();
    }
}

/// Why the bytes at an offset are not a usable frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// Not a frame header at all.
    Header(&'static str),
    /// A valid header whose frame runs past `limit` (a torn tail, or a writer mid-append).
    Incomplete,
    /// A valid header whose payload checksum does not match.
    Payload,
}

impl Invalid {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Invalid::Header(why) => why,
            Invalid::Incomplete => "frame cut short",
            Invalid::Payload => "frame payload checksum mismatch",
        }
    }
}

/// The frame at `offset`, if its header and payload verify and it ends by `limit`.
pub(crate) fn frame_at(
    file: &File,
    window: &mut Window,
    offset: u64,
    limit: u64,
) -> io::Result<Result<FrameHeader, Invalid>> {
    check_frame(file, window, offset, limit, false)
}

/// [`frame_at`] for a candidate found by scanning for the sync marker: its payload CRC is
/// taken through the window's [`RangeCrc`], so that any number of candidates costs time
/// linear in the file size.
fn candidate_at(
    file: &File,
    window: &mut Window,
    offset: u64,
    limit: u64,
) -> io::Result<Result<FrameHeader, Invalid>> {
    check_frame(file, window, offset, limit, true)
}

fn check_frame(
    file: &File,
    window: &mut Window,
    offset: u64,
    limit: u64,
    candidate: bool,
) -> io::Result<Result<FrameHeader, Invalid>> {
    let bytes = window.bytes(file, offset, FRAME_HEADER_LEN)?;
    if bytes.len() < FRAME_HEADER_LEN {
        // A header cut by the end of the file: treat a correct prefix as a torn frame.
        let is_prefix = !bytes.is_empty() && FRAME_SYNC.starts_with(&bytes[..bytes.len().min(4)]);
        return Ok(Err(if is_prefix {
            Invalid::Incomplete
        } else {
            Invalid::Header("truncated frame header")
        }));
    }
    let header = match FrameHeader::decode(bytes) {
        Ok(header) => header,
        Err(why) => return Ok(Err(Invalid::Header(why))),
    };
    if offset + header.frame_len() > limit {
        return Ok(Err(Invalid::Incomplete));
    }
    let payload_start = offset + FRAME_HEADER_LEN as u64;
    let crc = if candidate {
        let end = payload_start + u64::from(header.payload_len);
        window.crcs.crc(file, payload_start, end)?
    } else {
        crate::crc::crc32c(window.bytes(file, payload_start, header.payload_len as usize)?)
    };
    if crc != header.payload_crc {
        return Ok(Err(Invalid::Payload));
    }
    Ok(Ok(header))
}

/// The payload of a frame already validated by [`frame_at`].
pub(crate) fn payload<'w>(
    file: &File,
    window: &'w mut Window,
    offset: u64,
    header: &FrameHeader,
) -> io::Result<&'w [u8]> {
    window.bytes(
        file,
        offset + FRAME_HEADER_LEN as u64,
        header.payload_len as usize,
    )
}

/// The first valid frame starting in `(from, limit)`, scanning for the sync marker.
pub(crate) fn next_valid(
    file: &File,
    window: &mut Window,
    from: u64,
    limit: u64,
) -> io::Result<Option<u64>> {
    let mut at = from;
    while at < limit {
        let chunk_len = WINDOW.min((limit - at) as usize);
        let chunk = window.bytes(file, at, chunk_len)?.to_vec();
        if chunk.is_empty() {
            return Ok(None);
        }
        for (i, candidate) in chunk.windows(FRAME_SYNC.len()).enumerate() {
            if candidate == FRAME_SYNC {
                let offset = at + i as u64;
                if candidate_at(file, window, offset, limit)?.is_ok() {
                    return Ok(Some(offset));
                }
            }
        }
        // Step so that a marker straddling the chunk boundary is seen next time.
        at += (chunk.len().saturating_sub(FRAME_SYNC.len() - 1)).max(1) as u64;
    }
    Ok(None)
}

/// The first frame header at or after `from` (and before `limit`) whose own checksum
/// verifies; its payload is not read. Used to bisect a file by time.
pub(crate) fn next_header(
    file: &File,
    window: &mut Window,
    from: u64,
    limit: u64,
) -> io::Result<Option<(u64, FrameHeader)>> {
    let mut at = from;
    while at < limit {
        let want = window
            .read_size
            .max(FRAME_HEADER_LEN * 2)
            .min((limit - at) as usize);
        let chunk = window.bytes(file, at, want)?.to_vec();
        if chunk.len() < FRAME_HEADER_LEN {
            return Ok(None);
        }
        for i in 0..=chunk.len() - FRAME_HEADER_LEN {
            if chunk[i..i + FRAME_SYNC.len()] == FRAME_SYNC {
                if let Ok(header) = FrameHeader::decode(&chunk[i..]) {
                    return Ok(Some((at + i as u64, header)));
                }
            }
        }
        at += (chunk.len() - FRAME_HEADER_LEN + 1) as u64;
    }
    Ok(None)
}

/// The last valid frame that ends at or before `limit` and starts before `before`.
pub(crate) fn prev_valid(
    file: &File,
    window: &mut Window,
    before: u64,
    limit: u64,
) -> io::Result<Option<(u64, FrameHeader)>> {
    let mut end = before;
    // The last frame is usually a few hundred bytes back: look at the last page first and
    // double the step up to a window, so that a one-shot collector appending to a day file
    // reads (and copies) a page or two, not the file's last 256 KiB; every byte is still
    // examined a bounded number of times.
    let mut step = TAIL_STEP;
    while end > 0 {
        let start = end.saturating_sub(step as u64);
        step = (step * 2).min(WINDOW);
        let chunk_end = (end + FRAME_SYNC.len() as u64 - 1).min(limit);
        let chunk = window
            .bytes(file, start, (chunk_end - start) as usize)?
            .to_vec();
        // Candidates from the last back: the search stops at the last frame's start, a few
        // hundred bytes from the end, rather than reading the whole page for markers.
        let mut searched = chunk.len();
        while let Some(i) = chunk[..searched]
            .windows(FRAME_SYNC.len())
            .rposition(|w| w == FRAME_SYNC)
        {
            let offset = start + i as u64;
            if offset < end {
                if let Ok(header) = candidate_at(file, window, offset, limit)? {
                    return Ok(Some((offset, header)));
                }
            }
            // Next, the markers that start before this one.
            searched = i + FRAME_SYNC.len() - 1;
        }
        end = start;
    }
    Ok(None)
}

/// A sample frame's tables, decoding its key frame first when it is a delta. `key` caches
/// the last key frame decoded (offset, tables) so a walk decodes each key frame once;
/// `spare` holds the tables of a sample the caller is done with, reused by a delta's decoding.
pub(crate) fn sample_tables(
    file: &File,
    window: &mut Window,
    offset: u64,
    header: &FrameHeader,
    limit: u64,
    key: &mut Option<(u64, Vec<Table>)>,
    spare: Vec<Table>,
) -> io::Result<Result<Vec<Table>, String>> {
    if header.flags & FLAG_DELTA == 0 {
        // Decoded into the recycled sample, then copied into the cache's tables of the
        // previous key: neither allocates for rows that were there before (decoding each
        // key, copying it and dropping the old were 12% of `report -A`).
        let mut tables = spare;
        if let Err(e) = key_tables_into(file, window, offset, header, &mut tables)? {
            return Ok(Err(e));
        }
        match key {
            Some((at, cached)) => {
                *at = offset;
                cached.clone_from(&tables);
            }
            None => *key = Some((offset, tables.clone())),
        }
        return Ok(Ok(tables));
    }
    let Some(key_offset) = offset.checked_sub(u64::from(header.key_back)) else {
        return Ok(Err("key frame offset points before the file start".into()));
    };
    if key.as_ref().map(|(at, _)| *at) != Some(key_offset) {
        let key_header = match key_frame_at(file, window, key_offset, limit)? {
            Ok(h) => h,
            Err(why) => return Ok(Err(why)),
        };
        // Only the cache needs the key's tables here: no copy for the caller (a one-shot
        // append decodes its file's last delta this way; the copy and its drop were 7% of
        // its instructions). Decoded over the cached key's rows.
        let mut tables = key.take().map(|(_, tables)| tables).unwrap_or_default();
        match key_tables_into(file, window, key_offset, &key_header, &mut tables)? {
            Ok(()) => *key = Some((key_offset, tables)),
            Err(e) => {
                return Ok(Err(format!(
                    "its key frame at byte {key_offset} does not decode: {e}"
                )))
            }
        }
    }
    let Some((_, key_tables)) = key.as_ref() else {
        return Ok(Err("key frame missing".into()));
    };
    let raw = payload(file, window, offset, header)?;
    let mut tables = spare;
    Ok(codec::decompress(raw, header.flags)
        .and_then(|raw| codec::decode_delta_into(&raw, key_tables, &mut tables))
        .map(|()| tables)
        .map_err(|e| e.0))
}

/// The header of the key frame a delta names at `key_offset`, or why there is none there.
pub(crate) fn key_frame_at(
    file: &File,
    window: &mut Window,
    key_offset: u64,
    limit: u64,
) -> io::Result<Result<FrameHeader, String>> {
    Ok(match frame_at(file, window, key_offset, limit)? {
        Ok(h) if h.kind == FrameKind::Sample && h.flags & FLAG_DELTA == 0 => Ok(h),
        Ok(_) => Err(format!("byte {key_offset} is not a key frame")),
        Err(why) => Err(format!(
            "its key frame at byte {key_offset} is damaged ({})",
            why.describe()
        )),
    })
}

/// The tables of the key frame at `offset`, decoded over `tables` (see
/// [`codec::decode_key_into`]).
fn key_tables_into(
    file: &File,
    window: &mut Window,
    offset: u64,
    header: &FrameHeader,
    tables: &mut Vec<Table>,
) -> io::Result<Result<(), String>> {
    let raw = payload(file, window, offset, header)?;
    Ok(codec::decompress(raw, header.flags)
        .and_then(|raw| codec::decode_key_into(&raw, tables))
        .map_err(|e| e.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_over_a_small_file_holds_only_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small");
        std::fs::write(&path, b"0123456789").unwrap();
        let file = File::open(&path).unwrap();
        let mut window = Window::default();
        assert_eq!(window.bytes(&file, 4, 3).unwrap(), b"456");
        assert_eq!(
            window.buf.len(),
            6,
            "read from offset 4 to the end, no more"
        );
        assert!(window.buf.capacity() < WINDOW);
        // Past the end: at most what was asked, nothing there.
        assert_eq!(window.bytes(&file, 20, 3).unwrap(), b"");
        // The file grows: a request beyond the buffered bytes reads the new ones.
        std::fs::write(&path, b"0123456789abcdef").unwrap();
        assert_eq!(window.bytes(&file, 8, 6).unwrap(), b"89abcd");
    }
}
