//! A series hands each spent sample back to its reader, which decodes the next delta frame
//! into that memory: the samples must come out exactly as a fresh decode gives them, whatever
//! shape the recycled sample had (tables and rows appearing, vanishing, text changing).

mod common;

use common::{header, read_all, sample, samples};
use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::series::{Event, Series};
use rstat_data_format::{Row, TableKind};

#[test]
fn recycled_decoding_gives_the_samples_a_fresh_decoding_gives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    let start = 1_780_000_000_000_000;
    for n in 0..160u64 {
        let mut s = sample(start, n, "boot-a");
        // Shapes that change from one sample to the next: rows dropped, text added.
        if n % 3 == 0 {
            if let Some(t) = s.tables.iter_mut().find(|t| t.kind == TableKind::MEMINFO) {
                t.rows.truncate(10 + (n as usize % 17));
            }
        }
        if n % 5 == 0 {
            if let Some(t) = s.tables.iter_mut().find(|t| t.kind == TableKind::STAT) {
                t.rows.push(Row {
                    key: format!("extra{n}"),
                    text: vec![format!("text {n}")],
                    values: vec![n, n * 2],
                });
            }
        }
        writer.append_sample(&s).unwrap();
    }
    let fresh = samples(&read_all(&path));
    assert_eq!(fresh.len(), 160);
    let mut series = Series::open(std::slice::from_ref(&path)).unwrap();
    let mut seen = Vec::new();
    while let Some(event) = series.next_event().unwrap() {
        match event {
            Event::First(s) => seen.push((*s).clone()),
            Event::Interval(pair) => seen.push((*pair.cur).clone()),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen.len(), fresh.len());
    for (n, (ours, theirs)) in seen.iter().zip(&fresh).enumerate() {
        assert_eq!(ours, theirs, "sample {n}");
    }
}
