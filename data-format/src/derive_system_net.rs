//! Sockets and protocol counters (sar -n SOCK, SOCK6, IP, EIP, ICMP, EICMP, TCP, ETCP, UDP and
//! their v6 versions) from the name-labelled tables of `/proc/net/sockstat*`, `snmp`, `snmp6`.
//!
//! Each sar activity is a [`ProtoSpec`]: its table, its sar column names and, for each
//! column, the section and counter it is the rate of (sysstat's choice of counters). A
//! counter the kernel does not print gives 0, as in sysstat; a missing section gives no row.

use crate::derive::Interval;
use crate::derive_system::{both, per_second};
use crate::schema::{Sample, TableKind};
use crate::schema_system::named;

/// Sockets in use at one sample (sar -n SOCK).
#[derive(Clone, Debug, PartialEq)]
pub struct Sockets {
    /// totsck: sockets in use, all kinds (/proc/net/sockstat `sockets: used`).
    pub totsck: u64,
    /// tcpsck: TCP sockets in use (/proc/net/sockstat `TCP: inuse`).
    pub tcpsck: u64,
    /// udpsck: UDP sockets in use (/proc/net/sockstat `UDP: inuse`).
    pub udpsck: u64,
    /// rawsck: raw sockets in use (/proc/net/sockstat `RAW: inuse`).
    pub rawsck: u64,
    /// ip-frag: IP fragments queued for reassembly (/proc/net/sockstat `FRAG: inuse`).
    pub ip_frag: u64,
    /// tcp-tw: TCP sockets in the TIME_WAIT state (/proc/net/sockstat `TCP: tw`).
    pub tcp_tw: u64,
}

/// IPv6 sockets in use at one sample (sar -n SOCK6).
#[derive(Clone, Debug, PartialEq)]
pub struct Sockets6 {
    /// tcp6sck: TCP over IPv6 sockets in use (/proc/net/sockstat6 `TCP6: inuse`).
    pub tcp6sck: u64,
    /// udp6sck: UDP over IPv6 sockets in use (/proc/net/sockstat6 `UDP6: inuse`).
    pub udp6sck: u64,
    /// raw6sck: raw IPv6 sockets in use (/proc/net/sockstat6 `RAW6: inuse`).
    pub raw6sck: u64,
    /// ip6-frag: IPv6 fragments queued for reassembly (/proc/net/sockstat6 `FRAG6: inuse`).
    pub ip6_frag: u64,
}

fn sockstat_value(sample: &Sample, kind: TableKind, key: &str, name: &str) -> Option<u64> {
    named(sample.table(kind)?.row(key)?, name)
}

/// sar -n SOCK's figures from one sample's /proc/net/sockstat; `None` when it was not recorded (a
/// missing line counts 0).
pub fn sockets(sample: &Sample) -> Option<Sockets> {
    sample.table(TableKind::SOCKSTAT)?;
    let v = |key, name| sockstat_value(sample, TableKind::SOCKSTAT, key, name).unwrap_or(0);
    Some(Sockets {
        totsck: v("sockets", "used"),
        tcpsck: v("TCP", "inuse"),
        udpsck: v("UDP", "inuse"),
        rawsck: v("RAW", "inuse"),
        ip_frag: v("FRAG", "inuse"),
        tcp_tw: v("TCP", "tw"),
    })
}

/// sar -n SOCK6's figures from one sample's /proc/net/sockstat6; `None` when it was not recorded (a
/// missing line counts 0).
pub fn sockets6(sample: &Sample) -> Option<Sockets6> {
    sample.table(TableKind::SOCKSTAT6)?;
    let v = |key, name| sockstat_value(sample, TableKind::SOCKSTAT6, key, name).unwrap_or(0);
    Some(Sockets6 {
        tcp6sck: v("TCP6", "inuse"),
        udp6sck: v("UDP6", "inuse"),
        raw6sck: v("RAW6", "inuse"),
        ip6_frag: v("FRAG6", "inuse"),
    })
}

/// One sar protocol activity: which counters its columns are the rates of.
#[derive(Clone, Copy, Debug)]
pub struct ProtoSpec {
    /// The table the counters are in (/proc/net/snmp, /proc/net/snmp6 or /proc/net/netstat).
    pub kind: TableKind,
    /// The section (row key) every counter is in.
    pub section: &'static str,
    /// sar's column names, in order.
    pub columns: &'static [&'static str],
    /// The counter of each column.
    pub counters: &'static [&'static str],
}

impl Interval<'_> {
    /// The rates of `spec`'s counters, in column order; `None` when the section is missing
    /// from either sample.
    pub fn protocol(&self, spec: &ProtoSpec) -> Option<Vec<f64>> {
        let mut rates = Vec::with_capacity(spec.counters.len());
        self.protocol_into(spec, &mut rates, &mut Vec::new())
            .then_some(rates)
    }

    /// [`Interval::protocol`] appended to `rates` (a vector kept across intervals); `false`,
    /// and nothing appended, when the section is missing from either sample. `places` (kept
    /// across intervals too, empty at first) remembers where each counter was: sysstat's
    /// order is not the kernel's (-n ICMP's In and Out counters alternate), and looking for
    /// each name again from the last one found was most of this function's time.
    pub fn protocol_into(
        &self,
        spec: &ProtoSpec,
        rates: &mut Vec<f64>,
        places: &mut Vec<usize>,
    ) -> bool {
        let Some((p, c)) = both(self, spec.kind) else {
            return false;
        };
        let (Some(prev), Some(cur)) = (p.row(spec.section), c.row(spec.section)) else {
            return false;
        };
        places.resize(spec.counters.len(), usize::MAX);
        // The kernel prints a section's counters in one order, the same in both samples:
        // each name is looked for where it was last time, else just after the last one
        // found, and at the same place in the earlier sample. (A section names each counter
        // once, so where it is found does not change which it is.)
        let mut next = 0;
        rates.extend(
            spec.counters
                .iter()
                .zip(places.iter_mut())
                .map(|(name, place)| {
                    let at = match cur.text.get(*place) {
                        Some(text) if text == name => *place,
                        _ => match position_from(&cur.text, name, next) {
                            Some(at) => at,
                            None => return 0.0,
                        },
                    };
                    *place = at;
                    next = at + 1;
                    let before = match prev.text.get(at) {
                        Some(text) if text == name => prev.value(at),
                        _ => named(prev, name),
                    };
                    match (before, cur.value(at)) {
                        (Some(before), Some(now)) => per_second(self, before, now),
                        _ => 0.0,
                    }
                }),
        );
        true
    }
}

/// Where `name` is in `texts`, looked for from `start` to the end, then from the beginning
/// (the first place, as [`named`] finds it, when the name is there once).
fn position_from(texts: &[String], name: &str, start: usize) -> Option<usize> {
    let start = start.min(texts.len());
    let (before, after) = texts.split_at(start);
    after
        .iter()
        .position(|text| text == name)
        .map(|at| start + at)
        .or_else(|| before.iter().position(|text| text == name))
}

macro_rules! spec {
    ($name:ident, $kind:ident, $section:literal, [$(($column:literal, $counter:literal)),* $(,)?]) => {
        #[doc = concat!("sar -n ", stringify!($name), ": per-second rates of the `", $section, "` counters of the ", stringify!($kind), " table.")]
        pub const $name: ProtoSpec = ProtoSpec {
            kind: TableKind::$kind,
            section: $section,
            columns: &[$($column),*],
            counters: &[$($counter),*],
        };
    };
}

spec!(
    IP,
    SNMP,
    "Ip",
    [
        ("irec/s", "InReceives"),
        ("fwddgm/s", "ForwDatagrams"),
        ("idel/s", "InDelivers"),
        ("orq/s", "OutRequests"),
        ("asmrq/s", "ReasmReqds"),
        ("asmok/s", "ReasmOKs"),
        ("fragok/s", "FragOKs"),
        ("fragcrt/s", "FragCreates"),
    ]
);
spec!(
    EIP,
    SNMP,
    "Ip",
    [
        ("ihdrerr/s", "InHdrErrors"),
        ("iadrerr/s", "InAddrErrors"),
        ("iukwnpr/s", "InUnknownProtos"),
        ("idisc/s", "InDiscards"),
        ("odisc/s", "OutDiscards"),
        ("onort/s", "OutNoRoutes"),
        ("asmf/s", "ReasmFails"),
        ("fragf/s", "FragFails"),
    ]
);
spec!(
    ICMP,
    SNMP,
    "Icmp",
    [
        ("imsg/s", "InMsgs"),
        ("omsg/s", "OutMsgs"),
        ("iech/s", "InEchos"),
        ("iechr/s", "InEchoReps"),
        ("oech/s", "OutEchos"),
        ("oechr/s", "OutEchoReps"),
        ("itm/s", "InTimestamps"),
        ("itmr/s", "InTimestampReps"),
        ("otm/s", "OutTimestamps"),
        ("otmr/s", "OutTimestampReps"),
        ("iadrmk/s", "InAddrMasks"),
        ("iadrmkr/s", "InAddrMaskReps"),
        ("oadrmk/s", "OutAddrMasks"),
        ("oadrmkr/s", "OutAddrMaskReps"),
    ]
);
spec!(
    EICMP,
    SNMP,
    "Icmp",
    [
        ("ierr/s", "InErrors"),
        ("oerr/s", "OutErrors"),
        ("idstunr/s", "InDestUnreachs"),
        ("odstunr/s", "OutDestUnreachs"),
        ("itmex/s", "InTimeExcds"),
        ("otmex/s", "OutTimeExcds"),
        ("iparmpb/s", "InParmProbs"),
        ("oparmpb/s", "OutParmProbs"),
        ("isrcq/s", "InSrcQuenchs"),
        ("osrcq/s", "OutSrcQuenchs"),
        ("iredir/s", "InRedirects"),
        ("oredir/s", "OutRedirects"),
    ]
);
spec!(
    TCP,
    SNMP,
    "Tcp",
    [
        ("active/s", "ActiveOpens"),
        ("passive/s", "PassiveOpens"),
        ("iseg/s", "InSegs"),
        ("oseg/s", "OutSegs"),
    ]
);
spec!(
    ETCP,
    SNMP,
    "Tcp",
    [
        ("atmptf/s", "AttemptFails"),
        ("estres/s", "EstabResets"),
        ("retrans/s", "RetransSegs"),
        ("isegerr/s", "InErrs"),
        ("orsts/s", "OutRsts"),
    ]
);
spec!(
    UDP,
    SNMP,
    "Udp",
    [
        ("idgm/s", "InDatagrams"),
        ("odgm/s", "OutDatagrams"),
        ("noport/s", "NoPorts"),
        ("idgmerr/s", "InErrors"),
    ]
);
spec!(
    IP6,
    SNMP6,
    "Ip6",
    [
        ("irec6/s", "InReceives"),
        ("fwddgm6/s", "OutForwDatagrams"),
        ("idel6/s", "InDelivers"),
        ("orq6/s", "OutRequests"),
        ("asmrq6/s", "ReasmReqds"),
        ("asmok6/s", "ReasmOKs"),
        ("imcpck6/s", "InMcastPkts"),
        ("omcpck6/s", "OutMcastPkts"),
        ("fragok6/s", "FragOKs"),
        ("fragcr6/s", "FragCreates"),
    ]
);
spec!(
    EIP6,
    SNMP6,
    "Ip6",
    [
        ("ihdrer6/s", "InHdrErrors"),
        ("iadrer6/s", "InAddrErrors"),
        ("iukwnp6/s", "InUnknownProtos"),
        ("i2big6/s", "InTooBigErrors"),
        ("idisc6/s", "InDiscards"),
        ("odisc6/s", "OutDiscards"),
        ("inort6/s", "InNoRoutes"),
        ("onort6/s", "OutNoRoutes"),
        ("asmf6/s", "ReasmFails"),
        ("fragf6/s", "FragFails"),
        ("itrpck6/s", "InTruncatedPkts"),
    ]
);
spec!(
    ICMP6,
    SNMP6,
    "Icmp6",
    [
        ("imsg6/s", "InMsgs"),
        ("omsg6/s", "OutMsgs"),
        ("iech6/s", "InEchos"),
        ("iechr6/s", "InEchoReplies"),
        ("oechr6/s", "OutEchoReplies"),
        ("igmbq6/s", "InGroupMembQueries"),
        ("igmbr6/s", "InGroupMembResponses"),
        ("ogmbr6/s", "OutGroupMembResponses"),
        ("igmbrd6/s", "InGroupMembReductions"),
        ("ogmbrd6/s", "OutGroupMembReductions"),
        ("irtsol6/s", "InRouterSolicits"),
        ("ortsol6/s", "OutRouterSolicits"),
        ("irtad6/s", "InRouterAdvertisements"),
        ("inbsol6/s", "InNeighborSolicits"),
        ("onbsol6/s", "OutNeighborSolicits"),
        ("inbad6/s", "InNeighborAdvertisements"),
        ("onbad6/s", "OutNeighborAdvertisements"),
    ]
);
spec!(
    EICMP6,
    SNMP6,
    "Icmp6",
    [
        ("ierr6/s", "InErrors"),
        ("idtunr6/s", "InDestUnreachs"),
        ("odtunr6/s", "OutDestUnreachs"),
        ("itmex6/s", "InTimeExcds"),
        ("otmex6/s", "OutTimeExcds"),
        ("iprmpb6/s", "InParmProblems"),
        ("oprmpb6/s", "OutParmProblems"),
        ("iredir6/s", "InRedirects"),
        ("oredir6/s", "OutRedirects"),
        ("ipck2b6/s", "InPktTooBigs"),
        ("opck2b6/s", "OutPktTooBigs"),
    ]
);
spec!(
    UDP6,
    SNMP6,
    "Udp6",
    [
        ("idgm6/s", "InDatagrams"),
        ("odgm6/s", "OutDatagrams"),
        ("noport6/s", "NoPorts"),
        ("idgmer6/s", "InErrors"),
    ]
);
