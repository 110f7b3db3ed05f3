//! Deterministic mutation testing of the system-activity parsers: inputs derived from the
//! system fixture files by flipping, overwriting, inserting, deleting, duplicating and
//! truncating bytes, fed to every parser. No parser may panic, and every error must name the
//! parser's file and a line that exists. (collector/fuzz/ runs them under libFuzzer too.)

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{Parse, Rng};
use rstat_collector::proc::{
    cpufreq, interrupts, ktables, mounts, netif, pressure, rpc, serial, snmp, sockstat, softnet,
    values, ParseError,
};
use rstat_data_format::schema::{Table, TableKind};

/// Bytes that matter to these grammars: separators, digits, hex, signs, escapes, keywords.
const INTERESTING: &[u8] = b" \t\n\r:=/.-\\0123456789abcdefx|\x00\xff\xc3CPUtxrsomefull";

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let position = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if position < input.len() => input[position] ^= 1 << rng.below(8),
            1 if position < input.len() => {
                input[position] = INTERESTING[rng.below(INTERESTING.len())]
            }
            2 => input.insert(position, INTERESTING[rng.below(INTERESTING.len())]),
            3 => {
                let end = (position + 1 + rng.below(16)).min(input.len());
                input.drain(position.min(end)..end);
            }
            4 => input.truncate(position),
            5 => {
                let end = (position + 1 + rng.below(40)).min(input.len());
                let run = input[position.min(end)..end].to_vec();
                let at = rng.below(input.len() + 1);
                input.splice(at..at, run);
            }
            _ => {
                let digits: Vec<u8> = (0..1 + rng.below(30))
                    .map(|_| b'0' + rng.below(10) as u8)
                    .collect();
                input.splice(position..position, digits);
            }
        }
    }
}

/// A one-value parser as a table parser.
fn one_value(value: Result<u64, ParseError>, table: &mut Table) -> Result<(), ParseError> {
    let value = value?;
    let mut fill = table.refill();
    fill.row("value").values.push(value);
    fill.finish();
    Ok(())
}

fn ktables_row(source: ktables::Source, bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = ktables::parse_row(source, bytes, &mut fill.row(source.key()).values);
    fill.finish();
    result
}

/// Every parser with the file its errors must name; the fixture file it is seeded with.
const PARSERS: [(&str, Parse, &str); 25] = [
    (interrupts::FILE, interrupts::parse, "proc/interrupts"),
    (
        interrupts::SOFTIRQS_FILE,
        interrupts::parse_softirqs,
        "proc/softirqs",
    ),
    (
        "/proc/sys/fs/dentry-state",
        |b, t| ktables_row(ktables::Source::DentryState, b, t),
        "proc/sys/fs/dentry-state",
    ),
    (
        "/proc/sys/fs/file-nr",
        |b, t| ktables_row(ktables::Source::FileNr, b, t),
        "proc/sys/fs/file-nr",
    ),
    (
        "/proc/sys/fs/inode-state",
        |b, t| ktables_row(ktables::Source::InodeState, b, t),
        "proc/sys/fs/inode-state",
    ),
    (
        "/proc/sys/kernel/pty/nr",
        |b, t| ktables_row(ktables::Source::PtyNr, b, t),
        "proc/sys/kernel/pty/nr",
    ),
    (
        pressure::CPU_FILE,
        |b, t| pressure::parse(pressure::CPU_FILE, b, t),
        "proc/pressure/cpu",
    ),
    (
        pressure::IO_FILE,
        |b, t| pressure::parse(pressure::IO_FILE, b, t),
        "proc/pressure/io",
    ),
    (serial::FILE, serial::parse, "proc/tty/driver/serial"),
    (rpc::NFS_FILE, rpc::parse_nfs, "proc/net/rpc/nfs"),
    (rpc::NFSD_FILE, rpc::parse_nfsd, "proc/net/rpc/nfsd"),
    (sockstat::FILE, sockstat::parse, "proc/net/sockstat"),
    (sockstat::FILE6, sockstat::parse6, "proc/net/sockstat6"),
    (snmp::SNMP_FILE, snmp::parse_snmp, "proc/net/snmp"),
    (snmp::NETSTAT_FILE, snmp::parse_netstat, "proc/net/netstat"),
    (snmp::SNMP6_FILE, snmp::parse_snmp6, "proc/net/snmp6"),
    (softnet::FILE, softnet::parse, "proc/net/softnet_stat"),
    (
        cpufreq::CPUINFO_FILE,
        cpufreq::parse_cpuinfo,
        "proc/cpuinfo",
    ),
    (
        cpufreq::TIME_IN_STATE_FILE,
        cpufreq::parse_time_in_state_table,
        "sys/devices/system/cpu/cpu0/cpufreq/stats/time_in_state",
    ),
    (mounts::FILE, mounts::parse, "proc/self/mounts"),
    (
        mounts::FILESYSTEMS_FILE,
        mounts::parse_filesystems,
        "proc/filesystems",
    ),
    (
        netif::SPEED_FILE,
        netif::parse_pair,
        "sys/class/net/eth0/speed",
    ),
    (
        "u64",
        |b, t| one_value(values::parse_attribute_u64("u64", b), t),
        "sys/class/power_supply/BAT0/capacity",
    ),
    (
        "signed",
        |b, t| one_value(values::parse_attribute_signed("signed", b), t),
        "sys/class/hwmon/hwmon1/temp7_input",
    ),
    (
        "hex",
        |b, t| one_value(values::parse_attribute_hex("hex", b), t),
        "sys/class/fc_host/host0/statistics/rx_frames",
    ),
];

/// Runs every parser on `input` (into tables that already hold rows) and checks the error
/// contract. The duplex file of a `parse_pair` input may name either netif file.
fn check_all_parsers(input: &[u8], tables: &mut [Table]) {
    let lines = input.split(|&byte| byte == b'\n').count();
    for ((file, parse, _), table) in PARSERS.iter().zip(tables.iter_mut()) {
        match catch_unwind(AssertUnwindSafe(|| parse(input, table))) {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                let expected = *file == netif::SPEED_FILE && error.file == netif::DUPLEX_FILE;
                assert!(error.file == *file || expected, "{error} from {file}");
                assert!(
                    error.line >= 1 && error.line <= lines,
                    "{error} (input has {lines} lines): {:?}",
                    String::from_utf8_lossy(input)
                );
                assert!(
                    !error.problem.is_empty() && error.problem.len() < 200,
                    "{error}"
                );
            }
            Err(_) => panic!(
                "{file} parser panicked on {:?}",
                String::from_utf8_lossy(input)
            ),
        }
    }
}

const MUTANTS_PER_FILE: usize = 250;

#[test]
fn no_system_parser_panics_on_mutated_fixtures() {
    let mut rng = Rng(0x5157_e3ac_71b1_7135);
    let mut tables: Vec<Table> = (0..PARSERS.len())
        .map(|_| Table::new(TableKind(0)))
        .collect();
    let mut checked = 0;
    for tree in [
        "system-real-a",
        "system-hardware-b",
        "system-cpu-appears-b",
        "system-fs",
    ] {
        for (index, (_, parse, file)) in PARSERS.iter().enumerate() {
            let path = common::tree(tree).join(file);
            let Ok(original) = std::fs::read(&path) else {
                continue;
            };
            // The unmutated file parses with its own parser, so mutants start from valid input.
            parse(&original, &mut tables[index])
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for _ in 0..MUTANTS_PER_FILE {
                let mut input = original.clone();
                mutate(&mut rng, &mut input);
                check_all_parsers(&input, &mut tables);
                checked += 1;
            }
        }
    }
    assert!(checked >= 60 * MUTANTS_PER_FILE, "{checked}");
}

#[test]
fn no_system_parser_panics_on_short_random_inputs() {
    let mut rng = Rng(0x0bad_cafe_f00d);
    let mut tables: Vec<Table> = (0..PARSERS.len())
        .map(|_| Table::new(TableKind(0)))
        .collect();
    for _ in 0..3000 {
        let length = rng.below(80);
        let input: Vec<u8> = (0..length)
            .map(|_| {
                if rng.below(3) == 0 {
                    rng.next() as u8
                } else {
                    INTERESTING[rng.below(INTERESTING.len())]
                }
            })
            .collect();
        check_all_parsers(&input, &mut tables);
    }
}
