//! The day files of a data directory, for the readers that pick files themselves
//! (`rstat serve` takes the newest, `rstat push` walks them oldest first).

use std::path::{Path, PathBuf};

use rstat_data_format::daily::date_of_file_name;

/// The day files of `dir`, oldest first.
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: cannot list the data directory: {e}; pass --dir or set data_dir",
            dir.display()
        )
    })?;
    let mut files: Vec<(chrono::NaiveDate, PathBuf)> = entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name();
            Some((date_of_file_name(name.to_str()?)?, dir.join(name)))
        })
        .collect();
    files.sort();
    Ok(files.into_iter().map(|(_, path)| path).collect())
}
