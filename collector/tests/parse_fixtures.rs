//! Parser values on the fixture trees: the real capture, field by field, and what each
//! hand-made edge case changes.

mod common;

use common::{keys, read, table, values, COMPLETE_TREES};
use rstat_collector::proc::{boot_id, diskstats, loadavg, meminfo, net_dev, stat, uptime, vmstat};
use rstat_data_format::schema::{cpu_col, disk_col, loadavg_col, net_col, Table, TableKind};

fn parse_stat(tree: &str) -> (Table, Table) {
    let (mut cpu, mut kernel) = (table(TableKind::CPU), table(TableKind::STAT));
    stat::parse(&read(tree, "proc/stat"), &mut cpu, &mut kernel).unwrap();
    (cpu, kernel)
}

fn parse_one(tree: &str, file: &str, kind: TableKind, parse: common::Parse) -> Table {
    let mut filled = table(kind);
    parse(&read(tree, file), &mut filled).unwrap_or_else(|error| panic!("{tree}/{file}: {error}"));
    filled
}

#[test]
fn real_uptime_and_boot_id() {
    let up = parse_one(
        "real-debian-vm",
        "proc/uptime",
        TableKind::UPTIME,
        uptime::parse,
    );
    assert_eq!(keys(&up), ["uptime"]);
    assert_eq!(values(&up, "uptime"), [35_695, 67_659]);
    let later = parse_one(
        "real-debian-vm-later",
        "proc/uptime",
        TableKind::UPTIME,
        uptime::parse,
    );
    assert_eq!(values(&later, "uptime"), [35_901, 68_046]);

    let boot = parse_one(
        "real-debian-vm",
        "proc/sys/kernel/random/boot_id",
        TableKind::BOOT,
        boot_id::parse,
    );
    assert_eq!(boot.rows.len(), 1);
    assert_eq!(boot.rows[0].key, "boot");
    assert_eq!(boot.rows[0].text, ["f8894bfc-1e9a-4b53-8650-b2f35a1d71b1"]);
    assert!(boot.rows[0].values.is_empty());
}

#[test]
fn real_stat() {
    let (cpu, kernel) = parse_stat("real-debian-vm");
    assert_eq!(keys(&cpu), ["cpu", "cpu0", "cpu1"]);
    assert_eq!(
        values(&cpu, "cpu"),
        [1905, 0, 1141, 67659, 236, 0, 160, 161, 0, 0]
    );
    assert_eq!(
        values(&cpu, "cpu0"),
        [570, 0, 417, 34519, 23, 0, 50, 50, 0, 0]
    );
    assert_eq!(
        values(&cpu, "cpu1"),
        [1335, 0, 723, 33140, 212, 0, 109, 111, 0, 0]
    );
    assert_eq!(cpu.rows[2].value(cpu_col::STEAL), Some(111));

    // File order: intr comes first in the file, softirq last.
    assert_eq!(
        keys(&kernel),
        [
            "intr",
            "ctxt",
            "btime",
            "processes",
            "procs_running",
            "procs_blocked",
            "softirq"
        ]
    );
    assert_eq!(kernel.get("intr"), Some(102_630));
    assert_eq!(kernel.get("ctxt"), Some(169_346));
    assert_eq!(kernel.get("btime"), Some(1_795_462_474));
    assert_eq!(kernel.get("processes"), Some(2698));
    assert_eq!(kernel.get("procs_running"), Some(1));
    assert_eq!(kernel.get("procs_blocked"), Some(0));
    assert_eq!(kernel.get("softirq"), Some(63_629));
    assert!(kernel.rows.iter().all(|row| row.values.len() == 1));
}

#[test]
fn real_meminfo_and_vmstat() {
    let mem = parse_one(
        "real-debian-vm",
        "proc/meminfo",
        TableKind::MEMINFO,
        meminfo::parse,
    );
    assert_eq!(mem.rows.len(), 54);
    assert_eq!(&keys(&mem)[..3], ["MemTotal", "MemFree", "MemAvailable"]);
    assert_eq!(mem.get("MemTotal"), Some(24_683_656));
    assert_eq!(mem.get("MemFree"), Some(24_313_588));
    assert_eq!(mem.get("MemAvailable"), Some(24_372_700));
    assert_eq!(mem.get("Active(anon)"), Some(1520));
    assert_eq!(mem.get("HugePages_Total"), Some(0));
    assert_eq!(mem.get("Hugepagesize"), Some(2048));
    assert_eq!(mem.get("DirectMap1G"), Some(25_165_824));

    let vm = parse_one(
        "real-debian-vm",
        "proc/vmstat",
        TableKind::VMSTAT,
        vmstat::parse,
    );
    assert_eq!(vm.rows.len(), 192);
    assert_eq!(&keys(&vm)[..2], ["nr_free_pages", "nr_free_pages_blocks"]);
    assert_eq!(vm.get("nr_free_pages"), Some(880_752));
    assert_eq!(vm.get("pgpgin"), Some(891_597));
    assert_eq!(vm.get("pgfault"), Some(643_365));
    assert_eq!(
        vm.rows
            .last()
            .map(|row| (row.key.as_str(), row.values.as_slice())),
        Some(("nr_unstable", &[0][..]))
    );
}

#[test]
fn real_loadavg() {
    let load = parse_one(
        "real-debian-vm",
        "proc/loadavg",
        TableKind::LOADAVG,
        loadavg::parse,
    );
    assert_eq!(keys(&load), ["loadavg"]);
    assert_eq!(values(&load, "loadavg"), [3, 5, 1, 1, 81, 2700]);
    assert_eq!(load.rows[0].value(loadavg_col::TASKS), Some(81));
}

#[test]
fn real_diskstats() {
    let disks = parse_one(
        "real-debian-vm",
        "proc/diskstats",
        TableKind::DISKSTATS,
        diskstats::parse,
    );
    let expected_keys = [
        "loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop7", "vda", "zram0",
    ];
    assert_eq!(keys(&disks), expected_keys);
    assert_eq!(
        values(&disks, "vda"),
        [
            254, 0, 26941, 5773, 1783194, 7731, 1532, 5160, 464768, 1808, 0, 6660, 10427, 3097, 83,
            222536, 810, 129, 76
        ]
    );
    assert_eq!(values(&disks, "loop3")[..2], [7, 3]);
    assert!(disks.rows.iter().all(|row| row.values.len() == 19));
    let vda = disks.row("vda").unwrap();
    assert_eq!(vda.value(disk_col::SECTORS_WRITTEN), Some(464_768));
    assert_eq!(vda.value(disk_col::FLUSH_MS), Some(76));
}

#[test]
fn real_net_dev() {
    let net = parse_one(
        "real-debian-vm",
        "proc/net/dev",
        TableKind::NETDEV,
        net_dev::parse,
    );
    assert_eq!(keys(&net), ["lo", "ifb0", "ifb1", "eth0"]);
    assert_eq!(
        values(&net, "lo"),
        [6021265, 359, 0, 0, 0, 0, 0, 0, 6021265, 359, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        values(&net, "eth0"),
        [20152742, 846, 0, 0, 0, 0, 0, 0, 72951, 661, 0, 0, 0, 0, 0, 0]
    );
    assert!(net
        .rows
        .iter()
        .all(|row| row.values.len() == net_col::COUNT));
}

#[test]
fn later_capture_saw_disk_and_network_activity() {
    let disks = |tree| {
        parse_one(
            tree,
            "proc/diskstats",
            TableKind::DISKSTATS,
            diskstats::parse,
        )
    };
    let (early, late) = (disks("real-debian-vm"), disks("real-debian-vm-later"));
    let written = |table: &Table| {
        table
            .row("vda")
            .unwrap()
            .value(disk_col::SECTORS_WRITTEN)
            .unwrap()
    };
    // 50 MiB of direct writes is 102400 sectors.
    assert!(
        written(&late) - written(&early) >= 102_400,
        "{} -> {}",
        written(&early),
        written(&late)
    );

    let nets = |tree| parse_one(tree, "proc/net/dev", TableKind::NETDEV, net_dev::parse);
    let received = |table: &Table| table.row("lo").unwrap().value(net_col::RX_BYTES).unwrap();
    let (early, late) = (nets("real-debian-vm"), nets("real-debian-vm-later"));
    assert!(received(&late) - received(&early) >= 3 * 2_000_000);
}

#[test]
fn cpu_offline_drops_the_row() {
    let (a, _) = parse_stat("cpu-offline-a");
    let (b, _) = parse_stat("cpu-offline-b");
    assert_eq!(keys(&a), ["cpu", "cpu0", "cpu1"]);
    assert_eq!(keys(&b), ["cpu", "cpu0"]);
}

#[test]
fn disk_appears_adds_a_row() {
    let b = parse_one(
        "disk-appears-b",
        "proc/diskstats",
        TableKind::DISKSTATS,
        diskstats::parse,
    );
    assert_eq!(b.rows.len(), 11);
    assert_eq!(b.rows.last().map(|row| row.key.as_str()), Some("sdb"));
    assert_eq!(
        values(&b, "sdb"),
        [8, 16, 120, 0, 4800, 30, 10, 0, 80, 5, 0, 40, 35, 0, 0, 0, 0, 0, 0]
    );
    let a = parse_one(
        "disk-appears-a",
        "proc/diskstats",
        TableKind::DISKSTATS,
        diskstats::parse,
    );
    assert!(a.row("sdb").is_none());
}

#[test]
fn counter_backwards_is_recorded_as_read() {
    let (a, _) = parse_stat("counter-backwards-a");
    let (b, _) = parse_stat("counter-backwards-b");
    let iowait = |table: &Table| table.row("cpu0").unwrap().value(cpu_col::IOWAIT).unwrap();
    assert_eq!((iowait(&a), iowait(&b)), (23, 18));
}

#[test]
fn counter_wrap_reads_a_number_touching_the_colon() {
    let net = |tree| parse_one(tree, "proc/net/dev", TableKind::NETDEV, net_dev::parse);
    let (a, b) = (net("counter-wrap-a"), net("counter-wrap-b"));
    assert_eq!(keys(&a), ["lo", "ifb0", "ifb1", "eth0"]);
    assert_eq!(values(&a, "eth0")[..2], [4_294_967_000, 846]);
    assert_eq!(values(&b, "eth0")[..2], [200, 846]);
}

#[test]
fn disk_reregistered_goes_down_everywhere() {
    let disks = |tree| {
        parse_one(
            tree,
            "proc/diskstats",
            TableKind::DISKSTATS,
            diskstats::parse,
        )
    };
    let (a, b) = (disks("disk-reregistered-a"), disks("disk-reregistered-b"));
    let (before, after) = (values(&a, "vda"), values(&b, "vda"));
    for column in disk_col::READS..before.len() {
        if before[column] > 0 {
            assert!(
                after[column] < before[column],
                "column {column}: {} -> {}",
                before[column],
                after[column]
            );
        }
    }
}

#[test]
fn old_kernel_layouts() {
    let disks = parse_one(
        "old-kernel-a",
        "proc/diskstats",
        TableKind::DISKSTATS,
        diskstats::parse,
    );
    assert_eq!(disks.rows.len(), 11);
    assert_eq!(values(&disks, "vda").len(), 13);
    assert_eq!(
        values(&disks, "vda1"),
        [254, 1, 26000, 1700000, 1400, 360000]
    );
    assert_eq!(values(&disks, "vda1").len(), disk_col::OLD_PARTITION_LEN);

    let (cpu, kernel) = parse_stat("old-kernel-a");
    assert_eq!(
        values(&cpu, "cpu"),
        [1905, 0, 1141, 67659, 236, 0, 160, 161]
    );
    assert!(cpu.rows.iter().all(|row| row.values.len() == 8));
    assert_eq!(kernel.get("ctxt"), Some(169_346));

    let mem = parse_one(
        "old-kernel-a",
        "proc/meminfo",
        TableKind::MEMINFO,
        meminfo::parse,
    );
    assert_eq!(mem.rows.len(), 53);
    assert_eq!(mem.get("MemAvailable"), None);
    assert_eq!(mem.get("MemFree"), Some(24_313_588));
}

#[test]
fn every_complete_tree_parses() {
    for tree in COMPLETE_TREES {
        let (cpu, _) = parse_stat(tree);
        assert!(cpu.rows.len() >= 2, "{tree}");
        for (file, kind, parse) in [
            (
                "proc/uptime",
                TableKind::UPTIME,
                uptime::parse as fn(&[u8], &mut Table) -> _,
            ),
            (
                "proc/sys/kernel/random/boot_id",
                TableKind::BOOT,
                boot_id::parse,
            ),
            ("proc/meminfo", TableKind::MEMINFO, meminfo::parse),
            ("proc/vmstat", TableKind::VMSTAT, vmstat::parse),
            ("proc/loadavg", TableKind::LOADAVG, loadavg::parse),
            ("proc/diskstats", TableKind::DISKSTATS, diskstats::parse),
            ("proc/net/dev", TableKind::NETDEV, net_dev::parse),
        ] {
            assert!(
                !parse_one(tree, file, kind, parse).rows.is_empty(),
                "{tree}/{file}"
            );
        }
    }
}
