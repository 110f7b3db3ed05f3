//! `rstat top`, the terminal viewer: live (sampling in-process) and replay (day files, with
//! time travel). Raw samples flow source → model → views:
//!
//! - [`live`]: the live source (a fill function supplied by the `rstat` binary) and its
//!   bounded ring of samples; [`replay`]: day files indexed by frame headers, decoded on
//!   demand, with neighbouring days and follow mode.
//! - [`model`]: the position shown, the mode, time travel, and the [`model::Snapshot`] a frame
//!   is drawn from.
//! - [`columns`]: the metadata (sar name, unit, decimals) of the table screens' figures.
//! - [`view`]: one module per screen, reading only the snapshot and data-format's derivation;
//!   [`processes`] and [`items`] choose and order the rows of the process, cgroup and item
//!   screens.
//! - [`gpu`]: what the GPU screen and the Processes screen's GPU columns chart and sum.
//! - [`keys`]: actions, default keys and remapping; [`app`]: the terminal and event loop;
//!   [`input`]: waiting for terminal input beside crossterm's edge-triggered reader.
//! - [`error`]: what can go wrong, by kind.

pub mod app;
pub mod columns;
pub mod error;
pub mod gpu;
pub mod input;
pub mod items;
pub mod keys;
pub mod live;
pub mod model;
pub mod processes;
pub mod replay;
pub mod view;

pub use app::run;
pub use error::Error;
pub use keys::KeyMap;
pub use live::Live;
pub use model::Model;
pub use replay::Replay;
pub use view::{Theme, Ui};
