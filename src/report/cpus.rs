//! -P N for a CPU the data never had. sar 12.7 takes any number its CPU bitmap holds (below
//! 8192) and prints the table's header with no rows, exit status 0, and sar 12.6.1 does the
//! same; a typo then looks like an idle machine. rstat refuses it as a usage error, naming
//! how many CPUs the data has: the most of any boot in the files read (each file's header and
//! each restart's), or of this machine for a live report.

use std::path::PathBuf;

use rstat_data_format::frame::FrameKind;
use rstat_data_format::{open, Item, Record};

/// What has the CPUs -P is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The files read.
    Files,
    /// This machine (a live report).
    Machine,
}

/// The refusal of -P `list` when it names a CPU numbered `count` or more, the CPUs of
/// `source`. A count of 0 is unknown: nothing is refused.
pub(crate) fn check(list: &str, count: u32, source: Source) -> Result<(), String> {
    let named = rstat::catalogue::select::named_cpus(list)?;
    match named.iter().max() {
        Some(&highest) if count > 0 && highest >= count => Err(refusal(list, count, source)),
        _ => Ok(()),
    }
}

/// [`check`] of -P's `list` (if given) against `files`: the first file's `first_count` (already read) decides when it is
/// enough; otherwise every file's header and restarts are read. A file that cannot be read
/// refuses nothing: reading it for the report says what is wrong with it.
pub(crate) fn check_files(
    list: Option<&str>,
    files: &[PathBuf],
    first_count: u32,
) -> Result<(), String> {
    let Some(list) = list else {
        return Ok(());
    };
    if check(list, first_count, Source::Files).is_ok() {
        return Ok(());
    }
    match most_cpus(files) {
        Some(count) => check(list, count.max(first_count), Source::Files),
        None => Ok(()),
    }
}

fn refusal(list: &str, count: u32, source: Source) -> String {
    let numbers = match count {
        1 => "1 CPU (number 0)".to_string(),
        n => format!("{n} CPUs (0 to {})", n - 1),
    };
    let (what, more) = match source {
        Source::Files => ("the data", " (`rstat info FILE` shows a file's CPUs)"),
        Source::Machine => ("this machine", ""),
    };
    format!("-P {list}: {what} has {numbers}; name CPUs below {count} or use -P ALL{more}")
}

/// The most CPUs of any boot in `files`: their headers', and their restarts' (a machine
/// rebooted with more CPUs); `None` if a file cannot be read. Only restart frames are
/// decoded.
fn most_cpus(files: &[PathBuf]) -> Option<u32> {
    let mut most = 0;
    for path in files {
        let mut reader = open::open(path).ok()?;
        most = most.max(reader.header().cpu_count);
        while let Some(frame) = reader.next_frame().ok()? {
            let Ok(frame) = frame else {
                continue; // damage: reported when the report reads it
            };
            if frame.header.kind != FrameKind::Restart {
                continue;
            }
            if let Ok(Some(Item::Record {
                record: Record::Restart { info, .. },
                ..
            })) = reader.decode(frame)
            {
                most = most.max(info.cpu_count);
            }
        }
    }
    Some(most)
}

#[cfg(test)]
mod tests {
    use super::{check, Source};

    #[test]
    fn a_cpu_beyond_the_count_is_refused_naming_the_count() {
        assert_eq!(check("0,1", 2, Source::Files), Ok(()));
        assert_eq!(check("ALL", 2, Source::Files), Ok(()));
        assert_eq!(check("ALL,7", 2, Source::Files), Ok(()));
        assert_eq!(check("5", 0, Source::Files), Ok(()), "unknown count");
        assert_eq!(
            check("0,2", 2, Source::Files),
            Err(
                "-P 0,2: the data has 2 CPUs (0 to 1); name CPUs below 2 or use -P ALL \
                 (`rstat info FILE` shows a file's CPUs)"
                    .to_string()
            )
        );
        assert_eq!(
            check("1", 1, Source::Machine),
            Err(
                "-P 1: this machine has 1 CPU (number 0); name CPUs below 1 or use -P ALL"
                    .to_string()
            )
        );
        assert!(check("x", 2, Source::Files)
            .unwrap_err()
            .starts_with("-P x:"));
    }
}
