//! Name tables a reader needs to print names the way sar and top do:
//! [`TableKind::DEVICE_NAMES`] (sar -p's /dev/mapper names and -j's persistent names) and
//! [`TableKind::USERS`] (top's user names in replay).
//!
//! These change rarely, so each is read again only when what it comes from changed (the
//! modification time of /etc/passwd, of /dev/mapper and of each /dev/disk/by-* directory),
//! or when the sample lacks the table. Otherwise the table is left as it is in the reused
//! sample: a steady sample reads nothing and allocates nothing. Rows are refilled in place
//! ([`rstat_data_format::schema::Table::refill`]).
//!
//! Both are best-effort: a host without /dev/disk (a container) or without /etc/passwd gets
//! no table, never a warning: the names only decorate figures recorded elsewhere.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rstat_data_format::schema::{Sample, Table, TableKind};
use rstat_data_format::schema_system::device_names;

/// The /dev/disk directories and the kind each gives its names.
const BY_DIRS: [(&str, &str); 4] = [
    ("dev/disk/by-id", device_names::ID),
    ("dev/disk/by-label", device_names::LABEL),
    ("dev/disk/by-path", device_names::PATH),
    ("dev/disk/by-uuid", device_names::UUID),
];

/// Reads the name tables under a root; see the module doc.
pub struct NameTables {
    root: PathBuf,
    passwd: PathBuf,
    /// /dev/mapper, then each of [`BY_DIRS`]: their modification times say when to read again.
    device_dirs: Vec<PathBuf>,
    passwd_stamp: Option<SystemTime>,
    device_stamps: Vec<Option<SystemTime>>,
    /// Whether each table was read once and came out empty (a host without the source):
    /// then the sample has no table, and that is no reason to read again.
    users_empty: Option<bool>,
    devices_empty: Option<bool>,
    buffer: Vec<u8>,
}

impl NameTables {
    pub fn new(root: &Path) -> NameTables {
        let mut device_dirs = vec![root.join("dev/mapper")];
        device_dirs.extend(BY_DIRS.iter().map(|(dir, _)| root.join(dir)));
        NameTables {
            root: root.to_path_buf(),
            passwd: root.join("etc/passwd"),
            device_stamps: vec![None; device_dirs.len()],
            device_dirs,
            passwd_stamp: None,
            users_empty: None,
            devices_empty: None,
            buffer: Vec::new(),
        }
    }

    /// Refills the uid → user name table if /etc/passwd changed (or the sample has none).
    pub fn users(&mut self, sample: &mut Sample) {
        let stamp = modified(&self.passwd);
        if stamp == self.passwd_stamp && up_to_date(sample, TableKind::USERS, self.users_empty) {
            return;
        }
        self.passwd_stamp = stamp;
        self.buffer.clear();
        if let Ok(mut file) = fs::File::open(&self.passwd) {
            if std::io::Read::read_to_end(&mut file, &mut self.buffer).is_err() {
                self.buffer.clear();
            }
        }
        parse_passwd(&self.buffer, sample.table_mut(TableKind::USERS));
        self.users_empty = Some(drop_if_empty(sample, TableKind::USERS));
    }

    /// Refills the block-device name table if /dev/mapper or a /dev/disk/by-* directory
    /// changed (or the sample has none).
    pub fn devices(&mut self, sample: &mut Sample) {
        let mut changed = !up_to_date(sample, TableKind::DEVICE_NAMES, self.devices_empty);
        for (dir, stamp) in self.device_dirs.iter().zip(self.device_stamps.iter_mut()) {
            let now = modified(dir);
            if now != *stamp {
                changed = true;
                *stamp = now;
            }
        }
        if !changed {
            return;
        }
        let table = sample.table_mut(TableKind::DEVICE_NAMES);
        let mut fill = table.refill();
        for (device, name) in mapper_names(&self.root) {
            fill.row_with_text(&device, &[device_names::MAPPER, &name]);
        }
        for (dir, kind) in BY_DIRS {
            for (device, name) in links(&self.root.join(dir)) {
                fill.row_with_text(&device, &[kind, &name]);
            }
        }
        fill.finish();
        self.devices_empty = Some(drop_if_empty(sample, TableKind::DEVICE_NAMES));
    }
}

/// Whether the sample holds the table as last read (`last_empty`: whether that read found
/// nothing, so no table is right).
fn up_to_date(sample: &Sample, kind: TableKind, last_empty: Option<bool>) -> bool {
    match last_empty {
        None => false,
        Some(true) => sample.table(kind).is_none(),
        Some(false) => sample.table(kind).is_some(),
    }
}

/// Removes the table of `kind` if it has no rows (nothing to name: not recorded); whether
/// it did.
fn drop_if_empty(sample: &mut Sample, kind: TableKind) -> bool {
    let empty = sample.table(kind).is_none_or(|t| t.rows.is_empty());
    if empty {
        sample.remove_table(kind);
    }
    empty
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `name:password:uid:...` lines into rows key = name, values = [uid], in file order. Lines
/// that are not of that form (comments, NIS `+` entries) are skipped: the table only names
/// users, so an odd line loses only its own name.
pub fn parse_passwd(bytes: &[u8], table: &mut Table) {
    let mut fill = table.refill();
    for line in bytes.split(|&b| b == b'\n') {
        let mut fields = line.split(|&b| b == b':');
        let (Some(name), Some(_), Some(uid)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let (Ok(name), Some(uid)) = (std::str::from_utf8(name), parse_decimal(uid)) else {
            continue;
        };
        if name.is_empty() || name.starts_with(['#', '+', '-']) {
            continue;
        }
        fill.row(name).values.push(uid);
    }
    fill.finish();
}

fn parse_decimal(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// (dm-N, name) from /sys/block/dm-N/dm/name, by device number order.
fn mapper_names(root: &Path) -> Vec<(String, String)> {
    let Ok(entries) = fs::read_dir(root.join("sys/block")) else {
        return Vec::new();
    };
    let mut names: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let device = entry.file_name().into_string().ok()?;
            device.strip_prefix("dm-")?.parse::<u32>().ok()?;
            let name = fs::read_to_string(entry.path().join("dm/name")).ok()?;
            let name = name.trim_end();
            (!name.is_empty()).then(|| (device.clone(), name.to_string()))
        })
        .collect();
    names.sort_by_key(|(device, _)| device[3..].parse::<u32>().unwrap_or(u32::MAX));
    names
}

/// (device, link name) for each symbolic link of `dir` (`/dev/disk/by-id/ata-X` ->
/// `../../sda`), sorted by name.
fn links(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut links: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let target = fs::read_link(entry.path()).ok()?;
            let device = target.file_name()?.to_str()?.to_string();
            Some((device, name))
        })
        .collect();
    links.sort_by(|a, b| a.1.cmp(&b.1));
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines_give_names_and_uids_and_odd_lines_are_skipped() {
        let mut table = Table::new(TableKind::USERS);
        let text = b"root:x:0:0:root:/root:/bin/bash\n# comment\n+::::::\nbad line\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:notanumber:1::/:/bin/sh\n";
        parse_passwd(text, &mut table);
        let rows: Vec<(&str, &[u64])> = table
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.values.as_slice()))
            .collect();
        assert_eq!(rows, [("root", &[0][..]), ("alice", &[1000][..])]);
    }
}
