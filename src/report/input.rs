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
    /// ago: --date -1 is yesterday; sar's bare -1, -2... mean the same).
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
    /// Show times in the local time of the machine that wrote the file, as sar -t: its time
    /// zone when the file names one this machine knows, else its UTC offset when it was
    /// written (-s and -e are then in that time too).
    #[arg(short = 't', conflicts_with = "utc")]
    pub creator_time: bool,
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
        let mut times = [None, None];
        for (slot, (option, text)) in [("-s", &self.start), ("-e", &self.end)]
            .into_iter()
            .enumerate()
        {
            if let Some(text) = text {
                times[slot] = Some(parse_time(option, text, today, self.clock())?);
            }
        }
        // Both on the same day (or both with their dates): the order is known already.
        match times {
            [Some(start), Some(end)] if end < start => Err(self.end_before_start()),
            _ => Ok(()),
        }
    }

    /// The error of an -e before -s.
    fn end_before_start(&self) -> String {
        format!(
            "-e {} is before -s {}: give an end after the start",
            self.end.as_deref().unwrap_or_default(),
            self.start.as_deref().unwrap_or_default()
        )
    }

    /// -t: makes local time the writer's, before anything reads or shows a time. Local time
    /// is read through TZ by every view, so pointing TZ at the writer's zone makes every
    /// label, the banner's date and -s/-e that zone's. chrono keeps a thread's local zone
    /// once read, so the file is found on another thread and this one reads TZ afterwards.
    pub fn apply_creator_time(&self) -> Result<(), String> {
        if !self.creator_time {
            return Ok(());
        }
        let (files, dir, date) = (self.files.clone(), self.dir.clone(), self.date.clone());
        let found = std::thread::spawn(move || crate::resolve_files(&files, dir, date.as_deref()))
            .join()
            .map_err(|_| "-t: finding the file failed".to_string())??;
        let Some(first) = found.first() else {
            return Ok(());
        };
        let reader = rstat_data_format::open::open(first)
            .map_err(|e| format!("{}: {e}", first.display()))?;
        std::env::set_var("TZ", creator_zone(reader.header()));
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
                return Err(self.end_before_start());
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
        let series = Series::open(&files).map_err(|e| e.to_string())?;
        let window = self.window(&files)?;
        Ok((files, WindowedSeries::new(series, window)))
    }
}

/// TZ for the local time of the machine that wrote a file: its zone's name when this machine
/// has that zone, else a POSIX TZ of its offset then (`RSTAT-9:00` for UTC+9: POSIX counts
/// west of Greenwich as positive).
fn creator_zone(header: &rstat_data_format::FileHeader) -> String {
    let known = !header.time_zone.is_empty()
        && !header.time_zone.contains("..")
        && std::path::Path::new("/usr/share/zoneinfo")
            .join(&header.time_zone)
            .is_file();
    if known {
        return header.time_zone.clone();
    }
    let offset = header.utc_offset_s;
    let sign = if offset >= 0 { '-' } else { '+' };
    let seconds = offset.unsigned_abs();
    format!("RSTAT{sign}{}:{:02}", seconds / 3600, seconds % 3600 / 60)
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
