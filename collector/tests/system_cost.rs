//! What each activity group costs on the live machine, measured rather than asserted:
//! - CPU time per sample of each group alone (the sampler reading and parsing its files,
//!   minus the uptime and boot id every sample has), and of DEFAULT and ALL;
//! - bytes per sample in a file of 60 samples taken 1 s apart (written without fsync), for
//!   each group alone (with the uptime and boot tables) and as its share of an ALL file
//!   (ALL's size minus the size without the group).
//!
//! Ignored by default (it takes about a minute); run with
//! `cargo test --release -p rstat-collector --test system_cost -- --ignored --nocapture`
//! (with `RSTAT_COST_CPU_ONLY=1`, only the CPU part, a few seconds).
//! The README's "Activities" table and `rstat collect --help` quote its output.

use std::path::Path;
use std::time::Duration;

use rstat_collector::activities::{Activities, Group};
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::FileHeader;

/// Samples per CPU measurement.
const ROUNDS: u64 = 2000;
/// Samples (1 s apart) in the files measured for size.
const FILE_SAMPLES: usize = 60;

/// This process's user + system CPU time, from /proc/self/stat (clock ticks).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// CPU ms per sample of a sampler of `activities` on the live machine.
fn cpu_ms(activities: Activities) -> f64 {
    let mut sampler = Sampler::with_activities(Path::new("/"), activities);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    let before = cpu_ticks();
    for _ in 0..ROUNDS {
        sampler.sample(&mut sample);
    }
    let ticks = cpu_ticks() - before;
    ticks as f64 * 10.0 / ROUNDS as f64
}

/// Bytes per sample of a file holding `samples` with only the tables `keep` accepts.
fn bytes_per_sample(samples: &[Sample], keep: impl Fn(TableKind) -> bool) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cost.rstat");
    let header = FileHeader::default();
    let mut writer = FileWriter::open(&path, &header, 0o644).unwrap();
    writer.set_durable(false);
    let header_len = writer.len();
    for sample in samples {
        let mut kept = sample.clone();
        kept.tables.retain(|table| keep(table.kind));
        writer.append_sample(&kept, false).unwrap();
    }
    (writer.len() - header_len) as f64 / samples.len() as f64
}

/// The table kinds a group records.
fn kinds_of(group: Group) -> Vec<TableKind> {
    let mut sample = Sample::default();
    let mut sampler = Sampler::with_activities(Path::new("/"), Activities::of(&[group]));
    sampler.sample(&mut sample);
    let mut kinds: Vec<TableKind> = sample.tables.iter().map(|t| t.kind).collect();
    kinds.retain(|&k| k != TableKind::UPTIME && k != TableKind::BOOT);
    // Groups whose hardware this host lacks record nothing; name their kinds anyway.
    kinds
}

#[test]
#[ignore = "a measurement: run explicitly with --ignored --nocapture, in release mode"]
fn cost_of_each_activity_group() {
    let base = cpu_ms(Activities::none());
    println!("CPU ms per sample ({ROUNDS} samples each), minus uptime+boot id ({base:.4} ms):");
    for group in Group::ALL {
        let ms = cpu_ms(Activities::of(&[group])) - base;
        println!("  {:8} {ms:8.4}", group.name());
    }
    for (name, set) in [
        ("core", Activities::core()),
        ("DEFAULT", Activities::default_set()),
        ("ALL", Activities::all()),
    ] {
        println!(
            "  {name:8} {:8.4} (total, uptime+boot included)",
            cpu_ms(set)
        );
    }

    if std::env::var_os("RSTAT_COST_CPU_ONLY").is_some() {
        return;
    }
    let mut sampler = Sampler::with_activities(Path::new("/"), Activities::all());
    let mut samples = Vec::new();
    for index in 0..FILE_SAMPLES {
        if index > 0 {
            std::thread::sleep(Duration::from_secs(1));
        }
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sample.time_us = index as i64 * 1_000_000;
        samples.push(sample);
    }
    let always = |k: TableKind| k == TableKind::UPTIME || k == TableKind::BOOT;
    let all = bytes_per_sample(&samples, |_| true);
    println!("bytes per sample ({FILE_SAMPLES} samples, 1 s apart): ALL {all:.1}");
    println!("  group      alone  share-of-ALL");
    for group in Group::ALL {
        let kinds = kinds_of(group);
        let alone = bytes_per_sample(&samples, |k| always(k) || kinds.contains(&k));
        let without = bytes_per_sample(&samples, |k| !kinds.contains(&k));
        println!("  {:8} {alone:8.1} {:8.1}", group.name(), all - without);
    }
    let default_kinds: Vec<TableKind> = Activities::default_set()
        .groups()
        .flat_map(kinds_of)
        .collect();
    let core_kinds: Vec<TableKind> = Activities::core().groups().flat_map(kinds_of).collect();
    let default = bytes_per_sample(&samples, |k| always(k) || default_kinds.contains(&k));
    let core = bytes_per_sample(&samples, |k| always(k) || core_kinds.contains(&k));
    println!("  core     {core:8.1}\n  DEFAULT  {default:8.1}\n  ALL      {all:8.1}");

    println!("encoding and writing (no fsync), CPU ms per sample:");
    let write_cost = |keep: &dyn Fn(TableKind) -> bool| {
        let before = cpu_ticks();
        for _ in 0..WRITE_ROUNDS {
            bytes_per_sample(&samples, keep);
        }
        (cpu_ticks() - before) as f64 * 10.0 / (WRITE_ROUNDS * FILE_SAMPLES) as f64
    };
    let netstat = |k: TableKind| k != TableKind::NETSTAT;
    println!(
        "  core     {:8.4}",
        write_cost(&|k| always(k) || core_kinds.contains(&k))
    );
    println!(
        "  DEFAULT  {:8.4}",
        write_cost(&|k| always(k) || default_kinds.contains(&k))
    );
    println!("  ALL      {:8.4}", write_cost(&|_| true));
    println!("  ALL but netstat {:8.4}", write_cost(&netstat));
}

/// How many times the 60-sample files are written to time the encoding.
const WRITE_ROUNDS: usize = 20;
