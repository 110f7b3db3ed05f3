//! sar's text layout: the banner line, each table's header and rows (time in 11 columns,
//! values right-aligned in 9 after one space, the CPU column 7 wide, filesystems and
//! `-p` device names at the end of the line, a sensor's number first and its device last),
//! `Average:` rows as sar computes them (rates from the counters at the ends of the span,
//! levels as the mean of the readings, `-F`'s `Summary:` row with the last values), LINUX
//! RESTART and COM lines, `-z` (rows whose every figure is zero are left out),
//! `--human`'s units ([`HumanCell`]), and `-x`'s `Minimum:`/`Maximum:` rows (sar 12.7.3's
//! extended reports: each item's closing rows under a `Summary:` header of their own).

use std::fmt::Write as _;

use rstat_data_format::derive::Interval;
use rstat_data_format::span::Span;
use rstat_data_format::{FileHeader, RestartInfo, TimeUs};

use crate::catalogue::{Activity, ActivityId, Family, Kind, RowBuf};
use crate::clock::Clock;
use crate::number::push_fixed_aligned;
use crate::views::human::HumanCell;

/// Where the item (CPU, device, interface) goes on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemPlace {
    None,
    Leading(usize),
    Trailing,
    /// sar -m FAN, TEMP, IN: the item's first word (the sensor's number) in 9 columns before
    /// the figures, the rest (the device) at the end of the line.
    Split,
}

/// Options of the text layout.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Local time or UTC.
    pub clock: Clock,
    /// -z: leave out rows whose figures are all zero.
    pub hide_zero: bool,
    /// -p: device names at the end of the line, as sar prints them with -p.
    pub pretty: bool,
    /// --dec: decimals of the figures that are not whole numbers (sar's default 2).
    pub decimals: Option<u8>,
    /// --human: sizes with a unit letter (1.5G), percentages with `%` ([`HumanCell`]).
    pub human: bool,
    /// -x: each item's least and greatest figures (`Minimum:`, `Maximum:`) over the rows
    /// printed, before its `Average:` row, as sar -x.
    pub minmax: bool,
}

/// sar's first line: kernel, host, date, architecture and CPU count, tab-separated.
pub fn banner(header: &FileHeader, first: Option<TimeUs>, clock: Clock) -> String {
    let date = first
        .map(|t| clock.format(t, "%m/%d/%y"))
        .unwrap_or_default();
    format!(
        "Linux {} ({}) \t{} \t_{}_\t({} CPU)",
        header.kernel_release, header.host, date, header.arch, header.cpu_count
    )
}

/// The LINUX RESTART line, as sar 12.7 prints it: preceded by a blank line (the next table
/// brings its own).
pub fn restart_line(time_us: TimeUs, info: &RestartInfo, clock: Clock) -> String {
    format!(
        "\n{:<11}  LINUX RESTART\t({} CPU)\n",
        clock.format(time_us, "%H:%M:%S"),
        info.cpu_count
    )
}

/// A comment line (`rstat collect --comment`), as sar -C prints a COM record.
pub fn comment_line(time_us: TimeUs, text: &str, clock: Clock) -> String {
    format!("{:<11}  COM {text}\n", clock.format(time_us, "%H:%M:%S"))
}

/// The time labels of an interval (formatted once for every table).
pub struct Labels {
    /// The interval's start (the header's time).
    pub start: String,
    /// The interval's end (the rows' time).
    pub end: String,
}

impl Labels {
    /// The labels of `interval` on `clock`.
    pub fn of(interval: &Interval, clock: Clock) -> Labels {
        Labels {
            start: clock.format(interval.prev.time_us, "%H:%M:%S"),
            end: clock.format(interval.cur.time_us, "%H:%M:%S"),
        }
    }
}

/// One activity's table as it is printed: header once, rows per interval, averages at the end.
pub struct Table<'a> {
    activity: &'a Activity,
    layout: Layout,
    place: ItemPlace,
    /// How --human writes each column.
    human_cells: Vec<HumanCell>,
    /// Each column's decimals (0 for whole numbers, --dec's otherwise), looked up once.
    decimals: Vec<usize>,
    /// Per item: the readings averaged over the span's intervals.
    averages: Vec<Readings>,
    header_printed: bool,
    any_rows: bool,
    /// The rows of the interval being printed, their memory kept for the next.
    buf: RowBuf,
}

impl<'a> Table<'a> {
    /// The table of `activity`, nothing printed yet.
    pub fn new(activity: &'a Activity, layout: Layout) -> Table<'a> {
        let place = match activity.item {
            None => ItemPlace::None,
            Some("CPU") => ItemPlace::Leading(7),
            Some("FILESYSTEM" | "MOUNTPOINT") => ItemPlace::Trailing,
            // sar's --pretty puts device, interface and interrupt names last.
            Some("DEV" | "IFACE" | "INTR") if layout.pretty => ItemPlace::Trailing,
            Some("FAN" | "TEMP" | "IN") => ItemPlace::Split,
            Some(item) => ItemPlace::Leading(item.len().max(9)),
        };
        Table {
            activity,
            layout,
            place,
            human_cells: activity.column_names().map(HumanCell::of).collect(),
            decimals: (0..activity.columns.len())
                .map(|i| {
                    if activity.integer(i) {
                        0
                    } else {
                        usize::from(layout.decimals.unwrap_or(2))
                    }
                })
                .collect(),
            averages: Vec::new(),
            header_printed: false,
            any_rows: false,
            buf: RowBuf::default(),
        }
    }

    /// Whether any row has been printed.
    pub fn has_rows(&self) -> bool {
        self.any_rows
    }

    /// Forget that the header was printed (live mode with several activities repeats it).
    pub fn repeat_header(&mut self) {
        self.header_printed = false;
    }

    /// The rows of one interval, appended to `out`.
    pub fn interval(&mut self, out: &mut String, interval: &Interval, labels: &Labels) {
        // Taken out while the rows are read (the methods below borrow the table).
        let mut buf = std::mem::take(&mut self.buf);
        self.activity.fill(interval, &mut buf);
        if !buf.is_empty() && !self.header_printed {
            self.header(out, &labels.start);
            self.header_printed = true;
            self.any_rows = true;
        }
        for (index, (item, values)) in buf.rows().iter().enumerate() {
            let shown = !(self.layout.hide_zero && all_zero(values));
            if shown {
                self.row(out, &labels.end, item, values);
            }
            let at = self.add_to_average(index, item, interval.seconds, values);
            // sar -x takes the extremes over the rows it printed (-z's hidden ones are not).
            if shown && self.layout.minmax {
                Extrema::widen(&mut self.averages[at].extrema, values);
            }
        }
        self.buf = buf;
    }

    /// Adds a row to its item's readings and says where they are in `averages`; `hint` is
    /// the row's place in its interval, where the item most likely was in the previous
    /// interval too (items keep their order, so a table of many devices does not search its
    /// readings for each row).
    fn add_to_average(&mut self, hint: usize, item: &str, seconds: f64, values: &[f64]) -> usize {
        let found = match self.averages.get(hint) {
            Some(readings) if readings.item == item => Some(hint),
            _ => self.averages.iter().position(|r| r.item == item),
        };
        let at = match found {
            Some(at) => at,
            None => {
                self.averages.push(Readings {
                    item: item.to_string(),
                    count: 0,
                    seconds: 0.0,
                    sums: vec![0.0; values.len()],
                    weighted: vec![0.0; values.len()],
                    extrema: None,
                });
                self.averages.len() - 1
            }
        };
        let readings = &mut self.averages[at];
        readings.count += 1;
        readings.seconds += seconds;
        for ((sum, weighted), v) in readings
            .sums
            .iter_mut()
            .zip(&mut readings.weighted)
            .zip(values)
        {
            *sum += v;
            *weighted += v * seconds;
        }
        at
    }

    /// The `Average:` rows of the span the table's intervals belong to, as sar computes
    /// them: a level (memory, queue, sockets) is the mean of its readings; any other figure
    /// comes from the counters at the span's ends, over the whole span (so -d's await and
    /// %util are ratios of totals). `-F` prints a `Summary:` row of the last values instead.
    /// Process, thread and cgroup views, whose rows are a per-interval selection (the top N),
    /// average their intervals weighted by length. Without a span, every figure is averaged.
    ///
    /// With -x ([`Layout::minmax`]) each item's closing rows are a block of their own, as
    /// sar -x prints them: a blank line, the header labelled `Summary:`, `Minimum:` and
    /// `Maximum:` over the rows printed, then `Average:` (`-F`: `Last:`, its last values).
    /// sar has no extremes for -m USB (a list of devices), so neither has rstat.
    pub fn finish(&mut self, out: &mut String, span: Option<&Span>) {
        let summary = self.activity.is(ActivityId::FILESYSTEM);
        let minmax = self.closes_in_blocks();
        let label = match (summary, minmax) {
            (true, true) => "Last:",
            (true, false) => "Summary:",
            (false, _) => "Average:",
        };
        if !self.header_printed && !self.averages.is_empty() && !minmax {
            self.header(out, label);
            self.header_printed = true;
        }
        let per_interval = Family::of(&self.activity.name).is_some_and(Family::chooses_rows);
        // The whole span as one interval: its end sample is also the last readings.
        let span_rows = span
            .filter(|_| !per_interval)
            .and_then(Span::rates)
            .map(|whole| (self.activity.rows)(&whole))
            .unwrap_or_default();
        for readings in std::mem::take(&mut self.averages) {
            let from_span = span_rows
                .iter()
                .find(|(item, _)| *item == readings.item)
                .map(|(_, values)| values);
            let values: Vec<f64> = (0..readings.sums.len())
                .map(|i| {
                    let level = self.activity.columns.get(i).map(|c| c.kind) == Some(Kind::Level);
                    match from_span.and_then(|values| values.get(i)) {
                        Some(&value) if summary || !level => value,
                        _ if level && !per_interval => readings.sums[i] / readings.count as f64,
                        _ => readings.weighted[i] / readings.seconds,
                    }
                })
                .collect();
            let shown = !(self.layout.hide_zero && all_zero(&values));
            if minmax && (shown || readings.extrema.is_some()) {
                out.push('\n');
                self.header(out, "Summary:");
                if let Some(extrema) = &readings.extrema {
                    self.row(out, "Minimum:", &readings.item, &extrema.min);
                    self.row(out, "Maximum:", &readings.item, &extrema.max);
                }
            }
            if shown {
                self.row(out, label, &readings.item, &values);
            }
        }
    }

    /// Whether [`Table::finish`] starts each item's closing rows on a line of their own,
    /// after a header (-x): the caller then adds no blank line or header before them.
    pub fn closes_in_blocks(&self) -> bool {
        self.layout.minmax && self.activity.name != Family::Power.member("USB")
    }

    fn header(&self, out: &mut String, time: &str) {
        let _ = write!(out, "{time:<11}");
        let label = self.activity.item.unwrap_or_default();
        let label = match self.place {
            ItemPlace::Split => format!("{label} DEVICE"),
            _ => label.to_string(),
        };
        let after = self.item_before(out, &label);
        for column in self.activity.column_names() {
            let _ = write!(out, " {column:>9}");
        }
        Self::item_after(out, after);
    }

    fn row(&self, out: &mut String, time: &str, item: &str, values: &[f64]) {
        push_left(out, time, 11);
        let after = self.item_before(out, item);
        let default = usize::from(self.layout.decimals.unwrap_or(2));
        let decimals = self
            .decimals
            .iter()
            .copied()
            .chain(std::iter::repeat(default));
        for (i, (&value, decimals)) in values.iter().zip(decimals).enumerate() {
            if self.layout.human
                && self
                    .human_cells
                    .get(i)
                    .is_some_and(|cell| cell.push(out, value, self.layout.decimals, 9))
            {
                continue;
            }
            push_fixed(out, value, decimals, 9);
        }
        Self::item_after(out, after);
    }

    /// Writes the part of `item` (or of the header's label) that goes before the figures;
    /// returns the part that goes after them, if the placement puts one there.
    fn item_before<'i>(&self, out: &mut String, item: &'i str) -> Option<&'i str> {
        match self.place {
            ItemPlace::None => None,
            ItemPlace::Leading(width) => {
                out.push(' ');
                push_right(out, item, width);
                None
            }
            ItemPlace::Trailing => Some(item),
            ItemPlace::Split => {
                let (first, rest) = item.split_once(' ').unwrap_or((item, ""));
                let _ = write!(out, " {first:>9}");
                Some(rest)
            }
        }
    }

    /// Ends the line with what `item_before` left for after the figures.
    fn item_after(out: &mut String, after: Option<&str>) {
        if let Some(after) = after {
            let _ = write!(out, " {after}");
        }
        out.push('\n');
    }
}

/// One item's readings over a span: their count and sums, and their seconds and
/// time-weighted sums.
struct Readings {
    item: String,
    count: u32,
    seconds: f64,
    sums: Vec<f64>,
    weighted: Vec<f64>,
    /// -x: the least and greatest of each figure over the rows printed.
    extrema: Option<Extrema>,
}

/// The least and greatest value of each column over some rows.
struct Extrema {
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Extrema {
    /// `extrema` widened to take in `values` (set from them if there were none).
    fn widen(extrema: &mut Option<Extrema>, values: &[f64]) {
        match extrema {
            None => {
                *extrema = Some(Extrema {
                    min: values.to_vec(),
                    max: values.to_vec(),
                })
            }
            Some(Extrema { min, max }) => {
                for ((least, greatest), &v) in min.iter_mut().zip(max.iter_mut()).zip(values) {
                    *least = least.min(v);
                    *greatest = greatest.max(v);
                }
            }
        }
    }
}

/// Appends `" "` and `value` with `decimals` right-aligned in `width`, as
/// `format!(" {value:>9.2}")` does.
fn push_fixed(out: &mut String, value: f64, decimals: usize, width: usize) {
    if !push_fixed_aligned(out, value, decimals, width) {
        let _ = write!(out, " {value:>width$.decimals$}");
    }
}

/// Appends `text` left-aligned in `width` columns, as `write!(out, "{text:<width$}")` does
/// (without the formatting machinery: this runs for every row).
fn push_left(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    push_spaces(out, width.saturating_sub(columns(text)));
}

/// The columns `text` takes: its length when it is ASCII (times, most names: a word-wise
/// test), else its characters.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// Appends `text` right-aligned in `width` columns, as `write!(out, "{text:>width$}")` does.
fn push_right(out: &mut String, text: &str, width: usize) {
    push_spaces(out, width.saturating_sub(columns(text)));
    out.push_str(text);
}

fn push_spaces(out: &mut String, count: usize) {
    const SPACES: &str = "                                ";
    let mut left = count;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}

/// Whether every figure would print as zero.
fn all_zero(values: &[f64]) -> bool {
    values.iter().all(|v| v.abs() < 0.005)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_matches_rust_formatting() {
        let values = [
            0.0,
            -0.0,
            0.004,
            0.005,
            0.015,
            0.125,
            1.005,
            99.995,
            100.0,
            -3.25159,
            -0.001,
            12345678.9,
            2.5,
            3.5,
            1e20,
            f64::NAN,
            0.994999,
            7.0,
            1234567890123.456,
        ];
        for value in values {
            for decimals in [0, 1, 2] {
                let mut ours = String::new();
                push_fixed(&mut ours, value, decimals, 9);
                let theirs = format!(" {value:>9.decimals$}");
                assert_eq!(ours, theirs, "{value} with {decimals} decimals");
            }
        }
        // And many values of every magnitude, many of them on a 0.005 grid.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let magnitude = 10f64.powi((x % 14) as i32 - 3);
            let mut value = (x >> 11) as f64 / (1u64 << 53) as f64 * magnitude;
            if i % 2 == 0 {
                value = (value * 200.0).round() / 200.0;
            }
            if i % 3 == 0 {
                value = -value;
            }
            let mut ours = String::new();
            push_fixed(&mut ours, value, 2, 9);
            assert_eq!(ours, format!(" {value:>9.2}"), "{value:e}");
        }
    }
}
