//! The system sampler on the fixture trees and on the live machine: which tables each
//! activity gives, the sysfs walkers (hand-made hardware), filesystems mounted twice or with
//! escaped names, pressure that is absent or disabled (one notice), missing hardware
//! (silent), failing files (one warning), sources that appear later, `--activities` subsets.

mod common;

use std::fs;
use std::path::Path;

use rstat_collector::activities::{Activities, Group};
use rstat_collector::sampler::Sampler;
use rstat_collector::system_sampler::RETRY_ABSENT_EVERY;
use rstat_data_format::schema::{Sample, TableKind};

fn sample_of(root: &Path, activities: Activities) -> (Sample, Vec<String>) {
    let mut sampler = Sampler::with_activities(root, activities);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    (sample, sampler.take_warnings())
}

fn kinds(sample: &Sample) -> Vec<u16> {
    sample.tables.iter().map(|table| table.kind.0).collect()
}

fn row_keys(sample: &Sample, kind: TableKind) -> Vec<String> {
    sample
        .table(kind)
        .map(|t| t.rows.iter().map(|r| r.key.clone()).collect())
        .unwrap_or_default()
}

/// A copy of fixture tree `name` the test can break and repair.
fn scratch_copy(name: &str) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    copy_dir(&common::tree(name), scratch.path());
    scratch
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn real_capture_fills_every_system_table_it_has() {
    let (sample, warnings) = sample_of(&common::tree("system-real-a"), Activities::all());
    assert_eq!(warnings, Vec::<String>::new());
    // Core 1-9, then every system kind this VM has: no fibre channel (25), cpufreq in sysfs
    // (27), hwmon (28), battery (29) or USB (30). NFS (17, 18) is not there either, but it is
    // recorded empty (zeros in every reader, as sar prints them).
    assert_eq!(
        kinds(&sample),
        [
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            26, 31, 32
        ]
    );
    assert_eq!(
        row_keys(&sample, TableKind::KTABLES),
        ["dentry-state", "file-nr", "inode-state", "pty-nr"]
    );
    assert_eq!(
        row_keys(&sample, TableKind::CPUFREQ),
        ["cpu0", "cpu1"],
        "from /proc/cpuinfo"
    );
    assert_eq!(
        row_keys(&sample, TableKind::NETIF),
        ["eth0"],
        "lo and ifb have no speed file"
    );
    let fs = sample.table(TableKind::FILESYSTEMS).unwrap();
    assert_eq!(
        row_keys(&sample, TableKind::FILESYSTEMS),
        ["/dev/vda"],
        "/ exists under the root"
    );
    assert_eq!(fs.rows[0].text, ["/", "ext4"]);
}

#[test]
fn hand_made_hardware_is_walked_in_natural_order() {
    let (sample, warnings) = sample_of(&common::tree("system-hardware-a"), Activities::all());
    assert_eq!(warnings, Vec::<String>::new());
    let fc = sample.table(TableKind::FCHOST).unwrap();
    assert_eq!(fc.rows[0].key, "host0");
    assert_eq!(fc.rows[0].values, [0x72400, 0x51000, 0x3000000, 0x2000000]);
    let freq = sample.table(TableKind::CPUFREQ).unwrap();
    assert_eq!(freq.get("cpu0"), Some(2_400_000), "from sysfs, not cpuinfo");
    assert_eq!(freq.get("cpu1"), Some(1_800_000));
    assert_eq!(
        sample
            .table(TableKind::TIME_IN_STATE)
            .unwrap()
            .row("cpu0")
            .unwrap()
            .values,
        [3_600_000, 1200, 2_400_000, 5000, 1_200_000, 80_000]
    );
    assert_eq!(
        row_keys(&sample, TableKind::HWMON),
        [
            "hwmon0/temp1",
            "hwmon0/temp2",
            "hwmon1/fan1",
            "hwmon1/in0",
            "hwmon1/temp7",
            "hwmon10/temp1"
        ]
    );
    let hwmon = sample.table(TableKind::HWMON).unwrap();
    assert_eq!(
        hwmon.rows[0].text,
        ["coretemp", "Package id 0", "coretemp-isa-0000"]
    );
    assert_eq!(hwmon.rows[2].text, ["nct6775", "", "nct6775-isa-0290"]);
    assert_eq!(
        hwmon.rows[5].text,
        ["acpitz", "", "acpitz-virtual-0"],
        "no device link: libsensors calls it virtual"
    );
    assert_eq!(hwmon.rows[0].values, [45_000, 0, 100_000]);
    assert_eq!(hwmon.rows[2].values, [1200, 300, 0]);
    assert_eq!(hwmon.rows[4].values[0] as i64, -5000);
    let battery = sample.table(TableKind::BATTERY).unwrap();
    assert_eq!(
        row_keys(&sample, TableKind::BATTERY),
        ["BAT0"],
        "AC is not a battery"
    );
    assert_eq!(
        (battery.rows[0].text[0].as_str(), battery.rows[0].values[0]),
        ("Discharging", 87)
    );
    let usb = sample.table(TableKind::USB).unwrap();
    assert_eq!(
        row_keys(&sample, TableKind::USB),
        ["1-1", "2-1.4"],
        "no root hub, no interface"
    );
    assert_eq!(usb.rows[0].values, [1, 0x046d, 0xc52b, 98]);
    assert_eq!(usb.rows[1].text, ["", "USB 10/100/1000 LAN"]);
    let netif = sample.table(TableKind::NETIF).unwrap();
    assert_eq!(row_keys(&sample, TableKind::NETIF), ["eth0", "eth1"]);
    assert_eq!(netif.rows[0].values, [1000, 2]);
    assert_eq!(netif.rows[1].values, [100, 1]);
    assert_eq!(row_keys(&sample, TableKind::SERIAL), ["0", "1"]);
    assert_eq!(row_keys(&sample, TableKind::NFSD)[0], "rc");
}

#[test]
fn filesystems_once_per_device_pseudo_and_missing_ones_skipped() {
    let root = common::tree("system-fs");
    let (sample, warnings) = sample_of(&root, Activities::of(&[Group::Fs]));
    assert_eq!(warnings, Vec::<String>::new());
    let fs = sample.table(TableKind::FILESYSTEMS).unwrap();
    let long = format!(
        "/dev/mapper/{}lv",
        "vg--with--a--very--long--name-".repeat(8)
    );
    assert_eq!(
        row_keys(&sample, TableKind::FILESYSTEMS),
        ["/dev/sda1", "/dev/sdb1", long.as_str(), "pool/home"]
    );
    assert_eq!(
        fs.rows[0].text,
        ["/", "ext4"],
        "the first of the two mounts of /dev/sda1"
    );
    assert_eq!(fs.rows[1].text, ["/mnt/my disk", "xfs"]);
    assert_eq!(
        fs.rows[3].text,
        ["/home", "zfs"],
        "a listed block type with a non-path device"
    );
    // Space and inodes are statvfs of the mount point under the root.
    let stat = nix::sys::statvfs::statvfs(&root.join("mnt/my disk")).unwrap();
    #[allow(clippy::unnecessary_cast)]
    let blocks = stat.blocks() as u64 * stat.fragment_size() as u64;
    assert_eq!(fs.rows[1].values[0], blocks);
    #[allow(clippy::unnecessary_cast)]
    let files = stat.files() as u64;
    assert_eq!(fs.rows[1].values[3], files);
    assert_eq!(fs.rows[1].values.len(), 5);
}

#[test]
fn absent_or_disabled_pressure_gives_one_notice_and_no_table() {
    for tree in ["system-psi-empty", "system-psi-absent"] {
        let mut sampler = Sampler::with_activities(&common::tree(tree), Activities::all());
        let mut sample = Sample::default();
        let mut warnings = Vec::new();
        for _ in 0..3 {
            sampler.sample(&mut sample);
            warnings.extend(sampler.take_warnings());
            // Collected, not there: an empty table, which readers show as zeros (sar).
            for kind in [TableKind::PSI_CPU, TableKind::PSI_IO, TableKind::PSI_MEMORY] {
                assert!(
                    sample.table(kind).is_some_and(|t| t.rows.is_empty()),
                    "{tree}"
                );
            }
            assert!(
                sample.table(TableKind::INTERRUPTS).is_some(),
                "{tree}: the rest is recorded"
            );
        }
        assert_eq!(warnings.len(), 1, "{tree}: {warnings:?}");
        assert!(warnings[0].starts_with("note: "), "{warnings:?}");
        assert!(
            warnings[0].contains("pressure stall is recorded as zeros"),
            "{warnings:?}"
        );
    }
}

#[test]
fn a_missing_file_warns_once_and_recovers() {
    let scratch = scratch_copy("system-real-a");
    let interrupts = scratch.path().join("proc/interrupts");
    let saved = fs::read(&interrupts).unwrap();
    fs::remove_file(&interrupts).unwrap();
    let mut sampler = Sampler::with_activities(scratch.path(), Activities::of(&[Group::Intr]));
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    sampler.sample(&mut sample);
    let warnings = sampler.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0],
        format!(
            "cannot read {}: No such file or directory (os error 2); per-IRQ interrupts are not recorded until it can be read",
            interrupts.display()
        )
    );
    assert_eq!(kinds(&sample), [1, 2, 11]);
    fs::write(&interrupts, &saved).unwrap();
    sampler.sample(&mut sample);
    assert_eq!(kinds(&sample), [1, 2, 10, 11]);
    fs::write(&interrupts, b"CPU0\nNMI: x\n").unwrap();
    sampler.sample(&mut sample);
    let warnings = sampler.take_warnings();
    assert_eq!(warnings.len(), 1, "warns again after recovering");
    assert!(
        warnings[0].contains("line 2: NMI: expected a count, found `x`"),
        "{warnings:?}"
    );
    assert!(sample.table(TableKind::INTERRUPTS).is_none());
}

#[test]
fn a_source_that_appears_later_is_found_within_the_retry_period() {
    let scratch = scratch_copy("system-real-a");
    let mut sampler =
        Sampler::with_activities(scratch.path(), Activities::of(&[Group::Nfs, Group::Power]));
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    // NFS collected but absent: an empty table (zeros, as sar); no battery: no table.
    let nfs_rows = |sample: &Sample| sample.table(TableKind::NFS).map(|t| t.rows.len());
    assert_eq!(nfs_rows(&sample), Some(0));
    assert!(sample.table(TableKind::BATTERY).is_none());
    let nfs = common::tree("system-hardware-a").join("proc/net/rpc/nfs");
    fs::create_dir_all(scratch.path().join("proc/net/rpc")).unwrap();
    fs::copy(&nfs, scratch.path().join("proc/net/rpc/nfs")).unwrap();
    copy_dir(
        &common::tree("system-hardware-a").join("sys/class/power_supply"),
        &scratch.path().join("sys/class/power_supply"),
    );
    let mut found_after = None;
    for taken in 1..=RETRY_ABSENT_EVERY + 1 {
        sampler.sample(&mut sample);
        if nfs_rows(&sample) > Some(0) && sample.table(TableKind::BATTERY).is_some() {
            found_after = Some(taken);
            break;
        }
    }
    let found_after = found_after.expect("found within the retry period");
    assert!(found_after > 1, "not looked for at every sample");
    assert_eq!(
        sampler.take_warnings(),
        Vec::<String>::new(),
        "absent hardware is silent"
    );
}

#[test]
fn activities_select_tables() {
    let root = common::tree("system-hardware-a");
    let (sample, _) = sample_of(&root, Activities::of(&[Group::Intr, Group::Psi]));
    assert_eq!(kinds(&sample), [1, 2, 10, 11, 13, 14, 15]);
    let (sample, _) = sample_of(&root, Activities::none());
    assert_eq!(
        kinds(&sample),
        [1, 2],
        "uptime and boot id are always recorded"
    );
    let (sample, _) = sample_of(&root, Activities::of(&[Group::Net]));
    assert_eq!(kinds(&sample), [1, 2, 9, 32]);
    let (sample, _) = sample_of(&root, Activities::default_set());
    assert!(
        sample.table(TableKind::HWMON).is_none(),
        "power is not in the default set"
    );
    assert!(sample.table(TableKind::SNMP).is_some());
}

#[test]
fn live_machine_gives_system_tables_without_warnings() {
    let (sample, warnings) = sample_of(Path::new("/"), Activities::all());
    // Reading /proc/tty/driver/serial needs root: a warning for others is expected.
    let warnings: Vec<&String> = warnings
        .iter()
        .filter(|w| !w.contains("tty/driver/serial"))
        .collect();
    assert!(
        warnings.iter().all(|w| w.starts_with("note: ")),
        "{warnings:?}"
    );
    for kind in [
        TableKind::INTERRUPTS,
        TableKind::SOFTIRQS,
        TableKind::KTABLES,
        TableKind::SOCKSTAT,
        TableKind::SNMP,
        TableKind::NETSTAT,
        TableKind::SOFTNET,
    ] {
        assert!(
            sample.table(kind).is_some_and(|t| !t.rows.is_empty()),
            "{}",
            kind.name()
        );
    }
    let cpus = &sample.table(TableKind::INTERRUPTS).unwrap().rows[0];
    assert_eq!(cpus.key, "cpus");
    assert!(!cpus.values.is_empty());
}
