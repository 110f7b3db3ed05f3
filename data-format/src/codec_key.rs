//! The key frame a delta is encoded against, held as its raw (uncompressed) payload with the
//! offset of each row, rather than as decoded tables.
//!
//! Why: a collector keeps its chunk's key frame for up to [`crate::writer::CHUNK_LEN`]
//! samples. Decoded, a process row is ~550 bytes of heap (a `String` per text, a `Vec<u64>`
//! of 29 counters and their allocations); encoded it is ~130 bytes (postcard varints). With
//! 3,000 processes that was 1.3 MB of the collector's peak RSS. The delta encoder reads what
//! it needs (the row's key, whether its text and counters are the same, each counter in
//! turn) straight from the bytes.
//!
//! The raw payload is byte for byte what the key frame's payload decompresses to: the same
//! bytes are compressed into the frame, so no second copy of the key is made.

use super::{insert_varint, push_varint, take_varint, CodecError};
use crate::limits::{DecodeBudget, RowShape};
use crate::schema::{Row, Table, TableKind};

/// A key frame's raw payload and where its rows are; see the module doc.
#[derive(Debug, Default)]
pub struct EncodedKey {
    raw: Vec<u8>,
    /// For each table, the start of each row in `raw`, then the end of its last row.
    bounds: Vec<u32>,
    tables: Vec<KeyTable>,
}

/// One table of the key: its kind and its rows' bounds at `bounds[first..=first + rows]`.
#[derive(Debug)]
struct KeyTable {
    kind: TableKind,
    first: usize,
    rows: usize,
}

impl EncodedKey {
    /// An empty key (no table).
    pub fn new() -> EncodedKey {
        EncodedKey::default()
    }

    /// Replaces the key by `tables`, encoded as a key frame's raw payload (reusing the buffers).
    pub fn encode(&mut self, tables: &[Table]) -> Result<(), CodecError> {
        self.raw.clear();
        self.bounds.clear();
        self.tables.clear();
        for table in tables {
            let first = self.bounds.len();
            let bounds = &mut self.bounds;
            push_section_with(&mut self.raw, table.kind, |raw| {
                push_varint(raw, table.rows.len() as u64);
                for row in &table.rows {
                    bounds.push(offset(raw.len())?);
                    *raw = postcard::to_extend(row, std::mem::take(raw))
                        .map_err(|e| CodecError(e.to_string()))?;
                }
                bounds.push(offset(raw.len())?);
                Ok(())
            })
            .map(|shift| {
                // The section's length went in front of its rows: they moved by its size.
                for bound in &mut self.bounds[first..] {
                    *bound += shift;
                }
            })?;
            self.tables.push(KeyTable {
                kind: table.kind,
                first,
                rows: table.rows.len(),
            });
        }
        Ok(())
    }

    /// Replaces the key by a key frame's raw (decompressed) payload as read from a file,
    /// taking `raw` without a copy: a writer appending to an existing chunk needs its key
    /// only as these bytes, so decoding it into rows and encoding them again was wasted.
    /// Accepts only what [`crate::codec::decode_key`] decodes (the same row layout, UTF-8,
    /// varints and decoding budget; trailing bytes in a section are refused), so that a
    /// delta encoded against it decodes for every reader; anything else is an error and the
    /// key is left empty.
    pub fn decode_from(&mut self, raw: Vec<u8>) -> Result<(), CodecError> {
        self.raw = raw;
        self.bounds.clear();
        self.tables.clear();
        let result = self.index_rows();
        if result.is_err() {
            self.raw.clear();
            self.bounds.clear();
            self.tables.clear();
        }
        result
    }

    /// Fills `bounds` and `tables` from `raw` (see [`EncodedKey::decode_from`]).
    fn index_rows(&mut self) -> Result<(), CodecError> {
        let mut budget = DecodeBudget::default();
        let whole = self.raw.as_slice();
        // Where `part` (a slice of `whole`) starts in it.
        let at = |part: &[u8]| offset(part.as_ptr() as usize - whole.as_ptr() as usize);
        for section in super::sections(whole) {
            let (kind, mut body) = section?;
            let bad =
                |what: &str| CodecError(format!("table {} ({}): {what}", kind.0, kind.name()));
            budget.charge_table()?;
            let count = take_length(&mut body).ok_or_else(|| bad("row count does not decode"))?;
            budget.check_declared_rows(count as u64)?;
            let first = self.bounds.len();
            // Each row takes at least 3 bytes: no reservation past what the section holds.
            self.bounds.reserve(count.min(body.len() / 3) + 1);
            for _ in 0..count {
                self.bounds.push(at(body)?);
                let shape = take_row(&mut body).ok_or_else(|| bad("a row does not decode"))?;
                budget.charge_shape(shape)?;
            }
            if !body.is_empty() {
                return Err(bad(&format!("{} bytes after its rows", body.len())));
            }
            self.bounds.push(at(body)?);
            self.tables.push(KeyTable {
                kind,
                first,
                rows: count,
            });
        }
        Ok(())
    }

    /// The raw payload (what [`crate::codec::decode_key`] reads).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The rows of table `kind` (none when the key has no such table).
    pub(crate) fn rows(&self, kind: TableKind) -> KeyRows<'_> {
        match self.tables.iter().find(|table| table.kind == kind) {
            Some(table) => KeyRows {
                raw: &self.raw,
                bounds: &self.bounds[table.first..=table.first + table.rows],
            },
            None => KeyRows {
                raw: &[],
                bounds: &[],
            },
        }
    }
}

/// A section's offset as stored (a key frame is far below 4 GiB: see
/// [`crate::limits::MAX_RAW_PAYLOAD`]).
fn offset(len: usize) -> Result<u32, CodecError> {
    u32::try_from(len).map_err(|_| CodecError(format!("a key frame of more than {len} bytes")))
}

/// Appends a section of `kind` whose body `write_body` appends to `raw`, then puts the body's
/// length in front of it (one move of the body, instead of a second buffer as large as the
/// largest table). Returns by how many bytes the body moved.
pub(crate) fn push_section_with(
    raw: &mut Vec<u8>,
    kind: TableKind,
    write_body: impl FnOnce(&mut Vec<u8>) -> Result<(), CodecError>,
) -> Result<u32, CodecError> {
    push_varint(raw, u64::from(kind.0));
    let start = raw.len();
    write_body(raw)?;
    let body_len = (raw.len() - start) as u64;
    Ok(insert_varint(raw, start, body_len) as u32)
}

/// The rows of one table of an [`EncodedKey`].
#[derive(Clone, Copy)]
pub(crate) struct KeyRows<'a> {
    raw: &'a [u8],
    /// Start of each row, then the end of the last.
    bounds: &'a [u32],
}

impl<'a> KeyRows<'a> {
    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// Row `index`, if there is one.
    pub(crate) fn get(&self, index: usize) -> Option<KeyRow<'a>> {
        let start = *self.bounds.get(index)? as usize;
        let end = *self.bounds.get(index + 1)? as usize;
        KeyRow::parse(self.raw.get(start..end)?)
    }

    /// Where the row named `key` is: first at `expected` (rows usually keep their order),
    /// then anywhere.
    pub(crate) fn find(&self, expected: usize, key: &str) -> Option<usize> {
        let named = |index: usize| self.get(index).is_some_and(|row| row.key == key.as_bytes());
        if named(expected) {
            return Some(expected);
        }
        (0..self.len()).find(|&index| named(index))
    }
}

/// One encoded row: `key`, then `text` and `values` still in their postcard form (a count,
/// then the items).
#[derive(Clone, Copy)]
pub(crate) struct KeyRow<'a> {
    key: &'a [u8],
    text: &'a [u8],
    values: &'a [u8],
}

impl<'a> KeyRow<'a> {
    /// Splits a row's bytes (as [`EncodedKey::encode`] wrote them) into its fields.
    fn parse(mut bytes: &'a [u8]) -> Option<KeyRow<'a>> {
        let key = take_bytes(&mut bytes)?;
        let text_start = bytes;
        let count = take_u64(&mut bytes)?;
        for _ in 0..count {
            take_bytes(&mut bytes)?;
        }
        let text = &text_start[..text_start.len() - bytes.len()];
        Some(KeyRow {
            key,
            text,
            values: bytes,
        })
    }

    /// Whether `row` has this row's key, text and values.
    pub(crate) fn equals(&self, row: &Row) -> bool {
        self.key == row.key.as_bytes() && self.text_equals(&row.text) && {
            let mut values = self.values;
            take_u64(&mut values) == Some(row.values.len() as u64)
                && row
                    .values
                    .iter()
                    .all(|&value| take_u64(&mut values) == Some(value))
        }
    }

    /// Whether `text` is this row's text.
    pub(crate) fn text_equals(&self, text: &[String]) -> bool {
        let mut bytes = self.text;
        take_u64(&mut bytes) == Some(text.len() as u64)
            && text
                .iter()
                .all(|item| take_bytes(&mut bytes) == Some(item.as_bytes()))
    }

    /// This row's values, in column order.
    pub(crate) fn values(&self) -> impl Iterator<Item = u64> + 'a {
        let mut bytes = self.values;
        let count = take_u64(&mut bytes).unwrap_or(0);
        (0..count).map_while(move |_| take_u64(&mut bytes))
    }
}

/// Steps over one postcard-encoded [`Row`] as `serde` derives it (key: a string; text: a
/// sequence of strings; values: a sequence of `u64` varints), checking it as postcard does.
/// `None` when it does not decode.
fn take_row(bytes: &mut &[u8]) -> Option<RowShape> {
    let key_len = take_str(bytes)?;
    let texts = take_length(bytes)?;
    let mut text_bytes = 0;
    for _ in 0..texts {
        text_bytes += take_str(bytes)?;
    }
    let values = take_length(bytes)?;
    for _ in 0..values {
        take_u64(bytes)?;
    }
    Some(RowShape {
        key_len,
        texts,
        text_bytes,
        values,
    })
}

/// A postcard string: its length, then UTF-8 bytes. Returns its length.
fn take_str(bytes: &mut &[u8]) -> Option<usize> {
    let item = take_bytes(bytes)?;
    // Names are ASCII: checking that costs a tenth of a UTF-8 check's call (which was a
    // third of reading a key frame).
    if !item.is_ascii() {
        std::str::from_utf8(item).ok()?;
    }
    Some(item.len())
}

/// A postcard sequence or string length (a `usize` varint).
#[inline]
fn take_length(bytes: &mut &[u8]) -> Option<usize> {
    usize::try_from(take_u64(bytes)?).ok()
}

/// A `u64` varint as postcard reads it: at most 10 bytes, the last holding one bit.
#[inline]
fn take_u64(bytes: &mut &[u8]) -> Option<u64> {
    // Most lengths and counters of a key frame fit one byte.
    if let Some((&byte, rest)) = bytes.split_first() {
        if byte < 0x80 {
            *bytes = rest;
            return Some(u64::from(byte));
        }
    }
    let start = *bytes;
    let value = take_varint(bytes).ok()?;
    (start.len() - bytes.len() < 10 || start[9] <= 1).then_some(value)
}

/// A postcard string or byte string: its length, then its bytes. Inlined, as the helpers
/// above: they run for every field of every key row (19,000 of a one-shot run's 3.17 M
/// instructions went to the calls).
#[inline]
fn take_bytes<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = take_length(bytes)?;
    if len > bytes.len() {
        return None;
    }
    let (item, rest) = bytes.split_at(len);
    *bytes = rest;
    Some(item)
}

#[cfg(test)]
mod tests {
    use super::super::{decode_key, Encoder};
    use super::*;

    fn tables() -> Vec<Table> {
        let row = |key: &str, text: &[&str], values: &[u64]| Row {
            key: key.into(),
            text: text.iter().map(|t| t.to_string()).collect(),
            values: values.to_vec(),
        };
        vec![
            Table {
                kind: TableKind::CPU,
                rows: vec![row("cpu", &[], &[1, 300, u64::MAX]), row("cpu0", &[], &[])],
            },
            Table {
                kind: TableKind::PROCESSES,
                // A body over 127 bytes: its length takes two bytes.
                rows: (0..20)
                    .map(|pid| row(&pid.to_string(), &["sleep", "sl\u{e9}ep\u{0}9"], &[pid, 7]))
                    .collect(),
            },
            Table {
                kind: TableKind::NETDEV,
                rows: Vec::new(),
            },
        ]
    }

    #[test]
    fn the_raw_payload_is_the_key_frame_payload() {
        let mut key = EncodedKey::new();
        key.encode(&tables()).unwrap();
        let mut encoder = Encoder::new();
        assert_eq!(key.raw(), encoder.encode_key_raw(&tables()).unwrap());
        assert_eq!(decode_key(key.raw()).unwrap(), tables());
    }

    #[test]
    fn rows_are_read_from_the_bytes() {
        let mut key = EncodedKey::new();
        // Encoded twice: the second encoding reuses the buffers and must not keep old rows.
        key.encode(&tables()[1..]).unwrap();
        key.encode(&tables()).unwrap();
        let all = tables();
        for table in &all {
            let rows = key.rows(table.kind);
            assert_eq!(rows.len(), table.rows.len());
            for (index, row) in table.rows.iter().enumerate() {
                let encoded = rows.get(index).unwrap();
                assert!(encoded.equals(row));
                assert!(encoded.text_equals(&row.text));
                assert_eq!(encoded.values().collect::<Vec<_>>(), row.values);
                assert_eq!(rows.find(0, &row.key), Some(index));
            }
            assert!(rows.get(table.rows.len()).is_none());
        }
        let processes = key.rows(TableKind::PROCESSES);
        let mut changed = all[1].rows[3].clone();
        changed.values[1] = 8;
        assert!(!processes.get(3).unwrap().equals(&changed));
        changed.values[1] = 7;
        changed.values.push(0);
        assert!(!processes.get(3).unwrap().equals(&changed));
        changed.values.pop();
        changed.text[1].push('x');
        assert!(!processes.get(3).unwrap().equals(&changed));
        assert!(!processes.get(3).unwrap().text_equals(&changed.text));
        assert_eq!(processes.find(5, "19"), Some(19));
        assert_eq!(processes.find(0, "20"), None);
        assert_eq!(key.rows(TableKind::MEMINFO).len(), 0);
        assert!(key.rows(TableKind::MEMINFO).get(0).is_none());
    }

    #[test]
    fn a_key_read_from_its_raw_bytes_is_the_encoded_key() {
        let mut encoded = EncodedKey::new();
        encoded.encode(&tables()).unwrap();
        let mut read = EncodedKey::new();
        read.decode_from(encoded.raw().to_vec()).unwrap();
        assert_eq!(read.raw(), encoded.raw());
        assert_eq!(read.bounds, encoded.bounds);
        assert_eq!(
            read.tables
                .iter()
                .map(|t| (t.kind, t.first, t.rows))
                .collect::<Vec<_>>(),
            encoded
                .tables
                .iter()
                .map(|t| (t.kind, t.first, t.rows))
                .collect::<Vec<_>>()
        );
        // The delta against either is the same bytes, and decodes against the decoded rows.
        let mut current = tables();
        current[0].rows[0].values[1] += 7;
        current[1].rows.remove(4);
        current[1].rows[9].text[0] = "bash".into();
        let mut encoder = Encoder::new();
        let from_rows = encoder
            .encode_delta_raw_against(&current, &encoded)
            .unwrap()
            .to_vec();
        let from_raw = encoder.encode_delta_raw_against(&current, &read).unwrap();
        assert_eq!(from_raw, from_rows);
        let decoded = super::super::decode_delta(from_raw, &decode_key(read.raw()).unwrap());
        assert_eq!(decoded.unwrap(), current);
    }

    /// Every key frame payload `decode_from` accepts, among a valid one cut short and with
    /// each byte changed, decodes for readers to rows that are exactly the ones it reads:
    /// what it accepts, a delta against it decodes right; what it refuses costs a key frame.
    #[test]
    fn damaged_raw_keys_are_refused_or_read_as_readers_decode_them() {
        let mut encoded = EncodedKey::new();
        encoded.encode(&tables()).unwrap();
        let good = encoded.raw().to_vec();
        let mut variants: Vec<Vec<u8>> = (0..good.len()).map(|n| good[..n].to_vec()).collect();
        for at in 0..good.len() {
            for byte in [0x00, 0x01, 0x7f, 0x80, 0xff, good[at] ^ 0x20] {
                let mut changed = good.clone();
                changed[at] = byte;
                variants.push(changed);
            }
        }
        // A varint of ten bytes whose last holds more than one bit (postcard refuses it).
        let mut overlong = Vec::new();
        push_section_with(&mut overlong, TableKind::CPU, |raw| {
            raw.extend_from_slice(&[1, 1, b'c', 0, 1]);
            raw.extend_from_slice(&[0xff; 9]);
            raw.push(0x02);
            Ok(())
        })
        .unwrap();
        assert!(decode_key(&overlong).is_err());
        variants.push(overlong);
        let (mut accepted, mut refused) = (0, 0);
        for raw in variants {
            let mut read = EncodedKey::new();
            if read.decode_from(raw.clone()).is_err() {
                refused += 1;
                assert!(read.raw().is_empty() && read.tables.is_empty());
                continue;
            }
            accepted += 1;
            let decoded = decode_key(&raw).expect("accepted, so readers decode it");
            assert_eq!(read.tables.len(), decoded.len());
            for table in &decoded {
                let rows = read.rows(table.kind);
                let first = decoded.iter().find(|t| t.kind == table.kind).unwrap();
                assert_eq!(rows.len(), first.rows.len());
                for (index, row) in first.rows.iter().enumerate() {
                    assert!(rows.get(index).unwrap().equals(row), "{raw:?}");
                }
            }
        }
        assert!(
            accepted > 100 && refused > 100,
            "{accepted} accepted, {refused} refused"
        );
    }
}
