//! The byte layout of a sysstat data file (format magic 0x2175, sysstat 11.7.1 to 12.7.x):
//! the file magic, the file header, the activity list and the record header, in either byte
//! order and for 32- or 64-bit writers.
//!
//! sysstat writes its C structures as they are in memory, but describes each one by how many
//! 64-bit (`unsigned long long`), `unsigned long` and 32-bit fields it starts with
//! (`types_nr`), declared in that order; strings and bytes follow them. Every `unsigned long`
//! is declared 8-byte aligned, so it takes an 8-byte slot on 32-bit writers too, with the value
//! in the slot's first 4 bytes. Fields are therefore read by (group, index) from the counts the
//! file gives, never from this version's own structure sizes: a file of a newer or older
//! release with more or fewer fields in a group reads the fields both know, and a field the
//! file lacks reads as absent.

/// sysstat's magic, the first two bytes of every sa file (0xd596 in the writer's byte order).
pub const SYSSTAT_MAGIC: u16 = 0xd596;
/// The only data-file format this reader decodes (sysstat 11.7.1 and later).
pub const FORMAT_MAGIC: u16 = 0x2175;
/// Bytes of `struct file_magic` (2+2+4 bytes, 5 ints, 48 bytes of padding).
pub const FILE_MAGIC_LEN: usize = 76;
/// sysstat's own sanity bounds on the structures a file describes.
pub const MAX_HEADER_LEN: u32 = 8192;
/// The most activities a file may list.
pub const MAX_ACTIVITIES: u32 = 256;
/// The largest activity list entry, bytes.
pub const MAX_ACTIVITY_DESC_LEN: u32 = 1024;
/// The largest record header, bytes.
pub const MAX_RECORD_HEADER_LEN: u32 = 512;
/// The most extra structures that may follow a header.
pub const MAX_EXTRA_NR: u32 = 8192;
/// The largest extra structure, bytes.
pub const MAX_EXTRA_LEN: u32 = 1024;
/// Bytes of `struct extra_desc` (six ints).
pub const EXTRA_DESC_LEN: usize = 24;
/// The largest item structure accepted (sysstat's largest is a few hundred bytes).
pub const MAX_ITEM_LEN: u32 = 64 * 1024;
/// The most sub-items (IRQs, frequencies) per item; sysstat's NR2_MAX is 1024.
pub const MAX_NR2: u32 = 65536;
/// The most bytes of one activity in one record (4096 CPUs x 1024 IRQs of 12 bytes fit):
/// what a hostile count can make the reader allocate, whatever the file's size.
pub const MAX_ACTIVITY_BYTES: u64 = 64 << 20;
/// Record types.
pub const R_STATS: u8 = 1;
/// A restart record (the host rebooted).
pub const R_RESTART: u8 = 2;
/// The last statistics record, written when sadc stops (read as a statistics record).
pub const R_LAST_STATS: u8 = 3;
/// A comment record (`sadc -C`).
pub const R_COMMENT: u8 = 4;
/// Bytes of a comment record's text.
pub const COMMENT_LEN: usize = 64;
const UTSNAME_LEN: usize = 65;
const TZNAME_LEN: usize = 8;

/// Byte order and word size of the machine that wrote the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoding {
    /// Whether the writer was big-endian.
    pub big_endian: bool,
    /// `sizeof(long)` of the writer: 4 or 8.
    pub long_len: u8,
}

impl Encoding {
    /// A 16-bit field at the start of `b`, in the writer's byte order.
    pub fn u16(self, b: &[u8]) -> u16 {
        let raw = [b[0], b[1]];
        if self.big_endian {
            u16::from_be_bytes(raw)
        } else {
            u16::from_le_bytes(raw)
        }
    }

    /// A 32-bit field at the start of `b`, in the writer's byte order.
    pub fn u32(self, b: &[u8]) -> u32 {
        let raw = [b[0], b[1], b[2], b[3]];
        if self.big_endian {
            u32::from_be_bytes(raw)
        } else {
            u32::from_le_bytes(raw)
        }
    }

    /// A 64-bit field at the start of `b`, in the writer's byte order.
    pub fn u64(self, b: &[u8]) -> u64 {
        let raw = [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]];
        if self.big_endian {
            u64::from_be_bytes(raw)
        } else {
            u64::from_le_bytes(raw)
        }
    }
}

/// How many fields of each width a structure starts with (sysstat's `types_nr`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Types {
    /// How many `unsigned long long` (64-bit) fields come first.
    pub ull: u32,
    /// How many `unsigned long` fields follow (8-byte slots whatever the writer's word size).
    pub ul: u32,
    /// How many 32-bit fields follow.
    pub u: u32,
}

impl Types {
    /// Bytes the counted fields take (sysstat's MAP_SIZE): strings start here.
    pub fn fields_len(self) -> u64 {
        self.ull as u64 * 8 + self.ul as u64 * 8 + self.u as u64 * 4
    }

    fn read(enc: Encoding, b: &[u8]) -> Types {
        Types {
            ull: enc.u32(&b[0..4]),
            ul: enc.u32(&b[4..8]),
            u: enc.u32(&b[8..12]),
        }
    }
}

/// One structure of the file, read by field group and index.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    /// The structure's bytes.
    pub bytes: &'a [u8],
    /// How many fields of each width it starts with.
    pub types: Types,
    /// The writer's byte order and word size.
    pub enc: Encoding,
}

impl<'a> Fields<'a> {
    /// The `i`th 64-bit field.
    pub fn ull(&self, i: u32) -> Option<u64> {
        if i >= self.types.ull {
            return None;
        }
        let at = i as usize * 8;
        self.bytes.get(at..at + 8).map(|b| self.enc.u64(b))
    }

    /// The `i`th `unsigned long` field (an 8-byte slot; 4 bytes of value on 32-bit writers).
    pub fn ul(&self, i: u32) -> Option<u64> {
        if i >= self.types.ul {
            return None;
        }
        let at = self.types.ull as usize * 8 + i as usize * 8;
        if self.enc.long_len == 4 {
            self.bytes.get(at..at + 4).map(|b| self.enc.u32(b) as u64)
        } else {
            self.bytes.get(at..at + 8).map(|b| self.enc.u64(b))
        }
    }

    /// The `i`th 32-bit field.
    pub fn u(&self, i: u32) -> Option<u64> {
        if i >= self.types.u {
            return None;
        }
        let at = (self.types.ull as usize + self.types.ul as usize) * 8 + i as usize * 4;
        self.bytes.get(at..at + 4).map(|b| self.enc.u32(b) as u64)
    }

    /// The bytes after the counted fields, from `skip` on, `len` long at most.
    pub fn tail(&self, skip: usize, len: usize) -> &'a [u8] {
        let start = (self.types.fields_len() as usize).saturating_add(skip);
        let end = start.saturating_add(len).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    /// A NUL-terminated string after the counted fields.
    pub fn text(&self, skip: usize, len: usize) -> String {
        c_string(self.tail(skip, len))
    }
}

/// The text of a C string buffer, up to its first NUL, invalid UTF-8 replaced.
pub fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `struct file_magic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMagic {
    /// Whether the file's magic was read big-endian.
    pub enc_big_endian: bool,
    /// The data format's magic (0x2175 for the format this reader decodes).
    pub format_magic: u16,
    /// sysstat version that wrote the file, e.g. `[12, 6, 1, 0]`.
    pub version: [u8; 4],
    /// Bytes of the `struct file_header` that follows.
    pub header_len: u32,
    /// Field counts of the file header.
    pub header_types: Types,
    /// Non-zero when `sadf -c` converted the file from an older format.
    pub upgraded: u32,
}

/// Byte order of a buffer that starts with sysstat's magic, if it does.
pub fn magic_order(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..2)? {
        [0x96, 0xd5] => Some(false),
        [0xd5, 0x96] => Some(true),
        _ => None,
    }
}

impl FileMagic {
    /// Parses the first [`FILE_MAGIC_LEN`] bytes. `None` if they are not sysstat's magic.
    pub fn parse(b: &[u8]) -> Option<FileMagic> {
        let big_endian = magic_order(b)?;
        if b.len() < FILE_MAGIC_LEN {
            return None;
        }
        let enc = Encoding {
            big_endian,
            long_len: 8,
        };
        Some(FileMagic {
            enc_big_endian: big_endian,
            format_magic: enc.u16(&b[2..4]),
            version: [b[4], b[5], b[6], b[7]],
            header_len: enc.u32(&b[8..12]),
            upgraded: enc.u32(&b[12..16]),
            header_types: Types::read(enc, &b[16..28]),
        })
    }

    /// The sysstat version that wrote the file, as `12.6.1`.
    pub fn version_text(&self) -> String {
        let [a, b, c, _] = self.version;
        format!("{a}.{b}.{c}")
    }
}

/// `struct file_header`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHeader {
    /// When the file was created, seconds since the epoch (UTC).
    pub ust_time: u64,
    /// The writer's clock ticks per second (USER_HZ).
    pub hz: u64,
    /// CPUs plus one (the "all" item).
    pub cpu_nr: u32,
    /// How many activities the file lists.
    pub act_nr: u32,
    /// Field counts of each activity list entry.
    pub act_types: Types,
    /// Field counts of each record header.
    pub rec_types: Types,
    /// Bytes of one activity list entry.
    pub act_len: u32,
    /// Bytes of one record header.
    pub rec_len: u32,
    /// Whether extra structures follow the header.
    pub extra_next: bool,
    /// The writer's `sizeof(long)`: 4 or 8.
    pub long_len: u8,
    /// The writer's `uname -s` (`Linux`).
    pub sysname: String,
    /// The writer's host name (`uname -n`).
    pub nodename: String,
    /// The writer's kernel release (`uname -r`).
    pub release: String,
    /// The writer's machine (`uname -m`).
    pub machine: String,
    /// The writer's time zone abbreviation (`UTC`, `CET`).
    pub tzname: String,
}

impl FileHeader {
    /// Parses the header; `Err` names the field that is out of range.
    pub fn parse(b: &[u8], types: Types, big_endian: bool) -> Result<FileHeader, String> {
        if types.ull < 1 || types.ul < 1 || types.u < 12 {
            return Err(format!(
                "file header describes ({},{},{}) fields, fewer than sysstat's (1,1,12)",
                types.ull, types.ul, types.u
            ));
        }
        let probe = Encoding {
            big_endian,
            long_len: 8,
        };
        // sa_sizeof_long is the third byte after the counted fields.
        let strings_at = types.fields_len() as usize;
        let needed = strings_at + 3 + 4 * UTSNAME_LEN;
        if b.len() < needed {
            return Err(format!("file header is {} bytes, needs {needed}", b.len()));
        }
        let long_len = b[strings_at + 2];
        if long_len != 4 && long_len != 8 {
            return Err(format!("size of long {long_len} is neither 4 nor 8"));
        }
        let enc = Encoding { long_len, ..probe };
        let f = Fields {
            bytes: b,
            types,
            enc,
        };
        let u = |i| f.u(i).unwrap_or(0) as u32;
        let types_at = |i: u32| Types {
            ull: u(i),
            ul: u(i + 1),
            u: u(i + 2),
        };
        let name = |n: usize| f.text(3 + n * UTSNAME_LEN, UTSNAME_LEN);
        Ok(FileHeader {
            ust_time: f.ull(0).unwrap_or(0),
            hz: f.ul(0).unwrap_or(0),
            cpu_nr: u(0),
            act_nr: u(1),
            act_types: types_at(3),
            rec_types: types_at(6),
            act_len: u(9),
            rec_len: u(10),
            extra_next: u(11) != 0,
            long_len,
            sysname: name(0),
            nodename: name(1),
            release: name(2),
            machine: name(3),
            tzname: f.text(3 + 4 * UTSNAME_LEN, TZNAME_LEN),
        })
    }

    /// The byte order and word size to read the file's structures with.
    pub fn encoding(&self, big_endian: bool) -> Encoding {
        Encoding {
            big_endian,
            long_len: self.long_len,
        }
    }
}

/// `struct file_activity`: one activity the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Activity {
    /// sysstat's activity id (see [`super::catalog::id`]).
    pub id: u32,
    /// The activity's structure magic: which layout its items have.
    pub magic: u32,
    /// Items when the file was created (the count of each record when `has_nr` is false).
    pub nr: u32,
    /// Sub-items per item.
    pub nr2: u32,
    /// Each record gives its own item count first.
    pub has_nr: bool,
    /// Bytes of one item structure.
    pub size: u32,
    /// Field counts of one item structure.
    pub types: Types,
}

impl Activity {
    /// An activity list entry, checked against sysstat's bounds (an error says which bound).
    pub fn parse(fields: Fields<'_>) -> Result<Activity, String> {
        if fields.types.u < 9 {
            return Err("activity list entries have fewer than 9 fields".into());
        }
        let u = |i| fields.u(i).unwrap_or(0) as u32;
        let activity = Activity {
            id: u(0),
            magic: u(1),
            nr: u(2),
            nr2: u(3),
            has_nr: u(4) != 0,
            size: u(5),
            types: Types {
                ull: u(6),
                ul: u(7),
                u: u(8),
            },
        };
        let (nr, nr2) = (u(2) as i32, u(3) as i32);
        if nr < 0 || nr2 < 1 || activity.nr2 > MAX_NR2 {
            return Err(format!(
                "activity {} has item counts {nr}x{nr2}",
                activity.id
            ));
        }
        if activity.size == 0 || activity.size > MAX_ITEM_LEN {
            return Err(format!(
                "activity {} has item size {}",
                activity.id, activity.size
            ));
        }
        if activity.types.fields_len() > activity.size as u64 {
            return Err(format!(
                "activity {} describes more fields than its {} bytes",
                activity.id, activity.size
            ));
        }
        Ok(activity)
    }
}

/// `struct record_header`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordHeader {
    /// The kernel's uptime at the record, hundredths of a second.
    pub uptime_cs: u64,
    /// When the record was taken, seconds since the epoch (UTC).
    pub ust_time: u64,
    /// Whether extra structures follow the record header.
    pub extra_next: bool,
    /// The record type (`R_STATS`, `R_RESTART`, `R_LAST_STATS`, `R_COMMENT`).
    pub record_type: u8,
}

impl RecordHeader {
    /// Reads a record header from its fields (absent fields read as 0).
    pub fn parse(fields: Fields<'_>) -> RecordHeader {
        RecordHeader {
            uptime_cs: fields.ull(0).unwrap_or(0),
            ust_time: fields.ull(1).unwrap_or(0),
            extra_next: fields.u(0).unwrap_or(0) != 0,
            record_type: fields.tail(0, 1).first().copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_long_is_read_from_its_slot_on_32_bit_writers() {
        let types = Types {
            ull: 1,
            ul: 1,
            u: 1,
        };
        let mut le = Vec::new();
        le.extend_from_slice(&7u64.to_le_bytes());
        le.extend_from_slice(&[9, 0, 0, 0, 0xAA, 0xAA, 0xAA, 0xAA]);
        le.extend_from_slice(&5u32.to_le_bytes());
        let enc = Encoding {
            big_endian: false,
            long_len: 4,
        };
        let f = Fields {
            bytes: &le,
            types,
            enc,
        };
        assert_eq!(
            (f.ull(0), f.ul(0), f.u(0), f.u(1)),
            (Some(7), Some(9), Some(5), None)
        );
        let mut be = Vec::new();
        be.extend_from_slice(&7u64.to_be_bytes());
        be.extend_from_slice(&[0, 0, 0, 9, 0, 0, 0, 0]);
        be.extend_from_slice(&5u32.to_be_bytes());
        let f = Fields {
            bytes: &be,
            types,
            enc: Encoding {
                big_endian: true,
                long_len: 4,
            },
        };
        assert_eq!((f.ull(0), f.ul(0), f.u(0)), (Some(7), Some(9), Some(5)));
    }

    #[test]
    fn magic_gives_the_byte_order() {
        assert_eq!(magic_order(&[0x96, 0xd5]), Some(false));
        assert_eq!(magic_order(&[0xd5, 0x96]), Some(true));
        assert_eq!(magic_order(b"RS"), None);
        assert_eq!(c_string(b"eth0\0\0junk"), "eth0");
    }
}
