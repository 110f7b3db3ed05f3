//! `/proc/stat` → two tables:
//! - [`TableKind::CPU`](rstat_data_format::schema::TableKind::CPU): rows `cpu` (the summary
//!   line) and `cpuN`, in file order, values = every time field present (4 on 2.4 kernels, 10
//!   today; more are kept for kernels to come), see
//!   [`cpu_col`](rstat_data_format::schema::cpu_col). An offline CPU has no line, so no row.
//! - [`TableKind::STAT`](rstat_data_format::schema::TableKind::STAT): rows `ctxt`, `btime`,
//!   `processes`, `procs_running`, `procs_blocked`, `intr`, `softirq` in file order, one value
//!   each; for `intr` and `softirq` the first number, the total (the per-IRQ counts after it
//!   are not even parsed).
//!
//! Other lines (`page`, `swap`, `disk_io` on old kernels) are skipped.

use rstat_data_format::schema::{Table, TableFill};

use super::{Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/stat";

/// Lines whose first value goes to the STAT table, under the line's name.
const STAT_KEYS: [&str; 7] = [
    "ctxt",
    "btime",
    "processes",
    "procs_running",
    "procs_blocked",
    "intr",
    "softirq",
];

/// Time fields every kernel prints on a cpu line (user nice system idle).
const CPU_FIELDS_MIN: usize = 4;

/// Refills `cpu` and `stat` from the bytes of `/proc/stat`. A file without any cpu line is an
/// error (it is not a /proc/stat).
pub fn parse(bytes: &[u8], cpu: &mut Table, stat: &mut Table) -> Result<(), ParseError> {
    let mut cpu_fill = cpu.refill();
    let mut stat_fill = stat.refill();
    let result = fill_rows(bytes, &mut cpu_fill, &mut stat_fill);
    let no_cpu_line = cpu_fill.is_empty();
    cpu_fill.finish();
    stat_fill.finish();
    result?;
    if no_cpu_line {
        return Err(ParseError::new(FILE, 1, "no cpu line"));
    }
    Ok(())
}

fn fill_rows(
    bytes: &[u8],
    cpu: &mut TableFill<'_>,
    stat: &mut TableFill<'_>,
) -> Result<(), ParseError> {
    for line in Lines::new(FILE, bytes) {
        let mut fields = line.fields();
        let Some(name) = fields.next() else {
            continue;
        };
        if let Some(cpu_name) = cpu_name(name) {
            let values = &mut cpu.row(cpu_name).values;
            fields.rest_into(values, "a cpu time")?;
            if values.len() < CPU_FIELDS_MIN {
                return Err(line.error(format!(
                    "{cpu_name} has {} time fields, expected at least {CPU_FIELDS_MIN}",
                    values.len()
                )));
            }
        } else if let Some(&key) = STAT_KEYS.iter().find(|key| key.as_bytes() == name) {
            let value = fields.number(key)?;
            stat.row(key).values.push(value);
        }
    }
    Ok(())
}

/// `name` as text if it is `cpu` or `cpu` followed by a CPU number.
fn cpu_name(name: &[u8]) -> Option<&str> {
    let number = name.strip_prefix(b"cpu")?;
    if !number.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()
}
