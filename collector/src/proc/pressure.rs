//! `/proc/pressure/{cpu,io,memory}` → [`TableKind::PSI_CPU`], [`TableKind::PSI_IO`],
//! [`TableKind::PSI_MEMORY`]: rows `some` and `full` (in file order), values
//! `[avg10, avg60, avg300, total]` (see [`psi_col`]): the averages in hundredths of a percent,
//! the total stall time in µs.
//!
//! Lines look like `some avg10=0.31 avg60=0.12 avg300=0.03 total=1234567`; `name=value` pairs
//! are matched by name (an added pair is ignored). An empty file is valid and gives an empty
//! table: the sampler then records nothing for it (a kernel with PSI compiled in but
//! disabled).
//!
//! [`TableKind::PSI_CPU`]: rstat_data_format::schema::TableKind::PSI_CPU
//! [`TableKind::PSI_IO`]: rstat_data_format::schema::TableKind::PSI_IO
//! [`TableKind::PSI_MEMORY`]: rstat_data_format::schema::TableKind::PSI_MEMORY
//! [`psi_col`]: rstat_data_format::schema_system::psi_col

use rstat_data_format::schema::{Table, TableFill};
use rstat_data_format::schema_system::psi_col;

use super::{parse_hundredths, parse_u64, quote, Lines, ParseError};

/// CPU pressure.
pub const CPU_FILE: &str = "/proc/pressure/cpu";
/// I/O pressure.
pub const IO_FILE: &str = "/proc/pressure/io";
/// Memory pressure.
pub const MEMORY_FILE: &str = "/proc/pressure/memory";

/// Refills `table` from the bytes of the pressure file `file` (one of the constants above,
/// used to name it in errors).
pub fn parse(file: &'static str, bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(file, bytes, &mut fill);
    fill.finish();
    result
}

fn fill_rows(file: &'static str, bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let Some(kind) = fields.next() else { continue };
        if kind != b"some" && kind != b"full" {
            return Err(line.error(format!(
                "expected `some` or `full`, found `{}`",
                quote(kind)
            )));
        }
        let mut values = [None; 4];
        for pair in fields {
            let Some(equals) = pair.iter().position(|&byte| byte == b'=') else {
                return Err(line.error(format!("expected name=value, found `{}`", quote(pair))));
            };
            let (name, value) = (&pair[..equals], &pair[equals + 1..]);
            let (column, parsed) = match name {
                b"avg10" => (psi_col::AVG10, parse_hundredths(value)),
                b"avg60" => (psi_col::AVG60, parse_hundredths(value)),
                b"avg300" => (psi_col::AVG300, parse_hundredths(value)),
                b"total" => (psi_col::TOTAL, parse_u64(value)),
                _ => continue,
            };
            let Some(parsed) = parsed else {
                return Err(line.error(format!(
                    "expected a number for {}, found `{}`",
                    quote(name),
                    quote(value)
                )));
            };
            values[column] = Some(parsed);
        }
        let row = fill.row(if kind == b"some" { "some" } else { "full" });
        for (column, value) in values.into_iter().enumerate() {
            let Some(value) = value else {
                return Err(line.error(format!(
                    "missing {}",
                    ["avg10", "avg60", "avg300", "total"][column]
                )));
            };
            row.values.push(value);
        }
    }
    Ok(())
}
