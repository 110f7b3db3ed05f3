//! The registry of table kinds: each kind's number (part of the file format), its name (for
//! messages, `rstat info` and FORMAT.md) and the collection group that records it (the names
//! of `rstat collect --activities`, plus `always` and `processes`). The numbers themselves
//! are defined, with their rows and values, beside the schema they belong to ([`crate::schema`],
//! [`crate::schema_system`], [`crate::schema_process`], [`crate::schema_gpu`]); this list is
//! the one place that says which numbers are taken, and a test checks that no number is
//! listed twice and every kind defined is named.

use crate::schema::TableKind;

/// One table kind as the registry knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindInfo {
    /// The kind (its number is part of the file format: never reuse one).
    pub kind: TableKind,
    /// A short lower-case name.
    pub name: &'static str,
    /// The collection group that records it: a `rstat collect --activities` name, `always`
    /// (recorded in every sample) or `processes` (`--processes`).
    pub group: &'static str,
}

const fn kind(kind: TableKind, name: &'static str, group: &'static str) -> KindInfo {
    KindInfo { kind, name, group }
}

/// Every table kind, in number order.
pub const KINDS: &[KindInfo] = &[
    kind(TableKind::UPTIME, "uptime", "always"),
    kind(TableKind::BOOT, "boot", "always"),
    kind(TableKind::CPU, "cpu", "cpu"),
    kind(TableKind::STAT, "stat", "cpu"),
    kind(TableKind::MEMINFO, "meminfo", "mem"),
    kind(TableKind::VMSTAT, "vmstat", "mem"),
    kind(TableKind::LOADAVG, "loadavg", "cpu"),
    kind(TableKind::DISKSTATS, "diskstats", "disk"),
    kind(TableKind::NETDEV, "netdev", "net"),
    kind(TableKind::INTERRUPTS, "interrupts", "intr"),
    kind(TableKind::SOFTIRQS, "softirqs", "intr"),
    kind(TableKind::KTABLES, "ktables", "ktables"),
    kind(TableKind::PSI_CPU, "psi-cpu", "psi"),
    kind(TableKind::PSI_IO, "psi-io", "psi"),
    kind(TableKind::PSI_MEMORY, "psi-memory", "psi"),
    kind(TableKind::SERIAL, "serial", "serial"),
    kind(TableKind::NFS, "nfs", "nfs"),
    kind(TableKind::NFSD, "nfsd", "nfs"),
    kind(TableKind::SOCKSTAT, "sockstat", "sock"),
    kind(TableKind::SOCKSTAT6, "sockstat6", "sock"),
    kind(TableKind::SNMP, "snmp", "snmp"),
    kind(TableKind::SNMP6, "snmp6", "snmp"),
    kind(TableKind::NETSTAT, "netstat", "snmp"),
    kind(TableKind::SOFTNET, "softnet", "softnet"),
    kind(TableKind::FCHOST, "fchost", "fc"),
    kind(TableKind::CPUFREQ, "cpufreq", "power"),
    kind(TableKind::TIME_IN_STATE, "time-in-state", "power"),
    kind(TableKind::HWMON, "hwmon", "power"),
    kind(TableKind::BATTERY, "battery", "power"),
    kind(TableKind::USB, "usb", "power"),
    kind(TableKind::FILESYSTEMS, "filesystems", "fs"),
    kind(TableKind::NETIF, "netif", "net"),
    kind(TableKind::DEVICE_NAMES, "device-names", "disk"),
    kind(TableKind::USERS, "users", "processes"),
    // Only in samples read from a sysstat file (sar -b's totals); never collected.
    kind(TableKind::SYSSTAT_IO, "sysstat-io", "disk"),
    kind(TableKind::PROCESSES, "processes", "processes"),
    kind(TableKind::THREADS, "threads", "processes"),
    kind(TableKind::CGROUPS, "cgroups", "processes"),
    kind(TableKind::CGROUP_IO, "cgroup_io", "processes"),
    kind(TableKind::PROCESS_SUMMARY, "process_summary", "processes"),
    kind(TableKind::GPU, "gpu", "gpu"),
    kind(TableKind::GPU_PROCESSES, "gpu-processes", "gpu"),
];

impl TableKind {
    /// A short name for messages and `rstat info`, from the registry; `unknown` for a number
    /// no kind uses.
    pub fn name(self) -> &'static str {
        info(self).map_or("unknown", |k| k.name)
    }
}

/// What the registry knows of `kind`; `None` for a number no kind uses (a newer file's).
pub fn info(kind: TableKind) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The kind called `name`.
pub fn by_name(name: &str) -> Option<TableKind> {
    KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn numbers_and_names_are_unique() {
        let mut numbers = HashSet::new();
        let mut names = HashSet::new();
        for k in KINDS {
            assert!(
                numbers.insert(k.kind.0),
                "kind number {} listed twice",
                k.kind.0
            );
            assert!(names.insert(k.name), "kind name {} listed twice", k.name);
            assert!(!k.name.is_empty() && !k.group.is_empty(), "{k:?}");
            assert_eq!(by_name(k.name), Some(k.kind));
        }
        // Number order, so that a new kind goes at the end of its range.
        assert!(KINDS.windows(2).all(|w| w[0].kind.0 < w[1].kind.0));
    }

    /// Every `pub const X: TableKind = TableKind(N)` of the schema files is in the registry
    /// under its number: a kind defined but not registered (or registered under another
    /// number) fails here, and so does one number given to two constants.
    #[test]
    fn every_defined_kind_is_registered() {
        let sources = [
            include_str!("schema.rs"),
            include_str!("schema_system.rs"),
            include_str!("schema_process.rs"),
            include_str!("schema_gpu.rs"),
        ];
        let mut defined = HashSet::new();
        for source in sources {
            for line in source.lines() {
                let Some(rest) = line.trim().strip_prefix("pub const ") else {
                    continue;
                };
                let Some((constant, number)) = rest.split_once(": TableKind = TableKind(") else {
                    continue;
                };
                let number: u16 = number.trim_end_matches(");").parse().unwrap();
                assert!(
                    defined.insert(number),
                    "TableKind({number}) is defined twice (again as {constant})"
                );
                let info = info(TableKind(number))
                    .unwrap_or_else(|| panic!("TableKind::{constant} ({number}) is not in KINDS"));
                assert_ne!(info.name, "", "{constant}");
            }
        }
        assert_eq!(
            defined.len(),
            KINDS.len(),
            "KINDS lists a kind no schema file defines"
        );
        assert_eq!(TableKind(9999).name(), "unknown");
        assert_eq!(TableKind::PSI_IO.name(), "psi-io");
    }
}
