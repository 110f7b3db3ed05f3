//! Comments (`rstat collect --comment`, sysstat's COM records) printed as sar -C prints them:
//! only with -C (-A does not include it), in sar 12.7's layout; one recorded before a boot's
//! first sample once, under the banner or the LINUX RESTART line; one after it in every
//! table that has rows, at its time (above the blank line and header when the table has not
//! started yet). Checked against the installed sar on a file made by the installed sadc, and
//! on an rstat file whose tables have no rows.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{collect_root, fixture_tree, report, rstat, sadc};

/// An sa file with a comment before the first sample, between two runs, before a restart,
/// after it, and at the end. Runs are a second apart, so that no interval between them is
/// the near-zero one rstat folds into the next.
fn sa_file_with_comments(dir: &Path) -> PathBuf {
    let file = dir.join("sa27");
    sadc(&["-C", "before the first sample"], &file);
    sadc(&["1", "2"], &file);
    sadc(&["-C", "mid comment"], &file);
    std::thread::sleep(std::time::Duration::from_secs(1));
    sadc(&["1", "2"], &file);
    sadc(&["-C", "before the restart"], &file);
    sadc(&[], &file); // no interval: a LINUX RESTART record
    sadc(&["-C", "after the restart"], &file);
    sadc(&["1", "2"], &file);
    sadc(&["-C", "last one"], &file);
    file
}

fn output(mut command: Command) -> String {
    let output = command
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The shape of a report: the banner, blank lines, COM and LINUX RESTART lines as they are,
/// headers by their first column, a run of rows as one `rows`, Average: (and Summary:,
/// Minimum:...) lines by their label, repeats folded. The figures are compared elsewhere
/// (tests/sysstat_files.rs); here, where the comments go.
fn skeleton(text: &str) -> Vec<String> {
    let mut shape: Vec<String> = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let part = match words.as_slice() {
            [] => String::new(),
            ["Linux", ..] => "banner".to_string(),
            [_, "COM", ..] => line.to_string(),
            _ if line.contains("LINUX RESTART") => line.to_string(),
            [label, ..] if label.starts_with(char::is_alphabetic) => label.to_string(),
            [_, rest @ ..] if rest.iter().all(|w| w.parse::<f64>().is_err()) => {
                format!("header {}", rest[0])
            }
            _ => "rows".to_string(),
        };
        let repeat = shape.last() == Some(&part) && (part == "rows" || part.ends_with(':'));
        if !repeat {
            shape.push(part);
        }
    }
    shape
}

#[test]
fn comments_go_where_the_installed_sar_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = sa_file_with_comments(dir.path());
    for options in ["-C -u", "-C -u -q -r -b", "-uC", "-C -A", "-u", "-A"] {
        let args: Vec<&str> = options.split(' ').collect();
        let mut sar = Command::new("sar");
        sar.args(&args).arg("-f").arg(&file);
        let mut ours = rstat();
        ours.arg("report").args(&args).arg("-f").arg(&file);
        let (sar, ours) = (output(sar), output(ours));
        assert_eq!(
            skeleton(&ours),
            skeleton(&sar),
            "{options}\nsar:\n{sar}\nrstat:\n{ours}"
        );
        let comments = ours.matches(" COM ").count();
        if options.contains('C') {
            assert!(comments >= 5, "{options}: {ours}");
        } else {
            assert_eq!(comments, 0, "{options}: {ours}");
        }
    }
    // The layout, to the byte: the first comment under the banner, then the table's blank
    // line; the restart's comment under its line.
    let text = report(&file, &["-C", "-u"]);
    let lines: Vec<&str> = text.lines().collect();
    let after_time = |line: &str| line.get(8..).unwrap_or_default().to_string();
    assert_eq!(
        after_time(lines[1]),
        "     COM before the first sample",
        "{text}"
    );
    assert_eq!(lines[2], "", "{text}");
    let restart = lines
        .iter()
        .position(|l| l.contains("LINUX RESTART"))
        .unwrap();
    assert_eq!(lines[restart - 1], "", "{text}");
    assert!(
        after_time(lines[restart]).starts_with("     LINUX RESTART\t("),
        "{text}"
    );
    assert_eq!(after_time(lines[restart + 1]), "     COM after the restart");
    assert_eq!(lines[restart + 2], "", "{text}");
}

/// Two samples of the fixture tree: a comment before the first, one before the second.
fn rstat_file_with_comments(dir: &Path) -> PathBuf {
    let file = dir.join("day.rstat");
    collect_root(
        &fixture_tree("system-real-a"),
        &file,
        &["--comment", "first"],
    );
    collect_root(&fixture_tree("system-real-b"), &file, &["--comment", "mid"]);
    file
}

#[test]
fn each_table_with_rows_shows_a_comment_once_and_a_table_without_rows_none() {
    let dir = tempfile::tempdir().unwrap();
    let file = rstat_file_with_comments(dir.path());
    // The fixture has no fans, sensors, batteries or USB devices: no table, no comment.
    let text = report(&file, &["-C", "-m", "FAN,TEMP,IN,USB,BAT"]);
    assert_eq!(text.matches(" COM first").count(), 1, "{text}");
    assert_eq!(text.matches(" COM mid").count(), 0, "{text}");
    assert!(text.ends_with("\nno data for these activities in the selected files\n"));
    // Two tables: "mid" (after the first sample, before the first row) above each one's
    // blank line and header, "first" once under the banner.
    let shape = skeleton(&report(&file, &["-C", "-u", "-q"]));
    let com = |line: &String| {
        line.split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let shape: Vec<String> = shape
        .iter()
        .map(|l| {
            if l.contains(" COM ") {
                com(l)
            } else {
                l.clone()
            }
        })
        .collect();
    assert_eq!(
        shape,
        [
            "banner",
            "COM first",
            "COM mid",
            "",
            "header CPU",
            "rows",
            "Average:",
            "COM mid",
            "",
            "header runq-sz",
            "rows",
            "Average:"
        ]
    );
    // -A: "mid" once in each table printed, "first" once; none without -C.
    let text = report(&file, &["-C", "-A"]);
    let tables = skeleton(&text)
        .iter()
        .filter(|l| l.starts_with("header "))
        .count();
    assert!(tables > 10, "{text}");
    assert_eq!(text.matches(" COM mid\n").count(), tables, "{text}");
    assert_eq!(text.matches(" COM first\n").count(), 1, "{text}");
    assert!(!report(&file, &["-A"]).contains(" COM "));
}

#[test]
fn export_answers_sar_c_with_report_c() {
    let dir = tempfile::tempdir().unwrap();
    let file = rstat_file_with_comments(dir.path());
    let output = rstat()
        .args(["export", "--csv", "-C", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rstat report -C"), "{stderr}");
}
