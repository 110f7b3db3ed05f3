//! `rstat report --gpu`: one row per GPU per interval, the figures of `nvidia-smi dmon` with
//! sar's naming habits (`%` first for shares, `MB` for sizes); every figure comes from
//! data-format's [`derive_gpu`](rstat_data_format::derive_gpu). A figure the GPU's source does
//! not report is NaN (printed `NaN`, absent from OpenMetrics), never 0.

use rstat_data_format::derive_gpu::GpuRates;

use super::column::{Column, Kind, Unit};
use super::{Activity, ActivityId};

/// Adds the GPU table when asked for (`--gpu`).
pub(crate) fn select(asked: bool, chosen: &mut Vec<Activity>) {
    if asked {
        chosen.push(
            Activity::new(Some("GPU"), GPU, |i| {
                i.gpus().into_iter().map(|g| (item(&g), row(&g))).collect()
            })
            .named(ActivityId::GPU.name()),
        );
    }
}

/// `nvidia0 NVIDIA H200`: the device key, then the product name when known.
fn item(g: &GpuRates) -> String {
    if g.name.is_empty() {
        g.device.clone()
    } else {
        format!("{} {}", g.device, g.name)
    }
}

fn row(g: &GpuRates) -> Vec<f64> {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    vec![
        nan(g.util_pct),
        nan(g.memory_util_pct),
        nan(g.encoder_pct),
        nan(g.decoder_pct),
        nan(g.memory_used_mb),
        nan(g.memory_total_mb),
        nan(g.memory_used_pct),
        nan(g.memory_reserved_mb),
        nan(g.gtt_used_mb),
        nan(g.temperature_c),
        nan(g.power_w),
        nan(g.power_limit_w),
        nan(g.sm_clock_mhz),
        nan(g.memory_clock_mhz),
        nan(g.pcie_rx_mb_per_s),
        nan(g.pcie_tx_mb_per_s),
        g.throttle_mask.map_or(f64::NAN, |m| m as f64),
        nan(g.ecc_corrected),
        nan(g.ecc_uncorrected),
        nan(g.fan_pct),
        nan(g.mig_mode),
    ]
}

use Kind::{Delta, Level, Rate};
use Unit::{Celsius, Count, Megabytes, MegabytesPerSecond, Megahertz, Percent, Watts};

/// The GPU table's columns.
pub const GPU: &[Column] = &[
    Column::new(
        "%gpu",
        Percent,
        Level,
        "Share of the driver's last sampling window in which a kernel ran on the GPU.",
        "GpuRates.util_pct",
    ),
    Column::new(
        "%mem",
        Percent,
        Level,
        "Share of that window in which device memory was read or written.",
        "GpuRates.memory_util_pct",
    ),
    Column::new(
        "%enc",
        Percent,
        Level,
        "Video encoder utilisation.",
        "GpuRates.encoder_pct",
    ),
    Column::new(
        "%dec",
        Percent,
        Level,
        "Video decoder utilisation.",
        "GpuRates.decoder_pct",
    ),
    Column::whole(
        "MBfbused",
        Megabytes,
        "Device (frame buffer) memory allocated.",
        "GpuRates.memory_used_mb",
    ),
    Column::whole(
        "MBfbtotal",
        Megabytes,
        "Device memory installed.",
        "GpuRates.memory_total_mb",
    ),
    Column::new(
        "%fbused",
        Percent,
        Level,
        "Device memory allocated, of installed.",
        "GpuRates.memory_used_pct",
    ),
    Column::whole(
        "MBfbresv",
        Megabytes,
        "Device memory the driver reserves.",
        "GpuRates.memory_reserved_mb",
    ),
    Column::whole(
        "MBgtt",
        Megabytes,
        "System memory mapped for the GPU (amdgpu GTT) in use.",
        "GpuRates.gtt_used_mb",
    ),
    Column::new(
        "degC",
        Celsius,
        Level,
        "GPU temperature.",
        "GpuRates.temperature_c",
    ),
    Column::new(
        "pwrW",
        Watts,
        Rate,
        "Power draw: the mean over the interval from the energy counter, else the last reading.",
        "GpuRates.power_w",
    ),
    Column::new(
        "plimW",
        Watts,
        Level,
        "Enforced power limit.",
        "GpuRates.power_limit_w",
    ),
    Column::whole(
        "smMHz",
        Megahertz,
        "Graphics/SM clock.",
        "GpuRates.sm_clock_mhz",
    ),
    Column::whole(
        "memMHz",
        Megahertz,
        "Memory clock.",
        "GpuRates.memory_clock_mhz",
    ),
    Column::new(
        "rxMB/s",
        MegabytesPerSecond,
        Rate,
        "PCIe receive throughput as the driver last measured it (10^6 bytes a second).",
        "GpuRates.pcie_rx_mb_per_s",
    ),
    Column::new(
        "txMB/s",
        MegabytesPerSecond,
        Rate,
        "PCIe transmit throughput as the driver last measured it.",
        "GpuRates.pcie_tx_mb_per_s",
    ),
    Column::whole(
        "throttle",
        Count,
        "Why the clocks are held down: NVML's clocks event reasons bit mask (1 idle, 4 power cap, 0x20 software thermal, 0x40 hardware thermal; 0 none).",
        "GpuRates.throttle_mask",
    ),
    Column::new(
        "sbecc",
        Count,
        Delta,
        "Corrected (single-bit) ECC errors in the interval.",
        "GpuRates.ecc_corrected",
    )
    .decimals(0),
    Column::new(
        "dbecc",
        Count,
        Delta,
        "Uncorrected (double-bit) ECC errors in the interval.",
        "GpuRates.ecc_uncorrected",
    )
    .decimals(0),
    Column::whole("%fan", Percent, "Fan speed, of its maximum.", "GpuRates.fan_pct"),
    Column::whole(
        "mig",
        Count,
        "MIG mode: 1 enabled, 0 disabled.",
        "GpuRates.mig_mode",
    ),
];
