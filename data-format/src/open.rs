//! Opening a data file a reader is given: an rstat file as it is, a sysstat data file
//! (recognised by its magic) through a temporary rstat copy ([`crate::sysstat`]), so that
//! report, export, plot, top's replay and info read both the same way.

use std::path::Path;

use crate::error::Result;
use crate::reader::FileReader;
use crate::sysstat::{is_sa_file, TempConversion};

/// Opens `path` for reading, whichever kind of data file it is.
pub fn open(path: &Path) -> Result<FileReader> {
    if !is_sa_file(path) {
        return FileReader::open(path);
    }
    // The copy is unlinked when `converted` drops; the open reader keeps reading it.
    let converted = TempConversion::of(path)?;
    let reader = FileReader::open(converted.path())?;
    Ok(reader.shown_as(path, converted.damage().cloned()))
}
