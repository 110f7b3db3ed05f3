//! Processes and cgroups end to end through the binary: `rstat collect --root` on the two
//! process fixture trees (2.06 s apart by uptime) into one file, then `rstat report -f FILE`
//! with the process and cgroup views, checking the figures printed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("collector/tests/fixtures")
        .join(name)
}

fn rstat(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_rstat"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "rstat {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A file holding one sample of each tree.
fn collected(dir: &Path, extra: &[&str]) -> String {
    let file = dir.join("p.rstat");
    let file = file.to_str().unwrap();
    for tree in ["proc-processes-a", "proc-processes-b"] {
        let root = fixture(tree);
        let mut args = vec![
            "collect",
            "--count",
            "1",
            "--no-sync",
            "--file",
            file,
            "--root",
        ];
        args.push(root.to_str().unwrap());
        args.extend_from_slice(extra);
        rstat(&args);
    }
    file.to_string()
}

/// The first data line of `report` whose text contains `needle`, split into fields.
fn line_with<'a>(report: &'a str, needle: &str) -> Vec<&'a str> {
    report
        .lines()
        .find(|line| line.contains(needle) && !line.starts_with("Average"))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{report}"))
        .split_whitespace()
        .collect()
}

#[test]
fn process_views_show_pidstat_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), &[]);
    let report = rstat(&[
        "report",
        "-f",
        &file,
        "--processes=cpu,mem,io,ctx,threads,summary",
        "--top",
        "0",
    ]);
    // time, uid, pid, comm, %usr %system %guest %wait %CPU CPU
    let systemd = line_with(&report, " systemd ");
    assert_eq!(&systemd[1..4], ["0", "1", "systemd"]);
    assert_eq!(
        &systemd[4..10],
        ["50.00", "15.53", "0.00", "10.00", "65.53", "1"]
    );
    // The command name with parentheses and a newline is shown on one line.
    let odd = line_with(&report, "a) (b?c");
    assert_eq!(
        &odd[odd.len() - 6..],
        ["50.00", "0.00", "50.00", "0.00", "100.00", "1"]
    );
    let io = report
        .lines()
        .find(|l| {
            l.contains("systemd")
                && l.contains("100.00")
                && l.contains("50.00")
                && l.ends_with(" 4")
        })
        .unwrap_or_else(|| panic!("no io line for systemd in:\n{report}"));
    assert!(io.contains("9.77"), "{io}");
    let summary: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.contains("proc/s"))
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&summary[1..], ["9.22", "2", "3", "17", "6", "8", "1"]);
}

#[test]
fn filters_select_processes() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), &[]);
    let only = rstat(&["report", "-f", &file, "--pid", "42"]);
    assert!(
        only.contains("a) (b?c") && !only.contains("systemd"),
        "{only}"
    );
    let by_command = rstat(&["report", "-f", &file, "--command", "^/sbin/init splash$"]);
    assert!(
        by_command.contains("systemd") && !by_command.contains("a) (b"),
        "{by_command}"
    );
    // Patterns match bytes with ASCII classes (the regex crate has no Unicode tables here):
    // (?i) and \w work on ASCII, a Unicode property is refused with the pattern named.
    let ascii_classes = rstat(&[
        "report",
        "-f",
        &file,
        "--command",
        r"(?i)^/SBIN/\w+ SPLASH$",
    ]);
    assert!(
        ascii_classes.contains("systemd") && !ascii_classes.contains("a) (b"),
        "{ascii_classes}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_rstat"))
        .args(["report", "-f", &file, "--command", r"\p{Greek}"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(r"--command \p{Greek}"), "{stderr}");
    let by_user = rstat(&["report", "-f", &file, "--user", "1000", "--processes=cpu"]);
    assert!(
        by_user.contains("a) (b?c") && !by_user.contains("systemd"),
        "{by_user}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_rstat"))
        .args(["report", "-f", &file, "--processes=nope"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--processes nope"));
}

#[test]
fn cgroup_views_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), &["--threads"]);
    let report = rstat(&["report", "-f", &file, "--cgroups", "--top", "0"]);
    let cpu = line_with(&report, "/system.slice ");
    assert_eq!(&cpu[2..7], ["50.00", "40.00", "10.00", "100.00", "5.00"]);
    let threads = rstat(&[
        "report",
        "-f",
        &file,
        "--processes=cpu",
        "--per-thread",
        "--pid",
        "42",
    ]);
    let worker = line_with(&threads, "worker 1");
    assert_eq!(&worker[1..3], ["42", "43"]);
    let default_view = rstat(&["report", "-f", &file, "--processes"]);
    assert!(
        default_view.contains("%usr") && !default_view.contains("%user"),
        "cpu view only"
    );
}
