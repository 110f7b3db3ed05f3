//! The THREADS table (`rstat collect --threads`): every thread of every recorded process,
//! from `/proc/PID/task/TID/{stat,status,io,schedstat}`, grouped by process in pid order and
//! by thread id within a process. A thread that exits while being read is left out.

use std::os::fd::RawFd;

use nix::dir::Dir;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;
use rstat_data_format::schema::{Table, TableFill};

use super::read::parse_id;
use super::task::TaskReader;

/// Refills the THREADS table while processes are read.
pub(crate) struct ThreadFill<'a> {
    fill: TableFill<'a>,
}

impl<'a> ThreadFill<'a> {
    pub(crate) fn new(table: &'a mut Table) -> ThreadFill<'a> {
        ThreadFill {
            fill: table.refill(),
        }
    }

    /// Adds the threads of process `pid` (whose row was just recorded). `tids` is scratch.
    pub(crate) fn add_process(
        &mut self,
        reader: &mut TaskReader,
        tids: &mut Vec<u32>,
        proc_fd: RawFd,
        pid: u32,
    ) {
        tids.clear();
        reader.path.set_process(pid);
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        let Ok(mut dir) = Dir::openat(
            Some(proc_fd),
            reader.path.file(b"task"),
            flags,
            Mode::empty(),
        ) else {
            return; // the process exited since its row was read
        };
        for entry in dir.iter() {
            let Ok(entry) = entry else {
                return;
            };
            if let Some(tid) = parse_id(entry.file_name().to_bytes()) {
                tids.push(tid);
            }
        }
        drop(dir);
        tids.sort_unstable();
        let mut key = [0u8; 10];
        for &tid in tids.iter() {
            reader.path.set_thread(pid, tid);
            let Ok(data) = reader.read_thread(proc_fd, tid) else {
                continue;
            };
            let comm = String::from_utf8_lossy(reader.comm(&data));
            let key = super::decimal(&mut key, tid);
            // Reuses the row's comm string (no allocation once the table has its size).
            let row = self.fill.row_with_text(key, &[&comm]);
            row.values.extend_from_slice(&data.thread_values(pid));
        }
    }

    pub(crate) fn finish(self) {
        self.fill.finish();
    }
}
