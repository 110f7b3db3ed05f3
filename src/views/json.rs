//! `rstat export --json` (one document, like sadf -j) and `--jsonl` (one object a line).
//!
//! The document is streamed: its head (host, the activities' item fields and columns) is
//! written first, then each sample object as it is read, then the closing brackets, so
//! memory stays constant however long the window. A sample object is
//! `{"timestamp", "interval", "activities": {name: rows}}`; an activity with items is an
//! array of objects (item fields, then sar's columns), one without is a single object.
//! Restarts and comments are objects with a `restart` or `comment` key in the same array.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{Format, Host, Sample, Table};

/// `rstat export --json` (one document) and `--jsonl` (one object a sample).
pub struct Json<'a, W: Write> {
    host: &'a Host,
    tables: &'a [Table],
    out: W,
    /// A document (false: JSON Lines).
    document: bool,
    /// Whether a sample was written (the next one needs a comma).
    any: bool,
}

impl<'a, W: Write> Json<'a, W> {
    /// One JSON document: the head written now, samples as they come.
    pub fn document(host: &'a Host, tables: &'a [Table], mut out: W) -> io::Result<Json<'a, W>> {
        let activities: Map<String, Value> = tables
            .iter()
            .map(|t| {
                let columns: Vec<&str> = t.activity.column_names().collect();
                let about = json!({ "item": t.keys, "columns": columns });
                (t.name().to_string(), about)
            })
            .collect();
        let head = json!({ "host": host_object(host), "activities": activities });
        // The head object without its closing brace, then the samples array.
        let head = serde_json::to_string(&head)?;
        let head = head.strip_suffix('}').unwrap_or(&head);
        write!(out, "{head},\"samples\":[")?;
        Ok(Json {
            host,
            tables,
            out,
            document: true,
            any: false,
        })
    }

    /// JSON Lines: one object a sample.
    pub fn lines(host: &'a Host, tables: &'a [Table], out: W) -> Json<'a, W> {
        Json {
            host,
            tables,
            out,
            document: false,
            any: false,
        }
    }

    fn write(&mut self, mut object: Map<String, Value>) -> io::Result<()> {
        if self.document {
            if self.any {
                self.out.write_all(b",\n")?;
            } else {
                self.out.write_all(b"\n")?;
            }
        } else {
            // Each line stands alone: it names its host first.
            let mut line = Map::new();
            line.insert("host".to_string(), Value::from(self.host.nodename.clone()));
            line.extend(object);
            object = line;
        }
        self.any = true;
        serde_json::to_writer(&mut self.out, &object)?;
        if !self.document {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn host_object(host: &Host) -> Value {
    json!({
        "nodename": host.nodename,
        "release": host.release,
        "machine": host.machine,
        "cpus": host.cpus,
    })
}

/// A value as a JSON number: whole for sizes and counts, else rounded to two decimals as
/// the text formats print it; `null` for a value that is not a number.
fn value(v: f64, integer: bool) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    if integer && v.abs() < 9.0e15 {
        return Value::from(v.round() as i64);
    }
    let rounded = (v * 100.0).round() / 100.0;
    // -0.0 would print as "-0.0".
    Value::from(if rounded == 0.0 { 0.0 } else { rounded })
}

/// One table's rows as JSON.
pub(crate) fn rows_value(table: &Table, rows: &[super::Row]) -> Option<Value> {
    let objects = rows.iter().map(|row| {
        let mut object = Map::new();
        for (key, field) in table.keys.iter().zip(&row.keys) {
            object.insert(key.to_string(), Value::from(field.clone()));
        }
        for (col, (name, v)) in table.activity.column_names().zip(&row.values).enumerate() {
            object.insert(name.to_string(), value(*v, table.integer(col)));
        }
        Value::Object(object)
    });
    if table.keys.is_empty() {
        // No item: the activity's one row, or nothing when the sample lacks it.
        objects.into_iter().next()
    } else {
        Some(Value::Array(objects.collect()))
    }
}

impl<W: Write> Format<W> for Json<'_, W> {
    fn sample(&mut self, sample: &Sample) -> io::Result<()> {
        let mut activities = Map::new();
        for (table, rows) in self.tables.iter().zip(&sample.rows) {
            if let Some(rows) = rows_value(table, rows) {
                activities.insert(table.name().to_string(), rows);
            }
        }
        let mut object = Map::new();
        object.insert("timestamp".into(), Value::from(sample.timestamp.clone()));
        object.insert("interval".into(), value(sample.interval_s, false));
        object.insert("activities".into(), Value::Object(activities));
        self.write(object)
    }

    fn restart(&mut self, timestamp: &str, cpus: u32) -> io::Result<()> {
        let mut object = Map::new();
        object.insert("timestamp".into(), Value::from(timestamp));
        object.insert("restart".into(), json!({ "cpus": cpus }));
        self.write(object)
    }

    fn comment(&mut self, timestamp: &str, text: &str) -> io::Result<()> {
        let mut object = Map::new();
        object.insert("timestamp".into(), Value::from(timestamp));
        object.insert("comment".into(), Value::from(text));
        self.write(object)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<W>> {
        if self.document {
            self.out.write_all(b"\n]}\n")?;
        }
        Ok(vec![self.out])
    }
}
