//! What identifies a file and its host (the file header) and what a restart frame says.
//!
//! Both are postcard-encoded. Evolution rule: fields are never removed or reordered; a later
//! version may append an extension struct after the encoded bytes, which older readers ignore
//! (they decode the prefix they know with `postcard::take_from_bytes`).

use serde::{Deserialize, Serialize};

use crate::schema::TimeUs;

/// The host a file describes, written once at the start of the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHeader {
    /// The host's name (`uname -n`) when the file was created.
    pub host: String,
    /// `uname -r`.
    pub kernel_release: String,
    /// `uname -m`.
    pub arch: String,
    /// CPUs configured when the file was created (online or not).
    pub cpu_count: u32,
    /// USER_HZ: /proc/stat times are in these ticks.
    pub ticks_per_sec: u32,
    /// Bytes per memory page (`getconf PAGESIZE`): /proc/PID/stat rss is in pages.
    pub page_size: u32,
    /// Boot time, seconds since the epoch (`btime`).
    pub boot_time: i64,
    /// The kernel's boot id (/proc/sys/kernel/random/boot_id): tells boots apart.
    pub boot_id: String,
    /// IANA name of the local time zone when known (e.g. `Europe/Paris`), else empty.
    pub time_zone: String,
    /// Offset of local time from UTC when the file was created, in seconds.
    pub utc_offset_s: i32,
    /// When the file was created, µs since the epoch (UTC).
    pub created_us: TimeUs,
    /// The program that created the file, e.g. `rstat 0.1.0`.
    pub writer: String,
}

/// The payload of a restart frame: the new boot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartInfo {
    /// Boot time of the new boot, seconds since the epoch (/proc/stat `btime`).
    pub boot_time: i64,
    /// The new boot's id (/proc/sys/kernel/random/boot_id).
    pub boot_id: String,
    /// The running kernel's release after the restart (`uname -r`).
    pub kernel_release: String,
    /// CPUs configured after the restart (online or not).
    pub cpu_count: u32,
}

/// Decodes a postcard value, ignoring trailing bytes a newer writer may have appended.
pub(crate) fn decode_prefix<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::take_from_bytes(bytes).map(|(value, _rest)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_trailing_extension_still_decodes() {
        let header = FileHeader {
            host: "db1".into(),
            cpu_count: 8,
            ..FileHeader::default()
        };
        let mut bytes = postcard::to_allocvec(&header).unwrap();
        bytes.extend_from_slice(&[42, 1, 2, 3]);
        assert_eq!(decode_prefix::<FileHeader>(&bytes).unwrap(), header);
    }
}
