//! `/proc/uptime` → [`TableKind::UPTIME`](rstat_data_format::schema::TableKind::UPTIME): one
//! row `uptime` with `[uptime_cs, idle_cs]` in hundredths of a second. Readers take sample
//! intervals from it, never from the wall clock.

use rstat_data_format::schema::Table;

use super::{Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/uptime";

/// Refills `table` from the bytes of `/proc/uptime` (`"12345.67 2345.89\n"`). Decimals beyond
/// the second are rounded, missing ones count as zero; fields after the second are ignored.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut lines = Lines::new(FILE, bytes);
    let line = lines
        .next_nonblank()
        .ok_or_else(|| ParseError::new(FILE, 1, "empty file"))?;
    let mut fields = line.fields();
    let uptime_cs = fields.hundredths("the uptime")?;
    let idle_cs = fields.hundredths("the idle time")?;

    let mut fill = table.refill();
    fill.row("uptime").values.extend([uptime_cs, idle_cs]);
    fill.finish();
    Ok(())
}
