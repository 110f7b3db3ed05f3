//! The collector at scale: synthetic roots of 1,024 CPUs, 10,000 processes, 2,000 network
//! interfaces and 5,000 block devices (see `common::scale_root`) are sampled completely, and
//! a sample's CPU time, the file's bytes per sample and the time to read the file back grow
//! linearly: the full scale may cost at most 3 times the linear share of an eighth of it
//! (8 times the counts; a quadratic step would cost 64 times). CPU time, not wall time, and
//! the least of 3 tries, so that a loaded machine does not fail it.
//!
//! `write_scale_root` (ignored) writes a tree for `bench/scale.sh`:
//! `RSTAT_SCALE_ROOT=DIR [RSTAT_SCALE_ROUND=N] cargo test -p rstat-collector --test scale -- --ignored write_scale_root`.

mod common;

use std::path::Path;
use std::time::Duration;

use common::scale_root::{write_root, write_system, Scale};
use common::thread_cpu;
use rstat_collector::activities::Activities;
use rstat_collector::process::ProcessOptions;
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::FileHeader;

/// How much smaller the small tree is.
const FACTOR: usize = 8;
/// Allowed cost of the full tree over `FACTOR` times the small one's (quadratic: `FACTOR`).
const SLACK: f64 = 3.0;
/// Samples written to the file whose size and read time are measured.
const FILE_SAMPLES: u64 = 4;

/// The least CPU time of `tries` runs of `work`.
fn least_cpu(tries: usize, mut work: impl FnMut()) -> Duration {
    (0..tries)
        .map(|_| {
            let before = thread_cpu();
            work();
            thread_cpu() - before
        })
        .min()
        .expect("at least one try")
}

/// What one scale costs.
struct Cost {
    sample_cpu: Duration,
    bytes_per_sample: f64,
    read_cpu: Duration,
}

fn rows(sample: &Sample, kind: TableKind) -> usize {
    sample.table(kind).map_or(0, |table| table.rows.len())
}

/// Samples a tree of `scale` (every activity, processes and cgroups), checks that every CPU,
/// interface, disk and process is in the sample, writes `FILE_SAMPLES` samples to a file and
/// reads it back.
fn measure(scale: Scale) -> Cost {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("root");
    write_root(&root, scale, 0).expect("write the tree");
    let mut sampler = Sampler::with_activities(&root, Activities::all());
    sampler.enable_processes(&root, ProcessOptions::default());
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    write_root(&root, scale, 1).expect("rewrite the counters");
    let sample_cpu = least_cpu(3, || sampler.sample(&mut sample));
    let warnings = sampler.take_warnings();
    assert!(warnings.is_empty(), "{scale:?}: warnings {warnings:?}");

    assert_eq!(
        rows(&sample, TableKind::CPU),
        scale.cpus + 1,
        "{scale:?}: cpu rows (all + each)"
    );
    assert_eq!(
        rows(&sample, TableKind::NETDEV),
        scale.interfaces + 1,
        "{scale:?}: interfaces + lo"
    );
    assert_eq!(
        rows(&sample, TableKind::DISKSTATS),
        scale.disks,
        "{scale:?}: disks"
    );
    assert_eq!(
        rows(&sample, TableKind::PROCESSES),
        scale.processes,
        "{scale:?}: processes"
    );
    assert_eq!(
        rows(&sample, TableKind::SOFTNET),
        scale.cpus,
        "{scale:?}: softnet rows"
    );

    let path = dir.path().join("scale.rstat");
    let mut writer = FileWriter::open(&path, &FileHeader::default(), 0o640).expect("open the file");
    writer.set_durable(false);
    let header_len = writer.len();
    for round in 2..2 + FILE_SAMPLES {
        write_system(&root, scale, round).expect("rewrite the system counters");
        sampler.sample(&mut sample);
        sample.time_us = round as i64 * 1_000_000;
        writer.append_sample(&sample, false).expect("append");
    }
    let bytes_per_sample = (writer.len() - header_len) as f64 / FILE_SAMPLES as f64;
    drop(writer);
    let read_cpu = least_cpu(3, || {
        let mut reader = FileReader::open(&path).expect("open for reading");
        let mut prev: Option<Sample> = None;
        let mut samples = 0;
        while let Some(item) = reader.next_item().expect("read an item") {
            let Item::Record {
                record: Record::Sample { sample, .. },
                ..
            } = item
            else {
                panic!("{scale:?}: not a sample: {item:?}");
            };
            samples += 1;
            if let Some(prev) = &prev {
                derive_every_device(scale, prev, &sample);
            }
            if let Some(old) = prev.replace(sample) {
                reader.recycle(old);
            }
        }
        assert_eq!(samples, FILE_SAMPLES, "{scale:?}: samples read back");
    });
    Cost {
        sample_cpu,
        bytes_per_sample,
        read_cpu,
    }
}

/// What every reader does with an interval: the per-device rates of data-format's
/// derivation, each device matched with its row of the previous sample.
fn derive_every_device(scale: Scale, prev: &Sample, cur: &Sample) {
    let interval = Interval::new(prev, cur).expect("an interval");
    assert_eq!(
        interval.cpus().len(),
        scale.cpus + 1,
        "{scale:?}: derived cpus"
    );
    assert_eq!(
        interval.disks().len(),
        scale.disks,
        "{scale:?}: derived disks"
    );
    assert_eq!(
        interval.interfaces().len(),
        scale.interfaces + 1,
        "{scale:?}: derived interfaces"
    );
    assert_eq!(
        interval.processes().len(),
        scale.processes,
        "{scale:?}: derived processes"
    );
    assert_eq!(
        interval.softnet().len(),
        scale.cpus + 1,
        "{scale:?}: derived softnet"
    );
    assert!(!interval.interrupts().is_empty() && !interval.softirqs().is_empty());
}

/// `full` is at most `SLACK` times `FACTOR` times `small` (`what` names it in the failure).
fn assert_linear(what: &str, small: f64, full: f64) {
    let ratio = full / small;
    println!("{what}: 1/{FACTOR} scale {small:.3}, full scale {full:.3}: {ratio:.1}x for {FACTOR}x the counts");
    assert!(
        ratio <= SLACK * FACTOR as f64,
        "{what} grows faster than linearly: {ratio:.1}x for {FACTOR}x the counts ({small:.3} -> {full:.3})"
    );
}

#[test]
fn a_huge_machine_is_sampled_completely_and_in_linear_time_and_space() {
    let small = measure(Scale::ISSUE.divided(FACTOR));
    let full = measure(Scale::ISSUE);
    assert_linear(
        "sample CPU ms",
        small.sample_cpu.as_secs_f64() * 1e3,
        full.sample_cpu.as_secs_f64() * 1e3,
    );
    assert_linear(
        "file bytes/sample",
        small.bytes_per_sample,
        full.bytes_per_sample,
    );
    assert_linear(
        "read CPU ms",
        small.read_cpu.as_secs_f64() * 1e3,
        full.read_cpu.as_secs_f64() * 1e3,
    );
}

#[test]
#[ignore = "a helper for bench/scale.sh: writes RSTAT_SCALE_ROOT"]
fn write_scale_root() {
    let root = std::env::var_os("RSTAT_SCALE_ROOT").expect("set RSTAT_SCALE_ROOT=DIR");
    let round = std::env::var("RSTAT_SCALE_ROUND")
        .map_or(0, |n| n.parse().expect("RSTAT_SCALE_ROUND: a number"));
    let processes = std::env::var("RSTAT_SCALE_PROCESSES").map_or(Scale::ISSUE.processes, |n| {
        n.parse().expect("RSTAT_SCALE_PROCESSES: a number")
    });
    write_root(
        Path::new(&root),
        Scale {
            processes,
            ..Scale::ISSUE
        },
        round,
    )
    .expect("write the tree");
}
