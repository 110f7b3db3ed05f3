//! `rstat export --csv`: sadf -d's content as standard CSV (RFC 4180, via the csv crate):
//! one header row, then per interval one row per item: hostname, interval (seconds),
//! timestamp, the item's fields, then sar's columns. Each activity has its own columns, so
//! each gets its own file (`--out DIR`); restarts and comments have no row.

use std::io::{self, Write};

use super::{Format, Host, Sample, Table};
use crate::number::{number, push_number};

/// One CSV writer per table, in the tables' order.
pub struct Csv<'a, W: Write> {
    host: &'a Host,
    tables: &'a [Table],
    writers: Vec<::csv::Writer<W>>,
}

impl<'a, W: Write> Csv<'a, W> {
    /// A writer per table, each starting with its header row.
    pub fn new(host: &'a Host, tables: &'a [Table], outputs: Vec<W>) -> Result<Csv<'a, W>, String> {
        let mut writers = Vec::with_capacity(outputs.len());
        for (table, out) in tables.iter().zip(outputs) {
            let mut writer = ::csv::Writer::from_writer(out);
            let header = ["hostname", "interval", "timestamp"]
                .into_iter()
                .chain(table.keys.iter().copied())
                .chain(table.activity.column_names());
            writer
                .write_record(header)
                .map_err(|e| format!("cannot write the CSV header: {e}"))?;
            writers.push(writer);
        }
        Ok(Csv {
            host,
            tables,
            writers,
        })
    }
}

fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> Format<W> for Csv<'_, W> {
    fn sample(&mut self, sample: &Sample) -> io::Result<()> {
        let interval = number(sample.interval_s, false);
        let mut field = String::new();
        for ((table, rows), writer) in self.tables.iter().zip(&sample.rows).zip(&mut self.writers) {
            for row in rows {
                // Field by field into the writer: no record of cloned strings per row.
                writer.write_field(&self.host.nodename).map_err(io_error)?;
                writer.write_field(&interval).map_err(io_error)?;
                writer.write_field(&sample.timestamp).map_err(io_error)?;
                for key in &row.keys {
                    writer.write_field(key).map_err(io_error)?;
                }
                for (col, &value) in row.values.iter().enumerate() {
                    field.clear();
                    push_number(&mut field, value, table.integer(col));
                    writer.write_field(&field).map_err(io_error)?;
                }
                writer
                    .write_record(std::iter::empty::<&[u8]>())
                    .map_err(io_error)?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        for writer in &mut self.writers {
            writer.flush()?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<W>> {
        let outputs = self
            .writers
            .into_iter()
            .map(|writer| writer.into_inner().map_err(|e| e.into_error()))
            .collect::<io::Result<Vec<W>>>()?;
        Ok(outputs)
    }
}
