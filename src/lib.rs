//! rstat's views as a library, free of the command line: the catalogue of activities and
//! their typed columns ([`catalogue`]), the writers of CSV, JSON, XML and OpenMetrics over
//! any `impl Write` ([`views`]), and the numbers as sar prints them ([`number`]).
//! The `rstat` binary turns its options into a [`catalogue::Selection`] and lays the rows
//! out; later views (a metrics server, a remote-write pusher, an HTML dashboard, sar's
//! averaging rules) read the same columns: name, unit, kind, decimals, help, layout.
//!
//! Every figure comes from data-format's derivation ([`rstat_data_format::derive`]); an
//! activity only picks and orders derived fields.
//!
//! ```
//! use rstat::catalogue::{select, Kind, Selection, Unit};
//!
//! // `-r -d`: memory and disks, in sar -A's order.
//! let selection = Selection { memory: true, disks: true, ..Selection::default() };
//! let activities = select(&selection).unwrap();
//! let names: Vec<&str> = activities.iter().map(|a| a.name.as_str()).collect();
//! assert_eq!(names, ["memory", "disk"]);
//! let kbmemfree = &activities[0].columns[0];
//! assert_eq!((kbmemfree.name, kbmemfree.unit, kbmemfree.kind), ("kbmemfree", Unit::Kilobytes, Kind::Level));
//! assert!(kbmemfree.integer());
//! ```

pub mod catalogue;
pub mod clock;
pub mod config_file;
pub mod duration;
pub mod number;
pub mod time_args;
pub mod views;
