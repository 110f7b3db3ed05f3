//! `rstat report --gpu`: one row per GPU per interval, the figures of `nvidia-smi dmon` with
//! sar's naming habits (`%` first for shares, `MB` for sizes). The columns and the figure
//! each shows are data-format's [`columns_gpu`](rstat_data_format::columns_gpu) (the viewer's
//! GPU screen and the dashboard's GPU charts read the same); every figure comes from
//! [`derive_gpu`](rstat_data_format::derive_gpu). A figure the GPU's source does not report
//! is NaN (printed `NaN`, absent from OpenMetrics), never 0.

use rstat_data_format::columns_gpu::GPU;
use rstat_data_format::derive_gpu::GpuRates;

use super::column::Column;
use super::{Activity, ActivityId};

/// Adds the GPU table when asked for (`--gpu`).
pub(crate) fn select(asked: bool, chosen: &mut Vec<Activity>) {
    if asked {
        let columns: Vec<Column> = GPU.iter().map(|c| c.column.clone()).collect();
        chosen.push(
            Activity::new(Some("GPU"), columns, |i| {
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
    GPU.iter()
        .map(|c| (c.value)(g).unwrap_or(f64::NAN))
        .collect()
}
