//! Daily files: where they live, how they are named, and the writer that moves to a new file
//! at local midnight without losing the interval that crosses it, and that records a restart
//! when the host rebooted since the file's last sample.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, TimeZone};

use crate::error::Result;
use crate::frame::FrameKind;
use crate::header::{FileHeader, RestartInfo};
use crate::reader::read_header;
use crate::scan::Window;
use crate::schema::{Sample, TableKind, TimeUs};
use crate::tail::read_tail;
use crate::writer::{FileWriter, LastSample};

/// Extension of daily files; the stem is the local date, so names sort by date.
pub const EXTENSION: &str = "rstat";

/// The data directory when none is given: `/var/log/rstat` for root, else
/// `$XDG_STATE_HOME/rstat` (default `~/.local/state/rstat`).
pub fn default_data_dir() -> PathBuf {
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/var/log/rstat");
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/state")))
        .unwrap_or_else(|| PathBuf::from("."));
    state.join("rstat")
}

/// `2026-11-23.rstat`.
pub fn day_file_name(date: NaiveDate) -> String {
    format!("{}.{EXTENSION}", date.format("%Y-%m-%d"))
}

/// The day file of `date` in `dir`.
pub fn day_file(dir: &Path, date: NaiveDate) -> PathBuf {
    dir.join(day_file_name(date))
}

/// The date a daily file's name stands for, if it is one.
pub fn date_of_file_name(name: &str) -> Option<NaiveDate> {
    let stem = name.strip_suffix(EXTENSION)?.strip_suffix('.')?;
    NaiveDate::parse_from_str(stem, "%Y-%m-%d").ok()
}

/// The local calendar date of a UTC timestamp.
pub fn local_date(time_us: TimeUs) -> NaiveDate {
    match Local.timestamp_micros(time_us) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.date_naive(),
        chrono::LocalResult::None => chrono::DateTime::from_timestamp_micros(time_us)
            .unwrap_or_default()
            .date_naive(),
    }
}

/// Where samples go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One file per local day in this directory.
    Dir(PathBuf),
    /// Always this file.
    File(PathBuf),
}

/// Appends samples to the right daily file.
pub struct DailyWriter {
    target: Target,
    header: FileHeader,
    mode: u32,
    durable: bool,
    current: Option<(NaiveDate, FileWriter)>,
    /// Faults recovered from, for the caller to report ([`DailyWriter::take_warnings`]).
    warnings: Vec<String>,
}

impl DailyWriter {
    /// `header` describes this host; it is written into every new file. `mode` is the
    /// permission of new files.
    pub fn new(target: Target, header: FileHeader, mode: u32) -> DailyWriter {
        DailyWriter {
            target,
            header,
            mode,
            durable: true,
            current: None,
            warnings: Vec::new(),
        }
    }

    /// What happened to the files since the last call (one line each): a file deleted or
    /// renamed while being written, and recreated.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Whether each record is flushed to disk (fsync) before an append returns; on by default.
    pub fn set_durable(&mut self, durable: bool) {
        self.durable = durable;
        if let Some((_, writer)) = self.current.as_mut() {
            writer.set_durable(durable);
        }
    }

    /// The file written last.
    pub fn current_path(&self) -> Option<&Path> {
        self.current.as_ref().map(|(_, writer)| writer.path())
    }

    /// Opens the file `time_us` belongs to now, so that a locked file is reported before the
    /// first sample is taken.
    pub fn prepare(&mut self, time_us: TimeUs) -> Result<()> {
        self.writer_for(time_us).map(|_| ())
    }

    /// Appends `sample`, first moving to a new day file (carrying the previous sample over as
    /// its baseline) and writing a restart record when the host rebooted.
    pub fn append_sample(&mut self, sample: &Sample) -> Result<()> {
        let writer = self.writer_for(sample.time_us)?;
        let restart = is_restart(writer.last_boot_id(), writer.last_sample(), sample)
            .then(|| restart_info(&self.header, sample));
        let writer = self.writer_for(sample.time_us)?;
        if let Some(info) = restart {
            writer.append_restart(sample.time_us, &info)?;
        }
        writer.append_sample(sample, false)
    }

    /// Appends a comment to the file of `time_us`.
    pub fn append_comment(&mut self, time_us: TimeUs, text: &str) -> Result<()> {
        self.writer_for(time_us)?.append_comment(time_us, text)
    }

    fn writer_for(&mut self, time_us: TimeUs) -> Result<&mut FileWriter> {
        let date = match &self.target {
            Target::Dir(_) => local_date(time_us),
            Target::File(_) => NaiveDate::MIN,
        };
        let detached = match &self.current {
            Some((d, writer)) if *d == date && writer.is_detached() => {
                self.warnings.push(format!(
                    "{}: the file was deleted or renamed while being written (the directory may \
                     be gone too); a new file is started there and no sample is lost; recorded \
                     samples are only where the old file went",
                    writer.path().display()
                ));
                true
            }
            _ => false,
        };
        if detached || self.current.as_ref().map(|(d, _)| *d) != Some(date) {
            let path = match &self.target {
                Target::Dir(dir) => {
                    crate::safe_open::create_dir(dir).map_err(|e| {
                        crate::Error::io(
                            dir,
                            "create the data directory (pass --dir DIR to write elsewhere)",
                            e,
                        )
                    })?;
                    day_file(dir, date)
                }
                Target::File(path) => path.clone(),
            };
            let mut writer = FileWriter::open(&path, &self.header, self.mode)?;
            writer.set_durable(self.durable);
            let previous = self.current.take();
            if writer.last_sample().is_none() && writer.last_boot_id().is_none() {
                // A new day file: start it with the previous day's last sample so the
                // interval that crosses midnight is reported in the new day.
                let carried = match (&previous, &self.target) {
                    // The old file is gone from its path: its last sample is read through
                    // the descriptor still open.
                    (Some((_, old)), _) if detached => old.last_sample_in_file(),
                    (Some((_, old)), _) => {
                        old.last_sample().and_then(|_| last_sample_of(old.path()))
                    }
                    (None, Target::Dir(dir)) => {
                        last_sample_of(&day_file(dir, date.pred_opt().unwrap_or(date)))
                    }
                    (None, Target::File(_)) => None,
                };
                if let Some(carried) = carried.filter(|c| detached || local_date(c.time_us) < date)
                {
                    writer.append_sample(&carried, true)?;
                }
            }
            self.current = Some((date, writer));
        }
        match self.current.as_mut() {
            Some((_, writer)) => Ok(writer),
            None => unreachable!("current writer was just set"),
        }
    }
}

/// Whether `sample` cannot continue the series the file ends with: another boot, or an
/// uptime that went down.
fn is_restart(last_boot_id: Option<&str>, last: Option<LastSample>, sample: &Sample) -> bool {
    if let (Some(last_boot), Some(boot)) = (last_boot_id, sample.boot_id()) {
        if last_boot != boot {
            return true;
        }
    }
    match (last.and_then(|l| l.uptime_cs), sample.uptime_cs()) {
        (Some(before), Some(now)) => now < before,
        _ => false,
    }
}

fn restart_info(header: &FileHeader, sample: &Sample) -> RestartInfo {
    RestartInfo {
        boot_time: sample
            .table(TableKind::STAT)
            .and_then(|t| t.get("btime"))
            .unwrap_or(0) as i64,
        boot_id: sample.boot_id().unwrap_or_default().to_string(),
        kernel_release: header.kernel_release.clone(),
        cpu_count: header.cpu_count,
    }
}

/// The last sample of a file, read from its tail without taking its lock (a missing or
/// unreadable file has none).
pub fn last_sample_of(path: &Path) -> Option<Sample> {
    let file = crate::safe_open::open_for_reading(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut window = Window::default();
    let (_, data_start) = read_header(path, &file, &mut window, len).ok()?;
    read_tail(path, &file, &mut window, data_start, len)
        .ok()?
        .last_sample
}

/// The times of a file's last two samples, the newest first, from the headers of the frames
/// at its tail (nothing is decoded, no lock taken): the collector's interval as the file
/// shows it. Fewer when the file holds fewer samples since its last restart, or cannot be
/// read.
pub fn last_sample_times(path: &Path) -> Vec<TimeUs> {
    let mut times = Vec::new();
    let Ok(file) = crate::safe_open::open_for_reading(path) else {
        return times;
    };
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return times;
    };
    let mut window = Window::default();
    let Ok((_, data_start)) = read_header(path, &file, &mut window, len) else {
        return times;
    };
    let mut before = len;
    while times.len() < 2 {
        let Ok(Some((offset, frame))) = crate::scan::prev_valid(&file, &mut window, before, len)
        else {
            break;
        };
        if offset < data_start {
            break;
        }
        match frame.kind {
            FrameKind::Sample => times.push(frame.time_us),
            // No interval across a reboot.
            FrameKind::Restart => break,
            FrameKind::Comment | FrameKind::Unknown(_) => {}
        }
        before = offset;
    }
    times
}
