//! One sample as Prometheus metric families, with node_exporter's names where it has the
//! same quantity (same labels, base units, counters as counters) so that existing dashboards
//! and alerts work, and `rstat_*` names for the rest. Shared by `rstat serve` (text
//! exposition, [`text`]) and `rstat push` (remote-write).
//!
//! The mapping is the table [`catalogue::FAMILIES`]: one entry per family with its name,
//! help, type and the function that emits its points from the sample's totals (computed
//! once, by data-format's [`derive_totals`]). A later typed-column catalogue can replace
//! that table without touching the two consumers.

pub mod catalogue;
pub mod gpu;
// The text exposition is what `rstat serve` answers with; `rstat push` sends protobuf.
#[cfg(feature = "serve")]
pub mod text;
pub mod top_n;

use std::borrow::Cow;

use rstat_data_format::derive_gpu_totals::{self, GpuProcessTotals, GpuTotals};
use rstat_data_format::derive_totals::{
    self, CgroupTotals, CpuSeconds, DiskTotals, FilesystemSpace, KernelTotals, MeminfoValue,
    NetTotals, ProcessTotals, StallSeconds,
};
use rstat_data_format::{FileHeader, Sample, TableKind};

/// A family's Prometheus type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    /// node_exporter's vmstat fields are untyped; kept so for compatibility.
    Untyped,
}

/// One series' labels (in output order) and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

/// A metric family with its points; families without points are not emitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    /// The sample name (counters end in `_total`).
    pub name: Cow<'static, str>,
    pub help: Cow<'static, str>,
    pub kind: Kind,
    pub points: Vec<Point>,
}

/// Which high-cardinality families to include: per-process and per-cgroup series, off by
/// default, else the top N by CPU time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    pub processes: usize,
    pub cgroups: usize,
}

/// What the catalogue's emitters read: every derived total of one sample, computed once.
pub struct Totals<'a> {
    pub sample: &'a Sample,
    pub cpus: Vec<CpuSeconds>,
    pub disks: Vec<DiskTotals>,
    pub nets: Vec<NetTotals>,
    pub meminfo: Vec<MeminfoValue<'a>>,
    pub filesystems: Vec<FilesystemSpace<'a>>,
    pub kernel: KernelTotals,
    pub pressure: [(&'static str, Option<StallSeconds>); 3],
    pub processes: Vec<ProcessTotals<'a>>,
    pub cgroups: Vec<CgroupTotals<'a>>,
    pub gpus: Vec<GpuTotals>,
    pub gpu_processes: Vec<GpuProcessTotals<'a>>,
}

impl<'a> Totals<'a> {
    pub fn of(sample: &'a Sample, header: &FileHeader, selection: Selection) -> Totals<'a> {
        Totals {
            sample,
            cpus: derive_totals::cpu_seconds(sample, header.ticks_per_sec),
            disks: derive_totals::disk_totals(sample),
            nets: derive_totals::net_totals(sample),
            meminfo: derive_totals::meminfo(sample),
            filesystems: derive_totals::filesystems(sample),
            kernel: derive_totals::kernel_totals(sample),
            pressure: [
                (
                    "cpu",
                    derive_totals::stall_seconds(sample, TableKind::PSI_CPU),
                ),
                (
                    "io",
                    derive_totals::stall_seconds(sample, TableKind::PSI_IO),
                ),
                (
                    "memory",
                    derive_totals::stall_seconds(sample, TableKind::PSI_MEMORY),
                ),
            ],
            processes: derive_totals::top_processes(sample, selection.processes),
            cgroups: derive_totals::top_cgroups(sample, selection.cgroups),
            gpus: derive_gpu_totals::gpu_totals(sample),
            gpu_processes: derive_gpu_totals::gpu_process_totals(sample),
        }
    }
}

/// Every family of one sample, in catalogue order, empty ones left out.
pub fn families(sample: &Sample, header: &FileHeader, selection: Selection) -> Vec<Family> {
    let totals = Totals::of(sample, header, selection);
    let mut families: Vec<Family> = catalogue::FAMILIES
        .iter()
        .chain(gpu::GPU_FAMILIES)
        .map(|spec| {
            let mut points = Vec::new();
            (spec.emit)(&totals, &mut points);
            Family {
                name: Cow::Borrowed(spec.name),
                help: Cow::Borrowed(spec.help),
                kind: spec.kind,
                points,
            }
        })
        .collect();
    families.extend(catalogue::meminfo_families(&totals));
    families.retain(|f| !f.points.is_empty());
    families
}

/// A point without labels.
pub fn plain(value: f64) -> Point {
    Point {
        labels: Vec::new(),
        value,
    }
}
