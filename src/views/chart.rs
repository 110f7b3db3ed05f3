//! The charts of `rstat plot`, designed per activity rather than per column, from the
//! catalogue's typed columns: CPU as stacked areas (idle implied) with the CPUs as a heatmap,
//! memory stacked, the processes' CPU, memory and I/O stacked, and for the rest one chart per unit (a line
//! per column) or, for activities with items, one chart per column (a line per item, the
//! busiest kept). Series of very different size never share an axis (plist-sz does not
//! squash the load averages), and one item has one colour on every chart. The SVG writer
//! ([`super::svg`]) and the HTML page ([`super::html`]) both draw these.

use std::collections::HashMap;

use rstat_data_format::TimeUs;

use crate::catalogue::{item_fields, Activity, ActivityId, Column, Unit};

/// How a chart draws its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// One line each.
    Lines,
    /// Areas stacked on each other, in order.
    Stacked,
    /// One row each, the value as the colour's strength (0 to the chart's maximum).
    Heatmap,
}

/// One series: its label, colour, decimals, and one value per sample (NaN: none).
#[derive(Clone, Debug)]
pub struct Series {
    /// The legend's text.
    pub label: String,
    /// Its colour, the same for the same label on every chart.
    pub colour: &'static str,
    /// Decimals the readout prints: 0 or 2, as `rstat report` prints the column.
    pub decimals: u8,
    /// One value per sample of the [`Plot`]'s times (NaN where there is none).
    pub values: Vec<f64>,
}

/// One chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// The activity it draws (`cpu`, `disk`): the page lists the processes behind it.
    pub activity: String,
    /// The title.
    pub title: String,
    /// The unit of the value axis: its columns' unit (printed by [`unit_label`]).
    pub unit: Unit,
    /// How it is drawn.
    pub style: Style,
    /// A fixed top of the value axis (100 for CPU percentages), else from the data.
    pub max: Option<f64>,
    /// The series, bottom first for stacked charts.
    pub series: Vec<Series>,
}

/// A time worth marking on every chart.
#[derive(Clone, Debug)]
pub struct Mark {
    /// When.
    pub time_us: TimeUs,
    /// `restart`, `comment` or `damaged`.
    pub kind: &'static str,
    /// What to say.
    pub text: String,
}

/// Per sample, the busiest processes by one measure (CPU, I/O), listed when hovering the
/// charts of the activities that measure explains.
#[derive(Clone, Debug, Default)]
pub struct ProcessList {
    /// What ranks them, for the list's caption (`CPU`, `I/O`).
    pub ranked_by: &'static str,
    /// The activities whose charts list them on hover (`cpu`, `disk`).
    pub activities: &'static [ActivityId],
    /// The figures shown per process and the decimals `rstat report` prints them with.
    pub columns: Vec<(&'static str, u8)>,
    /// Per sample: (index into [`Plot::process_names`], its figures), busiest first.
    pub top: Vec<Vec<(u32, Vec<f64>)>>,
}

/// Everything a plot shows: the samples' times, the charts over them, the marks, and per
/// sample the busiest processes by CPU and by I/O.
#[derive(Clone, Debug, Default)]
pub struct Plot {
    /// The page's title.
    pub title: String,
    /// The samples' times (the end of each interval), ascending.
    pub times: Vec<TimeUs>,
    /// The charts.
    pub charts: Vec<Chart>,
    /// Restarts, comments, damaged ranges.
    pub marks: Vec<Mark>,
    /// Process labels (`pid command user`, tab-separated) the lists point into.
    pub process_names: Vec<String>,
    /// The lists of busiest processes.
    pub process_lists: Vec<ProcessList>,
}

/// One column's values of one item: (sample index, value), where present.
pub type Sparse = Vec<(u32, f64)>;

/// Per item and column, its values as (sample index, value), only where present: process
/// tables hold thousands of items over a day, each seen in a few samples.
pub struct Table {
    /// The activity's name (`cpu`, `disk`, `process-cpu`).
    pub name: String,
    /// The item column's label, `None` for one row per interval.
    pub item: Option<&'static str>,
    /// The columns.
    pub columns: Vec<Column>,
    /// Per item: its name and, per column, its values.
    pub items: Vec<(String, Vec<Sparse>)>,
    /// Each item's place in `items`: a day meets thousands of processes.
    slots: HashMap<String, usize>,
}

impl Table {
    /// An empty table of `activity`'s columns.
    pub fn new(activity: &Activity) -> Table {
        Table {
            name: activity.name.clone(),
            item: activity.item,
            columns: activity.columns.to_vec(),
            items: Vec::new(),
            slots: HashMap::new(),
        }
    }

    /// Sample `index`'s rows.
    pub fn push(&mut self, index: usize, rows: Vec<(String, Vec<f64>)>) {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        for (item, values) in rows {
            let slot = match self.slots.get(&item) {
                Some(slot) => *slot,
                None => {
                    let slot = self.items.len();
                    self.slots.insert(item.clone(), slot);
                    self.items
                        .push((item, vec![Vec::new(); self.columns.len()]));
                    slot
                }
            };
            for (column, v) in self.items[slot].1.iter_mut().zip(values) {
                if v.is_finite() {
                    column.push((index, v));
                }
            }
        }
    }

    /// Keeps only the columns named in `names` (a designed page shows a few per activity).
    pub fn keep(&mut self, names: &[&str]) {
        let kept: Vec<bool> = self
            .columns
            .iter()
            .map(|c| names.contains(&c.name))
            .collect();
        let mut flags = kept.iter();
        self.columns.retain(|_| *flags.next().unwrap_or(&false));
        for (_, columns) in &mut self.items {
            let mut flags = kept.iter();
            columns.retain(|_| *flags.next().unwrap_or(&false));
        }
    }

    /// Whether the items are processes, threads or cgroups (labels of several fields).
    fn holds_processes(&self) -> bool {
        self.item.is_some_and(|label| item_fields(label).is_some())
    }
}

/// A palette handing the same colour to the same key every time it is asked.
#[derive(Default)]
pub struct Palette {
    keys: Vec<String>,
}

/// Distinguishable colours (Okabe-Ito, then Tableau's).
const COLOURS: [&str; 14] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f7f7f", "#a6761d",
    "#8c564b", "#17becf", "#bcbd22", "#9467bd", "#e377c2", "#2ca02c",
];

impl Palette {
    /// The colour of `key`.
    pub fn colour(&mut self, key: &str) -> &'static str {
        let index = match self.keys.iter().position(|k| k == key) {
            Some(index) => index,
            None => {
                self.keys.push(key.to_string());
                self.keys.len() - 1
            }
        };
        COLOURS[index % COLOURS.len()]
    }
}

/// How a unit is printed on an axis (a plain count says so).
pub fn unit_label(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "count",
        other => other.symbol(),
    }
}

/// The decimals `rstat report` prints a column's figures with (0 or 2).
fn printed_decimals(column: &Column) -> u8 {
    if column.integer() {
        0
    } else {
        2
    }
}

/// Dense values of one column of one item: NaN where the item had no row.
fn dense(sparse: &[(u32, f64)], samples: usize) -> Vec<f64> {
    let mut values = vec![f64::NAN; samples];
    for (index, v) in sparse {
        if let Some(slot) = values.get_mut(*index as usize) {
            *slot = *v;
        }
    }
    values
}

/// The largest value of a series (0 for none).
fn peak(values: &[f64]) -> f64 {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, |a, b| a.max(b.abs()))
}

/// A readable item label: processes as `pid command (uid)`, others as `ITEM name`.
fn item_label(table: &Table, name: &str) -> String {
    match table.item.and_then(item_fields) {
        Some((_, split)) => {
            let fields = split(name);
            match fields.as_slice() {
                [uid, pid, command] => format!("{pid} {command} ({uid})"),
                _ => fields.join(" "),
            }
        }
        None => format!("{} {}", table.item.unwrap_or("").trim(), name.trim()),
    }
}

/// The column's series from the one-row table `table`, if it holds the column.
fn column_series(
    table: &Table,
    name: &str,
    samples: usize,
    palette: &mut Palette,
) -> Option<Series> {
    let index = table.columns.iter().position(|c| c.name == name)?;
    let (_, columns) = table.items.first()?;
    Some(Series {
        label: name.to_string(),
        colour: palette.colour(name),
        decimals: printed_decimals(&table.columns[index]),
        values: dense(&columns[index], samples),
    })
}

/// Lines of one-row columns, one chart per unit, series of very different size split apart.
fn unit_charts(
    table: &Table,
    skip: &[&str],
    samples: usize,
    palette: &mut Palette,
    charts: &mut Vec<Chart>,
) {
    let mut groups: Vec<(Unit, Vec<(f64, Series)>)> = Vec::new();
    for column in &table.columns {
        if skip.contains(&column.name) {
            continue;
        }
        let Some(series) = column_series(table, column.name, samples, palette) else {
            continue;
        };
        if series.values.iter().all(|v| v.is_nan()) {
            continue;
        }
        let size = peak(&series.values);
        match groups.iter_mut().find(|g| g.0 == column.unit) {
            Some(group) => group.1.push((size, series)),
            None => groups.push((column.unit, vec![(size, series)])),
        }
    }
    for (unit, mut members) in groups {
        // Percentages share 0-100; other series start a chart of their own when the largest
        // of the current chart is over 10 times their size (all-zero series join the last).
        members.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut split: Vec<(f64, Vec<Series>)> = Vec::new();
        for (size, series) in members {
            match split.last_mut() {
                Some((largest, last))
                    if unit == Unit::Percent || size == 0.0 || *largest <= size * 10.0 =>
                {
                    last.push(series)
                }
                _ => split.push((size, vec![series])),
            }
        }
        for (_, mut series) in split {
            series.sort_by_key(|s| table.columns.iter().position(|c| c.name == s.label));
            let names: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
            charts.push(Chart {
                activity: table.name.clone(),
                title: format!("{}: {}", table.name, names.join(" ")),
                unit,
                style: Style::Lines,
                max: None,
                series,
            });
        }
    }
}

/// The process and cgroup columns whose figures add up to the machine's: drawn stacked.
const STACKED_PROCESS_COLUMNS: [&str; 6] =
    ["%CPU", "RSS", "%MEM", "kB_rd/s", "kB_wr/s", "kB_ccwr/s"];

/// The charts of an activity with items: per column, its busiest items.
fn item_charts(
    table: &Table,
    samples: usize,
    max_items: usize,
    palette: &mut Palette,
    charts: &mut Vec<Chart>,
) {
    let processes = table.holds_processes();
    for (index, column) in table.columns.iter().enumerate() {
        if column.unit == Unit::CpuNumber {
            continue;
        }
        // The processes' CPU, memory and I/O stack (their sum is what the machine did);
        // their other per-CPU shares (%usr, %system, ...) say less than the CPU chart does.
        let stacked = processes && STACKED_PROCESS_COLUMNS.contains(&column.name);
        if processes && table.name.ends_with("-cpu") && !stacked {
            continue;
        }
        let mut ranked: Vec<(f64, &String, &Sparse)> = table
            .items
            .iter()
            .map(|(name, columns)| {
                let sum: f64 = columns[index].iter().map(|(_, v)| v).sum();
                (sum, name, &columns[index])
            })
            .filter(|(_, _, values)| !values.is_empty())
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.truncate(max_items);
        if ranked.is_empty() {
            continue;
        }
        let series = ranked
            .into_iter()
            .map(|(_, name, values)| {
                let label = item_label(table, name);
                let mut values = dense(values, samples);
                if stacked {
                    // Absent from the top: nothing to stack.
                    values
                        .iter_mut()
                        .filter(|v| v.is_nan())
                        .for_each(|v| *v = 0.0);
                }
                Series {
                    colour: palette.colour(&label),
                    label,
                    decimals: printed_decimals(column),
                    values,
                }
            })
            .collect();
        charts.push(Chart {
            activity: table.name.clone(),
            title: format!("{}: {}", table.name, column.name),
            unit: column.unit,
            style: if stacked {
                Style::Stacked
            } else {
                Style::Lines
            },
            max: None,
            series,
        });
    }
}

/// CPU: the machine's time stacked (idle implied, 0-100 %), the CPUs as a heatmap of busy %.
fn cpu_charts(table: &Table, samples: usize, palette: &mut Palette, charts: &mut Vec<Chart>) {
    if let Some((_, columns)) = table.items.iter().find(|(name, _)| name == "all") {
        let series = table
            .columns
            .iter()
            .zip(columns)
            .filter(|(c, _)| c.unit == Unit::Percent && c.name != "%idle")
            .map(|(c, values)| Series {
                label: c.name.to_string(),
                colour: palette.colour(c.name),
                decimals: printed_decimals(c),
                values: dense(values, samples),
            })
            .collect();
        charts.push(Chart {
            activity: table.name.clone(),
            title: "CPU utilisation (all CPUs; idle is the rest)".to_string(),
            unit: Unit::Percent,
            style: Style::Stacked,
            max: Some(100.0),
            series,
        });
    }
    let idle = table.columns.iter().position(|c| c.name == "%idle");
    let busy_unit = idle.map_or(Unit::Percent, |index| table.columns[index].unit);
    let per_cpu: Vec<Series> = table
        .items
        .iter()
        .filter(|(name, _)| name != "all")
        .filter_map(|(name, columns)| {
            let idle = dense(&columns[idle?], samples);
            Some(Series {
                label: format!("CPU {name}"),
                colour: "#d55e00",
                decimals: 2,
                values: idle.into_iter().map(|v| 100.0 - v).collect(),
            })
        })
        .collect();
    if !per_cpu.is_empty() {
        charts.push(Chart {
            activity: table.name.clone(),
            title: "Per-CPU busy (100 - %idle)".to_string(),
            unit: busy_unit,
            style: Style::Heatmap,
            max: Some(100.0),
            series: per_cpu,
        });
    }
}

/// Memory: used, buffers, cached and free stacked; the other columns by unit.
fn memory_charts(table: &Table, samples: usize, palette: &mut Palette, charts: &mut Vec<Chart>) {
    const STACK: [&str; 4] = ["kbmemused", "kbbuffers", "kbcached", "kbmemfree"];
    let series: Vec<Series> = STACK
        .iter()
        .filter_map(|name| column_series(table, name, samples, palette))
        .collect();
    let stacked_unit = table.columns.iter().find(|c| STACK.contains(&c.name));
    if let (false, Some(stacked)) = (series.is_empty(), stacked_unit) {
        charts.push(Chart {
            activity: table.name.clone(),
            title: "memory: used, buffers, cached, free".to_string(),
            unit: stacked.unit,
            style: Style::Stacked,
            max: None,
            series,
        });
    }
    unit_charts(table, &STACK, samples, palette, charts);
}

/// The charts of every table, in the tables' order.
pub fn design(tables: &[Table], samples: usize, max_items: usize) -> Vec<Chart> {
    let mut palette = Palette::default();
    let mut charts = Vec::new();
    for table in tables {
        match (ActivityId::of(&table.name), table.item) {
            (Some(ActivityId::CPU), _) => cpu_charts(table, samples, &mut palette, &mut charts),
            (Some(ActivityId::MEMORY), _) => {
                memory_charts(table, samples, &mut palette, &mut charts)
            }
            (_, Some(_)) => item_charts(table, samples, max_items, &mut palette, &mut charts),
            (_, None) => unit_charts(table, &[], samples, &mut palette, &mut charts),
        }
    }
    charts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Kind, Layout};
    use std::borrow::Cow;

    fn column(name: &'static str, unit: Unit) -> Column {
        Column {
            name,
            unit,
            kind: Kind::Level,
            decimals: 2,
            help: Cow::Borrowed(""),
            layout: Layout::Always,
            source: "",
        }
    }

    fn table(name: &str, columns: Vec<Column>, rows: &[(&str, &[f64])]) -> Table {
        let mut table = Table {
            name: name.to_string(),
            item: None,
            columns,
            items: Vec::new(),
            slots: HashMap::new(),
        };
        for (index, (item, values)) in rows.iter().enumerate() {
            table.push(index, vec![(item.to_string(), values.to_vec())]);
        }
        table
    }

    #[test]
    fn kept_columns_keep_their_values() {
        let mut disk = table(
            "disk",
            vec![
                column("tps", Unit::PerSecond),
                column("areq-sz", Unit::Kilobytes),
            ],
            &[("", &[3.0, 8.0])],
        );
        disk.keep(&["tps"]);
        assert_eq!(disk.columns.len(), 1);
        assert_eq!(disk.items[0].1, [vec![(0, 3.0)]]);
    }

    #[test]
    fn a_large_series_gets_its_own_chart() {
        let queue = table(
            "queue",
            vec![
                column("runq-sz", Unit::Count),
                column("plist-sz", Unit::Count),
                column("ldavg-1", Unit::Count),
            ],
            &[("", &[1.0, 300.0, 2.5]), ("", &[2.0, 310.0, 3.0])],
        );
        let charts = design(&[queue], 2, 8);
        let titles: Vec<&str> = charts.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["queue: plist-sz", "queue: runq-sz ldavg-1"]);
        assert_eq!(unit_label(charts[1].unit), "count");
        assert_eq!(charts[1].series[1].values, [2.5, 3.0]);
    }

    #[test]
    fn cpu_stacks_without_idle_and_keeps_colours() {
        let columns = vec![
            column("%user", Unit::Percent),
            column("%system", Unit::Percent),
            column("%idle", Unit::Percent),
        ];
        let mut cpu = table("cpu", columns, &[]);
        cpu.item = Some("CPU");
        cpu.push(
            0,
            vec![
                ("all".into(), vec![10.0, 5.0, 85.0]),
                ("0".into(), vec![20.0, 10.0, 70.0]),
            ],
        );
        let charts = design(&[cpu], 1, 8);
        assert_eq!(charts[0].style, Style::Stacked);
        let labels: Vec<&str> = charts[0].series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["%user", "%system"]);
        assert_eq!(charts[1].style, Style::Heatmap);
        assert_eq!(charts[1].series[0].values, [30.0]);
        let mut palette = Palette::default();
        let first = palette.colour("sda");
        palette.colour("sdb");
        assert_eq!(palette.colour("sda"), first);
    }
}
