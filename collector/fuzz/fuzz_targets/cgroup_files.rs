//! Fuzzes the cgroup v2 file parsers (keyed files such as memory.stat, single values,
//! pressure files, io.stat): any bytes must give Ok or a ParseError naming its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::process::cgroup_files::{
    parse_io_stat, parse_keyed, parse_pressure, parse_single,
};
use rstat_data_format::schema_process::cgroup_col;

fuzz_target!(|data: &[u8]| {
    let mut out = [0u64; 22];
    let mut psi = [0u64; 8];
    for (file, result) in [
        (
            "memory.stat",
            parse_keyed("memory.stat", data, &cgroup_col::MEMORY_STAT_KEYS, &mut out),
        ),
        (
            "memory.current",
            parse_single("memory.current", data).map(drop),
        ),
        (
            "cpu.pressure",
            parse_pressure("cpu.pressure", data, &mut psi),
        ),
        ("io.stat", parse_io_stat("io.stat", data, |_, _| {})),
    ] {
        if let Err(error) = result {
            assert_eq!(error.file, file);
            assert!(error.line >= 1);
        }
    }
});
