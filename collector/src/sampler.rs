//! The sampler: reads every kernel file rstat records, under a root directory, into one reused
//! buffer and refills a [`Sample`]'s tables in place with the [`crate::proc`] parsers.
//!
//! A file that cannot be read or parsed leaves its table(s) out of that sample (a reader then
//! shows a gap, never a made-up zero) and queues one warning; the warning is not repeated
//! while the file keeps failing, and is queued again if it recovers and fails later.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use nix::sys::statfs::{fstatfs, PROC_SUPER_MAGIC};
use rstat_data_format::schema::{Sample, TableKind};

use crate::activities::{Activities, Group};
use crate::gpu::library::GpuLibrary;
use crate::gpu::GpuSampler;
use crate::names::NameTables;
use crate::proc::{self, ParseError};
use crate::process::{ProcessOptions, ProcessSampler};
use crate::system_sampler::{read_at_zero, ReadBuffer, SystemSampler};

/// One kernel file the sampler reads, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Uptime,
    Stat,
    Meminfo,
    Vmstat,
    Loadavg,
    Diskstats,
    NetDev,
    BootId,
}

impl Source {
    /// Reading order: uptime first, as close as possible to the counters it times, then the
    /// counters; the boot id last, as it is normally not read at all (see [`Sampler`]).
    const ALL: [Source; 8] = [
        Source::Uptime,
        Source::Stat,
        Source::Meminfo,
        Source::Vmstat,
        Source::Loadavg,
        Source::Diskstats,
        Source::NetDev,
        Source::BootId,
    ];

    /// Position in [`Source::ALL`] (declaration order is reading order).
    fn index(self) -> usize {
        self as usize
    }

    /// Path under the root.
    fn relative_path(self) -> &'static str {
        match self {
            Source::Uptime => "proc/uptime",
            Source::Stat => "proc/stat",
            Source::Meminfo => "proc/meminfo",
            Source::Vmstat => "proc/vmstat",
            Source::Loadavg => "proc/loadavg",
            Source::Diskstats => "proc/diskstats",
            Source::NetDev => "proc/net/dev",
            Source::BootId => "proc/sys/kernel/random/boot_id",
        }
    }

    /// The tables this file fills.
    fn tables(self) -> &'static [TableKind] {
        match self {
            Source::Uptime => &[TableKind::UPTIME],
            Source::Stat => &[TableKind::CPU, TableKind::STAT],
            Source::Meminfo => &[TableKind::MEMINFO],
            Source::Vmstat => &[TableKind::VMSTAT],
            Source::Loadavg => &[TableKind::LOADAVG],
            Source::Diskstats => &[TableKind::DISKSTATS],
            Source::NetDev => &[TableKind::NETDEV],
            Source::BootId => &[TableKind::BOOT],
        }
    }

    /// The activity group that reads this file (`None`: always read).
    fn group(self) -> Option<Group> {
        match self {
            Source::Uptime | Source::BootId => None,
            Source::Stat | Source::Loadavg => Some(Group::Cpu),
            Source::Meminfo | Source::Vmstat => Some(Group::Mem),
            Source::Diskstats => Some(Group::Disk),
            Source::NetDev => Some(Group::Net),
        }
    }

    /// What is lost while the file cannot be read, for the warning.
    fn what_is_lost(self) -> &'static str {
        match self {
            Source::Uptime => "uptime (and so sample intervals) is",
            Source::Stat => "CPU and kernel statistics are",
            Source::Meminfo => "memory statistics are",
            Source::Vmstat => "paging and swapping statistics are",
            Source::Loadavg => "load averages are",
            Source::Diskstats => "disk statistics are",
            Source::NetDev => "network interface statistics are",
            Source::BootId => "the boot id is",
        }
    }
}

/// Why a file gave no table this time.
enum Failure {
    Read(io::Error),
    Parse(ParseError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Read(error) => write!(f, "{error}"),
            // The warning already names the file (under its root); say where in it.
            Failure::Parse(error) => write!(f, "line {}: {}", error.line, error.problem),
        }
    }
}

/// Reads the kernel files under a root into samples; see the module doc.
pub struct Sampler {
    /// `root.join(source.relative_path())` for each of [`Source::ALL`], joined once so a
    /// sample allocates no path.
    paths: [PathBuf; Source::ALL.len()],
    /// Whether each source's last read failed (and so was warned about).
    failing: [bool; Source::ALL.len()],
    /// Each source's file when on procfs, kept open and re-read from offset 0 with `pread`
    /// (opened on first use, and again after a read error): opening and closing the seven core files every
    /// sample was about a tenth of the collector's CPU time (perf, 2-CPU VM).
    files: [Option<File>; Source::ALL.len()],
    /// Every file is read into this one buffer, cleared first.
    buffer: ReadBuffer,
    /// The boot id, read once: it only changes at boot, and a new boot means a new collector.
    boot_id: Option<String>,
    warnings: Vec<String>,
    /// Which of the core sources are read (by their activity group).
    activities: Activities,
    /// The system activities beyond the core files.
    system: SystemSampler,
    /// Processes, threads and cgroups, once enabled (see [`Sampler::enable_processes`]).
    processes: Option<ProcessSampler>,
    /// Block-device and user names (read again only when they change).
    names: NameTables,
    /// GPUs, when the `gpu` group is collected.
    gpu: Option<GpuSampler>,
}

impl Sampler {
    /// `root` is the directory that plays "/" (default "/"): every path is
    /// `root.join("proc/stat")` etc. Reads the boot id now; if that fails it is retried at
    /// each sample until it succeeds.
    /// This samples the foundation's files only (see [`Sampler::with_activities`]).
    pub fn new(root: &Path) -> Sampler {
        let mut sampler = Sampler::with_activities(root, Activities::core());
        sampler.system = SystemSampler::new(root, Activities::none());
        sampler
    }

    /// A sampler of the activity groups in `activities` (see [`crate::activities`]).
    pub fn with_activities(root: &Path, activities: Activities) -> Sampler {
        let mut sampler = Sampler {
            paths: Source::ALL.map(|source| root.join(source.relative_path())),
            failing: [false; Source::ALL.len()],
            files: Default::default(),
            buffer: ReadBuffer::default(),
            boot_id: None,
            warnings: Vec::new(),
            activities,
            system: SystemSampler::new(root, activities),
            processes: None,
            names: NameTables::new(root),
            gpu: activities
                .contains(Group::Gpu)
                .then(|| GpuSampler::new(root)),
        };
        // A failure here is reported by the first sample, which reads the id again.
        sampler.boot_id = sampler.read_boot_id().ok();
        sampler
    }

    /// Refills `sample`'s tables in place (`sample.time_us` is set by the caller, not here).
    /// A file that cannot be read or parsed has its table(s) removed from the sample this time
    /// and queues a warning the first time it fails (see [`Sampler::take_warnings`]).
    pub fn sample(&mut self, sample: &mut Sample) {
        for source in Source::ALL {
            if source
                .group()
                .is_some_and(|group| !self.activities.contains(group))
            {
                continue;
            }
            let index = source.index();
            let result = match source {
                Source::BootId => self.fill_boot(sample),
                _ => self.read_and_parse(source, sample),
            };
            match result {
                Ok(()) => self.failing[index] = false,
                Err(failure) => {
                    for &kind in source.tables() {
                        sample.remove_table(kind);
                    }
                    self.report(index, source, &failure);
                }
            }
        }
        self.system.fill(sample, &mut self.warnings);
        // Softnet lines of kernels before 5.10 belong to the online CPUs (sysstat).
        rstat_data_format::hotplug::renumber_softnet(sample);
        if self.activities.contains(Group::Disk) {
            self.names.devices(sample);
        }
        if let Some(processes) = &mut self.processes {
            processes.fill(sample, &mut self.warnings);
            self.names.users(sample);
        }
        if let Some(gpu) = &mut self.gpu {
            let drm = self.processes.as_ref().map_or(&[][..], |p| p.drm_usage());
            gpu.fill(sample, drm, &mut self.warnings);
        }
    }

    /// Reads GPUs through `library` instead of NVML (tests and cost measurements replay
    /// recorded readings); no effect unless the `gpu` group is collected.
    pub fn set_gpu_library(&mut self, library: Box<dyn GpuLibrary>) {
        if let Some(gpu) = &mut self.gpu {
            gpu.set_library(library);
        }
    }

    /// Also records processes, threads and cgroups as `options` says, under the same root
    /// (off until called: the tables of [`crate::process`]).
    /// With the `gpu` group, the walk also reads each process's DRM files (see
    /// [`crate::gpu::fdinfo`]).
    pub fn enable_processes(&mut self, root: &Path, options: ProcessOptions) {
        let mut processes = ProcessSampler::new(root, options);
        if self.activities.contains(Group::Gpu) {
            processes.enable_drm(root);
        }
        self.processes = Some(processes);
    }

    /// Warnings queued since the last call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn read_and_parse(&mut self, source: Source, sample: &mut Sample) -> Result<(), Failure> {
        self.read_kept(source.index()).map_err(Failure::Read)?;
        let bytes = &*self.buffer;
        let parsed = match source {
            Source::Uptime => proc::uptime::parse(bytes, sample.table_mut(TableKind::UPTIME)),
            Source::Stat => parse_stat(bytes, sample),
            Source::Meminfo => proc::meminfo::parse(bytes, sample.table_mut(TableKind::MEMINFO)),
            Source::Vmstat => proc::vmstat::parse(bytes, sample.table_mut(TableKind::VMSTAT)),
            Source::Loadavg => proc::loadavg::parse(bytes, sample.table_mut(TableKind::LOADAVG)),
            Source::Diskstats => {
                proc::diskstats::parse(bytes, sample.table_mut(TableKind::DISKSTATS))
            }
            Source::NetDev => proc::net_dev::parse(bytes, sample.table_mut(TableKind::NETDEV)),
            // Not reached from `sample`, which fills the boot table from the stored id, but
            // reading the file is what this source means.
            Source::BootId => proc::boot_id::parse(bytes, sample.table_mut(TableKind::BOOT)),
        };
        parsed.map_err(Failure::Parse)
    }

    /// Refills the boot table from the stored id (reading it if an earlier read failed).
    fn fill_boot(&mut self, sample: &mut Sample) -> Result<(), Failure> {
        let boot_id = match &mut self.boot_id {
            Some(boot_id) => boot_id,
            None => {
                let boot_id = self.read_boot_id()?;
                self.boot_id.insert(boot_id)
            }
        };
        proc::boot_id::fill(boot_id, sample.table_mut(TableKind::BOOT));
        Ok(())
    }

    fn read_boot_id(&mut self) -> Result<String, Failure> {
        read_into(&self.paths[Source::BootId.index()], &mut self.buffer).map_err(Failure::Read)?;
        let boot_id = proc::boot_id::parse_id(&self.buffer).map_err(Failure::Parse)?;
        Ok(boot_id.to_owned())
    }

    /// Reads source `index`'s file into the buffer through its kept descriptor. A failed read
    /// drops the descriptor, so the next sample opens the file again (it may have been
    /// replaced, as a fixture tree's files are).
    /// Only a file on procfs is kept: the kernel regenerates it at each read, while a file
    /// of a fixture tree (`--root`) may be replaced or removed between samples, which a kept
    /// descriptor would not see.
    fn read_kept(&mut self, index: usize) -> io::Result<()> {
        if let Some(file) = &self.files[index] {
            let result = read_at_zero(file, &mut self.buffer);
            if result.is_err() {
                self.files[index] = None;
            }
            return result;
        }
        let file = File::open(&self.paths[index])?;
        read_at_zero(&file, &mut self.buffer)?;
        if fstatfs(&file).is_ok_and(|fs| fs.filesystem_type() == PROC_SUPER_MAGIC) {
            self.files[index] = Some(file);
        }
        Ok(())
    }

    fn report(&mut self, index: usize, source: Source, failure: &Failure) {
        if std::mem::replace(&mut self.failing[index], true) {
            return;
        }
        self.warnings.push(format!(
            "cannot read {}: {failure}; {} not recorded until it can be read",
            self.paths[index].display(),
            source.what_is_lost()
        ));
    }
}

/// Parses /proc/stat into the CPU and STAT tables, which must be borrowed together.
fn parse_stat(bytes: &[u8], sample: &mut Sample) -> Result<(), ParseError> {
    sample.table_mut(TableKind::CPU);
    sample.table_mut(TableKind::STAT);
    let (mut cpu, mut stat) = (None, None);
    for table in &mut sample.tables {
        match table.kind {
            TableKind::CPU => cpu = Some(table),
            TableKind::STAT => stat = Some(table),
            _ => {}
        }
    }
    match (cpu, stat) {
        (Some(cpu), Some(stat)) => proc::stat::parse(bytes, cpu, stat),
        // table_mut just created both; this arm only satisfies the types.
        _ => Err(ParseError::new(
            proc::stat::FILE,
            1,
            "internal error: missing table",
        )),
    }
}

/// Reads the whole file at `path` into `buffer`, replacing its content and keeping its
/// capacity, so reading the same files every sample stops allocating after the first.
fn read_into(path: &Path, buffer: &mut ReadBuffer) -> io::Result<()> {
    read_at_zero(&File::open(path)?, buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_index_is_its_position_in_reading_order() {
        for (position, source) in Source::ALL.into_iter().enumerate() {
            assert_eq!(source.index(), position, "{source:?}");
        }
    }
}
