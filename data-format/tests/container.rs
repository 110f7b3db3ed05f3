//! The daily-file container end to end: write, reopen, append, damage, lock.

mod common;

use common::{damages, header, read_all, sample, samples};
use rstat_data_format::frame::FrameKind;
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::writer::{FileWriter, CHUNK_LEN};
use rstat_data_format::{Error, RestartInfo};

const START: i64 = 1_790_000_000_000_000;

fn write(path: &std::path::Path, range: std::ops::Range<u64>) {
    let mut writer = FileWriter::open(path, &header(), 0o644).unwrap();
    writer.set_durable(false);
    for n in range {
        writer
            .append_sample(&sample(START, n, "boot-a"), false)
            .unwrap();
    }
}

#[test]
fn samples_round_trip_across_chunks_and_shape_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..300);
    let items = read_all(&path);
    assert!(damages(&items).is_empty());
    let read = samples(&items);
    assert_eq!(read.len(), 300);
    for (n, s) in read.iter().enumerate() {
        assert_eq!(s, &sample(START, n as u64, "boot-a"), "sample {n}");
    }
    let mut reader = FileReader::open(&path).unwrap();
    assert_eq!(reader.header(), &header());
    let mut keys = 0;
    while let Some(Ok(frame)) = reader.next_frame().unwrap() {
        keys += usize::from(!frame.header.is_delta());
        assert!(frame.header.chunk_seq < CHUNK_LEN);
    }
    // Chunks end where they are cheapest, never past CHUNK_LEN, and are several samples
    // long (a key frame is far larger than a delta here).
    let fewest = 300usize.div_ceil(usize::from(CHUNK_LEN));
    assert!((fewest..=300 / 4).contains(&keys), "{keys} key frames");
}

#[test]
fn a_new_writer_continues_the_chunk_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..5);
    write(&path, 5..10); // a fresh process per sample, as the timer runs it
    let mut reader = FileReader::open(&path).unwrap();
    let mut seqs = Vec::new();
    while let Some(Ok(frame)) = reader.next_frame().unwrap() {
        seqs.push(frame.header.chunk_seq);
    }
    assert_eq!(
        seqs,
        (0..10).collect::<Vec<u16>>(),
        "one chunk, one key frame"
    );
    let read = samples(&read_all(&path));
    assert_eq!(
        read,
        (0..10)
            .map(|n| sample(START, n, "boot-a"))
            .collect::<Vec<_>>()
    );
}

/// A writer opened on an existing file reads the chunk's key frame as raw bytes and only
/// the uptime and boot tables of the last sample: what it appends must decode to the samples
/// a writer that kept the chunk in memory appends, over several chunks. (Its frames are the
/// first of their type that its encoder compresses, with the dictionary loaded for that
/// frame alone: a few bytes larger than the long-lived writer's.)
#[test]
fn a_writer_per_sample_writes_what_one_long_lived_writer_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (one, each) = (dir.path().join("one.rstat"), dir.path().join("each.rstat"));
    let count = u64::from(CHUNK_LEN) * 2 + 9;
    write(&one, 0..count);
    for n in 0..count {
        write(&each, n..n + 1);
    }
    let expected: Vec<_> = (0..count).map(|n| sample(START, n, "boot-a")).collect();
    for path in [&one, &each] {
        let items = read_all(path);
        assert!(damages(&items).is_empty(), "{}", path.display());
        assert_eq!(samples(&items), expected, "{}", path.display());
    }
    let (one, each) = (
        std::fs::metadata(&one).unwrap().len(),
        std::fs::metadata(&each).unwrap().len(),
    );
    assert!(
        one > 10_000 && each <= one + one / 50,
        "{one} and {each} bytes"
    );
}

#[test]
fn flipped_bytes_lose_only_the_damaged_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..40);
    // Frames 3 and 6 below must be delta frames of the first chunk.
    const _: () = assert!(CHUNK_LEN > 7);
    let mut reader = FileReader::open(&path).unwrap();
    let mut frames = Vec::new();
    while let Some(Ok(frame)) = reader.next_frame().unwrap() {
        frames.push(frame);
    }
    // Damage the payload of delta frame 3 and the header of delta frame 6.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[frames[3].offset as usize + 40] ^= 0xFF;
    bytes[frames[6].offset as usize + 5] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();

    let items = read_all(&path);
    let damage = damages(&items);
    assert_eq!(damage.len(), 2, "{damage:?}");
    assert_eq!(
        (damage[0].start, damage[0].end),
        (frames[3].offset, frames[4].offset)
    );
    assert_eq!(
        (damage[1].start, damage[1].end),
        (frames[6].offset, frames[7].offset)
    );
    assert!(!damage[0].at_tail && damage[0].reason.contains("checksum"));
    let read = samples(&items);
    let expected: Vec<_> = (0..40)
        .filter(|n| *n != 3 && *n != 6)
        .map(|n| sample(START, n, "boot-a"))
        .collect();
    assert_eq!(
        read, expected,
        "every intact frame before and after the damage is read"
    );
}

#[test]
fn a_damaged_key_frame_is_reported_for_each_frame_that_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..120);
    // Where the writer ended the first chunk, and how long the second one is.
    let mut reader = FileReader::open(&path).unwrap();
    let mut keys = Vec::new();
    let mut n = 0u64;
    while let Some(Ok(frame)) = reader.next_frame().unwrap() {
        if !frame.header.is_delta() {
            keys.push(n);
        }
        n += 1;
    }
    assert!(keys.len() >= 2, "two chunks at least: {keys:?}");
    let (chunk, end) = (keys[1], keys.get(2).copied().unwrap_or(n));
    let mut bytes = std::fs::read(&path).unwrap();
    let data_start = FileReader::open(&path).unwrap().data_start() as usize;
    bytes[data_start + 40] ^= 0x55; // key frame of chunk 0
    std::fs::write(&path, &bytes).unwrap();
    let items = read_all(&path);
    let read = samples(&items);
    assert_eq!(
        read[..(end - chunk) as usize],
        (chunk..end)
            .map(|n| sample(START, n, "boot-a"))
            .collect::<Vec<_>>()[..]
    );
    assert_eq!(read.len() as u64, n - chunk);
    let damage = damages(&items);
    assert_eq!(damage.len() as u64, chunk);
    assert!(
        damage[1].reason.contains("key frame"),
        "{}",
        damage[1].reason
    );
}

#[test]
fn a_torn_tail_is_reported_and_the_next_writer_cuts_it_before_appending() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..12);
    let full = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(full - 7).unwrap(); // a crash in the middle of the last write
    drop(file);

    let items = read_all(&path);
    assert_eq!(samples(&items).len(), 11);
    let damage = damages(&items);
    assert_eq!(damage.len(), 1);
    assert!(
        damage[0].at_tail && damage[0].torn_tail && damage[0].end == full - 7,
        "{:?}",
        damage[0]
    );

    write(&path, 12..20);
    let items = read_all(&path);
    let read = samples(&items);
    let expected: Vec<_> = (0..20)
        .filter(|n| *n != 11)
        .map(|n| sample(START, n, "boot-a"))
        .collect();
    assert_eq!(
        read, expected,
        "nothing recorded is lost and the new samples follow"
    );
    assert_eq!(
        damages(&items),
        vec![],
        "the torn bytes were cut, not left as damage inside the file"
    );
}

#[test]
fn a_whole_frame_with_a_bad_checksum_at_the_tail_is_kept_as_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..12);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0xFF; // inside the last frame's payload
    std::fs::write(&path, &bytes).unwrap();

    write(&path, 12..14);
    let items = read_all(&path);
    assert_eq!(samples(&items).len(), 13);
    let damage = damages(&items);
    assert_eq!(damage.len(), 1, "{damage:?}");
    assert!(
        !damage[0].at_tail && !damage[0].torn_tail,
        "{:?}",
        damage[0]
    );
}

#[test]
fn a_second_writer_is_refused_with_the_holders_pid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    let _first = FileWriter::open(&path, &header(), 0o644).unwrap();
    match FileWriter::open(&path, &header(), 0o644) {
        Err(Error::Locked { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
        Err(other) => panic!("expected a lock error, got {other}"),
        Ok(_) => panic!("a second writer got the lock"),
    }
    let message = FileWriter::open(&path, &header(), 0o644)
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("locked by another collector"), "{message}");
}

#[test]
fn readers_read_while_the_writer_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    let mut writer = FileWriter::open(&path, &header(), 0o644).unwrap();
    writer
        .append_sample(&sample(START, 0, "boot-a"), false)
        .unwrap();
    let mut reader = FileReader::open(&path).unwrap();
    assert!(matches!(
        reader.next_item().unwrap(),
        Some(Item::Record { .. })
    ));
    assert!(reader.next_item().unwrap().is_none());
    writer
        .append_sample(&sample(START, 1, "boot-a"), false)
        .unwrap();
    match reader.next_item().unwrap() {
        Some(Item::Record {
            record: Record::Sample { sample: s, .. },
            ..
        }) => assert_eq!(s, sample(START, 1, "boot-a")),
        other => panic!("expected the appended sample, got {other:?}"),
    }
}

#[test]
fn restart_and_comment_records_round_trip_and_reset_the_chunk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    let mut writer = FileWriter::open(&path, &header(), 0o644).unwrap();
    writer
        .append_sample(&sample(START, 0, "boot-a"), false)
        .unwrap();
    writer
        .append_comment(START + 1, "maintenance window")
        .unwrap();
    let info = RestartInfo {
        boot_time: 1_800_000_000,
        boot_id: "boot-b".into(),
        kernel_release: "6.2".into(),
        cpu_count: 4,
    };
    writer.append_restart(START + 2, &info).unwrap();
    writer
        .append_sample(&sample(START, 1, "boot-b"), false)
        .unwrap();
    drop(writer);
    let writer = FileWriter::open(&path, &header(), 0o644).unwrap();
    assert_eq!(writer.last_boot_id(), Some("boot-b"));
    drop(writer);

    let items = read_all(&path);
    let records: Vec<&Record> = items
        .iter()
        .map(|i| match i {
            Item::Record { record, .. } => record,
            Item::Damaged(d) => panic!("unexpected damage {d}"),
        })
        .collect();
    assert!(matches!(records[1], Record::Comment { text, .. } if text == "maintenance window"));
    assert!(matches!(records[2], Record::Restart { info: i, .. } if *i == info));
    let mut reader = FileReader::open(&path).unwrap();
    let kinds: Vec<(FrameKind, bool)> = std::iter::from_fn(|| reader.next_frame().unwrap())
        .map(|f| f.map(|f| (f.header.kind, f.header.is_delta())).unwrap())
        .collect();
    assert_eq!(
        kinds[3],
        (FrameKind::Sample, false),
        "a sample after a restart is a key frame"
    );
}

#[test]
fn bad_files_give_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, this is not rstat data\n").unwrap();
    let message = FileReader::open(&text).err().unwrap().to_string();
    assert!(
        message.contains("notes.txt") && message.contains("not an rstat data file"),
        "{message}"
    );
    assert!(
        matches!(
            FileWriter::open(&text, &header(), 0o644),
            Err(Error::NotRstat { .. })
        ),
        "never appends to a foreign file"
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "hello, this is not rstat data\n"
    );

    let path = dir.path().join("a.rstat");
    write(&path, 0..3);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8] = 9; // major version 9
    std::fs::write(&path, &bytes).unwrap();
    let message = FileReader::open(&path).err().unwrap().to_string();
    assert!(
        message.contains("newer rstat") && message.contains("upgrade"),
        "{message}"
    );

    bytes[8] = 1;
    bytes[20] ^= 0xFF; // inside the encoded header
    std::fs::write(&path, &bytes).unwrap();
    let message = FileReader::open(&path).err().unwrap().to_string();
    assert!(
        message.contains("damaged at byte 0") && message.contains("header checksum"),
        "{message}"
    );

    let missing = dir.path().join("missing.rstat");
    let message = FileReader::open(&missing).err().unwrap().to_string();
    assert!(
        message.contains("missing.rstat") && message.contains("cannot open"),
        "{message}"
    );
}

#[test]
fn a_header_torn_at_creation_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..1);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..20]).unwrap(); // the creator crashed inside the header
    write(&path, 1..3);
    assert_eq!(samples(&read_all(&path)).len(), 2);
}

#[test]
fn seek_time_finds_the_first_record_at_or_after_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..200);
    let mut reader = FileReader::open(&path).unwrap();
    reader.seek_time(START + 150 * 1_000_000 + 1).unwrap();
    match reader.next_item().unwrap() {
        Some(Item::Record {
            record: Record::Sample { sample: s, .. },
            ..
        }) => assert_eq!(s, sample(START, 151, "boot-a")),
        other => panic!("{other:?}"),
    }
    reader.seek_time(START + 10_000 * 1_000_000).unwrap();
    assert!(reader.next_item().unwrap().is_none());
}

#[test]
fn seek_time_bisects_a_long_file_to_the_exact_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rstat");
    write(&path, 0..3000);
    assert!(
        std::fs::metadata(&path).unwrap().len() > 256 * 1024,
        "long enough to bisect"
    );
    let mut reader = FileReader::open(&path).unwrap();
    for target in [0u64, 1, 63, 64, 65, 1000, 1777, 2998, 2999] {
        for offset_us in [-1i64, 0, 1] {
            let time = START + target as i64 * 1_000_000 + offset_us;
            reader.seek_time(time).unwrap();
            let want = if offset_us <= 0 { target } else { target + 1 };
            match reader.next_item().unwrap() {
                Some(Item::Record {
                    record: Record::Sample { sample: s, .. },
                    ..
                }) => {
                    assert_eq!(
                        s,
                        sample(START, want, "boot-a"),
                        "seek to {target}{offset_us:+}"
                    )
                }
                None => assert_eq!(want, 3000),
                other => panic!("{other:?}"),
            }
        }
    }
}
