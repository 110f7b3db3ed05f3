//! GPU figures of one sample in base units, for `rstat serve` and `rstat push`: levels as
//! read, and the counters the sources keep (energy, ECC errors, DRM engine time) as
//! counters, so that Prometheus takes their rates itself. See [`crate::derive_totals`] for
//! the other activities.

use crate::derive_gpu::{gpu_levels, GpuRates};
use crate::schema::{Sample, TableKind};
use crate::schema_gpu::{gpu_col, gpu_process_col, present};
use crate::schema_process::process_col;

/// One GPU at one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuTotals {
    /// The levels (power is the reading, not an interval's mean).
    pub levels: GpuRates,
    /// Energy since the driver loaded, joules.
    pub energy_joules: Option<f64>,
    /// Corrected ECC errors since the driver loaded.
    pub ecc_corrected: Option<f64>,
    /// Uncorrected ECC errors since the driver loaded.
    pub ecc_uncorrected: Option<f64>,
}

/// Every GPU of `sample`.
pub fn gpu_totals(sample: &Sample) -> Vec<GpuTotals> {
    let Some(table) = sample.table(TableKind::GPU) else {
        return Vec::new();
    };
    let levels = gpu_levels(sample);
    table
        .rows
        .iter()
        .zip(levels)
        .map(|(row, levels)| GpuTotals {
            levels,
            energy_joules: present(row, gpu_col::ENERGY_UJ).map(|uj| uj as f64 / 1e6),
            ecc_corrected: present(row, gpu_col::ECC_CORRECTED).map(|n| n as f64),
            ecc_uncorrected: present(row, gpu_col::ECC_UNCORRECTED).map(|n| n as f64),
        })
        .collect()
}

/// One process on one GPU at one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuProcessTotals<'a> {
    /// The process id.
    pub pid: u32,
    /// The GPU's key.
    pub device: &'a str,
    /// The command name (from the PROCESSES table; empty without it).
    pub comm: &'a str,
    /// Device memory held, bytes.
    pub memory_bytes: Option<f64>,
    /// DRM engine busy time since the client opened the device, seconds, by engine class
    /// (`graphics`, `video`, `copy`, `other`).
    pub engine_seconds: Vec<(&'static str, f64)>,
}

/// Every process on a GPU in `sample`.
pub fn gpu_process_totals(sample: &Sample) -> Vec<GpuProcessTotals<'_>> {
    let Some(table) = sample.table(TableKind::GPU_PROCESSES) else {
        return Vec::new();
    };
    let processes = sample.table(TableKind::PROCESSES);
    table
        .rows
        .iter()
        .filter_map(|row| {
            let pid = row.key.parse().ok()?;
            let start = present(row, gpu_process_col::STARTTIME);
            let comm = processes
                .and_then(|t| t.row(&row.key))
                .filter(|p| start.is_none() || p.value(process_col::STARTTIME) == start)
                .and_then(|p| p.text.first())
                .map_or("", String::as_str);
            let engines = [
                ("graphics", gpu_process_col::ENGINE_GRAPHICS_NS),
                ("video", gpu_process_col::ENGINE_VIDEO_NS),
                ("copy", gpu_process_col::ENGINE_COPY_NS),
                ("other", gpu_process_col::ENGINE_OTHER_NS),
            ];
            Some(GpuProcessTotals {
                pid,
                device: row.text.first().map_or("", String::as_str),
                comm,
                memory_bytes: present(row, gpu_process_col::MEMORY_BYTES).map(|b| b as f64),
                engine_seconds: engines
                    .iter()
                    .filter_map(|&(name, col)| Some((name, present(row, col)? as f64 / 1e9)))
                    .collect(),
            })
        })
        .collect()
}
