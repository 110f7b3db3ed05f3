//! The parsers of what people type for times and amounts: `--date`, `-s`/`-e` (in local time
//! and UTC, with and without a day), durations (`--interval`, `interval =`), sizes
//! (`max_size`) and thinning tiers (`tiers`). Any text gives Ok or a one-line error that
//! quotes what was typed, never a panic; what parses is within its documented range.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rstat::clock::Clock;
use rstat::config_file::parse_size;
use rstat::duration::parse_duration;
use rstat::time_args::{parse_date, parse_time};
use rstat_data_format::thinning::Tier;

/// An error is one line (it goes on a terminal or into a journal as one entry).
fn one_line(error: &str) {
    assert!(!error.contains('\n'), "a multi-line error: {error:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let today = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(); // a DST change in Europe
    if let Err(e) = parse_date(text, today) {
        one_line(&e);
    }
    for utc in [false, true] {
        for day in [Some(today), None] {
            if let Err(e) = parse_time("-s", text, day, Clock { utc }) {
                assert!(e.starts_with("-s "), "{e:?}");
                one_line(&e);
            }
        }
    }
    match parse_duration(text) {
        Ok(duration) => assert!(duration.as_secs_f64() > 0.0 && duration.as_secs() < 1_000_000_000),
        Err(e) => one_line(&e),
    }
    match parse_size(text) {
        Ok(size) => assert_ne!(size, Some(0)),
        Err(e) => one_line(&e),
    }
    if let Err(e) = Tier::parse(text) {
        one_line(&e);
    }
});
