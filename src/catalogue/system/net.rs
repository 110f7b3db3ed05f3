//! sar -n tables: interfaces (DEV with %ifutil, EDEV), NFS client and server, sockets, the
//! protocol counters v4 and v6, softnet and fibre channel.

use rstat_data_format::derive::Interval;
use rstat_data_format::derive_system_net::{self as net, ProtoSpec};

use std::borrow::Cow;
use std::cell::RefCell;

use super::{keywords, SystemSelection};
use crate::catalogue::column::{Column, Kind, Unit};
use crate::catalogue::id::Family;
use crate::catalogue::{cpu_name, Activity};

/// Every -n keyword, in the order -n ALL shows them.
const ALL: [&str; 20] = [
    "DEV", "EDEV", "NFS", "NFSD", "SOCK", "IP", "EIP", "ICMP", "EICMP", "TCP", "ETCP", "UDP",
    "SOCK6", "IP6", "EIP6", "ICMP6", "EICMP6", "UDP6", "SOFT", "FC",
];

pub(super) fn select(
    args: &SystemSelection,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    for word in keywords(&args.network, all, &ALL) {
        let protocol = |spec: &'static ProtoSpec| {
            // Where each counter was found, kept from one interval to the next.
            let places = RefCell::new(Vec::new());
            Activity::filling(None, protocol_columns(spec), move |i: &Interval, rows| {
                if !i.protocol_into(spec, rows.push(""), &mut places.borrow_mut()) {
                    rows.pop();
                }
            })
        };
        let activity = match word.as_str() {
            "DEV" => dev(),
            "EDEV" => Activity::filling(Some("IFACE"), EDEV, |i, rows| {
                for n in i.interfaces() {
                    rows.push(&n.iface).extend_from_slice(&[
                        n.rxerr_per_s,
                        n.txerr_per_s,
                        n.coll_per_s,
                        n.rxdrop_per_s,
                        n.txdrop_per_s,
                        n.txcarr_per_s,
                        n.rxfram_per_s,
                        n.rxfifo_per_s,
                        n.txfifo_per_s,
                    ]);
                }
            }),
            "NFS" => Activity::new(None, NFS, |i| {
                i.nfs_client()
                    .map(|n| {
                        let v = vec![n.call, n.retrans, n.read, n.write, n.access, n.getatt];
                        vec![(String::new(), v)]
                    })
                    .unwrap_or_default()
            }),
            "NFSD" => Activity::new(None, NFSD, |i| {
                i.nfs_server()
                    .map(|n| {
                        let v = vec![
                            n.scall, n.badcall, n.packet, n.udp, n.tcp, n.hit, n.miss, n.sread,
                            n.swrite, n.saccess, n.sgetatt,
                        ];
                        vec![(String::new(), v)]
                    })
                    .unwrap_or_default()
            }),
            "SOCK" => Activity::filling(None, SOCK, |i, rows| {
                if let Some(s) = net::sockets(i.cur) {
                    let v = [s.totsck, s.tcpsck, s.udpsck, s.rawsck, s.ip_frag, s.tcp_tw];
                    rows.push("").extend(v.iter().map(|&x| x as f64));
                }
            }),
            "SOCK6" => Activity::filling(None, SOCK6, |i, rows| {
                if let Some(s) = net::sockets6(i.cur) {
                    let v = [s.tcp6sck, s.udp6sck, s.raw6sck, s.ip6_frag];
                    rows.push("").extend(v.iter().map(|&x| x as f64));
                }
            }),
            "IP" => protocol(&net::IP),
            "EIP" => protocol(&net::EIP),
            "ICMP" => protocol(&net::ICMP),
            "EICMP" => protocol(&net::EICMP),
            "TCP" => protocol(&net::TCP),
            "ETCP" => protocol(&net::ETCP),
            "UDP" => protocol(&net::UDP),
            "IP6" => protocol(&net::IP6),
            "EIP6" => protocol(&net::EIP6),
            "ICMP6" => protocol(&net::ICMP6),
            "EICMP6" => protocol(&net::EICMP6),
            "UDP6" => protocol(&net::UDP6),
            "SOFT" => Activity::filling(Some("CPU"), SOFT, |i, rows| {
                for s in i.softnet() {
                    rows.push_named(|name| cpu_name(name, s.cpu))
                        .extend_from_slice(&[
                            s.total, s.dropd, s.squeezd, s.rx_rps, s.flw_lim, s.blg_len,
                        ]);
                }
            }),
            "FC" => Activity::new(Some("FCHOST"), FC, |i| {
                i.fc_hosts()
                    .into_iter()
                    .map(|f| (f.host, vec![f.rxf, f.txf, f.rxw, f.txw]))
                    .collect()
            }),
            other => {
                return Err(format!(
                    "-n {other}: expected one of {}, or ALL (comma-separated)",
                    ALL.join(", ")
                ))
            }
        };
        chosen.push(activity.named(Family::Net.member(&word)));
    }
    Ok(())
}

/// sar -n DEV, with %ifutil from the interface's speed and duplex.
fn dev() -> Activity {
    Activity::filling(Some("IFACE"), DEV, |i, rows| {
        let nets = i.interfaces();
        let utils = i.ifutils(&nets);
        for (n, util) in nets.iter().zip(utils) {
            rows.push(&n.iface).extend_from_slice(&[
                n.rxpck_per_s,
                n.txpck_per_s,
                n.rxkb_per_s,
                n.txkb_per_s,
                n.rxcmp_per_s,
                n.txcmp_per_s,
                n.rxmcst_per_s,
                util,
            ]);
        }
    })
}

/// The columns of a protocol activity (sar -n IP, TCP, ...): each the rate of one kernel
/// counter, named in the help.
fn protocol_columns(spec: &ProtoSpec) -> Vec<Column> {
    spec.columns
        .iter()
        .zip(spec.counters)
        .map(|(&name, counter)| Column {
            help: Cow::Owned(format!(
                "{} {counter} per second ({}).",
                spec.section,
                spec.kind.name()
            )),
            ..Column::rate(name, "", "")
        })
        .collect()
}

use Unit::{Count, KilobytesPerSecond, Percent};

/// sar -n DEV.
pub const DEV: &[Column] = &[
    Column::rate("rxpck/s", "Packets received.", "NetRates.rxpck_per_s"),
    Column::rate("txpck/s", "Packets transmitted.", "NetRates.txpck_per_s"),
    Column::new(
        "rxkB/s",
        KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes received.",
        "NetRates.rxkb_per_s",
    ),
    Column::new(
        "txkB/s",
        KilobytesPerSecond,
        Kind::Rate,
        "Kilobytes transmitted.",
        "NetRates.txkb_per_s",
    ),
    Column::rate(
        "rxcmp/s",
        "Compressed packets received.",
        "NetRates.rxcmp_per_s",
    ),
    Column::rate(
        "txcmp/s",
        "Compressed packets transmitted.",
        "NetRates.txcmp_per_s",
    ),
    Column::rate(
        "rxmcst/s",
        "Multicast packets received.",
        "NetRates.rxmcst_per_s",
    ),
    Column::new(
        "%ifutil",
        Percent,
        Kind::Rate,
        "Use of the interface's bandwidth (the busier direction, or both at half duplex).",
        "",
    ),
];

/// sar -n EDEV.
pub const EDEV: &[Column] = &[
    Column::rate("rxerr/s", "Bad packets received.", "NetRates.rxerr_per_s"),
    Column::rate(
        "txerr/s",
        "Errors while transmitting.",
        "NetRates.txerr_per_s",
    ),
    Column::rate(
        "coll/s",
        "Collisions while transmitting.",
        "NetRates.coll_per_s",
    ),
    Column::rate(
        "rxdrop/s",
        "Received packets dropped (no buffer space).",
        "NetRates.rxdrop_per_s",
    ),
    Column::rate(
        "txdrop/s",
        "Packets dropped before transmission (no buffer space).",
        "NetRates.txdrop_per_s",
    ),
    Column::rate(
        "txcarr/s",
        "Carrier errors while transmitting.",
        "NetRates.txcarr_per_s",
    ),
    Column::rate(
        "rxfram/s",
        "Frame alignment errors on received packets.",
        "NetRates.rxfram_per_s",
    ),
    Column::rate(
        "rxfifo/s",
        "FIFO overruns on received packets.",
        "NetRates.rxfifo_per_s",
    ),
    Column::rate(
        "txfifo/s",
        "FIFO overruns on transmitted packets.",
        "NetRates.txfifo_per_s",
    ),
];

/// sar -n NFS.
pub const NFS: &[Column] = &[
    Column::rate(
        "call/s",
        "RPC requests made by the NFS client.",
        "NfsClient.call",
    ),
    Column::rate(
        "retrans/s",
        "RPC requests the client had to retransmit.",
        "NfsClient.retrans",
    ),
    Column::rate("read/s", "NFS read calls made.", "NfsClient.read"),
    Column::rate("write/s", "NFS write calls made.", "NfsClient.write"),
    Column::rate("access/s", "NFS access calls made.", "NfsClient.access"),
    Column::rate("getatt/s", "NFS getattr calls made.", "NfsClient.getatt"),
];

/// sar -n NFSD.
pub const NFSD: &[Column] = &[
    Column::rate(
        "scall/s",
        "RPC requests received by the NFS server.",
        "NfsServer.scall",
    ),
    Column::rate(
        "badcall/s",
        "Bad RPC requests received.",
        "NfsServer.badcall",
    ),
    Column::rate(
        "packet/s",
        "Network packets received by the server.",
        "NfsServer.packet",
    ),
    Column::rate(
        "udp/s",
        "UDP packets received by the server.",
        "NfsServer.udp",
    ),
    Column::rate(
        "tcp/s",
        "TCP packets received by the server.",
        "NfsServer.tcp",
    ),
    Column::rate("hit/s", "Reply cache hits.", "NfsServer.hit"),
    Column::rate("miss/s", "Reply cache misses.", "NfsServer.miss"),
    Column::rate("sread/s", "NFS read calls received.", "NfsServer.sread"),
    Column::rate("swrite/s", "NFS write calls received.", "NfsServer.swrite"),
    Column::rate(
        "saccess/s",
        "NFS access calls received.",
        "NfsServer.saccess",
    ),
    Column::rate(
        "sgetatt/s",
        "NFS getattr calls received.",
        "NfsServer.sgetatt",
    ),
];

/// sar -n SOCK.
pub const SOCK: &[Column] = &[
    Column::whole("totsck", Count, "Sockets in use.", "Sockets.totsck"),
    Column::whole("tcpsck", Count, "TCP sockets in use.", "Sockets.tcpsck"),
    Column::whole("udpsck", Count, "UDP sockets in use.", "Sockets.udpsck"),
    Column::whole("rawsck", Count, "Raw sockets in use.", "Sockets.rawsck"),
    Column::whole("ip-frag", Count, "IP fragments queued.", "Sockets.ip_frag"),
    Column::whole(
        "tcp-tw",
        Count,
        "TCP sockets in TIME_WAIT.",
        "Sockets.tcp_tw",
    ),
];

/// sar -n SOCK6.
pub const SOCK6: &[Column] = &[
    Column::whole(
        "tcp6sck",
        Count,
        "TCP sockets over IPv6 in use.",
        "Sockets6.tcp6sck",
    ),
    Column::whole(
        "udp6sck",
        Count,
        "UDP sockets over IPv6 in use.",
        "Sockets6.udp6sck",
    ),
    Column::whole(
        "raw6sck",
        Count,
        "Raw IPv6 sockets in use.",
        "Sockets6.raw6sck",
    ),
    Column::whole(
        "ip6-frag",
        Count,
        "IPv6 fragments queued.",
        "Sockets6.ip6_frag",
    ),
];

/// sar -n SOFT.
pub const SOFT: &[Column] = &[
    Column::rate(
        "total/s",
        "Frames processed by the softnet code.",
        "SoftnetRates.total",
    ),
    Column::rate(
        "dropd/s",
        "Frames dropped: the processing queue was full.",
        "SoftnetRates.dropd",
    ),
    Column::rate(
        "squeezd/s",
        "Times the softirq ran out of budget with work left.",
        "SoftnetRates.squeezd",
    ),
    Column::rate(
        "rx_rps/s",
        "Inter-processor interrupts sent to wake a CPU for packets.",
        "SoftnetRates.rx_rps",
    ),
    Column::rate(
        "flw_lim/s",
        "Times the flow limit was reached.",
        "SoftnetRates.flw_lim",
    ),
    Column::new(
        "blg_len",
        Count,
        Kind::Level,
        "Frames waiting in the backlog.",
        "SoftnetRates.blg_len",
    )
    .decimals(0),
];

/// sar -n FC.
pub const FC: &[Column] = &[
    Column::rate(
        "fch_rxf/s",
        "Frames received by the fibre channel host.",
        "FcRates.rxf",
    ),
    Column::rate(
        "fch_txf/s",
        "Frames transmitted by the fibre channel host.",
        "FcRates.txf",
    ),
    Column::rate(
        "fch_rxw/s",
        "Words received by the fibre channel host.",
        "FcRates.rxw",
    ),
    Column::rate(
        "fch_txw/s",
        "Words transmitted by the fibre channel host.",
        "FcRates.txw",
    ),
];
