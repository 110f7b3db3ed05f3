//! `rstat import`: converts sysstat data files (saDD) into rstat day files, one per local
//! day, keeping restarts and comments.
//!
//! The records are first written into staging files (one per target) in a hidden directory
//! beside the targets; each staging file then either becomes its target (renamed, when the
//! target does not exist) or is merged into it in time order under the target's lock
//! ([`rstat_data_format::rewrite::merge`]): records already there (same kind and time) are
//! left out, so importing twice adds nothing, and a day a collector is writing now is refused
//! until it stops.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::daily::{day_file, local_date};
use rstat_data_format::rewrite::{self, merge};
use rstat_data_format::sysstat::{copy_records, SaRecords};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::{Error, Record, Sample};

/// Convert sysstat data files (saDD) into rstat day files.
///
/// One file per local day in the data directory (or one --file), with the sa file's host,
/// restarts and comments; activities rstat has no table for are listed once. Importing the
/// same records twice adds nothing. Into a day that already has a file, the records are
/// merged in time order; a day a collector holds now is refused (stop it, or import into
/// another --dir).
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Data directory to write day files into [default: the config file's data_dir, else
    /// /var/log/rstat for root, else ~/.local/state/rstat].
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    dir: Option<PathBuf>,
    /// Write every record into this one file instead of day files.
    #[arg(long, value_name = "OUT")]
    file: Option<PathBuf>,
    /// sysstat data files (e.g. /var/log/sysstat/sa*), any order.
    #[arg(value_name = "SA_FILE", required = true)]
    sa_files: Vec<PathBuf>,
}

pub fn run(args: ImportArgs) -> Result<ExitCode, String> {
    let (out_dir, single) = match (&args.file, args.dir) {
        (Some(file), _) => (parent_dir(file), Some(file.clone())),
        (None, Some(dir)) => (dir, None),
        (None, None) => (crate::config::get()?.data_dir.clone(), None),
    };
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("{}: cannot create: {e}", out_dir.display()))?;
    remove_stale_staging(&out_dir);
    let staging = out_dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    std::fs::create_dir(&staging)
        .map_err(|e| format!("{}: cannot create: {e}", staging.display()))?;
    let result = import(&args.sa_files, &out_dir, single.as_deref(), &staging);
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// The staging directory's name, followed by the importing process's id.
const STAGING_PREFIX: &str = ".rstat-import-";

/// Removes the staging directories that imports killed on the way left behind (their
/// process is gone): an interrupted import of years of sa files leaves nothing once another
/// runs. A live import's directory is left alone.
fn remove_stale_staging(out_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(STAGING_PREFIX))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn import(
    sa_files: &[PathBuf],
    out_dir: &Path,
    single: Option<&Path>,
    staging: &Path,
) -> Result<ExitCode, String> {
    // Oldest first, so each staging file is written in time order.
    let mut opened = Vec::new();
    for path in sa_files {
        let records = SaRecords::open(path).map_err(|e| e.to_string())?;
        opened.push((records.header().created_us, path.clone(), records));
    }
    opened.sort_by_key(|(created, ..)| *created);
    let mut stage = Stage::default();
    let mut unmapped = BTreeSet::new();
    let mut damaged = false;
    for (_, path, mut records) in opened {
        let header = records.header().clone();
        let summary = copy_records(&mut records, |record| {
            let target = match single {
                Some(file) => file.to_path_buf(),
                None => day_file(out_dir, local_date(record.time_us())),
            };
            stage.write(staging, &target, &header, record, single.is_none())
        })
        .map_err(|e| e.to_string())?;
        unmapped.extend(summary.unmapped);
        println!(
            "{}: {} samples, {} restarts, {} comments",
            path.display(),
            summary.samples,
            summary.restarts,
            summary.comments
        );
        if let Some(damage) = summary.damage {
            damaged = true;
            eprintln!(
                "rstat import: {}: {damage}; the records before it were imported",
                path.display()
            );
        }
    }
    stage.current = None;
    if !unmapped.is_empty() {
        let list: Vec<_> = unmapped.into_iter().collect();
        println!("not imported (no rstat table): {}", list.join(", "));
    }
    let mut failed = false;
    for (target, staged) in &stage.files {
        match place(staged, target) {
            Ok(message) => println!("{}: {message}", target.display()),
            Err(e) => {
                failed = true;
                eprintln!("rstat import: {e}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else if damaged {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Moves a staging file to its target, or merges it in.
fn place(staged: &Path, target: &Path) -> Result<String, Error> {
    if !target.exists() {
        std::fs::File::open(staged)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(staged, "sync", e))?;
        // Not a rename: a file that appeared meanwhile (a collector) is never replaced.
        std::fs::hard_link(staged, target).map_err(|e| io_error(target, "create", e))?;
        return Ok("created".into());
    }
    let merged = merge(target, staged)?;
    Ok(if merged.added == 0 {
        format!("unchanged ({} records already there)", merged.duplicates)
    } else {
        format!(
            "merged {} records ({} already there)",
            merged.added, merged.duplicates
        )
    })
}

fn io_error(path: &Path, action: &'static str, e: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        action,
        source: e,
    }
}

/// The staging files and the one being written.
#[derive(Default)]
struct Stage {
    /// (target, staging file), in the order first written.
    files: Vec<(PathBuf, PathBuf)>,
    current: Option<(PathBuf, FileWriter)>,
    /// The last sample written, the baseline of the next day's first interval.
    last: Option<Sample>,
}

impl Stage {
    fn write(
        &mut self,
        staging: &Path,
        target: &Path,
        header: &rstat_data_format::FileHeader,
        record: &Record,
        carry: bool,
    ) -> rstat_data_format::Result<()> {
        if self.current.as_ref().map(|(t, _)| t.as_path()) != Some(target) {
            let staged = match self.files.iter().find(|(t, _)| t == target) {
                Some((_, staged)) => staged.clone(),
                None => {
                    let staged = staging.join(format!("{}.rstat", self.files.len()));
                    self.files.push((target.to_path_buf(), staged.clone()));
                    staged
                }
            };
            let mut writer = FileWriter::open(&staged, header, 0o640)?;
            writer.set_durable(false);
            // A new day starts with the previous day's last sample, as a collector's does.
            if carry && writer.last_sample().is_none() {
                if let Some(last) = self.last.as_ref().filter(|l| l.time_us < record.time_us()) {
                    writer.append_sample(last, true)?;
                }
            }
            self.current = Some((target.to_path_buf(), writer));
        }
        let Some((_, writer)) = self.current.as_mut() else {
            return Ok(());
        };
        rewrite::append(writer, record)?;
        match record {
            Record::Sample { sample, .. } => self.last = Some(sample.clone()),
            Record::Restart { .. } => self.last = None,
            Record::Comment { .. } => {}
        }
        Ok(())
    }
}
