//! How times are shown: local time (the default, as sar) or UTC (`--utc`); every view's
//! timestamps, the report's labels and the window's `-s`/`-e` go through [`Clock`].

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use rstat_data_format::TimeUs;

/// How times are shown: local time or UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// UTC instead of local time.
    pub utc: bool,
}

impl Clock {
    /// `time_us` formatted with a chrono format string.
    pub fn format(&self, time_us: TimeUs, format: &str) -> String {
        if self.utc {
            match chrono::Utc.timestamp_micros(time_us) {
                chrono::LocalResult::Single(t) => t.format(format).to_string(),
                _ => String::from("?"),
            }
        } else {
            format_local(time_us, format)
        }
    }

    /// ISO 8601 with the UTC offset: `2026-11-23T14:05:00+01:00` (or `Z` in UTC).
    pub fn iso(&self, time_us: TimeUs) -> String {
        if self.utc {
            self.format(time_us, "%Y-%m-%dT%H:%M:%SZ")
        } else {
            self.format(time_us, "%Y-%m-%dT%H:%M:%S%:z")
        }
    }

    /// The calendar day of `time_us` on this clock.
    pub fn date(&self, time_us: TimeUs) -> Option<NaiveDate> {
        if self.utc {
            chrono::Utc
                .timestamp_micros(time_us)
                .single()
                .map(|t| t.date_naive())
        } else {
            chrono::Local
                .timestamp_micros(time_us)
                .earliest()
                .map(|t| t.date_naive())
        }
    }

    /// `date` at `time` on this clock, in UTC microseconds.
    pub fn at(&self, date: NaiveDate, time: NaiveTime) -> Option<TimeUs> {
        let naive = NaiveDateTime::new(date, time);
        if self.utc {
            Some(naive.and_utc().timestamp_micros())
        } else {
            chrono::Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.timestamp_micros())
        }
    }
}

/// Local time of a UTC timestamp, formatted.
pub fn format_local(time_us: TimeUs, format: &str) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_micros(time_us) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format(format).to_string()
        }
        chrono::LocalResult::None => String::from("?"),
    }
}
