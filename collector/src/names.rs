//! Name tables a reader needs to print names the way sar and top do:
//! [`TableKind::DEVICE_NAMES`] (sar -p's /dev/mapper names and -j's persistent names) and
//! [`TableKind::USERS`] (top's user names in replay).
//!
//! These change rarely, so each is read again only when what it comes from changed (the
//! modification time of /etc/passwd, of /dev/mapper and of each /dev/disk/by-* directory).
//! Otherwise the table is left as it is in the collector's reused sample (or copied from the
//! last read into a fresh one): a steady sample reads nothing and allocates nothing. Rows
//! are refilled in place ([`rstat_data_format::schema::Table::refill`]).
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
    /// The tables as last read (`None` before the first read), copied into a sample that
    /// lacks them (a reader that takes a fresh sample each time) without reading again.
    users: Option<Table>,
    devices: Option<Table>,
    buffer: Vec<u8>,
}

impl NameTables {
    /// Name tables read from under `root` (`/` on a live host).
    pub fn new(root: &Path) -> NameTables {
        let mut device_dirs = vec![root.join("dev/mapper")];
        device_dirs.extend(BY_DIRS.iter().map(|(dir, _)| root.join(dir)));
        NameTables {
            root: root.to_path_buf(),
            passwd: root.join("etc/passwd"),
            device_stamps: vec![None; device_dirs.len()],
            device_dirs,
            passwd_stamp: None,
            users: None,
            devices: None,
            buffer: Vec::new(),
        }
    }

    /// The uid → user name table, read again if /etc/passwd changed.
    pub fn users(&mut self, sample: &mut Sample) {
        let stamp = modified(&self.passwd);
        let changed = stamp != self.passwd_stamp || self.users.is_none();
        if changed {
            self.passwd_stamp = stamp;
            self.buffer.clear();
            if let Ok(mut file) = fs::File::open(&self.passwd) {
                if std::io::Read::read_to_end(&mut file, &mut self.buffer).is_err() {
                    self.buffer.clear();
                }
            }
            let table = self
                .users
                .get_or_insert_with(|| Table::new(TableKind::USERS));
            parse_passwd(&self.buffer, table);
        }
        place(sample, self.users.as_ref(), changed);
    }

    /// The block-device name table, read again if /dev/mapper or a /dev/disk/by-* directory
    /// changed.
    pub fn devices(&mut self, sample: &mut Sample) {
        let mut changed = self.devices.is_none();
        for (dir, stamp) in self.device_dirs.iter().zip(self.device_stamps.iter_mut()) {
            let now = modified(dir);
            if now != *stamp {
                changed = true;
                *stamp = now;
            }
        }
        if changed {
            let table = self
                .devices
                .get_or_insert_with(|| Table::new(TableKind::DEVICE_NAMES));
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
        }
        place(sample, self.devices.as_ref(), changed);
    }
}

/// Puts the table as last read into `sample`: copied when it `changed` or the sample lacks
/// it, left alone otherwise (the collector's reused sample already holds it); no table when
/// it has no rows (a host without the source: nothing to record).
fn place(sample: &mut Sample, table: Option<&Table>, changed: bool) {
    let Some(table) = table else {
        return;
    };
    if table.rows.is_empty() {
        sample.remove_table(table.kind);
    } else if changed || sample.table(table.kind).is_none() {
        sample.table_mut(table.kind).clone_from(table);
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `name:password:uid:...` lines into rows key = name, values = `[uid]`, in file order. Lines
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
