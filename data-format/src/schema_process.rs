//! Table kinds 40 to 59: processes, threads and cgroups. Numbers are part of the file format.

use crate::schema::TableKind;

/// The name of a kind defined here.
pub(crate) fn name(kind: TableKind) -> Option<&'static str> {
    match kind.0 {
        _ => None,
    }
}
