//! The sampler on the fixture trees and on the live machine: which tables a sample has, how
//! many rows, the warnings for missing files, and that resampling reuses every buffer.

mod common;

use std::fs;
use std::path::Path;

use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, TableKind};

const ALL_KINDS: [TableKind; 9] = [
    TableKind::UPTIME,
    TableKind::BOOT,
    TableKind::CPU,
    TableKind::STAT,
    TableKind::MEMINFO,
    TableKind::VMSTAT,
    TableKind::LOADAVG,
    TableKind::DISKSTATS,
    TableKind::NETDEV,
];

fn sample_of(root: &Path) -> (Sample, Vec<String>) {
    let mut sampler = Sampler::new(root);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    (sample, sampler.take_warnings())
}

fn kinds(sample: &Sample) -> Vec<TableKind> {
    sample.tables.iter().map(|table| table.kind).collect()
}

fn row_count(sample: &Sample, kind: TableKind) -> usize {
    sample.table(kind).map_or(0, |table| table.rows.len())
}

#[test]
fn real_capture_fills_every_table() {
    let (sample, warnings) = sample_of(&common::tree("real-debian-vm"));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(kinds(&sample), ALL_KINDS);
    let counts: Vec<usize> = ALL_KINDS
        .iter()
        .map(|&kind| row_count(&sample, kind))
        .collect();
    assert_eq!(counts, [1, 1, 3, 7, 54, 192, 1, 10, 4]);
    assert_eq!(sample.uptime_cs(), Some(35_695));
    assert_eq!(
        sample.boot_id(),
        Some("f8894bfc-1e9a-4b53-8650-b2f35a1d71b1")
    );
    assert_eq!(sample.time_us, 0, "the sampler does not set the time");
}

#[test]
fn edge_case_trees_have_the_expected_rows() {
    for (tree, cpu_rows, disk_rows) in [
        ("cpu-offline-a", 3, 10),
        ("cpu-offline-b", 2, 10),
        ("disk-appears-a", 3, 10),
        ("disk-appears-b", 3, 11),
        ("old-kernel-a", 3, 11),
        ("counter-wrap-b", 3, 10),
    ] {
        let (sample, warnings) = sample_of(&common::tree(tree));
        assert!(warnings.is_empty(), "{tree}: {warnings:?}");
        assert_eq!(kinds(&sample), ALL_KINDS, "{tree}");
        assert_eq!(row_count(&sample, TableKind::CPU), cpu_rows, "{tree}");
        assert_eq!(
            row_count(&sample, TableKind::DISKSTATS),
            disk_rows,
            "{tree}"
        );
    }
}

#[test]
fn missing_files_drop_their_tables_and_warn_once_each() {
    let root = common::tree("missing-files-a");
    let mut sampler = Sampler::new(&root);
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    for _ in 0..4 {
        sampler.sample(&mut sample);
        let kinds = kinds(&sample);
        assert!(
            !kinds.contains(&TableKind::DISKSTATS) && !kinds.contains(&TableKind::NETDEV),
            "{kinds:?}"
        );
        assert_eq!(kinds.len(), ALL_KINDS.len() - 2);
        warnings.extend(sampler.take_warnings());
    }
    let expected = [
        format!(
            "cannot read {}: No such file or directory (os error 2); disk statistics are not recorded until it can be read",
            root.join("proc/diskstats").display()
        ),
        format!(
            "cannot read {}: No such file or directory (os error 2); network interface statistics are not recorded until it can be read",
            root.join("proc/net/dev").display()
        ),
    ];
    assert_eq!(warnings, expected);
}

/// Copies fixture tree `name` into a temporary directory the test can break and repair.
fn scratch_copy(name: &str) -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    let source = common::tree(name);
    for relative in [
        "proc/uptime",
        "proc/stat",
        "proc/meminfo",
        "proc/vmstat",
        "proc/loadavg",
        "proc/diskstats",
        "proc/net/dev",
        "proc/sys/kernel/random/boot_id",
    ] {
        let dest = scratch.path().join(relative);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(source.join(relative), dest).unwrap();
    }
    scratch
}

#[test]
fn a_table_that_recovers_and_fails_again_warns_again() {
    let scratch = scratch_copy("real-debian-vm");
    let vmstat = scratch.path().join("proc/vmstat");
    let good = fs::read(&vmstat).unwrap();
    let mut sampler = Sampler::new(scratch.path());
    let mut sample = Sample::default();

    fs::write(&vmstat, b"pgpgin x\n").unwrap();
    sampler.sample(&mut sample);
    sampler.sample(&mut sample);
    assert!(sample.table(TableKind::VMSTAT).is_none());
    let warnings = sampler.take_warnings();
    assert_eq!(
        warnings,
        [format!(
            "cannot read {}: line 1: expected a number for the value, found `x`; paging and swapping statistics are not recorded until it can be read",
            vmstat.display()
        )]
    );

    fs::write(&vmstat, &good).unwrap();
    sampler.sample(&mut sample);
    assert_eq!(row_count(&sample, TableKind::VMSTAT), 192);
    assert!(sampler.take_warnings().is_empty());

    fs::remove_file(&vmstat).unwrap();
    sampler.sample(&mut sample);
    assert!(sample.table(TableKind::VMSTAT).is_none());
    assert_eq!(sampler.take_warnings().len(), 1);
    assert!(
        sampler.take_warnings().is_empty(),
        "take_warnings empties the queue"
    );
}

#[test]
fn a_bad_stat_drops_both_of_its_tables() {
    let scratch = scratch_copy("real-debian-vm");
    fs::write(scratch.path().join("proc/stat"), b"cpu 1 2\n").unwrap();
    let (sample, warnings) = sample_of(scratch.path());
    assert!(sample.table(TableKind::CPU).is_none() && sample.table(TableKind::STAT).is_none());
    assert_eq!(kinds(&sample).len(), ALL_KINDS.len() - 2);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("line 1: cpu has 2 time fields, expected at least 4; CPU and kernel statistics are not recorded"), "{warnings:?}");
}

#[test]
fn boot_id_unreadable_at_start_is_read_later() {
    let scratch = scratch_copy("real-debian-vm");
    let boot_id = scratch.path().join("proc/sys/kernel/random/boot_id");
    fs::remove_file(&boot_id).unwrap();
    let mut sampler = Sampler::new(scratch.path());
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    assert_eq!(sample.boot_id(), None);
    assert_eq!(sampler.take_warnings().len(), 1);

    fs::write(&boot_id, b"0123\n").unwrap();
    sampler.sample(&mut sample);
    assert_eq!(sample.boot_id(), Some("0123"));
    // Read once: a later change of the file (impossible on a real system) is not seen.
    fs::write(&boot_id, b"4567\n").unwrap();
    sampler.sample(&mut sample);
    assert_eq!(sample.boot_id(), Some("0123"));
}

#[test]
fn resampling_reuses_rows_strings_and_vectors() {
    let mut sampler = Sampler::new(&common::tree("real-debian-vm"));
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    let pointers = |sample: &Sample| -> Vec<(*const u8, *const u64, usize)> {
        let mut pointers = Vec::new();
        for table in &sample.tables {
            pointers.push((
                table.rows.as_ptr().cast::<u8>(),
                std::ptr::null(),
                table.rows.capacity(),
            ));
            for row in &table.rows {
                pointers.push((row.key.as_ptr(), row.values.as_ptr(), row.key.capacity()));
                pointers.extend(
                    row.text
                        .iter()
                        .map(|text| (text.as_ptr(), std::ptr::null(), text.capacity())),
                );
            }
        }
        pointers
    };
    let tables_pointer = sample.tables.as_ptr();
    let before = pointers(&sample);
    assert!(before.len() > 250, "{}", before.len());
    sampler.sample(&mut sample);
    sampler.sample(&mut sample);
    assert_eq!(sample.tables.as_ptr(), tables_pointer);
    assert_eq!(pointers(&sample), before);
}

#[test]
fn resampling_a_changed_tree_overwrites_in_place() {
    // Samples one tree, then the next capture, into the same Sample: values change, rows stay.
    let mut sample = Sample::default();
    Sampler::new(&common::tree("disk-appears-b")).sample(&mut sample);
    Sampler::new(&common::tree("real-debian-vm")).sample(&mut sample);
    assert_eq!(
        row_count(&sample, TableKind::DISKSTATS),
        10,
        "the extra sdb row is dropped"
    );
    assert!(sample
        .table(TableKind::DISKSTATS)
        .unwrap()
        .row("sdb")
        .is_none());
    assert_eq!(sample.uptime_cs(), Some(35_695));
}

#[test]
fn live_machine_fills_every_table() {
    let (sample, warnings) = sample_of(Path::new("/"));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(kinds(&sample), ALL_KINDS);
    assert!(sample.uptime_cs().unwrap() > 0);
    assert_eq!(sample.boot_id().map(str::len), Some(36));
    let cpu = sample.table(TableKind::CPU).unwrap();
    assert_eq!(cpu.rows[0].key, "cpu");
    assert!(cpu.rows.len() >= 2);
    assert!(
        sample
            .table(TableKind::MEMINFO)
            .unwrap()
            .get("MemTotal")
            .unwrap()
            > 0
    );
    assert!(sample.table(TableKind::NETDEV).unwrap().row("lo").is_some());
}
