//! Fuzzes the parsers of /proc/net/softnet_stat: any bytes must give Ok or a ParseError naming its
//! file, never a panic, also when refilling tables that already hold rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::softnet;
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    let mut tables = [Table::new(TableKind(0))];
    for _ in 0..2 {
        if let Err(error) = (softnet::parse)(data, &mut tables[0]) {
            assert_eq!(error.file, softnet::FILE);
            assert!(error.line >= 1);
        }
    }
});
