//! `rstat plot` (sadf -g): charts of the chosen activities over the selected window, as one
//! SVG document or (`--html`) a self-contained, interactive HTML page. This module owns the
//! command line and gathering the figures (one pass over the series, rows from the same
//! activities as report and export, plus the busiest processes of each sample for the
//! page); the library designs the charts ([`rstat::views::chart`]) and draws them
//! ([`rstat::views::svg`], [`rstat::views::html`]).

mod gather;
mod hover;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::series::Event;

mod gpu;

use rstat::catalogue::{self, ActivityId, Selection};
use rstat::views::chart::{self, Mark, Plot, Table};
use rstat::views::{html, svg};

use crate::export::output::Output;
use crate::report::cpus;
use crate::report::input::InputArgs;
use crate::report::select::SelectArgs;
use crate::report::usage_error;

/// Draw charts of data files: an interactive HTML page, or one SVG document (sadf -g's job).
///
/// With --html: one self-contained page (opens offline, no network fetch) drawn on canvases
/// by the page's own script. Without activity letters it shows a dashboard: CPU stacked
/// (user, nice, system, iowait, steal, irq, soft, guest; idle is the rest) and per CPU as a
/// heatmap, memory stacked with swap, load with the run queue (plist-sz on its own chart),
/// pressure, paging, tasks, interrupts, each disk and interface, sockets, filesystems, and
/// the busiest processes (CPU, memory and I/O, each stacked) and cgroups, and, when GPUs
/// were recorded, their utilisation, memory used and power (one line and colour per GPU).
/// Time is linked: the cursor moves on every chart and each legend shows its series' values
/// at that moment (the
/// figures `rstat report` prints); dragging on any chart zooms all of them, double-click
/// resets, clicking a legend entry hides the series. Hovering the CPU chart lists the
/// processes that used the most CPU at that moment (pid, command, user, %CPU); hovering a
/// disk chart, those that did the most I/O (kB_rd/s, kB_wr/s). Restarts, comments and
/// damaged records are marked on every chart. Each series is decimated per pixel column
/// (the smallest and largest value; a stacked chart shows the column's peak sample) and
/// redrawn from the full data at every zoom, so a day of 1 s samples stays fluid.
///
/// Without --html: the same charts as SVG, full width. Takes report's activity letters
/// (default -u; -A for every activity) and its window (-s, -e, -i, --utc). Activities with
/// items draw one chart per column with a line per item (the --items busiest); the others one
/// chart per unit, series of very different size on charts of their own. One item has one
/// colour on every chart. Times are local (or UTC with --utc); a restart breaks the lines.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  rstat plot --html --date yesterday -o day.html   the dashboard of a day
  rstat plot -f FILE -o cpu.svg                    CPU utilisation as SVG
  rstat plot -d -n DEV -s 09:00 -e 17:00 --html -o work.html

Exit status: 0 (also when the window holds no data: a notice on stderr says so), 1 for bad
options or files, 3 when a file has damaged records (they are reported; the rest is drawn).")]
pub struct PlotArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Write the interactive HTML page (without activity letters: the dashboard) instead of
    /// one SVG document.
    #[arg(long)]
    html: bool,
    /// Write to FILE instead of stdout (atomically).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Lines per chart for activities with items (devices, processes, ...): the busiest by
    /// average.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=32))]
    items: u16,
}

/// Whether the options ask for no activity at all (then the page shows the dashboard set).
fn nothing_chosen(s: &Selection) -> bool {
    s.cpu.is_none()
        && s.per_cpu.is_none()
        && !(s.memory
            || s.swap_space
            || s.huge
            || s.paging
            || s.io
            || s.swapping
            || s.tasks
            || s.disks
            || s.gpu
            || s.all)
        && s.system.is_empty()
        && s.process.is_empty()
}

/// The page's activities when none is asked for: what one looks at first after a bad night.
fn dashboard(selection: &mut Selection, top: usize) {
    selection.cpu = Some("ALL".to_string());
    selection.per_cpu = Some("ALL".to_string());
    selection.memory = true;
    selection.swap_space = true;
    selection.disks = true;
    selection.tasks = true;
    selection.paging = true;
    selection.system.queue = Some("ALL".to_string());
    selection.system.interrupts = vec!["SUM".to_string()];
    selection.system.network = vec!["DEV".to_string(), "SOCK".to_string()];
    selection.system.filesystems = Some(String::new());
    selection.process.processes = Some(["cpu", "mem", "io"].map(String::from).to_vec());
    selection.process.cgroups = Some(["cpu", "mem"].map(String::from).to_vec());
    selection.process.top = top;
    // Charted only when the window holds GPU tables (gpu::charts).
    selection.gpu = true;
}

/// The columns the dashboard draws of an activity, where it draws only some: a disk's IOPS,
/// throughput, await and %util, an interface's traffic, a filesystem's use, processes' and
/// cgroups' headline figures (`rstat report` has the rest).
fn dashboard_columns(activity: &str) -> Option<&'static [&'static str]> {
    Some(match ActivityId::of(activity)? {
        ActivityId::DISK => &["tps", "rkB/s", "wkB/s", "await", "%util"],
        ActivityId::NET_DEV => &["rxkB/s", "txkB/s"],
        ActivityId::FILESYSTEM => &["%fsused", "%Iused"],
        ActivityId::PROCESS_MEM => &["RSS"],
        ActivityId::PROCESS_IO => &["kB_rd/s", "kB_wr/s"],
        ActivityId::CGROUP_CPU => &["%CPU"],
        ActivityId::CGROUP_MEM => &["kbmem"],
        ActivityId::GPU => &gpu::COLUMNS,
        _ => return None,
    })
}

pub fn run(mut args: PlotArgs) -> Result<ExitCode, String> {
    args.input.apply_creator_time()?;
    if let Some(n) = args.select.take_numeric_values().first() {
        return Ok(usage_error(&format!(
            "{n}: plot reads files; use -i SECONDS to aggregate, -s/-e for the window"
        )));
    }
    if let Err(message) = args.input.check() {
        return Ok(usage_error(&message));
    }
    let mut selection = args.select.selection();
    let designed = args.html && nothing_chosen(&selection);
    if designed {
        dashboard(&mut selection, usize::from(args.items));
    }
    if let Err(message) = catalogue::select(&selection) {
        return Ok(usage_error(&message));
    }
    let mut hover = if args.html {
        Some(hover::HoverLists::new()?)
    } else {
        None
    };
    let plan = gather::Plan {
        selection: selection.clone(),
        hover: hover.as_ref().map(|_| hover::shareable(&selection.process)),
    };
    let mut workers = gather::Workers::start(&plan)?;
    let (files, mut series) = args.input.open()?;
    let header = series.series().header().cloned().unwrap_or_default();
    if let Err(message) = cpus::check_files(args.select.per_cpu(), &files, header.cpu_count) {
        return Ok(usage_error(&message));
    }
    let clock = args.input.clock();
    // Now that the data's CPU count is known (-I's per-CPU columns with -P).
    selection.cpu_count = header.cpu_count;
    let activities = catalogue::select(&selection)?;
    let mut tables: Vec<Table> = activities.iter().map(Table::new).collect();
    // Takes derived rows into the tables; returns their samples for gather::give_back.
    let mut take = |derived: Vec<gather::Derived>| {
        derived
            .into_iter()
            .map(|rows| {
                for (table, table_rows) in tables.iter_mut().zip(rows.tables) {
                    table.push(rows.index, table_rows);
                }
                if let Some(hover) = &mut hover {
                    hover.push(rows.index, rows.lists);
                }
                rows.pair
            })
            .collect::<Vec<_>>()
    };
    let mut plot = Plot::default();
    let mut damaged = false;
    while let Some(event) = series.next_event().map_err(|e| e.to_string())? {
        match event {
            Event::Interval(pair) => {
                if pair.interval().is_none() {
                    continue;
                }
                let index = plot.times.len();
                plot.times.push(pair.cur.time_us);
                let spent = take(workers.push(index, pair)?);
                gather::give_back(&mut series, spent);
            }
            Event::Restart { time_us, info } => {
                // A sample without values: every line breaks there.
                if plot.times.last().is_some_and(|last| *last < time_us) {
                    plot.times.push(time_us);
                }
                plot.marks.push(Mark {
                    time_us,
                    kind: "restart",
                    text: format!("LINUX RESTART ({} CPU)", info.cpu_count),
                });
            }
            Event::Comment { time_us, text } => plot.marks.push(Mark {
                time_us,
                kind: "comment",
                text,
            }),
            Event::Damaged { path, damage } => {
                damaged |= !damage.torn_tail;
                eprintln!("rstat plot: {}", damage.report_line(&path, "drawn"));
                if let Some(time_us) = plot.times.last().copied() {
                    plot.marks.push(Mark {
                        time_us,
                        kind: "damaged",
                        text: format!("{}: damaged {damage}", path.display()),
                    });
                }
            }
            Event::First(_) => {}
        }
    }
    drop(take(workers.finish()?));
    if designed {
        for table in &mut tables {
            if let Some(columns) = dashboard_columns(&table.name) {
                table.keep(columns);
            }
        }
    }
    // The dashboard draws its GPU charts after the others, designed apart (gpu::charts).
    let gpu_table = designed
        .then(|| tables.iter().position(|t| t.name == ActivityId::GPU.name()))
        .flatten()
        .map(|at| tables.remove(at));
    plot.charts = chart::design(&tables, plot.times.len(), usize::from(args.items));
    if let Some(gpus) = gpu_table {
        plot.charts.extend(gpu::charts(&gpus, plot.times.len()));
    }
    if let Some(hover) = hover {
        (plot.process_names, plot.process_lists) = hover.finish(plot.times.len());
    }
    if plot.charts.is_empty() {
        eprintln!("rstat plot: {}", crate::report::no_data_notice(&args.input));
    }
    plot.title = format!(
        "{} ({}) {}",
        header.host,
        header.kernel_release,
        plot.times
            .first()
            .map(|t| clock.format(*t, "%Y-%m-%d"))
            .unwrap_or_default()
    );
    let text = if args.html {
        html::page(&plot, clock)
    } else {
        svg::document(&plot, clock)
    };
    let mut out = Output::create(args.output.as_deref())?;
    let failed = |e: std::io::Error| format!("cannot write the plot: {e}");
    out.write_all(text.as_bytes()).map_err(failed)?;
    out.commit().map_err(failed)?;
    Ok(if damaged {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_is_chosen_only_when_nothing_is() {
        let mut selection = Selection::default();
        assert!(nothing_chosen(&selection));
        dashboard(&mut selection, 8);
        assert!(!nothing_chosen(&selection));
        let names: Vec<String> = catalogue::select(&selection)
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        for name in ["cpu", "memory", "disk", "queue", "net-dev", "process-cpu"] {
            assert!(
                names.iter().any(|n| n == name),
                "{name} missing from {names:?}"
            );
        }
    }
}
