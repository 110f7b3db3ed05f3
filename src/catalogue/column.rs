//! The column metadata types ([`Column`], [`Unit`], [`Kind`], [`Layout`]): defined in
//! data-format (`rstat_data_format::columns`) so that the TUI reads them too, and named here
//! where the catalogue's activities use them.

pub use rstat_data_format::columns::{Column, Kind, Layout, Unit};
