//! `rstat collect`: argument handling for the collector (the loop lives in rstat-collector).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rstat_collector::activities::{Activities, COST_HELP};
use rstat_collector::process::ProcessOptions;
use rstat_collector::run::{run_announced_then_exit, CollectOptions, RunSummary};
use rstat_data_format::daily::Target;

use crate::count_arg::at_least_one;
use rstat::duration::parse_duration;

/// Sample /proc and /sys and append the raw counters to the day's file (sadc/sa1's job).
///
/// Without --count it runs until SIGTERM or SIGINT, finishing the record in progress. With
/// --count 1 it appends one sample and exits: run it from a timer every few minutes. Runs on
/// the same boot continue one series, so a report shows normal intervals between them.
///
/// Files: one per local day, named YYYY-MM-DD.rstat, in /var/log/rstat when run as root,
/// else in $XDG_STATE_HOME/rstat (~/.local/state/rstat), unless the configuration file
/// (rstat.toml(5)) names another data_dir. Flags win over the file.
///
/// On stderr it says, one line each, what it samples, where and how often when it starts,
/// and how many samples it wrote when it stops (--quiet says neither; warnings are always
/// said).
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  rstat collect                      sample every 10 s into the default directory until stopped\n  rstat collect -i 1 -c 60           one sample a second for a minute\n  rstat collect --count 1            one sample (what rstat-collect.timer runs)\n  rstat collect --file /tmp/x.rstat  write one file instead of daily files"
)]
pub struct CollectArgs {
    /// Time between samples: 1 (seconds), 500ms, 10s, 5m [default: 10s, or the config
    /// file's collect.interval].
    #[arg(short, long, value_name = "DURATION", value_parser = parse_duration)]
    interval: Option<std::time::Duration>,
    /// Number of samples to take, then exit (default: until stopped).
    #[arg(short, long, value_name = "N", value_parser = at_least_one::<u64>)]
    count: Option<u64>,
    /// Directory of the daily files [default: the config file's data_dir, else
    /// /var/log/rstat for root, else ~/.local/state/rstat].
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    dir: Option<PathBuf>,
    /// Append every sample to this one file instead of daily files.
    #[arg(short, long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Read /proc and /sys under this directory instead of / (for containers and tests).
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: PathBuf,
    /// Record a comment in the file before the first sample.
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,
    /// Do not fsync after each record (faster, but a crash may lose the last samples).
    #[arg(long)]
    no_sync: bool,
    /// Activity groups to record, comma-separated (like sadc -S): DEFAULT, ALL, or names
    /// such as cpu,mem,intr,fs; -NAME removes one.
    #[arg(
        long,
        value_name = "LIST",
        value_parser = Activities::parse,
        long_help = activities_help()
    )]
    activities: Option<Activities>,
    /// Do not record processes (pidstat's data: CPU, memory, I/O, context switches per process).
    #[arg(long, overrides_with = "processes")]
    no_processes: bool,
    /// Record processes (the default; undoes collect.processes = false in the config file).
    #[arg(long, overrides_with = "no_processes")]
    processes: bool,
    /// Do not record command lines (they may hold secrets; the environment is never recorded).
    #[arg(long, overrides_with = "cmdline")]
    no_cmdline: bool,
    /// Record command lines (the default; undoes collect.cmdline = false).
    #[arg(long, overrides_with = "no_cmdline")]
    cmdline: bool,
    /// Also record every thread of every process (each thread costs about what a process does).
    #[arg(long, overrides_with = "no_threads")]
    threads: bool,
    /// Do not record threads (the default; undoes collect.threads = true).
    #[arg(long, overrides_with = "threads")]
    no_threads: bool,
    /// Do not record cgroups (cgroup v2: CPU, memory, I/O, pressure per group).
    #[arg(long, overrides_with = "cgroups")]
    no_cgroups: bool,
    /// Record cgroups (the default; undoes collect.cgroups = false).
    #[arg(long, overrides_with = "no_cgroups")]
    cgroups: bool,
    /// Say nothing on stderr when starting and stopping (for timers); warnings are still said.
    #[arg(short, long)]
    quiet: bool,
}

/// `--activities`' long help (`rstat collect --help`): what it does, then every group with
/// what it reads and what it costs.
fn activities_help() -> String {
    format!(
        "Activity groups to record, comma-separated (like sadc -S): DEFAULT, ALL (or XALL), or \
         group names such as cpu,mem,intr,fs; -NAME removes a group (DEFAULT,-fs). Default: \
         the config file's collect.activities, else DEFAULT.\n\n{COST_HELP}"
    )
}

pub fn run(args: CollectArgs) -> Result<ExitCode, String> {
    if !args.root.join("proc").is_dir() {
        return Err(format!(
            "--root {}: no proc/ directory there; pass the directory that holds proc/ and sys/",
            args.root.display()
        ));
    }
    let config = crate::config::get()?;
    let target = match args.file {
        Some(file) => Target::File(file),
        None => Target::Dir(args.dir.unwrap_or_else(|| config.data_dir.clone())),
    };
    let from_file = config.processes;
    let options = CollectOptions {
        root: args.root,
        interval: args.interval.unwrap_or(config.interval),
        count: args.count,
        target,
        comment: args.comment,
        file_mode: config.file_mode,
        durable: !args.no_sync,
        activities: args.activities.unwrap_or(config.activities),
        processes: ProcessOptions {
            processes: flag_pair(args.processes, args.no_processes, from_file.processes),
            cmdline: flag_pair(args.cmdline, args.no_cmdline, from_file.cmdline),
            threads: flag_pair(args.threads, args.no_threads, from_file.threads),
            cgroups: flag_pair(args.cgroups, args.no_cgroups, from_file.cgroups),
        },
    };
    let quiet = args.quiet;
    // `rstat collect` exits right after the run: its files and buffers are left to exit.
    let summary = run_announced_then_exit(
        &options,
        &mut |file| {
            if !quiet {
                eprintln!("rstat collect: {}", start_line(&options, file));
            }
        },
        &mut |warning| eprintln!("rstat collect: {warning}"),
    )
    .map_err(|e| e.to_string())?;
    if !quiet {
        eprintln!("rstat collect: {}", stop_line(&summary));
    }
    if summary.failed_writes > 0 {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// What the collector does, said once it has its file: where, how often, for how long.
fn start_line(options: &CollectOptions, file: &Path) -> String {
    let place = match &options.target {
        Target::Dir(dir) => format!(
            "a file a day in {} (now {})",
            dir.display(),
            file.file_name().map_or(file, Path::new).display()
        ),
        Target::File(_) => file.display().to_string(),
    };
    let until = match options.count {
        Some(1) => "one sample".to_string(),
        Some(count) => format!("{count} samples"),
        None => "until stopped".to_string(),
    };
    let every = match options.count {
        Some(1) => String::new(),
        _ => format!(" every {}", interval_text(options.interval)),
    };
    format!(
        "sampling {}{every} into {place}, {until}",
        options.root.display()
    )
}

/// What the collector did, said when it stops.
fn stop_line(summary: &RunSummary) -> String {
    let why = match summary.stopped_by {
        Some(signal) => format!("stopped by {signal}"),
        None => "done".to_string(),
    };
    let place = summary
        .last_file
        .as_ref()
        .map_or(String::new(), |file| format!(" to {}", file.display()));
    let failed = match summary.failed_writes {
        0 => String::new(),
        n => format!(", {n} could not be written"),
    };
    format!(
        "{why}: {} sample(s) written{place}{failed}",
        summary.samples_written
    )
}

/// An interval as the user would write it: `10s`, `500ms`, `5m`.
fn interval_text(interval: std::time::Duration) -> String {
    let millis = interval.as_millis();
    if millis % 60_000 == 0 && millis > 0 {
        format!("{}m", millis / 60_000)
    } else if millis % 1000 == 0 && millis > 0 {
        format!("{}s", millis / 1000)
    } else {
        format!("{millis}ms")
    }
}

/// A `--x`/`--no-x` pair (clap keeps only the last one given) over the config file's value.
fn flag_pair(yes: bool, no: bool, from_config: bool) -> bool {
    if yes {
        true
    } else if no {
        false
    } else {
        from_config
    }
}
