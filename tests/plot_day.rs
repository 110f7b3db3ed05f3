//! The page of a full day: 86,400 samples one second apart, with processes, built with
//! data-format's writer from a real capture taken here (30 s of 1 s samples, processes
//! included) replayed over the day. Counters (values that only grew during the capture,
//! the uptime, CPU ticks, a process's ticks) are carried on by the capture's growth at each
//! replay, so every interval derives plausible rates; gauges repeat. Then `rstat plot
//! --html` writes the page and headless Chromium opens it: page size, time (wall and CPU)
//! to write it and time to first paint are printed (figures for the README, not pass/fail:
//! the run is `#[ignore]`d and only checks that the page works).
//!
//! Run: `cargo test --release --test plot_day -- --ignored --nocapture` (bench/plot-day.sh;
//! `RSTAT_PLOT_DAY_FILE=PATH` keeps the day file there for the next run).

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::schema::Sample;
use rstat_data_format::writer::FileWriter;

use common::rstat;

const DAY_SAMPLES: i64 = 86_400;
/// 2026-01-15T00:00:00Z.
const DAY_START_US: i64 = 1_768_435_200 * 1_000_000;

/// Values of a row's column at the capture's first and last sample, per (table, row, column).
type Ends = HashMap<(u16, String, usize), (u64, u64, bool)>;

/// Which values behave as counters over the capture, and by how much each replay moves them.
fn growth(samples: &[Sample]) -> Ends {
    let mut ends: Ends = HashMap::new();
    for sample in samples {
        for table in &sample.tables {
            for row in &table.rows {
                for (col, v) in row.values.iter().enumerate() {
                    ends.entry((table.kind.0, row.key.clone(), col))
                        .and_modify(|(_, last, monotonic)| {
                            *monotonic &= *v >= *last;
                            *last = *v;
                        })
                        .or_insert((*v, *v, true));
                }
            }
        }
    }
    ends
}

/// Writes the day from `source` (a short capture) to `day`.
fn build_day(source: &Path, day: &Path) {
    let mut reader = FileReader::open(source).unwrap();
    let header = reader.header().clone();
    let mut samples = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            samples.push(sample);
        }
    }
    assert!(samples.len() > 10, "a short capture: {}", samples.len());
    let ends = growth(&samples);
    let cycle = samples.len() as u64;
    let _ = std::fs::remove_file(day);
    let mut writer = FileWriter::open(day, &header, 0o644).unwrap();
    writer.set_durable(false);
    for k in 0..DAY_SAMPLES {
        let (round, index) = (k as u64 / cycle, (k as u64 % cycle) as usize);
        let source = &samples[index];
        let mut sample = Sample {
            time_us: DAY_START_US + k * 1_000_000,
            tables: Vec::new(),
        };
        for table in &source.tables {
            let copy = sample.table_mut(table.kind);
            for row in &table.rows {
                let values = row
                    .values
                    .iter()
                    .enumerate()
                    .map(
                        |(col, v)| match ends.get(&(table.kind.0, row.key.clone(), col)) {
                            // One more capture's worth of growth, and one step's.
                            Some((first, last, true)) if last > first => {
                                v + round * ((last - first) + (last - first) / (cycle - 1))
                            }
                            _ => *v,
                        },
                    )
                    .collect();
                copy.rows.push(rstat_data_format::schema::Row {
                    key: row.key.clone(),
                    text: row.text.clone(),
                    values,
                });
            }
        }
        writer.append_sample(&sample, false).unwrap();
    }
}

/// CPU time (user + system) of the children waited for so far, in seconds: on a loaded
/// machine the figure to compare, where wall time depends on the neighbours.
fn children_cpu_s() -> f64 {
    use nix::sys::resource::{getrusage, UsageWho};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    seconds(usage.user_time()) + seconds(usage.system_time())
}

#[test]
#[ignore = "a benchmark: builds a day file (about a minute); bench/plot-day.sh runs it"]
fn a_full_day_page_opens_and_is_measured() {
    let dir = tempfile::tempdir().unwrap();
    // RSTAT_PLOT_DAY_FILE=PATH keeps the day there and reuses it on the next run.
    let day = std::env::var_os("RSTAT_PLOT_DAY_FILE")
        .map_or_else(|| dir.path().join("day.rstat"), Into::into);
    if !day.exists() {
        let source = dir.path().join("capture.rstat");
        let status = rstat()
            .args(["collect", "-i", "1", "-c", "30", "--no-sync", "--file"])
            .arg(&source)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        build_day(&source, &day);
        eprintln!("day file built in {:.1} s", started.elapsed().as_secs_f64());
    }
    eprintln!(
        "day file: {} samples, {} bytes",
        DAY_SAMPLES,
        std::fs::metadata(&day).unwrap().len(),
    );
    let page = dir.path().join("day.html");
    let cpu_before = children_cpu_s();
    let started = Instant::now();
    let output = rstat()
        .args(["plot", "--html", "--utc", "-f"])
        .arg(&day)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    eprintln!(
        "rstat plot --html: {:.2} s, {:.2} s CPU (user + sys), page {} bytes",
        started.elapsed().as_secs_f64(),
        children_cpu_s() - cpu_before,
        std::fs::metadata(&page).unwrap().len()
    );
    let mut browser = cdp::Browser::start();
    browser.open(Path::new("/dev/null"), "true");
    let started = Instant::now();
    browser.open(&page, "document.body.dataset.ready === 'yes'");
    let ready = started.elapsed().as_secs_f64();
    let paint = browser.eval(
        "performance.getEntriesByType('paint').map(p => p.name + ' ' + p.startTime.toFixed(0) + ' ms').join(', ')",
    );
    let charts = browser.eval("document.querySelectorAll('.chart canvas.overlay').length");
    assert!(charts.as_u64().unwrap() > 10, "{charts} charts");
    // Zooming redraws every chart from the full data: time one brush.
    let zoom = browser.eval(
        "(() => { const t0 = performance.now(); const c = document.querySelector('canvas.overlay');\
         const r = c.getBoundingClientRect(); const at = (x, type) => c.dispatchEvent(new MouseEvent(type,\
         {clientX: r.left + x, clientY: r.top + 50, buttons: 1, bubbles: true}));\
         at(300, 'mousedown'); at(400, 'mousemove'); window.dispatchEvent(new MouseEvent('mouseup',\
         {clientX: r.left + 400, clientY: r.top + 50})); return performance.now() - t0; })()",
    );
    eprintln!(
        "Chromium: {charts} charts, ready (decoded and drawn) {ready:.2} s after navigation; \
         paint: {paint}; one zoom redraws every chart in {:.0} ms",
        zoom.as_f64().unwrap()
    );
    assert!(browser.errors.is_empty(), "{:?}", browser.errors);
}

/// The README's screenshot: the page of a recording (`RSTAT_SCREENSHOT_FROM`, a data file)
/// at 1400x1000 with the cursor on the CPU chart at `RSTAT_SCREENSHOT_AT` (a fraction of
/// its width, 0.5 unless given), so that the busiest processes of that moment are listed;
/// written to `RSTAT_SCREENSHOT_TO` (docs/plot-day.png unless given). A helper, not a check.
#[test]
#[ignore = "writes the README's screenshot from a recording named by RSTAT_SCREENSHOT_FROM"]
fn screenshot_of_a_recording() {
    let Some(source) = std::env::var_os("RSTAT_SCREENSHOT_FROM") else {
        eprintln!("RSTAT_SCREENSHOT_FROM is not set: nothing to draw");
        return;
    };
    let at: f64 = std::env::var("RSTAT_SCREENSHOT_AT")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or(0.5);
    let to = std::env::var_os("RSTAT_SCREENSHOT_TO").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/plot-day.png"),
        Into::into,
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let output = rstat()
        .args(["plot", "--html", "-f"])
        .arg(&source)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut browser = cdp::Browser::start();
    browser.open(&page, "document.body.dataset.ready === 'yes'");
    let rect = browser.eval(
        "(() => { const r = document.querySelector('canvas.overlay').getBoundingClientRect();\
         return [r.left, r.top, r.width]; })()",
    );
    let number = |i: usize| rect[i].as_f64().unwrap();
    // The plot area starts 64 px in and ends 8 px before the canvas's edge (dashboard.js).
    let x = number(0) + 64.0 + (number(2) - 72.0) * at;
    browser.mouse("mouseMoved", x, number(1) + 60.0, 0);
    browser.screenshot(&to);
    assert!(browser.errors.is_empty(), "{:?}", browser.errors);
    eprintln!("screenshot: {}", to.display());
}
