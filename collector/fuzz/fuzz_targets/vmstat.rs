//! Fuzzes the /proc parser `vmstat`: any bytes must give Ok or a ParseError naming its file,
//! never a panic, also when refilling a table that already holds rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::vmstat;
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    let mut table = Table::new(TableKind(0));
    for _ in 0..2 {
        if let Err(error) = vmstat::parse(data, &mut table) {
            assert_eq!(error.file, vmstat::FILE);
            assert!(error.line >= 1);
        }
    }
});
