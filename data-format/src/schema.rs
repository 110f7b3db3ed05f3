//! The sample schema: what one sample holds, independent of how it is stored.
//!
//! A sample is a list of [`Table`]s, one per source (`/proc/stat` cpu lines, `/proc/meminfo`,
//! `/proc/diskstats`, ...). A table is a list of [`Row`]s; a row is identified by its `key`
//! (a CPU name, a device name, a meminfo field) and carries raw cumulative counters in
//! `values`, exactly as read. Rates are never stored: they are derived at read time
//! (see [`crate::derive`]).
//!
//! Why tables and not one struct per file: new kernel fields are recorded without a schema
//! change (meminfo and vmstat rows are stored by name), a table the reader does not know is
//! skipped, a column appended to a table is invisible to older readers, and the delta codec
//! ([`crate::codec`]) works the same for every table. The typed view of these tables lives in
//! [`crate::derive`]. The column order of every table kind is fixed once released: columns may
//! only be appended. FORMAT.md lists every kind and its columns.

use serde::{Deserialize, Serialize};

/// Identifies what a table holds. Numbers are part of the file format: never reuse one; every
/// kind is registered (number, name, group) in [`crate::kinds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TableKind(pub u16);

impl TableKind {
    /// `/proc/uptime`: one row `uptime`, values `[uptime_cs, idle_cs]` (hundredths of a second).
    pub const UPTIME: TableKind = TableKind(1);
    /// Boot identity: one row `boot`, text `[boot_id]` from `/proc/sys/kernel/random/boot_id`.
    pub const BOOT: TableKind = TableKind(2);
    /// `/proc/stat` cpu lines: rows `cpu` (the summary line) and `cpuN`, values in file order:
    /// user nice system idle iowait irq softirq steal guest guest_nice (ticks; see [`cpu_col`]).
    pub const CPU: TableKind = TableKind(3);
    /// `/proc/stat` other lines: rows `ctxt`, `btime`, `processes`, `procs_running`,
    /// `procs_blocked`, `intr` and `softirq` (the first value of a line only: its total).
    pub const STAT: TableKind = TableKind(4);
    /// `/proc/meminfo`: one row per field, key as in the file without the colon, value as
    /// written (kB for sizes, pages for `HugePages_*` counts).
    pub const MEMINFO: TableKind = TableKind(5);
    /// `/proc/vmstat`: one row per field, key as in the file.
    pub const VMSTAT: TableKind = TableKind(6);
    /// `/proc/loadavg`: one row `loadavg`, see [`loadavg_col`].
    pub const LOADAVG: TableKind = TableKind(7);
    /// `/proc/diskstats`: one row per device, key = device name, values `[major, minor,
    /// field1 .. fieldN]` with N = 4 (old partition layout), 11, 15 or 17, see [`disk_col`].
    pub const DISKSTATS: TableKind = TableKind(8);
    /// `/proc/net/dev`: one row per interface, key = interface name, 16 counters, see [`net_col`].
    pub const NETDEV: TableKind = TableKind(9);
}

/// Column indexes of [`TableKind::CPU`] rows.
pub mod cpu_col {
    /// `user`: time in user mode (guest time included), clock ticks since boot (/proc/stat `cpu`
    /// line, field 1).
    pub const USER: usize = 0;
    /// `nice`: time in niced user mode (niced guest time included), clock ticks since boot
    /// (/proc/stat `cpu` line, field 2).
    pub const NICE: usize = 1;
    /// `system`: time in kernel mode, clock ticks since boot (/proc/stat `cpu` line, field 3).
    pub const SYSTEM: usize = 2;
    /// `idle`: idle time, clock ticks since boot (/proc/stat `cpu` line, field 4).
    pub const IDLE: usize = 3;
    /// `iowait`: idle time with I/O outstanding, clock ticks since boot (/proc/stat `cpu` line,
    /// field 5).
    pub const IOWAIT: usize = 4;
    /// `irq`: time servicing hardware interrupts, clock ticks since boot (/proc/stat `cpu` line,
    /// field 6).
    pub const IRQ: usize = 5;
    /// `softirq`: time servicing software interrupts, clock ticks since boot (/proc/stat `cpu`
    /// line, field 7).
    pub const SOFTIRQ: usize = 6;
    /// `steal`: time stolen by the hypervisor, clock ticks since boot (/proc/stat `cpu` line, field
    /// 8).
    pub const STEAL: usize = 7;
    /// `guest`: time running a virtual CPU, clock ticks since boot (/proc/stat `cpu` line, field
    /// 9).
    pub const GUEST: usize = 8;
    /// `guest_nice`: time running a niced virtual CPU, clock ticks since boot (/proc/stat `cpu`
    /// line, field 10).
    pub const GUEST_NICE: usize = 9;
    /// How many time fields current kernels print.
    pub const COUNT: usize = 10;
}

/// Column indexes of the [`TableKind::LOADAVG`] row.
pub mod loadavg_col {
    /// Load averages are stored in hundredths (`0.52` is stored as 52).
    pub const LOAD1: usize = 0;
    /// 5-minute load average, hundredths (/proc/loadavg field 2).
    pub const LOAD5: usize = 1;
    /// 15-minute load average, hundredths (/proc/loadavg field 3).
    pub const LOAD15: usize = 2;
    /// Currently runnable scheduling entities.
    pub const RUNNABLE: usize = 3;
    /// Scheduling entities that exist (sar's plist-sz).
    pub const TASKS: usize = 4;
    /// The most recently assigned process id (/proc/loadavg field 5).
    pub const LAST_PID: usize = 5;
}

/// Column indexes of [`TableKind::DISKSTATS`] rows (see Documentation/admin-guide/iostats.rst).
pub mod disk_col {
    /// The device's major number (/proc/diskstats column 1).
    pub const MAJOR: usize = 0;
    /// The device's minor number (/proc/diskstats column 2).
    pub const MINOR: usize = 1;
    /// Reads completed (/proc/diskstats column 4).
    pub const READS: usize = 2;
    /// Reads merged with an adjacent one (/proc/diskstats column 5).
    pub const READS_MERGED: usize = 3;
    /// 512-byte sectors read (/proc/diskstats column 6).
    pub const SECTORS_READ: usize = 4;
    /// Milliseconds spent reading, summed over requests (/proc/diskstats column 7).
    pub const READ_MS: usize = 5;
    /// Writes completed (/proc/diskstats column 8).
    pub const WRITES: usize = 6;
    /// Writes merged with an adjacent one (/proc/diskstats column 9).
    pub const WRITES_MERGED: usize = 7;
    /// 512-byte sectors written (/proc/diskstats column 10).
    pub const SECTORS_WRITTEN: usize = 8;
    /// Milliseconds spent writing, summed over requests (/proc/diskstats column 11).
    pub const WRITE_MS: usize = 9;
    /// Requests in flight at the sample (a level, not a counter) (/proc/diskstats column 12).
    pub const IN_FLIGHT: usize = 10;
    /// Milliseconds the device had requests in service (/proc/diskstats column 13).
    pub const IO_MS: usize = 11;
    /// Milliseconds in service weighted by requests in flight (aqu-sz's source) (/proc/diskstats
    /// field 13).
    pub const WEIGHTED_IO_MS: usize = 12;
    /// Discards completed (Linux 4.18 on) (/proc/diskstats column 15).
    pub const DISCARDS: usize = 13;
    /// Discards merged with an adjacent one (/proc/diskstats column 16).
    pub const DISCARDS_MERGED: usize = 14;
    /// 512-byte sectors discarded (/proc/diskstats column 17).
    pub const SECTORS_DISCARDED: usize = 15;
    /// Milliseconds spent discarding (/proc/diskstats column 18).
    pub const DISCARD_MS: usize = 16;
    /// Flush requests completed (Linux 5.5 on) (/proc/diskstats column 19).
    pub const FLUSHES: usize = 17;
    /// Milliseconds spent flushing (/proc/diskstats column 20).
    pub const FLUSH_MS: usize = 18;
    /// The old (2.4/early 2.6) partition layout: `major minor name reads sectors_read writes
    /// sectors_written`. Stored as read, so a row with this many values uses these indexes.
    pub const OLD_PARTITION_LEN: usize = 6;
    /// Old partition layout: reads issued.
    pub const OLD_READS: usize = 2;
    /// Old partition layout: sectors read.
    pub const OLD_SECTORS_READ: usize = 3;
    /// Old partition layout: writes issued.
    pub const OLD_WRITES: usize = 4;
    /// Old partition layout: sectors written.
    pub const OLD_SECTORS_WRITTEN: usize = 5;
}

/// Column indexes of [`TableKind::NETDEV`] rows, in `/proc/net/dev` order.
pub mod net_col {
    /// Receive `bytes`: bytes received since boot (/proc/net/dev).
    pub const RX_BYTES: usize = 0;
    /// Receive `packets`: packets received since boot (/proc/net/dev).
    pub const RX_PACKETS: usize = 1;
    /// Receive `errs`: errors received since boot (/proc/net/dev).
    pub const RX_ERRS: usize = 2;
    /// Receive `drop`: packets dropped received since boot (/proc/net/dev).
    pub const RX_DROP: usize = 3;
    /// Receive `fifo`: FIFO buffer errors received since boot (/proc/net/dev).
    pub const RX_FIFO: usize = 4;
    /// Receive `frame`: framing errors received since boot (/proc/net/dev).
    pub const RX_FRAME: usize = 5;
    /// Receive `compressed`: compressed packets received since boot (/proc/net/dev).
    pub const RX_COMPRESSED: usize = 6;
    /// Receive `multicast`: multicast packets received since boot (/proc/net/dev).
    pub const RX_MULTICAST: usize = 7;
    /// Transmit `bytes`: bytes transmitted since boot (/proc/net/dev).
    pub const TX_BYTES: usize = 8;
    /// Transmit `packets`: packets transmitted since boot (/proc/net/dev).
    pub const TX_PACKETS: usize = 9;
    /// Transmit `errs`: errors detected while transmitting since boot (/proc/net/dev).
    pub const TX_ERRS: usize = 10;
    /// Transmit `drop`: packets dropped transmitted since boot (/proc/net/dev).
    pub const TX_DROP: usize = 11;
    /// Transmit `fifo`: FIFO buffer errors detected while transmitting since boot (/proc/net/dev).
    pub const TX_FIFO: usize = 12;
    /// Transmit `colls`: collisions detected while transmitting since boot (/proc/net/dev).
    pub const TX_COLLS: usize = 13;
    /// Transmit `carrier`: carrier losses detected while transmitting since boot (/proc/net/dev).
    pub const TX_CARRIER: usize = 14;
    /// Transmit `compressed`: compressed packets transmitted since boot (/proc/net/dev).
    pub const TX_COMPRESSED: usize = 15;
    /// How many counters a row has.
    pub const COUNT: usize = 16;
}

/// One item of a table: a CPU, a device, a meminfo field.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// What the row is, as the kernel names it (`cpu3`, `sda`, `MemFree`).
    pub key: String,
    /// Text attributes (a boot id; a command line in later tables). Usually empty.
    pub text: Vec<String>,
    /// Raw counters and gauges, as read.
    pub values: Vec<u64>,
}

impl Row {
    /// The value in column `col`, if this row has that many columns.
    pub fn value(&self, col: usize) -> Option<u64> {
        self.values.get(col).copied()
    }
}

/// All rows read from one source in one sample.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Which source the rows were read from.
    pub kind: TableKind,
    /// The rows, in the order the source lists them (one per line, device, CPU, ...).
    pub rows: Vec<Row>,
}

impl Table {
    /// An empty table of `kind`.
    pub fn new(kind: TableKind) -> Table {
        Table {
            kind,
            rows: Vec::new(),
        }
    }

    /// The row named `key`. Linear: tables are small and usually read in order.
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.key == key)
    }

    /// Finds rows of this table by key, one after another: see [`RowFinder`].
    pub fn finder(&self) -> RowFinder<'_> {
        RowFinder {
            rows: &self.rows,
            next: 0,
        }
    }

    /// The first value of row `key` (for one-value tables such as meminfo and vmstat).
    pub fn get(&self, key: &str) -> Option<u64> {
        self.row(key).and_then(|row| row.value(0))
    }

    /// Starts refilling this table in place. Rows, their strings and value vectors are
    /// reused, so a parser that refills the same table every sample does not allocate once
    /// the table has reached its size. Call [`TableFill::finish`] when done.
    pub fn refill(&mut self) -> TableFill<'_> {
        TableFill {
            table: self,
            used: 0,
        }
    }
}

/// Finds the rows of a table for the rows of another one, in their order (the previous
/// sample's row of each device of this sample): each key is looked for first just after the
/// row found last, then anywhere. Rows keep their order from one sample to the next, so a
/// loop over 5,000 disks costs 5,000 comparisons rather than the 12.5 million of
/// [`Table::row`] for each; a device that appeared or went away costs one search.
pub struct RowFinder<'a> {
    rows: &'a [Row],
    next: usize,
}

impl<'a> RowFinder<'a> {
    /// The row named `key`, if there is one.
    pub fn find(&mut self, key: &str) -> Option<&'a Row> {
        let at = match self.rows.get(self.next) {
            Some(row) if row.key == key => self.next,
            _ => self.rows.iter().position(|row| row.key == key)?,
        };
        self.next = at + 1;
        Some(&self.rows[at])
    }
}

/// Refills a [`Table`] in place; see [`Table::refill`].
pub struct TableFill<'a> {
    table: &'a mut Table,
    used: usize,
}

impl TableFill<'_> {
    /// Appends a row named `key`, with no text and no values yet, and returns it.
    pub fn row(&mut self, key: &str) -> &mut Row {
        if self.used == self.table.rows.len() {
            self.table.rows.push(Row::default());
        }
        let row = &mut self.table.rows[self.used];
        self.used += 1;
        row.key.clear();
        row.key.push_str(key);
        row.text.clear();
        row.values.clear();
        row
    }

    /// Appends a row named `key` whose text is `text`, reusing the row's previous strings
    /// (a table with text in every row, such as processes, then stays allocation-free).
    pub fn row_with_text(&mut self, key: &str, text: &[&str]) -> &mut Row {
        if self.used == self.table.rows.len() {
            self.table.rows.push(Row::default());
        }
        let row = &mut self.table.rows[self.used];
        self.used += 1;
        row.key.clear();
        row.key.push_str(key);
        row.values.clear();
        row.text.truncate(text.len());
        for (i, part) in text.iter().enumerate() {
            match row.text.get_mut(i) {
                Some(existing) => {
                    existing.clear();
                    existing.push_str(part);
                }
                None => row.text.push((*part).to_string()),
            }
        }
        row
    }

    /// How many rows have been added so far.
    pub fn len(&self) -> usize {
        self.used
    }

    /// Whether no row has been added yet.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Drops rows left over from the previous fill.
    pub fn finish(self) {
        self.table.rows.truncate(self.used);
    }
}

// `clone_from` field by field (a derived `Clone` replaces everything): copying a sample into
// one of the same shape, as the writer does with its last sample and key frame every sample,
// then reuses every string and vector instead of allocating a second copy of each (which, with
// a thousand process rows, was both a memory peak and thousands of allocations per sample).

impl Clone for Row {
    fn clone(&self) -> Row {
        Row {
            key: self.key.clone(),
            text: self.text.clone(),
            values: self.values.clone(),
        }
    }

    fn clone_from(&mut self, source: &Row) {
        self.key.clone_from(&source.key);
        self.text.clone_from(&source.text);
        self.values.clone_from(&source.values);
    }
}

impl Clone for Table {
    fn clone(&self) -> Table {
        Table {
            kind: self.kind,
            rows: self.rows.clone(),
        }
    }

    fn clone_from(&mut self, source: &Table) {
        self.kind = source.kind;
        self.rows.clone_from(&source.rows);
    }
}

impl Clone for Sample {
    fn clone(&self) -> Sample {
        Sample {
            time_us: self.time_us,
            tables: self.tables.clone(),
        }
    }

    fn clone_from(&mut self, source: &Sample) {
        self.time_us = source.time_us;
        self.tables.clone_from(&source.tables);
    }
}

/// Microseconds since the Unix epoch, UTC.
pub type TimeUs = i64;

/// One sample: every table read at one moment.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sample {
    /// Wall-clock time of the sample (UTC). Used for display and day files only: intervals
    /// come from the uptime table, so clock jumps never corrupt a rate.
    pub time_us: TimeUs,
    /// Tables in increasing kind order, at most one per kind.
    pub tables: Vec<Table>,
}

impl Sample {
    /// The table of `kind`, if the sample recorded it.
    pub fn table(&self, kind: TableKind) -> Option<&Table> {
        self.tables.iter().find(|table| table.kind == kind)
    }

    /// The table of `kind`, created empty (in kind order) if the sample has none.
    pub fn table_mut(&mut self, kind: TableKind) -> &mut Table {
        let index = match self.tables.binary_search_by_key(&kind, |table| table.kind) {
            Ok(index) => index,
            Err(index) => {
                self.tables.insert(index, Table::new(kind));
                index
            }
        };
        &mut self.tables[index]
    }

    /// Drops the table of `kind` (its source could not be read this time).
    pub fn remove_table(&mut self, kind: TableKind) {
        self.tables.retain(|table| table.kind != kind);
    }

    /// Uptime in hundredths of a second, from the uptime table.
    pub fn uptime_cs(&self) -> Option<u64> {
        self.table(TableKind::UPTIME)?.rows.first()?.value(0)
    }

    /// The kernel's boot id, from the boot table.
    pub fn boot_id(&self) -> Option<&str> {
        self.table(TableKind::BOOT)?
            .rows
            .first()?
            .text
            .first()
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refill_reuses_rows_and_truncates() {
        let mut table = Table::new(TableKind::NETDEV);
        let mut fill = table.refill();
        fill.row("eth0").values.extend([1, 2]);
        fill.row("lo").values.push(3);
        fill.finish();
        let capacity = table.rows[0].key.capacity();
        let mut fill = table.refill();
        fill.row("eth1").values.push(9);
        fill.finish();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].key, "eth1");
        assert_eq!(table.rows[0].values, vec![9]);
        assert_eq!(table.rows[0].key.capacity(), capacity);
        assert_eq!(table.get("eth1"), Some(9));
        assert_eq!(table.get("lo"), None);
    }

    #[test]
    fn row_with_text_reuses_strings() {
        let mut table = Table::new(TableKind::BOOT);
        let mut fill = table.refill();
        fill.row_with_text("boot", &["first-id"]);
        fill.finish();
        let pointer = table.rows[0].text[0].as_ptr();
        let mut fill = table.refill();
        fill.row_with_text("boot", &["second"]);
        fill.finish();
        assert_eq!(table.rows[0].text, vec!["second".to_string()]);
        assert_eq!(table.rows[0].text[0].as_ptr(), pointer);
    }

    #[test]
    fn clone_from_reuses_strings_and_vectors() {
        let mut source = Sample::default();
        source
            .table_mut(TableKind::NETDEV)
            .refill()
            .row_with_text("eth0", &["some text"])
            .values
            .extend([1, 2, 3]);
        let mut copy = source.clone();
        assert_eq!(copy, source);
        let pointers = |s: &Sample| {
            let row = &s.tables[0].rows[0];
            (row.key.as_ptr(), row.text[0].as_ptr(), row.values.as_ptr())
        };
        let before = pointers(&copy);
        source.tables[0].rows[0].values[0] = 9;
        source.tables[0].rows[0].text[0].replace_range(..4, "SOME");
        copy.clone_from(&source);
        assert_eq!(copy, source);
        assert_eq!(pointers(&copy), before);
    }

    #[test]
    fn tables_stay_in_kind_order() {
        let mut sample = Sample::default();
        sample.table_mut(TableKind::NETDEV);
        sample.table_mut(TableKind::CPU);
        sample
            .table_mut(TableKind::UPTIME)
            .refill()
            .row("uptime")
            .values
            .extend([500, 900]);
        let kinds: Vec<u16> = sample.tables.iter().map(|t| t.kind.0).collect();
        assert_eq!(kinds, vec![1, 3, 9]);
        assert_eq!(sample.uptime_cs(), Some(500));
        sample.remove_table(TableKind::CPU);
        assert!(sample.table(TableKind::CPU).is_none());
    }
}
