//! sysstat's activities by number: their names, which of them rstat has tables for, and the
//! field names of the protocol-counter activities (sa.h and rd_stats.h).

use crate::schema::TableKind;

/// sysstat's activity identifiers (sa.h).
pub mod id {
    pub const CPU: u32 = 1;
    pub const PCSW: u32 = 2;
    pub const IRQ: u32 = 3;
    pub const SWAP: u32 = 4;
    pub const PAGE: u32 = 5;
    pub const IO: u32 = 6;
    pub const MEMORY: u32 = 7;
    pub const KTABLES: u32 = 8;
    pub const QUEUE: u32 = 9;
    pub const SERIAL: u32 = 10;
    pub const DISK: u32 = 11;
    pub const NET_DEV: u32 = 12;
    pub const NET_EDEV: u32 = 13;
    pub const NET_NFS: u32 = 14;
    pub const NET_NFSD: u32 = 15;
    pub const NET_SOCK: u32 = 16;
    pub const NET_IP: u32 = 17;
    pub const NET_EIP: u32 = 18;
    pub const NET_ICMP: u32 = 19;
    pub const NET_EICMP: u32 = 20;
    pub const NET_TCP: u32 = 21;
    pub const NET_ETCP: u32 = 22;
    pub const NET_UDP: u32 = 23;
    pub const NET_SOCK6: u32 = 24;
    pub const NET_IP6: u32 = 25;
    pub const NET_EIP6: u32 = 26;
    pub const NET_ICMP6: u32 = 27;
    pub const NET_EICMP6: u32 = 28;
    pub const NET_UDP6: u32 = 29;
    pub const PWR_CPU: u32 = 30;
    pub const PWR_FAN: u32 = 31;
    pub const PWR_TEMP: u32 = 32;
    pub const PWR_IN: u32 = 33;
    pub const HUGE: u32 = 34;
    pub const PWR_FREQ: u32 = 35;
    pub const PWR_USB: u32 = 36;
    pub const FS: u32 = 37;
    pub const NET_FC: u32 = 38;
    pub const NET_SOFT: u32 = 39;
    pub const PSI_CPU: u32 = 40;
    pub const PSI_IO: u32 = 41;
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
