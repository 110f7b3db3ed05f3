//! The disks screen: sar -d's table for every block device, and the read, write and
//! utilisation history of the selected one.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;
use rstat_data_format::derive_devices::DiskRates;

use super::{charts, Screen, Ui};
use crate::columns;
use crate::model::{DiskPoint, Snapshot};
use rstat_data_format::columns::Unit;

pub const SCREEN: Screen = Screen {
    title: "Disks",
    short: "Disks",
    draw,
    rows: |snap, _| disks(snap).len(),
    rows_top: |body| Some(body.y + 2),
};

/// Devices with I/O since boot, in file order (as sar -d).
fn disks(snap: &Snapshot) -> Vec<DiskRates> {
    let mut disks = snap.interval().map(|i| i.disks()).unwrap_or_default();
    disks.retain(|d| d.used_since_boot);
    disks
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let disks = disks(snap);
    let table_height = (disks.len() as u16 + 3).min(area.height / 2).max(4);
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let theme = ui.theme;
    let block = Block::bordered().title(Span::styled(" Block devices ", theme.title()));
    if disks.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        frame.render_widget(Paragraph::new("no interval with disk figures here"), inner);
        return;
    }
    let selected = ui.selected().min(disks.len() - 1);
    let header = Row::new(columns::header("device", &columns::DISK)).style(theme.title());
    let rows = super::scrolled(ui, &disks, selected, table_height, |d| {
        Row::new(columns::cells(&d.device, &columns::DISK, d))
    });
    let widths = [
        Constraint::Length(16),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(6),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .flex(ratatui::layout::Flex::Start),
        table_area,
    );
    let name = &disks[selected].device;
    let series = |f: fn(&DiskPoint) -> f64| -> Vec<f64> {
        snap.history
            .iter()
            .map(|p| {
                p.disks
                    .iter()
                    .find(|d| *d.0 == **name)
                    .map(f)
                    .unwrap_or(0.0)
            })
            .collect()
    };
    charts::draw_rates(
        frame,
        chart_area,
        ui.theme,
        &[
            (
                format!("{name} read"),
                series(|d| d.1),
                Color::Cyan,
                Unit::KilobytesPerSecond,
            ),
            (
                format!("{name} write"),
                series(|d| d.2),
                Color::Magenta,
                Unit::KilobytesPerSecond,
            ),
            (
                format!("{name} %util"),
                series(|d| d.3),
                Color::Yellow,
                Unit::Percent,
            ),
        ],
    );
}
