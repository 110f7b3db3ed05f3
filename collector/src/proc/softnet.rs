//! `/proc/net/softnet_stat` → [`TableKind::SOFTNET`]: one row per CPU, key `cpuN`, values =
//! every column of the line, hexadecimal in the file (see [`softnet_col`]).
//!
//! Since 5.10 the kernel prints the CPU's number in column 13, so lines of offline CPUs
//! (which are not printed) cannot shift the others; before that, the parser keys a line by
//! its position and the sampler then gives the lines to the online CPUs in order, as
//! sysstat's read_softnet does (`rstat_data_format::hotplug::renumber_softnet`).
//!
//! [`TableKind::SOFTNET`]: rstat_data_format::schema::TableKind::SOFTNET
//! [`softnet_col`]: rstat_data_format::schema_system::softnet_col

use rstat_data_format::schema::{Table, TableFill};
use rstat_data_format::schema_system::softnet_col;

use super::values::{numbered_key, parse_hex};
use super::{quote, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/net/softnet_stat";

/// Columns every kernel since 2.6 prints (processed, dropped, time_squeeze, five zeros,
/// cpu_collision, received_rps, flow_limit_count).
const COLUMNS_MIN: usize = 3;

/// Refills `table` from the bytes of `/proc/net/softnet_stat`.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    let mut position = 0;
    let mut key = [0u8; 40];
    for line in Lines::new(FILE, bytes) {
        if line.is_blank() {
            continue;
        }
        let columns = line.fields().count();
        if columns < COLUMNS_MIN {
            return Err(line.error(format!(
                "{columns} columns, expected at least {COLUMNS_MIN}"
            )));
        }
        let cpu = match line.fields().nth(softnet_col::CPU_INDEX) {
            Some(token) => parse_hex(token).ok_or_else(|| {
                line.error(format!(
                    "expected a hexadecimal CPU number, found `{}`",
                    quote(token)
                ))
            })?,
            None => position,
        };
        position += 1;
        let values = &mut fill.row(numbered_key(&mut key, "cpu", cpu)).values;
        for token in line.fields() {
            let value = parse_hex(token).ok_or_else(|| {
                line.error(format!(
                    "expected a hexadecimal number, found `{}`",
                    quote(token)
                ))
            })?;
            values.push(value);
        }
    }
    Ok(())
}
