//! Tests of the GPU derivation on samples carrying values of the H200 capture
//! (/work/shared/captures/nvml-h200-under-load.json: two readings 1 s apart) and of a DRM
//! client as the kernel's drm-usage-stats describe it.

use super::*;
use crate::schema::Sample;
use crate::schema_gpu::MISSING;
use crate::schema_process::process_col;
use crate::test_samples::at_uptime;

/// An H200 reading: (energy mJ, power mW, PCIe tx KB/s, ECC corrected).
fn h200(sample: &mut Sample, energy_mj: u64, power_mw: u64, pcie_tx: u64, ecc: u64) {
    let mut values = vec![MISSING; gpu_col::COUNT];
    values[gpu_col::UTIL_GPU] = 7;
    values[gpu_col::UTIL_MEMORY] = 2;
    values[gpu_col::UTIL_ENCODER] = 0;
    values[gpu_col::UTIL_DECODER] = 0;
    values[gpu_col::MEMORY_TOTAL] = 150_754_820_096;
    values[gpu_col::MEMORY_USED] = 21_839_609_856;
    values[gpu_col::TEMPERATURE_MC] = 37_000;
    values[gpu_col::POWER_MW] = power_mw;
    values[gpu_col::POWER_LIMIT_MW] = 700_000;
    values[gpu_col::ENERGY_UJ] = energy_mj * 1000;
    values[gpu_col::CLOCK_SM_MHZ] = 1980;
    values[gpu_col::CLOCK_MEMORY_MHZ] = 3201;
    values[gpu_col::PCIE_RX_KBS] = 718;
    values[gpu_col::PCIE_TX_KBS] = pcie_tx;
    values[gpu_col::THROTTLE_REASONS] = 0;
    values[gpu_col::ECC_CORRECTED] = ecc;
    values[gpu_col::MIG_MODE] = 0;
    let mut fill = sample.table_mut(TableKind::GPU).refill();
    fill.row_with_text("nvidia0", &["nvidia", "NVIDIA H200", "00000000:19:00.0"])
        .values = values;
    fill.finish();
}

#[test]
fn nvml_device_figures_from_the_capture() {
    let mut prev = at_uptime(100_000);
    let mut cur = at_uptime(100_100);
    h200(&mut prev, 3_816_677, 177_975, 2013, 0);
    h200(&mut cur, 3_989_684, 172_581, 698, 2);
    let interval = Interval::new(&prev, &cur).unwrap();
    let gpus = interval.gpus();
    assert_eq!(gpus.len(), 1);
    let g = &gpus[0];
    assert_eq!(
        (g.device.as_str(), g.driver.as_str(), g.name.as_str()),
        ("nvidia0", "nvidia", "NVIDIA H200")
    );
    assert_eq!(g.util_pct, Some(7.0));
    assert_eq!(g.memory_util_pct, Some(2.0));
    // 21839609856 B = 20828 MiB of 143771 MiB (nvidia-smi: 20828MiB / 143771MiB).
    assert_eq!(g.memory_used_mb.map(f64::round), Some(20828.0));
    assert_eq!(g.memory_total_mb.map(f64::round), Some(143771.0));
    assert!((g.memory_used_pct.unwrap() - 14.487).abs() < 0.001);
    // The energy counter's increase over 1 s, not the last level (172.581 W).
    assert!(
        (g.power_w.unwrap() - 173.007).abs() < 1e-9,
        "{:?}",
        g.power_w
    );
    assert_eq!(g.power_limit_w, Some(700.0));
    assert_eq!(g.temperature_c, Some(37.0));
    assert_eq!(
        (g.sm_clock_mhz, g.memory_clock_mhz),
        (Some(1980.0), Some(3201.0))
    );
    assert_eq!(g.pcie_tx_mb_per_s, Some(0.698));
    assert_eq!(g.ecc_corrected, Some(2.0));
    assert_eq!(g.ecc_uncorrected, None, "not reported: never a zero");
    assert_eq!(g.gtt_used_mb, None);
    assert_eq!(g.throttle_names(), "-");
}

#[test]
fn power_falls_back_to_the_level_without_energy_and_names_throttle_bits() {
    let prev = at_uptime(100);
    let mut cur = at_uptime(200);
    h200(&mut cur, 0, 86_000, 0, 0);
    let row = &mut cur.table_mut(TableKind::GPU).rows[0];
    row.values[gpu_col::ENERGY_UJ] = MISSING;
    row.values[gpu_col::THROTTLE_REASONS] = 0x1 | 0x40;
    let gpus = Interval::new(&prev, &cur).unwrap().gpus();
    assert_eq!(gpus[0].power_w, Some(86.0));
    assert_eq!(gpus[0].ecc_corrected, None, "no first sample: no count");
    assert_eq!(gpus[0].throttle_names(), "idle,hw-thermal");
}

fn gpu_process(
    sample: &mut Sample,
    pid: &str,
    device: &str,
    source: &str,
    values: &[(usize, u64)],
) {
    let table = sample.table_mut(TableKind::GPU_PROCESSES);
    let mut row = Row {
        key: pid.into(),
        text: vec![device.into(), source.into()],
        values: vec![MISSING; gpu_process_col::COUNT],
    };
    for &(col, value) in values {
        row.values[col] = value;
    }
    table.rows.push(row);
}

fn process(sample: &mut Sample, pid: &str, start: u64, comm: &str) {
    let mut values = vec![0; process_col::COUNT];
    values[process_col::STARTTIME] = start;
    sample.table_mut(TableKind::PROCESSES).rows.push(Row {
        key: pid.into(),
        text: vec![comm.into(), String::new(), String::new()],
        values,
    });
}

#[test]
fn nvml_process_figures_are_levels_joined_to_the_process_table() {
    let prev = at_uptime(100);
    let mut cur = at_uptime(200);
    process(&mut cur, "434", 5000, "python3");
    use gpu_process_col as c;
    gpu_process(
        &mut cur,
        "434",
        "nvidia0",
        "nvml",
        &[
            (c::STARTTIME, 5000),
            (c::MEMORY_BYTES, 21_185_429_504),
            (c::UTIL_SM, 6),
            (c::UTIL_MEMORY, 1),
            (c::UTIL_ENCODER, 0),
            (c::UTIL_DECODER, 0),
            (c::CLIENTS, 1),
        ],
    );
    let rows = Interval::new(&prev, &cur).unwrap().gpu_processes();
    assert_eq!(rows.len(), 1);
    let p = &rows[0];
    assert_eq!(
        (p.pid, p.comm.as_str(), p.device.as_str()),
        (434, "python3", "nvidia0")
    );
    // nvidia-smi --query-compute-apps: 20204 MiB.
    assert_eq!(p.memory_mb.map(f64::round), Some(20204.0));
    assert_eq!((p.sm_pct, p.memory_util_pct), (Some(6.0), Some(1.0)));
    assert_eq!(p.copy_pct, None);
}

#[test]
fn drm_engine_time_and_cycles_become_busy_percent() {
    let mut prev = at_uptime(1000);
    let mut cur = at_uptime(1200);
    use gpu_process_col as c;
    let start = (c::STARTTIME, 77);
    gpu_process(
        &mut prev,
        "900",
        "card0",
        "drm",
        &[
            start,
            (c::ENGINE_GRAPHICS_NS, 1_000_000_000),
            (c::ENGINE_VIDEO_NS, 0),
            (c::ENGINE_COPY_NS, 5),
        ],
    );
    gpu_process(
        &mut cur,
        "900",
        "card0",
        "drm",
        &[
            start,
            (c::ENGINE_GRAPHICS_NS, 1_500_000_000),
            (c::ENGINE_VIDEO_NS, 200_000_000),
            (c::ENGINE_COPY_NS, 5),
            (c::MEMORY_BYTES, 64 << 20),
            (c::SHARED_BYTES, 2 << 20),
            (c::CLIENTS, 2),
        ],
    );
    // Another process under a reused pid: no previous row, so no engine figure.
    gpu_process(
        &mut cur,
        "901",
        "card0",
        "drm",
        &[(c::STARTTIME, 9), (c::ENGINE_GRAPHICS_NS, 7)],
    );
    gpu_process(
        &mut prev,
        "901",
        "card0",
        "drm",
        &[(c::STARTTIME, 8), (c::ENGINE_GRAPHICS_NS, 1)],
    );
    // xe: cycles, busy over total.
    gpu_process(
        &mut prev,
        "902",
        "card1",
        "drm",
        &[
            (c::STARTTIME, 1),
            (c::ENGINE_CYCLES, 100),
            (c::ENGINE_TOTAL_CYCLES, 1000),
        ],
    );
    gpu_process(
        &mut cur,
        "902",
        "card1",
        "drm",
        &[
            (c::STARTTIME, 1),
            (c::ENGINE_CYCLES, 400),
            (c::ENGINE_TOTAL_CYCLES, 2000),
        ],
    );
    let rows = Interval::new(&prev, &cur).unwrap().gpu_processes();
    assert_eq!(rows.len(), 3);
    let p = &rows[0];
    // 0.5 s of graphics engine time in 2 s.
    assert_eq!(p.sm_pct, Some(25.0));
    assert_eq!(p.decoder_pct, Some(10.0));
    assert_eq!(p.copy_pct, Some(0.0));
    assert_eq!(
        (p.memory_mb, p.shared_mb, p.clients),
        (Some(64.0), Some(2.0), Some(2.0))
    );
    assert_eq!(p.comm, "", "no process table recorded");
    assert_eq!(rows[1].sm_pct, None);
    assert_eq!(rows[2].sm_pct, Some(30.0));
}

/// A process that closes one of its DRM clients: the sum of its clients' engine time goes
/// down (3 s to 0.5 s). That is not a 32-bit counter wrapping (which would make it 89.7 %
/// busy over 2 s): the interval's figure is unknown.
#[test]
fn engine_time_that_goes_down_gives_no_figure() {
    let mut prev = at_uptime(1000);
    let mut cur = at_uptime(1200);
    use gpu_process_col as c;
    for (sample, ns) in [(&mut prev, 3_000_000_000), (&mut cur, 500_000_000)] {
        gpu_process(
            sample,
            "900",
            "card0",
            "drm",
            &[(c::STARTTIME, 77), (c::ENGINE_GRAPHICS_NS, ns)],
        );
    }
    let rows = Interval::new(&prev, &cur).unwrap().gpu_processes();
    assert_eq!(rows[0].sm_pct, None);
}
