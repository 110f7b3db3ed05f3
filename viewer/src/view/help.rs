//! The help overlay: every key (as remapped), the screens, and what the timeline shows.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::{Screen, Ui};
use crate::keys::{Action, ACTIONS};

/// Draws the help over `body`, listing `screens` (those in the tabs).
pub fn draw(frame: &mut Frame, body: Rect, ui: &Ui, screens: &[Screen]) {
    let theme = ui.theme;
    // Two columns of keys, so that the help fits in 80x24; the screen keys go on the
    // "screens" lines instead.
    let actions: Vec<_> = ACTIONS
        .iter()
        .filter(|(action, ..)| !matches!(action, Action::Screen(_)))
        .collect();
    let half = actions.len().div_ceil(2);
    let cell = |i: usize| -> Vec<Span<'static>> {
        match actions.get(i) {
            Some((action, _, _, what)) => vec![
                Span::styled(format!("{:>13} ", ui.keys.keys_of(*action)), theme.title()),
                Span::raw(format!("{what:<24}")),
            ],
            None => Vec::new(),
        }
    };
    let mut lines: Vec<Line> = (0..half)
        .map(|row| {
            let mut spans = cell(row);
            spans.extend(cell(row + half));
            Line::from(spans)
        })
        .collect();
    lines.push(Line::default());
    let screens: Vec<String> = screens
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let key = ui.keys.keys_of(Action::Screen(i as u8 + 1));
            format!("{key} {}", s.title)
        })
        .collect();
    let (first, second) = screens.split_at(screens.len().min(5));
    lines.push(Line::from(format!(
        "{:>13} {}",
        "mouse", "click a tab or row, wheel moves the selection"
    )));
    lines.push(Line::from(format!(
        "{:>13} {},",
        "screens",
        first.join(", ")
    )));
    lines.push(Line::from(format!("{:>13} {}", "", second.join(", "))));
    lines.push(Line::from(format!(
        "{:>13} {}",
        "timeline", "━ samples ╌ missing some · none R restart X damaged"
    )));
    let height = (lines.len() as u16 + 2).min(body.height);
    let width = 78.min(body.width);
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + (body.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let block = Block::bordered().title(Span::styled(" Keys (? closes) ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
