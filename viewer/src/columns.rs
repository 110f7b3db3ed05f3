//! The metadata of the figures the table screens show (name, unit, kind, the derived field),
//! as data-format's [`Column`]s: a header is the column's sar name and a cell is written by
//! its unit ([`Column::compact`]). Names, units, kinds and sources are those of the `rstat`
//! package's catalogue (its coverage tests check it, since the viewer cannot depend on the
//! package that depends on it); decimals are the viewer's own, narrowed to fit a screen.

use rstat_data_format::columns::{Column, Kind, Unit};

/// The Disks screen's table after the device name, in order: sar -d's figures.
pub static DISK: [Column; 8] = [
    Column::rate("tps", "Transfers issued to the device.", "DiskRates.tps").decimals(1),
    kb_rate("rkB/s", "Read from the device.", "DiskRates.rkb_per_s"),
    kb_rate("wkB/s", "Written to the device.", "DiskRates.wkb_per_s"),
    kb_rate("dkB/s", "Discarded on the device.", "DiskRates.dkb_per_s"),
    Column::new(
        "areq-sz",
        Unit::Kilobytes,
        Kind::AverageOfRatio,
        "Average request size.",
        "DiskRates.areq_sz",
    ),
    Column::new(
        "aqu-sz",
        Unit::Count,
        Kind::Rate,
        "Requests queued or in service.",
        "DiskRates.aqu_sz",
    ),
    Column::new(
        "await",
        Unit::Milliseconds,
        Kind::AverageOfRatio,
        "Time a request took.",
        "DiskRates.await_ms",
    ),
    Column::percent("%util", "Time the device was busy.", "DiskRates.util_pct").decimals(1),
];

/// The Network screen's table after the interface name, in order: sar -n DEV's and EDEV's
/// figures.
pub static NET_DEV: [Column; 8] = [
    kb_rate("rxkB/s", "Received.", "NetRates.rxkb_per_s"),
    kb_rate("txkB/s", "Transmitted.", "NetRates.txkb_per_s"),
    Column::rate("rxpck/s", "Packets in.", "NetRates.rxpck_per_s").decimals(1),
    Column::rate("txpck/s", "Packets out.", "NetRates.txpck_per_s").decimals(1),
    Column::rate("rxerr/s", "Bad packets in.", "NetRates.rxerr_per_s").decimals(1),
    Column::rate("txerr/s", "Errors sending.", "NetRates.txerr_per_s").decimals(1),
    Column::rate("rxdrop/s", "Dropped in.", "NetRates.rxdrop_per_s").decimals(1),
    Column::rate("txdrop/s", "Dropped out.", "NetRates.txdrop_per_s").decimals(1),
];

/// Every table column the screens show, with the name of the catalogue activity it comes
/// from (`disk`, `net-dev` or `net-edev`): what rstat's coverage tests compare.
pub fn shown() -> Vec<(&'static [&'static str], &'static Column)> {
    const DISK_ACTIVITY: &[&str] = &["disk"];
    const NET_ACTIVITIES: &[&str] = &["net-dev", "net-edev"];
    let disk = DISK.iter().map(|c| (DISK_ACTIVITY, c));
    disk.chain(NET_DEV.iter().map(|c| (NET_ACTIVITIES, c)))
        .collect()
}

/// A kB/s rate written as a scaled size (`153k/s`).
const fn kb_rate(name: &'static str, help: &'static str, source: &'static str) -> Column {
    Column::new(name, Unit::KilobytesPerSecond, Kind::Rate, help, source).decimals(0)
}

/// The header row of a table: the item's label, then the columns' names.
pub fn header(item: &'static str, columns: &[Column]) -> Vec<&'static str> {
    std::iter::once(item)
        .chain(columns.iter().map(|c| c.name))
        .collect()
}

/// A row's cells: the item's name, then each figure written by its column's unit.
pub fn cells(item: &str, columns: &[Column], values: &[f64]) -> Vec<String> {
    std::iter::once(item.to_string())
        .chain(columns.iter().zip(values).map(|(c, v)| c.compact(*v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_by_unit_and_decimals() {
        let values = [27.24, 153.0, 24.0 * 1024.0, 0.0, 919.9, 0.05, 2.0, 5.25];
        assert_eq!(
            cells("vda", &DISK, &values),
            ["vda", "27.2/s", "153k/s", "24M/s", "0k/s", "920k", "0.05", "2.00ms", "5.2%"]
        );
        assert_eq!(header("DEV", &DISK)[1..3], ["tps", "rkB/s"]);
        assert_eq!(shown().len(), DISK.len() + NET_DEV.len());
    }
}
