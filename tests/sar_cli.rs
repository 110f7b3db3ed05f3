//! sar's command line around the reports: what `rstat collect` says when it starts and
//! stops (and --quiet), `prune --dry-run` with nothing to do, `export --out DIR` making its
//! directory, and exit status 2 for the usage errors of export and plot.

mod common;

use std::path::Path;
use std::process::Output;

use common::{collect_from, fixture_tree, rstat};

fn run(args: &[&str]) -> Output {
    rstat().args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file of two samples of a fixture tree.
fn two_samples(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("two.rstat");
    collect_from("system-real-a", &file, &[]);
    collect_from("system-real-a", &file, &[]);
    file
}

/// `rstat collect --no-processes ARGS --root ROOT`, run to its end.
fn collect(args: &[&str], target: &Path, root: &Path) -> Output {
    rstat()
        .args(["collect", "--no-processes"])
        .args(args)
        .arg(target)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn collect_says_where_and_how_often_when_it_starts_and_what_it_wrote_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.rstat");
    let root = fixture_tree("system-real-a");
    let output = collect(&["--count", "3", "-i", "20ms", "--file"], &file, &root);
    assert!(output.status.success(), "{output:?}");
    let text = stderr(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "rstat collect: sampling {} every 20ms into {}, 3 samples",
                root.display(),
                file.display()
            ),
            format!(
                "rstat collect: done: 3 sample(s) written to {}",
                file.display()
            ),
        ],
        "{text}"
    );

    // Daily files: the directory and today's file; one sample says no interval.
    let daily = dir.path().join("daily");
    let output = collect(&["--count", "1", "--dir"], &daily, &root);
    let text = stderr(&output);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(
            "rstat collect: sampling {} into a file a day in {} (now ",
            root.display(),
            daily.display()
        )) && first.ends_with(".rstat), one sample"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");

    // --quiet (for timers): nothing at all on stderr.
    let output = collect(&["--count", "1", "--quiet", "--file"], &file, &root);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stderr(&output), "");
}

#[test]
fn collect_stopped_by_a_signal_says_so_and_how_many_samples_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.rstat");
    let child = rstat()
        .args(["collect", "-i", "20ms", "--no-processes", "--file"])
        .arg(&file)
        .arg("--root")
        .arg(fixture_tree("system-real-a"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The file exists once the collector has its lock and has written its first sample.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::metadata(&file).map_or(0, |m| m.len()) == 0 {
        assert!(std::time::Instant::now() < deadline, "no sample in 30 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = stderr(&output);
    let last = text.lines().last().unwrap_or_default();
    let count: u64 = last
        .strip_prefix("rstat collect: stopped by SIGTERM: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(count >= 1, "{text}");
    assert!(
        last.ends_with(&format!("sample(s) written to {}", file.display())),
        "{text}"
    );
}

#[test]
fn prune_dry_run_says_when_nothing_would_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let output = rstat()
        .args(["prune", "--dry-run", "--keep-days", "7", "--dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "nothing would be removed or thinned in {} (keep_days 7,",
            data.display()
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn export_out_creates_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = two_samples(dir.path());
    let out = dir.path().join("new/deeper");
    let output = rstat()
        .args(["export", "--csv", "-u", "-r", "--out"])
        .arg(&out)
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["cpu.csv", "memory.csv"]);

    // A directory that cannot be made: said in one line naming it, no temporary file.
    let blocker = dir.path().join("plain-file");
    std::fs::write(&blocker, "x").unwrap();
    let output = rstat()
        .args(["export", "--csv", "-u", "--out"])
        .arg(blocker.join("sub"))
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains(&format!(
            "{}: cannot create the directory",
            blocker.join("sub").display()
        )),
        "{text}"
    );
    assert!(!text.contains(".rstat-"), "{text}");
}

#[test]
fn usage_errors_of_export_and_plot_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = two_samples(dir.path());
    let f = file.to_str().unwrap();
    for (args, says) in [
        (
            vec!["export", "--csv", "-n", "FOO", "-f", f],
            "-n FOO: expected one of DEV",
        ),
        (
            vec!["plot", "-n", "FOO", "-f", f],
            "-n FOO: expected one of DEV",
        ),
        (
            vec!["export", "--json", "-s", "10:00", "-e", "09:00", "-f", f],
            "-e 09:00 is before -s 10:00",
        ),
        (
            vec!["plot", "-u", "-s", "10:00", "-e", "09:00", "-f", f],
            "-e 09:00 is before -s 10:00",
        ),
        (
            vec!["report", "-s", "10:00", "-e", "09:00", "-f", f],
            "-e 09:00 is before -s 10:00",
        ),
        (vec!["export", "--json", "-s", "25:00", "-f", f], "-s 25:00"),
        (vec!["plot", "-u", "-e", "9h", "-f", f], "-e 9h"),
    ] {
        let output = run(&args);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: {text}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// Counts that must be 1 or more are refused in words, not as clap's
/// `0 is not in 1..18446744073709551615`.
#[test]
fn counts_of_zero_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for (args, says) in [
        (vec!["collect", "-c", "0", "--dir", d], "--count <N>"),
        (
            vec!["prune", "--keep-days", "0", "--dir", d],
            "--keep-days <N>",
        ),
        (
            vec!["serve", "--max-connections", "0"],
            "--max-connections <N>",
        ),
    ] {
        let output = run(&args);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: {text}");
        assert!(
            text.contains("expected a whole number, 1 or more"),
            "{args:?}: {text}"
        );
        assert!(!text.contains(".."), "{args:?}: {text}");
    }
}

#[test]
fn sar_options_that_rstat_spells_otherwise_are_named_in_one_line() {
    for (args, says) in [
        (
            vec!["report", "-o", "x.sa"],
            "rstat: -o: sar -o saves samples to a file; `rstat collect --file FILE` records them",
        ),
        (
            vec!["export", "--csv", "--sadc"],
            "rstat: --sadc: sar --sadc",
        ),
        (
            vec!["export", "--csv", "--human", "-d"],
            "`rstat report --human` does",
        ),
    ] {
        let output = run(&args);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: {text}");
    }
    // A misspelt rstat option keeps clap's suggestion.
    let output = run(&["report", "--ifcae", "eth0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("a similar argument exists: '--iface'"));
}

#[test]
fn sar_day_offsets_read_that_many_days_ago() {
    let dir = tempfile::tempdir().unwrap();
    let day = chrono::Local::now().date_naive() - chrono::Duration::days(2);
    let output = rstat()
        .args(["report", "-u", "-2", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stderr(&output);
    assert!(
        text.contains(&format!(
            "{}.rstat: no data for {day}",
            day.format("%Y-%m-%d")
        )),
        "{text}"
    );
}

#[test]
fn i_has_its_per_cpu_columns_in_export_and_live_too() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    let output = rstat()
        .args(["export", "--jsonl", "-I", "SUM", "-P", "ALL", "-f"])
        .arg(&golden)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let first: serde_json::Value = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|l| l.get("activities").is_some())
        .unwrap();
    let sum = &first["activities"]["intr"][0];
    assert_eq!(sum["INTR"], "sum");
    assert_eq!(sum["all"].as_f64(), Some(443.37));
    assert_eq!(sum["CPU0"].as_f64(), Some(224.49));
    assert_eq!(sum["CPU1"].as_f64(), Some(218.88));
    // -P 1: that CPU's column only, as sar.
    let output = rstat()
        .args(["export", "--jsonl", "-I", "SUM", "-P", "1", "-f"])
        .arg(&golden)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().nth(1).unwrap();
    assert!(line.contains(r#"{"INTR":"sum","CPU1":218.88}"#), "{line}");

    // Live, on this machine: its CPUs are known after its first sample.
    let root = Path::new("/");
    let cpus = std::fs::read_to_string(root.join("proc/stat"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "))
        .count();
    let output = rstat()
        .args(["report", "-I", "SUM", "-P", "ALL", "1", "1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let header = text.lines().find(|l| l.contains("INTR")).unwrap();
    let expected: Vec<String> = ["INTR", "all"]
        .into_iter()
        .map(String::from)
        .chain((0..cpus).map(|n| format!("CPU{n}")))
        .collect();
    assert_eq!(
        header.split_whitespace().skip(1).collect::<Vec<_>>(),
        expected,
        "{text}"
    );
}

#[test]
fn i_cpu_and_scpu_rows_follow_p() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    for (option, cpu, first) in [
        ("CPU", "1", "24 cpu1"),
        ("SCPU", "0", "HI cpu0"),
        ("SCPU", "1", "HI cpu1"),
    ] {
        let text = common::report(&golden, &["-I", option, "-P", cpu]);
        let items: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" cpu"))
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert!(!items.is_empty(), "{text}");
        assert_eq!(items[0], first, "{text}");
        assert!(
            items.iter().all(|i| i.ends_with(&format!("cpu{cpu}"))),
            "-I {option} -P {cpu}: {items:?}"
        );
    }
    // Without -P, every CPU's rows, as before.
    let text = common::report(&golden, &["-I", "SCPU"]);
    assert!(
        text.contains(" HI cpu0 ") || text.contains("HI cpu0"),
        "{text}"
    );
    assert!(text.contains("HI cpu1"), "{text}");
}
