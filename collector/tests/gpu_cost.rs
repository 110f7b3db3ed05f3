//! What the GPU sources cost per sample, measured rather than asserted (the README's "GPUs"
//! section quotes the output):
//! - the sampler over recorded NVML readings of one H200 (the tables and the process join;
//!   real NVML calls cannot be measured on a host without an NVIDIA GPU);
//! - amdgpu sysfs on the fixture root (one card, its hwmon files);
//! - the DRM fdinfo scan in the process walk: on the fixture root (3 processes, 4 DRM files)
//!   and on this host's live /proc with a pretend DRM card, so that every process's
//!   descriptors are listed as on a host with a GPU (new processes at once, the others every
//!   10 samples, DRM users every sample);
//! - the `gpu` group on this host as it is (no GPU: NVML absent, no DRM card).
//!
//! Ignored by default; run with
//! `cargo test --release -p rstat-collector --test gpu_cost -- --ignored --nocapture`.

mod common;

use std::path::Path;

use common::h200::h200_capture;
use rstat_collector::activities::{Activities, Group};
use rstat_collector::process::ProcessOptions;
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::Sample;

const ROUNDS: u64 = 1000;

/// This process's user + system CPU time, from /proc/self/stat (clock ticks).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// CPU ms per sample of `sampler` (after one warm-up sample).
fn cpu_ms(mut sampler: Sampler) -> f64 {
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    let before = cpu_ticks();
    for _ in 0..ROUNDS {
        sampler.sample(&mut sample);
    }
    (cpu_ticks() - before) as f64 * 10.0 / ROUNDS as f64
}

fn sampler(root: &Path, groups: &[Group], processes: bool) -> Sampler {
    let mut sampler = Sampler::with_activities(root, Activities::of(groups));
    if processes {
        let options = ProcessOptions {
            cgroups: false,
            ..ProcessOptions::default()
        };
        sampler.enable_processes(root, options);
    }
    sampler
}

#[test]
#[ignore = "a measurement: run explicitly with --ignored --nocapture, in release mode"]
fn cost_of_the_gpu_sources() {
    let empty = tempfile::tempdir().unwrap();
    let base = cpu_ms(sampler(empty.path(), &[], false));
    let mut nvml = sampler(empty.path(), &[Group::Gpu], false);
    nvml.set_gpu_library(Box::new(h200_capture()));
    println!("CPU ms per sample ({ROUNDS} samples each), uptime+boot id subtracted:");
    println!(
        "  recorded NVML, 1 H200 + 1 process  {:.4}",
        cpu_ms(nvml) - base
    );
    let fixture = common::tree("gpu-a");
    let fixture_base = cpu_ms(sampler(&fixture, &[], false));
    println!(
        "  amdgpu sysfs, 1 card (fixture)     {:.4}",
        cpu_ms(sampler(&fixture, &[Group::Gpu], false)) - fixture_base
    );
    let walk = cpu_ms(sampler(&fixture, &[], true));
    println!(
        "  DRM fdinfo, 3 processes (fixture)  {:.4} (walk without it {walk:.4})",
        cpu_ms(sampler(&fixture, &[Group::Gpu], true)) - walk
    );

    // This host's processes, with a pretend DRM card so that the scan runs.
    let live = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/proc", live.path().join("proc")).unwrap();
    std::fs::create_dir_all(live.path().join("sys/class/drm/card0")).unwrap();
    let processes = std::fs::read_dir("/proc")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        })
        .count();
    let walk = cpu_ms(sampler(live.path(), &[], true));
    println!(
        "  DRM fdinfo, live /proc ({processes} processes)  {:.4} (walk without it {walk:.4})",
        cpu_ms(sampler(live.path(), &[Group::Gpu], true)) - walk
    );
    let host = cpu_ms(sampler(Path::new("/"), &[], true));
    println!(
        "  gpu group on this host (no GPU)    {:.4}",
        cpu_ms(sampler(Path::new("/"), &[Group::Gpu], true)) - host
    );
}
