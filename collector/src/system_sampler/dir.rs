//! Directory listings and file reads for the system sampler, without allocating once warm:
//! - [`FileCache`] keeps the files and directories it reads open and re-reads them at offset 0
//!   (`pread`; `rewinddir`), which /proc and /sys regenerate, saving the open, the path walk,
//!   the size probe and the close of every read (they were a third of a sample's cost);
//! - a listing goes into a pool of reused strings ([`Names`], sorted in natural order, so
//!   `hwmon2` comes before `hwmon10` and rows keep a stable order);
//! - paths are built in a reused `PathBuf` ([`PathScratch`]).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use nix::dir::Dir;
use nix::fcntl::OFlag;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::stat::Mode;
use nix::sys::statfs::{fstatfs, PROC_SUPER_MAGIC};

/// The names of a directory's entries that passed a filter, in natural order.
#[derive(Default)]
pub(crate) struct Names {
    names: Vec<String>,
    used: usize,
}

impl Names {
    /// Lists `dir` (entries `.` and `..` excluded) keeping the names `keep` accepts.
    pub(crate) fn list(
        &mut self,
        cache: &mut FileCache,
        dir: &Path,
        keep: impl Fn(&str) -> bool,
    ) -> io::Result<()> {
        self.used = 0;
        let handle = cache.dir(dir)?;
        let mut failed = None;
        for entry in handle.iter() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    failed = Some(io::Error::from(error));
                    break;
                }
            };
            let bytes = entry.file_name().to_bytes();
            let Ok(name) = std::str::from_utf8(bytes) else {
                continue;
            };
            if name == "." || name == ".." || !keep(name) {
                continue;
            }
            self.push(name);
        }
        if let Some(error) = failed {
            cache.forget_dir(dir);
            return Err(error);
        }
        self.names[..self.used].sort_unstable_by(|a, b| natural_cmp(a, b));
        Ok(())
    }

    /// Replaces the content with `names` (for lists taken from a table).
    pub(crate) fn set<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        self.used = 0;
        for name in names {
            self.push(name);
        }
    }

    fn push(&mut self, name: &str) {
        if self.used == self.names.len() {
            self.names.push(String::new());
        }
        let slot = &mut self.names[self.used];
        slot.clear();
        slot.push_str(name);
        self.used += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.used
    }

    pub(crate) fn get(&self, index: usize) -> &str {
        self.names[..self.used]
            .get(index)
            .map_or("", String::as_str)
    }
}

/// Compares names by runs of digits (as numbers) and other bytes (as bytes).
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (ra, rb) = (run(a), run(b));
                let trim = |s: &[u8]| {
                    let zeros = s.iter().take_while(|&&c| c == b'0').count();
                    s[zeros..].len()
                };
                let order = trim(&a[..ra])
                    .cmp(&trim(&b[..rb]))
                    .then_with(|| {
                        let zeros = |s: &[u8]| s.iter().take_while(|&&c| c == b'0').count();
                        a[zeros(&a[..ra])..ra].cmp(&b[zeros(&b[..rb])..rb])
                    })
                    .then(ra.cmp(&rb));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[ra..];
                b = &b[rb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// A reused path: `start(root)` then `push` components.
#[derive(Default)]
pub(crate) struct PathScratch {
    path: PathBuf,
}

impl PathScratch {
    /// Resets the path to `base` and appends each of `parts` (relative; a leading `/` is
    /// dropped so that a mount point is joined under the root, not in place of it).
    pub(crate) fn build(&mut self, base: &Path, parts: &[&str]) -> &Path {
        let os = self.path.as_mut_os_string();
        os.clear();
        os.push(base.as_os_str());
        for part in parts {
            let part = part.trim_start_matches('/');
            if part.is_empty() {
                continue;
            }
            self.path.push(OsStr::from_bytes(part.as_bytes()));
        }
        &self.path
    }
}

/// How many files and directories a [`FileCache`] keeps open at most (beyond that, files are
/// opened and closed at each read).
const MAX_OPEN: usize = 512;

/// Open files and directories, by path, re-read at each sample; see the module doc.
pub(crate) struct FileCache {
    files: HashMap<PathBuf, (File, u64)>,
    dirs: HashMap<PathBuf, (Dir, u64)>,
    /// Incremented by [`FileCache::sweep`]; entries remember the generation that used them.
    generation: u64,
}

/// The files a [`FileCache`] makes room for at once: a host's system sample reads about 25 and
/// lists a few directories; growing the maps entry by entry rehashed them four times.
const USUAL_FILES: usize = 32;
const USUAL_DIRS: usize = 8;

impl Default for FileCache {
    fn default() -> FileCache {
        FileCache {
            files: HashMap::with_capacity(USUAL_FILES),
            dirs: HashMap::with_capacity(USUAL_DIRS),
            generation: 0,
        }
    }
}

impl FileCache {
    /// Reads the whole file at `path` into `buffer` (replacing its content, keeping its
    /// capacity), from the open file when there is one.
    pub(crate) fn read(&mut self, path: &Path, buffer: &mut ReadBuffer) -> io::Result<()> {
        let generation = self.generation;
        if let Some((file, used)) = self.files.get_mut(path) {
            *used = generation;
            let result = read_at_zero(file, buffer);
            if let Err(error) = &result {
                // EINVAL, ENODATA: the attribute has no value now (a link that is down); any
                // other error (ENODEV: the device went away) drops the stale descriptor.
                if !matches!(error.raw_os_error(), Some(22 | 61)) {
                    self.files.remove(path);
                }
            }
            return result;
        }
        let file = File::open(path)?;
        let result = read_at_zero(&file, buffer);
        if self.files.len() + self.dirs.len() < MAX_OPEN {
            self.files.insert(path.to_path_buf(), (file, generation));
        }
        result
    }

    /// The open directory at `path` (rewound: a listing starts from its first entry).
    fn dir(&mut self, path: &Path) -> io::Result<&mut Dir> {
        let generation = self.generation;
        if !self.dirs.contains_key(path) {
            let dir = Dir::open(
                path,
                OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .map_err(io::Error::from)?;
            self.dirs.insert(path.to_path_buf(), (dir, generation));
        }
        match self.dirs.get_mut(path) {
            Some((dir, used)) => {
                *used = generation;
                Ok(dir)
            }
            None => Err(io::Error::from(io::ErrorKind::NotFound)),
        }
    }

    fn forget_dir(&mut self, path: &Path) {
        self.dirs.remove(path);
    }

    /// Whether the open mount table at `path` is unchanged since it was last read: procfs
    /// mount tables signal a change with POLLPRI (and poll clears it). `false` when the file
    /// is not open, not on procfs (a fixture: it is read every time) or poll fails.
    pub(crate) fn mounts_unchanged(&mut self, path: &Path) -> bool {
        let generation = self.generation;
        let Some((file, used)) = self.files.get_mut(path) else {
            return false;
        };
        let on_procfs = fstatfs(&*file).is_ok_and(|fs| fs.filesystem_type() == PROC_SUPER_MAGIC);
        if !on_procfs {
            return false;
        }
        let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLPRI)];
        let quiet = poll(&mut fds, PollTimeout::ZERO).is_ok()
            && fds[0]
                .revents()
                .is_some_and(|events| !events.intersects(PollFlags::POLLPRI | PollFlags::POLLERR));
        if quiet {
            *used = generation;
        }
        quiet
    }

    /// Closes what was not read since the previous sweep (devices that went away, interfaces
    /// that were deleted), so the cache follows the host. Call once per sample.
    pub(crate) fn sweep(&mut self) {
        let generation = self.generation;
        self.files.retain(|_, (_, used)| *used == generation);
        self.dirs.retain(|_, (_, used)| *used == generation);
        self.generation += 1;
    }
}

/// A file's bytes as last read, in a buffer that is zeroed only where it grows.
///
/// A `Vec<u8>` read into with `read_at` must be initialised first, and truncating it to the
/// bytes read forgets that the rest already was: resizing it back to its capacity before the
/// next read zeroed all of it again (the largest file's size, for every file read; 4% of a
/// one-shot run's instructions). Here the vector keeps its length and `len` says how much of
/// it the last read filled.
#[derive(Default)]
pub(crate) struct ReadBuffer {
    bytes: Vec<u8>,
    len: usize,
}

impl std::ops::Deref for ReadBuffer {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// How much a [`ReadBuffer`] starts with: most /proc and /sys files fit.
const FIRST_READ_SIZE: usize = 4096;

/// Reads `file` from offset 0 to its end into `buffer`, with `pread` (no size probe: /proc
/// and /sys files report size 0 or 4096 whatever their content). One read fills the buffer
/// when it is large enough: a /proc seq_file read at another offset than where the last read
/// stopped is generated again from its start.
pub(crate) fn read_at_zero(file: &File, buffer: &mut ReadBuffer) -> io::Result<()> {
    let bytes = &mut buffer.bytes;
    if bytes.len() < FIRST_READ_SIZE {
        bytes.resize(FIRST_READ_SIZE, 0);
    }
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read_at(&mut bytes[filled..], filled as u64) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => {
                buffer.len = 0;
                return Err(error);
            }
        }
    }
    buffer.len = filled;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec![
            "hwmon10", "hwmon2", "hwmon1", "in0", "fan1", "temp10", "temp9",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["fan1", "hwmon1", "hwmon2", "hwmon10", "in0", "temp9", "temp10"]
        );
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Greater);
        assert_eq!(natural_cmp("1-1.2", "1-1.10"), Ordering::Less);
    }

    #[test]
    fn paths_join_under_the_base() {
        let mut scratch = PathScratch::default();
        assert_eq!(
            scratch.build(Path::new("/r"), &["/", "mnt/a b"]),
            Path::new("/r/mnt/a b")
        );
        assert_eq!(scratch.build(Path::new("/"), &["/"]), Path::new("/"));
    }
}
