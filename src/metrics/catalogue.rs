//! The metric table: which family each derived total becomes. Names, labels and units are
//! node_exporter 1.x's (collectors cpu, meminfo, loadavg, diskstats, netdev, pressure,
//! filesystem, stat, vmstat) so that its dashboards and alerts read rstat unchanged.

use std::borrow::Cow;

use rstat_data_format::derive_totals;

use super::{plain, Family, Kind, Point, Totals};

/// One family: what it is called and how its points are found.
pub struct FamilySpec {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub emit: fn(&Totals, &mut Vec<Point>),
}

fn point(labels: &[(&'static str, &str)], value: f64) -> Point {
    Point {
        labels: labels.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        value,
    }
}

/// One network counter family per `/proc/net/dev` column.
macro_rules! net_family {
    ($col:expr, $name:expr) => {
        FamilySpec {
            name: $name,
            help: "Network device statistic from /proc/net/dev.",
            kind: Kind::Counter,
            emit: |t, out| {
                for net in &t.nets {
                    out.push(point(&[("device", &net.iface)], net.counters[$col] as f64));
                }
            },
        }
    };
}

/// One disk family from a [`derive_totals::DiskTotals`] field.
macro_rules! disk_family {
    ($name:expr, $help:expr, $kind:expr, |$d:ident| $value:expr) => {
        FamilySpec {
            name: $name,
            help: $help,
            kind: $kind,
            emit: |t, out| {
                for $d in &t.disks {
                    if let Some(value) = $value {
                        out.push(point(&[("device", &$d.device)], value));
                    }
                }
            },
        }
    };
}

/// One filesystem family from a [`derive_totals::FilesystemSpace`] field.
macro_rules! fs_family {
    ($name:expr, $help:expr, $field:ident) => {
        FamilySpec {
            name: $name,
            help: $help,
            kind: Kind::Gauge,
            emit: |t, out| {
                for fs in &t.filesystems {
                    let labels = [
                        ("device", fs.device),
                        ("fstype", fs.fs_type),
                        ("mountpoint", fs.mount_point),
                    ];
                    out.push(point(&labels, fs.$field));
                }
            },
        }
    };
}

/// One stall-time family of one resource; `full` picks the `full` line.
macro_rules! pressure_family {
    ($index:expr, $full:expr, $name:expr, $help:expr) => {
        FamilySpec {
            name: $name,
            help: $help,
            kind: Kind::Counter,
            emit: |t, out| {
                let stall = t.pressure[$index].1;
                let value = if $full {
                    stall.and_then(|s| s.full)
                } else {
                    stall.map(|s| s.some)
                };
                out.extend(value.map(plain));
            },
        }
    };
}

/// One single-value family from a kernel total.
macro_rules! kernel_family {
    ($name:expr, $help:expr, $kind:expr, |$k:ident| $value:expr) => {
        FamilySpec {
            name: $name,
            help: $help,
            kind: $kind,
            emit: |t, out| {
                let $k = &t.kernel;
                out.extend($value.map(plain));
            },
        }
    };
}

/// One node_exporter vmstat field (untyped there).
macro_rules! vmstat_family {
    ($field:literal) => {
        FamilySpec {
            name: concat!("node_vmstat_", $field),
            help: concat!("/proc/vmstat information field ", $field, "."),
            kind: Kind::Untyped,
            emit: |t, out| {
                out.extend(derive_totals::vmstat(t.sample, $field).map(|v| plain(v as f64)));
            },
        }
    };
}

pub static FAMILIES: &[FamilySpec] = &[
    FamilySpec {
        name: "node_cpu_seconds_total",
        help: "Seconds the CPUs spent in each mode.",
        kind: Kind::Counter,
        emit: |t, out| {
            for c in &t.cpus {
                let cpu = c.cpu.to_string();
                for (mode, value) in [
                    ("idle", c.idle),
                    ("iowait", c.iowait),
                    ("irq", c.irq),
                    ("nice", c.nice),
                    ("softirq", c.softirq),
                    ("steal", c.steal),
                    ("system", c.system),
                    ("user", c.user),
                ] {
                    out.push(point(&[("cpu", &cpu), ("mode", mode)], value));
                }
            }
        },
    },
    FamilySpec {
        name: "node_cpu_guest_seconds_total",
        help: "Seconds the CPUs spent in guests (VMs) for each mode.",
        kind: Kind::Counter,
        emit: |t, out| {
            for c in &t.cpus {
                let cpu = c.cpu.to_string();
                out.push(point(&[("cpu", &cpu), ("mode", "nice")], c.guest_nice));
                out.push(point(&[("cpu", &cpu), ("mode", "user")], c.guest));
            }
        },
    },
    kernel_family!("node_load1", "1m load average.", Kind::Gauge, |k| k
        .load
        .map(|l| l[0])),
    kernel_family!("node_load5", "5m load average.", Kind::Gauge, |k| k
        .load
        .map(|l| l[1])),
    kernel_family!("node_load15", "15m load average.", Kind::Gauge, |k| k
        .load
        .map(|l| l[2])),
    kernel_family!(
        "node_context_switches_total",
        "Total number of context switches.",
        Kind::Counter,
        |k| k.context_switches.map(|v| v as f64)
    ),
    kernel_family!(
        "node_forks_total",
        "Total number of forks.",
        Kind::Counter,
        |k| k.forks.map(|v| v as f64)
    ),
    kernel_family!(
        "node_intr_total",
        "Total number of interrupts serviced.",
        Kind::Counter,
        |k| k.interrupts.map(|v| v as f64)
    ),
    kernel_family!(
        "node_boot_time_seconds",
        "Node boot time, in unixtime.",
        Kind::Gauge,
        |k| k.boot_time_seconds.map(|v| v as f64)
    ),
    kernel_family!(
        "node_procs_running",
        "Number of processes in runnable state.",
        Kind::Gauge,
        |k| k.procs_running.map(|v| v as f64)
    ),
    kernel_family!(
        "node_procs_blocked",
        "Number of processes blocked waiting for I/O to complete.",
        Kind::Gauge,
        |k| k.procs_blocked.map(|v| v as f64)
    ),
    disk_family!(
        "node_disk_reads_completed_total",
        "The total number of reads completed successfully.",
        Kind::Counter,
        |d| Some(d.reads as f64)
    ),
    disk_family!(
        "node_disk_reads_merged_total",
        "The total number of reads merged.",
        Kind::Counter,
        |d| Some(d.reads_merged as f64)
    ),
    disk_family!(
        "node_disk_read_bytes_total",
        "The total number of bytes read successfully.",
        Kind::Counter,
        |d| Some(d.read_bytes)
    ),
    disk_family!(
        "node_disk_read_time_seconds_total",
        "The total number of seconds spent by all reads.",
        Kind::Counter,
        |d| Some(d.read_seconds)
    ),
    disk_family!(
        "node_disk_writes_completed_total",
        "The total number of writes completed successfully.",
        Kind::Counter,
        |d| Some(d.writes as f64)
    ),
    disk_family!(
        "node_disk_writes_merged_total",
        "The number of writes merged.",
        Kind::Counter,
        |d| Some(d.writes_merged as f64)
    ),
    disk_family!(
        "node_disk_written_bytes_total",
        "The total number of bytes written successfully.",
        Kind::Counter,
        |d| Some(d.written_bytes)
    ),
    disk_family!(
        "node_disk_write_time_seconds_total",
        "This is the total number of seconds spent by all writes.",
        Kind::Counter,
        |d| Some(d.write_seconds)
    ),
    disk_family!(
        "node_disk_io_now",
        "The number of I/Os currently in progress.",
        Kind::Gauge,
        |d| Some(d.in_flight as f64)
    ),
    disk_family!(
        "node_disk_io_time_seconds_total",
        "Total seconds spent doing I/Os.",
        Kind::Counter,
        |d| Some(d.io_seconds)
    ),
    disk_family!(
        "node_disk_io_time_weighted_seconds_total",
        "The weighted # of seconds spent doing I/Os.",
        Kind::Counter,
        |d| Some(d.io_weighted_seconds)
    ),
    disk_family!(
        "node_disk_discards_completed_total",
        "The total number of discards completed successfully.",
        Kind::Counter,
        |d| d.discards.as_ref().map(|x| x.completed as f64)
    ),
    disk_family!(
        "node_disk_discards_merged_total",
        "The total number of discards merged.",
        Kind::Counter,
        |d| d.discards.as_ref().map(|x| x.merged as f64)
    ),
    disk_family!(
        "node_disk_discarded_sectors_total",
        "The total number of sectors discarded successfully.",
        Kind::Counter,
        |d| d.discards.as_ref().map(|x| x.bytes / 512.0)
    ),
    disk_family!(
        "node_disk_discard_time_seconds_total",
        "This is the total number of seconds spent by all discards.",
        Kind::Counter,
        |d| d.discards.as_ref().map(|x| x.seconds)
    ),
    disk_family!(
        "node_disk_flush_requests_total",
        "The total number of flush requests completed successfully.",
        Kind::Counter,
        |d| d.flushes.map(|f| f.0 as f64)
    ),
    disk_family!(
        "node_disk_flush_requests_time_seconds_total",
        "This is the total number of seconds spent by all flush requests.",
        Kind::Counter,
        |d| d.flushes.map(|f| f.1)
    ),
    net_family!(0, "node_network_receive_bytes_total"),
    net_family!(1, "node_network_receive_packets_total"),
    net_family!(2, "node_network_receive_errs_total"),
    net_family!(3, "node_network_receive_drop_total"),
    net_family!(4, "node_network_receive_fifo_total"),
    net_family!(5, "node_network_receive_frame_total"),
    net_family!(6, "node_network_receive_compressed_total"),
    net_family!(7, "node_network_receive_multicast_total"),
    net_family!(8, "node_network_transmit_bytes_total"),
    net_family!(9, "node_network_transmit_packets_total"),
    net_family!(10, "node_network_transmit_errs_total"),
    net_family!(11, "node_network_transmit_drop_total"),
    net_family!(12, "node_network_transmit_fifo_total"),
    net_family!(13, "node_network_transmit_colls_total"),
    net_family!(14, "node_network_transmit_carrier_total"),
    net_family!(15, "node_network_transmit_compressed_total"),
    pressure_family!(
        0,
        false,
        "node_pressure_cpu_waiting_seconds_total",
        "Total time in seconds that processes have waited for CPU time."
    ),
    pressure_family!(
        0,
        true,
        "node_pressure_cpu_stalled_seconds_total",
        "Total time in seconds no process could make progress due to CPU congestion."
    ),
    pressure_family!(
        1,
        false,
        "node_pressure_io_waiting_seconds_total",
        "Total time in seconds that processes have waited due to IO congestion."
    ),
    pressure_family!(
        1,
        true,
        "node_pressure_io_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IO congestion."
    ),
    pressure_family!(
        2,
        false,
        "node_pressure_memory_waiting_seconds_total",
        "Total time in seconds that processes have waited for memory."
    ),
    pressure_family!(
        2,
        true,
        "node_pressure_memory_stalled_seconds_total",
        "Total time in seconds no process could make progress due to memory congestion."
    ),
    fs_family!(
        "node_filesystem_size_bytes",
        "Filesystem size in bytes.",
        size_bytes
    ),
    fs_family!(
        "node_filesystem_free_bytes",
        "Filesystem free space in bytes.",
        free_bytes
    ),
    fs_family!(
        "node_filesystem_avail_bytes",
        "Filesystem space available to non-root users in bytes.",
        avail_bytes
    ),
    fs_family!(
        "node_filesystem_files",
        "Filesystem total file nodes.",
        files
    ),
    fs_family!(
        "node_filesystem_files_free",
        "Filesystem total free file nodes.",
        files_free
    ),
    vmstat_family!("oom_kill"),
    vmstat_family!("pgfault"),
    vmstat_family!("pgmajfault"),
    vmstat_family!("pgpgin"),
    vmstat_family!("pgpgout"),
    vmstat_family!("pswpin"),
    vmstat_family!("pswpout"),
    FamilySpec {
        name: "rstat_process_cpu_seconds_total",
        help: "User and system CPU time of a process since it started (the top N processes by it, with --processes N).",
        kind: Kind::Counter,
        emit: |t, out| {
            for p in &t.processes {
                let pid = p.pid.to_string();
                out.push(point(&[("pid", &pid), ("comm", p.comm)], p.cpu_seconds));
            }
        },
    },
    FamilySpec {
        name: "rstat_process_resident_memory_bytes",
        help: "Resident memory of a process (the top N processes by CPU time, with --processes N).",
        kind: Kind::Gauge,
        emit: |t, out| {
            for p in &t.processes {
                let pid = p.pid.to_string();
                out.push(point(&[("pid", &pid), ("comm", p.comm)], p.resident_bytes));
            }
        },
    },
    FamilySpec {
        name: "rstat_cgroup_cpu_seconds_total",
        help: "CPU time of a cgroup v2 group (cpu.stat usage_usec; the top N groups by it, with --cgroups N).",
        kind: Kind::Counter,
        emit: |t, out| {
            for g in &t.cgroups {
                out.push(point(&[("cgroup", g.path)], g.cpu_seconds));
            }
        },
    },
    FamilySpec {
        name: "rstat_cgroup_memory_bytes",
        help: "Memory of a cgroup v2 group (memory.current; the top N groups by CPU time, with --cgroups N).",
        kind: Kind::Gauge,
        emit: |t, out| {
            for g in &t.cgroups {
                out.push(point(&[("cgroup", g.path)], g.memory_bytes));
            }
        },
    },
    FamilySpec {
        name: "rstat_sample_timestamp_seconds",
        help: "When the sample these values come from was taken, in unixtime.",
        kind: Kind::Gauge,
        emit: |t, out| out.push(plain(t.sample.time_us as f64 / 1e6)),
    },
];

/// node_exporter's meminfo families: `node_memory_<Field>_bytes` for sizes, without the
/// suffix for counts, `(` and `)` folded into `_` (`Active(anon)` -> `Active_anon`).
pub fn meminfo_families(t: &Totals) -> Vec<Family> {
    t.meminfo
        .iter()
        .map(|m| {
            let field: String = m
                .field
                .trim_end_matches(')')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let suffix = if m.bytes { "_bytes" } else { "" };
            Family {
                name: Cow::Owned(format!("node_memory_{field}{suffix}")),
                help: Cow::Owned(format!("Memory information field {field}{suffix}.")),
                kind: Kind::Gauge,
                points: vec![plain(m.value)],
            }
        })
        .collect()
}

/// Fails on a family name given twice, or a counter not named `_total` (or a gauge that is).
#[cfg(test)]
pub(super) fn assert_names_unique_and_counters_total<'a>(
    specs: impl IntoIterator<Item = &'a FamilySpec>,
) {
    let mut seen = std::collections::HashSet::new();
    for spec in specs {
        assert!(seen.insert(spec.name), "{} twice", spec.name);
        assert_eq!(
            spec.kind == Kind::Counter,
            spec.name.ends_with("_total"),
            "{}",
            spec.name
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/proc/net/dev` columns in file order, as node_exporter's netdev collector names them.
    const NET_COUNTERS: [&str; 16] = [
        "receive_bytes",
        "receive_packets",
        "receive_errs",
        "receive_drop",
        "receive_fifo",
        "receive_frame",
        "receive_compressed",
        "receive_multicast",
        "transmit_bytes",
        "transmit_packets",
        "transmit_errs",
        "transmit_drop",
        "transmit_fifo",
        "transmit_colls",
        "transmit_carrier",
        "transmit_compressed",
    ];

    #[test]
    fn network_families_follow_the_file_order() {
        use rstat_data_format::{FileHeader, Row, Sample, Table, TableKind};
        let sample = Sample {
            time_us: 0,
            tables: vec![Table {
                kind: TableKind::NETDEV,
                rows: vec![Row {
                    key: "eth0".into(),
                    text: vec![],
                    values: (0..16).collect(),
                }],
            }],
        };
        let families =
            crate::metrics::families(&sample, &FileHeader::default(), Default::default());
        for (col, name) in NET_COUNTERS.iter().enumerate() {
            let name = format!("node_network_{name}_total");
            let family = families.iter().find(|f| f.name == name).unwrap();
            assert_eq!(family.points[0].value, col as f64, "{name}");
            assert_eq!(family.points[0].labels, [("device", "eth0".to_string())]);
        }
    }

    #[test]
    fn names_are_unique_and_counters_end_in_total() {
        assert_names_unique_and_counters_total(FAMILIES);
    }
}
