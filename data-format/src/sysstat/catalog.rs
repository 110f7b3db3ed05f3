//! sysstat's activities by number: their names, which of them rstat has tables for, and the
//! field names of the protocol-counter activities (sa.h and rd_stats.h).

use crate::schema::TableKind;

/// sysstat's activity identifiers (sa.h).
pub mod id {
    /// sar -u: CPU utilisation (`A_CPU`).
    pub const CPU: u32 = 1;
    /// sar -w: task creation and context switches (`A_PCSW`).
    pub const PCSW: u32 = 2;
    /// sar -I: interrupts (`A_IRQ`).
    pub const IRQ: u32 = 3;
    /// sar -W: swapping (`A_SWAP`).
    pub const SWAP: u32 = 4;
    /// sar -B: paging (`A_PAGE`).
    pub const PAGE: u32 = 5;
    /// sar -b: I/O and transfer rates (`A_IO`).
    pub const IO: u32 = 6;
    /// sar -r and -S: memory and swap space (`A_MEMORY`).
    pub const MEMORY: u32 = 7;
    /// sar -v: kernel tables (`A_KTABLES`).
    pub const KTABLES: u32 = 8;
    /// sar -q LOAD: run queue and load averages (`A_QUEUE`).
    pub const QUEUE: u32 = 9;
    /// sar -y: serial lines (`A_SERIAL`).
    pub const SERIAL: u32 = 10;
    /// sar -d: block devices (`A_DISK`).
    pub const DISK: u32 = 11;
    /// sar -n DEV: network interfaces' traffic (`A_NET_DEV`).
    pub const NET_DEV: u32 = 12;
    /// sar -n EDEV: network interfaces' errors (`A_NET_EDEV`).
    pub const NET_EDEV: u32 = 13;
    /// sar -n NFS: NFS client (`A_NET_NFS`).
    pub const NET_NFS: u32 = 14;
    /// sar -n NFSD: NFS server (`A_NET_NFSD`).
    pub const NET_NFSD: u32 = 15;
    /// sar -n SOCK: sockets in use (`A_NET_SOCK`).
    pub const NET_SOCK: u32 = 16;
    /// sar -n IP: IPv4 traffic (`A_NET_IP`).
    pub const NET_IP: u32 = 17;
    /// sar -n EIP: IPv4 errors (`A_NET_EIP`).
    pub const NET_EIP: u32 = 18;
    /// sar -n ICMP: ICMPv4 traffic (`A_NET_ICMP`).
    pub const NET_ICMP: u32 = 19;
    /// sar -n EICMP: ICMPv4 errors (`A_NET_EICMP`).
    pub const NET_EICMP: u32 = 20;
    /// sar -n TCP: TCPv4 traffic (`A_NET_TCP`).
    pub const NET_TCP: u32 = 21;
    /// sar -n ETCP: TCPv4 errors (`A_NET_ETCP`).
    pub const NET_ETCP: u32 = 22;
    /// sar -n UDP: UDPv4 traffic (`A_NET_UDP`).
    pub const NET_UDP: u32 = 23;
    /// sar -n SOCK6: IPv6 sockets in use (`A_NET_SOCK6`).
    pub const NET_SOCK6: u32 = 24;
    /// sar -n IP6: IPv6 traffic (`A_NET_IP6`).
    pub const NET_IP6: u32 = 25;
    /// sar -n EIP6: IPv6 errors (`A_NET_EIP6`).
    pub const NET_EIP6: u32 = 26;
    /// sar -n ICMP6: ICMPv6 traffic (`A_NET_ICMP6`).
    pub const NET_ICMP6: u32 = 27;
    /// sar -n EICMP6: ICMPv6 errors (`A_NET_EICMP6`).
    pub const NET_EICMP6: u32 = 28;
    /// sar -n UDP6: UDPv6 traffic (`A_NET_UDP6`).
    pub const NET_UDP6: u32 = 29;
    /// sar -m CPU: CPU clock frequency (`A_PWR_CPU`).
    pub const PWR_CPU: u32 = 30;
    /// sar -m FAN: fans (`A_PWR_FAN`).
    pub const PWR_FAN: u32 = 31;
    /// sar -m TEMP: temperature sensors (`A_PWR_TEMP`).
    pub const PWR_TEMP: u32 = 32;
    /// sar -m IN: voltage inputs (`A_PWR_IN`).
    pub const PWR_IN: u32 = 33;
    /// sar -H: huge pages (`A_HUGE`).
    pub const HUGE: u32 = 34;
    /// sar -m FREQ: time-weighted CPU frequency (`A_PWR_FREQ`).
    pub const PWR_FREQ: u32 = 35;
    /// sar -m USB: USB devices (`A_PWR_USB`).
    pub const PWR_USB: u32 = 36;
    /// sar -F: filesystems (`A_FS`).
    pub const FS: u32 = 37;
    /// sar -n FC: fibre channel hosts (`A_NET_FC`).
    pub const NET_FC: u32 = 38;
    /// sar -n SOFT: software network processing per CPU (`A_NET_SOFT`).
    pub const NET_SOFT: u32 = 39;
    /// sar -q CPU: pressure stall information (`A_PSI_CPU`).
    pub const PSI_CPU: u32 = 40;
    /// sar -q IO: pressure stall information (`A_PSI_IO`).
    pub const PSI_IO: u32 = 41;
    /// sar -q MEM: pressure stall information (`A_PSI_MEM`).
    pub const PSI_MEM: u32 = 42;
}

/// sysstat's name of an activity, for messages.
pub fn name(activity: u32) -> String {
    #[rustfmt::skip]
    const NAMES: [&str; 43] = [
        "",
        "A_CPU",
        "A_PCSW",
        "A_IRQ",
        "A_SWAP",
        "A_PAGE",
        "A_IO",
        "A_MEMORY",
        "A_KTABLES",
        "A_QUEUE",
        "A_SERIAL",
        "A_DISK",
        "A_NET_DEV",
        "A_NET_EDEV",
        "A_NET_NFS",
        "A_NET_NFSD",
        "A_NET_SOCK",
        "A_NET_IP",
        "A_NET_EIP",
        "A_NET_ICMP",
        "A_NET_EICMP",
        "A_NET_TCP",
        "A_NET_ETCP",
        "A_NET_UDP",
        "A_NET_SOCK6",
        "A_NET_IP6",
        "A_NET_EIP6",
        "A_NET_ICMP6",
        "A_NET_EICMP6",
        "A_NET_UDP6",
        "A_PWR_CPU",
        "A_PWR_FAN",
        "A_PWR_TEMP",
        "A_PWR_IN",
        "A_HUGE",
        "A_PWR_FREQ",
        "A_PWR_USB",
        "A_FS",
        "A_NET_FC",
        "A_NET_SOFT",
        "A_PSI_CPU",
        "A_PSI_IO",
        "A_PSI_MEM",
    ];
    match NAMES.get(activity as usize) {
        Some(name) if !name.is_empty() => (*name).to_string(),
        _ => format!("activity {activity}"),
    }
}

/// Whether rstat has a table for the activity (the others are listed once as not imported).
pub fn is_mapped(activity: u32) -> bool {
    matches!(activity, 1..=42)
}

/// The IPv4 and IPv6 protocol counters: activity, SNMP table, row, field names in sysstat's
/// order (`unsigned long long` fields first, then `unsigned long` ones: one group each).
#[rustfmt::skip]
pub(crate) const SNMP_FIELDS: &[(u32, TableKind, &str, &[&str])] = &[
    (
        id::NET_IP,
        TableKind::SNMP,
        "Ip",
        &[
            "InReceives",
            "ForwDatagrams",
            "InDelivers",
            "OutRequests",
            "ReasmReqds",
            "ReasmOKs",
            "FragOKs",
            "FragCreates",
        ],
    ),
    (
        id::NET_EIP,
        TableKind::SNMP,
        "Ip",
        &[
            "InHdrErrors",
            "InAddrErrors",
            "InUnknownProtos",
            "InDiscards",
            "OutDiscards",
            "OutNoRoutes",
            "ReasmFails",
            "FragFails",
        ],
    ),
    (
        id::NET_ICMP,
        TableKind::SNMP,
        "Icmp",
        &[
            "InMsgs",
            "OutMsgs",
            "InEchos",
            "InEchoReps",
            "OutEchos",
            "OutEchoReps",
            "InTimestamps",
            "InTimestampReps",
            "OutTimestamps",
            "OutTimestampReps",
            "InAddrMasks",
            "InAddrMaskReps",
            "OutAddrMasks",
            "OutAddrMaskReps",
        ],
    ),
    (
        id::NET_EICMP,
        TableKind::SNMP,
        "Icmp",
        &[
            "InErrors",
            "OutErrors",
            "InDestUnreachs",
            "OutDestUnreachs",
            "InTimeExcds",
            "OutTimeExcds",
            "InParmProbs",
            "OutParmProbs",
            "InSrcQuenchs",
            "OutSrcQuenchs",
            "InRedirects",
            "OutRedirects",
        ],
    ),
    (
        id::NET_TCP,
        TableKind::SNMP,
        "Tcp",
        &["ActiveOpens", "PassiveOpens", "InSegs", "OutSegs"],
    ),
    (
        id::NET_ETCP,
        TableKind::SNMP,
        "Tcp",
        &[
            "AttemptFails",
            "EstabResets",
            "RetransSegs",
            "InErrs",
            "OutRsts",
        ],
    ),
    (
        id::NET_UDP,
        TableKind::SNMP,
        "Udp",
        &["InDatagrams", "OutDatagrams", "NoPorts", "InErrors"],
    ),
    (
        id::NET_IP6,
        TableKind::SNMP6,
        "Ip6",
        &[
            "InReceives",
            "OutForwDatagrams",
            "InDelivers",
            "OutRequests",
            "ReasmReqds",
            "ReasmOKs",
            "InMcastPkts",
            "OutMcastPkts",
            "FragOKs",
            "FragCreates",
        ],
    ),
    (
        id::NET_EIP6,
        TableKind::SNMP6,
        "Ip6",
        &[
            "InHdrErrors",
            "InAddrErrors",
            "InUnknownProtos",
            "InTooBigErrors",
            "InDiscards",
            "OutDiscards",
            "InNoRoutes",
            "OutNoRoutes",
            "ReasmFails",
            "FragFails",
            "InTruncatedPkts",
        ],
    ),
    (
        id::NET_ICMP6,
        TableKind::SNMP6,
        "Icmp6",
        &[
            "InMsgs",
            "OutMsgs",
            "InEchos",
            "InEchoReplies",
            "OutEchoReplies",
            "InGroupMembQueries",
            "InGroupMembResponses",
            "OutGroupMembResponses",
            "InGroupMembReductions",
            "OutGroupMembReductions",
            "InRouterSolicits",
            "OutRouterSolicits",
            "InRouterAdvertisements",
            "InNeighborSolicits",
            "OutNeighborSolicits",
            "InNeighborAdvertisements",
            "OutNeighborAdvertisements",
        ],
    ),
    (
        id::NET_EICMP6,
        TableKind::SNMP6,
        "Icmp6",
        &[
            "InErrors",
            "InDestUnreachs",
            "OutDestUnreachs",
            "InTimeExcds",
            "OutTimeExcds",
            "InParmProblems",
            "OutParmProblems",
            "InRedirects",
            "OutRedirects",
            "InPktTooBigs",
            "OutPktTooBigs",
        ],
    ),
    (
        id::NET_UDP6,
        TableKind::SNMP6,
        "Udp6",
        &["InDatagrams", "OutDatagrams", "NoPorts", "InErrors"],
    ),
];
