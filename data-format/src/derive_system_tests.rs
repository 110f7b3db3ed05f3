//! Tests of the system-activity derivation on hand-made samples (sysstat's formulas, items
//! that appear or vanish between samples); fixture-driven tests live in the collector.

use super::*;
use crate::derive_system_net::{self as net};
use crate::derive_system_power::*;
use crate::schema::{Row, Table};

/// A row: key, text, values.
type RowSpec<'a> = (&'a str, Vec<&'a str>, Vec<u64>);

fn table(kind: TableKind, rows: Vec<RowSpec>) -> Table {
    Table {
        kind,
        rows: rows
            .into_iter()
            .map(|(key, text, values)| Row {
                key: key.into(),
                text: text.into_iter().map(String::from).collect(),
                values,
            })
            .collect(),
    }
}

fn sample(uptime_cs: u64, mut tables: Vec<Table>) -> Sample {
    tables.push(table(
        TableKind::UPTIME,
        vec![("uptime", vec![], vec![uptime_cs, 0])],
    ));
    tables.sort_by_key(|t| t.kind);
    Sample {
        time_us: uptime_cs as i64 * 10_000,
        tables,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn interrupts_match_cpus_by_number_and_count_new_lines_from_zero() {
    let prev = sample(
        1000,
        vec![table(
            TableKind::INTERRUPTS,
            vec![
                ("cpus", vec![], vec![0, 1]),
                ("0", vec!["IO-APIC 2-edge timer"], vec![100, 200]),
                ("LOC", vec!["Local timer interrupts"], vec![1000, 2000]),
                ("ERR", vec![], vec![3]),
            ],
        )],
    );
    // Two seconds later CPU 2 came online, IRQ 44 appeared, ERR grew by 4.
    let cur = sample(
        1200,
        vec![table(
            TableKind::INTERRUPTS,
            vec![
                ("cpus", vec![], vec![0, 1, 2]),
                ("0", vec!["IO-APIC 2-edge timer"], vec![110, 240, 7]),
                ("44", vec!["PCI-MSIX virtio5"], vec![0, 9, 0]),
                ("LOC", vec!["Local timer interrupts"], vec![1200, 2100, 50]),
                ("ERR", vec![], vec![7]),
            ],
        )],
    );
    let interval = Interval::new(&prev, &cur).unwrap();
    let irqs = interval.interrupts();
    let names: Vec<&str> = irqs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["0", "44", "LOC", "ERR"],
        "44 is new: computed against zero"
    );
    assert_eq!(irqs[1].per_cpu, vec![(0, 0.0), (1, 4.5)]);
    assert_eq!(
        irqs[0].per_cpu,
        vec![(0, 5.0), (1, 20.0)],
        "CPU 2 has no reference values"
    );
    // all: the all-CPU totals, 357 - 300, over 2 s (CPU 2's counts are in the end total).
    assert!(close(irqs[0].all, 28.5));
    assert_eq!(irqs[0].description, "IO-APIC 2-edge timer");
    assert!(close(irqs[2].all, 175.0));
    assert!(irqs[3].per_cpu.is_empty() && close(irqs[3].all, 2.0));
}

#[test]
fn interrupts_written_into_reused_lines_equal_fresh_ones() {
    let lines = |base: u64, extra: bool| {
        let mut rows = vec![
            ("cpus", vec![], vec![0, 1]),
            ("0", vec!["IO-APIC 2-edge timer"], vec![base, 2 * base]),
        ];
        if extra {
            rows.push(("44", vec!["PCI-MSIX virtio5"], vec![base, base]));
        }
        rows.push(("ERR", vec![], vec![base / 10]));
        table(TableKind::INTERRUPTS, rows)
    };
    let samples = [
        sample(1000, vec![lines(100, true)]),
        sample(1100, vec![lines(150, true)]),
        sample(1200, vec![lines(250, false)]),
        sample(1300, vec![]),
    ];
    // Lines left from a longer interval, a shorter one, then none: each fill leaves exactly
    // what a fresh derivation returns (no stale line, description or per-CPU rate).
    let mut reused = Vec::new();
    for pair in samples.windows(2) {
        let interval = Interval::new(&pair[0], &pair[1]).unwrap();
        interval.interrupts_into(&mut reused);
        assert_eq!(reused, interval.interrupts());
    }
    assert!(reused.is_empty(), "no table in the last sample: no lines");
    let interval = Interval::new(&samples[0], &samples[1]).unwrap();
    interval.interrupts_into(&mut reused);
    assert_eq!(reused.len(), 3);
    assert_eq!(reused[1].name, "44");
    assert_eq!(reused[1].per_cpu, vec![(0, 50.0), (1, 50.0)]);
    let second = Interval::new(&samples[1], &samples[2]).unwrap();
    second.interrupts_into(&mut reused);
    assert_eq!(reused.len(), 2);
    assert_eq!(reused[1].name, "ERR");
    assert!(reused[1].description.is_empty() && reused[1].per_cpu.is_empty());
    assert!(close(reused[1].all, 10.0), "ERR: 15 -> 25 in 1 s");
}

#[test]
fn interrupts_follow_a_cpu_that_went_offline() {
    let prev = sample(
        1000,
        vec![table(
            TableKind::SOFTIRQS,
            vec![
                ("cpus", vec![], vec![0, 1, 2]),
                ("TIMER", vec![], vec![10, 20, 30]),
            ],
        )],
    );
    let cur = sample(
        1100,
        vec![table(
            TableKind::SOFTIRQS,
            vec![
                ("cpus", vec![], vec![0, 2]),
                ("TIMER", vec![], vec![11, 40]),
            ],
        )],
    );
    let irqs = Interval::new(&prev, &cur).unwrap().softirqs();
    assert_eq!(irqs[0].per_cpu, vec![(0, 1.0), (2, 10.0)]);
    // Without the series' carrying, CPU 1's column is gone: the total went down from 60 to
    // 51, so `all` is 0 (sar 12.7), not a huge value.
    assert!(close(irqs[0].all, 0.0));
}

#[test]
fn pressure_averages_and_interval_share() {
    let psi = |total_some: u64, full: Option<u64>| {
        let mut rows = vec![("some", vec![], vec![152, 60, 3, total_some])];
        if let Some(total) = full {
            rows.push(("full", vec![], vec![0, 0, 0, total]));
        }
        table(TableKind::PSI_IO, rows)
    };
    let prev = sample(1000, vec![psi(1_000_000, Some(10))]);
    let cur = sample(1200, vec![psi(1_500_000, Some(200_010))]);
    let p = Interval::new(&prev, &cur)
        .unwrap()
        .pressure(TableKind::PSI_IO)
        .unwrap();
    assert!(close(p.some.avg10, 1.52) && close(p.some.avg60, 0.6) && close(p.some.avg300, 0.03));
    // 0.5 s stalled in 2 s: 25%; full 0.2 s: 10%.
    assert!(close(p.some.interval_pct, 25.0), "{p:?}");
    assert!(close(p.full.unwrap().interval_pct, 10.0));
    let no_full = sample(1200, vec![psi(1_500_000, None)]);
    let p = Interval::new(&prev, &no_full)
        .unwrap()
        .pressure(TableKind::PSI_IO)
        .unwrap();
    assert!(p.full.is_none());
    assert!(Interval::new(&prev, &cur)
        .unwrap()
        .pressure(TableKind::PSI_CPU)
        .is_none());
}

#[test]
fn kernel_tables_subtract_free_entries() {
    let s = sample(
        100,
        vec![table(
            TableKind::KTABLES,
            vec![
                ("dentry-state", vec![], vec![86058, 84815, 45, 0, 35101, 0]),
                ("file-nr", vec![], vec![362, 12, 2466174]),
                ("inode-state", vec![], vec![49590, 90, 0, 0, 0, 0, 0]),
            ],
        )],
    );
    let k = kernel_tables(&s).unwrap();
    assert_eq!(
        (k.dentunusd, k.file_nr, k.inode_nr, k.pty_nr),
        (84815, 350, 49500, 0)
    );
}

#[test]
fn nfs_sums_v3_and_v4_like_sysstat() {
    let mut proc4 = vec![0u64; 23];
    proc4[0] = 22;
    let nfs = |calls: u64, read3: u64, read4: u64, getattr4: u64| {
        let mut proc3 = vec![22, 0, 5, 0, 0, 6, 0, read3, 8];
        proc3.resize(23, 0);
        let mut v4 = proc4.clone();
        v4[2] = read4;
        v4[21] = getattr4;
        table(
            TableKind::NFS,
            vec![
                ("rpc", vec![], vec![calls, 1, calls]),
                ("proc3", vec![], proc3),
                ("proc4", vec![], v4),
            ],
        )
    };
    let prev = sample(1000, vec![nfs(100, 10, 20, 30)]);
    let cur = sample(1100, vec![nfs(150, 14, 26, 33)]);
    let n = Interval::new(&prev, &cur).unwrap().nfs_client().unwrap();
    assert!(close(n.call, 50.0) && close(n.retrans, 0.0));
    assert!(close(n.read, 10.0), "4 v3 reads + 6 v4 reads");
    assert!(close(n.getatt, 3.0));
}

#[test]
fn softnet_adds_an_all_row_and_fc_rates() {
    let softnet = |processed: u64| {
        let mut row = vec![processed, 1, 2, 0, 0, 0, 0, 0, 0, 4, 5, 6, 0];
        let other = row.clone();
        row[softnet_col::CPU_INDEX] = 0;
        let mut second = other;
        second[softnet_col::CPU_INDEX] = 1;
        table(
            TableKind::SOFTNET,
            vec![("cpu0", vec![], row), ("cpu1", vec![], second)],
        )
    };
    let prev = sample(1000, vec![softnet(100)]);
    let cur = sample(1100, vec![softnet(160)]);
    let rows = Interval::new(&prev, &cur).unwrap().softnet();
    assert_eq!(
        rows.iter().map(|r| r.cpu).collect::<Vec<_>>(),
        [None, Some(0), Some(1)]
    );
    assert!(close(rows[0].total, 120.0) && close(rows[1].total, 60.0));
    assert!(close(rows[0].blg_len, 12.0), "a gauge, summed");
}

#[test]
fn ifutil_uses_the_busier_direction_for_full_duplex() {
    let dev = |rx: u64, tx: u64| {
        let mut values = vec![0u64; 16];
        values[crate::schema::net_col::RX_BYTES] = rx;
        values[crate::schema::net_col::TX_BYTES] = tx;
        table(
            TableKind::NETDEV,
            vec![
                ("eth0", vec![], values.clone()),
                ("eth1", vec![], values.clone()),
                ("lo", vec![], values),
            ],
        )
    };
    let speeds = table(
        TableKind::NETIF,
        vec![
            ("eth0", vec![], vec![1000, 2]),
            ("eth1", vec![], vec![100, 1]),
        ],
    );
    let prev = sample(1000, vec![dev(0, 0)]);
    let cur = sample(1100, vec![dev(12_500_000, 2_500_000), speeds]);
    let interval = Interval::new(&prev, &cur).unwrap();
    let nets = interval.interfaces();
    // eth0: 12.5 MB/s of 1 Gb/s full duplex = 10%; eth1: (12.5 + 2.5) MB/s half duplex over
    // 100 Mb/s = 120% (sysstat does not cap it); lo: no speed, 0.
    let utils = interval.ifutils(&nets);
    assert!(close(utils[0], 10.0), "{utils:?}");
    assert!(close(utils[1], 120.0), "{utils:?}");
    assert!(close(utils[2], 0.0), "{utils:?}");
}

/// %ifutil is linear in the interfaces, whatever the order of the speed table: 100,000
/// interfaces whose speeds are listed in reverse order, a third without one. A search of
/// the speed table for each interface (some 5 billion comparisons) takes tens of seconds
/// in a test build, the one pass well under one; the bound is only there to catch that.
#[test]
fn ifutil_is_linear_in_interfaces() {
    const COUNT: u64 = 100_000;
    let name = |i: u64| format!("veth{i}");
    let dev = |rx: fn(u64) -> u64| {
        let rows = (0..COUNT)
            .map(|i| {
                let mut values = vec![0u64; 16];
                values[crate::schema::net_col::RX_BYTES] = rx(i);
                (name(i), values)
            })
            .collect::<Vec<_>>();
        Table {
            kind: TableKind::NETDEV,
            rows: rows
                .into_iter()
                .map(|(key, values)| Row {
                    key,
                    text: Vec::new(),
                    values,
                })
                .collect(),
        }
    };
    let speeds = Table {
        kind: TableKind::NETIF,
        rows: (0..COUNT)
            .rev()
            .filter(|i| i % 3 != 0)
            .map(|i| Row {
                key: name(i),
                text: Vec::new(),
                values: vec![1000, 2],
            })
            .collect(),
    };
    let prev = sample(1000, vec![dev(|_| 0)]);
    // 1.25 MB/s received by every interface over 1 s: 1% of 1 Gb/s.
    let cur = sample(1100, vec![dev(|_| 1_250_000), speeds]);
    let interval = Interval::new(&prev, &cur).unwrap();
    let started = std::time::Instant::now();
    let nets = interval.interfaces();
    let utils = interval.ifutils(&nets);
    let took = started.elapsed();
    assert_eq!(utils.len(), COUNT as usize);
    for (i, util) in utils.iter().enumerate() {
        let expected = if i % 3 == 0 { 0.0 } else { 1.0 };
        assert!(close(*util, expected), "{}: {util}", nets[i].iface);
    }
    assert!(
        took < std::time::Duration::from_secs(20),
        "100,000 interfaces took {took:?}"
    );
}

#[test]
fn weighted_frequency_and_cpu_mhz() {
    let tis = |t0: u64, t1: u64| {
        table(
            TableKind::TIME_IN_STATE,
            vec![
                ("cpu0", vec![], vec![3_000_000, t0, 1_000_000, t1]),
                ("cpu1", vec![], vec![3_000_000, 0, 1_000_000, 0]),
            ],
        )
    };
    let prev = sample(1000, vec![tis(100, 100)]);
    let cur = sample(1100, vec![tis(150, 150)]);
    let rows = Interval::new(&prev, &cur).unwrap().weighted_mhz();
    assert_eq!(rows[0].0, None);
    assert!(
        close(rows[0].1, 2000.0) && close(rows[1].1, 2000.0),
        "{rows:?}"
    );
    assert!(close(rows[2].1, 0.0), "no time counted on cpu1");

    let freq = sample(
        1000,
        vec![table(
            TableKind::CPUFREQ,
            vec![
                ("cpu0", vec![], vec![2_445_406]),
                ("cpu1", vec![], vec![1_200_000]),
            ],
        )],
    );
    let mhz = cpu_mhz(&freq);
    assert_eq!(mhz.len(), 3);
    assert!(close(mhz[0].1, (2445.406 + 1200.0) / 2.0) && close(mhz[1].1, 2445.406));
}

#[test]
fn sensors_batteries_usb_and_filesystems() {
    let s = sample(
        1000,
        vec![
            table(
                TableKind::HWMON,
                vec![
                    (
                        "hwmon0/temp1",
                        vec!["coretemp", "Package id 0", "coretemp-isa-0000"],
                        vec![45_000, 25_000, 105_000],
                    ),
                    ("hwmon1/fan1", vec!["nct6775", ""], vec![1200, 300, 0]),
                    ("hwmon1/in0", vec!["nct6775", ""], vec![1016, 800, 1200]),
                    (
                        "hwmon1/temp7",
                        vec!["nct6775", ""],
                        vec![(-5000i64) as u64, 0, 0],
                    ),
                ],
            ),
            table(
                TableKind::USB,
                vec![(
                    "1-1",
                    vec!["Logitech", "USB Receiver"],
                    vec![1, 0x046d, 0xc52b, 98],
                )],
            ),
            table(
                TableKind::FILESYSTEMS,
                vec![(
                    "/dev/sda1",
                    vec!["/", "ext4"],
                    vec![100 << 20, 40 << 20, 30 << 20, 1000, 250],
                )],
            ),
        ],
    );
    let temps = sensors(&s, SensorKind::Temp);
    assert_eq!(temps.len(), 2);
    assert!(close(temps[0].value, 45.0) && close(temps[0].relative, 25.0));
    assert_eq!(temps[0].device, "coretemp Package id 0");
    assert!(close(temps[1].value, -5.0) && close(temps[1].relative, 0.0));
    // sar's numbers and DEVICE: from 1 per kind; a file without the chip name gives the
    // hwmon's name.
    let numbered = |list: &[Sensor]| {
        list.iter()
            .map(|s| (s.number, s.chip.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbered(&temps),
        [(1, "coretemp-isa-0000".into()), (2, "nct6775".into())]
    );
    let fans = sensors(&s, SensorKind::Fan);
    assert!(close(fans[0].value, 1200.0) && close(fans[0].relative, 900.0));
    assert_eq!(numbered(&fans), [(1, "nct6775".into())]);
    let volts = sensors(&s, SensorKind::In);
    assert!(close(volts[0].value, 1.016) && close(volts[0].relative, 54.0));
    assert_eq!(
        numbered(&volts),
        [(0, "nct6775".into())],
        "sar numbers in0 from 0"
    );
    let usb = usb_devices(&s);
    assert_eq!(
        (usb[0].vendor_id, usb[0].product.as_str()),
        (0x046d, "USB Receiver")
    );
    let fs = filesystems(&s);
    assert!(close(fs[0].mb_free, 40.0) && close(fs[0].mb_used, 60.0));
    assert!(close(fs[0].used_pct, 60.0) && close(fs[0].user_used_pct, 70.0));
    assert_eq!((fs[0].ifree, fs[0].iused), (250, 750));
    assert!(close(fs[0].iused_pct, 75.0));

    let battery = |capacity: u64| {
        table(
            TableKind::BATTERY,
            vec![("BAT0", vec!["Discharging"], vec![capacity])],
        )
    };
    let prev = sample(1000, vec![battery(87)]);
    let cur = sample(13000, vec![battery(85)]);
    let bats = Interval::new(&prev, &cur).unwrap().batteries();
    assert!(close(bats[0].cap_per_min, -1.0), "2% in 2 minutes");
    assert_eq!(bats[0].status, "Discharging");
}

#[test]
fn sockets_and_protocol_counters_by_name() {
    let sockstat = table(
        TableKind::SOCKSTAT,
        vec![
            ("sockets", vec!["used"], vec![16]),
            (
                "TCP",
                vec!["inuse", "orphan", "tw", "alloc", "mem"],
                vec![2, 0, 5, 2, 96],
            ),
            ("UDP", vec!["inuse", "mem"], vec![1, 0]),
        ],
    );
    let snmp = |in_segs: u64| {
        table(
            TableKind::SNMP,
            vec![(
                "Tcp",
                vec!["MaxConn", "ActiveOpens", "InSegs", "OutSegs"],
                vec![u64::MAX, 49, in_segs, 10],
            )],
        )
    };
    let prev = sample(1000, vec![sockstat.clone(), snmp(5955)]);
    let cur = sample(1200, vec![sockstat, snmp(6155)]);
    let s = net::sockets(&cur).unwrap();
    assert_eq!(
        (s.totsck, s.tcpsck, s.udpsck, s.rawsck, s.tcp_tw),
        (16, 2, 1, 0, 5)
    );
    assert!(net::sockets6(&cur).is_none());
    let tcp = Interval::new(&prev, &cur)
        .unwrap()
        .protocol(&net::TCP)
        .unwrap();
    assert_eq!(tcp, vec![0.0, 0.0, 100.0, 0.0], "PassiveOpens is absent: 0");
    assert!(Interval::new(&prev, &cur)
        .unwrap()
        .protocol(&net::UDP)
        .is_none());
    assert_eq!(net::IP6.columns.len(), net::IP6.counters.len());
    for spec in [
        net::IP,
        net::EIP,
        net::ICMP,
        net::EICMP,
        net::TCP,
        net::ETCP,
        net::UDP,
    ] {
        assert_eq!(spec.columns.len(), spec.counters.len(), "{}", spec.section);
    }
    for spec in [net::IP6, net::EIP6, net::ICMP6, net::EICMP6, net::UDP6] {
        assert_eq!(spec.columns.len(), spec.counters.len(), "{}", spec.section);
    }
}

#[test]
fn protocol_places_follow_counters_that_move() {
    // TCP's counters, once in the kernel's order, then moved (a hostile or rewritten file):
    // the places remembered from the first interval must not pick the wrong counter.
    let snmp =
        |names: Vec<&str>, values: Vec<u64>| table(TableKind::SNMP, vec![("Tcp", names, values)]);
    let names = vec!["ActiveOpens", "PassiveOpens", "InSegs", "OutSegs"];
    let moved = vec!["OutSegs", "InSegs", "ActiveOpens", "PassiveOpens"];
    let prev = sample(1000, vec![snmp(names.clone(), vec![1, 2, 3, 4])]);
    let cur = sample(1100, vec![snmp(names, vec![11, 22, 33, 44])]);
    let mut places = Vec::new();
    let mut rates = Vec::new();
    let first = Interval::new(&prev, &cur).unwrap();
    assert!(first.protocol_into(&net::TCP, &mut rates, &mut places));
    assert_eq!(rates, vec![10.0, 20.0, 30.0, 40.0]);
    let later = sample(1200, vec![snmp(moved, vec![54, 43, 21, 32])]);
    let second = Interval::new(&cur, &later).unwrap();
    rates.clear();
    assert!(second.protocol_into(&net::TCP, &mut rates, &mut places));
    assert_eq!(rates, vec![10.0, 10.0, 10.0, 10.0]);
    assert_eq!(second.protocol(&net::TCP), Some(rates));
}
