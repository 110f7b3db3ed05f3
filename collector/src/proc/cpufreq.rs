//! CPU frequency sources (sar -m CPU and FREQ):
//! - `/proc/cpuinfo` → [`TableKind::CPUFREQ`] rows `cpuN` with the `cpu MHz` (x86) or `clock`
//!   (POWER: `3000.000000MHz`) value of processor N, stored in kHz (MHz × 1000, exact for the
//!   three decimals x86 prints). A processor block without either line gets no row; a file
//!   without any (ARM) gives an empty table.
//! - `cpufreq/stats/time_in_state` (sysfs, one file per CPU): `freq_kHz time` lines, parsed
//!   by [`parse_time_in_state`] into `[freq, time, freq, time, ...]`.
//!
//! [`TableKind::CPUFREQ`]: rstat_data_format::schema::TableKind::CPUFREQ

use rstat_data_format::schema::{Table, TableFill};

use super::values::{numbered_key, parse_thousandths};
use super::{parse_u64, quote, Lines, ParseError};

/// `/proc/cpuinfo`, as named in errors.
pub const CPUINFO_FILE: &str = "/proc/cpuinfo";
/// A `time_in_state` file, as named in errors.
pub const TIME_IN_STATE_FILE: &str = "/sys/devices/system/cpu/cpu*/cpufreq/stats/time_in_state";

/// Refills `table` from the bytes of `/proc/cpuinfo`.
pub fn parse_cpuinfo(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_cpuinfo(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_cpuinfo(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    let mut processor = None;
    let mut key = [0u8; 40];
    for line in Lines::new(CPUINFO_FILE, bytes) {
        let Some(colon) = line.bytes.iter().position(|&byte| byte == b':') else {
            continue;
        };
        let name = line.bytes[..colon].trim_ascii();
        let value = line.bytes[colon + 1..].trim_ascii();
        match name {
            b"processor" => {
                processor = Some(parse_u64(value).ok_or_else(|| {
                    line.error(format!(
                        "expected a processor number, found `{}`",
                        quote(value)
                    ))
                })?);
            }
            b"cpu MHz" | b"clock" => {
                let Some(number) = processor else {
                    return Err(line.error("a frequency before any `processor` line"));
                };
                let mhz = value.strip_suffix(b"MHz").unwrap_or(value);
                let khz = parse_thousandths(mhz).ok_or_else(|| {
                    line.error(format!(
                        "expected a frequency in MHz, found `{}`",
                        quote(value)
                    ))
                })?;
                fill.row(numbered_key(&mut key, "cpu", number))
                    .values
                    .push(khz);
                // One frequency per processor: a second line for the same one is ignored.
                processor = None;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses a `time_in_state` file into `values` (cleared first): `[freq_kHz, time, ...]`.
pub fn parse_time_in_state(bytes: &[u8], values: &mut Vec<u64>) -> Result<(), ParseError> {
    values.clear();
    for line in Lines::new(TIME_IN_STATE_FILE, bytes) {
        let mut fields = line.fields();
        let Some(freq) = fields.next() else { continue };
        let freq = fields.to_number(freq, "a frequency")?;
        let time = fields.number("a time")?;
        values.extend([freq, time]);
    }
    Ok(())
}

/// [`parse_time_in_state`] into a one-row table (key `cpu`), for tests and fuzzing.
pub fn parse_time_in_state_table(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = parse_time_in_state(bytes, &mut fill.row("cpu").values);
    fill.finish();
    result
}
