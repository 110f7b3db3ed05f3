//! The built-in key-frame dictionary (data-format/src/dict/key-1.bin) is the raw key payload
//! of a sample of the fixture host: this test checks that it still pays off, and regenerates
//! it when asked. Regenerating changes the file format: only before a format is released
//! (`RSTAT_WRITE_DICT=1 cargo test -p rstat-collector --test key_dictionary`).

use std::path::Path;

use rstat_collector::sampler::Sampler;
use rstat_data_format::codec::{decode_key, decompress, Encoder, KEY_DICTIONARY_1};
use rstat_data_format::Sample;

fn fixture_sample(name: &str) -> Sample {
    let mut sample = Sample::default();
    Sampler::new(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .sample(&mut sample);
    sample
}

#[test]
fn key_frames_with_the_dictionary_are_several_times_smaller() {
    let mut encoder = Encoder::new();
    if std::env::var_os("RSTAT_WRITE_DICT").is_some() {
        let raw = encoder
            .encode_key_raw(&fixture_sample("real-debian-vm").tables)
            .unwrap()
            .to_vec();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data-format/src/dict/key-1.bin");
        std::fs::write(path, raw).unwrap();
        return;
    }
    assert!(!KEY_DICTIONARY_1.is_empty());
    // The later capture differs in every counter, like a real key frame of another moment.
    let sample = fixture_sample("real-debian-vm-later");
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
        out.len() * 3 < plain,
        "with dictionary {} bytes, without {plain}, raw {raw_len}",
        out.len()
    );
}
