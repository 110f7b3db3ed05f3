//! Rates and gauges of the system activities (table kinds 10-39, see
//! [`crate::schema_system`]) with sysstat's formulas and field names: interrupts, pressure,
//! kernel tables, serial lines, NFS, softnet, fibre channel and %ifutil. Sockets and the
//! protocol counters (sar -n SOCK, IP, TCP, ICMP6, ...) are in [`crate::derive_system_net`];
//! power (sar -m) and filesystems (sar -F) in [`crate::derive_system_power`].
//!
//! As in [`crate::derive`], rates come from an [`Interval`] (`impl Interval` blocks here),
//! gauges from one [`Sample`] (free functions). An IRQ line or FC host that appeared, or was
//! re-registered, is computed against zero (sysstat); a CPU follows [`crate::hotplug`]'s
//! rules; other items (serial lines) must be in both samples to get a rate.

use std::collections::HashMap;

use crate::derive::{counter_delta, Interval};
use crate::derive_devices::NetRates;
use crate::hotplug::{carried_columns, cpu_number, is_carried};
use crate::schema::{Row, Sample, Table, TableKind};
use crate::schema_system::{
    fc_col, irq, ktables, netif_col, psi_col, rpc, serial_col, softnet_col,
};

/// The table of `kind` in both samples of `interval`.
pub(crate) fn both<'a>(interval: &Interval<'a>, kind: TableKind) -> Option<(&'a Table, &'a Table)> {
    Some((interval.prev.table(kind)?, interval.cur.table(kind)?))
}

/// Per-second rate of a counter between two reads.
pub(crate) fn per_second(interval: &Interval<'_>, prev: u64, cur: u64) -> f64 {
    counter_delta(prev, cur) as f64 / interval.seconds
}

/// One interrupt (or softirq) over an interval: intr/s for all CPUs and for each CPU.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IrqRates {
    /// The IRQ name as the kernel prints it (`0`, `LOC`, `NET_RX`).
    pub name: String,
    /// The chip and handler names (`IO-APIC 2-edge timer`); empty for softirqs.
    pub description: String,
    /// sar 12.7's `all`: the line's all-CPU total at the end minus its total at the start, 0
    /// when it went down (for `ERR` and `MIS`: their total's rate). Not the sum of
    /// `per_cpu` when a CPU has no reference values: its counts are in the end total.
    pub all: f64,
    /// (CPU number, intr/s) for each CPU present in both samples, in column order; empty for
    /// lines that print a single total.
    pub per_cpu: Vec<(u32, f64)>,
}

impl Interval<'_> {
    /// sar -I: every IRQ of /proc/interrupts present in both samples, in file order.
    pub fn interrupts(&self) -> Vec<IrqRates> {
        self.irq_matrix(TableKind::INTERRUPTS)
    }

    /// mpstat -I SCPU: every softirq present in both samples.
    pub fn softirqs(&self) -> Vec<IrqRates> {
        self.irq_matrix(TableKind::SOFTIRQS)
    }

    /// [`Interval::interrupts`] written into `lines`, whose strings and vectors are reused: a
    /// reader that keeps `lines` from one interval to the next does not allocate for them
    /// once they have reached their size (the matrix's allocations were most of its cost).
    pub fn interrupts_into(&self, lines: &mut Vec<IrqRates>) {
        self.irq_matrix_into(TableKind::INTERRUPTS, lines);
    }

    /// [`Interval::softirqs`] written into `lines`, reused as by [`Interval::interrupts_into`].
    pub fn softirqs_into(&self, lines: &mut Vec<IrqRates>) {
        self.irq_matrix_into(TableKind::SOFTIRQS, lines);
    }

    /// sar 12.7 -I's `sum` row: per CPU, the sum of every per-CPU IRQ line's rate; `all`, the
    /// difference of the all-line, all-CPU totals of /proc/interrupts (0 when it went down).
    /// `None` without the table in both samples.
    pub fn interrupt_sum(&self) -> Option<IrqRates> {
        self.interrupt_sum_of(&self.interrupts())
    }

    /// [`Interval::interrupt_sum`] from `lines`, this interval's [`Interval::interrupts`]
    /// already derived: sar -I ALL prints the sum row and the lines, derived once.
    pub fn interrupt_sum_of(&self, lines: &[IrqRates]) -> Option<IrqRates> {
        let (p, c) = both(self, TableKind::INTERRUPTS)?;
        if c.row(irq::CPUS_ROW).is_none() {
            // Lines of one total each (sysstat's files before 12.3): their sum row is
            // /proc/stat's total, as sar prints it, which counts interrupts no line lists.
            if let Some(all) = self.interrupts_per_s() {
                return Some(IrqRates {
                    name: irq::SUM_ROW.to_string(),
                    description: String::new(),
                    all,
                    per_cpu: Vec::new(),
                });
            }
        }
        // Lines that are new or re-registered count from zero in `all`, as in their rows.
        let mut per_cpu: Vec<(u32, f64)> = Vec::new();
        for (cpu, rate) in lines.iter().flat_map(|line| &line.per_cpu) {
            match per_cpu.iter_mut().find(|(other, _)| other == cpu) {
                Some((_, sum)) => *sum += rate,
                None => per_cpu.push((*cpu, *rate)),
            }
        }
        let total = |table: &Table| -> u64 {
            table
                .rows
                .iter()
                .filter(|row| row.key != irq::CPUS_ROW && !irq::is_total(&row.key))
                .map(all_cpu_total)
                .sum()
        };
        Some(IrqRates {
            name: irq::SUM_ROW.to_string(),
            description: String::new(),
            all: total(c).saturating_sub(total(p)) as f64 / self.seconds,
            per_cpu,
        })
    }

    fn irq_matrix(&self, kind: TableKind) -> Vec<IrqRates> {
        let mut lines = Vec::new();
        self.irq_matrix_into(kind, &mut lines);
        lines
    }

    /// The lines of the IRQ table `kind` into `lines`, each written over the one at its place
    /// (strings and vectors keep their capacity); `lines` ends with exactly this interval's.
    fn irq_matrix_into(&self, kind: TableKind, lines: &mut Vec<IrqRates>) {
        let Some((p, c)) = both(self, kind) else {
            lines.clear();
            return;
        };
        let no_cpus = Row::default();
        let prev_cpus = p.row(irq::CPUS_ROW).unwrap_or(&no_cpus);
        let cur_cpus = c.row(irq::CPUS_ROW).unwrap_or(&no_cpus);
        let carried = carried_columns(c);
        // (column now, column before) of each CPU shown: online now, with a reference before.
        let columns: Vec<(usize, usize, u32)> = cur_cpus
            .values
            .iter()
            .enumerate()
            .filter(|&(column, _)| !carried(column))
            .filter_map(|(column, &cpu)| {
                let before = prev_cpus.values.iter().position(|&other| other == cpu)?;
                Some((column, before, u32::try_from(cpu).ok()?))
            })
            .collect();
        let mut prev_rows = p.finder();
        let mut used = 0;
        for cur in c.rows.iter().filter(|row| row.key != irq::CPUS_ROW) {
            if used == lines.len() {
                lines.push(IrqRates::default());
            }
            let line = &mut lines[used];
            used += 1;
            line.name.clone_from(&cur.key);
            line.description.clear();
            line.description
                .push_str(cur.text.first().map_or("", String::as_str));
            line.per_cpu.clear();
            let now = |column: usize| cur.value(column).unwrap_or(0);
            let single = |row: &Row| row.values.len() == 1;
            let total_line = irq::is_total(&cur.key) || single(cur);
            // An IRQ line that appeared, or one of whose counters went down, was
            // (re)registered: its interval is computed against zero, for the whole row.
            let prev = prev_rows.find(&cur.key).filter(|prev| {
                let went_down = |b: u64, a: u64| a < b && counter_delta(b, a) == 0;
                if total_line || single(prev) {
                    return !went_down(prev.value(0).unwrap_or(0), now(0));
                }
                !columns.iter().any(|&(column, before, _)| {
                    went_down(prev.value(before).unwrap_or(0), now(column))
                })
            });
            let before = |column: usize| prev.and_then(|p| p.value(column)).unwrap_or(0);
            if total_line || prev.is_some_and(single) {
                line.all = per_second(self, before(0), now(0));
                continue;
            }
            line.per_cpu
                .extend(columns.iter().map(|&(column, prev_column, cpu)| {
                    (cpu, per_second(self, before(prev_column), now(column)))
                }));
            // sar 12.7's `all`: the line's all-CPU total now minus its total then, 0 when
            // it went down (a CPU column gone without being carried forward).
            let prev_total = prev.map_or(0, all_cpu_total);
            line.all = all_cpu_total(cur).saturating_sub(prev_total) as f64 / self.seconds;
        }
        lines.truncate(used);
    }
}

/// The sum of a per-CPU IRQ line's counts over every CPU column of its sample, offline CPUs'
/// carried values included (sysstat's all-CPU total).
fn all_cpu_total(row: &Row) -> u64 {
    row.values.iter().sum()
}

/// One line of a pressure file over an interval (sar -q CPU, IO, MEM).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PsiLine {
    /// The kernel's running averages at the end of the interval, percent.
    pub avg10: f64,
    /// The kernel's 60-second running average at the end of the interval, percent (/proc/pressure
    /// `avg60`).
    pub avg60: f64,
    /// The kernel's 300-second running average at the end of the interval, percent (/proc/pressure
    /// `avg300`).
    pub avg300: f64,
    /// Share of the interval stalled, from the total stall time, percent.
    pub interval_pct: f64,
}

/// Pressure of one resource: `some` and, where the kernel prints it, `full`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pressure {
    /// The `some` line: the share of time at least one task stalled on the resource.
    pub some: PsiLine,
    /// The `full` line: the share of time every non-idle task stalled at once (`None` where the
    /// kernel has none, as for CPU before 5.13).
    pub full: Option<PsiLine>,
}

impl Interval<'_> {
    /// `kind` is [`TableKind::PSI_CPU`], [`TableKind::PSI_IO`] or [`TableKind::PSI_MEMORY`].
    /// Zeros when the tables were recorded empty (PSI collected on a kernel without it: sar
    /// prints zeros there too); `None` when they were not recorded.
    pub fn pressure(&self, kind: TableKind) -> Option<Pressure> {
        let (p, c) = both(self, kind)?;
        if p.rows.is_empty() && c.rows.is_empty() {
            let zero = PsiLine {
                avg10: 0.0,
                avg60: 0.0,
                avg300: 0.0,
                interval_pct: 0.0,
            };
            return Some(Pressure {
                some: zero,
                full: Some(zero),
            });
        }
        let line = |key: &str| -> Option<PsiLine> {
            let (prev, cur) = (p.row(key)?, c.row(key)?);
            let avg = |col| cur.value(col).map(|v| v as f64 / 100.0);
            let stalled_us = counter_delta(prev.value(psi_col::TOTAL)?, cur.value(psi_col::TOTAL)?);
            Some(PsiLine {
                avg10: avg(psi_col::AVG10)?,
                avg60: avg(psi_col::AVG60)?,
                avg300: avg(psi_col::AVG300)?,
                // µs stalled per µs of interval, in percent.
                interval_pct: stalled_us as f64 / (self.seconds * 1e6) * 100.0,
            })
        };
        Some(Pressure {
            some: line("some")?,
            full: line("full"),
        })
    }
}

/// Kernel tables at one sample (sar -v).
#[derive(Clone, Debug, PartialEq)]
pub struct KernelTables {
    /// Unused dentries in the cache.
    pub dentunusd: u64,
    /// File handles in use (allocated minus free).
    pub file_nr: u64,
    /// Inodes in use (allocated minus free).
    pub inode_nr: u64,
    /// Pseudo-terminals in use.
    pub pty_nr: u64,
}

/// sar -v; a file that could not be read counts 0, as in sysstat.
pub fn kernel_tables(sample: &Sample) -> Option<KernelTables> {
    let t = sample.table(TableKind::KTABLES)?;
    let v = |key: &str, col: usize| t.row(key).and_then(|row| row.value(col)).unwrap_or(0);
    Some(KernelTables {
        dentunusd: v(ktables::DENTRY_STATE, ktables::DENTRY_UNUSED),
        file_nr: v(ktables::FILE_NR, ktables::FILE_ALLOCATED)
            .saturating_sub(v(ktables::FILE_NR, ktables::FILE_FREE)),
        inode_nr: v(ktables::INODE_STATE, ktables::INODES)
            .saturating_sub(v(ktables::INODE_STATE, ktables::INODES_FREE)),
        pty_nr: v(ktables::PTY_NR, 0),
    })
}

/// One serial line over an interval (sar -y).
#[derive(Clone, Debug, PartialEq)]
pub struct SerialRates {
    /// The serial line's number (/proc/tty/driver/serial: `0` for ttyS0).
    pub line: String,
    /// rcvin/s: receive interrupts per second (/proc/tty/driver/serial `rx`).
    pub rcvin: f64,
    /// xmtin/s: transmit interrupts per second (/proc/tty/driver/serial `tx`).
    pub xmtin: f64,
    /// framerr/s: frame errors per second (/proc/tty/driver/serial `fe`).
    pub framerr: f64,
    /// prtyerr/s: parity errors per second (/proc/tty/driver/serial `pe`).
    pub prtyerr: f64,
    /// brk/s: breaks per second (/proc/tty/driver/serial `brk`).
    pub brk: f64,
    /// ovrun/s: overrun errors per second (/proc/tty/driver/serial `oe`).
    pub ovrun: f64,
}

/// NFS client RPC rates (sar -n NFS).
#[derive(Clone, Debug, PartialEq)]
pub struct NfsClient {
    /// call/s: RPC requests made per second (/proc/net/rpc/nfs `rpc` calls).
    pub call: f64,
    /// retrans/s: RPC requests retransmitted per second (/proc/net/rpc/nfs `rpc` retrans).
    pub retrans: f64,
    /// read/s: NFS v3 and v4 `read` calls per second (/proc/net/rpc/nfs `proc3`, `proc4`).
    pub read: f64,
    /// write/s: NFS v3 and v4 `write` calls per second (/proc/net/rpc/nfs `proc3`, `proc4`).
    pub write: f64,
    /// access/s: NFS v3 and v4 `access` calls per second (/proc/net/rpc/nfs `proc3`, `proc4`).
    pub access: f64,
    /// getatt/s: NFS v3 and v4 `getattr` calls per second (/proc/net/rpc/nfs `proc3`, `proc4`).
    pub getatt: f64,
}

/// NFS server RPC rates (sar -n NFSD).
#[derive(Clone, Debug, PartialEq)]
pub struct NfsServer {
    /// scall/s: RPC requests received per second (/proc/net/rpc/nfsd `rpc` calls).
    pub scall: f64,
    /// badcall/s: bad RPC requests received per second (/proc/net/rpc/nfsd `rpc` badcalls).
    pub badcall: f64,
    /// packet/s: network packets received per second (/proc/net/rpc/nfsd `net`).
    pub packet: f64,
    /// udp/s: UDP packets received per second (/proc/net/rpc/nfsd `net`).
    pub udp: f64,
    /// tcp/s: TCP packets received per second (/proc/net/rpc/nfsd `net`).
    pub tcp: f64,
    /// hit/s: reply cache hits per second (/proc/net/rpc/nfsd `rc`).
    pub hit: f64,
    /// miss/s: reply cache misses per second (/proc/net/rpc/nfsd `rc`).
    pub miss: f64,
    /// sread/s: NFS v3 and v4 `read` calls received per second (/proc/net/rpc/nfsd `proc3`,
    /// `proc4ops`).
    pub sread: f64,
    /// swrite/s: NFS v3 and v4 `write` calls received per second (/proc/net/rpc/nfsd `proc3`,
    /// `proc4ops`).
    pub swrite: f64,
    /// saccess/s: NFS v3 and v4 `access` calls received per second (/proc/net/rpc/nfsd `proc3`,
    /// `proc4ops`).
    pub saccess: f64,
    /// sgetatt/s: NFS v3 and v4 `getattr` calls received per second (/proc/net/rpc/nfsd `proc3`,
    /// `proc4ops`).
    pub sgetatt: f64,
}

/// A value of an RPC table row, 0 when the line or column is absent (sysstat does the same).
fn rpc_value(table: &Table, key: &str, col: usize) -> u64 {
    table.row(key).and_then(|row| row.value(col)).unwrap_or(0)
}

impl Interval<'_> {
    /// sar -y: one row per serial line with counts in both samples (/proc/tty/driver/serial).
    pub fn serial(&self) -> Vec<SerialRates> {
        let Some((p, c)) = both(self, TableKind::SERIAL) else {
            return Vec::new();
        };
        let mut prev_rows = p.finder();
        c.rows
            .iter()
            .filter_map(|cur| {
                let prev = prev_rows.find(&cur.key)?;
                let r = |col| Some(per_second(self, prev.value(col)?, cur.value(col)?));
                Some(SerialRates {
                    line: cur.key.clone(),
                    rcvin: r(serial_col::RX)?,
                    xmtin: r(serial_col::TX)?,
                    framerr: r(serial_col::FRAME)?,
                    prtyerr: r(serial_col::PARITY)?,
                    brk: r(serial_col::BRK)?,
                    ovrun: r(serial_col::OVERRUN)?,
                })
            })
            .collect()
    }

    /// sar -n NFS, or `None` when it was not collected in both samples; all zeros when the
    /// tables were recorded empty (a host without NFS), as sar prints.
    pub fn nfs_client(&self) -> Option<NfsClient> {
        let (p, c) = both(self, TableKind::NFS)?;
        let rate = |cols: &[(&str, usize)]| {
            let sum = |t: &Table| cols.iter().map(|&(key, col)| rpc_value(t, key, col)).sum();
            per_second(self, sum(p), sum(c))
        };
        Some(NfsClient {
            call: rate(&[(rpc::RPC, rpc::CALLS)]),
            retrans: rate(&[(rpc::RPC, rpc::RETRANS_OR_BAD)]),
            read: rate(&[(rpc::PROC3, rpc::PROC3_READ), (rpc::PROC4, rpc::PROC4_READ)]),
            write: rate(&[
                (rpc::PROC3, rpc::PROC3_WRITE),
                (rpc::PROC4, rpc::PROC4_WRITE),
            ]),
            access: rate(&[
                (rpc::PROC3, rpc::PROC3_ACCESS),
                (rpc::PROC4, rpc::PROC4_ACCESS),
            ]),
            getatt: rate(&[
                (rpc::PROC3, rpc::PROC3_GETATTR),
                (rpc::PROC4, rpc::PROC4_GETATTR),
            ]),
        })
    }

    /// sar -n NFSD, or `None` when it was not collected in both samples; all zeros when the
    /// tables were recorded empty, as [`Interval::nfs_client`].
    pub fn nfs_server(&self) -> Option<NfsServer> {
        let (p, c) = both(self, TableKind::NFSD)?;
        let one = |key: &'static str, col: usize| {
            per_second(self, rpc_value(p, key, col), rpc_value(c, key, col))
        };
        let two = |v3: usize, v4: usize| {
            let sum = |t: &Table| rpc_value(t, rpc::PROC3, v3) + rpc_value(t, rpc::PROC4OPS, v4);
            per_second(self, sum(p), sum(c))
        };
        Some(NfsServer {
            scall: one(rpc::RPC, rpc::CALLS),
            badcall: one(rpc::RPC, rpc::RETRANS_OR_BAD),
            packet: one(rpc::NET, 0),
            udp: one(rpc::NET, 1),
            tcp: one(rpc::NET, 2),
            hit: one(rpc::RC, 0),
            miss: one(rpc::RC, 1),
            sread: two(rpc::PROC3_READ, rpc::PROC4OPS_READ),
            swrite: two(rpc::PROC3_WRITE, rpc::PROC4OPS_WRITE),
            saccess: two(rpc::PROC3_ACCESS, rpc::PROC4OPS_ACCESS),
            sgetatt: two(rpc::PROC3_GETATTR, rpc::PROC4OPS_GETATTR),
        })
    }
}

/// Softnet of one CPU (or all) over an interval (sar -n SOFT).
#[derive(Clone, Debug, PartialEq)]
pub struct SoftnetRates {
    /// `None` for "all" (the sum of the CPUs).
    pub cpu: Option<u32>,
    /// total/s: network frames processed per second (/proc/net/softnet_stat column 1).
    pub total: f64,
    /// dropd/s: frames dropped because the processing queue was full, per second
    /// (/proc/net/softnet_stat).
    pub dropd: f64,
    /// squeezd/s: times the softirq ran out of budget with work left, per second
    /// (/proc/net/softnet_stat `time_squeeze`).
    pub squeezd: f64,
    /// rx_rps/s: inter-processor interrupts sent to steer packets to this CPU, per second
    /// (/proc/net/softnet_stat `received_rps`).
    pub rx_rps: f64,
    /// flw_lim/s: times the flow limit was reached, per second (/proc/net/softnet_stat
    /// `flow_limit_count`).
    pub flw_lim: f64,
    /// Backlog length at the end of the interval (0 on kernels before 5.10).
    pub blg_len: f64,
}

/// A fibre channel host over an interval (sar -n FC).
#[derive(Clone, Debug, PartialEq)]
pub struct FcRates {
    /// The fibre channel host's name (/sys/class/fc_host: `host0`).
    pub host: String,
    /// fch_rxf/s: frames received per second (/sys/class/fc_host/*/statistics/rx_frames).
    pub rxf: f64,
    /// fch_txf/s: frames transmitted per second (/sys/class/fc_host/*/statistics/tx_frames).
    pub txf: f64,
    /// fch_rxw/s: words received per second (/sys/class/fc_host/*/statistics/rx_words).
    pub rxw: f64,
    /// fch_txw/s: words transmitted per second (/sys/class/fc_host/*/statistics/tx_words).
    pub txw: f64,
}

impl Interval<'_> {
    /// sar -n SOFT: the sum of the CPUs (`all`) first, then each online CPU
    /// (/proc/net/softnet_stat).
    pub fn softnet(&self) -> Vec<SoftnetRates> {
        let Some((p, c)) = both(self, TableKind::SOFTNET) else {
            return Vec::new();
        };
        let counted = |row: &Row| {
            softnet_col::COUNTED
                .iter()
                .map(|&col| row.value(col).unwrap_or(0))
                .sum::<u64>()
                > 0
        };
        let mut prev_rows = p.finder();
        let mut rows: Vec<SoftnetRates> = c
            .rows
            .iter()
            // Offline (carried), or without reference values: not shown, not in "all".
            .filter(|cur| !is_carried(cur))
            .filter_map(|cur| {
                let prev = prev_rows.find(&cur.key).filter(|prev| counted(prev))?;
                let r = |col| {
                    per_second(
                        self,
                        prev.value(col).unwrap_or(0),
                        cur.value(col).unwrap_or(0),
                    )
                };
                Some(SoftnetRates {
                    cpu: Some(cpu_number(&cur.key)?),
                    total: r(softnet_col::PROCESSED),
                    dropd: r(softnet_col::DROPPED),
                    squeezd: r(softnet_col::TIME_SQUEEZE),
                    rx_rps: r(softnet_col::RECEIVED_RPS),
                    flw_lim: r(softnet_col::FLOW_LIMIT),
                    blg_len: cur.value(softnet_col::BACKLOG_LEN).unwrap_or(0) as f64,
                })
            })
            .collect();
        if rows.is_empty() {
            return rows;
        }
        rows.sort_by_key(|r| r.cpu);
        let sum = |f: fn(&SoftnetRates) -> f64| rows.iter().map(f).sum::<f64>();
        let all = SoftnetRates {
            cpu: None,
            total: sum(|r| r.total),
            dropd: sum(|r| r.dropd),
            squeezd: sum(|r| r.squeezd),
            rx_rps: sum(|r| r.rx_rps),
            flw_lim: sum(|r| r.flw_lim),
            blg_len: sum(|r| r.blg_len),
        };
        rows.insert(0, all);
        rows
    }

    /// sar -n FC: one row per fibre channel host (/sys/class/fc_host statistics).
    pub fn fc_hosts(&self) -> Vec<FcRates> {
        let Some((p, c)) = both(self, TableKind::FCHOST) else {
            return Vec::new();
        };
        let mut prev_rows = p.finder();
        c.rows
            .iter()
            .filter(|cur| cur.values.len() >= fc_col::COUNT)
            .map(|cur| {
                // A host that appeared, or one of whose counters went down, was registered
                // again: its interval is computed against zero.
                let prev = prev_rows.find(&cur.key).filter(|prev| {
                    prev.values.len() >= fc_col::COUNT
                        && !(0..fc_col::COUNT).any(|col| cur.values[col] < prev.values[col])
                });
                let r = |col| {
                    let before = prev.and_then(|p| p.value(col)).unwrap_or(0);
                    per_second(self, before, cur.values[col])
                };
                FcRates {
                    host: cur.key.clone(),
                    rxf: r(fc_col::RX_FRAMES),
                    txf: r(fc_col::TX_FRAMES),
                    rxw: r(fc_col::RX_WORDS),
                    txw: r(fc_col::TX_WORDS),
                }
            })
            .collect()
    }

    /// %ifutil of each interface of `nets` (from [`Interval::interfaces`]), in their order
    /// (sysstat's compute_ifutil): the busier direction over the speed for full duplex, both
    /// directions for half duplex; 0 when the speed is unknown. Linear in the interfaces:
    /// the collector writes speeds in /proc/net/dev's order, leaving out interfaces without
    /// one, so each is looked for first just after the last one found; any other (a file in
    /// another order) is looked up by name in an index made once, on the first miss.
    pub fn ifutils(&self, nets: &[NetRates]) -> Vec<f64> {
        let Some(speeds) = self.cur.table(TableKind::NETIF) else {
            return vec![0.0; nets.len()];
        };
        let mut next = 0;
        let mut by_name: Option<HashMap<&str, &Row>> = None;
        nets.iter()
            .map(|net| {
                let row = match speeds.rows.get(next) {
                    Some(row) if row.key == net.iface => {
                        next += 1;
                        Some(row)
                    }
                    _ => by_name
                        // Reversed: the first row of a name wins, as in Table::row.
                        .get_or_insert_with(|| {
                            speeds
                                .rows
                                .iter()
                                .rev()
                                .map(|r| (r.key.as_str(), r))
                                .collect()
                        })
                        .get(net.iface.as_str())
                        .copied(),
                };
                row.map_or(0.0, |row| ifutil(row, net))
            })
            .collect()
    }
}

/// %ifutil of `net` over its /sys/class/net speed and duplex `row` (see [`Interval::ifutils`]).
fn ifutil(row: &Row, net: &NetRates) -> f64 {
    let speed = row.value(netif_col::SPEED_MBPS).unwrap_or(0);
    if speed == 0 {
        return 0.0;
    }
    let (rx, tx) = (net.rxkb_per_s * 1024.0, net.txkb_per_s * 1024.0);
    let bits_per_s = speed as f64 * 1e6;
    let bytes = if row.value(netif_col::DUPLEX) == Some(netif_col::DUPLEX_FULL) {
        rx.max(tx)
    } else {
        rx + tx
    };
    bytes * 800.0 / bits_per_s
}

#[cfg(test)]
#[path = "derive_system_tests.rs"]
mod tests;
