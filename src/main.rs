//! The `rstat` command line: parses arguments and hands each subcommand to the crate that
//! does the work. Errors are printed as one line naming what is wrong and what to do, with
//! a non-zero exit status. The process starts in [`entry`] (std's runtime start is skipped:
//! it says why).

// glibc calls `entry::main`; test builds keep the test harness's own.
#![cfg_attr(not(test), no_main)]

mod collect;
mod completions;
mod config;
mod count_arg;
#[cfg(any(feature = "serve", feature = "push"))]
mod day_files;
mod entry;
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
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// The options of every subcommand.
#[derive(clap::Args, Debug)]
struct GlobalArgs {
    /// Configuration file (default: /etc/rstat/rstat.toml for root, else
    /// $XDG_CONFIG_HOME/rstat/rstat.toml). Flags win over it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// [`Cli`] with only `collect`: what rstat-collect.timer runs once per sample. Building the
/// parser of every subcommand (report's sar options above all) cost a one-shot sample ~30
/// page faults; `collect`'s alone parses its command lines the same (tested).
#[derive(Parser, Debug)]
#[command(name = "rstat", version, about, long_about = None, propagate_version = true)]
struct CollectCli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: CollectOnly,
}

#[derive(Subcommand, Debug)]
enum CollectOnly {
    Collect(collect::CollectArgs),
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

/// What rstat does with its arguments, once [`entry`] has set the process up.
#[cfg_attr(test, allow(dead_code))]
fn rstat_main() -> ExitCode {
    let args = sar_hints::day_offsets(report::select::split_sar_clusters(std::env::args_os()));
    let parsed = if subcommand_name(&args) == Some("collect") {
        CollectCli::try_parse_from(args).map(|cli| {
            let CollectOnly::Collect(collect) = cli.command;
            (cli.global, Command::Collect(collect))
        })
    } else {
        Cli::try_parse_from(args).map(|cli| (cli.global, cli.command))
    };
    let (global, command) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return parse_error(error),
    };
    config::set_flag(global.config);
    let result = match command {
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

/// The subcommand a command line names: its first word after the program that is not an
/// option (nor `--config`'s value). `None` when an option comes first (`--help`).
fn subcommand_name(args: &[std::ffi::OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).map(|arg| arg.to_str());
    while let Some(word) = words.next() {
        match word? {
            "--config" => {
                words.next();
            }
            option if option.starts_with("--config=") => {}
            option if option.starts_with('-') => return None,
            name => return Some(name),
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<std::ffi::OsString> {
        line.split(' ').map(Into::into).collect()
    }

    #[test]
    fn the_subcommand_is_the_first_word_not_an_option() {
        let name = |line| subcommand_name(&words(line)).map(str::to_string);
        assert_eq!(name("rstat collect --count 1").as_deref(), Some("collect"));
        assert_eq!(
            name("rstat --config /etc/rstat/rstat.toml collect --quiet").as_deref(),
            Some("collect")
        );
        assert_eq!(
            name("rstat --config=x.toml report -u").as_deref(),
            Some("report")
        );
        assert_eq!(name("rstat --help collect"), None);
        assert_eq!(name("rstat --config"), None);
        assert_eq!(name("rstat"), None);
    }

    /// What a parser makes of a line: the parsed options, or clap's message (help, version
    /// and errors alike).
    fn outcome<P: Parser>(line: &str, parsed: impl Fn(P) -> String) -> String {
        match P::try_parse_from(words(line)) {
            Ok(cli) => parsed(cli),
            Err(error) => format!("{:?}: {}", error.kind(), error.render()),
        }
    }

    #[test]
    fn collect_alone_parses_every_collect_line_as_the_whole_command_line_does() {
        for line in [
            "rstat collect --count 1 --quiet --dir /var/log/rstat",
            "rstat --config /etc/rstat/rstat.toml collect --count 1 --comment boot",
            "rstat collect --config x.toml -i 500ms -c 3 --file f --no-processes --threads",
            "rstat collect --activities ALL,-fs --root /tmp --no-sync --no-cgroups --cgroups",
            "rstat collect --count 0",
            "rstat collect --dir d --file f",
            "rstat collect --bogus",
            "rstat collect -u",
            "rstat collect --help",
            "rstat collect -h",
            "rstat collect --version",
            "rstat collect extra",
        ] {
            let whole = outcome(line, |cli: Cli| {
                format!("{:?} {:?}", cli.global, cli.command)
            });
            let alone = outcome(line, |cli: CollectCli| {
                let CollectOnly::Collect(args) = cli.command;
                format!("{:?} {:?}", cli.global, Command::Collect(args))
            });
            assert_eq!(alone, whole, "{line}");
        }
    }
}
