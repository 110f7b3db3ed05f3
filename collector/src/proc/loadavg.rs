//! `/proc/loadavg` → [`TableKind::LOADAVG`](rstat_data_format::schema::TableKind::LOADAVG): one
//! row `loadavg` with the columns of
//! [`loadavg_col`](rstat_data_format::schema::loadavg_col): the three load averages in
//! hundredths, runnable and existing scheduling entities (`1/234`), the last pid.

use rstat_data_format::schema::Table;

use super::{quote, Lines, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/loadavg";

/// Refills `table` from the bytes of `/proc/loadavg` (`"0.52 0.58 0.59 3/234 12345\n"`).
/// Fields after the last pid are ignored.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut lines = Lines::new(FILE, bytes);
    let line = lines
        .next_nonblank()
        .ok_or_else(|| ParseError::new(FILE, 1, "empty file"))?;
    let mut fields = line.fields();
    let load1 = fields.hundredths("the 1-minute load")?;
    let load5 = fields.hundredths("the 5-minute load")?;
    let load15 = fields.hundredths("the 15-minute load")?;
    let entities = fields.token("runnable/total tasks")?;
    let Some(slash) = entities.iter().position(|&byte| byte == b'/') else {
        return Err(line.error(format!(
            "expected runnable/total tasks, found `{}`",
            quote(entities)
        )));
    };
    let runnable = fields.to_number(&entities[..slash], "runnable tasks")?;
    let tasks = fields.to_number(&entities[slash + 1..], "total tasks")?;
    let last_pid = fields.number("the last pid")?;

    let mut fill = table.refill();
    fill.row("loadavg")
        .values
        .extend([load1, load5, load15, runnable, tasks, last_pid]);
    fill.finish();
    Ok(())
}
