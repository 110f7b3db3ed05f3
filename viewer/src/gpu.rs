//! GPU figures for the GPU screen and the Processes screen's GPU columns: whether a sample
//! holds GPU tables, each GPU's charted figures at one position ([`GpuPoint`]), and each
//! process's GPU use summed over its devices ([`ProcessGpu`]). Every figure comes from
//! data-format's derivation ([`Interval::gpus`], [`Interval::gpu_processes`]); a figure the
//! source does not report stays `None`, never 0.

use std::collections::HashMap;
use std::rc::Rc;

use rstat_data_format::columns_gpu::gpu_column;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_gpu::GpuRates;
use rstat_data_format::{Sample, TableKind};

/// Whether `sample` holds GPU tables (devices or per-process use).
pub fn recorded(sample: &Sample) -> bool {
    sample.table(TableKind::GPU).is_some() || sample.table(TableKind::GPU_PROCESSES).is_some()
}

/// The GPU table's columns ([`columns_gpu`](rstat_data_format::columns_gpu)) charted on the GPU screen, by
/// name: utilisation, memory used and power on the left; temperature and clocks on the right.
pub const CHARTED: [&str; 6] = ["%gpu", "MBfbused", "pwrW", "degC", "smMHz", "memMHz"];

/// One GPU's charted figures at one position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GpuPoint {
    /// The device as rstat names it (`nvidia0`, `card0`).
    pub device: Rc<str>,
    /// The figures of [`CHARTED`], in its order; `None` where the source does not report one.
    pub figures: [Option<f64>; CHARTED.len()],
}

impl GpuPoint {
    /// The charted figures of `gpu`, named `device` (shared between points).
    pub fn of(device: Rc<str>, gpu: &GpuRates) -> GpuPoint {
        GpuPoint {
            device,
            figures: CHARTED.map(|name| gpu_column(name).and_then(|c| (c.value)(gpu))),
        }
    }
}

/// One process's GPU use over an interval, summed over the GPUs it uses (as CPU% sums
/// over CPUs: a process busy on two GPUs shows up to 200%).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProcessGpu {
    /// Device memory held, MiB; `None` when no source reports it.
    pub memory_mb: Option<f64>,
    /// Graphics/compute engine busy, percent; `None` when no source reports it.
    pub engine_pct: Option<f64>,
}

/// `a + b` where either is known.
fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// Every process with GPU use in `interval`, by pid. The GPU table's rows and the process
/// table's come from the same sample, so a pid names one process.
pub fn per_process(interval: &Interval) -> HashMap<u32, ProcessGpu> {
    let mut by_pid: HashMap<u32, ProcessGpu> = HashMap::new();
    for p in interval.gpu_processes() {
        let entry = by_pid.entry(p.pid).or_default();
        entry.memory_mb = add(entry.memory_mb, p.memory_mb);
        entry.engine_pct = add(entry.engine_pct, p.sm_pct);
    }
    by_pid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_figures_stay_unknown_when_summed() {
        assert_eq!(add(None, None), None);
        assert_eq!(add(Some(2.0), None), Some(2.0));
        assert_eq!(add(Some(2.0), Some(3.5)), Some(5.5));
    }
}
