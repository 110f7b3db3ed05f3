//! The GPU table's columns, said once for every reader: `rstat report --gpu` and export
//! (the `rstat` package's catalogue), the dashboard's GPU charts and top's GPU screen (the
//! viewer, which cannot depend on the package that depends on it). Each column carries the
//! figure of a GPU it shows, from [`crate::derive_gpu`]; a figure the GPU's source does not
//! report is `None`, never 0.

use crate::columns::{Column, Kind, Unit};
use crate::derive_gpu::GpuRates;

/// A column of the GPU table and the figure it shows of a GPU.
pub struct GpuColumn {
    /// The column's metadata (name, unit, kind, decimals, help, derived field).
    pub column: Column,
    /// The GPU's figure under it; `None` when its source does not report it.
    pub value: fn(&GpuRates) -> Option<f64>,
}

/// A column with the figure it shows.
const fn shown(column: Column, value: fn(&GpuRates) -> Option<f64>) -> GpuColumn {
    GpuColumn { column, value }
}

/// The GPU column named `name` (`%gpu`, `MBfbused`, `pwrW`).
pub fn gpu_column(name: &str) -> Option<&'static GpuColumn> {
    GPU.iter().find(|c| c.column.name == name)
}

use Kind::{Delta, Level, Rate};
use Unit::{Celsius, Count, Megabytes, MegabytesPerSecond, Megahertz, Percent, Watts};

/// The GPU table's columns, in `rstat report --gpu`'s order.
pub static GPU: [GpuColumn; 21] = [
    shown(
        Column::new(
            "%gpu",
            Percent,
            Level,
            "Share of the driver's last sampling window in which a kernel ran on the GPU.",
            "GpuRates.util_pct",
        ),
        |g| g.util_pct,
    ),
    shown(
        Column::new(
            "%mem",
            Percent,
            Level,
            "Share of that window in which device memory was read or written.",
            "GpuRates.memory_util_pct",
        ),
        |g| g.memory_util_pct,
    ),
    shown(
        Column::new(
            "%enc",
            Percent,
            Level,
            "Video encoder utilisation.",
            "GpuRates.encoder_pct",
        ),
        |g| g.encoder_pct,
    ),
    shown(
        Column::new(
            "%dec",
            Percent,
            Level,
            "Video decoder utilisation.",
            "GpuRates.decoder_pct",
        ),
        |g| g.decoder_pct,
    ),
    shown(
        Column::whole(
            "MBfbused",
            Megabytes,
            "Device (frame buffer) memory allocated.",
            "GpuRates.memory_used_mb",
        ),
        |g| g.memory_used_mb,
    ),
    shown(
        Column::whole(
            "MBfbtotal",
            Megabytes,
            "Device memory installed.",
            "GpuRates.memory_total_mb",
        ),
        |g| g.memory_total_mb,
    ),
    shown(
        Column::new(
            "%fbused",
            Percent,
            Level,
            "Device memory allocated, of installed.",
            "GpuRates.memory_used_pct",
        ),
        |g| g.memory_used_pct,
    ),
    shown(
        Column::whole(
            "MBfbresv",
            Megabytes,
            "Device memory the driver reserves.",
            "GpuRates.memory_reserved_mb",
        ),
        |g| g.memory_reserved_mb,
    ),
    shown(
        Column::whole(
            "MBgtt",
            Megabytes,
            "System memory mapped for the GPU (amdgpu GTT) in use.",
            "GpuRates.gtt_used_mb",
        ),
        |g| g.gtt_used_mb,
    ),
    shown(
        Column::new(
            "degC",
            Celsius,
            Level,
            "GPU temperature.",
            "GpuRates.temperature_c",
        ),
        |g| g.temperature_c,
    ),
    shown(
        Column::new(
            "pwrW",
            Watts,
            Rate,
            "Power draw: the mean over the interval from the energy counter, else the last reading.",
            "GpuRates.power_w",
        ),
        |g| g.power_w,
    ),
    shown(
        Column::new(
            "plimW",
            Watts,
            Level,
            "Enforced power limit.",
            "GpuRates.power_limit_w",
        ),
        |g| g.power_limit_w,
    ),
    shown(
        Column::whole(
            "smMHz",
            Megahertz,
            "Graphics/SM clock.",
            "GpuRates.sm_clock_mhz",
        ),
        |g| g.sm_clock_mhz,
    ),
    shown(
        Column::whole(
            "memMHz",
            Megahertz,
            "Memory clock.",
            "GpuRates.memory_clock_mhz",
        ),
        |g| g.memory_clock_mhz,
    ),
    shown(
        Column::new(
            "rxMB/s",
            MegabytesPerSecond,
            Rate,
            "PCIe receive throughput as the driver last measured it (10^6 bytes a second).",
            "GpuRates.pcie_rx_mb_per_s",
        ),
        |g| g.pcie_rx_mb_per_s,
    ),
    shown(
        Column::new(
            "txMB/s",
            MegabytesPerSecond,
            Rate,
            "PCIe transmit throughput as the driver last measured it.",
            "GpuRates.pcie_tx_mb_per_s",
        ),
        |g| g.pcie_tx_mb_per_s,
    ),
    shown(
        Column::whole(
            "throttle",
            Count,
            "Why the clocks are held down: NVML's clocks event reasons bit mask (1 idle, 4 power cap, 0x20 software thermal, 0x40 hardware thermal; 0 none).",
            "GpuRates.throttle_mask",
        ),
        |g| g.throttle_mask.map(|m| m as f64),
    ),
    shown(
        Column::new(
            "sbecc",
            Count,
            Delta,
            "Corrected (single-bit) ECC errors in the interval.",
            "GpuRates.ecc_corrected",
        )
        .decimals(0),
        |g| g.ecc_corrected,
    ),
    shown(
        Column::new(
            "dbecc",
            Count,
            Delta,
            "Uncorrected (double-bit) ECC errors in the interval.",
            "GpuRates.ecc_uncorrected",
        )
        .decimals(0),
        |g| g.ecc_uncorrected,
    ),
    shown(
        Column::whole("%fan", Percent, "Fan speed, of its maximum.", "GpuRates.fan_pct"),
        |g| g.fan_pct,
    ),
    shown(
        Column::whole(
            "mig",
            Count,
            "MIG mode: 1 enabled, 0 disabled.",
            "GpuRates.mig_mode",
        ),
        |g| g.mig_mode,
    ),
];
