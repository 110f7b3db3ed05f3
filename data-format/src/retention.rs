//! Retention of daily files (`rstat prune`, sysstat's HISTORY): which files in a data
//! directory are old enough to go, and removing them safely — only regular files named like
//! a day file that start with rstat's magic, never today's file, never one a collector holds.
//! With a [`Policy`], old days are also thinned by tiers ([`crate::thinning`]) and the
//! directory is kept under a size cap: the oldest days are thinned further, then deleted.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use nix::fcntl::{Flock, FlockArg};

use crate::daily::date_of_file_name;
use crate::error::{Error, Result};
use crate::frame::FILE_MAGIC;
use crate::thinning::{step_for_age, thin_file, thinned_step, Thinned, Tier};

/// What happened to one old file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Removed: older than the retention.
    Removed,
    /// Would be removed (dry run).
    WouldRemove,
    /// Left alone, with the reason.
    Kept(String),
    /// Thinned to one sample per `step_s` (or would be, in a dry run: sizes estimated).
    Thinned {
        /// Seconds between the samples kept.
        step_s: u32,
        /// Samples and bytes before and after.
        thinned: Thinned,
        /// Whether nothing was written (the figures are an estimate).
        dry_run: bool,
    },
}

/// What `rstat prune` applies to a data directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Days kept, today included: older days are deleted, whatever the tiers say.
    pub keep_days: u32,
    /// Thinning by age, within `keep_days`.
    pub tiers: Vec<Tier>,
    /// Bytes the day files may take together.
    pub max_size: Option<u64>,
}

/// The steps a day is thinned to, one after the other, when the size cap needs room.
const CAP_STEPS: [u32; 3] = [60, 600, 3600];

/// Applies `policy` to `dir`: deletes days past the retention, thins days by their tier,
/// then thins the oldest days further and deletes them, oldest first, while the files take
/// more than `max_size`. Today's file is never touched.
pub fn apply(
    dir: &Path,
    policy: &Policy,
    today: NaiveDate,
    dry_run: bool,
) -> Result<Vec<(PathBuf, Outcome)>> {
    let mut outcomes = prune(dir, policy.keep_days, today, dry_run)?;
    // (path, bytes, current step) of the days left, oldest first.
    let mut days = Vec::new();
    for (date, path) in day_files(dir)? {
        // Removed, or kept by prune (a collector holds it, not an rstat file): left alone.
        if outcomes.iter().any(|(p, _)| *p == path) {
            continue;
        }
        if let Err(reason) = rstat_file(&path) {
            outcomes.push((path, Outcome::Kept(reason)));
            continue;
        }
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let age = u32::try_from((today - date).num_days()).unwrap_or(0);
        let mut step = current_step(&path);
        if date < today {
            if let Some(Some(tier_step)) = step_for_age(&policy.tiers, age) {
                if step.is_none_or(|s| s < tier_step) {
                    let (outcome, after) = thin(&path, tier_step, dry_run, bytes);
                    step = Some(tier_step);
                    outcomes.extend(outcome.map(|o| (path.clone(), o)));
                    days.push((date, path, after, step));
                    continue;
                }
            }
        }
        days.push((date, path, bytes, step));
    }
    let Some(cap) = policy.max_size else {
        return Ok(outcomes);
    };
    let mut total: u64 = days.iter().map(|(_, _, bytes, _)| bytes).sum();
    for (date, path, bytes, step) in &mut days {
        if total <= cap || *date >= today {
            break;
        }
        let ladder: Vec<u32> = CAP_STEPS
            .into_iter()
            .filter(|s| step.is_none_or(|cur| *s > cur))
            .collect();
        let mut kept = false;
        for next in ladder {
            if total <= cap {
                break;
            }
            let (outcome, after) = thin(path, next, dry_run, *bytes);
            total = total - *bytes + after;
            (*bytes, *step) = (after, Some(next));
            // Said once: a day that cannot be thinned (a collector holds it) is not deleted.
            kept = matches!(outcome, Some(Outcome::Kept(_)));
            outcomes.extend(outcome.map(|o| (path.clone(), o)));
            if kept {
                break;
            }
        }
        if total > cap && !kept {
            let outcome = match removable(path) {
                Err(reason) => Outcome::Kept(reason),
                Ok(_) if dry_run => Outcome::WouldRemove,
                Ok(_lock) => match std::fs::remove_file(&*path) {
                    Ok(()) => Outcome::Removed,
                    Err(e) => Outcome::Kept(format!("cannot remove: {e}")),
                },
            };
            if matches!(outcome, Outcome::Removed | Outcome::WouldRemove) {
                total -= *bytes;
            }
            outcomes.push((path.clone(), outcome));
        }
    }
    Ok(outcomes)
}

/// The step a day file was thinned to, from its header.
fn current_step(path: &Path) -> Option<u32> {
    let reader = crate::reader::FileReader::open(path).ok()?;
    thinned_step(reader.header())
}

/// Thins one file; the outcome (none when it already was) and the bytes it takes after (as
/// it was, when it could not be thinned).
fn thin(path: &Path, step_s: u32, dry_run: bool, bytes: u64) -> (Option<Outcome>, u64) {
    let outcome = match thin_file(path, step_s, dry_run) {
        Ok(Some(thinned)) => {
            let after = thinned.bytes_after;
            let outcome = Outcome::Thinned {
                step_s,
                thinned,
                dry_run,
            };
            return (Some(outcome), after);
        }
        Ok(None) => return (None, bytes),
        Err(Error::Locked { .. }) => Outcome::Kept("in use by a collector".into()),
        Err(e) => Outcome::Kept(format!("cannot thin: {e}")),
    };
    (Some(outcome), bytes)
}

/// The day files in `dir`, oldest first.
pub fn day_files(dir: &Path) -> Result<Vec<(NaiveDate, PathBuf)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "list", e))?;
    let mut files: Vec<(NaiveDate, PathBuf)> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let date = date_of_file_name(entry.file_name().to_str()?)?;
            Some((date, entry.path()))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Removes the day files of `dir` dated more than `keep_days - 1` days before `today`
/// (`keep_days` = 1 keeps only today's). Returns each candidate with what happened to it.
pub fn prune(
    dir: &Path,
    keep_days: u32,
    today: NaiveDate,
    dry_run: bool,
) -> Result<Vec<(PathBuf, Outcome)>> {
    let oldest_kept = today - chrono::Days::new(u64::from(keep_days.max(1) - 1));
    let mut outcomes = Vec::new();
    for (date, path) in day_files(dir)? {
        if date >= oldest_kept {
            continue;
        }
        let outcome = match removable(&path) {
            Err(reason) => Outcome::Kept(reason),
            Ok(_) if dry_run => Outcome::WouldRemove,
            // The lock is held until the file is unlinked, so no collector can open it between.
            Ok(_lock) => match std::fs::remove_file(&path) {
                Ok(()) => Outcome::Removed,
                Err(e) => Outcome::Kept(format!("cannot remove: {e}")),
            },
        };
        outcomes.push((path, outcome));
    }
    Ok(outcomes)
}

/// Checks that `path` is a regular rstat file no collector holds, and locks it.
fn removable(path: &Path) -> std::result::Result<Flock<File>, String> {
    Flock::lock(rstat_file(path)?, FlockArg::LockExclusiveNonblock)
        .map_err(|_| "in use by a collector".to_string())
}

/// Opens `path` when it is a regular file that starts with rstat's magic; else why not.
fn rstat_file(path: &Path) -> std::result::Result<File, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot stat: {e}"))?;
    if !meta.file_type().is_file() {
        return Err("not a regular file".into());
    }
    let mut file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut magic = [0u8; FILE_MAGIC.len()];
    if file.read_exact(&mut magic).is_err() || magic != FILE_MAGIC {
        return Err("not an rstat data file".into());
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daily::day_file;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn removes_only_old_rstat_files_that_nobody_holds() {
        let dir = tempfile::tempdir().unwrap();
        let rstat_file = |d: u32| {
            let path = day_file(dir.path(), date(d));
            std::fs::write(&path, FILE_MAGIC).unwrap();
            path
        };
        let (old, old_locked, kept, today) =
            (rstat_file(1), rstat_file(2), rstat_file(20), rstat_file(23));
        let foreign = day_file(dir.path(), date(3));
        std::fs::write(&foreign, "not ours").unwrap();
        let unrelated = dir.path().join("notes.txt");
        std::fs::write(&unrelated, "x").unwrap();
        let _collector = Flock::lock(
            File::open(&old_locked).unwrap(),
            FlockArg::LockExclusiveNonblock,
        )
        .unwrap();

        let dry = prune(dir.path(), 7, date(23), true).unwrap();
        assert_eq!(dry.len(), 3);
        assert!(old.exists(), "a dry run removes nothing");

        let outcomes = prune(dir.path(), 7, date(23), false).unwrap();
        assert_eq!(outcomes[0], (old.clone(), Outcome::Removed));
        assert_eq!(
            outcomes[1],
            (
                old_locked.clone(),
                Outcome::Kept("in use by a collector".into())
            )
        );
        assert_eq!(
            outcomes[2],
            (
                foreign.clone(),
                Outcome::Kept("not an rstat data file".into())
            )
        );
        assert!(!old.exists() && old_locked.exists() && foreign.exists());
        assert!(kept.exists() && today.exists() && unrelated.exists());

        // Keeping one day keeps today's file only.
        let outcomes = prune(dir.path(), 1, date(23), false).unwrap();
        assert!(outcomes
            .iter()
            .any(|(p, o)| *p == kept && *o == Outcome::Removed));
        assert!(today.exists());
    }

    #[test]
    fn a_foreign_file_named_like_a_day_is_kept_by_tiers_and_cap_without_failing() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = day_file(dir.path(), date(10));
        std::fs::write(&foreign, "not ours").unwrap();
        let policy = Policy {
            keep_days: 400,
            tiers: vec![Tier::parse("1d: 1m").unwrap()],
            max_size: Some(1),
        };
        for dry_run in [true, false] {
            let outcomes = apply(dir.path(), &policy, date(23), dry_run).unwrap();
            assert!(
                outcomes
                    .iter()
                    .all(|(p, o)| *p == foreign
                        && *o == Outcome::Kept("not an rstat data file".into())),
                "{outcomes:?}"
            );
            assert_eq!(std::fs::read(&foreign).unwrap(), b"not ours");
        }
    }
}
