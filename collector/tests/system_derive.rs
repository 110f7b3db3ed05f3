//! sar's system-activity figures derived from two fixture trees sampled in turn (the real
//! captures 1.96 s apart, the hand-made hardware, and the edge cases): what `rstat report`
//! shows for them.

mod common;

use rstat_collector::activities::Activities;
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_system;
use rstat_data_format::derive_system_net as net;
use rstat_data_format::derive_system_power::{self as power, SensorKind};
use rstat_data_format::schema::{Sample, TableKind};

fn sample(tree: &str) -> Sample {
    let mut sample = Sample::default();
    Sampler::with_activities(&common::tree(tree), Activities::all()).sample(&mut sample);
    sample
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

/// The interval between the real captures: 2919.37 - 2917.41 s.
const SECONDS: f64 = 1.96;

#[test]
fn interrupts_and_softirqs_between_the_real_captures() {
    let (a, b) = (sample("system-real-a"), sample("system-real-b"));
    let interval = Interval::new(&a, &b).unwrap();
    assert!(close(interval.seconds, SECONDS));
    let irqs = interval.interrupts();
    assert_eq!(irqs.len(), 35);
    let disk = irqs.iter().find(|i| i.name == "36").unwrap();
    assert_eq!(disk.per_cpu[0], (0, 0.0));
    assert!(close(disk.per_cpu[1].1, 138.0 / SECONDS));
    let loc = irqs.iter().find(|i| i.name == "LOC").unwrap();
    assert!(close(loc.all, (279.0 + 152.0) / SECONDS));
    let soft = interval.softirqs();
    let timer = soft.iter().find(|i| i.name == "TIMER").unwrap();
    assert!(close(timer.all, (35.0 + 44.0) / SECONDS));
}

#[test]
fn an_irq_line_appearing_is_counted_from_zero_and_a_new_cpu_column_is_hidden() {
    let (a, b) = (
        sample("system-irq-appears-a"),
        sample("system-irq-appears-b"),
    );
    let irqs = Interval::new(&a, &b).unwrap().interrupts();
    // 44 appeared with 0 and 17 since boot: against zero over 1.96 s (sysstat).
    let new_line = irqs.iter().find(|i| i.name == "44").expect("44 shown");
    assert_eq!(new_line.per_cpu[0], (0, 0.0));
    assert!(
        (new_line.per_cpu[1].1 - 17.0 / 1.96).abs() < 1e-9,
        "{new_line:?}"
    );
    assert_eq!(irqs.len(), 36);

    let (a, b) = (
        sample("system-cpu-appears-a"),
        sample("system-cpu-appears-b"),
    );
    let interval = Interval::new(&a, &b).unwrap();
    let loc = interval
        .interrupts()
        .into_iter()
        .find(|i| i.name == "LOC")
        .unwrap();
    assert_eq!(
        loc.per_cpu.iter().map(|(cpu, _)| *cpu).collect::<Vec<_>>(),
        [0, 1]
    );
    // CPU 2 has no reference, so no column; sar 12.7's all is the all-CPU totals'
    // difference, which holds its 5 counts.
    assert!(close(loc.all, (279.0 + 152.0 + 5.0) / SECONDS), "{loc:?}");
    let timer = interval
        .softirqs()
        .into_iter()
        .find(|i| i.name == "TIMER")
        .unwrap();
    assert_eq!(timer.per_cpu.len(), 2);
}

#[test]
fn pressure_kernel_tables_sockets_and_protocols() {
    let (a, b) = (sample("system-real-a"), sample("system-real-b"));
    let interval = Interval::new(&a, &b).unwrap();
    let io = interval.pressure(TableKind::PSI_IO).unwrap();
    assert!(close(io.some.avg10, 0.66) && close(io.some.avg300, 0.87));
    assert!(close(
        io.some.interval_pct,
        (23_946_704.0 - 23_871_607.0) / (SECONDS * 1e6) * 100.0
    ));
    assert!(close(
        io.full.unwrap().interval_pct,
        (17_151_808.0 - 17_077_668.0) / (SECONDS * 1e6) * 100.0
    ));
    let k = derive_system::kernel_tables(&a).unwrap();
    assert_eq!(
        (k.dentunusd, k.file_nr, k.inode_nr, k.pty_nr),
        (215_239, 238, 54_132, 0)
    );
    let s = net::sockets(&a).unwrap();
    assert_eq!((s.totsck, s.tcpsck, s.udpsck, s.tcp_tw), (11, 1, 0, 0));
    let tcp = interval.protocol(&net::TCP).unwrap();
    assert!(
        close(tcp[0], 1.0 / SECONDS) && close(tcp[2], 90.0 / SECONDS),
        "{tcp:?}"
    );
    let ip = interval.protocol(&net::IP).unwrap();
    assert_eq!(ip.len(), 8);
    assert!(interval.protocol(&net::IP6).is_some());
    let soft = interval.softnet();
    assert_eq!(soft.len(), 3);
    assert!(close(soft[1].total, (0xe6 - 0xd0) as f64 / SECONDS));
}

#[test]
fn hand_made_hardware_rates() {
    let (a, b) = (sample("system-hardware-a"), sample("system-hardware-b"));
    let interval = Interval::new(&a, &b).unwrap();
    let nets = interval.interfaces();
    let utils = interval.ifutils(&nets);
    let util = |name: &str| utils[nets.iter().position(|n| n.iface == name).unwrap()];
    assert!(
        close(util("eth0"), 10.0),
        "12.5 MB/s of 1 Gb/s, full duplex: {}",
        util("eth0")
    );
    assert!(
        close(util("eth1"), 10.0),
        "1.25 MB/s both ways, half duplex, 100 Mb/s"
    );
    assert!(close(util("lo"), 0.0));
    let nfs = interval.nfs_client().unwrap();
    assert!(close(nfs.call, 200.0 / SECONDS) && close(nfs.retrans, 2.0 / SECONDS));
    assert!(close(nfs.read, (40.0 + 50.0) / SECONDS) && close(nfs.getatt, (20.0 + 15.0) / SECONDS));
    let nfsd = interval.nfs_server().unwrap();
    assert!(close(nfsd.swrite, (20.0 + 60.0) / SECONDS) && close(nfsd.miss, 100.0 / SECONDS));
    assert!(close(nfsd.hit, 0.0) && close(nfsd.sread, (200.0 + 40.0) / SECONDS));
    assert!(close(nfsd.badcall, 1.0 / SECONDS) && close(nfsd.tcp, 400.0 / SECONDS));
    let freq = interval.weighted_mhz();
    assert_eq!(
        freq.iter().map(|(cpu, _)| *cpu).collect::<Vec<_>>(),
        [None, Some(0), Some(1)]
    );
    assert!(
        close(freq[1].1, 3600.0) && close(freq[2].1, 1800.0) && close(freq[0].1, 2700.0),
        "{freq:?}"
    );
    let fc = interval.fc_hosts();
    assert!(close(fc[0].rxf, 4096.0 / SECONDS) && close(fc[0].txw, 131_072.0 / SECONDS));
    let serial = interval.serial();
    assert!(close(serial[0].rcvin, 480.0 / SECONDS) && close(serial[0].brk, 1.0 / SECONDS));
    let bats = interval.batteries();
    assert!(close(bats[0].cap_per_min, -2.0 / (SECONDS / 60.0)));
    let temps = power::sensors(&b, SensorKind::Temp);
    assert!(close(temps[0].value, 47.0) && close(temps[0].relative, 47.0));
    assert_eq!(power::cpu_mhz(&b)[2], (Some(1), 1200.0));
    assert_eq!(power::usb_devices(&b).len(), 2);
}
