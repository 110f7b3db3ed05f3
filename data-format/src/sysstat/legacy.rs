//! sysstat's older data-file formats, read directly: format 0x2171 (sysstat 9.1.6 to 10.2.1)
//! and 0x2173 (10.3.1 to 11.6.x), the ones sysstat 12's `sadf -c` converts. Their file
//! header, activity list and record header are fixed C structures that do not describe their
//! own fields, and some activities keep their figures in older structures; this module reads
//! them and gives the rest of the reader what a current (0x2175) file would: the same header,
//! activity list and record header types, and each activity's items in the current layout.
//!
//! The structures are those of sysstat 12.7.9's sa_conv.h, laid out as GCC lays out their
//! alignment attributes: an `unsigned long long` declared 16-byte aligned takes a 16-byte slot
//! (so the record header is 48 bytes and the old `stats_cpu` 160), an `unsigned long` an
//! 8-byte slot (4 bytes of value on 32-bit writers), an `unsigned int` 4 bytes. An item
//! structure is told apart by its activity's magic number (0x8a for the oldest structure,
//! 0x8b the next...); structures that sa_conv.h does not list (the sensors') are as today.

use super::catalog::id;
use super::layout::{Activity, Encoding, Fields, FileHeader, RecordHeader, Types, MAX_ITEM_LEN};
use super::layout::{MAX_ACTIVITIES, MAX_NR2};

/// Format 0x2171: sysstat 9.1.6 to 10.2.1.
pub const FORMAT_2171: u16 = 0x2171;
/// Format 0x2173: sysstat 10.3.1 to 11.6.x.
pub const FORMAT_2173: u16 = 0x2173;
/// Bytes of format 0x2171's `struct file_magic` (no header size, no padding).
pub const FILE_MAGIC_2171_LEN: usize = 8;
/// Bytes of `struct file_header_2171` (the same on 32- and 64-bit writers).
pub const FILE_HEADER_2171_LEN: u32 = 280;
/// Bytes of `struct old_file_activity` (five ints).
pub const OLD_ACTIVITY_LEN: usize = 20;
/// Bytes of `struct old_record_header` (its three 8-byte fields are 16-byte aligned).
pub const OLD_RECORD_HEADER_LEN: usize = 48;
/// Bytes of the oldest `stats_filesystem` (0x8a): five counters in 16-byte slots and the
/// filesystem's name, no mount point (sa_conv.h's STATS_FILESYSTEM_8A_1_SIZE). Larger items
/// of the same magic add the mount point after a 128-byte name (MAX_FS_LEN).
pub const FS_8A_NAME_ONLY_LEN: u32 = 160;
/// Bytes of a filesystem's name, then of its mount point, in items larger than
/// [`FS_8A_NAME_ONLY_LEN`].
pub const FS_NAME_LEN: u32 = 128;
/// The clock rate older files count uptime in (sysstat converts with its own, Linux's 100).
const OLD_HZ: u64 = 100;
const UTSNAME_LEN: usize = 65;

/// What an older file needs besides the current structures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Legacy {
    /// The file's format magic ([`FORMAT_2171`] or 0x2173).
    pub format: u16,
    /// Activity structures listed after each restart record (format 0x2173).
    pub volatile_nr: u32,
    /// Each activity as the file stores it (same order as the reader's activity list).
    pub stored: Vec<StoredActivity>,
}

/// An activity of an older file: how many items each record holds and how to read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredActivity {
    /// sysstat's activity id.
    pub id: u32,
    /// The activity's structure magic in that file.
    pub magic: u32,
    /// Items per record (changed by the restart records of format 0x2173).
    pub nr: u32,
    /// Sub-items per item.
    pub nr2: u32,
    /// Bytes of one stored item.
    pub size: u32,
    /// How the stored item is read and rewritten, if rstat knows its structure.
    pub shape: Option<Shape>,
}

/// A stored item structure: its fields, and the current structure it is rewritten into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Field counts of the stored structure.
    pub stored: Types,
    /// Field counts of the current structure it becomes.
    pub current: Types,
    /// Bytes after the counted fields that are kept (names), copied as they are.
    pub tail_len: u32,
    /// How its fields map onto the current structure's.
    pub rewrite: Rewrite,
    /// The 64-bit fields take 16-byte slots (sa_conv.h's 16-byte aligned structures).
    pub wide: bool,
}

/// How a stored item becomes a current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewrite {
    /// The stored structure is read as it is.
    Same,
    /// Every counted field, in order, into the current structure's 64-bit fields.
    AllToUll,
    /// `stats_queue` 0x8a/0x8b: nr_running, (procs_blocked,) load averages, nr_threads.
    Queue,
    /// `stats_disk` 0x8a: sectors first, ticks and the I/O count as longs, then the device.
    Disk8a,
    /// `stats_net_dev` 0x8a/0x8b: seven counters and the name, no speed or duplex.
    NetDev,
    /// `stats_serial` 0x8a: today's fields, the line numbered from 1 (0: an unused item).
    Serial8a,
    /// `stats_filesystem` 0x8a: five counters, the name, and the mount point when the item
    /// is larger than [`FS_8A_NAME_ONLY_LEN`].
    Filesystem8a,
}

/// The structure of activity `id` at `magic`, stored in `size` bytes, if rstat reads it.
pub fn shape_of(id: u32, magic: u32, size: u32) -> Option<Shape> {
    let t = |ull, ul, u| Types { ull, ul, u };
    let same = |types: Types, tail_len| Shape {
        stored: types,
        current: types,
        tail_len,
        rewrite: Rewrite::Same,
        wide: true,
    };
    let to_ull = |stored: Types| Shape {
        stored,
        current: t(stored.ull + stored.ul + stored.u, 0, 0),
        tail_len: 0,
        rewrite: Rewrite::AllToUll,
        wide: true,
    };
    // Today's structure (8-byte slots), found in a file converted in part.
    let today = |types: Types| Shape {
        wide: false,
        ..same(types, 0)
    };
    let words = size / 16;
    let shape = match (id, magic) {
        (id::CPU, 0x8a) => same(t(words.min(10), 0, 0), 0),
        (id::CPU, 0x8b) => today(t((size / 8).min(10), 0, 0)),
        (id::PCSW, 0x8a) => same(t(1, 1, 0), 0),
        (id::IRQ, 0x8a) => same(t(1, 0, 0), 0),
        (id::SERIAL, 0x8a) => Shape {
            rewrite: Rewrite::Serial8a,
            ..same(t(0, 0, 7), 0)
        },
        (id::SWAP, 0x8a) => same(t(0, 2, 0), 0),
        (id::PAGE, 0x8a) => same(t(0, 8, 0), 0),
        (id::IO, 0x8a) => to_ull(t(0, 0, 5)),
        (id::IO, 0x8b) => today(t(7, 0, 0)),
        (id::MEMORY, 0x8a) => to_ull(t(0, (size / 8).min(17), 0)),
        (id::HUGE, 0x8a) => to_ull(t(0, 2, 0)),
        (id::KTABLES, 0x8a) => to_ull(t(0, 0, 4)),
        (id::QUEUE, 0x8a | 0x8b) => Shape {
            stored: t(0, (magic - 0x89).min(2), 4),
            current: t(3, 0, 3),
            tail_len: 0,
            rewrite: Rewrite::Queue,
            wide: true,
        },
        (id::DISK, 0x8a) => Shape {
            stored: t(2, 5, 2),
            current: t(1, 2, 6),
            tail_len: 0,
            rewrite: Rewrite::Disk8a,
            wide: true,
        },
        (id::DISK, 0x8b) => same(t(1, 2, 6), 0),
        (id::NET_DEV, 0x8a | 0x8b) => Shape {
            stored: if magic == 0x8a {
                t(0, 7, 0)
            } else {
                t(7, 0, 0)
            },
            current: t(7, 0, 1),
            tail_len: 16,
            rewrite: Rewrite::NetDev,
            wide: true,
        },
        (id::NET_DEV, 0x8c) => same(t(7, 0, 1), 17),
        (id::NET_EDEV, 0x8a) => Shape {
            tail_len: 16,
            ..to_ull(t(0, 9, 0))
        },
        (id::NET_EDEV, 0x8b) => same(t(9, 0, 0), 16),
        (id::NET_NFS, 0x8a) => same(t(0, 0, 6), 0),
        (id::NET_NFSD, 0x8a) => same(t(0, 0, 11), 0),
        (id::NET_SOCK, 0x8a) => same(t(0, 0, 6), 0),
        (id::NET_SOCK6, 0x8a) => same(t(0, 0, 4), 0),
        (id::NET_IP | id::NET_EIP, 0x8a) => same(t(0, 8, 0), 0),
        (id::NET_IP | id::NET_EIP, 0x8b) => same(t(8, 0, 0), 0),
        (id::NET_IP6, 0x8a) => same(t(0, 10, 0), 0),
        (id::NET_IP6, 0x8b) => same(t(10, 0, 0), 0),
        (id::NET_EIP6, 0x8a) => same(t(0, 11, 0), 0),
        (id::NET_EIP6, 0x8b) => same(t(11, 0, 0), 0),
        (id::NET_ICMP, 0x8a) => same(t(0, 14, 0), 0),
        (id::NET_EICMP, 0x8a) => same(t(0, 12, 0), 0),
        (id::NET_TCP | id::NET_UDP | id::NET_UDP6, 0x8a) => same(t(0, 4, 0), 0),
        (id::NET_ETCP, 0x8a) => same(t(0, 5, 0), 0),
        (id::NET_ICMP6, 0x8a) => same(t(0, 17, 0), 0),
        (id::NET_EICMP6, 0x8a) => same(t(0, 11, 0), 0),
        (id::PWR_CPU, 0x8a) => same(t(0, 1, 0), 0),
        (id::PWR_FREQ, 0x8a) => same(t(1, 1, 0), 0),
        (id::PWR_FAN, 0x8a) => Shape {
            wide: false,
            ..same(t(2, 0, 0), 20)
        },
        (id::PWR_TEMP | id::PWR_IN, 0x8a) => Shape {
            wide: false,
            ..same(t(3, 0, 0), 20)
        },
        (id::PWR_USB, 0x8a) => same(t(0, 0, 4), 72),
        (id::FS, 0x8a) => Shape {
            rewrite: Rewrite::Filesystem8a,
            ..same(t(5, 0, 0), 2 * FS_NAME_LEN)
        },
        (id::NET_FC, 0x8a) => same(t(0, 4, 0), 16),
        _ => return None,
    };
    (shape.stored.fields_len() + shape.padding() as u64 <= size as u64).then_some(shape)
}

impl Shape {
    /// Bytes of padding the 16-byte slots add to a stored item.
    fn padding(&self) -> u32 {
        if self.wide {
            self.stored.ull * 8
        } else {
            0
        }
    }
}

/// A stored item with its 64-bit fields moved into 8-byte slots (the fields after them
/// start at a 16-byte boundary, where the last slot ends).
fn compact(shape: Shape, item: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if shape.padding() == 0 {
        return item.into();
    }
    let n = shape.stored.ull as usize;
    let mut out = Vec::with_capacity(item.len());
    for i in 0..n {
        out.extend_from_slice(&item[i * 16..i * 16 + 8]);
    }
    out.extend_from_slice(&item[n * 16..]);
    out.into()
}

impl StoredActivity {
    /// The activity as the rest of the reader sees it: the current structure's fields.
    pub fn current(&self) -> Activity {
        let (size, types) = match self.shape {
            Some(shape) => (
                current_len(shape, self.size - shape.padding()),
                shape.current,
            ),
            None => (self.size, Types::default()),
        };
        Activity {
            id: self.id,
            magic: self.magic,
            nr: self.nr,
            nr2: self.nr2,
            has_nr: false,
            size,
            types,
        }
    }

    /// `count * nr2` stored items rewritten into current ones, and how many items (of `nr2`
    /// each) are real: sysstat fills the unused end of a device list with empty items.
    pub fn rewrite(&self, enc: Encoding, stored: &[u8]) -> (u32, Vec<u8>) {
        let Some(shape) = self.shape else {
            return (0, Vec::new());
        };
        let mut out = Vec::with_capacity(stored.len());
        let mut real = 0u32;
        for (i, item) in stored.chunks_exact(self.size as usize).enumerate() {
            let bytes = compact(shape, item);
            let f = Fields {
                bytes: &bytes,
                types: shape.stored,
                enc,
            };
            if shape.rewrite == Rewrite::Same {
                out.extend_from_slice(f.bytes);
            } else {
                write_item(&mut out, enc, shape, f);
            }
            if self.nr2 == 1 && real as usize == i && !self.is_empty_item(f) {
                real += 1;
            }
        }
        let count = if self.nr2 == 1 && ends_at_empty_item(self.id) {
            real
        } else {
            self.nr
        };
        (count, out)
    }

    fn is_empty_item(&self, f: Fields<'_>) -> bool {
        match self.id {
            id::DISK if self.magic == 0x8a => f.u(0).unwrap_or(0) + f.u(1).unwrap_or(0) == 0,
            id::DISK => f.u(4).unwrap_or(0) + f.u(5).unwrap_or(0) == 0,
            id::NET_DEV | id::NET_EDEV | id::NET_FC => f.tail(0, 1).first().copied() == Some(0),
            id::FS => f.ull(0).unwrap_or(0) == 0,
            id::PWR_USB => f.u(0).unwrap_or(0) == 0,
            id::SERIAL => f.u(6).unwrap_or(0) == 0,
            _ => false,
        }
    }
}

/// Activities whose unused items are left empty at the end of each record.
fn ends_at_empty_item(activity: u32) -> bool {
    matches!(
        activity,
        id::DISK | id::NET_DEV | id::NET_EDEV | id::NET_FC | id::FS | id::PWR_USB | id::SERIAL
    )
}

/// Bytes of one rewritten item.
fn current_len(shape: Shape, stored_len: u32) -> u32 {
    match shape.rewrite {
        Rewrite::Same => stored_len,
        Rewrite::NetDev => shape.current.fields_len() as u32 + 17,
        _ => shape.current.fields_len() as u32 + shape.tail_len,
    }
}

/// One stored item written in the current structure, in the file's byte order.
fn write_item(out: &mut Vec<u8>, enc: Encoding, shape: Shape, f: Fields<'_>) {
    let counted = |t: Types| {
        (0..t.ull)
            .map(|i| f.ull(i))
            .chain((0..t.ul).map(|i| f.ul(i)))
            .chain((0..t.u).map(|i| f.u(i)))
            .map(|v| v.unwrap_or(0))
            .collect::<Vec<u64>>()
    };
    let v = counted(shape.stored);
    let (ull, ul, u): (Vec<u64>, Vec<u64>, Vec<u64>) = match shape.rewrite {
        Rewrite::Same | Rewrite::AllToUll => (v, Vec::new(), Vec::new()),
        Rewrite::Queue => {
            // nr_running, [procs_blocked,] load_avg_1/5/15, nr_threads.
            let blocked = shape.stored.ul > 1;
            let load = if blocked { &v[2..5] } else { &v[1..4] };
            let threads = v[v.len() - 1];
            let procs_blocked = if blocked { v[1] } else { 0 };
            (
                vec![v[0], procs_blocked, threads],
                Vec::new(),
                load.to_vec(),
            )
        }
        Rewrite::Disk8a => {
            // rd_sect, wr_sect | rd_ticks, wr_ticks, tot_ticks, rq_ticks, nr_ios | major, minor.
            (
                vec![v[6]],
                vec![v[0], v[1]],
                vec![v[2], v[3], v[4], v[5], v[7], v[8]],
            )
        }
        Rewrite::NetDev => (v, Vec::new(), vec![0]),
        Rewrite::Serial8a => {
            let mut v = v;
            v[6] = v[6].saturating_sub(1);
            (Vec::new(), Vec::new(), v)
        }
        Rewrite::Filesystem8a => (v, Vec::new(), Vec::new()),
    };
    let ordered = |out: &mut Vec<u8>, le: &[u8], be: &[u8]| {
        out.extend_from_slice(if enc.big_endian { be } else { le })
    };
    let put32 = |out: &mut Vec<u8>, x: u32| ordered(out, &x.to_le_bytes(), &x.to_be_bytes());
    let put64 = |out: &mut Vec<u8>, x: u64| ordered(out, &x.to_le_bytes(), &x.to_be_bytes());
    for x in ull {
        put64(out, x);
    }
    for x in ul {
        if enc.long_len == 4 {
            put32(out, x as u32);
            put32(out, 0);
        } else {
            put64(out, x);
        }
    }
    for x in u {
        put32(out, x as u32);
    }
    let mut tail = f.tail(0, shape.tail_len as usize).to_vec();
    if shape.rewrite == Rewrite::Filesystem8a {
        // The oldest items end with the name: it is cut at its NUL, and the mount point that
        // follows a 128-byte name is left empty, as `sadf -c` does.
        let stored_len = f.bytes.len() + shape.padding() as usize;
        if stored_len <= FS_8A_NAME_ONLY_LEN as usize {
            let name_end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
            tail.truncate(name_end.min(FS_NAME_LEN as usize - 1));
        }
    }
    tail.resize(shape.tail_len as usize, 0);
    out.extend_from_slice(&tail);
    if shape.rewrite == Rewrite::NetDev {
        out.push(0); // duplex: unknown
    }
}

/// Reads `struct file_header_2171` or `file_header_2173`; `Err` names what is out of range.
/// The CPU count is set from the activity list by [`cpu_count`].
pub fn parse_header(format: u16, b: &[u8], big_endian: bool) -> Result<(FileHeader, u32), String> {
    // Counted fields: the time (one long), then 1 (2171) or 3 (2173) ints.
    let ints = if format == FORMAT_2171 { 1 } else { 3 };
    let strings_at = 8 + ints * 4;
    let needed = strings_at + 4 + 4 * UTSNAME_LEN;
    if b.len() < needed {
        return Err(format!("file header is {} bytes, needs {needed}", b.len()));
    }
    let long_len = b[strings_at + 3];
    if long_len != 4 && long_len != 8 {
        return Err(format!("size of long {long_len} is neither 4 nor 8"));
    }
    let enc = Encoding {
        big_endian,
        long_len,
    };
    let f = Fields {
        bytes: b,
        types: Types {
            ull: 0,
            ul: 1,
            u: ints as u32,
        },
        enc,
    };
    let (act_nr, volatile_nr) = if format == FORMAT_2171 {
        (f.u(0).unwrap_or(0) as u32, 0)
    } else {
        (f.u(1).unwrap_or(0) as u32, f.u(2).unwrap_or(0) as u32)
    };
    if act_nr > MAX_ACTIVITIES || volatile_nr > MAX_ACTIVITIES {
        return Err(format!(
            "{act_nr} activities, {volatile_nr} volatile (sysstat allows {MAX_ACTIVITIES})"
        ));
    }
    let name = |n: usize| f.text(4 + n * UTSNAME_LEN, UTSNAME_LEN);
    let header = FileHeader {
        ust_time: f.ul(0).unwrap_or(0),
        hz: OLD_HZ,
        cpu_nr: 0,
        act_nr,
        act_types: Types {
            ull: 0,
            ul: 0,
            u: 5,
        },
        rec_types: Types {
            ull: 2,
            ul: 1,
            u: 0,
        },
        act_len: OLD_ACTIVITY_LEN as u32,
        rec_len: OLD_RECORD_HEADER_LEN as u32,
        extra_next: false,
        long_len,
        sysname: name(0),
        nodename: name(1),
        release: name(2),
        machine: name(3),
        tzname: String::new(),
    };
    Ok((header, volatile_nr))
}

/// Reads `struct old_file_activity`.
pub fn parse_activity(enc: Encoding, b: &[u8]) -> Result<StoredActivity, String> {
    let u = |i: usize| enc.u32(&b[i * 4..i * 4 + 4]);
    let (id, magic, nr, nr2, size) = (u(0), u(1), u(2) as i32, u(3) as i32, u(4));
    if nr < 1 || nr2 < 1 || nr2 as u32 > MAX_NR2 {
        return Err(format!("activity {id} has item counts {nr}x{nr2}"));
    }
    if size == 0 || size > MAX_ITEM_LEN {
        return Err(format!("activity {id} has item size {size}"));
    }
    Ok(StoredActivity {
        id,
        magic,
        nr: nr as u32,
        nr2: nr2 as u32,
        size,
        shape: shape_of(id, magic, size),
    })
}

/// CPUs plus one, from the A_CPU activity (sysstat requires it in older files).
pub fn cpu_count(stored: &[StoredActivity]) -> Option<u32> {
    stored.iter().find(|a| a.id == id::CPU).map(|a| a.nr)
}

/// Reads `struct old_record_header` (uptime at 0, uptime0 at 16, the time at 32, the type at
/// 40): the uptime of one CPU in ticks becomes centiseconds.
pub fn parse_record_header(enc: Encoding, b: &[u8]) -> RecordHeader {
    let (uptime, uptime0) = (enc.u64(&b[0..8]), enc.u64(&b[16..24]));
    let time = if enc.long_len == 4 {
        enc.u32(&b[32..36]) as u64
    } else {
        enc.u64(&b[32..40])
    };
    // uptime0 (one CPU's) is what sysstat converts; a single-CPU writer may leave it 0, and
    // then its machine uptime is that CPU's.
    let ticks = if uptime0 != 0 { uptime0 } else { uptime };
    RecordHeader {
        uptime_cs: ticks.saturating_mul(100) / OLD_HZ,
        ust_time: time,
        extra_next: false,
        record_type: b[40],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_fits_its_stored_structure() {
        for id in 1..=42 {
            for magic in 0x8a..=0x8c {
                if let Some(shape) = shape_of(id, magic, MAX_ITEM_LEN) {
                    assert!(shape.current.fields_len() > 0, "{id} {magic:#x}");
                }
            }
        }
        // A structure shorter than its fields is not read.
        assert_eq!(shape_of(id::QUEUE, 0x8b, 24), None);
        assert!(shape_of(id::QUEUE, 0x8b, 32).is_some());
        assert_eq!(shape_of(id::CPU, 0x8f, 160), None);
        // The old CPU structure: ten 16-byte slots.
        assert_eq!(shape_of(id::CPU, 0x8a, 160).map(|s| s.padding()), Some(80));
    }

    #[test]
    fn record_uptime_is_one_cpus_or_the_machines_when_that_is_zero() {
        let enc = Encoding {
            big_endian: true,
            long_len: 4,
        };
        let header = |uptime: u64, uptime0: u64| {
            let mut b = Vec::new();
            b.extend_from_slice(&uptime.to_be_bytes());
            b.extend_from_slice(&[0xee; 8]);
            b.extend_from_slice(&uptime0.to_be_bytes());
            b.extend_from_slice(&[0xee; 8]);
            b.extend_from_slice(&[0, 0, 0, 7, 0xee, 0xee, 0xee, 0xee, 1, 0, 0, 0, 0, 0, 0, 0]);
            parse_record_header(enc, &b)
        };
        let h = header(4000, 2000);
        assert_eq!((h.uptime_cs, h.ust_time, h.record_type), (2000, 7, 1));
        assert_eq!(header(3000, 0).uptime_cs, 3000);
    }
}
