//! The figures of sar's `Average:` rows: one [`Span`] per run of intervals of one boot (a
//! restart closes it), so that every reader computes them the same way.
//!
//! - Rates come from the counters at the ends of the span ([`Span::rates`]: an [`Interval`]
//!   from the first sample to the last), never from a mean of interval values: sar 12.7.9
//!   keeps the first record as the reference of its averages. Everything [`Interval`] derives
//!   follows, with its rules: offline CPUs carried by the series, devices registered again,
//!   and -d's areq-sz, await, aqu-sz and %util from the totals over the span.
//! - Levels (memory, swap, huge pages, load and run queue, blocked tasks, kernel tables,
//!   sockets, CPU MHz) are the mean of the samples that end the span's intervals
//!   ([`Span::levels`]): a sample whose level tables hold each value's mean, from which
//!   [`crate::derive::memory`] and the others derive percentages as sar does (from the mean
//!   kB, not a mean of percentages).
//! - `-F`'s `Summary:` row shows the last values: [`Span::last`].
//!
//! [`Spans`] cuts the events of a (windowed) series into spans: a reader feeds it every
//! event and prints an Average block for each span it returns.

use std::sync::Arc;

use crate::derive::Interval;
use crate::schema::{Row, Sample, Table, TableKind};
use crate::series::Event;

/// The tables whose values are levels (gauges), averaged over a span.
const LEVEL_TABLES: [TableKind; 6] = [
    TableKind::MEMINFO,
    TableKind::LOADAVG,
    TableKind::KTABLES,
    TableKind::SOCKSTAT,
    TableKind::SOCKSTAT6,
    TableKind::CPUFREQ,
];

/// The rows of [`TableKind::STAT`] that are levels (the rest are counters).
const STAT_LEVELS: [&str; 2] = ["procs_running", "procs_blocked"];

/// A run of samples of one boot: a baseline, then the samples that end each interval.
#[derive(Clone, Debug)]
pub struct Span {
    first: Arc<Sample>,
    last: Arc<Sample>,
    ends: usize,
    /// Running sums of the level values, by table and row.
    sums: Vec<LevelTable>,
}

#[derive(Clone, Debug)]
struct LevelTable {
    kind: TableKind,
    rows: Vec<LevelRow>,
}

#[derive(Clone, Debug)]
struct LevelRow {
    key: String,
    text: Vec<String>,
    sums: Vec<u128>,
    /// How many samples had this row (a row may come and go: a mount, a CPU).
    count: u64,
}

impl Span {
    /// A span that starts at `baseline` (the reference of its rates; its levels are not
    /// counted, as sar does not count the first record).
    pub fn new(baseline: Arc<Sample>) -> Span {
        Span {
            last: Arc::clone(&baseline),
            first: baseline,
            ends: 0,
            sums: Vec::new(),
        }
    }

    /// Adds `end`, the end of the span's next interval. `false` (and nothing added) when it
    /// does not form an interval with the span's first sample (another boot, time going
    /// back): the caller closes this span and starts another.
    pub fn push(&mut self, end: Arc<Sample>) -> bool {
        if Interval::new(&self.first, &end).is_none() {
            return false;
        }
        for kind in LEVEL_TABLES {
            if let Some(table) = end.table(kind) {
                self.add_rows(kind, table.rows.iter());
            }
        }
        if let Some(stat) = end.table(TableKind::STAT) {
            let levels = stat.rows.iter().filter(|r| STAT_LEVELS.contains(&&*r.key));
            self.add_rows(TableKind::STAT, levels);
        }
        self.last = end;
        self.ends += 1;
        true
    }

    fn add_rows<'a>(&mut self, kind: TableKind, rows: impl Iterator<Item = &'a Row>) {
        let index = match self.sums.iter().position(|t| t.kind == kind) {
            Some(index) => index,
            None => {
                self.sums.push(LevelTable {
                    kind,
                    rows: Vec::new(),
                });
                self.sums.len() - 1
            }
        };
        let table = &mut self.sums[index];
        // Rows keep their order from one sample to the next: each is looked for just after
        // the last one first (linear in the rows, where a search for each was quadratic).
        let mut next = 0;
        for row in rows {
            let found = match table.rows.get(next) {
                Some(r) if r.key == row.key => Some(next),
                _ => table.rows.iter().position(|r| r.key == row.key),
            };
            next = found.map_or(table.rows.len() + 1, |at| at + 1);
            let level = match found {
                Some(at) => &mut table.rows[at],
                None => {
                    table.rows.push(LevelRow {
                        key: row.key.clone(),
                        text: row.text.clone(),
                        sums: Vec::new(),
                        count: 0,
                    });
                    table.rows.last_mut().expect("just pushed")
                }
            };
            if level.sums.len() < row.values.len() {
                level.sums.resize(row.values.len(), 0);
            }
            for (sum, &value) in level.sums.iter_mut().zip(&row.values) {
                *sum += u128::from(value);
            }
            level.count += 1;
        }
    }

    /// How many intervals the span holds.
    pub fn intervals(&self) -> usize {
        self.ends
    }

    /// The reference sample (the span's start).
    pub fn first(&self) -> &Sample {
        &self.first
    }

    /// The last sample (`-F`'s `Summary:` row).
    pub fn last(&self) -> &Sample {
        &self.last
    }

    /// The rates over the whole span, from its end counters; `None` before any interval.
    pub fn rates(&self) -> Option<Interval<'_>> {
        if self.ends == 0 {
            return None;
        }
        Interval::new(&self.first, &self.last)
    }

    /// A sample whose level tables hold the mean of each value over the interval ends
    /// (rounded to the nearest unit the kernel prints: kB, hundredths of load, counts);
    /// `None` before any interval. Derive levels from it with the usual functions
    /// (`derive::memory(&span.levels()?)`).
    pub fn levels(&self) -> Option<Sample> {
        if self.ends == 0 {
            return None;
        }
        let mut sample = Sample {
            time_us: self.last.time_us,
            tables: Vec::with_capacity(self.sums.len()),
        };
        for level in &self.sums {
            let table: &mut Table = sample.table_mut(level.kind);
            for row in &level.rows {
                let count = u128::from(row.count.max(1));
                table.rows.push(Row {
                    key: row.key.clone(),
                    text: row.text.clone(),
                    values: row
                        .sums
                        .iter()
                        .map(|&sum| u64::try_from((sum + count / 2) / count).unwrap_or(u64::MAX))
                        .collect(),
                });
            }
        }
        Some(sample)
    }
}

/// Follows the events of a series (or windowed series) and cuts them into spans, one per
/// run of intervals of one boot, as sar prints one Average block per boot.
#[derive(Debug, Default)]
pub struct Spans {
    current: Option<Span>,
}

impl Spans {
    /// No span yet.
    pub fn new() -> Spans {
        Spans::default()
    }

    /// Takes the next event; returns the span it closed, if any (a restart, or a new first
    /// sample, ends the current one). A span with no interval is never returned.
    pub fn observe(&mut self, event: &Event) -> Option<Span> {
        match event {
            Event::First(sample) => {
                let closed = self.current.replace(Span::new(Arc::clone(sample)));
                closed.filter(|span| span.intervals() > 0)
            }
            Event::Interval(pair) => {
                let span = self
                    .current
                    .get_or_insert_with(|| Span::new(Arc::clone(&pair.prev)));
                if span.push(Arc::clone(&pair.cur)) {
                    return None;
                }
                // Not the same boot as the span's start (cannot happen within one series'
                // run, but a caller may feed several): close it and start from this pair.
                let mut fresh = Span::new(Arc::clone(&pair.prev));
                fresh.push(Arc::clone(&pair.cur));
                self.current
                    .replace(fresh)
                    .filter(|span| span.intervals() > 0)
            }
            Event::Restart { .. } => self.finish(),
            Event::Comment { .. } | Event::Damaged { .. } => None,
        }
    }

    /// Ends the series: the last span, if it has an interval.
    pub fn finish(&mut self) -> Option<Span> {
        self.current.take().filter(|span| span.intervals() > 0)
    }
}

#[cfg(test)]
#[path = "span_tests.rs"]
mod tests;
