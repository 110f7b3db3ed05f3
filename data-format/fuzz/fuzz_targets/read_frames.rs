//! Structure-aware file reading: the input drives a generator of frames that get past the
//! first checks (a real file header; frame headers and CRCs that verify) around hostile
//! content: garbage payloads, zstd frames that inflate far, huge declared lengths, row counts
//! and key offsets. Run with -rss_limit_mb=512 so that a memory bomb counts as a crash.
//! After reading, the collector's writer opens the same file and appends a sample: opening
//! reads the tail's key frame from its raw bytes (`EncodedKey::decode_from`) and the last
//! sample's uptime and boot tables, the parts of the writer a hostile file reaches.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rstat_data_format::frame::{FrameHeader, FrameKind, FLAG_DELTA, FLAG_ZSTD};
use rstat_data_format::reader::FileReader;
use rstat_data_format::writer::FileWriter;
use rstat_data_format::schema::{Row, Sample, Table, TableKind};
use rstat_data_format::FileHeader;

/// A valid file header, made once by the real writer.
fn file_header() -> &'static [u8] {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    HEADER.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.rstat");
        drop(FileWriter::open(&path, &FileHeader::default(), 0o600).expect("header"));
        std::fs::read(&path).expect("read")
    })
}

/// The file each input is written to (one per process, reused: a temporary directory per
/// input would cost more than reading it).
fn scratch_file() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static PATH: OnceLock<std::path::PathBuf> = OnceLock::new();
    PATH.get_or_init(|| DIR.get_or_init(|| tempfile::tempdir().expect("temp dir")).path().join("fuzz.rstat"))
}

/// zstd frames of 16 KiB, 64 KiB, 17 MiB and 64 MiB of zeros (with content size), made once
/// each: the large ones are past what a sample may inflate to and must be refused before
/// anything is allocated.
fn inflating(which: usize) -> &'static [u8] {
    static BOMBS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    &BOMBS.get_or_init(|| {
        [16usize << 10, 64 << 10, 17 << 20, 64 << 20]
            .iter()
            .map(|&n| zstd::bulk::compress(&vec![0u8; n], 1).expect("zstd"))
            .collect()
    })[which % 4]
}

/// Up to `n` bytes from the front of `input`.
fn take<'a>(input: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, rest) = input.split_at(n.min(input.len()));
    *input = rest;
    head
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_frame(out: &mut Vec<u8>, kind: u8, flags: u8, key_back: u32, payload: &[u8], len: Option<u32>) {
    let header = FrameHeader {
        payload_len: len.unwrap_or(payload.len() as u32),
        kind: FrameKind::from_byte(kind),
        flags,
        chunk_seq: u16::from(flags & FLAG_DELTA != 0),
        key_back,
        time_us: 1_790_000_000_000_000,
        payload_crc: crc32c::crc32c(payload),
    };
    out.extend_from_slice(&header.encode());
    out.extend_from_slice(payload);
}

fuzz_target!(|data: &[u8]| {
    let mut file = file_header().to_vec();
    let mut input = data;
    while input.len() >= 3 {
        let op = take(&mut input, 3);
        let (op, a, b) = (op[0], op[1], op[2]);
        let len = usize::from(a) * 4 + usize::from(b % 4);
        match op % 6 {
            // Garbage payload of any kind and flags, CRCs right.
            0 => {
                let payload = take(&mut input, len).to_vec();
                push_frame(&mut file, 1 + b % 4, a, 0, &payload, None);
            }
            // A zstd payload that inflates far, as a key or a delta frame.
            1 => push_frame(&mut file, 1, FLAG_ZSTD | (a & FLAG_DELTA), u32::from(b) * 64, inflating(usize::from(a)), None),
            // A header declaring a payload far past the end of the file.
            2 => push_frame(&mut file, 1, a, 0, &[], Some(u32::from(a) << 20 | u32::from(b))),
            // A table section declaring a huge row count over few bytes.
            3 => {
                let mut raw = Vec::new();
                varint(&mut raw, u64::from(a % 40));
                let mut body = Vec::new();
                varint(&mut body, u64::from(b) << (a % 40));
                body.extend_from_slice(take(&mut input, len));
                varint(&mut raw, body.len() as u64);
                raw.extend_from_slice(&body);
                push_frame(&mut file, 1, a & FLAG_DELTA, u32::from(b) * 32, &raw, None);
            }
            // Raw bytes between frames.
            4 => file.extend_from_slice(take(&mut input, len)),
            // A delta pointing anywhere back.
            _ => {
                let payload = take(&mut input, len).to_vec();
                push_frame(&mut file, 1, FLAG_DELTA, u32::from_le_bytes([a, b, 0, 0]), &payload, None);
            }
        }
    }
    let path = scratch_file();
    std::fs::write(path, &file).expect("write");
    if let Ok(mut reader) = FileReader::open(path) {
        while let Ok(Some(_)) = reader.next_item() {}
    }
    if let Ok(mut writer) = FileWriter::open(path, &FileHeader::default(), 0o600) {
        writer.set_durable(false);
        let _ = writer.append_sample(sample(), false);
    }
});

/// A small sample to append: the uptime and a CPU row.
fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| Sample {
        time_us: 1_790_000_001_000_000,
        tables: vec![
            Table {
                kind: TableKind::UPTIME,
                rows: vec![Row { key: "uptime".into(), text: Vec::new(), values: vec![100, 180] }],
            },
            Table {
                kind: TableKind::CPU,
                rows: vec![Row { key: "cpu".into(), text: Vec::new(), values: vec![1, 2, 3, 4] }],
            },
        ],
    })
}
