//! The overview screen: per-CPU utilisation bars and the CPU history chart; memory, swap,
//! load, tasks and pressure (PSI, when recorded); the busiest disks and interfaces.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};
use ratatui::Frame;
use rstat_data_format::derive::{self, CpuUtil};
use rstat_data_format::TableKind;

use super::format::{bar, human_kb, rate_kb};
use super::{Screen, Theme, Ui};
use crate::model::Snapshot;

pub const SCREEN: Screen = Screen {
    title: "Overview",
    short: "Overview",
    draw,
    rows: |_, _| 0,
    rows_top: |_| None,
};

fn draw(frame: &mut Frame, area: Rect, snap: &Snapshot, ui: &Ui) {
    let interval = snap.interval();
    let cpus = interval.map(|i| i.cpus()).unwrap_or_default();
    let per_cpu = cpus.len().saturating_sub(1);
    // Bars in columns of at most 16 rows, so that 64 CPUs still fit.
    let columns = per_cpu.div_ceil(16).max(1);
    let bar_rows = per_cpu.div_ceil(columns) as u16;
    let cpu_height = (bar_rows + 3)
        .max(area.height * 2 / 5)
        .clamp(6, area.height.saturating_sub(8).max(6));
    let [cpu_area, rest] =
        Layout::vertical([Constraint::Length(cpu_height), Constraint::Min(0)]).areas(area);
    let [bars, chart] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(cpu_area);
    draw_cpus(frame, bars, &cpus, columns, ui.theme);
    draw_cpu_chart(frame, chart, snap, ui.theme);
    // Three columns when wide; else memory beside disks over network.
    let [mem, disks, nets] = if rest.width >= 120 {
        Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(rest)
    } else {
        let [mem, right] =
            Layout::horizontal([Constraint::Length(34), Constraint::Min(0)]).areas(rest);
        let [disks, nets] =
            Layout::vertical([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).areas(right);
        [mem, disks, nets]
    };
    draw_memory(frame, mem, snap, ui.theme);
    draw_disks(frame, disks, snap, ui.theme);
    draw_nets(frame, nets, snap, ui.theme);
}

fn busy_color(pct: f64) -> Color {
    if pct >= 90.0 {
        Color::Red
    } else if pct >= 60.0 {
        Color::Yellow
    } else {
        Color::Green
    }
}

fn draw_cpus(frame: &mut Frame, area: Rect, cpus: &[CpuUtil], columns: usize, theme: Theme) {
    let block = Block::bordered().title(Span::styled(" CPU % ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(all) = cpus.first() else {
        frame.render_widget(Paragraph::new("no interval yet (needs two samples)"), inner);
        return;
    };
    let summary = Line::from(format!(
        "usr {:.1} sys {:.1} iow {:.1} stl {:.1} idle {:.1}",
        all.usr + all.nice,
        all.system_with_irq(),
        all.iowait,
        all.steal,
        all.idle
    ));
    let [top, grid] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(summary), top);
    let per_cpu = &cpus[1..];
    let rows = per_cpu.len().div_ceil(columns).max(1);
    let cols = Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(grid);
    for (c, col) in cols.iter().enumerate() {
        let lines: Vec<Line> = per_cpu
            .iter()
            .skip(c * rows)
            .take(rows.min(col.height as usize))
            .map(|cpu| {
                let busy = 100.0 - cpu.idle;
                let name = format!("{:>3} ", cpu.cpu.unwrap_or(0));
                let width = (col.width as usize).saturating_sub(11).max(1);
                Line::from(vec![
                    Span::raw(name),
                    Span::styled(bar(busy, width), theme.fg(busy_color(busy))),
                    Span::raw(format!(" {busy:5.1}")),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), *col);
    }
}

fn draw_cpu_chart(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: Theme) {
    let width = area.width.saturating_sub(2) as usize;
    let data: Vec<u64> = snap
        .history
        .iter()
        .rev()
        .take(width)
        .rev()
        .map(|p| p.cpu_busy.unwrap_or(0.0).round() as u64)
        .collect();
    let title = format!(" CPU busy %, last {} samples ", data.len());
    let sparkline = Sparkline::default()
        .block(Block::bordered().title(Span::styled(title, theme.title())))
        .data(&data)
        .max(100)
        .style(theme.fg(Color::Green));
    frame.render_widget(sparkline, area);
}

fn draw_memory(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: Theme) {
    let block = Block::bordered().title(Span::styled(" Memory, load ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(cur) = snap.cur.as_deref() else {
        return;
    };
    let width = (inner.width as usize).saturating_sub(16).max(1);
    let mut lines = Vec::new();
    if let Some(m) = derive::memory(cur) {
        let total = cur
            .table(TableKind::MEMINFO)
            .and_then(|t| t.get("MemTotal"))
            .unwrap_or(0);
        lines.push(Line::from(vec![
            Span::raw("mem  "),
            Span::styled(
                bar(m.memused_pct, width),
                theme.fg(busy_color(m.memused_pct)),
            ),
            Span::raw(format!(" {:5.1}%", m.memused_pct)),
        ]));
        lines.push(Line::from(format!(
            " used {}/{} avail {}",
            human_kb(m.kbmemused as f64),
            human_kb(total as f64),
            human_kb(m.kbavail as f64)
        )));
        lines.push(Line::from(format!(
            " cache {} buf {} dirt {}",
            human_kb(m.kbcached as f64),
            human_kb(m.kbbuffers as f64),
            human_kb(m.kbdirty as f64)
        )));
    }
    if let Some(s) = derive::swap_space(cur) {
        lines.push(Line::from(vec![
            Span::raw("swap "),
            Span::styled(
                bar(s.swpused_pct, width),
                theme.fg(busy_color(s.swpused_pct)),
            ),
            Span::raw(format!(" {:5.1}%", s.swpused_pct)),
        ]));
        lines.push(Line::from(format!(
            " used {} free {}",
            human_kb(s.kbswpused as f64),
            human_kb(s.kbswpfree as f64)
        )));
    }
    if let Some(q) = derive::queue(cur) {
        lines.push(Line::from(format!(
            "load {:.2} {:.2} {:.2}",
            q.ldavg_1, q.ldavg_5, q.ldavg_15
        )));
        lines.push(Line::from(format!(
            " runq {} tasks {} blocked {}",
            q.runq_sz, q.plist_sz, q.blocked
        )));
    }
    if let Some(interval) = snap.interval() {
        if let Some(t) = interval.tasks() {
            lines.push(Line::from(format!(
                " proc/s {:.1} cswch/s {:.0}",
                t.proc_per_s, t.cswch_per_s
            )));
        }
        let psi: Vec<String> = [
            ("cpu", TableKind::PSI_CPU),
            ("io", TableKind::PSI_IO),
            ("mem", TableKind::PSI_MEMORY),
        ]
        .iter()
        .filter_map(|(name, kind)| {
            let p = interval.pressure(*kind)?;
            Some(format!("{name} {:.1}", p.some.avg10))
        })
        .collect();
        if !psi.is_empty() {
            lines.push(Line::from(format!("psi10 {}", psi.join(" "))));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_disks(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: Theme) {
    let block = Block::bordered().title(Span::styled(" Disks ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut disks = snap.interval().map(|i| i.disks()).unwrap_or_default();
    disks.retain(|d| d.used_since_boot);
    disks.sort_by(|a, b| (b.rkb_per_s + b.wkb_per_s).total_cmp(&(a.rkb_per_s + a.wkb_per_s)));
    let w = (inner.width as usize).saturating_sub(22).max(4);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<w$} {:>7} {:>7} {:>5}",
            "device", "read", "write", "%util"
        ),
        Style::default().add_modifier(ratatui::style::Modifier::BOLD),
    ))];
    for d in disks.iter().take(inner.height.saturating_sub(1) as usize) {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<w$} {:>7} {:>7} ",
                truncate(&d.device, w),
                rate_kb(d.rkb_per_s),
                rate_kb(d.wkb_per_s)
            )),
            Span::styled(
                format!("{:>5.1}", d.util_pct),
                theme.fg(busy_color(d.util_pct)),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_nets(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: Theme) {
    let block = Block::bordered().title(Span::styled(" Network ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut nets = snap.interval().map(|i| i.interfaces()).unwrap_or_default();
    nets.sort_by(|a, b| (b.rxkb_per_s + b.txkb_per_s).total_cmp(&(a.rxkb_per_s + a.txkb_per_s)));
    let w = (inner.width as usize).saturating_sub(18).max(4);
    let mut lines = vec![Line::from(Span::styled(
        format!("{:<w$} {:>8} {:>8}", "iface", "rx", "tx"),
        Style::default().add_modifier(ratatui::style::Modifier::BOLD),
    ))];
    for n in nets.iter().take(inner.height.saturating_sub(1) as usize) {
        lines.push(Line::from(format!(
            "{:<w$} {:>8} {:>8}",
            truncate(&n.iface, w),
            rate_kb(n.rxkb_per_s),
            rate_kb(n.txkb_per_s)
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// At most `width` characters of `text`.
pub fn truncate(text: &str, width: usize) -> String {
    text.chars().take(width).collect()
}
