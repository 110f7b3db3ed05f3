//! Rates and percentages from raw samples: the one place where every reader (report, export,
//! top) gets its figures, using sysstat's formulas so that rstat's numbers equal sar's.
//!
//! Gauges (memory, load) come from one [`Sample`]; rates come from an [`Interval`] between two
//! samples of the same boot, whose length is taken from the kernel's uptime, never from the
//! wall clock. Counter semantics (see [`counter_delta`]): a counter that goes backwards gives
//! 0 for that interval; a 32-bit counter that wraps gives the wrapped difference; a device,
//! interface, FC host or IRQ line that appeared, or that was re-registered (sysstat's rules,
//! per kind), is computed against zero for the whole row.

use crate::hotplug::{cpu_number, is_carried};
use crate::process_rates::ProcessRates;
use crate::schema::{cpu_col, loadavg_col, Row, Sample, Table, TableKind};

/// The change of a cumulative counter between two reads.
pub fn counter_delta(prev: u64, cur: u64) -> u64 {
    const U32_SPAN: u64 = 1 << 32;
    if cur >= prev {
        cur - prev
    } else if prev < U32_SPAN && prev - cur > U32_SPAN / 2 {
        // A 32-bit counter (old drivers, 32-bit kernels) wrapped around.
        cur + U32_SPAN - prev
    } else {
        0
    }
}

/// Two samples of the same boot, `seconds` apart by the kernel's uptime.
#[derive(Clone, Copy, Debug)]
pub struct Interval<'a> {
    /// The earlier sample.
    pub prev: &'a Sample,
    /// The later sample, whose levels (memory, queue) the interval's one-sample figures read.
    pub cur: &'a Sample,
    /// Seconds between the two samples, by the kernel's uptime (/proc/uptime) rather than the wall
    /// clock.
    pub seconds: f64,
    /// The processes' rates when a reader derived them already
    /// ([`Interval::with_processes`]).
    pub(crate) processes: Option<&'a [ProcessRates<'a>]>,
}

impl<'a> Interval<'a> {
    /// `None` when the two samples do not form an interval: missing uptime, uptime not
    /// increasing, or different boots.
    pub fn new(prev: &'a Sample, cur: &'a Sample) -> Option<Interval<'a>> {
        let (before, now) = (prev.uptime_cs()?, cur.uptime_cs()?);
        if now <= before {
            return None;
        }
        if let (Some(a), Some(b)) = (prev.boot_id(), cur.boot_id()) {
            if a != b {
                return None;
            }
        }
        Some(Interval {
            prev,
            cur,
            seconds: (now - before) as f64 / 100.0,
            processes: None,
        })
    }

    pub(crate) fn tables(&self, kind: TableKind) -> Option<(&'a Table, &'a Table)> {
        Some((self.prev.table(kind)?, self.cur.table(kind)?))
    }

    pub(crate) fn rate(&self, delta: u64) -> f64 {
        delta as f64 / self.seconds
    }

    fn one_value_rate(&self, kind: TableKind, key: &str) -> Option<f64> {
        let (p, c) = self.tables(kind)?;
        Some(self.rate(counter_delta(p.get(key)?, c.get(key)?)))
    }

    /// CPU utilisation (sar -u / -P): "all" first, then each online CPU in number order, with
    /// sysstat's hotplug rules (see [`crate::hotplug`]): a CPU carried forward at the end of
    /// the interval is offline and not listed; a CPU without values at the start (or with all
    /// zeros there) has no reference and is neither listed nor counted in "all"; a CPU that
    /// came back is listed and counted against its carried values.
    pub fn cpus(&self) -> Vec<CpuUtil> {
        let Some((p, c)) = self.tables(TableKind::CPU) else {
            return Vec::new();
        };
        let mut prev_rows = p.finder();
        let mut per_cpu: Vec<(u32, CpuTicks, CpuTicks, u64)> = c
            .rows
            .iter()
            .filter(|row| !is_carried(row))
            .filter_map(|row| {
                let number = cpu_number(&row.key)?;
                let prev = prev_rows.find(&row.key)?;
                if CpuTicks::of(prev).total() == 0 {
                    return None;
                }
                let (prev, cur, shift) = CpuTicks::corrected(prev, row);
                Some((number, prev, cur, shift))
            })
            .collect();
        per_cpu.sort_by_key(|(number, ..)| *number);
        let online_rows = c.rows.iter().filter(|r| cpu_number(&r.key).is_some());
        let mut all = if online_rows.count() == 0 {
            // A kernel that prints only the summary line: use it for "all".
            let (Some(prev), Some(cur)) = (p.row("cpu"), c.row("cpu")) else {
                return Vec::new();
            };
            let (prev, cur, shift) = CpuTicks::corrected(prev, cur);
            vec![CpuUtil::from_ticks(None, &prev, &cur, shift)]
        } else {
            let mut sum_prev = CpuTicks::default();
            let mut sum_cur = CpuTicks::default();
            let mut sum_shift = 0;
            for (_, prev, cur, shift) in &per_cpu {
                sum_prev.add(prev);
                sum_cur.add(cur);
                sum_shift += shift;
            }
            vec![CpuUtil::from_ticks(None, &sum_prev, &sum_cur, sum_shift)]
        };
        all.extend(
            per_cpu
                .iter()
                .map(|(n, prev, cur, shift)| CpuUtil::from_ticks(Some(*n), prev, cur, *shift)),
        );
        all
    }

    /// Task creation and context switches (sar -w).
    pub fn tasks(&self) -> Option<Tasks> {
        Some(Tasks {
            proc_per_s: self.one_value_rate(TableKind::STAT, "processes")?,
            cswch_per_s: self.one_value_rate(TableKind::STAT, "ctxt")?,
        })
    }

    /// Interrupts per second, all sources together (sar -I SUM).
    pub fn interrupts_per_s(&self) -> Option<f64> {
        self.one_value_rate(TableKind::STAT, "intr")
    }

    /// Swapping (sar -W).
    pub fn swapping(&self) -> Option<Swapping> {
        Some(Swapping {
            pswpin_per_s: self.one_value_rate(TableKind::VMSTAT, "pswpin")?,
            pswpout_per_s: self.one_value_rate(TableKind::VMSTAT, "pswpout")?,
        })
    }

    /// Paging (sar -B).
    pub fn paging(&self) -> Option<Paging> {
        let (p, c) = self.tables(TableKind::VMSTAT)?;
        let rate = |key: &str| Some(self.rate(counter_delta(p.get(key)?, c.get(key)?)));
        let (before, now) = (PagingSums::of(p), PagingSums::of(c));
        let sum_rate =
            |sum: fn(&PagingSums) -> u64| self.rate(counter_delta(sum(&before), sum(&now)));
        let pgscank = sum_rate(|s| s.pgscank);
        let pgscand = sum_rate(|s| s.pgscand);
        let pgsteal = sum_rate(|s| s.pgsteal);
        let scanned = pgscank + pgscand;
        let pgprom = sum_rate(|s| s.pgprom);
        let pgdem = sum_rate(|s| s.pgdem);
        Some(Paging {
            pgpgin_per_s: rate("pgpgin")?,
            pgpgout_per_s: rate("pgpgout")?,
            fault_per_s: rate("pgfault")?,
            majflt_per_s: rate("pgmajfault")?,
            pgfree_per_s: rate("pgfree")?,
            pgscank_per_s: pgscank,
            pgscand_per_s: pgscand,
            pgsteal_per_s: pgsteal,
            pgprom_per_s: pgprom,
            pgdem_per_s: pgdem,
            vmeff_pct: if scanned > 0.0 {
                pgsteal / scanned * 100.0
            } else {
                0.0
            },
        })
    }
}

/// The /proc/vmstat counters sar -B sums, from one pass over the table (a pass per sum was
/// a tenth of `report -A`'s derivation).
#[derive(Default)]
struct PagingSums {
    pgscank: u64,
    pgscand: u64,
    pgsteal: u64,
    pgprom: u64,
    pgdem: u64,
}

impl PagingSums {
    fn of(vmstat: &Table) -> PagingSums {
        let mut sums = PagingSums::default();
        for row in &vmstat.rows {
            // Every counter summed starts with "pg"; most of vmstat's ~180 do not (nr_,
            // numa_, thp_...): one test passes them by.
            let Some(k) = row.key.strip_prefix("pg") else {
                continue;
            };
            let Some(value) = row.value(0) else { continue };
            let sum = if k.starts_with("scan_kswapd") {
                &mut sums.pgscank
            } else if k.starts_with("scan_direct") && k != "scan_direct_throttle" {
                &mut sums.pgscand
            } else if k.starts_with("steal_") && k != "steal_anon" && k != "steal_file" {
                // pgsteal_anon and pgsteal_file split the same pages again by type: left out.
                &mut sums.pgsteal
            } else if k == "promote_success" {
                // sar -B pgprom/s and pgdem/s (12.7.5): pages promoted to, and demoted from,
                // faster memory tiers (every pgdemote_ source: kswapd, direct, khugepaged).
                &mut sums.pgprom
            } else if k.starts_with("demote_") {
                &mut sums.pgdem
            } else {
                continue;
            };
            *sum = sum.wrapping_add(value);
        }
        sums
    }
}

/// The eight /proc/stat times that make up a CPU's total time (guest is already in user).
#[derive(Clone, Copy, Debug, Default)]
struct CpuTicks {
    user: u64,
    nice: u64,
    system: u64,
    idle: u64,
    iowait: u64,
    irq: u64,
    softirq: u64,
    steal: u64,
    guest: u64,
    guest_nice: u64,
}

impl CpuTicks {
    fn of(row: &Row) -> CpuTicks {
        let v = |col| row.value(col).unwrap_or(0);
        CpuTicks {
            user: v(cpu_col::USER),
            nice: v(cpu_col::NICE),
            system: v(cpu_col::SYSTEM),
            idle: v(cpu_col::IDLE),
            iowait: v(cpu_col::IOWAIT),
            irq: v(cpu_col::IRQ),
            softirq: v(cpu_col::SOFTIRQ),
            steal: v(cpu_col::STEAL),
            guest: v(cpu_col::GUEST),
            guest_nice: v(cpu_col::GUEST_NICE),
        }
    }

    /// sysstat's corrections (get_per_cpu_interval): guest time counted slightly ahead of user
    /// time widens the interval; iowait going backwards is taken as iowait re-accounted as idle
    /// (or the CPU coming back online); idle going backwards restarts from 0.
    fn corrected(prev: &Row, cur: &Row) -> (CpuTicks, CpuTicks, u64) {
        let (mut p, c) = (CpuTicks::of(prev), CpuTicks::of(cur));
        let mut shift = 0;
        let user = |t: &CpuTicks| t.user.saturating_sub(t.guest);
        let nice = |t: &CpuTicks| t.nice.saturating_sub(t.guest_nice);
        shift += user(&p).saturating_sub(user(&c));
        shift += nice(&p).saturating_sub(nice(&c));
        // A previous value this close to the top is a counter about to wrap, not a CPU that
        // came back online.
        let near_wrap = |v: u64| v >= u64::MAX - 0x7ffff;
        if c.iowait < p.iowait && !near_wrap(p.iowait) {
            p.iowait = if c.idle > p.idle || near_wrap(p.idle) {
                c.iowait
            } else {
                0
            };
        }
        if c.idle < p.idle && !near_wrap(p.idle) {
            p.idle = 0;
        }
        (p, c, shift)
    }

    fn total(&self) -> u64 {
        self.user
            + self.nice
            + self.system
            + self.iowait
            + self.idle
            + self.steal
            + self.irq
            + self.softirq
    }

    fn add(&mut self, o: &CpuTicks) {
        self.user += o.user;
        self.nice += o.nice;
        self.system += o.system;
        self.idle += o.idle;
        self.iowait += o.iowait;
        self.irq += o.irq;
        self.softirq += o.softirq;
        self.steal += o.steal;
        self.guest += o.guest;
        self.guest_nice += o.guest_nice;
    }
}

/// CPU utilisation over an interval, in percent of the CPU's time (sar -u ALL's columns).
#[derive(Clone, Debug, PartialEq)]
pub struct CpuUtil {
    /// `None` for "all".
    pub cpu: Option<u32>,
    /// %usr of `sar -u ALL`: user time without guest time.
    pub usr: f64,
    /// %nice of `sar -u ALL`: nice time without guest_nice time.
    pub nice: f64,
    /// %user of plain `sar -u`: user time including guest time.
    pub user_with_guest: f64,
    /// %nice of plain `sar -u`: nice time including guest_nice time.
    pub nice_with_guest: f64,
    /// %system: kernel time without interrupts (/proc/stat system ticks), in percent.
    pub sys: f64,
    /// %iowait: idle time with I/O outstanding (/proc/stat iowait ticks), in percent.
    pub iowait: f64,
    /// %steal: time a hypervisor ran another guest while this CPU waited (/proc/stat steal ticks),
    /// in percent.
    pub steal: f64,
    /// %irq: time servicing hardware interrupts (/proc/stat irq ticks), in percent.
    pub irq: f64,
    /// %soft: time servicing software interrupts (/proc/stat softirq ticks), in percent.
    pub soft: f64,
    /// %guest: time running a virtual CPU (/proc/stat guest ticks), in percent.
    pub guest: f64,
    /// %gnice: time running a niced virtual CPU (/proc/stat guest_nice ticks), in percent.
    pub gnice: f64,
    /// %idle: idle time without I/O outstanding (/proc/stat idle ticks), in percent.
    pub idle: f64,
}

impl CpuUtil {
    fn from_ticks(cpu: Option<u32>, p: &CpuTicks, c: &CpuTicks, shift: u64) -> CpuUtil {
        let mut total = c.total().saturating_sub(p.total()) + shift;
        if total == 0 && cpu.is_none() {
            // "all" cannot be tickless (sysstat): every figure is 0.
            total = 1;
        }
        if total == 0 {
            // A tickless idle CPU: sar shows it 100% idle.
            return CpuUtil {
                cpu,
                usr: 0.0,
                nice: 0.0,
                user_with_guest: 0.0,
                nice_with_guest: 0.0,
                sys: 0.0,
                iowait: 0.0,
                steal: 0.0,
                irq: 0.0,
                soft: 0.0,
                guest: 0.0,
                gnice: 0.0,
                idle: 100.0,
            };
        }
        let pct = |before: u64, after: u64| {
            if after < before {
                0.0
            } else {
                (after - before) as f64 / total as f64 * 100.0
            }
        };
        CpuUtil {
            cpu,
            usr: pct(
                p.user.saturating_sub(p.guest),
                c.user.saturating_sub(c.guest),
            ),
            nice: pct(
                p.nice.saturating_sub(p.guest_nice),
                c.nice.saturating_sub(c.guest_nice),
            ),
            user_with_guest: pct(p.user, c.user),
            nice_with_guest: pct(p.nice, c.nice),
            sys: pct(p.system, c.system),
            iowait: pct(p.iowait, c.iowait),
            steal: pct(p.steal, c.steal),
            irq: pct(p.irq, c.irq),
            soft: pct(p.softirq, c.softirq),
            guest: pct(p.guest, c.guest),
            gnice: pct(p.guest_nice, c.guest_nice),
            idle: pct(p.idle, c.idle),
        }
    }

    /// Plain `sar -u`'s %system, which includes hard and soft interrupt time.
    pub fn system_with_irq(&self) -> f64 {
        self.sys + self.irq + self.soft
    }
}

/// Task creation and context switches over an interval (sar -w), per second.
#[derive(Clone, Debug, PartialEq)]
pub struct Tasks {
    /// proc/s: tasks created per second (/proc/stat `processes`).
    pub proc_per_s: f64,
    /// cswch/s: context switches per second (/proc/stat `ctxt`).
    pub cswch_per_s: f64,
}

/// Swapping over an interval (sar -W), pages per second.
#[derive(Clone, Debug, PartialEq)]
pub struct Swapping {
    /// pswpin/s: pages swapped in per second (/proc/vmstat `pswpin`).
    pub pswpin_per_s: f64,
    /// pswpout/s: pages swapped out per second (/proc/vmstat `pswpout`).
    pub pswpout_per_s: f64,
}

/// Paging over an interval (sar -B), per second.
#[derive(Clone, Debug, PartialEq)]
pub struct Paging {
    /// pgpgin/s: kilobytes paged in from disk per second (/proc/vmstat `pgpgin`).
    pub pgpgin_per_s: f64,
    /// pgpgout/s: kilobytes paged out to disk per second (/proc/vmstat `pgpgout`).
    pub pgpgout_per_s: f64,
    /// fault/s: page faults, minor and major, per second (/proc/vmstat `pgfault`).
    pub fault_per_s: f64,
    /// majflt/s: major faults (a page read from disk) per second (/proc/vmstat `pgmajfault`).
    pub majflt_per_s: f64,
    /// pgfree/s: pages put on the free list per second (/proc/vmstat `pgfree`).
    pub pgfree_per_s: f64,
    /// pgscank/s: pages scanned by kswapd per second (/proc/vmstat `pgscan_kswapd`).
    pub pgscank_per_s: f64,
    /// pgscand/s: pages scanned directly by allocating tasks per second (/proc/vmstat
    /// `pgscan_direct` and `pgscan_direct_throttle`).
    pub pgscand_per_s: f64,
    /// pgsteal/s: pages reclaimed from the page and swap caches per second (/proc/vmstat
    /// `pgsteal_*`).
    pub pgsteal_per_s: f64,
    /// pgprom/s: pages promoted to a faster memory tier per second (/proc/vmstat
    /// `pgpromote_success`).
    pub pgprom_per_s: f64,
    /// pgdem/s: pages demoted to a slower memory tier per second (/proc/vmstat `pgdemote_*`).
    pub pgdem_per_s: f64,
    /// sar 12.6's %vmeff; sar 12.7 no longer prints it.
    pub vmeff_pct: f64,
}

/// Memory use at one sample (sar -r, -r ALL), in kB.
#[derive(Clone, Debug, PartialEq)]
pub struct Memory {
    /// kbmemfree: free memory in kB (/proc/meminfo MemFree).
    pub kbmemfree: u64,
    /// kbavail: memory available to start new work without swapping, in kB (/proc/meminfo
    /// MemAvailable).
    pub kbavail: u64,
    /// kbmemused: memory in use in kB, MemTotal - MemAvailable (/proc/meminfo).
    pub kbmemused: u64,
    /// %memused: kbmemused as a percentage of MemTotal.
    pub memused_pct: f64,
    /// kbbuffers: kernel buffers in kB (/proc/meminfo Buffers).
    pub kbbuffers: u64,
    /// kbcached: page cache in kB (/proc/meminfo Cached).
    pub kbcached: u64,
    /// kbcommit: memory committed to the current workload in kB (/proc/meminfo Committed_AS).
    pub kbcommit: u64,
    /// %commit: kbcommit as a percentage of MemTotal + SwapTotal (can exceed 100).
    pub commit_pct: f64,
    /// kbactive: memory used recently, rarely reclaimed, in kB (/proc/meminfo Active).
    pub kbactive: u64,
    /// kbinact: memory not used recently, reclaimable first, in kB (/proc/meminfo Inactive).
    pub kbinact: u64,
    /// kbdirty: memory waiting to be written back to disk in kB (/proc/meminfo Dirty).
    pub kbdirty: u64,
    /// Shared memory (sar -r's kbshmem, 12.7.8).
    pub kbshmem: u64,
    /// kbanonpg: anonymous pages mapped into user page tables in kB (/proc/meminfo AnonPages).
    pub kbanonpg: u64,
    /// kbslab: kernel slab caches in kB (/proc/meminfo Slab).
    pub kbslab: u64,
    /// kbkstack: kernel stacks in kB (/proc/meminfo KernelStack).
    pub kbkstack: u64,
    /// kbpgtbl: page tables in kB (/proc/meminfo PageTables).
    pub kbpgtbl: u64,
    /// kbvmused: vmalloc area in use in kB (/proc/meminfo VmallocUsed).
    pub kbvmused: u64,
}

/// sar -r (sysstat 12.7.8 on): used memory is MemTotal - MemAvailable (before 12.7.8 it was
/// what is neither free, nor buffers, nor page cache, nor slab). A kernel without
/// MemAvailable (before 3.14) counts as none available, as sysstat reads it.
pub fn memory(sample: &Sample) -> Option<Memory> {
    let m = sample.table(TableKind::MEMINFO)?;
    let v = |key: &str| m.get(key).unwrap_or(0);
    let total = m.get("MemTotal")?;
    let not_used = v("MemAvailable").min(total);
    let pct = |part: u64, whole: u64| {
        if whole > 0 {
            part as f64 / whole as f64 * 100.0
        } else {
            0.0
        }
    };
    Some(Memory {
        kbmemfree: v("MemFree"),
        kbavail: v("MemAvailable"),
        kbmemused: total - not_used,
        memused_pct: pct(total - not_used, total),
        kbbuffers: v("Buffers"),
        kbcached: v("Cached"),
        kbcommit: v("Committed_AS"),
        commit_pct: pct(v("Committed_AS"), total + v("SwapTotal")),
        kbactive: v("Active"),
        kbinact: v("Inactive"),
        kbdirty: v("Dirty"),
        kbshmem: v("Shmem"),
        kbanonpg: v("AnonPages"),
        kbslab: v("Slab"),
        kbkstack: v("KernelStack"),
        kbpgtbl: v("PageTables"),
        kbvmused: v("VmallocUsed"),
    })
}

/// Swap space at one sample (sar -S), in kB.
#[derive(Clone, Debug, PartialEq)]
pub struct SwapSpace {
    /// kbswpfree: free swap space in kB (/proc/meminfo SwapFree).
    pub kbswpfree: u64,
    /// kbswpused: swap space in use in kB (SwapTotal - SwapFree).
    pub kbswpused: u64,
    /// %swpused: kbswpused as a percentage of SwapTotal (0 without swap).
    pub swpused_pct: f64,
    /// kbswpcad: swapped-out memory also in the swap cache in kB (/proc/meminfo SwapCached).
    pub kbswpcad: u64,
    /// %swpcad: kbswpcad as a percentage of kbswpused (0 when no swap is used).
    pub swpcad_pct: f64,
}

/// sar -S's figures from one sample's /proc/meminfo; `None` when it lacks SwapTotal or SwapFree.
pub fn swap_space(sample: &Sample) -> Option<SwapSpace> {
    let m = sample.table(TableKind::MEMINFO)?;
    let (total, free) = (m.get("SwapTotal")?, m.get("SwapFree")?);
    let used = total.saturating_sub(free);
    let cached = m.get("SwapCached").unwrap_or(0);
    Some(SwapSpace {
        kbswpfree: free,
        kbswpused: used,
        swpused_pct: if total > 0 {
            used as f64 / total as f64 * 100.0
        } else {
            0.0
        },
        kbswpcad: cached,
        swpcad_pct: if used > 0 {
            cached as f64 / used as f64 * 100.0
        } else {
            0.0
        },
    })
}

/// Huge pages at one sample (sar -H), in kB.
#[derive(Clone, Debug, PartialEq)]
pub struct HugePages {
    /// kbhugfree: huge pages not yet allocated, in kB (HugePages_Free × Hugepagesize).
    pub kbhugfree: u64,
    /// kbhugused: huge pages allocated, in kB ((HugePages_Total - HugePages_Free) × Hugepagesize).
    pub kbhugused: u64,
    /// %hugused: kbhugused as a percentage of all huge pages (0 with none).
    pub hugused_pct: f64,
    /// kbhugrsvd: huge pages reserved but not yet allocated, in kB (HugePages_Rsvd × Hugepagesize).
    pub kbhugrsvd: u64,
    /// kbhugsurp: surplus huge pages above the persistent pool, in kB (HugePages_Surp ×
    /// Hugepagesize).
    pub kbhugsurp: u64,
}

/// sar -H's figures from one sample's /proc/meminfo; `None` when it lacks Hugepagesize or the huge
/// page counts.
pub fn huge_pages(sample: &Sample) -> Option<HugePages> {
    let m = sample.table(TableKind::MEMINFO)?;
    let size = m.get("Hugepagesize")?;
    let (total, free) = (m.get("HugePages_Total")?, m.get("HugePages_Free")?);
    let used = total.saturating_sub(free);
    Some(HugePages {
        kbhugfree: free * size,
        kbhugused: used * size,
        hugused_pct: if total > 0 {
            used as f64 / total as f64 * 100.0
        } else {
            0.0
        },
        kbhugrsvd: m.get("HugePages_Rsvd").unwrap_or(0) * size,
        kbhugsurp: m.get("HugePages_Surp").unwrap_or(0) * size,
    })
}

/// Run queue and load at one sample (sar -q LOAD).
#[derive(Clone, Debug, PartialEq)]
pub struct Queue {
    /// Runnable tasks, not counting the reader of /proc/loadavg itself (as sar).
    pub runq_sz: u64,
    /// plist-sz: tasks (processes and threads) in the system (/proc/loadavg's total).
    pub plist_sz: u64,
    /// ldavg-1: load average over the last minute (/proc/loadavg, kept in hundredths).
    pub ldavg_1: f64,
    /// ldavg-5: load average over the last 5 minutes (/proc/loadavg).
    pub ldavg_5: f64,
    /// ldavg-15: load average over the last 15 minutes (/proc/loadavg).
    pub ldavg_15: f64,
    /// blocked: tasks waiting for I/O to complete (/proc/stat `procs_blocked`).
    pub blocked: u64,
}

/// sar -q LOAD's figures from one sample's /proc/loadavg (and /proc/stat); `None` without loadavg.
pub fn queue(sample: &Sample) -> Option<Queue> {
    let row = sample.table(TableKind::LOADAVG)?.rows.first()?;
    let load = |col| row.value(col).map(|v| v as f64 / 100.0);
    Some(Queue {
        runq_sz: row.value(loadavg_col::RUNNABLE)?.saturating_sub(1),
        plist_sz: row.value(loadavg_col::TASKS)?,
        ldavg_1: load(loadavg_col::LOAD1)?,
        ldavg_5: load(loadavg_col::LOAD5)?,
        ldavg_15: load(loadavg_col::LOAD15)?,
        blocked: sample
            .table(TableKind::STAT)
            .and_then(|t| t.get("procs_blocked"))
            .unwrap_or(0),
    })
}

#[cfg(test)]
#[path = "derive_tests.rs"]
mod tests;
