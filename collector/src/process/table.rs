//! Building the PROCESSES table of a sample: the new pid list is merged with the previous
//! sample's rows and kept files (both in pid order), so that a known process keeps its row
//! (text untouched), its open files, and its position.

use std::os::fd::{AsRawFd, RawFd};

use rstat_data_format::schema::{Row, Sample, TableKind};
use rstat_data_format::schema_process::{
    process_col, process_flag, process_summary_col, CGROUP_REFRESH_SAMPLES, CMDLINE_MAX,
};

use super::held::HeldFiles;
use super::read::parse_id;
use super::task::{Skip, TaskData};
use super::text::{set_cmdline, set_text, text_equals, v2_cgroup_path, CGROUP_PATH_MAX};
use super::{decimal, threads, ProcessSampler, Warned, POOL_MAX};

/// A process that could not be recorded: the reason, and its row for reuse.
type Failure = (Option<Row>, Skip);

impl ProcessSampler {
    /// Fills the PROCESSES (and THREADS) tables; false when there is no process to record.
    pub(super) fn fill_processes(
        &mut self,
        sample: &mut Sample,
        summary: &mut [u64; process_summary_col::COUNT],
        warnings: &mut Vec<String>,
    ) -> bool {
        if !self.list_pids(warnings) || self.pids.is_empty() {
            return false;
        }
        let Some(proc_fd) = self.proc_dir.as_ref().map(AsRawFd::as_raw_fd) else {
            return false;
        };
        // The previous sample's rows (in pid order) are updated in place: a known process
        // keeps its row (text untouched) and its position; rows of new processes are
        // appended and the table sorted again only if they did not come last; rows of gone
        // processes are emptied, recycled, and removed at the end. The kept files go the same
        // way. Nothing is allocated once the vectors have their size.
        let mut rows = std::mem::take(&mut sample.table_mut(TableKind::PROCESSES).rows);
        let mut held = std::mem::take(&mut self.held);
        let (old_rows, old_held) = (rows.len(), held.len());
        reserve_about(&mut rows, self.pids.len());
        reserve_about(&mut held, self.pids.len());
        let mut threads = self
            .options
            .threads
            .then(|| threads::ThreadFill::new(sample.table_mut(TableKind::THREADS)));
        let pids = std::mem::take(&mut self.pids);
        let (mut next_row, mut next_file, mut recorded) = (0, 0, 0);
        let mut failure = None;
        for &pid in &pids {
            while next_row < old_rows && gone_before(row_pid(&rows[next_row]), pid) {
                recycle(&mut self.pool, std::mem::take(&mut rows[next_row]));
                next_row += 1;
            }
            let row_slot =
                (next_row < old_rows && row_pid(&rows[next_row]) == Some(pid)).then(|| {
                    next_row += 1;
                    next_row - 1
                });
            let old = row_slot.map(|slot| std::mem::take(&mut rows[slot]));
            while next_file < old_held && held[next_file].pid < pid {
                // Closes the files of a process that is gone.
                held[next_file] = HeldFiles::default();
                next_file += 1;
            }
            let file_slot = (next_file < old_held && held[next_file].pid == pid).then(|| {
                next_file += 1;
                next_file - 1
            });
            let mut files = match file_slot {
                Some(slot) => std::mem::take(&mut held[slot]),
                None => HeldFiles::new(pid),
            };
            let keep = recorded < self.held_budget;
            if !keep {
                // Beyond the budget: nothing stays open, the cache entry is still kept.
                files.stat = None;
                files.schedstat = None;
                files.io = None;
                files.status = None;
            }
            match self.read_process(proc_fd, &mut files, keep, old) {
                Ok((row, data)) => {
                    recorded += 1;
                    summary[process_summary_col::THREADS] += data.stat.num_threads;
                    if data.io.is_none() {
                        summary[process_summary_col::IO_UNREADABLE] += 1;
                    }
                    match row_slot {
                        Some(slot) => rows[slot] = row,
                        None => rows.push(row),
                    }
                    match file_slot {
                        Some(slot) => held[slot] = files,
                        None => held.push(files),
                    }
                    if let Some(threads) = threads.as_mut() {
                        threads.add_process(&mut self.reader, &mut self.tids, proc_fd, pid);
                    }
                }
                Err((row, skip)) => {
                    summary[process_summary_col::VANISHED] += u64::from(matches!(skip, Skip::Gone));
                    if let Skip::Failed(message) = skip {
                        failure.get_or_insert(message);
                    }
                    if let Some(row) = row {
                        recycle(&mut self.pool, row);
                    }
                }
            }
        }
        for row in &mut rows[next_row..old_rows] {
            recycle(&mut self.pool, std::mem::take(row));
        }
        // Emptied rows and files (pid 0: no process has it) are those of gone processes.
        rows.retain(|row| !row.key.is_empty());
        held.retain(|files| files.pid != 0);
        if !rows
            .windows(2)
            .all(|pair| row_pid(&pair[0]) < row_pid(&pair[1]))
        {
            rows.sort_unstable_by_key(row_pid);
        }
        if !held.windows(2).all(|pair| pair[0].pid < pair[1].pid) {
            held.sort_unstable_by_key(|files| files.pid);
        }
        self.held = held;
        self.pids = pids;
        if let Some(threads) = threads {
            threads.finish();
        }
        summary[process_summary_col::PROCESSES] = rows.len() as u64;
        let recorded = !rows.is_empty();
        sample.table_mut(TableKind::PROCESSES).rows = rows;
        if let Some(message) = failure {
            let message = format!(
                "a process was left out: {message}; such processes are left out of samples (said once)"
            );
            self.warn_once(Warned::TaskFailed, warnings, message);
        }
        recorded
    }

    /// Reads process `pid` (its kept `files`) into `old` (its row in the previous sample, if
    /// any) or a new row. On failure the row is handed back for reuse.
    fn read_process(
        &mut self,
        proc_fd: RawFd,
        files: &mut HeldFiles,
        keep: bool,
        old: Option<Row>,
    ) -> Result<(Row, TaskData), Failure> {
        let pid = files.pid;
        let refresh =
            u64::from(pid) % CGROUP_REFRESH_SAMPLES == self.samples % CGROUP_REFRESH_SAMPLES;
        if refresh {
            files.retry();
        }
        self.reader.path.set_process(pid);
        let read = match self.reader.read_process(files, keep) {
            // Kept files of an ended process: the pid may belong to a new process now.
            Err(Skip::Gone) if files.holds_any() => {
                *files = HeldFiles::new(pid);
                self.reader.read_process(files, keep)
            }
            other => other,
        };
        let data = match read {
            Ok(data) => data,
            Err(skip) => return Err((old, skip)),
        };
        // The same process as in the previous sample keeps its row, text included.
        let (mut row, known) = match old {
            Some(row) if row.value(process_col::STARTTIME) == Some(data.stat.starttime) => {
                (row, true)
            }
            other => {
                if let Some(row) = other {
                    recycle(&mut self.pool, row);
                }
                (self.pool.pop().unwrap_or_default(), false)
            }
        };
        if row.text.len() != 3 {
            // Exactly three: `resize_with` on an empty vector rounds its capacity up to
            // four (96 bytes instead of 72, a 112-byte heap block instead of 80, per row).
            row.text
                .reserve_exact(3usize.saturating_sub(row.text.len()));
            row.text.resize_with(3, String::new);
        }
        let comm_changed = !known || !text_equals(&row.text[0], self.reader.comm(&data));
        let old_flags = if known {
            row.value(process_col::FLAGS).unwrap_or(0)
        } else {
            0
        };
        let mut text_flags = old_flags & (process_flag::CMDLINE | process_flag::CGROUP);
        // A kernel thread never execs (its name changes with the work it does: kworkers) and
        // has no command line: only its name is updated.
        let kernel = data.stat.is_kernel_thread();
        let exec = comm_changed && !(known && kernel);
        if comm_changed {
            set_text(&mut row.text[0], self.reader.comm(&data), CMDLINE_MAX);
        }
        if exec {
            text_flags = 0;
            row.text[1].clear();
            if kernel && self.options.cmdline {
                text_flags |= process_flag::CMDLINE;
            } else if self.options.cmdline {
                match self.reader.read_text(proc_fd, b"cmdline", CMDLINE_MAX) {
                    Ok(Some(bytes)) => {
                        set_cmdline(&mut row.text[1], bytes);
                        text_flags |= process_flag::CMDLINE;
                    }
                    Ok(None) => {}
                    Err(skip) => return Err((Some(row), skip)),
                }
            }
        }
        if exec || refresh {
            match self.reader.read_text(proc_fd, b"cgroup", CGROUP_PATH_MAX) {
                Ok(Some(bytes)) => {
                    let path = v2_cgroup_path(bytes).unwrap_or_default();
                    if !text_equals(&row.text[2], path) {
                        set_text(&mut row.text[2], path, CGROUP_PATH_MAX);
                    }
                    text_flags |= process_flag::CGROUP;
                }
                Ok(None) => {}
                Err(skip) => return Err((Some(row), skip)),
            }
        }
        if !known {
            row.key.clear();
            row.key.push_str(decimal(&mut [0; 10], pid));
        }
        if let Some(drm) = self.drm.as_mut().filter(|_| !kernel) {
            // The row still holds the previous sample's values here.
            let ran = !known
                || row.value(process_col::UTIME) != Some(data.stat.utime)
                || row.value(process_col::STIME) != Some(data.stat.stime);
            drm.scan(proc_fd, pid, data.stat.starttime, !known, ran);
        }
        row.values.clear();
        row.values
            .extend_from_slice(&data.process_values(text_flags));
        Ok((row, data))
    }
}

/// Makes room for `n` items in `vec`, with a little slack but without the doubling of `push`
/// (these vectors are as long as the process list).
fn reserve_about<T>(vec: &mut Vec<T>, n: usize) {
    if vec.capacity() < n {
        vec.reserve_exact(n + n / 32 + 16 - vec.len().min(n));
    }
}

/// The pid of a process row (`None` if its key is not one).
fn row_pid(row: &Row) -> Option<u32> {
    parse_id(row.key.as_bytes())
}

/// Whether a previous row with pid `old` comes before `pid` (or is not a process row at all):
/// its process is gone.
fn gone_before(old: Option<u32>, pid: u32) -> bool {
    match old {
        Some(old) => old < pid,
        None => true,
    }
}

/// Keeps `row` for reuse by a new process, up to [`POOL_MAX`] rows.
pub(super) fn recycle(pool: &mut Vec<Row>, row: Row) {
    if pool.len() < POOL_MAX && row.key.capacity() > 0 {
        pool.push(row);
    }
}
