//! `/proc/vmstat` → [`TableKind::VMSTAT`](rstat_data_format::schema::TableKind::VMSTAT): one row
//! per line `name value`, in file order, every field kept (which ones exist depends on the
//! kernel version and configuration).

use rstat_data_format::schema::{Table, TableFill};

use super::{key_text, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/vmstat";

/// Refills `table` from the bytes of `/proc/vmstat`. Fields after the value are ignored; an
/// empty file is an error (the kernel always prints counters).
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(bytes, &mut fill);
    let empty = fill.is_empty();
    fill.finish();
    result?;
    if empty {
        return Err(ParseError::new(FILE, 1, "empty file"));
    }
    Ok(())
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(FILE, bytes) {
        let mut fields = line.fields();
        let Some(name) = fields.next() else {
            continue;
        };
        let value = fields.number("the value")?;
        fill.row(&key_text(name)).values.push(value);
    }
    Ok(())
}
