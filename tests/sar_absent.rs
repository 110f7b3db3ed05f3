//! sar's rule for absent sources: an activity that was collected prints a table of zeros on
//! a host without its source (NFS without /proc/net/rpc, PSI without /proc/pressure), and an
//! activity that was not collected stays absent. The tree is the collector's fixture of a
//! kernel without PSI or NFS, sampled twice ten seconds of uptime apart.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture_tree, report, rstat};

/// Two samples of the no-PSI, no-NFS tree with `activities`, into DIR/NAME.
fn collected(dir: &Path, name: &str, activities: &str) -> PathBuf {
    let root = dir.join(format!("{name}-root"));
    let copied = Command::new("cp")
        .arg("-a")
        .arg(fixture_tree("system-psi-absent"))
        .arg(&root)
        .status()
        .unwrap();
    assert!(copied.success());
    let file = dir.join(name);
    for step in 0..2 {
        if step == 1 {
            std::fs::write(root.join("proc/uptime"), "2927.41 2473.50\n").unwrap();
        }
        common::collect_root(&root, &file, &["--activities", activities]);
    }
    file
}

/// The figures of the row labelled `label` under the header holding `column`.
fn row_under(text: &str, column: &str, label: &str) -> Option<Vec<String>> {
    let mut lines = text.lines().skip_while(|l| !l.contains(column));
    lines.next()?;
    lines
        .take_while(|l| !l.is_empty())
        .find(|l| l.starts_with(label))
        .map(|l| l.split_whitespace().skip(1).map(String::from).collect())
}

#[test]
fn collected_but_absent_sources_print_tables_of_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), "all.rstat", "ALL");
    let text = report(&file, &["-n", "NFS,NFSD", "-q", "ALL"]);
    for (column, width) in [
        ("call/s", 6),
        ("scall/s", 11),
        ("%scpu-10", 4),
        ("%sio-10", 8),
        ("%smem-10", 8),
    ] {
        let zeros = vec!["0.00".to_string(); width];
        for label in ["Average:", ""] {
            // The interval's row (labelled by its time) and the Average: row.
            let row = if label.is_empty() {
                let mut lines = text.lines().skip_while(|l| !l.contains(column));
                lines.nth(1).map(|l| {
                    l.split_whitespace()
                        .skip(1)
                        .map(String::from)
                        .collect::<Vec<_>>()
                })
            } else {
                row_under(&text, column, label)
            };
            assert_eq!(row, Some(zeros.clone()), "{column} {label}: {text}");
        }
    }

    // export shows the same zeros.
    let output = rstat()
        .args(["export", "--jsonl", "-n", "NFS", "-q", "CPU", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8(output.stdout).unwrap().trim()).unwrap();
    assert_eq!(line["activities"]["net-nfs"]["call/s"].as_f64(), Some(0.0));
    assert_eq!(line["activities"]["psi-cpu"]["%scpu"].as_f64(), Some(0.0));
}

#[test]
fn activities_not_collected_stay_absent() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path(), "some.rstat", "DEFAULT,-nfs,-psi");
    let output = common::report_output(&file, &["-n", "NFS,NFSD", "-q", "ALL"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    for column in ["call/s", "scall/s", "%scpu-10", "%sio-10", "%smem-10"] {
        assert!(!text.contains(column), "{column}: {text}");
    }
    // The queue, which was collected, is there.
    assert!(text.contains("runq-sz"), "{text}");
}
