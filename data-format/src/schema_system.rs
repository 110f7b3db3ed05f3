//! Table kinds 10 to 39: the system activities beyond the core ones (interrupts, kernel
//! tables, pressure, serial lines, NFS, sockets, protocol counters, softnet, fibre channel,
//! power, filesystems, interface speed). Numbers are part of the file format.

use crate::schema::TableKind;

/// The name of a kind defined here.
pub(crate) fn name(kind: TableKind) -> Option<&'static str> {
    match kind.0 {
        _ => None,
    }
}
