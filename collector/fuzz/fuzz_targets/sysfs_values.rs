//! Fuzzes the one-value sysfs attribute parsers, interface speed and duplex, and the kernel
//! table files: any bytes must give a value or a ParseError naming its file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_collector::proc::{ktables, netif, values};
use rstat_data_format::schema::{Table, TableKind};

fuzz_target!(|data: &[u8]| {
    for file in ["a", "b"] {
        for result in [
            values::parse_attribute_u64(file, data),
            values::parse_attribute_signed(file, data),
            values::parse_attribute_hex(file, data),
            values::parse_attribute_leading_u64(file, data),
        ] {
            if let Err(error) = result {
                assert_eq!(error.file, file);
            }
        }
    }
    let mut text = String::new();
    values::attribute_text(data, &mut text);
    let mut table = Table::new(TableKind(0));
    let _ = netif::parse_pair(data, &mut table);
    let mut numbers = Vec::new();
    for source in ktables::Source::ALL {
        if let Err(error) = ktables::parse_row(source, data, &mut numbers) {
            assert_eq!(error.file, source.file());
            assert!(error.line >= 1);
        }
    }
});
