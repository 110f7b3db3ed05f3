//! `rstat prune`: deletes daily files older than the retention period, thins old days by the
//! configured tiers and keeps the files under a size cap (what the daily retention timer
//! runs; sysstat's HISTORY).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::count_arg::at_least_one;
use clap::Args;
use rstat_data_format::retention::{apply, Outcome, Policy};

/// Delete daily files older than --keep-days days, thin old days by the configured tiers and
/// keep the files under the configured size cap.
///
/// Only files named YYYY-MM-DD.rstat that start with rstat's magic bytes are candidates;
/// today's file and any file a collector holds are never touched. Thinning keeps one sample
/// per step (the first at or after each step boundary, plus restarts, comments and the edges
/// of each boot), so rates over the longer intervals stay exact; a thinned day is rewritten
/// to a temporary file, synced and renamed over the old one under the file's lock.
#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Days of files to keep, today included (sysstat's HISTORY; 28 keeps four weeks)
    /// [default: the config file's prune.keep_days, else 28].
    #[arg(long, value_name = "N", value_parser = at_least_one::<u32>)]
    keep_days: Option<u32>,
    /// Data directory [default: the config file's data_dir, else /var/log/rstat for root,
    /// else ~/.local/state/rstat].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Show what would be thinned or removed and the bytes saved; change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: PruneArgs) -> Result<ExitCode, String> {
    let config = crate::config::get()?;
    let dir = args.dir.unwrap_or_else(|| config.data_dir.clone());
    let policy = Policy {
        keep_days: args.keep_days.unwrap_or(config.keep_days),
        tiers: config.tiers.clone(),
        max_size: config.max_size,
    };
    let today = chrono::Local::now().date_naive();
    let outcomes = apply(&dir, &policy, today, args.dry_run).map_err(|e| e.to_string())?;
    let mut failed = false;
    let mut saved = 0u64;
    let mut changes = 0usize;
    for (path, outcome) in outcomes {
        let size = || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        changes += usize::from(!matches!(outcome, Outcome::Kept(_)));
        match outcome {
            Outcome::Removed => println!("removed {}", path.display()),
            Outcome::WouldRemove => {
                saved += size();
                println!("would remove {} ({} bytes)", path.display(), size());
            }
            Outcome::Thinned {
                step_s,
                thinned,
                dry_run,
            } => {
                saved += thinned.bytes_before.saturating_sub(thinned.bytes_after);
                println!(
                    "{} {} to one sample per {step_s} s: {} -> {} samples, {} -> {}{} bytes",
                    if dry_run { "would thin" } else { "thinned" },
                    path.display(),
                    thinned.samples_before,
                    thinned.samples_after,
                    thinned.bytes_before,
                    if dry_run { "about " } else { "" },
                    thinned.bytes_after,
                );
            }
            Outcome::Kept(reason) => {
                failed |= reason.starts_with("cannot");
                eprintln!("rstat prune: kept {}: {reason}", path.display());
            }
        }
    }
    if args.dry_run && changes == 0 {
        println!(
            "nothing would be removed or thinned in {} (keep_days {}, {} tier(s), max_size {})",
            dir.display(),
            policy.keep_days,
            policy.tiers.len(),
            policy
                .max_size
                .map_or("none".to_string(), |bytes| format!("{bytes} bytes"))
        );
    } else if args.dry_run {
        println!("would save about {saved} bytes");
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
