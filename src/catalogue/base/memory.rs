//! sar -r's memory table: its columns (the default layout with 12.7.8's kbshmem, and -r
//! ALL's kernel figures) and its rows.

use rstat_data_format::derive::{self, Interval};

use crate::catalogue::column::Kind::Level;
use crate::catalogue::column::{Column, Layout, Unit};
use crate::catalogue::Activity;
use Unit::{Kilobytes as KB, Percent};

/// sar -r (`all_fields`: -r ALL, which adds kbanonpg to kbvmused).
pub(super) fn memory_activity(all_fields: bool) -> Activity {
    let shown: Vec<bool> = MEMORY.iter().map(|c| c.layout.shown(all_fields)).collect();
    let columns: Vec<Column> = MEMORY
        .iter()
        .filter(|c| c.layout.shown(all_fields))
        .cloned()
        .collect();
    Activity::new(None, columns, move |i: &Interval| {
        derive::memory(i.cur)
            .map(|m| {
                let v = |x: u64| x as f64;
                let every = [
                    v(m.kbmemfree),
                    v(m.kbavail),
                    v(m.kbmemused),
                    m.memused_pct,
                    v(m.kbbuffers),
                    v(m.kbcached),
                    v(m.kbcommit),
                    m.commit_pct,
                    v(m.kbactive),
                    v(m.kbinact),
                    v(m.kbdirty),
                    v(m.kbshmem),
                    v(m.kbanonpg),
                    v(m.kbslab),
                    v(m.kbkstack),
                    v(m.kbpgtbl),
                    v(m.kbvmused),
                ];
                let values = every
                    .into_iter()
                    .zip(&shown)
                    .filter_map(|(value, shown)| shown.then_some(value))
                    .collect();
                vec![(String::new(), values)]
            })
            .unwrap_or_default()
    })
}

/// sar -r.
pub const MEMORY: &[Column] = &[
    Column::whole("kbmemfree", KB, "Free memory.", "Memory.kbmemfree"),
    Column::whole(
        "kbavail",
        KB,
        "Memory available to new work without swapping (MemAvailable).",
        "Memory.kbavail",
    ),
    Column::whole(
        "kbmemused",
        KB,
        "Memory in use: MemTotal less MemAvailable (sysstat 12.7.8).",
        "Memory.kbmemused",
    ),
    Column::new(
        "%memused",
        Percent,
        Level,
        "Memory in use, of the total.",
        "Memory.memused_pct",
    ),
    Column::whole(
        "kbbuffers",
        KB,
        "Memory used as kernel buffers.",
        "Memory.kbbuffers",
    ),
    Column::whole(
        "kbcached",
        KB,
        "Memory used as page cache.",
        "Memory.kbcached",
    ),
    Column::whole(
        "kbcommit",
        KB,
        "Memory committed to the running work (Committed_AS).",
        "Memory.kbcommit",
    ),
    Column::new(
        "%commit",
        Percent,
        Level,
        "Committed memory, of memory and swap together.",
        "Memory.commit_pct",
    ),
    Column::whole(
        "kbactive",
        KB,
        "Memory used recently (active lists).",
        "Memory.kbactive",
    ),
    Column::whole(
        "kbinact",
        KB,
        "Memory not used recently (inactive lists).",
        "Memory.kbinact",
    ),
    Column::whole(
        "kbdirty",
        KB,
        "Memory waiting to be written back to disk.",
        "Memory.kbdirty",
    ),
    Column::whole(
        "kbshmem",
        KB,
        "Shared memory and tmpfs (Shmem, sysstat 12.7.8).",
        "Memory.kbshmem",
    ),
    Column::whole(
        "kbanonpg",
        KB,
        "Anonymous pages mapped into user space (AnonPages).",
        "Memory.kbanonpg",
    )
    .only(Layout::AllOnly),
    Column::whole("kbslab", KB, "Kernel slab caches (Slab).", "Memory.kbslab")
        .only(Layout::AllOnly),
    Column::whole(
        "kbkstack",
        KB,
        "Kernel stacks (KernelStack).",
        "Memory.kbkstack",
    )
    .only(Layout::AllOnly),
    Column::whole("kbpgtbl", KB, "Page tables (PageTables).", "Memory.kbpgtbl")
        .only(Layout::AllOnly),
    Column::whole(
        "kbvmused",
        KB,
        "Virtual address space in vmalloc use (VmallocUsed).",
        "Memory.kbvmused",
    )
    .only(Layout::AllOnly),
];
