//! Rates and gauges of the system activities (table kinds 10-39, see
//! [`crate::schema_system`]) with sysstat's formulas and field names: interrupts, pressure,
//! kernel tables, serial lines, NFS, sockets, softnet, fibre channel, power, filesystems and
//! %ifutil. The protocol counters (sar -n IP, TCP, ICMP6, ...) are in
//! [`crate::derive_system_net`].
//!
//! As in [`crate::derive`], rates come from an [`Interval`] (`impl Interval` blocks here),
//! gauges from one [`Sample`] (free functions), and an item (CPU, IRQ, host, line) must be in
//! both samples to get a rate: a new IRQ line or a CPU that came online gets its first rate in
//! the next interval.

use crate::derive::{counter_delta, Interval, NetRates};
use crate::schema::{Row, Sample, Table, TableKind};
use crate::schema_system::{
    fc_col, fs_col, hwmon_col, irq, ktables, netif_col, psi_col, rpc, serial_col, signed,
    softnet_col, usb_col,
};

/// The table of `kind` in both samples of `interval`.
pub(crate) fn both<'a>(interval: &Interval<'a>, kind: TableKind) -> Option<(&'a Table, &'a Table)> {
    Some((interval.prev.table(kind)?, interval.cur.table(kind)?))
}

/// Per-second rate of a counter between two reads.
pub(crate) fn per_second(interval: &Interval<'_>, prev: u64, cur: u64) -> f64 {
    counter_delta(prev, cur) as f64 / interval.seconds
}

/// One interrupt (or softirq) over an interval: intr/s for all CPUs and for each CPU.
#[derive(Clone, Debug, PartialEq)]
pub struct IrqRates {
    /// The IRQ name as the kernel prints it (`0`, `LOC`, `NET_RX`).
    pub name: String,
    /// The chip and handler names (`IO-APIC 2-edge timer`); empty for softirqs.
    pub description: String,
    /// Sum over the CPUs present in both samples (for `ERR` and `MIS`: their total).
    pub all: f64,
    /// (CPU number, intr/s) for each CPU present in both samples, in column order; empty for
    /// lines that print a single total.
    pub per_cpu: Vec<(u32, f64)>,
}

impl Interval<'_> {
    /// sar -I: every IRQ of /proc/interrupts present in both samples, in file order.
    pub fn interrupts(&self) -> Vec<IrqRates> {
        self.irq_matrix(TableKind::INTERRUPTS)
    }

    /// mpstat -I SCPU: every softirq present in both samples.
    pub fn softirqs(&self) -> Vec<IrqRates> {
        self.irq_matrix(TableKind::SOFTIRQS)
    }

    fn irq_matrix(&self, kind: TableKind) -> Vec<IrqRates> {
        let Some((p, c)) = both(self, kind) else {
            return Vec::new();
        };
        let cpus = |table: &'_ Table| -> Vec<u64> {
            table.row(irq::CPUS_ROW).map(|row| row.values.clone()).unwrap_or_default()
        };
        let (prev_cpus, cur_cpus) = (cpus(p), cpus(c));
        c.rows
            .iter()
            .filter(|row| row.key != irq::CPUS_ROW)
            .filter_map(|cur| {
                let prev = p.row(&cur.key)?;
                let description = cur.text.first().cloned().unwrap_or_default();
                if cur.values.len() == 1 || prev.values.len() == 1 {
                    return Some(IrqRates {
                        name: cur.key.clone(),
                        description,
                        all: per_second(self, prev.value(0)?, cur.value(0)?),
                        per_cpu: Vec::new(),
                    });
                }
                let per_cpu: Vec<(u32, f64)> = cur_cpus
                    .iter()
                    .enumerate()
                    .filter_map(|(column, &cpu)| {
                        let prev_column = prev_cpus.iter().position(|&other| other == cpu)?;
                        let rate = per_second(self, prev.value(prev_column)?, cur.value(column)?);
                        Some((u32::try_from(cpu).ok()?, rate))
                    })
                    .collect();
                Some(IrqRates {
                    name: cur.key.clone(),
                    description,
                    all: per_cpu.iter().map(|(_, rate)| rate).sum(),
                    per_cpu,
                })
            })
            .collect()
    }
}

/// One line of a pressure file over an interval (sar -q CPU, IO, MEM).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PsiLine {
    /// The kernel's running averages at the end of the interval, percent.
    pub avg10: f64,
    pub avg60: f64,
    pub avg300: f64,
    /// Share of the interval stalled, from the total stall time, percent.
    pub interval_pct: f64,
}

/// Pressure of one resource: `some` and, where the kernel prints it, `full`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pressure {
    pub some: PsiLine,
    pub full: Option<PsiLine>,
}

impl Interval<'_> {
    /// `kind` is [`TableKind::PSI_CPU`], [`TableKind::PSI_IO`] or [`TableKind::PSI_MEMORY`].
    pub fn pressure(&self, kind: TableKind) -> Option<Pressure> {
        let (p, c) = both(self, kind)?;
        let line = |key: &str| -> Option<PsiLine> {
            let (prev, cur) = (p.row(key)?, c.row(key)?);
            let avg = |col| cur.value(col).map(|v| v as f64 / 100.0);
            let stalled_us = counter_delta(prev.value(psi_col::TOTAL)?, cur.value(psi_col::TOTAL)?);
            Some(PsiLine {
                avg10: avg(psi_col::AVG10)?,
                avg60: avg(psi_col::AVG60)?,
                avg300: avg(psi_col::AVG300)?,
                // µs stalled per µs of interval, in percent.
                interval_pct: stalled_us as f64 / (self.seconds * 1e6) * 100.0,
            })
        };
        Some(Pressure {
            some: line("some")?,
            full: line("full"),
        })
    }
}

/// Kernel tables at one sample (sar -v).
#[derive(Clone, Debug, PartialEq)]
pub struct KernelTables {
    /// Unused dentries in the cache.
    pub dentunusd: u64,
    /// File handles in use (allocated minus free).
    pub file_nr: u64,
    /// Inodes in use (allocated minus free).
    pub inode_nr: u64,
    /// Pseudo-terminals in use.
    pub pty_nr: u64,
}

/// sar -v; a file that could not be read counts 0, as in sysstat.
pub fn kernel_tables(sample: &Sample) -> Option<KernelTables> {
    let t = sample.table(TableKind::KTABLES)?;
    let v = |key: &str, col: usize| t.row(key).and_then(|row| row.value(col)).unwrap_or(0);
    Some(KernelTables {
        dentunusd: v(ktables::DENTRY_STATE, ktables::DENTRY_UNUSED),
        file_nr: v(ktables::FILE_NR, ktables::FILE_ALLOCATED)
            .saturating_sub(v(ktables::FILE_NR, ktables::FILE_FREE)),
        inode_nr: v(ktables::INODE_STATE, ktables::INODES)
            .saturating_sub(v(ktables::INODE_STATE, ktables::INODES_FREE)),
        pty_nr: v(ktables::PTY_NR, 0),
    })
}

/// One serial line over an interval (sar -y).
#[derive(Clone, Debug, PartialEq)]
pub struct SerialRates {
    pub line: String,
    pub rcvin: f64,
    pub xmtin: f64,
    pub framerr: f64,
    pub prtyerr: f64,
    pub brk: f64,
    pub ovrun: f64,
}

/// NFS client RPC rates (sar -n NFS).
#[derive(Clone, Debug, PartialEq)]
pub struct NfsClient {
    pub call: f64,
    pub retrans: f64,
    pub read: f64,
    pub write: f64,
    pub access: f64,
    pub getatt: f64,
}

/// NFS server RPC rates (sar -n NFSD).
#[derive(Clone, Debug, PartialEq)]
pub struct NfsServer {
    pub scall: f64,
    pub badcall: f64,
    pub packet: f64,
    pub udp: f64,
    pub tcp: f64,
    pub hit: f64,
    pub miss: f64,
    pub sread: f64,
    pub swrite: f64,
    pub saccess: f64,
    pub sgetatt: f64,
}

/// A value of an RPC table row, 0 when the line or column is absent (sysstat does the same).
fn rpc_value(table: &Table, key: &str, col: usize) -> u64 {
    table.row(key).and_then(|row| row.value(col)).unwrap_or(0)
}

impl Interval<'_> {
    pub fn serial(&self) -> Vec<SerialRates> {
        let Some((p, c)) = both(self, TableKind::SERIAL) else {
            return Vec::new();
        };
        c.rows
            .iter()
            .filter_map(|cur| {
                let prev = p.row(&cur.key)?;
                let r = |col| Some(per_second(self, prev.value(col)?, cur.value(col)?));
                Some(SerialRates {
                    line: cur.key.clone(),
                    rcvin: r(serial_col::RX)?,
                    xmtin: r(serial_col::TX)?,
                    framerr: r(serial_col::FRAME)?,
                    prtyerr: r(serial_col::PARITY)?,
                    brk: r(serial_col::BRK)?,
                    ovrun: r(serial_col::OVERRUN)?,
                })
            })
            .collect()
    }

    pub fn nfs_client(&self) -> Option<NfsClient> {
        let (p, c) = both(self, TableKind::NFS)?;
        let rate = |cols: &[(&str, usize)]| {
            let sum = |t: &Table| cols.iter().map(|&(key, col)| rpc_value(t, key, col)).sum();
            per_second(self, sum(p), sum(c))
        };
        Some(NfsClient {
            call: rate(&[(rpc::RPC, rpc::CALLS)]),
            retrans: rate(&[(rpc::RPC, rpc::RETRANS_OR_BAD)]),
            read: rate(&[(rpc::PROC3, rpc::PROC3_READ), (rpc::PROC4, rpc::PROC4_READ)]),
            write: rate(&[(rpc::PROC3, rpc::PROC3_WRITE), (rpc::PROC4, rpc::PROC4_WRITE)]),
            access: rate(&[(rpc::PROC3, rpc::PROC3_ACCESS), (rpc::PROC4, rpc::PROC4_ACCESS)]),
            getatt: rate(&[(rpc::PROC3, rpc::PROC3_GETATTR), (rpc::PROC4, rpc::PROC4_GETATTR)]),
        })
    }

    pub fn nfs_server(&self) -> Option<NfsServer> {
        let (p, c) = both(self, TableKind::NFSD)?;
        let one = |key: &'static str, col: usize| per_second(self, rpc_value(p, key, col), rpc_value(c, key, col));
        let two = |v3: usize, v4: usize| {
            let sum = |t: &Table| rpc_value(t, rpc::PROC3, v3) + rpc_value(t, rpc::PROC4OPS, v4);
            per_second(self, sum(p), sum(c))
        };
        Some(NfsServer {
            scall: one(rpc::RPC, rpc::CALLS),
            badcall: one(rpc::RPC, rpc::RETRANS_OR_BAD),
            packet: one(rpc::NET, 0),
            udp: one(rpc::NET, 1),
            tcp: one(rpc::NET, 2),
            hit: one(rpc::RC, 0),
            miss: one(rpc::RC, 1),
            sread: two(rpc::PROC3_READ, rpc::PROC4OPS_READ),
            swrite: two(rpc::PROC3_WRITE, rpc::PROC4OPS_WRITE),
            saccess: two(rpc::PROC3_ACCESS, rpc::PROC4OPS_ACCESS),
            sgetatt: two(rpc::PROC3_GETATTR, rpc::PROC4OPS_GETATTR),
        })
    }
}

/// Softnet of one CPU (or all) over an interval (sar -n SOFT).
#[derive(Clone, Debug, PartialEq)]
pub struct SoftnetRates {
    /// `None` for "all" (the sum of the CPUs).
    pub cpu: Option<u32>,
    pub total: f64,
    pub dropd: f64,
    pub squeezd: f64,
    pub rx_rps: f64,
    pub flw_lim: f64,
    /// Backlog length at the end of the interval (0 on kernels before 5.10).
    pub blg_len: f64,
}

/// A fibre channel host over an interval (sar -n FC).
#[derive(Clone, Debug, PartialEq)]
pub struct FcRates {
    pub host: String,
    pub rxf: f64,
    pub txf: f64,
    pub rxw: f64,
    pub txw: f64,
}

impl Interval<'_> {
    pub fn softnet(&self) -> Vec<SoftnetRates> {
        let Some((p, c)) = both(self, TableKind::SOFTNET) else {
            return Vec::new();
        };
        let mut rows: Vec<SoftnetRates> = c
            .rows
            .iter()
            .filter_map(|cur| {
                let prev = p.row(&cur.key)?;
                let r = |col| per_second(self, prev.value(col).unwrap_or(0), cur.value(col).unwrap_or(0));
                Some(SoftnetRates {
                    cpu: Some(cur.key.strip_prefix("cpu")?.parse().ok()?),
                    total: r(softnet_col::PROCESSED),
                    dropd: r(softnet_col::DROPPED),
                    squeezd: r(softnet_col::TIME_SQUEEZE),
                    rx_rps: r(softnet_col::RECEIVED_RPS),
                    flw_lim: r(softnet_col::FLOW_LIMIT),
                    blg_len: cur.value(softnet_col::BACKLOG_LEN).unwrap_or(0) as f64,
                })
            })
            .collect();
        if rows.is_empty() {
            return rows;
        }
        let sum = |f: fn(&SoftnetRates) -> f64| rows.iter().map(f).sum::<f64>();
        let all = SoftnetRates {
            cpu: None,
            total: sum(|r| r.total),
            dropd: sum(|r| r.dropd),
            squeezd: sum(|r| r.squeezd),
            rx_rps: sum(|r| r.rx_rps),
            flw_lim: sum(|r| r.flw_lim),
            blg_len: sum(|r| r.blg_len),
        };
        rows.insert(0, all);
        rows
    }

    pub fn fc_hosts(&self) -> Vec<FcRates> {
        let Some((p, c)) = both(self, TableKind::FCHOST) else {
            return Vec::new();
        };
        c.rows
            .iter()
            .filter_map(|cur| {
                let prev = p.row(&cur.key)?;
                let r = |col| Some(per_second(self, prev.value(col)?, cur.value(col)?));
                Some(FcRates {
                    host: cur.key.clone(),
                    rxf: r(fc_col::RX_FRAMES)?,
                    txf: r(fc_col::TX_FRAMES)?,
                    rxw: r(fc_col::RX_WORDS)?,
                    txw: r(fc_col::TX_WORDS)?,
                })
            })
            .collect()
    }

    /// %ifutil of an interface of [`Interval::interfaces`] (sysstat's compute_ifutil): the
    /// busier direction over the speed for full duplex, both directions for half duplex; 0
    /// when the speed is unknown.
    pub fn ifutil(&self, net: &NetRates) -> f64 {
        let Some(row) = self.cur.table(TableKind::NETIF).and_then(|t| t.row(&net.iface)) else {
            return 0.0;
        };
        let speed = row.value(netif_col::SPEED_MBPS).unwrap_or(0);
        if speed == 0 {
            return 0.0;
        }
        let (rx, tx) = (net.rxkb_per_s * 1024.0, net.txkb_per_s * 1024.0);
        let bits_per_s = speed as f64 * 1e6;
        let bytes = if row.value(netif_col::DUPLEX) == Some(netif_col::DUPLEX_FULL) {
            rx.max(tx)
        } else {
            rx + tx
        };
        bytes * 800.0 / bits_per_s
    }
}

/// The CPU number of a `cpuN` key.
fn cpu_number(key: &str) -> Option<u32> {
    key.strip_prefix("cpu")?.parse().ok()
}

/// sar -m CPU: MHz of "all" (`None`: the average) then of each CPU, at one sample.
pub fn cpu_mhz(sample: &Sample) -> Vec<(Option<u32>, f64)> {
    let Some(table) = sample.table(TableKind::CPUFREQ) else {
        return Vec::new();
    };
    let per_cpu: Vec<(Option<u32>, f64)> = table
        .rows
        .iter()
        .filter_map(|row| Some((Some(cpu_number(&row.key)?), row.value(0)? as f64 / 1000.0)))
        .collect();
    if per_cpu.is_empty() {
        return per_cpu;
    }
    let average = per_cpu.iter().map(|(_, mhz)| mhz).sum::<f64>() / per_cpu.len() as f64;
    std::iter::once((None, average)).chain(per_cpu).collect()
}

impl Interval<'_> {
    /// sar -m FREQ: the average frequency weighted by the time spent at each, MHz, for "all"
    /// (`None`) then each CPU; 0 for a CPU that spent no counted time in the interval.
    pub fn weighted_mhz(&self) -> Vec<(Option<u32>, f64)> {
        let Some((p, c)) = both(self, TableKind::TIME_IN_STATE) else {
            return Vec::new();
        };
        let mut totals = (0.0, 0.0);
        let mut rows: Vec<(Option<u32>, f64)> = Vec::new();
        for cur in &c.rows {
            let (Some(prev), Some(cpu)) = (p.row(&cur.key), cpu_number(&cur.key)) else {
                continue;
            };
            let (mut weighted, mut time) = (0.0, 0.0);
            for pair in cur.values.chunks_exact(2) {
                let (freq, cur_time) = (pair[0], pair[1]);
                let prev_time = prev
                    .values
                    .chunks_exact(2)
                    .find(|other| other[0] == freq)
                    .map_or(0, |other| other[1]);
                let delta = counter_delta(prev_time, cur_time) as f64;
                weighted += freq as f64 * delta;
                time += delta;
            }
            totals.0 += weighted;
            totals.1 += time;
            let mhz = if time > 0.0 { weighted / time / 1000.0 } else { 0.0 };
            rows.push((Some(cpu), mhz));
        }
        if rows.is_empty() {
            return rows;
        }
        let all = if totals.1 > 0.0 { totals.0 / totals.1 / 1000.0 } else { 0.0 };
        rows.insert(0, (None, all));
        rows
    }
}

/// The kind of an hwmon sensor (sar -m TEMP, FAN, IN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SensorKind {
    Temp,
    Fan,
    In,
}

/// One sensor at one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensor {
    /// `hwmon0/temp1`.
    pub key: String,
    /// The chip name and the sensor's label (`coretemp Package id 0`).
    pub device: String,
    /// degC, rpm or V.
    pub value: f64,
    /// %temp or %in: where the value sits between min and max (0 when they are equal);
    /// for fans, drpm: rpm above the minimum.
    pub relative: f64,
}

/// sar -m TEMP / FAN / IN.
pub fn sensors(sample: &Sample, kind: SensorKind) -> Vec<Sensor> {
    let Some(table) = sample.table(TableKind::HWMON) else {
        return Vec::new();
    };
    let prefix = match kind {
        SensorKind::Temp => "temp",
        SensorKind::Fan => "fan",
        SensorKind::In => "in",
    };
    table
        .rows
        .iter()
        .filter(|row| {
            row.key
                .rsplit('/')
                .next()
                .and_then(|name| name.strip_prefix(prefix))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|row| {
            let v = |col| row.value(col).map(|raw| signed(raw) as f64);
            let (input, min, max) = (v(hwmon_col::INPUT)?, v(hwmon_col::MIN)?, v(hwmon_col::MAX)?);
            let scale = if kind == SensorKind::Fan { 1.0 } else { 1000.0 };
            let (value, min, max) = (input / scale, min / scale, max / scale);
            let relative = match kind {
                SensorKind::Fan => value - min,
                _ if max != min => (value - min) / (max - min) * 100.0,
                _ => 0.0,
            };
            let device = match row.text.as_slice() {
                [chip, label] if !label.is_empty() => format!("{chip} {label}"),
                [chip, ..] => chip.clone(),
                [] => String::new(),
            };
            Some(Sensor {
                key: row.key.clone(),
                device,
                value,
                relative,
            })
        })
        .collect()
}

/// A battery over an interval (sar -m BAT).
#[derive(Clone, Debug, PartialEq)]
pub struct BatteryRates {
    pub name: String,
    pub capacity_pct: f64,
    /// Change of the capacity per minute, percent (negative while discharging).
    pub cap_per_min: f64,
    pub status: String,
}

impl Interval<'_> {
    pub fn batteries(&self) -> Vec<BatteryRates> {
        let Some((p, c)) = both(self, TableKind::BATTERY) else {
            return Vec::new();
        };
        c.rows
            .iter()
            .filter_map(|cur| {
                let prev = p.row(&cur.key)?;
                let (before, now) = (prev.value(0)? as f64, cur.value(0)? as f64);
                Some(BatteryRates {
                    name: cur.key.clone(),
                    capacity_pct: now,
                    cap_per_min: (now - before) / (self.seconds / 60.0),
                    status: cur.text.first().cloned().unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// A USB device at one sample (sar -m USB).
#[derive(Clone, Debug, PartialEq)]
pub struct UsbDevice {
    pub name: String,
    pub bus: u64,
    pub vendor_id: u64,
    pub product_id: u64,
    pub max_power_ma: u64,
    pub manufacturer: String,
    pub product: String,
}

pub fn usb_devices(sample: &Sample) -> Vec<UsbDevice> {
    let Some(table) = sample.table(TableKind::USB) else {
        return Vec::new();
    };
    let text = |row: &Row, i: usize| row.text.get(i).cloned().unwrap_or_default();
    table
        .rows
        .iter()
        .map(|row| UsbDevice {
            name: row.key.clone(),
            bus: row.value(usb_col::BUS).unwrap_or(0),
            vendor_id: row.value(usb_col::VENDOR_ID).unwrap_or(0),
            product_id: row.value(usb_col::PRODUCT_ID).unwrap_or(0),
            max_power_ma: row.value(usb_col::MAX_POWER_MA).unwrap_or(0),
            manufacturer: text(row, 0),
            product: text(row, 1),
        })
        .collect()
}

/// A filesystem at one sample (sar -F).
#[derive(Clone, Debug, PartialEq)]
pub struct FsUse {
    pub device: String,
    pub mount_point: String,
    pub fs_type: String,
    pub mb_free: f64,
    pub mb_used: f64,
    /// Used space over the total.
    pub used_pct: f64,
    /// Space unavailable to unprivileged users (used + reserved) over the total.
    pub user_used_pct: f64,
    pub ifree: u64,
    pub iused: u64,
    pub iused_pct: f64,
}

pub fn filesystems(sample: &Sample) -> Vec<FsUse> {
    let Some(table) = sample.table(TableKind::FILESYSTEMS) else {
        return Vec::new();
    };
    const MB: f64 = 1024.0 * 1024.0;
    let pct = |part: u64, whole: u64| if whole > 0 { part as f64 / whole as f64 * 100.0 } else { 0.0 };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let v = |col| row.value(col);
            let (blocks, free, avail) = (v(fs_col::BLOCKS_BYTES)?, v(fs_col::FREE_BYTES)?, v(fs_col::AVAIL_BYTES)?);
            let (files, files_free) = (v(fs_col::FILES)?, v(fs_col::FILES_FREE)?);
            let text = |i: usize| row.text.get(i).cloned().unwrap_or_default();
            Some(FsUse {
                device: row.key.clone(),
                mount_point: text(fs_col::TEXT_MOUNT_POINT),
                fs_type: text(fs_col::TEXT_TYPE),
                mb_free: free as f64 / MB,
                mb_used: blocks.saturating_sub(free) as f64 / MB,
                used_pct: pct(blocks.saturating_sub(free), blocks),
                user_used_pct: pct(blocks.saturating_sub(avail), blocks),
                ifree: files_free,
                iused: files.saturating_sub(files_free),
                iused_pct: pct(files.saturating_sub(files_free), files),
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "derive_system_tests.rs"]
mod tests;
