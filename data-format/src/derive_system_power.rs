//! Power (sar -m CPU, FREQ, FAN, TEMP, IN, BAT, USB) and filesystems (sar -F) from the
//! cpufreq, time-in-state, hwmon, battery, USB and filesystems tables, with sysstat's
//! formulas; see [`crate::derive_system`] for the conventions.

use crate::derive::{counter_delta, Interval};
use crate::derive_system::both;
use crate::hotplug::{cpu_number, is_carried};
use crate::schema::{Row, Sample, TableKind};
use crate::schema_system::{fs_col, hwmon_col, hwmon_text, signed, usb_col};

/// sar -m CPU: MHz of "all" (`None`: the average over the CPUs shown) then of each CPU, at
/// one sample. A CPU that /proc/stat shows offline in the same sample (absent, or carried
/// forward) is not shown, as for every per-CPU table.
pub fn cpu_mhz(sample: &Sample) -> Vec<(Option<u32>, f64)> {
    let Some(table) = sample.table(TableKind::CPUFREQ) else {
        return Vec::new();
    };
    let online = |key: &str| {
        sample.table(TableKind::CPU).is_none_or(|cpus| {
            let per_cpu = cpus.rows.iter().any(|r| cpu_number(&r.key).is_some());
            !per_cpu || cpus.row(key).is_some_and(|row| !is_carried(row))
        })
    };
    let per_cpu: Vec<(Option<u32>, f64)> = table
        .rows
        .iter()
        .filter(|row| online(&row.key))
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
        // Offline (carried) CPUs are not shown; a CPU with no values before has no reference.
        let mut prev_rows = p.finder();
        for cur in c.rows.iter().filter(|row| !is_carried(row)) {
            let (Some(prev), Some(cpu)) = (prev_rows.find(&cur.key), cpu_number(&cur.key)) else {
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
            let mhz = if time > 0.0 {
                weighted / time / 1000.0
            } else {
                0.0
            };
            rows.push((Some(cpu), mhz));
        }
        if rows.is_empty() {
            return rows;
        }
        let all = if totals.1 > 0.0 {
            totals.0 / totals.1 / 1000.0
        } else {
            0.0
        };
        rows.insert(0, (None, all));
        rows
    }
}

/// The kind of an hwmon sensor (sar -m TEMP, FAN, IN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SensorKind {
    /// Temperature sensors (hwmon `temp*_input`), in degrees Celsius.
    Temp,
    /// Fans (hwmon `fan*_input`), in revolutions per minute.
    Fan,
    /// Voltage inputs (hwmon `in*_input`), in volts.
    In,
}

/// One sensor at one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensor {
    /// `hwmon0/temp1`.
    pub key: String,
    /// sar's number of the sensor among those of its kind, in the table's order: from 1 for
    /// fans and temperatures, from 0 for voltage inputs (as sar and sadf number them).
    pub number: u32,
    /// libsensors' chip name, sar's DEVICE (`coretemp-isa-0000`); the hwmon's name
    /// (`coretemp`) in files written before it was recorded.
    pub chip: String,
    /// The hwmon's name and the sensor's label (`coretemp Package id 0`).
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
    let (prefix, first_number) = match kind {
        SensorKind::Temp => ("temp", 1),
        SensorKind::Fan => ("fan", 1),
        SensorKind::In => ("in", 0),
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
            let text = |i: usize| row.text.get(i).map_or("", String::as_str);
            let (name, label) = (text(hwmon_text::NAME), text(hwmon_text::LABEL));
            let device = if label.is_empty() {
                name.to_string()
            } else {
                format!("{name} {label}")
            };
            let chip = match text(hwmon_text::CHIP) {
                "" => name,
                chip => chip,
            };
            Some(Sensor {
                key: row.key.clone(),
                number: 0,
                chip: chip.to_string(),
                device,
                value,
                relative,
            })
        })
        .zip(first_number..)
        .map(|(sensor, number)| Sensor { number, ..sensor })
        .collect()
}

/// A battery over an interval (sar -m BAT).
#[derive(Clone, Debug, PartialEq)]
pub struct BatteryRates {
    /// The battery's name (/sys/class/power_supply: `BAT0`).
    pub name: String,
    /// %cap: charge at the end of the interval, percent of full (power_supply `capacity`).
    pub capacity_pct: f64,
    /// Change of the capacity per minute, percent (negative while discharging).
    pub cap_per_min: f64,
    /// The charging status at the end of the interval (power_supply `status`: `Charging`,
    /// `Discharging`, `Full`).
    pub status: String,
}

impl Interval<'_> {
    /// sar -m BAT: one row per battery present in both samples.
    pub fn batteries(&self) -> Vec<BatteryRates> {
        let Some((p, c)) = both(self, TableKind::BATTERY) else {
            return Vec::new();
        };
        let mut prev_rows = p.finder();
        c.rows
            .iter()
            .filter_map(|cur| {
                let prev = prev_rows.find(&cur.key)?;
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
    /// The device's name in /sys/bus/usb/devices (`1-1.2`).
    pub name: String,
    /// The USB bus it is on (`busnum`).
    pub bus: u64,
    /// The vendor's identifier (`idVendor`).
    pub vendor_id: u64,
    /// The product's identifier (`idProduct`).
    pub product_id: u64,
    /// Maximum power it may draw, in milliamperes (`bMaxPower`).
    pub max_power_ma: u64,
    /// The manufacturer's name (`manufacturer`), empty when the device gives none.
    pub manufacturer: String,
    /// The product's name (`product`), empty when the device gives none.
    pub product: String,
}

/// sar -m USB: every USB device of one sample, in the order recorded.
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
    /// The filesystem's device (/proc/mounts first field: `/dev/sda1`).
    pub device: String,
    /// Where it is mounted (/proc/mounts second field).
    pub mount_point: String,
    /// The filesystem's type (`ext4`, `xfs`).
    pub fs_type: String,
    /// MBfsfree: free space in megabytes, reserved blocks included (statvfs `f_bfree`).
    pub mb_free: f64,
    /// MBfsused: used space in megabytes (statvfs `f_blocks` - `f_bfree`).
    pub mb_used: f64,
    /// Used space over the total.
    pub used_pct: f64,
    /// Space unavailable to unprivileged users (used + reserved) over the total.
    pub user_used_pct: f64,
    /// Ifree: free inodes (statvfs `f_ffree`).
    pub ifree: u64,
    /// Iused: inodes in use (statvfs `f_files` - `f_ffree`).
    pub iused: u64,
    /// %Iused: inodes in use as a percentage of all inodes (0 for a filesystem without a fixed
    /// count).
    pub iused_pct: f64,
}

/// sar -F: every filesystem of one sample, in the order recorded.
pub fn filesystems(sample: &Sample) -> Vec<FsUse> {
    let Some(table) = sample.table(TableKind::FILESYSTEMS) else {
        return Vec::new();
    };
    const MB: f64 = 1024.0 * 1024.0;
    let pct = |part: u64, whole: u64| {
        if whole > 0 {
            part as f64 / whole as f64 * 100.0
        } else {
            0.0
        }
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let v = |col| row.value(col);
            let (blocks, free, avail) = (
                v(fs_col::BLOCKS_BYTES)?,
                v(fs_col::FREE_BYTES)?,
                v(fs_col::AVAIL_BYTES)?,
            );
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
