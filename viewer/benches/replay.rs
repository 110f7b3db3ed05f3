//! Replay speed on a full day: 86,400 one-second samples shaped like a real one (the
//! collector's real-debian-vm fixture: 2 CPUs, full meminfo and vmstat, its disks and
//! interfaces), counters advancing every second, written once into a temporary file.
//!
//! - `first_frame`: open the file (index its frame headers), go to the end, derive the
//!   chart history and render the overview to a 200x50 TestBackend (targets: ≤ 100 ms).
//! - `step_back`: one sample back and render (≤ 16 ms).
//! - `jump_10m`: ten minutes back and render the frame `rstat top` draws first (chart points
//!   not cached yet are derived for at most 8 ms, the next frames fill the rest) (≤ 16 ms).
//! - `jump_10m_full_chart`: the same with the whole 200-point chart history derived.
//!
//! Run: `cargo bench -p rstat-viewer --bench replay`;
//! `RSTAT_BENCH_DAY_SAMPLES=3600` writes a one-hour file for a quick look.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::FileHeader;
use rstat_viewer::model::Model;
use rstat_viewer::{view, KeyMap, Replay, Theme, Ui};

/// 2026-01-15T00:00:00Z.
const DAY_START_US: i64 = 1_768_435_200 * 1_000_000;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// Advances a sample by one second: uptime, and every cumulative counter a little.
fn advance(sample: &mut Sample, rng: &mut Rng) {
    sample.time_us += 1_000_000;
    for table in sample.tables.iter_mut() {
        for row in table.rows.iter_mut() {
            match table.kind {
                TableKind::UPTIME => {
                    row.values[0] += 100;
                    row.values[1] += 150;
                }
                TableKind::CPU => {
                    let cpus = if row.key == "cpu" { 2 } else { 1 };
                    let busy = rng.below(40) * cpus;
                    let values = &mut row.values;
                    values[0] += busy * 6 / 10;
                    values[2] += busy * 3 / 10;
                    values[4] += busy / 10;
                    values[3] += 100 * cpus - busy;
                }
                TableKind::STAT if row.key != "btime" => row.values[0] += rng.below(900),
                TableKind::VMSTAT if rng.below(4) == 0 => row.values[0] += rng.below(3000),
                TableKind::DISKSTATS => {
                    for col in [2, 4, 5, 6, 8, 9, 11, 12] {
                        if let Some(v) = row.values.get_mut(col) {
                            *v += rng.below(50);
                        }
                    }
                }
                TableKind::NETDEV => {
                    for col in [0, 1, 8, 9] {
                        row.values[col] += rng.below(if col % 8 == 0 { 60_000 } else { 40 });
                    }
                }
                _ => {}
            }
        }
    }
}

fn generate(dir: &Path) -> PathBuf {
    let samples: u64 = std::env::var("RSTAT_BENCH_DAY_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(86_400);
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../collector/tests/fixtures/real-debian-vm");
    let mut sample = Sample::default();
    rstat_collector::sampler::Sampler::new(&root).sample(&mut sample);
    sample.time_us = DAY_START_US;
    let header = FileHeader {
        host: "bench-vm".into(),
        cpu_count: 2,
        ticks_per_sec: 100,
        ..FileHeader::default()
    };
    let path = dir.join("2026-01-15.rstat");
    let started = Instant::now();
    let mut writer = FileWriter::open(&path, &header, 0o644).expect("create");
    writer.set_durable(false);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..samples {
        advance(&mut sample, &mut rng);
        writer.append_sample(&sample, false).expect("append");
    }
    drop(writer);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "\nday file: {samples} samples, {:.1} MB, written in {:.1} s\n",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    path
}

/// Renders a frame as `rstat top` does (chart points derived within the frame budget).
fn render(model: &mut Model, ui: &Ui, terminal: &mut Terminal<TestBackend>) {
    let snap = model.snapshot_within(200, Some(rstat_viewer::app::FRAME_BUDGET));
    terminal
        .draw(|frame| view::draw(frame, &snap, ui))
        .expect("draw");
}

/// Renders a frame with the whole chart history derived.
fn render_full(model: &mut Model, ui: &Ui, terminal: &mut Terminal<TestBackend>) {
    let snap = model.snapshot(200);
    terminal
        .draw(|frame| view::draw(frame, &snap, ui))
        .expect("draw");
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = generate(dir.path());
    let ui = Ui::new(Theme { color: true }, KeyMap::default());
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("first_frame", |b| {
        b.iter(|| {
            let replay = Replay::open(std::slice::from_ref(&path)).expect("open");
            let mut model = Model::replay(replay.without_neighbours());
            render_full(&mut model, &ui, &mut terminal);
            black_box(model.cursor())
        })
    });
    let mut model = Model::replay(
        Replay::open(std::slice::from_ref(&path))
            .expect("open")
            .without_neighbours(),
    );
    render(&mut model, &ui, &mut terminal);
    group.sample_size(50);
    group.bench_function("step_back", |b| {
        b.iter(|| {
            if model.cursor() < 1000 {
                model.end();
            }
            model.step(-1);
            render(&mut model, &ui, &mut terminal);
        })
    });
    group.bench_function("jump_10m", |b| {
        b.iter(|| {
            if model.cursor() < 1000 {
                model.end();
            }
            model.jump(-600);
            render(&mut model, &ui, &mut terminal);
        })
    });
    group.bench_function("jump_10m_full_chart", |b| {
        b.iter(|| {
            if model.cursor() < 1000 {
                model.end();
            }
            model.jump(-600);
            render_full(&mut model, &ui, &mut terminal);
        })
    });
    group.finish();
    c.final_summary();
}
