//! Sample payloads: how a sample's tables become bytes, as a key frame or as a delta frame.
//!
//! ```text
//! payload = section*          (then zstd-compressed when that is smaller: FLAG_ZSTD)
//! section = kind:varint len:varint body[len]
//! key body   = postcard(Vec<Row>)
//! delta body = postcard(Vec<DeltaRow>)
//! DeltaRow   = New(Row)                                   -- a row the key frame lacks
//!            | Known { link: i32, text: Option<Vec<String>>, deltas: Vec<i64> }
//!            | Same(n: u32)                              -- n rows equal to the key's
//! ```
//! A `Known` row refers to the key frame's row at index `expected + link`, where `expected` is
//! one past the previous `Known` row's index (so rows in the same order cost a 0); `text` is
//! `None` when equal to the key row's; `deltas[i] = value[i] - key_value[i]` (wrapping, zigzag
//! varint; a column the key row lacks counts from 0). `Same(n)` stands for the key rows at
//! `expected .. expected + n`, unchanged (most rows of most tables, most of the time).
//! Counters move little between samples,
//! so deltas are mostly tiny and zstd squeezes the rest.
//!
//! Sections are length-prefixed so that a reader skips a table kind it does not know.
//! Encoding reuses its buffers: no allocation per sample once they have grown. The key frame
//! a writer encodes deltas against is kept encoded ([`EncodedKey`]), not decoded.

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::frame;
use crate::limits::{DecodeBudget, OverLimit, MAX_RAW_PAYLOAD};
use crate::schema::{Row, Table, TableKind};

#[path = "codec_apply.rs"]
mod apply;
#[path = "codec_key.rs"]
mod key;
#[path = "codec_once.rs"]
mod once;
pub use key::EncodedKey;
use key::{push_section_with, KeyRows};

/// A payload that does not decode. The reader turns it into a damage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

impl From<OverLimit> for CodecError {
    fn from(over: OverLimit) -> CodecError {
        CodecError(over.0)
    }
}

fn codec_err(what: impl Into<String>) -> CodecError {
    CodecError(what.into())
}

/// Built-in zstd dictionary 1 for key frames: the raw key payload of samples of the fixture
/// hosts. A key frame is mostly field names (meminfo, vmstat, devices), which this dictionary
/// already holds, so key frames shrink about 4x. It is part of the file format: never change
/// it; a better one becomes dictionary 2 (frame flags bits 3-4).
pub const KEY_DICTIONARY_1: &[u8] = include_bytes!("dict/key-1.bin");

/// Built-in dictionaries 2 (format 1.1), one for each frame type, chosen by the frame's delta
/// flag. Key frames: the raw key payload of a sample of every system activity of the fixture
/// host (dictionary 1 knew only the core tables: with every activity, a key frame stayed at
/// 4.7 kB of mostly counter names). Delta frames: a zstd-trained dictionary of delta payloads
/// from a capture of every system activity at 1 s; a delta of a few hundred bytes is too small
/// for zstd to learn its own statistics, so without one it shrinks only to about two thirds.
/// Both are part of the file format: never change them.
pub const KEY_DICTIONARY_2: &[u8] = include_bytes!("dict/key-2.bin");
/// See [`KEY_DICTIONARY_2`].
pub const DELTA_DICTIONARY_2: &[u8] = include_bytes!("dict/delta-2.bin");

/// The dictionary generation this version writes (frame flags bits 3-4).
pub const DICTIONARY_WRITTEN: u8 = 2;

/// The built-in dictionary a frame's `flags` name, and its slot in the per-thread cache of
/// decompression contexts (`None` when the payload has no dictionary).
fn builtin_dictionary(flags: u8) -> Result<Option<(usize, &'static [u8])>, CodecError> {
    match (frame::dictionary_id(flags), flags & frame::FLAG_DELTA != 0) {
        (0, _) => Ok(None),
        (1, _) => Ok(Some((1, KEY_DICTIONARY_1))),
        (2, false) => Ok(Some((2, KEY_DICTIONARY_2))),
        (2, true) => Ok(Some((3, DELTA_DICTIONARY_2))),
        (other, _) => Err(codec_err(format!(
            "unknown built-in dictionary {other} (written by a newer rstat)"
        ))),
    }
}

/// Encodes samples; keeps its scratch buffers between calls.
pub struct Encoder {
    /// The raw payload of the last sample encoded (a key frame's goes into its
    /// [`EncodedKey`] instead, with [`Encoder::encode_key_into`]).
    raw: Vec<u8>,
    /// The compression context of the frame type compressed last, once two frames of that
    /// type came in a row: one at a time. Each holds its dictionary digested with tables
    /// (key: ~0.4 MB, delta: ~0.25 MB); keeping both for a whole run held both at every
    /// delta. The first frame of a type after the other (a chunk's key frame, its first
    /// delta, a one-shot run's only frame) is compressed with the dictionary as a
    /// single-use prefix instead ([`once`]): digesting it for one frame cost a one-shot
    /// collector more than the compression.
    compressor: Option<(bool, zstd::bulk::Compressor<'static>)>,
    /// The frame type compressed last (`true`: key), `None` before the first.
    last_compressed: Option<bool>,
    /// The dictionary generation written: [`DICTIONARY_WRITTEN`], or 1 when appending to a
    /// format 1.0 file, whose readers know only dictionary 1.
    generation: u8,
}

/// zstd level: measured as the best size/CPU trade-off for payloads of a few kB (see README).
const ZSTD_LEVEL: i32 = 3;

impl Encoder {
    /// An encoder with no reference sample: its first sample is a key frame.
    pub fn new() -> Encoder {
        Encoder {
            raw: Vec::new(),
            compressor: None,
            last_compressed: None,
            generation: DICTIONARY_WRITTEN,
        }
    }

    /// Writes the dictionaries of format 1.0 (dictionary 1 for key frames, none for delta
    /// frames) instead of this version's, so that a 1.0 file appended to by this version
    /// stays readable by rstat 1.0.
    pub fn write_format_1_0(&mut self) {
        if self.generation != 1 {
            self.generation = 1;
            self.compressor = None;
            self.last_compressed = None;
        }
    }

    /// The uncompressed key payload of `tables` (what dictionaries are made from).
    pub fn encode_key_raw(&mut self, tables: &[Table]) -> Result<&[u8], CodecError> {
        self.raw.clear();
        for table in tables {
            push_section_with(&mut self.raw, table.kind, |raw| {
                *raw = postcard::to_extend(&table.rows, std::mem::take(raw))
                    .map_err(|e| codec_err(e.to_string()))?;
                Ok(())
            })?;
        }
        Ok(&self.raw)
    }

    /// Encodes `tables` as a key frame payload into `out` (replacing its content). Returns the
    /// uncompressed size and the frame flags that say how `out` is compressed.
    pub fn encode_key(
        &mut self,
        tables: &[Table],
        out: &mut Vec<u8>,
    ) -> Result<(usize, u8), CodecError> {
        self.encode_key_raw(tables)?;
        self.compress_own_raw(out, true)
    }

    /// Encodes `tables` as a key frame payload into `out` (as [`Encoder::encode_key`]), and
    /// keeps them in `key` (replacing it) for the deltas that follow
    /// ([`Encoder::encode_delta_against`]).
    pub fn encode_key_into(
        &mut self,
        tables: &[Table],
        key: &mut EncodedKey,
        out: &mut Vec<u8>,
    ) -> Result<(usize, u8), CodecError> {
        key.encode(tables)?;
        self.compress(key.raw(), out, true)
    }

    /// Encodes `tables` as differences from `key` (a key frame's tables) into `out`.
    pub fn encode_delta(
        &mut self,
        tables: &[Table],
        key: &[Table],
        out: &mut Vec<u8>,
    ) -> Result<(usize, u8), CodecError> {
        let mut encoded = EncodedKey::new();
        encoded.encode(key)?;
        self.encode_delta_against(tables, &encoded, out)
    }

    /// Encodes `tables` as differences from `key` into `out`.
    pub fn encode_delta_against(
        &mut self,
        tables: &[Table],
        key: &EncodedKey,
        out: &mut Vec<u8>,
    ) -> Result<(usize, u8), CodecError> {
        self.encode_delta_raw_against(tables, key)?;
        self.compress_own_raw(out, false)
    }

    /// [`Encoder::compress`] of the encoder's own raw payload.
    fn compress_own_raw(
        &mut self,
        out: &mut Vec<u8>,
        key: bool,
    ) -> Result<(usize, u8), CodecError> {
        let raw = std::mem::take(&mut self.raw);
        let result = self.compress(&raw, out, key);
        self.raw = raw;
        result
    }

    /// The uncompressed delta payload of `tables` against `key` (what the delta dictionary is
    /// trained on).
    pub fn encode_delta_raw(
        &mut self,
        tables: &[Table],
        key: &[Table],
    ) -> Result<&[u8], CodecError> {
        let mut encoded = EncodedKey::new();
        encoded.encode(key)?;
        self.encode_delta_raw_against(tables, &encoded)
    }

    fn encode_delta_raw_against(
        &mut self,
        tables: &[Table],
        key: &EncodedKey,
    ) -> Result<&[u8], CodecError> {
        self.raw.clear();
        for table in tables {
            let rows = DeltaRows {
                cur: &table.rows,
                key: key.rows(table.kind),
            };
            // postcard writes a sequence's length first: the rows are written, then their
            // count is put in front (planning the rows twice, once to count them, compared
            // every row with the key's twice).
            push_section_with(&mut self.raw, table.kind, |raw| {
                let start = raw.len();
                let mut count = 0u64;
                rows.plan(|row| -> Result<(), CodecError> {
                    count += 1;
                    *raw = postcard::to_extend(&row, std::mem::take(raw))
                        .map_err(|e| codec_err(e.to_string()))?;
                    Ok(())
                })?;
                insert_varint(raw, start, count);
                Ok(())
            })?;
        }
        Ok(&self.raw)
    }

    /// Compresses the raw payload `raw` into `out` when that makes it smaller, with the
    /// built-in dictionary of its frame type. Returns the raw size and the compression flags
    /// (for a compressed delta payload, with [`frame::FLAG_DELTA`], which selects the
    /// dictionary).
    fn compress(
        &mut self,
        raw: &[u8],
        out: &mut Vec<u8>,
        key: bool,
    ) -> Result<(usize, u8), CodecError> {
        let dictionary = match (self.generation, key) {
            (1, true) => KEY_DICTIONARY_1,
            (1, false) => &[],
            (_, true) => KEY_DICTIONARY_2,
            (_, false) => DELTA_DICTIONARY_2,
        };
        let in_a_row = self.last_compressed == Some(key);
        self.last_compressed = Some(key);
        if self
            .compressor
            .as_ref()
            .is_some_and(|(of_key, _)| *of_key != key)
        {
            // Freed before the other is built, so that the two are never held together.
            self.compressor = None;
        }
        let zstd_err = |e: std::io::Error| codec_err(format!("zstd: {e}"));
        if self.compressor.is_none() && in_a_row {
            self.compressor = Some((key, new_compressor(dictionary).map_err(zstd_err)?));
        }
        let compressed = match &mut self.compressor {
            Some((_, compressor)) => {
                out.clear();
                out.reserve(zstd::zstd_safe::compress_bound(raw.len()));
                compressor.compress_to_buffer(raw, out).map_err(zstd_err)?
            }
            None => once::compress(raw, dictionary, &ONCE_PARAMETERS, out).map_err(codec_err)?,
        };
        if compressed < raw.len() {
            // The delta bit is part of naming dictionary 2 (its key or its delta member), so
            // it travels with the compression flags.
            let dictionary = match (self.generation, key) {
                (1, false) => 0,
                (generation, true) => frame::dictionary_flags(generation),
                (generation, false) => frame::dictionary_flags(generation) | frame::FLAG_DELTA,
            };
            Ok((raw.len(), frame::FLAG_ZSTD | dictionary))
        } else {
            out.clear();
            out.extend_from_slice(raw);
            Ok((raw.len(), 0))
        }
    }
}

/// zstd's match-finder tables for [`ZSTD_LEVEL`] at most 2^TABLE_LOG entries each (its
/// default for a key frame of 3,000 processes, ~400 kB, is 2^17 and 2^16: 0.7 MB of the
/// collector's heap, plus the dictionary's copy of the tables). 2^12 rather than 2^14: the
/// key context and its digested dictionary shrink by 0.2 MB, and frames grow by 0.1-0.3%
/// (a 237 kB key payload of 3,100 processes: 44,205 -> 44,248 bytes; deltas of 4-7 kB: 0 to
/// 8 bytes). See the README.
const TABLE_LOG: u32 = 12;

/// zstd's window: 2^WINDOW_LOG bytes. It also bounds zstd's block, and the buffers of a
/// context are sized by its block (128 kB by default: 0.5 MB of sequence and literal buffers).
const WINDOW_LOG: u32 = 15;

/// [`new_compressor`]'s parameters, for a frame compressed alone ([`once`]).
const ONCE_PARAMETERS: [(zstd::zstd_safe::zstd_sys::ZSTD_cParameter, i32); 4] = {
    use zstd::zstd_safe::zstd_sys::ZSTD_cParameter as P;
    [
        (P::ZSTD_c_compressionLevel, ZSTD_LEVEL),
        (P::ZSTD_c_hashLog, TABLE_LOG as i32),
        (P::ZSTD_c_chainLog, TABLE_LOG as i32),
        (P::ZSTD_c_windowLog, WINDOW_LOG as i32),
    ]
};

/// A compression context at [`ZSTD_LEVEL`] with `dictionary`, its tables capped at
/// [`TABLE_LOG`] (smaller payloads get smaller tables from zstd itself).
fn new_compressor(dictionary: &[u8]) -> std::io::Result<zstd::bulk::Compressor<'static>> {
    let mut compressor = zstd::bulk::Compressor::with_dictionary(ZSTD_LEVEL, dictionary)?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::HashLog(TABLE_LOG))?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::ChainLog(TABLE_LOG))?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::WindowLog(WINDOW_LOG))?;
    Ok(compressor)
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder::new()
    }
}

fn push_varint(out: &mut Vec<u8>, value: u64) {
    let (bytes, len) = varint(value);
    out.extend_from_slice(&bytes[..len]);
}

/// Puts `value` as a varint at `at` in `out`, moving what follows (one move instead of a
/// second buffer). Returns the varint's length.
fn insert_varint(out: &mut Vec<u8>, at: usize, value: u64) -> usize {
    let (bytes, len) = varint(value);
    out.splice(at..at, bytes[..len].iter().copied());
    len
}

/// `value` as a LEB128 varint (postcard's): its bytes and how many of them are used.
fn varint(mut value: u64) -> ([u8; 10], usize) {
    let mut bytes = [0u8; 10];
    let mut len = 0;
    while value >= 0x80 {
        bytes[len] = (value as u8) | 0x80;
        value >>= 7;
        len += 1;
    }
    bytes[len] = value as u8;
    (bytes, len + 1)
}

fn take_varint(bytes: &mut &[u8]) -> Result<u64, CodecError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes
            .split_first()
            .ok_or_else(|| codec_err("section header cut short"))?;
        *bytes = rest;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(codec_err("varint too long"))
}

/// Undoes the compression a frame's `flags` describe (zstd, with or without a built-in
/// dictionary). The result is at most [`MAX_RAW_PAYLOAD`] bytes: a frame declaring more is
/// refused before anything is allocated, and one that inflates past its declared size fails.
pub fn decompress(payload: &[u8], flags: u8) -> Result<std::borrow::Cow<'_, [u8]>, CodecError> {
    if flags & frame::FLAG_ZSTD == 0 {
        if payload.len() > MAX_RAW_PAYLOAD {
            return Err(codec_err(format!(
                "payload of {} bytes, more than a sample may hold ({MAX_RAW_PAYLOAD})",
                payload.len()
            )));
        }
        return Ok(std::borrow::Cow::Borrowed(payload));
    }
    let (id, dictionary) = builtin_dictionary(flags)?.unwrap_or((0, &[][..]));
    let size = zstd::zstd_safe::get_frame_content_size(payload)
        .map_err(|_| codec_err("zstd frame header is damaged"))?
        .ok_or_else(|| codec_err("zstd frame without content size"))?;
    if size > MAX_RAW_PAYLOAD as u64 {
        return Err(codec_err(format!(
            "zstd content size {size} out of range (at most {MAX_RAW_PAYLOAD})"
        )));
    }
    DECOMPRESSOR.with(|cache| {
        let mut cache = cache.borrow_mut();
        let decompressor = match &mut *cache {
            Some(decompressor) => decompressor,
            slot => slot.insert(
                zstd::bulk::Decompressor::new().map_err(|e| codec_err(format!("zstd: {e}")))?,
            ),
        };
        // Naming a prepared dictionary is a pointer change: one context serves every
        // dictionary (a one-shot append decodes a key and a delta frame; a context per
        // dictionary set up and touched one context's memory per frame type).
        let named = if dictionary.is_empty() {
            decompressor.set_dictionary(&[])
        } else {
            decompressor.set_prepared_dictionary(
                PREPARED_DICTIONARIES[id]
                    .get_or_init(|| zstd::dict::DecoderDictionary::new(dictionary)),
            )
        };
        named.map_err(|e| codec_err(format!("zstd: {e}")))?;
        // The capacity is the declared size: content past it is an error, not a reallocation.
        decompressor
            .decompress(payload, size as usize)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| codec_err(format!("zstd: {e}")))
    })
}

/// The built-in dictionaries digested for decompression, by [`builtin_dictionary`] slot (1:
/// [`KEY_DICTIONARY_1`], 2: [`KEY_DICTIONARY_2`], 3: [`DELTA_DICTIONARY_2`]; 0, no
/// dictionary, stays empty), each prepared once per process: loading a dictionary costs
/// more than decompressing a delta frame. They refer to the dictionaries in the binary
/// rather than copy them (a one-shot append copied 14 kB, 3 page faults, for one frame).
static PREPARED_DICTIONARIES: [std::sync::OnceLock<zstd::dict::DecoderDictionary<'static>>; 4] = [
    std::sync::OnceLock::new(),
    std::sync::OnceLock::new(),
    std::sync::OnceLock::new(),
    std::sync::OnceLock::new(),
];

thread_local! {
    /// [`decompress`]'s context, kept for the thread and shared by every dictionary.
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Splits a raw payload into its sections, in order.
fn sections(mut raw: &[u8]) -> impl Iterator<Item = Result<(TableKind, &[u8]), CodecError>> {
    std::iter::from_fn(move || {
        if raw.is_empty() {
            return None;
        }
        let section = (|| {
            let kind = take_varint(&mut raw)?;
            let len = take_varint(&mut raw)?;
            let kind = u16::try_from(kind).map_err(|_| codec_err("table kind out of range"))?;
            let len = usize::try_from(len).ok().filter(|&len| len <= raw.len());
            let len = len.ok_or_else(|| codec_err("section longer than the payload"))?;
            let (body, rest) = raw.split_at(len);
            raw = rest;
            Ok((TableKind(kind), body))
        })();
        if section.is_err() {
            raw = &[];
        }
        Some(section)
    })
}

/// Copies the sections of `raw` whose kind is in `kinds` to `out`, as a payload of their
/// own (what a reader needing a few tables decodes; see `crate::tail`). Sections after one
/// that does not split are left out.
pub(crate) fn select_sections(raw: &[u8], kinds: &[TableKind], out: &mut Vec<u8>) {
    for (kind, body) in sections(raw).map_while(Result::ok) {
        if kinds.contains(&kind) {
            push_varint(out, u64::from(kind.0));
            push_varint(out, body.len() as u64);
            out.extend_from_slice(body);
        }
    }
}

/// Decodes a raw (decompressed) key frame payload. Unknown table kinds are kept as they are
/// harmless to carry; readers look tables up by kind.
pub fn decode_key(raw: &[u8]) -> Result<Vec<Table>, CodecError> {
    let mut tables = Vec::new();
    decode_key_into(raw, &mut tables)?;
    Ok(tables)
}

/// [`decode_key`] into `tables`, whose tables, rows and strings are overwritten in place
/// (serde's in-place deserialisation): a reader decodes each chunk's key frame into the
/// recycled sample it is about to drop, so reading a key frame allocates only for what
/// grew. On an error `tables` holds what was decoded so far.
pub fn decode_key_into(raw: &[u8], tables: &mut Vec<Table>) -> Result<(), CodecError> {
    // Tables come in the same order key after key: the spare at a position most likely
    // has rows of the same shape.
    let mut spare = std::mem::take(tables);
    spare.reverse();
    let mut budget = DecodeBudget::default();
    for section in sections(raw) {
        let (kind, body) = section?;
        budget.charge_table()?;
        budget.check_declared_rows(declared_len(body)?)?;
        let mut table = spare.pop().unwrap_or_else(|| Table::new(kind));
        table.kind = kind;
        let mut body_reader = postcard::Deserializer::from_bytes(body);
        serde::Deserialize::deserialize_in_place(&mut body_reader, &mut table.rows)
            .map_err(|e| codec_err(format!("table {} ({}): {e}", kind.0, kind.name())))?;
        for row in &table.rows {
            budget.charge(row)?;
        }
        tables.push(table);
    }
    Ok(())
}

/// The element count a postcard sequence declares, read before decoding it.
fn declared_len(mut body: &[u8]) -> Result<u64, CodecError> {
    take_varint(&mut body)
}

/// Decodes a raw delta payload against its key frame's tables.
pub fn decode_delta(raw: &[u8], key: &[Table]) -> Result<Vec<Table>, CodecError> {
    let mut tables = Vec::new();
    decode_delta_into(raw, key, &mut tables)?;
    Ok(tables)
}

/// [`decode_delta`] into `tables`, whose old contents are overwritten: their strings and
/// vectors are reused (a reader recycles the sample it decoded before), so decoding a
/// sample of thousands of rows allocates next to nothing. On error `tables` is unspecified.
pub fn decode_delta_into(
    raw: &[u8],
    key: &[Table],
    tables: &mut Vec<Table>,
) -> Result<(), CodecError> {
    // Tables come in the same order sample after sample: the spare at a position most
    // likely has rows of the same shape.
    let mut spare = std::mem::take(tables);
    spare.reverse();
    let mut budget = DecodeBudget::default();
    for section in sections(raw) {
        let (kind, body) = section?;
        budget.charge_table()?;
        budget.check_declared_rows(declared_len(body)?)?;
        let base = key
            .iter()
            .find(|k| k.kind == kind)
            .map_or(&[][..], |k| &k.rows[..]);
        let mut table = spare.pop().unwrap_or_else(|| Table {
            kind,
            rows: Vec::new(),
        });
        table.kind = kind;
        let mut apply = apply::Apply {
            kind,
            base,
            rows: &mut table.rows,
            used: 0,
            expected: 0,
            budget: &mut budget,
            failure: None,
        };
        apply.section(body)?;
        let used = apply.used;
        table.rows.truncate(used);
        tables.push(table);
    }
    Ok(())
}

/// The next row slot of a table being decoded: a spare row to overwrite, or a new one.
fn next_row<'a>(rows: &'a mut Vec<Row>, used: &mut usize) -> &'a mut Row {
    if *used == rows.len() {
        rows.push(Row {
            key: String::new(),
            text: Vec::new(),
            values: Vec::new(),
        });
    }
    *used += 1;
    &mut rows[*used - 1]
}

#[derive(Serialize)]
enum DeltaRowOut<'a> {
    New(&'a Row),
    Known {
        link: i32,
        text: Option<&'a [String]>,
        deltas: Deltas<'a>,
    },
    Same(u32),
}

/// The rows of one table, serialized as differences from the key frame's rows.
struct DeltaRows<'a> {
    cur: &'a [Row],
    key: KeyRows<'a>,
}

impl<'a> DeltaRows<'a> {
    /// Calls `emit` with each encoded row in order: runs of rows identical to the key's rows
    /// at the expected positions become one `Same(n)`.
    fn plan<E>(&self, mut emit: impl FnMut(DeltaRowOut<'a>) -> Result<(), E>) -> Result<(), E> {
        let mut expected = 0usize;
        let mut same = 0u32;
        for row in self.cur {
            if same < u32::MAX && self.key.get(expected).is_some_and(|base| base.equals(row)) {
                same += 1;
                expected += 1;
                continue;
            }
            if same > 0 {
                emit(DeltaRowOut::Same(same))?;
                same = 0;
            }
            let link = self.key.find(expected, &row.key).and_then(|index| {
                let base = self.key.get(index)?;
                Some((
                    index,
                    base,
                    i32::try_from(index as i64 - expected as i64).ok()?,
                ))
            });
            match link {
                Some((index, base, link)) => {
                    let text = (!base.text_equals(&row.text)).then_some(&row.text[..]);
                    let deltas = Deltas {
                        cur: &row.values,
                        base,
                    };
                    emit(DeltaRowOut::Known { link, text, deltas })?;
                    expected = index + 1;
                }
                None => emit(DeltaRowOut::New(row))?,
            }
        }
        if same > 0 {
            emit(DeltaRowOut::Same(same))?;
        }
        Ok(())
    }
}

/// A row's values as differences from its key row's (a column the key row lacks counts
/// from 0).
struct Deltas<'a> {
    cur: &'a [u64],
    base: key::KeyRow<'a>,
}

impl Serialize for Deltas<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.cur.len()))?;
        let mut base = self.base.values();
        for &value in self.cur {
            let base = base.next().unwrap_or(0);
            seq.serialize_element(&(value.wrapping_sub(base) as i64))?;
        }
        seq.end()
    }
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
