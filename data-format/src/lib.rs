//! rstat's data format: the sample schema, the daily-file container, and the derivation of
//! rates and percentages that every reader shares.
//!
//! - [`schema`]: what a sample holds (tables of raw counters).
//! - [`frame`], [`header`], [`codec`]: the bytes of a file (FORMAT.md is the normative text).
//! - [`writer`], [`daily`]: appending, with locking, crash recovery and day files.
//! - [`reader`], [`series`], [`window`]: reading, with damage reported and skipped; time
//!   windows and aggregation (sar -s, -e, -i).
//! - [`derive`]: sar's figures from raw samples ([`derive_system`], [`derive_system_net`],
//!   [`derive_system_power`]: the system activities beyond the core ones).
//! - [`derive_process`]: pidstat's figures per process and thread, and cgroup figures.

pub mod codec;
pub mod daily;
pub mod derive;
pub mod derive_io;
pub mod derive_process;
pub mod derive_system;
pub mod derive_system_net;
pub mod derive_system_power;
pub mod error;
pub mod frame;
pub mod header;
pub mod limits;
pub mod printable;
mod range_crc;
pub mod reader;
pub mod retention;
pub mod safe_open;
mod scan;
pub mod schema;
pub mod schema_process;
pub mod schema_system;
pub mod series;
pub mod window;
pub mod writer;

pub use error::{Error, Result};
pub use header::{FileHeader, RestartInfo};
pub use reader::{Damage, FileReader, Item, Record};
pub use schema::{Row, Sample, Table, TableKind, TimeUs};
