//! sysstat's older data-file formats read directly: format 0x2171 (sysstat 9.1.6 to 10.2.1)
//! and 0x2173 (10.3.1 to 11.6.x), little- and big-endian, 32- and 64-bit writers. No
//! installed tool writes them, so each file is built here from the structures sysstat 12.7.9
//! documents for `sadf -c` (sa_conv.h): the 8-byte (0x2171) or 76-byte file magic, the file
//! header, five-int activity entries, the 48-byte record header, and the oldest item
//! structures of each activity, each 16-byte aligned `unsigned long long` in a 16-byte slot
//! as GCC lays it out. `rstat report` must print the figures the counters give. (Checked by
//! hand against Debian's sysstat 12.6.1: `sadf -c` converts the little-endian 64-bit files
//! built here and `sar` prints these same figures for them, interrupts, serial lines and
//! 0x2173's filesystems included; its `sadf -c` crashes on 0x2171's 160-byte filesystem
//! item, read here as sa_conv.h describes it.)

mod common;

use std::path::Path;
use std::process::Output;

use common::rstat;

/// How the file is written.
#[derive(Clone, Copy, Debug)]
struct Layout {
    format: u16,
    big_endian: bool,
    long_32: bool,
}

struct Writer {
    layout: Layout,
    out: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    /// `le` or `be`: the same value in the writer's byte order.
    fn ordered<const N: usize>(&mut self, le: [u8; N], be: [u8; N]) {
        let bytes = if self.layout.big_endian { be } else { le };
        self.out.extend_from_slice(&bytes);
    }

    fn u16(&mut self, v: u16) {
        self.ordered(v.to_le_bytes(), v.to_be_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.ordered(v.to_le_bytes(), v.to_be_bytes());
    }

    fn ull(&mut self, v: u64) {
        self.ordered(v.to_le_bytes(), v.to_be_bytes());
    }

    /// An `unsigned long long` declared 16-byte aligned: 8 bytes of value, 8 of padding.
    fn ull16(&mut self, v: u64) {
        self.ull(v);
        self.out.extend_from_slice(&[0xdd; 8]);
    }

    /// An `unsigned long` in its 8-byte slot: 4 bytes of value first on 32-bit writers.
    fn ul(&mut self, v: u64) {
        if self.layout.long_32 {
            self.u32(v as u32);
            self.out.extend_from_slice(&[0xee; 4]);
        } else {
            self.ull(v);
        }
    }

    fn text(&mut self, s: &str, len: usize) {
        let mut b = s.as_bytes().to_vec();
        b.resize(len, 0);
        self.out.extend_from_slice(&b);
    }

    fn pad_to(&mut self, start: usize, len: usize) {
        self.out.resize(start + len, 0);
    }

    fn is_2173(&self) -> bool {
        self.layout.format == 0x2173
    }
}

const T0: u64 = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const CPUS: u32 = 2;

/// (id, magic, nr, size) of each activity, by format.
fn activities(format: u16) -> Vec<(u32, u32, u32, u32)> {
    let newer = u32::from(format == 0x2173);
    vec![
        (1, 0x8a, CPUS + 1, 160),               // A_CPU: 10 ull in 16-byte slots
        (2, 0x8a, 1, 32),                       // A_PCSW: ull (16-byte slot), ul
        (3, 0x8a, 4, 16),                       // A_IRQ: the sum, then IRQs 0 to 2
        (6, 0x8a, 1, 20),                       // A_IO: 5 u
        (7, 0x8a, 1, 88),                       // A_MEMORY: 11 ul
        (8, 0x8a, 1, 16),                       // A_KTABLES: 4 u
        (9, 0x8a + newer, 1, 24 + 8 * newer),   // A_QUEUE: ul [ul] 4 u
        (10, 0x8a, 3, 28),                      // A_SERIAL: 7 u, one unused item
        (11, 0x8a + newer, 2, 80 - 16 * newer), // A_DISK, one empty item
        (12, 0x8a + newer, 2, 72 + 56 * newer), // A_NET_DEV, one empty item
        (21, 0x8a, 1, 32),                      // A_NET_TCP: 4 ul
        (31, 0x8a, 1, 40),                      // A_PWR_FAN: 2 doubles, device
        (32, 0x8a, 1, 48),                      // A_PWR_TEMP: 3 doubles, device
        (37, 0x8a, 2, 160 + 176 * newer),       // A_FS: mount point in 0x2173's, one empty
        (33, 0x8f, 1, 8),                       // A_PWR_IN of a structure rstat does not know
    ]
}

/// The counters of one statistics record: `n` steps of 10 s after `base`.
fn stats(w: &mut Writer, base: u64, n: u64) {
    let step = |start: u64, per_step: u64| base + start + per_step * n;
    // A_CPU: all, cpu0, cpu1 (each CPU half of all).
    for share in [2, 1, 1] {
        let v = |start: u64, per: u64| step(start, per) * share / 2;
        for x in [
            v(1000, 500),
            0,
            v(500, 250),
            v(8000, 1250),
            0,
            0,
            0,
            0,
            0,
            0,
        ] {
            w.ull16(x);
        }
    }
    // A_PCSW
    w.ull16(step(100_000, 5000));
    w.ul(step(2000, 10));
    w.out.extend_from_slice(&[0; 8]); // the structure padded to 16 bytes
                                      // A_IRQ: the sum (more than the lines: interrupts without a number), IRQs 0, 1, 2
    for (start, per) in [(5000, 3000), (100, 1000), (7, 0), (50, 500)] {
        w.ull16(step(start, per));
    }
    // A_IO: dk_drive, rio, wio, rblk, wblk
    for (start, per) in [(1000, 100), (600, 60), (400, 40), (5000, 500), (3000, 300)] {
        w.u32(step(start, per) as u32);
    }
    // A_MEMORY
    for x in [
        1_000_000, 2000, 300_000, 4_000_000, 500_000, 1_000_000, 0, 800_000, 600_000, 400_000, 1234,
    ] {
        w.ul(x);
    }
    // A_KTABLES: file_used, inode_used, dentry_stat, pty_nr
    for x in [1500, 30000, 40000, 3] {
        w.u32(x);
    }
    // A_QUEUE: nr_running, [procs_blocked], load averages x100, nr_threads
    w.ul(3);
    if w.is_2173() {
        w.ul(1);
    }
    for x in [150, 75, 25, 200] {
        w.u32(x);
    }
    // A_SERIAL: rx, tx, frame, parity, brk, overrun, line (from 1; 0: unused)
    for line in 1..=3 {
        let z = |v: u64| if line < 3 { v } else { 0 };
        for (start, per) in [(10, 100 / line), (20, 200 / line), (0, 10), (0, 0), (0, 0)] {
            w.u32(z(step(start, per)) as u32);
        }
        w.u32(z(step(0, 20 * line)) as u32);
        w.u32(z(line) as u32);
    }
    // A_DISK (253:99), then an empty item
    let sectors = [step(20_000, 2000), step(10_000, 4000)];
    let (ios, ticks) = (step(1000, 100), step(500, 1000));
    for real in [true, false] {
        let z = |v: u64| if real { v } else { 0 };
        if w.is_2173() {
            // 0x8b: nr_ios | rd_sect, wr_sect | rd, wr, tot, rq ticks, major, minor; the
            // structure padded to 16 bytes
            let start = w.out.len();
            w.ull16(z(ios));
            w.ul(z(sectors[0]));
            w.ul(z(sectors[1]));
            for x in [0, 0, z(ticks), 0, z(253), z(99)] {
                w.u32(x as u32);
            }
            w.pad_to(start, 64);
        } else {
            // 0x8a: rd_sect, wr_sect | rd, wr, tot, rq ticks, nr_ios | major, minor
            w.ull16(z(sectors[0]));
            w.ull16(z(sectors[1]));
            for x in [0, 0, z(ticks), 0, z(ios)] {
                w.ul(x);
            }
            w.u32(z(253) as u32);
            w.u32(z(99) as u32);
        }
    }
    // A_NET_DEV: eth9, then an empty item
    for real in [true, false] {
        let z = |v: u64| if real { v } else { 0 };
        let counters = [
            step(1000, 1000),
            step(500, 500),
            step(1_024_000, 1_024_000),
            step(512_000, 512_000),
            0,
            0,
            0,
        ];
        for x in counters {
            if w.is_2173() {
                w.ull16(z(x));
            } else {
                w.ul(z(x));
            }
        }
        w.text(if real { "eth9" } else { "" }, 16);
    }
    // A_NET_TCP: ActiveOpens, PassiveOpens, InSegs, OutSegs
    for (start, per) in [(100, 50), (200, 20), (10_000, 1000), (8000, 800)] {
        w.ul(step(start, per));
    }
    // A_PWR_FAN: rpm, rpm_min; A_PWR_TEMP: temp, min, max (C doubles, the writer's order)
    for x in [1200.0f64, 600.0] {
        w.ull(x.to_bits());
    }
    w.text("fan-isa-0290", 24);
    for x in [46.0f64, 20.0, 100.0] {
        w.ull(x.to_bits());
    }
    w.text("coretemp-isa-0000", 24);
    // A_FS: bytes of blocks, free, available, inodes, free inodes; name (and mount point)
    let gib = 1u64 << 30;
    for real in [true, false] {
        let z = |v: u64| if real { v } else { 0 };
        let start = w.out.len();
        for x in [10 * gib, 4 * gib, 3 * gib, 100_000, 60_000] {
            w.ull16(z(x));
        }
        if w.is_2173() {
            w.text(if real { "/dev/sda1" } else { "" }, 128);
            w.text(if real { "/home" } else { "" }, 128);
        } else {
            w.text(if real { "/dev/sda1" } else { "" }, 72);
        }
        w.pad_to(start, if w.is_2173() { 336 } else { 160 });
    }
    // A_PWR_IN: skipped
    w.text("", 8);
}

/// `struct old_record_header`: uptime, uptime0 and the time in 16-byte slots, then the type;
/// 48 bytes.
fn record_header(w: &mut Writer, uptime0: u64, time: u64, record_type: u8) {
    w.ull16(uptime0 * CPUS as u64);
    w.ull16(uptime0);
    let start = w.out.len();
    w.ul(time);
    w.pad_to(start, 8);
    w.u8(record_type);
    w.pad_to(start, 16);
}

fn old_activity(w: &mut Writer, (id, magic, nr, size): (u32, u32, u32, u32)) {
    for x in [id, magic, nr, 1, size] {
        w.u32(x);
    }
}

/// A whole file: statistics, a comment, statistics, a restart, two statistics records.
fn build(layout: Layout) -> Vec<u8> {
    let mut w = Writer {
        layout,
        out: Vec::new(),
    };
    let acts = activities(layout.format);
    w.u16(0xd596);
    w.u16(layout.format);
    let version: [u8; 4] = if w.is_2173() {
        [11, 6, 0, 0]
    } else {
        [10, 2, 1, 0]
    };
    w.out.extend_from_slice(&version);
    if w.is_2173() {
        w.u32(288); // header_size
        w.out.extend_from_slice(&[0; 64]);
    }
    let start = w.out.len();
    w.ul(T0);
    if w.is_2173() {
        w.u32(CPUS + 1); // sa_last_cpu_nr
        w.u32(acts.len() as u32);
        w.u32(1); // sa_vol_act_nr
    } else {
        w.u32(acts.len() as u32);
        w.pad_to(start, 12);
    }
    for x in [14, 11, 123, if layout.long_32 { 4 } else { 8 }] {
        w.u8(x);
    }
    for name in ["Linux", "oldhost", "2.6.32", "ppc"] {
        w.text(name, 65);
    }
    w.pad_to(start, if w.is_2173() { 288 } else { 280 });
    for &a in &acts {
        old_activity(&mut w, a);
    }
    let cpu_ticks = 100_000;
    record_header(&mut w, cpu_ticks, T0, 1);
    stats(&mut w, 0, 0);
    record_header(&mut w, cpu_ticks + 500, T0 + 5, 4);
    w.text("old comment", 64);
    record_header(&mut w, cpu_ticks + 1000, T0 + 10, 1);
    stats(&mut w, 0, 1);
    record_header(&mut w, 50, T0 + 15, 2);
    if w.is_2173() {
        old_activity(&mut w, acts[0]);
    }
    record_header(&mut w, 500, T0 + 20, 1);
    stats(&mut w, 7, 0);
    record_header(&mut w, 1500, T0 + 30, 1);
    stats(&mut w, 7, 1);
    w.out
}

fn layouts() -> Vec<Layout> {
    let mut all = Vec::new();
    for format in [0x2171, 0x2173] {
        for big_endian in [false, true] {
            for long_32 in [false, true] {
                all.push(Layout {
                    format,
                    big_endian,
                    long_32,
                });
            }
        }
    }
    all
}

fn report(file: &Path, options: &[&str]) -> Output {
    let mut c = rstat();
    c.env("TZ", "UTC").env("LC_ALL", "C");
    c.arg("report").arg("-f").arg(file).args(options);
    c.output().unwrap()
}

/// The values of `column` in the timed rows under its header line, as (time, value). A row
/// with more words than its header (a sensor's key and device) is read from its right end.
fn column(text: &str, name: &str) -> Vec<(String, String)> {
    let mut at = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            at = None;
        } else if let Some(i) = words.iter().position(|w| *w == name) {
            at = Some((i, words.len()));
        } else if let Some((i, header_len)) = at {
            let i = i + words.len().saturating_sub(header_len);
            if line.as_bytes()[0].is_ascii_digit() && words.len() > i {
                out.push((words[0].to_string(), words[i].to_string()));
            }
        }
    }
    out
}

/// `column` of the report, each interval's figure (both intervals give the same).
fn figures(file: &Path, options: &[&str], names: &[&str]) -> Vec<String> {
    let out = report(file, options);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{options:?}: {out:?}");
    names
        .iter()
        .map(|name| {
            let values = column(&stdout, name);
            let times: Vec<&str> = values.iter().map(|(t, _)| t.as_str()).collect();
            assert_eq!(times, ["22:13:30", "22:13:50"], "{name}: {stdout}");
            assert_eq!(values[0].1, values[1].1, "{name}: {stdout}");
            values[0].1.clone()
        })
        .collect()
}

#[test]
fn every_older_format_byte_order_and_word_size_gives_the_counters_figures() {
    let dir = tempfile::tempdir().unwrap();
    for layout in layouts() {
        let file = dir
            .path()
            .join(format!("{layout:?}").replace([' ', ':', '{', '}', ','], ""));
        std::fs::write(&file, build(layout)).unwrap();
        let check = |options: &[&str], names: &[&str], want: &[&str]| {
            assert_eq!(
                figures(&file, options, names),
                want,
                "{layout:?} {options:?}"
            );
        };
        check(
            &["-u"],
            &["%user", "%system", "%idle"],
            &["25.00", "12.50", "62.50"],
        );
        check(&["-w"], &["cswch/s", "proc/s"], &["500.00", "1.00"]);
        check(
            &["-b"],
            &["tps", "rtps", "wtps", "bread/s", "bwrtn/s"],
            &["10.00", "6.00", "4.00", "50.00", "30.00"],
        );
        check(
            &["-r"],
            &[
                "kbmemfree",
                "kbbuffers",
                "kbcached",
                "kbcommit",
                "kbactive",
                "kbdirty",
            ],
            &["1000000", "2000", "300000", "800000", "600000", "1234"],
        );
        check(
            &["-v"],
            &["dentunusd", "file-nr", "inode-nr", "pty-nr"],
            &["40000", "1500", "30000", "3"],
        );
        let blocked = if layout.format == 0x2173 { "1" } else { "0" };
        check(
            &["-q"],
            &[
                "runq-sz", "plist-sz", "ldavg-1", "ldavg-5", "ldavg-15", "blocked",
            ],
            &["3", "200", "1.50", "0.75", "0.25", blocked],
        );
        check(
            &["-d"],
            &["DEV", "tps", "rkB/s", "wkB/s", "%util"],
            &["dev253-99", "10.00", "100.00", "200.00", "10.00"],
        );
        check(
            &["-n", "DEV"],
            &["IFACE", "rxpck/s", "txpck/s", "rxkB/s", "txkB/s"],
            &["eth9", "100.00", "50.00", "100.00", "50.00"],
        );
        check(
            &["-n", "TCP"],
            &["active/s", "passive/s", "iseg/s", "oseg/s"],
            &["5.00", "2.00", "100.00", "80.00"],
        );
        check(&["-m", "FAN"], &["rpm", "drpm"], &["1200.00", "600.00"]);
        check(&["-m", "TEMP"], &["degC", "%temp"], &["46.00", "32.50"]);
        let info = {
            let mut c = rstat();
            c.arg("info").arg(&file);
            c.output().unwrap()
        };
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("oldhost"), "{info}");
    }
}

#[test]
fn older_files_keep_their_comment_and_restart_and_import_lists_what_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa14");
    std::fs::write(
        &file,
        build(Layout {
            format: 0x2173,
            big_endian: true,
            long_32: true,
        }),
    )
    .unwrap();
    let out = report(&file, &["-u"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("LINUX RESTART"), "{stdout}");
    assert!(stdout.contains("(2 CPU)"), "{stdout}");
    let out = {
        let mut c = rstat();
        c.arg("import")
            .arg("--dir")
            .arg(dir.path().join("imported"))
            .arg(&file);
        c.output().unwrap()
    };
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("A_PWR_IN"), "{text}");
    assert!(!text.contains("A_SERIAL"), "{text}");
}

#[test]
fn hostile_older_files_end_in_a_one_line_error_and_keep_the_good_records() {
    let dir = tempfile::tempdir().unwrap();
    for layout in layouts() {
        let bytes = build(layout);
        // Cut inside the last record: the first three statistics records are kept.
        let path = dir.path().join("cut");
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        let out = report(&path, &["-u"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.contains("22:13:30"), "{layout:?}: {stdout}");
        assert!(stderr.contains("byte"), "{layout:?}: {stderr}");

        // Every 4-byte field set to a huge value in turn: never a panic, never a hang
        // (two layouts: the others differ only in how the same fields are written).
        if layout.big_endian != layout.long_32 {
            continue;
        }
        let mut hostile = bytes.clone();
        for at in (0..bytes.len().min(900)).step_by(4) {
            hostile[at..at + 4].copy_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
            std::fs::write(&path, &hostile).unwrap();
            let out = report(&path, &["-u"]);
            assert!(
                matches!(out.status.code(), Some(0..=3)),
                "{layout:?} byte {at}: {out:?}"
            );
            hostile[at..at + 4].copy_from_slice(&bytes[at..at + 4]);
        }
    }
}

/// The rows of the report printed at `time`, each without its time.
fn rows_at(file: &Path, options: &[&str], time: &str) -> Vec<String> {
    let out = report(file, options);
    assert!(out.status.success(), "{options:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix(time))
        .map(|rest| rest.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn older_files_give_each_interrupt_serial_line_and_filesystem() {
    let dir = tempfile::tempdir().unwrap();
    for layout in layouts() {
        let file = dir.path().join("sa14");
        std::fs::write(&file, build(layout)).unwrap();
        let rows = |options: &[&str]| rows_at(&file, options, "22:13:50");
        // The sum is the file's own total (it counts interrupts no numbered line lists).
        assert_eq!(
            rows(&["-I", "ALL"]),
            ["sum 300.00", "0 100.00", "1 0.00", "2 50.00"],
            "{layout:?}"
        );
        // Lines numbered from 0, as sar prints them; the unused item is left out.
        assert_eq!(
            rows(&["-y"]),
            [
                "0 10.00 20.00 1.00 0.00 0.00 2.00",
                "1 5.00 10.00 1.00 0.00 0.00 4.00",
            ],
            "{layout:?}"
        );
        assert_eq!(
            rows(&["-F"]),
            ["4096 6144 60.00 70.00 60000 40000 40.00 /dev/sda1",],
            "{layout:?}"
        );
        // Format 0x2173's larger item has the mount point; the oldest has none.
        let mount = rows(&["-F", "MOUNT"]);
        let want = if layout.format == 0x2173 {
            "4096 6144 60.00 70.00 60000 40000 40.00 /home"
        } else {
            "4096 6144 60.00 70.00 60000 40000 40.00"
        };
        assert_eq!(mount, [want], "{layout:?}");
    }
}

/// The blocks of `text` (separated by blank lines) whose header holds ` FAN ` or ` TEMP `,
/// without comment lines (sar prints them only with -C).
fn sensor_blocks(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter(|line| line.split_whitespace().nth(1) != Some("COM"))
                .collect::<Vec<_>>()
        })
        .filter(|lines| {
            let header = lines.first().copied().unwrap_or_default();
            header.contains(" FAN ") || header.contains(" TEMP ")
        })
        .map(|lines| lines.join("\n"))
        .collect()
}

/// sar -m FAN,TEMP: the installed sar (Debian's sysstat 12.6.1) on `sadf -c`'s conversion of
/// the little-endian 64-bit 0x2173 file prints the same headers and rows, byte for byte, as
/// rstat on the file itself (number first, DEVICE last). Its `sadf -c` crashes on the 0x2171
/// files, so only this layout is compared with sar; the loop above checks the figures of all.
#[test]
fn sensor_rows_are_the_ones_sar_prints() {
    let dir = tempfile::tempdir().unwrap();
    let layout = Layout {
        format: 0x2173,
        big_endian: false,
        long_32: false,
    };
    let file = dir.path().join("sa14");
    std::fs::write(&file, build(layout)).unwrap();
    let converted = std::process::Command::new("sadf")
        .arg("-c")
        .arg(&file)
        .output()
        .expect("sadf (Debian's sysstat, installed by .ci/run)");
    assert!(converted.status.success(), "{converted:?}");
    let current = dir.path().join("sa14.current");
    std::fs::write(&current, &converted.stdout).unwrap();
    let sar = std::process::Command::new("sar")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .args(["-m", "FAN,TEMP", "-f"])
        .arg(&current)
        .output()
        .unwrap();
    assert!(sar.status.success(), "{sar:?}");
    let sar = String::from_utf8_lossy(&sar.stdout);
    let ours = report(&file, &["-m", "FAN,TEMP"]);
    assert!(ours.status.success(), "{ours:?}");
    let ours = String::from_utf8_lossy(&ours.stdout);
    let want = sensor_blocks(&sar);
    assert_eq!(want.len(), 4, "two days' FAN and TEMP tables:\n{sar}");
    assert_eq!(sensor_blocks(&ours), want, "sar:\n{sar}\nrstat:\n{ours}");
    assert!(
        want[1].contains("22:13:30            1     46.00     32.50 coretemp-isa-0000"),
        "{sar}"
    );
}
