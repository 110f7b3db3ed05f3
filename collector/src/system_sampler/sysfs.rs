//! The sysfs walkers of the system sampler: fibre channel hosts, CPU frequency and
//! time_in_state, hwmon sensors, batteries, USB devices and interface speed/duplex. Each one
//! lists its directory under the root, reads small attribute files and refills one table.
//!
//! A directory that does not exist means the host has no such hardware: the table is left
//! out, silently. An entry whose attribute cannot be read (a sensor returning ENODATA, an
//! interface without a speed) is skipped; the rest is recorded.

use std::path::Path;

use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::schema_system::{fc_col, hwmon_col, hwmon_text};

use super::chip_name::ChipNames;
use super::dir::{FileCache, Names, PathScratch, ReadBuffer};
use crate::proc::values::{
    attribute_text, parse_attribute_hex, parse_attribute_leading_u64, parse_attribute_signed,
    parse_attribute_u64,
};
use crate::proc::{cpufreq, netif};

/// Buffers the walkers share (one walker runs at a time).
#[derive(Default)]
pub(crate) struct Walker {
    /// Every file and directory the system sampler reads, kept open.
    pub(crate) cache: FileCache,
    /// The directory being listed, an entry's directory, and the file being read.
    dir: PathScratch,
    sub: PathScratch,
    path: PathScratch,
    pub(crate) buffer: ReadBuffer,
    outer: Names,
    inner: Names,
    text: String,
    key: String,
    values: Vec<u64>,
    /// libsensors' name of each hwmon chip.
    chips: ChipNames,
}

/// Whether `name` is `prefix` followed by digits only (`hwmon3`, `cpu12`, `host0`).
fn numbered(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

impl Walker {
    /// Drops the table of `kind` when it ended up with no row.
    fn keep_if_rows(sample: &mut Sample, kind: TableKind) {
        if sample
            .table(kind)
            .is_some_and(|table| table.rows.is_empty())
        {
            sample.remove_table(kind);
        }
    }

    /// /sys/class/fc_host/hostN/statistics/{rx_frames,tx_frames,rx_words,tx_words}.
    pub(crate) fn fc_hosts(&mut self, root: &Path, sample: &mut Sample) -> bool {
        let dir = self.dir.build(root, &["sys/class/fc_host"]);
        if self
            .outer
            .list(&mut self.cache, dir, |name| name.starts_with("host"))
            .is_err()
        {
            sample.remove_table(TableKind::FCHOST);
            return false;
        }
        const FILES: [&str; fc_col::COUNT] = ["rx_frames", "tx_frames", "rx_words", "tx_words"];
        let mut fill = sample.table_mut(TableKind::FCHOST).refill();
        for index in 0..self.outer.len() {
            let mut values = [0u64; fc_col::COUNT];
            let mut complete = true;
            for (value, file) in values.iter_mut().zip(FILES) {
                let host = self.outer.get(index);
                let path = self.path.build(dir, &[host, "statistics", file]);
                complete &= self.cache.read(path, &mut self.buffer).is_ok();
                *value = parse_attribute_hex("/sys/class/fc_host/*/statistics/*", &self.buffer)
                    .unwrap_or_default();
            }
            if complete {
                fill.row(self.outer.get(index)).values.extend(values);
            }
        }
        fill.finish();
        Self::keep_if_rows(sample, TableKind::FCHOST);
        true
    }

    /// scaling_cur_freq and time_in_state of each CPU. Returns whether any CPU had a current
    /// frequency in sysfs (else the caller reads /proc/cpuinfo).
    pub(crate) fn cpufreq(&mut self, root: &Path, sample: &mut Sample) -> bool {
        let dir = self.dir.build(root, &["sys/devices/system/cpu"]);
        if self
            .outer
            .list(&mut self.cache, dir, |name| numbered(name, "cpu"))
            .is_err()
        {
            self.outer.set(std::iter::empty());
        }
        let mut freq = sample.table_mut(TableKind::CPUFREQ).refill();
        for index in 0..self.outer.len() {
            let cpu = self.outer.get(index);
            let path = self.path.build(dir, &[cpu, "cpufreq/scaling_cur_freq"]);
            if self.cache.read(path, &mut self.buffer).is_ok() {
                if let Ok(khz) = parse_attribute_u64(cpufreq::TIME_IN_STATE_FILE, &self.buffer) {
                    freq.row(self.outer.get(index)).values.push(khz);
                }
            }
        }
        let any = !freq.is_empty();
        freq.finish();
        let mut states = sample.table_mut(TableKind::TIME_IN_STATE).refill();
        for index in 0..self.outer.len() {
            let cpu = self.outer.get(index);
            let path = self.path.build(dir, &[cpu, "cpufreq/stats/time_in_state"]);
            if self.cache.read(path, &mut self.buffer).is_ok()
                && cpufreq::parse_time_in_state(&self.buffer, &mut self.values).is_ok()
                && !self.values.is_empty()
            {
                let row = states.row(self.outer.get(index));
                row.values.extend_from_slice(&self.values);
            }
        }
        states.finish();
        Self::keep_if_rows(sample, TableKind::TIME_IN_STATE);
        any
    }

    /// /sys/class/hwmon/hwmonN/{temp,fan,in}M_input with min, max and label, and the chip's
    /// libsensors name (sar's DEVICE).
    pub(crate) fn hwmon(&mut self, root: &Path, sample: &mut Sample) -> bool {
        let dir = self.dir.build(root, &["sys/class/hwmon"]);
        if self
            .outer
            .list(&mut self.cache, dir, |name| numbered(name, "hwmon"))
            .is_err()
        {
            sample.remove_table(TableKind::HWMON);
            return false;
        }
        let mut fill = sample.table_mut(TableKind::HWMON).refill();
        for chip_index in 0..self.outer.len() {
            let chip = self.outer.get(chip_index);
            let chip_dir = self.sub.build(dir, &[chip]);
            let sensor = |name: &str| {
                let Some(stem) = name.strip_suffix("_input") else {
                    return false;
                };
                ["temp", "fan", "in"]
                    .iter()
                    .any(|kind| numbered(stem, kind))
            };
            if self.inner.list(&mut self.cache, chip_dir, sensor).is_err() {
                continue;
            }
            self.text.clear();
            if self
                .cache
                .read(self.path.build(chip_dir, &["name"]), &mut self.buffer)
                .is_ok()
            {
                attribute_text(&self.buffer, &mut self.text);
            }
            let chip_name = self.chips.get(chip_dir, chip, &self.text);
            for index in 0..self.inner.len() {
                let input = self.inner.get(index);
                let stem = input.trim_end_matches("_input");
                let file = "/sys/class/hwmon/*/*_input";
                let path = self.path.build(chip_dir, &[input]);
                let Ok(()) = self.cache.read(path, &mut self.buffer) else {
                    continue;
                };
                let Ok(value) = parse_attribute_signed(file, &self.buffer) else {
                    continue;
                };
                let mut limits = [0u64; 2];
                for (limit, suffix) in limits.iter_mut().zip(["_min", "_max"]) {
                    self.key.clear();
                    self.key.push_str(stem);
                    self.key.push_str(suffix);
                    let path = self.path.build(chip_dir, &[&self.key]);
                    if self.cache.read(path, &mut self.buffer).is_ok() {
                        *limit = parse_attribute_signed(file, &self.buffer).unwrap_or(0);
                    }
                }
                self.key.clear();
                self.key.push_str(stem);
                self.key.push_str("_label");
                let has_label = self
                    .cache
                    .read(self.path.build(chip_dir, &[&self.key]), &mut self.buffer)
                    .is_ok();
                self.key.clear();
                self.key.push_str(chip);
                self.key.push('/');
                self.key.push_str(stem);
                let row = fill.row_with_text(&self.key, &["", "", ""]);
                row.text[hwmon_text::NAME].push_str(&self.text);
                row.text[hwmon_text::CHIP].push_str(chip_name);
                if has_label {
                    attribute_text(&self.buffer, &mut row.text[hwmon_text::LABEL]);
                }
                row.values.extend([value, limits[0], limits[1]]);
                debug_assert_eq!(row.values.len(), hwmon_col::COUNT);
            }
        }
        fill.finish();
        Self::keep_if_rows(sample, TableKind::HWMON);
        true
    }

    /// /sys/class/power_supply/X with type Battery: capacity and status.
    pub(crate) fn batteries(&mut self, root: &Path, sample: &mut Sample) -> bool {
        let dir = self.dir.build(root, &["sys/class/power_supply"]);
        if self.outer.list(&mut self.cache, dir, |_| true).is_err() {
            sample.remove_table(TableKind::BATTERY);
            return false;
        }
        let mut fill = sample.table_mut(TableKind::BATTERY).refill();
        for index in 0..self.outer.len() {
            let supply = self.outer.get(index);
            let is_battery = self
                .cache
                .read(self.path.build(dir, &[supply, "type"]), &mut self.buffer)
                .is_ok()
                && self.buffer.trim_ascii() == b"Battery";
            if !is_battery {
                continue;
            }
            let path = self.path.build(dir, &[supply, "capacity"]);
            let capacity = self
                .cache
                .read(path, &mut self.buffer)
                .ok()
                .and_then(|()| parse_attribute_u64("capacity", &self.buffer).ok());
            let Some(capacity) = capacity else { continue };
            self.text.clear();
            if self
                .cache
                .read(self.path.build(dir, &[supply, "status"]), &mut self.buffer)
                .is_ok()
            {
                attribute_text(&self.buffer, &mut self.text);
            }
            let row = fill.row_with_text(supply, &[""]);
            row.text[0].push_str(&self.text);
            row.values.push(capacity);
        }
        fill.finish();
        Self::keep_if_rows(sample, TableKind::BATTERY);
        true
    }

    /// /sys/bus/usb/devices/B-P[.P...]: bus, idVendor, idProduct, bMaxPower, manufacturer,
    /// product (interfaces, whose names have a `:`, and root hubs `usbN` are not devices).
    pub(crate) fn usb(&mut self, root: &Path, sample: &mut Sample) -> bool {
        let dir = self.dir.build(root, &["sys/bus/usb/devices"]);
        let device =
            |name: &str| name.starts_with(|c: char| c.is_ascii_digit()) && !name.contains(':');
        if self.outer.list(&mut self.cache, dir, device).is_err() {
            sample.remove_table(TableKind::USB);
            return false;
        }
        let mut fill = sample.table_mut(TableKind::USB).refill();
        for index in 0..self.outer.len() {
            let name = self.outer.get(index);
            let bus_digits = name.bytes().take_while(u8::is_ascii_digit).count();
            let bus = name[..bus_digits].parse::<u64>().unwrap_or(0);
            let mut ids = [0u64; 3];
            for (value, (file, hex)) in ids.iter_mut().zip([
                ("idVendor", true),
                ("idProduct", true),
                ("bMaxPower", false),
            ]) {
                if self
                    .cache
                    .read(self.path.build(dir, &[name, file]), &mut self.buffer)
                    .is_ok()
                {
                    let parsed = if hex {
                        parse_attribute_hex("/sys/bus/usb/devices/*/id*", &self.buffer)
                    } else {
                        parse_attribute_leading_u64(
                            "/sys/bus/usb/devices/*/bMaxPower",
                            &self.buffer,
                        )
                    };
                    *value = parsed.unwrap_or(0);
                }
            }
            let row = fill.row_with_text(self.outer.get(index), &["", ""]);
            for (text, file) in row.text.iter_mut().zip(["manufacturer", "product"]) {
                let path = self.path.build(dir, &[self.outer.get(index), file]);
                if self.cache.read(path, &mut self.buffer).is_ok() {
                    attribute_text(&self.buffer, text);
                }
            }
            row.values.extend([bus, ids[0], ids[1], ids[2]]);
        }
        fill.finish();
        Self::keep_if_rows(sample, TableKind::USB);
        true
    }

    /// Speed and duplex of every interface of the sample's NETDEV table.
    pub(crate) fn netif(&mut self, root: &Path, sample: &mut Sample) {
        let Some(netdev) = sample.table(TableKind::NETDEV) else {
            sample.remove_table(TableKind::NETIF);
            return;
        };
        self.outer
            .set(netdev.rows.iter().map(|row| row.key.as_str()));
        let dir = self.dir.build(root, &["sys/class/net"]);
        let mut fill = sample.table_mut(TableKind::NETIF).refill();
        for index in 0..self.outer.len() {
            let iface = self.outer.get(index);
            if iface.is_empty() || iface.contains('/') || iface == "." || iface == ".." {
                continue;
            }
            let duplex = self
                .cache
                .read(self.path.build(dir, &[iface, "duplex"]), &mut self.buffer)
                .ok()
                .and_then(|()| netif::parse_duplex(&self.buffer).ok());
            let Some(duplex) = duplex else { continue };
            let speed = self
                .cache
                .read(self.path.build(dir, &[iface, "speed"]), &mut self.buffer)
                .ok()
                .and_then(|()| netif::parse_speed(&self.buffer).ok());
            let Some(speed) = speed else { continue };
            fill.row(self.outer.get(index))
                .values
                .extend([speed, duplex]);
        }
        fill.finish();
        Self::keep_if_rows(sample, TableKind::NETIF);
    }
}
