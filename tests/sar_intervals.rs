//! An interval much shorter than the one before it (a collector restarted within a second)
//! is folded into the next interval, in every reader, instead of printed as noise: samples
//! written by the test with their times and CPU ticks chosen, then read by `rstat report`
//! and `rstat export`.

mod common;

use std::path::{Path, PathBuf};

use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::{FileHeader, Sample, TableKind};

/// 2026-11-27 10:00:00 UTC.
const START_US: i64 = 1_795_773_600_000_000;

fn header() -> FileHeader {
    FileHeader {
        host: "foldhost".into(),
        kernel_release: "6.1.0-test".into(),
        arch: "x86_64".into(),
        cpu_count: 1,
        ticks_per_sec: 100,
        page_size: 4096,
        boot_time: 1_795_700_000,
        boot_id: "boot-a".into(),
        time_zone: "UTC".into(),
        utc_offset_s: 0,
        created_us: START_US,
        writer: "rstat test".into(),
    }
}

/// A sample `at_ms` after the start, with cpu0's user and idle ticks (100 a second).
fn sample(at_ms: i64, user: u64, idle: u64) -> Sample {
    let mut s = Sample {
        time_us: START_US + at_ms * 1000,
        tables: Vec::new(),
    };
    s.table_mut(TableKind::UPTIME)
        .refill()
        .row("uptime")
        .values
        .extend([1_000_000 + at_ms as u64 / 10, 0]);
    s.table_mut(TableKind::BOOT)
        .refill()
        .row_with_text("boot", &["boot-a"]);
    s.table_mut(TableKind::CPU)
        .refill()
        .row("cpu0")
        .values
        .extend([user, 0, 0, idle, 0, 0, 0, 0, 0, 0]);
    s
}

/// A file of `samples` under `header`.
fn written(path: PathBuf, header: FileHeader, samples: &[Sample]) -> PathBuf {
    let mut writer = DailyWriter::new(Target::File(path.clone()), header, 0o644);
    writer.set_durable(false);
    for s in samples {
        writer.append_sample(s).unwrap();
    }
    path
}

/// Samples at 0, 10, 20, 20.02 and 30.02 s: two 10 s intervals half busy, then 20 ms all
/// in user (2 ticks), then 10 s at 10%.
fn restarted_collector(dir: &Path) -> PathBuf {
    written(
        dir.join("fold.rstat"),
        header(),
        &[
            sample(0, 1000, 1000),
            sample(10_000, 1500, 1500),
            sample(20_000, 2000, 2000),
            sample(20_020, 2002, 2000),
            sample(30_020, 2102, 2900),
        ],
    )
}

/// The report's rows as (label, %user, %idle).
fn cpu_rows(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| l.contains(" all "))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (
                words[0].to_string(),
                words[2].to_string(),
                words[words.len() - 1].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_very_short_interval_is_folded_into_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let file = restarted_collector(dir.path());
    let text = common::report(&file, &["-u", "--utc"]);
    // 20.00 -> 30.02: 102 ticks of user in 1002 (10.18%), idle 900 (89.82%); never the
    // 20 ms interval's 100% user.
    assert_eq!(
        cpu_rows(&text),
        [
            ("10:00:10".into(), "50.00".into(), "50.00".into()),
            ("10:00:20".into(), "50.00".into(), "50.00".into()),
            ("10:00:30".into(), "10.18".into(), "89.82".into()),
            // The Average over the span's ends: 1102 user and 1900 idle of 3002.
            ("Average:".into(), "36.71".into(), "63.29".into()),
        ],
        "{text}"
    );

    // export reads the same intervals.
    let output = common::rstat()
        .args(["export", "--jsonl", "-u", "--utc", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let intervals: Vec<f64> = lines
        .iter()
        .map(|l| l["interval"].as_f64().unwrap())
        .collect();
    assert_eq!(intervals, [10.0, 10.0, 10.02]);
    assert_eq!(
        lines[2]["activities"]["cpu"][0]["%user"].as_f64(),
        Some(10.18),
        "{}",
        lines[2]
    );
}

#[test]
fn intervals_of_like_length_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    // 10 s, then 1.5 s (above a tenth), then 10 s: three rows.
    let path = written(
        dir.path().join("steady.rstat"),
        header(),
        &[
            sample(0, 1000, 1000),
            sample(10_000, 1500, 1500),
            sample(11_500, 1575, 1575),
            sample(21_500, 2075, 2075),
        ],
    );
    let text = common::report(&path, &["-u", "--utc"]);
    let labels: Vec<String> = cpu_rows(&text).into_iter().map(|r| r.0).collect();
    assert_eq!(
        labels,
        ["10:00:10", "10:00:11", "10:00:21", "Average:"],
        "{text}"
    );
}

#[test]
fn t_shows_times_in_the_writer_s_local_time() {
    let dir = tempfile::tempdir().unwrap();
    // Written at UTC+9 by a machine whose zone this one may not know.
    let header = FileHeader {
        time_zone: String::new(),
        utc_offset_s: 9 * 3600,
        ..header()
    };
    let path = written(
        dir.path().join("tokyo.rstat"),
        header,
        &[sample(0, 1000, 1000), sample(10_000, 1500, 1500)],
    );
    let run = |args: &[&str]| {
        let output = common::rstat()
            .env("TZ", "UTC")
            .args(["report", "-u", "-f"])
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Here (UTC) the row is 10:00:10; in the writer's time, 19:00:10, and -s/-e too.
    let here = run(&[]);
    assert_eq!(cpu_rows(&here)[0].0, "10:00:10", "{here}");
    let there = run(&["-t"]);
    assert_eq!(cpu_rows(&there)[0].0, "19:00:10", "{there}");
    let windowed = run(&["-t", "-s", "19:00:05"]);
    assert_eq!(
        cpu_rows(&windowed).len(),
        0,
        "the only interval starts before -s 19:00:05: {windowed}"
    );
    // -t and --utc say opposite things.
    let output = common::rstat()
        .args(["report", "-t", "--utc", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
