//! sar's option letters on the command line (-u, -P, -r, -d, -n, ... and the item filters
//! --dev, --iface, --fs, --int), shared by `rstat report`, `rstat export` and `rstat plot`,
//! turned into the library's plain [`Selection`]: the catalogue ([`rstat::catalogue`])
//! knows nothing of clap.

use clap::Args;
use rstat::catalogue::{self, Activity, ProcessSelection, Selection, SystemSelection};

/// Which activities to show, with sar's option letters, and filters on their items.
#[derive(Args, Debug)]
pub struct SelectArgs {
    /// CPU utilisation; `-u ALL` shows every field.
    #[arg(short = 'u', num_args = 0..=1, default_missing_value = "", value_name = "ALL")]
    cpu: Option<String>,
    /// Per-processor figures, as sar's -P: -P ALL ("all" and every CPU), -P N[,N...] (only
    /// those CPUs), -P ALL,N (the same as ALL); also picks the CPUs of -n SOFT and -m CPU,FREQ
    /// (without -P they show only "all"), of -I's columns, and of -I CPU and SCPU's rows. A CPU
    /// number the data (or, live, this machine) does not have is refused (exit status 2).
    #[arg(short = 'P', value_name = "CPUS")]
    per_cpu: Option<String>,
    /// Memory utilisation; `-r ALL` adds kbanonpg, kbslab, kbkstack, kbpgtbl and kbvmused.
    #[arg(short = 'r', num_args = 0..=1, default_missing_value = "", value_name = "ALL")]
    memory: Option<String>,
    /// Swap space utilisation.
    #[arg(short = 'S')]
    swap_space: bool,
    /// Huge pages utilisation.
    #[arg(short = 'H')]
    huge: bool,
    /// Paging.
    #[arg(short = 'B')]
    paging: bool,
    /// I/O and transfer rates of the whole machine (its physical disks summed).
    #[arg(short = 'b')]
    io: bool,
    /// Swapping.
    #[arg(short = 'W')]
    swapping: bool,
    /// Task creation and context switches.
    #[arg(short = 'w')]
    tasks: bool,
    /// Block devices.
    #[arg(short = 'd')]
    disks: bool,
    /// GPUs, one row per GPU per interval (like nvidia-smi dmon): utilisation, memory,
    /// temperature, power, clocks, PCIe throughput, throttle reasons, ECC errors.
    #[arg(long = "gpu")]
    gpu: bool,
    #[command(flatten)]
    system: SystemArgs,
    #[command(flatten)]
    process: Box<ProcessArgs>,
    /// Every activity.
    #[arg(short = 'A')]
    all: bool,
    /// Only these block devices (-d): --dev=sda,nvme0n1.
    #[arg(long = "dev", value_name = "NAMES", value_delimiter = ',')]
    dev: Vec<String>,
    /// Only these network interfaces (-n DEV, EDEV): --iface=eth0,wlan0.
    #[arg(long = "iface", value_name = "NAMES", value_delimiter = ',')]
    iface: Vec<String>,
    /// Only these filesystems (-F), by device or mount point: --fs=/,/home.
    #[arg(long = "fs", value_name = "NAMES", value_delimiter = ',')]
    fs: Vec<String>,
    /// Only these interrupts (-I): --int=LOC,NMI,0.
    #[arg(long = "int", value_name = "IRQS", value_delimiter = ',')]
    int: Vec<String>,
}

/// sar's options for the system activities.
#[derive(Args, Debug, Default)]
pub struct SystemArgs {
    /// Interrupts: -I SUM (total), ALL (each IRQ, and softirqs; also bare -I), CPU (each IRQ
    /// per CPU), SCPU (softirqs per CPU), or IRQ names such as 0,LOC,NMI.
    /// Bare -I means -I ALL, as in sar 12.7.
    #[arg(
        short = 'I',
        value_name = "SUM|ALL|CPU|SCPU|IRQ",
        value_delimiter = ',',
        num_args = 0..=1,
        default_missing_value = "ALL"
    )]
    pub interrupts: Vec<String>,
    /// Queue length and load (LOAD, the default), pressure stall: -q [LOAD,CPU,IO,MEM,ALL].
    #[arg(
        short = 'q',
        num_args = 0..=1,
        default_missing_value = "LOAD",
        value_name = "KEYWORDS"
    )]
    pub queue: Option<String>,
    /// Kernel tables (dentries, files, inodes, ptys).
    #[arg(short = 'v')]
    pub ktables: bool,
    /// Serial lines.
    #[arg(short = 'y')]
    pub serial: bool,
    /// Power: -m CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL (comma-separated).
    #[arg(short = 'm', value_name = "KEYWORDS", value_delimiter = ',')]
    pub power: Vec<String>,
    /// Filesystems; -F MOUNT names them by mount point instead of device.
    #[arg(short = 'F', num_args = 0..=1, default_missing_value = "", value_name = "MOUNT")]
    pub filesystems: Option<String>,
    /// Network: DEV, EDEV, NFS, NFSD, SOCK, IP, EIP, ICMP, EICMP, TCP, ETCP, UDP, SOCK6, IP6,
    /// EIP6, ICMP6, EICMP6, UDP6, SOFT, FC or ALL (comma-separated).
    #[arg(short = 'n', value_name = "KEYWORDS", value_delimiter = ',')]
    pub network: Vec<String>,
}

/// Options for processes and cgroups (not part of -A).
#[derive(Args, Debug, Default)]
pub struct ProcessArgs {
    /// Per-process figures for each interval (pidstat). VIEWS is a comma-separated list of cpu
    /// (-u: %usr %system %guest %wait %CPU CPU), mem (-r), io (-d), ctx (-w), threads (-v),
    /// summary (processes started, ended, unseen) and gpu (each process's GPU memory and
    /// engine use per GPU, like nvidia-smi pmon); default cpu.
    #[arg(long = "processes", value_name = "VIEWS", num_args = 0..=1, default_missing_value = "cpu", value_delimiter = ',')]
    pub processes: Option<Vec<String>>,
    /// Only these processes: --pid 1,42 (implies --processes).
    #[arg(long = "pid", value_name = "PID", value_delimiter = ',')]
    pub pids: Vec<u32>,
    /// Only processes whose command name or command line matches REGEX (implies --processes).
    /// Classes such as \w, \d and (?i) are ASCII, as in grep under LC_ALL=C.
    #[arg(long = "command", value_name = "REGEX")]
    pub command: Option<String>,
    /// Only processes of USER, a name or a uid (implies --processes).
    #[arg(long = "user", value_name = "USER")]
    pub user: Option<String>,
    /// Per interval, the N processes or cgroups using the most of the view's resource (0: all
    /// that were active).
    #[arg(long = "top", value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Threads instead of processes (files collected with `rstat collect --threads`).
    #[arg(long = "per-thread")]
    pub per_thread: bool,
    /// cgroup v2 figures for each interval. VIEWS is a comma-separated list of cpu, mem, io
    /// and psi (pressure stall); default all four.
    #[arg(long = "cgroups", value_name = "VIEWS", num_args = 0..=1, default_missing_values = ["cpu", "mem", "io", "psi"], value_delimiter = ',')]
    pub cgroups: Option<Vec<String>>,
    /// Only cgroups whose path matches REGEX (implies --cgroups; ASCII classes, as --command).
    #[arg(long = "cgroup", value_name = "REGEX")]
    pub cgroup: Option<String>,
}

impl SelectArgs {
    /// `rstat report -u 1 5`: clap gives "1" to -u, whose value is optional (so are -q's
    /// and -F's). A number there is the live interval: it is taken out and returned.
    pub(crate) fn take_numeric_values(&mut self) -> Vec<u64> {
        let mut numbers = Vec::new();
        for value in [
            &mut self.cpu,
            &mut self.memory,
            &mut self.system.queue,
            &mut self.system.filesystems,
        ] {
            if let Some(number) = value.as_deref().and_then(|v| v.parse::<u64>().ok()) {
                numbers.push(number);
                *value = Some(String::new());
            }
        }
        // -q with its value taken means -q LOAD, as bare -q does.
        if self.system.queue.as_deref() == Some("") {
            self.system.queue = Some("LOAD".to_string());
        }
        numbers
    }

    /// -P's value, as given.
    pub(crate) fn per_cpu(&self) -> Option<&str> {
        self.per_cpu.as_deref()
    }

    /// The selection these options make.
    pub(crate) fn selection(&self) -> Selection {
        let system = &self.system;
        let process = &self.process;
        Selection {
            cpu: self.cpu.clone(),
            per_cpu: self.per_cpu.clone(),
            memory: self.memory.is_some(),
            memory_all: self
                .memory
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case("ALL")),
            swap_space: self.swap_space,
            huge: self.huge,
            paging: self.paging,
            io: self.io,
            swapping: self.swapping,
            tasks: self.tasks,
            disks: self.disks,
            gpu: self.gpu,
            system: SystemSelection {
                interrupts: system.interrupts.clone(),
                queue: system.queue.clone(),
                ktables: system.ktables,
                serial: system.serial,
                power: system.power.clone(),
                filesystems: system.filesystems.clone(),
                network: system.network.clone(),
            },
            process: ProcessSelection {
                processes: process.processes.clone(),
                pids: process.pids.clone(),
                command: process.command.clone(),
                user: process.user.clone(),
                top: process.top,
                per_thread: process.per_thread,
                cgroups: process.cgroups.clone(),
                cgroup: process.cgroup.clone(),
            },
            all: self.all,
            dev: self.dev.clone(),
            iface: self.iface.clone(),
            fs: self.fs.clone(),
            int: self.int.clone(),
            device_names: None,
            cpu_count: 0,
        }
    }
}

/// The activities the options ask for, in sar -A's order.
pub(crate) fn select(args: &SelectArgs) -> Result<Vec<Activity>, String> {
    select_for(args, 0, None)
}

/// The same, for data of `cpu_count` CPUs (-I's per-CPU columns need it), with -d's
/// `device_names` (report's -p and -j: see [`Selection::device_names`]).
pub(crate) fn select_for(
    args: &SelectArgs,
    cpu_count: u32,
    device_names: Option<String>,
) -> Result<Vec<Activity>, String> {
    if let Some(other) = args
        .memory
        .as_deref()
        .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("ALL"))
    {
        return Err(format!("-r {other}: expected nothing or ALL"));
    }
    let selection = Selection {
        cpu_count,
        device_names,
        ..args.selection()
    };
    catalogue::select(&selection)
}

/// sar's option letters that can be clustered: `-bBdFHqSvwWy` is `-b -B -d -F -H -q -S -v -w
/// -W -y`, and `-ux` is `-u -x`. (Letters whose option takes an optional value, -u -r -q -F, would otherwise
/// swallow the rest of the cluster as their value.)
const CLUSTER_LETTERS: &str = "ABbCdFHpqrSuvWwxyz";

/// The command line with sar's option clusters split into single options, for the
/// subcommands that take sar's letters (report, export, plot); everything else unchanged.
pub(crate) fn split_sar_clusters(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut out = Vec::new();
    let mut in_sar_command = false;
    for arg in args {
        let text = arg.to_str().unwrap_or_default();
        if !in_sar_command {
            in_sar_command = matches!(text, "report" | "export" | "plot");
            out.push(arg);
            continue;
        }
        let letters = text.strip_prefix('-').unwrap_or_default();
        if letters.len() >= 2 && letters.chars().all(|c| CLUSTER_LETTERS.contains(c)) {
            out.extend(letters.chars().map(|c| format!("-{c}").into()));
        } else {
            out.push(arg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_sar_clusters;

    fn split(line: &str) -> Vec<String> {
        split_sar_clusters(line.split(' ').map(Into::into))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn clusters_of_sar_letters_become_single_options() {
        assert_eq!(
            split("rstat report -bBdFHqSvwWy -f x"),
            [
                "rstat", "report", "-b", "-B", "-d", "-F", "-H", "-q", "-S", "-v", "-w", "-W",
                "-y", "-f", "x"
            ]
        );
        assert_eq!(split("rstat report -qF"), ["rstat", "report", "-q", "-F"]);
        assert_eq!(
            split("rstat report -dpx"),
            ["rstat", "report", "-d", "-p", "-x"]
        );
        // Values and other options are left alone; so is every other subcommand.
        assert_eq!(
            split("rstat report -uALL -P ALL,3"),
            ["rstat", "report", "-uALL", "-P", "ALL,3"]
        );
        assert_eq!(
            split("rstat report --date -1"),
            ["rstat", "report", "--date", "-1"]
        );
        assert_eq!(split("rstat collect -bd"), ["rstat", "collect", "-bd"]);
    }
}
