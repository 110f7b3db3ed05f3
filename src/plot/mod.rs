//! `rstat plot` (sadf -g): charts of the chosen activities over the selected window, as one
//! SVG document or (`--html`) a self-contained HTML page. This module owns the command line
//! and gathering the points (one pass over the series, rows from the same activities as
//! report and export); the library's [`rstat::views::svg`] draws them.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::series::Event;
use rstat_data_format::TimeUs;

use rstat::views::svg::{self, Chart, Line, Points};

use crate::export::output::Output;
use crate::report::input::InputArgs;
use crate::report::select::{self, SelectArgs};

/// Draw charts of data files as SVG or HTML (what sadf -g does).
///
/// Takes report's activity letters (default -u, -A for every activity) and its window (-s, -e,
/// -i, --utc). Each activity gives one chart per column for activities with items (a line per
/// item: the --items busiest by average), or one chart per unit for the others (a line per
/// column: percentages together, rates together, sizes together). Times on the axis are local
/// (or UTC with --utc); a restart breaks the lines.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  rstat plot -f FILE -o cpu.svg                 CPU utilisation
  rstat plot -A --html --date yesterday -o day.html
  rstat plot -d -n DEV -s 09:00 -e 17:00 --html -o work.html

Exit status: 0 (also when the window holds no data: a notice on stderr says so), 1 for bad
options or files, 3 when a file has damaged records (they are reported; the rest is drawn).")]
pub struct PlotArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Write an HTML page embedding the charts instead of one SVG document.
    #[arg(long)]
    html: bool,
    /// Write to FILE instead of stdout (atomically).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Lines per chart for activities with items (CPUs, devices, ...): the busiest by average.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=32))]
    items: u16,
}

/// What a column measures, for grouping columns and labelling the value axis.
fn unit(column: &str) -> &'static str {
    if column.starts_with('%') {
        "%"
    } else if column.ends_with("kB/s") {
        "kB/s"
    } else if column.ends_with("/s") {
        "per second"
    } else if column.starts_with("kb") || column == "VSZ" || column == "RSS" {
        "kB"
    } else {
        ""
    }
}

/// Points gathered for one activity: per (item, column), in time order.
struct Gathered {
    name: String,
    item: Option<String>,
    columns: Vec<&'static str>,
    /// Item name -> per column points.
    items: Vec<(String, Vec<Points>)>,
}

impl Gathered {
    fn push(&mut self, time_us: TimeUs, item: String, values: &[f64]) {
        let index = match self.items.iter().position(|(name, _)| *name == item) {
            Some(index) => index,
            None => {
                self.items
                    .push((item, vec![Vec::new(); self.columns.len()]));
                self.items.len() - 1
            }
        };
        for (points, v) in self.items[index].1.iter_mut().zip(values) {
            if v.is_finite() {
                points.push(Some((time_us, *v)));
            }
        }
    }

    /// A restart: every line breaks here.
    fn gap(&mut self) {
        for (_, columns) in &mut self.items {
            for points in columns {
                if points.last().is_some_and(Option::is_some) {
                    points.push(None);
                }
            }
        }
    }

    fn charts(self, max_items: usize) -> Vec<Chart> {
        let mut charts = Vec::new();
        if let Some(item) = &self.item {
            for (col, column) in self.columns.iter().enumerate() {
                let mut lines: Vec<(f64, Line)> = self
                    .items
                    .iter()
                    .map(|(name, columns)| {
                        let points = columns[col].clone();
                        let values: Vec<f64> = points.iter().flatten().map(|p| p.1).collect();
                        let average = values.iter().sum::<f64>() / values.len().max(1) as f64;
                        // Process and cgroup items already hold their fields' names' worth
                        // (uid, pid, command): shown as they are, spaces squeezed.
                        let label = if item.trim().contains(' ') {
                            name.split_whitespace().collect::<Vec<_>>().join(" ")
                        } else {
                            format!("{} {}", item.trim(), name.trim())
                        };
                        (average, Line { label, points })
                    })
                    .filter(|(_, line)| line.points.iter().any(Option::is_some))
                    .collect();
                lines.sort_by(|a, b| b.0.total_cmp(&a.0));
                lines.truncate(max_items);
                if lines.is_empty() {
                    continue;
                }
                charts.push(Chart {
                    title: format!("{}: {column}", self.name),
                    unit: unit(column),
                    lines: lines.into_iter().map(|(_, line)| line).collect(),
                });
            }
        } else if let Some((_, columns)) = self.items.into_iter().next() {
            // No items: columns of one unit share a chart.
            let mut groups: Vec<(&'static str, Vec<String>, Vec<Line>)> = Vec::new();
            for (column, points) in self.columns.iter().zip(columns) {
                if !points.iter().any(Option::is_some) {
                    continue;
                }
                let unit = unit(column);
                let line = Line {
                    label: column.to_string(),
                    points,
                };
                match groups.iter_mut().find(|g| g.0 == unit) {
                    Some(group) => {
                        group.1.push(column.to_string());
                        group.2.push(line);
                    }
                    None => groups.push((unit, vec![column.to_string()], vec![line])),
                }
            }
            for (unit, names, lines) in groups {
                charts.push(Chart {
                    title: format!("{}: {}", self.name, names.join(" ")),
                    unit,
                    lines,
                });
            }
        }
        charts
    }
}

pub fn run(mut args: PlotArgs) -> Result<ExitCode, String> {
    if let Some(n) = args.select.take_numeric_values().first() {
        return Err(format!(
            "{n}: plot reads files; use -i SECONDS to aggregate, -s/-e for the window"
        ));
    }
    let activities = select::select(&args.select)?;
    let (_files, mut series) = args.input.open()?;
    let header = series.series().header().cloned().unwrap_or_default();
    let clock = args.input.clock();
    let mut gathered: Vec<Gathered> = activities
        .iter()
        .map(|a| Gathered {
            name: a.name.clone(),
            item: a.item.map(str::to_string),
            columns: a.column_names().collect(),
            items: Vec::new(),
        })
        .collect();
    let mut damaged = false;
    let (mut first, mut last) = (None, None);
    while let Some(event) = series.next_event().map_err(|e| e.to_string())? {
        match event {
            Event::Interval(pair) => {
                let Some(interval) = pair.interval() else {
                    continue;
                };
                let time = pair.cur.time_us;
                first = first.or(Some(time));
                last = Some(time);
                for (activity, points) in activities.iter().zip(&mut gathered) {
                    for (item, values) in (activity.rows)(&interval) {
                        points.push(time, item, &values);
                    }
                }
            }
            Event::Restart { .. } => gathered.iter_mut().for_each(Gathered::gap),
            Event::Damaged { path, damage } => {
                damaged |= !damage.torn_tail;
                eprintln!("rstat plot: {}", damage.report_line(&path, "drawn"));
            }
            Event::First(_) | Event::Comment { .. } => {}
        }
    }
    let charts: Vec<Chart> = gathered
        .into_iter()
        .flat_map(|g| g.charts(usize::from(args.items)))
        .collect();
    if charts.is_empty() {
        eprintln!("rstat plot: {}", crate::report::no_data_notice(&args.input));
    }
    let title = format!(
        "{} ({}) {}",
        header.host,
        header.kernel_release,
        first
            .map(|t| clock.format(t, "%Y-%m-%d"))
            .unwrap_or_default()
    );
    let span = first.zip(last);
    let text = if args.html {
        svg::html(&title, &charts, span, clock)
    } else {
        svg::document(&title, &charts, span, clock)
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
    fn columns_are_grouped_by_unit() {
        assert_eq!(unit("%user"), "%");
        assert_eq!(unit("rkB/s"), "kB/s");
        assert_eq!(unit("tps"), "");
        assert_eq!(unit("fault/s"), "per second");
        assert_eq!(unit("kbmemfree"), "kB");
    }

    #[test]
    fn the_busiest_items_are_kept() {
        let mut g = Gathered {
            name: "disk".into(),
            item: Some("DEV".into()),
            columns: vec!["tps"],
            items: Vec::new(),
        };
        for (t, a, b, c) in [(1, 1.0, 5.0, 3.0), (2, 1.0, 7.0, 3.0)] {
            g.push(t, "a".into(), &[a]);
            g.push(t, "b".into(), &[b]);
            g.push(t, "c".into(), &[c]);
        }
        g.gap();
        let charts = g.charts(2);
        assert_eq!(charts.len(), 1);
        let labels: Vec<&str> = charts[0].lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["DEV b", "DEV c"]);
        assert_eq!(
            charts[0].lines[0].points,
            [Some((1, 5.0)), Some((2, 7.0)), None]
        );
    }
}
