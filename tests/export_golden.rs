//! `rstat export` and `rstat plot` end to end on a checked-in day file, compared with
//! checked-in outputs (`RSTAT_UPDATE_GOLDEN=1 cargo test -p rstat --test export_golden`
//! rewrites them), plus the outside checks: xmllint against dist/rstat-export.xsd, promtool,
//! CSV and JSON parsed back, bad input, and --follow.
//!
//! tests/golden/fixture.rstat was collected (`rstat collect --count 1 --file`) from the
//! fixture trees system-real-a (with `--comment "golden fixture"` and `--activities ALL`),
//! system-real-b, proc-processes-a and proc-processes-b, 2 s apart: the collector stamps
//! samples with the wall clock and the host's uname, so a file collected anew would differ;
//! the file itself is the fixture. The last two trees are an earlier uptime, so the file
//! holds a restart between the two intervals.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn rstat() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rstat"));
    command.env("TZ", "UTC");
    command
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    root().join("tests/golden/fixture.rstat")
}

fn run(args: &[&str]) -> Output {
    rstat().args(args).output().unwrap()
}

/// Runs `args` on the fixture; expects success and no stderr.
fn ok(args: &[&str]) -> String {
    let fixture = fixture();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["-f", fixture.to_str().unwrap()]);
    let output = run(&all);
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(
        output.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Compares `text` with tests/golden/NAME, or rewrites it with RSTAT_UPDATE_GOLDEN=1.
fn golden(name: &str, text: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("RSTAT_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with RSTAT_UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != text {
        let line = expected
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(text.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  now:    {:?}\n(RSTAT_UPDATE_GOLDEN=1 rewrites it after a deliberate change)",
            line + 1,
            expected.lines().nth(line),
            text.lines().nth(line)
        );
    }
}

const PROCESSES: &[&str] = &["--processes=cpu,mem,io,ctx,threads,summary", "--cgroups"];

#[test]
fn outputs_match_the_golden_files() {
    golden("report-A.txt", &ok(&["report", "-A"]));
    golden(
        "cpu.csv",
        &ok(&["export", "--utc", "--csv", "-u", "ALL", "-P", "ALL"]),
    );
    golden("all.json", &ok(&["export", "--utc", "--json", "-A"]));
    golden("all.jsonl", &ok(&["export", "--utc", "--jsonl", "-A"]));
    golden("all.xml", &ok(&["export", "--utc", "--xml", "-A"]));
    golden("all.om", &ok(&["export", "--utc", "--openmetrics", "-A"]));
    let mut args = vec!["export", "--utc", "--jsonl"];
    args.extend(PROCESSES);
    golden("processes.jsonl", &ok(&args));
    let mut args = vec!["export", "--utc", "--openmetrics"];
    args.extend(PROCESSES);
    golden("processes.om", &ok(&args));
    golden("cpu.svg", &ok(&["plot", "--utc", "-P", "ALL"]));
    golden("disk.html", &ok(&["plot", "--utc", "-d", "--html"]));
}

#[test]
fn csv_out_dir_writes_one_file_per_activity() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    ok(&["export", "--utc", "--csv", "-A", "--out", out]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.contains(&"cpu.csv".to_string()), "{names:?}");
    assert!(names.contains(&"net-dev.csv".to_string()), "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".csv")), "{names:?}");
    // The disk file matches the single-activity export.
    let disk = std::fs::read_to_string(dir.path().join("disk.csv")).unwrap();
    assert_eq!(disk, ok(&["export", "--utc", "--csv", "-d"]));
}

#[test]
fn csv_parses_back_with_the_figures() {
    let text = ok(&["export", "--utc", "--csv", "-P", "ALL"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "hostname",
            "interval",
            "timestamp",
            "CPU",
            "%user",
            "%nice",
            "%system",
            "%iowait",
            "%steal",
            "%idle"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // Two intervals (the restart starts a new baseline), "all" and two CPUs each.
    assert_eq!(rows.len(), 6);
    let first = &rows[0];
    assert_eq!(&first[0], "vm");
    assert_eq!(&first[1], "1.96");
    assert_eq!(&first[2], "2026-11-23T22:43:06Z");
    assert_eq!(&first[3], "all");
    let figures: Vec<f64> = (4..10).map(|i| first[i].parse().unwrap()).collect();
    assert_eq!(figures, [4.09, 0.0, 5.37, 2.56, 0.0, 87.98]);
    let total: f64 = figures.iter().sum();
    assert!((total - 100.0).abs() < 0.05, "{total}");
    assert_eq!(&rows[1][3], "0");
    assert_eq!(&rows[2][3], "1");
}

#[test]
fn json_parses_back_with_the_figures() {
    let text = ok(&["export", "--utc", "--json", "-r", "-d", "-n", "DEV"]);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["host"]["nodename"], "vm");
    assert_eq!(doc["host"]["cpus"], 2);
    assert_eq!(doc["activities"]["disk"]["item"][0], "DEV");
    assert_eq!(doc["activities"]["memory"]["columns"][0], "kbmemfree");
    let samples = doc["samples"].as_array().unwrap();
    // comment, interval, restart, interval.
    assert_eq!(samples.len(), 4);
    assert_eq!(samples[0]["comment"], "golden fixture");
    assert_eq!(samples[2]["restart"]["cpus"], 2);
    let first = &samples[1];
    assert_eq!(first["timestamp"], "2026-11-23T22:43:06Z");
    assert_eq!(first["interval"], 1.96);
    let memory = &first["activities"]["memory"];
    assert_eq!(memory["kbmemfree"], 22712152);
    // sysstat 12.7.8: (MemTotal - MemAvailable) / MemTotal.
    assert_eq!(memory["%memused"], 1.88);
    let disks = first["activities"]["disk"].as_array().unwrap();
    let vda = disks.iter().find(|d| d["DEV"] == "vda").unwrap();
    assert!(vda["wkB/s"].as_f64().unwrap() > 1000.0, "{vda}");
    let lo = first["activities"]["net-dev"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["IFACE"] == "lo")
        .unwrap();
    assert!(lo["rxkB/s"].as_f64().unwrap() > 1000.0, "{lo}");
    // JSON Lines: the same sample objects, one a line, each naming its host.
    let lines = ok(&["export", "--utc", "--jsonl", "-r", "-d", "-n", "DEV"]);
    let objects: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 4);
    assert_eq!(objects[1]["host"], "vm");
    assert_eq!(objects[1]["activities"], first["activities"]);
}

#[test]
fn process_items_become_fields() {
    let mut args = vec!["export", "--utc", "--jsonl"];
    args.extend(PROCESSES);
    let text = ok(&args);
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let cpu = last["activities"]["process-cpu"].as_array().unwrap();
    let odd = cpu.iter().find(|p| p["PID"] == "42").unwrap();
    assert_eq!(odd["UID"], "1000");
    assert_eq!(odd["Command"], "a) (b?c");
    let groups = last["activities"]["cgroup-cpu"].as_array().unwrap();
    assert!(
        groups.iter().any(|g| g["CGROUP"] == "/system.slice"),
        "{groups:?}"
    );
}

fn tool(name: &str, package: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "{name} is needed by this test: apt-get install {package}"
    );
    found
}

#[test]
fn xml_validates_against_the_schema() {
    tool("xmllint", "libxml2-utils");
    let dir = tempfile::tempdir().unwrap();
    let schema = root().join("dist/rstat-export.xsd");
    for (name, extra) in [
        ("all.xml", vec!["-A"]),
        ("processes.xml", PROCESSES.to_vec()),
    ] {
        let file = dir.path().join(name);
        let mut args = vec!["export", "--xml", "-o", file.to_str().unwrap()];
        args.extend(extra);
        ok(&args);
        let output = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&schema)
            .arg(&file)
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {output:?}");
    }
}

/// `promtool check metrics` lints the Prometheus text format, whose timestamps are integer
/// milliseconds; OpenMetrics' are seconds, so the lint sees the lines without them (names,
/// HELP, TYPE, labels, values), and `create-blocks-from openmetrics` reads the whole file.
#[test]
fn openmetrics_is_accepted_by_promtool() {
    tool("promtool", "prometheus");
    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [("all.om", vec!["-A"]), ("processes.om", PROCESSES.to_vec())] {
        let file = dir.path().join(name);
        let mut args = vec!["export", "--openmetrics", "-o", file.to_str().unwrap()];
        args.extend(extra);
        ok(&args);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.ends_with("# EOF\n"));
        // The Prometheus text format names a counter by its samples (`x_total`), where
        // OpenMetrics names the family (`x`): TYPE and HELP lines of counters are renamed.
        let counters: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE ")?.strip_suffix(" counter"))
            .collect();
        let untimed: String = text
            .lines()
            .map(|l| match l.strip_prefix('#') {
                Some(meta) => {
                    let mut words = meta.splitn(4, ' ');
                    let (_, what, name) = (words.next(), words.next(), words.next());
                    match (what, name) {
                        (Some(what), Some(name)) if counters.contains(&name) => {
                            format!("# {what} {name}_total {}\n", words.next().unwrap_or(""))
                        }
                        _ => format!("{l}\n"),
                    }
                }
                None => format!("{}\n", l.rsplit_once(' ').unwrap().0),
            })
            .collect();
        let mut lint = Command::new("promtool")
            .args(["check", "metrics"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut lint.stdin.take().unwrap(), untimed.as_bytes()).unwrap();
        let output = lint.wait_with_output().unwrap();
        assert!(output.status.success(), "{name}: {output:?}");
        assert!(
            output.stdout.is_empty() && output.stderr.is_empty(),
            "{name}: {output:?}"
        );
        let blocks = dir.path().join(format!("{name}.tsdb"));
        let output = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&file)
            .arg(&blocks)
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {output:?}");
        let samples = text.lines().filter(|l| !l.starts_with('#')).count();
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(
            report.contains(&format!(" {samples} ")),
            "{samples} samples?\n{report}"
        );
    }
}

/// Types, units and help come from the columns' metadata: a cumulative count is a counter
/// (samples `_total`), a percentage a gauge with a unit, and HELP says what the figure is.
#[test]
fn openmetrics_types_units_and_help_come_from_the_columns() {
    let all = ok(&["export", "--utc", "--openmetrics", "-A"]);
    for line in [
        "# TYPE rstat_cpu_usr_percent gauge",
        "# UNIT rstat_cpu_usr_percent percent",
        "# HELP rstat_memory_kbmemfree Free memory (memory kbmemfree, kB).",
        "# HELP rstat_disk_await Average time a request took, queueing included (disk await, ms).",
    ] {
        assert!(all.lines().any(|l| l == line), "{line}");
    }
    assert!(!all.contains(" counter\n"), "-A has no cumulative counts");
    assert!(!all.contains("# UNIT rstat_memory_kbmemfree"));
    let mut args = vec!["export", "--utc", "--openmetrics"];
    args.extend(PROCESSES);
    let processes = ok(&args);
    assert!(processes.contains("# TYPE rstat_cgroup_mem_oomkill counter\n"));
    assert!(processes.contains("\nrstat_cgroup_mem_oomkill_total{host="));
    assert!(!processes.contains("\nrstat_cgroup_mem_oomkill{"));
}

#[test]
fn bad_input_gets_one_clear_line() {
    let fixture = fixture();
    let f = fixture.to_str().unwrap();
    // Usage errors: exit status 2, as the README says.
    let output = run(&["export", "--json", "--processes=bogus", "-f", f]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--processes bogus: expected cpu"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    let output = run(&["export", "--csv", "-r", "-d", "-f", f]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("give --out DIR"));

    let output = run(&["export", "--jsonl", "-f", "/nonexistent/x.rstat"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/x.rstat"));

    // No format, or two: clap's usage error.
    assert_eq!(run(&["export", "-f", f]).status.code(), Some(2));
    assert_eq!(
        run(&["export", "--csv", "--json", "-f", f]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["export", "--openmetrics", "--follow", "-f", f])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn no_data_in_the_window_is_a_notice() {
    let fixture = fixture();
    let f = fixture.to_str().unwrap();
    for format in ["--csv", "--json", "--jsonl", "--xml", "--openmetrics"] {
        let output = run(&[
            "export", "--utc", format, "-s", "23:50", "-e", "23:59", "-f", f,
        ]);
        assert_eq!(output.status.code(), Some(0), "{format}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("no data in the selected time window"),
            "{stderr}"
        );
    }
    let output = run(&["plot", "--utc", "-s", "23:50", "-f", f]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no data"));
}

#[test]
fn damage_is_reported_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(fixture()).unwrap();
    // Spoil a stretch in the middle: a frame or two, not the header.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    let damaged = dir.path().join("damaged.rstat");
    std::fs::write(&damaged, bytes).unwrap();
    let output = run(&[
        "export",
        "--utc",
        "--jsonl",
        "-A",
        "-f",
        damaged.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("damaged.rstat: damaged"), "{stderr}");
    // The records around the damage are still exported, as valid JSON lines.
    let stdout = String::from_utf8(output.stdout).unwrap();
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

/// `rstat export --jsonl --follow -u -f FILE`, and its output lines as they come.
fn follow_jsonl(file: &Path) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = rstat()
        .args(["export", "--jsonl", "--follow", "-u", "-f"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (send, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if send.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

#[test]
fn follow_exports_samples_as_they_are_appended() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live.rstat");
    let collect = |tree: &str| common::collect_from(tree, &file, &[]);
    collect("system-real-a");
    let (mut child, lines) = follow_jsonl(&file);
    // One sample is no interval yet: nothing to export.
    assert!(lines.recv_timeout(Duration::from_millis(1500)).is_err());
    collect("system-real-b");
    let line = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("the appended interval within 10 s");
    let object: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(object["interval"], 1.96);
    assert_eq!(object["activities"]["cpu"][0]["%user"], 4.09);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn follow_goes_on_into_the_next_days_file() {
    let dir = tempfile::tempdir().unwrap();
    let today = dir.path().join("2026-03-09.rstat");
    let tomorrow = dir.path().join("2026-03-10.rstat");
    common::collect_from("system-real-a", &today, &[]);
    let (mut child, lines) = follow_jsonl(&today);
    assert!(lines.recv_timeout(Duration::from_millis(1500)).is_err());
    // "Midnight": the collector starts the next day's file.
    common::collect_from("system-real-b", &tomorrow, &[]);
    let line = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("the interval ending in the next day's file within 10 s");
    let object: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(object["interval"], 1.96);
    assert_eq!(object["activities"]["cpu"][0]["%user"], 4.09);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
}
