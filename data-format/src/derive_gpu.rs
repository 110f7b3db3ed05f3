//! GPU figures per device (like `nvidia-smi dmon`) and per process (like `nvidia-smi pmon`)
//! from the [`TableKind::GPU`] and [`TableKind::GPU_PROCESSES`] tables of an interval.
//!
//! Levels come from the interval's last sample; rates from both: power from the energy
//! counter when the source has one (the mean over the interval, which a level read once
//! cannot give), ECC errors per interval, and each DRM engine's share of the interval. A
//! figure the source does not report is `None`, never 0.

use crate::derive::Interval;
use crate::schema::{Row, Table, TableKind};
use crate::schema_gpu::{gpu_col, gpu_process_col, present, throttle};

const MIB: f64 = 1024.0 * 1024.0;

/// One GPU over an interval.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GpuRates {
    /// The device as rstat names it (`nvidia0`, `card0`).
    pub device: String,
    /// The driver: `nvidia` or `amdgpu`.
    pub driver: String,
    /// The product name, empty when the source has none.
    pub name: String,
    /// The PCI bus id.
    pub bus_id: String,
    /// Percent of time a kernel ran (the driver's own window, read at the interval's end).
    pub util_pct: Option<f64>,
    /// Percent of time device memory was read or written.
    pub memory_util_pct: Option<f64>,
    /// Encoder utilisation, percent.
    pub encoder_pct: Option<f64>,
    /// Decoder utilisation, percent.
    pub decoder_pct: Option<f64>,
    /// Device memory in use, MiB.
    pub memory_used_mb: Option<f64>,
    /// Device memory installed, MiB.
    pub memory_total_mb: Option<f64>,
    /// Device memory in use, percent of installed.
    pub memory_used_pct: Option<f64>,
    /// Device memory the driver reserves, MiB.
    pub memory_reserved_mb: Option<f64>,
    /// GTT in use, MiB (amdgpu).
    pub gtt_used_mb: Option<f64>,
    /// Temperature, degrees Celsius.
    pub temperature_c: Option<f64>,
    /// Power draw, watts: the mean over the interval from the energy counter when there is
    /// one, else the level read at its end.
    pub power_w: Option<f64>,
    /// Enforced power limit, watts.
    pub power_limit_w: Option<f64>,
    /// Graphics/SM clock, MHz.
    pub sm_clock_mhz: Option<f64>,
    /// Memory clock, MHz.
    pub memory_clock_mhz: Option<f64>,
    /// PCIe receive throughput, MB/s (10^6 bytes), as the driver last measured it.
    pub pcie_rx_mb_per_s: Option<f64>,
    /// PCIe transmit throughput, MB/s.
    pub pcie_tx_mb_per_s: Option<f64>,
    /// The clocks event reasons bit mask at the interval's end.
    pub throttle_mask: Option<u64>,
    /// Corrected ECC errors in the interval.
    pub ecc_corrected: Option<f64>,
    /// Uncorrected ECC errors in the interval.
    pub ecc_uncorrected: Option<f64>,
    /// MIG mode enabled (1) or not (0).
    pub mig_mode: Option<f64>,
    /// Fan speed, percent.
    pub fan_pct: Option<f64>,
}

impl GpuRates {
    /// The throttle reasons' short names joined by `,` (`-` when none; empty when unknown).
    pub fn throttle_names(&self) -> String {
        let Some(mask) = self.throttle_mask else {
            return String::new();
        };
        let names: Vec<&str> = throttle::NAMES
            .iter()
            .filter(|(bit, _)| mask & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            "-".to_string()
        } else {
            names.join(",")
        }
    }
}

/// One process on one GPU over an interval.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GpuProcessRates {
    /// The process id.
    pub pid: u32,
    /// The GPU's key (see [`TableKind::GPU_PROCESSES`]).
    pub device: String,
    /// Where the figures come from: `nvml` or `drm`.
    pub source: String,
    /// The command name from the PROCESSES table of the same sample (same pid and start
    /// time), empty when processes were not recorded.
    pub comm: String,
    /// Device memory held, MiB.
    pub memory_mb: Option<f64>,
    /// System memory held by the process's GPU clients, MiB.
    pub shared_mb: Option<f64>,
    /// SM (graphics and compute) busy, percent: NVML's per-process figure, or the DRM
    /// graphics/compute engines' busy time (or cycles) over the interval.
    pub sm_pct: Option<f64>,
    /// Memory controller busy, percent (NVML).
    pub memory_util_pct: Option<f64>,
    /// Encoder busy, percent (NVML).
    pub encoder_pct: Option<f64>,
    /// Decoder busy, percent (NVML), or the DRM video engines' busy time over the interval.
    pub decoder_pct: Option<f64>,
    /// DRM copy engines' busy time over the interval, percent.
    pub copy_pct: Option<f64>,
    /// Distinct DRM clients (open device contexts).
    pub clients: Option<f64>,
}

impl Interval<'_> {
    /// Every GPU of the interval's last sample (in table order). Counters need the GPU in the
    /// first sample too; levels do not.
    pub fn gpus(&self) -> Vec<GpuRates> {
        let Some(cur) = self.cur.table(TableKind::GPU) else {
            return Vec::new();
        };
        let prev = self.prev.table(TableKind::GPU);
        cur.rows
            .iter()
            .map(|row| gpu_rates(row, prev.and_then(|p| p.row(&row.key)), self.seconds))
            .collect()
    }

    /// Every process with GPU activity in the interval's last sample, by pid then device.
    pub fn gpu_processes(&self) -> Vec<GpuProcessRates> {
        let Some(cur) = self.cur.table(TableKind::GPU_PROCESSES) else {
            return Vec::new();
        };
        let prev = self.prev.table(TableKind::GPU_PROCESSES);
        let processes = self.cur.table(TableKind::PROCESSES);
        cur.rows
            .iter()
            .filter_map(|row| {
                let before = prev.and_then(|p| same_client(p, row));
                gpu_process_rates(row, before, processes, self.seconds)
            })
            .collect()
    }
}

/// Every GPU of one sample, levels only: counters and power from energy need an interval
/// ([`Interval::gpus`]); power is the reading.
pub fn gpu_levels(sample: &crate::Sample) -> Vec<GpuRates> {
    sample.table(TableKind::GPU).map_or_else(Vec::new, |table| {
        table
            .rows
            .iter()
            .map(|row| gpu_rates(row, None, 0.0))
            .collect()
    })
}

fn level(row: &Row, col: usize) -> Option<f64> {
    present(row, col).map(|v| v as f64)
}

fn scaled(row: &Row, col: usize, divisor: f64) -> Option<f64> {
    level(row, col).map(|v| v / divisor)
}

/// The increase of counter `col` from `prev` to `cur`, when both have it and it did not go
/// down. The GPU counters are 64-bit (NVML, hwmon, DRM fdinfo), so a smaller value is a reset
/// (the driver reloaded) or, for a process, a DRM client it closed, whose time leaves the sum:
/// the interval's figure is then unknown, and the 32-bit wrap rule of
/// [`counter_delta`](crate::derive::counter_delta) would make one up.
fn increase(prev: Option<&Row>, cur: &Row, col: usize) -> Option<u64> {
    present(cur, col)?.checked_sub(present(prev?, col)?)
}

fn gpu_rates(cur: &Row, prev: Option<&Row>, seconds: f64) -> GpuRates {
    let text = |i: usize| cur.text.get(i).cloned().unwrap_or_default();
    let memory_used = level(cur, gpu_col::MEMORY_USED);
    let memory_total = level(cur, gpu_col::MEMORY_TOTAL);
    let energy_w = increase(prev, cur, gpu_col::ENERGY_UJ)
        .filter(|_| seconds > 0.0)
        .map(|uj| uj as f64 / 1e6 / seconds);
    GpuRates {
        device: cur.key.clone(),
        driver: text(0),
        name: text(1),
        bus_id: text(2),
        util_pct: level(cur, gpu_col::UTIL_GPU),
        memory_util_pct: level(cur, gpu_col::UTIL_MEMORY),
        encoder_pct: level(cur, gpu_col::UTIL_ENCODER),
        decoder_pct: level(cur, gpu_col::UTIL_DECODER),
        memory_used_mb: memory_used.map(|b| b / MIB),
        memory_total_mb: memory_total.map(|b| b / MIB),
        memory_used_pct: match (memory_used, memory_total) {
            (Some(used), Some(total)) if total > 0.0 => Some(100.0 * used / total),
            _ => None,
        },
        memory_reserved_mb: scaled(cur, gpu_col::MEMORY_RESERVED, MIB),
        gtt_used_mb: scaled(cur, gpu_col::GTT_USED, MIB),
        temperature_c: scaled(cur, gpu_col::TEMPERATURE_MC, 1000.0),
        power_w: energy_w.or_else(|| scaled(cur, gpu_col::POWER_MW, 1000.0)),
        power_limit_w: scaled(cur, gpu_col::POWER_LIMIT_MW, 1000.0),
        sm_clock_mhz: level(cur, gpu_col::CLOCK_SM_MHZ),
        memory_clock_mhz: level(cur, gpu_col::CLOCK_MEMORY_MHZ),
        pcie_rx_mb_per_s: scaled(cur, gpu_col::PCIE_RX_KBS, 1000.0),
        pcie_tx_mb_per_s: scaled(cur, gpu_col::PCIE_TX_KBS, 1000.0),
        throttle_mask: present(cur, gpu_col::THROTTLE_REASONS),
        ecc_corrected: increase(prev, cur, gpu_col::ECC_CORRECTED).map(|n| n as f64),
        ecc_uncorrected: increase(prev, cur, gpu_col::ECC_UNCORRECTED).map(|n| n as f64),
        mig_mode: level(cur, gpu_col::MIG_MODE),
        fan_pct: level(cur, gpu_col::FAN_PCT),
    }
}

/// The row of `table` for the same process, device and source as `row` (a reused pid with
/// another start time is another process).
fn same_client<'t>(table: &'t Table, row: &Row) -> Option<&'t Row> {
    table.rows.iter().find(|other| {
        other.key == row.key
            && other.text == row.text
            && other.value(gpu_process_col::STARTTIME) == row.value(gpu_process_col::STARTTIME)
    })
}

/// `ns` of engine busy time over an interval of `seconds`, percent.
fn busy_pct(ns: Option<u64>, seconds: f64) -> Option<f64> {
    (seconds > 0.0).then_some(100.0 * ns? as f64 / (seconds * 1e9))
}

fn gpu_process_rates(
    cur: &Row,
    prev: Option<&Row>,
    processes: Option<&Table>,
    seconds: f64,
) -> Option<GpuProcessRates> {
    let pid: u32 = cur.key.parse().ok()?;
    let starttime = present(cur, gpu_process_col::STARTTIME);
    let comm = processes
        .and_then(|t| t.row(&cur.key))
        .filter(|p| {
            starttime.is_none()
                || p.value(crate::schema_process::process_col::STARTTIME) == starttime
        })
        .and_then(|p| p.text.first().cloned())
        .unwrap_or_default();
    let engine = |col| busy_pct(increase(prev, cur, col), seconds);
    let cycles = match (
        increase(prev, cur, gpu_process_col::ENGINE_CYCLES),
        increase(prev, cur, gpu_process_col::ENGINE_TOTAL_CYCLES),
    ) {
        (Some(busy), Some(total)) if total > 0 => Some(100.0 * busy as f64 / total as f64),
        _ => None,
    };
    let sm_pct = level(cur, gpu_process_col::UTIL_SM)
        .or_else(|| engine(gpu_process_col::ENGINE_GRAPHICS_NS))
        .or(cycles);
    Some(GpuProcessRates {
        pid,
        device: cur.text.first().cloned().unwrap_or_default(),
        source: cur.text.get(1).cloned().unwrap_or_default(),
        comm,
        memory_mb: scaled(cur, gpu_process_col::MEMORY_BYTES, MIB),
        shared_mb: scaled(cur, gpu_process_col::SHARED_BYTES, MIB),
        sm_pct,
        memory_util_pct: level(cur, gpu_process_col::UTIL_MEMORY),
        encoder_pct: level(cur, gpu_process_col::UTIL_ENCODER),
        decoder_pct: level(cur, gpu_process_col::UTIL_DECODER)
            .or_else(|| engine(gpu_process_col::ENGINE_VIDEO_NS)),
        copy_pct: engine(gpu_process_col::ENGINE_COPY_NS),
        clients: level(cur, gpu_process_col::CLIENTS),
    })
}

#[cfg(test)]
#[path = "derive_gpu_tests.rs"]
mod tests;
