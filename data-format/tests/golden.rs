//! Every released format version stays readable: the files in tests/golden were written by
//! that version and must decode to exactly the checked-in dump, whatever the code became.
//!
//! To add a version's golden file (only when the format version changes), rename the test of
//! the current version to the new version, keep the old one reading its file, run
//! `RSTAT_WRITE_GOLDEN=1 cargo test -p rstat-data-format --test golden` and commit both files.
//! Only the current version's file is ever written.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{header, sample, sample_with_gpu};
use rstat_data_format::frame::{dictionary_id, FrameKind, FLAG_ZSTD};
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::writer::FileWriter;
use rstat_data_format::RestartInfo;

const START: i64 = 1_790_000_000_000_000;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// A text form of everything in a file that does not depend on this version's types.
fn dump(path: &Path) -> String {
    let mut reader = FileReader::open(path).unwrap();
    let h = reader.header().clone();
    let mut out = format!(
        "header host={} kernel={} arch={} cpus={} hz={} page={} boot={} boot_id={} tz={} offset={} created={} writer={}\n",
        h.host, h.kernel_release, h.arch, h.cpu_count, h.ticks_per_sec, h.page_size, h.boot_time, h.boot_id,
        h.time_zone, h.utc_offset_s, h.created_us, h.writer
    );
    while let Some(item) = reader.next_item().unwrap() {
        match item {
            Item::Record {
                record: Record::Sample { sample, carried },
                ..
            } => {
                let _ = writeln!(out, "sample time={} carried={carried}", sample.time_us);
                for table in &sample.tables {
                    for row in &table.rows {
                        let values: Vec<String> = row.values.iter().map(u64::to_string).collect();
                        let _ = writeln!(
                            out,
                            "  {} {} [{}] {:?}",
                            table.kind.0,
                            row.key,
                            values.join(","),
                            row.text
                        );
                    }
                }
            }
            Item::Record {
                record: Record::Restart { time_us, info },
                ..
            } => {
                let _ = writeln!(
                    out,
                    "restart time={time_us} boot={} id={} kernel={} cpus={}",
                    info.boot_time, info.boot_id, info.kernel_release, info.cpu_count
                );
            }
            Item::Record {
                record: Record::Comment { time_us, text },
                ..
            } => {
                let _ = writeln!(out, "comment time={time_us} {text:?}");
            }
            Item::Damaged(d) => panic!("golden file damaged: {d}"),
        }
    }
    out
}

/// Writes the golden file of the current version (1.0's and 1.1's were written by those
/// versions with the same records, less the GPU tables of 1.2, and are never rewritten).
fn write_current(path: &Path, version: &str) {
    let _ = std::fs::remove_file(path);
    let mut writer = FileWriter::open(path, &header(), 0o644).unwrap();
    writer
        .append_comment(START - 1, &format!("golden file of format {version}"))
        .unwrap();
    for n in 0..70 {
        writer
            .append_sample(&sample_with_gpu(START, n, "boot-a"), n == 0)
            .unwrap();
    }
    let info = RestartInfo {
        boot_time: 1_790_000_100,
        boot_id: "boot-b".into(),
        kernel_release: "6.1.0-test".into(),
        cpu_count: 2,
    };
    writer.append_restart(START + 80_000_000, &info).unwrap();
    for n in 80..84 {
        writer
            .append_sample(&sample_with_gpu(START, n, "boot-b"), false)
            .unwrap();
    }
}

/// The dictionary ids and (minor) version in a file: (minor, ids of key frames, ids of delta
/// frames).
fn dictionaries(path: &Path) -> (u16, Vec<u8>, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let minor = u16::from_le_bytes([bytes[10], bytes[11]]);
    let mut reader = FileReader::open(path).unwrap();
    let (mut keys, mut deltas) = (Vec::new(), Vec::new());
    while let Some(frame) = reader.next_frame().unwrap() {
        let header = frame.unwrap().header;
        if header.kind != FrameKind::Sample || header.flags & FLAG_ZSTD == 0 {
            continue;
        }
        let id = dictionary_id(header.flags);
        let list = if header.is_delta() {
            &mut deltas
        } else {
            &mut keys
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    (minor, keys, deltas)
}

#[test]
fn format_1_0_golden_file_reads_exactly() {
    let file = golden_dir().join("format-1.0.rstat");
    let want = std::fs::read_to_string(golden_dir().join("format-1.0.dump")).unwrap();
    assert_eq!(dump(&file), want);
    assert!(want.lines().filter(|l| l.starts_with("sample")).count() == 74);
    assert_eq!(dictionaries(&file), (0, vec![1], vec![0]));
}

#[test]
fn format_1_1_golden_file_reads_exactly() {
    let file = golden_dir().join("format-1.1.rstat");
    let want = std::fs::read_to_string(golden_dir().join("format-1.1.dump")).unwrap();
    assert_eq!(dump(&file), want);
    assert!(want.lines().filter(|l| l.starts_with("sample")).count() == 74);
    assert_eq!(dictionaries(&file), (1, vec![2], vec![2]));
}

/// 1.2 adds the GPU tables (kinds 60 and 61); an older reader skips them.
#[test]
fn format_1_2_golden_file_reads_exactly() {
    let file = golden_dir().join("format-1.2.rstat");
    let expected = golden_dir().join("format-1.2.dump");
    if std::env::var_os("RSTAT_WRITE_GOLDEN").is_some() {
        write_current(&file, "1.2");
        std::fs::write(&expected, dump(&file)).unwrap();
    }
    let want = std::fs::read_to_string(&expected).unwrap();
    assert_eq!(dump(&file), want);
    assert!(want.lines().filter(|l| l.starts_with("sample")).count() == 74);
    assert!(want.contains("\n  60 nvidia0 [") && want.contains("\n  61 434 ["));
    assert_eq!(dictionaries(&file), (2, vec![2], vec![2]));
}

/// A 1.0 file that this version appends to (the day of an upgrade) keeps 1.0's dictionaries,
/// so that rstat 1.0 still reads all of it.
#[test]
fn appending_to_a_1_0_file_writes_format_1_0_frames() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.rstat");
    std::fs::copy(golden_dir().join("format-1.0.rstat"), &file).unwrap();
    let before = dump(&file);
    let mut writer = FileWriter::open(&file, &header(), 0o644).unwrap();
    for n in 84..120 {
        writer
            .append_sample(&sample(START, n, "boot-b"), false)
            .unwrap();
    }
    drop(writer);
    let after = dump(&file);
    assert!(after.starts_with(&before));
    assert_eq!(
        after.lines().filter(|l| l.starts_with("sample")).count(),
        74 + 36
    );
    assert_eq!(dictionaries(&file), (0, vec![1], vec![0]));
}
