//! The replay timeline: one row across the local day shown, with where samples are, gaps
//! (no sample), restarts, damaged ranges, and the position shown.

use chrono::{Duration, TimeZone};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::Ui;
use crate::model::{local, Mark, Snapshot};

/// What one cell of the timeline covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// No data recorded (before the first sample, after the last, or a gap).
    Empty,
    /// Some samples, fewer than the interval implies (missing samples).
    Partial,
    /// As many samples as the interval implies.
    Full,
    /// A restart.
    Restart,
    /// Damaged bytes skipped.
    Damage,
}

/// The cells of a timeline `width` wide over the local day of `snap.time_us`, and the cell
/// of the position shown.
pub fn cells(snap: &Snapshot, width: usize) -> (Vec<Cell>, Option<usize>) {
    let mut cells = vec![Cell::Empty; width];
    if width == 0 || snap.time_us == 0 {
        return (cells, None);
    }
    let date = local(snap.time_us).date_naive();
    let start = chrono::Local
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.timestamp_micros())
        .unwrap_or(snap.time_us);
    let day_us = Duration::days(1)
        .num_microseconds()
        .unwrap_or(86_400_000_000);
    let cell_us = day_us as f64 / width as f64;
    let cell_of = |t: i64| -> Option<usize> {
        let offset = t - start;
        (0..day_us)
            .contains(&offset)
            .then(|| ((offset as f64 / cell_us) as usize).min(width - 1))
    };
    let mut counts = vec![0u32; width];
    for &t in &snap.times {
        if let Some(c) = cell_of(t) {
            counts[c] += 1;
        }
    }
    let interval_us = snap
        .interval
        .map(|d| d.as_micros() as f64)
        .unwrap_or(1e6)
        .max(1.0);
    let expected = cell_us / interval_us;
    for (cell, count) in cells.iter_mut().zip(&counts) {
        if *count > 0 {
            *cell = if (*count as f64) < expected * 0.9 {
                Cell::Partial
            } else {
                Cell::Full
            };
        }
    }
    // Inner cells of the recorded span with nothing, next to full ones: partial coverage at
    // the edges of a sample run is normal; leave them as they are.
    for &(t, mark) in &snap.marks {
        if let Some(c) = cell_of(t) {
            cells[c] = match mark {
                Mark::Damage => Cell::Damage,
                Mark::Restart if cells[c] != Cell::Damage => Cell::Restart,
                _ => cells[c],
            };
        }
    }
    (cells, cell_of(snap.time_us))
}

pub fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let label = "00h";
    let end_label = "24h";
    let width = (area.width as usize).saturating_sub(label.len() + end_label.len() + 2);
    let (cells, cursor) = cells(snap, width);
    let mut spans = vec![Span::raw(format!("{label} "))];
    for (i, cell) in cells.iter().enumerate() {
        let (text, style) = match cell {
            Cell::Empty => ("·", theme.fg(Color::DarkGray)),
            Cell::Partial => ("╌", theme.fg(Color::Yellow)),
            Cell::Full => ("━", theme.fg(Color::Green)),
            Cell::Restart => ("R", theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)),
            Cell::Damage => ("X", theme.fg(Color::Red).add_modifier(Modifier::BOLD)),
        };
        let style = if Some(i) == cursor {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        let text = if Some(i) == cursor && matches!(cell, Cell::Full | Cell::Partial | Cell::Empty)
        {
            "┃"
        } else {
            text
        };
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(format!(" {end_label}")));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
