//! Thinning old day files (`[prune] tiers`): a day keeps one sample per step, the first at or
//! after each step boundary, plus every restart and comment and the samples a reader needs
//! at the edges (the carried baseline, the first and last sample of each boot, the day's last
//! sample). Because samples hold cumulative counters, the rates between the kept samples are
//! the exact rates over the longer intervals; gauges (memory, load) are sampled. A kept
//! sample keeps all its tables, processes included.
//!
//! A thinned file says so in its header's `writer` field ([`thinned_step`]), which `rstat
//! info` prints; the file is replaced crash-safely ([`crate::rewrite`]).

use std::path::Path;

use crate::error::{Error, Result};
use crate::frame::{FrameKind, FLAG_CARRIED};
use crate::header::FileHeader;
use crate::reader::{FileReader, Item};
use crate::rewrite::{append, lock_existing, replace};

/// What the header's writer field says after thinning (followed by the step in seconds).
const THINNED_MARK: &str = "; thinned to one sample per ";

/// One tier: days up to `age_days` old keep one sample per `step_s` (`None`: every sample).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tier {
    /// Days of age up to which the tier applies.
    pub age_days: u32,
    /// Seconds between the samples kept (`None`: every sample is kept).
    pub step_s: Option<u32>,
}

impl Tier {
    /// Parses `AGE: STEP`: AGE in days, weeks or years (`7d`, `2w`, `2y` = 730 days), STEP
    /// `all` or a duration (`30s`, `1m`, `10m`, `1h`).
    pub fn parse(text: &str) -> std::result::Result<Tier, String> {
        let (age, step) = text
            .split_once(':')
            .ok_or_else(|| format!("{text:?}: expected AGE: STEP, e.g. \"90d: 1m\""))?;
        let number = |s: &str, units: &[(char, u32)]| -> Option<u32> {
            let s = s.trim();
            let unit = s.chars().last()?;
            let (_, factor) = units.iter().find(|(u, _)| *u == unit)?;
            let n: u32 = s[..s.len() - 1].parse().ok()?;
            n.checked_mul(*factor).filter(|v| *v > 0)
        };
        let age_days = number(age, &[('d', 1), ('w', 7), ('y', 365)])
            .ok_or_else(|| format!("{text:?}: age {:?}: expected e.g. 7d, 2w, 2y", age.trim()))?;
        let step_s = match step.trim() {
            "all" => None,
            other => Some(
                number(other, &[('s', 1), ('m', 60), ('h', 3600)]).ok_or_else(|| {
                    format!("{text:?}: step {other:?}: expected all, or e.g. 30s, 1m, 10m, 1h")
                })?,
            ),
        };
        Ok(Tier { age_days, step_s })
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.step_s {
            None => write!(f, "{}d: all", self.age_days),
            Some(step) => write!(f, "{}d: {step}s", self.age_days),
        }
    }
}

/// The step (seconds) a file was thinned to, from its header.
pub fn thinned_step(header: &FileHeader) -> Option<u32> {
    let at = header.writer.rfind(THINNED_MARK)?;
    let rest = &header.writer[at + THINNED_MARK.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

/// The step a day `age_days` old should have under `tiers` (ordered by age): `Some(None)`
/// to keep every sample, `None` when it is older than every tier.
pub fn step_for_age(tiers: &[Tier], age_days: u32) -> Option<Option<u32>> {
    let mut sorted = tiers.to_vec();
    sorted.sort_by_key(|t| t.age_days);
    sorted
        .iter()
        .find(|t| age_days <= t.age_days)
        .map(|t| t.step_s)
}

/// What thinning a file did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Thinned {
    /// Samples in the file before thinning.
    pub samples_before: u64,
    /// Samples kept.
    pub samples_after: u64,
    /// The file's size before, bytes.
    pub bytes_before: u64,
    /// The file's size after, bytes.
    pub bytes_after: u64,
}

/// What thinning needs to know of a record: read from frame headers, payloads undecoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A sample frame.
    Sample {
        /// When it was taken, µs since the epoch (UTC).
        time_us: i64,
        /// Whether it is the previous day's last sample, copied as a baseline.
        carried: bool,
    },
    /// A restart frame (always kept: it separates boots).
    Restart,
    /// A comment frame (always kept).
    Comment,
    /// A frame of a newer rstat: kept as it is.
    Other,
}

/// Which records of a day survive thinning to `step_s`.
pub fn keep_mask(marks: &[Mark], step_s: u32) -> Vec<bool> {
    let step_us = i64::from(step_s.max(1)) * 1_000_000;
    let mut keep = vec![false; marks.len()];
    let mut last_bucket = None;
    let last_sample = marks.iter().rposition(|m| matches!(m, Mark::Sample { .. }));
    for (i, mark) in marks.iter().enumerate() {
        match *mark {
            Mark::Sample { time_us, carried } => {
                let bucket = time_us.div_euclid(step_us);
                // Comments may come between a boot's last sample and the restart (sadc -C).
                let next_is_restart = marks[i + 1..]
                    .iter()
                    .find(|m| matches!(m, Mark::Sample { .. } | Mark::Restart))
                    .is_some_and(|m| matches!(m, Mark::Restart));
                if carried
                    || last_bucket != Some(bucket)
                    || next_is_restart
                    || last_sample == Some(i)
                {
                    keep[i] = true;
                    last_bucket = Some(bucket);
                }
            }
            Mark::Restart => {
                keep[i] = true;
                last_bucket = None; // the first sample of the new boot is kept
            }
            Mark::Comment | Mark::Other => keep[i] = true,
        }
    }
    keep
}

/// Thins `path` to one sample per `step_s`, unless it already is (at that step or coarser).
/// Holds the file's lock throughout; a file a collector holds is [`Error::Locked`], one with
/// damaged byte ranges is left alone (rewriting would drop them). `dry_run` only counts.
pub fn thin_file(path: &Path, step_s: u32, dry_run: bool) -> Result<Option<Thinned>> {
    let _lock = lock_existing(path)?;
    // What a rewrite killed before its rename left (no other can run: we hold the lock).
    let _ = std::fs::remove_file(crate::rewrite::temp_path(path));
    let mut reader = FileReader::open(path)?;
    let mut header = reader.header().clone();
    if thinned_step(&header).is_some_and(|done| done >= step_s) {
        return Ok(None);
    }
    let bytes_before = reader.len();
    // Pass 1: frame headers only, so a day of any size costs a few bytes per record here.
    let mut marks = Vec::new();
    while let Some(frame) = reader.next_frame()? {
        let frame = frame.map_err(|damage| {
            Error::corrupt(path, damage.start, format!("{damage}; not thinned"))
        })?;
        marks.push(match frame.header.kind {
            FrameKind::Sample => Mark::Sample {
                time_us: frame.header.time_us,
                carried: frame.header.flags & FLAG_CARRIED != 0,
            },
            FrameKind::Restart => Mark::Restart,
            FrameKind::Comment => Mark::Comment,
            FrameKind::Unknown(_) => Mark::Other,
        });
    }
    let keep = keep_mask(&marks, step_s);
    let samples = |mask: Option<&[bool]>| {
        marks
            .iter()
            .enumerate()
            .filter(|(i, m)| matches!(m, Mark::Sample { .. }) && mask.is_none_or(|k| k[*i]))
            .count() as u64
    };
    let mut thinned = Thinned {
        samples_before: samples(None),
        samples_after: samples(Some(&keep)),
        bytes_before,
        bytes_after: bytes_before,
    };
    if let Some(at) = header.writer.find(THINNED_MARK) {
        header.writer.truncate(at);
    }
    header.writer.push_str(&format!("{THINNED_MARK}{step_s} s"));
    if dry_run {
        // Estimated from the bytes per sample before: the real figure needs the rewrite.
        thinned.bytes_after =
            bytes_before * thinned.samples_after.max(1) / thinned.samples_before.max(1);
        return Ok(Some(thinned));
    }
    // Pass 2: decode and write the kept records, one at a time.
    replace(path, &header, |writer| {
        let mut reader = FileReader::open(path)?;
        let mut index = 0;
        while let Some(frame) = reader.next_frame()? {
            let Ok(frame) = frame else { continue };
            if keep.get(index).copied().unwrap_or(true) {
                if let Some(Item::Record { record, .. }) = reader.decode(frame)? {
                    append(writer, &record)?;
                }
            }
            index += 1;
        }
        Ok(())
    })?;
    thinned.bytes_after = std::fs::metadata(path)
        .map_err(|e| Error::io(path, "stat", e))?
        .len();
    Ok(Some(thinned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seconds: i64) -> Mark {
        Mark::Sample {
            time_us: seconds * 1_000_000,
            carried: false,
        }
    }

    #[test]
    fn tiers_parse_and_pick_the_step_by_age() {
        let tiers: Vec<Tier> = ["7d: all", "90d: 1m", "2y: 10m"]
            .iter()
            .map(|t| Tier::parse(t).unwrap())
            .collect();
        assert_eq!(
            tiers[2],
            Tier {
                age_days: 730,
                step_s: Some(600)
            }
        );
        assert_eq!(step_for_age(&tiers, 3), Some(None));
        assert_eq!(step_for_age(&tiers, 8), Some(Some(60)));
        assert_eq!(step_for_age(&tiers, 700), Some(Some(600)));
        assert_eq!(step_for_age(&tiers, 731), None);
        assert!(Tier::parse("7: all")
            .unwrap_err()
            .contains("expected e.g. 7d"));
        assert!(Tier::parse("7d: 5x").unwrap_err().contains("step"));
        assert!(Tier::parse("7d all").is_err());
    }

    #[test]
    fn keeps_first_per_step_restarts_comments_and_edges() {
        let mut records: Vec<Mark> = (0..130).map(|s| sample(1000 + s)).collect();
        records.insert(50, Mark::Comment);
        records.insert(91, Mark::Restart);
        let keep = keep_mask(&records, 60);
        let kept: Vec<String> = records
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(r, _)| match r {
                Mark::Sample { time_us, .. } => (time_us / 1_000_000).to_string(),
                Mark::Restart => "restart".into(),
                Mark::Comment | Mark::Other => "comment".into(),
            })
            .collect();
        // 1000 is the first sample; 1020 and 1080 start minutes; 1089 ends the boot; the
        // restart; 1090 starts the new boot; 1129 is the day's last.
        assert_eq!(
            kept,
            ["1000", "1020", "comment", "1080", "1089", "restart", "1090", "1129"]
        );
    }

    #[test]
    fn keeps_the_last_sample_of_a_boot_when_a_comment_comes_before_the_restart() {
        // What `rstat import` makes of sadc's comment followed by a LINUX RESTART.
        let mut records: Vec<Mark> = (0..10).map(|s| sample(1000 + s)).collect();
        records.extend([Mark::Comment, Mark::Restart]);
        records.extend((10..20).map(|s| sample(1000 + s)));
        let keep = keep_mask(&records, 60);
        assert!(
            keep[9],
            "the boot's last sample, before the comment: {keep:?}"
        );
        assert_eq!(keep.iter().filter(|k| **k).count(), 6, "{keep:?}");
    }
}
