//! The live source: a caller-provided function that fills a [`Sample`] from the running
//! kernel (rstat's collector, wired in by the `rstat` binary so that this crate does not
//! depend on it), and the bounded ring of the samples taken so far that pause and scroll back
//! move through.
//!
//! The ring is stored the way day files are: the newest sample whole, one whole "key" sample
//! per [`CHUNK`] samples, and every other sample as data-format's delta payload against its
//! chunk's key ([`Encoder::encode_delta`], zstd-compressed). A sample with a hundred
//! processes is about 130 kB whole and 0.4-1 kB as a delta, so a full ten-minute history
//! costs a few MB instead of 80. Any position still decodes to the same sample (a delta
//! decodes in well under a millisecond); the last few decoded ones are kept for stepping.

use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use rstat_data_format::codec::{self, Encoder};
use rstat_data_format::derive::Interval;
use rstat_data_format::frame::FLAG_DELTA;
use rstat_data_format::hotplug;
use rstat_data_format::{Sample, TimeUs};

/// Fills a sample's tables in place (its time is set by [`Live::take`]).
pub type FillFn = Box<dyn FnMut(&mut Sample)>;

/// How many samples live mode keeps by default: ten minutes at one a second.
pub const DEFAULT_CAPACITY: usize = 600;

/// Samples per key: each key is a whole sample (most of the ring's memory), and a delta
/// against an older key grows as counters drift from it. 60 keeps ten keys in a ten-minute
/// ring; deltas stayed under 1 kB with a hundred processes.
pub const CHUNK: usize = 60;

/// Decoded samples kept for reuse: a step back re-reads the pair it moved from.
const DECODED: usize = 8;

/// How one position of the ring is held.
enum Stored {
    Whole(Rc<Sample>),
    /// The codec's delta payload (`flags`: its compression) against `key`'s tables.
    Delta {
        key: Rc<Sample>,
        payload: Box<[u8]>,
        flags: u8,
    },
}

struct Slot {
    time_us: TimeUs,
    stored: Stored,
}

/// The key the next demoted samples are encoded against.
struct Key {
    sample: Rc<Sample>,
    /// Its uncompressed key payload size: a delta not clearly smaller starts a new key,
    /// as the file writer does.
    raw_len: usize,
    /// Samples encoded against it so far.
    uses: usize,
}

/// Samples taken in-process, newest last, at most `capacity` of them.
pub struct Live {
    fill: FillFn,
    scratch: Sample,
    ring: VecDeque<Slot>,
    key: Option<Key>,
    encoder: Encoder,
    /// Scratch for encoding (the payload is copied out at its exact size).
    payload: Vec<u8>,
    /// Recently decoded samples, by key.
    decoded: VecDeque<(u64, Rc<Sample>)>,
    /// Samples dropped from the front since the start (keys stay stable).
    dropped: u64,
    capacity: usize,
    /// Time between samples.
    pub interval: Duration,
    /// The host sampled.
    pub host: String,
}

impl Live {
    /// A live source that calls `fill` every `interval`, keeping the last `capacity` samples.
    pub fn new(fill: FillFn, interval: Duration, capacity: usize, host: String) -> Live {
        Live {
            fill,
            scratch: Sample::default(),
            ring: VecDeque::with_capacity(capacity.max(2)),
            key: None,
            encoder: Encoder::new(),
            payload: Vec::new(),
            decoded: VecDeque::with_capacity(DECODED),
            dropped: 0,
            capacity: capacity.max(2),
            interval,
            host,
        }
    }

    /// Takes one sample stamped `time_us`; returns how many old samples were dropped.
    pub fn take(&mut self, time_us: TimeUs) -> usize {
        (self.fill)(&mut self.scratch);
        self.scratch.time_us = time_us;
        self.push(Rc::new(self.scratch.clone()))
    }

    /// Adds a sample taken elsewhere (tests); returns how many old samples were dropped.
    pub fn push(&mut self, mut sample: Rc<Sample>) -> usize {
        // Offline CPUs keep their last counters, as in a series read from a file.
        if let (Some(Stored::Whole(prev)), Some(cur)) = (
            self.ring.back().map(|slot| &slot.stored),
            Rc::get_mut(&mut sample),
        ) {
            if Interval::new(prev, cur).is_some() {
                hotplug::carry_offline_cpus(prev, cur);
            }
        }
        self.demote_newest();
        self.ring.push_back(Slot {
            time_us: sample.time_us,
            stored: Stored::Whole(sample),
        });
        let mut dropped = 0;
        while self.ring.len() > self.capacity {
            self.ring.pop_front();
            self.dropped += 1;
            dropped += 1;
        }
        let oldest = self.dropped;
        self.decoded.retain(|(key, _)| *key >= oldest);
        dropped
    }

    /// Stores the newest sample (about to become the second newest) compactly: as a delta
    /// against the current key, or as the new key when there is none, the chunk is full or
    /// the sample's shape moved too far from the key's.
    fn demote_newest(&mut self) {
        let id = self.key(self.ring.len().saturating_sub(1));
        let Some(slot) = self.ring.back_mut() else {
            return;
        };
        let Stored::Whole(sample) = &slot.stored else {
            return;
        };
        let sample = sample.clone();
        // The live view asks for it next (as the baseline of the new sample): no decoding.
        if self.decoded.len() >= DECODED {
            self.decoded.pop_front();
        }
        self.decoded.push_back((id, sample.clone()));
        if let Some(key) = self.key.as_mut().filter(|k| k.uses + 1 < CHUNK) {
            let encoded =
                self.encoder
                    .encode_delta(&sample.tables, &key.sample.tables, &mut self.payload);
            if let Ok((raw_len, flags)) = encoded {
                if raw_len.saturating_mul(4) <= key.raw_len.saturating_mul(3) {
                    key.uses += 1;
                    slot.stored = Stored::Delta {
                        key: key.sample.clone(),
                        payload: self.payload.as_slice().into(),
                        // As in a delta frame's header, where the flag selects the delta
                        // dictionary (the encoder's flags may already carry it).
                        flags: flags | FLAG_DELTA,
                    };
                    return;
                }
            }
        }
        // Otherwise it stays whole and the next samples are encoded against it. (Should the
        // codec fail on it, which it does not on tables it produced, it stays whole anyway:
        // memory is the only cost.)
        if let Ok(raw) = self.encoder.encode_key_raw(&sample.tables) {
            self.key = Some(Key {
                raw_len: raw.len(),
                sample,
                uses: 0,
            });
        }
    }

    /// How many samples are kept.
    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// Whether no sample was taken yet.
    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }

    /// The most samples kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The time of sample `index` (0 the oldest kept).
    pub fn time(&self, index: usize) -> TimeUs {
        self.ring.get(index).map(|s| s.time_us).unwrap_or(0)
    }

    /// A key for position `index` that stays the same while older samples are dropped.
    pub fn key(&self, index: usize) -> u64 {
        self.dropped + index as u64
    }

    /// The sample at position `index`, decoded if it is stored as a delta (`None` past the
    /// end, or if a payload does not decode, which would be a codec bug).
    pub fn sample(&mut self, index: usize) -> Option<Rc<Sample>> {
        let (key, payload, flags) = match &self.ring.get(index)?.stored {
            Stored::Whole(sample) => return Some(sample.clone()),
            Stored::Delta {
                key,
                payload,
                flags,
            } => (key, payload, *flags),
        };
        let id = self.key(index);
        if let Some((_, sample)) = self.decoded.iter().find(|(k, _)| *k == id) {
            return Some(sample.clone());
        }
        let raw = codec::decompress(payload, flags).ok()?;
        let tables = codec::decode_delta(&raw, &key.tables).ok()?;
        let sample = Rc::new(Sample {
            time_us: self.time(index),
            tables,
        });
        if self.decoded.len() >= DECODED {
            self.decoded.pop_front();
        }
        self.decoded.push_back((id, sample.clone()));
        Some(sample)
    }

    /// The sample the interval ending at `index` starts from: the one before it.
    pub fn baseline(&mut self, index: usize) -> Option<Rc<Sample>> {
        index.checked_sub(1).and_then(|i| self.sample(i))
    }

    /// How many positions are held whole (the newest and the keys): what the ring's memory
    /// mostly is.
    pub fn whole(&self) -> usize {
        self.ring
            .iter()
            .filter(|s| matches!(s.stored, Stored::Whole(_)))
            .count()
    }
}
