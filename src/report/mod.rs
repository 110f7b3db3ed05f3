//! `rstat report`: sar-style text reports from daily files. This is the first cut (CPU,
//! memory, swap, huge pages, paging, swapping, tasks, queue, interrupts, disks, network);
//! every figure comes from data-format's derivation, as in every reader.

mod process;
mod system;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::derive::{self, Interval};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::{FileHeader, TimeUs};

/// Print sar-style reports from data files.
///
/// Activities use sar's letters; without any, -u is shown. Rows are labelled with the time
/// at the end of each interval, in local time; Average: rows close each table.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  rstat report                 CPU for today\n  rstat report -A -f FILE      every activity in FILE\n  rstat report -d -n DEV --date yesterday"
)]
pub struct ReportArgs {
    /// Data file to read (repeat for several days, in order).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Day to read from the data directory: YYYY-MM-DD, today, yesterday or -N.
    #[arg(long, value_name = "DATE", conflicts_with = "files")]
    date: Option<String>,
    /// Data directory (default: /var/log/rstat for root, else ~/.local/state/rstat).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
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
}

/// Rows of one activity for an interval: (item name, values in column order).
pub(crate) type RowsFn = dyn Fn(&Interval) -> Vec<(String, Vec<f64>)>;

/// One table of the report: its columns and how to get its rows from an interval.
pub(crate) struct Activity {
    pub(crate) item: Option<&'static str>,
    pub(crate) columns: &'static [&'static str],
    /// Columns printed as whole numbers (sizes in kB, counts).
    pub(crate) integer: fn(usize) -> bool,
    pub(crate) rows: Box<RowsFn>,
}

pub fn run(args: ReportArgs) -> Result<ExitCode, String> {
    let files = crate::resolve_files(&args.files, args.dir.clone(), args.date.as_deref())?;
    let activities = select(&args)?;
    let mut series = Series::open(&files).map_err(|e| e.to_string())?;
    let header = series.header().cloned().unwrap_or_default();
    println!("{}\n", banner(&header, first_time(&files)));
    let mut damaged = false;
    for (index, activity) in activities.iter().enumerate() {
        if index > 0 {
            series = Series::open(&files).map_err(|e| e.to_string())?;
            println!();
        }
        damaged |= print_activity(&mut series, activity, index == 0)?;
    }
    Ok(if damaged {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn first_time(files: &[PathBuf]) -> Option<TimeUs> {
    let mut reader = rstat_data_format::FileReader::open(files.first()?).ok()?;
    while let Ok(Some(frame)) = reader.next_frame() {
        if let Ok(frame) = frame {
            return Some(frame.header.time_us);
        }
    }
    None
}

/// sar's first line: kernel, host, date, architecture and CPU count, tab-separated.
fn banner(header: &FileHeader, first: Option<TimeUs>) -> String {
    let date = first
        .map(|t| format_local(t, "%m/%d/%Y"))
        .unwrap_or_default();
    format!(
        "Linux {} ({}) \t{} \t_{}_\t({} CPU)",
        header.kernel_release, header.host, date, header.arch, header.cpu_count
    )
}

/// Prints one activity's table for the whole series; returns whether damage was met.
fn print_activity(
    series: &mut Series,
    activity: &Activity,
    report_damage: bool,
) -> Result<bool, String> {
    let mut out = String::new();
    let mut averages: Vec<(String, f64, Vec<f64>)> = Vec::new();
    let mut header_printed = false;
    let mut damaged = false;
    while let Some(event) = series.next_event().map_err(|e| e.to_string())? {
        match event {
            Event::Interval(pair) => {
                let Some(interval) = pair.interval() else {
                    continue;
                };
                let time = format_local(pair.cur.time_us, "%H:%M:%S");
                let rows = (activity.rows)(&interval);
                if rows.is_empty() {
                    continue;
                }
                if !header_printed {
                    let start = format_local(pair.prev.time_us, "%H:%M:%S");
                    out.push_str(&header_line(&start, activity));
                    header_printed = true;
                }
                for (item, values) in rows {
                    out.push_str(&row_line(&time, activity, &item, &values));
                    match averages.iter_mut().find(|(name, ..)| *name == item) {
                        Some((_, weight, sums)) => {
                            *weight += interval.seconds;
                            for (sum, v) in sums.iter_mut().zip(&values) {
                                *sum += v * interval.seconds;
                            }
                        }
                        None => averages.push((
                            item,
                            interval.seconds,
                            values.iter().map(|v| v * interval.seconds).collect(),
                        )),
                    }
                }
            }
            Event::Restart { time_us, info } => {
                let _ = writeln!(
                    out,
                    "{:<11} {:>9}\t({} CPU)",
                    format_local(time_us, "%H:%M:%S"),
                    "LINUX RESTART",
                    info.cpu_count
                );
            }
            Event::Comment { time_us, text } => {
                let _ = writeln!(
                    out,
                    "{:<11} {:>9}\t{text}",
                    format_local(time_us, "%H:%M:%S"),
                    "COM"
                );
            }
            Event::Damaged { path, damage } => {
                damaged = true;
                if report_damage {
                    eprintln!(
                        "rstat report: {}: damaged {damage}; records before and after it are shown",
                        path.display()
                    );
                }
            }
            Event::First(_) => {}
        }
        if out.len() > 64 * 1024 {
            print!("{out}");
            out.clear();
        }
    }
    for (item, weight, sums) in &averages {
        let values: Vec<f64> = sums.iter().map(|s| s / weight).collect();
        out.push_str(&row_line("Average:", activity, item, &values));
    }
    if !header_printed {
        out.push_str("no data in the selected files for this activity\n");
    }
    print!("{out}");
    Ok(damaged)
}

fn header_line(time: &str, activity: &Activity) -> String {
    let mut line = format!("{time:<11}");
    if let Some(item) = activity.item {
        let _ = write!(line, " {item:>9}");
    }
    for column in activity.columns {
        let _ = write!(line, " {column:>9}");
    }
    line.push('\n');
    line
}

fn row_line(time: &str, activity: &Activity, item: &str, values: &[f64]) -> String {
    let mut line = format!("{time:<11}");
    if activity.item.is_some() {
        let _ = write!(line, " {item:>9}");
    }
    for (i, value) in values.iter().enumerate() {
        if (activity.integer)(i) {
            let _ = write!(line, " {:>9.0}", value);
        } else {
            let _ = write!(line, " {value:>9.2}");
        }
    }
    line.push('\n');
    line
}

/// Local time of a UTC timestamp, formatted.
pub fn format_local(time_us: TimeUs, format: &str) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_micros(time_us) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format(format).to_string()
        }
        chrono::LocalResult::None => String::from("?"),
    }
}

fn select(args: &ReportArgs) -> Result<Vec<Activity>, String> {
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
            || args.swapping
            || args.tasks
            || args.disks)
        && args.system.is_empty()
        && args.process.is_empty();
    if args.all || args.cpu.is_some() || args.per_cpu.is_some() || none_chosen {
        chosen.push(cpu_activity(cpu_all || args.all, cpu_filter));
    }
    if args.all || args.tasks {
        chosen.push(Activity {
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
    if args.all || args.memory {
        chosen.push(Activity {
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
    Ok(chosen)
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
