//! `/proc/sys/kernel/random/boot_id` → [`TableKind::BOOT`](rstat_data_format::schema::TableKind::BOOT):
//! one row `boot` whose text is the boot id. It changes only at boot, so the sampler reads it
//! once and refills the table from the stored id with [`fill`].

use rstat_data_format::schema::Table;

use super::{quote, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/sys/kernel/random/boot_id";

/// Longest id accepted: the kernel prints a 36-character UUID; the bound keeps a corrupt file
/// from becoming a huge text in every sample.
const BOOT_ID_MAX_LEN: usize = 128;

/// The boot id in the bytes of the file: the content without surrounding whitespace, which
/// must be a single word of printable ASCII.
pub fn parse_id(bytes: &[u8]) -> Result<&str, ParseError> {
    let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(ParseError::new(FILE, 1, "empty file"));
    };
    let end = bytes
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace())
        .map_or(start, |last| last + 1);
    let id = &bytes[start..end];
    let line_at = |offset: usize| {
        1 + bytes[..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
    };
    if let Some(bad) = id.iter().position(|byte| !byte.is_ascii_graphic()) {
        return Err(ParseError::new(
            FILE,
            line_at(start + bad),
            format!(
                "expected one word of printable ASCII, found `{}`",
                quote(id)
            ),
        ));
    }
    if id.len() > BOOT_ID_MAX_LEN {
        return Err(ParseError::new(
            FILE,
            line_at(start),
            format!(
                "boot id longer than {BOOT_ID_MAX_LEN} bytes: `{}`",
                quote(id)
            ),
        ));
    }
    // Printable ASCII is UTF-8, so this never fails; no unwrap on file data all the same.
    std::str::from_utf8(id)
        .map_err(|_| ParseError::new(FILE, line_at(start), "boot id is not UTF-8"))
}

/// Refills `table` with the row `boot`, text `[boot_id]`. Does nothing when the table already
/// holds exactly that, so refilling every sample allocates nothing.
pub fn fill(boot_id: &str, table: &mut Table) {
    let already_filled = matches!(
        table.rows.as_slice(),
        [row] if row.key == "boot" && row.values.is_empty() && row.text.len() == 1 && row.text[0] == boot_id
    );
    if already_filled {
        return;
    }
    let mut fill = table.refill();
    fill.row("boot").text.push(boot_id.to_owned());
    fill.finish();
}

/// Refills `table` from the bytes of the file ([`parse_id`] then [`fill`]).
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    fill(parse_id(bytes)?, table);
    Ok(())
}
