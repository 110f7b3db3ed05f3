//! `rstat report`'s options beyond the activities: the -s/-e window, -i aggregation, -z,
//! --utc, the item filters, live mode (`rstat report -u 1 2`), and the one-line errors.
//! The file is collected from this machine at 1 s, so times are read back from it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use rstat_data_format::{FileReader, Item, Record};

fn rstat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rstat"))
}

/// Five samples one second apart, collected once for all tests; and their times (µs, UTC).
fn collected() -> &'static (PathBuf, Vec<i64>) {
    static FILE: OnceLock<(PathBuf, Vec<i64>)> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let file = dir.join("five.rstat");
        let output = rstat()
            .args([
                "collect",
                "--interval",
                "1",
                "--count",
                "5",
                "--no-processes",
            ])
            .arg("--file")
            .arg(&file)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let mut reader = FileReader::open(&file).unwrap();
        let mut times = Vec::new();
        while let Some(item) = reader.next_item().unwrap() {
            if let Item::Record {
                record: Record::Sample { sample, .. },
                ..
            } = item
            {
                times.push(sample.time_us);
            }
        }
        assert_eq!(times.len(), 5);
        (file, times)
    })
}

fn run(file: &Path, args: &[&str]) -> Output {
    rstat()
        .args(["report", "-f"])
        .arg(file)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn stdout(file: &Path, args: &[&str]) -> String {
    let output = run(file, args);
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The time labels of the data rows (not headers, not Average:).
fn row_times(text: &str, item: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.split_whitespace().nth(1) == Some(item))
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
        .filter(|t| t != "Average:")
        .collect()
}

fn clock(time_us: i64) -> String {
    Utc.timestamp_micros(time_us)
        .unwrap()
        .format("%H:%M:%S")
        .to_string()
}

#[test]
fn every_interval_is_a_row_with_the_time_at_its_end() {
    let (file, times) = collected();
    let text = stdout(file, &["-u"]);
    let expected: Vec<String> = times[1..].iter().map(|&t| clock(t)).collect();
    assert_eq!(row_times(&text, "all"), expected, "{text}");
    assert!(text.contains("\nAverage:        all "), "{text}");
}

#[test]
fn the_window_starts_at_the_first_sample_at_or_after_s_and_ends_at_e() {
    let (file, times) = collected();
    let text = stdout(
        file,
        &["-u", "-s", &clock(times[1]), "-e", &clock(times[3])],
    );
    // Sample 1 is the baseline; the intervals end at samples 2 and 3.
    assert_eq!(
        row_times(&text, "all"),
        [clock(times[2]), clock(times[3])],
        "{text}"
    );
}

#[test]
fn aggregation_joins_intervals_from_the_counters_at_their_ends() {
    let (file, times) = collected();
    let text = stdout(file, &["-u", "-i", "2"]);
    // Each interval ends at the first sample at least 2 s (less the 5% the window allows for
    // samples taken a little late) after its start: with 1 s samples, every second one,
    // unless a loaded machine delayed one (the collector keeps its 1 s grid, so a late first
    // sample makes a short first interval).
    let mut ends = Vec::new();
    let mut start = times[0];
    for &time in &times[1..] {
        if time - start + 100_000 >= 2_000_000 {
            ends.push(clock(time));
            start = time;
        }
    }
    assert!(!ends.is_empty(), "{times:?}");
    assert_eq!(row_times(&text, "all"), ends, "{text}");
    // The percentages of a 2-second interval still add up to 100.
    let line = text
        .lines()
        .find(|l| l.starts_with(&ends[0]) && l.contains(" all "))
        .unwrap();
    let sum: f64 = line
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .sum();
    assert!((sum - 100.0).abs() < 0.1, "{line}");
}

#[test]
fn utc_and_local_labels_differ_by_the_offset() {
    let (file, times) = collected();
    let output = rstat()
        .args(["report", "-u", "--utc", "-f"])
        .arg(file)
        .env("TZ", "Asia/Kolkata")
        .output()
        .unwrap();
    let utc = String::from_utf8(output.stdout).unwrap();
    assert_eq!(row_times(&utc, "all")[0], clock(times[1]), "{utc}");
    let output = rstat()
        .args(["report", "-u", "-f"])
        .arg(file)
        .env("TZ", "Asia/Kolkata")
        .output()
        .unwrap();
    let local = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        row_times(&local, "all")[0],
        clock(times[1] + 5 * 3_600_000_000 + 1_800_000_000),
        "{local}"
    );
}

#[test]
fn filters_keep_only_the_named_items() {
    let (file, _) = collected();
    let text = stdout(file, &["-n", "DEV", "--iface", "lo"]);
    let items: std::collections::BTreeSet<&str> = text
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|i| *i != "IFACE")
        .collect();
    assert_eq!(items.into_iter().collect::<Vec<_>>(), ["lo"], "{text}");
}

#[test]
fn hide_zero_leaves_out_rows_with_only_zeros() {
    let (file, _) = collected();
    let all = stdout(file, &["-n", "EDEV"]);
    let nonzero = stdout(file, &["-n", "EDEV", "-z"]);
    let zero_rows = |text: &str| {
        text.lines()
            .filter(|l| {
                let values: Vec<f64> = l
                    .split_whitespace()
                    .skip(2)
                    .filter_map(|w| w.parse().ok())
                    .collect();
                values.len() == 9 && values.iter().all(|v| *v == 0.0)
            })
            .count()
    };
    assert!(zero_rows(&all) > 0, "interfaces without errors: {all}");
    assert_eq!(zero_rows(&nonzero), 0, "{nonzero}");
}

#[test]
fn a_window_with_no_data_says_so_and_exits_0() {
    let (file, times) = collected();
    let output = run(
        file,
        &["-u", "-s", "2000-01-01 00:00", "-e", "2000-01-01 01:00"],
    );
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("no data in the selected time window"),
        "{text}"
    );
    assert!(!times.is_empty());
}

#[test]
fn bad_options_get_one_line_and_a_non_zero_exit() {
    let (file, _) = collected();
    // Usage errors exit 2 (as the README says), -e before -s among them.
    for (args, expected, code) in [
        (&["-s", "25:99"][..], "-s 25:99: expected HH:MM", 2),
        (&["-s", "25:00"][..], "-s 25:00: expected HH:MM", 2),
        (&["-q", "BOGUS"][..], "-q BOGUS: expected LOAD", 2),
        (&["-n", "NOPE"][..], "-n NOPE: expected one of", 2),
        (
            &["-i", "0"][..],
            "expected a whole number of seconds, 1 or more",
            2,
        ),
        (&["-s", "12:00", "-e", "11:00"][..], "is before -s", 2),
        (&["1", "2"][..], "INTERVAL [COUNT] is for live reports", 2),
    ] {
        let output = run(file, args);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("18446744073709551615"), "{stderr}");
        if code == 1 || args[0] != "-i" {
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
    }
    // --date: -1 is taken as a value (yesterday); a two-digit year and words are refused.
    let dir = tempfile::tempdir().unwrap();
    for (date, expected, code) in [
        ("-1", "no data for", 1),
        ("26-11-26", "--date 26-11-26: expected YYYY-MM-DD", 2),
        ("tomorrow", "--date tomorrow: expected YYYY-MM-DD", 2),
    ] {
        let output = rstat()
            .args(["report", "--dir"])
            .arg(dir.path())
            .args(["--date", date])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{date}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "{date}: {stderr}");
    }
}

#[test]
fn sar_option_clusters_and_bare_i_work_as_in_sar() {
    let (file, _) = collected();
    let separate = stdout(
        file,
        &[
            "-b", "-B", "-d", "-F", "-H", "-q", "-S", "-v", "-w", "-W", "-y",
        ],
    );
    assert_eq!(stdout(file, &["-bBdFHqSvwWy"]), separate);
    for header in [
        "tps",
        "pgpgin/s",
        "kbhugfree",
        "runq-sz",
        "kbswpfree",
        "dentunusd",
    ] {
        assert!(separate.contains(header), "{header}: {separate}");
    }
    assert_eq!(stdout(file, &["-qF"]), stdout(file, &["-q", "-F"]));
    assert_eq!(stdout(file, &["-I"]), stdout(file, &["-I", "ALL"]));
}

#[test]
fn files_given_out_of_order_are_read_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let (early, late) = (
        dir.path().join("early.rstat"),
        dir.path().join("late.rstat"),
    );
    for (tree, file) in [("system-hardware-a", &early), ("system-hardware-b", &late)] {
        let output = rstat()
            .args([
                "collect",
                "--count",
                "1",
                "--no-processes",
                "--no-cgroups",
                "--file",
            ])
            .arg(file)
            .arg("--root")
            .arg(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("collector/tests/fixtures")
                    .join(tree),
            )
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let report = |first: &Path, second: &Path| {
        let output = rstat()
            .args(["report", "-u", "-f"])
            .arg(first)
            .arg("-f")
            .arg(second)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let in_order = report(&early, &late);
    assert!(
        in_order.contains("Average:"),
        "one interval across the files: {in_order}"
    );
    assert_eq!(report(&late, &early), in_order);
}

#[test]
fn live_mode_prints_count_intervals_and_the_average() {
    let output = rstat().args(["report", "-u", "1", "2"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Linux "), "{text}");
    assert_eq!(
        text.lines().nth(1),
        Some(""),
        "a blank line after the banner: {text}"
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" all ")).collect();
    assert_eq!(rows.len(), 3, "two intervals and the average: {text}");
    assert!(rows[2].starts_with("Average:"), "{text}");
    let sum: f64 = rows[0]
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .sum();
    assert!((sum - 100.0).abs() < 0.1, "{}", rows[0]);
}

#[test]
fn live_mode_stopped_by_ctrl_c_prints_the_average_on_a_line_of_its_own() {
    let child = rstat()
        .args(["report", "-u", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Long enough for at least one interval; the assertions hold for any number of them.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Average:"))
        .unwrap_or_else(|| panic!("no Average: row: {text}"));
    assert_eq!(lines[at - 1], "", "a new line before Average: {text}");
    assert_eq!(lines[at].split_whitespace().nth(1), Some("all"), "{text}");
}

/// Removes what a test put in the system's data directory, even when an assertion fails.
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for path in self.0.iter().rev() {
            let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir(path));
        }
    }
}

#[test]
fn a_day_missing_from_the_users_directory_is_read_from_the_systems() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("own");
    std::fs::create_dir(&own).unwrap();
    let config = dir.path().join("rstat.toml");
    std::fs::write(
        &config,
        format!("data_dir = {:?}\n", own.display().to_string()),
    )
    .unwrap();
    let report = |date: &str| {
        rstat()
            .arg("--config")
            .arg(&config)
            .args(["report", "--date", date])
            .output()
            .unwrap()
    };
    if Path::new("/etc/rstat/rstat.toml").exists() {
        eprintln!("skipped: /etc/rstat/rstat.toml names this machine's system directory");
        return;
    }
    // 1999-01-01: no file in either place; the error names both and the way in.
    let output = report("1999-01-01");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("no data for 1999-01-01 in {}", own.display()))
            && stderr.contains("nor in the system's /var/log/rstat")
            && stderr.contains("sudo adduser $USER rstat"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // 2001-01-01 only in the system's directory (written there by root, removed after).
    let system = Path::new("/var/log/rstat");
    let day = system.join("2001-01-01.rstat");
    if !nix::unistd::geteuid().is_root() || day.exists() {
        eprintln!(
            "skipped the read: needs root and no {} already",
            day.display()
        );
        return;
    }
    let mut cleanup = Cleanup(Vec::new());
    if !system.exists() {
        std::fs::create_dir_all(system).unwrap();
        cleanup.0.push(system.to_path_buf());
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    std::fs::copy(&fixture, &day).unwrap();
    cleanup.0.push(day.clone());
    let output = report("2001-01-01");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let expected = rstat()
        .args(["report", "-f"])
        .arg(&fixture)
        .output()
        .unwrap();
    assert_eq!(text, String::from_utf8(expected.stdout).unwrap());
}
