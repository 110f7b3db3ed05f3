//! The GPU screen: a table of the GPUs (like `nvidia-smi dmon`: utilisation, memory,
//! temperature, power, clocks, PCIe, throttle reasons) and the history of the selected one
//! (utilisation, memory used, power, temperature, SM and memory clocks). Names, units and
//! figures are the GPU table's columns, as `rstat report --gpu` prints them. Listed in the tabs
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
use crate::gpu::CHARTED;
use crate::model::Snapshot;
use rstat_data_format::columns::Unit;
use rstat_data_format::columns_gpu::gpu_column;

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

/// The table's columns after the device and its name: GPU table columns (data-format's
/// [`columns_gpu`](rstat_data_format::columns_gpu): the header is the column's name, the cell
/// its figure written by its unit), each with its width and the decimals shown here,
/// narrowed to fit a screen as the other tables do (`crate::columns`); then the throttle
/// reasons, by name. The figures come first: at 80 columns PCIe and the throttle reasons do
/// not fit and are left out.
const FIGURES: [(&str, u16, u8); 12] = [
    ("%gpu", 4, 0),
    ("%mem", 4, 0),
    ("MBfbused", 8, 0),
    ("MBfbtotal", 9, 0),
    ("degC", 4, 0),
    ("pwrW", 4, 0),
    ("plimW", 5, 0),
    ("smMHz", 5, 0),
    ("memMHz", 6, 0),
    ("rxMB/s", 7, 1),
    ("txMB/s", 7, 1),
    ("throttle", 20, 0),
];

/// The device and name columns' widths.
const NAMES: [(&str, u16); 2] = [("device", 8), ("name", 14)];

/// Every column's title and width, in order.
fn columns() -> impl Iterator<Item = (&'static str, u16)> {
    NAMES
        .into_iter()
        .chain(FIGURES.iter().map(|&(name, width, _)| (name, width)))
}

/// How many columns fit in `width` cells (one cell between columns).
fn columns_that_fit(width: u16) -> usize {
    let mut used = 0;
    columns()
        .take_while(|(_, w)| {
            used += w + 1;
            used <= width + 1
        })
        .count()
}

/// GPU `g`'s figure under column `name`, `-` when the source does not report it: sizes
/// scaled (`2.0G`), other figures with `decimals` (the header names the unit).
fn figure(g: &GpuRates, name: &str, decimals: u8) -> String {
    let Some(column) = gpu_column(name) else {
        return "-".into();
    };
    match (column.value)(g) {
        None => "-".into(),
        Some(v) if column.column.unit == Unit::Megabytes => human_kb(v * 1024.0),
        Some(v) => format!("{v:.*}", usize::from(decimals)),
    }
}

fn cells(g: &GpuRates) -> Vec<String> {
    let mut cells = vec![g.device.clone(), g.name.clone()];
    for &(name, _, decimals) in &FIGURES {
        cells.push(if name == "throttle" {
            // The reasons by name rather than the bit mask the exports carry.
            Some(g.throttle_names())
                .filter(|names| !names.is_empty())
                .unwrap_or_else(|| "-".into())
        } else {
            figure(g, name, decimals)
        });
    }
    cells
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
    let header = Row::new(columns().take(shown).map(|(title, _)| title)).style(theme.title());
    let rows = super::scrolled(ui, &gpus, selected, table_height, |g| {
        let mut cells = cells(g);
        cells.truncate(shown);
        Row::new(cells)
    });
    let widths = columns()
        .take(shown)
        .map(|(_, width)| Constraint::Length(width));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .flex(ratatui::layout::Flex::Start),
        table_area,
    );
    draw_charts(frame, chart_area, snap, ui, &gpus[selected].device);
}

/// The charts of GPU `device`: the first three of [`CHARTED`] (utilisation, memory, power)
/// on the left, the rest (temperature, clocks) on the right, each titled by its column's
/// name and written by its unit. A figure no position reports gets no chart.
fn draw_charts(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui, device: &str) {
    const COLOURS: [Color; CHARTED.len()] = [
        Color::Green,
        Color::Cyan,
        Color::Yellow,
        Color::Red,
        Color::Magenta,
        Color::Blue,
    ];
    let series = |index: usize| -> Option<Series> {
        let column = &gpu_column(CHARTED[index])?.column;
        let values: Vec<Option<f64>> = snap
            .history
            .iter()
            .map(|p| {
                p.gpus
                    .iter()
                    .find(|g| *g.device == *device)
                    .and_then(|g| g.figures[index])
            })
            .collect();
        values.iter().any(Option::is_some).then(|| {
            let values = values.into_iter().map(|v| v.unwrap_or(0.0)).collect();
            (
                format!("{device} {}", column.name),
                values,
                COLOURS[index],
                column.unit,
            )
        })
    };
    let left: Vec<Series> = (0..3).filter_map(series).collect();
    let right: Vec<Series> = (3..CHARTED.len()).filter_map(series).collect();
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    charts::draw_rates(frame, left_area, ui.theme, &left);
    charts::draw_rates(frame, right_area, ui.theme, &right);
}
