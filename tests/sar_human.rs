//! `rstat report -h` / `--human` against the installed sar's on the same sysstat file (made
//! at test time by the installed sadc): sizes with a unit letter (11.2G, 4.0k, 0.0B),
//! percentages with a % sign, device and interface names last (-h is --pretty --human), and
//! --dec=0's whole figures. The columns whose formula changed after 12.6.1 are left out.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{rstat, CHANGED_AFTER_12_6_1};

const SADC: &str = "/usr/lib/sysstat/sadc";

/// The tables where sar prints units or percentages, and one where it prints neither.
const OPTIONS: &[&str] = &["-u ALL", "-r", "-S", "-H", "-d", "-n DEV", "-F", "-q", "-b"];

fn run(mut command: Command) -> Output {
    command.env("TZ", "UTC").env("LC_ALL", "C");
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?}: {output:?}");
    output
}

/// The lines that start with a time (headers included: -h moves the item's name), without
/// the Average rows (12.6.1 averages some levels otherwise) and the changed columns.
fn rows(stdout: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(stdout);
    let mut drop: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if !words.first().is_some_and(|w| w.contains(':')) || words[0] == "Average:" {
            continue;
        }
        // A header has no figure: no word after the time starts with a digit.
        let header = words[1..]
            .iter()
            .all(|w| !w.starts_with(|c: char| c.is_ascii_digit()));
        if header {
            drop = (0..words.len())
                .filter(|i| CHANGED_AFTER_12_6_1.contains(&words[*i]))
                .collect();
        }
        let kept: Vec<&str> = (0..words.len())
            .filter(|i| !drop.contains(i))
            .map(|i| words[i])
            .collect();
        rows.push(kept.join(" "));
    }
    rows
}

fn assert_same_as_sar(file: &Path, option: &str, extra: &[&str]) {
    let mut sar = Command::new("sar");
    sar.args(extra)
        .args(option.split_whitespace())
        .arg("-f")
        .arg(file);
    let theirs = rows(&run(sar).stdout);
    let mut ours = rstat();
    ours.arg("report")
        .args(extra)
        .args(option.split_whitespace())
        .arg("-f")
        .arg(file);
    let ours = rows(&run(ours).stdout);
    assert!(theirs.len() > 1, "sar {extra:?} {option} printed no rows");
    assert_eq!(ours, theirs, "rstat report {extra:?} {option}");
}

#[test]
fn human_figures_are_sars() {
    if !Path::new(SADC).exists() {
        panic!("{SADC} missing: apt-get install sysstat (.ci/run does)");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa27");
    let status = Command::new(SADC)
        .args(["-S", "XALL", "1", "3"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    for option in OPTIONS {
        assert_same_as_sar(&file, option, &["-h"]);
    }
    for option in ["-u", "-r", "-n DEV"] {
        assert_same_as_sar(&file, option, &["--human"]);
        assert_same_as_sar(&file, option, &["-h", "--dec=0"]);
        assert_same_as_sar(&file, option, &["--human", "--dec=1"]);
    }
    // The units themselves, not only agreement: memory in k/M/G, CPU in %.
    let mut memory = rstat();
    memory.args(["report", "-h", "-r", "-f"]).arg(&file);
    let text = String::from_utf8(run(memory).stdout).unwrap();
    let row = text.lines().nth(3).unwrap();
    assert!(
        row.split_whitespace()
            .skip(1)
            .all(|w| w.ends_with(['k', 'M', 'G', 'T', '%'])),
        "{text}"
    );
    let mut cpu = rstat();
    cpu.args(["report", "-h", "-u", "-f"]).arg(&file);
    let text = String::from_utf8(run(cpu).stdout).unwrap();
    let row: Vec<&str> = text.lines().nth(3).unwrap().split_whitespace().collect();
    assert_eq!(row[1], "all", "{text}");
    let total: f64 = row[2..]
        .iter()
        .map(|w| w.strip_suffix('%').unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((total - 100.0).abs() < 0.5, "{text}");
}
