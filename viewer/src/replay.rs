//! The replay source: one or more day files seen as one list of sample positions, with random
//! access by position and by time, and the restarts and damaged ranges the timeline shows.
//!
//! Opening a file walks its frame headers once (payloads are checksummed, never decoded) to
//! build an index of 16-byte entries; a sample is decoded only when a view needs it, through
//! data-format's [`FileReader`] (which keeps the chunk's key frame, so neighbours are cheap),
//! and a few decoded samples are kept. Files named `YYYY-MM-DD.rstat` have neighbours: moving
//! past the first or last sample opens the previous or next day's file in the same directory
//! when it exists. The last file is followed: frames appended by a running collector are
//! indexed by [`Replay::refresh`].

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use chrono::NaiveDate;
use rstat_data_format::daily::{date_of_file_name, day_file};
use rstat_data_format::frame::{FrameKind, FLAG_CARRIED};
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::{FileHeader, Sample, TimeUs};

use crate::error::Error;

/// Decoded samples kept for reuse: the pair shown and those around it, for steps. Charts
/// do not need more: the model keeps each position's chart figures once derived. A sample
/// with a hundred processes is about 130 kB decoded, so this is also replay's memory bound.
const CACHE: usize = 32;

/// What the index knows about one frame, in file order.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A sample record.
    Sample {
        /// The file it is in (an index of the replay's files).
        file: u32,
        /// Its byte offset in the file.
        offset: u64,
        /// Its time.
        time_us: TimeUs,
        /// The previous day's last sample, copied as this file's baseline: not a position.
        carried: bool,
    },
    /// A restart record.
    Restart {
        /// The time of the restart.
        time_us: TimeUs,
    },
    /// A byte range that holds no readable record; `time_us` is the last time before it.
    Damage {
        /// The last time before the damage.
        time_us: TimeUs,
        /// What is wrong there.
        reason: String,
    },
}

impl Entry {
    /// The time of the entry.
    pub fn time_us(&self) -> TimeUs {
        match self {
            Entry::Sample { time_us, .. }
            | Entry::Restart { time_us }
            | Entry::Damage { time_us, .. } => *time_us,
        }
    }
}

struct DayFile {
    id: u32,
    date: Option<NaiveDate>,
    /// Decodes samples at random positions.
    reader: FileReader,
    /// Walks the file's frames once, then waits at the end for appended frames.
    walker: FileReader,
    entries: Vec<Entry>,
}

/// One or more day files as one series of positions; see the module doc.
pub struct Replay {
    files: Vec<DayFile>,
    next_id: u32,
    entries: Vec<Entry>,
    /// Indexes into `entries` of the samples that are positions (not carried).
    positions: Vec<u32>,
    header: FileHeader,
    cache: HashMap<u64, Rc<Sample>>,
    order: VecDeque<u64>,
    /// Whether neighbouring day files are looked for.
    neighbours: bool,
}

impl Replay {
    /// Opens `paths` (in date order). Fails with a one-line message when a file is not an
    /// rstat file, cannot be read, or when none of them holds a sample.
    pub fn open(paths: &[PathBuf]) -> crate::error::Result<Replay> {
        let mut replay = Replay {
            files: Vec::new(),
            next_id: 0,
            entries: Vec::new(),
            positions: Vec::new(),
            header: FileHeader::default(),
            cache: HashMap::new(),
            order: VecDeque::new(),
            neighbours: true,
        };
        for path in paths {
            if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
                return Err(Error::EmptyFile { path: path.clone() });
            }
            let file = replay.load(path)?;
            if replay.files.is_empty() {
                replay.header = file.reader.header().clone();
            }
            replay.files.push(file);
        }
        replay.rebuild();
        if replay.positions.is_empty() {
            return Err(Error::NoSamples {
                paths: paths.to_vec(),
            });
        }
        Ok(replay)
    }

    /// Stops looking for neighbouring day files (tests, and files given out of date order).
    pub fn without_neighbours(mut self) -> Replay {
        self.neighbours = false;
        self
    }

    fn load(&mut self, path: &Path) -> crate::error::Result<DayFile> {
        let reader = rstat_data_format::open::open(path)?;
        let walker = rstat_data_format::open::open(path)?;
        let date = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(date_of_file_name);
        let mut file = DayFile {
            id: self.next_id,
            date,
            reader,
            walker,
            entries: Vec::new(),
        };
        self.next_id += 1;
        walk(&mut file, false)?;
        Ok(file)
    }

    /// Rebuilds the concatenated entries and positions from the files.
    fn rebuild(&mut self) {
        self.entries.clear();
        for file in &self.files {
            self.entries.extend(file.entries.iter().cloned());
        }
        self.positions = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Entry::Sample { carried: false, .. }))
            .map(|(i, _)| i as u32)
            .collect();
    }

    /// The first file's header (host, CPU count, ...).
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// Every entry (samples, restarts, damage), in order: what the timeline draws.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many positions (samples) there are.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there is no position.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The time of position `index`.
    pub fn time(&self, index: usize) -> TimeUs {
        self.positions
            .get(index)
            .map(|&e| self.entries[e as usize].time_us())
            .unwrap_or(0)
    }

    /// A key for position `index` that stays the same when files are added before it.
    pub fn key(&self, index: usize) -> u64 {
        match self
            .positions
            .get(index)
            .map(|&e| &self.entries[e as usize])
        {
            Some(Entry::Sample { file, offset, .. }) => key_of(*file, *offset),
            _ => u64::MAX,
        }
    }

    /// The first position at or after `time_us` (`len()` if none).
    pub fn position_at(&self, time_us: TimeUs) -> usize {
        self.positions
            .partition_point(|&e| self.entries[e as usize].time_us() < time_us)
    }

    /// The sample at position `index`, decoded (`None` if its frame does not decode).
    pub fn sample(&mut self, index: usize) -> Option<Rc<Sample>> {
        let entry = *self.positions.get(index)?;
        self.sample_of_entry(entry as usize)
    }

    /// The sample the interval ending at position `index` starts from: the previous sample
    /// (possibly a carried one) unless a restart lies between.
    pub fn baseline(&mut self, index: usize) -> Option<Rc<Sample>> {
        let entry = *self.positions.get(index)? as usize;
        let mut at = entry;
        while at > 0 {
            at -= 1;
            match &self.entries[at] {
                Entry::Sample { .. } => return self.sample_of_entry(at),
                Entry::Restart { .. } => return None,
                Entry::Damage { .. } => {}
            }
            if entry - at > 8 {
                return None;
            }
        }
        None
    }

    fn sample_of_entry(&mut self, entry: usize) -> Option<Rc<Sample>> {
        let Entry::Sample { file, offset, .. } = self.entries.get(entry)? else {
            return None;
        };
        let (file, offset) = (*file, *offset);
        let key = key_of(file, offset);
        if let Some(sample) = self.cache.get(&key) {
            return Some(sample.clone());
        }
        let day = self.files.iter_mut().find(|f| f.id == file)?;
        if self.order.len() >= CACHE {
            // The evicted sample's strings and vectors are decoded into again: freeing a
            // sample of hundreds of rows and allocating the next one cost as much as the
            // decoding itself (perf, on a chart of 200 new points after a jump).
            let evicted = self
                .order
                .pop_front()
                .and_then(|old| self.cache.remove(&old));
            if let Some(sample) = evicted.and_then(|s| Rc::try_unwrap(s).ok()) {
                day.reader.recycle(sample);
            }
        }
        day.reader.seek_offset(offset);
        let sample = match day.reader.next_item() {
            Ok(Some(Item::Record {
                record: Record::Sample { sample, .. },
                ..
            })) => Rc::new(sample),
            _ => return None,
        };
        self.order.push_back(key);
        self.cache.insert(key, sample.clone());
        Some(sample)
    }

    /// Opens the previous day's file when there is one next to the first file; returns how
    /// many positions were added before the existing ones.
    pub fn extend_before(&mut self) -> usize {
        self.extend(true)
    }

    /// Opens the next day's file when there is one next to the last file; returns how many
    /// positions were added after the existing ones.
    pub fn extend_after(&mut self) -> usize {
        self.extend(false)
    }

    fn extend(&mut self, before: bool) -> usize {
        if !self.neighbours {
            return 0;
        }
        let edge = if before {
            self.files.first()
        } else {
            self.files.last()
        };
        let Some(edge) = edge else { return 0 };
        let Some(date) = edge.date else { return 0 };
        let neighbour = if before {
            date.pred_opt()
        } else {
            date.succ_opt()
        };
        let Some(neighbour) = neighbour else { return 0 };
        let dir = edge
            .reader
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let path = day_file(&dir, neighbour);
        if !path.exists() {
            return 0;
        }
        let Ok(file) = self.load(&path) else { return 0 };
        let before_len = self.positions.len();
        if before {
            self.files.insert(0, file);
        } else {
            self.files.push(file);
        }
        self.rebuild();
        self.positions.len() - before_len
    }

    /// Indexes frames appended to the last file since the last look (follow mode); returns
    /// how many positions were added. Also opens the next day's file once it exists.
    pub fn refresh(&mut self) -> usize {
        let before = self.positions.len();
        if let Some(last) = self.files.last_mut() {
            let known = last.entries.len();
            if walk(last, true).is_ok() && last.entries.len() > known {
                let added: Vec<Entry> = last.entries[known..].to_vec();
                for entry in added {
                    if matches!(entry, Entry::Sample { carried: false, .. }) {
                        self.positions.push(self.entries.len() as u32);
                    }
                    self.entries.push(entry);
                }
            }
        }
        self.positions.len() - before + self.extend_after()
    }
}

fn key_of(file: u32, offset: u64) -> u64 {
    (u64::from(file) << 40) | (offset & ((1 << 40) - 1))
}

/// Walks `file`'s frames from where its walker stopped. When `following`, a torn frame at
/// the end is left for the next look (a writer may be appending it right now).
fn walk(file: &mut DayFile, following: bool) -> rstat_data_format::Result<()> {
    loop {
        let before = file.walker.position();
        let Some(frame) = file.walker.next_frame()? else {
            return Ok(());
        };
        let last_time = file.entries.last().map(Entry::time_us).unwrap_or(0);
        match frame {
            Ok(frame) => {
                let time_us = frame.header.time_us;
                match frame.header.kind {
                    FrameKind::Sample => file.entries.push(Entry::Sample {
                        file: file.id,
                        offset: frame.offset,
                        time_us,
                        carried: frame.header.flags & FLAG_CARRIED != 0,
                    }),
                    FrameKind::Restart => file.entries.push(Entry::Restart { time_us }),
                    _ => {}
                }
            }
            Err(damage) if damage.at_tail && following => {
                file.walker.seek_offset(before);
                return Ok(());
            }
            Err(damage) => file.entries.push(Entry::Damage {
                time_us: last_time,
                reason: damage.to_string(),
            }),
        }
    }
}
