//! The store-and-forward state of `rstat push`: the day file and the offset of the first
//! frame the receiver has not acknowledged. Written after every acknowledged batch, atomically
//! (a temporary file renamed over the old one, then synced), so that after a crash, a SIGKILL
//! or a reboot push resumes where the receiver's acknowledgements stopped: at worst the last
//! batch is sent twice (same series, same timestamps, same values: receivers keep one copy),
//! never a sample lost.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where to go on from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// The day file's name (`2026-11-26.rstat`), looked up in the data directory.
    pub file: String,
    /// The offset of the next frame to send.
    pub offset: u64,
}

pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub fn new(path: PathBuf) -> StateFile {
        StateFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The recorded position; `None` when there is no state file yet.
    pub fn load(&self) -> Result<Option<Position>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(format!(
                    "{}: cannot read the push state: {e}",
                    self.path.display()
                ))
            }
        };
        let bad = || {
            format!(
                "{}: not a push state file (expected `file=NAME` and `offset=N` lines); \
                 remove it to start again from today's file",
                self.path.display()
            )
        };
        let (mut file, mut offset) = (None, None);
        for line in text.lines() {
            match line.split_once('=') {
                Some(("file", name)) if !name.contains('/') && !name.is_empty() => {
                    file = Some(name.to_string())
                }
                Some(("offset", n)) => offset = Some(n.parse().map_err(|_| bad())?),
                _ => return Err(bad()),
            }
        }
        match (file, offset) {
            (Some(file), Some(offset)) => Ok(Some(Position { file, offset })),
            _ => Err(bad()),
        }
    }

    /// Records `position` durably.
    pub fn save(&self, position: &Position) -> Result<(), String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let error = |e: std::io::Error| {
            format!(
                "{}: cannot write the push state: {e}; give push a writable --state file",
                self.path.display()
            )
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
        write!(temp, "file={}\noffset={}\n", position.file, position.offset).map_err(error)?;
        temp.as_file().sync_all().map_err(error)?;
        temp.persist(&self.path).map_err(|e| error(e.error))?;
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_bad_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateFile::new(dir.path().join("push.state"));
        assert_eq!(state.load().unwrap(), None);
        let position = Position {
            file: "2026-11-26.rstat".into(),
            offset: 12345,
        };
        state.save(&position).unwrap();
        assert_eq!(state.load().unwrap(), Some(position));
        std::fs::write(state.path(), "file=../etc/passwd\noffset=1\n").unwrap();
        assert!(state.load().unwrap_err().contains("not a push state file"));
        std::fs::write(state.path(), "offset=x\n").unwrap();
        assert!(state.load().is_err());
    }
}
