//! Where `report`'s tables wait while the file is read once for all of them: sar prints each
//! activity's whole table in turn, so every table's text is held back until the end of its
//! boot's block. Text beyond a table's in-memory share goes to one unnamed temporary file
//! for the whole report (a file per table cost a tenth of `report -A`'s time in the
//! filesystem's inode allocation), as extents each table remembers; the file is emptied
//! when a block has been printed. Memory stays flat whatever the file size.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;

/// A run of one table's text in the spill file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extent {
    offset: u64,
    len: usize,
}

/// The report's spill file, created on first use.
#[derive(Default)]
pub(crate) struct SpillFile {
    file: Option<File>,
    end: u64,
}

/// How much of an extent is read back at a time.
const COPY_CHUNK: usize = 64 * 1024;

impl SpillFile {
    /// Appends `bytes`; returns where they are.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> Result<Extent, String> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile().map_err(|e| {
                format!("cannot create a temporary file for the report: {e}; set TMPDIR to a writable directory")
            })?),
        };
        file.write_all_at(bytes, self.end)
            .map_err(|e| format!("writing the report's temporary file: {e}"))?;
        let extent = Extent {
            offset: self.end,
            len: bytes.len(),
        };
        self.end += bytes.len() as u64;
        Ok(extent)
    }

    /// Copies `extents`, in order, to `out`.
    pub(crate) fn copy_out(&self, extents: &[Extent], out: &mut impl Write) -> Result<(), String> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut buf = vec![0; COPY_CHUNK];
        for extent in extents {
            let mut done = 0;
            while done < extent.len {
                let now = (extent.len - done).min(COPY_CHUNK);
                file.read_exact_at(&mut buf[..now], extent.offset + done as u64)
                    .map_err(|e| format!("reading the report's temporary file: {e}"))?;
                out.write_all(&buf[..now])
                    .map_err(|e| format!("writing the report: {e}"))?;
                done += now;
            }
        }
        Ok(())
    }

    /// Forgets every extent (a block has been printed): the file is emptied for the next.
    pub(crate) fn clear(&mut self) -> Result<(), String> {
        if let Some(file) = &self.file {
            file.set_len(0)
                .map_err(|e| format!("emptying the report's temporary file: {e}"))?;
        }
        self.end = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extents_come_back_as_written_and_clear_starts_over() {
        let mut spill = SpillFile::default();
        let mut out = Vec::new();
        spill.copy_out(&[], &mut out).unwrap();
        assert!(out.is_empty(), "nothing spilled, nothing created");
        // Two tables interleaved, one extent longer than a read-back chunk.
        let long: Vec<u8> = (0..COPY_CHUNK * 2 + 17).map(|i| (i % 251) as u8).collect();
        let a1 = spill.append(b"cpu 1\n").unwrap();
        let b1 = spill.append(&long).unwrap();
        let a2 = spill.append(b"cpu 2\n").unwrap();
        spill.copy_out(&[a1, a2], &mut out).unwrap();
        assert_eq!(out, b"cpu 1\ncpu 2\n");
        out.clear();
        spill.copy_out(&[b1], &mut out).unwrap();
        assert_eq!(out, long);
        spill.clear().unwrap();
        let next = spill.append(b"after restart\n").unwrap();
        assert_eq!(next.offset, 0);
        out.clear();
        spill.copy_out(&[next], &mut out).unwrap();
        assert_eq!(out, b"after restart\n");
        assert_eq!(spill.file.as_ref().unwrap().metadata().unwrap().len(), 14);
    }
}
