//! `/proc/net/dev` → [`TableKind::NETDEV`](rstat_data_format::schema::TableKind::NETDEV): one row
//! per interface, in file order, key = interface name, values = the 16 counters (see
//! [`net_col`](rstat_data_format::schema::net_col); more are kept should a kernel append some).
//!
//! The kernel prints `"%6s:%8llu %7llu ..."`: the name is right-aligned, and a counter wider
//! than its column touches the colon (`lo:4294967296`). Interface names cannot contain
//! whitespace or `:`, so the name is the first word up to its last `:` (the last one, so an
//! old-style alias such as `eth0:1:` keeps its full name) and the counters start right after.

use rstat_data_format::schema::{Table, TableFill};

use super::{key_text, quote, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/net/dev";

/// Header lines before the first interface (`Inter-|   Receive ...`, ` face |bytes ...`).
const HEADER_LINES: usize = 2;

/// Counters every kernel prints per interface.
const COUNTERS_MIN: usize = 16;

/// Refills `table` from the bytes of `/proc/net/dev`. The two header lines must be there
/// (each has a `|`), so a file that is not a /proc/net/dev is not read as interfaces; no
/// interface after them is valid.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut lines = Lines::new(FILE, bytes);
    for _ in 0..HEADER_LINES {
        let line = lines.next();
        let is_header = line.is_some_and(|line| line.bytes.contains(&b'|'));
        if !is_header {
            return Err(ParseError::new(
                FILE,
                lines.number().max(1),
                "missing the two header lines",
            ));
        }
    }
    let mut fill = table.refill();
    let result = fill_rows(lines, &mut fill);
    fill.finish();
    result
}

fn fill_rows(lines: Lines<'_>, fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in lines {
        let text = line.bytes.trim_ascii_start();
        if text.is_empty() {
            continue;
        }
        let first_word_len = text
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(text.len());
        let Some(colon) = text[..first_word_len]
            .iter()
            .rposition(|&byte| byte == b':')
        else {
            return Err(line.error(format!(
                "expected `name:` before the counters, found `{}`",
                quote(&text[..first_word_len])
            )));
        };
        let name = &text[..colon];
        if name.is_empty() {
            return Err(line.error("empty interface name"));
        }
        let mut fields = line.fields_of(&text[colon + 1..]);
        let values = &mut fill.row(&key_text(name)).values;
        fields.rest_into(values, "a counter")?;
        if values.len() < COUNTERS_MIN {
            return Err(line.error(format!(
                "{} has {} counters, expected {COUNTERS_MIN}",
                quote(name),
                values.len()
            )));
        }
    }
    Ok(())
}
