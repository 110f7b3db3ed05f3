//! Mounted filesystems with space and inode use (sar -F) → [`TableKind::FILESYSTEMS`].
//!
//! From the mount table (parsed by [`crate::proc::mounts`]) a filesystem is recorded when
//! - its type is not a pseudo filesystem: `/proc/filesystems` does not mark it `nodev` (proc,
//!   sysfs, tmpfs, cgroup, overlay, nfs, fuse ... are skipped); a type missing from that file
//!   is kept only when its device is a path (`/dev/...`), as sysstat does;
//! - its device was not recorded already: a filesystem mounted twice (bind mounts, btrfs
//!   subvolumes) is counted once, under its first mount point;
//! - `statvfs` on the mount point, joined under the root, succeeds and reports blocks (with
//!   `--root`, mount points that do not exist under the root are skipped: tests point a
//!   fixture mount table at real directories).
//!
//! Names are kept whole, whatever their length; octal escapes (`\040`) are undone.

use std::path::Path;

use nix::sys::statvfs::statvfs;
use rstat_data_format::schema::{Sample, Table, TableKind};
use rstat_data_format::schema_system::fs_col;

use super::dir::PathScratch;
use crate::proc::{mounts, ParseError};

/// The scratch tables and buffers of the filesystems source.
pub(crate) struct Filesystems {
    /// The mount table of this sample (not stored: one row per mount).
    mounts: Table,
    /// `/proc/filesystems`: type → nodev. Re-read when a mount has a type it does not list.
    types: Table,
    /// Which mounts were recorded, to count a device once.
    recorded: Vec<bool>,
    path: PathScratch,
}

impl Default for Filesystems {
    fn default() -> Filesystems {
        Filesystems {
            mounts: Table::new(TableKind::FILESYSTEMS),
            types: Table::new(TableKind::FILESYSTEMS),
            recorded: Vec::new(),
            path: PathScratch::default(),
        }
    }
}

impl Filesystems {
    /// Parses the bytes of the mount table.
    pub(crate) fn parse_mounts(&mut self, bytes: &[u8]) -> Result<(), ParseError> {
        mounts::parse(bytes, &mut self.mounts)
    }

    /// Whether some mount has a type `/proc/filesystems` (as last read) does not list.
    pub(crate) fn needs_types(&self) -> bool {
        self.mounts.rows.iter().any(|row| {
            mounts::is_nodev(&self.types, row.text.get(1).map_or("", String::as_str)).is_none()
        })
    }

    /// Parses the bytes of `/proc/filesystems`.
    pub(crate) fn parse_types(&mut self, bytes: &[u8]) -> Result<(), ParseError> {
        mounts::parse_filesystems(bytes, &mut self.types)
    }

    /// Refills the FILESYSTEMS table of `sample` (left out when no filesystem qualifies).
    pub(crate) fn fill(&mut self, root: &Path, sample: &mut Sample) {
        self.recorded.clear();
        self.recorded.resize(self.mounts.rows.len(), false);
        let mut fill = sample.table_mut(TableKind::FILESYSTEMS).refill();
        for index in 0..self.mounts.rows.len() {
            let mount = &self.mounts.rows[index];
            let (mount_point, kind) = match mount.text.as_slice() {
                [mount_point, kind] => (mount_point.as_str(), kind.as_str()),
                _ => continue,
            };
            let keep = match mounts::is_nodev(&self.types, kind) {
                Some(nodev) => !nodev,
                None => mount.key.starts_with('/'),
            };
            let duplicate = self.mounts.rows[..index]
                .iter()
                .zip(&self.recorded)
                .any(|(earlier, &recorded)| recorded && earlier.key == mount.key);
            if !keep || duplicate {
                continue;
            }
            let path = self.path.build(root, &[mount_point]);
            let Ok(stat) = statvfs(path) else { continue };
            #[allow(clippy::unnecessary_cast)] // the statvfs field types vary by platform
            let (blocks, free, avail, files, files_free, fragment) = (
                stat.blocks() as u64,
                stat.blocks_free() as u64,
                stat.blocks_available() as u64,
                stat.files() as u64,
                stat.files_free() as u64,
                stat.fragment_size() as u64,
            );
            if blocks == 0 {
                continue;
            }
            let row = fill.row_with_text(&mount.key, &[mount_point, kind]);
            row.values.extend([
                blocks.saturating_mul(fragment),
                free.saturating_mul(fragment),
                avail.saturating_mul(fragment),
                files,
                files_free,
            ]);
            debug_assert_eq!(row.values.len(), fs_col::COUNT);
            self.recorded[index] = true;
        }
        fill.finish();
        if sample
            .table(TableKind::FILESYSTEMS)
            .is_some_and(|table| table.rows.is_empty())
        {
            sample.remove_table(TableKind::FILESYSTEMS);
        }
    }
}
