//! What a view shows: a [`Selection`] (sar's option letters -u, -P, -r, -d, -n, ... and
//! the item filters --dev, --iface, --fs, --int, as plain values: the command line fills it
//! in), turned into [`Activity`] tables in sar -A's order (the activities themselves are defined
//! in [`base`], [`system`] and [`process`]). Shared by report, export and plot, so that one
//! option means one thing everywhere.

use std::rc::Rc;

use super::id::{ActivityId, Family};
use super::system::interrupts::IrqColumns;
use super::{base, gpu, process, system, Activity, FillFn, RowBuf, Selection};

/// The activities `args` asks for, in sar -A's order, with the item filters applied; an
/// option value that is not one of the option's words is an error naming it.
pub fn select(args: &Selection) -> Result<Vec<Activity>, String> {
    let cpus = CpuRows::of(args)?;
    let mut chosen = Vec::new();
    base::select(args, &mut chosen)?;
    system::select(
        &args.system,
        args.all,
        &cpus.irq_columns(args.cpu_count),
        &mut chosen,
    )?;
    // Not part of -A, whose output stays sar's (and the golden files').
    gpu::select(args.gpu, &mut chosen);
    process::select(&args.process, &mut chosen)?;
    // sar -A's order, whatever order the options were given in.
    chosen.sort_by_key(|a| sar_order(&a.name));
    Ok(chosen
        .into_iter()
        .map(|a| filter_cpus(a, &cpus))
        .map(|a| filter_items(a, args))
        .collect())
}

/// Which rows the per-CPU activities (-u, -n SOFT, -m CPU and FREQ) show, as sar's -P does.
#[derive(Clone, Debug, PartialEq)]
enum CpuRows {
    /// No -P (and no -A): only "all".
    Total,
    /// -P ALL (also -P ALL,N, and -A): "all" and every CPU.
    Every,
    /// -P 0,3: only those CPUs, without "all".
    Only(Vec<u32>),
}

impl CpuRows {
    fn of(args: &Selection) -> Result<CpuRows, String> {
        let Some(list) = args.per_cpu.as_deref() else {
            return Ok(if args.all {
                CpuRows::Every
            } else {
                CpuRows::Total
            });
        };
        let mut cpus = Vec::new();
        for word in list.split(',').map(str::trim) {
            if word.eq_ignore_ascii_case("ALL") {
                return Ok(CpuRows::Every);
            }
            cpus.push(word.parse::<u32>().map_err(|_| {
                format!("-P {list}: expected ALL or CPU numbers like 0,2 (or ALL,3)")
            })?);
        }
        Ok(CpuRows::Only(cpus))
    }

    /// sar -I's columns: `all` alone without -P; with -P ALL also one per CPU of the data
    /// (`cpu_count`); with -P 0,3 only those CPUs.
    fn irq_columns(&self, cpu_count: u32) -> IrqColumns {
        match self {
            CpuRows::Total => IrqColumns {
                all: true,
                cpus: Vec::new(),
            },
            CpuRows::Every => IrqColumns {
                all: true,
                cpus: (0..cpu_count).collect(),
            },
            CpuRows::Only(cpus) => IrqColumns {
                all: false,
                cpus: cpus.clone(),
            },
        }
    }

    fn shows(&self, item: &str) -> bool {
        match self {
            CpuRows::Every => true,
            CpuRows::Total => item == "all",
            CpuRows::Only(cpus) => item.parse::<u32>().is_ok_and(|n| cpus.contains(&n)),
        }
    }
}

/// The CPU numbers `-P LIST` names (`-P 0,3`: 0 and 3); none for `-P ALL` or `ALL,N`, which
/// show every CPU the data has.
pub fn named_cpus(list: &str) -> Result<Vec<u32>, String> {
    let selection = Selection {
        per_cpu: Some(list.to_string()),
        ..Selection::default()
    };
    Ok(match CpuRows::of(&selection)? {
        CpuRows::Only(cpus) => cpus,
        CpuRows::Total | CpuRows::Every => Vec::new(),
    })
}

/// Keeps only the CPUs -P asks for, in the activities whose rows are CPUs (and, with -P
/// N,..., in -I CPU and SCPU, whose rows are `NAME cpuN`).
fn filter_cpus(activity: Activity, cpus: &CpuRows) -> Activity {
    if matches!(activity.name.as_str(), "intr-cpu" | "softirq-cpu") {
        let CpuRows::Only(list) = cpus else {
            return activity;
        };
        let list = list.clone();
        return retain_rows(activity, move |item| {
            item.rsplit(' ')
                .next()
                .and_then(|word| word.strip_prefix("cpu"))
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| list.contains(&n))
        });
    }
    let per_cpu = matches!(
        ActivityId::of(&activity.name),
        Some(
            ActivityId::CPU | ActivityId::NET_SOFT | ActivityId::POWER_CPU | ActivityId::POWER_FREQ
        )
    );
    if !per_cpu || *cpus == CpuRows::Every {
        return activity;
    }
    let cpus = cpus.clone();
    retain_rows(activity, move |item| cpus.shows(item))
}

/// The same activity, keeping only the rows whose item `keep` accepts.
fn retain_rows(activity: Activity, keep: impl Fn(&str) -> bool + 'static) -> Activity {
    let keep = Rc::new(keep);
    let rows = activity.rows;
    let keep_rows = Rc::clone(&keep);
    let fill = activity.fill.map(|fill| -> Rc<FillFn> {
        Rc::new(move |interval, buf: &mut RowBuf| {
            fill(interval, buf);
            buf.retain(|item| keep(item));
        })
    });
    Activity {
        rows: Box::new(move |interval| {
            let mut rows = rows(interval);
            rows.retain(|(item, _)| keep_rows(item));
            rows
        }),
        fill,
        ..activity
    }
}

/// Where an activity comes in sar -A's output (activities of one rank keep their order).
fn sar_order(name: &str) -> u8 {
    match (ActivityId::of(name), Family::of(name)) {
        (Some(ActivityId::CPU), _) => 0,
        (Some(ActivityId::TASKS), _) => 1,
        (Some(ActivityId::INTR), _) => 2,
        (Some(ActivityId::INTR_CPU | ActivityId::SOFTIRQ | ActivityId::SOFTIRQ_CPU), _) => 3,
        (Some(ActivityId::SWAPPING), _) => 4,
        (Some(ActivityId::PAGING), _) => 5,
        (Some(ActivityId::IO), _) => 6,
        (Some(ActivityId::MEMORY), _) => 7,
        (Some(ActivityId::SWAP), _) => 8,
        (Some(ActivityId::HUGEPAGES), _) => 9,
        (Some(ActivityId::KTABLES), _) => 10,
        (Some(ActivityId::QUEUE), _) => 11,
        (Some(ActivityId::SERIAL), _) => 12,
        (Some(ActivityId::DISK), _) => 13,
        (_, Some(Family::Net)) => 14,
        (_, Some(Family::Power)) => 15,
        (Some(ActivityId::FILESYSTEM), _) => 16,
        (_, Some(Family::Psi)) => 17,
        (Some(ActivityId::GPU), _) => 18,
        _ => 19,
    }
}

/// Keeps only the items --dev, --iface, --fs and --int name, in the activities they apply to.
fn filter_items(activity: Activity, args: &Selection) -> Activity {
    let names = match ActivityId::of(&activity.name) {
        Some(ActivityId::DISK) => &args.dev,
        Some(ActivityId::NET_DEV | ActivityId::NET_EDEV) => &args.iface,
        Some(ActivityId::FILESYSTEM) => &args.fs,
        Some(
            ActivityId::INTR | ActivityId::INTR_CPU | ActivityId::SOFTIRQ | ActivityId::SOFTIRQ_CPU,
        ) => &args.int,
        _ => return activity,
    };
    if names.is_empty() {
        return activity;
    }
    let names = names.clone();
    retain_rows(activity, move |item| {
        // Per-CPU interrupt rows are named "IRQ cpuN": the IRQ is the first word.
        let name = item.split(' ').next().unwrap_or(item);
        names
            .iter()
            .any(|n| n == item || n.eq_ignore_ascii_case(name))
    })
}
