//! Table kinds 10 to 39: the system activities beyond the core ones (interrupts, kernel
//! tables, pressure, serial lines, NFS, sockets, protocol counters, softnet, fibre channel,
//! power, filesystems, interface speed) and the name tables readers print names from
//! (block-device names, user names). Numbers are part of the file format; FORMAT.md lists
//! every kind with its rows and values, and the column modules below name the columns.
//!
//! Conventions shared by these tables:
//! - values are stored as the kernel prints them (no unit conversion) unless a column says
//!   otherwise; a negative number (`Tcp: MaxConn -1`, a temperature below zero) is stored as
//!   its 64-bit two's complement, read back with [`signed`];
//! - tables whose columns vary by kernel (`/proc/net/snmp`, `netstat`, `snmp6`, `sockstat`)
//!   carry the column names as the row's `text`, so a reader looks a counter up by name
//!   ([`named`]) and a new kernel counter is recorded without a schema change;
//! - a table absent from a sample means its source could not be read (or does not exist on
//!   that host: no battery, no serial line) or its group was not collected, never zeros;
//!   the NFS and PSI tables are the exception: collected on a host without their source,
//!   they are recorded empty (no rows), and readers show zeros, as sar does.

use crate::schema::{Row, TableKind};

impl TableKind {
    /// `/proc/interrupts`: row [`irq::CPUS_ROW`] first (values = the CPU number of each
    /// column, from the header line), then one row per IRQ line in file order: key = the IRQ
    /// name before the colon (`0`, `24`, `NMI`, `LOC`, `ERR`), text = `[description]` (the rest
    /// of the line with runs of blanks folded, e.g. `IO-APIC 2-edge timer`; no text when there
    /// is none), values = the count of each CPU column. `ERR` and `MIS` have one value: a
    /// total, not a per-CPU count.
    pub const INTERRUPTS: TableKind = TableKind(10);
    /// `/proc/softirqs`: same layout as [`TableKind::INTERRUPTS`] (row `cpus`, then `HI`,
    /// `TIMER`, `NET_TX`, ...), without text.
    pub const SOFTIRQS: TableKind = TableKind(11);
    /// Kernel tables (sar -v): rows `dentry-state`, `file-nr`, `inode-state` (every number of
    /// `/proc/sys/fs/<row>`) and `pty-nr` (`/proc/sys/kernel/pty/nr`); see [`ktables`].
    pub const KTABLES: TableKind = TableKind(12);
    /// `/proc/pressure/cpu`: rows `some` and `full` (kernels before 5.13 have no `full` line
    /// for cpu), values see [`psi_col`].
    pub const PSI_CPU: TableKind = TableKind(13);
    /// `/proc/pressure/io`, as [`TableKind::PSI_CPU`].
    pub const PSI_IO: TableKind = TableKind(14);
    /// `/proc/pressure/memory`, as [`TableKind::PSI_CPU`].
    pub const PSI_MEMORY: TableKind = TableKind(15);
    /// `/proc/tty/driver/serial`: one row per line that has a `tx:` counter, key = the line
    /// number, values see [`serial_col`] (a counter the driver does not print is 0).
    pub const SERIAL: TableKind = TableKind(16);
    /// `/proc/net/rpc/nfs` (NFS client): one row per line, key = the line's label (`net`,
    /// `rpc`, `proc3`, `proc4`, ...), values = every number on it (for `procN` lines the first
    /// is the count of procedures that follow); see [`rpc`]. A line with a decimal fraction
    /// (the old `th` histogram) is not stored.
    pub const NFS: TableKind = TableKind(17);
    /// `/proc/net/rpc/nfsd` (NFS server), as [`TableKind::NFS`] (`rc`, `fh`, `io`, `th`,
    /// `net`, `rpc`, `proc3`, `proc4ops`, ...).
    pub const NFSD: TableKind = TableKind(18);
    /// `/proc/net/sockstat`: one row per line, key = the label without its colon (`sockets`,
    /// `TCP`, `UDP`, `UDPLITE`, `RAW`, `FRAG`), text = the field names (`inuse`, `orphan`,
    /// `tw`, `alloc`, `mem`), values = the numbers after them.
    pub const SOCKSTAT: TableKind = TableKind(19);
    /// `/proc/net/sockstat6`, as [`TableKind::SOCKSTAT`] (`TCP6`, `UDP6`, `UDPLITE6`, `RAW6`,
    /// `FRAG6`).
    pub const SOCKSTAT6: TableKind = TableKind(20);
    /// `/proc/net/snmp`: one row per header/value line pair, key = the section (`Ip`, `Icmp`,
    /// `IcmpMsg`, `Tcp`, `Udp`, `UdpLite`), text = the header's field names, values = the
    /// numbers (signed ones, like `Tcp` `MaxConn -1`, in two's complement).
    pub const SNMP: TableKind = TableKind(21);
    /// `/proc/net/snmp6`: one row per protocol, key = the name's prefix up to its first digits
    /// (`Ip6`, `Icmp6`, `Udp6`, `UdpLite6`), text = the rest of each name (`InReceives`,
    /// `InType133`), values = the numbers, in file order.
    pub const SNMP6: TableKind = TableKind(22);
    /// `/proc/net/netstat`: as [`TableKind::SNMP`] (`TcpExt`, `IpExt`, `MPTcpExt`).
    pub const NETSTAT: TableKind = TableKind(23);
    /// `/proc/net/softnet_stat`: one row per CPU, key `cpuN` (N from the line's CPU-index
    /// column on kernels that print it, else the line's position), values = every hex column
    /// as a number, see [`softnet_col`].
    pub const SOFTNET: TableKind = TableKind(24);
    /// `/sys/class/fc_host/HOST/statistics`: one row per host, key = the host (`host0`),
    /// values see [`fc_col`].
    pub const FCHOST: TableKind = TableKind(25);
    /// Current CPU frequency: one row per CPU, key `cpuN`, value = kHz, from
    /// `/sys/devices/system/cpu/cpuN/cpufreq/scaling_cur_freq` when every CPU has it, else
    /// from `/proc/cpuinfo`'s `cpu MHz` (MHz with three decimals, stored ×1000).
    pub const CPUFREQ: TableKind = TableKind(26);
    /// `/sys/devices/system/cpu/cpuN/cpufreq/stats/time_in_state`: one row per CPU, key
    /// `cpuN`, values = `[freq_kHz, time, freq_kHz, time, ...]` in file order (time in 10 ms
    /// units, cumulative).
    pub const TIME_IN_STATE: TableKind = TableKind(27);
    /// hwmon sensors (`/sys/class/hwmon/hwmonN/`): one row per `temp*`, `fan*` and `in*`
    /// input, key = `hwmonN/temp1` etc., text see [`hwmon_text`] (`name`, `temp1_label`
    /// empty when absent, libsensors' chip name; files written before the chip name was
    /// recorded have the first two only), values see [`hwmon_col`].
    pub const HWMON: TableKind = TableKind(28);
    /// Batteries (`/sys/class/power_supply/X` whose `type` is `Battery`): key = X, text =
    /// `[status]`, values see [`battery_col`].
    pub const BATTERY: TableKind = TableKind(29);
    /// USB devices (`/sys/bus/usb/devices/B-P...`, not interfaces): key = the device's
    /// directory name, text = `[manufacturer, product]`, values see [`usb_col`].
    pub const USB: TableKind = TableKind(30);
    /// Mounted filesystems with space and inode use (statvfs): one row per device (first
    /// mount wins; pseudo filesystems skipped), key = the device as in the mounts file with
    /// octal escapes undone, text = `[mount point, type]`, values see [`fs_col`].
    pub const FILESYSTEMS: TableKind = TableKind(31);
    /// Interface speed and duplex (`/sys/class/net/IF/{speed,duplex}`), for %ifutil: one row
    /// per interface of [`TableKind::NETDEV`] that reports them, values see [`netif_col`].
    pub const NETIF: TableKind = TableKind(32);
    /// Persistent and device-mapper names of block devices (sar -j, -p): one row per name,
    /// key = the device's kernel name (`sda1`, `dm-0`), text = `[kind, name]` with kind one of
    /// [`device_names`] (`mapper` from /sys/block/dm-N/dm/name, then the links of
    /// /dev/disk/by-id, by-label, by-path, by-uuid, each sorted by name), no values. Read
    /// again only when /dev/mapper or a /dev/disk/by-* directory changes.
    pub const DEVICE_NAMES: TableKind = TableKind(33);
    /// User names (top's replay): one row per /etc/passwd entry in file order, key = the
    /// user name, values = `[uid]`. Read again only when /etc/passwd changes.
    pub const USERS: TableKind = TableKind(34);
    /// sysstat's I/O totals (its A_IO activity, `sar -b`), only in samples read from a sysstat
    /// file: one row `io`, values see [`sysstat_io_col`]. sysstat reads them apart from its
    /// per-disk figures, so they are kept as read rather than rebuilt from the disks.
    pub const SYSSTAT_IO: TableKind = TableKind(39);
}

/// A value stored in two's complement (see the module doc) as the signed number it is.
pub fn signed(value: u64) -> i64 {
    value as i64
}

/// The value of a row whose `text` names its columns (sockstat, snmp, netstat, snmp6).
pub fn named(row: &Row, name: &str) -> Option<u64> {
    let index = row.text.iter().position(|text| text == name)?;
    row.value(index)
}

/// Rows of [`TableKind::INTERRUPTS`] and [`TableKind::SOFTIRQS`].
pub mod irq {
    /// The first row: the CPU number of each value column (offline CPUs have no column).
    pub const CPUS_ROW: &str = "cpus";
    /// The name of the derived row that sums every line per CPU (sar 12.7 -I's `sum`); not
    /// stored.
    pub const SUM_ROW: &str = "sum";

    /// Whether the row `key` holds one total rather than a count per CPU (`ERR`, `MIS`).
    pub fn is_total(key: &str) -> bool {
        key == "ERR" || key == "MIS"
    }
}

/// The kinds of name in [`TableKind::DEVICE_NAMES`](super::TableKind::DEVICE_NAMES) rows'
/// first text (sar -j's ID, LABEL, PATH, UUID; -p's /dev/mapper names).
pub mod device_names {
    /// Names under /dev/mapper (sar -p).
    pub const MAPPER: &str = "mapper";
    /// Persistent names under /dev/disk/by-id (sar -j ID).
    pub const ID: &str = "id";
    /// Persistent names under /dev/disk/by-label (sar -j LABEL).
    pub const LABEL: &str = "label";
    /// Persistent names under /dev/disk/by-path (sar -j PATH).
    pub const PATH: &str = "path";
    /// Persistent names under /dev/disk/by-uuid (sar -j UUID).
    pub const UUID: &str = "uuid";
}

/// Rows and columns of [`TableKind::KTABLES`](super::TableKind::KTABLES).
pub mod ktables {
    /// Row key of /proc/sys/fs/dentry-state.
    pub const DENTRY_STATE: &str = "dentry-state";
    /// `dentry-state` column: unused dentries (sar's dentunusd).
    pub const DENTRY_UNUSED: usize = 1;
    /// Row key of /proc/sys/fs/file-nr.
    pub const FILE_NR: &str = "file-nr";
    /// `file-nr` columns: allocated and free file handles (sar's file-nr is their difference).
    pub const FILE_ALLOCATED: usize = 0;
    /// `file-nr` column: free file handles.
    pub const FILE_FREE: usize = 1;
    /// Row key of /proc/sys/fs/inode-state.
    pub const INODE_STATE: &str = "inode-state";
    /// `inode-state` columns: allocated and free inodes (sar's inode-nr is the difference).
    pub const INODES: usize = 0;
    /// `inode-state` column: free inodes.
    pub const INODES_FREE: usize = 1;
    /// One value: pseudo-terminals in use.
    pub const PTY_NR: &str = "pty-nr";
}

/// Columns of the pressure tables ([`TableKind::PSI_CPU`](super::TableKind::PSI_CPU) etc.).
pub mod psi_col {
    /// Share of time stalled over 10, 60 and 300 s, in hundredths of a percent (`0.52` → 52).
    pub const AVG10: usize = 0;
    /// Share of time stalled over the last 60 s, hundredths of a percent (`avg60`).
    pub const AVG60: usize = 1;
    /// Share of time stalled over the last 300 s, hundredths of a percent (`avg300`).
    pub const AVG300: usize = 2;
    /// Cumulative stall time, µs.
    pub const TOTAL: usize = 3;
}

/// Columns of [`TableKind::SERIAL`](super::TableKind::SERIAL) rows.
pub mod serial_col {
    /// `tx:` transmit interrupts.
    pub const TX: usize = 0;
    /// `rx:` receive interrupts.
    pub const RX: usize = 1;
    /// `fe:` framing errors.
    pub const FRAME: usize = 2;
    /// `pe:` parity errors.
    pub const PARITY: usize = 3;
    /// `brk:` breaks.
    pub const BRK: usize = 4;
    /// `oe:` overruns.
    pub const OVERRUN: usize = 5;
    /// How many counters a row has.
    pub const COUNT: usize = 6;
}

/// Rows and columns of [`TableKind::NFS`](super::TableKind::NFS) and
/// [`TableKind::NFSD`](super::TableKind::NFSD) that sar uses (sysstat's positions).
pub mod rpc {
    /// Client `rpc`: calls, retransmissions. Server `rpc`: calls, bad calls.
    pub const RPC: &str = "rpc";
    /// `rpc` column: calls.
    pub const CALLS: usize = 0;
    /// `rpc` column: retransmissions (client) or bad calls (server).
    pub const RETRANS_OR_BAD: usize = 1;
    /// Server `net`: packets, UDP packets, TCP packets.
    pub const NET: &str = "net";
    /// Server `rc` (reply cache): hits, misses.
    pub const RC: &str = "rc";
    /// NFSv3 procedures (both sides): value 0 is the count, then one per procedure.
    pub const PROC3: &str = "proc3";
    /// `proc3` column: GETATTR calls.
    pub const PROC3_GETATTR: usize = 2;
    /// `proc3` column: ACCESS calls.
    pub const PROC3_ACCESS: usize = 5;
    /// `proc3` column: READ calls.
    pub const PROC3_READ: usize = 7;
    /// `proc3` column: WRITE calls.
    pub const PROC3_WRITE: usize = 8;
    /// NFSv4 client procedures.
    pub const PROC4: &str = "proc4";
    /// Client `proc4` column: READ calls.
    pub const PROC4_READ: usize = 2;
    /// Client `proc4` column: WRITE calls.
    pub const PROC4_WRITE: usize = 3;
    /// Client `proc4` column: ACCESS calls.
    pub const PROC4_ACCESS: usize = 20;
    /// Client `proc4` column: GETATTR calls.
    pub const PROC4_GETATTR: usize = 21;
    /// NFSv4 server operations.
    pub const PROC4OPS: &str = "proc4ops";
    /// Server `proc4ops` column: ACCESS operations.
    pub const PROC4OPS_ACCESS: usize = 4;
    /// Server `proc4ops` column: GETATTR operations.
    pub const PROC4OPS_GETATTR: usize = 10;
    /// Server `proc4ops` column: READ operations.
    pub const PROC4OPS_READ: usize = 26;
    /// Server `proc4ops` column: WRITE operations.
    pub const PROC4OPS_WRITE: usize = 39;
}

/// Columns of [`TableKind::SOFTNET`](super::TableKind::SOFTNET) rows (file order).
pub mod softnet_col {
    /// Frames processed (sar's total/s).
    pub const PROCESSED: usize = 0;
    /// Frames dropped because the backlog queue was full (dropd/s).
    pub const DROPPED: usize = 1;
    /// Times the softirq ran out of budget with work left (squeezd/s).
    pub const TIME_SQUEEZE: usize = 2;
    /// Collisions taking the transmit lock (always 0 on current kernels; sar does not show it).
    pub const CPU_COLLISION: usize = 8;
    /// Inter-processor interrupts received to steer packets (rx_rps/s).
    pub const RECEIVED_RPS: usize = 9;
    /// Times the flow limit was reached (flw_lim/s).
    pub const FLOW_LIMIT: usize = 10;
    /// Backlog queue length (a gauge; kernels since 5.10).
    pub const BACKLOG_LEN: usize = 11;
    /// The CPU the line is about (kernels since 5.10).
    pub const CPU_INDEX: usize = 12;
    /// The counters sar shows: a CPU whose sum of them is 0 has no reference values.
    pub const COUNTED: [usize; 5] = [PROCESSED, DROPPED, TIME_SQUEEZE, RECEIVED_RPS, FLOW_LIMIT];
}

/// Columns of [`TableKind::FCHOST`](super::TableKind::FCHOST) rows.
pub mod fc_col {
    /// Frames received (`statistics/rx_frames`).
    pub const RX_FRAMES: usize = 0;
    /// Frames transmitted (`statistics/tx_frames`).
    pub const TX_FRAMES: usize = 1;
    /// Words received (`statistics/rx_words`).
    pub const RX_WORDS: usize = 2;
    /// Words transmitted (`statistics/tx_words`).
    pub const TX_WORDS: usize = 3;
    /// How many counters a row has.
    pub const COUNT: usize = 4;
}

/// Columns of [`TableKind::HWMON`](super::TableKind::HWMON) rows: sysfs units (millidegree
/// Celsius for temp, RPM for fan, millivolt for in), signed (two's complement); `min` and
/// `max` are 0 when the chip has no such file (sysstat shows 0 then too).
pub mod hwmon_col {
    /// The reading (`*_input`).
    pub const INPUT: usize = 0;
    /// The lower limit (`*_min`).
    pub const MIN: usize = 1;
    /// The upper limit (`*_max`).
    pub const MAX: usize = 2;
    /// How many values a row has.
    pub const COUNT: usize = 3;
}

/// Text of [`TableKind::HWMON`](super::TableKind::HWMON) rows.
pub mod hwmon_text {
    /// The hwmon's `name` (the driver: `coretemp`).
    pub const NAME: usize = 0;
    /// The sensor's `_label` (`Package id 0`), empty when it has none.
    pub const LABEL: usize = 1;
    /// libsensors' chip name, sar's DEVICE (`coretemp-isa-0000`); absent in older files.
    pub const CHIP: usize = 2;
}

/// Columns of [`TableKind::BATTERY`](super::TableKind::BATTERY) rows.
pub mod battery_col {
    /// Remaining capacity, percent (`capacity`).
    pub const CAPACITY: usize = 0;
}

/// Columns of [`TableKind::USB`](super::TableKind::USB) rows.
pub mod usb_col {
    /// The bus number (`busnum`).
    pub const BUS: usize = 0;
    /// The vendor's identifier (`idVendor`).
    pub const VENDOR_ID: usize = 1;
    /// The product's identifier (`idProduct`).
    pub const PRODUCT_ID: usize = 2;
    /// `bMaxPower` in mA.
    pub const MAX_POWER_MA: usize = 3;
    /// How many values a row has.
    pub const COUNT: usize = 4;
}

/// Columns of [`TableKind::FILESYSTEMS`](super::TableKind::FILESYSTEMS) rows (statvfs; sizes
/// in bytes, already multiplied by the fragment size).
pub mod fs_col {
    /// Size in bytes (`f_blocks` × `f_frsize`).
    pub const BLOCKS_BYTES: usize = 0;
    /// Free bytes, reserved blocks included (`f_bfree` × `f_frsize`).
    pub const FREE_BYTES: usize = 1;
    /// Free to unprivileged users.
    pub const AVAIL_BYTES: usize = 2;
    /// Inodes in all (`f_files`).
    pub const FILES: usize = 3;
    /// Free inodes (`f_ffree`).
    pub const FILES_FREE: usize = 4;
    /// How many values a row has.
    pub const COUNT: usize = 5;
    /// Text column: where it is mounted (its first mount point).
    pub const TEXT_MOUNT_POINT: usize = 0;
    /// Text column: the filesystem's type (`ext4`).
    pub const TEXT_TYPE: usize = 1;
}

/// Columns of [`TableKind::NETIF`](super::TableKind::NETIF) rows.
pub mod netif_col {
    /// Link speed in Mb/s (0: unknown).
    pub const SPEED_MBPS: usize = 0;
    /// [`DUPLEX_UNKNOWN`], [`DUPLEX_HALF`] or [`DUPLEX_FULL`].
    pub const DUPLEX: usize = 1;
    /// The kernel did not say (`duplex` unknown or unreadable).
    pub const DUPLEX_UNKNOWN: u64 = 0;
    /// Half duplex: sar's %ifutil counts both directions together.
    pub const DUPLEX_HALF: u64 = 1;
    /// Full duplex: sar's %ifutil takes the busier direction.
    pub const DUPLEX_FULL: u64 = 2;
}

/// Columns of the [`TableKind::SYSSTAT_IO`](super::TableKind::SYSSTAT_IO) row: cumulative
/// transfers and 512-byte blocks of the whole machine.
pub mod sysstat_io_col {
    /// Transfers (read and write requests) since boot.
    pub const TRANSFERS: usize = 0;
    /// Read requests since boot.
    pub const READS: usize = 1;
    /// Write requests since boot.
    pub const WRITES: usize = 2;
    /// 512-byte blocks read since boot.
    pub const BLOCKS_READ: usize = 3;
    /// 512-byte blocks written since boot.
    pub const BLOCKS_WRITTEN: usize = 4;
    /// Discard requests since boot.
    pub const DISCARDS: usize = 5;
    /// 512-byte blocks discarded since boot.
    pub const BLOCKS_DISCARDED: usize = 6;
}
