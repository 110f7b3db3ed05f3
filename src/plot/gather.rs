//! Deriving the rows of a plot's intervals on worker threads. The caller (the reader)
//! decodes samples and hands intervals over in batches; each worker derives a batch's rows
//! with its own views (an activity's row function stays on one thread), and the batches
//! come back in the order they went out, so that the plot is the same as a single pass.
//! A day of 1 s samples with processes is mostly this derivation.

use std::collections::VecDeque;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use rstat::catalogue::{self, with_process_rates, Selection};
use rstat_data_format::series::SamplePair;
use rstat_data_format::window::WindowedSeries;

use super::hover::{HoverRows, IntervalLists};

/// Intervals per batch: large enough that handing over costs little, small enough that a
/// batch of busy samples stays a few megabytes.
const BATCH: usize = 128;

/// The rows of one interval: per table (in the selection's order), then its hover lists.
pub(crate) struct Derived {
    /// The interval's sample index.
    pub(crate) index: usize,
    /// Per table, its rows.
    pub(crate) tables: Vec<Vec<(String, Vec<f64>)>>,
    /// The hover lists (empty when the plot has none).
    pub(crate) lists: IntervalLists,
    /// The interval's samples, given back so that the reader reuses their memory
    /// ([`give_back`]).
    pub(crate) pair: SamplePair,
}

/// What a worker is asked: a batch of (sample index, interval).
type Job = Vec<(usize, SamplePair)>;

/// One worker thread and its channels.
struct Worker {
    jobs: Sender<Job>,
    done: Receiver<Result<Vec<Derived>, String>>,
    thread: JoinHandle<()>,
}

/// What every worker derives: the selection's tables and, for the page, the hover lists.
#[derive(Clone)]
pub(crate) struct Plan {
    /// The selection (each worker builds its own views of it).
    pub(crate) selection: Selection,
    /// Whether to derive the hover lists, and whether they may share the tables' rows.
    pub(crate) hover: Option<bool>,
}

impl Plan {
    /// Derives `job` until the job channel closes.
    fn work(self, jobs: Receiver<Job>, done: Sender<Result<Vec<Derived>, String>>) {
        let views = catalogue::select(&self.selection).and_then(|activities| {
            let names: Vec<String> = activities.iter().map(|a| a.name.clone()).collect();
            let hover = self
                .hover
                .map(|shared| HoverRows::new(&names, shared))
                .transpose()?;
            Ok((activities, hover))
        });
        let (activities, hover) = match views {
            Ok(views) => views,
            Err(e) => {
                let _ = done.send(Err(e));
                return;
            }
        };
        // The process views and the hover lists read the same processes' rates: derived
        // once per interval.
        let shared = self.selection.process.uses_process_rates() || hover.is_some();
        for job in jobs {
            let derived = job
                .into_iter()
                .filter_map(|(index, pair)| {
                    let interval = pair.interval()?;
                    let (tables, lists) = with_process_rates(&interval, shared, |interval| {
                        let tables: Vec<_> =
                            activities.iter().map(|a| (a.rows)(interval)).collect();
                        let lists = hover
                            .as_ref()
                            .map(|hover| hover.rows(interval, &tables))
                            .unwrap_or_default();
                        (tables, lists)
                    });
                    Some(Derived {
                        index,
                        tables,
                        lists,
                        pair,
                    })
                })
                .collect();
            if done.send(Ok(derived)).is_err() {
                return;
            }
        }
    }
}

/// Hands the samples of intervals already derived back to the reader, whose next decodes
/// reuse their strings and vectors: the workers held them, so the series could not (each
/// sample then cost an allocation per row on the reader thread and a free on a worker's).
/// `spent` comes in sample order: a pair's first sample is the previous pair's last, free
/// once both are dropped.
pub(crate) fn give_back(series: &mut WindowedSeries, spent: Vec<SamplePair>) {
    for SamplePair { prev, cur } in spent {
        drop(cur);
        if let Ok(sample) = Arc::try_unwrap(prev) {
            series.series_mut().recycle(sample);
        }
    }
}

/// Workers deriving batches in turn, their results taken back in order.
pub(crate) struct Workers {
    workers: Vec<Worker>,
    /// The batch being filled.
    batch: Job,
    /// Which workers hold a batch, oldest first.
    in_flight: VecDeque<usize>,
    next: usize,
}

impl Workers {
    /// Starts one worker per CPU this process may use (at most 8).
    pub(crate) fn start(plan: &Plan) -> Result<Workers, String> {
        let count = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let workers = (0..count)
            .map(|k| {
                let (jobs, job_rx) = channel();
                let (done_tx, done) = channel();
                let plan = plan.clone();
                let thread = std::thread::Builder::new()
                    .name(format!("plot-derive-{k}"))
                    .spawn(move || plan.work(job_rx, done_tx))
                    .map_err(|e| format!("cannot start a thread to derive the plot: {e}"))?;
                Ok(Worker { jobs, done, thread })
            })
            .collect::<Result<_, String>>()?;
        Ok(Workers {
            workers,
            batch: Vec::with_capacity(BATCH),
            in_flight: VecDeque::new(),
            next: 0,
        })
    }

    /// Adds an interval; returns the rows of intervals derived so far (in order), if any.
    pub(crate) fn push(&mut self, index: usize, pair: SamplePair) -> Result<Vec<Derived>, String> {
        self.batch.push((index, pair));
        if self.batch.len() < BATCH {
            return Ok(Vec::new());
        }
        // Every worker busy: wait for the oldest batch before handing out another.
        let ready = if self.in_flight.len() == self.workers.len() {
            self.take_oldest()?
        } else {
            Vec::new()
        };
        self.send()?;
        Ok(ready)
    }

    /// Hands the batch being filled to the next worker.
    fn send(&mut self) -> Result<(), String> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let worker = self.next;
        self.next = (self.next + 1) % self.workers.len();
        self.workers[worker]
            .jobs
            .send(batch)
            .map_err(|_| "a thread deriving the plot stopped".to_string())?;
        self.in_flight.push_back(worker);
        Ok(())
    }

    /// The oldest batch's rows.
    fn take_oldest(&mut self) -> Result<Vec<Derived>, String> {
        let Some(worker) = self.in_flight.pop_front() else {
            return Ok(Vec::new());
        };
        self.workers[worker]
            .done
            .recv()
            .map_err(|_| "a thread deriving the plot stopped".to_string())?
    }

    /// The rows of every interval still held, in order; the workers stop.
    pub(crate) fn finish(mut self) -> Result<Vec<Derived>, String> {
        if !self.batch.is_empty() {
            if self.in_flight.len() == self.workers.len() {
                let mut ready = self.take_oldest()?;
                self.send()?;
                ready.extend(self.drain()?);
                return Ok(ready);
            }
            self.send()?;
        }
        self.drain()
    }

    /// Every batch in flight, in order, then the threads joined.
    fn drain(mut self) -> Result<Vec<Derived>, String> {
        let mut ready = Vec::new();
        while !self.in_flight.is_empty() {
            ready.extend(self.take_oldest()?);
        }
        for worker in self.workers {
            drop(worker.jobs);
            let _ = worker.thread.join();
        }
        Ok(ready)
    }
}
