//! The text of a process row: its command name (from stat), command line
//! (`/proc/PID/cmdline`) and cgroup v2 path (`/proc/PID/cgroup`), stored as described in
//! `TableKind::PROCESSES`. Bytes that are not valid UTF-8 become U+FFFD (only that case
//! allocates).

use rstat_data_format::schema_process::CMDLINE_MAX;

/// Replaces `dest` with `bytes` as text, cut to at most `max` bytes at a character boundary.
pub fn set_text(dest: &mut String, bytes: &[u8], max: usize) {
    dest.clear();
    dest.push_str(&String::from_utf8_lossy(bytes));
    if dest.len() > max {
        let mut end = max;
        while !dest.is_char_boundary(end) {
            end -= 1;
        }
        dest.truncate(end);
    }
}

/// Whether `text` already holds `bytes` (as [`set_text`] would store them).
pub fn text_equals(text: &str, bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(valid) => text == valid,
        Err(_) => text == String::from_utf8_lossy(bytes),
    }
}

/// The stored form of a command line read from `/proc/PID/cmdline`: arguments separated by
/// NUL as the kernel gives them, without the trailing NUL(s), at most [`CMDLINE_MAX`] bytes.
pub fn set_cmdline(dest: &mut String, bytes: &[u8]) {
    let end = bytes
        .iter()
        .rposition(|&b| b != 0)
        .map_or(0, |last| last + 1);
    set_text(dest, &bytes[..end], CMDLINE_MAX);
}

/// The cgroup v2 path in the bytes of `/proc/PID/cgroup`: the line `0::PATH` (the unified
/// hierarchy, on a pure v2 or a hybrid host). `None` on a v1-only host.
pub fn v2_cgroup_path(bytes: &[u8]) -> Option<&[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(b"0::"))
}

/// Longest cgroup path stored (the kernel's PATH_MAX).
pub const CGROUP_PATH_MAX: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmdline_keeps_nul_separators_and_drops_the_trailing_ones() {
        let mut text = String::new();
        set_cmdline(&mut text, b"sleep\x00600\x00");
        assert_eq!(text, "sleep\u{0}600");
        set_cmdline(&mut text, b"");
        assert_eq!(text, "");
        set_cmdline(&mut text, b"\x00\x00");
        assert_eq!(text, "");
        set_cmdline(&mut text, b"a\xffb\x00");
        assert_eq!(text, "a\u{fffd}b");
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let mut text = String::new();
        set_text(&mut text, "é".repeat(10).as_bytes(), 5);
        assert_eq!(text, "éé");
        let long = vec![b'x'; CMDLINE_MAX + 100];
        set_cmdline(&mut text, &long);
        assert_eq!(text.len(), CMDLINE_MAX);
    }

    #[test]
    fn equality_with_stored_text() {
        assert!(text_equals("bash", b"bash"));
        assert!(!text_equals("bash", b"bas"));
        assert!(text_equals("a\u{fffd}", b"a\xff"));
    }

    #[test]
    fn v2_path_from_pure_hybrid_and_v1_files() {
        assert_eq!(
            v2_cgroup_path(b"0::/system.slice/cron.service\n"),
            Some(&b"/system.slice/cron.service"[..])
        );
        assert_eq!(
            v2_cgroup_path(b"12:pids:/a\n1:name=systemd:/b\n0::/b\n"),
            Some(&b"/b"[..])
        );
        assert_eq!(v2_cgroup_path(b"12:pids:/a\n1:name=systemd:/b\n"), None);
        assert_eq!(v2_cgroup_path(b""), None);
    }
}
