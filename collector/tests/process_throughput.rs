//! Cost of process and cgroup sampling on the live machine, measured rather than asserted.
//! Ignored by default; run with
//! `cargo test --release -p rstat-collector --test process_throughput -- --ignored --nocapture`
//! (start extra processes first, e.g. `for i in $(seq 1000); do sleep 600 & done`;
//! `RSTAT_PROCESS_COST=processes\ only` runs one measurement, e.g. under a profiler).

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use common::thread_cpu;
use rstat_collector::process::{ProcessOptions, ProcessSampler};
use rstat_data_format::schema::{Sample, TableKind};

fn measure(label: &str, options: ProcessOptions, rounds: u32) {
    // RSTAT_PROCESS_COST=LABEL_PREFIX runs only the matching measurements (for profiling).
    if let Ok(only) = std::env::var("RSTAT_PROCESS_COST") {
        if !label.starts_with(&only) {
            return;
        }
    }
    let mut sampler = ProcessSampler::new(Path::new("/"), options);
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    let (cpu0, wall0) = (thread_cpu(), Instant::now());
    sampler.fill(&mut sample, &mut warnings);
    let first = (thread_cpu() - cpu0, wall0.elapsed());
    let (cpu0, wall0) = (thread_cpu(), Instant::now());
    for _ in 0..rounds {
        sampler.fill(black_box(&mut sample), &mut warnings);
    }
    let cpu = (thread_cpu() - cpu0) / rounds;
    let wall = wall0.elapsed() / rounds;
    let rows = |kind| sample.table(kind).map_or(0, |t| t.rows.len());
    println!(
        "{label:<28} processes {:>5} threads {:>5} cgroups {:>4}: first sample {:>8.2?} CPU; then {:>8.2?} CPU, {:>8.2?} wall per sample",
        rows(TableKind::PROCESSES),
        rows(TableKind::THREADS),
        rows(TableKind::CGROUPS),
        first.0,
        cpu,
        wall
    );
    for warning in warnings {
        println!("  warning: {warning}");
    }
}

#[test]
#[ignore = "a measurement: run explicitly with --ignored --nocapture, in release mode"]
fn process_sampling_cost() {
    let all = ProcessOptions::default();
    measure("processes + cgroups", all, 50);
    measure(
        "processes only",
        ProcessOptions {
            cgroups: false,
            ..all
        },
        200,
    );
    measure(
        "cgroups only",
        ProcessOptions {
            processes: false,
            ..all
        },
        50,
    );
    measure(
        "processes + threads",
        ProcessOptions {
            threads: true,
            cgroups: false,
            ..all
        },
        20,
    );
}

/// Where the time of a process sample goes, per process, measured without a profiler: each
/// /proc/PID file read through a kept descriptor (`pread` from 0, as the sampler does) and
/// opened, read and closed each time, and the listing of /proc.
#[test]
#[ignore = "a measurement: run explicitly with --ignored --nocapture, in release mode"]
fn per_file_cost() {
    use std::io::Read;
    use std::os::unix::fs::FileExt;
    if std::env::var("RSTAT_PROCESS_COST").is_ok() {
        return;
    }
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    let rounds = 20;
    let per_process = |cpu: Duration| cpu / (rounds * pids.len() as u32);
    let mut buf = vec![0u8; 65536];
    println!("{} processes, CPU per process and sample:", pids.len());
    for name in ["stat", "status", "io", "schedstat", "cmdline", "cgroup"] {
        let files: Vec<std::fs::File> = pids
            .iter()
            .filter_map(|pid| std::fs::File::open(format!("/proc/{pid}/{name}")).ok())
            .collect();
        let start = thread_cpu();
        for _ in 0..rounds {
            for file in &files {
                let _ = file.read_at(&mut buf, 0);
            }
        }
        let kept = per_process(thread_cpu() - start);
        let paths: Vec<String> = pids
            .iter()
            .map(|pid| format!("/proc/{pid}/{name}"))
            .collect();
        let start = thread_cpu();
        for _ in 0..rounds {
            for path in &paths {
                if let Ok(mut file) = std::fs::File::open(path) {
                    let _ = file.read(&mut buf);
                }
            }
        }
        let reopened = per_process(thread_cpu() - start);
        println!("  {name:<10} kept descriptor {kept:>8.2?}   open+read+close {reopened:>8.2?}");
    }
    let start = thread_cpu();
    for _ in 0..rounds {
        black_box(std::fs::read_dir("/proc").unwrap().count());
    }
    println!(
        "  listing /proc                {:>8.2?}",
        per_process(thread_cpu() - start)
    );
}
