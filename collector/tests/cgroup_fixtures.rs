//! cgroup v2 collection on the fixture trees: a pure v2 host (proc-processes-a/-b), a hybrid
//! host (cgroup-hybrid: v2 under /sys/fs/cgroup/unified), a v1-only host (cgroup-v1: no
//! cgroup data, one notice), the walk's bounds (a deep tree made here), and the figures
//! derived between two samples.

mod common;

use std::path::Path;

use rstat_collector::process::{ProcessOptions, ProcessSampler};
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::schema::{Sample, Table, TableKind};
use rstat_data_format::schema_process::{
    cgroup_col as col, cgroup_flag as flag, cgroup_io_col as io_col, cgroup_mode,
    process_summary_col as s,
};

const CGROUPS_ONLY: ProcessOptions = ProcessOptions {
    processes: false,
    cmdline: true,
    threads: false,
    cgroups: true,
};

fn fill(root: &Path, options: ProcessOptions) -> (Sample, Vec<String>) {
    let mut sampler = ProcessSampler::new(root, options);
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    sampler.fill(&mut sample, &mut warnings);
    (sample, warnings)
}

fn groups(sample: &Sample) -> &Table {
    sample.table(TableKind::CGROUPS).expect("a cgroups table")
}

fn summary(sample: &Sample, column: usize) -> u64 {
    sample.table(TableKind::PROCESS_SUMMARY).unwrap().rows[0].values[column]
}

fn sorted_keys(table: &Table) -> Vec<&str> {
    let mut keys = common::keys(table);
    keys.sort_unstable();
    keys
}

#[test]
fn pure_v2_records_every_group_parents_first() {
    let (sample, warnings) = fill(&common::tree("proc-processes-a"), CGROUPS_ONLY);
    assert_eq!(warnings, Vec::<String>::new());
    let table = groups(&sample);
    assert_eq!(
        sorted_keys(table),
        [
            "/",
            "/system.slice",
            "/system.slice/cron.service",
            "/user.slice"
        ]
    );
    let position = |key: &str| table.rows.iter().position(|r| r.key == key).unwrap();
    assert_eq!(position("/"), 0);
    assert!(position("/system.slice") < position("/system.slice/cron.service"));
    assert_eq!(summary(&sample, s::CGROUP_MODE), cgroup_mode::V2);
    assert_eq!(summary(&sample, s::CGROUPS), 4);

    let root = table.row("/").unwrap();
    assert_eq!(root.values.len(), col::COUNT);
    let root_flags = flag::CPU_STAT
        | flag::MEMORY_STAT
        | flag::IO_STAT
        | flag::CPU_PRESSURE
        | flag::IO_PRESSURE
        | flag::MEMORY_PRESSURE;
    assert_eq!(
        root.values[col::FLAGS],
        root_flags,
        "the root has no memory.current"
    );
    assert_eq!(root.values[col::USAGE_USEC], 1_000_000);
    assert_eq!(root.values[col::ANON], 1000);

    let system = table.row("/system.slice").unwrap();
    let v = |c: usize| system.values[c];
    assert_eq!(v(col::FLAGS), 1023, "every file read");
    assert_eq!(
        [v(col::USAGE_USEC), v(col::USER_USEC), v(col::SYSTEM_USEC)],
        [5_000_000, 3_000_000, 2_000_000]
    );
    assert_eq!(
        [
            v(col::NR_PERIODS),
            v(col::NR_THROTTLED),
            v(col::THROTTLED_USEC)
        ],
        [100, 3, 900]
    );
    assert_eq!(v(col::MEMORY_CURRENT), 104_857_600);
    assert_eq!(v(col::SWAP_CURRENT), 8192);
    assert_eq!(
        [
            v(col::ANON),
            v(col::FILE),
            v(col::KERNEL),
            v(col::SOCK),
            v(col::SHMEM)
        ],
        [52_428_800, 26_214_400, 10_485_760, 4096, 8192]
    );
    assert_eq!(
        [
            v(col::SLAB_RECLAIMABLE),
            v(col::SLAB_UNRECLAIMABLE),
            v(col::PGFAULT)
        ],
        [50, 60, 1000]
    );
    assert_eq!(
        [
            v(col::WORKINGSET_REFAULT_ANON),
            v(col::WORKINGSET_REFAULT_FILE)
        ],
        [1, 2]
    );
    assert_eq!(
        [
            v(col::EVENTS_HIGH),
            v(col::EVENTS_OOM),
            v(col::EVENTS_OOM_KILL)
        ],
        [4, 0, 0]
    );
    let cpu_psi = &system.values[col::PSI_CPU..col::PSI_CPU + col::psi::COUNT];
    assert_eq!(cpu_psi, [150, 0, 0, 10, 25, 0, 0, 5]);
    assert_eq!(v(col::PIDS_CURRENT), 12);

    let io = sample.table(TableKind::CGROUP_IO).unwrap();
    let device = io.row("/system.slice 254:0").unwrap();
    assert_eq!(device.values, [5000, 7000, 10, 20, 0, 0]);
    assert_eq!(device.values.len(), io_col::COUNT);
    assert!(io.row("/system.slice 8:0").is_some());
    assert!(io.row("/ 254:0").is_some());
}

#[test]
fn hybrid_hosts_are_read_under_unified() {
    let (sample, warnings) = fill(&common::tree("cgroup-hybrid"), ProcessOptions::default());
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(summary(&sample, s::CGROUP_MODE), cgroup_mode::HYBRID);
    assert_eq!(
        sorted_keys(groups(&sample)),
        [
            "/",
            "/system.slice",
            "/system.slice/cron.service",
            "/user.slice"
        ]
    );
    // The process's cgroup is the v2 (0::) line, not a v1 one.
    let process = sample
        .table(TableKind::PROCESSES)
        .unwrap()
        .row("1")
        .unwrap();
    assert_eq!(process.text[2], "/init.scope");
}

#[test]
fn v1_only_hosts_record_no_cgroups_and_say_so_once() {
    let root = common::tree("cgroup-v1");
    let mut sampler = ProcessSampler::new(&root, ProcessOptions::default());
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    for _ in 0..3 {
        sampler.fill(&mut sample, &mut warnings);
        assert!(sample.table(TableKind::CGROUPS).is_none());
        assert!(sample.table(TableKind::CGROUP_IO).is_none());
        assert_eq!(summary(&sample, s::CGROUP_MODE), cgroup_mode::V1_ONLY);
    }
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("only cgroup v1"), "{warnings:?}");
    let process = sample
        .table(TableKind::PROCESSES)
        .unwrap()
        .row("1")
        .unwrap();
    assert_eq!(process.text[2], "", "no v2 path on a v1 host");
}

#[test]
fn the_walk_is_bounded_in_depth() {
    let dir = tempfile::tempdir().unwrap();
    let mut path = dir.path().join("sys/fs/cgroup");
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join("cgroup.controllers"), "cpu\n").unwrap();
    std::fs::write(path.join("cpu.stat"), "usage_usec 1\n").unwrap();
    for level in 1..=12 {
        path = path.join(format!("l{level}"));
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("cpu.stat"), format!("usage_usec {level}\n")).unwrap();
    }
    // A directory without cpu.stat is not a group that can be read: left out with its subtree.
    std::fs::create_dir(dir.path().join("sys/fs/cgroup/broken")).unwrap();
    let (sample, warnings) = fill(dir.path(), CGROUPS_ONLY);
    let table = groups(&sample);
    assert_eq!(table.rows.len(), 11, "the root and 10 levels below it");
    assert_eq!(
        table.rows.last().unwrap().key,
        "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10"
    );
    assert_eq!(table.rows.last().unwrap().values[col::USAGE_USEC], 10);
    assert_eq!(summary(&sample, s::CGROUPS_SKIPPED), 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("deeper than 10"), "{warnings:?}");
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

#[test]
fn cgroup_figures_between_two_samples() {
    let sample = |tree: &str| {
        let root = common::tree(tree);
        let mut sampler = Sampler::new(&root);
        sampler.enable_processes(&root, CGROUPS_ONLY);
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sample
    };
    let (a, b) = (sample("proc-processes-a"), sample("proc-processes-b"));
    let interval = Interval::new(&a, &b).unwrap();
    let rates = interval.cgroups();
    let mut paths: Vec<&str> = rates.iter().map(|r| r.path).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/",
            "/system.slice",
            "/system.slice/cron.service",
            "/user.slice"
        ],
        "new.service, only in b, gets no rate"
    );
    let root = rates.iter().find(|r| r.path == "/").unwrap();
    assert!(close(root.cpu_pct, 100.0));
    assert!(close(root.cpu_pressure.some_pct, 1.0));
    let g = rates.iter().find(|r| r.path == "/system.slice").unwrap();
    assert!(close(g.cpu_pct, 50.0) && close(g.user_pct, 40.0) && close(g.system_pct, 10.0));
    assert!(close(g.throttled_per_s, 100.0) && close(g.throttled_pct, 5.0));
    assert_eq!(
        (g.memory_kb, g.anon_kb, g.file_kb, g.kernel_kb),
        (102_400, 51_200, 25_600, 10_240)
    );
    assert_eq!((g.sock_kb, g.shmem_kb, g.swap_kb, g.pids), (4, 8, 8, 12));
    assert!(close(g.pgfault_per_s, 1000.0) && close(g.pgmajfault_per_s, 100.0));
    assert_eq!((g.events_high, g.events_oom, g.events_oom_kill), (10, 1, 1));
    assert!(
        close(g.io.rkb_per_s, 1100.0),
        "summed over both devices: {}",
        g.io.rkb_per_s
    );
    assert!(close(g.io.wkb_per_s, 500.0));
    assert!(close(g.io.rio_per_s, 100.0) && close(g.io.wio_per_s, 200.0));
    assert!(close(g.cpu_pressure.some_avg10, 1.5) && close(g.cpu_pressure.full_avg10, 0.25));
    assert!(close(g.cpu_pressure.some_pct, 10.0));
    assert!(close(g.memory_pressure.full_pct, 1.0));
    assert!(close(g.io_pressure.some_pct, 0.0));
}

#[test]
fn live_machine_cgroups() {
    let (sample, warnings) = fill(Path::new("/"), CGROUPS_ONLY);
    let mode = summary(&sample, s::CGROUP_MODE);
    match mode {
        cgroup_mode::V2 | cgroup_mode::HYBRID => {
            assert_eq!(warnings, Vec::<String>::new());
            let root = groups(&sample).row("/").expect("the root group");
            assert_ne!(root.values[col::FLAGS] & flag::CPU_STAT, 0);
            assert!(root.values[col::USAGE_USEC] > 0);
        }
        _ => assert!(sample.table(TableKind::CGROUPS).is_none()),
    }
}
