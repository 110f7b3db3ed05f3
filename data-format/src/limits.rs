//! What one sample can legitimately hold, and the budget every payload decoder charges as it
//! builds tables, so that no file, however crafted, makes a reader allocate more than a
//! fixed bound beyond what its real samples need.
//!
//! A few kilobytes of zstd can inflate to hundreds of megabytes, and a row of three bytes
//! becomes a 72-byte [`Row`] in memory; a delta's "same as the key" runs copy key rows.
//! So the decompressed size is capped before anything is allocated, a table's declared row
//! count is checked before its rows are decoded, and the decoded size is counted as it grows.
//! A real sample of a host with 10,000 processes decodes to a few megabytes; these bounds
//! are ten times that and more. The writer refuses a sample past them, so that nothing it
//! writes is refused by a reader.

use crate::schema::{Row, Table};

/// A sample past one of the bounds: the message says which (the codec reports it as a
/// payload that does not decode).
#[derive(Debug)]
pub struct OverLimit(pub String);

/// The most bytes a sample payload may decompress to.
pub const MAX_RAW_PAYLOAD: usize = 16 * 1024 * 1024;
/// The most rows a sample may hold, over all its tables.
pub const MAX_ROWS: usize = 1_000_000;
/// The most memory a decoded sample may take, by [`row_cost`].
pub const MAX_DECODED_BYTES: usize = 64 * 1024 * 1024;

/// The memory a decoded row takes: the row itself, its strings and its values.
pub fn row_cost(row: &Row) -> usize {
    RowShape {
        key_len: row.key.len(),
        texts: row.text.len(),
        text_bytes: row.text.iter().map(String::len).sum(),
        values: row.values.len(),
    }
    .cost()
}

/// The sizes of a row that its memory depends on, read from its encoded bytes without
/// decoding it (the writer's key frame, see `EncodedKey::decode_from`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowShape {
    pub(crate) key_len: usize,
    pub(crate) texts: usize,
    pub(crate) text_bytes: usize,
    pub(crate) values: usize,
}

impl RowShape {
    /// What [`row_cost`] says of a row of this shape.
    fn cost(self) -> usize {
        std::mem::size_of::<Row>()
            + self.key_len
            + self.texts * std::mem::size_of::<String>()
            + self.text_bytes
            + self.values * std::mem::size_of::<u64>()
    }
}

/// What the decoding of one sample has used so far.
#[derive(Debug, Default)]
pub(crate) struct DecodeBudget {
    rows: usize,
    bytes: usize,
}

impl DecodeBudget {
    /// Checks a table's declared row count before its rows are decoded.
    pub(crate) fn check_declared_rows(&self, declared: u64) -> Result<(), OverLimit> {
        if declared > (MAX_ROWS - self.rows) as u64 {
            return Err(OverLimit(format!(
                "a table declares {declared} rows, more than a sample may hold ({MAX_ROWS})"
            )));
        }
        Ok(())
    }

    /// Counts a decoded table (an empty section still costs a [`Table`]).
    pub(crate) fn charge_table(&mut self) -> Result<(), OverLimit> {
        self.bytes += std::mem::size_of::<Table>();
        self.check()
    }

    /// Counts a decoded row.
    pub(crate) fn charge(&mut self, row: &Row) -> Result<(), OverLimit> {
        self.rows += 1;
        self.bytes += row_cost(row);
        self.check()
    }

    /// Counts a row of `shape` as [`DecodeBudget::charge`] counts it decoded.
    pub(crate) fn charge_shape(&mut self, shape: RowShape) -> Result<(), OverLimit> {
        self.rows += 1;
        self.bytes = self.bytes.saturating_add(shape.cost());
        self.check()
    }

    fn check(&self) -> Result<(), OverLimit> {
        if self.rows > MAX_ROWS || self.bytes > MAX_DECODED_BYTES {
            return Err(OverLimit(format!(
                "the sample decodes to more than {MAX_ROWS} rows or {} MiB",
                MAX_DECODED_BYTES >> 20
            )));
        }
        Ok(())
    }
}
