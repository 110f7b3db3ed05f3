//! The command-line flags that turn on the high-cardinality families (per-process and
//! per-cgroup series, top N by CPU time), shared by `rstat serve` and `rstat push` so that a
//! scrape and a push of the same files give the same series.

use clap::Args;

use super::Selection;

/// `--processes N` and `--cgroups N`.
#[derive(Args, Debug, Clone, Copy)]
pub struct TopSeriesArgs {
    /// Per-process series (rstat_process_*) of the N processes with the most CPU time; off
    /// by default (cardinality). The collector must record processes (it does by default).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub processes: usize,
    /// Per-cgroup series (rstat_cgroup_*) of the N groups with the most CPU time; off by
    /// default.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub cgroups: usize,
}

impl TopSeriesArgs {
    /// The families these flags select.
    pub fn selection(self) -> Selection {
        Selection {
            processes: self.processes,
            cgroups: self.cgroups,
        }
    }
}
