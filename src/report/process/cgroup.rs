//! Report tables for cgroups (`rstat report --cgroups[=cpu,mem,io,psi]`): one row per group
//! present in both samples of an interval, the top `--top N` by the view's figure.

use regex::Regex;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::CgroupRates;

use crate::report::select::Activity;

/// The item column of cgroup rows (paths are left-aligned, longer ones push the columns).
pub(super) const CGROUP_ITEM: &str = "CGROUP                                  ";

fn item(group: &CgroupRates) -> String {
    format!("{:<40}", group.path)
}

type GroupRow = fn(&CgroupRates) -> (f64, Vec<f64>);

/// The table for `view`, or `None` for an unknown view.
pub(crate) fn cgroup_view(view: &str, filter: Option<Regex>, top: usize) -> Option<Activity> {
    let (columns, integer, row): (&'static [&'static str], fn(usize) -> bool, GroupRow) = match view
    {
        "cpu" => (
            &["%CPU", "%usr", "%system", "thrott/s", "%thrott"],
            |_| false,
            |g| {
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
            },
        ),
        "mem" => (
            &[
                "kbmem", "kbanon", "kbfile", "kbkernel", "kbsock", "kbshmem", "kbswap", "fault/s",
                "majflt/s", "oomkill",
            ],
            |col| col < 7 || col == 9,
            |g| {
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
            },
        ),
        "io" => (
            &["rkB/s", "wkB/s", "rio/s", "wio/s", "dkB/s"],
            |_| false,
            |g| {
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
            },
        ),
        "psi" => (
            &[
                "%cpusome", "%cpufull", "%iosome", "%iofull", "%memsome", "%memfull",
            ],
            |_| false,
            |g| {
                let values = vec![
                    g.cpu_pressure.some_pct,
                    g.cpu_pressure.full_pct,
                    g.io_pressure.some_pct,
                    g.io_pressure.full_pct,
                    g.memory_pressure.some_pct,
                    g.memory_pressure.full_pct,
                ];
                (values.iter().cloned().fold(0.0, f64::max), values)
            },
        ),
        _ => return None,
    };
    Some(Activity {
        name: String::new(),
        item: Some(CGROUP_ITEM),
        columns,
        integer,
        rows: Box::new(move |interval: &Interval| {
            let mut rows: Vec<(f64, (String, Vec<f64>))> = interval
                .cgroups()
                .into_iter()
                .filter(|g| filter.as_ref().is_none_or(|re| re.is_match(g.path)))
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
        }),
    })
}

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
