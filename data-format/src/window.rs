//! A time window and an aggregation interval over a [`Series`]: what sar's `-s`, `-e` and
//! `-i` mean, shared by every reader (report, export, plot) so that they select the same
//! records.
//!
//! Counters are cumulative, so an interval between two samples that are not neighbours is
//! as exact as one between neighbours: aggregating is choosing which samples serve as the
//! ends of each interval, never averaging rates. The first sample at or after the start is
//! the baseline of the first interval (sar does the same); no interval crosses a restart.
//!
//! An interval much shorter than its neighbours (under a tenth of the one before it and of
//! the one after it: a collector restarted within a second, a sample taken by hand between
//! two timer runs) is folded into the next one instead of being printed: over a few ticks,
//! percentages are quantised to thirds and rates are noise (a 0.02 s interval printed CPU
//! 33.33/0/33.33 and 250 tps). One short only against the interval before it (a timer's
//! 10-minute samples, then someone watching at 1 s) starts a new cadence and is given out,
//! and so is a short interval that ends the series or the window: nothing recorded is
//! left out of a report.

use std::sync::Arc;

use crate::error::Result;
use crate::schema::{Sample, TimeUs};
use crate::series::{Event, SamplePair, Series};

/// Which part of a series to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Ignore samples before this time (UTC microseconds).
    pub start: Option<TimeUs>,
    /// Stop after this time (inclusive).
    pub end: Option<TimeUs>,
    /// Aggregate: each interval spans at least this long (microseconds), ending at the
    /// first sample that makes it so.
    pub every_us: Option<i64>,
}

impl Window {
    /// Whether `time` is inside the window.
    pub fn contains(&self, time: TimeUs) -> bool {
        self.start.is_none_or(|s| time >= s) && self.end.is_none_or(|e| time <= e)
    }

    /// Whether an interval of `elapsed_us` is long enough to close. Samples are taken a little
    /// late or early; an interval within 5% (at most half a second) of the wanted length
    /// counts, so `-i 10` over 10-second samples keeps every sample.
    fn long_enough(&self, elapsed_us: i64) -> bool {
        match self.every_us {
            None => true,
            Some(every) => elapsed_us + (every / 20).min(500_000) >= every,
        }
    }
}

/// The events of a [`Series`] that fall in a [`Window`], with intervals aggregated.
pub struct WindowedSeries {
    series: Series,
    window: Window,
    /// The start of the interval being built (with `every_us`, or after the start time).
    baseline: Option<Arc<Sample>>,
    /// The length of the last interval given out in this run (none after a restart).
    last_len_us: Option<i64>,
    /// The end of a short interval from `baseline` held back (plain intervals only): folded
    /// into the next one if that one is long, else given out on its own.
    short_end: Option<Arc<Sample>>,
    /// An event to give out before reading on (the one that decided about `short_end`).
    queued: Option<Event>,
    finished: bool,
}

/// An interval under this fraction of the one before it is folded into the next.
const FOLD_BELOW: i64 = 10;

impl WindowedSeries {
    /// `series`, with only the samples and intervals that fall within `window`.
    pub fn new(series: Series, window: Window) -> WindowedSeries {
        WindowedSeries {
            series,
            window,
            baseline: None,
            last_len_us: None,
            short_end: None,
            queued: None,
            finished: false,
        }
    }

    /// The underlying series (for its header).
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// The underlying series, to give it more files (`--follow` at midnight).
    pub fn series_mut(&mut self) -> &mut Series {
        &mut self.series
    }

    /// The next event in the window; `None` at the end of the series or of the window.
    pub fn next_event(&mut self) -> Result<Option<Event>> {
        loop {
            if let Some(event) = self.queued.take() {
                return Ok(Some(event));
            }
            if self.finished {
                return Ok(self.give_out_short());
            }
            // The end of the series is not the end of the window: a file may still grow
            // (`--follow` asks again); a short interval held back is given out meanwhile.
            let Some(event) = self.series.next_event()? else {
                return Ok(self.give_out_short());
            };
            if let Some(event) = self.filter(event) {
                return Ok(Some(event));
            }
        }
    }

    /// The short interval held back, on its own (the series or the window ended, or a
    /// restart or a new cadence follows it).
    fn give_out_short(&mut self) -> Option<Event> {
        let end = self.short_end.take()?;
        let baseline = self.baseline.take()?;
        self.emit(baseline, end)
    }

    fn filter(&mut self, event: Event) -> Option<Event> {
        match event {
            Event::Damaged { .. } => Some(event),
            Event::Restart { time_us, .. } | Event::Comment { time_us, .. } => {
                if self.window.end.is_some_and(|end| time_us > end) {
                    self.finished = true;
                    return None;
                }
                let restart = matches!(event, Event::Restart { .. });
                let shown = self.window.contains(time_us).then_some(event);
                let short = if restart { self.give_out_short() } else { None };
                if restart {
                    self.baseline = None;
                    self.last_len_us = None;
                }
                match short {
                    Some(short) => {
                        self.queued = shown;
                        Some(short)
                    }
                    None => shown,
                }
            }
            Event::First(sample) => self.first(sample),
            Event::Interval(pair) => {
                let time = pair.cur.time_us;
                if self.window.end.is_some_and(|end| time > end) {
                    self.finished = true;
                    return None;
                }
                if self.window.start.is_some_and(|start| time < start) {
                    return None;
                }
                let Some(baseline) = self.baseline.take() else {
                    // No baseline yet: the pair's start is before the window (or no
                    // aggregation is asked for and this is the plain case).
                    if self
                        .window
                        .start
                        .is_some_and(|start| pair.prev.time_us < start)
                    {
                        return self.first(pair.cur);
                    }
                    if self.window.every_us.is_none() && !self.folds(&pair.prev, &pair.cur) {
                        self.last_len_us = Some(pair.cur.time_us - pair.prev.time_us);
                        return Some(Event::Interval(pair));
                    }
                    return self.close(pair.prev, pair.cur);
                };
                self.close(baseline, pair.cur)
            }
        }
    }

    /// A sample that starts a new run of intervals.
    fn first(&mut self, sample: Arc<Sample>) -> Option<Event> {
        let time = sample.time_us;
        if self.window.end.is_some_and(|end| time > end) {
            self.finished = true;
            return None;
        }
        if !self.window.contains(time) {
            return None;
        }
        self.baseline = Some(Arc::clone(&sample));
        self.last_len_us = None;
        Some(Event::First(sample))
    }

    /// Whether the interval from `prev` to `cur` is much shorter than the last one given out
    /// (see the module's documentation).
    fn folds(&self, prev: &Sample, cur: &Sample) -> bool {
        let len = cur.time_us - prev.time_us;
        self.last_len_us
            .is_some_and(|last| len >= 0 && len.saturating_mul(FOLD_BELOW) < last)
    }

    /// An interval from `baseline` to `cur` if it is long enough, else keep waiting.
    fn close(&mut self, baseline: Arc<Sample>, cur: Arc<Sample>) -> Option<Event> {
        if self.window.every_us.is_none() {
            return self.close_plain(baseline, cur);
        }
        if !self.window.long_enough(cur.time_us - baseline.time_us) || self.folds(&baseline, &cur) {
            self.baseline = Some(baseline);
            return None;
        }
        self.emit(baseline, cur)
    }

    /// Without aggregation: each interval as it is, but one much shorter than both its
    /// neighbours joined to the next.
    fn close_plain(&mut self, baseline: Arc<Sample>, cur: Arc<Sample>) -> Option<Event> {
        let Some(short_end) = self.short_end.take() else {
            if self.folds(&baseline, &cur) {
                self.baseline = Some(baseline);
                self.short_end = Some(cur);
                return None;
            }
            return self.emit(baseline, cur);
        };
        let short = short_end.time_us - baseline.time_us;
        if short.saturating_mul(FOLD_BELOW) < cur.time_us - short_end.time_us {
            return self.emit(baseline, cur);
        }
        // Not short against the next one: a new cadence. The short interval stands, and the
        // next is judged against it.
        let first = self.emit(baseline, Arc::clone(&short_end));
        self.queued = self.close_plain(short_end, cur);
        match first {
            Some(first) => Some(first),
            None => self.queued.take(),
        }
    }

    /// The interval from `baseline` to `cur`, given out; it ends the next one's baseline.
    fn emit(&mut self, baseline: Arc<Sample>, cur: Arc<Sample>) -> Option<Event> {
        let pair = SamplePair {
            prev: baseline,
            cur,
        };
        if pair.interval().is_none() {
            // Not one boot, or time went backwards: start again from here.
            return self.first(pair.cur);
        }
        self.last_len_us = Some(pair.cur.time_us - pair.prev.time_us);
        self.baseline = Some(Arc::clone(&pair.cur));
        Some(Event::Interval(pair))
    }
}
