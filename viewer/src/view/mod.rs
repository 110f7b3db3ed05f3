//! Views: the frame around every screen (header, tabs, timeline, status line, help overlay,
//! "terminal too small") and the list of screens. Views only read a [`Snapshot`] and the UI
//! state; every figure comes from data-format's derivation.
//!
//! A screen is a module with a [`Screen`] value; adding a tab is a new module and one line
//! in [`SCREENS`].

mod cgroups;
mod charts;
mod disks;
mod format;
mod gpu;
mod gpu_columns;
mod help;
mod listing;
mod network;
mod overview;
mod processes;
mod timeline;

use std::cell::RefCell;
use std::collections::HashMap;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Row};
use ratatui::Frame;

use rstat_data_format::{Sample, TableKind};

use crate::keys::{Action, KeyMap};
use crate::model::{local, Mode, Snapshot};
use crate::processes::ProcessQuery;

pub use format::{human_kb, rate_kb};
pub use timeline::{cells as timeline_cells, Cell};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height the screens are laid out for.
pub const MIN_HEIGHT: u16 = 24;

/// One screen (tab).
pub struct Screen {
    /// The tab's title.
    pub title: &'static str,
    /// The tab's title when the full titles do not fit the width.
    pub short: &'static str,
    /// Draws the screen's body.
    pub draw: fn(&mut Frame, Rect, &Snapshot, &Ui),
    /// How many selectable rows the screen has (0: none); the process table depends on the
    /// filter and cgroup chosen in the [`Ui`].
    pub rows: fn(&Snapshot, &Ui) -> usize,
    /// Where the selectable rows start inside the body (for mouse clicks): (first row's y
    /// offset from the body's top, or `None` when the screen has no row list).
    pub rows_top: fn(Rect) -> Option<u16>,
}

/// The screens, in tab order (number keys 1..).
pub const SCREENS: &[Screen] = &[
    overview::SCREEN,
    disks::SCREEN,
    network::SCREEN,
    processes::SCREEN,
    cgroups::SCREEN,
    listing::INTERRUPTS,
    listing::SOCKETS,
    listing::FILESYSTEMS,
    listing::POWER,
    gpu::SCREEN,
];

/// The screens listed in the tabs: the GPU screen (the last) only once the data has GPU
/// tables (`gpu`, see [`crate::Model::gpu_recorded`]), so that a host without a GPU keeps
/// the tabs it always had.
pub fn shown_screens(gpu: bool) -> &'static [Screen] {
    if gpu {
        SCREENS
    } else {
        &SCREENS[..SCREENS.len() - 1]
    }
}

/// The digit key of screen `index` (0 for the tenth).
fn screen_digit(index: usize) -> usize {
    (index + 1) % 10
}

/// The index in [`SCREENS`] of the Processes screen (the cgroup drill-down goes there).
pub const PROCESSES: usize = 3;
/// The index in [`SCREENS`] of the Cgroups screen (Esc from a drill-down goes back there).
pub const CGROUPS: usize = 4;

/// The cgroup path of row `row` of the Cgroups screen at this snapshot.
pub fn cgroup_at(snap: &Snapshot, row: usize) -> Option<String> {
    cgroups::path_at(snap, row)
}

/// Colours, or none when NO_COLOR is set.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    /// Whether to use colours.
    pub color: bool,
}

impl Theme {
    /// Colours unless NO_COLOR is set.
    pub fn from_env() -> Theme {
        Theme {
            color: !matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty()),
        }
    }

    /// A foreground colour (none without colours).
    pub fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    /// The style of titles.
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The style of the selected row.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// What the user changed: screen, selection, overlays, the time prompt.
#[derive(Clone, Debug)]
pub struct Ui {
    /// The screen shown (an index into the screens).
    pub screen: usize,
    /// Selected row of each screen.
    pub selected: Vec<usize>,
    /// Whether the help overlay is shown.
    pub help: bool,
    /// `Some(text)` while typing a time after `g`.
    pub prompt: Option<String>,
    /// `Some(text)` while typing the process filter after `/`.
    pub filter_prompt: Option<String>,
    /// The filter applied to the process table, as typed (empty: none).
    pub filter_text: String,
    /// Sort, filter, tree view and cgroup of the process table.
    pub processes: ProcessQuery,
    /// Show user names (from this host's user database) rather than uids in live mode; a
    /// replayed file may come from another host, whose users this one does not know.
    pub user_names: bool,
    /// uid -> name, looked up once.
    names: RefCell<HashMap<u64, Option<String>>>,
    /// A message shown in the status line until the next key.
    pub message: Option<String>,
    /// Colours.
    pub theme: Theme,
    /// The key bindings.
    pub keys: KeyMap,
    /// How many rows the last drawn table scrolled past, so that a click on its n-th visible
    /// row selects row `table_skip + n` (drawing sets it: `draw` only borrows the Ui).
    pub table_skip: std::cell::Cell<usize>,
}

impl Ui {
    /// The first screen, nothing selected, with `theme` and `keys`.
    pub fn new(theme: Theme, keys: KeyMap) -> Ui {
        Ui {
            screen: 0,
            selected: vec![0; SCREENS.len()],
            help: false,
            prompt: None,
            filter_prompt: None,
            filter_text: String::new(),
            processes: ProcessQuery::default(),
            user_names: true,
            names: RefCell::new(HashMap::new()),
            message: None,
            theme,
            keys,
            table_skip: std::cell::Cell::new(0),
        }
    }

    /// The selected row of the screen shown.
    pub fn selected(&self) -> usize {
        self.selected.get(self.screen).copied().unwrap_or(0)
    }

    /// The user column of a process: its name when known (in replay from the user table the
    /// collector recorded with the sample, `recorded`, since the file may come from another
    /// host; live from this host's), else the uid.
    pub fn user(&self, uid: u64, mode: Mode, recorded: Option<&Sample>) -> String {
        if !self.user_names {
            return uid.to_string();
        }
        if mode == Mode::Replay {
            return recorded
                .and_then(|sample| sample.table(TableKind::USERS))
                .and_then(|users| users.rows.iter().find(|r| r.value(0) == Some(uid)))
                .map_or_else(|| uid.to_string(), |row| row.key.clone());
        }
        let mut names = self.names.borrow_mut();
        let name = names.entry(uid).or_insert_with(|| {
            let id = nix::unistd::Uid::from_raw(u32::try_from(uid).ok()?);
            nix::unistd::User::from_uid(id)
                .ok()
                .flatten()
                .map(|u| u.name)
        });
        name.clone().unwrap_or_else(|| uid.to_string())
    }

    /// Moves the selection of the current screen by `by` rows, within `rows`.
    pub fn move_selection(&mut self, by: i64, rows: usize) {
        let max = rows.saturating_sub(1) as i64;
        if let Some(selected) = self.selected.get_mut(self.screen) {
            *selected = (*selected as i64 + by).clamp(0, max) as usize;
        }
    }
}

/// The areas of a frame, shared by drawing and mouse hit-testing.
pub struct Areas {
    /// The header line.
    pub header: Rect,
    /// The tabs line.
    pub tabs: Rect,
    /// The screen's body.
    pub body: Rect,
    /// The replay timeline (replay only).
    pub timeline: Option<Rect>,
    /// The status line.
    pub status: Rect,
}

/// The areas of a frame of `area` (with a timeline in replay).
pub fn areas(area: Rect, replay: bool) -> Areas {
    let timeline = if replay { 1 } else { 0 };
    let [header, tabs, body, line, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(timeline),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        tabs,
        body,
        timeline: replay.then_some(line),
        status,
    }
}

/// The tab titles of `screens`: ` 1 Overview ` when they all fit the width, else
/// `1 Ovw`-style short ones.
fn tab_labels(width: u16, screens: &[Screen]) -> Vec<String> {
    let full: Vec<String> = screens
        .iter()
        .enumerate()
        .map(|(i, screen)| format!(" {} {} ", screen_digit(i), screen.title))
        .collect();
    let needed: usize = full.iter().map(|t| t.chars().count() + 1).sum::<usize>() + 1;
    if needed <= width as usize {
        return full;
    }
    screens
        .iter()
        .enumerate()
        .map(|(i, screen)| format!("{} {}", screen_digit(i), screen.short))
        .collect()
}

/// The x ranges of the tab titles of `screens` in the tabs row, for clicks.
pub fn tab_ranges(tabs: Rect, screens: &[Screen]) -> Vec<(u16, u16)> {
    let mut x = tabs.x + 1;
    tab_labels(tabs.width, screens)
        .iter()
        .map(|label| {
            let width = label.chars().count() as u16;
            let range = (x, x + width);
            x += width + 1;
            range
        })
        .collect()
}

/// Draws one frame.
/// The rows a table shows so that its `selected` row stays in view in `table_height` lines
/// (borders and header included), that row highlighted. Records how far the table scrolled
/// ([`Ui::table_skip`]) so that a mouse click picks the row under the pointer.
pub(crate) fn scrolled<'r, T>(
    ui: &Ui,
    items: &[T],
    selected: usize,
    table_height: u16,
    row: impl Fn(&T) -> Row<'r>,
) -> Vec<Row<'r>> {
    let visible = table_height.saturating_sub(3) as usize;
    let skip = (selected + 1).saturating_sub(visible);
    ui.table_skip.set(skip);
    items
        .iter()
        .enumerate()
        .skip(skip)
        .take(visible)
        .map(|(i, item)| {
            if i == selected {
                row(item).style(ui.theme.selected())
            } else {
                row(item)
            }
        })
        .collect()
}

/// Draws one frame of `snap` as `ui` says.
pub fn draw(frame: &mut Frame, snap: &Snapshot, ui: &Ui) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{})",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let areas = areas(area, snap.mode == Mode::Replay);
    draw_header(frame, areas.header, snap, ui);
    let screens = shown_screens(snap.gpu);
    draw_tabs(frame, areas.tabs, ui, screens);
    if let Some(screen) = screens.get(ui.screen) {
        (screen.draw)(frame, areas.body, snap, ui);
    }
    if let Some(line) = areas.timeline {
        timeline::draw(frame, line, snap, ui);
    }
    draw_status(frame, areas.status, snap, ui);
    if ui.help {
        help::draw(frame, areas.body, ui, screens);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let time = if snap.time_us == 0 {
        "waiting for the first sample".to_string()
    } else {
        local(snap.time_us)
            .format("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
    };
    let interval = snap
        .interval
        .map(|d| format!("interval {}", format::duration(d)))
        .unwrap_or_else(|| "no interval".into());
    let state_style = match snap.mode {
        Mode::Live => theme.fg(Color::Green),
        Mode::Paused => theme.fg(Color::Yellow),
        Mode::Replay => theme.fg(Color::Magenta),
    }
    .add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut state = format!(" {} ", snap.mode.label());
    if snap.mode == Mode::Replay && snap.following {
        state = " REPLAY (end) ".to_string();
    }
    let position = format!(" {}/{}", snap.position.0 + 1, snap.position.1);
    let line = Line::from(vec![
        Span::styled("rstat top ", theme.title()),
        Span::styled(
            snap.host.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw("  "),
        Span::raw(time),
        Span::raw("  "),
        Span::raw(interval),
        Span::raw(position),
        Span::raw("  "),
        Span::styled(state, state_style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_tabs(frame: &mut Frame, area: Rect, ui: &Ui, screens: &[Screen]) {
    let mut spans = vec![Span::raw(" ")];
    for (i, text) in tab_labels(area.width, screens).into_iter().enumerate() {
        let style = if i == ui.screen {
            ui.theme.selected().add_modifier(Modifier::BOLD)
        } else {
            ui.theme.fg(Color::Gray)
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw("│"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let line = if let Some(text) = &ui.filter_prompt {
        Line::from(vec![
            Span::styled("filter processes (regex): ", theme.title()),
            Span::raw(format!("{text}_")),
            Span::raw("   Enter apply, Esc clear"),
        ])
    } else if let Some(prompt) = &ui.prompt {
        Line::from(vec![
            Span::styled("go to time (HH:MM[:SS]): ", theme.title()),
            Span::raw(format!("{prompt}_")),
            Span::raw("   Enter go, Esc cancel"),
        ])
    } else if let Some(message) = &ui.message {
        Line::from(Span::styled(message.clone(), theme.fg(Color::Yellow)))
    } else {
        let k = |a| ui.keys.first_key(a);
        let mut parts = vec![
            (k(Action::Quit), "quit"),
            (k(Action::Help), "help"),
            (k(Action::NextScreen), "screen"),
        ];
        // The screen's own keys first: the line is cut at the terminal's width.
        if ui.screen == PROCESSES {
            if ui.processes.cgroup.is_some() {
                parts.push((format!("esc/{}", k(Action::Back)), "back"));
            }
            parts.extend([
                (k(Action::SortNext), "sort"),
                (k(Action::SortReverse), "reverse"),
                (k(Action::Filter), "filter"),
                (k(Action::Tree), "tree"),
            ]);
        } else if ui.screen == CGROUPS {
            parts.push((k(Action::DrillDown), "processes"));
        }
        if snap.mode != Mode::Replay {
            parts.push((k(Action::Pause), "pause"));
        }
        parts.extend([
            (
                format!("{}/{}", k(Action::StepBack), k(Action::StepForward)),
                "step",
            ),
            (
                format!("{} {}", k(Action::Back10m), k(Action::Forward10m)),
                "10m",
            ),
            (k(Action::GoTo), "goto"),
            (k(Action::End), "latest"),
        ]);
        let mut spans = Vec::new();
        for (key, what) in parts {
            spans.push(Span::styled(key, theme.title()));
            spans.push(Span::raw(format!(" {what} ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
}
