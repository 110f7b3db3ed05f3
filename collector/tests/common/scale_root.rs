//! Synthetic `--root` trees at machine scales no fixture has: many CPUs, processes, network
//! interfaces and block devices (issue 10's scale case: 1,024 CPUs, 10,000 processes, 2,000
//! interfaces, 5,000 disks; sysstat issue 183 was sadc slow with many loop devices).
//!
//! A tree starts as a copy of the `system-hardware-a` fixture (every system file, in the
//! kernel's format) and its per-CPU, per-interface, per-disk and per-process files are then
//! written at the requested counts. `round` advances every counter, so two trees written with
//! rounds 0 and 1 give non-zero rates. Generated on demand by the tests and by
//! `bench/scale.sh` (through the ignored test `write_scale_root`), never checked in.
#![allow(dead_code)] // each test binary uses a different subset

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// How big the synthetic machine is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    /// Online CPUs (`cpuN` lines, interrupt and softirq columns, softnet lines).
    pub cpus: usize,
    /// Processes (`proc/PID` directories, single-threaded).
    pub processes: usize,
    /// Network interfaces besides `lo` (`proc/net/dev`, `sys/class/net`).
    pub interfaces: usize,
    /// Block devices (`proc/diskstats`: loop devices, as on sysstat issue 183's machine).
    pub disks: usize,
}

impl Scale {
    /// Issue 10's scale case.
    pub const ISSUE: Scale = Scale {
        cpus: 1024,
        processes: 10_000,
        interfaces: 2000,
        disks: 5000,
    };

    /// This scale with every count divided by `by` (at least 1 of each).
    pub fn divided(self, by: usize) -> Scale {
        Scale {
            cpus: (self.cpus / by).max(1),
            processes: (self.processes / by).max(1),
            interfaces: (self.interfaces / by).max(1),
            disks: (self.disks / by).max(1),
        }
    }
}

/// The fixture tree every synthetic root starts from.
fn base_tree() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/system-hardware-a")
}

/// Writes (or rewrites, for a later `round`) a synthetic tree of `scale` under `root`.
pub fn write_root(root: &Path, scale: Scale, round: u64) -> io::Result<()> {
    if round == 0 {
        copy_tree(&base_tree(), root)?;
        // The fixture's per-CPU sysfs entries describe 2 CPUs: the scaled tree has none
        // (cpufreq then comes from cpuinfo), rather than a mismatch.
        let cpu_dir = root.join("sys/devices/system/cpu");
        if cpu_dir.exists() {
            fs::remove_dir_all(&cpu_dir)?;
        }
    }
    write_system(root, scale, round)?;
    if round == 0 {
        write_interfaces(root, scale.interfaces)?;
    }
    write_processes(&root.join("proc"), scale.processes, round)
}

/// Rewrites the system files only (uptime, CPUs, interrupts, interfaces, disks) for `round`:
/// a next sample at a fraction of the cost of [`write_root`], the processes unchanged.
pub fn write_system(root: &Path, scale: Scale, round: u64) -> io::Result<()> {
    let proc = root.join("proc");
    fs::write(proc.join("stat"), stat(scale, round))?;
    fs::write(proc.join("interrupts"), interrupts(scale.cpus, round))?;
    fs::write(proc.join("softirqs"), softirqs(scale.cpus, round))?;
    fs::write(proc.join("net/softnet_stat"), softnet(scale.cpus, round))?;
    fs::write(proc.join("cpuinfo"), cpuinfo(scale.cpus))?;
    fs::write(
        proc.join("uptime"),
        format!("{}.00 {}.00\n", 10_000 + round, 10_000 * scale.cpus as u64),
    )?;
    fs::write(proc.join("net/dev"), net_dev(scale.interfaces, round))?;
    fs::write(proc.join("diskstats"), diskstats(scale.disks, round))
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            // sysfs links (a hwmon's `device`) stay links, relative as in the fixture.
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &target)?;
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn stat(scale: Scale, round: u64) -> String {
    let mut text = String::new();
    let tick = 100 * (1 + round);
    let cpus = scale.cpus as u64;
    let _ = writeln!(
        text,
        "cpu  {} 0 {} {} 0 0 0 0 0 0",
        30 * tick * cpus,
        10 * tick * cpus,
        60 * tick * cpus
    );
    for cpu in 0..scale.cpus {
        let _ = writeln!(
            text,
            "cpu{cpu} {} 0 {} {} 0 0 0 0 0 0",
            30 * tick,
            10 * tick,
            60 * tick
        );
    }
    let _ = writeln!(text, "intr {} 0 0", 1000 * tick);
    let _ = writeln!(text, "ctxt {}", 5000 * tick);
    let _ = writeln!(text, "btime 1795462474");
    let _ = writeln!(text, "processes {}", scale.processes as u64 + 10 * round);
    let _ = writeln!(text, "procs_running 1\nprocs_blocked 0");
    let _ = writeln!(
        text,
        "softirq {} 0 {} 0 0 0 0 0 0 0 0",
        200 * tick,
        100 * tick
    );
    text
}

fn cpu_header(text: &mut String, cpus: usize) {
    text.push_str("     ");
    for cpu in 0..cpus {
        let _ = write!(text, " {:>10}", format!("CPU{cpu}"));
    }
    text.push('\n');
}

fn interrupts(cpus: usize, round: u64) -> String {
    let mut text = String::new();
    cpu_header(&mut text, cpus);
    for irq in 24..28 {
        let _ = write!(text, "{irq:>4}:");
        for _ in 0..cpus {
            let _ = write!(text, " {:>10}", 7 * (1 + round));
        }
        let _ = writeln!(text, "  IO-APIC   {irq}-edge      dev{irq}");
    }
    text
}

fn softirqs(cpus: usize, round: u64) -> String {
    let mut text = String::new();
    cpu_header(&mut text, cpus);
    for name in [
        "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
        "RCU",
    ] {
        let _ = write!(text, "{name:>12}:");
        for _ in 0..cpus {
            let _ = write!(text, " {:>10}", 11 * (1 + round));
        }
        text.push('\n');
    }
    text
}

fn softnet(cpus: usize, round: u64) -> String {
    let mut text = String::new();
    for cpu in 0..cpus {
        let _ = write!(text, "{:08x}", 100 * (1 + round));
        for _ in 0..11 {
            text.push_str(" 00000000");
        }
        let _ = writeln!(text, " {cpu:08x} 00000000 00000000");
    }
    text
}

fn cpuinfo(cpus: usize) -> String {
    let mut text = String::new();
    for cpu in 0..cpus {
        let _ = writeln!(
            text,
            "processor\t: {cpu}\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2445.406\n"
        );
    }
    text
}

/// Interface `n`'s name: `eth0`, `eth1`, ...
fn interface(n: usize) -> String {
    format!("eth{n}")
}

fn net_dev(interfaces: usize, round: u64) -> String {
    let mut text = String::from(
        "Inter-|   Receive                                                |  Transmit\n \
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n",
    );
    let _ = writeln!(
        text,
        "    lo: {0} {1} 0 0 0 0 0 0 {0} {1} 0 0 0 0 0 0",
        5000 * (1 + round),
        50 * (1 + round)
    );
    for n in 0..interfaces {
        let (bytes, packets) = (1000 * (1 + round) * (1 + n as u64 % 7), 10 * (1 + round));
        let _ = writeln!(
            text,
            "{:>6}: {bytes} {packets} 0 0 0 0 0 0 {bytes} {packets} 0 0 0 0 0 0",
            interface(n)
        );
    }
    text
}

fn write_interfaces(root: &Path, interfaces: usize) -> io::Result<()> {
    let class = root.join("sys/class/net");
    if class.exists() {
        fs::remove_dir_all(&class)?;
    }
    for n in 0..interfaces {
        let dir = class.join(interface(n));
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("speed"), "10000\n")?;
        fs::write(dir.join("duplex"), "full\n")?;
    }
    Ok(())
}

fn diskstats(disks: usize, round: u64) -> String {
    let mut text = String::new();
    for n in 0..disks {
        let (reads, sectors) = (10 * (1 + round), 800 * (1 + round));
        let _ = writeln!(
            text,
            "{:>4} {:>7} loop{n} {reads} 0 {sectors} {reads} {reads} 0 {sectors} {reads} 0 {reads} {reads} 0 0 0 0 0 0",
            7 + n / 1_000_000,
            n % 1_000_000
        );
    }
    text
}

fn write_processes(proc: &Path, processes: usize, round: u64) -> io::Result<()> {
    for n in 0..processes {
        let pid = 1000 + n;
        let dir = proc.join(pid.to_string());
        if round == 0 {
            fs::create_dir_all(&dir)?;
            fs::write(dir.join("cmdline"), format!("worker\0--id\0{n}\0"))?;
            fs::write(
                dir.join("cgroup"),
                format!("0::/system.slice/unit{}.service\n", n % 50),
            )?;
            fs::write(dir.join("status"), status(pid, n))?;
        }
        let (user, system) = (3 * (1 + round) * (1 + n as u64 % 5), 1 + round);
        fs::write(
            dir.join("stat"),
            format!(
                "{pid} (worker{m}) S 1 {pid} {pid} 0 -1 4194560 {faults} 0 0 0 {user} {system} 0 0 20 0 1 0 {start} \
                 166016000 3000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 {cpu} 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                m = n % 100,
                faults = 100 * (1 + round),
                start = 6000 + n,
                cpu = n % 4,
            ),
        )?;
        fs::write(
            dir.join("schedstat"),
            format!(
                "{} {} {}\n",
                1_000_000 * (1 + round),
                1000 * (1 + round),
                5 + round
            ),
        )?;
        fs::write(
            dir.join("io"),
            format!(
                "rchar: {0}\nwchar: {0}\nsyscr: {1}\nsyscw: {1}\nread_bytes: {0}\nwrite_bytes: {0}\ncancelled_write_bytes: 0\n",
                4096 * (1 + round),
                10 * (1 + round)
            ),
        )?;
    }
    Ok(())
}

fn status(pid: usize, n: usize) -> String {
    format!(
        "Name:\tworker{m}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t1\n\
         TracerPid:\t0\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \n\
         VmPeak:\t  170000 kB\nVmSize:\t  166016 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\n\
         VmHWM:\t   12000 kB\nVmRSS:\t   12000 kB\nRssAnon:\t    4000 kB\nRssFile:\t    8000 kB\n\
         RssShmem:\t       0 kB\nVmData:\t   28148 kB\nVmStk:\t     132 kB\nVmExe:\t    5400 kB\n\
         VmLib:\t       8 kB\nVmPTE:\t     108 kB\nVmSwap:\t       0 kB\nThreads:\t1\n\
         voluntary_ctxt_switches:\t{n}\nnonvoluntary_ctxt_switches:\t0\n",
        m = n % 100,
        uid = n % 20,
    )
}
