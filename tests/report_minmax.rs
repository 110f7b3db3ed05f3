//! `rstat report -x`: sar 12.7's extended reports. Each item's closing rows become a block:
//! a blank line, the header labelled `Summary:`, `Minimum:` and `Maximum:` over the interval
//! rows printed, then `Average:` (`Last:` for -F). Debian's sar (12.6.1) has no -x, so the
//! figures are worked out by hand from samples whose counters the test chooses: four samples
//! ten seconds apart, three intervals.

mod common;

use std::path::{Path, PathBuf};

use rstat_data_format::daily::{DailyWriter, Target};
use rstat_data_format::{FileHeader, Sample, TableKind};

/// 2026-11-27 10:00:00 UTC.
const START_US: i64 = 1_795_773_600_000_000;
const MB: u64 = 1024 * 1024;

fn header() -> FileHeader {
    FileHeader {
        host: "xhost".into(),
        kernel_release: "6.1.0-test".into(),
        arch: "x86_64".into(),
        cpu_count: 2,
        ticks_per_sec: 100,
        page_size: 4096,
        boot_time: 1_795_700_000,
        boot_id: "boot-a".into(),
        created_us: START_US,
        // The zone and writer are not read by these tests.
        ..FileHeader::default()
    }
}

/// The counters of one sample.
struct Counters {
    /// (user, system, idle) ticks of cpu0 and cpu1.
    cpus: [(u64, u64, u64); 2],
    /// /proc/stat `processes` and `ctxt`.
    processes: u64,
    ctxt: u64,
    /// /proc/loadavg: load1 in hundredths, runnable, tasks.
    load1: u64,
    runnable: u64,
    tasks: u64,
    /// /dev/sda1's free megabytes and free inodes (of 1000 MB and 1000 inodes).
    free_mb: u64,
    free_inodes: u64,
}

fn sample(n: i64, c: &Counters) -> Sample {
    let mut s = Sample {
        time_us: START_US + n * 10_000_000,
        tables: Vec::new(),
    };
    s.table_mut(TableKind::UPTIME)
        .refill()
        .row("uptime")
        .values
        .extend([1_000_000 + n as u64 * 1000, 0]);
    s.table_mut(TableKind::BOOT)
        .refill()
        .row_with_text("boot", &["boot-a"]);
    let [(u0, s0, i0), (u1, s1, i1)] = c.cpus;
    let mut cpu = s.table_mut(TableKind::CPU).refill();
    for (key, (user, system, idle)) in [
        ("cpu", (u0 + u1, s0 + s1, i0 + i1)),
        ("cpu0", c.cpus[0]),
        ("cpu1", c.cpus[1]),
    ] {
        cpu.row(key)
            .values
            .extend([user, 0, system, idle, 0, 0, 0, 0, 0, 0]);
    }
    let mut stat = s.table_mut(TableKind::STAT).refill();
    stat.row("processes").values.push(c.processes);
    stat.row("ctxt").values.push(c.ctxt);
    stat.row("procs_blocked").values.push(0);
    s.table_mut(TableKind::LOADAVG)
        .refill()
        .row("loadavg")
        .values
        .extend([c.load1, 0, 0, c.runnable, c.tasks, 4242]);
    s.table_mut(TableKind::USB)
        .refill()
        .row_with_text("1-1", &["Logitech", "Mouse"])
        .values
        .extend([1, 0x046d, 0xc077, 100]);
    s.table_mut(TableKind::FILESYSTEMS)
        .refill()
        .row_with_text("/dev/sda1", &["/data", "ext4"])
        .values
        .extend([
            1000 * MB,
            c.free_mb * MB,
            c.free_mb * MB,
            1000,
            c.free_inodes,
        ]);
    s
}

/// The four samples. Per interval (1000 ticks a CPU):
/// - cpu0: %user 10, 50, 20; %system 0, 0, 10; %idle 90, 50, 70.
/// - cpu1: %user 0, 30, 100; %idle 100, 70, 0.
/// - all: %user 5, 40, 60; %system 0, 0, 5; %idle 95, 60, 35.
/// - proc/s 1, 0, 2; cswch/s 100, 0, 50 (the second interval is all zeros for -z).
/// - runq-sz 4, 1, 3; plist-sz 110, 90, 120; ldavg-1 1.50, 0.25, 1.00.
/// - /dev/sda1: MBfsfree 500, 700, 400; Ifree 800, 850, 700.
fn day(dir: &Path) -> PathBuf {
    let counters = [
        Counters {
            cpus: [(1000, 0, 5000), (2000, 0, 4000)],
            processes: 1000,
            ctxt: 0,
            load1: 50,
            runnable: 3,
            tasks: 100,
            free_mb: 600,
            free_inodes: 900,
        },
        Counters {
            cpus: [(1100, 0, 5900), (2000, 0, 5000)],
            processes: 1010,
            ctxt: 1000,
            load1: 150,
            runnable: 5,
            tasks: 110,
            free_mb: 500,
            free_inodes: 800,
        },
        Counters {
            cpus: [(1600, 0, 6400), (2300, 0, 5700)],
            processes: 1010,
            ctxt: 1000,
            load1: 25,
            runnable: 2,
            tasks: 90,
            free_mb: 700,
            free_inodes: 850,
        },
        Counters {
            cpus: [(1800, 100, 7100), (3300, 0, 5700)],
            processes: 1030,
            ctxt: 1500,
            load1: 100,
            runnable: 4,
            tasks: 120,
            free_mb: 400,
            free_inodes: 700,
        },
    ];
    let path = dir.join("x.rstat");
    let mut writer = DailyWriter::new(Target::File(path.clone()), header(), 0o644);
    writer.set_durable(false);
    for (n, c) in counters.iter().enumerate() {
        writer.append_sample(&sample(n as i64, c)).unwrap();
    }
    path
}

/// The report's lines from the first `Summary:` or closing row on, spaces squeezed.
fn closing(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| {
            ["Summary:", "Minimum:", "Average:"]
                .iter()
                .any(|label| l.starts_with(label))
        })
        .unwrap_or(lines.len());
    // Keep the blank line before the first block.
    let first = if first > 0 && lines[first - 1].is_empty() {
        first - 1
    } else {
        first
    };
    lines[first..]
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn report(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = day(dir.path());
    let mut all = vec!["--utc"];
    all.extend_from_slice(args);
    common::report(&file, &all)
}

#[test]
fn each_cpu_gets_its_minimum_and_maximum_before_its_average() {
    let text = report(&["-u", "-P", "ALL", "-x"]);
    // The interval rows are unchanged.
    assert!(
        text.contains(
            "10:00:30          1    100.00      0.00      0.00      0.00      0.00      0.00\n"
        ),
        "{text}"
    );
    // Averages from the span's end counters: all 2100 user, 100 system, 3800 idle of 6000.
    let header = "Summary: CPU %user %nice %system %iowait %steal %idle";
    assert_eq!(
        closing(&text),
        [
            "",
            header,
            "Minimum: all 5.00 0.00 0.00 0.00 0.00 35.00",
            "Maximum: all 60.00 0.00 5.00 0.00 0.00 95.00",
            "Average: all 35.00 0.00 1.67 0.00 0.00 63.33",
            "",
            header,
            "Minimum: 0 10.00 0.00 0.00 0.00 0.00 50.00",
            "Maximum: 0 50.00 0.00 10.00 0.00 0.00 90.00",
            "Average: 0 26.67 0.00 3.33 0.00 0.00 70.00",
            "",
            header,
            "Minimum: 1 0.00 0.00 0.00 0.00 0.00 0.00",
            "Maximum: 1 100.00 0.00 0.00 0.00 0.00 100.00",
            "Average: 1 43.33 0.00 0.00 0.00 0.00 56.67",
        ],
        "{text}"
    );
    // sar's columns: the time in 11, the CPU in 7 after a space, the figures in 9.
    assert!(
        text.contains("\n\nSummary:        CPU     %user     %nice   %system   %iowait    %steal     %idle\nMinimum:        all      5.00"),
        "{text}"
    );
}

#[test]
fn rates_and_levels_take_their_extremes_from_the_rows() {
    let text = report(&["-w", "-q", "-x"]);
    assert_eq!(
        closing(&text),
        [
            "",
            "Summary: proc/s cswch/s",
            "Minimum: 0.00 0.00",
            "Maximum: 2.00 100.00",
            "Average: 1.00 50.00",
            "",
            "10:00:00 runq-sz plist-sz ldavg-1 ldavg-5 ldavg-15 blocked",
            "10:00:10 4 110 1.50 0.00 0.00 0",
            "10:00:20 1 90 0.25 0.00 0.00 0",
            "10:00:30 3 120 1.00 0.00 0.00 0",
            "",
            "Summary: runq-sz plist-sz ldavg-1 ldavg-5 ldavg-15 blocked",
            // Whole numbers stay whole, as sar prints them.
            "Minimum: 1 90 0.25 0.00 0.00 0",
            "Maximum: 4 120 1.50 0.00 0.00 0",
            // Levels average their readings (8/3, 320/3, 2.75/3), whole counts rounded as sar
            // prints them.
            "Average: 3 107 0.92 0.00 0.00 0",
        ],
        "{text}"
    );
}

#[test]
fn hidden_zero_rows_take_no_part_in_the_extremes() {
    let text = report(&["-w", "-z", "-x"]);
    assert_eq!(
        closing(&text),
        [
            "",
            "Summary: proc/s cswch/s",
            // The 10:00:20 interval (no task, no switch) is not printed with -z, so it is
            // not the minimum either; the average still spans the whole file.
            "Minimum: 1.00 50.00",
            "Maximum: 2.00 100.00",
            "Average: 1.00 50.00",
        ],
        "{text}"
    );
}

#[test]
fn filesystems_close_with_their_last_values() {
    let text = report(&["-F", "-x"]);
    let header = "Summary: MBfsfree MBfsused %fsused %ufsused Ifree Iused %Iused FILESYSTEM";
    assert_eq!(
        closing(&text),
        [
            "",
            header,
            "Minimum: 400 300 30.00 30.00 700 150 15.00 /dev/sda1",
            "Maximum: 700 600 60.00 60.00 850 300 30.00 /dev/sda1",
            // sar -x calls -F's Summary: row (the last values) Last:.
            "Last: 400 600 60.00 60.00 700 300 30.00 /dev/sda1",
        ],
        "{text}"
    );
}

#[test]
fn dec_and_human_write_the_extremes_as_the_rows() {
    let text = report(&["-u", "-x", "--dec=0"]);
    assert_eq!(
        closing(&text)[2..],
        [
            "Minimum: all 5 0 0 0 0 35",
            "Maximum: all 60 0 5 0 0 95",
            "Average: all 35 0 2 0 0 63",
        ],
        "{text}"
    );
    let text = report(&["-u", "-x", "-h"]);
    assert_eq!(
        closing(&text)[2..],
        [
            "Minimum: all 5.0% 0.0% 0.0% 0.0% 0.0% 35.0%",
            "Maximum: all 60.0% 0.0% 5.0% 0.0% 0.0% 95.0%",
            "Average: all 35.0% 0.0% 1.7% 0.0% 0.0% 63.3%",
        ],
        "{text}"
    );
}

#[test]
fn x_clusters_with_sar_letters_and_without_it_nothing_changes() {
    let clustered = report(&["-wx"]);
    assert_eq!(clustered, report(&["-w", "-x"]));
    let plain = report(&["-w"]);
    assert!(
        !plain.contains("Minimum:") && !plain.contains("Summary:"),
        "{plain}"
    );
    assert!(
        plain.ends_with("Average:         1.00     50.00\n"),
        "{plain}"
    );
}

/// The printed figures of the row labelled `label` for CPU "all".
fn all_row(text: &str, label: &str) -> Vec<f64> {
    let line = text
        .lines()
        .find(|l| l.starts_with(label) && l.split_whitespace().nth(1) == Some("all"))
        .unwrap_or_else(|| panic!("no {label} all row: {text}"));
    line.split_whitespace()
        .skip(2)
        .map(|w| w.parse().unwrap())
        .collect()
}

#[test]
fn live_reports_close_with_the_extremes_of_their_intervals() {
    let output = common::rstat()
        .args(["report", "-u", "-x", "1", "2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\n\nSummary:        CPU     %user"), "{text}");
    let (min, max, avg) = (
        all_row(&text, "Minimum:"),
        all_row(&text, "Maximum:"),
        all_row(&text, "Average:"),
    );
    // The span's figure is a mean of the intervals' figures (weighted by their ticks), so it
    // lies between their least and greatest (to the printed hundredth).
    for i in 0..avg.len() {
        assert!(
            min[i] <= max[i] && min[i] - 0.01 <= avg[i] && avg[i] <= max[i] + 0.01,
            "column {i}: {text}"
        );
    }
}

#[test]
fn usb_devices_have_no_extremes_as_in_sar() {
    let text = report(&["-m", "USB", "-x"]);
    assert!(text.contains("Logitech Mouse"), "{text}");
    assert!(
        !text.contains("Minimum:") && !text.contains("Summary:     BUS"),
        "{text}"
    );
    assert_eq!(text, report(&["-m", "USB"]));
}
