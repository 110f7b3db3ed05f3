//! The time arguments of the readers, parsed without the command line so that the fuzz
//! target `time_args` (fuzz/) can call them: `--date` (`today`, `yesterday`, `-N`,
//! `YYYY-MM-DD`) and `-s`/`-e` (`HH:MM[:SS]`, `YYYY-MM-DD HH:MM[:SS]`).

use chrono::{NaiveDate, NaiveTime};
use rstat_data_format::printable::printable;
use rstat_data_format::TimeUs;

use crate::clock::Clock;

/// --date's value: `today`, `yesterday`, `-N` (days before `today`) or `YYYY-MM-DD` with a
/// four-digit year (`26-11-26` is refused, not read as the year 26).
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    // What was typed is quoted with its control characters escaped: one line, no escapes.
    let shown = printable(text);
    let bad = || format!("--date {shown}: expected YYYY-MM-DD, today, yesterday or -N (days ago)");
    match text {
        "today" => Ok(today),
        "yesterday" => Ok(today.pred_opt().unwrap_or(today)),
        _ if text.starts_with('-') => {
            let days: u64 = text[1..]
                .parse()
                .map_err(|_| format!("--date {shown}: expected -N days, e.g. -2"))?;
            today
                .checked_sub_days(chrono::Days::new(days))
                .ok_or_else(bad)
        }
        _ => {
            let four_digit_year = text.len() == 10 && text.as_bytes()[4] == b'-';
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|_| four_digit_year)
                .ok_or_else(bad)
        }
    }
}

/// `HH:MM[:SS]` on `day`, or `YYYY-MM-DD HH:MM[:SS]` (also with a `T`).
pub fn parse_time(
    option: &str,
    text: &str,
    day: Option<NaiveDate>,
    clock: Clock,
) -> Result<TimeUs, String> {
    let shown = printable(text);
    let bad = || format!("{option} {shown}: expected HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM[:SS]");
    let trimmed = text.trim();
    let (date, time) = match trimmed.split_once([' ', 'T']) {
        Some((date, time)) => (
            Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?),
            time,
        ),
        None => (None, trimmed),
    };
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .map_err(|_| bad())?;
    let Some(date) = date.or(day) else {
        // No sample to take the day from: the window cannot contain anything, and the
        // reader says "no data" on its own.
        return Ok(TimeUs::MAX);
    };
    clock
        .at(date, time)
        .ok_or_else(|| format!("{option} {shown}: that local time does not exist on {date}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_on_the_given_day() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 9);
        let utc = Clock { utc: true };
        let t = parse_time("-s", "10:30", day, utc).unwrap();
        assert_eq!(utc.format(t, "%Y-%m-%d %H:%M:%S"), "2026-03-09 10:30:00");
        let t = parse_time("-e", "2026-03-10 01:02:03", day, utc).unwrap();
        assert_eq!(utc.format(t, "%Y-%m-%d %H:%M:%S"), "2026-03-10 01:02:03");
        let err = parse_time("-s", "25:00", day, utc).unwrap_err();
        assert!(err.starts_with("-s 25:00: expected HH:MM"), "{err}");
    }

    /// Found by the `time_args` fuzz target: a newline (or an ESC) typed into an option made
    /// a multi-line error that wrote it raw to the terminal.
    #[test]
    fn errors_quote_control_characters_escaped_on_one_line() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let err = parse_date("3-\0\n", today).unwrap_err();
        assert_eq!(
            err,
            "--date 3-\\x00\\x0a: expected YYYY-MM-DD, today, yesterday or -N (days ago)"
        );
        let err = parse_time("-s", "\x1b[2J10:00", None, Clock { utc: true }).unwrap_err();
        assert!(err.starts_with("-s \\x1b[2J10:00: expected"), "{err}");
        assert!(!err.contains('\n') && !err.contains('\x1b'), "{err}");
    }
}
