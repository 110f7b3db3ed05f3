//! Render tests: every screen drawn with ratatui's TestBackend at 80x24 and 200x50, from live
//! data (samples of the collector's fixture trees) and replay data (a file written here with
//! a restart and a damaged range), compared as text with the snapshots in tests/snapshots/.
//! `UPDATE_SNAPSHOTS=1 cargo test -p rstat-viewer --test render` rewrites them.

mod common;

use std::path::Path;

use common::{
    fixture_sample, full_fixture_sample, gpu_fixture_sample, later_by, render, write_file,
    write_samples, DAY_US, SECOND_US,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rstat_viewer::model::Model;
use rstat_viewer::view::{self, SCREENS};
use rstat_viewer::{app, KeyMap, Live, Replay, Theme, Ui};

fn check(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, text).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{}: no snapshot; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == text,
        "{name} differs from {} (UPDATE_SNAPSHOTS=1 rewrites it):\n--- expected\n{expected}\n--- got\n{text}",
        path.display()
    );
}

fn ui() -> Ui {
    Ui::new(Theme { color: true }, KeyMap::default())
}

fn utc() {
    // Snapshots show local times: make them UTC whatever the machine's zone.
    std::env::set_var("TZ", "UTC");
}

fn live_model() -> Model {
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        600,
        "real-debian-vm".into(),
    );
    let mut model = Model::live(live);
    model.push_live(fixture_sample(
        "real-debian-vm",
        DAY_US + 12 * 3600 * SECOND_US,
    ));
    model.push_live(fixture_sample(
        "real-debian-vm-later",
        DAY_US + 12 * 3600 * SECOND_US + 10 * SECOND_US,
    ));
    model
}

fn replay_model(dir: &Path) -> Model {
    // Two hours from 00:00 UTC, one sample every 10 s, a reboot at 01:00, damage at ~01:30.
    let path = write_file(&dir.join("replay.rstat"), DAY_US, 720, 10, Some(360));
    let mut bytes = std::fs::read(&path).expect("read");
    let at = bytes.len() * 3 / 4;
    for b in &mut bytes[at..at + 40] {
        *b ^= 0xff;
    }
    std::fs::write(&path, &bytes).expect("write");
    let mut model = Model::replay(Replay::open(&[path]).expect("open").without_neighbours());
    model.step(-30);
    model
}

/// Live: the two captures of the fixture trees with processes, cgroups and every system
/// activity, 10 s apart.
fn full_live_model() -> Model {
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        600,
        "real-debian-vm".into(),
    );
    let mut model = Model::live(live);
    let noon = DAY_US + 12 * 3600 * SECOND_US;
    model.push_live(full_fixture_sample(false, noon));
    model.push_live(full_fixture_sample(true, noon + 10 * SECOND_US));
    model
}

/// Replay: a file of the first capture, the second, and the second again 10 s later,
/// positioned on the second (the interval between the two captures).
fn full_replay_model(dir: &Path) -> Model {
    let noon = DAY_US + 12 * 3600 * SECOND_US;
    let path = write_samples(
        &dir.join("full.rstat"),
        &[
            full_fixture_sample(false, noon),
            full_fixture_sample(true, noon + 10 * SECOND_US),
            later_by(full_fixture_sample(true, noon + 20 * SECOND_US), 10),
        ],
    );
    let mut model = Model::replay(Replay::open(&[path]).expect("open").without_neighbours());
    model.step(-1);
    model
}

/// The screens before the process screens; the later ones are drawn from the full fixtures.
const FIRST_SCREENS: usize = 3;

fn all_screens(prefix: &str, model: &mut Model) {
    screens(prefix, model, 0..FIRST_SCREENS);
}

fn screens(prefix: &str, model: &mut Model, range: std::ops::Range<usize>) {
    for (index, screen) in SCREENS
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
    {
        let mut ui = ui();
        // Snapshots must not depend on this machine's user names.
        ui.user_names = false;
        ui.screen = index;
        for (w, h) in [(80, 24), (200, 50)] {
            let name = format!("{prefix}-{}-{w}x{h}", screen.title.to_lowercase());
            check(&name, &render(model, &ui, w, h));
        }
    }
}

#[test]
fn live_screens() {
    utc();
    all_screens("live", &mut live_model());
}

#[test]
fn replay_screens() {
    utc();
    let dir = tempfile::tempdir().expect("tempdir");
    all_screens("replay", &mut replay_model(dir.path()));
}

#[test]
fn process_and_item_screens() {
    utc();
    // Without GPU tables the GPU screen is not listed (see gpu_screen_and_columns).
    let listed = view::shown_screens(false).len();
    screens("live", &mut full_live_model(), FIRST_SCREENS..listed);
    let dir = tempfile::tempdir().expect("tempdir");
    screens(
        "replay",
        &mut full_replay_model(dir.path()),
        FIRST_SCREENS..listed,
    );
}

#[test]
fn process_filter_tree_and_cgroup_drill_down() {
    utc();
    let mut model = full_live_model();
    let mut ui = ui();
    ui.user_names = false;
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let press = |model: &mut Model, ui: &mut Ui, code| app::handle_key(key(code), model, ui);
    // The processes of /user.slice (the fourth cgroup row), as a tree.
    press(&mut model, &mut ui, KeyCode::Char('5'));
    for _ in 0..3 {
        press(&mut model, &mut ui, KeyCode::Char('j'));
    }
    press(&mut model, &mut ui, KeyCode::Enter);
    press(&mut model, &mut ui, KeyCode::Char('v'));
    check(
        "processes-cgroup-tree-80x24",
        &render(&mut model, &ui, 80, 24),
    );
    // Esc goes back to the cgroups; then a filter typed on the Processes screen.
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.screen, view::CGROUPS);
    press(&mut model, &mut ui, KeyCode::Char('4'));
    press(&mut model, &mut ui, KeyCode::Char('/'));
    for c in "sys".chars() {
        press(&mut model, &mut ui, KeyCode::Char(c));
    }
    check(
        "processes-filter-prompt-80x24",
        &render(&mut model, &ui, 80, 24),
    );
    press(&mut model, &mut ui, KeyCode::Enter);
    press(&mut model, &mut ui, KeyCode::Char('s'));
    check(
        "processes-filtered-200x50",
        &render(&mut model, &ui, 200, 50),
    );
}

#[test]
fn help_too_small_and_selection() {
    utc();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut model = replay_model(dir.path());
    let mut ui = ui();
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    app::handle_key(key(KeyCode::Char('?')), &mut model, &mut ui);
    check("help-80x24", &render(&mut model, &ui, 80, 24));
    app::handle_key(key(KeyCode::Char('?')), &mut model, &mut ui);
    check("too-small-79x24", &render(&mut model, &ui, 79, 24));
    // The network screen with its second interface selected, and the time prompt open.
    app::handle_key(key(KeyCode::Char('3')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('j')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('g')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('0')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('1')), &mut model, &mut ui);
    check(
        "network-selected-prompt-80x24",
        &render(&mut model, &ui, 80, 24),
    );
    app::handle_key(key(KeyCode::Char(':')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('0')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Char('5')), &mut model, &mut ui);
    app::handle_key(key(KeyCode::Enter), &mut model, &mut ui);
    assert_eq!(model.time_us(), DAY_US + 3900 * SECOND_US);
    assert!(app::handle_key(
        key(KeyCode::Char('q')),
        &mut model,
        &mut ui
    ));
}

/// Live: the two GPU captures (an amdgpu card and a recorded H200), 2 s apart.
fn gpu_live_model() -> Model {
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        600,
        "gpu-host".into(),
    );
    let mut model = Model::live(live);
    let noon = DAY_US + 12 * 3600 * SECOND_US;
    model.push_live(gpu_fixture_sample(false, noon));
    model.push_live(gpu_fixture_sample(true, noon + 2 * SECOND_US));
    model
}

/// Replay: a file of the two GPU captures and the second again 2 s later, positioned on the
/// interval between the captures.
fn gpu_replay_model(dir: &Path) -> Model {
    let noon = DAY_US + 12 * 3600 * SECOND_US;
    let path = write_samples(
        &dir.join("gpu.rstat"),
        &[
            gpu_fixture_sample(false, noon),
            gpu_fixture_sample(true, noon + 2 * SECOND_US),
            later_by(gpu_fixture_sample(true, noon + 4 * SECOND_US), 2),
        ],
    );
    let mut model = Model::replay(Replay::open(&[path]).expect("open").without_neighbours());
    model.step(-1);
    model
}

/// The cells of the table row that starts with `first` (split on runs of spaces).
fn row_of(screen: &str, first: &str) -> Vec<String> {
    let line = screen
        .lines()
        .map(|l| l.trim_start_matches(['│', ' ']))
        .find(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("no row {first} in\n{screen}"));
    line.split("  ")
        .map(|c| c.trim().trim_end_matches('│').trim())
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn gpu_screen_lists_each_gpu_and_its_history() {
    utc();
    let gpu = SCREENS.len() - 1;
    assert_eq!(SCREENS[gpu].title, "GPUs");
    let dir = tempfile::tempdir().expect("tempdir");
    for (prefix, mut model) in [
        ("live", gpu_live_model()),
        ("replay", gpu_replay_model(dir.path())),
    ] {
        screens(prefix, &mut model, gpu..gpu + 1);
        let mut ui = ui();
        app::handle_key(
            KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE),
            &mut model,
            &mut ui,
        );
        assert_eq!(ui.screen, gpu, "{prefix}: 0 goes to the GPU screen");
        let wide = render(&mut model, &ui, 200, 50);
        assert!(wide.lines().nth(1).unwrap().contains("0 GPUs"), "{wide}");
        // amdgpu from sysfs: 374 J in 2 s is 187 W; no PCIe or throttle figures there.
        assert_eq!(
            row_of(&wide, "card0"),
            [
                "card0",
                "AMD Radeon RX",
                "63",
                "12",
                "2.0G",
                "24G",
                "54",
                "187",
                "339",
                "2482",
                "1249",
                "-",
                "-",
                "-"
            ],
            "{prefix}"
        );
        // The H200: 350 J in 2 s, 20,828 of 143,772 MiB, PCIe 0.700 and 0.698 MB/s, no
        // clocks event reason.
        assert_eq!(
            row_of(&wide, "nvidia0"),
            [
                "nvidia0",
                "NVIDIA H200",
                "7",
                "2",
                "20G",
                "140G",
                "37",
                "175",
                "700",
                "1980",
                "3201",
                "0.7",
                "0.7",
                "-"
            ],
            "{prefix}"
        );
        // The first GPU's charts: its latest figures in their titles.
        for title in [
            "nvidia0 %gpu: 7.0%",
            "nvidia0 pwrW: 175 W",
            "nvidia0 degC: 37°C",
            "nvidia0 smMHz: 1980 MHz",
            "nvidia0 memMHz: 3201 MHz",
            "nvidia0 MBfbused: 20G",
        ] {
            assert!(wide.contains(title), "{prefix}: {title} missing:\n{wide}");
        }
        // Selecting the amdgpu card charts it instead.
        app::handle_key(
            KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE),
            &mut model,
            &mut ui,
        );
        let wide = render(&mut model, &ui, 200, 50);
        for title in ["card0 %gpu: 63.0%", "card0 pwrW: 187 W", "card0 degC: 54°C"] {
            assert!(wide.contains(title), "{prefix}: {title} missing:\n{wide}");
        }
    }
}

#[test]
fn gpu_screen_is_listed_only_with_gpu_data() {
    utc();
    let mut model = live_model();
    let mut ui = ui();
    let screen = render(&mut model, &ui, 200, 50);
    assert!(!screen.lines().nth(1).unwrap().contains("GPU"), "{screen}");
    app::handle_key(
        KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE),
        &mut model,
        &mut ui,
    );
    assert_eq!(ui.screen, 0, "no GPU screen to go to");
    // Tab from the last listed screen comes back to the first.
    ui.screen = view::shown_screens(false).len() - 1;
    app::handle_key(
        KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
        &mut model,
        &mut ui,
    );
    assert_eq!(ui.screen, 0);
}

#[test]
fn processes_screen_shows_gpu_columns_when_recorded() {
    utc();
    let mut model = gpu_live_model();
    let mut ui = ui();
    ui.user_names = false;
    ui.screen = view::PROCESSES;
    let text = render(&mut model, &ui, 200, 50);
    check("live-processes-gpu-200x50", &text);
    assert!(text.contains("GPUMEM") && text.contains("GPU%"), "{text}");
    // Summed over the process's GPUs, from the derivation.
    let snap = model.snapshot(1);
    let rows = ui.processes.rows(&snap.interval().expect("interval"));
    let gpu = |pid: u32| rows.iter().find(|r| r.pid == pid).expect("row").gpu;
    const MIB: f64 = 1024.0 * 1024.0;
    let g42 = gpu(42).expect("pid 42 uses two GPUs");
    // The H200's 21,185,429,504 B and card0's two clients' VRAM (150,308 + 1,024 KiB).
    let expected = (21_185_429_504.0 + (150_308.0 + 1024.0) * 1024.0) / MIB;
    assert!((g42.memory_mb.unwrap() - expected).abs() < 1e-9, "{g42:?}");
    // NVML's 6% SM on the H200 and 0.5 s of gfx in 2 s on card0.
    assert!((g42.engine_pct.unwrap() - 31.0).abs() < 1e-9, "{g42:?}");
    // pid 1: an xe client, 200,000 busy cycles of 4,000,000.
    let g1 = gpu(1).expect("pid 1 is an xe client");
    assert!((g1.engine_pct.unwrap() - 5.0).abs() < 1e-9, "{g1:?}");
    assert_eq!(gpu(77), None, "pid 77 holds no GPU");
    let cells = row_of(&text, "42");
    assert!(
        cells.iter().any(|c| c == "20G") && cells.iter().any(|c| c == "31.0"),
        "{cells:?}"
    );
    // Without GPU tables the table keeps its columns.
    let plain = render(&mut full_live_model(), &ui, 200, 50);
    assert!(!plain.contains("GPUMEM"), "{plain}");
}
