//! `/proc/tty/driver/serial` → [`TableKind::SERIAL`]: one row per serial line that has a `tx:`
//! counter (a port with no UART has none), key = the line number, values
//! `[tx, rx, fe, pe, brk, oe]` (see [`serial_col`]); a counter the driver does not print is 0
//! (it prints `fe:` and the others only once they are non-zero).
//!
//! Lines look like `0: uart:16550A port:000003F8 irq:4 tx:120 rx:0 fe:2 RTS|DTR`; the first
//! line (`serinfo:1.0 driver revision:`) and lines without `tx:` are skipped. The file is
//! readable by root only.
//!
//! [`TableKind::SERIAL`]: rstat_data_format::schema::TableKind::SERIAL
//! [`serial_col`]: rstat_data_format::schema_system::serial_col

use rstat_data_format::schema::{Table, TableFill};
use rstat_data_format::schema_system::serial_col;

use super::{key_text, parse_u64, quote, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/tty/driver/serial";

/// The counters stored, by their prefix in the file, in column order.
const COUNTERS: [(&[u8], usize); serial_col::COUNT] = [
    (b"tx:", serial_col::TX),
    (b"rx:", serial_col::RX),
    (b"fe:", serial_col::FRAME),
    (b"pe:", serial_col::PARITY),
    (b"brk:", serial_col::BRK),
    (b"oe:", serial_col::OVERRUN),
];

/// Refills `table` from the bytes of `/proc/tty/driver/serial`.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(FILE, bytes) {
        if !line.fields().any(|field| field.starts_with(b"tx:")) {
            continue;
        }
        let mut fields = line.fields();
        let number = fields.token("the line number")?;
        let Some(number) = number.strip_suffix(b":").filter(|n| parse_u64(n).is_some()) else {
            return Err(line.error(format!(
                "expected `N:` (a line number), found `{}`",
                quote(number)
            )));
        };
        let mut values = [0u64; serial_col::COUNT];
        for field in fields {
            for (prefix, column) in COUNTERS {
                if let Some(value) = field.strip_prefix(prefix) {
                    values[column] = parse_u64(value).ok_or_else(|| {
                        line.error(format!("expected a number in `{}`", quote(field)))
                    })?;
                }
            }
        }
        fill.row(&key_text(number))
            .values
            .extend_from_slice(&values);
    }
    Ok(())
}
