//! The activity catalogue: every table a view can show (sar's activities, pidstat's process
//! views, cgroups), each as an [`Activity`]: a stable name, the item column's label, its
//! typed [`Column`]s, and the function that turns an interval of data-format's derivation
//! into rows. A [`Selection`] (what the options asked for, without clap) becomes the list of
//! activities in sar -A's order ([`select`](fn@select)). Every view (report text, CSV, JSON, XML,
//! OpenMetrics, SVG) lays out these rows and reads the columns' metadata; none computes a
//! figure of its own.
//!
//! - [`column`](mod@column): a column's name, unit, kind, decimals, help and layout.
//! - [`id`]: activities' names as typed constants, and the families named by prefix.
//! - [`select`](mod@select): the selection, sar -A's order and the item filters.
//! - [`base`]: CPU, tasks, swapping, paging, I/O, memory, swap, huge pages, disks.
//! - [`system`]: interrupts, queue and pressure, kernel tables, serial lines; network and
//!   power in its submodules.
//! - [`process`]: processes, threads and cgroups (and processes on GPUs).
//! - [`gpu`](mod@gpu): GPUs.

pub mod base;
pub mod column;
pub mod gpu;
pub mod id;
pub mod process;
pub mod rows;
pub mod select;
pub mod system;

#[cfg(test)]
mod coverage_tests;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::rc::Rc;

use rstat_data_format::derive::Interval;

pub use column::{Column, Kind, Layout, Unit};
pub use id::{ActivityId, Family};
pub use process::{item_fields, with_process_rates, ItemFields, ProcessSelection};
pub use rows::RowBuf;
pub use select::select;
pub use system::SystemSelection;

/// Which activities to show, with sar's option letters, and filters on their items. Option
/// values are kept as given (`-u ALL`, `-P 0,2`) and checked by [`select()`].
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// -u: `Some("")` for the default layout, `Some("ALL")` for every field.
    pub cpu: Option<String>,
    /// -P: `ALL` or CPU numbers `N[,N...]`.
    pub per_cpu: Option<String>,
    /// -r: memory utilisation.
    pub memory: bool,
    /// -r ALL: memory utilisation with every field (kbanonpg ... kbvmused).
    pub memory_all: bool,
    /// -S: swap space utilisation.
    pub swap_space: bool,
    /// -H: huge pages utilisation.
    pub huge: bool,
    /// -B: paging.
    pub paging: bool,
    /// -b: I/O and transfer rates of the whole machine.
    pub io: bool,
    /// -W: swapping.
    pub swapping: bool,
    /// -w: task creation and context switches.
    pub tasks: bool,
    /// -d: block devices.
    pub disks: bool,
    /// --gpu: GPUs.
    pub gpu: bool,
    /// The system activities (-I, -q, -v, -y, -m, -F, -n).
    pub system: SystemSelection,
    /// Processes, threads and cgroups.
    pub process: ProcessSelection,
    /// -A: every activity.
    pub all: bool,
    /// --dev: only these block devices.
    pub dev: Vec<String>,
    /// --iface: only these network interfaces.
    pub iface: Vec<String>,
    /// --fs: only these filesystems, by device or mount point.
    pub fs: Vec<String>,
    /// --int: only these interrupts.
    pub int: Vec<String>,
    /// -d's device names: `None` for the kernel's (sda, dm-0); `mapper` for sar -p's
    /// /dev/mapper names; `id`, `label`, `path` or `uuid` for sar -j's persistent names.
    pub device_names: Option<String>,
    /// How many CPUs the data has (the file header's count; 0 when unknown): -I's per-CPU
    /// columns with -P ALL or -A.
    pub cpu_count: u32,
}

/// Rows of one activity for an interval: (item name, values in column order).
pub type RowsFn = dyn Fn(&Interval) -> Vec<(String, Vec<f64>)>;

/// Rows of one activity for an interval, written into a [`RowBuf`] kept across intervals.
pub type FillFn = dyn Fn(&Interval, &mut RowBuf);

/// One table of the views: its columns and how to get its rows from an interval.
pub struct Activity {
    /// A stable lower-case name (sar's option word: `cpu`, `disk`, `net-dev`, `process-cpu`):
    /// the activity column of CSV, the JSON key, the OpenMetrics metric prefix.
    pub name: String,
    /// The item column's label (`CPU`, `DEV`, `IFACE`, the process columns), `None` for an
    /// activity with one row per interval.
    pub item: Option<&'static str>,
    /// The columns, in the order every row's values come.
    pub columns: Cow<'static, [Column]>,
    /// The rows of an interval.
    pub rows: Box<RowsFn>,
    /// The same rows written into a buffer kept across intervals, for the activities that
    /// have this form (those with the most rows): see [`Activity::fill`].
    fill: Option<Rc<FillFn>>,
}

impl Activity {
    /// An activity from its parts, named later ([`Activity::named`]).
    pub fn new(
        item: Option<&'static str>,
        columns: impl Into<Cow<'static, [Column]>>,
        rows: impl Fn(&Interval) -> Vec<(String, Vec<f64>)> + 'static,
    ) -> Activity {
        Activity {
            name: String::new(),
            item,
            columns: columns.into(),
            rows: Box::new(rows),
            fill: None,
        }
    }

    /// An activity whose rows are written into a [`RowBuf`] (cleared before): the report's
    /// and export's loops reuse its rows' memory; [`Activity::rows`] makes a new vector of
    /// them, for the other readers.
    pub fn filling(
        item: Option<&'static str>,
        columns: impl Into<Cow<'static, [Column]>>,
        fill: impl Fn(&Interval, &mut RowBuf) + 'static,
    ) -> Activity {
        let fill: Rc<FillFn> = Rc::new(fill);
        let shared = Rc::clone(&fill);
        let mut activity = Activity::new(item, columns, move |interval| {
            let mut buf = RowBuf::default();
            shared(interval, &mut buf);
            buf.into_rows()
        });
        activity.fill = Some(fill);
        activity
    }

    /// The rows of `interval`, written over `buf`'s: without allocating for activities made
    /// with [`Activity::filling`], else [`Activity::rows`]'s vector taken over.
    pub fn fill(&self, interval: &Interval, buf: &mut RowBuf) {
        buf.clear();
        match &self.fill {
            Some(fill) => fill(interval, buf),
            None => buf.replace((self.rows)(interval)),
        }
    }

    /// The same activity under `name`.
    pub fn named(mut self, name: impl Into<String>) -> Activity {
        self.name = name.into();
        self
    }

    /// Whether this is the activity `id` names.
    pub fn is(&self, id: ActivityId) -> bool {
        self.name == id.name()
    }

    /// Whether column `index` is printed as a whole number.
    pub fn integer(&self, index: usize) -> bool {
        self.columns.get(index).is_some_and(Column::integer)
    }

    /// The columns' names, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }
}

/// A CPU row's item as sar prints it: `all` for the whole machine, else the CPU's number.
pub fn cpu_name(name: &mut String, cpu: Option<u32>) {
    match cpu {
        Some(n) => {
            let _ = write!(name, "{n}");
        }
        None => name.push_str("all"),
    }
}

/// An activity without items: at most one row an interval, from `row` (`None`: the
/// interval lacks the activity's source).
pub fn one_row(
    columns: &'static [Column],
    row: impl Fn(&Interval) -> Option<Vec<f64>> + 'static,
) -> Activity {
    Activity::filling(None, columns, move |i, rows| {
        if let Some(values) = row(i) {
            rows.push("").extend_from_slice(&values);
        }
    })
}
