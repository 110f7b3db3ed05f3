//! -P N naming a CPU the data never had: refused by report, export, plot and live reports as
//! a usage error (exit status 2, one line naming the option, the CPU count and what to do),
//! where sar prints an empty table. The count is the most of any boot read: each file's, and
//! each restart's (a machine rebooted with more CPUs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{collect_root, report_output, rstat};

/// A copy of the fixture tree `base` with `cpus` CPUs (cpu2 and up copy cpu1's counters) and
/// the boot id `boot`.
fn tree(dir: &Path, base: &str, cpus: u32, boot: &str) -> PathBuf {
    let root = dir.join(format!("{base}-{cpus}-{boot}"));
    let status = Command::new("cp")
        .arg("-r")
        .arg(common::fixture_tree(base))
        .arg(&root)
        .status()
        .unwrap();
    assert!(status.success());
    let stat_path = root.join("proc/stat");
    let stat = std::fs::read_to_string(&stat_path).unwrap();
    let mut out = String::new();
    for line in stat.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(counters) = line.strip_prefix("cpu1 ") {
            for n in 2..cpus {
                out.push_str(&format!("cpu{n} {counters}\n"));
            }
        }
    }
    std::fs::write(&stat_path, out).unwrap();
    std::fs::write(
        root.join("proc/sys/kernel/random/boot_id"),
        format!("{boot}-0000-4000-8000-000000000000\n"),
    )
    .unwrap();
    root
}

/// Appends one interval of a machine with `cpus` CPUs in boot `boot` to `file`.
fn boot(dir: &Path, file: &Path, cpus: u32, boot: &str) {
    for base in ["system-real-a", "system-real-b"] {
        collect_root(&tree(dir, base, cpus, boot), file, &[]);
    }
}

/// The refusal's one line on stderr, checking the exit status 2 and an empty stdout.
fn refused(output: Output) -> String {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

/// The CPUs of the rows of `text` (the number after the time), Average: rows left out.
fn cpu_rows(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|word| word.parse::<u32>().is_ok())
        .map(String::from)
        .collect()
}

#[test]
fn a_cpu_the_file_does_not_have_is_refused_in_report_export_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.rstat");
    boot(dir.path(), &file, 2, "aaaaaaaa");
    let want = "rstat: -P 2: the data has 2 CPUs (0 to 1); name CPUs below 2 or use -P ALL \
                (`rstat info FILE` shows a file's CPUs)\n";
    assert_eq!(refused(report_output(&file, &["-P", "2"])), want);
    // One CPU too many in a list is enough.
    assert!(refused(report_output(&file, &["-P", "0,5"]))
        .starts_with("rstat: -P 0,5: the data has 2 CPUs"));
    let export = rstat()
        .args(["export", "--csv", "-P", "2", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused(export), want);
    let plot = rstat()
        .args(["plot", "-P", "2", "-o"])
        .arg(dir.path().join("plot.svg"))
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused(plot), want);
    assert!(!dir.path().join("plot.svg").exists());
    // The CPUs it has, and ALL,N (ALL shows every CPU whatever N is), are shown.
    let ok = report_output(&file, &["-P", "1"]);
    assert!(ok.status.success(), "{ok:?}");
    assert_eq!(cpu_rows(&String::from_utf8_lossy(&ok.stdout)), ["1"]);
    let ok = report_output(&file, &["-P", "ALL,9"]);
    assert!(ok.status.success(), "{ok:?}");
}

#[test]
fn the_count_is_the_most_of_any_file_or_boot() {
    let dir = tempfile::tempdir().unwrap();
    // Two days: the second machine has 4 CPUs.
    let day1 = dir.path().join("day1.rstat");
    let day2 = dir.path().join("day2.rstat");
    boot(dir.path(), &day1, 2, "aaaaaaaa");
    boot(dir.path(), &day2, 4, "bbbbbbbb");
    let days = |cpus: &str| {
        rstat()
            .args(["report", "-P", cpus, "-f"])
            .arg(&day1)
            .arg("-f")
            .arg(&day2)
            .output()
            .unwrap()
    };
    let shown = days("3");
    assert!(shown.status.success(), "{shown:?}");
    assert_eq!(cpu_rows(&String::from_utf8_lossy(&shown.stdout)), ["3"]);
    assert!(refused(days("4")).starts_with("rstat: -P 4: the data has 4 CPUs (0 to 3);"));
    // One file, restarted with 4 CPUs: its header says 2, its restart 4.
    let restarted = dir.path().join("restarted.rstat");
    boot(dir.path(), &restarted, 2, "aaaaaaaa");
    boot(dir.path(), &restarted, 4, "cccccccc");
    let shown = report_output(&restarted, &["-P", "2,3"]);
    assert!(shown.status.success(), "{shown:?}");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("LINUX RESTART\t(4 CPU)"), "{text}");
    // The first boot has no CPU 2 or 3: rows only in the second.
    assert_eq!(cpu_rows(&text), ["2", "3"], "{text}");
    assert!(refused(report_output(&restarted, &["-P", "4"]))
        .starts_with("rstat: -P 4: the data has 4 CPUs (0 to 3);"));
}

#[test]
fn a_live_report_is_refused_against_this_machines_cpus() {
    let dir = tempfile::tempdir().unwrap();
    let root = tree(dir.path(), "system-real-a", 2, "aaaaaaaa");
    let live = rstat()
        .args(["report", "-P", "7", "--root"])
        .arg(&root)
        .args(["1", "1"])
        .output()
        .unwrap();
    assert_eq!(
        refused(live),
        "rstat: -P 7: this machine has 2 CPUs (0 to 1); name CPUs below 2 or use -P ALL\n"
    );
}
