//! History charts shared by the item screens: one sparkline per series, stacked, each
//! titled with its latest value and its maximum over the window shown.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Sparkline};
use ratatui::Frame;

use super::Theme;
use rstat_data_format::columns::Unit;

/// (title, values oldest first, colour, unit).
pub type Series = (String, Vec<f64>, Color, Unit);

/// `value` written in `unit` for a chart's title: percentages with one decimal, other
/// figures whole when large or whole already, else with two (sizes scaled by the unit).
pub fn format_value(value: f64, unit: Unit) -> String {
    let decimals = match unit {
        Unit::Percent => 1,
        _ if value.abs() >= 100.0 || value.fract() == 0.0 => 0,
        _ => 2,
    };
    unit.compact(value, decimals)
}

pub fn draw_rates(frame: &mut Frame, area: Rect, theme: Theme, series: &[Series]) {
    if series.is_empty() || area.height < 3 {
        return;
    }
    let parts = Layout::vertical(vec![
        Constraint::Ratio(1, series.len() as u32);
        series.len()
    ])
    .split(area);
    for ((title, values, color, unit), part) in series.iter().zip(parts.iter()) {
        let width = part.width.saturating_sub(2) as usize;
        let shown = &values[values.len().saturating_sub(width)..];
        let max = shown.iter().copied().fold(0.0, f64::max);
        let last = shown.last().copied().unwrap_or(0.0);
        let fmt = |v: f64| format_value(v, *unit);
        let title = format!(" {title}: {} (max {}) ", fmt(last), fmt(max));
        // Sparklines take integers: figures are scaled so that their maximum is 1000, percents
        // so that 100% is (unless they go beyond, as a process on two CPUs does).
        let scale = match (*unit, max > 0.0) {
            (Unit::Percent, _) if max <= 100.0 => 10.0,
            (_, true) => 1000.0 / max,
            (_, false) => 0.0,
        };
        let data: Vec<u64> = shown.iter().map(|v| (v * scale).round() as u64).collect();
        let sparkline = Sparkline::default()
            .block(Block::bordered().title(Span::styled(title, theme.title())))
            .data(&data)
            .max(1000)
            .style(theme.fg(*color));
        frame.render_widget(sparkline, *part);
    }
}
