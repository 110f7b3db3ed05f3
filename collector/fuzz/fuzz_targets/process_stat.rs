//! Fuzzes the /proc/PID/stat parser: any bytes must give Ok (with a command name inside the
//! input) or a ParseError naming its file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::process::stat;

fuzz_target!(|data: &[u8]| {
    match stat::parse(data) {
        Ok(parsed) => {
            assert!(parsed.comm_start <= parsed.comm_end && parsed.comm_end <= data.len());
            let _ = parsed.comm(data);
        }
        Err(error) => {
            assert_eq!(error.file, stat::FILE);
            assert_eq!(error.line, 1);
        }
    }
});
