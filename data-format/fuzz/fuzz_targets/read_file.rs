//! Any bytes as a daily file: opening and reading every item never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_data_format::reader::FileReader;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("fuzz.rstat");
    std::fs::write(&path, data).expect("write");
    if let Ok(mut reader) = FileReader::open(&path) {
        while let Ok(Some(_)) = reader.next_item() {}
    }
});
