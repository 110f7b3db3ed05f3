//! Parser cost, measured rather than asserted (timings vary by machine), next to procfs-core
//! parsing the same bytes. Ignored by default; run with
//! `cargo test --release -p rstat-collector --test throughput -- --ignored --nocapture`.
//! (A test rather than a bench target: no benchmark harness dependency needed.)

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use procfs_core::net::InterfaceDeviceStatus;
use procfs_core::{
    DiskStats, ExplicitSystemInfo, FromRead, FromReadSI, KernelStats, Meminfo, VmStat,
};
use rstat_collector::proc::{diskstats, meminfo, net_dev, stat, vmstat};
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, Table, TableKind};

const ROUNDS: u32 = 2000;

/// Mean time of one call of `work`, after a warm-up call.
fn time_per_call(mut work: impl FnMut()) -> Duration {
    work();
    let start = Instant::now();
    for _ in 0..ROUNDS {
        work();
    }
    start.elapsed() / ROUNDS
}

#[test]
#[ignore = "a measurement: run explicitly with --ignored --nocapture, in release mode"]
fn parser_cost_against_procfs_core() {
    let tree = "real-debian-vm";
    let info = ExplicitSystemInfo {
        boot_time_secs: 0,
        ticks_per_second: 100,
        page_size: 4096,
        is_little_endian: true,
    };
    let mut table = Table::new(TableKind(0));
    let mut kernel = Table::new(TableKind::STAT);

    let bytes = common::read(tree, "proc/stat");
    let ours = time_per_call(|| stat::parse(black_box(&bytes), &mut table, &mut kernel).unwrap());
    let theirs = time_per_call(|| {
        black_box(KernelStats::from_read(&bytes[..], &info).unwrap());
    });
    println!("/proc/stat      rstat {ours:>9.2?}  procfs-core {theirs:>9.2?}");

    let mut compare = |file: &str, parse: common::Parse, oracle: &dyn Fn(&[u8])| {
        let bytes = common::read(tree, file);
        let ours = time_per_call(|| parse(black_box(&bytes), &mut table).unwrap());
        let theirs = time_per_call(|| oracle(black_box(&bytes)));
        println!("/{file:<14} rstat {ours:>9.2?}  procfs-core {theirs:>9.2?}");
    };
    compare("proc/meminfo", meminfo::parse, &|bytes| {
        black_box(Meminfo::from_read(bytes).unwrap());
    });
    compare("proc/vmstat", vmstat::parse, &|bytes| {
        black_box(VmStat::from_read(bytes).unwrap());
    });
    compare("proc/diskstats", diskstats::parse, &|bytes| {
        black_box(DiskStats::from_read(bytes).unwrap());
    });
    compare("proc/net/dev", net_dev::parse, &|bytes| {
        black_box(InterfaceDeviceStatus::from_read(bytes).unwrap());
    });

    let mut sampler = Sampler::new(std::path::Path::new("/"));
    let mut sample = Sample::default();
    let whole = time_per_call(|| sampler.sample(&mut sample));
    println!("a whole sample of the live /proc (reads included): {whole:.2?}");
}
