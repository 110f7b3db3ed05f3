//! What the end of an existing file says: its last sample (or what appending needs of it),
//! the boot it belongs to, and the chunk a new sample can continue.
//!
//! Two readings. [`read_tail`] decodes the last sample whole (the day change carries it into
//! the next day's file). [`read_tail_for_append`] is what opening a file to append to needs,
//! and a one-shot collector (the timer's: one process per sample) pays it every sample, so
//! it decodes as little as it can: the chunk's key frame is kept as the raw bytes it
//! decompresses to ([`EncodedKey::decode_from`]: no rows built, none encoded again), and of
//! the last sample only the uptime and boot tables are decoded (its time is in its frame
//! header).

use std::fs::File;
use std::path::Path;

use crate::codec::{self, EncodedKey};
use crate::error::{Error, Result};
use crate::frame::{FrameHeader, FrameKind, FLAG_DELTA};
use crate::header::{decode_prefix, RestartInfo};
use crate::scan::{self, Window};
use crate::schema::{Sample, TableKind, TimeUs};

/// The file's last sample, as far as appending needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastSample {
    /// When it was taken, µs since the epoch (UTC).
    pub time_us: TimeUs,
    /// The kernel's uptime then, hundredths of a second (/proc/uptime), when recorded.
    pub uptime_cs: Option<u64>,
}

impl LastSample {
    /// What appending needs of `sample`.
    pub(crate) fn of(sample: &Sample) -> LastSample {
        LastSample {
            time_us: sample.time_us,
            uptime_cs: sample.uptime_cs(),
        }
    }
}

/// The key frame a new delta can be encoded against: where it is, how many frames its
/// chunk holds so far, and its raw payload size.
pub(crate) struct ChunkKey {
    pub(crate) offset: u64,
    /// Number of frames in the chunk so far (the key frame is 0).
    pub(crate) seq: u16,
    pub(crate) raw_len: usize,
}

/// The last sample of a file and the boot it belongs to, decoded whole.
pub(crate) struct Tail {
    pub(crate) last_sample: Option<Sample>,
    pub(crate) last_boot_id: Option<String>,
}

/// What appending to a file needs of its end.
#[derive(Default)]
pub(crate) struct AppendTail {
    pub(crate) last: Option<LastSample>,
    pub(crate) last_boot_id: Option<String>,
    /// The chunk's key frame, when a delta can be encoded against it.
    pub(crate) key: Option<(ChunkKey, EncodedKey)>,
}

/// The tables of the last sample that appending reads: its uptime (a restart shows as an
/// uptime that went down) and its boot id.
const APPEND_KINDS: [TableKind; 2] = [TableKind::UPTIME, TableKind::BOOT];

/// Reads the tail of a file: walks back from the end over comments and damaged bytes to the
/// last valid sample or restart record. Never modifies the file.
pub(crate) fn read_tail(
    path: &Path,
    file: &File,
    window: &mut Window,
    data_start: u64,
    end: u64,
) -> Result<Tail> {
    let io = |e| Error::io(path, "read", e);
    let mut tail = Tail {
        last_sample: None,
        last_boot_id: None,
    };
    match last_record(path, file, window, data_start, end)? {
        Some((offset, header)) if header.kind == FrameKind::Sample => {
            let mut key = None;
            let tables =
                scan::sample_tables(file, window, offset, &header, end, &mut key, Vec::new())
                    .map_err(io)?;
            // An undecodable last sample: nothing is known of it.
            if let Ok(tables) = tables {
                let sample = Sample {
                    time_us: header.time_us,
                    tables,
                };
                tail.last_boot_id = sample.boot_id().map(str::to_string);
                tail.last_sample = Some(sample);
            }
        }
        Some((offset, header)) => {
            tail.last_boot_id = restart_boot_id(file, window, offset, &header)
        }
        None => {}
    }
    Ok(tail)
}

/// [`read_tail`] for appending (see the module doc). A last sample that does not decode
/// leaves nothing known (the next sample starts a new chunk); a key frame that
/// [`EncodedKey::decode_from`] refuses costs only the chunk: the next sample is a key frame.
pub(crate) fn read_tail_for_append(
    path: &Path,
    file: &File,
    window: &mut Window,
    data_start: u64,
    end: u64,
) -> Result<AppendTail> {
    match last_record(path, file, window, data_start, end)? {
        Some((offset, header)) if header.kind == FrameKind::Sample => {
            let tail = last_sample_for_append(file, window, offset, &header, end)
                .map_err(|e| Error::io(path, "read", e))?;
            Ok(tail.unwrap_or_default())
        }
        Some((offset, header)) => Ok(AppendTail {
            last_boot_id: restart_boot_id(file, window, offset, &header),
            ..AppendTail::default()
        }),
        None => Ok(AppendTail::default()),
    }
}

/// The last valid sample or restart record of the file (comments and damage skipped).
fn last_record(
    path: &Path,
    file: &File,
    window: &mut Window,
    data_start: u64,
    end: u64,
) -> Result<Option<(u64, FrameHeader)>> {
    let mut before = end;
    while let Some((offset, header)) =
        scan::prev_valid(file, window, before, end).map_err(|e| Error::io(path, "read", e))?
    {
        if offset < data_start {
            break;
        }
        match header.kind {
            FrameKind::Sample | FrameKind::Restart => return Ok(Some((offset, header))),
            FrameKind::Comment | FrameKind::Unknown(_) => before = offset,
        }
    }
    Ok(None)
}

/// The boot id a restart record names.
fn restart_boot_id(
    file: &File,
    window: &mut Window,
    offset: u64,
    header: &FrameHeader,
) -> Option<String> {
    let payload = scan::payload(file, window, offset, header).ok()?;
    decode_prefix::<RestartInfo>(payload)
        .ok()
        .map(|info| info.boot_id)
}

/// What appending needs of the sample frame at `offset` (valid, the file's last sample);
/// `None` when it or its key frame does not decode.
fn last_sample_for_append(
    file: &File,
    window: &mut Window,
    offset: u64,
    header: &FrameHeader,
    end: u64,
) -> std::io::Result<Option<AppendTail>> {
    let (key_offset, key_header) = if header.flags & FLAG_DELTA == 0 {
        (offset, *header)
    } else {
        let Some(key_offset) = offset.checked_sub(u64::from(header.key_back)) else {
            return Ok(None);
        };
        match scan::key_frame_at(file, window, key_offset, end)? {
            Ok(key) => (key_offset, key),
            Err(_) => return Ok(None),
        }
    };
    let key_payload = scan::payload(file, window, key_offset, &key_header)?;
    let Ok(key_raw) = codec::decompress(key_payload, key_header.flags).map(|raw| raw.into_owned())
    else {
        return Ok(None);
    };
    let mut selected = Vec::new();
    codec::select_sections(&key_raw, &APPEND_KINDS, &mut selected);
    let Ok(key_tables) = codec::decode_key(&selected) else {
        return Ok(None);
    };
    let tables = if key_offset == offset {
        key_tables
    } else {
        let payload = scan::payload(file, window, offset, header)?;
        let Ok(raw) = codec::decompress(payload, header.flags) else {
            return Ok(None);
        };
        selected.clear();
        codec::select_sections(&raw, &APPEND_KINDS, &mut selected);
        let mut tables = Vec::new();
        if codec::decode_delta_into(&selected, &key_tables, &mut tables).is_err() {
            return Ok(None);
        }
        tables
    };
    let last = Sample {
        time_us: header.time_us,
        tables,
    };
    let chunk = ChunkKey {
        offset: key_offset,
        seq: header.chunk_seq,
        raw_len: key_raw.len(),
    };
    let mut encoded = EncodedKey::new();
    Ok(Some(AppendTail {
        last: Some(LastSample::of(&last)),
        last_boot_id: last.boot_id().map(str::to_string),
        key: encoded
            .decode_from(key_raw)
            .is_ok()
            .then_some((chunk, encoded)),
    }))
}
