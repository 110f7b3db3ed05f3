//! Drawing `rstat plot`'s charts ([`super::chart`]) as one SVG document: hand-written, no
//! dependency (a frame, two axes with ticks, polylines, stacked polygons or heatmap rows,
//! and a legend). Every series is decimated to the smallest and largest value per pixel
//! column (stacked charts: the column's peak sample), so a day of 1 s samples stays small. Time ticks
//! fall on round clock times (1 s to 1 day apart) labelled in the report's clock; value ticks
//! are 1, 2 or 5 times a power of ten from zero (or the minimum, when negative).

use std::fmt::Write as _;

use rstat_data_format::TimeUs;

use std::ops::Range;

use super::chart::{unit_label, Chart, Plot, Style};
use crate::clock::Clock;

const WIDTH: f64 = 1400.0;
const HEIGHT: f64 = 260.0;
/// Plot area inside a chart: left margin for value labels, right for the legend.
const LEFT: f64 = 70.0;
const RIGHT: f64 = 230.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;
/// Text for SVG and HTML: `&`, `<`, `>` and `"` escaped.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Round ticks covering `min..=max`: (ticks, low, high) with low <= min and high >= max.
pub(crate) fn value_ticks(min: f64, max: f64) -> (Vec<f64>, f64, f64) {
    let low = min.min(0.0);
    let high = if max > low { max } else { low + 1.0 };
    let raw = (high - low) / 5.0;
    let power = decade_at_most(raw);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let low = (low / step).floor() * step;
    let high = (high / step).ceil() * step;
    let count = ((high - low) / step).round() as usize;
    let ticks = (0..=count).map(|i| low + step * i as f64).collect();
    (ticks, low, high)
}

/// The largest power of ten not above `x`, `10^floor(log10(x))`, found by stepping a decade at
/// a time rather than with `log10` and `pow`: they were the binary's only calls into libm,
/// and without them the loader does not map and relocate libm at every start (README,
/// "Issue 10, seventh round"). Exact for the decades an f64 holds exactly (1e-22..1e22);
/// `x` not positive and finite is returned as is, as the formula gives it (0, inf, NaN); a
/// subnormal `x` gives 0.
fn decade_at_most(x: f64) -> f64 {
    if !(x > 0.0 && x.is_finite()) {
        return x;
    }
    if x >= 1.0 {
        let mut power = 1.0;
        while power * 10.0 <= x {
            power *= 10.0;
        }
        power
    } else {
        // 1 / 10^k rounds once, as `pow` does; repeated division by ten would not.
        let mut denominator = 1.0;
        while 1.0 / denominator > x {
            denominator *= 10.0;
        }
        1.0 / denominator
    }
}

/// A value axis label: short, with k/M/G for large values.
pub(crate) fn short_number(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// Time ticks: every `step` seconds on round clock times between `start` and `end`.
pub(crate) fn time_ticks(start: TimeUs, end: TimeUs, clock: Clock) -> (Vec<TimeUs>, &'static str) {
    const STEPS: [i64; 17] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
    ];
    let span_s = ((end - start) / 1_000_000).max(1);
    let step = STEPS
        .into_iter()
        .find(|s| span_s / s <= 8)
        .unwrap_or(86_400);
    // Round clock times are round in the clock's zone: shift by its offset.
    let offset_s = if clock.utc {
        0
    } else {
        use chrono::{Offset, TimeZone};
        chrono::Local
            .timestamp_micros(start)
            .earliest()
            .map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()))
    };
    let step_us = step * 1_000_000;
    let local = start + offset_s * 1_000_000;
    let mut tick = (local.div_euclid(step_us) + 1) * step_us - offset_s * 1_000_000;
    if tick - step_us >= start {
        tick -= step_us;
    }
    let mut ticks = Vec::new();
    while tick <= end {
        ticks.push(tick);
        tick += step_us;
    }
    (ticks, if step < 60 { "%H:%M:%S" } else { "%H:%M" })
}

/// Per pixel column of a plot `width` wide over `start..=end`, the range of sample indexes
/// whose times fall in it (times ascending): the unit of min/max decimation.
pub(crate) fn pixel_columns(
    times: &[TimeUs],
    start: TimeUs,
    end: TimeUs,
    width: usize,
) -> Vec<Range<usize>> {
    let span = (end - start).max(1) as f64;
    let mut columns = vec![0..0; width];
    let first = times.partition_point(|t| *t < start);
    let mut index = first;
    for (col, range) in columns.iter_mut().enumerate() {
        let edge = start as f64 + span * (col + 1) as f64 / width as f64;
        let from = index;
        while index < times.len()
            && times[index] <= end
            && ((times[index] as f64) < edge || col + 1 == width)
        {
            index += 1;
        }
        *range = from..index;
    }
    columns
}

/// The smallest and largest finite value among `indexes` of `values`.
fn min_max(values: &[f64], indexes: Range<usize>) -> Option<(f64, f64)> {
    values[indexes]
        .iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, &v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Per pixel column, the sample whose stacked total is the largest (a one-second spike
/// stays visible in a day), or `None` for a column without samples.
fn stack_peaks(chart: &Chart, columns: &[Range<usize>]) -> Vec<Option<usize>> {
    let total = |i: usize| -> f64 {
        chart
            .series
            .iter()
            .map(|s| s.values[i])
            .filter(|v| v.is_finite())
            .sum()
    };
    columns
        .iter()
        .map(|range| {
            range
                .clone()
                .filter(|i| chart.series.iter().any(|s| s.values[*i].is_finite()))
                .max_by(|a, b| total(*a).total_cmp(&total(*b)))
        })
        .collect()
}

/// The value axis' range of a chart over `columns`.
fn value_range(chart: &Chart, columns: &[Range<usize>], peaks: &[Option<usize>]) -> (f64, f64) {
    if let Some(max) = chart.max {
        return (0.0, max);
    }
    let (mut lo, mut hi) = (0f64, 0f64);
    if chart.style == Style::Stacked {
        for i in peaks.iter().flatten() {
            let sum: f64 = chart
                .series
                .iter()
                .map(|s| s.values[*i])
                .filter(|v| v.is_finite())
                .sum();
            hi = hi.max(sum);
        }
    } else {
        for series in &chart.series {
            for range in columns {
                if let Some((a, b)) = min_max(&series.values, range.clone()) {
                    lo = lo.min(a);
                    hi = hi.max(b);
                }
            }
        }
    }
    (lo, hi)
}

/// One chart as an `<svg>` element nested at `y` in the document.
fn chart(
    out: &mut String,
    plot: &Plot,
    chart: &Chart,
    span: (TimeUs, TimeUs),
    clock: Clock,
    y: f64,
) {
    let (start, end) = (span.0, span.1.max(span.0 + 1));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let columns = pixel_columns(&plot.times, start, end, plot_w as usize);
    let peaks = if chart.style == Style::Stacked {
        stack_peaks(chart, &columns)
    } else {
        Vec::new()
    };
    let (min, max) = value_range(chart, &columns, &peaks);
    let (ticks, low, high) = value_ticks(min, max);
    let x = |col: usize| LEFT + col as f64 + 0.5;
    let xt = |t: TimeUs| LEFT + (t - start) as f64 / (end - start) as f64 * plot_w;
    let yv = |v: f64| TOP + plot_h - (v - low) / (high - low) * plot_h;
    let _ = writeln!(
        out,
        r#"<svg x="0" y="{y}" width="{WIDTH}" height="{HEIGHT}" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="18" font-size="14" font-weight="bold">{}</text><text x="4" y="{:.1}">{}</text>"#,
        escape(&chart.title),
        TOP - 8.0,
        escape(unit_label(chart.unit))
    );
    if chart.style != Style::Heatmap {
        for v in &ticks {
            let py = yv(*v);
            let _ = writeln!(
                out,
                r##"<line x1="{LEFT}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
                LEFT + plot_w,
                LEFT - 6.0,
                py + 4.0,
                short_number(*v)
            );
        }
    }
    let (times, format) = time_ticks(start, end, clock);
    for t in times {
        let px = xt(t);
        let _ = writeln!(
            out,
            r##"<line x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{:.1}" stroke="#eee"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            TOP + plot_h + 4.0,
            TOP + plot_h + 18.0,
            clock.format(t, format)
        );
    }
    match chart.style {
        Style::Lines => lines(out, chart, &columns, &x, &yv),
        Style::Stacked => stacked(out, chart, &peaks, &x, &yv),
        Style::Heatmap => heatmap(out, chart, &columns, high, plot_h),
    }
    for mark in &plot.marks {
        if (start..=end).contains(&mark.time_us) {
            let px = xt(mark.time_us);
            let _ = writeln!(
                out,
                r##"<line x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{:.1}" stroke="#c00" stroke-dasharray="3 3"><title>{} {}</title></line>"##,
                TOP + plot_h,
                mark.kind,
                escape(&mark.text)
            );
        }
    }
    let _ = writeln!(
        out,
        r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>"##
    );
    for (index, series) in chart.series.iter().enumerate().take(16) {
        let ly = TOP + 2.0 + index as f64 * 15.0;
        let lx = WIDTH - RIGHT + 12.0;
        let _ = writeln!(
            out,
            r#"<rect x="{lx}" y="{ly}" width="10" height="10" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            series.colour,
            lx + 14.0,
            ly + 9.0,
            escape(&series.label)
        );
    }
    out.push_str("</svg>\n");
}

/// Lines: per pixel column the smallest and the largest value; a column without a value
/// breaks the line.
fn lines(
    out: &mut String,
    chart: &Chart,
    columns: &[Range<usize>],
    x: &dyn Fn(usize) -> f64,
    yv: &dyn Fn(f64) -> f64,
) {
    for series in &chart.series {
        let mut segment: Vec<String> = Vec::new();
        let mut flush = |segment: &mut Vec<String>| {
            if segment.len() > 1 {
                let _ = writeln!(
                    out,
                    r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
                    series.colour,
                    segment.join(" ")
                );
            }
            segment.clear();
        };
        for (col, range) in columns.iter().enumerate() {
            if range.is_empty() {
                continue;
            }
            match min_max(&series.values, range.clone()) {
                Some((lo, hi)) => {
                    segment.push(format!("{:.1},{:.1}", x(col), yv(hi)));
                    if lo != hi {
                        segment.push(format!("{:.1},{:.1}", x(col), yv(lo)));
                    }
                }
                None => flush(&mut segment),
            }
        }
        flush(&mut segment);
    }
}

/// Stacked areas, each column drawn from its peak sample.
fn stacked(
    out: &mut String,
    chart: &Chart,
    peaks: &[Option<usize>],
    x: &dyn Fn(usize) -> f64,
    yv: &dyn Fn(f64) -> f64,
) {
    let mut below: Vec<Option<f64>> = peaks.iter().map(|p| p.map(|_| 0.0)).collect();
    for series in &chart.series {
        let above: Vec<Option<f64>> = peaks
            .iter()
            .zip(&below)
            .map(|(p, b)| {
                let v = series.values[(*p)?];
                Some(b.unwrap_or(0.0) + if v.is_finite() { v } else { 0.0 })
            })
            .collect();
        let cols: Vec<usize> = (0..peaks.len()).filter(|c| peaks[*c].is_some()).collect();
        if cols.len() > 1 {
            let top = cols
                .iter()
                .map(|c| format!("{:.1},{:.1}", x(*c), yv(above[*c].unwrap_or(0.0))));
            let bottom = cols
                .iter()
                .rev()
                .map(|c| format!("{:.1},{:.1}", x(*c), yv(below[*c].unwrap_or(0.0))));
            let points: Vec<String> = top.chain(bottom).collect();
            let _ = writeln!(
                out,
                r#"<polygon fill="{}" fill-opacity="0.85" points="{}"/>"#,
                series.colour,
                points.join(" ")
            );
        }
        below = above;
    }
}

/// A heatmap: a row per series, each pixel column's largest value as the colour's strength
/// (in ten steps, runs of one step drawn as one rectangle).
fn heatmap(out: &mut String, chart: &Chart, columns: &[Range<usize>], high: f64, plot_h: f64) {
    let rows = chart.series.len().max(1);
    let row_h = plot_h / rows as f64;
    for (row, series) in chart.series.iter().enumerate() {
        let mut steps: Vec<Option<u8>> = columns
            .iter()
            .map(|range| {
                min_max(&series.values, range.clone())
                    .map(|(_, hi)| ((hi / high).clamp(0.0, 1.0) * 10.0).round() as u8)
            })
            .collect();
        // A sample's value covers its interval: columns without a sample take the next one's.
        let mut next = None;
        for step in steps.iter_mut().rev() {
            match step {
                Some(_) => next = *step,
                None => *step = next,
            }
        }
        let mut col = 0;
        while col < steps.len() {
            let step = steps[col];
            let run = steps[col..].iter().take_while(|s| **s == step).count();
            if let Some(step) = step.filter(|s| *s > 0) {
                let _ = writeln!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="{run}" height="{:.1}" fill="{}" fill-opacity="{:.1}"/>"#,
                    LEFT + col as f64,
                    TOP + row as f64 * row_h,
                    row_h,
                    series.colour,
                    f64::from(step) / 10.0
                );
            }
            col += run;
        }
        if rows <= 32 {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10">{}</text>"#,
                LEFT - 6.0,
                TOP + (row as f64 + 0.5) * row_h + 3.0,
                escape(&series.label)
            );
        }
    }
}

/// Every chart stacked in one SVG document that fills the width it is shown in.
pub fn document(plot: &Plot, clock: Clock) -> String {
    let height = 30.0 + HEIGHT * plot.charts.len() as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="15">{}</text>"#,
        escape(&plot.title)
    );
    if let (Some(first), Some(last)) = (plot.times.first(), plot.times.last()) {
        for (index, c) in plot.charts.iter().enumerate() {
            chart(
                &mut out,
                plot,
                c,
                (*first, *last),
                clock,
                30.0 + HEIGHT * index as f64,
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_equal_the_libm_formula() {
        let mut x = 1e-20_f64;
        while x < 1e20 {
            for value in [x, x * 1.5, x * 2.0, x * 9.99, x * 5.0] {
                assert_eq!(
                    decade_at_most(value),
                    10f64.powf(value.log10().floor()),
                    "{value}"
                );
            }
            x *= 10.0;
        }
        assert_eq!(decade_at_most(0.0), 0.0);
        assert_eq!(decade_at_most(f64::INFINITY), f64::INFINITY);
        assert!(decade_at_most(f64::NAN).is_nan());
        // Below the normal range the denominator overflows: 0, still not above x.
        assert_eq!(decade_at_most(f64::MIN_POSITIVE / 4.0), 0.0);
    }

    #[test]
    fn value_ticks_are_round() {
        let (ticks, low, high) = value_ticks(0.0, 87.0);
        assert_eq!(ticks, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!((low, high), (0.0, 100.0));
        let (ticks, _, _) = value_ticks(-3.0, 7.0);
        assert_eq!(ticks, [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]);
        let (ticks, _, high) = value_ticks(0.0, 0.0);
        assert_eq!(high, 1.0);
        assert_eq!(ticks.len(), 6);
    }

    #[test]
    fn time_ticks_fall_on_round_times() {
        let utc = Clock { utc: true };
        let start = 1_700_000_003_000_000; // 22:13:23 UTC
        let (ticks, format) = time_ticks(start, start + 3_600_000_000, utc);
        assert_eq!(format, "%H:%M");
        assert_eq!(utc.format(ticks[0], "%H:%M:%S"), "22:20:00");
        assert!(ticks.len() <= 9, "{}", ticks.len());
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(short_number(2_500_000.0), "2.5M");
        assert_eq!(short_number(12.5), "12.5");
        assert_eq!(short_number(40.0), "40");
        assert_eq!(short_number(45_000.0), "45k");
    }
}
