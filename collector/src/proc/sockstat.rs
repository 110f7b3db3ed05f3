//! `/proc/net/sockstat` → [`TableKind::SOCKSTAT`] and `/proc/net/sockstat6` →
//! [`TableKind::SOCKSTAT6`]: one row per line, key = the label without its colon (`sockets`,
//! `TCP`, `FRAG6`), text = the field names (`used`; `inuse orphan tw alloc mem`), values = the
//! number after each name.
//!
//! Lines look like `TCP: inuse 2 orphan 0 tw 0 alloc 2 mem 96`: names and numbers alternate.
//!
//! [`TableKind::SOCKSTAT`]: rstat_data_format::schema::TableKind::SOCKSTAT
//! [`TableKind::SOCKSTAT6`]: rstat_data_format::schema::TableKind::SOCKSTAT6

use rstat_data_format::schema::{Table, TableFill};

use super::values::row_with_texts;
use super::{key_text, quote, refill_nonempty, Lines, ParseError};

/// The IPv4 file, as named in errors.
pub const FILE: &str = "/proc/net/sockstat";
/// The IPv6 file, as named in errors.
pub const FILE6: &str = "/proc/net/sockstat6";

/// Refills `table` from the bytes of `/proc/net/sockstat`.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_file(FILE, bytes, table)
}

/// Refills `table` from the bytes of `/proc/net/sockstat6`.
pub fn parse6(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_file(FILE6, bytes, table)
}

fn parse_file(file: &'static str, bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(file, table, "empty file", |fill| {
        fill_rows(file, bytes, fill)
    })
}

fn fill_rows(file: &'static str, bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let Some(label) = fields.next() else { continue };
        let Some(label) = label.strip_suffix(b":").filter(|label| !label.is_empty()) else {
            return Err(line.error(format!("expected `LABEL:` first, found `{}`", quote(label))));
        };
        let pairs = line.fields().skip(1).count();
        if pairs % 2 != 0 {
            return Err(line.error("expected name and number pairs"));
        }
        let row = row_with_texts(fill, &key_text(label), pairs / 2, || {
            line.error("too many fields")
        })?;
        let mut index = 0;
        while let Some(name) = fields.next() {
            let value = fields.number("a socket count")?;
            row.text[index].push_str(&key_text(name));
            row.values.push(value);
            index += 1;
        }
    }
    Ok(())
}
