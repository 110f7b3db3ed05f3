//! `rstat push`: sends every sample of the day files to a Prometheus remote-write endpoint,
//! with the names `rstat serve` uses, store-and-forward: the position the receiver last
//! acknowledged is kept in a state file ([`state`]), so that after an outage, a crash or a
//! reboot the backlog is sent oldest first, in batches, and then new samples as the
//! collector appends them, into the next day's file after midnight. A separate process that
//! only reads the files: the collector is never blocked or slowed.

mod client;
mod remote_write;
mod sender;
mod settings;
mod state;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use rstat_data_format::{FileReader, Item, Record};

use crate::metrics::top_n::TopSeriesArgs;
use client::Client;
use remote_write::Encoder;
use sender::{Batch, Sender, Stopped};
use settings::{Overrides, PushSettings};
use state::{Position, StateFile};

pub use crate::config::DEFAULT_PUSH_BATCH_SIZE as DEFAULT_BATCH_SIZE;
/// How often the end of the newest file is looked at for new samples.
const POLL: Duration = Duration::from_millis(500);
/// The exit status when the receiver refuses the requests (4xx): the unit does not restart.
pub const EXIT_CONFIGURATION: u8 = 2;

/// Send the day files' samples to a Prometheus remote-write endpoint, losslessly.
#[derive(Args, Debug)]
#[command(
    long_about = "Send every sample of the day files to a Prometheus remote-write 1.0 endpoint \
(Prometheus with --web.enable-remote-write-receiver, VictoriaMetrics, Mimir, Thanos, Cortex) \
with the metric names of rstat serve. What the receiver acknowledged is recorded in a state \
file; after an outage, a crash or a reboot push resumes there and sends the backlog oldest \
first, then follows new samples as the collector writes them, across midnight. Network errors, \
5xx and 429 are retried with backoff; any other 4xx is a configuration error: reported once, \
exit status 2. Without a state file, push starts at the beginning of the newest day file."
)]
pub struct PushArgs {
    /// The remote-write URL, e.g. http://prometheus:9090/api/v1/write (default: [push] url).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Data directory holding the day files (default: the configuration's data_dir).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// State file (default: [push] state_file, else push.state in the data directory).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// rstat samples per request (default: [push] batch_size, else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    batch_size: Option<u64>,
    /// Stop once the backlog is sent instead of following new samples.
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    top: TopSeriesArgs,
}

pub fn run(args: PushArgs) -> Result<ExitCode, String> {
    let config = crate::config::get()?;
    let settings = PushSettings::resolve(
        config,
        Overrides {
            url: args.url,
            dir: args.dir,
            state: args.state,
            batch_size: args.batch_size.map(|n| n as usize),
        },
    )?;
    let mut encoder = Encoder::new(args.top.selection());
    let client = Client::new(&settings)?;
    let state = StateFile::new(settings.state_file.clone());
    let mut pusher = Pusher::start(&settings, &state)?;
    eprintln!(
        "rstat push: sending {} from offset {} to {}",
        pusher.reader.path().display(),
        pusher.reader.position(),
        settings.url
    );
    let sender = Sender::start(client, state)?;
    loop {
        let sent = pusher.next_batch(settings.batch_size, &mut encoder)?;
        if sent == 0 {
            if pusher.move_to_next_file()? {
                continue;
            }
            if args.once {
                break;
            }
            std::thread::sleep(POLL);
            continue;
        }
        let body = encoder.finish()?;
        let position = pusher.position();
        if sender.send(Batch { body, position }).is_err() {
            // The sender stopped: its reason comes from finish().
            break;
        }
    }
    match sender.finish() {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(Stopped::State(message)) => Err(message),
        Err(Stopped::Configuration(message)) => {
            eprintln!(
                "rstat push: {message}; check the URL, credentials and the receiver's limits"
            );
            Ok(ExitCode::from(EXIT_CONFIGURATION))
        }
    }
}

/// Reads the day files from the acknowledged position on.
struct Pusher {
    dir: PathBuf,
    reader: FileReader,
    /// Whether the end of the current file was reached once after a newer file appeared
    /// (the collector's last write to the old file may land just after the new one exists).
    drained_after_newer: bool,
}

impl Pusher {
    fn start(settings: &PushSettings, state: &StateFile) -> Result<Pusher, String> {
        let dir = settings.data_dir.clone();
        let files = crate::day_files::list(&dir)?;
        let position = state.load()?;
        let (path, offset) = match position {
            Some(Position { file, offset }) if dir.join(&file).exists() => {
                (dir.join(file), Some(offset))
            }
            Some(Position { file, .. }) => {
                // Pruned since: go on with the oldest file after it.
                let next = files
                    .iter()
                    .find(|p| p.file_name().and_then(|n| n.to_str()) > Some(file.as_str()))
                    .cloned();
                let next = next.ok_or_else(|| {
                    format!(
                        "{}: the state names {file}, which is gone, and no later day file exists in {}",
                        state.path().display(),
                        dir.display()
                    )
                })?;
                eprintln!(
                    "rstat push: {file} of the state is gone (pruned?); going on with {}",
                    next.display()
                );
                (next, None)
            }
            None => (
                files.last().cloned().ok_or_else(|| {
                    format!(
                        "{}: no day file to send; run `rstat collect` (or rstat-collectd.service) first",
                        dir.display()
                    )
                })?,
                None,
            ),
        };
        let mut reader = FileReader::open(&path).map_err(|e| e.to_string())?;
        if let Some(offset) = offset {
            reader.seek_offset(offset);
        }
        Ok(Pusher {
            dir,
            reader,
            drained_after_newer: false,
        })
    }

    fn position(&self) -> Position {
        Position {
            file: file_name(self.reader.path()),
            offset: self.reader.position(),
        }
    }

    /// Up to `size` samples from the current file, into a request begun in `encoder`; how
    /// many. Each sample is given back to the reader once encoded: its buffers decode the
    /// next one. (Carried midnight samples are left out: the previous day's file sent them.)
    fn next_batch(&mut self, size: usize, encoder: &mut Encoder) -> Result<usize, String> {
        encoder.begin(self.reader.header());
        let mut count = 0;
        while count < size {
            match self.reader.next_item().map_err(|e| e.to_string())? {
                None => break,
                Some(Item::Record {
                    record: Record::Sample { sample, carried },
                    ..
                }) => {
                    if !carried {
                        encoder.add(&sample, self.reader.header());
                        count += 1;
                    }
                    self.reader.recycle(sample);
                }
                Some(Item::Record { .. }) => {}
                Some(Item::Damaged(damage)) if damage.at_tail => {
                    // A frame being written: read it again at the next poll.
                    self.reader.seek_offset(damage.start);
                    break;
                }
                Some(Item::Damaged(damage)) => eprintln!(
                    "rstat push: {}: {damage}; skipped",
                    self.reader.path().display()
                ),
            }
        }
        Ok(count)
    }

    /// At the end of the current file: moves to the next day's file if there is one and
    /// this one has been read to its end after the newer one appeared.
    fn move_to_next_file(&mut self) -> Result<bool, String> {
        let current = file_name(self.reader.path());
        let next = crate::day_files::list(&self.dir)?
            .into_iter()
            .find(|p| file_name(p) > current);
        let Some(next) = next else {
            return Ok(false);
        };
        if !self.drained_after_newer {
            self.drained_after_newer = true;
            return Ok(true);
        }
        self.reader = FileReader::open(&next).map_err(|e| e.to_string())?;
        self.drained_after_newer = false;
        Ok(true)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}
