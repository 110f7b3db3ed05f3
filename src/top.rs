//! `rstat top`: arguments, and the glue that builds the viewer's data source: live through
//! the collector's sampler (so that the viewer crate does not depend on the collector), or
//! replay over day files through data-format's readers. Every error that can be known before
//! the terminal is taken over (a missing, empty or foreign file, a bad key file) is reported
//! as one line with a non-zero exit, before the alternate screen is entered.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use rstat_collector::activities::{Activities, Group};
use rstat_collector::process::ProcessOptions;
use rstat_collector::run::host_header;
use rstat_collector::sampler::Sampler;
use rstat_data_format::{Sample, TableKind};
use rstat_viewer::keys::default_config_path;
use rstat_viewer::{KeyMap, Live, Model, Replay, Theme, Ui};

use rstat::duration::parse_duration;

/// Show what the machine is doing now, or what it did at any moment of a recorded day.
///
/// Without -f or --date, samples the running kernel every second (live mode; Space pauses,
/// Left steps back through the last samples). With -f FILE or --date, replays day files from
/// their end (or from -t), stepping and jumping through time; replaying today's file shows
/// new samples as `rstat collect` appends them. Press ? for every key.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  rstat top                          live, one sample a second\n  rstat top --date yesterday -t 14:30\n  rstat top -f /var/log/rstat/2026-11-23.rstat\n\nKeys: q quit, ? help, Tab/1-9/0 screens, Left/Right (T/t) step, [ ] 10 min, { } 1 h,\ng go to a time, Space pause, End back to now; processes: s sort, r reverse, / filter,\nv tree; cgroups: Enter lists a group's processes, Esc back.\nRemap in $XDG_CONFIG_HOME/rstat/top.toml."
)]
pub struct TopArgs {
    /// Data file to replay (repeat for consecutive days, in order).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Day to replay from the data directory: YYYY-MM-DD, today, yesterday or -N.
    #[arg(long, value_name = "DATE", conflicts_with = "files")]
    date: Option<String>,
    /// Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Replay: start at this local time (HH:MM or HH:MM:SS) of the last day instead of the end.
    #[arg(short = 't', long = "time", value_name = "HH:MM")]
    time: Option<String>,
    /// Live: time between samples: 1 (seconds), 500ms, 2s.
    #[arg(short, long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    interval: Duration,
    /// Live: samples kept in memory for pause and scroll back.
    #[arg(long, value_name = "N", default_value_t = rstat_viewer::live::DEFAULT_CAPACITY,
          value_parser = clap::value_parser!(usize))]
    history: usize,
    /// Live: read /proc and /sys under this directory instead of /.
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: PathBuf,
    /// Key file (default: $XDG_CONFIG_HOME/rstat/top.toml when it exists).
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
}

pub fn run(args: TopArgs) -> Result<ExitCode, String> {
    let keys = load_keys(args.keys.as_deref())?;
    let replay = !args.files.is_empty() || args.date.is_some();
    let model = if replay {
        let files = crate::resolve_files(&args.files, args.dir.clone(), args.date.as_deref())?;
        let mut model = Model::replay(Replay::open(&files)?);
        if let Some(time) = &args.time {
            model.go_to_clock(time)?;
        }
        model
    } else {
        if args.time.is_some() {
            return Err("-t TIME is for replay: add -f FILE or --date DATE".into());
        }
        if !args.root.join("proc").is_dir() {
            return Err(format!(
                "--root {}: no proc/ directory there; pass the directory that holds proc/ and sys/",
                args.root.display()
            ));
        }
        Model::live(live_source(&args.root, args.interval, args.history))
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err("rstat top needs a terminal; use `rstat report` for text output".into());
    }
    rstat_viewer::run(model, Ui::new(Theme::from_env(), keys))?;
    Ok(ExitCode::SUCCESS)
}

fn load_keys(path: Option<&Path>) -> Result<KeyMap, String> {
    match path {
        Some(path) => Ok(KeyMap::load(path)?),
        None => match default_config_path().filter(|p| p.exists()) {
            Some(path) => Ok(KeyMap::load(&path)?),
            None => Ok(KeyMap::default()),
        },
    }
}

/// The live source: the collector's sampler over what the screens show: the core
/// activities, pressure, interrupts, sockets and protocols, filesystems, power, GPUs, and
/// the processes and cgroups (without threads, which no screen shows).
fn live_source(root: &Path, interval: Duration, history: usize) -> Live {
    let activities = [
        Group::Psi,
        Group::Intr,
        Group::Sock,
        Group::Snmp,
        Group::Fs,
        Group::Power,
        Group::Gpu,
    ]
    .into_iter()
    .fold(Activities::core(), Activities::with);
    let mut sampler = Sampler::with_activities(root, activities);
    sampler.enable_processes(
        root,
        ProcessOptions {
            threads: false,
            ..ProcessOptions::default()
        },
    );
    let host = host_header(root, &Sample::default()).host;
    let fill = Box::new(move |sample: &mut Sample| {
        sampler.sample(sample);
        // No screen shows paging yet: /proc/vmstat's 170 rows would only add to the whole
        // (key) samples the history ring keeps and to the time spent encoding the others.
        sample.remove_table(TableKind::VMSTAT);
        // Warnings (an unreadable file) show as gaps on screen; nothing to print.
        sampler.take_warnings();
    });
    Live::new(fill, interval, history, host)
}
