//! Steady-state sampling allocates nothing: a counting global allocator (in this test binary
//! only) counts the heap allocations made by the current thread while it parses and samples.

mod common;

use rstat_collector::proc::{diskstats, loadavg, meminfo, net_dev, stat, uptime, vmstat};
use rstat_collector::sampler::Sampler;
use rstat_data_format::schema::{Sample, Table, TableKind};

#[path = "common/counting.rs"]
mod counting;

use counting::allocations_in;

#[global_allocator]
static ALLOCATOR: counting::CountingAllocator = counting::CountingAllocator;

#[test]
fn the_counter_sees_allocations() {
    assert!(allocations_in(|| drop(std::hint::black_box(vec![1u8; 10]))) >= 1);
}

#[test]
fn parsers_allocate_nothing_when_refilling() {
    let tree = "real-debian-vm";
    let parsers: [(&str, common::Parse); 6] = [
        ("proc/uptime", uptime::parse),
        ("proc/meminfo", meminfo::parse),
        ("proc/vmstat", vmstat::parse),
        ("proc/loadavg", loadavg::parse),
        ("proc/diskstats", diskstats::parse),
        ("proc/net/dev", net_dev::parse),
    ];
    for (file, parse) in parsers {
        let bytes = common::read(tree, file);
        let later = common::read("real-debian-vm-later", file);
        let mut table = Table::new(TableKind(0));
        parse(&bytes, &mut table).unwrap();
        let count = allocations_in(|| {
            parse(&later, &mut table).unwrap();
            parse(&bytes, &mut table).unwrap();
        });
        assert_eq!(count, 0, "{file}");
    }
    let bytes = common::read(tree, "proc/stat");
    let (mut cpu, mut kernel) = (Table::new(TableKind::CPU), Table::new(TableKind::STAT));
    stat::parse(&bytes, &mut cpu, &mut kernel).unwrap();
    assert_eq!(
        allocations_in(|| stat::parse(&bytes, &mut cpu, &mut kernel).unwrap()),
        0,
        "proc/stat"
    );
}

#[test]
fn sampling_allocates_nothing_once_warm() {
    for tree in ["real-debian-vm", "missing-files-a"] {
        let mut sampler = Sampler::new(&common::tree(tree));
        let mut sample = Sample::default();
        sampler.sample(&mut sample);
        sampler.sample(&mut sample);
        drop(sampler.take_warnings());
        assert_eq!(allocations_in(|| sampler.sample(&mut sample)), 0, "{tree}");
    }
}
