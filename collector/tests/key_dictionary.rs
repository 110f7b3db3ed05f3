//! The built-in zstd dictionaries (data-format/src/dict/): this test checks that they still
//! pay off, and makes the next generation when asked.
//!
//! - `key-1.bin` (format 1.0): the raw key payload of a core sample of `real-debian-vm`.
//!   Released: never regenerated.
//! - `key-2.bin` (format 1.1): the raw key payload of a sample of every system activity of
//!   `system-real-a`.
//! - `delta-2.bin` (format 1.1): a zstd-trained dictionary of the delta payloads of a capture
//!   of every system activity at 1 s, each against its chunk's key frame as the writer encodes
//!   them. The capture is not kept in the repository (a few hundred kB); it was made with
//!   `rstat collect -i 1 -c 200 --activities ALL --no-processes --no-sync --file CAPTURE`.
//!
//! Regenerating changes the file format: only before a format is released
//! (`RSTAT_WRITE_DICT=2 RSTAT_DICT_SOURCE=CAPTURE cargo test -p rstat-collector --test
//! key_dictionary`).

use std::path::Path;

use rstat_collector::activities::Activities;
use rstat_collector::sampler::Sampler;
use rstat_data_format::codec::{
    decode_delta, decode_key, decompress, Encoder, DELTA_DICTIONARY_2, KEY_DICTIONARY_1,
    KEY_DICTIONARY_2,
};
use rstat_data_format::writer::CHUNK_LEN;
use rstat_data_format::{FileReader, Item, Record, Sample};

/// Bytes of the trained delta dictionary: 4 KiB and 8 KiB gave deltas within 1% of each
/// other on the capture; the smaller one costs less to load.
const DELTA_DICTIONARY_SIZE: usize = 4096;

fn fixture_sample(name: &str, activities: Activities) -> Sample {
    let mut sample = Sample::default();
    Sampler::with_activities(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        activities,
    )
    .sample(&mut sample);
    sample
}

fn write_dictionaries_2(encoder: &mut Encoder) {
    let dict_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data-format/src/dict");
    let source = std::env::var_os("RSTAT_DICT_SOURCE").expect("RSTAT_DICT_SOURCE=CAPTURE");
    let mut reader = FileReader::open(Path::new(&source)).unwrap();
    let mut samples = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            samples.push(sample);
        }
    }
    let first = samples.first().expect("a capture with samples");
    let key = encoder.encode_key_raw(&first.tables).unwrap().to_vec();
    std::fs::write(dict_dir.join("key-2.bin"), key).unwrap();
    let mut deltas = Vec::new();
    for chunk in samples.chunks(usize::from(CHUNK_LEN)) {
        for sample in &chunk[1..] {
            let raw = encoder
                .encode_delta_raw(&sample.tables, &chunk[0].tables)
                .unwrap();
            deltas.push(raw.to_vec());
        }
    }
    let dictionary = zstd::dict::from_samples(&deltas, DELTA_DICTIONARY_SIZE).unwrap();
    std::fs::write(dict_dir.join("delta-2.bin"), dictionary).unwrap();
}

#[test]
fn key_frames_with_the_dictionary_are_several_times_smaller() {
    let mut encoder = Encoder::new();
    if std::env::var_os("RSTAT_WRITE_DICT").is_some_and(|v| v == "2") {
        write_dictionaries_2(&mut encoder);
        return;
    }
    assert!(!KEY_DICTIONARY_1.is_empty());
    assert!(!KEY_DICTIONARY_2.is_empty());
    // The later capture differs in every counter, like a real key frame of another moment.
    let sample = fixture_sample("system-real-b", Activities::all());
    let raw_len = encoder.encode_key_raw(&sample.tables).unwrap().len();
    let plain = zstd::bulk::compress(encoder.encode_key_raw(&sample.tables).unwrap(), 3)
        .unwrap()
        .len();
    let mut out = Vec::new();
    let (_, flags) = encoder.encode_key(&sample.tables, &mut out).unwrap();
    assert_eq!(
        decode_key(&decompress(&out, flags).unwrap()).unwrap(),
        sample.tables
    );
    assert!(
        out.len() * 4 < plain,
        "with dictionary {} bytes, without {plain}, raw {raw_len}",
        out.len()
    );
}

#[test]
fn delta_frames_with_the_dictionary_are_smaller() {
    assert!(!DELTA_DICTIONARY_2.is_empty());
    let key = fixture_sample("system-real-a", Activities::all());
    let sample = fixture_sample("system-real-b", Activities::all());
    let mut encoder = Encoder::new();
    let plain = zstd::bulk::compress(
        encoder
            .encode_delta_raw(&sample.tables, &key.tables)
            .unwrap(),
        3,
    )
    .unwrap()
    .len();
    let mut out = Vec::new();
    let (_, flags) = encoder
        .encode_delta(&sample.tables, &key.tables, &mut out)
        .unwrap();
    assert_eq!(
        decode_delta(&decompress(&out, flags).unwrap(), &key.tables).unwrap(),
        sample.tables
    );
    assert!(
        out.len() * 10 < plain * 9,
        "with dictionary {} bytes, without {plain}",
        out.len()
    );
}
