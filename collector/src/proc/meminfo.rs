//! `/proc/meminfo` → [`TableKind::MEMINFO`](rstat_data_format::schema::TableKind::MEMINFO): one
//! row per line, key = the field name without its colon (`MemFree`, `Active(anon)`,
//! `Hugepagesize`), value as written: kB for sizes, a count for `HugePages_*`. The unit is not
//! stored (readers know which fields are counts) and not converted, unlike procfs-core.

use rstat_data_format::schema::{Table, TableFill};

use super::{quote, refill_nonempty, Lines, ParseError, Text};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/meminfo";

/// Refills `table` from the bytes of `/proc/meminfo` (`"MemFree:   24342560 kB\n"`). What
/// follows the number (the unit) is ignored; an empty file is an error.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(FILE, table, "empty file", |fill| fill_rows(bytes, fill))
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    let text = Text::new(bytes);
    for line in Lines::new(FILE, bytes) {
        if line.is_blank() {
            continue;
        }
        // Split at the colon rather than at whitespace: the kernel pads after it, but a value
        // wide enough to touch it ("Key:123") must still parse.
        let Some(colon) = line.bytes.iter().position(|&byte| byte == b':') else {
            return Err(line.error(format!(
                "expected `Name: value`, found `{}`",
                quote(line.bytes)
            )));
        };
        let name = line.bytes[..colon].trim_ascii();
        if name.is_empty() || name.iter().any(u8::is_ascii_whitespace) {
            return Err(line.error(format!(
                "expected a field name before `:`, found `{}`",
                quote(name)
            )));
        }
        let value = line
            .fields_of(&line.bytes[colon + 1..])
            .number("the value")?;
        fill.row(&text.of(name)).values.push(value);
    }
    Ok(())
}
