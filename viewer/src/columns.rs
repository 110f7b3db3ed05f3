//! The metadata of the figures the table screens show (name, unit, kind, the derived field),
//! as data-format's [`Column`]s: a header is the column's sar name and a cell is written by
//! its unit ([`Column::compact`]). Names, units, kinds and sources are those of the `rstat`
//! package's catalogue (its coverage tests check it, since the viewer cannot depend on the
//! package that depends on it); decimals are the viewer's own, narrowed to fit a screen.

use rstat_data_format::columns::{Column, Kind, Unit};
use rstat_data_format::derive_devices::{DiskRates, NetRates};

/// A column of a table screen and the figure it shows of a row (`R`: a derived record).
pub struct Shown<R> {
    /// The column's metadata.
    pub column: Column,
    /// The row's figure under it.
    pub value: fn(&R) -> f64,
}

/// A column with the figure it shows.
const fn shown<R>(column: Column, value: fn(&R) -> f64) -> Shown<R> {
    Shown { column, value }
}

/// The Disks screen's table after the device name, in order: sar -d's figures.
pub static DISK: [Shown<DiskRates>; 8] = [
    per_second(
        "tps",
        "Transfers issued to the device.",
        "DiskRates.tps",
        |d| d.tps,
    ),
    kb_rate(
        "rkB/s",
        "Read from the device.",
        "DiskRates.rkb_per_s",
        |d| d.rkb_per_s,
    ),
    kb_rate(
        "wkB/s",
        "Written to the device.",
        "DiskRates.wkb_per_s",
        |d| d.wkb_per_s,
    ),
    kb_rate(
        "dkB/s",
        "Discarded on the device.",
        "DiskRates.dkb_per_s",
        |d| d.dkb_per_s,
    ),
    shown(
        Column::new(
            "areq-sz",
            Unit::Kilobytes,
            Kind::AverageOfRatio,
            "Average request size.",
            "DiskRates.areq_sz",
        ),
        |d| d.areq_sz,
    ),
    shown(
        Column::new(
            "aqu-sz",
            Unit::Count,
            Kind::Rate,
            "Requests queued or in service.",
            "DiskRates.aqu_sz",
        ),
        |d| d.aqu_sz,
    ),
    shown(
        Column::new(
            "await",
            Unit::Milliseconds,
            Kind::AverageOfRatio,
            "Time a request took.",
            "DiskRates.await_ms",
        ),
        |d| d.await_ms,
    ),
    shown(
        Column::percent("%util", "Time the device was busy.", "DiskRates.util_pct").decimals(1),
        |d| d.util_pct,
    ),
];

/// The Network screen's table after the interface name, in order: sar -n DEV's and EDEV's
/// figures.
pub static NET_DEV: [Shown<NetRates>; 8] = [
    kb_rate("rxkB/s", "Received.", "NetRates.rxkb_per_s", |n| {
        n.rxkb_per_s
    }),
    kb_rate("txkB/s", "Transmitted.", "NetRates.txkb_per_s", |n| {
        n.txkb_per_s
    }),
    per_second("rxpck/s", "Packets in.", "NetRates.rxpck_per_s", |n| {
        n.rxpck_per_s
    }),
    per_second("txpck/s", "Packets out.", "NetRates.txpck_per_s", |n| {
        n.txpck_per_s
    }),
    per_second("rxerr/s", "Bad packets in.", "NetRates.rxerr_per_s", |n| {
        n.rxerr_per_s
    }),
    per_second("txerr/s", "Errors sending.", "NetRates.txerr_per_s", |n| {
        n.txerr_per_s
    }),
    per_second("rxdrop/s", "Dropped in.", "NetRates.rxdrop_per_s", |n| {
        n.rxdrop_per_s
    }),
    per_second("txdrop/s", "Dropped out.", "NetRates.txdrop_per_s", |n| {
        n.txdrop_per_s
    }),
];

/// Every table column the screens show, with the names of the catalogue activities it may
/// come from (`disk`; `net-dev` or `net-edev`): what rstat's coverage tests compare.
pub fn shown_columns() -> Vec<(&'static [&'static str], &'static Column)> {
    const DISK_ACTIVITY: &[&str] = &["disk"];
    const NET_ACTIVITIES: &[&str] = &["net-dev", "net-edev"];
    let disk = DISK.iter().map(|s| (DISK_ACTIVITY, &s.column));
    disk.chain(NET_DEV.iter().map(|s| (NET_ACTIVITIES, &s.column)))
        .collect()
}

/// A kB/s rate written as a scaled size (`153k/s`).
const fn kb_rate<R>(
    name: &'static str,
    help: &'static str,
    source: &'static str,
    value: fn(&R) -> f64,
) -> Shown<R> {
    let column = Column::new(name, Unit::KilobytesPerSecond, Kind::Rate, help, source);
    shown(column.decimals(0), value)
}

/// A count per second with one decimal.
const fn per_second<R>(
    name: &'static str,
    help: &'static str,
    source: &'static str,
    value: fn(&R) -> f64,
) -> Shown<R> {
    shown(Column::rate(name, help, source).decimals(1), value)
}

/// The header row of a table: the item's label, then the columns' names.
pub fn header<R>(item: &'static str, columns: &[Shown<R>]) -> Vec<&'static str> {
    std::iter::once(item)
        .chain(columns.iter().map(|s| s.column.name))
        .collect()
}

/// A row's cells: the item's name, then each column's figure of `row` written by its unit.
pub fn cells<R>(item: &str, columns: &[Shown<R>], row: &R) -> Vec<String> {
    std::iter::once(item.to_string())
        .chain(columns.iter().map(|s| s.column.compact((s.value)(row))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_by_unit_and_decimals() {
        let disk = DiskRates {
            device: "vda".to_string(),
            used_since_boot: true,
            tps: 27.24,
            rkb_per_s: 153.0,
            wkb_per_s: 24.0 * 1024.0,
            dkb_per_s: 0.0,
            areq_sz: 919.9,
            aqu_sz: 0.05,
            await_ms: 2.0,
            util_pct: 5.25,
        };
        assert_eq!(
            cells("vda", &DISK, &disk),
            ["vda", "27.2/s", "153kB/s", "24MB/s", "0B/s", "920k", "0.05", "2.00ms", "5.2%"]
        );
        assert_eq!(header("DEV", &DISK)[1..3], ["tps", "rkB/s"]);
        assert_eq!(shown_columns().len(), DISK.len() + NET_DEV.len());
    }
}
