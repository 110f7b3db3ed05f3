//! The terminal side: raw mode and the alternate screen (restored on every way out: quit,
//! error, panic, SIGTERM/SIGHUP/SIGINT), and the event loop that turns keys, mouse events,
//! resizes and timer ticks into model and UI changes, redrawing only when something changed
//! (ratatui then writes only the cells that differ).

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::layout::{Position, Rect};
use ratatui::Terminal;

use crate::input::{self, TerminalInput, Wake};
use crate::keys::Action;
use crate::model::{Mode, Model, ONE_HOUR, TEN_MINUTES};
use crate::view::{self, Ui, CGROUPS, PROCESSES};

/// Set by the signal handler; checked by the event loop.
static STOP: AtomicBool = AtomicBool::new(false);
/// The longest the loop sleeps before looking at [`STOP`] and the follow timer again.
const POLL: Duration = Duration::from_millis(250);
/// The most events applied between two frames (a flood of mouse motion still gets drawn).
const EVENTS_PER_FRAME: usize = 256;
/// Time a frame may spend deriving chart points that are not cached yet (replay jumps).
pub const FRAME_BUDGET: Duration = Duration::from_millis(8);

extern "C" fn on_signal(signal: nix::libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
    // crossterm's reader loops forever, without returning to look at STOP, on a terminal
    // that hung up; the hang-up's SIGHUP can come while it does. A terminal that is gone has
    // nothing to restore: leave at once.
    if input::terminal_hung_up() {
        // SAFETY: _exit is async-signal-safe.
        unsafe { nix::libc::_exit(128 + signal) };
    }
}

fn install_signal_handlers() {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGINT,
        Signal::SIGQUIT,
    ] {
        // SAFETY: the handler stores to an atomic and calls poll and _exit, all of them
        // async-signal-safe.
        let _ = unsafe { sigaction(signal, &action) };
    }
}

/// Leaves raw mode and the alternate screen; safe to call more than once.
fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen);
    let _ = execute!(io::stdout(), ratatui::crossterm::cursor::Show);
}

/// Restores the terminal when dropped (normal return, error, or unwinding panic).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Runs the viewer until the user quits or a signal asks to stop.
pub fn run(mut model: Model, mut ui: Ui) -> crate::error::Result<()> {
    install_signal_handlers();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        default_hook(info);
    }));
    let setup = |source| crate::Error::Terminal {
        setup: true,
        source,
    };
    enable_raw_mode().map_err(setup)?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture).map_err(setup)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout())).map_err(setup)?;
    event_loop(&mut terminal, &mut model, &mut ui).map_err(|source| crate::Error::Terminal {
        setup: false,
        source,
    })
}

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    model: &mut Model,
    ui: &mut Ui,
) -> io::Result<()> {
    let period = match &model.data {
        crate::model::Data::Live(live) => live.interval,
        crate::model::Data::Replay(_) => Duration::from_secs(1),
    };
    if model.mode() != Mode::Replay {
        model.tick(now_us());
    }
    let mut next_tick = Instant::now() + period;
    let mut dirty = true;
    let mut drawn_size = terminal.size()?;
    // Sets up crossterm's reader now (it installs a SIGWINCH handler), then takes the signal
    // over: see the input module.
    event::poll(Duration::ZERO)?;
    input::take_resize_signal()?;
    let mut input = TerminalInput::open()?;
    // crossterm holds events it has read but not returned (a burst over EVENTS_PER_FRAME).
    let mut events_held = false;
    loop {
        if STOP.load(Ordering::SeqCst) {
            return Ok(());
        }
        dirty |= input::resized();
        if dirty {
            drawn_size = terminal.size()?;
            let width = drawn_size.width as usize;
            let snap = model.snapshot_within(width, Some(FRAME_BUDGET));
            terminal.draw(|frame| {
                view::draw(frame, &snap, ui);
                drop_control_characters(frame.buffer_mut());
            })?;
            // An incomplete chart is filled in by the next frames, between key presses.
            dirty = !snap.complete;
        }
        let now = Instant::now();
        if now >= next_tick {
            dirty |= model.tick(now_us());
            // Stay on the schedule; after a stall, start again from now.
            next_tick += period;
            if next_tick <= now {
                next_tick = now + period;
            }
            continue;
        }
        if !events_held {
            let wait = if dirty {
                Duration::ZERO
            } else {
                (next_tick - now).min(POLL)
            };
            match input.wait(wait)? {
                Wake::Gone => return Ok(()),
                Wake::Interrupted => continue,
                Wake::Idle => {
                    // A resize whose signal came between the flag's check and the poll.
                    dirty |= terminal.size()? != drawn_size;
                    continue;
                }
                Wake::Ready => {}
            }
        }
        // Every event crossterm has now, then one frame: a paste or a burst of mouse motion
        // costs one redraw, not one each.
        let mut read = 0;
        let mut looked_again = false;
        while read < EVENTS_PER_FRAME {
            if !event::poll(Duration::ZERO)? {
                if read == 0 && !looked_again && input.nothing_read()? {
                    looked_again = true;
                    continue;
                }
                break;
            }
            read += 1;
            match event::read()? {
                Event::Key(key)
                    if key.kind != KeyEventKind::Release && handle_key(key, model, ui) =>
                {
                    return Ok(());
                }
                Event::Mouse(mouse) => {
                    let size = terminal.size()?;
                    handle_mouse(mouse, Rect::new(0, 0, size.width, size.height), model, ui);
                }
                _ => {}
            }
        }
        events_held = read == EVENTS_PER_FRAME;
        if read > 0 {
            input.something_read();
            dirty = true;
        }
    }
}

/// Applies a key; returns true to quit.
pub fn handle_key(key: KeyEvent, model: &mut Model, ui: &mut Ui) -> bool {
    ui.message = None;
    // Ctrl-C quits whatever the key file and the prompt say.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return true;
    }
    if ui.filter_prompt.is_some() {
        filter_key(key, ui);
        return false;
    }
    if let Some(prompt) = ui.prompt.as_mut() {
        match key.code {
            KeyCode::Enter => {
                let text = prompt.clone();
                ui.prompt = None;
                if let Err(error) = model.go_to_clock(&text) {
                    ui.message = Some(error.to_string());
                }
            }
            KeyCode::Esc => ui.prompt = None,
            KeyCode::Backspace => {
                prompt.pop();
            }
            KeyCode::Char(c) if (c.is_ascii_digit() || c == ':') && prompt.len() < 8 => {
                prompt.push(c);
            }
            _ => {}
        }
        return false;
    }
    if key.code == KeyCode::Esc {
        if ui.help {
            ui.help = false;
        } else {
            back(ui);
        }
        return false;
    }
    let Some(action) = ui.keys.action(&key) else {
        return false;
    };
    let screens = view::shown_screens(model.gpu_recorded());
    let mut snap_rows = |ui: &Ui| {
        let screen = &screens[ui.screen.min(screens.len() - 1)];
        let snap = model.snapshot(1);
        (screen.rows)(&snap, ui)
    };
    match action {
        Action::Quit => return true,
        Action::Help => ui.help = !ui.help,
        Action::NextScreen => ui.screen = (ui.screen + 1) % screens.len(),
        Action::PrevScreen => ui.screen = (ui.screen + screens.len() - 1) % screens.len(),
        Action::Screen(n) => {
            if (1..=screens.len()).contains(&(n as usize)) {
                ui.screen = n as usize - 1;
            }
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            let by = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                _ => 10,
            };
            let rows = snap_rows(ui);
            ui.move_selection(by, rows);
        }
        Action::Pause => {
            model.toggle_pause();
            if model.mode() == Mode::Replay {
                ui.message = Some("replaying a file: there is no live mode to pause".into());
            }
        }
        Action::StepBack => model.step(-1),
        Action::StepForward => model.step(1),
        Action::Back10m => model.jump(-TEN_MINUTES),
        Action::Forward10m => model.jump(TEN_MINUTES),
        Action::Back1h => model.jump(-ONE_HOUR),
        Action::Forward1h => model.jump(ONE_HOUR),
        Action::GoTo => ui.prompt = Some(String::new()),
        Action::End => model.end(),
        Action::SortNext | Action::SortReverse | Action::Filter | Action::Tree
            if ui.screen != PROCESSES =>
        {
            ui.message = Some(format!(
                "{}: a key of the Processes screen ({} goes there)",
                ui.keys.first_key(action),
                ui.keys.first_key(Action::Screen(PROCESSES as u8 + 1))
            ));
        }
        Action::SortNext => ui.processes.sort = ui.processes.sort.next(),
        Action::SortReverse => ui.processes.reverse = !ui.processes.reverse,
        Action::Tree => ui.processes.tree = !ui.processes.tree,
        Action::Filter => ui.filter_prompt = Some(ui.filter_text.clone()),
        Action::DrillDown => {
            if ui.screen == CGROUPS {
                let snap = model.snapshot(1);
                if let Some(path) = view::cgroup_at(&snap, ui.selected()) {
                    ui.processes.cgroup = Some(path);
                    ui.screen = PROCESSES;
                    ui.selected[PROCESSES] = 0;
                }
            }
        }
        Action::Back => back(ui),
    }
    false
}

/// Esc or Backspace outside a prompt: from a cgroup's processes back to the Cgroups screen;
/// on the Processes screen otherwise, drops the filter.
fn back(ui: &mut Ui) {
    if ui.screen != PROCESSES {
        return;
    }
    if ui.processes.cgroup.take().is_some() {
        ui.screen = CGROUPS;
    } else {
        ui.processes.filter = None;
        ui.filter_text.clear();
    }
}

/// A key typed in the `/` prompt: Enter applies the regex, Esc clears the filter.
fn filter_key(key: KeyEvent, ui: &mut Ui) {
    let Some(text) = ui.filter_prompt.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Enter => {
            let text = std::mem::take(text);
            ui.filter_prompt = None;
            if text.is_empty() {
                ui.processes.filter = None;
                ui.filter_text.clear();
                return;
            }
            match crate::processes::filter_regex(&text) {
                Ok(re) => {
                    ui.processes.filter = Some(re);
                    ui.filter_text = text;
                    ui.selected[PROCESSES] = 0;
                }
                Err(e) => {
                    let why = e.to_string();
                    let last = why.lines().last().unwrap_or("").trim().to_string();
                    ui.message = Some(format!("filter `{text}`: not a regex: {last}"));
                }
            }
        }
        KeyCode::Esc => {
            ui.filter_prompt = None;
            ui.processes.filter = None;
            ui.filter_text.clear();
        }
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c) if text.chars().count() < 200 => text.push(c),
        _ => {}
    }
}

/// Click: select a tab or a row; wheel: move the selection.
pub fn handle_mouse(mouse: MouseEvent, area: Rect, model: &mut Model, ui: &mut Ui) {
    let areas = view::areas(area, model.mode() == Mode::Replay);
    let screens = view::shown_screens(model.gpu_recorded());
    let screen = &screens[ui.screen.min(screens.len() - 1)];
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let at = Position::new(mouse.column, mouse.row);
            if areas.tabs.contains(at) {
                if let Some(i) = view::tab_ranges(areas.tabs, screens)
                    .iter()
                    .position(|&(a, b)| (a..b).contains(&mouse.column))
                {
                    ui.screen = i;
                }
            } else if areas.body.contains(at) {
                if let Some(top) = (screen.rows_top)(areas.body) {
                    if mouse.row >= top {
                        let rows = (screen.rows)(&model.snapshot(1), ui);
                        let row = ui.table_skip.get() + (mouse.row - top) as usize;
                        if row < rows {
                            if let Some(selected) = ui.selected.get_mut(ui.screen) {
                                *selected = row;
                            }
                        }
                    }
                }
            }
        }
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let by = if mouse.kind == MouseEventKind::ScrollUp {
                -1
            } else {
                1
            };
            let rows = (screen.rows)(&model.snapshot(1), ui);
            ui.move_selection(by, rows);
        }
        _ => {}
    }
}

/// Removes control characters from every cell before the frame reaches the terminal: host
/// names, comments and command lines come from files and /proc, and ratatui passes a
/// zero-width ESC through to the terminal as part of the previous cell.
fn drop_control_characters(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.symbol().contains(char::is_control) {
            let clean: String = cell.symbol().chars().filter(|c| !c.is_control()).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::text::Span;
    use ratatui::widgets::Widget;

    #[test]
    fn no_control_character_reaches_the_terminal() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        Span::raw("db\x1b]0;pwned\x07\x1b[2J").render(buffer.area, &mut buffer);
        assert!(buffer.content.iter().any(|c| c.symbol().contains('\x1b')));
        super::drop_control_characters(&mut buffer);
        let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert!(!text.contains(char::is_control), "{text:?}");
        assert!(text.starts_with("db ]0;pwned  [2J"), "{text:?}");
    }
}
