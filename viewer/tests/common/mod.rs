//! Test data for the viewer's tests: synthetic samples with plausible counters, day files
//! written with data-format's writer, and samples taken from the collector's fixture trees.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::{FileHeader, RestartInfo};

/// 2026-01-15T00:00:00Z.
pub const DAY_US: i64 = 1_768_435_200 * 1_000_000;
pub const SECOND_US: i64 = 1_000_000;

pub fn header() -> FileHeader {
    FileHeader {
        host: "testhost".into(),
        kernel_release: "6.1.0-test".into(),
        arch: "x86_64".into(),
        cpu_count: 2,
        ticks_per_sec: 100,
        page_size: 4096,
        boot_id: "boot-a".into(),
        time_zone: "UTC".into(),
        writer: "viewer tests".into(),
        ..FileHeader::default()
    }
}

/// A sample `n` steps into a boot, `step_s` seconds apart: two CPUs, memory, load, one disk
/// and one interface with counters that grow a little differently each step.
pub fn sample(time_us: i64, n: u64, step_s: u64, boot: &str) -> Sample {
    let mut s = Sample {
        time_us,
        ..Sample::default()
    };
    let uptime = 10_000 + n * step_s * 100;
    s.table_mut(TableKind::UPTIME)
        .refill()
        .row("uptime")
        .values
        .extend([uptime, uptime * 2]);
    s.table_mut(TableKind::BOOT)
        .refill()
        .row("boot")
        .text
        .push(boot.to_string());
    {
        let mut fill = s.table_mut(TableKind::CPU).refill();
        // Cumulative ticks of a busy share that changes from step to step (always growing).
        let busy = |cpu: u64| step_s * ((20 + 30 * cpu) * n + 5 * wobble(n, 7));
        let total = n * step_s * 100;
        let mut sum = [0u64; 10];
        let mut rows = Vec::new();
        for cpu in 0..2u64 {
            let user = busy(cpu) * 6 / 10;
            let system = busy(cpu) * 3 / 10;
            let iowait = busy(cpu) / 10;
            let idle = total - user - system - iowait;
            let row = [user, 0, system, idle, iowait, 0, 0, 0, 0, 0];
            for (a, b) in sum.iter_mut().zip(row) {
                *a += b;
            }
            rows.push(row);
        }
        fill.row("cpu").values.extend(sum);
        for (cpu, row) in rows.iter().enumerate() {
            fill.row(&format!("cpu{cpu}")).values.extend(row);
        }
        fill.finish();
    }
    {
        let mut fill = s.table_mut(TableKind::STAT).refill();
        for (key, value) in [
            ("ctxt", 1_000_000 + n * 900),
            ("btime", 1_768_000_000),
            ("processes", 5_000 + n * 2),
            ("procs_running", 2),
            ("procs_blocked", 0),
            ("intr", 2_000_000 + n * 500),
            ("softirq", 900_000 + n * 300),
        ] {
            fill.row(key).values.push(value);
        }
        fill.finish();
    }
    {
        let mut fill = s.table_mut(TableKind::MEMINFO).refill();
        for (key, value) in [
            ("MemTotal", 4_000_000),
            ("MemFree", 1_000_000 + (n % 10) * 10_000),
            ("MemAvailable", 2_500_000),
            ("Buffers", 100_000),
            ("Cached", 1_200_000),
            ("SwapCached", 0),
            ("Active", 1_500_000),
            ("Inactive", 900_000),
            ("SwapTotal", 1_000_000),
            ("SwapFree", 900_000),
            ("Dirty", 1_000),
            ("Slab", 200_000),
            ("Committed_AS", 3_000_000),
        ] {
            fill.row(key).values.push(value);
        }
        fill.finish();
    }
    {
        let mut fill = s.table_mut(TableKind::VMSTAT).refill();
        for (key, value) in [
            ("pgpgin", n * 10),
            ("pgpgout", n * 40),
            ("pswpin", 0),
            ("pswpout", 0),
            ("pgfault", n * 1000),
            ("pgmajfault", n),
            ("pgfree", n * 1200),
        ] {
            fill.row(key).values.push(value);
        }
        fill.finish();
    }
    s.table_mut(TableKind::LOADAVG)
        .refill()
        .row("loadavg")
        .values
        .extend([52 + n % 50, 40, 31, 2, 180, 4000 + n]);
    {
        let mut fill = s.table_mut(TableKind::DISKSTATS).refill();
        let io = n * step_s;
        let row = fill.row("vda");
        row.values.extend([254, 0]);
        row.values.extend([
            io * 3,
            0,
            io * 48,
            io * 2,
            io * 5 + wobble(n, 5) * step_s,
            0,
            io * 160,
            io * 4,
            0,
            io * 3,
            io * 6,
        ]);
        let row = fill.row("vdb");
        row.values.extend([254, 16]);
        row.values.extend([10, 0, 80, 5, 0, 0, 0, 0, 0, 5, 5]);
        fill.finish();
    }
    {
        let mut fill = s.table_mut(TableKind::NETDEV).refill();
        for (name, scale) in [("lo", 1u64), ("eth0", 7)] {
            let mut counters = [0u64; 16];
            counters[0] = step_s * 1500 * scale * (n + wobble(n, 3));
            counters[1] = n * step_s * 10 * scale;
            counters[8] = n * step_s * 700 * scale;
            counters[9] = n * step_s * 8 * scale;
            fill.row(name).values.extend(counters);
        }
        fill.finish();
    }
    s
}

/// The sum of `k % m` for k in 1..=n: a counter whose rate wobbles but never goes down.
fn wobble(n: u64, m: u64) -> u64 {
    let r = n % m;
    m * (m - 1) / 2 * (n / m) + r * (r + 1) / 2
}

/// Writes `count` samples `step_s` apart from `start_us` into `path`; a restart (new boot)
/// before sample `restart_at` when given.
pub fn write_file(
    path: &Path,
    start_us: i64,
    count: u64,
    step_s: u64,
    restart_at: Option<u64>,
) -> PathBuf {
    let mut writer = FileWriter::open(path, &header(), 0o644).expect("create test file");
    writer.set_durable(false);
    let mut boot = "boot-a";
    let mut n0 = 0;
    for i in 0..count {
        if Some(i) == restart_at {
            boot = "boot-b";
            n0 = i;
            writer
                .append_restart(
                    start_us + (i * step_s) as i64 * SECOND_US,
                    &RestartInfo {
                        boot_id: boot.into(),
                        ..RestartInfo::default()
                    },
                )
                .expect("append restart");
        }
        let time = start_us + (i * step_s) as i64 * SECOND_US;
        writer
            .append_sample(&sample(time, i - n0 + 1, step_s, boot), false)
            .expect("append sample");
    }
    path.to_path_buf()
}

/// A sample of one of the collector's fixture trees, stamped `time_us`.
pub fn fixture_sample(name: &str, time_us: i64) -> Sample {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../collector/tests/fixtures")
        .join(name);
    let mut sampler = rstat_collector::sampler::Sampler::new(&root);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    sample.time_us = time_us;
    sample
}

/// A sample of everything the process, cgroup and item screens show, from several of the
/// collector's fixture trees (`later`: their second capture): interrupts, sockets and
/// protocols from `system-real-*`, power from `system-hardware-*`, processes and cgroups
/// from `proc-processes-*`, and two filesystems written here (sampling filesystems calls
/// statvfs on this machine's directories, whose figures would change from run to run).
pub fn full_fixture_sample(later: bool, time_us: i64) -> Sample {
    use rstat_collector::activities::{Activities, Group};
    use rstat_collector::process::ProcessOptions;
    use rstat_collector::sampler::Sampler;
    use rstat_data_format::schema_system::fs_col;

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../collector/tests/fixtures");
    let tree = |name: &str| fixtures.join(format!("{name}-{}", if later { "b" } else { "a" }));
    let mut sample = Sample::default();
    let system: Vec<Group> = Group::ALL
        .into_iter()
        .filter(|g| !matches!(g, Group::Fs | Group::Power))
        .collect();
    Sampler::with_activities(&tree("system-real"), Activities::of(&system)).sample(&mut sample);
    Sampler::with_activities(&tree("system-hardware"), Activities::of(&[Group::Power]))
        .sample(&mut sample);
    let processes_root = tree("proc-processes");
    let mut processes = Sampler::with_activities(&processes_root, Activities::none());
    processes.enable_processes(&processes_root, ProcessOptions::default());
    processes.sample(&mut sample);
    {
        let mut fill = sample.table_mut(TableKind::FILESYSTEMS).refill();
        const GIB: u64 = 1 << 30;
        let used = if later { 12 } else { 10 };
        for (device, mount, kind, blocks, free, files, files_free) in [
            (
                "/dev/vda1",
                "/",
                "ext4",
                40 * GIB,
                (40 - used) * GIB,
                2_600_000,
                2_400_000,
            ),
            (
                "/dev/vdb",
                "/data",
                "xfs",
                100 * GIB,
                75 * GIB,
                50_000_000,
                49_990_000,
            ),
        ] {
            let row = fill.row(device);
            row.values.resize(fs_col::COUNT, 0);
            row.values[fs_col::BLOCKS_BYTES] = blocks;
            row.values[fs_col::FREE_BYTES] = free;
            row.values[fs_col::AVAIL_BYTES] = free.saturating_sub(2 * GIB);
            row.values[fs_col::FILES] = files;
            row.values[fs_col::FILES_FREE] = files_free;
            row.text.extend([mount.to_string(), kind.to_string()]);
        }
        fill.finish();
    }
    sample.time_us = time_us;
    sample
}

/// Writes `samples` into a new day file at `path`.
pub fn write_samples(path: &Path, samples: &[Sample]) -> PathBuf {
    let mut writer = FileWriter::open(path, &header(), 0o644).expect("create test file");
    writer.set_durable(false);
    for sample in samples {
        writer.append_sample(sample, false).expect("append sample");
    }
    path.to_path_buf()
}

/// `sample` with its uptime `seconds` later (figures unchanged: zero rates over the interval).
pub fn later_by(mut sample: Sample, seconds: u64) -> Sample {
    let table = sample.table_mut(TableKind::UPTIME);
    if let Some(uptime) = table.rows.iter_mut().find(|r| r.key == "uptime") {
        if let Some(cs) = uptime.values.first_mut() {
            *cs += seconds * 100;
        }
    }
    sample
}

/// A sample of a host with two GPUs (`later`: the second capture, 2 s on): the collector's
/// gpu-a/gpu-b fixture trees (an amdgpu card in sysfs, processes with DRM fdinfo) read by
/// the sampler, and an NVIDIA H200 through the recorded-library path with the figures of
/// the real capture collector/tests/fixtures/gpu/nvml-h200-under-load.json (its first two
/// readings). Process 42 holds the H200's compute context here, so that it uses both GPUs.
pub fn gpu_fixture_sample(later: bool, time_us: i64) -> Sample {
    use rstat_collector::activities::{Activities, Group};
    use rstat_collector::gpu::library::{DeviceReading, ProcessReading};
    use rstat_collector::gpu::recorded::RecordedLibrary;
    use rstat_collector::process::ProcessOptions;
    use rstat_collector::sampler::Sampler;
    use rstat_data_format::schema_gpu::{gpu_col, gpu_process_col};

    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../collector/tests/fixtures")
        .join(if later { "gpu-b" } else { "gpu-a" });
    let mut h200 = DeviceReading {
        key: "nvidia0".into(),
        name: "NVIDIA H200".into(),
        bus_id: "00000000:19:00.0".into(),
        ..DeviceReading::default()
    };
    let v = &mut h200.values;
    v[gpu_col::UTIL_GPU] = 7;
    v[gpu_col::UTIL_MEMORY] = 2;
    v[gpu_col::UTIL_ENCODER] = 0;
    v[gpu_col::UTIL_DECODER] = 0;
    v[gpu_col::MEMORY_TOTAL] = 150_754_820_096;
    v[gpu_col::MEMORY_USED] = 21_839_609_856;
    v[gpu_col::TEMPERATURE_MC] = 37_000;
    v[gpu_col::POWER_MW] = if later { 172_581 } else { 177_975 };
    v[gpu_col::POWER_LIMIT_MW] = 700_000;
    // The fixture trees are 2 s apart (the capture's readings 1.05 s): the energy counter
    // moves by 2 s of 175 W, about the capture's mean draw.
    v[gpu_col::ENERGY_UJ] = 3_816_677_000 + if later { 350_000_000 } else { 0 };
    v[gpu_col::CLOCK_SM_MHZ] = 1980;
    v[gpu_col::CLOCK_MEMORY_MHZ] = 3201;
    v[gpu_col::PCIE_RX_KBS] = if later { 700 } else { 718 };
    v[gpu_col::PCIE_TX_KBS] = if later { 698 } else { 2013 };
    v[gpu_col::THROTTLE_REASONS] = 0;
    v[gpu_col::ECC_CORRECTED] = 0;
    v[gpu_col::MIG_MODE] = 0;
    let mut process = ProcessReading::new(42);
    process.values[gpu_process_col::MEMORY_BYTES] = 21_185_429_504;
    process.values[gpu_process_col::UTIL_SM] = 6;
    process.values[gpu_process_col::UTIL_MEMORY] = 1;
    process.values[gpu_process_col::CLIENTS] = 1;
    h200.processes.push(process);

    let mut sampler = Sampler::with_activities(&root, Activities::of(&[Group::Gpu]));
    sampler.enable_processes(&root, ProcessOptions::default());
    sampler.set_gpu_library(Box::new(RecordedLibrary::new(vec![vec![h200]])));
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    sample.time_us = time_us;
    sample
}

/// The screen `ui` selects, drawn from `model` with ratatui's TestBackend at `width` x
/// `height`, as text (line ends trimmed).
pub fn render(
    model: &mut rstat_viewer::model::Model,
    ui: &rstat_viewer::Ui,
    width: u16,
    height: u16,
) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    let snap = model.snapshot(width as usize);
    terminal
        .draw(|frame| rstat_viewer::view::draw(frame, &snap, ui))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
