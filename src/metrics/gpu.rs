//! GPU metric families. Where NVIDIA's dcgm-exporter has the quantity as a gauge, its name,
//! unit and labels (`gpu`, `device`, `modelName`, `pci_bus_id`): dashboards and alerts made
//! for dcgm-exporter (DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED in MiB, ...) read rstat
//! unchanged, for AMD GPUs too. dcgm-exporter's counters (energy in mJ, ECC errors) are named
//! without `_total`, which OpenMetrics requires of a counter, so rstat's counters are
//! `rstat_gpu_*_total` in base units (joules), like node_exporter's; what dcgm-exporter lacks
//! (PCIe throughput as NVML measures it, amdgpu's GTT, per-process use) is `rstat_gpu_*`.

use rstat_data_format::derive_gpu_totals::{GpuProcessTotals, GpuTotals};

use super::catalogue::FamilySpec;
use super::{Kind, Point, Totals};

/// dcgm-exporter's labels of a GPU. A MIG instance (device `nvidia0-mig1`) keeps its
/// parent's `gpu` index and adds `GPU_I_ID`, as dcgm-exporter labels MIG instances.
fn labels(g: &GpuTotals) -> Vec<(&'static str, String)> {
    let r = &g.levels;
    let (parent, instance) = match r.device.split_once("-mig") {
        Some((parent, instance)) => (parent, Some(instance)),
        None => (r.device.as_str(), None),
    };
    let index: String = parent.chars().filter(char::is_ascii_digit).collect();
    let mut labels = vec![
        ("gpu", index),
        ("device", r.device.clone()),
        ("modelName", r.name.clone()),
        ("pci_bus_id", r.bus_id.clone()),
    ];
    if let Some(instance) = instance {
        labels.push(("GPU_I_ID", instance.to_string()));
    }
    labels
}

/// A process's labels: pid, command name, GPU.
fn process_labels(p: &GpuProcessTotals) -> Vec<(&'static str, String)> {
    vec![
        ("pid", p.pid.to_string()),
        ("comm", p.comm.to_string()),
        ("device", p.device.to_string()),
    ]
}

/// Pushes one point per GPU that has `value`.
fn each_gpu(t: &Totals, out: &mut Vec<Point>, value: fn(&GpuTotals) -> Option<f64>) {
    for g in &t.gpus {
        if let Some(value) = value(g) {
            out.push(Point {
                labels: labels(g),
                value,
            });
        }
    }
}

/// One family per GPU figure.
macro_rules! gpu_family {
    ($name:expr, $help:expr, $kind:expr, |$g:ident| $value:expr) => {
        FamilySpec {
            name: $name,
            help: $help,
            kind: $kind,
            emit: |t, out| each_gpu(t, out, |$g| $value),
        }
    };
}

/// The GPU families, in output order.
pub const GPU_FAMILIES: &[FamilySpec] = &[
    gpu_family!(
        "DCGM_FI_DEV_GPU_UTIL",
        "GPU utilization (in %).",
        Kind::Gauge,
        |g| g.levels.util_pct
    ),
    gpu_family!(
        "DCGM_FI_DEV_MEM_COPY_UTIL",
        "Memory utilization (in %).",
        Kind::Gauge,
        |g| g.levels.memory_util_pct
    ),
    gpu_family!(
        "DCGM_FI_DEV_ENC_UTIL",
        "Encoder utilization (in %).",
        Kind::Gauge,
        |g| g.levels.encoder_pct
    ),
    gpu_family!(
        "DCGM_FI_DEV_DEC_UTIL",
        "Decoder utilization (in %).",
        Kind::Gauge,
        |g| g.levels.decoder_pct
    ),
    gpu_family!(
        "DCGM_FI_DEV_FB_TOTAL",
        "Framebuffer memory total (in MiB).",
        Kind::Gauge,
        |g| g.levels.memory_total_mb
    ),
    gpu_family!(
        "DCGM_FI_DEV_FB_USED",
        "Framebuffer memory used (in MiB).",
        Kind::Gauge,
        |g| g.levels.memory_used_mb
    ),
    gpu_family!(
        "DCGM_FI_DEV_FB_RESERVED",
        "Framebuffer memory reserved (in MiB).",
        Kind::Gauge,
        |g| g.levels.memory_reserved_mb
    ),
    gpu_family!(
        "DCGM_FI_DEV_GPU_TEMP",
        "GPU temperature (in C).",
        Kind::Gauge,
        |g| g.levels.temperature_c
    ),
    gpu_family!(
        "DCGM_FI_DEV_POWER_USAGE",
        "Power draw (in W).",
        Kind::Gauge,
        |g| g.levels.power_w
    ),
    gpu_family!(
        "DCGM_FI_DEV_ENFORCED_POWER_LIMIT",
        "Enforced power limit (in W).",
        Kind::Gauge,
        |g| g.levels.power_limit_w
    ),
    gpu_family!(
        "DCGM_FI_DEV_SM_CLOCK",
        "SM clock frequency (in MHz).",
        Kind::Gauge,
        |g| g.levels.sm_clock_mhz
    ),
    gpu_family!(
        "DCGM_FI_DEV_MEM_CLOCK",
        "Memory clock frequency (in MHz).",
        Kind::Gauge,
        |g| g.levels.memory_clock_mhz
    ),
    gpu_family!(
        "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS",
        "Current clock throttle reasons (bit mask).",
        Kind::Gauge,
        |g| g.levels.throttle_mask.map(|m| m as f64)
    ),
    gpu_family!(
        "DCGM_FI_DEV_FAN_SPEED",
        "Fan speed (in %).",
        Kind::Gauge,
        |g| g.levels.fan_pct
    ),
    gpu_family!(
        "DCGM_FI_DEV_MIG_MODE",
        "MIG mode (1 enabled).",
        Kind::Gauge,
        |g| g.levels.mig_mode
    ),
    gpu_family!(
        "rstat_gpu_energy_joules_total",
        "Energy the GPU used since its driver loaded (NVML total energy, amdgpu energy1_input).",
        Kind::Counter,
        |g| g.energy_joules
    ),
    gpu_family!(
        "rstat_gpu_ecc_corrected_errors_total",
        "Corrected (single-bit) ECC errors since the driver loaded (volatile).",
        Kind::Counter,
        |g| g.ecc_corrected
    ),
    gpu_family!(
        "rstat_gpu_ecc_uncorrected_errors_total",
        "Uncorrected (double-bit) ECC errors since the driver loaded (volatile).",
        Kind::Counter,
        |g| g.ecc_uncorrected
    ),
    gpu_family!(
        "rstat_gpu_pcie_receive_bytes_per_second",
        "PCIe receive throughput as NVML last measured it (a 20 ms window).",
        Kind::Gauge,
        |g| g.levels.pcie_rx_mb_per_s.map(|mb| mb * 1e6)
    ),
    gpu_family!(
        "rstat_gpu_pcie_transmit_bytes_per_second",
        "PCIe transmit throughput as NVML last measured it (a 20 ms window).",
        Kind::Gauge,
        |g| g.levels.pcie_tx_mb_per_s.map(|mb| mb * 1e6)
    ),
    gpu_family!(
        "rstat_gpu_gtt_used_bytes",
        "System memory mapped for the GPU in use (amdgpu GTT).",
        Kind::Gauge,
        |g| g.levels.gtt_used_mb.map(|mb| mb * 1024.0 * 1024.0)
    ),
    FamilySpec {
        name: "rstat_gpu_process_memory_bytes",
        help: "Device memory a process holds on a GPU (NVML, or DRM fdinfo resident VRAM).",
        kind: Kind::Gauge,
        emit: |t, out| {
            for p in &t.gpu_processes {
                if let Some(bytes) = p.memory_bytes {
                    out.push(Point {
                        labels: process_labels(p),
                        value: bytes,
                    });
                }
            }
        },
    },
    FamilySpec {
        name: "rstat_gpu_process_engine_seconds_total",
        help: "Busy time of a process's GPU engines by class (DRM fdinfo drm-engine-*).",
        kind: Kind::Counter,
        emit: |t, out| {
            for p in &t.gpu_processes {
                for (engine, seconds) in &p.engine_seconds {
                    let mut labels = process_labels(p);
                    labels.push(("engine", (*engine).to_string()));
                    out.push(Point {
                        labels,
                        value: *seconds,
                    });
                }
            }
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col, MISSING};
    use rstat_data_format::{FileHeader, Row, Sample, Table, TableKind};

    #[test]
    fn a_mig_instance_keeps_its_parents_gpu_index_and_gets_gpu_i_id() {
        let gpu = |device: &str| GpuTotals {
            levels: rstat_data_format::derive_gpu::GpuRates {
                device: device.to_string(),
                ..Default::default()
            },
            energy_joules: None,
            ecc_corrected: None,
            ecc_uncorrected: None,
        };
        let of = |device: &str| {
            labels(&gpu(device))
                .into_iter()
                .filter(|(name, _)| ["gpu", "GPU_I_ID"].contains(name))
                .collect::<Vec<_>>()
        };
        assert_eq!(of("nvidia1"), vec![("gpu", "1".to_string())]);
        assert_eq!(
            of("nvidia1-mig2"),
            vec![("gpu", "1".to_string()), ("GPU_I_ID", "2".to_string())]
        );
        assert_eq!(of("card0"), vec![("gpu", "0".to_string())]);
    }

    #[test]
    fn names_are_new_and_counters_end_in_total() {
        super::super::catalogue::assert_names_unique_and_counters_total(
            super::super::catalogue::FAMILIES.iter().chain(GPU_FAMILIES),
        );
    }

    /// An H200 reading of the capture, served with dcgm-exporter's names and units.
    #[test]
    fn an_h200_sample_becomes_dcgm_families() {
        let mut gpu = vec![MISSING; gpu_col::COUNT];
        gpu[gpu_col::UTIL_GPU] = 7;
        gpu[gpu_col::MEMORY_USED] = 21_839_609_856;
        gpu[gpu_col::POWER_MW] = 177_975;
        gpu[gpu_col::ENERGY_UJ] = 3_816_677_000;
        let mut process = vec![MISSING; gpu_process_col::COUNT];
        process[gpu_process_col::MEMORY_BYTES] = 21_185_429_504;
        let sample = Sample {
            time_us: 0,
            tables: vec![
                Table {
                    kind: TableKind::GPU,
                    rows: vec![Row {
                        key: "nvidia0".into(),
                        text: vec![
                            "nvidia".into(),
                            "NVIDIA H200".into(),
                            "00000000:19:00.0".into(),
                        ],
                        values: gpu,
                    }],
                },
                Table {
                    kind: TableKind::GPU_PROCESSES,
                    rows: vec![Row {
                        key: "434".into(),
                        text: vec!["nvidia0".into(), "nvml".into()],
                        values: process,
                    }],
                },
            ],
        };
        let families =
            crate::metrics::families(&sample, &FileHeader::default(), Default::default());
        let value = |name: &str| {
            let family = families
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("{name}"));
            family.points[0].clone()
        };
        let util = value("DCGM_FI_DEV_GPU_UTIL");
        assert_eq!(util.value, 7.0);
        assert_eq!(
            util.labels,
            vec![
                ("gpu", "0".to_string()),
                ("device", "nvidia0".to_string()),
                ("modelName", "NVIDIA H200".to_string()),
                ("pci_bus_id", "00000000:19:00.0".to_string()),
            ]
        );
        assert_eq!(value("DCGM_FI_DEV_FB_USED").value.round(), 20828.0);
        assert_eq!(value("DCGM_FI_DEV_POWER_USAGE").value, 177.975);
        assert_eq!(value("rstat_gpu_energy_joules_total").value, 3816.677);
        assert_eq!(
            value("rstat_gpu_process_memory_bytes").value,
            21_185_429_504.0
        );
        // Not reported by the source: no series at all.
        assert!(families.iter().all(|f| f.name != "DCGM_FI_DEV_GPU_TEMP"));
    }
}
