//! The `rstat` command line: parses arguments and hands each subcommand to the crate that
//! does the work. Errors are printed as one line naming what is wrong and what to do, with
//! a non-zero exit status.

mod collect;
mod completions;
mod config;
mod count_arg;
#[cfg(any(feature = "serve", feature = "push"))]
mod day_files;
mod export;
mod import;
mod info;
#[cfg(test)]
mod manpages;
#[cfg(any(feature = "serve", feature = "push"))]
mod metrics;
mod plot;
mod prune;
#[cfg(feature = "push")]
mod push;
mod report;
mod sar_hints;
#[cfg(feature = "serve")]
mod serve;
mod top;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// System activity monitor for Linux: collects /proc and /sys into compact daily files and
/// reports on them like sar.
#[derive(Parser, Debug)]
#[command(name = "rstat", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Configuration file (default: /etc/rstat/rstat.toml for root, else
    /// $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Collect(collect::CollectArgs),
    // Boxed: sar's many options make these arguments far larger than the others.
    Report(Box<report::ReportArgs>),
    Export(Box<export::ExportArgs>),
    Plot(Box<plot::PlotArgs>),
    Info(info::InfoArgs),
    Import(import::ImportArgs),
    Prune(prune::PruneArgs),
    Completions(completions::CompletionsArgs),
    Top(top::TopArgs),
    Config(config::ConfigArgs),
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    #[cfg(feature = "push")]
    Push(push::PushArgs),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let args = sar_hints::day_offsets(report::select::split_sar_clusters(std::env::args_os()));
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return parse_error(error),
    };
    config::set_flag(cli.config);
    let result = match cli.command {
        Command::Collect(args) => collect::run(args),
        Command::Report(args) => report::run(*args),
        Command::Export(args) => export::run(*args),
        Command::Plot(args) => plot::run(*args),
        Command::Info(args) => info::run(args),
        Command::Import(args) => import::run(args),
        Command::Prune(args) => prune::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Top(args) => top::run(args),
        Command::Config(args) => config::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "push")]
        Command::Push(args) => push::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rstat: {message}");
            ExitCode::FAILURE
        }
    }
}

/// clap's error (or --help, --version), except that an unknown option that is one of sar's
/// gets one line saying what rstat calls it, with exit status 2.
fn parse_error(error: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() == ErrorKind::UnknownArgument {
        if let Some(ContextValue::String(option)) = error.get(ContextKind::InvalidArg) {
            if let Some(message) = sar_hints::hint(option) {
                eprintln!("rstat: {message}");
                return ExitCode::from(2);
            }
        }
    }
    error.exit()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`rstat report | head`) would panic;
/// like sar, rstat should just stop.
fn restore_default_sigpipe() {
    use nix::sys::signal::{signal, SigHandler, Signal};
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL installs no
    // Rust code as a handler.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
}

/// The day files to read: `--file` wins, else the given date in the data directory.
pub(crate) fn resolve_files(
    files: &[PathBuf],
    dir: Option<PathBuf>,
    date: Option<&str>,
) -> Result<Vec<PathBuf>, String> {
    if !files.is_empty() {
        return Ok(files.to_vec());
    }
    let (dir, given) = match dir {
        Some(dir) => (dir, true),
        None => (config::get()?.data_dir.clone(), false),
    };
    let today = chrono::Local::now().date_naive();
    let date = rstat::time_args::parse_date(date.unwrap_or("today"), today)?;
    let path = rstat_data_format::daily::day_file(&dir, date);
    if path.exists() {
        return Ok(vec![path]);
    }
    // A user's own directory lacks the day: read the system's, as sar reads /var/log/sysstat.
    let system = config::system_data_dir();
    if given || system == dir {
        return Err(format!(
            "{}: no data for {date}; run `rstat collect` first, or pass -f FILE",
            path.display()
        ));
    }
    let system_path = rstat_data_format::daily::day_file(&system, date);
    if system_path.exists() {
        return Ok(vec![system_path]);
    }
    Err(format!(
        "no data for {date} in {} nor in the system's {}; run `rstat collect` first, pass -f \
         FILE, or, to read the system's files, join the rstat group (`sudo adduser $USER rstat`)",
        dir.display(),
        system.display()
    ))
}
