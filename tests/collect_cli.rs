//! `rstat collect` as users run it: the real binary, real signals, real files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rstat_data_format::reader::{FileReader, Item, Record};

fn rstat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rstat"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("collector/tests/fixtures")
        .join(name)
}

/// (samples, restarts, damaged ranges) in a file.
fn census(path: &Path) -> (usize, usize, usize) {
    let mut reader = FileReader::open(path).unwrap();
    let (mut samples, mut restarts, mut damage) = (0, 0, 0);
    while let Some(item) = reader.next_item().unwrap() {
        match item {
            Item::Record {
                record: Record::Sample { .. },
                ..
            } => samples += 1,
            Item::Record {
                record: Record::Restart { .. },
                ..
            } => restarts += 1,
            Item::Record { .. } => {}
            Item::Damaged(_) => damage += 1,
        }
    }
    (samples, restarts, damage)
}

fn wait_for_samples(path: &Path, at_least: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if path.exists() && FileReader::open(path).is_ok() && census(path).0 >= at_least {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "collector exited early"
        );
        assert!(
            Instant::now() < deadline,
            "collector wrote fewer than {at_least} samples in 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn_collector(file: &Path) -> Child {
    rstat()
        .args(["collect", "-i", "50ms", "--file"])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn sigkill_loses_nothing_written_and_the_next_collector_appends() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.rstat");
    let mut child = spawn_collector(&file);
    wait_for_samples(&file, 8, &mut child);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (before, restarts, damage) = census(&file);
    assert!(before >= 8);
    assert_eq!(
        (restarts, damage),
        (0, 0),
        "every record written before the kill is intact"
    );

    let status = rstat()
        .args(["collect", "--count", "3", "-i", "10ms", "--file"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        census(&file),
        (before + 3, 0, 0),
        "same boot: appended to the series, no restart"
    );
}

#[test]
fn sigterm_finishes_cleanly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.rstat");
    let mut child = spawn_collector(&file);
    wait_for_samples(&file, 3, &mut child);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let (samples, _, damage) = census(&file);
    assert!(samples >= 3 && damage == 0);
}

#[test]
fn a_second_collector_on_the_same_file_is_told_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("l.rstat");
    let mut child = spawn_collector(&file);
    wait_for_samples(&file, 1, &mut child);
    let output = rstat()
        .args(["collect", "--count", "1", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("locked by another collector (pid {})", child.id())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

#[test]
fn collects_from_a_fixture_root_into_a_daily_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = rstat()
        .args(["collect", "--count", "2", "-i", "10ms", "--dir"])
        .arg(dir.path())
        .arg("--root")
        .arg(fixture("real-debian-vm"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.ends_with(".rstat") && name.len() == "YYYY-MM-DD.rstat".len(),
        "{name}"
    );
    // The same fixture read twice: uptime did not advance, so the second sample is not a
    // usable interval, but both are recorded with the fixture's values.
    let mut reader = FileReader::open(&files[0]).unwrap();
    let header = reader.header().clone();
    assert_eq!(header.cpu_count, 2);
    let Some(Item::Record {
        record: Record::Sample { sample, .. },
        ..
    }) = reader.next_item().unwrap()
    else {
        panic!("no sample")
    };
    let fixture_uptime =
        std::fs::read_to_string(fixture("real-debian-vm").join("proc/uptime")).unwrap();
    let seconds: f64 = fixture_uptime
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(sample.uptime_cs(), Some((seconds * 100.0).round() as u64));
}

/// A collector started with its standard descriptors closed (a careless cron line, a
/// daemon manager): the files it opens must not take numbers 0-2, or its messages (the
/// start and end lines go to stderr) would be written into the data file. rstat opens
/// /dev/null on them first (src/entry.rs), as std's start-up did.
#[test]
fn closed_standard_descriptors_do_not_reach_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.rstat");
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" collect --count 2 -i 10ms --file "$1" --root "$2" <&- >&- 2>&-"#)
        .arg(env!("CARGO_BIN_EXE_rstat"))
        .arg(&file)
        .arg(fixture("real-debian-vm"))
        .status()
        .unwrap();
    assert!(status.success(), "{status:?}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        !bytes
            .windows(b"rstat collect".len())
            .any(|w| w == b"rstat collect"),
        "a message was written into the data file"
    );
    assert_eq!(census(&file), (2, 0, 0));
}

#[test]
fn an_unreadable_proc_file_warns_once_and_the_rest_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.rstat");
    let output = rstat()
        .args(["collect", "--count", "3", "-i", "10ms", "--file"])
        .arg(&file)
        .arg("--root")
        .arg(fixture("missing-files-a"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("diskstats").count(),
        1,
        "one warning, not one per sample: {stderr}"
    );
    assert_eq!(census(&file).0, 3);
}

#[test]
fn bad_arguments_and_files_get_one_line_and_a_failure_status() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["collect".into(), "-i".into(), "5x".into()],
            "unknown unit",
        ),
        (
            vec![
                "collect".into(),
                "--root".into(),
                dir.path().display().to_string(),
                "--count".into(),
                "1".into(),
            ],
            "no proc/ directory",
        ),
        (
            vec!["report".into(), "-f".into(), "/etc/hostname".into()],
            "not an rstat data file",
        ),
        (
            vec![
                "info".into(),
                dir.path().join("none.rstat").display().to_string(),
            ],
            "cannot open",
        ),
    ];
    for (args, needle) in cases {
        let output = rstat().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
