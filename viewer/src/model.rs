//! The model: the data source (live ring or replay files), the position shown and the
//! mode (live, paused, replay), time travel (step, jump, go to a time, back to the end), and
//! the [`Snapshot`] a frame is drawn from. Chart history is a [`Point`] per position, derived
//! once through data-format's derivation and cached (bounded).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::Duration;

use chrono::{Local, NaiveTime, TimeZone};
use rstat_data_format::derive::Interval;
use rstat_data_format::{Sample, TimeUs};

use crate::gpu::GpuPoint;
use crate::items::Listing;
use crate::live::Live;
use crate::replay::{Entry, Replay};

/// Chart points kept: up to this many times a frame's history (at least [`MIN_POINTS`]);
/// past that, only the points of the last frame stay. Going back and forth around the
/// position shown reuses them, and memory stays bounded: a point with a hundred processes
/// and the item screens' rows is several kB, so a day's worth would be hundreds of MB.
const POINT_CACHE_FRAMES: usize = 2;
const MIN_POINTS: usize = 128;
/// Distinct row names shared between points before the set is started again (the points
/// keep theirs; only later ones stop sharing with them).
const NAMES: usize = 4096;
const MINUTE_US: i64 = 60_000_000;

/// Whether the view follows new samples, holds one, or reads files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Showing each new sample as it is taken.
    Live,
    /// Live sampling goes on; the view stays on one sample of the in-memory history.
    Paused,
    /// Reading files.
    Replay,
}

impl Mode {
    /// The mode as the header shows it.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Live => "LIVE",
            Mode::Paused => "PAUSED",
            Mode::Replay => "REPLAY",
        }
    }
}

/// Where the samples come from.
pub enum Data {
    /// Sampling this machine.
    Live(Box<Live>),
    /// Reading day files.
    Replay(Box<Replay>),
}

/// A disk's charted figures: (device, read kB/s, write kB/s, %util).
pub type DiskPoint = (Rc<str>, f64, f64, f64);
/// An interface's charted figures: (interface, rx kB/s, tx kB/s).
pub type NetPoint = (Rc<str>, f64, f64);
/// A cgroup's charted figures: (path, CPU %, memory kB).
pub type CgroupPoint = (Rc<str>, f64, u64);

/// The figures of one interval that charts draw, derived once per position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Point {
    /// The end of the interval.
    pub time_us: TimeUs,
    /// CPU "all": busy percent (100 - idle); `None` without an interval.
    pub cpu_busy: Option<f64>,
    /// Per disk: see [`DiskPoint`].
    pub disks: Vec<DiskPoint>,
    /// Per interface: see [`NetPoint`].
    pub nets: Vec<NetPoint>,
    /// Every process with a rate, by increasing pid (the detail pane's history).
    pub processes: Vec<ProcessPoint>,
    /// Per cgroup: see [`CgroupPoint`].
    pub cgroups: Vec<CgroupPoint>,
    /// The charted figure of each row of each item screen, by [`Listing::ALL`] order:
    /// (row key, value).
    pub listings: [Vec<(Rc<str>, f64)>; 4],
    /// Per GPU: see [`GpuPoint`].
    pub gpus: Vec<GpuPoint>,
}

/// One process's charted figures at one position.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProcessPoint {
    /// The process id.
    pub pid: u32,
    /// Start time: with the pid, the identity of the process.
    pub start: u64,
    /// CPU percent.
    pub cpu_pct: f64,
    /// Resident memory in kB.
    pub rss_kb: u64,
}

impl Point {
    /// The figures of process (`pid`, `start`) at this position, if it ran then.
    pub fn process(&self, pid: u32, start: u64) -> Option<&ProcessPoint> {
        let at = self.processes.binary_search_by_key(&pid, |p| p.pid).ok()?;
        self.processes.get(at).filter(|p| p.start == start)
    }

    fn of(cur: &Sample, prev: Option<&Sample>, names: &mut Names) -> Point {
        let mut point = Point {
            time_us: cur.time_us,
            ..Point::default()
        };
        if let Some(interval) = prev.and_then(|p| Interval::new(p, cur)) {
            point.cpu_busy = interval.cpus().first().map(|c| 100.0 - c.idle);
            point.disks = interval
                .disks()
                // Borrowed, not consumed: collecting from an owned vector reuses its
                // allocation, sized for the derived structs (several times a point's).
                .iter()
                .map(|d| (names.get(&d.device), d.rkb_per_s, d.wkb_per_s, d.util_pct))
                .collect();
            point.nets = interval
                .interfaces()
                .iter()
                .map(|n| (names.get(&n.iface), n.rxkb_per_s, n.txkb_per_s))
                .collect();
            point.processes = interval
                .processes()
                .iter()
                .map(|p| ProcessPoint {
                    pid: p.pid,
                    start: p.starttime,
                    cpu_pct: p.cpu_pct,
                    rss_kb: p.rss_kb,
                })
                .collect();
            point.processes.sort_by_key(|p| p.pid);
            point.cgroups = interval
                .cgroups()
                .iter()
                .map(|g| (names.get(g.path), g.cpu_pct, g.memory_kb))
                .collect();
            point.gpus = interval
                .gpus()
                .iter()
                .map(|g| GpuPoint::of(names.get(&g.device), g))
                .collect();
        }
        for (slot, listing) in point.listings.iter_mut().zip(Listing::ALL) {
            *slot = listing
                .items(cur, prev)
                .iter()
                .map(|item| (names.get(&item.key), item.value))
                .collect();
        }
        point
    }
}

/// Row names (devices, interfaces, cgroup paths, item keys) shared by every point that
/// names them: the same few hundred strings recur at every position, and one copy per
/// point was most of a live history's chart memory.
#[derive(Default)]
struct Names(HashSet<Rc<str>>);

impl Names {
    fn get(&mut self, name: &str) -> Rc<str> {
        if let Some(shared) = self.0.get(name) {
            return shared.clone();
        }
        if self.0.len() >= NAMES {
            self.0.clear();
        }
        let shared: Rc<str> = Rc::from(name);
        self.0.insert(shared.clone());
        shared
    }
}

/// A mark on the replay timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A sample.
    Sample,
    /// A restart of the machine.
    Restart,
    /// Damaged bytes skipped.
    Damage,
}

/// Everything a frame shows, prepared before drawing (views only read it).
pub struct Snapshot {
    /// Live, paused or replay.
    pub mode: Mode,
    /// The host of the data.
    pub host: String,
    /// Time between samples, when known.
    pub interval: Option<Duration>,
    /// The sample shown.
    pub cur: Option<Rc<Sample>>,
    /// The sample before it (the interval's start).
    pub prev: Option<Rc<Sample>>,
    /// Chart history, oldest first, ending with the position shown.
    pub history: Vec<Rc<Point>>,
    /// The time of the sample shown.
    pub time_us: TimeUs,
    /// Position shown and number of positions.
    pub position: (usize, usize),
    /// Replay: (time, mark) of every restart and damage, and the time span of the data.
    pub marks: Vec<(TimeUs, Mark)>,
    /// Replay: the time of every position (for the timeline's coverage).
    pub times: Vec<TimeUs>,
    /// Whether replay follows the file as it grows.
    pub following: bool,
    /// False when chart points were left for the next frame (see [`Model::snapshot_within`]).
    pub complete: bool,
    /// Whether GPU tables were seen in the data (the GPU screen is listed then).
    pub gpu: bool,
}

impl Snapshot {
    /// The interval ending at the position shown, if it has one.
    pub fn interval(&self) -> Option<Interval<'_>> {
        Interval::new(self.prev.as_deref()?, self.cur.as_deref()?)
    }
}

/// The source, the position and the mode; see the module doc.
pub struct Model {
    /// Where the samples come from.
    pub data: Data,
    cursor: usize,
    mode: Mode,
    /// Replay: stay on the newest sample as new ones are appended.
    following: bool,
    points: HashMap<u64, Rc<Point>>,
    names: Names,
    /// Set once a sample with GPU tables is read: the GPU screen stays listed from then on.
    gpu: bool,
}

impl Model {
    /// A model over a live source.
    pub fn live(live: Live) -> Model {
        Model {
            data: Data::Live(Box::new(live)),
            cursor: 0,
            mode: Mode::Live,
            following: false,
            points: HashMap::new(),
            names: Names::default(),
            gpu: false,
        }
    }

    /// A replay model positioned at the last sample (the newest).
    pub fn replay(replay: Replay) -> Model {
        let last = replay.len().saturating_sub(1);
        Model {
            data: Data::Replay(Box::new(replay)),
            cursor: last,
            mode: Mode::Replay,
            following: true,
            points: HashMap::new(),
            names: Names::default(),
            gpu: false,
        }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The position shown.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// How many positions there are.
    pub fn len(&self) -> usize {
        match &self.data {
            Data::Live(live) => live.len(),
            Data::Replay(replay) => replay.len(),
        }
    }

    /// Whether there is no position yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The time of the position shown.
    pub fn time_us(&self) -> TimeUs {
        self.time_at(self.cursor)
    }

    fn time_at(&self, index: usize) -> TimeUs {
        match &self.data {
            Data::Live(live) => live.time(index),
            Data::Replay(replay) => replay.time(index),
        }
    }

    fn key(&self, index: usize) -> u64 {
        match &self.data {
            Data::Live(live) => live.key(index),
            Data::Replay(replay) => replay.key(index),
        }
    }

    fn sample(&mut self, index: usize) -> Option<Rc<Sample>> {
        let sample = match &mut self.data {
            Data::Live(live) => live.sample(index),
            Data::Replay(replay) => replay.sample(index),
        };
        self.gpu |= sample.as_deref().is_some_and(crate::gpu::recorded);
        sample
    }

    /// Whether a sample read so far held GPU tables (the GPU screen is listed then).
    pub fn gpu_recorded(&self) -> bool {
        self.gpu
    }

    fn baseline(&mut self, index: usize) -> Option<Rc<Sample>> {
        match &mut self.data {
            Data::Live(live) => live.baseline(index),
            Data::Replay(replay) => replay.baseline(index),
        }
    }

    fn at_end(&self) -> bool {
        self.cursor + 1 >= self.len()
    }

    /// Live mode: takes a sample now. Replay: indexes appended samples. Returns whether
    /// the picture may have changed.
    pub fn tick(&mut self, now_us: TimeUs) -> bool {
        match &mut self.data {
            Data::Live(live) => {
                let dropped = live.take(now_us);
                self.after_live_push(dropped);
                true
            }
            Data::Replay(replay) => {
                let added = replay.refresh();
                if added > 0 && self.following {
                    self.cursor = self.len().saturating_sub(1);
                }
                added > 0
            }
        }
    }

    /// Live mode: adds a sample taken elsewhere (tests).
    pub fn push_live(&mut self, sample: Sample) {
        if let Data::Live(live) = &mut self.data {
            let dropped = live.push(Rc::new(sample));
            self.after_live_push(dropped);
        }
    }

    fn after_live_push(&mut self, dropped: usize) {
        match self.mode {
            Mode::Live => self.cursor = self.len().saturating_sub(1),
            _ => self.cursor = self.cursor.saturating_sub(dropped),
        }
        if let Data::Live(live) = &self.data {
            let oldest = live.key(0);
            self.points.retain(|&key, _| key >= oldest);
        }
    }

    /// Space: pauses live mode, or resumes it (at the newest sample).
    pub fn toggle_pause(&mut self) {
        match self.mode {
            Mode::Live => self.mode = Mode::Paused,
            Mode::Paused => self.end(),
            Mode::Replay => {}
        }
    }

    /// End: back to the newest sample (and to live mode).
    pub fn end(&mut self) {
        if let Data::Replay(replay) = &mut self.data {
            replay.refresh();
        }
        self.cursor = self.len().saturating_sub(1);
        match self.mode {
            Mode::Paused => self.mode = Mode::Live,
            Mode::Replay => self.following = true,
            Mode::Live => {}
        }
    }

    /// Moves `n` samples (negative: back in time). Live mode pauses first.
    pub fn step(&mut self, n: i64) {
        if self.mode == Mode::Live {
            self.mode = Mode::Paused;
        }
        let mut target = self.cursor as i64 + n;
        if target < 0 {
            let added = self.extend_before();
            target += added as i64;
        } else if target >= self.len() as i64 && n > 0 {
            self.extend_after();
        }
        self.cursor = target.clamp(0, self.len().saturating_sub(1) as i64) as usize;
        self.following = self.mode == Mode::Replay && self.at_end();
    }

    /// Moves by `seconds` of time (negative: back): to the last sample at or before the
    /// target going back, the first at or after it going forward.
    pub fn jump(&mut self, seconds: i64) {
        if self.is_empty() {
            return;
        }
        let target = self.time_us() + seconds * 1_000_000;
        self.go_to_time(target, seconds < 0);
    }

    /// Goes to the sample at `time_us` (see [`Model::jump`] for `backward`), opening the
    /// previous or next day's file when the time lies beyond the files open.
    pub fn go_to_time(&mut self, time_us: TimeUs, backward: bool) {
        if self.mode == Mode::Live {
            self.mode = Mode::Paused;
        }
        if self.is_empty() {
            return;
        }
        if time_us < self.time_at(0) {
            self.extend_before();
        }
        if time_us > self.time_at(self.len() - 1) {
            self.extend_after();
        }
        let after = self.position_at(time_us);
        let index = if backward {
            let exact = after < self.len() && self.time_at(after) == time_us;
            if exact {
                after
            } else {
                after.saturating_sub(1)
            }
        } else {
            after
        };
        self.cursor = index.min(self.len() - 1);
        self.following = self.mode == Mode::Replay && self.at_end();
    }

    /// Goes to a local clock time (`HH:MM` or `HH:MM:SS`) on the day shown.
    pub fn go_to_clock(&mut self, text: &str) -> crate::error::Result<()> {
        let time = NaiveTime::parse_from_str(text.trim(), "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(text.trim(), "%H:%M"))
            .map_err(|_| crate::Error::BadTime {
                text: text.to_string(),
                missing_on: None,
            })?;
        let date = local(self.time_us()).date_naive();
        let target = Local
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .ok_or_else(|| crate::Error::BadTime {
                text: text.to_string(),
                missing_on: Some(date),
            })?;
        self.go_to_time(target.timestamp_micros(), true);
        Ok(())
    }

    fn position_at(&self, time_us: TimeUs) -> usize {
        match &self.data {
            Data::Live(live) => (0..live.len())
                .find(|&i| live.time(i) >= time_us)
                .unwrap_or(live.len()),
            Data::Replay(replay) => replay.position_at(time_us),
        }
    }

    fn extend_before(&mut self) -> usize {
        let added = match &mut self.data {
            Data::Replay(replay) => replay.extend_before(),
            Data::Live(_) => 0,
        };
        self.cursor += added;
        added
    }

    fn extend_after(&mut self) -> usize {
        match &mut self.data {
            Data::Replay(replay) => replay.extend_after(),
            Data::Live(_) => 0,
        }
    }

    /// The chart point of position `index`, derived once.
    fn point(&mut self, index: usize) -> Option<Rc<Point>> {
        let key = self.key(index);
        if let Some(point) = self.points.get(&key) {
            return Some(point.clone());
        }
        let cur = self.sample(index)?;
        let prev = self.baseline(index);
        let point = Rc::new(Point::of(&cur, prev.as_deref(), &mut self.names));
        self.points.insert(key, point.clone());
        Some(point)
    }

    /// What a frame shows, with up to `history` chart points.
    pub fn snapshot(&mut self, history: usize) -> Snapshot {
        self.snapshot_within(history, None)
    }

    /// Like [`Model::snapshot`], but stops deriving chart points not yet cached once
    /// `budget` has passed (newest first), so that a jump into undecoded time draws at once;
    /// [`Snapshot::complete`] then says that another frame will show more of the chart.
    pub fn snapshot_within(&mut self, history: usize, budget: Option<Duration>) -> Snapshot {
        let started = std::time::Instant::now();
        let (host, interval) = match &self.data {
            Data::Live(live) => (live.host.clone(), Some(live.interval)),
            Data::Replay(replay) => (replay.header().host.clone(), None),
        };
        let cursor = self.cursor;
        let cur = self.sample(cursor);
        let prev = self.baseline(cursor);
        let first = cursor.saturating_sub(history.saturating_sub(1));
        let mut complete = true;
        let mut points = Vec::new();
        if !self.is_empty() {
            for i in (first..=cursor).rev() {
                let cached = self.points.get(&self.key(i)).cloned();
                let point = match cached {
                    Some(point) => Some(point),
                    None if budget.is_some_and(|b| started.elapsed() > b) => {
                        complete = false;
                        break;
                    }
                    None => self.point(i),
                };
                points.extend(point);
            }
        }
        points.reverse();
        if self.points.len() > POINT_CACHE_FRAMES * history.max(MIN_POINTS) {
            let shown: HashSet<u64> = (first..=cursor).map(|i| self.key(i)).collect();
            self.points.retain(|key, _| shown.contains(key));
        }
        let history = points;
        let interval = interval.or_else(|| {
            let seconds = prev
                .as_deref()
                .zip(cur.as_deref())
                .and_then(|(p, c)| Interval::new(p, c).map(|i| i.seconds))?;
            Some(Duration::from_secs_f64(seconds.max(0.01)))
        });
        let (marks, times) = match &self.data {
            Data::Replay(replay) => (
                replay
                    .entries()
                    .iter()
                    .filter_map(|e| match e {
                        Entry::Restart { time_us } => Some((*time_us, Mark::Restart)),
                        Entry::Damage { time_us, .. } => Some((*time_us, Mark::Damage)),
                        Entry::Sample { .. } => None,
                    })
                    .collect(),
                (0..replay.len()).map(|i| replay.time(i)).collect(),
            ),
            Data::Live(_) => (Vec::new(), Vec::new()),
        };
        Snapshot {
            mode: self.mode,
            host,
            interval,
            time_us: cur.as_ref().map(|s| s.time_us).unwrap_or(0),
            cur,
            prev,
            history,
            position: (cursor, self.len()),
            marks,
            times,
            following: self.following,
            complete,
            gpu: self.gpu,
        }
    }
}

/// `time_us` as local time.
pub fn local(time_us: TimeUs) -> chrono::DateTime<Local> {
    match Local.timestamp_micros(time_us) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t,
        chrono::LocalResult::None => Local
            .timestamp_opt(0, 0)
            .single()
            .unwrap_or_else(Local::now),
    }
}

/// Ten minutes, in seconds (the `[` `]` jump).
pub const TEN_MINUTES: i64 = 10 * MINUTE_US / 1_000_000;
/// One hour, in seconds (the `{` `}` jump).
pub const ONE_HOUR: i64 = 60 * MINUTE_US / 1_000_000;
