//! `/proc/diskstats` → [`TableKind::DISKSTATS`](rstat_data_format::schema::TableKind::DISKSTATS):
//! one row per line, in file order, key = device name, values `[major, minor, field1 ..
//! fieldN]` with every field present: N is 4 for the old partition layout, 11 before 4.18, 15
//! before 5.5, 17 since, and more are kept for kernels to come (see
//! [`disk_col`](rstat_data_format::schema::disk_col)). No device is skipped: devices that never
//! did I/O are recorded too (sysstat's files drop them).

use rstat_data_format::schema::{Table, TableFill};

use super::{key_text, quote, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/diskstats";

/// Fewest stat fields a line can have: the old partition layout (reads, sectors read,
/// writes, sectors written).
const STAT_FIELDS_MIN: usize = 4;

/// Refills `table` from the bytes of `/proc/diskstats`. An empty file is valid: a system (or
/// container) may have no block device.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_rows(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(FILE, bytes) {
        let mut fields = line.fields();
        let Some(major) = fields.next() else {
            continue;
        };
        let major = fields.to_number(major, "the major number")?;
        let minor = fields.number("the minor number")?;
        let name = fields.token("the device name")?;
        let values = &mut fill.row(&key_text(name)).values;
        values.extend([major, minor]);
        fields.rest_into(values, "a disk statistic")?;
        let stat_fields = values.len() - 2;
        if stat_fields < STAT_FIELDS_MIN {
            return Err(line.error(format!(
                "{} has {stat_fields} statistics, expected at least {STAT_FIELDS_MIN}",
                quote(name)
            )));
        }
    }
    Ok(())
}
