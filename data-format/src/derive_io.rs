//! sar -b: I/O and transfer rates for the whole machine, from /proc/diskstats summed over
//! its whole physical disks (sysstat's "io" activity).
//!
//! sysstat asks sysfs which devices are whole and not virtual; the file holds diskstats only,
//! so the same is decided from the names: a partition is a device whose name is another
//! device's name plus a number (`sda1`, `nvme0n1p2`, `mmcblk0p1`), and loop, ram, zram, nbd,
//! md and device-mapper devices are virtual (they pass their I/O on to the physical disks,
//! which would count it twice).

use crate::derive::{counter_delta, Interval};
use crate::schema::{disk_col, Row, TableKind};

/// The machine's I/O over an interval (sar -b's columns).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IoRates {
    /// Transfers (read, write and discard requests) per second.
    pub tps: f64,
    /// rtps: read requests completed per second, whole disks summed (/proc/diskstats).
    pub rtps: f64,
    /// wtps: write requests completed per second, whole disks summed (/proc/diskstats).
    pub wtps: f64,
    /// dtps: discard requests completed per second, whole disks summed (/proc/diskstats).
    pub dtps: f64,
    /// bread/s: 512-byte blocks read per second (/proc/diskstats sectors read).
    pub bread_per_s: f64,
    /// bwrtn/s: 512-byte blocks written per second (/proc/diskstats sectors written).
    pub bwrtn_per_s: f64,
    /// bdscd/s: 512-byte blocks discarded per second (/proc/diskstats sectors discarded).
    pub bdscd_per_s: f64,
}

impl Interval<'_> {
    /// sar -b, or `None` without diskstats in both samples. As sysstat: each counter is
    /// summed over the whole physical disks of each sample, and the rate is the difference
    /// of the two sums, 0 when it went down (a disk that vanished); a disk that appeared
    /// adds its counters since boot.
    pub fn io(&self) -> Option<IoRates> {
        if let Some(rates) = self.sysstat_io() {
            return Some(rates);
        }
        let (prev, cur) = (
            self.prev.table(TableKind::DISKSTATS)?,
            self.cur.table(TableKind::DISKSTATS)?,
        );
        let (before, now) = (whole_disk_sums(&prev.rows), whole_disk_sums(&cur.rows));
        let rate = |i: usize| now[i].saturating_sub(before[i]) as f64 / self.seconds;
        Some(IoRates {
            tps: rate(6),
            rtps: rate(0),
            wtps: rate(1),
            dtps: rate(2),
            bread_per_s: rate(3),
            bwrtn_per_s: rate(4),
            bdscd_per_s: rate(5),
        })
    }

    /// sar -b from the totals of a sample read from a sysstat file.
    fn sysstat_io(&self) -> Option<IoRates> {
        use crate::schema_system::sysstat_io_col as col;
        let (prev, cur) = (
            self.prev.table(TableKind::SYSSTAT_IO)?.rows.first()?,
            self.cur.table(TableKind::SYSSTAT_IO)?.rows.first()?,
        );
        let rate = |c| {
            counter_delta(prev.value(c).unwrap_or(0), cur.value(c).unwrap_or(0)) as f64
                / self.seconds
        };
        Some(IoRates {
            tps: rate(col::TRANSFERS),
            rtps: rate(col::READS),
            wtps: rate(col::WRITES),
            dtps: rate(col::DISCARDS),
            bread_per_s: rate(col::BLOCKS_READ),
            bwrtn_per_s: rate(col::BLOCKS_WRITTEN),
            bdscd_per_s: rate(col::BLOCKS_DISCARDED),
        })
    }
}

/// Reads, writes, discards, sectors read, written and discarded, and all requests, summed
/// over the whole physical disks of one sample.
fn whole_disk_sums(rows: &[Row]) -> [u64; 7] {
    const COLUMNS: [usize; 6] = [
        disk_col::READS,
        disk_col::WRITES,
        disk_col::DISCARDS,
        disk_col::SECTORS_READ,
        disk_col::SECTORS_WRITTEN,
        disk_col::SECTORS_DISCARDED,
    ];
    let mut sums = [0u64; 7];
    for row in rows.iter().filter(|r| is_physical_disk(r, rows)) {
        for (sum, col) in sums.iter_mut().zip(COLUMNS) {
            *sum = sum.wrapping_add(row.value(col).unwrap_or(0));
        }
    }
    sums[6] = sums[0].wrapping_add(sums[1]).wrapping_add(sums[2]);
    sums
}

/// Whether `row` is a whole, physical disk (see the module doc).
fn is_physical_disk(row: &Row, all: &[Row]) -> bool {
    const VIRTUAL: [&str; 6] = ["loop", "ram", "zram", "nbd", "md", "dm-"];
    let name = row.key.as_str();
    if VIRTUAL.iter().any(|prefix| name.starts_with(prefix))
        || row.values.len() == disk_col::OLD_PARTITION_LEN
    {
        return false;
    }
    !all.iter().any(|other| {
        let parent = other.key.as_str();
        name.len() > parent.len()
            && name.starts_with(parent)
            && is_partition_suffix(&name[parent.len()..])
    })
}

/// `1`, `12`, `p1`: what follows a disk's name in its partitions' names.
fn is_partition_suffix(suffix: &str) -> bool {
    let digits = suffix.strip_prefix('p').unwrap_or(suffix);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Sample, Table};

    fn disk(name: &str, reads: u64, writes: u64, discards: u64) -> Row {
        let mut values = vec![0u64; 19];
        values[disk_col::READS] = reads;
        values[disk_col::SECTORS_READ] = reads * 8;
        values[disk_col::WRITES] = writes;
        values[disk_col::SECTORS_WRITTEN] = writes * 16;
        values[disk_col::DISCARDS] = discards;
        values[disk_col::SECTORS_DISCARDED] = discards * 64;
        Row {
            key: name.into(),
            text: vec![],
            values,
        }
    }

    fn sample(time_s: i64, uptime_cs: u64, disks: Vec<Row>) -> Sample {
        Sample {
            time_us: time_s * 1_000_000,
            tables: vec![
                Table {
                    kind: TableKind::UPTIME,
                    rows: vec![Row {
                        key: "uptime".into(),
                        text: vec![],
                        values: vec![uptime_cs, 0],
                    }],
                },
                Table {
                    kind: TableKind::DISKSTATS,
                    rows: disks,
                },
            ],
        }
    }

    #[test]
    fn whole_physical_disks_are_summed_and_partitions_and_virtual_devices_are_not() {
        let names = [
            "sda",
            "sda1",
            "nvme0n1",
            "nvme0n1p2",
            "dm-0",
            "loop3",
            "mmcblk0",
            "mmcblk0p1",
        ];
        let at = |n: u64| names.iter().map(|d| disk(d, n * 10, n * 20, n)).collect();
        let (a, b) = (sample(100, 1_000, at(1)), sample(102, 1_200, at(3)));
        let io = Interval::new(&a, &b)
            .expect("an interval")
            .io()
            .expect("diskstats");
        // sda, nvme0n1 and mmcblk0: each 20 reads, 40 writes, 2 discards more, over 2 s.
        assert_eq!(io.rtps, 30.0);
        assert_eq!(io.wtps, 60.0);
        assert_eq!(io.dtps, 3.0);
        assert_eq!(io.tps, 93.0);
        assert_eq!(io.bread_per_s, 240.0);
        assert_eq!(io.bwrtn_per_s, 960.0);
        assert_eq!(io.bdscd_per_s, 192.0);
    }

    #[test]
    fn the_sums_are_subtracted_and_a_drop_gives_zero() {
        let a = sample(
            100,
            1_000,
            vec![disk("sda", 100, 100, 0), disk("sdb", 500, 10, 0)],
        );
        // sdb vanished, sdc appeared with 30 reads and 200 writes since boot: reads 100+30
        // < 600 before, so 0; writes 130+200 - 110 = 220 over 2 s.
        let b = sample(
            102,
            1_200,
            vec![disk("sda", 100, 130, 0), disk("sdc", 30, 200, 0)],
        );
        let io = Interval::new(&a, &b).unwrap().io().unwrap();
        assert_eq!((io.rtps, io.wtps, io.dtps), (0.0, 110.0, 0.0));
        assert_eq!(io.tps, 0.0, "all requests: 460 now, 710 before");
        assert_eq!(io.bread_per_s, 0.0);
        assert_eq!(io.bwrtn_per_s, 1760.0);
    }

    #[test]
    fn partition_suffixes() {
        assert!(is_partition_suffix("1") && is_partition_suffix("p12"));
        assert!(!is_partition_suffix("") && !is_partition_suffix("p") && !is_partition_suffix("b"));
    }
}
