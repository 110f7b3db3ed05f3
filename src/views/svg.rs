//! Drawing `rstat plot`'s charts: hand-written SVG, no dependency (a chart is a frame, two
//! axes with ticks, polylines and a legend; no plotting crate is needed for that). Time ticks
//! fall on round clock times (1 s to 1 day apart) labelled in the report's clock; value ticks
//! are 1, 2 or 5 times a power of ten from zero (or the minimum, when negative).

use std::fmt::Write as _;

use rstat_data_format::TimeUs;

use crate::clock::Clock;

/// One line of a chart: its label and its points (`None` breaks the line at a restart).
pub struct Line {
    /// The legend's text.
    pub label: String,
    /// The points.
    pub points: Points,
}

/// One chart: a title, the unit of its values, and its lines.
pub struct Chart {
    /// The chart's title.
    pub title: String,
    /// The unit of the value axis.
    pub unit: &'static str,
    /// The lines.
    pub lines: Vec<Line>,
}

/// A line's points in time order (`None`: a break at a restart).
pub type Points = Vec<Option<(TimeUs, f64)>>;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 300.0;
/// Plot area inside a chart: left margin for value labels, right for the legend.
const LEFT: f64 = 70.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;
/// Distinguishable colours (Okabe-Ito, then darker shades).
const COLOURS: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
];

/// Text for SVG and HTML: `&`, `<`, `>` and `"` escaped.
fn escape(text: &str) -> String {
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
    let power = 10f64.powf(raw.log10().floor());
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
fn time_ticks(start: TimeUs, end: TimeUs, clock: Clock) -> (Vec<TimeUs>, &'static str) {
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

/// One chart as an `<svg>` element (standalone, or nested at `y` in a document).
fn chart(out: &mut String, chart: &Chart, span: (TimeUs, TimeUs), clock: Clock, y: f64) {
    let (start, end) = span;
    let end = end.max(start + 1);
    let values = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().flatten().map(|p| p.1));
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (ticks, low, high) = value_ticks(min.min(0.0), max.max(0.0));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |t: TimeUs| LEFT + (t - start) as f64 / (end - start) as f64 * plot_w;
    let yv = |v: f64| TOP + plot_h - (v - low) / (high - low) * plot_h;
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" y="{y}" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{}</text>"#,
        escape(&chart.title)
    );
    // Value axis: grid lines and labels, the unit above.
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
    if !chart.unit.is_empty() {
        let _ = writeln!(
            out,
            // Anchored at the left edge: "per second" is wider than the label column.
            r#"<text x="4" y="{:.1}">{}</text>"#,
            TOP - 8.0,
            escape(chart.unit)
        );
    }
    // Time axis.
    let (times, format) = time_ticks(start, end, clock);
    for t in times {
        let px = x(t);
        let _ = writeln!(
            out,
            r##"<line x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{:.1}" stroke="#eee"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            TOP + plot_h + 4.0,
            TOP + plot_h + 18.0,
            clock.format(t, format)
        );
    }
    let _ = writeln!(
        out,
        r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>"##
    );
    // Lines (a restart breaks them) and the legend.
    for (index, line) in chart.lines.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let dash = if index >= COLOURS.len() {
            r#" stroke-dasharray="4 2""#
        } else {
            ""
        };
        for segment in line.points.split(Option::is_none) {
            let points: Vec<String> = segment
                .iter()
                .flatten()
                .map(|(t, v)| format!("{:.1},{:.1}", x(*t), yv(*v)))
                .collect();
            match points.len() {
                0 => {}
                1 => {
                    let _ = writeln!(
                        out,
                        r#"<circle cx="{}" r="2" fill="{colour}"/>"#,
                        points[0].replacen(',', "\" cy=\"", 1)
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5"{dash} points="{}"/>"#,
                        points.join(" ")
                    );
                }
            }
        }
        let ly = TOP + 6.0 + index as f64 * 16.0;
        let lx = WIDTH - RIGHT + 12.0;
        let _ = writeln!(
            out,
            r#"<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 14.0,
            ly + 9.0,
            escape(&line.label)
        );
    }
    out.push_str("</svg>\n");
}

/// Every chart stacked in one SVG document.
pub fn document(
    title: &str,
    charts: &[Chart],
    span: Option<(TimeUs, TimeUs)>,
    clock: Clock,
) -> String {
    let height = 30.0 + HEIGHT * charts.len() as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="15">{}</text>"#,
        escape(title)
    );
    if let Some(span) = span {
        for (index, c) in charts.iter().enumerate() {
            chart(&mut out, c, span, clock, 30.0 + HEIGHT * index as f64);
        }
    }
    out.push_str("</svg>\n");
    out
}

/// A self-contained HTML page with one inline SVG per chart.
pub fn html(title: &str, charts: &[Chart], span: Option<(TimeUs, TimeUs)>, clock: Clock) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rstat: {0}</title>\n<style>body{{font-family:sans-serif;margin:1em}} svg{{display:block;margin-bottom:1em;background:white}}</style>\n</head>\n<body>\n<h1>{0}</h1>",
        escape(title)
    );
    match span {
        Some(span) if !charts.is_empty() => {
            for c in charts {
                chart(&mut out, c, span, clock, 0.0);
            }
        }
        _ => out.push_str("<p>No data in the selected window.</p>\n"),
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
