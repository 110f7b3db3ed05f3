//! The shipped systemd units (dist/systemd) load cleanly and are hardened: `systemd-analyze
//! verify` says nothing and `systemd-analyze security --offline=true` rates every service at
//! 2.0 or better (sysstat-collect.service rates 9.6, "UNSAFE").

use std::path::{Path, PathBuf};
use std::process::Command;

fn units() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist/systemd");
    let mut units: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    units.sort();
    units
}

fn have_systemd_analyze() -> bool {
    let found = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("systemd-analyze is not installed: skipping (CI installs systemd)");
    }
    found
}

#[test]
fn units_verify_without_a_word() {
    if !have_systemd_analyze() {
        return;
    }
    // verify checks that ExecStart exists: point the copies at the binary under test.
    let dir = tempfile::tempdir().unwrap();
    let mut copies = Vec::new();
    for unit in units() {
        let text = std::fs::read_to_string(&unit)
            .unwrap()
            .replace("/usr/bin/rstat", env!("CARGO_BIN_EXE_rstat"));
        let copy = dir.path().join(unit.file_name().unwrap());
        std::fs::write(&copy, text).unwrap();
        copies.push(copy);
    }
    assert_eq!(
        copies.len(),
        8,
        "collect (service, timer), collectd, boot, prune (service, timer), serve, push"
    );
    // --man=no: the man pages are installed by the package, not on a build machine.
    let output = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(&copies)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && said.trim().is_empty(),
        "systemd-analyze verify said:\n{said}"
    );
}

#[test]
fn services_are_hardened_to_at_most_2_0() {
    if !have_systemd_analyze() {
        return;
    }
    for unit in units()
        .into_iter()
        .filter(|u| u.extension().is_some_and(|e| e == "service"))
    {
        let output = Command::new("systemd-analyze")
            .args(["security", "--offline=true", "--threshold=20", "--no-pager"])
            .arg(&unit)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        let score: f64 = text
            .lines()
            .find_map(|line| line.split("Overall exposure level for").nth(1))
            .and_then(|rest| rest.split(':').nth(1))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|number| number.parse().ok())
            .unwrap_or_else(|| panic!("no score for {}: {text}", unit.display()));
        assert!(score <= 2.0, "{} rates {score}", unit.display());
        assert!(
            output.status.success(),
            "{} is above the threshold",
            unit.display()
        );
    }
}
