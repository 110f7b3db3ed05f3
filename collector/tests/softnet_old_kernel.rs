//! /proc/net/softnet_stat of a kernel before 5.10 (no CPU-number column) with an offline CPU,
//! sampled from a hand-made root: the lines belong to the online CPUs of /proc/stat in
//! order, as sysstat's read_softnet reads them, so the figures land on the right CPUs.

use std::fs;
use std::path::Path;

use rstat_collector::activities::{Activities, Group};
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::Sample;

/// A root with cpu0 and cpu2 online (cpu1 offline) and softnet lines of 11 columns.
fn root(dir: &Path, uptime: &str, processed: [u64; 2]) {
    fs::create_dir_all(dir.join("proc/net")).unwrap();
    fs::write(dir.join("proc/uptime"), format!("{uptime} 100.00\n")).unwrap();
    fs::write(
        dir.join("proc/stat"),
        "cpu  20 0 20 200 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\ncpu2 10 0 10 100 0 0 0 0 0 0\nctxt 1\nbtime 1\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n",
    )
    .unwrap();
    let line = |n: u64| {
        format!("{n:08x} 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n")
    };
    fs::write(
        dir.join("proc/net/softnet_stat"),
        format!("{}{}", line(processed[0]), line(processed[1])),
    )
    .unwrap();
}

#[test]
fn old_kernel_softnet_lines_go_to_the_online_cpus() {
    let dir = tempfile::tempdir().unwrap();
    let activities = Activities::of(&[Group::Cpu, Group::Softnet]);
    let mut sampler = Sampler::with_activities(dir.path(), activities);
    let take = |sampler: &mut Sampler| {
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sample
    };
    root(dir.path(), "100.00", [100, 1000]);
    let a = take(&mut sampler);
    root(dir.path(), "102.00", [140, 1600]);
    let b = take(&mut sampler);
    let keys: Vec<&str> = b
        .table(rstat_data_format::TableKind::SOFTNET)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(
        keys,
        ["cpu0", "cpu2"],
        "the second line is cpu2's, not cpu1's"
    );
    let rows: Vec<(Option<u32>, f64)> = Interval::new(&a, &b)
        .unwrap()
        .softnet()
        .iter()
        .map(|r| (r.cpu, r.total))
        .collect();
    // 40 and 600 packets over 2 s.
    assert_eq!(rows, [(None, 320.0), (Some(0), 20.0), (Some(2), 300.0)]);
}
