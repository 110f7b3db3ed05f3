//! The system sampler: every system activity beyond the core tables (interrupts, kernel tables,
//! pressure, serial lines, NFS, sockets, protocol counters, softnet, fibre channel, power,
//! filesystems, interface speed), read under the root into reused buffers and refilled into
//! a [`Sample`] in place. [`crate::sampler::Sampler`] owns one and calls [`SystemSampler::fill`]
//! after the core files; which activities run is an [`Activities`] set.
//!
//! Failures follow the core sampler's rules: a source that cannot be read or parsed leaves its
//! table out of that sample and queues one warning, not repeated while it keeps failing.
//! Sources that a host may simply not have (NFS, serial driver, IPv6, fibre channel, hwmon,
//! batteries, USB, cpufreq) are silent when absent and looked for again only every
//! [`RETRY_ABSENT_EVERY`] samples. Pressure stall information that is absent or disabled (no
//! /proc/pressure, empty files, EOPNOTSUPP) gives one notice, once.
//!
//! Cost: the files are kept open and re-read at offset 0 (`dir::FileCache`), directories are
//! listed into reused strings, the mount table is parsed again only when the kernel signals a
//! change, and a sample allocates nothing once warm (collector/tests/system_allocations.rs).

mod chip_name;
mod dir;
pub(crate) use dir::{read_at_zero, ReadBuffer};
mod filesystems;
mod sysfs;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use rstat_data_format::schema::{Sample, Table, TableKind};

use crate::activities::{Activities, Group};
use crate::proc::{interrupts, ktables, pressure, rpc, snmp, sockstat, softnet, ParseError};

/// What a missing file means for a source.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Absence {
    /// Every Linux has it: warn.
    Warn,
    /// The host may not have it (a module not loaded, IPv6 off): say nothing.
    Silent,
    /// Pressure stall information: one notice for the three files; recorded as an empty
    /// table, which readers show as zeros (sar prints zeros on a kernel without PSI).
    Psi,
    /// NFS: the host may not have it; recorded as an empty table, which readers show as
    /// zeros, as sar does for a host without NFS (an absent table is a group not collected).
    Zeros,
}

impl Absence {
    /// Whether an absent file is recorded as an empty table (collected, nothing there)
    /// rather than left out.
    fn records_empty(self) -> bool {
        matches!(self, Absence::Psi | Absence::Zeros)
    }
}

/// A /proc file that fills one table.
#[derive(Clone, Copy)]
struct ProcFile {
    path: &'static str,
    group: Group,
    kind: TableKind,
    absence: Absence,
    parse: fn(&[u8], &mut Table) -> Result<(), ParseError>,
    lost: &'static str,
}

const PROC_FILES: [ProcFile; 14] = [
    ProcFile {
        path: "proc/interrupts",
        group: Group::Intr,
        kind: TableKind::INTERRUPTS,
        absence: Absence::Warn,
        parse: interrupts::parse,
        lost: "per-IRQ interrupts are",
    },
    ProcFile {
        path: "proc/softirqs",
        group: Group::Intr,
        kind: TableKind::SOFTIRQS,
        absence: Absence::Warn,
        parse: interrupts::parse_softirqs,
        lost: "softirqs are",
    },
    ProcFile {
        path: "proc/pressure/cpu",
        group: Group::Psi,
        kind: TableKind::PSI_CPU,
        absence: Absence::Psi,
        parse: |bytes, table| pressure::parse(pressure::CPU_FILE, bytes, table),
        lost: "CPU pressure is",
    },
    ProcFile {
        path: "proc/pressure/io",
        group: Group::Psi,
        kind: TableKind::PSI_IO,
        absence: Absence::Psi,
        parse: |bytes, table| pressure::parse(pressure::IO_FILE, bytes, table),
        lost: "I/O pressure is",
    },
    ProcFile {
        path: "proc/pressure/memory",
        group: Group::Psi,
        kind: TableKind::PSI_MEMORY,
        absence: Absence::Psi,
        parse: |bytes, table| pressure::parse(pressure::MEMORY_FILE, bytes, table),
        lost: "memory pressure is",
    },
    ProcFile {
        path: "proc/tty/driver/serial",
        group: Group::Serial,
        kind: TableKind::SERIAL,
        absence: Absence::Silent,
        parse: crate::proc::serial::parse,
        lost: "serial line statistics are",
    },
    ProcFile {
        path: "proc/net/rpc/nfs",
        group: Group::Nfs,
        kind: TableKind::NFS,
        absence: Absence::Zeros,
        parse: rpc::parse_nfs,
        lost: "NFS client statistics are",
    },
    ProcFile {
        path: "proc/net/rpc/nfsd",
        group: Group::Nfs,
        kind: TableKind::NFSD,
        absence: Absence::Zeros,
        parse: rpc::parse_nfsd,
        lost: "NFS server statistics are",
    },
    ProcFile {
        path: "proc/net/sockstat",
        group: Group::Sock,
        kind: TableKind::SOCKSTAT,
        absence: Absence::Warn,
        parse: sockstat::parse,
        lost: "socket statistics are",
    },
    ProcFile {
        path: "proc/net/sockstat6",
        group: Group::Sock,
        kind: TableKind::SOCKSTAT6,
        absence: Absence::Silent,
        parse: sockstat::parse6,
        lost: "IPv6 socket statistics are",
    },
    ProcFile {
        path: "proc/net/snmp",
        group: Group::Snmp,
        kind: TableKind::SNMP,
        absence: Absence::Warn,
        parse: snmp::parse_snmp,
        lost: "IP, ICMP, TCP and UDP counters are",
    },
    ProcFile {
        path: "proc/net/snmp6",
        group: Group::Snmp,
        kind: TableKind::SNMP6,
        absence: Absence::Silent,
        parse: snmp::parse_snmp6,
        lost: "IPv6 counters are",
    },
    ProcFile {
        path: "proc/net/netstat",
        group: Group::Snmp,
        kind: TableKind::NETSTAT,
        absence: Absence::Warn,
        parse: snmp::parse_netstat,
        lost: "extended TCP/IP counters are",
    },
    ProcFile {
        path: "proc/net/softnet_stat",
        group: Group::Softnet,
        kind: TableKind::SOFTNET,
        absence: Absence::Warn,
        parse: softnet::parse,
        lost: "softnet statistics are",
    },
];

/// Failure slots after the [`PROC_FILES`]: the kernel-table files, cpuinfo, mounts, types,
/// then the sysfs walkers (only their absence is tracked).
const KTABLES_SLOT: usize = PROC_FILES.len();
const CPUINFO_SLOT: usize = KTABLES_SLOT + ktables::Source::ALL.len();
const MOUNTS_SLOT: usize = CPUINFO_SLOT + 1;
const TYPES_SLOT: usize = MOUNTS_SLOT + 1;
const FC_SLOT: usize = TYPES_SLOT + 1;
const CPUFREQ_SLOT: usize = FC_SLOT + 1;
const HWMON_SLOT: usize = CPUFREQ_SLOT + 1;
const BATTERY_SLOT: usize = HWMON_SLOT + 1;
const USB_SLOT: usize = BATTERY_SLOT + 1;
const SLOTS: usize = USB_SLOT + 1;

/// A source the host does not have (an optional file or a sysfs directory that does not
/// exist) is looked for again only every this many samples: a module loaded or a device
/// plugged in later is picked up, without a failed open per sample meanwhile.
pub const RETRY_ABSENT_EVERY: u64 = 30;

/// Why a source gave no table this time.
enum Failure {
    Read(io::Error),
    Parse(ParseError),
    Empty,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Read(error) => write!(f, "{error}"),
            Failure::Parse(error) => write!(f, "line {}: {}", error.line, error.problem),
            Failure::Empty => f.write_str("empty file"),
        }
    }
}

/// Reads the system activities under a root; see the module doc.
pub struct SystemSampler {
    root: PathBuf,
    activities: Activities,
    /// `root.join(path)` of each of [`PROC_FILES`], then of each kernel-table file, then
    /// cpuinfo, the two mount tables and /proc/filesystems (joined once).
    proc_paths: Vec<PathBuf>,
    ktables_paths: Vec<PathBuf>,
    cpuinfo_path: PathBuf,
    mounts_paths: [PathBuf; 2],
    types_path: PathBuf,
    failing: [bool; SLOTS],
    /// The sample number before which an absent source is not looked for (see
    /// [`RETRY_ABSENT_EVERY`]).
    absent_until: [u64; SLOTS],
    /// Samples taken so far.
    samples: u64,
    psi_noticed: bool,
    /// Whether the filesystems' mount table holds the last parse of `mounts_paths[0]`.
    mounts_parsed: bool,
    buffer: ReadBuffer,
    values: Vec<u64>,
    walker: sysfs::Walker,
    filesystems: filesystems::Filesystems,
}

impl SystemSampler {
    /// A sampler of `activities` (the core groups are the caller's) under `root`.
    pub fn new(root: &Path, activities: Activities) -> SystemSampler {
        let join = |relative: &str| root.join(relative);
        SystemSampler {
            root: root.to_path_buf(),
            activities,
            proc_paths: PROC_FILES.iter().map(|file| join(file.path)).collect(),
            ktables_paths: ktables::Source::ALL
                .iter()
                .map(|source| join(source.file().trim_start_matches('/')))
                .collect(),
            cpuinfo_path: join("proc/cpuinfo"),
            mounts_paths: [join("proc/self/mounts"), join("proc/mounts")],
            types_path: join("proc/filesystems"),
            failing: [false; SLOTS],
            absent_until: [0; SLOTS],
            samples: 0,
            psi_noticed: false,
            mounts_parsed: false,
            buffer: ReadBuffer::default(),
            values: Vec::new(),
            walker: sysfs::Walker::default(),
            filesystems: filesystems::Filesystems::default(),
        }
    }

    /// Refills the tables of every selected system activity in `sample`, queueing warnings
    /// (each once) into `warnings`.
    pub fn fill(&mut self, sample: &mut Sample, warnings: &mut Vec<String>) {
        for (slot, file) in PROC_FILES.iter().enumerate() {
            if self.activities.contains(file.group) {
                self.proc_file(slot, file, sample, warnings);
            }
        }
        if self.activities.contains(Group::Ktables) {
            self.kernel_tables(sample, warnings);
        }
        if self.activities.contains(Group::Net) {
            self.walker.netif(&self.root, sample);
        }
        if self.activities.contains(Group::Fc) {
            self.walk(
                FC_SLOT,
                &[TableKind::FCHOST],
                sample,
                sysfs::Walker::fc_hosts,
            );
        }
        if self.activities.contains(Group::Power) {
            self.power(sample, warnings);
        }
        if self.activities.contains(Group::Fs) {
            self.filesystems(sample, warnings);
        }
        self.walker.cache.sweep();
        self.samples += 1;
    }

    /// Whether the source in `slot` was found absent recently (and is not looked for now).
    fn absent(&self, slot: usize) -> bool {
        self.samples < self.absent_until[slot]
    }

    fn mark_absent(&mut self, slot: usize) {
        self.absent_until[slot] = self.samples + RETRY_ABSENT_EVERY;
    }

    /// Runs a sysfs walker unless its directory was absent recently.
    fn walk(
        &mut self,
        slot: usize,
        kinds: &[TableKind],
        sample: &mut Sample,
        walker: fn(&mut sysfs::Walker, &Path, &mut Sample) -> bool,
    ) {
        if self.absent(slot) {
            kinds.iter().for_each(|&kind| sample.remove_table(kind));
        } else if !walker(&mut self.walker, &self.root, sample) {
            self.mark_absent(slot);
        }
    }

    /// What a sample holds for a file that does not exist on this host: nothing, or an empty
    /// table (see [`Absence::records_empty`]).
    fn absent_table(file: &ProcFile, sample: &mut Sample) {
        if file.absence.records_empty() {
            sample.table_mut(file.kind).refill().finish();
        } else {
            sample.remove_table(file.kind);
        }
    }

    fn proc_file(
        &mut self,
        slot: usize,
        file: &ProcFile,
        sample: &mut Sample,
        warnings: &mut Vec<String>,
    ) {
        if self.absent(slot) {
            Self::absent_table(file, sample);
            return;
        }
        let result = match self
            .walker
            .cache
            .read(&self.proc_paths[slot], &mut self.buffer)
        {
            Err(error) => Err(Failure::Read(error)),
            Ok(()) => match (file.parse)(&self.buffer, sample.table_mut(file.kind)) {
                Err(error) => Err(Failure::Parse(error)),
                Ok(()) if sample.table(file.kind).is_some_and(|t| t.rows.is_empty()) => {
                    Err(Failure::Empty)
                }
                Ok(()) => Ok(()),
            },
        };
        let Err(failure) = result else {
            self.failing[slot] = false;
            return;
        };
        sample.remove_table(file.kind);
        let absent = match &failure {
            Failure::Read(error) => {
                error.kind() == io::ErrorKind::NotFound || error.raw_os_error() == Some(95)
            }
            Failure::Empty => true,
            Failure::Parse(_) => false,
        };
        if absent {
            Self::absent_table(file, sample);
        }
        match (file.absence, absent) {
            (Absence::Silent | Absence::Zeros, true) => self.mark_absent(slot),
            (Absence::Psi, true) => {
                self.mark_absent(slot);
                if !std::mem::replace(&mut self.psi_noticed, true) {
                    warnings.push(format!(
                        "note: {}: {failure}; pressure stall is recorded as zeros, as sar shows it (a kernel without PSI, or booted with psi=0)",
                        self.proc_paths[slot].display()
                    ));
                }
            }
            _ => {
                let path = &self.proc_paths[slot];
                report(&mut self.failing[slot], warnings, path, &failure, file.lost);
                // Not readable by this user (the serial file is root's): no use trying at
                // every sample.
                if matches!(&failure, Failure::Read(e) if e.kind() == io::ErrorKind::PermissionDenied)
                {
                    self.mark_absent(slot);
                }
            }
        }
    }

    /// The four kernel-table files into one table; a file that fails loses only its row.
    fn kernel_tables(&mut self, sample: &mut Sample, warnings: &mut Vec<String>) {
        let mut fill = sample.table_mut(TableKind::KTABLES).refill();
        for (index, source) in ktables::Source::ALL.into_iter().enumerate() {
            let slot = KTABLES_SLOT + index;
            let path = &self.ktables_paths[index];
            let result = match self.walker.cache.read(path, &mut self.buffer) {
                Err(error) => Err(Failure::Read(error)),
                Ok(()) => ktables::parse_row(source, &self.buffer, &mut self.values)
                    .map_err(Failure::Parse),
            };
            match result {
                Ok(()) => {
                    self.failing[slot] = false;
                    fill.row(source.key())
                        .values
                        .extend_from_slice(&self.values);
                }
                Err(failure) => {
                    let lost = "this kernel table is";
                    report(&mut self.failing[slot], warnings, path, &failure, lost);
                }
            }
        }
        let empty = fill.is_empty();
        fill.finish();
        if empty {
            sample.remove_table(TableKind::KTABLES);
        }
    }

    /// CPU frequency (sysfs, else /proc/cpuinfo), time in state, sensors, batteries, USB.
    fn power(&mut self, sample: &mut Sample, warnings: &mut Vec<String>) {
        let in_sysfs = !self.absent(CPUFREQ_SLOT) && self.walker.cpufreq(&self.root, sample);
        if !in_sysfs {
            if !self.absent(CPUFREQ_SLOT) {
                self.mark_absent(CPUFREQ_SLOT);
            }
            sample.remove_table(TableKind::TIME_IN_STATE);
            let result = match self.walker.cache.read(&self.cpuinfo_path, &mut self.buffer) {
                Err(error) => Err(Failure::Read(error)),
                Ok(()) => {
                    let table = sample.table_mut(TableKind::CPUFREQ);
                    match crate::proc::cpufreq::parse_cpuinfo(&self.buffer, table) {
                        Err(error) => Err(Failure::Parse(error)),
                        Ok(()) => Ok(()),
                    }
                }
            };
            if let Err(failure) = &result {
                let (slot, path) = (CPUINFO_SLOT, &self.cpuinfo_path);
                report(
                    &mut self.failing[slot],
                    warnings,
                    path,
                    failure,
                    "CPU frequencies are",
                );
                sample.remove_table(TableKind::CPUFREQ);
            } else {
                self.failing[CPUINFO_SLOT] = false;
            }
            if sample
                .table(TableKind::CPUFREQ)
                .is_some_and(|table| table.rows.is_empty())
            {
                sample.remove_table(TableKind::CPUFREQ);
            }
        }
        self.walk(
            HWMON_SLOT,
            &[TableKind::HWMON],
            sample,
            sysfs::Walker::hwmon,
        );
        self.walk(
            BATTERY_SLOT,
            &[TableKind::BATTERY],
            sample,
            sysfs::Walker::batteries,
        );
        self.walk(USB_SLOT, &[TableKind::USB], sample, sysfs::Walker::usb);
    }

    /// The mount table, /proc/filesystems when needed, then statvfs of each filesystem.
    fn filesystems(&mut self, sample: &mut Sample, warnings: &mut Vec<String>) {
        // The live mount table says when it changed: parse it again only then.
        if self.mounts_parsed && self.walker.cache.mounts_unchanged(&self.mounts_paths[0]) {
            self.filesystems.fill(&self.root, sample);
            return;
        }
        self.mounts_parsed = false;
        let read = self
            .walker
            .cache
            .read(&self.mounts_paths[0], &mut self.buffer)
            .or_else(|error| {
                if error.kind() == io::ErrorKind::NotFound {
                    self.walker
                        .cache
                        .read(&self.mounts_paths[1], &mut self.buffer)
                } else {
                    Err(error)
                }
            });
        let parsed = match read {
            Err(error) => Err(Failure::Read(error)),
            Ok(()) => self
                .filesystems
                .parse_mounts(&self.buffer)
                .map_err(Failure::Parse),
        };
        if let Err(failure) = parsed {
            let path = &self.mounts_paths[0];
            report(
                &mut self.failing[MOUNTS_SLOT],
                warnings,
                path,
                &failure,
                "filesystems are",
            );
            sample.remove_table(TableKind::FILESYSTEMS);
            return;
        }
        self.failing[MOUNTS_SLOT] = false;
        self.mounts_parsed = true;
        if self.filesystems.needs_types() {
            let parsed = match self.walker.cache.read(&self.types_path, &mut self.buffer) {
                Err(error) => Err(Failure::Read(error)),
                Ok(()) => self
                    .filesystems
                    .parse_types(&self.buffer)
                    .map_err(Failure::Parse),
            };
            match parsed {
                Ok(()) => self.failing[TYPES_SLOT] = false,
                Err(failure) => {
                    let lost = "the list of pseudo filesystem types is";
                    report(
                        &mut self.failing[TYPES_SLOT],
                        warnings,
                        &self.types_path,
                        &failure,
                        lost,
                    );
                }
            }
        }
        self.filesystems.fill(&self.root, sample);
    }
}

/// Queues the warning for a failing source, once until it recovers.
fn report(
    failing: &mut bool,
    warnings: &mut Vec<String>,
    path: &Path,
    failure: &Failure,
    lost: &str,
) {
    if std::mem::replace(failing, true) {
        return;
    }
    warnings.push(format!(
        "cannot read {}: {failure}; {lost} not recorded until it can be read",
        path.display()
    ));
}
