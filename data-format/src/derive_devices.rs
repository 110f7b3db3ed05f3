//! Block devices and network interfaces over an interval (sar -d, -n DEV, -n EDEV), with
//! sysstat's rules for devices that appear or are registered again (check_disk_reg,
//! check_net_dev_reg, check_net_edev_reg): such a row is computed against zero, for every
//! field. Split from [`crate::derive`].

use crate::derive::{counter_delta, Interval};
use crate::schema::{disk_col, net_col, Row, TableKind};

impl Interval<'_> {
    /// Block devices with I/O in the interval or since boot (sar -d), in file order. A device
    /// new in the interval (or with another major:minor), or re-registered (see
    /// `disk_reregistered`), is computed against zero for the whole row, as sysstat does.
    pub fn disks(&self) -> Vec<DiskRates> {
        let Some((p, c)) = self.tables(TableKind::DISKSTATS) else {
            return Vec::new();
        };
        let zero = DiskCounters::default();
        let mut prev_rows = p.finder();
        c.rows
            .iter()
            .map(|cur| {
                let now = DiskCounters::of(cur);
                let ident = |r: &Row| (r.value(disk_col::MAJOR), r.value(disk_col::MINOR));
                let before = prev_rows
                    .find(&cur.key)
                    .filter(|prev| ident(prev) == ident(cur))
                    .map(DiskCounters::of)
                    .filter(|before| !disk_reregistered(before, &now));
                DiskRates::new(
                    &cur.key,
                    before.as_ref().unwrap_or(&zero),
                    &now,
                    self.seconds,
                )
            })
            .collect()
    }

    /// Network interfaces (sar -n DEV and EDEV), in file order. An interface new in the
    /// interval, or re-registered (see `net_reregistered`), is computed against zero.
    pub fn interfaces(&self) -> Vec<NetRates> {
        let Some((p, c)) = self.tables(TableKind::NETDEV) else {
            return Vec::new();
        };
        let mut prev_rows = p.finder();
        c.rows
            .iter()
            .filter(|cur| cur.values.len() >= net_col::COUNT)
            .map(|cur| {
                let prev = prev_rows
                    .find(&cur.key)
                    .filter(|prev| prev.values.len() >= net_col::COUNT)
                    .filter(|prev| !net_reregistered(&prev.values, &cur.values));
                let d = |col: usize| -> f64 {
                    let before = prev.and_then(|p| p.value(col)).unwrap_or(0);
                    self.rate(counter_delta(before, cur.values[col]))
                };
                let kb = |col: usize| d(col) / 1024.0;
                NetRates {
                    iface: cur.key.clone(),
                    rxpck_per_s: d(net_col::RX_PACKETS),
                    txpck_per_s: d(net_col::TX_PACKETS),
                    rxkb_per_s: kb(net_col::RX_BYTES),
                    txkb_per_s: kb(net_col::TX_BYTES),
                    rxcmp_per_s: d(net_col::RX_COMPRESSED),
                    txcmp_per_s: d(net_col::TX_COMPRESSED),
                    rxmcst_per_s: d(net_col::RX_MULTICAST),
                    rxerr_per_s: d(net_col::RX_ERRS),
                    txerr_per_s: d(net_col::TX_ERRS),
                    coll_per_s: d(net_col::TX_COLLS),
                    rxdrop_per_s: d(net_col::RX_DROP),
                    txdrop_per_s: d(net_col::TX_DROP),
                    txcarr_per_s: d(net_col::TX_CARRIER),
                    rxfram_per_s: d(net_col::RX_FRAME),
                    rxfifo_per_s: d(net_col::RX_FIFO),
                    txfifo_per_s: d(net_col::TX_FIFO),
                }
            })
            .collect()
    }
}

/// sysstat's check_disk_reg: a device whose I/O count went down, and whose sector counts
/// each went down too (or were 0 before: a read-only device, no discard support), was
/// unregistered and registered again. One counter going down alone is a wrap.
fn disk_reregistered(before: &DiskCounters, now: &DiskCounters) -> bool {
    let down_or_unused = |b: u64, n: u64| b == 0 || n < b;
    now.ios < before.ios
        && down_or_unused(before.rd_sect, now.rd_sect)
        && down_or_unused(before.wr_sect, now.wr_sect)
        && down_or_unused(before.dc_sect, now.dc_sect)
}

/// sysstat's check_net_dev_reg and check_net_edev_reg: an interface one of whose packet,
/// byte, compressed, multicast or error counters went down was unregistered and registered
/// again, unless bytes (packets) went down from above 2^63 while packets (bytes) went up: an
/// overflow. Both rows must have [`net_col::COUNT`] values.
fn net_reregistered(prev: &[u64], cur: &[u64]) -> bool {
    use net_col::*;
    let down = |col: usize| cur[col] < prev[col];
    let up = |col: usize| cur[col] > prev[col];
    let traffic = [
        RX_PACKETS,
        TX_PACKETS,
        RX_BYTES,
        TX_BYTES,
        RX_COMPRESSED,
        TX_COMPRESSED,
        RX_MULTICAST,
    ];
    let errors = [
        TX_ERRS, TX_COLLS, RX_DROP, TX_DROP, TX_CARRIER, RX_FRAME, RX_FIFO, TX_FIFO,
    ];
    let half = u64::MAX >> 1;
    let overflow = |a: usize, b: usize| down(a) && up(b) && prev[a] > half;
    let traffic_reset = traffic.iter().any(|&col| down(col))
        && !(overflow(RX_BYTES, RX_PACKETS)
            || overflow(TX_BYTES, TX_PACKETS)
            || overflow(RX_PACKETS, RX_BYTES)
            || overflow(TX_PACKETS, TX_BYTES));
    traffic_reset || errors.iter().any(|&col| down(col))
}

/// The diskstats counters sar uses, from either layout.
#[derive(Default)]
struct DiskCounters {
    ios: u64,
    rd_sect: u64,
    wr_sect: u64,
    dc_sect: u64,
    rdwrdc_ms: u64,
    io_ms: u64,
    weighted_ms: u64,
}

impl DiskCounters {
    fn of(row: &Row) -> DiskCounters {
        let v = |col| row.value(col).unwrap_or(0);
        if row.values.len() == disk_col::OLD_PARTITION_LEN {
            return DiskCounters {
                ios: v(disk_col::OLD_READS) + v(disk_col::OLD_WRITES),
                rd_sect: v(disk_col::OLD_SECTORS_READ),
                wr_sect: v(disk_col::OLD_SECTORS_WRITTEN),
                dc_sect: 0,
                rdwrdc_ms: 0,
                io_ms: 0,
                weighted_ms: 0,
            };
        }
        DiskCounters {
            ios: v(disk_col::READS) + v(disk_col::WRITES) + v(disk_col::DISCARDS),
            rd_sect: v(disk_col::SECTORS_READ),
            wr_sect: v(disk_col::SECTORS_WRITTEN),
            dc_sect: v(disk_col::SECTORS_DISCARDED),
            rdwrdc_ms: v(disk_col::READ_MS) + v(disk_col::WRITE_MS) + v(disk_col::DISCARD_MS),
            io_ms: v(disk_col::IO_MS),
            weighted_ms: v(disk_col::WEIGHTED_IO_MS),
        }
    }
}

/// One block device over an interval (sar -d's columns).
#[derive(Clone, Debug, PartialEq)]
pub struct DiskRates {
    /// The kernel's device name (/proc/diskstats: `sda`, `dm-0`, `nvme0n1`).
    pub device: String,
    /// Whether the device did any I/O since boot (sar lists only those).
    pub used_since_boot: bool,
    /// tps: transfers (read, write and discard requests completed) per second (/proc/diskstats).
    pub tps: f64,
    /// rkB/s: kilobytes read per second (/proc/diskstats sectors read ÷ 2).
    pub rkb_per_s: f64,
    /// wkB/s: kilobytes written per second (/proc/diskstats sectors written ÷ 2).
    pub wkb_per_s: f64,
    /// dkB/s: kilobytes discarded per second (/proc/diskstats sectors discarded ÷ 2).
    pub dkb_per_s: f64,
    /// Average request size, kB.
    pub areq_sz: f64,
    /// Average queue length.
    pub aqu_sz: f64,
    /// Average time per request, ms.
    pub await_ms: f64,
    /// Percentage of time the device was busy. Misleading on devices that serve requests in
    /// parallel (SSDs, NVMe, RAID): 100% does not mean saturated. Not capped at 100: sar
    /// (compute_ext_disk_stats) prints what the counters give, e.g. 100.4 when the kernel's
    /// busy time and the interval were read a moment apart.
    pub util_pct: f64,
}

impl DiskRates {
    fn new(device: &str, p: &DiskCounters, c: &DiskCounters, seconds: f64) -> DiskRates {
        let ios = counter_delta(p.ios, c.ios);
        let sect = |a: u64, b: u64| counter_delta(a, b) as f64;
        let sectors =
            sect(p.rd_sect, c.rd_sect) + sect(p.wr_sect, c.wr_sect) + sect(p.dc_sect, c.dc_sect);
        let per_io = |value: f64| if ios > 0 { value / ios as f64 } else { 0.0 };
        DiskRates {
            device: device.to_string(),
            used_since_boot: c.ios > 0,
            tps: ios as f64 / seconds,
            rkb_per_s: sect(p.rd_sect, c.rd_sect) / 2.0 / seconds,
            wkb_per_s: sect(p.wr_sect, c.wr_sect) / 2.0 / seconds,
            dkb_per_s: sect(p.dc_sect, c.dc_sect) / 2.0 / seconds,
            areq_sz: per_io(sectors) / 2.0,
            aqu_sz: counter_delta(p.weighted_ms, c.weighted_ms) as f64 / seconds / 1000.0,
            await_ms: per_io(counter_delta(p.rdwrdc_ms, c.rdwrdc_ms) as f64),
            util_pct: counter_delta(p.io_ms, c.io_ms) as f64 / seconds / 10.0,
        }
    }
}

/// One network interface over an interval (sar -n DEV and EDEV's columns).
#[derive(Clone, Debug, PartialEq)]
pub struct NetRates {
    /// The interface's name (/proc/net/dev: `eth0`, `lo`).
    pub iface: String,
    /// rxpck/s: packets received per second (/proc/net/dev receive packets).
    pub rxpck_per_s: f64,
    /// txpck/s: packets transmitted per second (/proc/net/dev transmit packets).
    pub txpck_per_s: f64,
    /// rxkB/s: kilobytes received per second (/proc/net/dev receive bytes ÷ 1024).
    pub rxkb_per_s: f64,
    /// txkB/s: kilobytes transmitted per second (/proc/net/dev transmit bytes ÷ 1024).
    pub txkb_per_s: f64,
    /// rxcmp/s: compressed packets received per second (/proc/net/dev receive compressed).
    pub rxcmp_per_s: f64,
    /// txcmp/s: compressed packets transmitted per second (/proc/net/dev transmit compressed).
    pub txcmp_per_s: f64,
    /// rxmcst/s: multicast packets received per second (/proc/net/dev receive multicast).
    pub rxmcst_per_s: f64,
    /// rxerr/s: bad packets received per second (/proc/net/dev receive errs).
    pub rxerr_per_s: f64,
    /// txerr/s: errors while transmitting per second (/proc/net/dev transmit errs).
    pub txerr_per_s: f64,
    /// coll/s: collisions while transmitting per second (/proc/net/dev transmit colls).
    pub coll_per_s: f64,
    /// rxdrop/s: received packets dropped for lack of buffer space, per second (/proc/net/dev
    /// receive drop).
    pub rxdrop_per_s: f64,
    /// txdrop/s: packets dropped before transmission for lack of buffer space, per second
    /// (/proc/net/dev transmit drop).
    pub txdrop_per_s: f64,
    /// txcarr/s: carrier errors while transmitting per second (/proc/net/dev transmit carrier).
    pub txcarr_per_s: f64,
    /// rxfram/s: frame alignment errors on received packets per second (/proc/net/dev receive
    /// frame).
    pub rxfram_per_s: f64,
    /// rxfifo/s: FIFO overrun errors on received packets per second (/proc/net/dev receive fifo).
    pub rxfifo_per_s: f64,
    /// txfifo/s: FIFO overrun errors while transmitting per second (/proc/net/dev transmit fifo).
    pub txfifo_per_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn util_is_not_capped_at_100_as_in_sar() {
        let at = |io_ms| DiskCounters {
            ios: 10,
            rd_sect: 0,
            wr_sect: 0,
            dc_sect: 0,
            rdwrdc_ms: 0,
            io_ms,
            weighted_ms: 0,
        };
        assert_eq!(
            DiskRates::new("sda", &at(0), &at(1004), 1.0).util_pct,
            100.4
        );
        assert_eq!(DiskRates::new("sda", &at(0), &at(500), 1.0).util_pct, 50.0);
        // Busy time that went down (a re-registered device) gives 0, as sar's does.
        assert_eq!(DiskRates::new("sda", &at(900), &at(100), 1.0).util_pct, 0.0);
    }
}
