//! Fuzzes the parsers of /proc/net/snmp, netstat and snmp6: any bytes must give Ok or a ParseError naming its
//! file, never a panic, also when refilling tables that already hold rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::snmp;
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    let mut tables = [
        Table::new(TableKind(0)),
        Table::new(TableKind(0)),
        Table::new(TableKind(0)),
    ];
    for _ in 0..2 {
        if let Err(error) = (snmp::parse_snmp)(data, &mut tables[0]) {
            assert_eq!(error.file, snmp::SNMP_FILE);
            assert!(error.line >= 1);
        }
        if let Err(error) = (snmp::parse_netstat)(data, &mut tables[1]) {
            assert_eq!(error.file, snmp::NETSTAT_FILE);
            assert!(error.line >= 1);
        }
        if let Err(error) = (snmp::parse_snmp6)(data, &mut tables[2]) {
            assert_eq!(error.file, snmp::SNMP6_FILE);
            assert!(error.line >= 1);
        }
    }
});
