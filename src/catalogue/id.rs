//! Activities' identities as typed constants: code that treats one activity apart (sar -A's
//! order, -P's CPU filter, --dev's item filter, the charts designed per activity) names it by
//! an [`ActivityId`] the compiler checks, not by a string literal that can drift from the
//! name the catalogue gives it. Activities of one family named by a word (`net-dev`,
//! `power-fan`, `psi-io`) are told by their [`Family`].

/// The stable name of one activity (the CSV activity column, the JSON key, the OpenMetrics
/// prefix), as a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActivityId(&'static str);

impl ActivityId {
    /// sar -u: CPU utilisation.
    pub const CPU: ActivityId = ActivityId("cpu");
    /// sar -w: task creation and context switches.
    pub const TASKS: ActivityId = ActivityId("tasks");
    /// sar -I: interrupts per second, all CPUs.
    pub const INTR: ActivityId = ActivityId("intr");
    /// sar -I with -P: interrupts per second of each CPU.
    pub const INTR_CPU: ActivityId = ActivityId("intr-cpu");
    /// Software interrupts per second, all CPUs.
    pub const SOFTIRQ: ActivityId = ActivityId("softirq");
    /// Software interrupts per second of each CPU.
    pub const SOFTIRQ_CPU: ActivityId = ActivityId("softirq-cpu");
    /// sar -W: swapping.
    pub const SWAPPING: ActivityId = ActivityId("swapping");
    /// sar -B: paging.
    pub const PAGING: ActivityId = ActivityId("paging");
    /// sar -b: I/O and transfer rates.
    pub const IO: ActivityId = ActivityId("io");
    /// sar -r: memory utilisation.
    pub const MEMORY: ActivityId = ActivityId("memory");
    /// sar -S: swap space utilisation.
    pub const SWAP: ActivityId = ActivityId("swap");
    /// sar -H: huge pages utilisation.
    pub const HUGEPAGES: ActivityId = ActivityId("hugepages");
    /// sar -v: kernel tables.
    pub const KTABLES: ActivityId = ActivityId("ktables");
    /// sar -q: run queue and load averages.
    pub const QUEUE: ActivityId = ActivityId("queue");
    /// sar -y: serial lines.
    pub const SERIAL: ActivityId = ActivityId("serial");
    /// sar -d: block devices.
    pub const DISK: ActivityId = ActivityId("disk");
    /// sar -n DEV: network interfaces' traffic.
    pub const NET_DEV: ActivityId = ActivityId("net-dev");
    /// sar -n EDEV: network interfaces' errors.
    pub const NET_EDEV: ActivityId = ActivityId("net-edev");
    /// sar -n SOFT: software network processing per CPU.
    pub const NET_SOFT: ActivityId = ActivityId("net-soft");
    /// sar -m CPU: CPU clock frequency per CPU.
    pub const POWER_CPU: ActivityId = ActivityId("power-cpu");
    /// sar -m FREQ: time-weighted CPU frequency per CPU.
    pub const POWER_FREQ: ActivityId = ActivityId("power-freq");
    /// sar -F: filesystems (a Summary, not an Average, ends the report).
    pub const FILESYSTEM: ActivityId = ActivityId("filesystem");
    /// Processes' memory (pidstat -r).
    pub const PROCESS_MEM: ActivityId = ActivityId("process-mem");
    /// Processes' I/O (pidstat -d).
    pub const PROCESS_IO: ActivityId = ActivityId("process-io");
    /// Cgroups' CPU.
    pub const CGROUP_CPU: ActivityId = ActivityId("cgroup-cpu");
    /// Cgroups' memory.
    pub const CGROUP_MEM: ActivityId = ActivityId("cgroup-mem");
    /// GPUs per device (report --gpu).
    pub const GPU: ActivityId = ActivityId("gpu");

    /// Every activity named by a constant here.
    pub const ALL: [ActivityId; 27] = [
        Self::CPU,
        Self::TASKS,
        Self::INTR,
        Self::INTR_CPU,
        Self::SOFTIRQ,
        Self::SOFTIRQ_CPU,
        Self::SWAPPING,
        Self::PAGING,
        Self::IO,
        Self::MEMORY,
        Self::SWAP,
        Self::HUGEPAGES,
        Self::KTABLES,
        Self::QUEUE,
        Self::SERIAL,
        Self::DISK,
        Self::NET_DEV,
        Self::NET_EDEV,
        Self::NET_SOFT,
        Self::POWER_CPU,
        Self::POWER_FREQ,
        Self::FILESYSTEM,
        Self::PROCESS_MEM,
        Self::PROCESS_IO,
        Self::CGROUP_CPU,
        Self::CGROUP_MEM,
        Self::GPU,
    ];

    /// The activity's name.
    pub const fn name(self) -> &'static str {
        self.0
    }

    /// The constant of the activity called `name`, if one names it.
    pub fn of(name: &str) -> Option<ActivityId> {
        Self::ALL.into_iter().find(|id| id.0 == name)
    }
}

impl From<ActivityId> for String {
    fn from(id: ActivityId) -> String {
        id.0.to_string()
    }
}

/// A family of activities named `PREFIX-word` by one option's words: sar -n DEV is
/// `net-dev`, sar -m FAN `power-fan`; pressure; pidstat's and cgroups' views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// sar -n's activities (`net-dev`, `net-tcp`, ...).
    Net,
    /// sar -m's activities (`power-fan`, `power-temp`, ...).
    Power,
    /// Pressure stall information (`psi-cpu`, `psi-io`, `psi-mem`).
    Psi,
    /// Processes' views (`process-cpu`, `process-mem`, ...).
    Process,
    /// Threads' views (`thread-cpu`, ...).
    Thread,
    /// Cgroups' views (`cgroup-cpu`, ...).
    Cgroup,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 6] = [
        Family::Net,
        Family::Power,
        Family::Psi,
        Family::Process,
        Family::Thread,
        Family::Cgroup,
    ];

    /// Whether its activities' rows are a per-interval choice (the busiest N), so that an
    /// average weights intervals by length rather than re-deriving the whole span.
    pub fn chooses_rows(self) -> bool {
        matches!(self, Family::Process | Family::Thread | Family::Cgroup)
    }

    /// The family's names start with this (`net-`).
    pub const fn prefix(self) -> &'static str {
        match self {
            Family::Net => "net-",
            Family::Power => "power-",
            Family::Psi => "psi-",
            Family::Process => "process-",
            Family::Thread => "thread-",
            Family::Cgroup => "cgroup-",
        }
    }

    /// The family of the activity called `name`, if it belongs to one.
    pub fn of(name: &str) -> Option<Family> {
        Self::ALL
            .into_iter()
            .find(|family| name.starts_with(family.prefix()))
    }

    /// The name of the family's activity for `word` (`Net`, `DEV` → `net-dev`).
    pub fn member(self, word: &str) -> String {
        format!("{}{}", self.prefix(), word.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_found_by_name_and_families_by_prefix() {
        assert_eq!(ActivityId::of("net-dev"), Some(ActivityId::NET_DEV));
        assert_eq!(ActivityId::of("net-tcp"), None);
        assert_eq!(Family::of("net-tcp"), Some(Family::Net));
        assert_eq!(Family::of("cpu"), None);
        assert_eq!(Family::Power.member("FREQ"), ActivityId::POWER_FREQ.name());
        assert_eq!(Family::of(ActivityId::NET_SOFT.name()), Some(Family::Net));
        let mut names: Vec<&str> = ActivityId::ALL.iter().map(|id| id.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ActivityId::ALL.len(), "a name given twice");
    }
}
