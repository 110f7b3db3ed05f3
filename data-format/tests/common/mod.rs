//! Deterministic samples for container tests: realistic table shapes whose counters move a
//! little every second, so that key and delta frames both occur.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::{FileHeader, Row, Sample, Table, TableKind};

pub fn header() -> FileHeader {
    FileHeader {
        host: "testhost".into(),
        kernel_release: "6.1.0-test".into(),
        arch: "x86_64".into(),
        cpu_count: 2,
        ticks_per_sec: 100,
        page_size: 4096,
        boot_time: 1_700_000_000,
        boot_id: "boot-a".into(),
        time_zone: "UTC".into(),
        utc_offset_s: 0,
        created_us: 1_700_000_000_000_000,
        writer: "rstat test".into(),
    }
}

fn row(key: &str, values: Vec<u64>) -> Row {
    Row {
        key: key.into(),
        text: vec![],
        values,
    }
}

/// The `n`th sample of a boot, `n` seconds after `start_us`.
pub fn sample(start_us: i64, n: u64, boot: &str) -> Sample {
    let t = n + 1;
    let mut tables = vec![
        Table {
            kind: TableKind::UPTIME,
            rows: vec![row("uptime", vec![100_000 + t * 100, 190_000 + t * 190])],
        },
        Table {
            kind: TableKind::BOOT,
            rows: vec![Row {
                key: "boot".into(),
                text: vec![boot.into()],
                values: vec![],
            }],
        },
        Table {
            kind: TableKind::CPU,
            rows: (0..3)
                .map(|c| {
                    let name = if c == 0 {
                        "cpu".to_string()
                    } else {
                        format!("cpu{}", c - 1)
                    };
                    row(
                        &name,
                        vec![
                            1000 + t * 7 * (c + 1),
                            3,
                            500 + t * 2,
                            90_000 + t * 91,
                            10 + t / 3,
                            0,
                            20 + t / 5,
                            0,
                            0,
                            0,
                        ],
                    )
                })
                .collect(),
        },
        Table {
            kind: TableKind::STAT,
            rows: vec![
                row("ctxt", vec![1_000_000 + t * 450]),
                row("processes", vec![5000 + t * 3]),
            ],
        },
        Table {
            kind: TableKind::MEMINFO,
            rows: (0..50)
                .map(|i| {
                    row(
                        &format!("Field{i}"),
                        vec![1_000_000 + i * 977 + (t * i) % 50],
                    )
                })
                .collect(),
        },
        Table {
            kind: TableKind::DISKSTATS,
            rows: vec![row(
                "vda",
                (0..19)
                    .map(|i| {
                        if i < 2 {
                            [252, 0][i as usize]
                        } else {
                            10_000 * i + t * i
                        }
                    })
                    .collect(),
            )],
        },
    ];
    if n % 100 >= 50 {
        // A device that comes and goes changes the sample's shape.
        tables.push(Table {
            kind: TableKind::NETDEV,
            rows: vec![row("eth0", (0..16).map(|i| i * t).collect())],
        });
    }
    Sample {
        time_us: start_us + n as i64 * 1_000_000,
        tables,
    }
}

/// [`sample`] with the GPU tables of format 1.2: one GPU (values of an H200 under load: MISSING
/// where NVML has no such figure) and one process using it.
pub fn sample_with_gpu(start_us: i64, n: u64, boot: &str) -> Sample {
    let mut sample = sample(start_us, n, boot);
    let t = n + 1;
    let missing = u64::MAX;
    sample.tables.push(Table {
        kind: TableKind::GPU,
        rows: vec![Row {
            key: "nvidia0".into(),
            text: vec![
                "nvidia".into(),
                "NVIDIA H200".into(),
                "00000000:19:00.0".into(),
            ],
            values: vec![
                7 + t % 3,
                2,
                0,
                0,
                150_754_820_096,
                21_839_609_856,
                missing,
                missing,
                missing,
                37_000,
                172_000 + t * 10,
                700_000,
                3_816_677_000 + t * 173_000_000,
                1980,
                3201,
                700,
                2000 + t,
                0,
                0,
                0,
                0,
                missing,
            ],
        }],
    });
    sample.tables.push(Table {
        kind: TableKind::GPU_PROCESSES,
        rows: vec![Row {
            key: "434".into(),
            text: vec!["nvidia0".into(), "nvml".into()],
            values: vec![
                5000,
                21_185_429_504,
                missing,
                6,
                1,
                0,
                0,
                missing,
                missing,
                missing,
                missing,
                missing,
                missing,
                1,
            ],
        }],
    });
    sample
}

/// Every item of a file, in order.
pub fn read_all(path: &Path) -> Vec<Item> {
    let mut reader = FileReader::open(path).expect("open");
    let mut items = Vec::new();
    while let Some(item) = reader.next_item().expect("read") {
        items.push(item);
    }
    items
}

/// The samples among `items`.
pub fn samples(items: &[Item]) -> Vec<Sample> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Record {
                record: Record::Sample { sample, .. },
                ..
            } => Some(sample.clone()),
            _ => None,
        })
        .collect()
}

pub fn damages(items: &[Item]) -> Vec<rstat_data_format::Damage> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Damaged(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

pub fn temp_file(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
