//! The reader on thousands of damaged copies of a valid file: it never panics, never loops,
//! and frames the damage did not touch still read. (The cargo-fuzz target in data-format/fuzz
//! explores further; this runs in every `cargo test`.)

mod common;

use common::{header, sample};
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::writer::FileWriter;

const START: i64 = 1_790_000_000_000_000;

/// xorshift64*: a fixed-seed generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn read_times(path: &std::path::Path) -> Option<Vec<i64>> {
    let mut reader = FileReader::open(path).ok()?;
    let mut times = Vec::new();
    let mut steps = 0;
    while let Some(item) = reader.next_item().expect("no I/O errors on a local file") {
        steps += 1;
        assert!(steps < 10_000, "reader does not terminate");
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            times.push(sample.time_us);
        }
    }
    Some(times)
}

#[test]
fn damaged_copies_never_panic_and_keep_untouched_frames() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("orig.rstat");
    let mut writer = FileWriter::open(&original, &header(), 0o644).unwrap();
    writer.set_durable(false);
    for n in 0..90 {
        writer
            .append_sample(&sample(START, n, "boot-a"), false)
            .unwrap();
    }
    drop(writer);
    let bytes = std::fs::read(&original).unwrap();
    let all = read_times(&original).unwrap();
    assert_eq!(all.len(), 90);
    let mut reader = FileReader::open(&original).unwrap();
    let data_start = reader.data_start() as usize;
    let mut frame_starts = Vec::new();
    while let Some(Ok(frame)) = reader.next_frame().unwrap() {
        frame_starts.push(frame.offset as usize);
    }

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let path = dir.path().join("mutant.rstat");
    for round in 0..800 {
        let mut mutant = bytes.clone();
        let mut lowest_touched = usize::MAX;
        match round % 4 {
            0 => {
                for _ in 0..1 + rng.below(4) {
                    let at = data_start + rng.below(mutant.len() - data_start);
                    mutant[at] ^= 1 << rng.below(8);
                    lowest_touched = lowest_touched.min(at);
                }
            }
            1 => {
                let at = data_start + rng.below(mutant.len() - data_start);
                mutant.truncate(at);
                lowest_touched = at;
            }
            2 => {
                let at = data_start + rng.below(mutant.len() - data_start);
                let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                mutant.splice(at..at, junk);
                lowest_touched = at;
            }
            _ => {
                // Anywhere, header included: only "no panic" is asserted.
                let at = rng.below(mutant.len());
                mutant[at] = rng.next() as u8;
                lowest_touched = 0;
            }
        }
        std::fs::write(&path, &mutant).unwrap();
        let Some(times) = read_times(&path) else {
            assert!(
                lowest_touched < data_start,
                "round {round}: header untouched but open failed"
            );
            continue;
        };
        if lowest_touched >= data_start {
            // Every frame that ends before the first damaged byte reads intact (a delta frame
            // also needs its key frame, which starts earlier still).
            let intact = frame_starts
                .iter()
                .skip(1)
                .take_while(|&&next| next <= lowest_touched)
                .count();
            assert!(
                times.len() >= intact,
                "round {round}: {} samples read, {intact} intact before the damage",
                times.len()
            );
            assert_eq!(&times[..intact], &all[..intact], "round {round}");
        }
    }
}
