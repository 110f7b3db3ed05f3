//! The live source: a caller-provided function that fills a [`Sample`] from the running
//! kernel (rstat's collector, wired in by the `rstat` binary so that this crate does not
//! depend on it), and the bounded ring of the samples taken so far that pause and scroll back
//! move through.

use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use rstat_data_format::{Sample, TimeUs};

/// Fills a sample's tables in place (its time is set by [`Live::take`]).
pub type FillFn = Box<dyn FnMut(&mut Sample)>;

/// How many samples live mode keeps by default: ten minutes at one a second.
pub const DEFAULT_CAPACITY: usize = 600;

/// Samples taken in-process, newest last, at most `capacity` of them.
pub struct Live {
    fill: FillFn,
    scratch: Sample,
    ring: VecDeque<Rc<Sample>>,
    /// Samples dropped from the front since the start (keys stay stable).
    dropped: u64,
    capacity: usize,
    pub interval: Duration,
    pub host: String,
}

impl Live {
    pub fn new(fill: FillFn, interval: Duration, capacity: usize, host: String) -> Live {
        Live {
            fill,
            scratch: Sample::default(),
            ring: VecDeque::with_capacity(capacity.max(2)),
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
    pub fn push(&mut self, sample: Rc<Sample>) -> usize {
        self.ring.push_back(sample);
        let mut dropped = 0;
        while self.ring.len() > self.capacity {
            self.ring.pop_front();
            self.dropped += 1;
            dropped += 1;
        }
        dropped
    }

    pub fn len(&self) -> usize {
        self.ring.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn time(&self, index: usize) -> TimeUs {
        self.ring.get(index).map(|s| s.time_us).unwrap_or(0)
    }

    /// A key for position `index` that stays the same while older samples are dropped.
    pub fn key(&self, index: usize) -> u64 {
        self.dropped + index as u64
    }

    pub fn sample(&self, index: usize) -> Option<Rc<Sample>> {
        self.ring.get(index).cloned()
    }

    pub fn baseline(&self, index: usize) -> Option<Rc<Sample>> {
        index.checked_sub(1).and_then(|i| self.sample(i))
    }
}
