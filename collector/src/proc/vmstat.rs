//! `/proc/vmstat` → [`TableKind::VMSTAT`](rstat_data_format::schema::TableKind::VMSTAT): one row
//! per line `name value`, in file order, every field kept (which ones exist depends on the
//! kernel version and configuration).

use rstat_data_format::schema::{Table, TableFill};

use super::{refill_nonempty, Lines, ParseError, Text};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/vmstat";

/// Refills `table` from the bytes of `/proc/vmstat`. Fields after the value are ignored; an
/// empty file is an error (the kernel always prints counters).
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(FILE, table, "empty file", |fill| fill_rows(bytes, fill))
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    let text = Text::new(bytes);
    for line in Lines::new(FILE, bytes) {
        let mut fields = line.fields();
        let Some(name) = fields.next() else {
            continue;
        };
        let value = fields.number("the value")?;
        fill.row(&text.of(name)).values.push(value);
    }
    Ok(())
}
