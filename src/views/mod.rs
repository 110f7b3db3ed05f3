//! The writers of the views: sar's text report ([`text`], into a `String` that the report
//! spills to a file when long) and, each over any `impl Write`, CSV ([`csv`]), JSON and JSON
//! Lines ([`json`]), XML ([`xml`]), OpenMetrics ([`openmetrics`]); and charts as SVG or an
//! HTML page ([`svg`]). An interval's rows come from the
//! catalogue's activities ([`crate::catalogue`]) as a [`Sample`]; a [`Format`] lays them out
//! and, finished, hands its writers back (the command line commits files atomically). A
//! metrics server or an HTML page plugs in here as one more [`Format`] or a reader of
//! [`Table`]s.

pub mod chart;
pub mod csv;
pub mod html;
pub mod human;
pub mod json;
pub mod openmetrics;
pub mod svg;
pub mod text;
pub mod xml;

use std::io;

use rstat_data_format::{FileHeader, TimeUs};

use crate::catalogue::{item_fields, Activity, Column, RowBuf};

/// An activity as exports see it: its rows, and the names of the fields its item holds.
pub struct Table {
    /// The activity.
    pub activity: Activity,
    /// The item's fields: none, the item label (CPU, DEV, ...), or UID, PID, Command.
    pub keys: Vec<&'static str>,
    split: Option<fn(&str) -> Vec<String>>,
}

impl Table {
    /// The activity, with its item's fields named.
    pub fn new(activity: Activity) -> Table {
        let (keys, split) = match activity.item {
            None => (Vec::new(), None),
            Some(label) => match item_fields(label) {
                Some((names, split)) => (names.to_vec(), Some(split)),
                None => (vec![label.trim()], None),
            },
        };
        Table {
            activity,
            keys,
            split,
        }
    }

    /// The activity's name.
    pub fn name(&self) -> &str {
        &self.activity.name
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.activity.columns
    }

    /// Whether column `column` is printed as a whole number.
    pub fn integer(&self, column: usize) -> bool {
        self.activity.integer(column)
    }

    /// The rows of an interval, with their item split into fields.
    pub fn rows(&self, interval: &rstat_data_format::derive::Interval) -> Vec<Row> {
        (self.activity.rows)(interval)
            .into_iter()
            .map(|(item, values)| {
                let keys = match (self.keys.is_empty(), self.split) {
                    (true, _) => Keys::None,
                    (false, Some(split)) => Keys::Split(split(&item)),
                    (false, None) => Keys::Whole(item),
                };
                Row { keys, values }
            })
            .collect()
    }

    /// [`Table::rows`] written over `rows`, whose item strings and value vectors are reused;
    /// `buf` keeps the activity's rows between intervals ([`Activity::fill`]). The export's
    /// loop calls this for every table of every interval.
    pub fn rows_into(
        &self,
        interval: &rstat_data_format::derive::Interval,
        buf: &mut RowBuf,
        rows: &mut Vec<Row>,
    ) {
        self.activity.fill(interval, buf);
        let found = buf.rows();
        rows.truncate(found.len());
        for (at, (item, values)) in found.iter().enumerate() {
            if at == rows.len() {
                rows.push(Row {
                    keys: Keys::None,
                    values: Vec::new(),
                });
            }
            let row = &mut rows[at];
            row.values.clear();
            row.values.extend_from_slice(values);
            match (self.keys.is_empty(), self.split, &mut row.keys) {
                (true, _, keys) => *keys = Keys::None,
                (false, Some(split), keys) => *keys = Keys::Split(split(item)),
                (false, None, Keys::Whole(whole)) => item.clone_into(whole),
                (false, None, keys) => *keys = Keys::Whole(item.clone()),
            }
        }
    }
}

/// One row: the item's fields (as many as the table's keys) and the values in column order.
pub struct Row {
    /// The item's fields.
    pub keys: Keys,
    /// The figures, in column order.
    pub values: Vec<f64>,
}

/// A row's item fields, seen as a slice of strings. Most items are one field, kept as the
/// name the activity gave (no vector of one string allocated for every row of every
/// interval: a day of `-A` has millions).
pub enum Keys {
    /// An activity without items.
    None,
    /// The item as one field (CPU, DEV, IFACE...).
    Whole(String),
    /// The item split into several fields (UID, PID, Command).
    Split(Vec<String>),
}

impl std::ops::Deref for Keys {
    type Target = [String];

    fn deref(&self) -> &[String] {
        match self {
            Keys::None => &[],
            Keys::Whole(item) => std::slice::from_ref(item),
            Keys::Split(fields) => fields,
        }
    }
}

impl<'a> IntoIterator for &'a Keys {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// What is known of the host, from the first file's header.
pub struct Host {
    /// Host name.
    pub nodename: String,
    /// Kernel release.
    pub release: String,
    /// Architecture.
    pub machine: String,
    /// CPU count.
    pub cpus: u32,
}

impl Host {
    /// The host a file was recorded on.
    pub fn from_header(header: &FileHeader) -> Host {
        Host {
            nodename: header.host.clone(),
            release: header.kernel_release.clone(),
            machine: header.arch.clone(),
            cpus: header.cpu_count,
        }
    }
}

/// One interval's rows, for every table (in the tables' order).
pub struct Sample {
    /// The end of the interval.
    pub time_us: TimeUs,
    /// The end of the interval, as the output shows it (ISO 8601).
    pub timestamp: String,
    /// The interval's length in seconds.
    pub interval_s: f64,
    /// Per table, its rows.
    pub rows: Vec<Vec<Row>>,
}

/// A format: fed events in time order, then finished (closing the document).
pub trait Format<W> {
    /// One interval's rows.
    fn sample(&mut self, sample: &Sample) -> io::Result<()>;
    /// A restart (LINUX RESTART): formats that show it say so.
    fn restart(&mut self, _timestamp: &str, _cpus: u32) -> io::Result<()> {
        Ok(())
    }
    /// A comment (sar's COM).
    fn comment(&mut self, _timestamp: &str, _text: &str) -> io::Result<()> {
        Ok(())
    }
    /// Pushes buffered output out (--follow, after each batch of new samples).
    fn flush(&mut self) -> io::Result<()>;
    /// Closes the document and hands back the writers (one, or one per table for CSV), for
    /// the caller to commit.
    fn finish(self: Box<Self>) -> io::Result<Vec<W>>;
}
