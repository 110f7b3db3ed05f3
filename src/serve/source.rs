//! Where `rstat serve` gets its sample: the newest day file of the data directory, or one
//! file named with `-f` (an rstat file or a sysstat sa file, which sadc may still be writing),
//! re-read only when the file has grown, so a scrape between two collections costs a stat;
//! or a sampler thread of its own (`--live`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rstat_collector::activities::Activities;
use rstat_collector::process::ProcessOptions;
use rstat_collector::run::host_header;
use rstat_collector::sampler::Sampler;
use rstat_data_format::daily::{last_sample_of, last_sample_times};
use rstat_data_format::derive_totals::sample_age_seconds;
use rstat_data_format::sysstat::is_sa_file;
use rstat_data_format::{FileHeader, FileReader, Item, Record, Sample};

use crate::metrics::{families, plain, Family, Kind, Selection};

pub enum SampleSource {
    Files {
        /// The data directory, or the one file given with `-f`.
        place: Place,
        interval: Duration,
        selection: Selection,
        /// What the newest file gave when last read.
        cache: Cache,
    },
    Live {
        interval: Duration,
        latest: Arc<Mutex<Option<Served>>>,
    },
}

impl SampleSource {
    pub fn files(place: Place, interval: Duration, selection: Selection) -> SampleSource {
        SampleSource::Files {
            place,
            interval,
            selection,
            cache: Mutex::new(None),
        }
    }

    /// Starts a thread that samples `root` every `interval`.
    pub fn live(
        root: &Path,
        activities: Activities,
        processes: Option<ProcessOptions>,
        interval: Duration,
        selection: Selection,
    ) -> Result<SampleSource, String> {
        if !root.join("proc").is_dir() {
            return Err(format!(
                "--root {}: no proc/ directory there; pass the directory that holds proc/ and sys/",
                root.display()
            ));
        }
        let latest = Arc::new(Mutex::new(None));
        let shared = Arc::clone(&latest);
        let mut sampler = Sampler::with_activities(root, activities);
        if let Some(options) = processes {
            sampler.enable_processes(root, options);
        }
        let root = root.to_path_buf();
        std::thread::Builder::new()
            .name("rstat-serve-sampler".into())
            .spawn(move || {
                let mut sample = Sample::default();
                let mut header: Option<FileHeader> = None;
                loop {
                    sample.time_us = now_us();
                    sampler.sample(&mut sample);
                    for warning in sampler.take_warnings() {
                        eprintln!("rstat serve: {warning}");
                    }
                    let header = header.get_or_insert_with(|| host_header(&root, &sample));
                    let families = Arc::new(families(&sample, header, selection));
                    if let Ok(mut latest) = shared.lock() {
                        *latest = Some((families, sample.time_us));
                    }
                    std::thread::sleep(interval);
                }
            })
            .map_err(|e| format!("--live: cannot start the sampler thread: {e}"))?;
        Ok(SampleSource::Live { interval, latest })
    }

    /// The families of the newest sample, with its age and staleness.
    pub fn families(&self) -> Result<Vec<Family>, String> {
        let (families, time_us, interval) = match self {
            SampleSource::Files {
                place,
                interval,
                selection,
                cache,
            } => {
                let served = newest_from_files(place, cache, *selection)?;
                (
                    served.families,
                    served.time_us,
                    served.interval.unwrap_or(*interval),
                )
            }
            SampleSource::Live { interval, latest } => {
                let latest = latest.lock().map_err(|_| "the sampler thread failed")?;
                let (families, time_us) = latest
                    .clone()
                    .ok_or("no sample yet: the first one is being taken")?;
                (families, time_us, *interval)
            }
        };
        let age = sample_age_seconds(
            &Sample {
                time_us,
                tables: Vec::new(),
            },
            now_us(),
        );
        let mut out = (*families).clone();
        out.push(gauge(
            "rstat_sample_age_seconds",
            "Seconds since the served sample was taken.",
            age,
        ));
        let stale = age > 2.0 * interval.as_secs_f64();
        out.push(gauge(
            "rstat_sample_stale",
            "1 when the served sample is older than two collection intervals (the collector is not running).",
            if stale { 1.0 } else { 0.0 },
        ));
        Ok(out)
    }
}

fn gauge(name: &'static str, help: &'static str, value: f64) -> Family {
    Family {
        name: Cow::Borrowed(name),
        help: Cow::Borrowed(help),
        kind: Kind::Gauge,
        points: vec![plain(value)],
    }
}

/// The families of a sample and its time.
type Served = (Arc<Vec<Family>>, i64);
/// What was read from the newest file, and when that file had which length.
#[derive(Clone)]
pub struct FromFile {
    path: PathBuf,
    len: u64,
    families: Arc<Vec<Family>>,
    time_us: i64,
    /// The collector's interval: the time between the file's last two samples.
    interval: Option<Duration>,
}

type Cache = Mutex<Option<FromFile>>;

/// Where the served samples are read.
pub enum Place {
    /// The newest day file of this data directory.
    Dir(PathBuf),
    /// This file: an rstat file or a sysstat sa file.
    File(PathBuf),
}

fn newest_from_files(
    place: &Place,
    cache: &Cache,
    selection: Selection,
) -> Result<FromFile, String> {
    let path = match place {
        Place::Dir(dir) => newest_day_file(dir)?,
        Place::File(path) => path.clone(),
    };
    let len = std::fs::metadata(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    let mut cache = cache.lock().map_err(|_| "a scrape failed while reading")?;
    if let Some(cached) = cache.as_ref() {
        if cached.path == path && cached.len == len {
            return Ok(cached.clone());
        }
    }
    let (header, sample) = if is_sa_file(&path) {
        last_of_sa_file(&path)?
    } else {
        let reader = FileReader::open(&path).map_err(|e| e.to_string())?;
        (reader.header().clone(), last_sample_of(&path))
    };
    let sample = sample.ok_or_else(|| {
        format!(
            "{}: no sample in the file yet; is the collector running?",
            path.display()
        )
    })?;
    // The collector's interval as the file shows it (not the time between two scrapes,
    // which may be longer, nor the configuration, which a collector's -i may override);
    // kept from the last read while the file holds one sample since its start or a reboot.
    let interval = match last_sample_times(&path)[..] {
        [newest, before, ..] if newest > before => {
            Some(Duration::from_micros((newest - before) as u64))
        }
        _ => cache.as_ref().and_then(|c| c.interval),
    };
    let served = FromFile {
        path,
        len,
        families: Arc::new(families(&sample, &header, selection)),
        time_us: sample.time_us,
        interval,
    };
    *cache = Some(served.clone());
    Ok(served)
}

/// The header and last sample of a sysstat file, read the way every reader opens one (its
/// records converted in order: an sa file has no index to its end).
fn last_of_sa_file(path: &Path) -> Result<(FileHeader, Option<Sample>), String> {
    let mut reader = rstat_data_format::open::open(path).map_err(|e| e.to_string())?;
    let header = reader.header().clone();
    let mut last = None;
    while let Some(item) = reader.next_item().map_err(|e| e.to_string())? {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            last = Some(sample);
        }
    }
    Ok((header, last))
}

/// The day file with the latest date in `dir`.
fn newest_day_file(dir: &Path) -> Result<PathBuf, String> {
    crate::day_files::list(dir)?.pop().ok_or_else(|| {
        format!(
            "{}: no day file; run `rstat collect` (or rstat-collectd.service), or serve with --live",
            dir.display()
        )
    })
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}
