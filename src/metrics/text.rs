//! The text exposition of metric families: Prometheus' text format 0.0.4, and OpenMetrics
//! 1.0 when the scraper asks for it (counter families named without `_total`, untyped ones
//! `unknown`, `# EOF` at the end).

use std::fmt::Write as _;

use super::{Family, Kind};

pub const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
pub const OPENMETRICS_CONTENT_TYPE: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Which text format to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Prometheus,
    OpenMetrics,
}

impl Format {
    /// OpenMetrics when the Accept header lists it (Prometheus sends it first when it
    /// prefers it), else the classic text format.
    pub fn negotiate(accept: Option<&str>) -> Format {
        match accept {
            Some(accept) if accept.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Prometheus,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Prometheus => PROMETHEUS_CONTENT_TYPE,
            Format::OpenMetrics => OPENMETRICS_CONTENT_TYPE,
        }
    }
}

/// Appends `families` to `out` in `format`.
pub fn render(families: &[Family], format: Format, out: &mut String) {
    for family in families {
        let (type_name, kind) = match (format, family.kind) {
            (_, Kind::Counter) => ("counter", Kind::Counter),
            (_, Kind::Gauge) => ("gauge", Kind::Gauge),
            (Format::Prometheus, Kind::Untyped) => ("untyped", Kind::Untyped),
            (Format::OpenMetrics, Kind::Untyped) => ("unknown", Kind::Untyped),
        };
        let family_name = match (format, kind) {
            (Format::OpenMetrics, Kind::Counter) => {
                family.name.strip_suffix("_total").unwrap_or(&family.name)
            }
            _ => &family.name,
        };
        let _ = writeln!(out, "# HELP {family_name} {}", escape_help(&family.help));
        let _ = writeln!(out, "# TYPE {family_name} {type_name}");
        for point in &family.points {
            out.push_str(&family.name);
            if !point.labels.is_empty() {
                out.push('{');
                for (i, (name, value)) in point.labels.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{name}=\"{}\"", escape_label(value));
                }
                out.push('}');
            }
            out.push(' ');
            push_value(out, point.value);
            out.push('\n');
        }
    }
    if format == Format::OpenMetrics {
        out.push_str("# EOF\n");
    }
}

fn push_value(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        let _ = write!(out, "{value}");
    }
}

/// A label value: backslash, double quote and line feed escaped.
pub fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// HELP text: backslash and line feed escaped.
fn escape_help(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::metrics::{plain, Point};

    fn family(name: &'static str, kind: Kind, points: Vec<Point>) -> Family {
        Family {
            name: Cow::Borrowed(name),
            help: Cow::Borrowed("Help \\ text."),
            kind,
            points,
        }
    }

    #[test]
    fn both_formats_write_types_labels_and_values() {
        let families = vec![
            family(
                "node_cpu_seconds_total",
                Kind::Counter,
                vec![Point {
                    labels: vec![("cpu", "0".into()), ("mode", "a\"b\\c\nd".into())],
                    value: 12.5,
                }],
            ),
            family("node_load1", Kind::Gauge, vec![plain(0.25)]),
            family("node_vmstat_pgfault", Kind::Untyped, vec![plain(f64::NAN)]),
        ];
        let mut text = String::new();
        render(&families, Format::Prometheus, &mut text);
        assert_eq!(
            text,
            "# HELP node_cpu_seconds_total Help \\\\ text.\n# TYPE node_cpu_seconds_total counter\n\
             node_cpu_seconds_total{cpu=\"0\",mode=\"a\\\"b\\\\c\\nd\"} 12.5\n\
             # HELP node_load1 Help \\\\ text.\n# TYPE node_load1 gauge\nnode_load1 0.25\n\
             # HELP node_vmstat_pgfault Help \\\\ text.\n# TYPE node_vmstat_pgfault untyped\n\
             node_vmstat_pgfault NaN\n"
        );
        let mut text = String::new();
        render(&families, Format::OpenMetrics, &mut text);
        assert!(text.starts_with("# HELP node_cpu_seconds Help"), "{text}");
        assert!(text.contains("# TYPE node_cpu_seconds counter\nnode_cpu_seconds_total{"));
        assert!(text.contains("# TYPE node_vmstat_pgfault unknown\n"));
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn openmetrics_only_when_asked() {
        assert_eq!(Format::negotiate(None), Format::Prometheus);
        assert_eq!(
            Format::negotiate(Some("text/plain;version=0.0.4;q=0.5,*/*;q=0.1")),
            Format::Prometheus
        );
        assert_eq!(
            Format::negotiate(Some(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75"
            )),
            Format::OpenMetrics
        );
    }
}
