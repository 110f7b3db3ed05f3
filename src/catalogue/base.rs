//! The base activities: CPU (-u, -P), tasks (-w), swapping (-W), paging (-B), I/O (-b),
//! memory (-r, in the `memory` submodule), swap (-S), huge pages (-H) and disks (-d), with
//! their columns.

use rstat_data_format::derive::{self, Interval};
use rstat_data_format::{Sample, TableKind};

use super::column::{Column, Kind, Layout, Unit};
use super::id::ActivityId;
use super::{cpu_name, one_row, Activity, Selection};
use memory::memory_activity;
pub use memory::MEMORY;

mod memory;

/// Adds the core activities `args` asks for to `chosen` (CPU also when nothing is asked for).
pub(crate) fn select(args: &Selection, chosen: &mut Vec<Activity>) -> Result<(), String> {
    let cpu_all = match args.cpu.as_deref() {
        None | Some("") => false,
        Some(word) if word.eq_ignore_ascii_case("ALL") => true,
        Some(other) => return Err(format!("-u {other}: expected nothing or ALL")),
    };
    // -P alone means -u -P; with another activity it only picks CPUs (-n SOFT -P 1).
    let none_chosen = args.cpu.is_none()
        && !(args.memory
            || args.swap_space
            || args.huge
            || args.paging
            || args.io
            || args.swapping
            || args.tasks
            || args.disks)
        && args.system.is_empty()
        && args.process.is_empty()
        && !args.gpu;
    if args.all || args.cpu.is_some() || none_chosen {
        chosen.push(cpu_activity(cpu_all || args.all).named(ActivityId::CPU));
    }
    if args.all || args.tasks {
        chosen.push(
            one_row(TASKS, |i| {
                i.tasks().map(|t| vec![t.proc_per_s, t.cswch_per_s])
            })
            .named(ActivityId::TASKS),
        );
    }
    if args.all || args.swapping {
        chosen.push(
            one_row(SWAPPING, |i| {
                i.swapping().map(|s| vec![s.pswpin_per_s, s.pswpout_per_s])
            })
            .named(ActivityId::SWAPPING),
        );
    }
    if args.all || args.paging {
        chosen.push(
            one_row(PAGING, |i| {
                i.paging().map(|p| {
                    vec![
                        p.pgpgin_per_s,
                        p.pgpgout_per_s,
                        p.fault_per_s,
                        p.majflt_per_s,
                        p.pgfree_per_s,
                        p.pgscank_per_s,
                        p.pgscand_per_s,
                        p.pgsteal_per_s,
                        p.pgprom_per_s,
                        p.pgdem_per_s,
                    ]
                })
            })
            .named(ActivityId::PAGING),
        );
    }
    if args.all || args.io {
        chosen.push(
            one_row(IO, |i| {
                i.io().map(|io| {
                    vec![
                        io.tps,
                        io.rtps,
                        io.wtps,
                        io.dtps,
                        io.bread_per_s,
                        io.bwrtn_per_s,
                        io.bdscd_per_s,
                    ]
                })
            })
            .named(ActivityId::IO),
        );
    }
    if args.all || args.memory {
        chosen.push(memory_activity(args.all || args.memory_all).named(ActivityId::MEMORY));
    }
    if args.all || args.swap_space {
        chosen.push(
            one_row(SWAP, |i| {
                derive::swap_space(i.cur).map(|s| {
                    vec![
                        s.kbswpfree as f64,
                        s.kbswpused as f64,
                        s.swpused_pct,
                        s.kbswpcad as f64,
                        s.swpcad_pct,
                    ]
                })
            })
            .named(ActivityId::SWAP),
        );
    }
    if args.all || args.huge {
        chosen.push(
            one_row(HUGE_PAGES, |i| {
                derive::huge_pages(i.cur).map(|h| {
                    vec![
                        h.kbhugfree as f64,
                        h.kbhugused as f64,
                        h.hugused_pct,
                        h.kbhugrsvd as f64,
                        h.kbhugsurp as f64,
                    ]
                })
            })
            .named(ActivityId::HUGEPAGES),
        );
    }
    if args.all || args.disks {
        let names = args.device_names.clone();
        chosen.push(
            Activity::new(Some("DEV"), DISK, move |i| {
                i.disks()
                    .into_iter()
                    .filter(|d| d.used_since_boot)
                    .map(|d| {
                        (
                            device_name(i.cur, d.device, names.as_deref()),
                            vec![
                                d.tps,
                                d.rkb_per_s,
                                d.wkb_per_s,
                                d.dkb_per_s,
                                d.areq_sz,
                                d.aqu_sz,
                                d.await_ms,
                                d.util_pct,
                            ],
                        )
                    })
                    .collect()
            })
            .named(ActivityId::DISK),
        );
    }
    Ok(())
}

/// The name -d shows for the kernel's `device`: with `kind` (sar -p's `mapper`, -j's `id`,
/// `label`, `path`, `uuid`), the first such name the collector recorded for it; else (or
/// when it has none) the kernel's name, as sar does.
fn device_name(sample: &Sample, device: String, kind: Option<&str>) -> String {
    let Some(kind) = kind else {
        return device;
    };
    sample
        .table(TableKind::DEVICE_NAMES)
        .and_then(|table| {
            table
                .rows
                .iter()
                .find(|r| r.key == device && r.text.first().is_some_and(|k| k == kind))
        })
        .and_then(|row| row.text.get(1).cloned())
        .unwrap_or(device)
}

/// sar -u: "all" and every CPU (-P's choice is applied by [`super::select`]).
fn cpu_activity(all_fields: bool) -> Activity {
    let columns: Vec<Column> = CPU
        .iter()
        .filter(|c| c.layout.shown(all_fields))
        .cloned()
        .collect();
    Activity::filling(Some("CPU"), columns, move |i: &Interval, rows| {
        for c in i.cpus() {
            let values = rows.push_named(|name| cpu_name(name, c.cpu));
            if all_fields {
                values.extend_from_slice(&[
                    c.usr, c.nice, c.sys, c.iowait, c.steal, c.irq, c.soft, c.guest, c.gnice,
                    c.idle,
                ]);
            } else {
                // sar's default layout counts guest time in %user and %nice (the
                // kernel counts it there too); only -u ALL takes it out.
                values.extend_from_slice(&[
                    c.user_with_guest,
                    c.nice_with_guest,
                    c.system_with_irq(),
                    c.iowait,
                    c.steal,
                    c.idle,
                ]);
            }
        }
    })
}

use Kind::Level;
use Unit::{Kilobytes as KB, Percent};

/// sar -u's columns: the default layout and ALL's, filtered by [`Layout`].
pub const CPU: &[Column] = &[
    Column::percent(
        "%user",
        "Time running user code at normal or raised priority, guests included (sar -u).",
        "CpuUtil.user_with_guest",
    )
    .only(Layout::DefaultOnly),
    Column::percent(
        "%usr",
        "Time running user code at normal or raised priority, guests excluded.",
        "CpuUtil.usr",
    )
    .only(Layout::AllOnly),
    Column::percent(
        "%nice",
        "Time running user code at lowered priority (nice), niced guests included (sar -u).",
        "CpuUtil.nice_with_guest",
    )
    .only(Layout::DefaultOnly),
    Column::percent(
        "%nice",
        "Time running user code at lowered priority (nice), guests excluded.",
        "CpuUtil.nice",
    )
    .only(Layout::AllOnly),
    Column::percent(
        "%system",
        "Time running the kernel, interrupts included.",
        "CpuUtil.sys+CpuUtil.irq+CpuUtil.soft",
    )
    .only(Layout::DefaultOnly),
    Column::percent(
        "%sys",
        "Time running the kernel, interrupts excluded.",
        "CpuUtil.sys",
    )
    .only(Layout::AllOnly),
    Column::percent(
        "%iowait",
        "Idle time with disk I/O outstanding.",
        "CpuUtil.iowait",
    ),
    Column::percent(
        "%steal",
        "Time a hypervisor gave another virtual CPU.",
        "CpuUtil.steal",
    ),
    Column::percent("%irq", "Time servicing hardware interrupts.", "CpuUtil.irq")
        .only(Layout::AllOnly),
    Column::percent("%soft", "Time servicing softirqs.", "CpuUtil.soft").only(Layout::AllOnly),
    Column::percent("%guest", "Time running a virtual CPU.", "CpuUtil.guest").only(Layout::AllOnly),
    Column::percent(
        "%gnice",
        "Time running a niced virtual CPU.",
        "CpuUtil.gnice",
    )
    .only(Layout::AllOnly),
    Column::percent(
        "%idle",
        "Idle time without disk I/O outstanding.",
        "CpuUtil.idle",
    ),
];

/// sar -w.
pub const TASKS: &[Column] = &[
    Column::rate(
        "proc/s",
        "Tasks created (forks and clones).",
        "Tasks.proc_per_s",
    ),
    Column::rate("cswch/s", "Context switches.", "Tasks.cswch_per_s"),
];

/// sar -W.
pub const SWAPPING: &[Column] = &[
    Column::rate("pswpin/s", "Pages swapped in.", "Swapping.pswpin_per_s"),
    Column::rate("pswpout/s", "Pages swapped out.", "Swapping.pswpout_per_s"),
];

/// sar -B.
pub const PAGING: &[Column] = &[
    Column::new(
        "pgpgin/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes paged in from disk.",
        "Paging.pgpgin_per_s",
    ),
    Column::new(
        "pgpgout/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes paged out to disk.",
        "Paging.pgpgout_per_s",
    ),
    Column::rate(
        "fault/s",
        "Page faults, minor and major.",
        "Paging.fault_per_s",
    ),
    Column::rate(
        "majflt/s",
        "Major page faults (a page read from disk).",
        "Paging.majflt_per_s",
    ),
    Column::rate(
        "pgfree/s",
        "Pages put on the free list.",
        "Paging.pgfree_per_s",
    ),
    Column::rate(
        "pgscank/s",
        "Pages scanned by kswapd.",
        "Paging.pgscank_per_s",
    ),
    Column::rate(
        "pgscand/s",
        "Pages scanned directly by allocating tasks.",
        "Paging.pgscand_per_s",
    ),
    Column::rate(
        "pgsteal/s",
        "Pages reclaimed from the caches.",
        "Paging.pgsteal_per_s",
    ),
    Column::rate(
        "pgprom/s",
        "Pages promoted to a faster memory tier (sysstat 12.7.5).",
        "Paging.pgprom_per_s",
    ),
    Column::rate(
        "pgdem/s",
        "Pages demoted to a slower memory tier (sysstat 12.7.5).",
        "Paging.pgdem_per_s",
    ),
];

/// sar -b.
pub const IO: &[Column] = &[
    Column::rate(
        "tps",
        "Transfers (I/O requests) to the physical disks.",
        "IoRates.tps",
    ),
    Column::rate(
        "rtps",
        "Read requests to the physical disks.",
        "IoRates.rtps",
    ),
    Column::rate(
        "wtps",
        "Write requests to the physical disks.",
        "IoRates.wtps",
    ),
    Column::rate(
        "dtps",
        "Discard requests to the physical disks.",
        "IoRates.dtps",
    ),
    Column::new(
        "bread/s",
        Unit::BlocksPerSecond,
        Kind::Rate,
        "512-byte blocks read from the physical disks.",
        "IoRates.bread_per_s",
    ),
    Column::new(
        "bwrtn/s",
        Unit::BlocksPerSecond,
        Kind::Rate,
        "512-byte blocks written to the physical disks.",
        "IoRates.bwrtn_per_s",
    ),
    Column::new(
        "bdscd/s",
        Unit::BlocksPerSecond,
        Kind::Rate,
        "512-byte blocks discarded on the physical disks.",
        "IoRates.bdscd_per_s",
    ),
];

/// sar -S.
pub const SWAP: &[Column] = &[
    Column::whole("kbswpfree", KB, "Free swap space.", "SwapSpace.kbswpfree"),
    Column::whole("kbswpused", KB, "Swap space in use.", "SwapSpace.kbswpused"),
    Column::new(
        "%swpused",
        Percent,
        Level,
        "Swap space in use, of the total.",
        "SwapSpace.swpused_pct",
    ),
    Column::whole(
        "kbswpcad",
        KB,
        "Swapped memory also cached in memory.",
        "SwapSpace.kbswpcad",
    ),
    Column::new(
        "%swpcad",
        Percent,
        Level,
        "Cached swap, of the swap in use.",
        "SwapSpace.swpcad_pct",
    ),
];

/// sar -H.
pub const HUGE_PAGES: &[Column] = &[
    Column::whole(
        "kbhugfree",
        KB,
        "Huge pages not yet allocated.",
        "HugePages.kbhugfree",
    ),
    Column::whole(
        "kbhugused",
        KB,
        "Huge pages allocated.",
        "HugePages.kbhugused",
    ),
    Column::new(
        "%hugused",
        Percent,
        Level,
        "Huge pages allocated, of the total.",
        "HugePages.hugused_pct",
    ),
    Column::whole(
        "kbhugrsvd",
        KB,
        "Huge pages reserved but not yet allocated.",
        "HugePages.kbhugrsvd",
    ),
    Column::whole(
        "kbhugsurp",
        KB,
        "Huge pages above the configured number (surplus).",
        "HugePages.kbhugsurp",
    ),
];

/// sar -d.
pub const DISK: &[Column] = &[
    Column::rate(
        "tps",
        "Transfers (I/O requests) issued to the device.",
        "DiskRates.tps",
    ),
    Column::new(
        "rkB/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes read from the device.",
        "DiskRates.rkb_per_s",
    ),
    Column::new(
        "wkB/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes written to the device.",
        "DiskRates.wkb_per_s",
    ),
    Column::new(
        "dkB/s",
        Unit::KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes discarded on the device.",
        "DiskRates.dkb_per_s",
    ),
    Column::new(
        "areq-sz",
        KB,
        Kind::AverageOfRatio,
        "Average size of the requests, in kilobytes.",
        "DiskRates.areq_sz",
    ),
    Column::new(
        "aqu-sz",
        Unit::Count,
        Kind::Rate,
        "Average number of requests queued or in service.",
        "DiskRates.aqu_sz",
    ),
    Column::new(
        "await",
        Unit::Milliseconds,
        Kind::AverageOfRatio,
        "Average time a request took, queueing included.",
        "DiskRates.await_ms",
    ),
    Column::percent(
        "%util",
        "Time the device had requests in service.",
        "DiskRates.util_pct",
    ),
];
