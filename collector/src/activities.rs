//! Which activities a collector records (`rstat collect --activities`, like `sadc -S`): named
//! groups of sources, the default set (every group whose cost per sample is small), and the
//! parsing of a `--activities` list. The uptime and the boot id are always recorded: every
//! interval needs them.

use std::fmt;
use std::str::FromStr;

/// A group of sources that is switched on or off as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// /proc/stat (CPU times, context switches, forks, interrupt total) and /proc/loadavg.
    Cpu,
    /// /proc/meminfo and /proc/vmstat.
    Mem,
    /// /proc/diskstats.
    Disk,
    /// /proc/net/dev and each interface's speed and duplex.
    Net,
    /// /proc/interrupts and /proc/softirqs.
    Intr,
    /// Kernel tables: dentries, files, inodes, ptys.
    Ktables,
    /// Pressure stall information.
    Psi,
    /// Serial lines.
    Serial,
    /// NFS client and server RPC counters.
    Nfs,
    /// Sockets in use, IPv4 and IPv6.
    Sock,
    /// IP, ICMP, TCP, UDP counters (v4 and v6) and the TCP/IP extended counters.
    Snmp,
    /// Softnet per CPU.
    Softnet,
    /// Fibre channel hosts.
    Fc,
    /// CPU frequency, cpufreq time in state, hwmon sensors, batteries, USB devices.
    Power,
    /// Mounted filesystems: space and inodes.
    Fs,
    /// GPUs: NVML (NVIDIA), amdgpu sysfs, and per-process DRM fdinfo. A host without a GPU
    /// records nothing, so the group is in the default set.
    Gpu,
}

impl Group {
    /// Every group, in the order they are listed.
    pub const ALL: [Group; 16] = [
        Group::Cpu,
        Group::Mem,
        Group::Disk,
        Group::Net,
        Group::Intr,
        Group::Ktables,
        Group::Psi,
        Group::Serial,
        Group::Nfs,
        Group::Sock,
        Group::Snmp,
        Group::Softnet,
        Group::Fc,
        Group::Power,
        Group::Fs,
        Group::Gpu,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Group::Cpu => "cpu",
            Group::Mem => "mem",
            Group::Disk => "disk",
            Group::Net => "net",
            Group::Intr => "intr",
            Group::Ktables => "ktables",
            Group::Psi => "psi",
            Group::Serial => "serial",
            Group::Nfs => "nfs",
            Group::Sock => "sock",
            Group::Snmp => "snmp",
            Group::Softnet => "softnet",
            Group::Fc => "fc",
            Group::Power => "power",
            Group::Fs => "fs",
            Group::Gpu => "gpu",
        }
    }

    /// Whether the group is in the default set. Measured costs are in [`COST_HELP`]: every
    /// group costs little on a small host; `power` reads /proc/cpuinfo (whose cost grows with
    /// the CPU count) and a file per sensor, and is off by default like sadc's `-S POWER`.
    pub fn in_default(self) -> bool {
        !matches!(self, Group::Power)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// What `rstat collect --help` says about the groups, with the CPU time each one costs per
/// sample and its share of the file (measured as described in the README, "Activities").
pub const COST_HELP: &str = "\
Groups and their cost per sample on a 2-CPU VM (kernel 6.18): CPU to read and
parse (release build), bytes: its share of a file of every group (60 samples,
1 s apart):
  group    reads                                          CPU ms   bytes
  cpu      /proc/stat, /proc/loadavg                      0.025      55
  mem      /proc/meminfo, /proc/vmstat                    0.060     213
  disk     /proc/diskstats                                0.020      28
  net      /proc/net/dev, /sys/class/net/*/speed,duplex   0.035       6
  intr     /proc/interrupts, /proc/softirqs               0.080      78
  ktables  dentry-state, file-nr, inode-state, pty/nr     0.010      18
  psi      /proc/pressure/{cpu,io,memory}                 0.015      29
  serial   /proc/tty/driver/serial (root only)            0.025       3
  nfs      /proc/net/rpc/nfs, nfsd                        (none here)
  sock     /proc/net/sockstat, sockstat6                  0.015      10
  snmp     /proc/net/snmp, snmp6, netstat                 0.115      96
  softnet  /proc/net/softnet_stat                         0.005       3
  fc       /sys/class/fc_host/*/statistics                (none here)
  power    cpu MHz, time_in_state, hwmon, battery, USB    0.035       3
  fs       mounted filesystems (statvfs)                  0.005      10
  gpu      NVML, amdgpu sysfs, /proc/PID/fdinfo (DRM)     (none here)
DEFAULT is every group but power, whose cost grows with the number of CPUs
(/proc/cpuinfo) and of sensors (sadc also leaves POWER out unless asked).
ALL (or XALL) is every group. intr grows with CPUs x IRQs. A name prefixed
with '-' removes a group: --activities DEFAULT,-fs. The uptime and the boot id
are always recorded.";

/// A set of groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activities(u32);

impl Activities {
    /// No group (only the uptime and the boot id are recorded).
    pub fn none() -> Activities {
        Activities(0)
    }

    /// The groups of rstat's first version: cpu, mem, disk, net.
    pub fn core() -> Activities {
        Activities::of(&[Group::Cpu, Group::Mem, Group::Disk, Group::Net])
    }

    /// Every group whose cost is small (see [`Group::in_default`]).
    pub fn default_set() -> Activities {
        Activities::of(
            &Group::ALL
                .into_iter()
                .filter(|group| group.in_default())
                .collect::<Vec<_>>(),
        )
    }

    /// Every group.
    pub fn all() -> Activities {
        Activities::of(&Group::ALL)
    }

    /// The set of `groups`.
    pub fn of(groups: &[Group]) -> Activities {
        Activities(groups.iter().fold(0, |bits, group| bits | group.bit()))
    }

    /// Whether `group` is in the set.
    pub fn contains(self, group: Group) -> bool {
        self.0 & group.bit() != 0
    }

    /// The set with `group` added.
    pub fn with(self, group: Group) -> Activities {
        Activities(self.0 | group.bit())
    }

    /// The set without `group`.
    pub fn without(self, group: Group) -> Activities {
        Activities(self.0 & !group.bit())
    }

    /// The groups in the set, in [`Group::ALL`] order.
    pub fn groups(self) -> impl Iterator<Item = Group> {
        Group::ALL
            .into_iter()
            .filter(move |group| self.contains(*group))
    }

    /// Parses a comma-separated list: group names, `ALL`, `XALL`, `DEFAULT`, and names with a
    /// leading `-` to remove a group (applied after the others). Case does not matter.
    pub fn parse(list: &str) -> Result<Activities, ActivitiesError> {
        let mut set = Activities::none();
        let mut removed = Activities::none();
        let mut any = false;
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            any = true;
            let (remove, name) = match word.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, word),
            };
            let named = match name.to_ascii_lowercase().as_str() {
                "all" | "xall" => Activities::all(),
                "default" => Activities::default_set(),
                lower => match Group::ALL.into_iter().find(|g| g.name() == lower) {
                    Some(group) => Activities::of(&[group]),
                    None => {
                        return Err(ActivitiesError::Unknown {
                            word: word.to_string(),
                        })
                    }
                },
            };
            if remove {
                removed.0 |= named.0;
            } else {
                set.0 |= named.0;
            }
        }
        if !any {
            return Err(ActivitiesError::Empty);
        }
        Ok(Activities(set.0 & !removed.0))
    }
}

fn valid_names() -> String {
    let names: Vec<&str> = Group::ALL.iter().map(|g| g.name()).collect();
    format!(
        "valid names: {}, ALL, XALL, DEFAULT (and -NAME to remove one)",
        names.join(", ")
    )
}

/// A `--activities` list that names no known group, or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActivitiesError {
    /// A word that is no group name.
    Unknown {
        /// The word as given.
        word: String,
    },
    /// The list names nothing.
    Empty,
}

impl fmt::Display for ActivitiesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivitiesError::Unknown { word } => {
                write!(f, "unknown activity `{word}`; {}", valid_names())
            }
            ActivitiesError::Empty => write!(f, "an empty list; {}", valid_names()),
        }
    }
}

impl std::error::Error for ActivitiesError {}

impl Default for Activities {
    fn default() -> Activities {
        Activities::default_set()
    }
}

impl FromStr for Activities {
    type Err = ActivitiesError;

    fn from_str(list: &str) -> Result<Activities, ActivitiesError> {
        Activities::parse(list)
    }
}

impl fmt::Display for Activities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.groups().map(Group::name).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_sets_and_removals() {
        assert_eq!(Activities::parse("ALL").unwrap(), Activities::all());
        assert_eq!(Activities::parse("xall").unwrap(), Activities::all());
        assert_eq!(
            Activities::parse("default").unwrap(),
            Activities::default_set()
        );
        let set = Activities::parse("cpu, Intr,psi").unwrap();
        assert_eq!(set.to_string(), "cpu,intr,psi");
        let set = Activities::parse("ALL,-power,-fs").unwrap();
        assert!(!set.contains(Group::Power) && !set.contains(Group::Fs));
        assert!(set.contains(Group::Snmp));
        assert!(!Activities::default_set().contains(Group::Power));
        assert!(Activities::default_set().contains(Group::Intr));
        assert!(Activities::default_set().contains(Group::Gpu));
        assert_eq!(
            Activities::parse("-cpu").unwrap(),
            Activities::none(),
            "removing from nothing"
        );
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let error = Activities::parse("cpu,bogus").unwrap_err();
        assert_eq!(
            error,
            ActivitiesError::Unknown {
                word: "bogus".into()
            }
        );
        let error = error.to_string();
        assert!(error.starts_with("unknown activity `bogus`; valid names: cpu, mem,"));
        assert!(error.contains("fs, gpu, ALL, XALL, DEFAULT"), "{error}");
        let empty = Activities::parse(" , ").unwrap_err();
        assert_eq!(empty, ActivitiesError::Empty);
        assert!(empty.to_string().contains("empty list"));
    }
}
