//! `/sys/class/net/IF/speed` and `duplex` → one [`TableKind::NETIF`] row: `[speed Mb/s,
//! duplex]` (see [`netif_col`]). The kernel prints `-1` for an unknown speed (stored as 0,
//! "unknown", as sysstat does) and `full`, `half` or `unknown` for the duplex. Reading either
//! file fails with EINVAL for interfaces without a link layer speed (lo, tunnels): the
//! sampler then records no row for them.
//!
//! [`TableKind::NETIF`]: rstat_data_format::schema::TableKind::NETIF
//! [`netif_col`]: rstat_data_format::schema_system::netif_col

use rstat_data_format::schema::Table;
use rstat_data_format::schema_system::{netif_col, signed};

use super::values::{first_token, parse_attribute_signed};
use super::{quote, ParseError};

/// The speed file, as named in errors.
pub const SPEED_FILE: &str = "/sys/class/net/*/speed";
/// The duplex file, as named in errors.
pub const DUPLEX_FILE: &str = "/sys/class/net/*/duplex";

/// The speed in Mb/s; 0 when the kernel does not know it (`-1`).
pub fn parse_speed(bytes: &[u8]) -> Result<u64, ParseError> {
    let speed = parse_attribute_signed(SPEED_FILE, bytes)?;
    Ok(u64::try_from(signed(speed)).unwrap_or(0))
}

/// The duplex code of [`netif_col`].
pub fn parse_duplex(bytes: &[u8]) -> Result<u64, ParseError> {
    match first_token(bytes) {
        Some(b"full") => Ok(netif_col::DUPLEX_FULL),
        Some(b"half") => Ok(netif_col::DUPLEX_HALF),
        Some(b"unknown") => Ok(netif_col::DUPLEX_UNKNOWN),
        Some(other) => Err(ParseError::new(
            DUPLEX_FILE,
            1,
            format!("expected full, half or unknown, found `{}`", quote(other)),
        )),
        None => Err(ParseError::new(DUPLEX_FILE, 1, "empty file")),
    }
}

/// Both files into a one-row table (key `if`), for tests and fuzzing: the input is the speed
/// file's bytes, a NUL byte, then the duplex file's bytes.
pub fn parse_pair(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let (speed, duplex) = match bytes.iter().position(|&byte| byte == 0) {
        Some(nul) => (&bytes[..nul], &bytes[nul + 1..]),
        None => (bytes, &b"unknown"[..]),
    };
    let (speed, duplex) = (parse_speed(speed)?, parse_duplex(duplex)?);
    let mut fill = table.refill();
    fill.row("if").values.extend([speed, duplex]);
    fill.finish();
    Ok(())
}
