//! CPU hotplug through the shared read path: samples written to a file, read back as a
//! series, with and without -i aggregation. The carried values of an offline CPU must reach
//! every reader the same way (sysstat's get_global_cpu_statistics).

mod common;

use common::header;
use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::window::{Window, WindowedSeries};
use rstat_data_format::{Sample, TableKind};

const START: i64 = 1_780_000_000_000_000;

/// Sample `n` (one a second) with (cpu, user, idle) rows.
fn sample(n: u64, cpus: &[(u32, u64, u64)]) -> Sample {
    let mut s = Sample {
        time_us: START + n as i64 * 1_000_000,
        tables: Vec::new(),
    };
    s.table_mut(TableKind::UPTIME)
        .refill()
        .row("uptime")
        .values
        .extend([10_000 + n * 100, 0]);
    s.table_mut(TableKind::BOOT)
        .refill()
        .row_with_text("boot", &["boot-a"]);
    let mut fill = s.table_mut(TableKind::CPU).refill();
    for &(cpu, user, idle) in cpus {
        fill.row(&format!("cpu{cpu}"))
            .values
            .extend([user, 0, 0, idle, 0, 0, 0, 0, 0, 0]);
    }
    fill.finish();
    s
}

/// (cpu, %usr) of each interval read back with `every_us`.
fn read(path: &std::path::Path, every_us: Option<i64>) -> Vec<Vec<(Option<u32>, f64)>> {
    let series = Series::open(&[path.to_path_buf()]).unwrap();
    let window = Window {
        every_us,
        ..Window::default()
    };
    let mut windowed = WindowedSeries::new(series, window);
    let mut out = Vec::new();
    while let Some(event) = windowed.next_event().unwrap() {
        if let Event::Interval(pair) = event {
            let cpus = pair.interval().unwrap().cpus();
            out.push(
                cpus.iter()
                    .map(|c| (c.cpu, (c.usr * 100.0).round() / 100.0))
                    .collect(),
            );
        }
    }
    out
}

#[test]
fn an_offline_cpu_is_carried_through_the_series_and_the_aggregated_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    let samples = [
        sample(0, &[(0, 100, 900), (1, 50, 950)]),
        sample(1, &[(0, 150, 950)]),
        sample(2, &[(0, 200, 1000)]),
        sample(3, &[(0, 250, 1050)]),
        // cpu1 back: user on from 50, idle restarted from 0.
        sample(4, &[(0, 300, 1100), (1, 80, 70)]),
    ];
    for s in &samples {
        writer.append_sample(s).unwrap();
    }
    drop(writer);
    let every = read(&path, None);
    assert_eq!(every.len(), 4);
    assert_eq!(every[0], [(None, 50.0), (Some(0), 50.0)], "offline: hidden");
    // Back, against the carried 50 user / 950 idle; idle went backwards so it counts from 0:
    // cpu1 = 30 user of 100 ticks; all = (50 + 30) / 200.
    assert_eq!(every[3], [(None, 40.0), (Some(0), 50.0), (Some(1), 30.0)]);
    // -i 2 over samples 0-2 and 2-4: the second interval starts at a sample where cpu1 was
    // offline, so its carried values are the reference: the same 30 user of 100 ticks.
    let aggregated = read(&path, Some(2_000_000));
    assert_eq!(aggregated.len(), 2);
    assert_eq!(aggregated[0], [(None, 50.0), (Some(0), 50.0)]);
    // all: (100 user of cpu0's 200 ticks + 30 of cpu1's 100) / 300.
    assert_eq!(
        aggregated[1],
        [(None, 43.33), (Some(0), 50.0), (Some(1), 30.0)]
    );
}
