//! A series of samples across one or more files (consecutive days), as readers consume it:
//! intervals between consecutive samples of one boot, restarts, comments and damage.
//!
//! This is the model layer between the container ([`crate::reader`]) and the views (report,
//! export, top): it knows that a carried-over midnight sample is a baseline, not a row, that
//! no interval crosses a restart, and that a damaged range is reported and then skipped.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::derive::Interval;
use crate::error::Result;
use crate::header::{FileHeader, RestartInfo};
use crate::reader::{Damage, FileReader, Item, Record};
use crate::schema::{Sample, TimeUs};

/// Two consecutive samples of one boot. Shared (`Arc`): each sample is the end of one
/// interval and the start of the next, and a sample of a busy host is thousands of rows, so
/// it is decoded once and never copied.
#[derive(Clone, Debug, PartialEq)]
pub struct SamplePair {
    /// The interval's first sample.
    pub prev: Arc<Sample>,
    /// The interval's last sample.
    pub cur: Arc<Sample>,
}

impl SamplePair {
    /// The interval between the samples (always valid for pairs a [`Series`] yields).
    pub fn interval(&self) -> Option<Interval<'_>> {
        Interval::new(&self.prev, &self.cur)
    }
}

/// What a [`Series`] yields.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The first sample after a restart or at the start of the series: a baseline with no
    /// interval yet. Gauges (memory, load) can be shown for it.
    First(Arc<Sample>),
    /// A sample after another of the same boot: an interval whose rates can be derived.
    Interval(SamplePair),
    /// The host rebooted: the next sample starts a new baseline.
    Restart {
        /// When the restart was recorded, µs since the epoch (UTC).
        time_us: TimeUs,
        /// The new boot.
        info: RestartInfo,
    },
    /// A user's comment.
    Comment {
        /// When it was recorded, µs since the epoch (UTC).
        time_us: TimeUs,
        /// The comment as given.
        text: String,
    },
    /// A range of a file held no readable record; the series goes on after it.
    Damaged {
        /// The damaged file.
        path: PathBuf,
        /// Where and why.
        damage: Damage,
    },
}

/// Reads files in order as one series.
pub struct Series {
    pending: std::collections::VecDeque<PathBuf>,
    reader: Option<FileReader>,
    prev: Option<Arc<Sample>>,
    /// The start of the last interval given out: once the caller has dropped that interval,
    /// this is the only reference left and its memory is handed back to the reader.
    given: Option<Arc<Sample>>,
    /// Samples the caller gave back ([`Series::recycle`]), reused to decode the next ones.
    spares: Vec<Sample>,
}

/// Samples [`Series::recycle`] keeps at most.
const SPARES: usize = 1024;

impl Series {
    /// Opens every file's header now, so that a bad file is reported before any output.
    pub fn open(paths: &[PathBuf]) -> Result<Series> {
        for path in paths.iter().skip(1) {
            crate::open::open(path)?;
        }
        let mut pending: std::collections::VecDeque<PathBuf> = paths.iter().cloned().collect();
        let reader = pending
            .pop_front()
            .map(|p| crate::open::open(&p))
            .transpose()?;
        Ok(Series {
            pending,
            reader,
            prev: None,
            given: None,
            spares: Vec::new(),
        })
    }

    /// The header of the file being read.
    pub fn header(&self) -> Option<&FileHeader> {
        self.reader.as_ref().map(FileReader::header)
    }

    /// Reads `path` after the files already given (`--follow` moving on to the next day's
    /// file once the collector has started it).
    pub fn push_file(&mut self, path: PathBuf) {
        self.pending.push_back(path);
    }

    /// Whether files given to the series are still waiting to be read.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The file being read.
    pub fn path(&self) -> Option<&Path> {
        self.reader.as_ref().map(FileReader::path)
    }

    /// Gives back a sample this series yielded that the caller no longer needs: its strings
    /// and vectors are reused to decode a later one. For a caller that hands intervals to
    /// other threads (`rstat plot`), whose samples outlive the next event; at most
    /// 1024 are kept.
    pub fn recycle(&mut self, sample: Sample) {
        if self.spares.len() < SPARES {
            self.spares.push(sample);
        }
    }

    /// The next event of the series; `None` after the last file's last record.
    pub fn next_event(&mut self) -> Result<Option<Event>> {
        loop {
            let Some(reader) = self.reader.as_mut() else {
                return Ok(None);
            };
            let spent = self.given.take().and_then(|s| Arc::try_unwrap(s).ok());
            if let Some(spent) = spent.or_else(|| self.spares.pop()) {
                reader.recycle(spent);
            }
            let Some(item) = reader.next_item()? else {
                // The last file stays open: a later call sees what a collector has appended
                // since (`rstat export --follow`).
                if self.pending.is_empty() {
                    return Ok(None);
                }
                self.reader = self
                    .pending
                    .pop_front()
                    .map(|p| crate::open::open(&p))
                    .transpose()?;
                continue;
            };
            let record = match item {
                Item::Damaged(damage) => {
                    return Ok(Some(Event::Damaged {
                        path: reader.path().to_path_buf(),
                        damage,
                    }));
                }
                Item::Record { record, .. } => record,
            };
            match record {
                Record::Sample { sample, carried } => {
                    if let Some(event) = self.push_sample(sample, carried) {
                        return Ok(Some(event));
                    }
                }
                Record::Restart { time_us, info } => {
                    self.prev = None;
                    return Ok(Some(Event::Restart { time_us, info }));
                }
                Record::Comment { time_us, text } => {
                    return Ok(Some(Event::Comment { time_us, text }))
                }
            }
        }
    }

    fn push_sample(&mut self, mut sample: Sample, carried: bool) -> Option<Event> {
        crate::hotplug::renumber_softnet(&mut sample);
        if let Some(prev) = self.prev.as_deref() {
            // Offline CPUs keep their last counters (sysstat's rule), for every reader.
            if prev.time_us != sample.time_us && Interval::new(prev, &sample).is_some() {
                crate::hotplug::carry_offline_cpus(prev, &mut sample);
            }
        }
        let sample = Arc::new(sample);
        match self.prev.take() {
            // The previous day's file already gave this sample.
            Some(prev) if carried && prev.time_us == sample.time_us => {
                self.prev = Some(prev);
                None
            }
            // A carried sample is the baseline of the day's first interval, not a row.
            _ if carried => {
                self.prev = Some(sample);
                None
            }
            Some(prev) if Interval::new(&prev, &sample).is_some() => {
                self.prev = Some(Arc::clone(&sample));
                self.given = Some(Arc::clone(&prev));
                Some(Event::Interval(SamplePair { prev, cur: sample }))
            }
            _ => {
                self.prev = Some(Arc::clone(&sample));
                Some(Event::First(sample))
            }
        }
    }
}
