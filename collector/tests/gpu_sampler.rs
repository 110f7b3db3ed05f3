//! The GPU sources on fixture roots and recorded readings: amdgpu sysfs and DRM fdinfo
//! (collector/tests/fixtures/gpu-a and gpu-b, made by make_gpu_fixtures.sh from the kernel's
//! documented formats) and NVML readings of a real H200 under load
//! (fixtures/gpu/nvml-h200-under-load.json, a copy of the capture), through the sampler, into
//! the tables, and through data-format's derivation.

mod common;

use std::path::{Path, PathBuf};

use common::h200::h200_capture;

use rstat_collector::activities::{Activities, Group};
use rstat_collector::gpu::library::{DeviceReading, GpuLibrary};
use rstat_collector::gpu::recorded::RecordedLibrary;
use rstat_collector::process::ProcessOptions;
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col, MISSING};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn gpu_sampler(root: &Path) -> Sampler {
    let mut sampler = Sampler::with_activities(root, Activities::of(&[Group::Gpu]));
    sampler.enable_processes(root, ProcessOptions::default());
    sampler
}

fn sample_of(root: &Path) -> (Sample, Vec<String>) {
    let mut sampler = gpu_sampler(root);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    (sample, sampler.take_warnings())
}

#[test]
fn amdgpu_sysfs_becomes_a_gpu_row() {
    let (sample, warnings) = sample_of(&fixture("gpu-a"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let table = sample.table(TableKind::GPU).expect("GPU table");
    assert_eq!(table.rows.len(), 1);
    let row = &table.rows[0];
    assert_eq!(row.key, "card0");
    assert_eq!(
        row.text,
        vec!["amdgpu", "AMD Radeon RX 7900 XTX", "0000:03:00.0"]
    );
    let v = |col| row.values[col];
    assert_eq!(row.values.len(), gpu_col::COUNT);
    assert_eq!((v(gpu_col::UTIL_GPU), v(gpu_col::UTIL_MEMORY)), (63, 12));
    assert_eq!(v(gpu_col::MEMORY_TOTAL), 25_753_026_560);
    assert_eq!(v(gpu_col::MEMORY_USED), 2_147_483_648);
    assert_eq!(v(gpu_col::GTT_USED), 104_857_600);
    assert_eq!(v(gpu_col::TEMPERATURE_MC), 54_000);
    assert_eq!(
        (v(gpu_col::POWER_MW), v(gpu_col::POWER_LIMIT_MW)),
        (187_000, 339_000)
    );
    assert_eq!(v(gpu_col::ENERGY_UJ), 1_000_000_000);
    assert_eq!(
        (v(gpu_col::CLOCK_SM_MHZ), v(gpu_col::CLOCK_MEMORY_MHZ)),
        (2482, 1249)
    );
    assert_eq!(v(gpu_col::FAN_PCT), 40);
    // amdgpu has no such files: not reported, never zero.
    for col in [
        gpu_col::UTIL_ENCODER,
        gpu_col::PCIE_RX_KBS,
        gpu_col::ECC_CORRECTED,
    ] {
        assert_eq!(v(col), MISSING, "column {col}");
    }
}

#[test]
fn drm_fdinfo_is_read_per_process_and_each_client_counted_once() {
    let (sample, _) = sample_of(&fixture("gpu-a"));
    let table = sample
        .table(TableKind::GPU_PROCESSES)
        .expect("GPU processes");
    let keys: Vec<(&str, &str)> = table
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.text[0].as_str()))
        .collect();
    // pid 1: xe on a device with no GPU row (named by its PCI address); pid 42: amdgpu
    // card0 (matched by PCI address); pid 77 holds no DRM file.
    assert_eq!(keys, vec![("1", "0000:00:02.0"), ("42", "card0")]);
    let xe = &table.rows[0];
    assert_eq!(xe.text[1], "drm");
    assert_eq!(xe.values[gpu_process_col::ENGINE_CYCLES], 28_257_900);
    assert_eq!(
        xe.values[gpu_process_col::ENGINE_TOTAL_CYCLES],
        2 * 7_655_183_225
    );
    assert_eq!(xe.values[gpu_process_col::MEMORY_BYTES], 23_992 * 1024);
    assert_eq!(xe.values[gpu_process_col::SHARED_BYTES], 4096 * 1024);
    let amd = &table.rows[1];
    // Client 15 through fds 5 and 6 (a dup) once, plus client 16.
    assert_eq!(amd.values[gpu_process_col::CLIENTS], 2);
    assert_eq!(
        amd.values[gpu_process_col::ENGINE_GRAPHICS_NS],
        1_281_432_950 + 1_000_000
    );
    assert_eq!(
        amd.values[gpu_process_col::ENGINE_VIDEO_NS],
        2 * 250_000_000
    );
    assert_eq!(amd.values[gpu_process_col::ENGINE_COPY_NS], 2 * 36_120);
    assert_eq!(
        amd.values[gpu_process_col::MEMORY_BYTES],
        (150_308 + 1024) * 1024
    );
    assert_eq!(
        amd.values[gpu_process_col::SHARED_BYTES],
        2 * 2 * 1024 * 1024
    );
    // The start time of the process table's row: the join key.
    let process = sample
        .table(TableKind::PROCESSES)
        .unwrap()
        .row("42")
        .unwrap();
    assert_eq!(
        Some(amd.values[gpu_process_col::STARTTIME]),
        process.value(rstat_data_format::schema_process::process_col::STARTTIME)
    );
}

#[test]
fn fixture_interval_derives_power_from_energy_and_engine_percent() {
    let (a, _) = sample_of(&fixture("gpu-a"));
    let (b, _) = sample_of(&fixture("gpu-b"));
    let interval = Interval::new(&a, &b).expect("2 s interval");
    let gpus = interval.gpus();
    assert_eq!(gpus.len(), 1);
    // 374 J in 2 s.
    assert_eq!(gpus[0].power_w, Some(187.0));
    assert_eq!(gpus[0].util_pct, Some(63.0));
    assert_eq!(gpus[0].fan_pct, Some(40.0));
    let processes = interval.gpu_processes();
    assert_eq!(processes.len(), 2);
    // xe: 200,000 busy cycles of 4,000,000 (two engines' totals).
    assert!((processes[0].sm_pct.unwrap() - 5.0).abs() < 1e-9);
    // amdgpu: 0.5 s of gfx in 2 s.
    assert_eq!(processes[1].sm_pct, Some(25.0));
    assert_eq!(processes[1].decoder_pct, Some(0.0));
    assert_eq!(processes[1].comm, "a) (b\nc");
}

#[test]
fn a_host_without_a_gpu_records_nothing_and_says_nothing() {
    let (sample, warnings) = sample_of(&fixture("proc-processes-a"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(sample.table(TableKind::GPU).is_none());
    assert!(sample.table(TableKind::GPU_PROCESSES).is_none());
    assert!(sample.table(TableKind::PROCESSES).is_some());
}

/// Samples of `library` on an empty root (no amdgpu, no processes), one per uptime (in
/// centiseconds, set by hand: the root has none), and the sampler's warnings.
fn recorded_samples(
    library: Box<dyn GpuLibrary>,
    uptimes_cs: &[u64],
) -> (Vec<Sample>, Vec<String>) {
    let root = tempfile::tempdir().unwrap();
    let mut sampler = Sampler::with_activities(root.path(), Activities::of(&[Group::Gpu]));
    sampler.set_gpu_library(library);
    let mut samples = Vec::new();
    for &uptime_cs in uptimes_cs {
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        let mut fill = sample.table_mut(TableKind::UPTIME).refill();
        fill.row("uptime").values.extend([uptime_cs, 0]);
        fill.finish();
        samples.push(sample);
    }
    (samples, sampler.take_warnings())
}

#[test]
fn recorded_nvml_readings_of_an_h200_through_sampler_and_derivation() {
    let (samples, _) = recorded_samples(Box::new(h200_capture()), &[100_000, 100_105]);
    let gpu = samples[0].table(TableKind::GPU).unwrap();
    assert_eq!(
        gpu.rows[0].text,
        vec!["nvidia", "NVIDIA H200", "00000000:19:00.0"]
    );
    assert_eq!(gpu.rows[0].values[gpu_col::ENERGY_UJ], 3_816_677_000);
    let processes = samples[0].table(TableKind::GPU_PROCESSES).unwrap();
    assert_eq!(processes.rows[0].key, "434");
    assert_eq!(processes.rows[0].text, vec!["nvidia0", "nvml"]);
    // No process table in this sample: the start time is unknown.
    assert_eq!(
        processes.rows[0].values[gpu_process_col::STARTTIME],
        MISSING
    );

    let interval = Interval::new(&samples[0], &samples[1]).unwrap();
    let g = &interval.gpus()[0];
    // (3989684 - 3816677) mJ over 1.05 s.
    assert!(
        (g.power_w.unwrap() - 173.007 / 1.05).abs() < 1e-9,
        "{:?}",
        g.power_w
    );
    assert_eq!((g.util_pct, g.memory_util_pct), (Some(7.0), Some(2.0)));
    assert_eq!(g.pcie_tx_mb_per_s, Some(0.698));
    assert_eq!(g.ecc_corrected, Some(0.0));
    assert_eq!(g.throttle_names(), "-");
    let p = &interval.gpu_processes()[0];
    assert_eq!(
        (p.pid, p.sm_pct, p.memory_util_pct),
        (434, Some(6.0), Some(1.0))
    );
    // nvidia-smi --query-compute-apps said 20204 MiB.
    assert_eq!(p.memory_mb.map(f64::round), Some(20204.0));
}

/// A MIG device reading as NVML gives one: a name and memory, nothing else.
fn mig_reading(name: &str, total_mib: u64, used_mib: u64) -> DeviceReading {
    let mut reading = DeviceReading {
        name: name.into(),
        ..DeviceReading::default()
    };
    reading.values[gpu_col::MEMORY_TOTAL] = total_mib << 20;
    reading.values[gpu_col::MEMORY_USED] = used_mib << 20;
    reading
}

#[test]
fn mig_devices_of_a_gpu_become_rows_of_their_own_while_mig_mode_is_on() {
    // The H200 capture, MIG mode off in its first sample and on after; two instances, in
    // slots 1 and 2 of three (an H200 in MIG mode lists up to 7 slots; sizes are the
    // 3g.71gb and 2g.35gb profiles', made up, not captured: no MIG host was at hand).
    let mut capture = h200_capture();
    let mut samples = Vec::new();
    for mig in [0, 1, 1] {
        let mut device = DeviceReading::default();
        capture.device_count();
        capture.read_device(0, &mut device).unwrap();
        device.values[gpu_col::MIG_MODE] = mig;
        samples.push(vec![device]);
    }
    let library = RecordedLibrary::new(samples).with_mig_slots(
        0,
        vec![
            None,
            Some(mig_reading("NVIDIA H200 MIG 3g.71gb", 71_040, 20_204)),
            Some(mig_reading("NVIDIA H200 MIG 2g.35gb", 35_200, 15)),
        ],
    );
    let (samples, warnings) = recorded_samples(Box::new(library), &[100_000, 100_100, 100_200]);
    // The empty root lacks uptime and boot id (said); nothing about a GPU is.
    assert!(!warnings.iter().any(|w| w.contains("GPU")), "{warnings:?}");
    let keys = |sample: &Sample| -> Vec<String> {
        let table = sample.table(TableKind::GPU).unwrap();
        table.rows.iter().map(|r| r.key.clone()).collect()
    };
    // MIG mode off: the slots are not asked for.
    assert_eq!(keys(&samples[0]), vec!["nvidia0"]);
    assert_eq!(
        keys(&samples[1]),
        vec!["nvidia0", "nvidia0-mig1", "nvidia0-mig2"]
    );
    let gpu = samples[1].table(TableKind::GPU).unwrap();
    let mig = &gpu.rows[1];
    // The parent's PCI address: the library gave none.
    assert_eq!(
        mig.text,
        vec!["nvidia", "NVIDIA H200 MIG 3g.71gb", "00000000:19:00.0"]
    );
    assert_eq!(mig.values.len(), gpu_col::COUNT);
    assert_eq!(mig.values[gpu_col::MEMORY_TOTAL], 71_040 << 20);
    assert_eq!(mig.values[gpu_col::MEMORY_USED], 20_204 << 20);
    assert_eq!(gpu.rows[2].values[gpu_col::MEMORY_USED], 15 << 20);
    // What NVML does not give for a MIG device is missing, not the parent's nor 0.
    for col in [
        gpu_col::UTIL_GPU,
        gpu_col::POWER_MW,
        gpu_col::ENERGY_UJ,
        gpu_col::TEMPERATURE_MC,
        gpu_col::MIG_MODE,
    ] {
        assert_eq!(mig.values[col], MISSING, "column {col}");
    }
    // The parent's processes stay the parent's only.
    let processes = samples[1].table(TableKind::GPU_PROCESSES).unwrap();
    assert_eq!(processes.rows.len(), 1);
    assert_eq!(processes.rows[0].text[0], "nvidia0");

    let interval = Interval::new(&samples[1], &samples[2]).unwrap();
    let gpus = interval.gpus();
    let devices: Vec<&str> = gpus.iter().map(|g| g.device.as_str()).collect();
    assert_eq!(devices, vec!["nvidia0", "nvidia0-mig1", "nvidia0-mig2"]);
    assert_eq!(gpus[0].mig_mode, Some(1.0));
    let m = &gpus[1];
    assert_eq!(
        (m.memory_total_mb, m.memory_used_mb),
        (Some(71_040.0), Some(20_204.0))
    );
    assert_eq!((m.util_pct, m.power_w, m.mig_mode), (None, None, None));
    assert_eq!(gpus[2].memory_used_mb, Some(15.0));
}
