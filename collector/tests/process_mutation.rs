//! Deterministic mutation testing of the per-process and cgroup parsers: inputs derived from
//! the fixture files by flipping, inserting, deleting, duplicating and truncating bytes. No
//! parser may panic; every error names the parser's file and a line that exists.
//! (collector/fuzz/ runs the same parsers under libFuzzer for longer.)

mod common;

use common::Rng;

use std::panic::{catch_unwind, AssertUnwindSafe};

use rstat_collector::proc::ParseError;
use rstat_collector::process::cgroup_files::{
    parse_io_stat, parse_keyed, parse_pressure, parse_single,
};
use rstat_collector::process::{stat, status, text};

const INTERESTING: &[u8] = b" \t\n:()=-0123456789\x00\xffsomefullavg";

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let position = rng.below(input.len() + 1);
        match rng.below(6) {
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
            _ => {
                let end = (position + 1 + rng.below(40)).min(input.len());
                let run = input[position.min(end)..end].to_vec();
                let at = rng.below(input.len() + 1);
                input.splice(at..at, run);
            }
        }
    }
}

type Check = fn(&[u8]) -> Result<(), ParseError>;

fn stat_check(bytes: &[u8]) -> Result<(), ParseError> {
    let parsed = stat::parse(bytes)?;
    assert!(parsed.comm_start <= parsed.comm_end && parsed.comm_end <= bytes.len());
    Ok(())
}

fn pressure_check(bytes: &[u8]) -> Result<(), ParseError> {
    parse_pressure("cpu.pressure", bytes, &mut [0; 8])
}

fn keyed_check(bytes: &[u8]) -> Result<(), ParseError> {
    parse_keyed(
        "memory.stat",
        bytes,
        &["anon", "file", "kernel"],
        &mut [0; 3],
    )
}

fn io_stat_check(bytes: &[u8]) -> Result<(), ParseError> {
    parse_io_stat("io.stat", bytes, |_, _| {})
}

/// (file as named in errors, a fixture file, the check).
const PARSERS: [(&str, &str, Check); 8] = [
    (stat::FILE, "proc/42/stat", stat_check),
    (status::STATUS_FILE, "proc/1/status", |b| {
        status::parse_status(b).map(drop)
    }),
    (status::IO_FILE, "proc/1/io", |b| {
        status::parse_io(b).map(drop)
    }),
    (status::SCHEDSTAT_FILE, "proc/1/schedstat", |b| {
        status::parse_schedstat(b).map(drop)
    }),
    (
        "cpu.pressure",
        "sys/fs/cgroup/system.slice/cpu.pressure",
        pressure_check,
    ),
    (
        "memory.stat",
        "sys/fs/cgroup/system.slice/memory.stat",
        keyed_check,
    ),
    (
        "io.stat",
        "sys/fs/cgroup/system.slice/io.stat",
        io_stat_check,
    ),
    (
        "pids.current",
        "sys/fs/cgroup/system.slice/pids.current",
        |b| parse_single("pids.current", b).map(drop),
    ),
];

fn check(file: &str, parse: Check, input: &[u8]) {
    let lines = input.split(|&b| b == b'\n').count();
    match catch_unwind(AssertUnwindSafe(|| parse(input))) {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            assert_eq!(error.file, file);
            assert!(error.line >= 1 && error.line <= lines.max(1), "{error}");
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
    let mut stored = String::new();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        text::set_cmdline(&mut stored, input);
        text::v2_cgroup_path(input);
    }));
    assert!(outcome.is_ok(), "text helpers panicked");
}

#[test]
fn no_process_parser_panics_on_mutated_fixtures() {
    let mut rng = Rng(0x0bad_5eed_1234_5678);
    for tree in ["proc-processes-a", "proc-processes-b"] {
        for (file, relative, parse) in PARSERS {
            let original = common::read(tree, relative);
            parse(&original).unwrap_or_else(|e| panic!("{tree}/{relative}: {e}"));
            for _ in 0..1500 {
                let mut input = original.clone();
                mutate(&mut rng, &mut input);
                // Every parser gets every mutant: a file of one kind fed to another parser.
                for (other_file, _, other) in PARSERS {
                    check(other_file, other, &input);
                }
                check(file, parse, &input);
            }
        }
    }
}
