//! The network screen: sar -n DEV and EDEV's figures for every interface, and the receive
//! and transmit history of the selected one.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;
use rstat_data_format::derive_devices::NetRates;

use super::{charts, Screen, Ui};
use crate::columns;
use crate::model::{NetPoint, Snapshot};
use rstat_data_format::columns::Unit;

pub const SCREEN: Screen = Screen {
    title: "Network",
    short: "Net",
    draw,
    rows: |snap, _| interfaces(snap).len(),
    rows_top: |body| Some(body.y + 2),
};

fn interfaces(snap: &Snapshot) -> Vec<NetRates> {
    snap.interval().map(|i| i.interfaces()).unwrap_or_default()
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let nets = interfaces(snap);
    let table_height = (nets.len() as u16 + 3).min(area.height / 2).max(4);
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let theme = ui.theme;
    let block = Block::bordered().title(Span::styled(" Interfaces ", theme.title()));
    if nets.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        frame.render_widget(
            Paragraph::new("no interval with network figures here"),
            inner,
        );
        return;
    }
    let selected = ui.selected().min(nets.len() - 1);
    let header = Row::new(columns::header("iface", &columns::NET_DEV)).style(theme.title());
    let rows = super::scrolled(ui, &nets, selected, table_height, |n| {
        Row::new(columns::cells(&n.iface, &columns::NET_DEV, n))
    });
    let widths = [
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(8),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .flex(ratatui::layout::Flex::Start),
        table_area,
    );
    let name = &nets[selected].iface;
    let series = |f: fn(&NetPoint) -> f64| -> Vec<f64> {
        snap.history
            .iter()
            .map(|p| p.nets.iter().find(|n| *n.0 == **name).map(f).unwrap_or(0.0))
            .collect()
    };
    charts::draw_rates(
        frame,
        chart_area,
        ui.theme,
        &[
            (
                format!("{name} receive"),
                series(|n| n.1),
                Color::Cyan,
                Unit::KilobytesPerSecond,
            ),
            (
                format!("{name} transmit"),
                series(|n| n.2),
                Color::Magenta,
                Unit::KilobytesPerSecond,
            ),
        ],
    );
}
