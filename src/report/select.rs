//! Which activities a report or an export shows: sar's option letters (-u, -P, -r, -d, -n,
//! ...), turned into [`Activity`] tables whose rows come from data-format's derivation, and
//! the item filters (--dev, --iface, --fs, --int). Shared by `rstat report`, `rstat export`
//! and `rstat plot`, so that one option means one thing everywhere.

use clap::Args;
use rstat_data_format::derive::{self, Interval};

use super::{process, system};

/// Which activities to show, with sar's option letters, and filters on their items.
#[derive(Args, Debug)]
pub struct SelectArgs {
    /// CPU utilisation; `-u ALL` shows every field.
    #[arg(short = 'u', num_args = 0..=1, default_missing_value = "", value_name = "ALL")]
    cpu: Option<String>,
    /// Per-processor figures: -P ALL or -P N[,N...].
    #[arg(short = 'P', value_name = "CPUS")]
    per_cpu: Option<String>,
    /// Memory utilisation.
    #[arg(short = 'r')]
    memory: bool,
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
    #[command(flatten)]
    system: system::SystemArgs,
    #[command(flatten)]
    process: Box<process::ProcessArgs>,
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

/// Rows of one activity for an interval: (item name, values in column order).
pub(crate) type RowsFn = dyn Fn(&Interval) -> Vec<(String, Vec<f64>)>;

/// One table of the report: its columns and how to get its rows from an interval.
pub(crate) struct Activity {
    /// A stable lower-case name (sar's option word: `cpu`, `disk`, `net-dev`, `process-cpu`):
    /// the activity column of CSV, the JSON key, the OpenMetrics metric prefix.
    pub(crate) name: String,
    pub(crate) item: Option<&'static str>,
    pub(crate) columns: &'static [&'static str],
    /// Columns printed as whole numbers (sizes in kB, counts).
    pub(crate) integer: fn(usize) -> bool,
    pub(crate) rows: Box<RowsFn>,
}

impl Activity {
    /// The same activity under `name`.
    pub(crate) fn named(mut self, name: impl Into<String>) -> Activity {
        self.name = name.into();
        self
    }
}

impl SelectArgs {
    /// `rstat report -u 1 5`: clap gives "1" to -u, whose value is optional (so are -q's
    /// and -F's). A number there is the live interval: it is taken out and returned.
    pub(crate) fn take_numeric_values(&mut self) -> Vec<u64> {
        let mut numbers = Vec::new();
        for value in [
            &mut self.cpu,
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
}

/// The activities `args` asks for, in sar -A's order, with the item filters applied.
pub(crate) fn select(args: &SelectArgs) -> Result<Vec<Activity>, String> {
    let mut chosen = Vec::new();
    let cpu_all = match args.cpu.as_deref() {
        None | Some("") => false,
        Some(word) if word.eq_ignore_ascii_case("ALL") => true,
        Some(other) => return Err(format!("-u {other}: expected nothing or ALL")),
    };
    let cpu_filter = parse_cpu_list(args.per_cpu.as_deref())?;
    let none_chosen = args.cpu.is_none()
        && args.per_cpu.is_none()
        && !(args.memory
            || args.swap_space
            || args.huge
            || args.paging
            || args.io
            || args.swapping
            || args.tasks
            || args.disks)
        && args.system.is_empty()
        && args.process.is_empty();
    if args.all || args.cpu.is_some() || args.per_cpu.is_some() || none_chosen {
        chosen.push(cpu_activity(cpu_all || args.all, cpu_filter).named("cpu"));
    }
    if args.all || args.tasks {
        chosen.push(Activity {
            name: "tasks".to_string(),
            item: None,
            columns: &["proc/s", "cswch/s"],
            integer: |_| false,
            rows: Box::new(|i| {
                i.tasks()
                    .map(|t| vec![(String::new(), vec![t.proc_per_s, t.cswch_per_s])])
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.swapping {
        chosen.push(Activity {
            name: "swapping".to_string(),
            item: None,
            columns: &["pswpin/s", "pswpout/s"],
            integer: |_| false,
            rows: Box::new(|i| {
                i.swapping()
                    .map(|s| vec![(String::new(), vec![s.pswpin_per_s, s.pswpout_per_s])])
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.paging {
        chosen.push(Activity {
            name: "paging".to_string(),
            item: None,
            columns: &[
                "pgpgin/s",
                "pgpgout/s",
                "fault/s",
                "majflt/s",
                "pgfree/s",
                "pgscank/s",
                "pgscand/s",
                "pgsteal/s",
                "%vmeff",
            ],
            integer: |_| false,
            rows: Box::new(|i| {
                i.paging()
                    .map(|p| {
                        vec![(
                            String::new(),
                            vec![
                                p.pgpgin_per_s,
                                p.pgpgout_per_s,
                                p.fault_per_s,
                                p.majflt_per_s,
                                p.pgfree_per_s,
                                p.pgscank_per_s,
                                p.pgscand_per_s,
                                p.pgsteal_per_s,
                                p.vmeff_pct,
                            ],
                        )]
                    })
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.io {
        chosen.push(Activity {
            name: "io".to_string(),
            item: None,
            columns: &[
                "tps", "rtps", "wtps", "dtps", "bread/s", "bwrtn/s", "bdscd/s",
            ],
            integer: |_| false,
            rows: Box::new(|i| {
                i.io()
                    .map(|io| {
                        vec![(
                            String::new(),
                            vec![
                                io.tps,
                                io.rtps,
                                io.wtps,
                                io.dtps,
                                io.bread_per_s,
                                io.bwrtn_per_s,
                                io.bdscd_per_s,
                            ],
                        )]
                    })
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.memory {
        chosen.push(Activity {
            name: "memory".to_string(),
            item: None,
            columns: &[
                "kbmemfree",
                "kbavail",
                "kbmemused",
                "%memused",
                "kbbuffers",
                "kbcached",
                "kbcommit",
                "%commit",
                "kbactive",
                "kbinact",
                "kbdirty",
            ],
            integer: |col| col != 3 && col != 7,
            rows: Box::new(|i| {
                derive::memory(i.cur)
                    .map(|m| {
                        let v = |x: u64| x as f64;
                        vec![(
                            String::new(),
                            vec![
                                v(m.kbmemfree),
                                v(m.kbavail),
                                v(m.kbmemused),
                                m.memused_pct,
                                v(m.kbbuffers),
                                v(m.kbcached),
                                v(m.kbcommit),
                                m.commit_pct,
                                v(m.kbactive),
                                v(m.kbinact),
                                v(m.kbdirty),
                            ],
                        )]
                    })
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.swap_space {
        chosen.push(Activity {
            name: "swap".to_string(),
            item: None,
            columns: &["kbswpfree", "kbswpused", "%swpused", "kbswpcad", "%swpcad"],
            integer: |col| col != 2 && col != 4,
            rows: Box::new(|i| {
                derive::swap_space(i.cur)
                    .map(|s| {
                        vec![(
                            String::new(),
                            vec![
                                s.kbswpfree as f64,
                                s.kbswpused as f64,
                                s.swpused_pct,
                                s.kbswpcad as f64,
                                s.swpcad_pct,
                            ],
                        )]
                    })
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.huge {
        chosen.push(Activity {
            name: "hugepages".to_string(),
            item: None,
            columns: &[
                "kbhugfree",
                "kbhugused",
                "%hugused",
                "kbhugrsvd",
                "kbhugsurp",
            ],
            integer: |col| col != 2,
            rows: Box::new(|i| {
                derive::huge_pages(i.cur)
                    .map(|h| {
                        vec![(
                            String::new(),
                            vec![
                                h.kbhugfree as f64,
                                h.kbhugused as f64,
                                h.hugused_pct,
                                h.kbhugrsvd as f64,
                                h.kbhugsurp as f64,
                            ],
                        )]
                    })
                    .unwrap_or_default()
            }),
        });
    }
    if args.all || args.disks {
        chosen.push(Activity {
            name: "disk".to_string(),
            item: Some("DEV"),
            columns: &[
                "tps", "rkB/s", "wkB/s", "dkB/s", "areq-sz", "aqu-sz", "await", "%util",
            ],
            integer: |_| false,
            rows: Box::new(|i| {
                i.disks()
                    .into_iter()
                    .filter(|d| d.used_since_boot)
                    .map(|d| {
                        (
                            d.device,
                            vec![
                                d.tps,
                                d.rkb_per_s,
                                d.wkb_per_s,
                                d.dkb_per_s,
                                d.areq_sz,
                                d.aqu_sz,
                                d.await_ms,
                                d.util_pct,
                            ],
                        )
                    })
                    .collect()
            }),
        });
    }
    system::select(&args.system, args.all, &mut chosen)?;
    process::select(&args.process, &mut chosen)?;
    // sar -A's order, whatever order the options were given in.
    chosen.sort_by_key(|a| sar_order(&a.name));
    Ok(chosen.into_iter().map(|a| filter_items(a, args)).collect())
}

/// Where an activity comes in sar -A's output (activities of one rank keep their order).
fn sar_order(name: &str) -> u8 {
    match name {
        "cpu" => 0,
        "tasks" => 1,
        "intr-sum" => 2,
        "intr" | "intr-cpu" | "softirq" | "softirq-cpu" => 3,
        "swapping" => 4,
        "paging" => 5,
        "io" => 6,
        "memory" => 7,
        "swap" => 8,
        "hugepages" => 9,
        "ktables" => 10,
        "queue" => 11,
        "serial" => 12,
        "disk" => 13,
        _ if name.starts_with("net-") => 14,
        _ if name.starts_with("power-") => 15,
        "filesystem" => 16,
        _ if name.starts_with("psi-") => 17,
        _ => 18,
    }
}

/// Keeps only the items --dev, --iface, --fs and --int name, in the activities they apply to.
fn filter_items(activity: Activity, args: &SelectArgs) -> Activity {
    let names = match activity.name.as_str() {
        "disk" => &args.dev,
        "net-dev" | "net-edev" => &args.iface,
        "filesystem" => &args.fs,
        "intr" | "intr-cpu" | "softirq" | "softirq-cpu" => &args.int,
        _ => return activity,
    };
    if names.is_empty() {
        return activity;
    }
    let names = names.clone();
    let rows = activity.rows;
    Activity {
        rows: Box::new(move |interval| {
            let mut rows = rows(interval);
            // Per-CPU interrupt rows are named "IRQ cpuN": the IRQ is the first word.
            rows.retain(|(item, _)| {
                let name = item.split(' ').next().unwrap_or(item);
                names
                    .iter()
                    .any(|n| n == item || n.eq_ignore_ascii_case(name))
            });
            rows
        }),
        ..activity
    }
}

/// `-P ALL` → every CPU; `-P 0,2` → those; none → only "all".
fn parse_cpu_list(list: Option<&str>) -> Result<Option<Vec<u32>>, String> {
    match list {
        None => Ok(Some(Vec::new())),
        Some(word) if word.eq_ignore_ascii_case("ALL") => Ok(None),
        Some(list) => list
            .split(',')
            .map(|n| {
                n.trim()
                    .parse::<u32>()
                    .map_err(|_| format!("-P {list}: expected ALL or CPU numbers like 0,2"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
    }
}

/// sar -u (and -P): `filter` is `None` for every CPU, or the CPUs to show after "all".
fn cpu_activity(all_fields: bool, filter: Option<Vec<u32>>) -> Activity {
    let rows = move |i: &Interval| -> Vec<(String, Vec<f64>)> {
        i.cpus()
            .into_iter()
            .filter(|c| match (c.cpu, &filter) {
                (None, _) => true,
                (Some(_), None) => true,
                (Some(n), Some(list)) => list.contains(&n),
            })
            .map(|c| {
                let name = c.cpu.map_or_else(|| "all".to_string(), |n| n.to_string());
                let values = if all_fields {
                    vec![
                        c.usr, c.nice, c.sys, c.iowait, c.steal, c.irq, c.soft, c.guest, c.gnice,
                        c.idle,
                    ]
                } else {
                    vec![
                        c.usr,
                        c.nice,
                        c.system_with_irq(),
                        c.iowait,
                        c.steal,
                        c.idle,
                    ]
                };
                (name, values)
            })
            .collect()
    };
    Activity {
        name: String::new(),
        item: Some("CPU"),
        columns: if all_fields {
            &[
                "%usr", "%nice", "%sys", "%iowait", "%steal", "%irq", "%soft", "%guest", "%gnice",
                "%idle",
            ]
        } else {
            &["%user", "%nice", "%system", "%iowait", "%steal", "%idle"]
        },
        integer: |_| false,
        rows: Box::new(rows),
    }
}
