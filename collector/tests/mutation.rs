//! Deterministic mutation testing: thousands of inputs derived from the fixtures by flipping,
//! overwriting, inserting, deleting, duplicating and truncating bytes, fed to every parser.
//! No parser may panic, and every error must name the parser's file and a line that exists.
//! (collector/fuzz/ runs the same parsers under libFuzzer for longer.)

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{Parse, Rng};
use rstat_collector::proc::{
    boot_id, diskstats, loadavg, meminfo, net_dev, stat, uptime, vmstat, ParseError,
};
use rstat_data_format::schema::{Table, TableKind};

/// Bytes that matter to the parsers' grammar, so mutations hit separators and digits often.
const INTERESTING: &[u8] = b" \t\n\r:/.-+0123456789|\x00\xff\xc3cpuintr";

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let position = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if position < input.len() => input[position] ^= 1 << rng.below(8),
            1 if position < input.len() => {
                input[position] = INTERESTING[rng.below(INTERESTING.len())]
            }
            2 => {
                let byte = if rng.below(2) == 0 {
                    INTERESTING[rng.below(INTERESTING.len())]
                } else {
                    rng.next() as u8
                };
                input.insert(position, byte);
            }
            3 => {
                let end = (position + 1 + rng.below(16)).min(input.len());
                input.drain(position.min(end)..end);
            }
            4 => input.truncate(position),
            5 => {
                // Duplicate a short run (repeats fields, lines, digits: overflow, extra fields).
                let end = (position + 1 + rng.below(40)).min(input.len());
                let run = input[position.min(end)..end].to_vec();
                let at = rng.below(input.len() + 1);
                input.splice(at..at, run);
            }
            _ => {
                // A long run of digits: numbers past u64::MAX.
                let digits: Vec<u8> = (0..1 + rng.below(30))
                    .map(|_| b'0' + rng.below(10) as u8)
                    .collect();
                input.splice(position..position, digits);
            }
        }
    }
}

fn parse_stat(bytes: &[u8], cpu: &mut Table) -> Result<(), ParseError> {
    let mut kernel = Table::new(TableKind::STAT);
    stat::parse(bytes, cpu, &mut kernel)
}

/// Every parser, with its file name as its errors must give it.
const PARSERS: [(&str, Parse); 8] = [
    (uptime::FILE, uptime::parse),
    (boot_id::FILE, boot_id::parse),
    (stat::FILE, parse_stat),
    (meminfo::FILE, meminfo::parse),
    (vmstat::FILE, vmstat::parse),
    (loadavg::FILE, loadavg::parse),
    (diskstats::FILE, diskstats::parse),
    (net_dev::FILE, net_dev::parse),
];

/// Runs every parser on `input` (into a table that already holds rows, as in steady state)
/// and checks the error contract.
fn check_all_parsers(input: &[u8], tables: &mut [Table]) {
    let lines = input.split(|&byte| byte == b'\n').count();
    for ((file, parse), table) in PARSERS.iter().zip(tables.iter_mut()) {
        let outcome = catch_unwind(AssertUnwindSafe(|| parse(input, table)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                assert_eq!(error.file, *file);
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

const MUTANTS_PER_FILE: usize = 1000;

#[test]
fn no_parser_panics_on_mutated_fixtures() {
    let mut rng = Rng(0x005e_ed0f_2057_a7a7);
    let mut tables: Vec<Table> = (0..PARSERS.len())
        .map(|_| Table::new(TableKind(0)))
        .collect();
    let files = [
        "proc/uptime",
        "proc/sys/kernel/random/boot_id",
        "proc/stat",
        "proc/meminfo",
        "proc/vmstat",
        "proc/loadavg",
        "proc/diskstats",
        "proc/net/dev",
    ];
    let mut checked = 0;
    for tree in ["real-debian-vm", "old-kernel-a", "counter-wrap-a"] {
        for file in files {
            let original = common::read(tree, file);
            // The unmutated file parses with its own parser, so mutants start from valid input.
            let own = files.iter().position(|&name| name == file).unwrap();
            PARSERS[own].1(&original, &mut tables[own]).unwrap();
            for _ in 0..MUTANTS_PER_FILE {
                let mut input = original.clone();
                mutate(&mut rng, &mut input);
                check_all_parsers(&input, &mut tables);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 8 * MUTANTS_PER_FILE);
}

#[test]
fn no_parser_panics_on_short_random_inputs() {
    let mut rng = Rng(0xdead_beef_cafe);
    let mut tables: Vec<Table> = (0..PARSERS.len())
        .map(|_| Table::new(TableKind(0)))
        .collect();
    for _ in 0..3000 {
        let length = rng.below(64);
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

#[test]
fn the_rng_is_deterministic() {
    let mut rng = Rng(1);
    let first: Vec<u64> = (0..3).map(|_| rng.next()).collect();
    let mut again = Rng(1);
    assert_eq!(first, (0..3).map(|_| again.next()).collect::<Vec<_>>());
    assert_ne!(first[0], first[1]);
}
