//! Fuzzes the parsers of the mount table and /proc/filesystems: any bytes must give Ok or a ParseError naming its
//! file, never a panic, also when refilling tables that already hold rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::mounts;
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    let mut tables = [Table::new(TableKind(0)), Table::new(TableKind(0))];
    for _ in 0..2 {
        if let Err(error) = (mounts::parse)(data, &mut tables[0]) {
            assert_eq!(error.file, mounts::FILE);
            assert!(error.line >= 1);
        }
        if let Err(error) = (mounts::parse_filesystems)(data, &mut tables[1]) {
            assert_eq!(error.file, mounts::FILESYSTEMS_FILE);
            assert!(error.line >= 1);
        }
    }
});
