//! Report tables for the system activities beyond CPU, memory, paging and disks: interrupts
//! (-I), queue and pressure (-q), kernel tables (-v), serial lines (-y), here; network (-n)
//! in [`net`], power (-m) and filesystems (-F) in [`power`]. One plain table per activity with
//! sar's column names; every figure comes from data-format's derivation.

mod net;
mod power;

use clap::Args;
use rstat_data_format::derive::{self, Interval};
use rstat_data_format::derive_system::{self, IrqRates, PsiLine};
use rstat_data_format::TableKind;

use super::select::Activity;

/// sar's options for the system activities.
#[derive(Args, Debug, Default)]
pub struct SystemArgs {
    /// Interrupts: -I SUM (total), ALL (each IRQ, and softirqs), CPU (each IRQ per CPU),
    /// SCPU (softirqs per CPU), or IRQ names such as 0,LOC,NMI.
    #[arg(
        short = 'I',
        value_name = "SUM|ALL|CPU|SCPU|IRQ",
        value_delimiter = ','
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

impl SystemArgs {
    /// True when none of these activities was asked for.
    pub fn is_empty(&self) -> bool {
        self.interrupts.is_empty()
            && self.queue.is_none()
            && !self.ktables
            && !self.serial
            && self.power.is_empty()
            && self.filesystems.is_none()
            && self.network.is_empty()
    }
}

/// An activity from its parts.
pub(crate) fn activity(
    item: Option<&'static str>,
    columns: &'static [&'static str],
    integer: fn(usize) -> bool,
    rows: impl Fn(&Interval) -> Vec<(String, Vec<f64>)> + 'static,
) -> Activity {
    Activity {
        name: String::new(),
        item,
        columns,
        integer,
        rows: Box::new(rows),
    }
}

/// Keywords of a comma-separated option, upper-cased; `ALL` (or -A) expands to `all`.
pub(crate) fn keywords(words: &[String], every: bool, all: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .map(|w| w.trim().to_ascii_uppercase())
        .collect();
    if every || out.iter().any(|w| w == "ALL") {
        out.retain(|w| w != "ALL");
        for word in all {
            if !out.iter().any(|w| w == word) {
                out.push((*word).to_string());
            }
        }
    }
    out
}

/// Adds the activities `args` asks for (all of them with `all`, sar's -A) to `chosen`.
pub(crate) fn select(
    args: &SystemArgs,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    select_interrupts(args, all, chosen)?;
    select_queue(args, all, chosen)?;
    let start = chosen.len();
    if all || args.ktables {
        chosen.push(activity(
            None,
            &["dentunusd", "file-nr", "inode-nr", "pty-nr"],
            |_| true,
            |i| {
                derive_system::kernel_tables(i.cur)
                    .map(|k| {
                        let v = [k.dentunusd, k.file_nr, k.inode_nr, k.pty_nr];
                        vec![(String::new(), v.iter().map(|&x| x as f64).collect())]
                    })
                    .unwrap_or_default()
            },
        ));
    }
    if all || args.serial {
        chosen.push(
            activity(
                Some("TTY"),
                &[
                    "rcvin/s",
                    "xmtin/s",
                    "framerr/s",
                    "prtyerr/s",
                    "brk/s",
                    "ovrun/s",
                ],
                |_| false,
                |i| {
                    i.serial()
                        .into_iter()
                        .map(|s| {
                            (
                                s.line,
                                vec![s.rcvin, s.xmtin, s.framerr, s.prtyerr, s.brk, s.ovrun],
                            )
                        })
                        .collect()
                },
            )
            .named("serial"),
        );
    }
    if let Some(ktables) = chosen.get_mut(start).filter(|a| a.name.is_empty()) {
        ktables.name = "ktables".to_string();
    }
    power::select(args, all, chosen)?;
    net::select(args, all, chosen)?;
    Ok(())
}

fn select_interrupts(
    args: &SystemArgs,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    let mut words: Vec<String> = args
        .interrupts
        .iter()
        .map(|w| w.trim().to_ascii_uppercase())
        .collect();
    if all {
        for word in ["SUM", "ALL"] {
            if !words.iter().any(|w| w == word) {
                words.push(word.to_string());
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for word in words {
        match word.as_str() {
            "SUM" => chosen.push(
                activity(
                    Some("INTR"),
                    &["intr/s"],
                    |_| false,
                    |i| {
                        i.interrupts_per_s()
                            .map(|v| vec![("sum".to_string(), vec![v])])
                            .unwrap_or_default()
                    },
                )
                .named("intr-sum"),
            ),
            "ALL" => {
                chosen.push(irq_activity(
                    "INTR",
                    |i: &Interval<'_>| i.interrupts(),
                    false,
                    None,
                ));
                chosen.push(irq_activity(
                    "SOFTIRQ",
                    |i: &Interval<'_>| i.softirqs(),
                    false,
                    None,
                ));
            }
            "CPU" => chosen.push(irq_activity(
                "INTR",
                |i: &Interval<'_>| i.interrupts(),
                true,
                None,
            )),
            "SCPU" => chosen.push(irq_activity(
                "SOFTIRQ",
                |i: &Interval<'_>| i.softirqs(),
                true,
                None,
            )),
            // Anything else names an IRQ (as the kernel prints it: 0, 24, LOC, NMI).
            name => names.push(name.to_string()),
        }
    }
    if !names.is_empty() {
        chosen.push(irq_activity(
            "INTR",
            |i: &Interval<'_>| i.interrupts(),
            false,
            Some(names),
        ));
    }
    Ok(())
}

/// Interrupts or softirqs: one row per IRQ (all CPUs), or per IRQ and CPU (`IRQ cpuN`).
fn irq_activity(
    item: &'static str,
    matrix: fn(&Interval<'_>) -> Vec<IrqRates>,
    per_cpu: bool,
    only: Option<Vec<String>>,
) -> Activity {
    let name = match (item, per_cpu) {
        ("INTR", false) => "intr",
        ("INTR", true) => "intr-cpu",
        (_, false) => "softirq",
        (_, true) => "softirq-cpu",
    };
    activity(
        Some(item),
        &["intr/s"],
        |_| false,
        move |i| {
            let mut rows = Vec::new();
            for irq in matrix(i) {
                if only
                    .as_ref()
                    .is_some_and(|names| !names.iter().any(|n| n.eq_ignore_ascii_case(&irq.name)))
                {
                    continue;
                }
                if per_cpu && !irq.per_cpu.is_empty() {
                    for (cpu, rate) in &irq.per_cpu {
                        rows.push((format!("{} cpu{cpu}", irq.name), vec![*rate]));
                    }
                } else {
                    rows.push((irq.name, vec![irq.all]));
                }
            }
            rows
        },
    )
    .named(name)
}

fn select_queue(args: &SystemArgs, all: bool, chosen: &mut Vec<Activity>) -> Result<(), String> {
    let words: Vec<String> = args
        .queue
        .as_deref()
        .map(|list| list.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for word in keywords(&words, all, &["LOAD", "CPU", "IO", "MEM"]) {
        match word.as_str() {
            "LOAD" => chosen.push(
                activity(
                    None,
                    &[
                        "runq-sz", "plist-sz", "ldavg-1", "ldavg-5", "ldavg-15", "blocked",
                    ],
                    |col| col < 2 || col == 5,
                    |i| {
                        derive::queue(i.cur)
                            .map(|q| {
                                let v = vec![
                                    q.runq_sz as f64,
                                    q.plist_sz as f64,
                                    q.ldavg_1,
                                    q.ldavg_5,
                                    q.ldavg_15,
                                    q.blocked as f64,
                                ];
                                vec![(String::new(), v)]
                            })
                            .unwrap_or_default()
                    },
                )
                .named("queue"),
            ),
            "CPU" => chosen.push(pressure(
                TableKind::PSI_CPU,
                &["%scpu-10", "%scpu-60", "%scpu-300", "%scpu"],
            )),
            "IO" => chosen.push(pressure(
                TableKind::PSI_IO,
                &[
                    "%sio-10", "%sio-60", "%sio-300", "%sio", "%fio-10", "%fio-60", "%fio-300",
                    "%fio",
                ],
            )),
            "MEM" => chosen.push(pressure(
                TableKind::PSI_MEMORY,
                &[
                    "%smem-10",
                    "%smem-60",
                    "%smem-300",
                    "%smem",
                    "%fmem-10",
                    "%fmem-60",
                    "%fmem-300",
                    "%fmem",
                ],
            )),
            other => {
                return Err(format!(
                    "-q {other}: expected LOAD, CPU, IO, MEM or ALL (comma-separated)"
                ))
            }
        }
    }
    Ok(())
}

/// sar -q CPU/IO/MEM: `some` (and `full` when there are 8 columns).
fn pressure(kind: TableKind, columns: &'static [&'static str]) -> Activity {
    let name = match kind {
        TableKind::PSI_CPU => "psi-cpu",
        TableKind::PSI_IO => "psi-io",
        _ => "psi-mem",
    };
    activity(
        None,
        columns,
        |_| false,
        move |i| {
            let Some(p) = i.pressure(kind) else {
                return Vec::new();
            };
            let line = |l: &PsiLine| [l.avg10, l.avg60, l.avg300, l.interval_pct];
            let mut values = line(&p.some).to_vec();
            if columns.len() == 8 {
                values.extend(p.full.as_ref().map_or([0.0; 4], line));
            }
            vec![(String::new(), values)]
        },
    )
    .named(name)
}
