//! The disks screen: sar -d's table for every block device, and the read, write and
//! utilisation history of the selected one.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;
use rstat_data_format::derive_devices::DiskRates;

use super::format::human_kb;
use super::{charts, Screen, Ui};
use crate::items::Unit;
use crate::model::{DiskPoint, Snapshot};

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
    let header = Row::new([
        "device",
        "tps",
        "read/s",
        "write/s",
        "discard/s",
        "areq-sz",
        "aqu-sz",
        "await",
        "%util",
    ])
    .style(theme.title());
    let rows = super::scrolled(ui, &disks, selected, table_height, |d| {
        Row::new([
            d.device.clone(),
            format!("{:.1}", d.tps),
            byte_rate(d.rkb_per_s),
            byte_rate(d.wkb_per_s),
            byte_rate(d.dkb_per_s),
            format!("{:.1}k", d.areq_sz),
            format!("{:.2}", d.aqu_sz),
            format!("{:.2}ms", d.await_ms),
            format!("{:.1}", d.util_pct),
        ])
    });
    let widths = [
        Constraint::Length(16),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(9),
        Constraint::Length(5),
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
                Unit::KbPerSec,
            ),
            (
                format!("{name} write"),
                series(|d| d.2),
                Color::Magenta,
                Unit::KbPerSec,
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

/// A device's transfer rate with its unit spelt out: `0B/s`, `410B/s`, `24kB/s`, `1.5GB/s`
/// (`0k/s` for an idle disk read as a unit without a quantity).
fn byte_rate(kb_per_s: f64) -> String {
    if kb_per_s < 1.0 {
        format!("{:.0}B/s", kb_per_s * 1024.0)
    } else {
        format!("{}B/s", human_kb(kb_per_s))
    }
}

#[cfg(test)]
mod tests {
    use super::byte_rate;

    #[test]
    fn rates_say_bytes() {
        assert_eq!(byte_rate(0.0), "0B/s");
        assert_eq!(byte_rate(0.4), "410B/s");
        assert_eq!(byte_rate(24.0), "24kB/s");
        assert_eq!(byte_rate(24_854.4), "24MB/s");
        assert_eq!(byte_rate(1.5 * 1024.0 * 1024.0), "1.5GB/s");
    }
}
