//! sar 12.7's -I table: one row per interrupt line (after the `sum` row), one column for all
//! CPUs (`all`) and one per CPU that -P asks for (`CPU0`, `CPU3`, ...), as sysstat 12.7.9
//! prints it.

use std::cell::RefCell;
use std::sync::Mutex;

use rstat_data_format::derive::Interval;
use rstat_data_format::derive_system::IrqRates;

use crate::catalogue::column::Column;
use crate::catalogue::id::ActivityId;
use crate::catalogue::Activity;

/// The columns of the -I table: `all` (unless -P names only some CPUs) and these CPUs.
#[derive(Clone, Debug, PartialEq)]
pub struct IrqColumns {
    /// The `all` column.
    pub all: bool,
    /// A column per CPU, in order.
    pub cpus: Vec<u32>,
}

/// Which lines the table shows after the `sum` row.
#[derive(Clone, Debug)]
pub(crate) enum Lines {
    /// None (-I SUM).
    Nothing,
    /// Every line (-I ALL).
    Every,
    /// The named lines (-I 0,LOC).
    Named(Vec<String>),
}

/// The -I table: the `sum` row when `sum`, then `lines`.
pub(crate) fn table(sum: bool, lines: Lines, layout: &IrqColumns) -> Activity {
    let mut columns = Vec::with_capacity(layout.cpus.len() + 1);
    if layout.all {
        columns.push(Column::rate(
            "all",
            "Interrupts serviced, all CPUs together.",
            "IrqRates.all",
        ));
    }
    for &cpu in &layout.cpus {
        columns.push(Column::rate(
            cpu_column(cpu),
            "Interrupts serviced by this CPU.",
            "IrqRates.per_cpu",
        ));
    }
    let layout = layout.clone();
    // This interval's lines, kept from one interval to the next so that deriving them does
    // not allocate once they have reached their size.
    let irqs = RefCell::new(Vec::new());
    Activity::filling(Some("INTR"), columns, move |i: &Interval, rows| {
        let values = |values: &mut Vec<f64>, irq: &IrqRates| {
            if layout.all {
                values.push(irq.all);
            }
            values.extend(layout.cpus.iter().map(|cpu| {
                irq.per_cpu
                    .iter()
                    .find(|(other, _)| other == cpu)
                    .map_or(0.0, |(_, rate)| *rate)
            }));
        };
        // Derived once for the sum row and the lines.
        let mut irqs = irqs.borrow_mut();
        if sum || !matches!(lines, Lines::Nothing) {
            i.interrupts_into(&mut irqs);
        } else {
            irqs.clear();
        }
        if sum {
            match i.interrupt_sum_of(&irqs) {
                Some(total) => values(rows.push("sum"), &total),
                // Files without /proc/interrupts: /proc/stat's total, for `all` only.
                None if layout.cpus.is_empty() && layout.all => {
                    if let Some(total) = i.interrupts_per_s() {
                        rows.push("sum").push(total);
                    }
                }
                None => {}
            }
        }
        let shown = |irq: &IrqRates| match &lines {
            Lines::Nothing => false,
            Lines::Every => true,
            Lines::Named(names) => names.iter().any(|n| n.eq_ignore_ascii_case(&irq.name)),
        };
        if !matches!(lines, Lines::Nothing) {
            for irq in irqs.iter().filter(|irq| shown(irq)) {
                values(rows.push(&irq.name), irq);
            }
        }
    })
    .named(ActivityId::INTR)
}

/// `CPU3`: made once per CPU number and kept for the process (columns name themselves with
/// `&'static str`), so memory is bounded by the highest CPU number seen.
fn cpu_column(cpu: u32) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let index = cpu as usize;
    while names.len() <= index {
        let name = format!("CPU{}", names.len());
        names.push(Box::leak(name.into_boxed_str()));
    }
    names[index]
}
