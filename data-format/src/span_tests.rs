//! sar's Average figures over a span: rates from the end counters, levels as means.

use super::*;
use crate::derive;
use crate::schema::disk_col;

fn sample(uptime_cs: u64, boot: &str) -> Sample {
    let mut s = crate::test_samples::at_uptime(uptime_cs);
    s.table_mut(TableKind::BOOT)
        .refill()
        .row_with_text("boot", &[boot]);
    s
}

/// A sample with vda's reads, sectors read, read ms and busy ms, and memory.
fn with_disk_and_memory(uptime_cs: u64, disk: [u64; 4], available_kb: u64) -> Arc<Sample> {
    let mut s = sample(uptime_cs, "b");
    let mut values = vec![0u64; 17];
    values[disk_col::MAJOR] = 254;
    values[disk_col::READS] = disk[0];
    values[disk_col::SECTORS_READ] = disk[1];
    values[disk_col::READ_MS] = disk[2];
    values[disk_col::IO_MS] = disk[3];
    s.table_mut(TableKind::DISKSTATS)
        .refill()
        .row("vda")
        .values
        .extend(values);
    let mut fill = s.table_mut(TableKind::MEMINFO).refill();
    fill.row("MemTotal").values.push(1000);
    fill.row("MemFree").values.push(100);
    fill.row("MemAvailable").values.push(available_kb);
    fill.finish();
    s.table_mut(TableKind::STAT)
        .refill()
        .row("ctxt")
        .values
        .push(uptime_cs * 7);
    Arc::new(s)
}

#[test]
fn disk_averages_come_from_the_totals_over_the_span() {
    // 10 reads of 8 sectors in 1 s, then 1 read of 1000 sectors in 1 s.
    let a = with_disk_and_memory(1000, [0, 0, 0, 0], 0);
    let b = with_disk_and_memory(1100, [10, 80, 10, 100], 400);
    let c = with_disk_and_memory(1200, [11, 1080, 40, 700], 600);
    let mut span = Span::new(a);
    assert!(span.rates().is_none() && span.levels().is_none());
    assert!(span.push(b) && span.push(c));
    assert_eq!(span.intervals(), 2);
    let vda = &span.rates().unwrap().disks()[0];
    // sar: areq-sz = 1080 sectors / 11 I/Os / 2 = 49.09 kB (the mean of the two intervals'
    // 4 and 500 would be 252); await = 40 ms / 11; %util = 700 ms over 2 s = 35%.
    assert!((vda.areq_sz - 1080.0 / 11.0 / 2.0).abs() < 1e-9, "{vda:?}");
    assert!((vda.await_ms - 40.0 / 11.0).abs() < 1e-9, "{vda:?}");
    assert!((vda.util_pct - 35.0).abs() < 1e-9, "{vda:?}");
    assert!((vda.tps - 5.5).abs() < 1e-9, "{vda:?}");
}

#[test]
fn levels_are_the_mean_of_the_interval_ends_not_of_the_baseline() {
    let a = with_disk_and_memory(1000, [0, 0, 0, 0], 0);
    let b = with_disk_and_memory(1100, [0, 0, 0, 0], 400);
    let c = with_disk_and_memory(1200, [0, 0, 0, 0], 601);
    let mut span = Span::new(a);
    assert!(span.push(b) && span.push(c));
    let levels = span.levels().unwrap();
    let memory = derive::memory(&levels).unwrap();
    // MemAvailable: (400 + 601) / 2 rounds to 501; used 499 of 1000 kB.
    assert_eq!((memory.kbavail, memory.kbmemused), (501, 499));
    assert!((memory.memused_pct - 49.9).abs() < 1e-9);
    assert!(
        levels.table(TableKind::STAT).unwrap().row("ctxt").is_none(),
        "counters are not levels"
    );
    assert_eq!(span.last().time_us, 12_000_000);
}

#[test]
fn a_sample_of_another_boot_is_refused() {
    let mut span = Span::new(Arc::new(sample(1000, "one")));
    assert!(!span.push(Arc::new(sample(1100, "two"))));
    assert!(!span.push(Arc::new(sample(900, "one"))), "uptime went back");
    assert_eq!(span.intervals(), 0);
}
