//! procfs-core 0.18 as an oracle for the system-activity files it parses: pressure
//! (`CpuPressure`, `IoPressure`, `MemoryPressure`), the mount table (`Vec<MountEntry>`),
//! `/proc/cpuinfo` (`CpuInfo`), `/proc/net/snmp` (`Snmp`) and `/proc/net/snmp6` (`Snmp6`).
//! The same bytes go to both parsers, from the live machine (each file read once) and from
//! every fixture tree that has the file. procfs-core has no parser for interrupts, softirqs,
//! sockstat, netstat, softnet, serial, NFS or the kernel tables.
//!
//! Differences handled here: procfs-core keeps pressure averages as `f32` percent and cpu MHz
//! as text (rstat stores hundredths and kHz), and does not undo the mount table's `\040`.

mod common;

use std::path::{Path, PathBuf};

use procfs_core::net::{Snmp, Snmp6};
use procfs_core::{
    CpuInfo, CpuPressure, FromRead, IoPressure, MemoryPressure, MountEntry, PressureRecord,
};
use rstat_collector::proc::{cpufreq, mounts, pressure, snmp};
use rstat_data_format::schema::{Row, Table, TableKind};
use rstat_data_format::schema_system::{named, signed};

/// Every fixture tree with system files, then the live root.
fn roots() -> Vec<PathBuf> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut roots: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("system-")
        })
        .collect();
    roots.sort();
    roots.push(PathBuf::from("/"));
    roots
}

/// The bytes of `relative` under `root`, if the file is there and readable.
fn bytes(root: &Path, relative: &str) -> Option<(String, Vec<u8>)> {
    let path = root.join(relative);
    let data = std::fs::read(&path).ok()?;
    Some((path.display().to_string(), data))
}

fn ours(
    label: &str,
    kind: TableKind,
    bytes: &[u8],
    parse: impl Fn(&[u8], &mut Table) -> Result<(), rstat_collector::proc::ParseError>,
) -> Table {
    let mut table = Table::new(kind);
    parse(bytes, &mut table).unwrap_or_else(|error| panic!("{label}: {error}"));
    table
}

fn check_record(label: &str, row: Option<&Row>, record: &PressureRecord) {
    let row = row.unwrap_or_else(|| panic!("{label}: missing row"));
    let hundredths = |avg: f32| (f64::from(avg) * 100.0).round() as u64;
    assert_eq!(
        row.values,
        [
            hundredths(record.avg10),
            hundredths(record.avg60),
            hundredths(record.avg300),
            record.total
        ],
        "{label}"
    );
}

#[test]
fn pressure_files_agree_with_procfs_core() {
    let mut checked = 0;
    for root in roots() {
        for (file, relative) in [
            (pressure::CPU_FILE, "proc/pressure/cpu"),
            (pressure::IO_FILE, "proc/pressure/io"),
            (pressure::MEMORY_FILE, "proc/pressure/memory"),
        ] {
            let Some((label, data)) = bytes(&root, relative) else {
                continue;
            };
            if data.is_empty() {
                continue; // procfs-core cannot parse an empty file; rstat records nothing
            }
            let table = ours(&label, TableKind::PSI_CPU, &data, |b, t| {
                pressure::parse(file, b, t)
            });
            let (some, full) = match relative {
                "proc/pressure/cpu" => {
                    let p = CpuPressure::from_read(&data[..]).unwrap();
                    (p.some, p.full)
                }
                "proc/pressure/io" => {
                    let p = IoPressure::from_read(&data[..]).unwrap();
                    (p.some, p.full)
                }
                _ => {
                    let p = MemoryPressure::from_read(&data[..]).unwrap();
                    (p.some, p.full)
                }
            };
            check_record(&format!("{label} some"), table.row("some"), &some);
            check_record(&format!("{label} full"), table.row("full"), &full);
            checked += 1;
        }
    }
    assert!(checked >= 3 * 6, "{checked} files checked");
}

#[test]
fn mount_tables_agree_with_procfs_core() {
    let mut checked = 0;
    for root in roots() {
        let Some((label, data)) = bytes(&root, "proc/self/mounts") else {
            continue;
        };
        let table = ours(&label, TableKind::FILESYSTEMS, &data, mounts::parse);
        let oracle = Vec::<MountEntry>::from_read(&data[..]).unwrap();
        assert_eq!(table.rows.len(), oracle.len(), "{label}");
        // procfs-core undoes \011 \012 \134 \043 but not \040 (space), which the kernel
        // also escapes (seq_escape with " \t\n\\#"): finish its work before comparing.
        let space = |text: &str| text.replace("\\040", " ");
        for (row, entry) in table.rows.iter().zip(&oracle) {
            assert_eq!(row.key, space(&entry.fs_spec), "{label}");
            assert_eq!(
                row.text,
                [space(&entry.fs_file), space(&entry.fs_vfstype)],
                "{label}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn cpuinfo_frequencies_agree_with_procfs_core() {
    for root in roots() {
        let Some((label, data)) = bytes(&root, "proc/cpuinfo") else {
            continue;
        };
        let table = ours(&label, TableKind::CPUFREQ, &data, cpufreq::parse_cpuinfo);
        let oracle = CpuInfo::from_read(&data[..]).unwrap();
        let mut expected = 0;
        for cpu in 0..oracle.num_cores() {
            let Some(mhz) = oracle.get_field(cpu, "cpu MHz") else {
                continue;
            };
            let khz = (mhz.parse::<f64>().unwrap() * 1000.0).round() as u64;
            let key = format!("cpu{}", oracle.get_field(cpu, "processor").unwrap());
            assert_eq!(
                table.row(&key).and_then(|r| r.value(0)),
                Some(khz),
                "{label} {key}"
            );
            expected += 1;
        }
        assert_eq!(table.rows.len(), expected, "{label}");
    }
}

#[test]
fn snmp_agrees_with_procfs_core() {
    let mut checked = 0;
    for root in roots() {
        let Some((label, data)) = bytes(&root, "proc/net/snmp") else {
            continue;
        };
        let table = ours(&label, TableKind::SNMP, &data, snmp::parse_snmp);
        let o = Snmp::from_read(&data[..]).unwrap();
        let v = |section: &str, name: &str| named(table.row(section).unwrap(), name).unwrap();
        let pairs: [(&str, &str, u64); 24] = [
            ("Ip", "InReceives", o.ip_in_receives),
            ("Ip", "InHdrErrors", o.ip_in_hdr_errors),
            ("Ip", "InAddrErrors", o.ip_in_addr_errors),
            ("Ip", "ForwDatagrams", o.ip_forw_datagrams),
            ("Ip", "InUnknownProtos", o.ip_in_unknown_protos),
            ("Ip", "InDiscards", o.ip_in_discards),
            ("Ip", "InDelivers", o.ip_in_delivers),
            ("Ip", "OutRequests", o.ip_out_requests),
            ("Ip", "OutDiscards", o.ip_out_discards),
            ("Ip", "ReasmFails", o.ip_reasm_fails),
            ("Ip", "FragCreates", o.ip_frag_creates),
            ("Icmp", "InMsgs", o.icmp_in_msgs),
            ("Icmp", "InErrors", o.icmp_in_errors),
            ("Icmp", "InDestUnreachs", o.icmp_in_dest_unreachs),
            ("Icmp", "OutMsgs", o.icmp_out_msgs),
            ("Icmp", "OutEchoReps", o.icmp_out_echo_reps),
            ("Tcp", "ActiveOpens", o.tcp_active_opens),
            ("Tcp", "PassiveOpens", o.tcp_passive_opens),
            ("Tcp", "InSegs", o.tcp_in_segs),
            ("Tcp", "OutSegs", o.tcp_out_segs),
            ("Tcp", "RetransSegs", o.tcp_retrans_segs),
            ("Tcp", "OutRsts", o.tcp_out_rsts),
            ("Udp", "InDatagrams", o.udp_in_datagrams),
            ("Udp", "NoPorts", o.udp_no_ports),
        ];
        for (section, name, expected) in pairs {
            assert_eq!(v(section, name), expected, "{label} {section}:{name}");
        }
        assert_eq!(signed(v("Tcp", "MaxConn")), o.tcp_max_conn, "{label}");
        assert_eq!(v("Udp", "OutDatagrams"), o.udp_out_datagrams, "{label}");
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn snmp6_agrees_with_procfs_core() {
    let mut checked = 0;
    for root in roots() {
        let Some((label, data)) = bytes(&root, "proc/net/snmp6") else {
            continue;
        };
        let table = ours(&label, TableKind::SNMP6, &data, snmp::parse_snmp6);
        let o = Snmp6::from_read(&data[..]).unwrap();
        let v = |section: &str, name: &str| named(table.row(section).unwrap(), name).unwrap();
        let pairs: [(&str, &str, u64); 16] = [
            ("Ip6", "InReceives", o.ip_in_receives),
            ("Ip6", "InHdrErrors", o.ip_in_hdr_errors),
            ("Ip6", "InTooBigErrors", o.ip_in_too_big_errors),
            ("Ip6", "InDelivers", o.ip_in_delivers),
            ("Ip6", "OutForwDatagrams", o.ip_out_forw_datagrams),
            ("Ip6", "OutRequests", o.ip_out_requests),
            ("Ip6", "InMcastPkts", o.ip_in_mcast_pkts),
            ("Ip6", "OutMcastPkts", o.ip_out_mcast_pkts),
            ("Ip6", "InTruncatedPkts", o.ip_in_truncated_pkts),
            ("Icmp6", "InMsgs", o.icmp_in_msgs),
            ("Icmp6", "OutMsgs", o.icmp_out_msgs),
            ("Icmp6", "InParmProblems", o.icmp_in_parm_problem),
            ("Icmp6", "OutNeighborSolicits", o.icmp_out_neighbor_solicits),
            ("Icmp6", "OutRedirects", o.icmp_out_redirects),
            ("Udp6", "InDatagrams", o.udp_in_datagrams),
            ("Udp6", "NoPorts", o.udp_no_ports),
        ];
        for (section, name, expected) in pairs {
            assert_eq!(v(section, name), expected, "{label} {section}{name}");
        }
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}
