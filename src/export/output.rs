//! Where an export or a plot goes: stdout, or a file written atomically (a temporary file in
//! the same directory, synced, then renamed over the target), so a reader of FILE never sees
//! half an export and a failed export leaves any previous FILE as it was. A path that names
//! something other than a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is written into
//! directly: renaming over it would replace the device node itself, as root even /dev/null.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// An open output.
pub(crate) enum Output {
    Stdout(BufWriter<io::Stdout>),
    /// A device, FIFO or other non-regular file, written in place.
    Special(BufWriter<File>),
    File {
        file: BufWriter<NamedTempFile>,
        path: PathBuf,
    },
}

impl Output {
    /// Stdout for `None`, else a temporary file next to `path`.
    pub(crate) fn create(path: Option<&Path>) -> Result<Output, String> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::new(io::stdout())));
        };
        if let Ok(meta) = std::fs::metadata(path) {
            if !meta.is_file() && !meta.is_dir() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
                return Ok(Output::Special(BufWriter::with_capacity(64 * 1024, file)));
            }
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Created 0666 less the umask, as any file a command writes: tempfile's own 0600
        // would survive the rename and hide the export from everyone else.
        let temp = tempfile::Builder::new()
            .prefix(".rstat-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(|e| {
                format!(
                    "{}: cannot create a file in {}: {e}; check that the directory exists and is writable",
                    path.display(),
                    dir.display()
                )
            })?;
        Ok(Output::File {
            file: BufWriter::with_capacity(64 * 1024, temp),
            path: path.to_path_buf(),
        })
    }

    /// Finishes the output: flushes stdout, or syncs the file and renames it into place.
    pub(crate) fn commit(self) -> io::Result<()> {
        Output::commit_all(vec![self])
    }

    /// Finishes several outputs (`--csv --out DIR`: a file per activity) as one set: every
    /// file is written out first, then all are made durable together, then renamed into
    /// place, and each directory is synced once after its renames. Each file is synced with
    /// its own fdatasync, not one syncfs(2) of the filesystem: syncfs measured ~10% less CPU
    /// for the 45 files of `-A`, but it also flushes every other program's pending writes
    /// on that filesystem (a stall an export must not impose on a busy server) and before
    /// Linux 5.8 it does not report write errors. No file replaces its old version before
    /// every file of the set is on disk.
    pub(crate) fn commit_all(outputs: Vec<Output>) -> io::Result<()> {
        let mut files = Vec::new();
        for output in outputs {
            match output {
                Output::Stdout(mut out) => out.flush()?,
                Output::Special(mut out) => out.flush()?,
                Output::File { file, path } => {
                    files.push((file.into_inner().map_err(|e| e.into_error())?, path));
                }
            }
        }
        for (temp, _) in &files {
            temp.as_file().sync_data()?;
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (temp, path) in files {
            temp.persist(&path).map_err(|e| {
                io::Error::new(e.error.kind(), format!("{}: {}", path.display(), e.error))
            })?;
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            File::open(&dir)?.sync_all()?;
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::Special(out) => out.write(buf),
            Output::File { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(buf),
            Output::Special(out) => out.write_all(buf),
            Output::File { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::Special(out) => out.flush(),
            // A file appears only when it is complete; nothing to push out early.
            Output::File { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        let mut out = Output::create(Some(&path)).unwrap();
        out.write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let umask = std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o666 & !umask, "{mode:o}");
        // A dropped output leaves no temporary file behind.
        let out = Output::create(Some(&path)).unwrap();
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_set_of_files_replaces_the_old_set_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..3)
            .map(|i| dir.path().join(format!("{i}.csv")))
            .collect();
        for path in &paths {
            std::fs::write(path, "old").unwrap();
        }
        let mut outputs: Vec<Output> = paths
            .iter()
            .map(|p| Output::create(Some(p)).unwrap())
            .collect();
        for (i, out) in outputs.iter_mut().enumerate() {
            write!(out, "new {i}").unwrap();
        }
        for path in &paths {
            assert_eq!(std::fs::read_to_string(path).unwrap(), "old");
        }
        Output::commit_all(outputs).unwrap();
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(std::fs::read_to_string(path).unwrap(), format!("new {i}"));
        }
        // The temporary files became the new ones: nothing else is left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn a_fifo_is_written_into_not_renamed_over() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut out = Output::create(Some(&fifo)).unwrap();
        out.write_all(b"through the pipe").unwrap();
        out.commit().unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_named() {
        let err = Output::create(Some(Path::new("/nonexistent-dir/x.csv")))
            .err()
            .unwrap();
        assert!(
            err.starts_with("/nonexistent-dir/x.csv: cannot create"),
            "{err}"
        );
    }
}
