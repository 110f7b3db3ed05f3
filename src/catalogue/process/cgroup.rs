//! Report tables for cgroups (`rstat report --cgroups[=cpu,mem,io,psi]`): one row per group
//! present in both samples of an interval, the top `--top N` by the view's figure.

use regex::bytes::Regex;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::CgroupRates;

use crate::catalogue::column::{Column, Kind, Unit};
use crate::catalogue::Activity;

/// The item column of cgroup rows (paths are left-aligned, longer ones push the columns).
pub(super) const CGROUP_ITEM: &str = "CGROUP                                  ";

fn item(group: &CgroupRates) -> String {
    format!("{:<40}", group.path)
}

type GroupRow = fn(&CgroupRates) -> (f64, Vec<f64>);

/// The table for `view`, or `None` for an unknown view.
pub(crate) fn cgroup_view(view: &str, filter: Option<Regex>, top: usize) -> Option<Activity> {
    let (columns, row): (&'static [Column], GroupRow) = match view {
        "cpu" => (CGROUP_CPU, |g| {
            (
                g.cpu_pct,
                vec![
                    g.cpu_pct,
                    g.user_pct,
                    g.system_pct,
                    g.throttled_per_s,
                    g.throttled_pct,
                ],
            )
        }),
        "mem" => (CGROUP_MEM, |g| {
            let kb = |v: u64| v as f64;
            let size = g.memory_kb.max(g.anon_kb + g.file_kb + g.kernel_kb);
            let values = vec![
                kb(g.memory_kb),
                kb(g.anon_kb),
                kb(g.file_kb),
                kb(g.kernel_kb),
                kb(g.sock_kb),
                kb(g.shmem_kb),
                kb(g.swap_kb),
                g.pgfault_per_s,
                g.pgmajfault_per_s,
                g.events_oom_kill as f64,
            ];
            (size as f64 + 1.0, values)
        }),
        "io" => (CGROUP_IO, |g| {
            let io = &g.io;
            (
                io.rkb_per_s + io.wkb_per_s + io.dkb_per_s,
                vec![
                    io.rkb_per_s,
                    io.wkb_per_s,
                    io.rio_per_s,
                    io.wio_per_s,
                    io.dkb_per_s,
                ],
            )
        }),
        "psi" => (CGROUP_PSI, |g| {
            let values = vec![
                g.cpu_pressure.some_pct,
                g.cpu_pressure.full_pct,
                g.io_pressure.some_pct,
                g.io_pressure.full_pct,
                g.memory_pressure.some_pct,
                g.memory_pressure.full_pct,
            ];
            (values.iter().cloned().fold(0.0, f64::max), values)
        }),
        _ => return None,
    };
    Some(Activity::new(
        Some(CGROUP_ITEM),
        columns,
        move |interval: &Interval| {
            let mut rows: Vec<(f64, (String, Vec<f64>))> = interval
                .cgroups()
                .into_iter()
                .filter(|g| {
                    filter
                        .as_ref()
                        .is_none_or(|re| re.is_match(g.path.as_bytes()))
                })
                .map(|g| {
                    let (rank, values) = row(&g);
                    (rank, (item(&g), values))
                })
                .filter(|(rank, _)| *rank > 0.0)
                .collect();
            rows.sort_by(|a, b| b.0.total_cmp(&a.0));
            if top > 0 {
                rows.truncate(top);
            }
            rows.into_iter().map(|(_, row)| row).collect()
        },
    ))
}

use Unit::{Kilobytes as KB, KilobytesPerSecond};

/// --cgroups=cpu.
pub const CGROUP_CPU: &[Column] = &[
    Column::percent(
        "%CPU",
        "CPU time of the group's tasks, in percent of one CPU.",
        "CgroupRates.cpu_pct",
    ),
    Column::percent("%usr", "CPU time in user mode.", "CgroupRates.user_pct"),
    Column::percent(
        "%system",
        "CPU time in kernel mode.",
        "CgroupRates.system_pct",
    ),
    Column::rate(
        "thrott/s",
        "Periods in which the group was throttled by its CPU limit.",
        "CgroupRates.throttled_per_s",
    ),
    Column::percent(
        "%thrott",
        "Time the group was throttled by its CPU limit.",
        "CgroupRates.throttled_pct",
    ),
];

/// --cgroups=mem.
pub const CGROUP_MEM: &[Column] = &[
    Column::whole(
        "kbmem",
        KB,
        "Memory charged to the group.",
        "CgroupRates.memory_kb",
    ),
    Column::whole(
        "kbanon",
        KB,
        "Anonymous memory of the group.",
        "CgroupRates.anon_kb",
    ),
    Column::whole(
        "kbfile",
        KB,
        "Page cache charged to the group.",
        "CgroupRates.file_kb",
    ),
    Column::whole(
        "kbkernel",
        KB,
        "Kernel memory charged to the group.",
        "CgroupRates.kernel_kb",
    ),
    Column::whole(
        "kbsock",
        KB,
        "Network buffers charged to the group.",
        "CgroupRates.sock_kb",
    ),
    Column::whole(
        "kbshmem",
        KB,
        "Shared memory (tmpfs, shm) charged to the group.",
        "CgroupRates.shmem_kb",
    ),
    Column::whole(
        "kbswap",
        KB,
        "Swap used by the group.",
        "CgroupRates.swap_kb",
    ),
    Column::rate(
        "fault/s",
        "Page faults in the group.",
        "CgroupRates.pgfault_per_s",
    ),
    Column::rate(
        "majflt/s",
        "Major page faults in the group.",
        "CgroupRates.pgmajfault_per_s",
    ),
    Column::whole(
        "oomkill",
        Unit::Count,
        "Tasks of the group killed by the OOM killer, since the group was created.",
        "CgroupRates.events_oom_kill",
    )
    .kind(Kind::Counter),
];

/// --cgroups=io.
pub const CGROUP_IO: &[Column] = &[
    Column::new(
        "rkB/s",
        KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes the group read from block devices.",
        "CgroupIo.rkb_per_s",
    ),
    Column::new(
        "wkB/s",
        KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes the group wrote to block devices.",
        "CgroupIo.wkb_per_s",
    ),
    Column::rate("rio/s", "Read requests of the group.", "CgroupIo.rio_per_s"),
    Column::rate(
        "wio/s",
        "Write requests of the group.",
        "CgroupIo.wio_per_s",
    ),
    Column::new(
        "dkB/s",
        KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes the group discarded.",
        "CgroupIo.dkb_per_s",
    ),
];

/// --cgroups=psi.
pub const CGROUP_PSI: &[Column] = &[
    Column::percent(
        "%cpusome",
        "Share of the interval some of the group's tasks waited for a CPU.",
        "Pressure.some_pct",
    ),
    Column::percent(
        "%cpufull",
        "Share of the interval all of the group's tasks waited for a CPU.",
        "Pressure.full_pct",
    ),
    Column::percent(
        "%iosome",
        "Share of the interval some of the group's tasks waited for I/O.",
        "Pressure.some_pct",
    ),
    Column::percent(
        "%iofull",
        "Share of the interval all of the group's tasks waited for I/O.",
        "Pressure.full_pct",
    ),
    Column::percent(
        "%memsome",
        "Share of the interval some of the group's tasks waited for memory.",
        "Pressure.some_pct",
    ),
    Column::percent(
        "%memfull",
        "Share of the interval all of the group's tasks waited for memory.",
        "Pressure.full_pct",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_header_is_as_wide_as_the_items() {
        assert_eq!(CGROUP_ITEM, format!("{:<40}", "CGROUP"));
        assert!(cgroup_view("cpu", None, 5).is_some());
        assert!(cgroup_view("nope", None, 5).is_none());
    }
}
