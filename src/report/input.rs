//! What a report or an export reads: day files (-f, or --date in the data directory), the
//! time window (-s, -e), the aggregation interval (-i), and the clock rows are labelled with
//! (local time, or --utc). Shared by `rstat report`, `rstat export` and `rstat plot`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
pub use rstat::clock::Clock;
use rstat::time_args::{parse_date, parse_time};
use rstat_data_format::series::Series;
use rstat_data_format::window::{Window, WindowedSeries};
use rstat_data_format::{Item, Record, TimeUs};

/// The files and the part of them to read.
#[derive(Args, Debug, Default)]
pub struct InputArgs {
    /// Data file to read (repeat for several days, in order).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Day to read from the data directory: YYYY-MM-DD, today, yesterday or -N (N days
    /// ago: --date -1 is yesterday).
    #[arg(
        long,
        value_name = "DATE",
        conflicts_with = "files",
        allow_hyphen_values = true
    )]
    pub date: Option<String>,
    /// Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Start at this time of the first day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS]).
    #[arg(short = 's', long = "start", value_name = "HH:MM[:SS]")]
    pub start: Option<String>,
    /// End at this time (inclusive) of the last day: HH:MM[:SS] (or YYYY-MM-DD HH:MM[:SS]).
    #[arg(short = 'e', long = "end", value_name = "HH:MM[:SS]")]
    pub end: Option<String>,
    /// Aggregate into intervals of at least this many seconds (from the counters at their
    /// ends, so the figures are exact, not averages of averages).
    #[arg(short = 'i', long = "interval", value_name = "SECONDS", value_parser = seconds)]
    pub interval: Option<u64>,
    /// Show times in UTC instead of local time (-s and -e are then UTC too).
    #[arg(long)]
    pub utc: bool,
}

impl InputArgs {
    /// Local time, or UTC with --utc.
    pub fn clock(&self) -> Clock {
        Clock { utc: self.utc }
    }

    /// Checks what can be checked before any file is read (--date's and -s/-e's syntax): an
    /// error here is a usage error.
    pub fn check(&self) -> Result<(), String> {
        if let Some(date) = &self.date {
            parse_date(date, chrono::Local::now().date_naive())?;
        }
        let today = Some(chrono::Local::now().date_naive());
        for (option, text) in [("-s", &self.start), ("-e", &self.end)] {
            if let Some(text) = text {
                parse_time(option, text, today, self.clock())?;
            }
        }
        Ok(())
    }

    /// The day files to read, in time order (files given out of order are sorted by their
    /// first sample, so that one day's records never mix into another's).
    pub fn files(&self) -> Result<Vec<PathBuf>, String> {
        let mut files = crate::resolve_files(&self.files, self.dir.clone(), self.date.as_deref())?;
        if files.len() > 1 {
            let mut timed: Vec<(Option<TimeUs>, PathBuf)> = files
                .into_iter()
                .map(|f| (first_sample_time(&f), f))
                .collect();
            // Files without a sample keep their place after the others.
            timed.sort_by_key(|(time, _)| (time.is_none(), *time));
            files = timed.into_iter().map(|(_, f)| f).collect();
        }
        Ok(files)
    }

    /// The window: -s on the first file's day, -e on the last file's day.
    pub fn window(&self, files: &[PathBuf]) -> Result<Window, String> {
        let clock = self.clock();
        let day_of = |path: Option<&PathBuf>| -> Option<NaiveDate> {
            first_sample_time(path?.as_path()).and_then(|t| clock.date(t))
        };
        let start = match &self.start {
            None => None,
            Some(text) => Some(parse_time("-s", text, day_of(files.first()), clock)?),
        };
        let end = match &self.end {
            None => None,
            // Rows are labelled to the second: `-e 10:00:05` includes a sample taken at
            // 10:00:05.4, as sar's does.
            Some(text) => {
                Some(parse_time("-e", text, day_of(files.last()), clock)?.saturating_add(999_999))
            }
        };
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return Err(format!(
                    "-e {} is before -s {}: give an end after the start",
                    self.end.as_deref().unwrap_or_default(),
                    self.start.as_deref().unwrap_or_default()
                ));
            }
        }
        Ok(Window {
            start,
            end,
            every_us: self.interval.map(|s| s.saturating_mul(1_000_000) as i64),
        })
    }

    /// The files, opened as one windowed series (bad files are reported before any output).
    pub fn open(&self) -> Result<(Vec<PathBuf>, WindowedSeries), String> {
        let files = self.files()?;
        let window = self.window(&files)?;
        let series = Series::open(&files).map_err(|e| e.to_string())?;
        Ok((files, WindowedSeries::new(series, window)))
    }
}

/// The time of a file's first sample.
pub fn first_sample_time(path: &std::path::Path) -> Option<TimeUs> {
    let mut reader = rstat_data_format::open::open(path).ok()?;
    while let Ok(Some(item)) = reader.next_item() {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            return Some(sample.time_us);
        }
    }
    None
}

/// -i's value: a whole number of seconds, 1 or more.
fn seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) | Err(_) => Err("expected a whole number of seconds, 1 or more (e.g. 600)".into()),
        Ok(n) => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_carry_their_offset() {
        let utc = Clock { utc: true };
        assert_eq!(utc.iso(1_000_000), "1970-01-01T00:00:01Z");
    }
}
