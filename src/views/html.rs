//! `rstat plot --html`: one self-contained page (no network fetch) that draws the charts of
//! a [`Plot`] on canvases with the project's own script (`dashboard.js`, `dashboard.css`,
//! embedded with `include_str!`). The data travels compact: each series as its values in
//! the column's decimals, delta-coded as variable-length integers, in base64 (a slowly
//! moving series costs one or two bytes a sample), inside one JSON document that the script
//! decodes once and decimates per pixel column on every zoom.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::chart::{unit_label, Plot, ProcessList, Style};
use super::svg::escape;
use crate::clock::Clock;
use crate::number::fixed_digits;

const SCRIPT: &str = include_str!("dashboard.js");
const STYLE: &str = include_str!("dashboard.css");

/// Standard base64 with padding (what the browser's `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// LEB128 of an unsigned number.
fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The digits `rstat report` prints for `v` with `decimals`, as a whole number of
/// `1 / 10^decimals` (so that the page reads the same figures), without allocating in the
/// common case; saturates beyond `i64`.
fn printed_whole(v: f64, decimals: u8) -> i64 {
    let mut buf = [0; 24];
    let exact;
    let text = match fixed_digits(v, usize::from(decimals), &mut buf) {
        Some(text) => text,
        None => {
            exact = format!("{v:.*}", usize::from(decimals));
            &exact
        }
    };
    let magnitude = text.bytes().filter(u8::is_ascii_digit).fold(0i64, |n, d| {
        n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    }
}

/// Values as whole numbers of `1 / 10^decimals` (the digits `rstat report` prints), as
/// LEB128 tokens: an even token `2z` is a change from the previous value (`z` the change,
/// zigzag-coded, never 0); an odd token `2r + 1` a run, of `r / 2 + 1` repeats of the
/// previous value when `r` is even, of `(r - 1) / 2 + 1` missing values when `r` is odd. A
/// steady series costs a few bytes a day.
pub(crate) fn encode_values(values: impl IntoIterator<Item = f64>, decimals: u8) -> String {
    /// A pending run: repeats (`false`) or missing values (`true`), and its length.
    fn flush(bytes: &mut Vec<u8>, run: &mut Option<(bool, u64)>) {
        if let Some((missing, length)) = run.take() {
            varint(bytes, 2 * (2 * (length - 1) + u64::from(missing)) + 1);
        }
    }
    let mut bytes = Vec::new();
    let mut previous = 0i64;
    let mut run: Option<(bool, u64)> = None;
    for v in values {
        let token = if v.is_finite() {
            let whole = printed_whole(v, decimals);
            let delta = whole.wrapping_sub(previous);
            previous = whole;
            (delta != 0).then_some(delta)
        } else {
            None
        };
        match token {
            Some(delta) => {
                flush(&mut bytes, &mut run);
                varint(&mut bytes, ((delta << 1) ^ (delta >> 63)) as u64 * 2);
            }
            None => {
                let missing = !v.is_finite();
                match &mut run {
                    Some((kind, length)) if *kind == missing => *length += 1,
                    _ => {
                        flush(&mut bytes, &mut run);
                        run = Some((missing, 1));
                    }
                }
            }
        }
    }
    flush(&mut bytes, &mut run);
    base64(&bytes)
}

/// One hover list: per sample how many processes, which (indexes into the names), and
/// each shown column's figures, all in the same flattened order.
fn process_list(list: &ProcessList) -> Value {
    let counts = list.top.iter().map(|top| top.len() as f64);
    let flat = || list.top.iter().flatten();
    json!({
        "rankedBy": list.ranked_by,
        "columns": list.columns.iter().enumerate().map(|(k, (label, decimals))| json!({
            "label": label,
            "decimals": decimals,
            "values": encode_values(
                flat().map(|(_, figures)| figures.get(k).copied().unwrap_or(f64::NAN)),
                *decimals,
            ),
        })).collect::<Vec<_>>(),
        "counts": encode_values(counts, 0),
        "which": encode_values(flat().map(|(i, _)| f64::from(*i)), 0),
    })
}

/// The page's data: charts, times, marks and the busiest processes per sample.
fn data(plot: &Plot, clock: Clock) -> Value {
    let offset_s = match (clock.utc, plot.times.first()) {
        (false, Some(first)) => {
            use chrono::{Offset, TimeZone};
            chrono::Local
                .timestamp_micros(*first)
                .earliest()
                .map_or(0, |t| t.offset().fix().local_minus_utc())
        }
        _ => 0,
    };
    let charts: Vec<Value> = plot
        .charts
        .iter()
        .map(|chart| {
            json!({
                "title": chart.title,
                // The list shown when hovering it, if any.
                "hover": plot
                    .process_lists
                    .iter()
                    .position(|list| list.activities.iter().any(|id| id.name() == chart.activity)),
                "unit": unit_label(chart.unit),
                "style": match chart.style {
                    Style::Lines => "lines",
                    Style::Stacked => "stacked",
                    Style::Heatmap => "heatmap",
                },
                "max": chart.max,
                "series": chart.series.iter().map(|s| json!({
                    "label": s.label,
                    "colour": s.colour,
                    "decimals": s.decimals,
                    "values": encode_values(s.values.iter().copied(), s.decimals),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": plot.title,
        "utcOffsetS": offset_s,
        "zone": if clock.utc { "UTC" } else { "local time" },
        // Times as the steps between samples (ms): a steady interval is one run.
        "start": plot.times.first().map_or(0, |t| t / 1000),
        "steps": encode_values(
            plot.times.windows(2).map(|w| ((w[1] - w[0]) / 1000) as f64),
            0,
        ),
        "charts": charts,
        "marks": plot.marks.iter().map(|m| json!({
            "t": m.time_us / 1000, "kind": m.kind, "text": m.text,
        })).collect::<Vec<_>>(),
        "processes": {
            "names": plot.process_names,
            "lists": plot.process_lists.iter().map(process_list).collect::<Vec<_>>(),
        },
    })
}

/// The page.
pub fn page(plot: &Plot, clock: Clock) -> String {
    let mut out = String::new();
    // The JSON sits in a <script> element: "</" must not close it early.
    let data = data(plot, clock).to_string().replace("</", "<\\/");
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width\">\n<title>rstat: {title}</title>\n\
         <style>\n{STYLE}</style>\n</head>\n<body>\n<header><h1>{title}</h1>\
         <div id=\"cursor\"></div><div id=\"hint\">drag: zoom all charts · double-click: reset · \
         click a legend entry: hide it</div></header>\n<main id=\"charts\">{empty}</main>\n\
         <div id=\"processes\" hidden></div>\n\
         <script id=\"rstat-data\" type=\"application/json\">{data}</script>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        title = escape(&plot.title),
        empty = if plot.charts.is_empty() {
            "<p>No data in the selected window.</p>"
        } else {
            ""
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"rstat"), "cnN0YXQ=");
        assert_eq!(base64(b"rs"), "cnM=");
        assert_eq!(base64(b"rst"), "cnN0");
    }

    #[test]
    fn values_are_delta_coded_with_runs() {
        // 1.5 -> 150 (zigzag 300, token 600 = 0xd8 0x04); 1.5 twice more: a run of 2 repeats
        // (r = 2, token 5); two missing values (r = 3, token 7); 1.49: change -1 (zigzag 1,
        // token 2).
        let text = encode_values([1.5, 1.5, 1.5, f64::NAN, f64::NAN, 1.49], 2);
        assert_eq!(text, base64(&[0xd8, 0x04, 5, 7, 2]));
        assert_eq!(encode_values([0.0; 1000], 0), base64(&[0x9d, 0x1f]));
    }

    #[test]
    fn whole_numbers_are_the_printed_digits() {
        assert_eq!(printed_whole(1.5, 2), 150);
        assert_eq!(printed_whole(-0.004, 2), 0);
        assert_eq!(printed_whole(-2.25, 0), -2);
        // A product ending in .5 rounds as the printed figure does: 0.125 is exact, printed
        // as Rust formats it, and 0.005 is a little over 0.005, printed 0.01.
        assert_eq!(
            printed_whole(0.125, 2),
            format!("{:.2}", 0.125)
                .replace('.', "")
                .parse::<i64>()
                .unwrap()
        );
        assert_eq!(printed_whole(0.005, 2), 1);
        assert_eq!(printed_whole(1e300, 0), i64::MAX);
    }
}
