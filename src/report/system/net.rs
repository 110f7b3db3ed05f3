//! sar -n tables: interfaces (DEV with %ifutil, EDEV), NFS client and server, sockets, the
//! protocol counters v4 and v6, softnet and fibre channel.

use rstat_data_format::derive::Interval;
use rstat_data_format::derive_system_net::{self as net, ProtoSpec};

use super::{activity, keywords, SystemArgs};
use crate::report::select::Activity;

/// Every -n keyword, in the order -n ALL shows them.
const ALL: [&str; 20] = [
    "DEV", "EDEV", "NFS", "NFSD", "SOCK", "IP", "EIP", "ICMP", "EICMP", "TCP", "ETCP", "UDP",
    "SOCK6", "IP6", "EIP6", "ICMP6", "EICMP6", "UDP6", "SOFT", "FC",
];

pub(super) fn select(
    args: &SystemArgs,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    for word in keywords(&args.network, all, &ALL) {
        let protocol = |spec: &'static ProtoSpec| {
            activity(
                None,
                spec.columns,
                |_| false,
                move |i: &Interval| {
                    i.protocol(spec)
                        .map(|values| vec![(String::new(), values)])
                        .unwrap_or_default()
                },
            )
        };
        let activity = match word.as_str() {
            "DEV" => dev(),
            "EDEV" => activity(
                Some("IFACE"),
                &[
                    "rxerr/s", "txerr/s", "coll/s", "rxdrop/s", "txdrop/s", "txcarr/s", "rxfram/s",
                    "rxfifo/s", "txfifo/s",
                ],
                |_| false,
                |i| {
                    i.interfaces()
                        .into_iter()
                        .map(|n| {
                            let v = vec![
                                n.rxerr_per_s,
                                n.txerr_per_s,
                                n.coll_per_s,
                                n.rxdrop_per_s,
                                n.txdrop_per_s,
                                n.txcarr_per_s,
                                n.rxfram_per_s,
                                n.rxfifo_per_s,
                                n.txfifo_per_s,
                            ];
                            (n.iface, v)
                        })
                        .collect()
                },
            ),
            "NFS" => activity(
                None,
                &[
                    "call/s",
                    "retrans/s",
                    "read/s",
                    "write/s",
                    "access/s",
                    "getatt/s",
                ],
                |_| false,
                |i| {
                    i.nfs_client()
                        .map(|n| {
                            let v = vec![n.call, n.retrans, n.read, n.write, n.access, n.getatt];
                            vec![(String::new(), v)]
                        })
                        .unwrap_or_default()
                },
            ),
            "NFSD" => activity(
                None,
                &[
                    "scall/s",
                    "badcall/s",
                    "packet/s",
                    "udp/s",
                    "tcp/s",
                    "hit/s",
                    "miss/s",
                    "sread/s",
                    "swrite/s",
                    "saccess/s",
                    "sgetatt/s",
                ],
                |_| false,
                |i| {
                    i.nfs_server()
                        .map(|n| {
                            let v = vec![
                                n.scall, n.badcall, n.packet, n.udp, n.tcp, n.hit, n.miss, n.sread,
                                n.swrite, n.saccess, n.sgetatt,
                            ];
                            vec![(String::new(), v)]
                        })
                        .unwrap_or_default()
                },
            ),
            "SOCK" => activity(
                None,
                &["totsck", "tcpsck", "udpsck", "rawsck", "ip-frag", "tcp-tw"],
                |_| true,
                |i| {
                    net::sockets(i.cur)
                        .map(|s| {
                            let v = [s.totsck, s.tcpsck, s.udpsck, s.rawsck, s.ip_frag, s.tcp_tw];
                            vec![(String::new(), v.iter().map(|&x| x as f64).collect())]
                        })
                        .unwrap_or_default()
                },
            ),
            "SOCK6" => activity(
                None,
                &["tcp6sck", "udp6sck", "raw6sck", "ip6-frag"],
                |_| true,
                |i| {
                    net::sockets6(i.cur)
                        .map(|s| {
                            let v = [s.tcp6sck, s.udp6sck, s.raw6sck, s.ip6_frag];
                            vec![(String::new(), v.iter().map(|&x| x as f64).collect())]
                        })
                        .unwrap_or_default()
                },
            ),
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
            "SOFT" => activity(
                Some("CPU"),
                &[
                    "total/s",
                    "dropd/s",
                    "squeezd/s",
                    "rx_rps/s",
                    "flw_lim/s",
                    "blg_len",
                ],
                |_| false,
                |i| {
                    i.softnet()
                        .into_iter()
                        .map(|s| {
                            let name = s.cpu.map_or_else(|| "all".to_string(), |n| n.to_string());
                            (
                                name,
                                vec![s.total, s.dropd, s.squeezd, s.rx_rps, s.flw_lim, s.blg_len],
                            )
                        })
                        .collect()
                },
            ),
            "FC" => activity(
                Some("FCHOST"),
                &["fch_rxf/s", "fch_txf/s", "fch_rxw/s", "fch_txw/s"],
                |_| false,
                |i| {
                    i.fc_hosts()
                        .into_iter()
                        .map(|f| (f.host, vec![f.rxf, f.txf, f.rxw, f.txw]))
                        .collect()
                },
            ),
            other => {
                return Err(format!(
                    "-n {other}: expected one of {}, or ALL (comma-separated)",
                    ALL.join(", ")
                ))
            }
        };
        chosen.push(activity.named(format!("net-{}", word.to_ascii_lowercase())));
    }
    Ok(())
}

/// sar -n DEV, with %ifutil from the interface's speed and duplex.
fn dev() -> Activity {
    activity(
        Some("IFACE"),
        &[
            "rxpck/s", "txpck/s", "rxkB/s", "txkB/s", "rxcmp/s", "txcmp/s", "rxmcst/s", "%ifutil",
        ],
        |_| false,
        |i| {
            i.interfaces()
                .into_iter()
                .map(|n| {
                    let util = i.ifutil(&n);
                    let v = vec![
                        n.rxpck_per_s,
                        n.txpck_per_s,
                        n.rxkb_per_s,
                        n.txkb_per_s,
                        n.rxcmp_per_s,
                        n.txcmp_per_s,
                        n.rxmcst_per_s,
                        util,
                    ];
                    (n.iface, v)
                })
                .collect()
        },
    )
}
