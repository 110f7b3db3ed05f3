//! Opening data files without being tricked: a collector (often root) never follows a
//! symbolic link, never writes into something that is not a regular file or that another
//! user owns, and creates files and directories with the modes asked for whatever the umask.
//! Readers open without blocking (a FIFO would hang `open`) and refuse anything that is not
//! a regular file before reading a byte.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::error::{Error, Result};

/// Permission bits of a directory `rstat collect` creates.
pub const DIR_MODE: u32 = 0o750;

/// Opens an existing data file for reading: without blocking, and only if it is a regular
/// file (a FIFO, a device, a directory or a socket is refused at once).
pub fn open_for_reading(path: &Path) -> Result<File> {
    // A socket cannot even be opened: say what it is rather than "no such device".
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.file_type().is_file() {
            return Err(Error::NotRegular {
                path: path.to_path_buf(),
                what: describe_type(&meta),
            });
        }
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::io(path, "open", e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
    if !meta.file_type().is_file() {
        return Err(Error::NotRegular {
            path: path.to_path_buf(),
            what: describe_type(&meta),
        });
    }
    Ok(file)
}

/// Opens a data file for appending, creating it (exclusively, with exactly `mode`) when it
/// does not exist. Refuses a symbolic link, anything but a regular file, and, for root, a
/// file owned by someone other than root or the owner of its directory.
pub fn open_for_appending(path: &Path, mode: u32) -> Result<File> {
    let open_existing = || {
        OpenOptions::new()
            .read(true)
            .append(true)
            .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK)
            .open(path)
    };
    let file = match open_existing() {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let created = OpenOptions::new()
                .read(true)
                .append(true)
                .create_new(true)
                .mode(mode)
                .custom_flags(nix::libc::O_NOFOLLOW)
                .open(path);
            match created {
                Ok(file) => {
                    // The umask may have removed bits (or a 0 umask kept none): set exactly.
                    file.set_permissions(std::fs::Permissions::from_mode(mode))
                        .map_err(|e| Error::io(path, "set the mode of", e))?;
                    file
                }
                // Created by someone else in between: open it as an existing file.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    open_existing().map_err(|e| refusal(path, e))?
                }
                Err(e) => return Err(refusal(path, e)),
            }
        }
        Err(e) => return Err(refusal(path, e)),
    };
    let meta = file.metadata().map_err(|e| Error::io(path, "stat", e))?;
    if !meta.file_type().is_file() {
        return Err(Error::NotRegular {
            path: path.to_path_buf(),
            what: describe_type(&meta),
        });
    }
    if nix::unistd::geteuid().is_root() && meta.uid() != 0 {
        let dir_owner = path
            .parent()
            .map(|dir| {
                if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                }
            })
            .and_then(|dir| std::fs::metadata(dir).ok())
            .map(|m| m.uid());
        if dir_owner != Some(meta.uid()) {
            return Err(Error::Unsafe {
                path: path.to_path_buf(),
                what: format!(
                    "owned by uid {}, neither root nor the directory's owner",
                    meta.uid()
                ),
            });
        }
    }
    Ok(file)
}

/// Creates `dir` and its missing parents with [`DIR_MODE`] whatever the umask.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d);
        at = d.parent();
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    for created in missing {
        std::fs::set_permissions(created, std::fs::Permissions::from_mode(DIR_MODE))?;
    }
    Ok(())
}

/// The error for a failed open: a symbolic link (O_NOFOLLOW's ELOOP) named as such.
fn refusal(path: &Path, e: io::Error) -> Error {
    if e.raw_os_error() == Some(nix::libc::ELOOP) {
        return Error::Unsafe {
            path: path.to_path_buf(),
            what: "a symbolic link, which a collector never follows".into(),
        };
    }
    Error::io(path, "open for appending", e)
}

fn describe_type(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    }
}
