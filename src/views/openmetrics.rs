//! `rstat export --openmetrics`: OpenMetrics 1.0 text with timestamps, for backfilling a
//! Prometheus TSDB (`promtool tsdb create-blocks-from openmetrics FILE DIR`).
//!
//! Every column is a metric family `rstat_<activity>_<field>`: the field is sar's name,
//! lower-cased, `%x` becoming `x_percent` and `x/s` becoming `x_per_second`, other
//! characters `_` (`rkB/s` -> `rkb_per_second`). Its type, help and unit come from the
//! column's metadata ([`Column`]): a cumulative count is a counter (samples
//! `<family>_total`), every other figure a gauge; HELP says what the figure is, with sar's
//! activity, column and unit; UNIT is given where the name already ends with the unit
//! (`_percent`): names stay as they were. Labels: `host`, then the item's fields
//! (`cpu="all"`, `device="sda"`, `interface="eth0"`, `uid`, `pid`, `command`, `cgroup`).
//! Timestamps are seconds with milliseconds (Prometheus keeps milliseconds).
//!
//! OpenMetrics forbids interleaving families, but the series gives time order: rows are
//! spooled to one temporary file per activity during the single pass over the series (memory
//! stays constant), and each family is written from its activity's spool at the end. That is
//! why this format cannot `--follow`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

use super::{Format, Host, Sample, Table};
use crate::catalogue::{Column, Kind};
use crate::number::number;

/// `rstat export --openmetrics`: families written at the end, from per-table spools.
pub struct OpenMetrics<'a, W: Write> {
    tables: &'a [Table],
    out: W,
    /// Per table: the labels every row starts with, its spool, and whether it holds rows.
    host_label: String,
    spools: Vec<(BufWriter<File>, bool)>,
}

impl<'a, W: Write> OpenMetrics<'a, W> {
    /// A spool per table (temporary files, TMPDIR).
    pub fn new(host: &'a Host, tables: &'a [Table], out: W) -> Result<OpenMetrics<'a, W>, String> {
        let spools = tables
            .iter()
            .map(|_| {
                tempfile::tempfile()
                    .map(|f| (BufWriter::new(f), false))
                    .map_err(|e| {
                        format!("--openmetrics: cannot create a temporary file (TMPDIR): {e}")
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OpenMetrics {
            tables,
            out,
            host_label: format!("host=\"{}\"", escape_label(&host.nodename)),
            spools,
        })
    }
}

/// A label value: backslash, double quote and line feed escaped.
fn escape_label(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Lower-case letters, digits and single underscores.
fn snake(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_matches('_').to_string()
}

/// `%user` -> `user_percent`, `rkB/s` -> `rkb_per_second`, `areq-sz` -> `areq_sz`.
pub(crate) fn field_name(column: &str) -> String {
    let (rest, per_second) = match column.strip_suffix("/s") {
        Some(rest) => (rest, "_per_second"),
        None => (column, ""),
    };
    let (rest, percent) = match rest.strip_prefix('%') {
        Some(rest) => (rest, "_percent"),
        None => (rest, ""),
    };
    let name = snake(rest);
    // promtool's lint refuses `kb` as a word of a name (an abbreviated unit); sar's own
    // names glue it on (`kbmemfree`), so `kB_rd/s` becomes `kbrd_per_second` likewise.
    let name = match name.strip_prefix("kb_") {
        Some(rest) => format!("kb{rest}"),
        None => name,
    };
    format!("{name}{percent}{per_second}")
}

/// The metric prefix of an activity: `rstat_net_dev`. `summary` is a metric type, which
/// promtool's lint refuses as a word of a gauge's name: `process-summary` is
/// `rstat_process_stats`.
fn metric_prefix(activity: &str) -> String {
    let name = snake(activity);
    let name = match name.strip_suffix("_summary") {
        Some(rest) => format!("{rest}_stats"),
        None => name,
    };
    format!("rstat_{name}")
}

/// The label an item field goes under.
fn label_name(key: &str) -> String {
    match key {
        "DEV" => "device".to_string(),
        "IFACE" => "interface".to_string(),
        other => snake(other),
    }
}

/// A family's HELP: what the figure is, then sar's activity, column and unit
/// (`Free memory (memory kbmemfree, kB).`), escaped as OpenMetrics wants.
fn help(activity: &str, column: &Column) -> String {
    let unit = match column.unit.symbol() {
        "" => String::new(),
        symbol => format!(", {symbol}"),
    };
    let what = column.help.trim_end_matches('.');
    escape_label(&format!("{what} ({activity} {}{unit}).", column.name))
}

/// Seconds since the epoch with milliseconds.
fn seconds(time_us: i64) -> String {
    format!(
        "{}.{:03}",
        time_us.div_euclid(1_000_000),
        time_us.rem_euclid(1_000_000) / 1000
    )
}

impl<W: Write> Format<W> for OpenMetrics<'_, W> {
    /// Spools each row as `time TAB value... TAB labels` (labels last: they may hold tabs).
    fn sample(&mut self, sample: &Sample) -> io::Result<()> {
        let time = seconds(sample.time_us);
        for ((table, rows), (spool, any)) in
            self.tables.iter().zip(&sample.rows).zip(&mut self.spools)
        {
            let names: Vec<String> = table.keys.iter().map(|k| label_name(k)).collect();
            for row in rows {
                *any = true;
                write!(spool, "{time}")?;
                for (col, v) in row.values.iter().enumerate() {
                    write!(spool, "\t{}", number(*v, table.integer(col)))?;
                }
                write!(spool, "\t{}", self.host_label)?;
                for (name, field) in names.iter().zip(&row.keys) {
                    write!(spool, ",{name}=\"{}\"", escape_label(field))?;
                }
                spool.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<W>> {
        let mut used = HashSet::new();
        for (table, (spool, any)) in self.tables.iter().zip(self.spools) {
            if !any {
                continue;
            }
            let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
            let prefix = metric_prefix(table.name());
            for (col, column) in table.columns().iter().enumerate() {
                let mut name = format!("{prefix}_{}", field_name(column.name));
                // Two sar names that sanitize alike must still be two families.
                while !used.insert(name.clone()) {
                    name.push('_');
                    name.push_str(&col.to_string());
                }
                writeln!(self.out, "# TYPE {name} {}", column.kind.openmetrics())?;
                if let Some(unit) = column
                    .unit
                    .openmetrics()
                    .filter(|unit| name.ends_with(&format!("_{unit}")))
                {
                    writeln!(self.out, "# UNIT {name} {unit}")?;
                }
                writeln!(self.out, "# HELP {name} {}", help(table.name(), column))?;
                // A counter's samples are its family's name with `_total`.
                let sample = match column.kind {
                    Kind::Counter => format!("{name}_total"),
                    _ => name.clone(),
                };
                spool.rewind()?;
                for line in BufReader::new(&spool).lines() {
                    let line = line?;
                    let mut fields = line.splitn(table.columns().len() + 2, '\t');
                    let time = fields.next().unwrap_or_default();
                    let value = fields.nth(col).unwrap_or("NaN");
                    let labels = fields.last().unwrap_or_default();
                    writeln!(self.out, "{sample}{{{labels}}} {value} {time}")?;
                }
            }
        }
        self.out.write_all(b"# EOF\n")?;
        Ok(vec![self.out])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_conventions() {
        assert_eq!(field_name("%user"), "user_percent");
        assert_eq!(field_name("rkB/s"), "rkb_per_second");
        assert_eq!(field_name("areq-sz"), "areq_sz");
        assert_eq!(field_name("kbmemfree"), "kbmemfree");
        assert_eq!(field_name("%ifutil"), "ifutil_percent");
        assert_eq!(field_name("kB_rd/s"), "kbrd_per_second");
        assert_eq!(metric_prefix("net-dev"), "rstat_net_dev");
        assert_eq!(metric_prefix("thread-summary"), "rstat_thread_stats");
        assert_eq!(label_name("DEV"), "device");
        assert_eq!(label_name("CPU"), "cpu");
        assert_eq!(snake("net-dev"), "net_dev");
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(seconds(1_700_000_000_123_456), "1700000000.123");
        let memory = &crate::catalogue::base::MEMORY;
        assert_eq!(
            help("memory", &memory[0]),
            "Free memory (memory kbmemfree, kB)."
        );
    }
}
