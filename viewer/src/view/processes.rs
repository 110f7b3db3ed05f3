//! The Processes screen: the process table (sorted, filtered, optionally as a tree, or the
//! processes of one cgroup), and a detail pane for the selected process with its CPU and
//! RSS history. Rows are chosen and ordered by [`crate::processes`].

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::format::{human_kb, rate_kb};
use super::{charts, gpu_columns, Screen, Ui};
use crate::model::Snapshot;
use crate::processes::{ProcessRow, SortKey};
use rstat_data_format::columns::Unit;

pub const SCREEN: Screen = Screen {
    title: "Processes",
    short: "Procs",
    draw,
    rows: |snap, ui| rows(snap, ui).len(),
    rows_top: |body| Some(body.y + 2),
};

fn rows(snap: &Snapshot, ui: &Ui) -> Vec<ProcessRow> {
    snap.interval()
        .map(|i| ui.processes.rows(&i))
        .unwrap_or_default()
}

/// The block title: what is listed and how.
fn title(ui: &Ui, shown: usize) -> String {
    let query = &ui.processes;
    let mut title = format!(" Processes {shown} ");
    if let Some(cgroup) = &query.cgroup {
        title.push_str(&format!("in {cgroup} "));
    }
    if !ui.filter_text.is_empty() {
        title.push_str(&format!("/{}/ ", ui.filter_text));
    }
    if query.tree {
        title.push_str("tree ");
    }
    title
}

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let theme = ui.theme;
    let rows = rows(snap, ui);
    let table_height = (area.height * 3 / 5).max(5);
    let [table_area, detail_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let block = Block::bordered().title(Span::styled(title(ui, rows.len()), theme.title()));
    if rows.is_empty() {
        let inner = block.inner(table_area);
        frame.render_widget(block, table_area);
        let text = if snap.interval().is_none() {
            "no interval here yet"
        } else if snap
            .cur
            .as_ref()
            .is_some_and(|s| s.table(rstat_data_format::TableKind::PROCESSES).is_none())
        {
            "no processes recorded here (rstat collect records them unless --no-processes)"
        } else {
            "no process matches"
        };
        frame.render_widget(Paragraph::new(text), inner);
        return;
    }
    let selected = ui.selected().min(rows.len() - 1);
    let arrow = if ui.processes.biggest_first() {
        "▼"
    } else {
        "▲"
    };
    let mut titles: Vec<String> = SortKey::ALL
        .map(|key| {
            if key == ui.processes.sort {
                format!("{}{arrow}", key.title())
            } else {
                key.title().to_string()
            }
        })
        .to_vec();
    let gpu = gpu_columns::shown(snap);
    gpu_columns::titles(gpu, &mut titles);
    let header = Row::new(titles).style(theme.title());
    let io = |v: Option<f64>| v.map(rate_kb).unwrap_or_else(|| "-".into());
    let table_rows = super::scrolled(ui, &rows, selected, table_height, |p| {
        let mut cells = vec![
            p.pid.to_string(),
            ui.user(p.uid, snap.mode, snap.cur.as_deref()),
            format!("{:.1}", p.cpu_pct),
            format!("{:.1}", p.mem_pct),
            human_kb(p.rss_kb as f64),
            io(p.read_kb_s),
            io(p.write_kb_s),
            format!("{}{}", "  ".repeat(p.depth), p.command),
        ];
        gpu_columns::cells(gpu, p, &mut cells);
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Min(10),
    ];
    gpu_columns::widths(gpu, &mut widths);
    frame.render_widget(
        Table::new(table_rows, widths).header(header).block(block),
        table_area,
    );
    draw_detail(frame, detail_area, snap, ui, &rows[selected]);
}

/// The selected process: its figures on the left, its CPU and RSS history on the right.
fn draw_detail(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui, p: &ProcessRow) {
    let theme = ui.theme;
    let [text_area, chart_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let io = |v: Option<f64>| v.map(rate_kb).unwrap_or_else(|| "-".into());
    let label = |text: &'static str| Span::styled(text, theme.title());
    let lines = vec![
        Line::from(vec![
            label("pid "),
            Span::raw(format!("{} ", p.pid)),
            label("ppid "),
            Span::raw(format!("{} ", p.ppid)),
            label("user "),
            Span::raw(format!(
                "{} ",
                ui.user(p.uid, snap.mode, snap.cur.as_deref())
            )),
            label("state "),
            Span::raw(format!("{} ", p.state)),
            label("threads "),
            Span::raw(p.threads.to_string()),
        ]),
        Line::from(vec![
            label("CPU "),
            Span::raw(format!(
                "{:.1}% (usr {:.1}, sys {:.1}) ",
                p.cpu_pct, p.usr_pct, p.system_pct
            )),
        ]),
        Line::from(vec![
            label("RSS "),
            Span::raw(format!("{} ", human_kb(p.rss_kb as f64))),
            label("VSZ "),
            Span::raw(format!("{} ", human_kb(p.vsz_kb as f64))),
            label("MEM "),
            Span::raw(format!("{:.1}%", p.mem_pct)),
        ]),
        Line::from(vec![
            label("read "),
            Span::raw(format!("{} ", io(p.read_kb_s))),
            label("write "),
            Span::raw(io(p.write_kb_s)),
        ]),
        Line::from(vec![label("cgroup "), Span::raw(p.cgroup.clone())]),
        Line::from(vec![label("cmd "), Span::raw(p.command.clone())]),
    ];
    let mut lines = lines;
    gpu_columns::detail(p, theme, &mut lines);
    let block = Block::bordered().title(Span::styled(format!(" {} ", p.comm), theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        text_area,
    );
    let series = |f: fn(&crate::model::ProcessPoint) -> f64| -> Vec<f64> {
        snap.history
            .iter()
            .map(|point| point.process(p.pid, p.start).map(f).unwrap_or(0.0))
            .collect()
    };
    charts::draw_rates(
        frame,
        chart_area,
        theme,
        &[
            (
                "CPU".to_string(),
                series(|q| q.cpu_pct),
                Color::Green,
                Unit::Percent,
            ),
            (
                "RSS".to_string(),
                series(|q| q.rss_kb as f64),
                Color::Cyan,
                Unit::Kilobytes,
            ),
        ],
    );
}
