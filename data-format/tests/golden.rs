//! Every released format version stays readable: the files in tests/golden were written by
//! that version and must decode to exactly the checked-in dump, whatever the code became.
//!
//! To add a version's golden file (only when the format version changes), run
//! `RSTAT_WRITE_GOLDEN=1 cargo test -p rstat-data-format --test golden` and commit both files.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{header, sample};
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

fn write_v1(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut writer = FileWriter::open(path, &header(), 0o644).unwrap();
    writer
        .append_comment(START - 1, "golden file of format 1.0")
        .unwrap();
    for n in 0..70 {
        writer
            .append_sample(&sample(START, n, "boot-a"), n == 0)
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
            .append_sample(&sample(START, n, "boot-b"), false)
            .unwrap();
    }
}

#[test]
fn format_1_0_golden_file_reads_exactly() {
    let file = golden_dir().join("format-1.0.rstat");
    let expected = golden_dir().join("format-1.0.dump");
    if std::env::var_os("RSTAT_WRITE_GOLDEN").is_some() {
        write_v1(&file);
        std::fs::write(&expected, dump(&file)).unwrap();
    }
    let want = std::fs::read_to_string(&expected).unwrap();
    assert_eq!(dump(&file), want);
    assert!(want.lines().filter(|l| l.starts_with("sample")).count() == 74);
}
