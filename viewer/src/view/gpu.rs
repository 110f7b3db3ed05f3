//! The GPU screen: a table of the GPUs (like `nvidia-smi dmon`: utilisation, memory,
//! temperature, power, clocks, PCIe, throttle reasons) and the history of the selected one
//! (utilisation, memory used, power, temperature, SM and memory clocks). Listed in the tabs
//! only once the data has GPU tables (see [`super::shown_screens`]). A figure the source
//! does not report is `-` in the table and has no chart.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Span;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use ratatui::Frame;
use rstat_data_format::derive_gpu::GpuRates;

use super::charts::{self, Series};
use super::format::human_kb;
use super::{Screen, Ui};
use crate::gpu::GpuPoint;
use crate::model::Snapshot;
use rstat_data_format::columns::Unit;

pub const SCREEN: Screen = Screen {
    title: "GPUs",
    short: "GPU",
    draw,
    rows: |snap, _| gpus(snap).len(),
    rows_top: |body| Some(body.y + 2),
};

/// The GPUs of the interval shown, in table order.
fn gpus(snap: &Snapshot) -> Vec<GpuRates> {
    snap.interval().map(|i| i.gpus()).unwrap_or_default()
}

/// The table's columns: title and width. The name and the figures come first: at 80
/// columns PCIe and the throttle reasons do not fit and are left out.
const COLUMNS: [(&str, u16); 14] = [
    ("device", 8),
    ("name", 14),
    ("GPU%", 4),
    ("MEM%", 4),
    ("used", 5),
    ("total", 5),
    ("°C", 3),
    ("W", 4),
    ("limit", 5),
    ("SM", 5),
    ("memclk", 6),
    ("rxMB/s", 7),
    ("txMB/s", 7),
    ("throttle", 20),
];

/// How many of [`COLUMNS`] fit in `width` cells (one cell between columns).
fn columns_that_fit(width: u16) -> usize {
    let mut used = 0;
    COLUMNS
        .iter()
        .take_while(|(_, w)| {
            used += w + 1;
            used <= width + 1
        })
        .count()
}

/// `value` with `decimals`, `-` when the source does not report it.
fn figure(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.decimals$}"))
}

/// A size in MiB as the screens write sizes.
fn mib(value: Option<f64>) -> String {
    value.map_or_else(|| "-".into(), |mb| human_kb(mb * 1024.0))
}

fn cells(g: &GpuRates) -> Vec<String> {
    let throttle = g.throttle_names();
    vec![
        g.device.clone(),
        g.name.clone(),
        figure(g.util_pct, 0),
        figure(g.memory_util_pct, 0),
        mib(g.memory_used_mb),
        mib(g.memory_total_mb),
        figure(g.temperature_c, 0),
        figure(g.power_w, 0),
        figure(g.power_limit_w, 0),
        figure(g.sm_clock_mhz, 0),
        figure(g.memory_clock_mhz, 0),
        figure(g.pcie_rx_mb_per_s, 1),
        figure(g.pcie_tx_mb_per_s, 1),
        if throttle.is_empty() {
            "-".into()
        } else {
            throttle
        },
    ]
}

/// What the screen says when there is no GPU to list.
fn empty_text(snap: &Snapshot) -> &'static str {
    if snap.interval().is_none() {
        "no interval here yet"
    } else {
        "no GPU recorded at this time (rstat collect records NVIDIA and amdgpu GPUs: --activities gpu)"
    }
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let gpus = gpus(snap);
    let table_height = (gpus.len() as u16 + 3).min(area.height / 2).max(4);
    let [table_area, chart_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let block = Block::bordered().title(Span::styled(" GPUs ", theme.title()));
    if gpus.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        frame.render_widget(Paragraph::new(empty_text(snap)), inner);
        return;
    }
    let selected = ui.selected().min(gpus.len() - 1);
    let shown = columns_that_fit(block.inner(table_area).width);
    let header = Row::new(COLUMNS[..shown].iter().map(|(title, _)| *title)).style(theme.title());
    let rows = super::scrolled(ui, &gpus, selected, table_height, |g| {
        let mut cells = cells(g);
        cells.truncate(shown);
        Row::new(cells)
    });
    let widths = COLUMNS[..shown]
        .iter()
        .map(|&(_, width)| Constraint::Length(width));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .flex(ratatui::layout::Flex::Start),
        table_area,
    );
    draw_charts(frame, chart_area, snap, ui, &gpus[selected].device);
}

/// A chart's figure of a GPU at one position.
type Figure = fn(&GpuPoint) -> Option<f64>;

/// The charts of GPU `device`: utilisation, memory and power on the left; temperature and
/// clocks on the right. A figure no position reports gets no chart.
fn draw_charts(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui, device: &str) {
    let series = |what: &str, figure: Figure, color: Color, unit: Unit| -> Option<Series> {
        let values: Vec<Option<f64>> = snap
            .history
            .iter()
            .map(|p| {
                p.gpus
                    .iter()
                    .find(|g| *g.device == *device)
                    .and_then(figure)
            })
            .collect();
        values.iter().any(Option::is_some).then(|| {
            let values = values.into_iter().map(|v| v.unwrap_or(0.0)).collect();
            (format!("{device} {what}"), values, color, unit)
        })
    };
    let left: Vec<Series> = [
        series("util", |g| g.util_pct, Color::Green, Unit::Percent),
        series(
            "memory used",
            |g| g.memory_used_kb,
            Color::Cyan,
            Unit::Kilobytes,
        ),
        series("power", |g| g.power_w, Color::Yellow, Unit::Watts),
    ]
    .into_iter()
    .flatten()
    .collect();
    let right: Vec<Series> = [
        series(
            "temperature",
            |g| g.temperature_c,
            Color::Red,
            Unit::Celsius,
        ),
        series(
            "SM clock",
            |g| g.sm_clock_mhz,
            Color::Magenta,
            Unit::Megahertz,
        ),
        series(
            "memory clock",
            |g| g.memory_clock_mhz,
            Color::Blue,
            Unit::Megahertz,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    charts::draw_rates(frame, left_area, ui.theme, &left);
    charts::draw_rates(frame, right_area, ui.theme, &right);
}
