//! Helpers shared by the integration tests: where the fixture trees are and how to read them.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;
use std::time::Duration;

pub mod h200;

use rstat_collector::proc::ParseError;
use rstat_data_format::schema::{Table, TableKind};

/// The signature of every single-table parser.
pub type Parse = fn(&[u8], &mut Table) -> Result<(), ParseError>;

/// Every fixture tree that has all the files (so not `missing-files-*`).
pub const COMPLETE_TREES: [&str; 14] = [
    "real-debian-vm",
    "real-debian-vm-later",
    "cpu-offline-a",
    "cpu-offline-b",
    "disk-appears-a",
    "disk-appears-b",
    "counter-backwards-a",
    "counter-backwards-b",
    "counter-wrap-a",
    "counter-wrap-b",
    "disk-reregistered-a",
    "disk-reregistered-b",
    "old-kernel-a",
    "old-kernel-b",
];

/// Every fixture tree.
pub const ALL_TREES: [&str; 16] = [
    "real-debian-vm",
    "real-debian-vm-later",
    "cpu-offline-a",
    "cpu-offline-b",
    "disk-appears-a",
    "disk-appears-b",
    "counter-backwards-a",
    "counter-backwards-b",
    "counter-wrap-a",
    "counter-wrap-b",
    "disk-reregistered-a",
    "disk-reregistered-b",
    "old-kernel-a",
    "old-kernel-b",
    "missing-files-a",
    "missing-files-b",
];

/// The root directory of fixture tree `name`.
pub fn tree(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bytes of `relative` (e.g. "proc/stat") in fixture tree `name`.
pub fn read(name: &str, relative: &str) -> Vec<u8> {
    let path = tree(name).join(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The keys of a table's rows, in order.
pub fn keys(table: &Table) -> Vec<&str> {
    table.rows.iter().map(|row| row.key.as_str()).collect()
}

/// The values of row `key`, or a panic naming what is missing.
pub fn values<'a>(table: &'a Table, key: &str) -> &'a [u64] {
    match table.row(key) {
        Some(row) => &row.values,
        None => panic!(
            "{:?} has no row {key:?}; rows: {:?}",
            table.kind,
            keys(table)
        ),
    }
}

/// A fresh table of `kind`, for parsers to fill.
pub fn table(kind: TableKind) -> Table {
    Table::new(kind)
}

/// xorshift64*: tiny, deterministic, good enough for mutation tests to pick positions and
/// bytes (a fixed seed makes every failure reproducible).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next() % bound as u64) as usize
        }
    }
}
pub mod scale_root;

/// CPU time of this thread, ns precision (`/proc/thread-self/schedstat`, first field).
pub fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat");
    let ns: u64 = text
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .expect("run time");
    Duration::from_nanos(ns)
}
