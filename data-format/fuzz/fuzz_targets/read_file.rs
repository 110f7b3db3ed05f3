//! Any bytes as a daily file: opening and reading every item never panics.
//!
//! The bytes go to one scratch file per fuzzing process (created once, rewritten for each
//! input): a temporary directory per input cost more than the read itself (309 runs/s).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rstat_data_format::reader::FileReader;

/// The scratch directory (removed when the process ends) and the file in it.
fn scratch() -> &'static (tempfile::TempDir, PathBuf) {
    static SCRATCH: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fuzz.rstat");
        (dir, path)
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, path) = scratch();
    std::fs::write(path, data).expect("write");
    if let Ok(mut reader) = FileReader::open(path) {
        while let Ok(Some(_)) = reader.next_item() {}
    }
});
