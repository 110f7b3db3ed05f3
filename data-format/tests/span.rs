//! One Average span per boot, from a file with a restart, through the windowed series.

mod common;

use common::{header, sample};
use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::series::Series;
use rstat_data_format::span::{Span, Spans};
use rstat_data_format::window::{Window, WindowedSeries};

const START: i64 = 1_780_000_000_000_000;

fn spans(path: &std::path::Path, window: Window) -> Vec<Span> {
    let mut windowed = WindowedSeries::new(Series::open(&[path.to_path_buf()]).unwrap(), window);
    let mut spans = Spans::new();
    let mut out = Vec::new();
    while let Some(event) = windowed.next_event().unwrap() {
        out.extend(spans.observe(&event));
    }
    out.extend(spans.finish());
    out
}

#[test]
fn a_restart_closes_the_span_and_rates_come_from_its_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    for i in 0..6 {
        let boot = if i < 4 { "boot-a" } else { "boot-b" };
        writer.append_sample(&sample(START, i, boot)).unwrap();
    }
    drop(writer);
    let all = spans(&path, Window::default());
    assert_eq!(all.len(), 2, "one span per boot");
    assert_eq!(all[0].intervals(), 3);
    assert_eq!(all[1].intervals(), 1);
    let secs = |span: &Span| {
        (
            (span.first().time_us - START) / 1_000_000,
            (span.last().time_us - START) / 1_000_000,
        )
    };
    assert_eq!((secs(&all[0]), secs(&all[1])), ((0, 3), (4, 5)));
    // The span's rates are the interval from its first sample to its last.
    let rates = all[0].rates().unwrap();
    assert_eq!(rates.seconds, 3.0);
    assert!(all[0]
        .levels()
        .unwrap()
        .table(rstat_data_format::TableKind::MEMINFO)
        .is_some());

    // With -i 2, the same boots, fewer intervals.
    let every = Window {
        every_us: Some(2_000_000),
        ..Window::default()
    };
    let aggregated = spans(&path, every);
    assert_eq!(
        aggregated.len(),
        1,
        "the second boot has no 2-second interval"
    );
    assert_eq!(aggregated[0].intervals(), 1);
    assert_eq!(aggregated[0].rates().unwrap().seconds, 2.0);
}
