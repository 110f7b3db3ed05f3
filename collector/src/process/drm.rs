//! Per-process DRM use, read during the process walk: for a process, `/proc/PID/fd` is
//! listed, the descriptors that link to `/dev/dri/` kept, and their `fdinfo` parsed
//! ([`crate::gpu::fdinfo`]) and summed per device, each client once.
//!
//! Cost: listing every process's descriptors every sample would cost more than the rest of
//! the walk (about 1 ms for 150 processes even one sample in ten, measured by
//! collector/tests/gpu_cost.rs). A process is scanned when first seen and every sample while
//! it holds a DRM file; any other process every [`RESCAN_SAMPLES`] samples (staggered by pid)
//! if it used CPU time since the last sample (opening a device and submitting work both
//! do), and every [`FULL_RESCAN_SAMPLES`] samples regardless; and only while the host has a
//! DRM device at all (`ROOT/sys/class/drm/card*`).

use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};

use nix::dir::Dir;
use nix::fcntl::{readlinkat, OFlag};
use nix::sys::stat::Mode;
use rstat_data_format::schema_gpu::MISSING;

use super::read::read_at;
use crate::gpu::fdinfo::{add, parse, DrmClient, DrmUsage};

/// How often (in samples) a running process not known to use a GPU has its descriptors
/// listed.
pub const RESCAN_SAMPLES: u64 = 10;

/// How often (in samples) any process has its descriptors listed.
pub const FULL_RESCAN_SAMPLES: u64 = 60;

/// Most bytes of one fdinfo file read.
const FDINFO_MAX: usize = 16 * 1024;

/// Scans processes' DRM files during the process walk; see the module doc.
pub struct DrmScanner {
    drm_class: PathBuf,
    /// Whether the host has a DRM device (checked every [`RESCAN_SAMPLES`] samples).
    has_drm: bool,
    /// Pids that held a DRM file at their last scan (sorted).
    users: Vec<u32>,
    next_users: Vec<u32>,
    /// This sample's usage, in walk (pid) order.
    usage: Vec<DrmUsage>,
    /// (pdev, client id) pairs seen for the current process.
    seen: Vec<(String, u64)>,
    path: Vec<u8>,
    buffer: Vec<u8>,
    samples: u64,
}

impl DrmScanner {
    /// A scanner of processes under `ROOT/proc`, active while `ROOT/sys/class/drm` has a card.
    pub fn new(root: &Path) -> DrmScanner {
        DrmScanner {
            drm_class: root.join("sys/class/drm"),
            has_drm: false,
            users: Vec::new(),
            next_users: Vec::new(),
            usage: Vec::new(),
            seen: Vec::new(),
            path: Vec::new(),
            buffer: Vec::new(),
            samples: 0,
        }
    }

    /// Starts a sample: forgets the last sample's usage.
    pub fn begin(&mut self) {
        if self.samples % RESCAN_SAMPLES == 0 {
            self.has_drm = std::fs::read_dir(&self.drm_class).is_ok_and(|dir| {
                dir.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().starts_with("card"))
            });
        }
        self.usage.clear();
        self.next_users.clear();
    }

    /// Ends a sample.
    pub fn finish(&mut self) {
        std::mem::swap(&mut self.users, &mut self.next_users);
        self.samples += 1;
    }

    /// This sample's usage, by pid.
    pub fn usage(&self) -> &[DrmUsage] {
        &self.usage
    }

    /// Scans process `pid` (started at `starttime`) if it is due: `new` when first seen,
    /// `ran` when it used CPU time since the last sample.
    pub fn scan(&mut self, proc_fd: RawFd, pid: u32, starttime: u64, new: bool, ran: bool) {
        if !self.has_drm {
            return;
        }
        let known_user = self.users.binary_search(&pid).is_ok();
        let turn = u64::from(pid) + self.samples;
        let due = (ran && turn % RESCAN_SAMPLES == 0) || turn % FULL_RESCAN_SAMPLES == 0;
        if !(new || known_user || due) {
            return;
        }
        let first = self.usage.len();
        self.seen.clear();
        self.path.clear();
        self.path
            .extend_from_slice(super::decimal(&mut [0; 10], pid).as_bytes());
        self.path.push(b'/');
        let base = self.path.len();
        self.path.extend_from_slice(b"fd");
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        let Ok(mut dir) = Dir::openat(Some(proc_fd), self.path.as_slice(), flags, Mode::empty())
        else {
            return;
        };
        let dir_fd = dir.as_raw_fd();
        for entry in dir.iter().filter_map(Result::ok) {
            let name = entry.file_name();
            if name.to_bytes().first().is_none_or(|b| !b.is_ascii_digit()) {
                continue;
            }
            let Ok(target) = readlinkat(Some(dir_fd), name) else {
                continue;
            };
            if !target.as_encoded_bytes().starts_with(b"/dev/dri/") {
                continue;
            }
            self.path.truncate(base);
            self.path.extend_from_slice(b"fdinfo/");
            self.path.extend_from_slice(name.to_bytes());
            let read = read_at(proc_fd, &self.path, &mut self.buffer, FDINFO_MAX, false);
            let Ok(len) = read else { continue };
            let Some(client) = parse(&self.buffer[..len]) else {
                continue;
            };
            self.add(pid, starttime, first, client);
        }
        if self.usage.len() > first {
            self.next_users.push(pid);
        }
    }

    fn add(&mut self, pid: u32, starttime: u64, first: usize, client: DrmClient) {
        let device = if client.pdev.is_empty() {
            client.driver.clone()
        } else {
            client.pdev.clone()
        };
        if let Some(id) = client.client_id {
            if self.seen.iter().any(|(d, i)| *d == device && *i == id) {
                return;
            }
            self.seen.push((device.clone(), id));
        }
        match self.usage[first..].iter_mut().find(|u| u.device == device) {
            Some(usage) => {
                for (col, value) in client.values.iter().enumerate() {
                    if *value != MISSING {
                        add(&mut usage.values, col, *value);
                    }
                }
            }
            None => self.usage.push(DrmUsage {
                pid,
                starttime,
                device,
                values: client.values,
            }),
        }
    }
}
