//! Any bytes after sysstat's magic as an sa file: every reader opens it (through the
//! conversion into a temporary rstat file) and reads every item without a panic, in memory
//! and time bounded by the input's size. Seeds (seeds/read_sa/): sa files whose 2-byte magic
//! is replaced by one byte, even for little-endian, odd for big-endian; the older-format ones
//! are the files tests/sysstat_old_formats.rs builds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sa01");
    // sysstat's magic in either byte order, chosen by the input, so that every run reaches
    // the sa reader.
    let mut bytes = if data.first().is_some_and(|b| b & 1 == 1) {
        vec![0xd5, 0x96]
    } else {
        vec![0x96, 0xd5]
    };
    bytes.extend_from_slice(data.get(1..).unwrap_or(&[]));
    std::fs::write(&path, &bytes).expect("write");
    // The opening every reader uses (data-format's open module): FileReader::open alone
    // refuses an sa file at its magic and would leave the sa reader unreached.
    if let Ok(mut reader) = rstat_data_format::open::open(&path) {
        while let Ok(Some(_)) = reader.next_item() {}
    }
});
