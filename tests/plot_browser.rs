//! `rstat plot --html` in a real browser (headless Chromium over the DevTools protocol), on
//! a file collected here: 1 s samples with processes, a known process (`rstatburn`) burning
//! CPU and another (`rstatio`) writing to the disk in the middle. The page loads without a
//! console error; the readout at that moment shows what `rstat report -u ALL` prints for
//! that second; hovering the CPU chart there lists the burner, hovering a disk chart the
//! writer; a brush zooms every chart to the brushed range and a double-click resets.
//! Screenshots at 1400x1000 go to the test's output directory for a person to see.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use cdp::Browser;
use common::rstat;

/// The CPU chart's plot area, from the page (`LEFT` and the right margin of dashboard.js).
struct Area {
    left: f64,
    top: f64,
    width: f64,
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64
}

/// Collects 1 s samples for 22 s; from the 8th to the 15th second `rstatburn` (a copy of
/// `yes`, at nice -10) burns CPU and `rstatio` (a copy of `dd`) writes what the test feeds it, about
/// 20 MB/s, with O_DIRECT (to the disk, not the page cache). Returns the window's start and
/// end (ms since the epoch).
fn collect(dir: &Path, file: &Path) -> (f64, f64) {
    let burner = dir.join("rstatburn");
    std::fs::copy("/usr/bin/yes", &burner).unwrap();
    let writer = dir.join("rstatio");
    std::fs::copy("/usr/bin/dd", &writer).unwrap();
    // Written under the build's directory, on the checkout's disk: a temporary directory may
    // be a tmpfs, which never reaches a disk (or refuses O_DIRECT).
    let target = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut collector = rstat()
        .args(["collect", "-i", "1", "-c", "22", "--no-sync", "--file"])
        .arg(file)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(8));
    let start = now_ms();
    // A higher priority (root may raise it; others run it as it is, nice says why on
    // stderr) keeps the burner among the busiest on a machine loaded by other work.
    let mut burn = Command::new("nice")
        .args(["-n", "-10"])
        .arg(&burner)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut io = Command::new(&writer)
        .args(["bs=1M", "iflag=fullblock", "oflag=direct"])
        .arg(format!("of={}", target.path().join("written").display()))
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = io.stdin.take().unwrap();
    let block = vec![0u8; 1 << 20];
    while now_ms() - start < 7000.0 {
        input.write_all(&block).unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(input);
    assert!(io.wait().unwrap().success(), "rstatio (dd) failed");
    burn.kill().unwrap();
    burn.wait().unwrap();
    let end = now_ms();
    assert!(collector.wait().unwrap().success(), "rstat collect failed");
    (start, end)
}

/// The hover list's text, empty when it is hidden.
fn listed(browser: &mut Browser) -> String {
    let text = browser.eval(
        "(() => { const b = document.getElementById('processes'); return b.hidden ? '' : b.innerText; })()",
    );
    text.as_str().unwrap().to_string()
}

/// The last figure of `command`'s line in a hover list, if it is listed.
fn listed_figure(listed: &str, command: &str) -> Option<f64> {
    let line = listed.lines().find(|l| l.contains(command))?;
    line.split_whitespace().last()?.parse().ok()
}

/// The largest figure of `command` in the hover lists of the chart at `area`, the cursor
/// put on each second from `from` to `to` (ms): on a loaded machine a known process may
/// fall out of the five busiest for a second. Also the lists seen, for messages.
fn busiest(
    browser: &mut Browser,
    area: &Area,
    (from, to): (f64, f64),
    command: &str,
) -> (Option<f64>, String) {
    let (mut best, mut seen) = (None::<f64>, String::new());
    let mut t = from;
    while t <= to {
        let x = x_of(browser, area, t);
        browser.mouse("mouseMoved", x, area.top, 0);
        let list = listed(browser);
        if let Some(figure) = listed_figure(&list, command) {
            best = Some(best.map_or(figure, |b| b.max(figure)));
        }
        seen.push_str(&list);
        seen.push('\n');
        t += 1000.0;
    }
    (best, seen)
}

fn area(browser: &mut Browser, chart: usize) -> Area {
    let rect = browser.eval(&format!(
        "(() => {{ const r = document.querySelectorAll('canvas.overlay')[{chart}]\
         .getBoundingClientRect(); return [r.left, r.top, r.width]; }})()"
    ));
    let number = |i: usize| rect[i].as_f64().unwrap();
    Area {
        left: number(0) + 64.0,
        top: number(1) + 40.0,
        width: number(2) - 64.0 - 8.0,
    }
}

/// The x of time `t` (ms) on the chart, in the page's current view.
fn x_of(browser: &mut Browser, area: &Area, t: f64) -> f64 {
    let view = browser.eval("window.rstat.view()");
    let (a, b) = (view[0].as_f64().unwrap(), view[1].as_f64().unwrap());
    area.left + (t - a) / (b - a) * area.width
}

/// A screenshot, checked: a PNG of 1400x1000 much larger than a blank page's.
fn screenshot(browser: &mut Browser, out: &Path, name: &str, blank: usize) {
    let png = browser.screenshot(&out.join(name));
    assert_eq!(&png[1..4], b"PNG", "{name}");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1400, 1000), "{name}");
    assert!(
        png.len() > 5 * blank,
        "{name}: {} bytes, hardly more than a blank page's {blank}",
        png.len()
    );
}

/// `rstat report -u ALL`'s rows of `all` at `time` (HH:MM:SS), each as column -> printed
/// value. Usually one; two when a sample taken late shares its second with the next one (at
/// 1 s intervals whose ticks fall just before a second's end, a delay of a few milliseconds
/// is enough, and a loaded CI machine has them).
fn report_rows(file: &Path, time: &str) -> Vec<Vec<(String, String)>> {
    let output = rstat()
        .args(["report", "-u", "ALL", "--utc", "-f"])
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let header: Vec<&str> = text
        .lines()
        .find(|l| l.contains("%usr"))
        .unwrap()
        .split_whitespace()
        .collect();
    let rows: Vec<Vec<(String, String)>> = text
        .lines()
        .filter(|l| l.starts_with(time) && l.split_whitespace().nth(1) == Some("all"))
        .map(|line| {
            header
                .iter()
                .zip(line.split_whitespace())
                .skip(2)
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "no row at {time} in\n{text}");
    rows
}

#[test]
fn the_page_links_its_charts_and_names_the_busy_process() {
    if !Path::new(cdp::CHROMIUM).exists() {
        panic!(
            "{} is missing: apt-get install chromium (.ci/run does)",
            cdp::CHROMIUM
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("day.rstat");
    let (burn_start, burn_end) = collect(dir.path(), &file);
    let page = dir.path().join("day.html");
    let output = rstat()
        .args(["plot", "--html", "--utc", "-f"])
        .arg(&file)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let out: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plot_browser");
    std::fs::create_dir_all(&out).unwrap();

    let mut browser = Browser::start();
    let blank = browser.screenshot(&out.join("blank.png")).len();
    browser.open(&page, "document.body.dataset.ready === 'yes'");
    let titles =
        browser.eval("[...document.querySelectorAll('.chart h2')].map(h => h.textContent)");
    let titles: Vec<&str> = titles
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(titles[0].starts_with("CPU utilisation"), "{titles:?}");
    for wanted in [
        "Per-CPU",
        "memory: used",
        "queue",
        "disk",
        "process-cpu: %CPU",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(wanted)),
            "{wanted} not in {titles:?}"
        );
    }
    // The CPU chart is drawn: a good share of its pixels are not white.
    let inked = browser.eval(
        "(() => { const c = document.querySelector('canvas'); const d = c.getContext('2d')\
         .getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length;\
         i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++; return n / (d.length / 4); })()",
    );
    assert!(
        inked.as_f64().unwrap() > 0.05,
        "CPU chart mostly blank: {inked}"
    );
    screenshot(&mut browser, &out, "overview.png", blank);

    // Charts far below the window wait (a day's page would decode them all first otherwise);
    // scrolled to, the last one is drawn.
    let waiting = browser.eval("window.rstat.waiting()");
    let waiting: Vec<bool> = waiting
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w == true)
        .collect();
    assert!(!waiting[0], "the first chart is drawn at once");
    assert!(
        waiting.last() == Some(&true),
        "the last chart waits: {waiting:?}"
    );
    let drawn_when_scrolled = browser.eval(
        "new Promise((done) => { const charts = document.querySelectorAll('.chart');\
         charts[charts.length - 1].scrollIntoView(); const t0 = Date.now(); const check = () =>\
         !window.rstat.waiting()[charts.length - 1] ? done(true) : Date.now() - t0 > 20000 ?\
         done(false) : setTimeout(check, 50); check(); })",
    );
    assert_eq!(
        drawn_when_scrolled, true,
        "the last chart, scrolled to, was not drawn in 20 s"
    );
    browser.eval("window.scrollTo(0, 0)");

    // The readout at the burner's middle: the values report prints for that second.
    let cpu = area(&mut browser, 0);
    let middle = (burn_start + burn_end) / 2.0;
    let x = x_of(&mut browser, &cpu, middle);
    browser.mouse("mouseMoved", x, cpu.top, 0);
    let cursor = browser.eval("document.getElementById('cursor').textContent");
    let cursor = cursor.as_str().unwrap();
    let time = cursor
        .split_whitespace()
        .nth(1)
        .expect("a time in the readout");
    let readout = browser.eval("window.rstat.readout()[0].values");
    let printed = report_rows(&file, time);
    let shown: Vec<(String, String)> = readout
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().into(),
                pair[1].as_str().unwrap().into(),
            )
        })
        .collect();
    // Every value shown is the one report prints in its column, all from one of its rows.
    let matches = |row: &Vec<(String, String)>| {
        shown
            .iter()
            .all(|(label, value)| row.iter().any(|(h, v)| h == label && v == value))
    };
    assert!(
        printed.iter().any(matches),
        "at {time}: page {shown:?}, report {printed:?}"
    );
    assert_eq!(
        shown.len(),
        printed[0].len() - 1,
        "every column but %idle: {shown:?}"
    );
    // Hovering the burner's seconds lists it among the busiest processes, with its share.
    let window = (burn_start + 1000.0, burn_end - 1000.0);
    let (share, lists) = busiest(&mut browser, &cpu, window, "rstatburn");
    assert!(
        share.is_some_and(|share| share > 20.0),
        "rstatburn at {share:?} %CPU at most in:\n{lists}"
    );
    screenshot(&mut browser, &out, "hover.png", blank);

    // Hovering a disk chart at the same moment lists the writer among the busiest by I/O,
    // with what it wrote (kB_wr/s, the list's last column).
    let disk = titles
        .iter()
        .position(|t| t.starts_with("disk: wkB/s"))
        .unwrap_or_else(|| panic!("no disk write chart in {titles:?}"));
    browser.eval(&format!(
        "document.querySelectorAll('.chart')[{disk}].scrollIntoView()"
    ));
    let disk_area = area(&mut browser, disk);
    let (written, lists) = busiest(&mut browser, &disk_area, window, "rstatio");
    assert!(lists.contains("by I/O"), "{lists}");
    assert!(
        written.is_some_and(|written| written > 1000.0),
        "rstatio wrote {written:?} kB/s at most in:\n{lists}"
    );
    screenshot(&mut browser, &out, "hover-disk.png", blank);

    // A brush on the memory chart zooms every chart to the brushed range.
    let memory = titles
        .iter()
        .position(|t| t.starts_with("memory: used"))
        .unwrap();
    browser.eval(&format!(
        "document.querySelectorAll('.chart')[{memory}].scrollIntoView()"
    ));
    let mem = area(&mut browser, memory);
    let full = browser.eval("window.rstat.view()");
    let (a, b) = (full[0].as_f64().unwrap(), full[1].as_f64().unwrap());
    let (from, to) = (a + (b - a) * 0.25, a + (b - a) * 0.6);
    let (x1, x2) = (x_of(&mut browser, &mem, from), x_of(&mut browser, &mem, to));
    browser.mouse("mousePressed", x1, mem.top, 1);
    browser.mouse("mouseMoved", (x1 + x2) / 2.0, mem.top, 1);
    browser.mouse("mouseMoved", x2, mem.top, 1);
    browser.mouse("mouseReleased", x2, mem.top, 1);
    let drawn = browser.eval("window.rstat.drawn()");
    let pixel = (b - a) / mem.width;
    for (chart, view) in drawn.as_array().unwrap().iter().enumerate() {
        let (c, d) = (view[0].as_f64().unwrap(), view[1].as_f64().unwrap());
        assert!(
            (c - from).abs() <= 2.0 * pixel && (d - to).abs() <= 2.0 * pixel,
            "chart {chart} ({}) shows {c}..{d}, brushed {from}..{to}",
            titles[chart]
        );
    }
    browser.eval("window.scrollTo(0, 0)");
    screenshot(&mut browser, &out, "zoomed.png", blank);
    let cpu = area(&mut browser, 0);
    let x = cpu.left + cpu.width / 2.0;
    browser.mouse("mousePressed", x, cpu.top, 2);
    browser.mouse("mouseReleased", x, cpu.top, 2);
    let reset = browser.eval("window.rstat.drawn()[0]");
    assert_eq!(reset, full, "double-click resets the zoom");
    assert!(
        browser.errors.is_empty(),
        "console errors: {:?}",
        browser.errors
    );
    eprintln!("screenshots in {}", out.display());
}
