//! `rstat export --csv`: sadf -d's content as standard CSV (RFC 4180): one header row, then
//! per interval one row per item: hostname, interval (seconds), timestamp, the item's
//! fields, then sar's columns. Each activity has its own columns, so each gets its own file
//! (`--out DIR`); restarts and comments have no row.
//!
//! Rows are laid out by hand into one reused buffer per sample and table, written with one
//! call: a day of `-A` is millions of cells, and a general CSV writer's per-field work (a
//! quoting scan, a call through its buffer) was 15% of the export's instructions. Figures are
//! digits, signs and dots that never need quotes; the host, timestamp, item names and
//! header are quoted as RFC 4180 says when they hold a comma, a quote or a line break.

use std::io::{self, Write};

use super::{Format, Host, Sample, Table};
use crate::number::push_number;

/// One output per table, in the tables' order.
pub struct Csv<'a, W: Write> {
    tables: &'a [Table],
    outputs: Vec<W>,
    /// `hostname,` as a field, the start of every row.
    host_field: String,
    /// The rows of one table for one sample, laid out before they are written.
    buffer: String,
    /// `hostname,interval,timestamp,` of the current sample.
    prefix: String,
}

impl<'a, W: Write> Csv<'a, W> {
    /// A writer per table, each starting with its header row.
    pub fn new(host: &'a Host, tables: &'a [Table], outputs: Vec<W>) -> Result<Csv<'a, W>, String> {
        let mut csv = Csv {
            tables,
            outputs,
            host_field: String::new(),
            buffer: String::new(),
            prefix: String::new(),
        };
        push_field(&mut csv.host_field, &host.nodename);
        csv.host_field.push(',');
        for (table, out) in tables.iter().zip(&mut csv.outputs) {
            let line = &mut csv.buffer;
            line.clear();
            let header = ["hostname", "interval", "timestamp"]
                .into_iter()
                .chain(table.keys.iter().copied())
                .chain(table.activity.column_names());
            for name in header {
                push_field(line, name);
                line.push(',');
            }
            end_row(line);
            out.write_all(line.as_bytes())
                .map_err(|e| format!("cannot write the CSV header: {e}"))?;
        }
        Ok(csv)
    }
}

/// `text` as one CSV field: as it is, or quoted with its quotes doubled when it holds a
/// comma, a quote or a line break (RFC 4180; what the csv crate writes).
fn push_field(out: &mut String, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push_str(text);
        return;
    }
    out.push('"');
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    out.push('"');
}

/// Replaces the row's trailing comma with the line's end.
fn end_row(line: &mut String) {
    line.pop();
    line.push('\n');
}

impl<W: Write> Format<W> for Csv<'_, W> {
    fn sample(&mut self, sample: &Sample) -> io::Result<()> {
        let prefix = &mut self.prefix;
        prefix.clear();
        prefix.push_str(&self.host_field);
        push_number(prefix, sample.interval_s, false);
        prefix.push(',');
        push_field(prefix, &sample.timestamp);
        prefix.push(',');
        for ((table, rows), out) in self.tables.iter().zip(&sample.rows).zip(&mut self.outputs) {
            if rows.is_empty() {
                continue;
            }
            let buffer = &mut self.buffer;
            buffer.clear();
            for row in rows {
                buffer.push_str(prefix);
                for key in &row.keys {
                    push_field(buffer, key);
                    buffer.push(',');
                }
                for (col, &value) in row.values.iter().enumerate() {
                    push_number(buffer, value, table.integer(col));
                    buffer.push(',');
                }
                end_row(buffer);
            }
            out.write_all(buffer.as_bytes())?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        for out in &mut self.outputs {
            out.flush()?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<W>> {
        Ok(self.outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names that need quoting come out as the csv crate writes them, and read back whole.
    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let names = [
            "sda",
            "",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\r",
            "/sys/fs/cgroup/a b",
            "ünïcode,",
        ];
        for name in names {
            let mut ours = String::new();
            push_field(&mut ours, name);
            ours.push_str(",x\n");
            let mut theirs = ::csv::Writer::from_writer(Vec::new());
            theirs.write_record([name, "x"]).unwrap();
            let theirs = String::from_utf8(theirs.into_inner().unwrap()).unwrap();
            assert_eq!(ours, theirs, "{name:?}");
            let mut reader = ::csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(ours.as_bytes());
            let record = reader.records().next().unwrap().unwrap();
            assert_eq!(&record[0], name);
        }
    }
}
