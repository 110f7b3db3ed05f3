//! Model unit tests: stepping, jumping, going to a time, crossing midnight into the
//! neighbouring day file, pause and resume of live mode, the live history bound, follow mode,
//! a sysstat file replayed.

mod common;

use common::{sample, write_file, DAY_US, SECOND_US};
use rstat_data_format::TableKind;
use rstat_viewer::live::CHUNK;
use rstat_viewer::model::{Mode, Model};
use rstat_viewer::{Live, Replay};

fn replay(paths: &[std::path::PathBuf]) -> Model {
    Model::replay(Replay::open(paths).expect("open"))
}

#[test]
fn replay_starts_at_the_end_and_steps() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(&dir.path().join("a.rstat"), DAY_US, 20, 1, None);
    let mut model = replay(&[path]);
    assert_eq!(model.mode(), Mode::Replay);
    assert_eq!(model.len(), 20);
    assert_eq!(model.cursor(), 19);
    model.step(-1);
    assert_eq!(model.cursor(), 18);
    assert_eq!(model.time_us(), DAY_US + 18 * SECOND_US);
    model.step(-100);
    assert_eq!(model.cursor(), 0);
    model.step(1);
    assert_eq!(model.cursor(), 1);
    model.step(100);
    assert_eq!(model.cursor(), 19);
    let snap = model.snapshot(10);
    assert_eq!(snap.history.len(), 10);
    assert!(snap.interval().is_some());
    assert_eq!(snap.host, "testhost");
}

#[test]
fn jumps_and_go_to_time() {
    let dir = tempfile::tempdir().unwrap();
    // Two hours, one sample a minute.
    let path = write_file(&dir.path().join("a.rstat"), DAY_US, 121, 60, None);
    let mut model = replay(&[path]);
    let end = model.time_us();
    model.jump(-600);
    assert_eq!(model.time_us(), end - 600 * SECOND_US);
    model.jump(-3600);
    assert_eq!(model.time_us(), end - 4200 * SECOND_US);
    model.jump(600);
    assert_eq!(model.time_us(), end - 3600 * SECOND_US);
    // Between samples: back goes to the one before, forward to the one after.
    model.go_to_time(DAY_US + 90 * SECOND_US, true);
    assert_eq!(model.time_us(), DAY_US + 60 * SECOND_US);
    model.go_to_time(DAY_US + 90 * SECOND_US, false);
    assert_eq!(model.time_us(), DAY_US + 120 * SECOND_US);
    model.jump(-100_000);
    assert_eq!(model.cursor(), 0);
    model.jump(100_000);
    assert_eq!(model.cursor(), 120);
    // A clock time on the day shown, whatever the local time zone is.
    let target = rstat_viewer::model::local(DAY_US + 3600 * SECOND_US);
    model
        .go_to_clock(&target.format("%H:%M").to_string())
        .expect("valid time");
    assert_eq!(model.time_us(), DAY_US + 3600 * SECOND_US);
    assert!(model.go_to_clock("25:99").is_err());
}

#[test]
fn crossing_midnight_opens_the_neighbouring_day() {
    let dir = tempfile::tempdir().unwrap();
    // The file names decide which day is which.
    let day1 = write_file(
        &dir.path().join("2026-01-14.rstat"),
        DAY_US - 600 * SECOND_US,
        10,
        60,
        None,
    );
    let day2 = dir.path().join("2026-01-15.rstat");
    write_file(&day2, DAY_US, 10, 60, None);
    let mut model = replay(std::slice::from_ref(&day2));
    assert_eq!(model.len(), 10);
    model.step(-9);
    assert_eq!(model.time_us(), DAY_US);
    model.step(-1);
    assert_eq!(model.len(), 20, "the previous day was opened");
    assert_eq!(model.time_us(), DAY_US - 60 * SECOND_US);
    model.step(1);
    assert_eq!(model.time_us(), DAY_US);
    // Forward from the previous day into the next.
    let mut model = replay(&[day1]);
    model.step(1);
    assert_eq!(model.len(), 20);
    assert_eq!(model.time_us(), DAY_US);
    // A jump back from the next day lands in the previous one.
    let mut model = replay(&[day2]);
    model.step(-9);
    model.jump(-300);
    assert_eq!(model.time_us(), DAY_US - 300 * SECOND_US);
}

#[test]
fn live_pause_resume_and_history_bound() {
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        5,
        "h".into(),
    );
    let mut model = Model::live(live);
    for i in 0..3 {
        model.push_live(sample(DAY_US + i * SECOND_US, i as u64 + 1, 1, "b"));
    }
    assert_eq!((model.mode(), model.cursor()), (Mode::Live, 2));
    model.toggle_pause();
    assert_eq!(model.mode(), Mode::Paused);
    model.push_live(sample(DAY_US + 3 * SECOND_US, 4, 1, "b"));
    assert_eq!(model.cursor(), 2, "paused: the view stays on its sample");
    model.step(-1);
    assert_eq!(model.time_us(), DAY_US + SECOND_US);
    // The ring keeps 5 samples: the paused position moves with its sample.
    for i in 4..7 {
        model.push_live(sample(DAY_US + i * SECOND_US, i as u64 + 1, 1, "b"));
    }
    assert_eq!(model.len(), 5);
    assert_eq!(model.time_us(), DAY_US + 2 * SECOND_US);
    model.toggle_pause();
    assert_eq!(model.mode(), Mode::Live);
    assert_eq!(model.time_us(), DAY_US + 6 * SECOND_US);
    // Stepping back from live pauses; End resumes.
    model.step(-2);
    assert_eq!(model.mode(), Mode::Paused);
    model.end();
    assert_eq!((model.mode(), model.cursor()), (Mode::Live, 4));
}

/// A sample with a process-like table: rows come and go, command lines change, counters
/// grow; what the live ring stores as deltas must decode to exactly this.
fn busy_sample(i: i64) -> rstat_data_format::Sample {
    let mut s = sample(DAY_US + i * SECOND_US, i as u64 + 1, 1, "b");
    let mut fill = s.table_mut(TableKind::PROCESSES).refill();
    let n = i as u64;
    for pid in (n / 7)..(n / 7 + 30) {
        let cmd = format!("worker --id {pid} --gen {}", n / 50);
        let row = fill.row_with_text(&pid.to_string(), &[&cmd, "/system.slice"]);
        row.values.extend([pid, n * (pid % 5), 4096 + n * pid]);
    }
    fill.finish();
    s
}

#[test]
fn live_history_is_stored_compactly_and_decodes_exactly() {
    let capacity = 150;
    let mut live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        capacity,
        "h".into(),
    );
    let originals: Vec<_> = (0..400).map(busy_sample).collect();
    for s in &originals {
        live.push(std::rc::Rc::new(s.clone()));
    }
    assert_eq!(live.len(), capacity);
    let first = originals.len() - capacity;
    for i in (0..capacity).rev() {
        let got = live.sample(i).expect("every position decodes");
        assert_eq!(*got, originals[first + i], "position {i}");
    }
    // Whole samples: the newest and one key per CHUNK (a key may sit at the ring's edge).
    assert!(
        live.whole() <= capacity / CHUNK + 2,
        "{} whole samples",
        live.whole()
    );
    // Through the model: pause, go back to the oldest position, and its pair is exact.
    let mut model = Model::live(live);
    model.step(-(capacity as i64));
    assert_eq!(model.cursor(), 0);
    model.step(2);
    let snap = model.snapshot(10);
    assert_eq!(snap.cur.as_deref(), Some(&originals[first + 2]));
    assert_eq!(snap.prev.as_deref(), Some(&originals[first + 1]));
    assert_eq!(snap.history.len(), 3);
    // Chart points share their row names instead of holding a copy each.
    let disk = |i: usize| snap.history[i].disks.first().map(|d| d.0.clone());
    let (a, b) = (disk(1).expect("a disk"), disk(2).expect("a disk"));
    assert_eq!(&*a, "vda");
    assert!(std::rc::Rc::ptr_eq(&a, &b));
}

#[test]
fn follow_shows_appended_samples_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write_file(&path, DAY_US, 5, 1, None);
    let mut model = replay(std::slice::from_ref(&path));
    let mut writer =
        rstat_data_format::writer::FileWriter::open(&path, &common::header(), 0o644).unwrap();
    writer
        .append_sample(&sample(DAY_US + 5 * SECOND_US, 6, 1, "boot-a"), false)
        .unwrap();
    assert!(model.tick(0));
    assert_eq!((model.len(), model.cursor()), (6, 5), "following the end");
    model.step(-2);
    writer
        .append_sample(&sample(DAY_US + 6 * SECOND_US, 7, 1, "boot-a"), false)
        .unwrap();
    model.tick(0);
    assert_eq!((model.len(), model.cursor()), (7, 3), "stepped back: stays");
    // A restart: no interval across it.
    let path = write_file(&dir.path().join("b.rstat"), DAY_US, 10, 1, Some(5));
    let mut model = replay(&[path]);
    model.go_to_time(DAY_US + 5 * SECOND_US, true);
    let snap = model.snapshot(20);
    assert!(snap.interval().is_none());
    assert_eq!(snap.marks.len(), 1);
}

#[test]
fn damaged_file_keeps_going_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(&dir.path().join("a.rstat"), DAY_US, 40, 1, None);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let mut model = replay(&[path]);
    assert!(model.len() > 10 && model.len() < 40, "{}", model.len());
    let snap = model.snapshot(50);
    assert!(snap
        .marks
        .iter()
        .any(|(_, m)| *m == rstat_viewer::model::Mark::Damage));
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").unwrap();
    let err = Replay::open(&[empty]).err().expect("refused");
    assert!(
        matches!(err, rstat_viewer::Error::EmptyFile { .. }),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(err.contains("empty"), "{err}");
    let text = dir.path().join("text");
    std::fs::write(&text, b"hello, not rstat\n").unwrap();
    let err = Replay::open(&[text]).err().expect("refused");
    assert!(
        std::error::Error::source(&err).is_some(),
        "data-format's error is kept as the source"
    );
    let err = err.to_string();
    assert!(err.contains("not an rstat"), "{err}");
}

#[test]
fn live_carries_an_offline_cpu_forward_and_hides_it() {
    let mut live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        10,
        "h".into(),
    );
    live.push(std::rc::Rc::new(sample(DAY_US, 1, 1, "b")));
    let mut offline = sample(DAY_US + SECOND_US, 2, 1, "b");
    offline
        .table_mut(TableKind::CPU)
        .rows
        .retain(|row| row.key != "cpu1");
    live.push(std::rc::Rc::new(offline));
    let newest = live.sample(1).unwrap();
    let cpu1 = newest.table(TableKind::CPU).unwrap().row("cpu1").unwrap();
    assert!(rstat_data_format::hotplug::is_carried(cpu1));
    let before = live.sample(0).unwrap();
    let cpus = rstat_data_format::derive::Interval::new(&before, &newest)
        .unwrap()
        .cpus();
    let shown: Vec<Option<u32>> = cpus.iter().map(|c| c.cpu).collect();
    assert_eq!(shown, [None, Some(0)]);
}

#[test]
fn replays_a_sysstat_file_made_by_sadc() {
    let sadc = std::path::Path::new("/usr/lib/sysstat/sadc");
    assert!(
        sadc.exists(),
        "{} missing: apt-get install sysstat",
        sadc.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sa26");
    let status = std::process::Command::new(sadc)
        .args(["-S", "XALL", "1", "3"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let mut model = replay(&[path]);
    assert_eq!(model.len(), 3);
    let snap = model.snapshot(10);
    assert!(snap.interval().is_some(), "the last sample has a baseline");
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(snap.host, hostname.trim(), "the sa file's nodename");
}
