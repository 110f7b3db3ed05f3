//! Tests of the derivation on hand-made samples; fixture-driven tests live in the collector.

use super::*;
use crate::schema::{net_col, Table};

/// (table kind, rows as (key, values)).
type TableSpec<'a> = (TableKind, Vec<(&'a str, Vec<u64>)>);

fn sample(uptime_cs: u64, tables: Vec<TableSpec>) -> Sample {
    let mut all = vec![Table {
        kind: TableKind::UPTIME,
        rows: vec![Row {
            key: "uptime".into(),
            text: vec![],
            values: vec![uptime_cs, 0],
        }],
    }];
    for (kind, rows) in tables {
        all.push(Table {
            kind,
            rows: rows
                .into_iter()
                .map(|(k, v)| Row {
                    key: k.into(),
                    text: vec![],
                    values: v,
                })
                .collect(),
        });
    }
    all.sort_by_key(|t| t.kind);
    Sample {
        time_us: uptime_cs as i64 * 10_000,
        tables: all,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn counter_delta_handles_backwards_and_32_bit_wrap() {
    assert_eq!(counter_delta(100, 150), 50);
    assert_eq!(
        counter_delta(150, 100),
        0,
        "backwards is 0, not a huge value"
    );
    assert_eq!(counter_delta(4_294_967_000, 200), 496, "32-bit wrap");
    assert_eq!(
        counter_delta(5_000_000_000, 10),
        0,
        "a 64-bit counter that reset"
    );
}

#[test]
fn interval_comes_from_uptime_and_needs_the_same_boot() {
    let a = sample(1000, vec![]);
    let mut b = sample(1250, vec![]);
    b.time_us = -5; // the wall clock jumped back: irrelevant
    assert!(close(Interval::new(&a, &b).unwrap().seconds, 2.5));
    assert!(Interval::new(&b, &a).is_none(), "uptime went down");
    let boot = |s: &mut Sample, id: &str| {
        s.table_mut(TableKind::BOOT).rows = vec![Row {
            key: "boot".into(),
            text: vec![id.into()],
            values: vec![],
        }];
    };
    let (mut a, mut b) = (a, sample(1250, vec![]));
    boot(&mut a, "one");
    boot(&mut b, "two");
    assert!(Interval::new(&a, &b).is_none(), "different boots");
}

#[test]
fn cpu_all_is_the_sum_of_online_cpus_and_guest_is_not_counted_twice() {
    // cpu0: 100 ticks, 60 user of which 20 guest; cpu1: 100 ticks all idle.
    let a = sample(
        100,
        vec![(
            TableKind::CPU,
            vec![
                ("cpu", vec![0; 10]),
                // All zeros would be a CPU without reference values (sysstat).
                ("cpu0", vec![0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
                ("cpu1", vec![0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
            ],
        )],
    );
    let b = sample(
        200,
        vec![(
            TableKind::CPU,
            vec![
                ("cpu", vec![999, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // the summary line is ignored
                ("cpu0", vec![60, 0, 10, 21, 5, 2, 3, 0, 20, 0]),
                ("cpu1", vec![0, 0, 0, 101, 0, 0, 0, 0, 0, 0]),
            ],
        )],
    );
    let cpus = Interval::new(&a, &b).unwrap().cpus();
    assert_eq!(cpus.len(), 3);
    let (all, cpu0, cpu1) = (&cpus[0], &cpus[1], &cpus[2]);
    assert_eq!((all.cpu, cpu0.cpu, cpu1.cpu), (None, Some(0), Some(1)));
    assert!(close(cpu0.usr, 40.0) && close(cpu0.guest, 20.0) && close(cpu0.sys, 10.0));
    assert!(close(cpu0.idle, 20.0) && close(cpu0.iowait, 5.0));
    assert!(close(cpu0.system_with_irq(), 15.0));
    assert!(close(cpu1.idle, 100.0));
    assert!(
        close(all.usr, 20.0) && close(all.idle, 60.0),
        "all = sum over both CPUs: {all:?}"
    );
    // Plain sar -u: %user includes guest time, and the row adds up to 100.
    assert!(close(cpu0.user_with_guest, 60.0) && close(all.user_with_guest, 30.0));
    let plain = cpu0.user_with_guest
        + cpu0.nice_with_guest
        + cpu0.system_with_irq()
        + cpu0.iowait
        + cpu0.steal
        + cpu0.idle;
    assert!(close(plain, 100.0), "{plain}");
}

#[test]
fn offline_cpu_is_hidden_not_zero() {
    let a = sample(
        100,
        vec![(
            TableKind::CPU,
            vec![
                ("cpu0", vec![1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
                ("cpu1", vec![1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
            ],
        )],
    );
    let b = sample(
        200,
        vec![(
            TableKind::CPU,
            vec![("cpu0", vec![51, 0, 0, 51, 0, 0, 0, 0, 0, 0])],
        )],
    );
    let cpus = Interval::new(&a, &b).unwrap().cpus();
    let names: Vec<Option<u32>> = cpus.iter().map(|c| c.cpu).collect();
    assert_eq!(names, vec![None, Some(0)]);
    assert!(close(cpus[0].usr, 50.0));
}

#[test]
fn iowait_going_backwards_gives_zero_not_a_huge_value() {
    let a = sample(
        100,
        vec![(
            TableKind::CPU,
            vec![("cpu0", vec![10, 0, 10, 1000, 50, 0, 0, 0, 0, 0])],
        )],
    );
    let b = sample(
        200,
        vec![(
            TableKind::CPU,
            vec![("cpu0", vec![20, 0, 20, 1090, 40, 0, 0, 0, 0, 0])],
        )],
    );
    let cpu0 = &Interval::new(&a, &b).unwrap().cpus()[1];
    assert!(close(cpu0.iowait, 0.0));
    assert!(
        cpu0.usr > 0.0 && cpu0.usr <= 100.0 && cpu0.idle <= 100.0,
        "{cpu0:?}"
    );
}

#[test]
fn memory_uses_sysstat_formula() {
    let s = sample(
        100,
        vec![(
            TableKind::MEMINFO,
            vec![
                ("MemTotal", vec![1000]),
                ("MemFree", vec![100]),
                ("MemAvailable", vec![400]),
                ("Shmem", vec![30]),
                ("Buffers", vec![50]),
                ("Cached", vec![200]),
                ("Slab", vec![150]),
                ("Committed_AS", vec![600]),
                ("SwapTotal", vec![1000]),
                ("SwapFree", vec![750]),
                ("SwapCached", vec![25]),
            ],
        )],
    );
    let m = memory(&s).unwrap();
    // sysstat 12.7.8: used = MemTotal - MemAvailable (12.6's free/buffers/cache/slab rule
    // would give 500).
    assert_eq!((m.kbmemfree, m.kbavail, m.kbmemused), (100, 400, 600));
    assert!(close(m.memused_pct, 60.0) && close(m.commit_pct, 30.0));
    assert_eq!(m.kbshmem, 30);
    let swap = swap_space(&s).unwrap();
    assert_eq!(
        (swap.kbswpfree, swap.kbswpused, swap.kbswpcad),
        (750, 250, 25)
    );
    assert!(close(swap.swpused_pct, 25.0) && close(swap.swpcad_pct, 10.0));
    assert!(
        huge_pages(&s).is_none(),
        "no Hugepagesize line: no huge page figures"
    );
}

fn disk(reads: u64, sectors_read: u64, read_ms: u64, io_ms: u64, weighted: u64) -> Vec<u64> {
    let mut v = vec![
        8,
        0,
        reads,
        0,
        sectors_read,
        read_ms,
        0,
        0,
        0,
        0,
        0,
        io_ms,
        weighted,
    ];
    v.extend([0; 6]);
    v
}

#[test]
fn disk_rates_follow_sar() {
    let a = sample(
        100,
        vec![(
            TableKind::DISKSTATS,
            vec![("sda", disk(100, 1000, 50, 100, 200))],
        )],
    );
    let b = sample(
        300,
        vec![(
            TableKind::DISKSTATS,
            vec![("sda", disk(300, 3000, 450, 600, 1200))],
        )],
    );
    let d = &Interval::new(&a, &b).unwrap().disks()[0];
    assert_eq!(d.device, "sda");
    assert!(close(d.tps, 100.0) && close(d.rkb_per_s, 500.0));
    assert!(close(d.areq_sz, 5.0) && close(d.await_ms, 2.0));
    assert!(close(d.aqu_sz, 0.5) && close(d.util_pct, 25.0));
}

#[test]
fn new_reregistered_or_renumbered_devices_are_computed_against_zero() {
    let a = sample(
        100,
        vec![(
            TableKind::DISKSTATS,
            vec![
                ("sda", disk(300, 3000, 450, 600, 1200)),
                ("sdb", disk(5, 5, 5, 5, 5)),
                ("sdc", disk(100, 100, 100, 100, 100)),
            ],
        )],
    );
    let mut sdb = disk(9, 9, 9, 9, 9);
    sdb[1] = 16; // another minor number: another device under the old name
    let b = sample(
        200,
        vec![(
            TableKind::DISKSTATS,
            vec![
                // I/Os and sectors went down: unregistered and registered again.
                ("sda", disk(10, 80, 4, 9, 12)),
                ("sdb", sdb),
                // Only the I/O count went down, sectors went up: a wrap, not a new device.
                ("sdc", disk(90, 140, 150, 100, 100)),
                ("sdd", disk(2, 16, 0, 0, 0)),
            ],
        )],
    );
    let disks = Interval::new(&a, &b).unwrap().disks();
    let names: Vec<&str> = disks.iter().map(|d| d.device.as_str()).collect();
    assert_eq!(names, ["sda", "sdb", "sdc", "sdd"], "no row dropped");
    // sda against zero for every field, over one second.
    let sda = &disks[0];
    assert!(
        close(sda.tps, 10.0) && close(sda.rkb_per_s, 40.0),
        "{sda:?}"
    );
    assert!(
        close(sda.await_ms, 0.4) && close(sda.util_pct, 0.9),
        "{sda:?}"
    );
    assert!(close(sda.aqu_sz, 0.012), "{sda:?}");
    assert!(close(disks[1].tps, 9.0));
    let sdc = &disks[2];
    assert!(close(sdc.tps, 0.0) && close(sdc.rkb_per_s, 20.0), "{sdc:?}");
    assert!(close(disks[3].tps, 2.0) && close(disks[3].rkb_per_s, 8.0));
}

#[test]
fn a_reregistered_interface_is_computed_against_zero_for_every_field() {
    let mut before = vec![0u64; 16];
    before[net_col::RX_BYTES] = 4_294_967_000;
    before[net_col::RX_PACKETS] = 5;
    before[net_col::RX_DROP] = 7;
    let mut after = vec![0u64; 16];
    after[net_col::RX_BYTES] = 200;
    after[net_col::RX_PACKETS] = 10;
    after[net_col::RX_DROP] = 3;
    before[net_col::TX_BYTES] = 100;
    after[net_col::TX_BYTES] = 2148;
    let a = sample(100, vec![(TableKind::NETDEV, vec![("eth0", before)])]);
    let b = sample(
        200,
        vec![(
            TableKind::NETDEV,
            vec![("eth0", after.clone()), ("eth1", after)],
        )],
    );
    let nets = Interval::new(&a, &b).unwrap().interfaces();
    // Bytes went down while packets went up, but from below 2^63: sysstat 12.7.9 takes it
    // as a re-registration, not a wrap, so every field is against zero.
    let n = &nets[0];
    assert!(close(n.rxkb_per_s, 200.0 / 1024.0), "{n:?}");
    assert!(close(n.txkb_per_s, 2148.0 / 1024.0) && close(n.rxpck_per_s, 10.0));
    assert!(close(n.rxdrop_per_s, 3.0));
    assert_eq!(nets[1].iface, "eth1", "a new interface is against zero too");
    assert!(close(nets[1].rxpck_per_s, 10.0));
}

#[test]
fn interface_bytes_overflowing_from_above_2_63_are_a_wrap() {
    let mut before = vec![0u64; 16];
    before[net_col::RX_BYTES] = u64::MAX - 99;
    before[net_col::RX_PACKETS] = 5;
    let mut after = vec![0u64; 16];
    after[net_col::RX_BYTES] = 924;
    after[net_col::RX_PACKETS] = 10;
    let a = sample(100, vec![(TableKind::NETDEV, vec![("eth0", before)])]);
    let b = sample(200, vec![(TableKind::NETDEV, vec![("eth0", after)])]);
    let n = &Interval::new(&a, &b).unwrap().interfaces()[0];
    // Not re-registered: packets counted from 5.
    assert!(close(n.rxpck_per_s, 5.0), "{n:?}");
}

#[test]
fn paging_sums_scans_and_steals_like_sar_without_double_counting() {
    let vm = |scale: u64| {
        vec![
            ("pgpgin", vec![10 * scale]),
            ("pgpgout", vec![20 * scale]),
            ("pgfault", vec![30 * scale]),
            ("pgmajfault", vec![scale]),
            ("pgfree", vec![40 * scale]),
            ("pgsteal_kswapd", vec![6 * scale]),
            ("pgsteal_direct", vec![2 * scale]),
            ("pgsteal_anon", vec![4 * scale]),
            ("pgsteal_file", vec![4 * scale]),
            ("pgscan_kswapd", vec![10 * scale]),
            ("pgscan_direct", vec![6 * scale]),
            ("pgscan_direct_throttle", vec![100 * scale]),
            ("pswpin", vec![3 * scale]),
            ("pswpout", vec![4 * scale]),
            ("pgpromote_success", vec![5 * scale]),
            ("pgpromote_candidate", vec![50 * scale]),
            ("pgdemote_kswapd", vec![7 * scale]),
            ("pgdemote_direct", vec![2 * scale]),
            ("pgdemote_khugepaged", vec![scale]),
        ]
    };
    let a = sample(100, vec![(TableKind::VMSTAT, vm(1))]);
    let b = sample(200, vec![(TableKind::VMSTAT, vm(2))]);
    let i = Interval::new(&a, &b).unwrap();
    let p = i.paging().unwrap();
    assert!(close(p.pgpgin_per_s, 10.0) && close(p.majflt_per_s, 1.0));
    assert!(
        close(p.pgsteal_per_s, 8.0) && close(p.pgscank_per_s, 10.0) && close(p.pgscand_per_s, 6.0)
    );
    assert!(close(p.vmeff_pct, 50.0));
    assert!(
        close(p.pgprom_per_s, 5.0) && close(p.pgdem_per_s, 10.0),
        "{p:?}"
    );
    let s = i.swapping().unwrap();
    assert!(close(s.pswpin_per_s, 3.0) && close(s.pswpout_per_s, 4.0));
}

#[test]
fn queue_discounts_the_reader_like_sar() {
    let s = sample(
        100,
        vec![
            (
                TableKind::LOADAVG,
                vec![("loadavg", vec![52, 110, 5, 3, 240, 999])],
            ),
            (TableKind::STAT, vec![("procs_blocked", vec![2])]),
        ],
    );
    let q = queue(&s).unwrap();
    assert_eq!((q.runq_sz, q.plist_sz, q.blocked), (2, 240, 2));
    assert!(close(q.ldavg_1, 0.52) && close(q.ldavg_5, 1.10) && close(q.ldavg_15, 0.05));
}

#[test]
fn a_renamed_interface_is_a_new_one_computed_against_zero() {
    let counters = |rx_packets: u64| {
        let mut v = vec![0u64; 16];
        v[net_col::RX_PACKETS] = rx_packets;
        v[net_col::RX_BYTES] = rx_packets * 100;
        v
    };
    let a = sample(100, vec![(TableKind::NETDEV, vec![("eth0", counters(50))])]);
    // udev renamed eth0 to ens3 between the samples.
    let b = sample(300, vec![(TableKind::NETDEV, vec![("ens3", counters(60))])]);
    let nets = Interval::new(&a, &b).unwrap().interfaces();
    assert_eq!(nets.len(), 1);
    assert_eq!(nets[0].iface, "ens3");
    // Its counters since boot, over 2 s: not dropped, not a difference with eth0's.
    assert!(close(nets[0].rxpck_per_s, 30.0) && close(nets[0].rxkb_per_s, 6000.0 / 2.0 / 1024.0));
}
