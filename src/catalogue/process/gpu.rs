//! `rstat report --processes=gpu`: each process using a GPU, per GPU (like `nvidia-smi
//! pmon`), from NVML or from the DRM driver's fdinfo, with data-format's derivation.

use rstat_data_format::derive_gpu::GpuProcessRates;

use super::{clean, Filter};
use crate::catalogue::column::{Column, Kind, Unit};
use crate::catalogue::Activity;

/// The item column: pid, GPU and command name.
pub(super) const GPU_PROCESS_ITEM: &str = "     PID GPU          Command        ";

/// The view: processes on GPUs, those using the most device memory first (at most `--top`).
pub(super) fn gpu_process_view(filter: Filter) -> Activity {
    Activity::new(Some(GPU_PROCESS_ITEM), GPU_PROCESS, move |i| {
        let rows: Vec<(f64, GpuProcessRates)> = i
            .gpu_processes()
            .into_iter()
            .filter(|p| {
                (filter.pids.is_empty() || filter.pids.contains(&p.pid))
                    && filter
                        .command
                        .as_ref()
                        .is_none_or(|re| re.is_match(p.comm.as_bytes()))
                    && filter.uid.is_none()
            })
            .map(|p| (p.memory_mb.unwrap_or(0.0) + p.sm_pct.unwrap_or(0.0), p))
            .collect();
        filter
            .rank(rows, true)
            .into_iter()
            .map(|p| (item(&p), values(&p)))
            .collect()
    })
}

/// Width of the item's GPU column (a PCI address, `0000:03:00.0`, fits).
const DEVICE_WIDTH: usize = 12;

pub(super) fn item(p: &GpuProcessRates) -> String {
    format!(
        "{:>8} {:<DEVICE_WIDTH$} {:<15}",
        p.pid,
        p.device,
        clean(&p.comm)
    )
}

/// `"      42 card0        a) (b?c        "` -> `["42", "card0", "a) (b?c"]`: undoes
/// `item`: the pid, the device (no spaces, left-aligned in `DEVICE_WIDTH` columns or
/// wider), then the command after one space, kept as it is (it may hold or start with spaces).
pub(super) fn split_pid_device_command(item: &str) -> Vec<String> {
    let (pid, rest) = item
        .trim_start()
        .split_once(' ')
        .unwrap_or((item.trim(), ""));
    let device = rest.split(' ').next().unwrap_or_default();
    let command = rest
        .get(device.len().max(DEVICE_WIDTH) + 1..)
        .unwrap_or_default();
    vec![
        pid.to_string(),
        device.to_string(),
        command.trim_end().to_string(),
    ]
}

fn values(p: &GpuProcessRates) -> Vec<f64> {
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    vec![
        nan(p.memory_mb),
        nan(p.shared_mb),
        nan(p.sm_pct),
        nan(p.memory_util_pct),
        nan(p.encoder_pct),
        nan(p.decoder_pct),
        nan(p.copy_pct),
        nan(p.clients),
    ]
}

use Kind::Level;
use Unit::{Count, Megabytes, Percent};

/// --processes=gpu.
pub const GPU_PROCESS: &[Column] = &[
    Column::whole(
        "MBgpu",
        Megabytes,
        "Device memory the process holds.",
        "GpuProcessRates.memory_mb",
    ),
    Column::whole(
        "MBshared",
        Megabytes,
        "System memory the process's GPU clients hold (DRM).",
        "GpuProcessRates.shared_mb",
    ),
    Column::new(
        "%sm",
        Percent,
        Level,
        "SM (graphics and compute) busy: NVML's per-process figure, or the DRM graphics engines' busy time over the interval.",
        "GpuProcessRates.sm_pct",
    ),
    Column::new(
        "%mem",
        Percent,
        Level,
        "Memory controller busy for the process (NVML).",
        "GpuProcessRates.memory_util_pct",
    ),
    Column::new(
        "%enc",
        Percent,
        Level,
        "Video encoder busy for the process (NVML).",
        "GpuProcessRates.encoder_pct",
    ),
    Column::new(
        "%dec",
        Percent,
        Level,
        "Video decoder busy for the process (NVML), or the DRM video engines' busy time.",
        "GpuProcessRates.decoder_pct",
    ),
    Column::new(
        "%copy",
        Percent,
        Level,
        "DRM copy engines' busy time over the interval.",
        "GpuProcessRates.copy_pct",
    ),
    Column::whole(
        "clients",
        Count,
        "Open GPU contexts (distinct DRM clients) of the process.",
        "GpuProcessRates.clients",
    ),
];
