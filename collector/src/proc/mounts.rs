//! The mount table and the filesystem types, which the sampler combines with `statvfs` into
//! [`TableKind::FILESYSTEMS`](rstat_data_format::schema::TableKind::FILESYSTEMS):
//! - [`parse`]: `/proc/self/mounts` (fstab format: `device mount-point type options 0 0`) into
//!   a scratch table, one row per line in file order: key = the device, text = `[mount
//!   point, type]`, no values. The kernel escapes space, tab, newline, backslash and `#` in
//!   names as octal (`\040`); they are undone here, so names with spaces are kept whole.
//! - [`parse_filesystems`]: `/proc/filesystems` (`nodev\tproc`, `\text4`) into a scratch
//!   table, one row per type, value 1 for `nodev` (no backing device: a pseudo filesystem)
//!   and 0 otherwise.

use rstat_data_format::schema::{Table, TableFill};

use super::values::row_with_texts;
use super::{key_text, quote, Lines, ParseError};

/// The mount table, as named in errors.
pub const FILE: &str = "/proc/self/mounts";
/// The filesystem types, as named in errors.
pub const FILESYSTEMS_FILE: &str = "/proc/filesystems";

/// Refills `table` from the bytes of a mounts file.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_mounts(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_mounts(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(FILE, bytes) {
        let mut fields = line.fields();
        let Some(device) = fields.next() else {
            continue;
        };
        let mount_point = fields.token("the mount point")?;
        let kind = fields.token("the filesystem type")?;
        if !mount_point.starts_with(b"/") {
            return Err(line.error(format!(
                "expected an absolute mount point, found `{}`",
                quote(mount_point)
            )));
        }
        let row = row_with_texts(fill, "", 2, || line.error("internal"))?;
        row.key.clear();
        push_unescaped(&mut row.key, device);
        push_unescaped(&mut row.text[0], mount_point);
        push_unescaped(&mut row.text[1], kind);
    }
    Ok(())
}

/// Appends `bytes` to `dest` with the kernel's octal escapes (`\040` space, `\011` tab, `\012`
/// newline, `\134` backslash, `\043` `#`) decoded; other bytes are copied (invalid UTF-8
/// replaced).
pub fn push_unescaped(dest: &mut String, bytes: &[u8]) {
    let mut rest = bytes;
    while let Some(backslash) = rest.iter().position(|&byte| byte == b'\\') {
        dest.push_str(&key_text(&rest[..backslash]));
        let escape = &rest[backslash + 1..];
        match octal_byte(escape) {
            Some(byte) => {
                dest.push(if byte.is_ascii() {
                    char::from(byte)
                } else {
                    char::REPLACEMENT_CHARACTER
                });
                rest = &escape[3..];
            }
            None => {
                dest.push('\\');
                rest = escape;
            }
        }
    }
    dest.push_str(&key_text(rest));
}

/// The byte of a three-digit octal escape (`040`), if `bytes` starts with one.
fn octal_byte(bytes: &[u8]) -> Option<u8> {
    let digits = bytes.get(..3)?;
    if digits[0] > b'3' || !digits.iter().all(|digit| (b'0'..=b'7').contains(digit)) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u8, |value, digit| value * 8 + (digit - b'0')),
    )
}

/// Refills `table` from the bytes of `/proc/filesystems`.
pub fn parse_filesystems(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_filesystems(bytes, &mut fill);
    fill.finish();
    result
}

fn fill_filesystems(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    for line in Lines::new(FILESYSTEMS_FILE, bytes) {
        let mut fields = line.fields();
        let (nodev, name) = match (fields.next(), fields.next()) {
            (None, _) => continue,
            (Some(b"nodev"), Some(name)) => (1, name),
            (Some(name), None) => (0, name),
            (Some(first), Some(_)) => {
                return Err(line.error(format!(
                    "expected `nodev NAME` or `NAME`, found `{}`",
                    quote(first)
                )))
            }
        };
        if fields.next().is_some() {
            return Err(line.error("more than two fields"));
        }
        fill.row(&key_text(name)).values.push(nodev);
    }
    Ok(())
}

/// Whether a filesystem of type `kind` is a pseudo filesystem according to `filesystems` (a
/// table from [`parse_filesystems`]): `Some(true)` for a `nodev` type, `Some(false)` for a
/// block-device type, `None` when the type is not listed. FUSE subtypes (`fuse.sshfs`) are
/// looked up by their base type.
pub fn is_nodev(filesystems: &Table, kind: &str) -> Option<bool> {
    let base = kind.split_once('.').map_or(kind, |(base, _)| base);
    filesystems
        .row(kind)
        .or_else(|| filesystems.row(base))
        .and_then(|row| row.value(0))
        .map(|nodev| nodev == 1)
}
