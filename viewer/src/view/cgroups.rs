//! The Cgroups screen: the cgroup v2 tree with CPU, memory, I/O and pressure figures per
//! group, and the CPU and memory history of the selected group. Enter lists the group's
//! processes on the Processes screen (see `app::handle_key`).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;

use super::format::{human_kb, rate_kb};
use super::{charts, Screen, Ui};
use crate::model::{CgroupPoint, Snapshot};
use crate::processes::cgroup_rows;
use rstat_data_format::columns::Unit;

pub const SCREEN: Screen = Screen {
    title: "Cgroups",
    short: "Cgroups",
    draw,
    rows: |snap, _| snap.interval().map_or(0, |i| i.cgroups().len()),
    rows_top: |body| Some(body.y + 2),
};

/// The path of the group on row `row`.
pub fn path_at(snap: &Snapshot, row: usize) -> Option<String> {
    let interval = snap.interval()?;
    let rows = cgroup_rows(&interval);
    rows.get(row).map(|r| r.rates.path.to_string())
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let interval = snap.interval();
    let groups = interval.as_ref().map(cgroup_rows).unwrap_or_default();
    let table_height = (groups.len() as u16 + 3).min(area.height * 3 / 5).max(4);
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let block = Block::bordered().title(Span::styled(" Cgroups ", theme.title()));
    if groups.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        frame.render_widget(
            Paragraph::new(
                "no cgroup v2 figures here (rstat collect records them unless --no-cgroups)",
            ),
            inner,
        );
        return;
    }
    let selected = ui.selected().min(groups.len() - 1);
    let header = Row::new([
        "group", "CPU%", "memory", "read/s", "write/s", "pids", "cpu psi", "mem psi", "io psi",
    ])
    .style(theme.title());
    let table_rows = super::scrolled(ui, &groups, selected, table_height, |g| {
        let r = &g.rates;
        Row::new([
            format!("{}{}", "  ".repeat(g.depth), g.name),
            format!("{:.1}", r.cpu_pct),
            human_kb(r.memory_kb as f64),
            rate_kb(r.io.rkb_per_s),
            rate_kb(r.io.wkb_per_s),
            r.pids.to_string(),
            format!("{:.1}", r.cpu_pressure.some_pct),
            format!("{:.1}", r.memory_pressure.some_pct),
            format!("{:.1}", r.io_pressure.some_pct),
        ])
    });
    let widths = [
        Constraint::Min(16),
        Constraint::Length(6),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(6),
    ];
    frame.render_widget(
        Table::new(table_rows, widths).header(header).block(block),
        table_area,
    );
    let path = groups[selected].rates.path;
    let series = |f: fn(&CgroupPoint) -> f64| -> Vec<f64> {
        snap.history
            .iter()
            .map(|p| {
                p.cgroups
                    .iter()
                    .find(|g| &*g.0 == path)
                    .map(f)
                    .unwrap_or(0.0)
            })
            .collect()
    };
    charts::draw_rates(
        frame,
        chart_area,
        theme,
        &[
            (
                format!("{path} CPU"),
                series(|g| g.1),
                Color::Green,
                Unit::Percent,
            ),
            (
                format!("{path} memory"),
                series(|g| g.2 as f64),
                Color::Cyan,
                Unit::Kilobytes,
            ),
        ],
    );
}
