//! procfs-core 0.18 as an oracle: for every file it can parse, parse the same bytes with it
//! and with rstat's parser and compare every value. Run on the live /proc of the test
//! machine (each file read once into a buffer that both parse) and on every fixture tree.
//!
//! Unit differences handled here: procfs-core converts meminfo `kB` to bytes and keeps
//! uptime and load averages as floats; rstat stores kB and hundredths.

mod common;

use std::path::Path;

use procfs_core::net::InterfaceDeviceStatus;
use procfs_core::{
    CpuTime, DiskStat, ExplicitSystemInfo, FromRead, FromReadSI, KernelStats, LoadAverage, Meminfo,
    Uptime, VmStat,
};
use rstat_collector::proc::{diskstats, loadavg, meminfo, net_dev, stat, uptime, vmstat};
use rstat_data_format::schema::{Table, TableKind};

/// Parses `bytes` with an rstat parser, panicking with the label on error.
fn ours(label: &str, kind: TableKind, parse: common::Parse, bytes: &[u8]) -> Table {
    let mut table = Table::new(kind);
    parse(bytes, &mut table).unwrap_or_else(|error| panic!("{label}: {error}"));
    table
}

/// The fields procfs-core read from a cpu line, in file order (its optional ones stop at the
/// first absent one, as they are read in order).
fn cpu_fields(time: &CpuTime) -> Vec<u64> {
    let optional = [
        time.iowait,
        time.irq,
        time.softirq,
        time.steal,
        time.guest,
        time.guest_nice,
    ];
    let mut fields = vec![time.user, time.nice, time.system, time.idle];
    fields.extend(optional.into_iter().map_while(|field| field));
    fields
}

fn check_stat(label: &str, bytes: &[u8]) {
    let info = ExplicitSystemInfo {
        boot_time_secs: 0,
        ticks_per_second: 100,
        page_size: 4096,
        is_little_endian: true,
    };
    let oracle = KernelStats::from_read(bytes, &info)
        .unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    let (mut cpu, mut kernel) = (Table::new(TableKind::CPU), Table::new(TableKind::STAT));
    stat::parse(bytes, &mut cpu, &mut kernel).unwrap_or_else(|error| panic!("{label}: {error}"));

    let expected_cpus = std::iter::once(&oracle.total).chain(&oracle.cpu_time);
    assert_eq!(
        cpu.rows.len(),
        1 + oracle.cpu_time.len(),
        "{label}: cpu rows"
    );
    for (row, time) in cpu.rows.iter().zip(expected_cpus) {
        // procfs-core reads at most 10 fields; rstat keeps any more.
        let fields = cpu_fields(time);
        assert_eq!(
            &row.values[..fields.len().min(row.values.len())],
            fields.as_slice(),
            "{label}: {}",
            row.key
        );
        assert_eq!(
            row.values.len().min(10),
            fields.len(),
            "{label}: {}",
            row.key
        );
    }
    assert_eq!(cpu.rows[0].key, "cpu");
    assert_eq!(kernel.get("ctxt"), Some(oracle.ctxt), "{label}: ctxt");
    assert_eq!(kernel.get("btime"), Some(oracle.btime), "{label}: btime");
    assert_eq!(
        kernel.get("processes"),
        Some(oracle.processes),
        "{label}: processes"
    );
    assert_eq!(
        kernel.get("procs_running"),
        oracle.procs_running.map(u64::from),
        "{label}: procs_running"
    );
    assert_eq!(
        kernel.get("procs_blocked"),
        oracle.procs_blocked.map(u64::from),
        "{label}: procs_blocked"
    );
}

fn check_meminfo(label: &str, bytes: &[u8]) {
    let oracle =
        Meminfo::from_read(bytes).unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    let table = ours(label, TableKind::MEMINFO, meminfo::parse, bytes);
    let kib = |name: &str| table.get(name).map(|kb| kb * 1024);
    let count = |name: &str| table.get(name);
    let compared: [(&str, Option<u64>, Option<u64>); 37] = [
        ("MemTotal", kib("MemTotal"), Some(oracle.mem_total)),
        ("MemFree", kib("MemFree"), Some(oracle.mem_free)),
        ("MemAvailable", kib("MemAvailable"), oracle.mem_available),
        ("Buffers", kib("Buffers"), Some(oracle.buffers)),
        ("Cached", kib("Cached"), Some(oracle.cached)),
        ("SwapCached", kib("SwapCached"), Some(oracle.swap_cached)),
        ("Active", kib("Active"), Some(oracle.active)),
        ("Inactive", kib("Inactive"), Some(oracle.inactive)),
        ("Active(anon)", kib("Active(anon)"), oracle.active_anon),
        (
            "Inactive(anon)",
            kib("Inactive(anon)"),
            oracle.inactive_anon,
        ),
        ("Active(file)", kib("Active(file)"), oracle.active_file),
        (
            "Inactive(file)",
            kib("Inactive(file)"),
            oracle.inactive_file,
        ),
        ("Unevictable", kib("Unevictable"), oracle.unevictable),
        ("Mlocked", kib("Mlocked"), oracle.mlocked),
        ("SwapTotal", kib("SwapTotal"), Some(oracle.swap_total)),
        ("SwapFree", kib("SwapFree"), Some(oracle.swap_free)),
        ("Dirty", kib("Dirty"), Some(oracle.dirty)),
        ("Writeback", kib("Writeback"), Some(oracle.writeback)),
        ("AnonPages", kib("AnonPages"), oracle.anon_pages),
        ("Mapped", kib("Mapped"), Some(oracle.mapped)),
        ("Shmem", kib("Shmem"), oracle.shmem),
        ("Slab", kib("Slab"), Some(oracle.slab)),
        ("SReclaimable", kib("SReclaimable"), oracle.s_reclaimable),
        ("SUnreclaim", kib("SUnreclaim"), oracle.s_unreclaim),
        ("KernelStack", kib("KernelStack"), oracle.kernel_stack),
        ("PageTables", kib("PageTables"), oracle.page_tables),
        ("CommitLimit", kib("CommitLimit"), oracle.commit_limit),
        (
            "Committed_AS",
            kib("Committed_AS"),
            Some(oracle.committed_as),
        ),
        (
            "VmallocTotal",
            kib("VmallocTotal"),
            Some(oracle.vmalloc_total),
        ),
        ("VmallocUsed", kib("VmallocUsed"), Some(oracle.vmalloc_used)),
        (
            "VmallocChunk",
            kib("VmallocChunk"),
            Some(oracle.vmalloc_chunk),
        ),
        (
            "HugePages_Total",
            count("HugePages_Total"),
            oracle.hugepages_total,
        ),
        (
            "HugePages_Free",
            count("HugePages_Free"),
            oracle.hugepages_free,
        ),
        (
            "HugePages_Rsvd",
            count("HugePages_Rsvd"),
            oracle.hugepages_rsvd,
        ),
        (
            "HugePages_Surp",
            count("HugePages_Surp"),
            oracle.hugepages_surp,
        ),
        ("Hugepagesize", kib("Hugepagesize"), oracle.hugepagesize),
        ("DirectMap4k", kib("DirectMap4k"), oracle.direct_map_4k),
    ];
    for (name, rstat, procfs) in compared {
        assert_eq!(rstat, procfs, "{label}: {name}");
    }
    assert_eq!(
        table.rows.len(),
        bytes
            .split(|&byte| byte == b'\n')
            .filter(|line| !line.is_empty())
            .count()
    );
}

fn check_vmstat(label: &str, bytes: &[u8]) {
    let VmStat(oracle) =
        VmStat::from_read(bytes).unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    let table = ours(label, TableKind::VMSTAT, vmstat::parse, bytes);
    assert_eq!(table.rows.len(), oracle.len(), "{label}: vmstat rows");
    for row in &table.rows {
        let expected = oracle.get(&row.key).map(|&value| value as u64);
        assert_eq!(Some(row.values[0]), expected, "{label}: {}", row.key);
    }
}

fn check_loadavg(label: &str, bytes: &[u8]) {
    let oracle = LoadAverage::from_read(bytes)
        .unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    let table = ours(label, TableKind::LOADAVG, loadavg::parse, bytes);
    let hundredths = |load: f32| (f64::from(load) * 100.0).round() as u64;
    let expected = [
        hundredths(oracle.one),
        hundredths(oracle.five),
        hundredths(oracle.fifteen),
        u64::from(oracle.cur),
        u64::from(oracle.max),
        u64::from(oracle.latest_pid),
    ];
    assert_eq!(table.get("loadavg"), Some(expected[0]), "{label}");
    assert_eq!(table.rows[0].values, expected, "{label}");
}

fn check_uptime(label: &str, bytes: &[u8]) {
    let oracle =
        Uptime::from_read(bytes).unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    let table = ours(label, TableKind::UPTIME, uptime::parse, bytes);
    let hundredths = |seconds: f64| (seconds * 100.0).round() as u64;
    assert_eq!(
        table.rows[0].values,
        [hundredths(oracle.uptime), hundredths(oracle.idle)],
        "{label}"
    );
}

fn check_diskstats(label: &str, bytes: &[u8]) {
    let table = ours(label, TableKind::DISKSTATS, diskstats::parse, bytes);
    let text = std::str::from_utf8(bytes).expect("diskstats is ASCII");
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(table.rows.len(), lines.len(), "{label}: one row per line");
    for (row, line) in table.rows.iter().zip(lines) {
        // procfs-core's DiskStats needs 11 fields on every line; compare line by line so the
        // old 4-field partition layout (which it rejects) does not hide the other lines.
        let Ok(disk) = DiskStat::from_line(line) else {
            assert_eq!(
                row.values.len(),
                2 + 4,
                "{label}: only the old partition layout is rejected: {line}"
            );
            continue;
        };
        let optional = [
            disk.discards,
            disk.discards_merged,
            disk.sectors_discarded,
            disk.time_discarding,
            disk.flushes,
            disk.time_flushing,
        ];
        let mut expected = vec![
            disk.major as u64,
            disk.minor as u64,
            disk.reads,
            disk.merged,
            disk.sectors_read,
            disk.time_reading,
            disk.writes,
            disk.writes_merged,
            disk.sectors_written,
            disk.time_writing,
            disk.in_progress,
            disk.time_in_progress,
            disk.weighted_time_in_progress,
        ];
        expected.extend(optional.into_iter().map_while(|field| field));
        assert_eq!(row.key, disk.name, "{label}");
        assert_eq!(row.values, expected, "{label}: {}", row.key);
    }
}

fn check_net_dev(label: &str, bytes: &[u8]) {
    let table = ours(label, TableKind::NETDEV, net_dev::parse, bytes);
    // procfs-core splits on whitespace, so it misreads a counter touching the colon
    // (`eth0:4294967000`, which the kernel prints for wide numbers); give it a space there.
    let text = std::str::from_utf8(bytes)
        .expect("net/dev is ASCII here")
        .replace(':', ": ");
    let InterfaceDeviceStatus(oracle) = InterfaceDeviceStatus::from_read(text.as_bytes())
        .unwrap_or_else(|error| panic!("{label}: procfs-core: {error}"));
    assert_eq!(table.rows.len(), oracle.len(), "{label}: interfaces");
    for row in &table.rows {
        let device = oracle
            .get(&row.key)
            .unwrap_or_else(|| panic!("{label}: procfs-core has no {}", row.key));
        let expected = [
            device.recv_bytes,
            device.recv_packets,
            device.recv_errs,
            device.recv_drop,
            device.recv_fifo,
            device.recv_frame,
            device.recv_compressed,
            device.recv_multicast,
            device.sent_bytes,
            device.sent_packets,
            device.sent_errs,
            device.sent_drop,
            device.sent_fifo,
            device.sent_colls,
            device.sent_carrier,
            device.sent_compressed,
        ];
        assert_eq!(row.values, expected, "{label}: {}", row.key);
    }
}

/// Compares rstat and procfs-core on one file's bytes; the label names the file in failures.
type Check = fn(&str, &[u8]);

/// Every check, each with the file it reads under a root.
const CHECKS: [(&str, Check); 7] = [
    ("proc/uptime", check_uptime),
    ("proc/stat", check_stat),
    ("proc/meminfo", check_meminfo),
    ("proc/vmstat", check_vmstat),
    ("proc/loadavg", check_loadavg),
    ("proc/diskstats", check_diskstats),
    ("proc/net/dev", check_net_dev),
];

/// Runs every check whose file exists under `root`; returns how many ran.
fn check_root(root: &Path) -> usize {
    let mut checked = 0;
    for (relative, check) in CHECKS {
        let path = root.join(relative);
        match std::fs::read(&path) {
            Ok(bytes) => {
                check(&path.display().to_string(), &bytes);
                checked += 1;
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => panic!("{}: {error}", path.display()),
        }
    }
    checked
}

#[test]
fn matches_procfs_core_on_the_live_machine() {
    assert_eq!(check_root(Path::new("/")), CHECKS.len());
}

#[test]
fn matches_procfs_core_on_every_fixture() {
    for tree in common::ALL_TREES {
        let expected = if tree.starts_with("missing-files") {
            CHECKS.len() - 2
        } else {
            CHECKS.len()
        };
        assert_eq!(check_root(&common::tree(tree)), expected, "{tree}");
    }
}
