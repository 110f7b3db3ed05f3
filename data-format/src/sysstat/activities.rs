//! sysstat's activities as rstat tables: each activity's items are written into the raw
//! tables rstat's own collector fills, so that data-format's derivation gives sar's figures
//! for them unchanged. Field names and orders are sysstat's (`rd_stats.h`); a field a file's
//! release does not have reads as absent and is left out of the row.
//!
//! What the sa format does not keep, and so cannot be shown: the read/write split of I/O
//! counts per device (a device's requests are all stored as reads: `sar -d`'s figures are
//! exact; `sar -b` comes from A_IO's own totals, kept in their own table), and boot ids.
//! The sensors (fan, temperature, voltage) are read by [`super::sensors`].

use std::collections::BTreeMap;

use super::catalog::{id, SNMP_FIELDS};
use super::layout::{Activity, Encoding, Fields};
use super::records::ActivityData;
use crate::schema::{disk_col, net_col, Row, Sample, TableKind};
use crate::schema_system::softnet_col;

/// Turns the activities of one statistics record into tables.
pub struct Mapper<'a> {
    /// The file's activity list (id, magic, sizes), in record order.
    pub activities: &'a [Activity],
    /// The file's byte order.
    pub enc: Encoding,
    /// Names of block devices by major and minor (sa files store only the numbers).
    pub disk_name: &'a dyn Fn(u64, u64) -> String,
}

/// The items of one activity in one record.
struct Items<'a> {
    activity: Activity,
    count: u32,
    bytes: &'a [u8],
    enc: Encoding,
}

impl<'a> Items<'a> {
    /// Item `i` (of `count * nr2`).
    fn get(&self, i: usize) -> Option<Fields<'a>> {
        let size = self.activity.size as usize;
        let bytes = self.bytes.get(i * size..(i + 1) * size)?;
        Some(Fields {
            bytes,
            types: self.activity.types,
            enc: self.enc,
        })
    }

    fn all(&self) -> impl Iterator<Item = Fields<'a>> + '_ {
        let n = self.count as usize * self.activity.nr2 as usize;
        (0..n).filter_map(|i| self.get(i))
    }
}

impl Mapper<'_> {
    /// Fills `sample` (already holding the uptime) from one record's activities.
    pub fn fill(&self, data: &[ActivityData], sample: &mut Sample) {
        let mut snmp: BTreeMap<(u16, &'static str), Row> = BTreeMap::new();
        let mut net: BTreeMap<String, (usize, [u64; net_col::COUNT])> = BTreeMap::new();
        for chunk in data {
            let Some(&activity) = self.activities.get(chunk.index) else {
                continue;
            };
            let items = Items {
                activity,
                count: chunk.count,
                bytes: &chunk.bytes,
                enc: self.enc,
            };
            match activity.id {
                id::CPU => cpu(&items, sample),
                id::PCSW => pcsw(&items, sample),
                id::IRQ => irq(&items, sample),
                id::SWAP | id::PAGE => vmstat(&items, sample),
                id::IO => io_totals(&items, sample),
                id::MEMORY => memory(&items, sample),
                id::HUGE => huge(&items, sample),
                id::KTABLES => ktables(&items, sample),
                id::QUEUE => queue(&items, sample),
                id::SERIAL => serial(&items, sample),
                id::DISK => self.disks(&items, sample),
                id::NET_DEV | id::NET_EDEV => net_devices(&items, &mut net, sample),
                id::NET_NFS | id::NET_NFSD => nfs(&items, sample),
                id::NET_SOCK | id::NET_SOCK6 => sockets(&items, sample),
                id::PWR_CPU => cpufreq(&items, sample),
                id::PWR_FAN | id::PWR_TEMP | id::PWR_IN => {
                    super::sensors::fill(activity.id, items.all(), sample)
                }
                id::PWR_FREQ => time_in_state(&items, sample),
                id::PWR_USB => usb(&items, sample),
                id::FS => filesystems(&items, sample),
                id::NET_FC => fc_hosts(&items, sample),
                id::NET_SOFT => softnet(&items, sample),
                id::PSI_CPU | id::PSI_IO | id::PSI_MEM => pressure(&items, sample),
                other => {
                    if let Some(&(_, kind, key, names)) =
                        SNMP_FIELDS.iter().find(|(a, ..)| *a == other)
                    {
                        protocol(&items, snmp.entry((kind.0, key)).or_default(), names);
                    }
                }
            }
        }
        for ((kind, key), mut row) in snmp {
            row.key = key.to_string();
            sample.table_mut(TableKind(kind)).rows.push(row);
        }
        let mut rows: Vec<_> = net.into_iter().collect();
        rows.sort_by_key(|(_, (order, _))| *order);
        if !rows.is_empty() {
            let table = sample.table_mut(TableKind::NETDEV);
            for (name, (_, values)) in rows {
                table.rows.push(row(&name, values.to_vec()));
            }
        }
    }

    fn disks(&self, items: &Items<'_>, sample: &mut Sample) {
        let mut rows = Vec::new();
        for f in items.all() {
            let (Some(major), Some(minor)) = (f.u(4), f.u(5)) else {
                continue;
            };
            let mut values = vec![0; disk_col::DISCARD_MS + 1];
            values[disk_col::MAJOR] = major;
            values[disk_col::MINOR] = minor;
            // sysstat keeps one request count: all requests are stored as reads.
            values[disk_col::READS] = f.ull(0).unwrap_or(0);
            values[disk_col::SECTORS_READ] = f.ul(0).unwrap_or(0);
            values[disk_col::SECTORS_WRITTEN] = f.ul(1).unwrap_or(0);
            values[disk_col::SECTORS_DISCARDED] = f.ul(2).unwrap_or(0);
            values[disk_col::READ_MS] = f.u(0).unwrap_or(0);
            values[disk_col::WRITE_MS] = f.u(1).unwrap_or(0);
            values[disk_col::IO_MS] = f.u(2).unwrap_or(0);
            values[disk_col::WEIGHTED_IO_MS] = f.u(3).unwrap_or(0);
            values[disk_col::DISCARD_MS] = f.u(6).unwrap_or(0);
            rows.push(row(&(self.disk_name)(major, minor), values));
        }
        sample.table_mut(TableKind::DISKSTATS).rows = rows;
    }
}

fn row(key: &str, values: Vec<u64>) -> Row {
    Row {
        key: key.to_string(),
        text: Vec::new(),
        values,
    }
}

/// A row with text: column names (sockstat) or attributes (a mount point).
fn named_row(key: &str, text: &[impl AsRef<str>], values: Vec<u64>) -> Row {
    Row {
        key: key.to_string(),
        text: text.iter().map(|t| t.as_ref().to_string()).collect(),
        values,
    }
}

/// Items 1.. of a per-CPU activity (item 0 is "all"), as `cpuN` rows.
fn per_cpu<'a>(items: &'a Items<'a>) -> impl Iterator<Item = (String, Fields<'a>)> + 'a {
    (1..items.count as usize).filter_map(|i| Some((format!("cpu{}", i - 1), items.get(i)?)))
}

fn cpu(items: &Items<'_>, sample: &mut Sample) {
    // sysstat order: user nice sys idle iowait steal hardirq softirq guest guest_nice.
    const FROM_SYSSTAT: [u32; 10] = [0, 1, 2, 3, 4, 6, 7, 5, 8, 9];
    let values = |f: Fields<'_>| -> Vec<u64> {
        FROM_SYSSTAT
            .iter()
            .map(|&i| f.ull(i).unwrap_or(0))
            .collect()
    };
    let mut rows = Vec::new();
    if let Some(all) = items.get(0) {
        rows.push(row("cpu", values(all)));
    }
    // An offline CPU is stored as zeros: like an absent /proc/stat line, it gets no row.
    rows.extend(
        per_cpu(items)
            .map(|(key, f)| row(&key, values(f)))
            .filter(|r| r.values.iter().any(|&v| v != 0)),
    );
    sample.table_mut(TableKind::CPU).rows = rows;
}

fn stat_rows(sample: &mut Sample, rows: &[(&str, Option<u64>)]) {
    let table = sample.table_mut(TableKind::STAT);
    for (key, value) in rows {
        if let Some(value) = value {
            table.rows.push(row(key, vec![*value]));
        }
    }
}

fn pcsw(items: &Items<'_>, sample: &mut Sample) {
    if let Some(f) = items.get(0) {
        stat_rows(sample, &[("ctxt", f.ull(0)), ("processes", f.ul(0))]);
    }
}

fn irq(items: &Items<'_>, sample: &mut Sample) {
    // The count is 32-bit in the named, per-CPU layout; releases before it stored one
    // 64-bit total per line (the sum first) and no names.
    let count = |f: Fields<'_>| f.u(0).or_else(|| f.ull(0));
    let per_cpu_irqs = items.activity.nr2 as usize;
    let cpus = (items.count as usize).saturating_sub(1);
    // Item [cpu][irq]: cpu 0 is "all", irq 0 the sum of every line.
    if let Some(sum) = items.get(0) {
        stat_rows(sample, &[("intr", count(sum))]);
    }
    if items.activity.types.u == 0 {
        numbered_irq_totals(items, sample);
        return;
    }
    if cpus == 0 || per_cpu_irqs < 2 {
        return;
    }
    let mut rows = vec![row("cpus", (0..cpus as u64).collect())];
    for irq in 1..per_cpu_irqs {
        let Some(name) = items.get(irq).map(|f| f.text(0, 64)) else {
            continue;
        };
        let values = (1..=cpus)
            .map(|cpu| {
                items
                    .get(cpu * per_cpu_irqs + irq)
                    .and_then(count)
                    .unwrap_or(0)
            })
            .collect();
        rows.push(row(&name, values));
    }
    sample.table_mut(TableKind::INTERRUPTS).rows = rows;
}

/// The older layout's lines: item N is IRQ N-1's count on all CPUs together, a row of one
/// total each (named by number, as sar prints them).
fn numbered_irq_totals(items: &Items<'_>, sample: &mut Sample) {
    let rows: Vec<Row> = (1..items.count as usize)
        .filter_map(|i| Some(row(&(i - 1).to_string(), vec![items.get(i)?.ull(0)?])))
        .collect();
    if !rows.is_empty() {
        sample.table_mut(TableKind::INTERRUPTS).rows = rows;
    }
}

fn vmstat(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let names: &[&str] = if items.activity.id == id::SWAP {
        &["pswpin", "pswpout"]
    } else {
        // pgsteal is sysstat's own sum of the kernel's pgsteal_* lines; the name keeps it
        // in rstat's sum of pgsteal_* and apart from the kernel's own rows.
        &[
            "pgpgin",
            "pgpgout",
            "pgfault",
            "pgmajfault",
            "pgfree",
            "pgscan_kswapd",
            "pgscan_direct",
            "pgsteal_all",
            "pgpromote_success",
            "pgdemote_all",
        ]
    };
    let table = sample.table_mut(TableKind::VMSTAT);
    for (i, name) in names.iter().enumerate() {
        if let Some(value) = f.ul(i as u32) {
            table.rows.push(row(name, vec![value]));
        }
    }
}

fn io_totals(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let values = (0..7).map(|i| f.ull(i).unwrap_or(0)).collect();
    sample.table_mut(TableKind::SYSSTAT_IO).rows = vec![row("io", values)];
}

fn meminfo_rows(sample: &mut Sample, rows: impl IntoIterator<Item = (&'static str, u64)>) {
    let table = sample.table_mut(TableKind::MEMINFO);
    table
        .rows
        .extend(rows.into_iter().map(|(key, value)| row(key, vec![value])));
}

fn memory(items: &Items<'_>, sample: &mut Sample) {
    const NAMES: [&str; 18] = [
        "MemFree",
        "Buffers",
        "Cached",
        "MemTotal",
        "SwapFree",
        "SwapTotal",
        "SwapCached",
        "Committed_AS",
        "Active",
        "Inactive",
        "Dirty",
        "AnonPages",
        "Slab",
        "KernelStack",
        "PageTables",
        "VmallocUsed",
        "MemAvailable",
        "Shmem",
    ];
    let Some(f) = items.get(0) else { return };
    meminfo_rows(
        sample,
        NAMES
            .iter()
            .enumerate()
            .filter_map(|(i, &name)| Some((name, f.ull(i as u32)?))),
    );
}

fn huge(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let kb = |i| f.ull(i).unwrap_or(0);
    let (free, total, rsvd, surp) = (kb(0), kb(1), kb(2), kb(3));
    // rstat stores page counts and the page size; sysstat stores kB. 2 MB pages when the
    // figures allow it, else 1 kB "pages", which give the same kB.
    let size = if [free, total, rsvd, surp].iter().all(|v| v % 2048 == 0) {
        2048
    } else {
        1
    };
    meminfo_rows(
        sample,
        [
            ("HugePages_Total", total / size),
            ("HugePages_Free", free / size),
            ("HugePages_Rsvd", rsvd / size),
            ("HugePages_Surp", surp / size),
            ("Hugepagesize", size),
        ],
    );
}

fn ktables(items: &Items<'_>, sample: &mut Sample) {
    use crate::schema_system::ktables as k;
    let Some(f) = items.get(0) else { return };
    let v = |i| f.ull(i).unwrap_or(0);
    // sysstat keeps the differences sar shows; stored so that rstat's formulas give them back.
    sample.table_mut(TableKind::KTABLES).rows = vec![
        row(k::DENTRY_STATE, vec![0, v(2)]),
        row(k::FILE_NR, vec![v(0), 0]),
        row(k::INODE_STATE, vec![v(1), 0]),
        row(k::PTY_NR, vec![v(3)]),
    ];
}

fn queue(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let v = |x: Option<u64>| x.unwrap_or(0);
    // sysstat stores the run queue without sadc itself; rstat's formula takes one off.
    sample.table_mut(TableKind::LOADAVG).rows = vec![row(
        "loadavg",
        vec![
            v(f.u(0)),
            v(f.u(1)),
            v(f.u(2)),
            v(f.ull(0)).saturating_add(1),
            v(f.ull(2)),
            0,
        ],
    )];
    stat_rows(sample, &[("procs_blocked", f.ull(1))]);
}

fn serial(items: &Items<'_>, sample: &mut Sample) {
    let rows = items
        .all()
        .map(|f| {
            let v = |i| f.u(i).unwrap_or(0);
            // sysstat: rx tx frame parity brk overrun line; rstat: tx rx frame parity brk overrun.
            row(&v(6).to_string(), vec![v(1), v(0), v(2), v(3), v(4), v(5)])
        })
        .collect();
    sample.table_mut(TableKind::SERIAL).rows = rows;
}

fn net_devices(
    items: &Items<'_>,
    net: &mut BTreeMap<String, (usize, [u64; net_col::COUNT])>,
    sample: &mut Sample,
) {
    let errors = items.activity.id == id::NET_EDEV;
    let mut links = Vec::new();
    for f in items.all() {
        let name = f.text(0, 16);
        if name.is_empty() {
            continue;
        }
        let order = net.len();
        let values = &mut net
            .entry(name.clone())
            .or_insert((order, [0; net_col::COUNT]))
            .1;
        let v = |i| f.ull(i).unwrap_or(0);
        let columns: &[(usize, u32)] = if errors {
            &[
                (net_col::TX_COLLS, 0),
                (net_col::RX_ERRS, 1),
                (net_col::TX_ERRS, 2),
                (net_col::RX_DROP, 3),
                (net_col::TX_DROP, 4),
                (net_col::RX_FIFO, 5),
                (net_col::TX_FIFO, 6),
                (net_col::RX_FRAME, 7),
                (net_col::TX_CARRIER, 8),
            ]
        } else {
            &[
                (net_col::RX_PACKETS, 0),
                (net_col::TX_PACKETS, 1),
                (net_col::RX_BYTES, 2),
                (net_col::TX_BYTES, 3),
                (net_col::RX_COMPRESSED, 4),
                (net_col::TX_COMPRESSED, 5),
                (net_col::RX_MULTICAST, 6),
            ]
        };
        for &(col, field) in columns {
            values[col] = v(field);
        }
        if !errors {
            let speed = f.u(0).unwrap_or(0);
            let duplex = f.tail(16, 1).first().copied().unwrap_or(0) as u64;
            if speed > 0 {
                links.push(row(&name, vec![speed, duplex.min(2)]));
            }
        }
    }
    if !links.is_empty() {
        sample.table_mut(TableKind::NETIF).rows = links;
    }
}

fn nfs(items: &Items<'_>, sample: &mut Sample) {
    use crate::schema_system::rpc;
    let Some(f) = items.get(0) else { return };
    let v = |i| f.u(i).unwrap_or(0);
    let proc3 = |read, write, access, getattr| {
        let mut values = vec![0; 23];
        values[0] = 22;
        values[rpc::PROC3_READ] = read;
        values[rpc::PROC3_WRITE] = write;
        values[rpc::PROC3_ACCESS] = access;
        values[rpc::PROC3_GETATTR] = getattr;
        row(rpc::PROC3, values)
    };
    if items.activity.id == id::NET_NFS {
        sample.table_mut(TableKind::NFS).rows = vec![
            row(rpc::RPC, vec![v(0), v(1)]),
            proc3(v(2), v(3), v(4), v(5)),
        ];
    } else {
        sample.table_mut(TableKind::NFSD).rows = vec![
            row(rpc::RPC, vec![v(0), v(1)]),
            row(rpc::NET, vec![v(2), v(3), v(4)]),
            row(rpc::RC, vec![v(5), v(6)]),
            proc3(v(7), v(8), v(9), v(10)),
        ];
    }
}

fn sockets(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let v = |i| f.u(i).unwrap_or(0);
    if items.activity.id == id::NET_SOCK {
        sample.table_mut(TableKind::SOCKSTAT).rows = vec![
            named_row("sockets", &["used"], vec![v(0)]),
            named_row("TCP", &["inuse", "tw"], vec![v(1), v(2)]),
            named_row("UDP", &["inuse"], vec![v(3)]),
            named_row("RAW", &["inuse"], vec![v(4)]),
            named_row("FRAG", &["inuse"], vec![v(5)]),
        ];
    } else {
        sample.table_mut(TableKind::SOCKSTAT6).rows = ["TCP6", "UDP6", "RAW6", "FRAG6"]
            .iter()
            .enumerate()
            .map(|(i, key)| named_row(key, &["inuse"], vec![v(i as u32)]))
            .collect();
    }
}

fn protocol(items: &Items<'_>, row: &mut Row, names: &[&str]) {
    let Some(f) = items.get(0) else { return };
    // Each activity's counters are all 64-bit or all `unsigned long`.
    let value = |i: usize| f.ull(i as u32).or_else(|| f.ul(i as u32));
    for (i, name) in names.iter().enumerate() {
        if let Some(value) = value(i) {
            row.text.push(name.to_string());
            row.values.push(value);
        }
    }
}

fn cpufreq(items: &Items<'_>, sample: &mut Sample) {
    // sysstat: MHz x 100; rstat: kHz.
    let rows = per_cpu(items)
        .filter_map(|(key, f)| Some(row(&key, vec![f.ul(0)?.saturating_mul(10)])))
        .collect();
    sample.table_mut(TableKind::CPUFREQ).rows = rows;
}

fn time_in_state(items: &Items<'_>, sample: &mut Sample) {
    let states = items.activity.nr2 as usize;
    let rows = (1..items.count as usize)
        .map(|cpu| {
            let values = (0..states)
                .filter_map(|s| items.get(cpu * states + s))
                .filter_map(|f| Some([f.ul(0)?, f.ull(0)?]))
                .filter(|[freq, _]| *freq > 0)
                .flatten()
                .collect();
            row(&format!("cpu{}", cpu - 1), values)
        })
        .collect();
    sample.table_mut(TableKind::TIME_IN_STATE).rows = rows;
}

fn usb(items: &Items<'_>, sample: &mut Sample) {
    let rows = items
        .all()
        .map(|f| {
            let v = |i| f.u(i).unwrap_or(0);
            let key = format!("{}-{:04x}:{:04x}", v(0), v(1), v(2));
            let text = [f.text(0, 24), f.text(24, 48)];
            named_row(&key, &text, vec![v(0), v(1), v(2), v(3)])
        })
        .collect();
    sample.table_mut(TableKind::USB).rows = rows;
}

fn filesystems(items: &Items<'_>, sample: &mut Sample) {
    let rows = items
        .all()
        .map(|f| {
            let values = (0..5).map(|i| f.ull(i).unwrap_or(0)).collect();
            named_row(&f.text(0, 128), &[f.text(128, 128), String::new()], values)
        })
        .collect();
    sample.table_mut(TableKind::FILESYSTEMS).rows = rows;
}

fn fc_hosts(items: &Items<'_>, sample: &mut Sample) {
    let rows = items
        .all()
        .map(|f| {
            row(
                &f.text(0, 16),
                (0..4).map(|i| f.ul(i).unwrap_or(0)).collect(),
            )
        })
        .collect();
    sample.table_mut(TableKind::FCHOST).rows = rows;
}

fn softnet(items: &Items<'_>, sample: &mut Sample) {
    let rows = per_cpu(items)
        .map(|(key, f)| {
            let v = |i| f.u(i).unwrap_or(0);
            let mut values = vec![0; softnet_col::CPU_INDEX + 1];
            values[softnet_col::PROCESSED] = v(0);
            values[softnet_col::DROPPED] = v(1);
            values[softnet_col::TIME_SQUEEZE] = v(2);
            values[softnet_col::RECEIVED_RPS] = v(3);
            values[softnet_col::FLOW_LIMIT] = v(4);
            values[softnet_col::BACKLOG_LEN] = v(5);
            values[softnet_col::CPU_INDEX] = key[3..].parse().unwrap_or(0);
            row(&key, values)
        })
        .collect();
    sample.table_mut(TableKind::SOFTNET).rows = rows;
}

fn pressure(items: &Items<'_>, sample: &mut Sample) {
    let Some(f) = items.get(0) else { return };
    let (kind, has_full) = match items.activity.id {
        id::PSI_CPU => (TableKind::PSI_CPU, false),
        id::PSI_IO => (TableKind::PSI_IO, true),
        _ => (TableKind::PSI_MEMORY, true),
    };
    let ul = |i| f.ul(i).unwrap_or(0);
    let mut rows = vec![row(
        "some",
        vec![ul(0), ul(1), ul(2), f.ull(0).unwrap_or(0)],
    )];
    if has_full {
        rows.push(row(
            "full",
            vec![ul(3), ul(4), ul(5), f.ull(1).unwrap_or(0)],
        ));
    }
    sample.table_mut(kind).rows = rows;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sysstat::layout::Types;

    #[test]
    fn interrupts_of_the_older_layout_give_the_total_and_each_numbered_line() {
        // One 64-bit count per line, the sum first, no names (releases before 12.3).
        let activity = Activity {
            id: id::IRQ,
            magic: 0x8b,
            nr: 3,
            nr2: 1,
            has_nr: true,
            size: 8,
            types: Types {
                ull: 1,
                ul: 0,
                u: 0,
            },
        };
        let bytes: Vec<u8> = [500u64, 10, 20]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let enc = Encoding {
            big_endian: false,
            long_len: 8,
        };
        let items = Items {
            activity,
            count: 3,
            bytes: &bytes,
            enc,
        };
        let mut sample = Sample::default();
        irq(&items, &mut sample);
        assert_eq!(
            sample.table(TableKind::STAT).unwrap().get("intr"),
            Some(500)
        );
        let lines = sample.table(TableKind::INTERRUPTS).unwrap();
        let rows: Vec<(&str, &[u64])> = lines
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.values.as_slice()))
            .collect();
        assert_eq!(rows, [("0", &[10u64][..]), ("1", &[20][..])]);
    }
}
