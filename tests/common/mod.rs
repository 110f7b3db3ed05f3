//! Helpers shared by the end-to-end tests of the `rstat` binary.
#![allow(dead_code)] // each test file uses some of them

pub mod daemons;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Figures whose formula changed after Debian's sar (12.6.1): rstat follows sysstat 12.7.9
/// (see rstat-report(1)), so these are not compared.
/// - `-r` kbmemused and %memused: MemTotal - MemAvailable since 12.7.8 (12.6: MemTotal -
///   MemFree - Buffers - Cached - Slab).
/// - `-B` pgprom/s and pgdem/s: new in 12.7.5; %vmeff: no longer printed by 12.7.
/// - `-b`: each counter summed over the whole disks, then the sums subtracted (0 when they
///   drop), as 12.7.9 does.
/// - devices, interfaces, FC hosts and IRQ lines that appear or are re-registered: computed
///   against zero (only differs from 12.6.1 when that happens during the run).
pub const CHANGED_AFTER_12_6_1: [&str; 6] = [
    "kbmemused",
    "%memused",
    "kbshmem",
    "pgprom/s",
    "pgdem/s",
    "%vmeff",
];

/// Debian's sysstat data collector, to make sa files at test time (.ci/run installs sysstat).
pub const SADC: &str = "/usr/lib/sysstat/sadc";

/// Runs the installed sadc with `args`, appending to `file`.
pub fn sadc(args: &[&str], file: &Path) {
    assert!(
        Path::new(SADC).exists(),
        "{SADC} missing: apt-get install sysstat (.ci/run does)"
    );
    let status = Command::new(SADC)
        .args(args)
        .arg(file)
        .status()
        .expect("sadc runs");
    assert!(status.success(), "sadc {args:?}");
}

/// The binary under test.
pub fn rstat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rstat"))
}

/// A fixture tree (a captured or hand-made /proc and /sys) of the collector's tests.
pub fn fixture_tree(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("collector/tests/fixtures")
        .join(name)
}

/// Appends one sample of the fixture tree `tree` to `file`, system activities only (plus
/// `extra` options), and checks that the collector succeeded without a warning on stderr
/// (--quiet: no start and stop lines either).
pub fn collect_from(tree: &str, file: &Path, extra: &[&str]) {
    let stderr = collect_root(&fixture_tree(tree), file, extra);
    assert!(stderr.is_empty(), "{stderr}");
}

/// Appends one sample of the tree at `root` to `file` as [`collect_from`] does, checking
/// only that the collector succeeded; its stderr (notes, warnings) is returned.
pub fn collect_root(root: &Path, file: &Path, extra: &[&str]) -> String {
    let output = rstat()
        .args(["collect", "--count", "1", "--quiet", "--no-processes"])
        .arg("--no-cgroups")
        .args(extra)
        .arg("--file")
        .arg(file)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}
pub mod measured;

/// How `rstat report -f FILE ARGS` ended.
pub fn report_output(file: &Path, args: &[&str]) -> std::process::Output {
    rstat()
        .args(["report", "-f"])
        .arg(file)
        .args(args)
        .output()
        .unwrap()
}

/// `rstat report -f FILE ARGS`'s output, checking that it succeeded.
pub fn report(file: &Path, args: &[&str]) -> String {
    let output = report_output(file, args);
    assert!(output.status.success(), "rstat report {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}
