//! rstat's data format: the sample schema, the daily-file container, and the derivation of
//! rates and percentages that every reader shares.
//!
//! - [`schema`]: what a sample holds (tables of raw counters); [`kinds`]: the registry of
//!   table kinds (number, name, collection group).
//! - [`frame`], [`header`], [`codec`]: the bytes of a file (FORMAT.md is the normative text);
//!   [`crc`]: the CRC-32C of its frames.
//! - [`writer`], [`daily`]: appending, with locking, crash recovery and day files.
//! - [`thinning`]: one sample per step for old days (`[prune] tiers`).
//! - [`rewrite`]: replacing a day file crash-safely (import merges, thinning).
//! - [`reader`], [`series`], [`window`]: reading, with damage reported and skipped; time
//!   windows and aggregation (sar -s, -e, -i); [`span`]: the Average figures of a run of
//!   samples of one boot.
//! - [`hotplug`]: offline CPUs' counters carried forward, as sysstat does.
//! - [`derive`](mod@derive): sar's figures from raw samples ([`derive_devices`]: disks and
//!   interfaces; [`derive_system`], [`derive_system_net`], [`derive_system_power`]: the system
//!   activities beyond the core ones).
//! - [`sysstat`]: sysstat's sa files read as rstat records; [`open`](mod@open): what every
//!   reader opens a file with, rstat's or sysstat's.
//! - [`derive_process`]: pidstat's figures per process and thread, and cgroup figures.
//! - [`columns`]: the metadata of a view's column (unit, kind, decimals, help) and how a
//!   figure is written by its unit; the catalogue of activities built on it is the `rstat`
//!   package's.
//! - [`schema_gpu`], [`derive_gpu`]: GPUs per device and per process (format 1.2);
//!   [`derive_gpu_totals`]: their levels and counters for `serve` and `push`.
//! - [`derive_totals`]: cumulative counters in base units (seconds, bytes) for `serve` and
//!   `push`.

//!
//! # Example
//!
//! Open a day file (`daily::day_file(dir, date)` names it; here the golden fixture), walk its
//! intervals, and derive memory and CPU figures as every reader does:
//!
//! ```
//! use rstat_data_format::derive;
//! use rstat_data_format::series::{Event, Series};
//!
//! let day = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/fixture.rstat");
//! let mut series = Series::open(&[day.into()])?;
//! let mut intervals = 0;
//! while let Some(event) = series.next_event()? {
//!     let Event::Interval(pair) = event else { continue };
//!     let Some(interval) = pair.interval() else { continue };
//!     intervals += 1;
//!     // Levels come from the interval's last sample, rates from both.
//!     let memory = derive::memory(interval.cur).expect("meminfo is recorded");
//!     assert!(memory.kbmemfree > 0 && (0.0..=100.0).contains(&memory.memused_pct));
//!     let all = &interval.cpus()[0];
//!     assert_eq!(all.cpu, None); // the first row is all CPUs together
//!     let busy = 100.0 - all.idle;
//!     println!("{:.0} s: {busy:.2}% busy, {} kB free", interval.seconds, memory.kbmemfree);
//! }
//! assert_eq!(intervals, 2);
//! # Ok::<(), rstat_data_format::Error>(())
//! ```

pub mod codec;
pub mod columns;
pub mod columns_gpu;
pub mod crc;
pub mod daily;
pub mod derive;
pub mod derive_devices;
pub mod derive_gpu;
pub mod derive_gpu_totals;
pub mod derive_io;
pub mod derive_process;
pub mod derive_system;
pub mod derive_system_net;
pub mod derive_system_power;
pub mod derive_totals;
pub mod error;
pub mod frame;
pub mod header;
pub mod hotplug;
pub mod kinds;
pub mod limits;
pub mod open;
pub mod printable;
pub mod process_rates;
mod range_crc;
pub mod reader;
pub mod retention;
pub mod rewrite;
pub mod safe_open;
mod scan;
pub mod schema;
pub mod schema_gpu;
pub mod schema_process;
pub mod schema_system;
pub mod series;
pub mod span;
pub mod sysstat;
mod tail;
#[cfg(test)]
mod test_samples;
pub mod thinning;
pub mod window;
pub mod writer;

pub use error::{Error, Result};
pub use header::{FileHeader, RestartInfo};
pub use reader::{Damage, FileReader, Item, Record};
pub use schema::{Row, Sample, Table, TableKind, TimeUs};
