//! procfs-core 0.18 as an oracle for the per-process parsers: /proc/PID/stat
//! (`procfs_core::process::Stat`), status (`Status`), io (`Io`) and cgroup (`ProcessCGroups`)
//! parsed from the same bytes by both, on every process of the live machine (each file read
//! once into a buffer both parse; a process that exits meanwhile is skipped) and on the
//! fixture trees.

mod common;

use std::path::Path;

use procfs_core::process::{Io, Stat, Status};
use procfs_core::{FromRead, ProcessCGroups};
use rstat_collector::process::{stat, status, text};

fn check_stat(label: &str, bytes: &[u8]) {
    let oracle = Stat::from_read(bytes).unwrap_or_else(|e| panic!("{label}: procfs-core: {e}"));
    let ours = stat::parse(bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(ours.pid, oracle.pid as u32, "{label}");
    // procfs-core trims the line and converts lossily; comms of real processes agree.
    let comm = String::from_utf8_lossy(ours.comm(bytes));
    assert_eq!(comm, oracle.comm, "{label}");
    assert_eq!(char::from(ours.state), oracle.state, "{label}");
    assert_eq!(ours.ppid, oracle.ppid as u64, "{label}");
    assert_eq!(ours.flags, u64::from(oracle.flags), "{label}");
    assert_eq!(
        [ours.minflt, ours.cminflt, ours.majflt, ours.cmajflt],
        [oracle.minflt, oracle.cminflt, oracle.majflt, oracle.cmajflt],
        "{label}"
    );
    assert_eq!(
        [ours.utime, ours.stime],
        [oracle.utime, oracle.stime],
        "{label}"
    );
    assert_eq!(
        [ours.cutime as i64, ours.cstime as i64],
        [oracle.cutime.max(0), oracle.cstime.max(0)],
        "{label}"
    );
    assert_eq!(
        [ours.priority, ours.nice],
        [oracle.priority, oracle.nice],
        "{label}"
    );
    assert_eq!(ours.num_threads as i64, oracle.num_threads, "{label}");
    assert_eq!(
        [ours.starttime, ours.vsize, ours.rss],
        [oracle.starttime, oracle.vsize, oracle.rss],
        "{label}"
    );
    assert_eq!(
        Some(ours.processor as i32),
        oracle.processor.or(Some(0)),
        "{label}"
    );
    assert_eq!(
        Some(ours.rt_priority as u32),
        oracle.rt_priority.or(Some(0)),
        "{label}"
    );
    assert_eq!(
        Some(ours.policy as u32),
        oracle.policy.or(Some(0)),
        "{label}"
    );
    assert_eq!(
        Some(ours.delayacct_blkio_ticks),
        oracle.delayacct_blkio_ticks.or(Some(0)),
        "{label}"
    );
    assert_eq!(
        Some(ours.guest_time),
        oracle.guest_time.or(Some(0)),
        "{label}"
    );
}

fn check_status(label: &str, bytes: &[u8]) {
    let oracle = Status::from_read(bytes).unwrap_or_else(|e| panic!("{label}: procfs-core: {e}"));
    let ours = status::parse_status(bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(ours.uid, u64::from(oracle.ruid), "{label}");
    assert_eq!(ours.swap_kb, oracle.vmswap.unwrap_or(0), "{label}");
    assert_eq!(
        ours.voluntary_ctxt_switches,
        oracle.voluntary_ctxt_switches.unwrap_or(0),
        "{label}"
    );
    assert_eq!(
        ours.nonvoluntary_ctxt_switches,
        oracle.nonvoluntary_ctxt_switches.unwrap_or(0),
        "{label}"
    );
}

fn check_io(label: &str, bytes: &[u8]) {
    let oracle = Io::from_read(bytes).unwrap_or_else(|e| panic!("{label}: procfs-core: {e}"));
    let ours = status::parse_io(bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(
        [ours.rchar, ours.wchar, ours.syscr, ours.syscw],
        [oracle.rchar, oracle.wchar, oracle.syscr, oracle.syscw],
        "{label}"
    );
    assert_eq!(
        [
            ours.read_bytes,
            ours.write_bytes,
            ours.cancelled_write_bytes
        ],
        [
            oracle.read_bytes,
            oracle.write_bytes,
            oracle.cancelled_write_bytes
        ],
        "{label}"
    );
}

fn check_cgroup(label: &str, bytes: &[u8]) {
    let oracle =
        ProcessCGroups::from_read(bytes).unwrap_or_else(|e| panic!("{label}: procfs-core: {e}"));
    let expected = oracle
        .0
        .iter()
        .find(|group| group.hierarchy == 0 && group.controllers.is_empty())
        .map(|group| group.pathname.clone());
    let ours = text::v2_cgroup_path(bytes).map(|path| String::from_utf8_lossy(path).into_owned());
    assert_eq!(ours, expected, "{label}");
}

/// Checks every process directory under `proc`, returning how many stat files were checked.
fn check_tree(proc: &Path) -> usize {
    let mut checked = 0;
    let Ok(entries) = std::fs::read_dir(proc) else {
        return 0;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let dir = entry.path();
        let read = |file: &str| std::fs::read(dir.join(file)).ok();
        if let Some(bytes) = read("stat") {
            check_stat(&format!("{pid}/stat"), &bytes);
            checked += 1;
        }
        if let Some(bytes) = read("status") {
            check_status(&format!("{pid}/status"), &bytes);
        }
        if let Some(bytes) = read("io") {
            check_io(&format!("{pid}/io"), &bytes);
        }
        if let Some(bytes) = read("cgroup") {
            check_cgroup(&format!("{pid}/cgroup"), &bytes);
        }
    }
    checked
}

#[test]
fn live_processes_agree_with_procfs_core() {
    let checked = check_tree(Path::new("/proc"));
    assert!(checked > 1, "only {checked} processes checked");
}

#[test]
fn fixture_processes_agree_with_procfs_core() {
    for tree in [
        "proc-processes-a",
        "proc-processes-b",
        "cgroup-hybrid",
        "cgroup-v1",
    ] {
        let checked = check_tree(&common::tree(tree).join("proc"));
        assert!(checked >= 1, "{tree}");
    }
}
