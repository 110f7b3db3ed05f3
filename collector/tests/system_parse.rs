//! The system-activity parsers on the fixture trees (the real captures of a 2-CPU VM, field by
//! field, and the hand-made edge cases) and on inline inputs for the formats this VM does not
//! show (old kernels, other architectures, malformed lines).

mod common;

use common::{keys, read, table, values};
use rstat_collector::proc::{
    cpufreq, interrupts, ktables, mounts, netif, pressure, rpc, serial, snmp, sockstat, softnet,
    values as attr,
};
use rstat_data_format::schema::{Table, TableKind};
use rstat_data_format::schema_system::{named, signed, softnet_col};

fn parse(tree: &str, file: &str, kind: TableKind, parse: common::Parse) -> Table {
    let mut filled = table(kind);
    parse(&read(tree, file), &mut filled).unwrap_or_else(|error| panic!("{tree}/{file}: {error}"));
    filled
}

fn inline(bytes: &str, kind: TableKind, parse: common::Parse) -> Result<Table, String> {
    let mut filled = table(kind);
    parse(bytes.as_bytes(), &mut filled).map_err(|e| e.to_string())?;
    Ok(filled)
}

#[test]
fn real_interrupts_and_softirqs() {
    let irq = parse(
        "system-real-a",
        "proc/interrupts",
        TableKind::INTERRUPTS,
        interrupts::parse,
    );
    assert_eq!(irq.rows.len(), 1 + 35);
    assert_eq!(values(&irq, "cpus"), [0, 1]);
    assert_eq!(&keys(&irq)[1..4], ["24", "25", "26"]);
    assert_eq!(values(&irq, "36"), [0, 243_722]);
    assert_eq!(
        irq.row("36").unwrap().text,
        ["PCI-MSIX-0000:00:02.0 1-edge virtio1-req.0"]
    );
    assert_eq!(values(&irq, "LOC"), [560_120, 533_627]);
    assert_eq!(irq.row("LOC").unwrap().text, ["Local timer interrupts"]);
    assert_eq!(values(&irq, "ERR"), [0], "a total, not per CPU");
    assert!(irq.row("ERR").unwrap().text.is_empty());
    assert_eq!(values(&irq, "MIS"), [0]);
    assert_eq!(keys(&irq).last(), Some(&"PIW"));

    let soft = parse(
        "system-real-a",
        "proc/softirqs",
        TableKind::SOFTIRQS,
        interrupts::parse_softirqs,
    );
    assert_eq!(
        keys(&soft),
        [
            "cpus", "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED",
            "HRTIMER", "RCU"
        ]
    );
    assert_eq!(values(&soft, "TIMER"), [57_971, 69_960]);
    assert!(soft.rows.iter().all(|row| row.text.is_empty()));
    let later = parse(
        "system-real-b",
        "proc/softirqs",
        TableKind::SOFTIRQS,
        interrupts::parse_softirqs,
    );
    assert_eq!(values(&later, "NET_RX"), [4214, 4832]);
}

#[test]
fn interrupt_edge_cases() {
    let appears = parse(
        "system-irq-appears-b",
        "proc/interrupts",
        TableKind::INTERRUPTS,
        interrupts::parse,
    );
    assert_eq!(values(&appears, "44"), [0, 17]);
    assert_eq!(appears.rows.len(), 1 + 36);
    let cpu = parse(
        "system-cpu-appears-b",
        "proc/interrupts",
        TableKind::INTERRUPTS,
        interrupts::parse,
    );
    assert_eq!(values(&cpu, "cpus"), [0, 1, 2]);
    assert_eq!(values(&cpu, "36"), [0, 243_860, 5]);
    assert_eq!(
        cpu.row("36").unwrap().text,
        ["PCI-MSIX-0000:00:02.0 1-edge virtio1-req.0"]
    );
    assert_eq!(values(&cpu, "ERR"), [0]);
    let soft = parse(
        "system-cpu-appears-b",
        "proc/softirqs",
        TableKind::SOFTIRQS,
        interrupts::parse_softirqs,
    );
    assert_eq!(values(&soft, "TIMER"), [58_006, 70_004, 5]);

    // CPU 1 offline: the header names the columns; ARM-style names; a description that
    // starts with a digit; no final newline.
    let t = inline(
        "      CPU0  CPU2\n IPI0: 5 6 Rescheduling interrupts\n 11: 1 2 3 GICv3 27 Level arch_timer\nErr: 0",
        TableKind::INTERRUPTS,
        interrupts::parse,
    )
    .unwrap();
    assert_eq!(values(&t, "cpus"), [0, 2]);
    assert_eq!(values(&t, "IPI0"), [5, 6]);
    assert_eq!(values(&t, "11"), [1, 2]);
    assert_eq!(t.row("11").unwrap().text, ["3 GICv3 27 Level arch_timer"]);
    assert_eq!(values(&t, "Err"), [0]);

    for (input, problem) in [
        ("", "empty file"),
        ("CPU0 X1\n", "expected CPU columns"),
        ("   \n", "empty file"),
        ("CPU0\n 0 5\n", "expected `NAME: counts`"),
        ("CPU0\nNMI: x 5\n", "expected a count"),
        ("CPU0\n: 5\n", "expected an IRQ name"),
    ] {
        let error = inline(input, TableKind::INTERRUPTS, interrupts::parse).unwrap_err();
        assert!(
            error.contains(problem) && error.starts_with("/proc/interrupts line"),
            "{input:?}: {error}"
        );
    }
}

#[test]
fn real_kernel_tables() {
    let mut values = Vec::new();
    for (source, expected) in [
        (
            ktables::Source::DentryState,
            vec![216_471, 215_239, 45, 0, 160_342, 0],
        ),
        (ktables::Source::FileNr, vec![238, 0, 2_466_174]),
        (ktables::Source::InodeState, vec![54_132, 0, 0, 0, 0, 0, 0]),
        (ktables::Source::PtyNr, vec![0]),
    ] {
        let bytes = read("system-real-a", source.file().trim_start_matches('/'));
        ktables::parse_row(source, &bytes, &mut values).unwrap();
        assert_eq!(values, expected, "{source:?}");
    }
    let error = ktables::parse_row(ktables::Source::FileNr, b"12 3\n", &mut values).unwrap_err();
    assert_eq!(
        error.to_string(),
        "/proc/sys/fs/file-nr line 1: 2 numbers, expected at least 3"
    );
    let mut t = table(TableKind::KTABLES);
    ktables::parse(
        [
            Some(&b"1 2 3 4 5 6\n"[..]),
            None,
            Some(&b"7 8 0\n"[..]),
            Some(&b"3\n"[..]),
        ],
        &mut t,
    )
    .unwrap();
    assert_eq!(keys(&t), ["dentry-state", "inode-state", "pty-nr"]);
}

#[test]
fn real_pressure_and_its_edge_cases() {
    let io = |tree: &str| {
        let mut t = table(TableKind::PSI_IO);
        pressure::parse(pressure::IO_FILE, &read(tree, "proc/pressure/io"), &mut t).unwrap();
        t
    };
    let a = io("system-real-a");
    assert_eq!(keys(&a), ["some", "full"]);
    assert_eq!(values(&a, "some"), [37, 31, 87, 23_871_607]);
    assert_eq!(values(&a, "full"), [23, 23, 67, 17_077_668]);
    assert_eq!(
        values(&io("system-real-b"), "full"),
        [55, 29, 68, 17_151_808]
    );
    let mut cpu = table(TableKind::PSI_CPU);
    pressure::parse(
        pressure::CPU_FILE,
        &read("system-real-a", "proc/pressure/cpu"),
        &mut cpu,
    )
    .unwrap();
    assert_eq!(values(&cpu, "some"), [949, 583, 1128, 558_932_185]);

    // Empty file (PSI disabled): no row, not an error. A 5.x kernel without cpu `full`.
    let mut t = table(TableKind::PSI_CPU);
    pressure::parse(
        pressure::CPU_FILE,
        &read("system-psi-empty", "proc/pressure/cpu"),
        &mut t,
    )
    .unwrap();
    assert!(t.rows.is_empty());
    pressure::parse(
        pressure::CPU_FILE,
        b"some avg10=1.00 avg60=2.00 avg300=3.00 total=4 extra=9\n",
        &mut t,
    )
    .unwrap();
    assert_eq!(keys(&t), ["some"]);
    assert_eq!(values(&t, "some"), [100, 200, 300, 4]);
    for (input, problem) in [
        ("half avg10=0.00\n", "expected `some` or `full`"),
        ("some avg10=0.00 avg60=0.00 avg300=0.00\n", "missing total"),
        (
            "some avg10=x avg60=0.00 avg300=0.00 total=1\n",
            "expected a number for avg10",
        ),
        ("some avg10\n", "expected name=value"),
    ] {
        let error = pressure::parse(pressure::MEMORY_FILE, input.as_bytes(), &mut t).unwrap_err();
        assert!(error.to_string().contains(problem), "{input:?}: {error}");
        assert_eq!(error.file, "/proc/pressure/memory");
    }
}

#[test]
fn serial_lines() {
    let real = parse(
        "system-real-a",
        "proc/tty/driver/serial",
        TableKind::SERIAL,
        serial::parse,
    );
    assert_eq!(keys(&real), ["0"]);
    assert_eq!(values(&real, "0"), [120, 0, 0, 0, 0, 0]);
    let made = parse(
        "system-hardware-a",
        "proc/tty/driver/serial",
        TableKind::SERIAL,
        serial::parse,
    );
    assert_eq!(keys(&made), ["0", "1"], "line 2 has no UART: no tx counter");
    assert_eq!(values(&made, "0"), [2048, 1024, 3, 1, 2, 5]);
    let error = inline("x: tx:1\n", TableKind::SERIAL, serial::parse).unwrap_err();
    assert!(error.contains("expected `N:`"), "{error}");
    let error = inline("0: tx:1 rx:q\n", TableKind::SERIAL, serial::parse).unwrap_err();
    assert!(error.contains("expected a number in `rx:q`"), "{error}");
}

#[test]
fn nfs_client_and_server() {
    let nfs = parse(
        "system-hardware-a",
        "proc/net/rpc/nfs",
        TableKind::NFS,
        rpc::parse_nfs,
    );
    assert_eq!(keys(&nfs), ["net", "rpc", "proc3", "proc4"]);
    assert_eq!(values(&nfs, "rpc"), [1523, 2, 1523]);
    assert_eq!(values(&nfs, "proc3").len(), 23);
    assert_eq!(values(&nfs, "proc4")[..4], [69, 0, 120, 80]);
    assert_eq!(values(&nfs, "proc4").len(), 70);
    let nfsd = parse(
        "system-hardware-b",
        "proc/net/rpc/nfsd",
        TableKind::NFSD,
        rpc::parse_nfsd,
    );
    assert_eq!(
        keys(&nfsd),
        ["rc", "fh", "io", "net", "rpc", "proc3", "proc4", "proc4ops"],
        "th has fractions"
    );
    assert_eq!(values(&nfsd, "rc"), [0, 2148, 10_712]);
    assert_eq!(values(&nfsd, "proc4ops")[39], 3060);
    assert!(inline("", TableKind::NFS, rpc::parse_nfs)
        .unwrap_err()
        .contains("no counter line"));
    assert!(inline("12 3\n", TableKind::NFS, rpc::parse_nfs)
        .unwrap_err()
        .contains("expected a label"));
    assert!(inline("rpc 1 x\n", TableKind::NFSD, rpc::parse_nfsd)
        .unwrap_err()
        .starts_with("/proc/net/rpc/nfsd line 1"));
}

#[test]
fn sockets() {
    let v4 = parse(
        "system-real-a",
        "proc/net/sockstat",
        TableKind::SOCKSTAT,
        sockstat::parse,
    );
    assert_eq!(
        keys(&v4),
        ["sockets", "TCP", "UDP", "UDPLITE", "RAW", "FRAG"]
    );
    let tcp = v4.row("TCP").unwrap();
    assert_eq!(tcp.text, ["inuse", "orphan", "tw", "alloc", "mem"]);
    assert_eq!(tcp.values, [1, 0, 0, 1, 96]);
    assert_eq!(named(v4.row("sockets").unwrap(), "used"), Some(11));
    let v6 = parse(
        "system-real-a",
        "proc/net/sockstat6",
        TableKind::SOCKSTAT6,
        sockstat::parse6,
    );
    assert_eq!(keys(&v6), ["TCP6", "UDP6", "UDPLITE6", "RAW6", "FRAG6"]);
    assert_eq!(v6.row("FRAG6").unwrap().text, ["inuse", "memory"]);
    assert!(inline("TCP: inuse\n", TableKind::SOCKSTAT, sockstat::parse)
        .unwrap_err()
        .contains("pairs"));
    assert!(
        inline("TCP inuse 1\n", TableKind::SOCKSTAT, sockstat::parse)
            .unwrap_err()
            .contains("`LABEL:`")
    );
}

#[test]
fn snmp_netstat_and_snmp6() {
    let snmp4 = parse(
        "system-real-a",
        "proc/net/snmp",
        TableKind::SNMP,
        snmp::parse_snmp,
    );
    assert_eq!(
        keys(&snmp4),
        ["Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "UdpLite"]
    );
    let tcp = snmp4.row("Tcp").unwrap();
    assert_eq!(named(tcp, "MaxConn").map(signed), Some(-1));
    assert_eq!(named(tcp, "InSegs"), Some(6087));
    assert_eq!(named(snmp4.row("Ip").unwrap(), "OutTransmits"), Some(5506));
    assert_eq!(snmp4.row("Ip").unwrap().values.len(), 20);
    let netstat = parse(
        "system-real-a",
        "proc/net/netstat",
        TableKind::NETSTAT,
        snmp::parse_netstat,
    );
    assert_eq!(keys(&netstat), ["TcpExt", "IpExt", "MPTcpExt"]);
    assert_eq!(netstat.row("TcpExt").unwrap().values.len(), 135);
    assert_eq!(netstat.row("MPTcpExt").unwrap().text.len(), 76);
    assert_eq!(
        named(netstat.row("IpExt").unwrap(), "InOctets"),
        Some(99_193_602)
    );
    let later = parse(
        "system-real-b",
        "proc/net/netstat",
        TableKind::NETSTAT,
        snmp::parse_netstat,
    );
    assert_eq!(
        named(later.row("IpExt").unwrap(), "InOctets"),
        Some(102_198_298)
    );

    let snmp6 = parse(
        "system-real-a",
        "proc/net/snmp6",
        TableKind::SNMP6,
        snmp::parse_snmp6,
    );
    assert_eq!(keys(&snmp6), ["Ip6", "Icmp6", "Udp6", "UdpLite6"]);
    let total: usize = snmp6.rows.iter().map(|row| row.values.len()).sum();
    assert_eq!(total, 90, "every line");
    assert_eq!(named(snmp6.row("Ip6").unwrap(), "InReceives"), Some(1));
    assert_eq!(named(snmp6.row("Icmp6").unwrap(), "OutType135"), Some(4));

    for (input, problem) in [
        ("Ip: A B\n", "missing the values line"),
        ("Ip: A B\nTcp: 1 2\n", "expected the values of Ip"),
        ("Ip: A B\nIp: 1\n", "2 names but a different number"),
        ("Ip: A\nIp: x\n", "expected a number"),
        ("Ip A\nIp: 1\n", "expected `Section:`"),
    ] {
        let error = inline(input, TableKind::SNMP, snmp::parse_snmp).unwrap_err();
        assert!(error.contains(problem), "{input:?}: {error}");
    }
    let t = inline(
        "Ip6InReceives 5\n\nIcmp6InMsgs 1\nIp6InDelivers 2\n",
        TableKind::SNMP6,
        snmp::parse_snmp6,
    )
    .unwrap();
    assert_eq!(
        keys(&t),
        ["Ip6", "Icmp6", "Ip6"],
        "groups are consecutive lines"
    );
    assert!(
        inline("InReceives 5\n", TableKind::SNMP6, snmp::parse_snmp6)
            .unwrap_err()
            .contains("such as `Ip6InReceives`")
    );
    assert!(
        inline("Ip6InReceives\n", TableKind::SNMP6, snmp::parse_snmp6)
            .unwrap_err()
            .contains("missing a value")
    );
}

#[test]
fn softnet_rows_follow_the_cpu_index() {
    let real = parse(
        "system-real-a",
        "proc/net/softnet_stat",
        TableKind::SOFTNET,
        softnet::parse,
    );
    assert_eq!(keys(&real), ["cpu0", "cpu1"]);
    assert_eq!(values(&real, "cpu1")[softnet_col::PROCESSED], 0x1768);
    assert_eq!(values(&real, "cpu1").len(), 15);
    // Kernel 6.x with CPU 1 offline: the index column names cpu2. An old kernel: position.
    let offline =
        "0000000a 0 0 0 0 0 0 0 0 0 0 0 00000000\n0000000b 0 0 0 0 0 0 0 0 0 0 0 00000002\n";
    let t = inline(offline, TableKind::SOFTNET, softnet::parse).unwrap();
    assert_eq!(keys(&t), ["cpu0", "cpu2"]);
    let old = "00000001 00000002 00000003 0 0 0 0 0 0 0 0\n00000004 0 0 0 0 0 0 0 0 0 0\n";
    let t = inline(old, TableKind::SOFTNET, softnet::parse).unwrap();
    assert_eq!(keys(&t), ["cpu0", "cpu1"]);
    assert_eq!(values(&t, "cpu0")[..3], [1, 2, 3]);
    assert!(inline("1 2\n", TableKind::SOFTNET, softnet::parse)
        .unwrap_err()
        .contains("2 columns"));
    assert!(inline("1 2 zz\n", TableKind::SOFTNET, softnet::parse)
        .unwrap_err()
        .contains("hexadecimal"));
}

#[test]
fn cpu_frequencies() {
    let real = parse(
        "system-real-a",
        "proc/cpuinfo",
        TableKind::CPUFREQ,
        cpufreq::parse_cpuinfo,
    );
    assert_eq!(keys(&real), ["cpu0", "cpu1"]);
    assert_eq!(values(&real, "cpu0"), [2_445_406]);
    let power =
        "processor\t: 0\nclock\t\t: 3000.000000MHz\n\nprocessor\t: 1\nclock\t\t: 2500.5MHz\n";
    let t = inline(power, TableKind::CPUFREQ, cpufreq::parse_cpuinfo).unwrap();
    assert_eq!(values(&t, "cpu1"), [2_500_500]);
    let arm = "processor\t: 0\nBogoMIPS\t: 48.00\n";
    assert!(inline(arm, TableKind::CPUFREQ, cpufreq::parse_cpuinfo)
        .unwrap()
        .rows
        .is_empty());
    assert!(
        inline("cpu MHz : 1\n", TableKind::CPUFREQ, cpufreq::parse_cpuinfo)
            .unwrap_err()
            .contains("before any")
    );
    let mut states = Vec::new();
    cpufreq::parse_time_in_state(
        &read(
            "system-hardware-b",
            "sys/devices/system/cpu/cpu1/cpufreq/stats/time_in_state",
        ),
        &mut states,
    )
    .unwrap();
    assert_eq!(states, [3_600_000, 600, 2_400_000, 4098, 1_200_000, 90_098]);
    assert!(cpufreq::parse_time_in_state(b"3600000\n", &mut states).is_err());
}

#[test]
fn mounts_with_escapes_and_filesystem_types() {
    let real = parse(
        "system-real-a",
        "proc/self/mounts",
        TableKind::FILESYSTEMS,
        mounts::parse,
    );
    assert_eq!(real.rows.len(), 20);
    assert_eq!(real.rows[5].key, "/dev/vda");
    assert_eq!(real.rows[5].text, ["/", "ext4"]);
    let made = parse(
        "system-fs",
        "proc/self/mounts",
        TableKind::FILESYSTEMS,
        mounts::parse,
    );
    assert_eq!(made.rows[4].key, "/dev/sdb1");
    assert_eq!(
        made.rows[4].text,
        ["/mnt/my disk", "xfs"],
        "\\040 is a space"
    );
    assert!(made.rows[8].key.len() > 250, "long names are kept whole");
    let escapes = inline(
        "a\\134b /x\\011y\\012z\\0 t 0 0\n",
        TableKind::FILESYSTEMS,
        mounts::parse,
    )
    .unwrap();
    assert_eq!(escapes.rows[0].key, "a\\b");
    assert_eq!(escapes.rows[0].text[0], "/x\ty\nz\\0");
    assert!(inline(
        "dev relative ext4 rw 0 0\n",
        TableKind::FILESYSTEMS,
        mounts::parse
    )
    .unwrap_err()
    .contains("absolute"));

    let types = parse(
        "system-real-a",
        "proc/filesystems",
        TableKind::FILESYSTEMS,
        mounts::parse_filesystems,
    );
    assert_eq!(mounts::is_nodev(&types, "tmpfs"), Some(true));
    assert_eq!(mounts::is_nodev(&types, "ext4"), Some(false));
    assert_eq!(
        mounts::is_nodev(&types, "fuse.sshfs"),
        Some(true),
        "by its base type"
    );
    assert_eq!(mounts::is_nodev(&types, "zfs"), None);
    assert!(inline(
        "odd name here\n",
        TableKind::FILESYSTEMS,
        mounts::parse_filesystems
    )
    .is_err());
}

#[test]
fn sysfs_attributes() {
    assert_eq!(
        netif::parse_speed(&read("system-real-a", "sys/class/net/eth0/speed")).unwrap(),
        0,
        "-1: unknown"
    );
    assert_eq!(
        netif::parse_duplex(&read("system-real-a", "sys/class/net/eth0/duplex")).unwrap(),
        0
    );
    assert_eq!(netif::parse_speed(b"10000\n").unwrap(), 10_000);
    assert_eq!(netif::parse_duplex(b"full\n").unwrap(), 2);
    assert!(netif::parse_duplex(b"both\n").is_err());
    let hwmon = |file: &str| read("system-hardware-a", &format!("sys/class/hwmon/{file}"));
    assert_eq!(
        attr::parse_attribute_signed("t", &hwmon("hwmon1/temp7_input"))
            .map(signed)
            .unwrap(),
        -5000
    );
    assert_eq!(
        attr::parse_attribute_u64("t", &hwmon("hwmon0/temp1_max")).unwrap(),
        100_000
    );
    let fc = read(
        "system-hardware-a",
        "sys/class/fc_host/host0/statistics/rx_frames",
    );
    assert_eq!(attr::parse_attribute_hex("f", &fc).unwrap(), 0x72400);
    let power = read("system-hardware-a", "sys/bus/usb/devices/1-1/bMaxPower");
    assert_eq!(attr::parse_attribute_leading_u64("p", &power).unwrap(), 98);
    let mut label = String::new();
    attr::attribute_text(&hwmon("hwmon0/temp1_label"), &mut label);
    assert_eq!(label, "Package id 0");
}
