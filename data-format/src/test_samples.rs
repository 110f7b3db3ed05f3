//! Hand-made samples for the unit tests of the derivation, hotplug and span modules.

use crate::schema::{Sample, TableKind};

/// An empty sample at `uptime_cs` (hundredths of a second since boot), timed the same.
pub(crate) fn at_uptime(uptime_cs: u64) -> Sample {
    let mut s = Sample {
        time_us: uptime_cs as i64 * 10_000,
        tables: Vec::new(),
    };
    s.table_mut(TableKind::UPTIME)
        .refill()
        .row("uptime")
        .values
        .extend([uptime_cs, 0]);
    s
}
