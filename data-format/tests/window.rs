//! The time window (-s/-e) and aggregation (-i) over a series: which samples end intervals.

mod common;

use common::{header, sample};
use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::window::{Window, WindowedSeries};

const START: i64 = 1_780_000_000_000_000;

/// A file with one sample a second for `n` seconds, with a reboot before sample `reboot_at`.
fn file(dir: &tempfile::TempDir, n: u64, reboot_at: Option<u64>) -> std::path::PathBuf {
    let path = dir.path().join("w.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    for i in 0..n {
        let boot = if reboot_at.is_some_and(|r| i >= r) {
            "boot-b"
        } else {
            "boot-a"
        };
        writer.append_sample(&sample(START, i, boot)).unwrap();
    }
    path
}

fn events(path: &std::path::Path, window: Window) -> Vec<String> {
    let series = Series::open(&[path.to_path_buf()]).unwrap();
    let mut windowed = WindowedSeries::new(series, window);
    let secs = |t: i64| (t - START) / 1_000_000;
    let mut out = Vec::new();
    while let Some(event) = windowed.next_event().unwrap() {
        out.push(match event {
            Event::First(s) => format!("first {}", secs(s.time_us)),
            Event::Interval(p) => {
                let seconds = p.interval().unwrap().seconds;
                format!(
                    "{}-{} {seconds:.0}s",
                    secs(p.prev.time_us),
                    secs(p.cur.time_us)
                )
            }
            Event::Restart { .. } => "restart".to_string(),
            other => format!("{other:?}"),
        });
    }
    out
}

fn at(seconds: i64) -> Option<i64> {
    Some(START + seconds * 1_000_000)
}

#[test]
fn no_window_passes_every_interval() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, 4, None);
    assert_eq!(
        events(&path, Window::default()),
        ["first 0", "0-1 1s", "1-2 1s", "2-3 1s"]
    );
}

#[test]
fn the_first_sample_in_the_window_is_the_baseline_and_the_end_is_inclusive() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, 10, None);
    let window = Window {
        start: at(3),
        end: at(6),
        every_us: None,
    };
    assert_eq!(
        events(&path, window),
        ["first 3", "3-4 1s", "4-5 1s", "5-6 1s"]
    );
}

#[test]
fn aggregation_spans_the_wanted_length_from_cumulative_counters() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, 10, None);
    let window = Window {
        every_us: Some(3_000_000),
        ..Window::default()
    };
    assert_eq!(
        events(&path, window),
        ["first 0", "0-3 3s", "3-6 3s", "6-9 3s"]
    );
}

#[test]
fn aggregation_restarts_after_a_reboot() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, 8, Some(4));
    let window = Window {
        every_us: Some(2_000_000),
        ..Window::default()
    };
    assert_eq!(
        events(&path, window),
        ["first 0", "0-2 2s", "restart", "first 4", "4-6 2s"]
    );
}

#[test]
fn a_window_after_the_data_gives_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, 4, None);
    let window = Window {
        start: at(100),
        ..Window::default()
    };
    assert!(events(&path, window).is_empty());
}

/// A file with one sample at each of these seconds, one boot.
fn file_at(dir: &tempfile::TempDir, seconds: &[u64]) -> std::path::PathBuf {
    let path = dir.path().join("cadence.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    for &n in seconds {
        writer.append_sample(&sample(START, n, "boot-a")).unwrap();
    }
    path
}

#[test]
fn an_interval_shorter_than_both_neighbours_is_folded_into_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_at(&dir, &[0, 100, 200, 201, 301]);
    assert_eq!(
        events(&path, Window::default()),
        ["first 0", "0-100 100s", "100-200 100s", "200-301 101s"]
    );
}

#[test]
fn a_change_of_cadence_is_not_folded() {
    // A timer sampling every 100 s, then someone watching at 1 s: each 1 s interval is
    // shown, as sar shows them, not held back until 10 s have gone by.
    let dir = tempfile::tempdir().unwrap();
    let path = file_at(&dir, &[0, 100, 200, 201, 202, 203]);
    assert_eq!(
        events(&path, Window::default()),
        [
            "first 0",
            "0-100 100s",
            "100-200 100s",
            "200-201 1s",
            "201-202 1s",
            "202-203 1s"
        ]
    );
}

#[test]
fn a_short_last_interval_is_given_out_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_at(&dir, &[0, 100, 200, 201]);
    assert_eq!(
        events(&path, Window::default()),
        ["first 0", "0-100 100s", "100-200 100s", "200-201 1s"]
    );
    // Nor at the end of a window.
    let window = Window {
        end: at(250),
        ..Window::default()
    };
    let other = tempfile::tempdir().unwrap();
    let path = file_at(&other, &[0, 100, 200, 201, 301]);
    assert_eq!(
        events(&path, window),
        ["first 0", "0-100 100s", "100-200 100s", "200-201 1s"]
    );
}
