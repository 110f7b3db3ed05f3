//! The cgroup v2 walker: finds the v2 hierarchy under the root and records every group's
//! files into the CGROUPS and CGROUP_IO tables.
//!
//! - Pure v2 host: `ROOT/sys/fs/cgroup` holds `cgroup.controllers`. Hybrid host (systemd's
//!   "hybrid" layout, v1 controllers beside a v2 hierarchy): `ROOT/sys/fs/cgroup/unified`
//!   holds it. Only v1 (a `ROOT/sys/fs/cgroup` without either): no cgroup data, one notice.
//!   No `ROOT/sys/fs/cgroup` at all: no cgroup data, silently. The layout is looked at once,
//!   when the collector starts.
//! - The walk is depth first, a group before its children, children in directory order
//!   (stable from sample to sample, which the delta codec likes). It is bounded: groups deeper
//!   than [`MAX_DEPTH`] below the root, or beyond the first [`MAX_GROUPS`], are not recorded
//!   (each subtree left out counts once in the summary's `CGROUPS_SKIPPED`, with a warning).
//! - Per group: cpu.stat (a group without it and without cgroup.procs was just removed and is
//!   left out; older kernels have no cpu.stat in the root or, on hybrid hosts, anywhere: such
//!   a group is kept without CPU figures), memory.current, memory.swap.current, memory.stat,
//!   memory.events, io.stat, cpu/io/memory.pressure and pids.current; a file that does not
//!   exist (controller not enabled, or the root group) leaves its flag bit clear.
//! - Every file is opened relative to the group's directory descriptor and read into one
//!   reused buffer.

use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};

use nix::dir::{Dir, Type};
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{fstatat, Mode, SFlag};
use rstat_data_format::schema::{Sample, Table, TableFill, TableKind};
use rstat_data_format::schema_process::{
    cgroup_col as col, cgroup_flag as flag, cgroup_mode, process_summary_col,
};

use super::cgroup_files::{parse_io_stat, parse_keyed, parse_pressure, parse_single};
use super::read::read_at;
use crate::proc::ParseError;

/// Deepest group recorded, in levels below the root (systemd user sessions reach 6,
/// Kubernetes pods 4 or 5).
pub const MAX_DEPTH: usize = 10;
/// Most groups recorded per sample.
pub const MAX_GROUPS: usize = 2000;

const FILE_LIMIT: usize = 64 * 1024;

/// Walks the cgroup v2 hierarchy; see the module doc.
pub(crate) struct CgroupWalker {
    mode: u64,
    /// The v2 root directory, if there is one.
    root: Option<PathBuf>,
    buf: Vec<u8>,
    /// The path of the group being read, relative to the root ("" for the root).
    path: String,
    key: String,
    warned_v1: bool,
    warned_bounds: bool,
    warned_parse: bool,
    warned_open: bool,
}

/// Where the cgroup v2 hierarchy is under `root`, and which layout that is.
pub(crate) fn detect(root: &Path) -> (u64, Option<PathBuf>) {
    let base = root.join("sys/fs/cgroup");
    if base.join("cgroup.controllers").is_file() {
        (cgroup_mode::V2, Some(base))
    } else if base.join("unified/cgroup.controllers").is_file() {
        (cgroup_mode::HYBRID, Some(base.join("unified")))
    } else if base.is_dir() {
        (cgroup_mode::V1_ONLY, None)
    } else {
        (cgroup_mode::NONE, None)
    }
}

/// The two tables a walk fills, and its counts.
struct Fills<'a> {
    groups: TableFill<'a>,
    io: TableFill<'a>,
    count: usize,
    skipped: u64,
    parse_error: Option<ParseError>,
}

impl CgroupWalker {
    pub(crate) fn new(root: &Path) -> CgroupWalker {
        let (mode, root) = detect(root);
        CgroupWalker {
            mode,
            root,
            buf: Vec::new(),
            path: String::new(),
            key: String::new(),
            warned_v1: false,
            warned_bounds: false,
            warned_parse: false,
            warned_open: false,
        }
    }

    /// Refills the CGROUPS and CGROUP_IO tables; false when there is no cgroup v2 to record.
    pub(crate) fn fill(
        &mut self,
        sample: &mut Sample,
        summary: &mut [u64; process_summary_col::COUNT],
        warnings: &mut Vec<String>,
    ) -> bool {
        summary[process_summary_col::CGROUP_MODE] = self.mode;
        let Some(root) = &self.root else {
            if self.mode == cgroup_mode::V1_ONLY && !std::mem::replace(&mut self.warned_v1, true) {
                warnings.push(
                    "this host has only cgroup v1 (no cgroup.controllers under /sys/fs/cgroup or \
                     /sys/fs/cgroup/unified): cgroups are not recorded; processes are"
                        .to_string(),
                );
            }
            return false;
        };
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        let mut dir = match Dir::open(root.as_path(), flags, Mode::empty()) {
            Ok(dir) => dir,
            Err(errno) => {
                if !std::mem::replace(&mut self.warned_open, true) {
                    warnings.push(format!(
                        "cannot open {}: {}; cgroups are not recorded until it can be read",
                        root.display(),
                        errno.desc()
                    ));
                }
                return false;
            }
        };
        sample.table_mut(TableKind::CGROUPS);
        sample.table_mut(TableKind::CGROUP_IO);
        // Both tables were just created, so this always finds them.
        let Some((groups, io)) = two_tables(sample) else {
            return false;
        };
        let mut fills = Fills {
            groups: groups.refill(),
            io: io.refill(),
            count: 0,
            skipped: 0,
            parse_error: None,
        };
        self.path.clear();
        self.walk(&mut dir, 0, &mut fills);
        let Fills {
            groups,
            io,
            count,
            skipped,
            parse_error,
        } = fills;
        groups.finish();
        io.finish();
        summary[process_summary_col::CGROUPS] = count as u64;
        summary[process_summary_col::CGROUPS_SKIPPED] = skipped;
        if skipped > 0 && !std::mem::replace(&mut self.warned_bounds, true) {
            warnings.push(format!(
                "cgroups deeper than {MAX_DEPTH} levels or beyond the first {MAX_GROUPS} are not recorded ({skipped} left out)"
            ));
        }
        if let Some(error) = parse_error {
            if !std::mem::replace(&mut self.warned_parse, true) {
                warnings.push(format!(
                    "a cgroup file could not be parsed ({error}); its columns are left at 0 (said once)"
                ));
            }
        }
        count > 0
    }

    fn walk(&mut self, dir: &mut Dir, depth: usize, fills: &mut Fills<'_>) {
        let fd = dir.as_raw_fd();
        if !self.read_group(fd, fills) {
            return;
        }
        fills.count += 1;
        for entry in dir.iter() {
            let Ok(entry) = entry else {
                return;
            };
            let name = entry.file_name();
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let is_dir = match entry.file_type() {
                Some(kind) => kind == Type::Directory,
                None => fstatat(Some(fd), name, AtFlags::AT_SYMLINK_NOFOLLOW).is_ok_and(|st| {
                    SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFDIR
                }),
            };
            if !is_dir {
                continue;
            }
            if depth + 1 > MAX_DEPTH || fills.count >= MAX_GROUPS {
                fills.skipped += 1;
                continue;
            }
            let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
            let Ok(mut child) = Dir::openat(Some(fd), name, flags, Mode::empty()) else {
                continue; // removed since it was listed
            };
            let len = self.path.len();
            self.path.push('/');
            self.path.push_str(&String::from_utf8_lossy(bytes));
            self.walk(&mut child, depth + 1, fills);
            self.path.truncate(len);
        }
    }

    /// Reads one group's files into a CGROUPS row (and its CGROUP_IO rows). False when the
    /// group is gone (neither its cpu.stat nor its cgroup.procs is there).
    fn read_group(&mut self, fd: RawFd, fills: &mut Fills<'_>) -> bool {
        let mut values = [0u64; col::COUNT];
        let mut flags = 0;
        match self.read(fd, b"cpu.stat") {
            Some(len) => {
                let out = &mut values[col::USAGE_USEC..col::USAGE_USEC + col::CPU_STAT_KEYS.len()];
                note(
                    &mut fills.parse_error,
                    parse_keyed("cpu.stat", &self.buf[..len], &col::CPU_STAT_KEYS, out),
                );
                flags |= flag::CPU_STAT;
            }
            // No cpu.stat: a group just removed, or one of a kernel that has none there (the
            // v2 root before 5.x, every group of a hybrid host's unified tree before 4.15):
            // cgroup.procs, in every live group, says which; a live one is recorded without
            // CPU figures, and its children are walked.
            None if fstatat(Some(fd), "cgroup.procs", AtFlags::AT_SYMLINK_NOFOLLOW).is_err() => {
                return false
            }
            None => {}
        }
        for (file, bit, slot) in [
            ("memory.current", flag::MEMORY_CURRENT, col::MEMORY_CURRENT),
            ("memory.swap.current", flag::SWAP_CURRENT, col::SWAP_CURRENT),
            ("pids.current", flag::PIDS_CURRENT, col::PIDS_CURRENT),
        ] {
            if let Some(len) = self.read(fd, file.as_bytes()) {
                match parse_single(file, &self.buf[..len]) {
                    Ok(value) => {
                        values[slot] = value;
                        flags |= bit;
                    }
                    Err(error) => note(&mut fills.parse_error, Err(error)),
                }
            }
        }
        for (file, bit, first, keys) in [
            (
                "memory.stat",
                flag::MEMORY_STAT,
                col::ANON,
                &col::MEMORY_STAT_KEYS[..],
            ),
            (
                "memory.events",
                flag::MEMORY_EVENTS,
                col::EVENTS_LOW,
                &col::MEMORY_EVENTS_KEYS[..],
            ),
        ] {
            if let Some(len) = self.read(fd, file.as_bytes()) {
                let out = &mut values[first..first + keys.len()];
                note(
                    &mut fills.parse_error,
                    parse_keyed(file, &self.buf[..len], keys, out),
                );
                flags |= bit;
            }
        }
        for (file, bit, first) in [
            ("cpu.pressure", flag::CPU_PRESSURE, col::PSI_CPU),
            ("io.pressure", flag::IO_PRESSURE, col::PSI_IO),
            ("memory.pressure", flag::MEMORY_PRESSURE, col::PSI_MEMORY),
        ] {
            if let Some(len) = self.read(fd, file.as_bytes()) {
                let out = &mut values[first..first + col::psi::COUNT];
                match parse_pressure(file, &self.buf[..len], out) {
                    Ok(()) => flags |= bit,
                    Err(error) => note(&mut fills.parse_error, Err(error)),
                }
            }
        }
        let io_len = self.read(fd, b"io.stat");
        let (path, buf, path_key, io) = (&self.path, &self.buf, &mut self.key, &mut fills.io);
        let key = if path.is_empty() { "/" } else { path.as_str() };
        if let Some(len) = io_len {
            let result = parse_io_stat("io.stat", &buf[..len], |device, values| {
                path_key.clear();
                path_key.push_str(key);
                path_key.push(' ');
                path_key.push_str(&String::from_utf8_lossy(device));
                io.row(path_key).values.extend_from_slice(values);
            });
            if result.is_ok() {
                flags |= flag::IO_STAT;
            }
            note(&mut fills.parse_error, result);
        }
        values[col::FLAGS] = flags;
        fills.groups.row(key).values.extend_from_slice(&values);
        true
    }

    /// Reads a file of the group into `self.buf`; `None` when it does not exist or cannot be
    /// read.
    fn read(&mut self, fd: RawFd, name: &[u8]) -> Option<usize> {
        read_at(fd, name, &mut self.buf, FILE_LIMIT, true).ok()
    }
}

/// Keeps the first parse error of a walk for the warning.
fn note(first: &mut Option<ParseError>, result: Result<(), ParseError>) {
    if let Err(error) = result {
        first.get_or_insert(error);
    }
}

/// The CGROUPS and CGROUP_IO tables of `sample`, borrowed together.
fn two_tables(sample: &mut Sample) -> Option<(&mut Table, &mut Table)> {
    let mut groups = None;
    let mut io = None;
    for table in &mut sample.tables {
        match table.kind {
            TableKind::CGROUPS => groups = Some(table),
            TableKind::CGROUP_IO => io = Some(table),
            _ => {}
        }
    }
    Some((groups?, io?))
}
