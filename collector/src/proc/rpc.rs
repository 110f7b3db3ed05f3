//! `/proc/net/rpc/nfs` → [`TableKind::NFS`] and `/proc/net/rpc/nfsd` → [`TableKind::NFSD`]:
//! one row per line, key = the line's label (`net`, `rpc`, `proc3`, `proc4ops`, `rc`, ...),
//! values = every number after it, in file order (for `procN` lines the first is the count
//! of the procedures that follow). sar's figures are picked by position at read time (see
//! [`rpc`](rstat_data_format::schema_system::rpc)).
//!
//! A line with a decimal fraction is not stored: old kernels print the nfsd thread-usage
//! histogram (`th 8 0 0.000 ...`) that way, and sar does not use it.
//!
//! [`TableKind::NFS`]: rstat_data_format::schema::TableKind::NFS
//! [`TableKind::NFSD`]: rstat_data_format::schema::TableKind::NFSD

use rstat_data_format::schema::{Table, TableFill};

use super::{key_text, parse_u64, quote, refill_nonempty, Lines, ParseError};

/// The NFS client file, as named in errors.
pub const NFS_FILE: &str = "/proc/net/rpc/nfs";
/// The NFS server file, as named in errors.
pub const NFSD_FILE: &str = "/proc/net/rpc/nfsd";

/// Refills `table` from the bytes of `/proc/net/rpc/nfs`.
pub fn parse_nfs(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse(NFS_FILE, bytes, table)
}

/// Refills `table` from the bytes of `/proc/net/rpc/nfsd`.
pub fn parse_nfsd(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse(NFSD_FILE, bytes, table)
}

fn parse(file: &'static str, bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(file, table, "no counter line", |fill| {
        fill_rows(file, bytes, fill)
    })
}

fn fill_rows(file: &'static str, bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let Some(label) = fields.next() else { continue };
        if parse_u64(label).is_some() || label.contains(&b'.') {
            return Err(line.error(format!(
                "expected a label such as `rpc`, found `{}`",
                quote(label)
            )));
        }
        if line.fields().skip(1).any(|field| field.contains(&b'.')) {
            continue;
        }
        let values = &mut fill.row(&key_text(label)).values;
        fields.rest_into(values, "a counter")?;
    }
    Ok(())
}
