//! The item screens that are a table plus the history of the selected row: Interrupts,
//! Sockets (sockets in use and protocol rates), Filesystems and Power. Their rows come from
//! [`crate::items`]; this module only lays them out.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;

use super::{charts, Screen, Ui};
use crate::items::{Item, Listing};
use crate::model::Snapshot;

pub const INTERRUPTS: Screen = Screen {
    title: Listing::Interrupts.title(),
    short: "IRQ",
    draw: |frame, area, snap, ui| draw(frame, area, snap, ui, Listing::Interrupts),
    rows: |snap, _| items(snap, Listing::Interrupts).len(),
    rows_top: |body| Some(body.y + 2),
};

pub const SOCKETS: Screen = Screen {
    title: Listing::Sockets.title(),
    short: "Socks",
    draw: |frame, area, snap, ui| draw(frame, area, snap, ui, Listing::Sockets),
    rows: |snap, _| items(snap, Listing::Sockets).len(),
    rows_top: |body| Some(body.y + 2),
};

pub const FILESYSTEMS: Screen = Screen {
    title: Listing::Filesystems.title(),
    short: "FS",
    draw: |frame, area, snap, ui| draw(frame, area, snap, ui, Listing::Filesystems),
    rows: |snap, _| items(snap, Listing::Filesystems).len(),
    rows_top: |body| Some(body.y + 2),
};

pub const POWER: Screen = Screen {
    title: Listing::Power.title(),
    short: "Power",
    draw: |frame, area, snap, ui| draw(frame, area, snap, ui, Listing::Power),
    rows: |snap, _| items(snap, Listing::Power).len(),
    rows_top: |body| Some(body.y + 2),
};

fn items(snap: &Snapshot, listing: Listing) -> Vec<Item> {
    snap.cur
        .as_deref()
        .map(|cur| listing.items(cur, snap.prev.as_deref()))
        .unwrap_or_default()
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui, listing: Listing) {
    let theme = ui.theme;
    let items = items(snap, listing);
    let table_height = (items.len() as u16 + 3).min(area.height / 2).max(4);
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let index = Listing::ALL.iter().position(|&l| l == listing).unwrap_or(0);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", listing.title()),
        theme.title(),
    ));
    if items.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        frame.render_widget(Paragraph::new(listing.empty_text()), inner);
        return;
    }
    let selected = ui.selected().min(items.len() - 1);
    let columns = listing.columns();
    let header = Row::new(columns.iter().map(|(name, _)| *name)).style(theme.title());
    let rows = super::scrolled(ui, &items, selected, table_height, |item| {
        Row::new(item.cells.clone())
    });
    let widths = columns.iter().map(|&(_, w)| Constraint::Length(w));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .flex(ratatui::layout::Flex::Start),
        table_area,
    );
    let item = &items[selected];
    let values: Vec<f64> = snap
        .history
        .iter()
        .map(|point| {
            point.listings[index]
                .iter()
                .find(|(key, _)| **key == *item.key)
                .map_or(0.0, |&(_, value)| value)
        })
        .collect();
    charts::draw_rates(
        frame,
        chart_area,
        theme,
        &[(item.key.clone(), values, Color::Cyan, item.unit)],
    );
}
