//! The process and cgroup tables from the fixture trees with processes: sort by each column
//! and reversed, the `/` filter (typed through the keys), the tree view, the cgroup
//! drill-down and back, the detail history, and replay showing the processes of the time
//! shown.

mod common;

use common::{full_fixture_sample, later_by, write_samples, DAY_US, SECOND_US};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rstat_viewer::model::Model;
use rstat_viewer::processes::{ProcessQuery, SortKey};
use rstat_viewer::view::{CGROUPS, PROCESSES, SCREENS};
use rstat_viewer::{app, KeyMap, Live, Replay, Theme, Ui};

const NOON: i64 = DAY_US + 12 * 3600 * SECOND_US;

fn live() -> Model {
    let live = Live::new(
        Box::new(|_| {}),
        std::time::Duration::from_secs(1),
        600,
        "fixture".into(),
    );
    let mut model = Model::live(live);
    model.push_live(full_fixture_sample(false, NOON));
    model.push_live(full_fixture_sample(true, NOON + 10 * SECOND_US));
    model
}

/// (pid, depth) of the rows `query` lists at the model's position.
fn listed(model: &mut Model, query: &ProcessQuery) -> Vec<(u32, usize)> {
    let snap = model.snapshot(1);
    let interval = snap.interval().expect("an interval");
    query
        .rows(&interval)
        .iter()
        .map(|r| (r.pid, r.depth))
        .collect()
}

fn pids(model: &mut Model, query: &ProcessQuery) -> Vec<u32> {
    listed(model, query)
        .into_iter()
        .map(|(pid, _)| pid)
        .collect()
}

fn press(model: &mut Model, ui: &mut Ui, code: KeyCode) {
    app::handle_key(KeyEvent::new(code, KeyModifiers::NONE), model, ui);
}

#[test]
fn sort_by_columns_and_reverse() {
    let mut model = live();
    let mut query = ProcessQuery::default();
    // 42 and 50 use a whole CPU each (ties keep pid order), 1 uses 65.5%, 2 nothing.
    assert_eq!(pids(&mut model, &query), [42, 50, 1, 2]);
    assert!(query.biggest_first());
    query.reverse = true;
    assert!(!query.biggest_first());
    assert_eq!(pids(&mut model, &query), [2, 1, 42, 50]);
    query.reverse = false;
    query.sort = SortKey::Rss;
    assert_eq!(pids(&mut model, &query), [1, 42, 2, 50]);
    query.sort = SortKey::Pid;
    assert!(!query.biggest_first());
    assert_eq!(pids(&mut model, &query), [1, 2, 42, 50]);
    query.sort = SortKey::Command;
    // `/sbin/init splash`, `[kthreadd]`, `noacct`, `prog ...`: byte order.
    assert_eq!(pids(&mut model, &query), [1, 2, 50, 42]);
    query.sort = SortKey::Read;
    // Processes without I/O figures (42, 50) sort after those with.
    assert_eq!(pids(&mut model, &query), [1, 2, 42, 50]);
}

#[test]
fn tree_view_indents_children_under_their_parent() {
    let mut model = live();
    let query = ProcessQuery {
        tree: true,
        ..ProcessQuery::default()
    };
    // 42 and 50 are children of 1; 2 (kthreadd) has parent 0.
    assert_eq!(
        listed(&mut model, &query),
        [(1, 0), (42, 1), (50, 1), (2, 0)]
    );
}

#[test]
fn filter_typed_after_slash() {
    let mut model = live();
    let mut ui = Ui::new(Theme { color: false }, KeyMap::default());
    // Not on the Processes screen: a message, no prompt.
    press(&mut model, &mut ui, KeyCode::Char('/'));
    assert!(ui.filter_prompt.is_none());
    assert!(ui.message.is_some());
    press(&mut model, &mut ui, KeyCode::Char('4'));
    press(&mut model, &mut ui, KeyCode::Char('/'));
    for c in "^(sys|no)".chars() {
        press(&mut model, &mut ui, KeyCode::Char(c));
    }
    // Keys typed in the prompt are text, not actions (`s` did not change the sort).
    assert_eq!(ui.processes.sort, SortKey::Cpu);
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(ui.filter_text, "^(sys|no)");
    assert_eq!(pids(&mut model, &ui.processes), [50, 1]);
    // A bad regex keeps the filter and says why.
    press(&mut model, &mut ui, KeyCode::Char('/'));
    press(&mut model, &mut ui, KeyCode::Backspace);
    press(&mut model, &mut ui, KeyCode::Enter);
    assert!(ui
        .message
        .as_deref()
        .is_some_and(|m| m.contains("not a regex")));
    assert_eq!(pids(&mut model, &ui.processes), [50, 1]);
    // Esc in the prompt clears the filter.
    press(&mut model, &mut ui, KeyCode::Char('/'));
    press(&mut model, &mut ui, KeyCode::Esc);
    assert!(ui.filter_text.is_empty());
    assert_eq!(pids(&mut model, &ui.processes), [42, 50, 1, 2]);
    // s cycles the sort column, r reverses, v toggles the tree.
    press(&mut model, &mut ui, KeyCode::Char('s'));
    assert_eq!(ui.processes.sort, SortKey::Mem);
    press(&mut model, &mut ui, KeyCode::Char('r'));
    assert!(ui.processes.reverse);
    press(&mut model, &mut ui, KeyCode::Char('v'));
    assert!(ui.processes.tree);
}

#[test]
fn cgroup_drill_down_and_back() {
    let mut model = live();
    let mut ui = Ui::new(Theme { color: false }, KeyMap::default());
    assert_eq!(SCREENS[PROCESSES].title, "Processes");
    assert_eq!(SCREENS[CGROUPS].title, "Cgroups");
    press(&mut model, &mut ui, KeyCode::Char('5'));
    assert_eq!(ui.screen, CGROUPS);
    // Rows: /, /system.slice, /system.slice/cron.service, /user.slice.
    for _ in 0..3 {
        press(&mut model, &mut ui, KeyCode::Down);
    }
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(ui.screen, PROCESSES);
    assert_eq!(ui.processes.cgroup.as_deref(), Some("/user.slice"));
    // 42 is in /user.slice/user-1000.slice/session-1.scope, under /user.slice.
    assert_eq!(pids(&mut model, &ui.processes), [42]);
    press(&mut model, &mut ui, KeyCode::Backspace);
    assert_eq!(ui.screen, CGROUPS);
    assert_eq!(ui.processes.cgroup, None);
    // The root group holds every process.
    press(&mut model, &mut ui, KeyCode::Up);
    press(&mut model, &mut ui, KeyCode::Up);
    press(&mut model, &mut ui, KeyCode::Up);
    press(&mut model, &mut ui, KeyCode::Enter);
    assert_eq!(ui.processes.cgroup.as_deref(), Some("/"));
    assert_eq!(pids(&mut model, &ui.processes).len(), 4);
    press(&mut model, &mut ui, KeyCode::Esc);
    assert_eq!(ui.screen, CGROUPS);
}

#[test]
fn detail_history_follows_the_process_identity() {
    let mut model = live();
    let snap = model.snapshot(10);
    let interval = snap.interval().expect("interval");
    let rows = ProcessQuery::default().rows(&interval);
    let init = rows.iter().find(|r| r.pid == 1).expect("pid 1");
    let last = snap.history.last().expect("a point");
    let point = last.process(1, init.start).expect("pid 1 in the history");
    assert_eq!(point.cpu_pct, init.cpu_pct);
    assert_eq!(point.rss_kb, init.rss_kb);
    // Another start time is another process.
    assert!(last.process(1, init.start + 1).is_none());
}

#[test]
fn replay_lists_the_processes_of_the_time_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_samples(
        &dir.path().join("p.rstat"),
        &[
            full_fixture_sample(false, NOON),
            full_fixture_sample(true, NOON + 10 * SECOND_US),
            later_by(full_fixture_sample(true, NOON + 20 * SECOND_US), 10),
        ],
    );
    let mut model = Model::replay(Replay::open(&[path]).expect("open").without_neighbours());
    let query = ProcessQuery {
        sort: SortKey::Pid,
        ..ProcessQuery::default()
    };
    // The last interval: the second capture twice, so every process of it has a rate,
    // including 200 (new) and the new process that reused pid 100.
    assert_eq!(pids(&mut model, &query), [1, 2, 42, 50, 100, 200]);
    model.step(-1);
    assert_eq!(pids(&mut model, &query), [1, 2, 42, 50]);
}

#[test]
fn a_click_on_a_scrolled_table_selects_the_row_under_the_pointer() {
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use ratatui::layout::Rect;
    use ratatui::Terminal;
    use rstat_viewer::view;

    let mut model = live();
    let mut ui = Ui::new(Theme { color: false }, KeyMap::default());
    let interrupts = SCREENS
        .iter()
        .position(|s| s.short == "IRQ")
        .expect("an interrupts screen");
    ui.screen = interrupts;
    let rows = (SCREENS[interrupts].rows)(&model.snapshot(1), &ui);
    assert!(rows > 12, "enough IRQs to scroll: {rows}");
    ui.selected[interrupts] = rows - 1;
    let (width, height) = (80, 24);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let snap = model.snapshot(1);
    terminal
        .draw(|frame| view::draw(frame, &snap, &ui))
        .expect("draw");
    let skip = ui.table_skip.get();
    assert!(skip > 0, "the last row is only visible scrolled");
    let area = Rect::new(0, 0, width, height);
    let body = view::areas(area, false).body;
    let top = (SCREENS[interrupts].rows_top)(body).expect("a row list");
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: top + 1,
        modifiers: KeyModifiers::NONE,
    };
    app::handle_mouse(click, area, &mut model, &mut ui);
    assert_eq!(ui.selected[interrupts], skip + 1);
}

#[test]
fn replay_names_users_from_the_table_recorded_with_the_sample() {
    use rstat_data_format::{Sample, Table, TableKind};
    use rstat_viewer::model::Mode;
    let ui = Ui::new(Theme { color: false }, KeyMap::default());
    let mut users = Table::new(TableKind::USERS);
    let mut fill = users.refill();
    for (name, uid) in [("root", 0), ("alice", 1000)] {
        fill.row(name).values.push(uid);
    }
    fill.finish();
    let sample = Sample {
        tables: vec![users],
        ..Sample::default()
    };
    assert_eq!(ui.user(1000, Mode::Replay, Some(&sample)), "alice");
    assert_eq!(ui.user(0, Mode::Replay, Some(&sample)), "root");
    // A uid the recording host did not know, or a file without the table: the uid.
    assert_eq!(ui.user(4242, Mode::Replay, Some(&sample)), "4242");
    assert_eq!(
        ui.user(1000, Mode::Replay, Some(&Sample::default())),
        "1000"
    );
}
