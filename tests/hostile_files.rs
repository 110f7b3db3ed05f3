//! Files no collector wrote, as a hostile tester makes them (generated here, never checked
//! in): every reader (info, report, export, top's replay) must answer each with a line and
//! a status, in bounded time and memory, and never pass a control character to a terminal.
//! Bounds are generous: only an unbounded or quadratic case breaks them.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::measured::{run_measured, Measured};
use common::rstat;
use rstat_data_format::frame::{FrameHeader, FrameKind, FLAG_ZSTD, FRAME_HEADER_LEN};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::FileHeader;

/// A reader's peak memory on any crafted file stays under this (the issue's goal).
const MAX_RSS: u64 = 256 * 1024 * 1024;
/// Time a debug build may take on an 8 MiB crafted file (a quadratic scan took 41 s in a
/// release build before the fix).
const MAX_TIME: Duration = Duration::from_secs(20);
const TIME_US: i64 = 1_790_000_000_000_000;

/// A valid file header and nothing else.
fn file_with_header(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let header = FileHeader {
        host: "crafted".into(),
        cpu_count: 1,
        ticks_per_sec: 100,
        page_size: 4096,
        ..FileHeader::default()
    };
    drop(FileWriter::open(&path, &header, 0o640).unwrap());
    path
}

fn append(path: &Path, bytes: &[u8]) {
    OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

/// A whole frame: a valid header (and payload CRC) around `payload`.
fn frame(kind: FrameKind, flags: u8, payload: &[u8]) -> Vec<u8> {
    let header = FrameHeader {
        payload_len: payload.len() as u32,
        kind,
        flags,
        chunk_seq: 0,
        key_back: 0,
        time_us: TIME_US,
        payload_crc: crc32c::crc32c(payload),
    };
    let mut out = header.encode().to_vec();
    out.extend_from_slice(payload);
    out
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Defect 4: 22 kB of zstd that inflates to 250 MiB of unknown-table sections.
fn zstd_bomb(dir: &Path) -> PathBuf {
    let path = file_with_header(dir, "bomb.rstat");
    let raw_len: u64 = 250 << 20;
    let mut section = Vec::new();
    varint(&mut section, 999);
    varint(&mut section, raw_len - 8);
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    encoder.include_contentsize(true).unwrap();
    encoder.set_pledged_src_size(Some(raw_len)).unwrap();
    encoder.write_all(&section).unwrap();
    let zeros = vec![0u8; 1 << 20];
    let mut left = raw_len - section.len() as u64;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        encoder.write_all(&zeros[..n]).unwrap();
        left -= n as u64;
    }
    let payload = encoder.finish().unwrap();
    append(&path, &frame(FrameKind::Sample, FLAG_ZSTD, &payload));
    path
}

/// Defect 4: a cpu table of 3,000,000 empty rows in a few kB.
fn many_rows(dir: &Path) -> PathBuf {
    let path = file_with_header(dir, "rows.rstat");
    let rows = 3_000_000u64;
    let mut body = Vec::new();
    varint(&mut body, rows);
    body.resize(body.len() + 3 * rows as usize, 0);
    let mut raw = Vec::new();
    varint(&mut raw, 3); // TableKind::CPU
    varint(&mut raw, body.len() as u64);
    raw.extend_from_slice(&body);
    let payload = zstd::bulk::compress(&raw, 3).unwrap();
    append(&path, &frame(FrameKind::Sample, FLAG_ZSTD, &payload));
    path
}

/// Defect 5: back-to-back frame headers with valid header CRCs, each claiming a payload that
/// runs to the end of the file, with a wrong payload CRC.
fn resync_trap(dir: &Path, size: usize) -> PathBuf {
    let path = file_with_header(dir, &format!("trap-{size}.rstat"));
    let start = std::fs::metadata(&path).unwrap().len() as usize;
    let count = size / FRAME_HEADER_LEN;
    let end = start + count * FRAME_HEADER_LEN;
    let mut bytes = Vec::with_capacity(size);
    for i in 0..count {
        let at = start + i * FRAME_HEADER_LEN;
        let header = FrameHeader {
            payload_len: (end - at - FRAME_HEADER_LEN) as u32,
            kind: FrameKind::Sample,
            flags: 0,
            chunk_seq: 0,
            key_back: 0,
            time_us: TIME_US,
            payload_crc: 0,
        };
        bytes.extend_from_slice(&header.encode());
    }
    append(&path, &bytes);
    path
}

/// Every reader on `path`: bounded time and memory, no panic, no signal.
fn every_reader(path: &Path) -> Vec<(String, Measured)> {
    let readers: [&[&str]; 5] = [
        &["info"],
        &["info", "--verify"],
        &["report", "-A", "-f"],
        &["export", "--jsonl", "-A", "-f"],
        &["top", "-f"],
    ];
    readers
        .iter()
        .map(|args| {
            let mut command: Command = rstat();
            command.args(*args).arg(path).env("TERM", "dumb");
            let run = run_measured(command, MAX_TIME * 2);
            let name = format!("rstat {} {}", args.join(" "), path.display());
            assert!(
                run.status.code().is_some(),
                "{name}: killed by a signal or the time limit: {run:?}"
            );
            assert_ne!(
                run.status.code(),
                Some(101),
                "{name} panicked: {}",
                run.stderr
            );
            assert!(run.elapsed < MAX_TIME, "{name}: {:?}", run.elapsed);
            assert!(
                run.max_rss < MAX_RSS,
                "{name}: peak RSS {} bytes",
                run.max_rss
            );
            assert!(
                !run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'),
                "{name}"
            );
            eprintln!(
                "{name}: exit {:?}, {:.2} s, peak RSS {:.1} MB",
                run.status.code(),
                run.elapsed.as_secs_f64(),
                run.max_rss as f64 / 1e6
            );
            (name, run)
        })
        .collect()
}

#[test]
fn a_zstd_bomb_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = zstd_bomb(dir.path());
    assert!(
        std::fs::metadata(&path).unwrap().len() < 1 << 20,
        "a small file"
    );
    for (name, run) in every_reader(&path) {
        if name.starts_with("rstat info --verify") || name.starts_with("rstat export") {
            assert_eq!(run.status.code(), Some(3), "{name}: {run:?}");
            assert!(
                run.stdout.contains("out of range") || run.stderr.contains("out of range"),
                "{name}: {run:?}"
            );
        }
    }
}

#[test]
fn a_table_of_millions_of_rows_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_rows(dir.path());
    for (name, run) in every_reader(&path) {
        if name.starts_with("rstat info --verify") {
            assert_eq!(run.status.code(), Some(3), "{name}: {run:?}");
            assert!(
                run.stdout.contains("3000000 rows"),
                "{name}: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn resynchronisation_is_linear_in_the_file_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = resync_trap(dir.path(), 8 << 20);
    for (name, run) in every_reader(&path) {
        if name.starts_with("rstat info ") {
            assert_eq!(run.status.code(), Some(3), "{name}: {run:?}");
            assert!(
                run.stdout.contains("damage:      1 range(s)"),
                "{name}: {}",
                run.stdout
            );
        }
    }
    // The collector's tail recovery walks the same file backwards, then appends after it.
    let mut collect = rstat();
    collect
        .args(["collect", "--count", "1", "--no-processes", "--file"])
        .arg(&path)
        .arg("--root")
        .arg(common::fixture_tree("system-real-a"));
    let run = run_measured(collect, MAX_TIME * 2);
    assert!(run.status.success(), "{run:?}");
    assert!(run.elapsed < MAX_TIME, "collect: {:?}", run.elapsed);
}

#[test]
fn special_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for (path, what) in [
        (fifo.as_path(), "a FIFO"),
        (socket.as_path(), "a socket"),
        (dir.path(), "a directory"),
        (Path::new("/dev/zero"), "a character device"),
    ] {
        for args in [
            &["info"][..],
            &["report", "-A", "-f"],
            &["export", "--csv", "-f"],
            &["top", "-f"],
        ] {
            let mut command = rstat();
            command.args(args).arg(path);
            let run = run_measured(command, Duration::from_secs(20));
            let name = format!("rstat {} {}", args.join(" "), path.display());
            assert_eq!(run.status.code(), Some(1), "{name}: {run:?}");
            assert!(run.elapsed < Duration::from_secs(10), "{name}: blocked");
            assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
            if args[0] != "top" {
                assert!(run.stderr.contains(what), "{name}: {}", run.stderr);
            }
        }
    }
}

/// Three samples of a fixture root whose host name holds an ESC sequence, and a comment with
/// another.
fn file_with_escapes(dir: &Path) -> PathBuf {
    let root = dir.join("root");
    let status = Command::new("cp")
        .arg("-r")
        .arg(common::fixture_tree("system-real-a"))
        .arg(&root)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::create_dir_all(root.join("proc/sys/kernel")).unwrap();
    std::fs::write(
        root.join("proc/sys/kernel/hostname"),
        "evil\x1b]0;pwned\x07host\n",
    )
    .unwrap();
    let path = dir.join("escapes.rstat");
    let output = rstat()
        .args([
            "collect",
            "--count",
            "3",
            "-i",
            "10ms",
            "--no-processes",
            "--comment",
        ])
        .arg("look \x1b[2J\u{9b}31m here")
        .arg("--file")
        .arg(&path)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    path
}

#[test]
fn control_characters_from_a_file_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_escapes(dir.path());
    for args in [
        &["info"][..],
        &["report", "-A", "-f"],
        &["report", "-u", "-f"],
    ] {
        let output = rstat().args(args).arg(&path).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert!(
            !stdout.contains('\x1b') && !stdout.contains('\u{9b}'),
            "{args:?}: {stdout}"
        );
        if args[0] == "info" {
            assert!(stdout.contains("evil\\x1b]0;pwned\\x07host"), "{stdout}");
        } else {
            assert!(stdout.contains("(evil\\x1b]0;pwned\\x07host)"), "{stdout}");
        }
    }
    // Comments are shown with -C (as sar's).
    let output = rstat()
        .args(["report", "-A", "-C", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("look \\x1b[2J\\u{9b}31m here"), "{stdout}");
}

/// A file of `samples` samples of a fixture root.
fn collected(dir: &Path, samples: u32) -> PathBuf {
    let path = dir.join("day.rstat");
    let output = rstat()
        .args(["collect", "-i", "10ms", "--no-processes", "--count"])
        .arg(samples.to_string())
        .arg("--file")
        .arg(&path)
        .arg("--root")
        .arg(common::fixture_tree("system-real-a"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    path
}

#[test]
fn a_torn_tail_is_reported_as_such_and_is_not_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = collected(dir.path(), 4);
    let len = std::fs::metadata(&path).unwrap().len();
    OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 10)
        .unwrap();
    for args in [&["report", "-u", "-f"][..], &["export", "--csv", "-f"]] {
        let output = rstat().args(args).arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(3), "{args:?}: {stderr}");
        let torn: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("torn tail: the last "))
            .collect();
        assert_eq!(torn.len(), 1, "{stderr}");
        assert!(!stderr.contains("before and after"), "{stderr}");
    }
    let output = rstat()
        .args(["report", "-u", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let output = rstat().arg("info").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("torn tail:") && stdout.contains("damage:      none"),
        "{stdout}"
    );

    // Damage inside the file keeps exit status 3.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xFF;
    std::fs::write(&path, &bytes).unwrap();
    let output = rstat()
        .args(["report", "-u", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("before and after"));
}

#[test]
fn info_verify_finds_payloads_that_do_not_decode() {
    let dir = tempfile::tempdir().unwrap();
    let path = collected(dir.path(), 2);
    // A sample frame whose checksums are right but whose payload is not a sample.
    append(
        &path,
        &frame(
            FrameKind::Sample,
            0,
            &[0x05, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3],
        ),
    );
    let output = rstat().arg("info").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("damage:      none (frame headers and checksums only; --verify"),
        "{stdout}"
    );
    let output = rstat()
        .args(["info", "--verify"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("0 range(s), 1 undecodable record(s)"),
        "{stdout}"
    );
    assert!(stdout.contains("sample does not decode"), "{stdout}");
}
