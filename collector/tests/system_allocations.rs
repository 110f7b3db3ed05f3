//! Steady-state sampling of the system activities allocates nothing: a counting global
//! allocator (in this test binary only) counts the heap allocations made by the current thread
//! while the parsers refill their tables and while the sampler samples every activity.

mod common;

use std::path::Path;

use rstat_collector::activities::Activities;
use rstat_collector::proc::{interrupts, mounts, pressure, rpc, serial, snmp, sockstat, softnet};
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, Table, TableKind};

#[path = "common/counting.rs"]
mod counting;

use counting::allocations_in;

#[global_allocator]
static ALLOCATOR: counting::CountingAllocator = counting::CountingAllocator;

#[test]
fn system_parsers_allocate_nothing_when_refilling() {
    let parsers: [(&str, common::Parse); 11] = [
        ("proc/interrupts", interrupts::parse),
        ("proc/softirqs", interrupts::parse_softirqs),
        ("proc/pressure/io", |b, t| {
            pressure::parse(pressure::IO_FILE, b, t)
        }),
        ("proc/tty/driver/serial", serial::parse),
        ("proc/net/rpc/nfsd", rpc::parse_nfsd),
        ("proc/net/sockstat", sockstat::parse),
        ("proc/net/snmp", snmp::parse_snmp),
        ("proc/net/netstat", snmp::parse_netstat),
        ("proc/net/snmp6", snmp::parse_snmp6),
        ("proc/net/softnet_stat", softnet::parse),
        ("proc/self/mounts", mounts::parse),
    ];
    for (file, parse) in parsers {
        let first = common::read("system-hardware-a", file);
        let later = common::read("system-hardware-b", file);
        let mut table = Table::new(TableKind(0));
        parse(&first, &mut table).unwrap();
        parse(&later, &mut table).unwrap();
        let count = allocations_in(|| {
            parse(&first, &mut table).unwrap();
            parse(&later, &mut table).unwrap();
        });
        assert_eq!(count, 0, "{file}");
    }
}

#[test]
fn sampling_every_activity_allocates_nothing_once_warm() {
    let trees = [
        "system-real-a",
        "system-hardware-a",
        "system-fs",
        "system-psi-empty",
        "system-psi-absent",
    ];
    for tree in trees {
        let mut sampler = Sampler::with_activities(&common::tree(tree), Activities::all());
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sampler.sample(&mut sample);
        drop(sampler.take_warnings());
        assert_eq!(allocations_in(|| sampler.sample(&mut sample)), 0, "{tree}");
    }
    let mut sampler = Sampler::with_activities(Path::new("/"), Activities::all());
    let mut sample = Sample::default();
    for _ in 0..3 {
        sampler.sample(&mut sample);
    }
    drop(sampler.take_warnings());
    // The live machine changes between samples (a row may grow a digit): allow a little.
    let live = allocations_in(|| sampler.sample(&mut sample));
    assert!(live <= 2, "{live} allocations sampling the live machine");
}
