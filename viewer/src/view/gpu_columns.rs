//! The Processes screen's GPU columns (GPU memory, GPU engine %) and the detail pane's GPU
//! line, present only when the interval recorded processes on a GPU: a host without one
//! keeps the table it always had. The columns go before the command, which takes the rest
//! of the width.

use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};
use rstat_data_format::TableKind;

use super::format::human_kb;
use super::Theme;
use crate::model::Snapshot;
use crate::processes::ProcessRow;

/// Whether the sample shown recorded GPU use per process.
pub fn shown(snap: &Snapshot) -> bool {
    snap.cur
        .as_deref()
        .is_some_and(|s| s.table(TableKind::GPU_PROCESSES).is_some())
}

/// Puts `items` before the last element of `row` (the command).
fn before_command<T>(row: &mut Vec<T>, items: [T; 2]) {
    let at = row.len().saturating_sub(1);
    row.splice(at..at, items);
}

/// Adds the columns' titles.
pub fn titles(shown: bool, titles: &mut Vec<String>) {
    if shown {
        before_command(titles, ["GPUMEM".to_string(), "GPU%".to_string()]);
    }
}

/// Adds the columns' widths.
pub fn widths(shown: bool, widths: &mut Vec<Constraint>) {
    if shown {
        before_command(widths, [Constraint::Length(6), Constraint::Length(5)]);
    }
}

/// `mb` MiB as the table writes sizes, `-` when not reported.
fn memory(mb: Option<f64>) -> String {
    mb.map_or_else(|| "-".into(), |mb| human_kb(mb * 1024.0))
}

/// `pct` with one decimal, `-` when not reported.
fn percent(pct: Option<f64>) -> String {
    pct.map_or_else(|| "-".into(), |pct| format!("{pct:.1}"))
}

/// Adds the process's cells (`-` for a process on no GPU or a figure not reported).
pub fn cells(shown: bool, p: &ProcessRow, cells: &mut Vec<String>) {
    if shown {
        let gpu = p.gpu.unwrap_or_default();
        before_command(cells, [memory(gpu.memory_mb), percent(gpu.engine_pct)]);
    }
}

/// Adds a line of the process's GPU use to the detail pane, when it has some.
pub fn detail(p: &ProcessRow, theme: Theme, lines: &mut Vec<Line<'static>>) {
    let Some(gpu) = p.gpu else {
        return;
    };
    let label = |text: &'static str| Span::styled(text, theme.title());
    lines.push(Line::from(vec![
        label("GPU mem "),
        Span::raw(format!("{} ", memory(gpu.memory_mb))),
        label("GPU engines "),
        Span::raw(match gpu.engine_pct {
            Some(pct) => format!("{pct:.1}%"),
            None => "-".into(),
        }),
    ]));
}
