//! `rstat prune` with `[prune] tiers` and `max_size`: old days thinned to one sample per step
//! with the rates over the longer intervals unchanged, the size cap met by thinning then
//! deleting the oldest days (never today's), and a prune killed at random moments leaving
//! every day file either as it was or thinned, complete.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use chrono::{Days, Local, NaiveDate, TimeZone};
use common::rstat;
use rstat_data_format::daily::day_file;
use rstat_data_format::schema::{Row, Sample, Table, TableKind};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::{FileHeader, FileReader, Item, Record};

fn row(key: &str, values: Vec<u64>) -> Row {
    Row {
        key: key.into(),
        text: Vec::new(),
        values,
    }
}

/// A day file of `samples` samples one second apart from 01:00 local time, with CPU ticks,
/// context switches and memory that change irregularly, and a comment in the middle.
fn write_day(dir: &Path, date: NaiveDate, samples: u64) -> PathBuf {
    let path = day_file(dir, date);
    let header = FileHeader {
        host: "test".into(),
        cpu_count: 1,
        ticks_per_sec: 100,
        ..FileHeader::default()
    };
    let mut writer = FileWriter::open(&path, &header, 0o640).unwrap();
    writer.set_durable(false);
    let start = Local
        .from_local_datetime(&date.and_hms_opt(1, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .timestamp();
    let (mut user, mut idle, mut ctxt) = (0u64, 0u64, 0u64);
    for i in 0..samples {
        let busy = (i * 7919) % 97;
        user += busy;
        idle += 100 - busy;
        ctxt += 1000 + (i * 31) % 500;
        let tables = vec![
            Table {
                kind: TableKind::UPTIME,
                rows: vec![row("uptime", vec![10_000 + i * 100, 0])],
            },
            Table {
                kind: TableKind::CPU,
                rows: vec![
                    row("cpu", vec![user, 0, 0, idle, 0, 0, 0, 0, 0, 0]),
                    row("cpu0", vec![user, 0, 0, idle, 0, 0, 0, 0, 0, 0]),
                ],
            },
            Table {
                kind: TableKind::STAT,
                rows: vec![row("ctxt", vec![ctxt]), row("processes", vec![i * 3])],
            },
        ];
        let time_us = (start + i as i64) * 1_000_000;
        writer
            .append_sample(&Sample { time_us, tables }, false)
            .unwrap();
        if i == samples / 2 {
            writer.append_comment(time_us, "midday").unwrap();
        }
    }
    path
}

/// (samples, comments, damaged ranges) of a file.
fn census(path: &Path) -> (u64, u64, u64) {
    let mut reader = FileReader::open(path).unwrap();
    let mut counts = (0, 0, 0);
    while let Some(item) = reader.next_item().unwrap() {
        match item {
            Item::Record {
                record: Record::Sample { .. },
                ..
            } => counts.0 += 1,
            Item::Record {
                record: Record::Comment { .. },
                ..
            } => counts.1 += 1,
            Item::Record { .. } => {}
            Item::Damaged(_) => counts.2 += 1,
        }
    }
    counts
}

fn config(dir: &Path, prune: &str) -> PathBuf {
    let path = dir.join("rstat.toml");
    std::fs::write(&path, format!("[prune]\nkeep_days = 400\n{prune}\n")).unwrap();
    path
}

fn prune(config: &Path, data: &Path, extra: &[&str]) -> Output {
    let output = rstat()
        .arg("--config")
        .arg(config)
        .args(["prune", "--dir"])
        .arg(data)
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output
}

fn report(file: &Path, args: &[&str]) -> String {
    let output = rstat()
        .args(["report", "-f"])
        .arg(file)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn days_ago(n: u64) -> NaiveDate {
    Local::now().date_naive() - Days::new(n)
}

#[test]
fn tiers_thin_old_days_and_keep_rates_over_longer_intervals_exact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let recent = write_day(&data, days_ago(2), 600);
    let month = write_day(&data, days_ago(30), 600);
    let old = write_day(&data, days_ago(200), 1800);
    let original = dir.path().join("original.rstat");
    std::fs::copy(&old, &original).unwrap();
    let config = config(
        dir.path(),
        "tiers = [\"7d: all\", \"90d: 1m\", \"1y: 10m\"]",
    );

    let dry = prune(&config, &data, &["--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("would thin") && text.contains("would save about"),
        "{text}"
    );
    assert_eq!(census(&old).0, 1800, "a dry run changes nothing");

    prune(&config, &data, &[]);
    assert_eq!(census(&recent), (600, 1, 0));
    // 600 s from 01:00:00: ten minutes begin, plus the day's last sample.
    assert_eq!(census(&month), (11, 1, 0));
    // 1800 s: three 10-minute steps, plus the last sample; the comment stays.
    assert_eq!(census(&old), (4, 1, 0));
    let info = rstat().arg("info").arg(&old).output().unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("thinned to one sample per 600 s"),
        "{info:?}"
    );

    // Rates over the kept intervals are those of the full day over the same spans.
    let full = report(&original, &["-u", "-w", "-i", "600"]);
    let thinned = report(&old, &["-u", "-w", "-i", "600"]);
    let figures = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                l.starts_with(|c: char| c.is_ascii_digit()) && !l.contains('%') && !l.contains("/s")
            })
            .map(String::from)
            .collect()
    };
    let (full, thinned) = (figures(&full), figures(&thinned));
    assert!(full.len() >= 4, "{full:?}");
    for line in &thinned[..thinned.len() - 2] {
        assert!(
            full.contains(line),
            "{line} not in the full day's\n{full:?}"
        );
    }

    // Pruning again changes nothing.
    let before = std::fs::read(&old).unwrap();
    let again = prune(&config, &data, &[]);
    assert!(
        String::from_utf8_lossy(&again.stdout).trim().is_empty(),
        "{again:?}"
    );
    assert_eq!(std::fs::read(&old).unwrap(), before);
}

#[test]
fn size_cap_thins_then_deletes_the_oldest_days_never_today() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let today = write_day(&data, days_ago(0), 1200);
    let days: Vec<PathBuf> = (1..=4)
        .map(|n| write_day(&data, days_ago(n), 1200))
        .collect();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let day_size = size(&days[0]);
    // Room for today and two full days, and a little.
    let cap = size(&today) + 2 * day_size + day_size / 4;
    let config = config(dir.path(), &format!("max_size = \"{cap}\""));
    let dry = prune(&config, &data, &["--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains(&format!("would remove {}", days[3].display()))
            && text.contains(&format!("would thin {}", days[2].display()))
            && !text.contains(&days[1].display().to_string()),
        "{text}"
    );
    assert_eq!(census(&days[3]).0, 1200, "a dry run changes nothing");
    prune(&config, &data, &[]);
    let total: u64 = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| size(&e.unwrap().path()))
        .sum();
    assert!(total <= cap, "{total} > {cap}");
    assert_eq!(census(&today).0, 1200, "today's file is never touched");
    assert_eq!(census(&days[0]).0, 1200, "the newest days stay whole");
    assert_eq!(census(&days[1]).0, 1200, "the newest days stay whole");
    // Thinning the oldest day to every step leaves the total over the cap, so it goes; the
    // next oldest thinned to one sample a minute (20 minutes, plus the last) is enough.
    assert!(!days[3].exists(), "the oldest day went first");
    assert_eq!(census(&days[2]), (21, 1, 0));
}

#[test]
fn a_prune_killed_at_any_moment_leaves_old_or_new_file_complete() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    std::fs::create_dir(&source).unwrap();
    let date = days_ago(100);
    let original = write_day(&source, date, 20_000);
    let full = census(&original);
    let config = config(dir.path(), "tiers = [\"7d: all\", \"1y: 1m\"]");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let target = day_file(&data, date);

    // Once to the end: how many samples a thinned file has.
    std::fs::copy(&original, &target).unwrap();
    let started = std::time::Instant::now();
    prune(&config, &data, &[]);
    let span = started.elapsed().as_micros() as u64;
    let thinned = census(&target);
    assert!(thinned.0 < full.0 && thinned.2 == 0, "{thinned:?}");

    // Then killed at moments spread over such a run, start to end (seeded from the clock:
    // each run tries other moments; none may leave a file that is neither).
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut outcomes = (0, 0);
    for _ in 0..12 {
        std::fs::copy(&original, &target).unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % span.max(1));
        let mut child = rstat()
            .arg("--config")
            .arg(&config)
            .args(["prune", "--dir"])
            .arg(&data)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = census(&target);
        assert!(
            now == full || now == thinned,
            "killed after {delay:?}: {now:?}, neither {full:?} nor {thinned:?}"
        );
        if now == full {
            outcomes.0 += 1;
        } else {
            outcomes.1 += 1;
        }
    }
    // A later prune finishes the job whatever the kill left.
    prune(&config, &data, &[]);
    assert_eq!(census(&target), thinned);
    let leftovers: Vec<_> = std::fs::read_dir(&data).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    eprintln!("kills leaving the old file / the new one: {outcomes:?}");
}
