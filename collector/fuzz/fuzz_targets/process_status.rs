//! Fuzzes the /proc/PID/status, io and schedstat parsers and the command-line and cgroup text
//! helpers: any bytes must give Ok or a ParseError naming its file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::process::{status, text};

fuzz_target!(|data: &[u8]| {
    for (file, result) in [
        (status::STATUS_FILE, status::parse_status(data).map(drop)),
        (status::IO_FILE, status::parse_io(data).map(drop)),
        (
            status::SCHEDSTAT_FILE,
            status::parse_schedstat(data).map(drop),
        ),
    ] {
        if let Err(error) = result {
            assert_eq!(error.file, file);
            assert!(error.line >= 1);
        }
    }
    let mut stored = String::new();
    text::set_cmdline(&mut stored, data);
    assert!(stored.len() <= rstat_data_format::schema_process::CMDLINE_MAX);
    let _ = text::v2_cgroup_path(data);
});
