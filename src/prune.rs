//! `rstat prune`: deletes daily files older than the retention period (what the daily
//! retention timer runs; sysstat's HISTORY).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::retention::{prune, Outcome};

/// Delete daily files older than --keep-days days (default: the config file's
/// prune.keep_days, else 28).
///
/// Only files named YYYY-MM-DD.rstat that start with rstat's magic bytes are candidates;
/// today's file and any file a collector holds are never removed.
#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Days of files to keep, today included (sysstat's HISTORY; 28 keeps four weeks)
    /// [default: the config file's prune.keep_days, else 28].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    keep_days: Option<u32>,
    /// Data directory [default: the config file's data_dir, else /var/log/rstat for root,
    /// else ~/.local/state/rstat].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Show what would be removed, remove nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: PruneArgs) -> Result<ExitCode, String> {
    let config = crate::config::get()?;
    let dir = args.dir.unwrap_or_else(|| config.data_dir.clone());
    let keep_days = args.keep_days.unwrap_or(config.keep_days);
    let today = chrono::Local::now().date_naive();
    let outcomes = prune(&dir, keep_days, today, args.dry_run).map_err(|e| e.to_string())?;
    let mut failed = false;
    for (path, outcome) in outcomes {
        match outcome {
            Outcome::Removed => println!("removed {}", path.display()),
            Outcome::WouldRemove => println!("would remove {}", path.display()),
            Outcome::Kept(reason) => {
                failed |= reason.starts_with("cannot");
                eprintln!("rstat prune: kept {}: {reason}", path.display());
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
