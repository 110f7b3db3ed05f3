//! Report tables for the system activities beyond CPU, memory, paging and disks: interrupts
//! (-I, sar's table in [`interrupts`]), queue and pressure (-q), kernel tables (-v), serial
//! lines (-y), here; network (-n) in [`net`], power (-m) and filesystems (-F) in [`power`]. One plain table per activity with
//! sar's column names; every figure comes from data-format's derivation.

pub mod interrupts;
pub mod net;
pub mod power;

use std::cell::RefCell;
use std::fmt::Write as _;

use rstat_data_format::derive::{self, Interval};
use rstat_data_format::derive_system::{self, IrqRates, PsiLine};
use rstat_data_format::TableKind;

use super::column::{Column, Kind, Unit};
use super::id::{ActivityId, Family};
use super::{one_row, Activity};
use interrupts::{IrqColumns, Lines};

/// sar's options for the system activities, as given.
#[derive(Clone, Debug, Default)]
pub struct SystemSelection {
    /// -I: SUM, ALL, CPU, SCPU or IRQ names.
    pub interrupts: Vec<String>,
    /// -q: comma-separated LOAD, CPU, IO, MEM, ALL.
    pub queue: Option<String>,
    /// -v: kernel tables.
    pub ktables: bool,
    /// -y: serial lines.
    pub serial: bool,
    /// -m: CPU, FREQ, FAN, TEMP, IN, USB, BAT or ALL.
    pub power: Vec<String>,
    /// -F: `Some("")`, or `Some("MOUNT")` to name filesystems by mount point.
    pub filesystems: Option<String>,
    /// -n: DEV, EDEV, NFS, ... or ALL.
    pub network: Vec<String>,
}

impl SystemSelection {
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
    args: &SystemSelection,
    all: bool,
    irq_columns: &IrqColumns,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    select_interrupts(args, all, irq_columns, chosen)?;
    select_queue(args, all, chosen)?;
    if all || args.ktables {
        chosen.push(
            one_row(KTABLES, |i| {
                derive_system::kernel_tables(i.cur).map(|k| {
                    let v = [k.dentunusd, k.file_nr, k.inode_nr, k.pty_nr];
                    v.iter().map(|&x| x as f64).collect()
                })
            })
            .named(ActivityId::KTABLES),
        );
    }
    if all || args.serial {
        chosen.push(
            Activity::new(Some("TTY"), SERIAL, |i| {
                i.serial()
                    .into_iter()
                    .map(|s| {
                        (
                            s.line,
                            vec![s.rcvin, s.xmtin, s.framerr, s.prtyerr, s.brk, s.ovrun],
                        )
                    })
                    .collect()
            })
            .named(ActivityId::SERIAL),
        );
    }
    power::select(args, all, chosen)?;
    net::select(args, all, chosen)?;
    Ok(())
}

fn select_interrupts(
    args: &SystemSelection,
    all: bool,
    irq_columns: &IrqColumns,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    let mut words: Vec<String> = args
        .interrupts
        .iter()
        .map(|w| w.trim().to_ascii_uppercase())
        .collect();
    if all {
        words.extend(["SUM", "ALL"].map(String::from));
    }
    let (mut sum, mut every, mut names) = (false, false, Vec::new());
    for word in words {
        match word.as_str() {
            "SUM" => sum = true,
            "ALL" => every = true,
            "CPU" => chosen.push(irq_activity(
                "INTR",
                |i: &Interval<'_>, lines: &mut Vec<IrqRates>| i.interrupts_into(lines),
                true,
                None,
            )),
            "SCPU" => chosen.push(irq_activity(
                "SOFTIRQ",
                |i: &Interval<'_>, lines: &mut Vec<IrqRates>| i.softirqs_into(lines),
                true,
                None,
            )),
            // Anything else names an IRQ (as the kernel prints it: 0, 24, LOC, NMI).
            name => names.push(name.to_string()),
        }
    }
    // sar 12.7's table: -I ALL is the sum row and every line; -I SUM the sum row alone.
    let lines = match (every, names.is_empty()) {
        (true, _) => Lines::Every,
        (false, false) => Lines::Named(names),
        (false, true) => Lines::Nothing,
    };
    if sum || every || !matches!(lines, Lines::Nothing) {
        chosen.push(interrupts::table(sum || every, lines, irq_columns));
    }
    if every {
        // Beyond sar: the softirqs' totals (mpstat -I SCPU's lines, all CPUs together).
        chosen.push(irq_activity(
            "SOFTIRQ",
            |i: &Interval<'_>, lines: &mut Vec<IrqRates>| i.softirqs_into(lines),
            false,
            None,
        ));
    }
    Ok(())
}

/// Interrupts or softirqs: one row per IRQ (all CPUs), or per IRQ and CPU (`IRQ cpuN`).
fn irq_activity(
    item: &'static str,
    matrix: fn(&Interval<'_>, &mut Vec<IrqRates>),
    per_cpu: bool,
    only: Option<Vec<String>>,
) -> Activity {
    let name = match (item, per_cpu) {
        ("INTR", false) => ActivityId::INTR,
        ("INTR", true) => ActivityId::INTR_CPU,
        (_, false) => ActivityId::SOFTIRQ,
        (_, true) => ActivityId::SOFTIRQ_CPU,
    };
    // Kept from one interval to the next (see `Interval::interrupts_into`).
    let irqs = RefCell::new(Vec::new());
    Activity::filling(Some(item), INTERRUPTS, move |i, rows| {
        let mut irqs = irqs.borrow_mut();
        matrix(i, &mut irqs);
        for irq in irqs.iter() {
            if only
                .as_ref()
                .is_some_and(|names| !names.iter().any(|n| n.eq_ignore_ascii_case(&irq.name)))
            {
                continue;
            }
            if per_cpu && !irq.per_cpu.is_empty() {
                for (cpu, rate) in &irq.per_cpu {
                    let name = |item: &mut String| {
                        let _ = write!(item, "{} cpu{cpu}", irq.name);
                    };
                    rows.push_named(name).push(*rate);
                }
            } else {
                rows.push(&irq.name).push(irq.all);
            }
        }
    })
    .named(name)
}

fn select_queue(
    args: &SystemSelection,
    all: bool,
    chosen: &mut Vec<Activity>,
) -> Result<(), String> {
    let words: Vec<String> = args
        .queue
        .as_deref()
        .map(|list| list.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for word in keywords(&words, all, &["LOAD", "CPU", "IO", "MEM"]) {
        match word.as_str() {
            "LOAD" => chosen.push(
                Activity::new(None, QUEUE, |i| {
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
                })
                .named(ActivityId::QUEUE),
            ),
            "CPU" => chosen.push(pressure(TableKind::PSI_CPU, PSI_CPU)),
            "IO" => chosen.push(pressure(TableKind::PSI_IO, PSI_IO)),
            "MEM" => chosen.push(pressure(TableKind::PSI_MEMORY, PSI_MEMORY)),
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
fn pressure(kind: TableKind, columns: &'static [Column]) -> Activity {
    let name = match kind {
        TableKind::PSI_CPU => Family::Psi.member("cpu"),
        TableKind::PSI_IO => Family::Psi.member("io"),
        _ => Family::Psi.member("mem"),
    };
    Activity::filling(None, columns, move |i, rows| {
        let Some(p) = i.pressure(kind) else {
            return;
        };
        let line = |l: &PsiLine| [l.avg10, l.avg60, l.avg300, l.interval_pct];
        let values = rows.push("");
        values.extend_from_slice(&line(&p.some));
        if columns.len() == 8 {
            values.extend(p.full.as_ref().map_or([0.0; 4], line));
        }
    })
    .named(name)
}

use Kind::{AverageOfRatio, Level};
use Unit::{Count, Percent};

/// sar -I: the rate of each interrupt (or of all, or of softirqs).
pub const INTERRUPTS: &[Column] = &[Column::rate(
    "intr/s",
    "Interrupts serviced (all CPUs, or the CPU of the row).",
    "IrqRates.all+IrqRates.per_cpu",
)];

/// sar -v.
pub const KTABLES: &[Column] = &[
    Column::whole(
        "dentunusd",
        Count,
        "Unused entries in the directory cache.",
        "KernelTables.dentunusd",
    ),
    Column::whole(
        "file-nr",
        Count,
        "File handles in use.",
        "KernelTables.file_nr",
    ),
    Column::whole(
        "inode-nr",
        Count,
        "Inode handles in use.",
        "KernelTables.inode_nr",
    ),
    Column::whole(
        "pty-nr",
        Count,
        "Pseudo-terminals in use.",
        "KernelTables.pty_nr",
    ),
];

/// sar -y.
pub const SERIAL: &[Column] = &[
    Column::rate(
        "rcvin/s",
        "Receive interrupts of the serial line.",
        "SerialRates.rcvin",
    ),
    Column::rate(
        "xmtin/s",
        "Transmit interrupts of the serial line.",
        "SerialRates.xmtin",
    ),
    Column::rate(
        "framerr/s",
        "Frame errors on the serial line.",
        "SerialRates.framerr",
    ),
    Column::rate(
        "prtyerr/s",
        "Parity errors on the serial line.",
        "SerialRates.prtyerr",
    ),
    Column::rate("brk/s", "Breaks on the serial line.", "SerialRates.brk"),
    Column::rate(
        "ovrun/s",
        "Overrun errors on the serial line.",
        "SerialRates.ovrun",
    ),
];

/// sar -q (LOAD).
pub const QUEUE: &[Column] = &[
    Column::whole(
        "runq-sz",
        Count,
        "Tasks running or waiting for a CPU.",
        "Queue.runq_sz",
    ),
    Column::whole(
        "plist-sz",
        Count,
        "Tasks (processes and threads) in existence.",
        "Queue.plist_sz",
    ),
    Column::new(
        "ldavg-1",
        Count,
        Level,
        "Load average over the last minute.",
        "Queue.ldavg_1",
    ),
    Column::new(
        "ldavg-5",
        Count,
        Level,
        "Load average over the last 5 minutes.",
        "Queue.ldavg_5",
    ),
    Column::new(
        "ldavg-15",
        Count,
        Level,
        "Load average over the last 15 minutes.",
        "Queue.ldavg_15",
    ),
    Column::whole(
        "blocked",
        Count,
        "Tasks waiting for I/O to complete.",
        "Queue.blocked",
    ),
];

macro_rules! psi_columns {
    ($name:ident, $what:literal, $s10:literal, $s60:literal, $s300:literal, $s:literal $(, $f10:literal, $f60:literal, $f300:literal, $f:literal)?) => {
        #[doc = concat!("sar -q ", $what, ": the kernel's averages of `some` (and `full`), then the interval's share.")]
        pub const $name: &[Column] = &[
            Column::new($s10, Percent, Level, concat!("Share of the last 10 s some tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg10"),
            Column::new($s60, Percent, Level, concat!("Share of the last 60 s some tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg60"),
            Column::new($s300, Percent, Level, concat!("Share of the last 300 s some tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg300"),
            Column::new($s, Percent, AverageOfRatio, concat!("Share of the interval some tasks stalled on ", $what, "."), "PsiLine.interval_pct"),
            $(
            Column::new($f10, Percent, Level, concat!("Share of the last 10 s all tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg10"),
            Column::new($f60, Percent, Level, concat!("Share of the last 60 s all tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg60"),
            Column::new($f300, Percent, Level, concat!("Share of the last 300 s all tasks stalled on ", $what, " (kernel average)."), "PsiLine.avg300"),
            Column::new($f, Percent, AverageOfRatio, concat!("Share of the interval all tasks stalled on ", $what, "."), "PsiLine.interval_pct"),
            )?
        ];
    };
}

psi_columns!(PSI_CPU, "CPU", "%scpu-10", "%scpu-60", "%scpu-300", "%scpu");
psi_columns!(
    PSI_IO, "I/O", "%sio-10", "%sio-60", "%sio-300", "%sio", "%fio-10", "%fio-60", "%fio-300",
    "%fio"
);
psi_columns!(
    PSI_MEMORY,
    "memory",
    "%smem-10",
    "%smem-60",
    "%smem-300",
    "%smem",
    "%fmem-10",
    "%fmem-60",
    "%fmem-300",
    "%fmem"
);
