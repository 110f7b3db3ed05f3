//! Day files: the midnight boundary, restarts, and multi-day series.

mod common;

use chrono::{Local, NaiveDate, TimeZone};
use common::{header, sample};
use rstat_data_format::daily::{day_file, last_sample_times, DailyWriter, Target};
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::Sample;

/// Local 23:59:57 on 2026-03-09 in µs, whatever the test machine's time zone.
fn before_midnight() -> i64 {
    let t = NaiveDate::from_ymd_opt(2026, 3, 9)
        .unwrap()
        .and_hms_opt(23, 59, 57)
        .unwrap();
    Local
        .from_local_datetime(&t)
        .earliest()
        .unwrap()
        .timestamp_micros()
}

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, n).unwrap()
}

fn file_samples(path: &std::path::Path) -> Vec<(Sample, bool)> {
    let mut reader = FileReader::open(path).unwrap();
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record {
            record: Record::Sample { sample, carried },
            ..
        } = item
        {
            out.push((sample, carried));
        }
    }
    out
}

fn intervals(paths: &[std::path::PathBuf]) -> Vec<(i64, i64)> {
    let mut series = Series::open(paths).unwrap();
    let mut out = Vec::new();
    while let Some(event) = series.next_event().unwrap() {
        if let Event::Interval(pair) = event {
            out.push((pair.prev.time_us, pair.cur.time_us));
        }
    }
    out
}

fn check_midnight(dir: &std::path::Path) {
    let start = before_midnight();
    let (d9, d10) = (day_file(dir, day(9)), day_file(dir, day(10)));
    let old = file_samples(&d9);
    let new = file_samples(&d10);
    assert_eq!(
        old.iter().map(|(s, _)| s.time_us).collect::<Vec<_>>(),
        (0..3).map(|n| start + n * 1_000_000).collect::<Vec<_>>()
    );
    assert_eq!(
        new.len(),
        4,
        "the carried baseline and three samples of the new day"
    );
    assert_eq!((new[0].0.time_us, new[0].1), (start + 2_000_000, true));
    assert!(new[1..].iter().all(|(_, carried)| !carried));
    // Today's report starts with the interval that crosses midnight...
    let today = intervals(std::slice::from_ref(&d10));
    assert_eq!(today.first(), Some(&(start + 2_000_000, start + 3_000_000)));
    assert_eq!(today.len(), 3);
    // ...and the two days together have every interval exactly once.
    let both = intervals(&[d9, d10]);
    assert_eq!(
        both,
        (0..5)
            .map(|n| (start + n * 1_000_000, start + (n + 1) * 1_000_000))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_continuous_collector_carries_the_last_sample_over_midnight() {
    let dir = tempfile::tempdir().unwrap();
    let start = before_midnight();
    let mut writer = DailyWriter::new(Target::Dir(dir.path().to_path_buf()), header(), 0o644);
    writer.set_durable(false);
    for n in 0..6 {
        writer.append_sample(&sample(start, n, "boot-a")).unwrap();
    }
    drop(writer);
    check_midnight(dir.path());
}

#[test]
fn a_fresh_process_after_midnight_reads_the_previous_days_tail() {
    let dir = tempfile::tempdir().unwrap();
    let start = before_midnight();
    for n in 0..6 {
        // One process per sample, as the systemd timer runs it.
        let mut writer = DailyWriter::new(Target::Dir(dir.path().to_path_buf()), header(), 0o644);
        writer.set_durable(false);
        writer.append_sample(&sample(start, n, "boot-a")).unwrap();
    }
    check_midnight(dir.path());
}

#[test]
fn a_reboot_between_samples_writes_a_restart_and_no_interval_crosses_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.rstat");
    let start = before_midnight() - 3_600_000_000;
    for (n, boot) in [(0, "boot-a"), (1, "boot-a"), (2, "boot-b"), (3, "boot-b")] {
        let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
        writer.set_durable(false);
        writer.append_sample(&sample(start, n, boot)).unwrap();
    }
    let mut series = Series::open(std::slice::from_ref(&path)).unwrap();
    let mut events = Vec::new();
    while let Some(event) = series.next_event().unwrap() {
        events.push(match event {
            Event::First(s) => format!("first {}", (s.time_us - start) / 1_000_000),
            Event::Interval(p) => format!(
                "interval {}-{}",
                (p.prev.time_us - start) / 1_000_000,
                (p.cur.time_us - start) / 1_000_000
            ),
            Event::Restart { info, .. } => format!("restart {}", info.boot_id),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(
        events,
        [
            "first 0",
            "interval 0-1",
            "restart boot-b",
            "first 2",
            "interval 2-3"
        ]
    );
}

#[test]
fn a_comment_goes_into_the_days_file() {
    let dir = tempfile::tempdir().unwrap();
    let start = before_midnight();
    let mut writer = DailyWriter::new(Target::Dir(dir.path().to_path_buf()), header(), 0o644);
    writer.append_comment(start, "disk swapped").unwrap();
    writer.append_sample(&sample(start, 0, "boot-a")).unwrap();
    drop(writer);
    let mut series = Series::open(&[day_file(dir.path(), day(9))]).unwrap();
    assert!(
        matches!(series.next_event().unwrap(), Some(Event::Comment { text, .. }) if text == "disk swapped")
    );
}

#[test]
fn a_reboot_across_midnight_starts_the_new_day_with_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let start = before_midnight();
    for (n, boot) in [(0, "boot-a"), (1, "boot-a"), (4, "boot-b"), (5, "boot-b")] {
        let mut writer = DailyWriter::new(Target::Dir(dir.path().to_path_buf()), header(), 0o644);
        writer.set_durable(false);
        writer.append_sample(&sample(start, n, boot)).unwrap();
    }
    let mut series = Series::open(&[day_file(dir.path(), day(10))]).unwrap();
    let mut events = Vec::new();
    while let Some(event) = series.next_event().unwrap() {
        events.push(match event {
            Event::First(s) => format!("first {}", (s.time_us - start) / 1_000_000),
            Event::Interval(p) => format!(
                "interval {}-{}",
                (p.prev.time_us - start) / 1_000_000,
                (p.cur.time_us - start) / 1_000_000
            ),
            Event::Restart { info, .. } => format!("restart {}", info.boot_id),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(events, ["restart boot-b", "first 4", "interval 4-5"]);
}

#[test]
fn the_last_two_sample_times_come_from_the_tail_and_stop_at_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.rstat");
    let start = before_midnight() - 3_600_000_000;
    let at = |n: i64| start + n * 1_000_000;
    assert!(last_sample_times(&path).is_empty(), "no file");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    writer.append_sample(&sample(start, 0, "boot-a")).unwrap();
    assert_eq!(last_sample_times(&path), [at(0)]);
    writer.append_sample(&sample(start, 1, "boot-a")).unwrap();
    writer.append_comment(at(1), "between").unwrap();
    writer.append_sample(&sample(start, 3, "boot-a")).unwrap();
    // The comment is passed over: the newest first.
    assert_eq!(last_sample_times(&path), [at(3), at(1)]);
    // A torn last frame (a write in progress) is not a sample yet.
    drop(writer);
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
    assert_eq!(last_sample_times(&path), [at(1), at(0)]);
    std::fs::write(&path, &whole).unwrap();
    // After a reboot only the new boot's samples count.
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    writer.append_sample(&sample(start, 5, "boot-b")).unwrap();
    assert_eq!(last_sample_times(&path), [at(5)]);
}
