//! Fuzzes the /proc parser `stat` (two tables): any bytes must give Ok or a ParseError naming
//! its file, never a panic, also when refilling tables that already hold rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::stat;
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    let (mut cpu, mut kernel) = (Table::new(TableKind::CPU), Table::new(TableKind::STAT));
    for _ in 0..2 {
        if let Err(error) = stat::parse(data, &mut cpu, &mut kernel) {
            assert_eq!(error.file, stat::FILE);
            assert!(error.line >= 1);
        }
    }
});
