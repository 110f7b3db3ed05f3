//! CPU hotplug across samples, as sysstat handles it (`get_global_cpu_statistics`,
//! `get_global_soft_statistics`, `get_global_int_statistics`): a CPU that is offline is absent
//! from /proc/stat, /proc/net/softnet_stat and the columns of /proc/interrupts, and its last
//! counters are carried forward so that, when it comes back, its first interval is computed
//! against them instead of jumping from zero.
//!
//! [`carry_offline_cpus`] is applied by [`crate::series::Series`] to every sample against the
//! previous sample of the same boot, so every reader (and `-i` aggregation over samples that
//! are not neighbours) sees the same carried values. A live reader that takes samples itself
//! calls it the same way. Carried rows and columns are flagged ([`is_carried`],
//! [`carried_columns`]) so that the derivation hides the CPU while it is offline.
//!
//! The derivation's rules for an interval, per CPU:
//! - carried at the end: offline, not shown (its delta is zero, so "all" is unchanged);
//! - carried at the start, read at the end: back online, shown and counted in "all" against
//!   the carried values;
//! - absent at the start: no reference values, not shown and left out of "all".

use crate::schema::{Row, Sample, Table, TableKind};
use crate::schema_system::{irq, softnet_col};

/// The text of a row carried forward from an earlier sample (its CPU is offline).
pub const CARRIED: &str = "carried";

/// The per-CPU tables whose rows are keyed `cpuN`.
const ROW_TABLES: [TableKind; 3] = [TableKind::CPU, TableKind::SOFTNET, TableKind::TIME_IN_STATE];

/// The per-CPU tables with one column per CPU (row [`irq::CPUS_ROW`] names the columns).
const COLUMN_TABLES: [TableKind; 2] = [TableKind::INTERRUPTS, TableKind::SOFTIRQS];

/// Whether `row` was carried forward from an earlier sample.
pub fn is_carried(row: &Row) -> bool {
    row.text.first().is_some_and(|text| text == CARRIED)
}

/// The CPU number of a `cpuN` key (`None` for the summary row `cpu`).
pub fn cpu_number(key: &str) -> Option<u32> {
    key.strip_prefix("cpu")?.parse().ok()
}

/// For a table with one column per CPU: whether each column was carried forward. The
/// `cpus` row's text flags the columns ([`CARRIED`] or empty) when any is carried.
pub fn carried_columns(table: &Table) -> impl Fn(usize) -> bool + '_ {
    let text = table.row(irq::CPUS_ROW).map(|row| row.text.as_slice());
    move |column| {
        text.and_then(|t| t.get(column))
            .is_some_and(|t| t == CARRIED)
    }
}

/// Carries into `cur` the per-CPU rows and columns that `prev` has and `cur` lacks: the CPUs
/// offline at `cur`. `prev` must be the sample just before `cur`, of the same boot, already
/// carried itself (so a CPU offline for several samples keeps its last values). A table
/// absent from `cur` (its source could not be read) is left absent.
pub fn carry_offline_cpus(prev: &Sample, cur: &mut Sample) {
    for kind in ROW_TABLES {
        if let (Some(p), true) = (prev.table(kind), cur.table(kind).is_some()) {
            carry_rows(p, cur.table_mut(kind));
        }
    }
    for kind in COLUMN_TABLES {
        if let (Some(p), true) = (prev.table(kind), cur.table(kind).is_some()) {
            carry_columns(p, cur.table_mut(kind));
        }
    }
}

/// Softnet lines without a CPU-number column (kernels before 5.10) belong to the online CPUs
/// in order, offline CPUs having no line (sysstat's read_softnet): keys them by the CPUs of
/// the sample's /proc/stat, which lists only online CPUs. Rows that carry their CPU number,
/// or a table whose line count does not match the online CPUs, are left as they are.
/// Idempotent; the collector applies it to each sample and the series to older files.
pub fn renumber_softnet(sample: &mut Sample) {
    let index = |kind| sample.tables.iter().position(|t| t.kind == kind);
    let (Some(cpu_at), Some(softnet_at)) = (index(TableKind::CPU), index(TableKind::SOFTNET))
    else {
        return;
    };
    if cpu_at >= softnet_at {
        return;
    }
    // Split borrows, so that nothing is allocated (the collector calls this every sample).
    let (head, tail) = sample.tables.split_at_mut(softnet_at);
    let (cpus, softnet) = (&head[cpu_at], &mut tail[0]);
    let online = || {
        cpus.rows
            .iter()
            .filter(|row| !is_carried(row))
            .filter_map(|row| cpu_number(&row.key))
    };
    let positional = softnet
        .rows
        .iter()
        .all(|row| row.values.len() <= softnet_col::CPU_INDEX && !is_carried(row));
    let count = online().count();
    if !positional || count == 0 || softnet.rows.len() != count {
        return;
    }
    for (row, cpu) in softnet.rows.iter_mut().zip(online()) {
        use std::fmt::Write;
        row.key.clear();
        let _ = write!(row.key, "cpu{cpu}");
    }
}

fn carry_rows(prev: &Table, cur: &mut Table) {
    // The usual case, checked in one pass: every row of `prev` is at the same place in `cur`
    // (the set of CPUs did not shrink), so there is nothing to carry.
    let same_place = |(p, c): (&Row, &Row)| p.key == c.key;
    if prev.rows.len() <= cur.rows.len() && prev.rows.iter().zip(&cur.rows).all(same_place) {
        return;
    }
    for row in &prev.rows {
        let Some(number) = cpu_number(&row.key) else {
            continue;
        };
        if cur.row(&row.key).is_some() {
            continue;
        }
        let mut carried = row.clone();
        carried.text.clear();
        carried.text.push(CARRIED.to_string());
        // Keep CPU order: before the first CPU with a higher number.
        let at = cur
            .rows
            .iter()
            .position(|r| cpu_number(&r.key).is_some_and(|n| n > number))
            .unwrap_or(cur.rows.len());
        cur.rows.insert(at, carried);
    }
}

fn carry_columns(prev: &Table, cur: &mut Table) {
    let (Some(prev_cpus), Some(cur_cpus)) = (prev.row(irq::CPUS_ROW), cur.row(irq::CPUS_ROW))
    else {
        return;
    };
    if cur_cpus.values.starts_with(&prev_cpus.values) {
        return;
    }
    let missing: Vec<(usize, u64)> = prev_cpus
        .values
        .iter()
        .enumerate()
        .filter(|(_, cpu)| !cur_cpus.values.contains(cpu))
        .map(|(column, &cpu)| (column, cpu))
        .collect();
    if missing.is_empty() {
        return;
    }
    let width = cur_cpus.values.len();
    for row in cur.rows.iter_mut() {
        if row.key == irq::CPUS_ROW {
            row.text.resize(width, String::new());
            for &(_, cpu) in &missing {
                row.values.push(cpu);
                row.text.push(CARRIED.to_string());
            }
        } else if row.values.len() == width && !irq::is_total(&row.key) {
            let before = prev.row(&row.key);
            for &(column, _) in &missing {
                row.values
                    .push(before.and_then(|b| b.value(column)).unwrap_or(0));
            }
        }
    }
}

#[cfg(test)]
#[path = "hotplug_tests.rs"]
mod tests;
