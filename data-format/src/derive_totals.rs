//! Cumulative counters and gauges of one sample in base units (seconds, bytes), for readers
//! that hand counters on instead of rates: `rstat serve` and `rstat push`, whose consumers
//! (Prometheus and the stores that speak its protocols) compute rates themselves.
//!
//! The conversions are the kernel's: CPU times are USER_HZ ticks (from the file header),
//! diskstats sectors are always 512 bytes whatever the device's block size, diskstats times
//! are milliseconds, pressure totals are microseconds, meminfo sizes are kB (1024 bytes)
//! except the `HugePages_*` counts.

use crate::derive_process;
use crate::schema::{cpu_col, disk_col, loadavg_col, net_col, Sample, TableKind};
use crate::schema_process::{cgroup_col, process_col};
use crate::schema_system::{fs_col, psi_col};

/// Bytes per diskstats sector (the kernel's unit, not the device's).
const SECTOR_BYTES: f64 = 512.0;

/// The time one CPU spent in each mode since boot, seconds. `user` and `nice` include the
/// guest times, as the kernel counts them (and as node_exporter reports them).
#[derive(Clone, Debug, PartialEq)]
pub struct CpuSeconds {
    /// The CPU's number (/proc/stat `cpuN`).
    pub cpu: u32,
    /// Seconds in user mode, guest time included (/proc/stat user ticks ÷ ticks per second).
    pub user: f64,
    /// Seconds in niced user mode, niced guest time included (/proc/stat nice ticks).
    pub nice: f64,
    /// Seconds in kernel mode (/proc/stat system ticks).
    pub system: f64,
    /// Seconds idle without I/O outstanding (/proc/stat idle ticks).
    pub idle: f64,
    /// Seconds idle with I/O outstanding (/proc/stat iowait ticks).
    pub iowait: f64,
    /// Seconds servicing hardware interrupts (/proc/stat irq ticks).
    pub irq: f64,
    /// Seconds servicing software interrupts (/proc/stat softirq ticks).
    pub softirq: f64,
    /// Seconds stolen by the hypervisor for other guests (/proc/stat steal ticks).
    pub steal: f64,
    /// Seconds running a virtual CPU (/proc/stat guest ticks).
    pub guest: f64,
    /// Seconds running a niced virtual CPU (/proc/stat guest_nice ticks).
    pub guest_nice: f64,
}

/// Every online CPU's times (the `cpuN` rows), in CPU order; `ticks_per_sec` is the file
/// header's USER_HZ.
pub fn cpu_seconds(sample: &Sample, ticks_per_sec: u32) -> Vec<CpuSeconds> {
    let Some(table) = sample.table(TableKind::CPU) else {
        return Vec::new();
    };
    let hz = f64::from(ticks_per_sec.max(1));
    let mut cpus: Vec<CpuSeconds> = table
        .rows
        .iter()
        .filter_map(|row| {
            let cpu = row.key.strip_prefix("cpu")?.parse().ok()?;
            let s = |col| row.value(col).unwrap_or(0) as f64 / hz;
            Some(CpuSeconds {
                cpu,
                user: s(cpu_col::USER),
                nice: s(cpu_col::NICE),
                system: s(cpu_col::SYSTEM),
                idle: s(cpu_col::IDLE),
                iowait: s(cpu_col::IOWAIT),
                irq: s(cpu_col::IRQ),
                softirq: s(cpu_col::SOFTIRQ),
                steal: s(cpu_col::STEAL),
                guest: s(cpu_col::GUEST),
                guest_nice: s(cpu_col::GUEST_NICE),
            })
        })
        .collect();
    cpus.sort_by_key(|c| c.cpu);
    cpus
}

/// One block device's counters since boot (Documentation/admin-guide/iostats.rst).
/// Discard and flush counters are `None` on kernels that do not print them.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskTotals {
    /// The kernel's device name (/proc/diskstats: `sda`).
    pub device: String,
    /// Reads completed (/proc/diskstats column 4).
    pub reads: u64,
    /// Reads merged with an adjacent one before being issued (column 5).
    pub reads_merged: u64,
    /// Bytes read (sectors read, field 6, × 512).
    pub read_bytes: f64,
    /// Seconds spent reading, summed over requests (column 7, ms ÷ 1000).
    pub read_seconds: f64,
    /// Writes completed (column 8).
    pub writes: u64,
    /// Writes merged with an adjacent one before being issued (column 9).
    pub writes_merged: u64,
    /// Bytes written (sectors written, field 10, × 512).
    pub written_bytes: f64,
    /// Seconds spent writing, summed over requests (column 11, ms ÷ 1000).
    pub write_seconds: f64,
    /// Requests in flight at the sample (a gauge).
    pub in_flight: u64,
    /// Seconds the device had requests in service (column 13, ms ÷ 1000).
    pub io_seconds: f64,
    /// Seconds of requests in service weighted by how many were in flight (column 14, ms ÷ 1000).
    pub io_weighted_seconds: f64,
    /// Discard counters (columns 15 to 18), `None` before Linux 4.18.
    pub discards: Option<DiscardTotals>,
    /// Flushes completed and seconds spent flushing (columns 19 and 20), `None` before Linux 5.5.
    pub flushes: Option<(u64, f64)>,
}

/// One block device's discard counters since boot (/proc/diskstats columns 15 to 18).
#[derive(Clone, Debug, PartialEq)]
pub struct DiscardTotals {
    /// Discards completed (column 15).
    pub completed: u64,
    /// Discards merged with an adjacent one (column 16).
    pub merged: u64,
    /// Bytes discarded (sectors discarded, field 17, × 512).
    pub bytes: f64,
    /// Seconds spent discarding, summed over requests (column 18, ms ÷ 1000).
    pub seconds: f64,
}

/// Every device with the full diskstats layout (old partition rows carry too little).
pub fn disk_totals(sample: &Sample) -> Vec<DiskTotals> {
    let Some(table) = sample.table(TableKind::DISKSTATS) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|row| row.values.len() > disk_col::WEIGHTED_IO_MS)
        .map(|row| {
            let v = |col| row.value(col).unwrap_or(0);
            let ms = |col| v(col) as f64 / 1000.0;
            let bytes = |col| v(col) as f64 * SECTOR_BYTES;
            DiskTotals {
                device: row.key.clone(),
                reads: v(disk_col::READS),
                reads_merged: v(disk_col::READS_MERGED),
                read_bytes: bytes(disk_col::SECTORS_READ),
                read_seconds: ms(disk_col::READ_MS),
                writes: v(disk_col::WRITES),
                writes_merged: v(disk_col::WRITES_MERGED),
                written_bytes: bytes(disk_col::SECTORS_WRITTEN),
                write_seconds: ms(disk_col::WRITE_MS),
                in_flight: v(disk_col::IN_FLIGHT),
                io_seconds: ms(disk_col::IO_MS),
                io_weighted_seconds: ms(disk_col::WEIGHTED_IO_MS),
                discards: (row.values.len() > disk_col::DISCARD_MS).then(|| DiscardTotals {
                    completed: v(disk_col::DISCARDS),
                    merged: v(disk_col::DISCARDS_MERGED),
                    bytes: bytes(disk_col::SECTORS_DISCARDED),
                    seconds: ms(disk_col::DISCARD_MS),
                }),
                flushes: (row.values.len() > disk_col::FLUSH_MS)
                    .then(|| (v(disk_col::FLUSHES), ms(disk_col::FLUSH_MS))),
            }
        })
        .collect()
}

/// One network interface's `/proc/net/dev` counters, in file order (see [`net_col`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NetTotals {
    /// The interface's name (/proc/net/dev: `eth0`).
    pub iface: String,
    /// The interface's 16 counters since boot (8 received, then 8 transmitted: bytes, packets,
    /// errors, drops, ...), in /proc/net/dev's order (indexes in `net_col`).
    pub counters: [u64; net_col::COUNT],
}

/// Every interface of one sample's /proc/net/dev, in file order.
pub fn net_totals(sample: &Sample) -> Vec<NetTotals> {
    let Some(table) = sample.table(TableKind::NETDEV) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|row| row.values.len() >= net_col::COUNT)
        .map(|row| {
            let mut counters = [0; net_col::COUNT];
            counters.copy_from_slice(&row.values[..net_col::COUNT]);
            NetTotals {
                iface: row.key.clone(),
                counters,
            }
        })
        .collect()
}

/// Total stall time of one resource since boot, seconds: `some` and, where the kernel
/// prints it, `full`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StallSeconds {
    /// Seconds at least one task stalled on the resource (/proc/pressure `some` total, µs ÷ 10⁶).
    pub some: f64,
    /// Seconds every non-idle task stalled at once (/proc/pressure `full` total), `None` where the
    /// kernel prints no full line.
    pub full: Option<f64>,
}

/// `kind` is [`TableKind::PSI_CPU`], [`TableKind::PSI_IO`] or [`TableKind::PSI_MEMORY`].
pub fn stall_seconds(sample: &Sample, kind: TableKind) -> Option<StallSeconds> {
    let table = sample.table(kind)?;
    let total = |key: &str| {
        table
            .row(key)
            .and_then(|row| row.value(psi_col::TOTAL))
            .map(|us| us as f64 / 1e6)
    };
    Some(StallSeconds {
        some: total("some")?,
        full: total("full"),
    })
}

/// One meminfo field in base units: `bytes` says whether it was a size (kB, now bytes) or a
/// count (`HugePages_*`).
#[derive(Clone, Debug, PartialEq)]
pub struct MeminfoValue<'a> {
    /// The /proc/meminfo field's name (`MemFree`, `HugePages_Total`).
    pub field: &'a str,
    /// Its value: bytes for a size (kB × 1024), else the count as read.
    pub value: f64,
    /// Whether `value` is a size in bytes (false for the `HugePages_*` counts).
    pub bytes: bool,
}

/// Every /proc/meminfo field of one sample in base units, in file order.
pub fn meminfo(sample: &Sample) -> Vec<MeminfoValue<'_>> {
    let Some(table) = sample.table(TableKind::MEMINFO) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let value = row.value(0)? as f64;
            let count = row.key.starts_with("HugePages_");
            Some(MeminfoValue {
                field: &row.key,
                value: if count { value } else { value * 1024.0 },
                bytes: !count,
            })
        })
        .collect()
}

/// Space and inodes of one mounted filesystem.
#[derive(Clone, Debug, PartialEq)]
pub struct FilesystemSpace<'a> {
    /// The filesystem's device (/proc/mounts first field).
    pub device: &'a str,
    /// Where it is mounted (/proc/mounts second field).
    pub mount_point: &'a str,
    /// The filesystem's type (`ext4`).
    pub fs_type: &'a str,
    /// Size in bytes (statvfs `f_blocks` × `f_frsize`).
    pub size_bytes: f64,
    /// Free bytes, reserved blocks included (statvfs `f_bfree` × `f_frsize`).
    pub free_bytes: f64,
    /// Bytes available to unprivileged users (statvfs `f_bavail` × `f_frsize`).
    pub avail_bytes: f64,
    /// Inodes in all (statvfs `f_files`).
    pub files: f64,
    /// Free inodes (statvfs `f_ffree`).
    pub files_free: f64,
}

/// Every filesystem of one sample, in the order recorded.
pub fn filesystems(sample: &Sample) -> Vec<FilesystemSpace<'_>> {
    let Some(table) = sample.table(TableKind::FILESYSTEMS) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|row| row.values.len() >= fs_col::COUNT)
        .map(|row| {
            let v = |col| row.value(col).unwrap_or(0) as f64;
            let text = |col| row.text.get(col).map_or("", String::as_str);
            FilesystemSpace {
                device: &row.key,
                mount_point: text(fs_col::TEXT_MOUNT_POINT),
                fs_type: text(fs_col::TEXT_TYPE),
                size_bytes: v(fs_col::BLOCKS_BYTES),
                free_bytes: v(fs_col::FREE_BYTES),
                avail_bytes: v(fs_col::AVAIL_BYTES),
                files: v(fs_col::FILES),
                files_free: v(fs_col::FILES_FREE),
            }
        })
        .collect()
}

/// `/proc/stat`'s one-value lines and `/proc/loadavg`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KernelTotals {
    /// Context switches since boot (/proc/stat `ctxt`).
    pub context_switches: Option<u64>,
    /// Tasks created since boot (/proc/stat `processes`).
    pub forks: Option<u64>,
    /// Interrupts serviced since boot, all sources (/proc/stat `intr` total).
    pub interrupts: Option<u64>,
    /// Boot time, seconds since the Unix epoch (/proc/stat `btime`).
    pub boot_time_seconds: Option<u64>,
    /// Tasks runnable at the sample (/proc/stat `procs_running`).
    pub procs_running: Option<u64>,
    /// Tasks blocked on I/O at the sample (/proc/stat `procs_blocked`).
    pub procs_blocked: Option<u64>,
    /// 1, 5 and 15 minute load averages.
    pub load: Option<[f64; 3]>,
}

/// /proc/stat's one-value lines and /proc/loadavg's averages of one sample (each `None` when not
/// recorded).
pub fn kernel_totals(sample: &Sample) -> KernelTotals {
    let stat = |key: &str| sample.table(TableKind::STAT).and_then(|t| t.get(key));
    let load = sample
        .table(TableKind::LOADAVG)
        .and_then(|t| t.rows.first())
        .and_then(|row| {
            let l = |col| row.value(col).map(|v| v as f64 / 100.0);
            Some([
                l(loadavg_col::LOAD1)?,
                l(loadavg_col::LOAD5)?,
                l(loadavg_col::LOAD15)?,
            ])
        });
    KernelTotals {
        context_switches: stat("ctxt"),
        forks: stat("processes"),
        interrupts: stat("intr"),
        boot_time_seconds: stat("btime"),
        procs_running: stat("procs_running"),
        procs_blocked: stat("procs_blocked"),
        load,
    }
}

/// `/proc/vmstat` fields as read (they are counts: pages, faults, events).
pub fn vmstat(sample: &Sample, field: &str) -> Option<u64> {
    sample.table(TableKind::VMSTAT)?.get(field)
}

/// One process's cumulative CPU time and its resident memory.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessTotals<'a> {
    /// The process's id.
    pub pid: u32,
    /// The process's command name (/proc/PID/stat `comm`).
    pub comm: &'a str,
    /// User and system time since the process started.
    pub cpu_seconds: f64,
    /// Resident memory in bytes (/proc/PID/stat rss pages × page size).
    pub resident_bytes: f64,
}

/// The `limit` processes with the most CPU time since they started, most first (ties by pid):
/// the series a scrape can afford when a host runs thousands of processes.
pub fn top_processes(sample: &Sample, limit: usize) -> Vec<ProcessTotals<'_>> {
    if limit == 0 {
        return Vec::new();
    }
    let hz = derive_process::ticks_per_sec(sample).max(1) as f64;
    let page = derive_process::page_size(sample) as f64;
    let mut all: Vec<ProcessTotals> = derive_process::processes(sample)
        .into_iter()
        .map(|task| ProcessTotals {
            pid: task.id,
            comm: task.comm(),
            cpu_seconds: (task.value(process_col::UTIME) + task.value(process_col::STIME)) as f64
                / hz,
            resident_bytes: task.value(process_col::RSS) as f64 * page,
        })
        .collect();
    all.sort_by(|a, b| {
        b.cpu_seconds
            .total_cmp(&a.cpu_seconds)
            .then(a.pid.cmp(&b.pid))
    });
    all.truncate(limit);
    all
}

/// One cgroup's cumulative CPU time and its memory.
#[derive(Clone, Debug, PartialEq)]
pub struct CgroupTotals<'a> {
    /// The cgroup's path under the cgroup v2 root (`/system.slice/ssh.service`).
    pub path: &'a str,
    /// CPU time used since the cgroup was created, seconds (cpu.stat `usage_usec` ÷ 10⁶).
    pub cpu_seconds: f64,
    /// Memory in use in bytes (memory.current).
    pub memory_bytes: f64,
}

/// The `limit` cgroups (the root left out: it is the whole host) with the most CPU time,
/// most first.
pub fn top_cgroups(sample: &Sample, limit: usize) -> Vec<CgroupTotals<'_>> {
    let Some(table) = sample.table(TableKind::CGROUPS).filter(|_| limit > 0) else {
        return Vec::new();
    };
    let mut all: Vec<CgroupTotals> = table
        .rows
        .iter()
        .filter(|row| row.key != "/")
        .map(|row| CgroupTotals {
            path: &row.key,
            cpu_seconds: row.value(cgroup_col::USAGE_USEC).unwrap_or(0) as f64 / 1e6,
            memory_bytes: row.value(cgroup_col::MEMORY_CURRENT).unwrap_or(0) as f64,
        })
        .collect();
    all.sort_by(|a, b| {
        b.cpu_seconds
            .total_cmp(&a.cpu_seconds)
            .then(a.path.cmp(b.path))
    });
    all.truncate(limit);
    all
}

/// Seconds between the sample and `now_us`, never negative (a clock step back gives 0).
pub fn sample_age_seconds(sample: &Sample, now_us: i64) -> f64 {
    (now_us - sample.time_us).max(0) as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Row, Table};

    fn table(kind: TableKind, rows: &[(&str, &[&str], &[u64])]) -> Table {
        Table {
            kind,
            rows: rows
                .iter()
                .map(|(key, text, values)| Row {
                    key: key.to_string(),
                    text: text.iter().map(|t| t.to_string()).collect(),
                    values: values.to_vec(),
                })
                .collect(),
        }
    }

    #[test]
    fn counters_are_converted_to_seconds_and_bytes() {
        let sample = Sample {
            time_us: 5_000_000,
            tables: vec![
                table(
                    TableKind::CPU,
                    &[
                        ("cpu", &[], &[900, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                        ("cpu1", &[], &[200, 1, 2, 300, 4, 5, 6, 7, 8, 9]),
                        ("cpu0", &[], &[100, 0, 0, 50, 0, 0, 0, 0, 0, 0]),
                    ],
                ),
                table(
                    TableKind::MEMINFO,
                    &[("MemFree", &[], &[4]), ("HugePages_Total", &[], &[3])],
                ),
                table(
                    TableKind::DISKSTATS,
                    &[
                        (
                            "sda",
                            &[],
                            &[8, 0, 10, 1, 8, 1500, 20, 2, 16, 2500, 3, 4000, 5000],
                        ),
                        ("sda1", &[], &[8, 1, 1, 2, 3, 4]),
                    ],
                ),
                table(
                    TableKind::PSI_IO,
                    &[
                        ("some", &[], &[0, 0, 0, 2_500_000]),
                        ("full", &[], &[0, 0, 0, 1_000_000]),
                    ],
                ),
                table(
                    TableKind::FILESYSTEMS,
                    &[("/dev/sda1", &["/", "ext4"], &[1000, 400, 300, 50, 20])],
                ),
            ],
        };
        let cpus = cpu_seconds(&sample, 100);
        assert_eq!(cpus.len(), 2);
        assert_eq!((cpus[0].cpu, cpus[0].user, cpus[0].idle), (0, 1.0, 0.5));
        assert_eq!(
            (cpus[1].cpu, cpus[1].user, cpus[1].guest_nice),
            (1, 2.0, 0.09)
        );
        let mem = meminfo(&sample);
        assert_eq!((mem[0].value, mem[0].bytes), (4096.0, true));
        assert_eq!((mem[1].value, mem[1].bytes), (3.0, false));
        let disks = disk_totals(&sample);
        assert_eq!(
            disks.len(),
            1,
            "the old partition layout has too few counters"
        );
        assert_eq!(disks[0].read_bytes, 4096.0);
        assert_eq!(disks[0].written_bytes, 8192.0);
        assert_eq!(disks[0].read_seconds, 1.5);
        assert_eq!(disks[0].io_seconds, 4.0);
        assert_eq!(disks[0].in_flight, 3);
        assert!(disks[0].discards.is_none());
        let psi = stall_seconds(&sample, TableKind::PSI_IO).unwrap();
        assert_eq!((psi.some, psi.full), (2.5, Some(1.0)));
        assert!(stall_seconds(&sample, TableKind::PSI_CPU).is_none());
        let fs = filesystems(&sample);
        assert_eq!(
            (fs[0].mount_point, fs[0].fs_type, fs[0].avail_bytes),
            ("/", "ext4", 300.0)
        );
        assert_eq!(sample_age_seconds(&sample, 7_500_000), 2.5);
        assert_eq!(sample_age_seconds(&sample, 1_000_000), 0.0);
        assert!(top_processes(&sample, 5).is_empty());
    }

    #[test]
    fn the_busiest_processes_and_cgroups_come_first() {
        let proc_values = |utime: u64, stime: u64, rss: u64| {
            let mut v = vec![0; process_col::RSS + 1];
            v[process_col::UTIME] = utime;
            v[process_col::STIME] = stime;
            v[process_col::RSS] = rss;
            v
        };
        let (a, b, c) = (
            proc_values(100, 50, 10),
            proc_values(1000, 0, 1),
            proc_values(1, 1, 2),
        );
        let cg = |usage: u64, mem: u64| {
            let mut v = vec![0; cgroup_col::MEMORY_CURRENT + 1];
            v[cgroup_col::USAGE_USEC] = usage;
            v[cgroup_col::MEMORY_CURRENT] = mem;
            v
        };
        let (root, web, db) = (cg(9_000_000, 1), cg(2_000_000, 4096), cg(3_000_000, 8192));
        let sample = Sample {
            time_us: 0,
            tables: vec![
                table(
                    TableKind::PROCESSES,
                    &[
                        ("1", &["init", "", ""], &a),
                        ("7", &["cc", "", ""], &b),
                        ("9", &["sh", "", ""], &c),
                    ],
                ),
                table(
                    TableKind::CGROUPS,
                    &[("/", &[], &root), ("/web", &[], &web), ("/db", &[], &db)],
                ),
            ],
        };
        let top = top_processes(&sample, 2);
        assert_eq!(top.len(), 2);
        assert_eq!(
            (top[0].pid, top[0].comm, top[0].cpu_seconds),
            (7, "cc", 10.0)
        );
        assert_eq!((top[1].pid, top[1].cpu_seconds), (1, 1.5));
        assert_eq!(top[1].resident_bytes, 10.0 * 4096.0);
        let groups = top_cgroups(&sample, 5);
        let paths: Vec<&str> = groups.iter().map(|g| g.path).collect();
        assert_eq!(paths, ["/db", "/web"]);
        assert_eq!(
            (groups[0].cpu_seconds, groups[0].memory_bytes),
            (3.0, 8192.0)
        );
        assert!(top_cgroups(&sample, 0).is_empty());
    }
}
