//! sar 12.7.9's layouts of -u, -r and -B, and its Average: rows, end to end: samples
//! collected from /proc trees written by the test (one CPU running a guest, memory with
//! shared and kernel figures, a vmstat with memory-tier promotions, a disk, a restart), then
//! `rstat report` checked against the figures sar 12.7.9 prints for the same counters.

mod common;

use std::fs;
use std::path::Path;

use common::{report, report_output, rstat};

/// The second sample's counters are the first's plus these (times in ticks, 100 a second).
#[derive(Clone)]
struct Tree {
    uptime: f64,
    boot_id: &'static str,
    mem_free: u64,
    /// sda's reads, sectors read, milliseconds reading, milliseconds with I/O in flight.
    disk: [u64; 4],
    /// cpu0's user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice.
    cpu0: [u64; 10],
    pgpromote_success: u64,
    pgdemote_kswapd: u64,
}

const MEMINFO: &str = "MemTotal: 1000000 kB\nMemAvailable: 600000 kB\n\
Buffers: 10000 kB\nCached: 200000 kB\nSwapCached: 0 kB\nActive: 250000 kB\nInactive: 150000 kB\n\
Dirty: 123 kB\nAnonPages: 210000 kB\nShmem: 4321 kB\nSlab: 55000 kB\nKernelStack: 7000 kB\n\
PageTables: 8000 kB\nCommitted_AS: 900000 kB\nVmallocUsed: 33000 kB\nSwapTotal: 0 kB\n\
SwapFree: 0 kB\n";

/// Writes a /proc tree with one CPU under `root`.
fn write_tree(root: &Path, tree: &Tree) {
    let proc = root.join("proc");
    fs::create_dir_all(proc.join("sys/kernel/random")).unwrap();
    fs::write(
        proc.join("sys/kernel/random/boot_id"),
        format!("{}\n", tree.boot_id),
    )
    .unwrap();
    let [reads, sectors, read_ms, io_ms] = tree.disk;
    fs::write(
        proc.join("diskstats"),
        format!(
            "   8       0 sda {reads} 0 {sectors} {read_ms} 0 0 0 0 0 {io_ms} {read_ms} 0 0 0 0 0 0\n\
             253       0 dm-0 {reads} 0 {sectors} {read_ms} 0 0 0 0 0 {io_ms} {read_ms} 0 0 0 0 0 0\n"
        ),
    )
    .unwrap();
    // sar -p's and -j's names: dm-0 is vg-root; sda has the label DATA.
    fs::create_dir_all(root.join("sys/block/dm-0/dm")).unwrap();
    fs::write(root.join("sys/block/dm-0/dm/name"), "vg-root\n").unwrap();
    fs::create_dir_all(root.join("dev/mapper")).unwrap();
    fs::create_dir_all(root.join("dev/disk/by-label")).unwrap();
    std::os::unix::fs::symlink("../../sda", root.join("dev/disk/by-label/DATA")).unwrap();
    fs::write(
        proc.join("uptime"),
        format!("{:.2} {:.2}\n", tree.uptime, tree.uptime),
    )
    .unwrap();
    let cpu: Vec<String> = tree.cpu0.iter().map(u64::to_string).collect();
    let cpu = cpu.join(" ");
    fs::write(
        proc.join("stat"),
        format!(
            "cpu  {cpu}\ncpu0 {cpu}\nintr 0\nctxt 100\nbtime 1795462474\nprocesses 10\n\
             procs_running 1\nprocs_blocked 0\n"
        ),
    )
    .unwrap();
    fs::write(
        proc.join("meminfo"),
        format!("MemFree: {} kB\n{MEMINFO}", tree.mem_free),
    )
    .unwrap();
    fs::write(
        proc.join("vmstat"),
        format!(
            "pgpgin 0\npgpgout 0\npswpin 0\npswpout 0\npgfault 0\npgmajfault 0\npgfree 0\n\
             pgpromote_success {}\npgdemote_kswapd {}\npgdemote_direct 0\n",
            tree.pgpromote_success, tree.pgdemote_kswapd
        ),
    )
    .unwrap();
}

/// A file of two samples 2 s apart: over the interval cpu0 spent 40 ticks in user (30 of
/// them a guest's), 20 nice (10 a niced guest's), 20 system, 120 idle; 300 pages promoted
/// and 100 demoted.
fn collected(dir: &Path) -> std::path::PathBuf {
    let first = Tree {
        uptime: 1000.0,
        boot_id: BOOT_A,
        mem_free: 300000,
        disk: [1000, 8000, 5000, 100],
        cpu0: [1000, 500, 800, 90000, 10, 0, 0, 0, 600, 200],
        pgpromote_success: 5000,
        pgdemote_kswapd: 7000,
    };
    let second = Tree {
        uptime: 1002.0,
        boot_id: BOOT_A,
        mem_free: 300000,
        disk: [1000, 8000, 5000, 100],
        cpu0: [1040, 520, 820, 90120, 10, 0, 0, 0, 630, 210],
        pgpromote_success: 5300,
        pgdemote_kswapd: 7100,
    };
    collect_trees(dir, &[first, second])
}

const BOOT_A: &str = "5b7d6c1e-8a0f-4c3e-9d2a-1f4e6b8c0a11";
const BOOT_B: &str = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";

/// One file with a sample of each tree, in order.
fn collect_trees(dir: &Path, trees: &[Tree]) -> std::path::PathBuf {
    let file = dir.join("collected.rstat");
    for (n, tree) in trees.iter().enumerate() {
        let root = dir.join(format!("tree{n}"));
        write_tree(&root, tree);
        let output = rstat()
            .args(["collect", "--count", "1", "--no-processes", "--no-cgroups"])
            .arg("--file")
            .arg(&file)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    file
}

/// The one-line error of a usage error (exit status 2).
fn refused(file: &Path, args: &[&str]) -> String {
    let output = report_output(file, args);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    String::from_utf8(output.stderr).unwrap()
}

/// The header's column names and the first data row's words after the time (and the item,
/// when `item` is given), for the table whose header contains `header`.
fn table(text: &str, header: &str, item: Option<&str>) -> (Vec<String>, Vec<String>) {
    let block = text
        .split("\n\n")
        .find(|b| b.lines().any(|l| l.contains(header)))
        .unwrap_or_else(|| panic!("no table with {header}:\n{text}"));
    let skip = if item.is_some() { 2 } else { 1 };
    // (A COM line may come before the header.)
    let mut lines = block.lines().skip_while(|l| !l.contains(header));
    let words = |line: &str| {
        line.split_whitespace()
            .skip(skip)
            .map(String::from)
            .collect()
    };
    let names = words(lines.next().unwrap());
    let row = lines
        .find(|l| {
            !l.starts_with("Average") && item.is_none_or(|i| l.split_whitespace().nth(1) == Some(i))
        })
        .unwrap_or_else(|| panic!("no row {item:?} under {header}:\n{block}"));
    let row = words(row);
    (names, row)
}

#[test]
fn plain_u_counts_guest_time_in_user_and_nice_and_u_all_takes_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path());
    // 200 ticks in all: user 40 (guest 30), nice 20 (guest_nice 10), system 20, idle 120.
    let (names, row) = table(&report(&file, &["-u"]), "%idle", Some("all"));
    assert_eq!(
        names,
        ["%user", "%nice", "%system", "%iowait", "%steal", "%idle"]
    );
    assert_eq!(row, ["20.00", "10.00", "10.00", "0.00", "0.00", "60.00"]);
    let (names, row) = table(&report(&file, &["-u", "ALL"]), "%idle", Some("all"));
    assert_eq!(
        names,
        [
            "%usr", "%nice", "%sys", "%iowait", "%steal", "%irq", "%soft", "%guest", "%gnice",
            "%idle"
        ]
    );
    assert_eq!(
        row,
        ["5.00", "5.00", "10.00", "0.00", "0.00", "0.00", "0.00", "15.00", "5.00", "60.00"]
    );
}

#[test]
fn r_shows_kbshmem_and_r_all_adds_the_kernel_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path());
    let (names, row) = table(&report(&file, &["-r"]), "kbmemfree", None);
    assert_eq!(
        names,
        [
            "kbmemfree",
            "kbavail",
            "kbmemused",
            "%memused",
            "kbbuffers",
            "kbcached",
            "kbcommit",
            "%commit",
            "kbactive",
            "kbinact",
            "kbdirty",
            "kbshmem"
        ]
    );
    // kbmemused = MemTotal - MemAvailable (12.7.8).
    assert_eq!(
        row,
        [
            "300000", "600000", "400000", "40.00", "10000", "200000", "900000", "90.00", "250000",
            "150000", "123", "4321"
        ]
    );
    for args in [&["-r", "ALL"][..], &["-A"][..]] {
        let (names, row) = table(&report(&file, args), "kbmemfree", None);
        assert_eq!(
            names[11..],
            ["kbshmem", "kbanonpg", "kbslab", "kbkstack", "kbpgtbl", "kbvmused"],
            "{args:?}"
        );
        assert_eq!(
            row[11..],
            ["4321", "210000", "55000", "7000", "8000", "33000"],
            "{args:?}"
        );
    }
    let stderr = refused(&file, &["-r", "SOME"]);
    assert!(
        stderr.contains("-r SOME: expected nothing or ALL"),
        "{stderr}"
    );
}

#[test]
fn b_shows_promotions_and_demotions_and_no_vmeff() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path());
    let (names, row) = table(&report(&file, &["-B"]), "pgpgin/s", None);
    assert_eq!(
        names,
        [
            "pgpgin/s",
            "pgpgout/s",
            "fault/s",
            "majflt/s",
            "pgfree/s",
            "pgscank/s",
            "pgscand/s",
            "pgsteal/s",
            "pgprom/s",
            "pgdem/s"
        ]
    );
    assert_eq!(&row[8..], ["150.00", "50.00"]);
}

/// Three samples of one boot (intervals of 1 s then 3 s), then two of another boot.
fn two_boots(dir: &Path) -> std::path::PathBuf {
    let base = Tree {
        uptime: 1000.0,
        boot_id: BOOT_A,
        mem_free: 100000,
        cpu0: [1000, 0, 1000, 1000, 0, 0, 0, 0, 0, 0],
        disk: [1000, 8000, 5000, 100],
        pgpromote_success: 0,
        pgdemote_kswapd: 0,
    };
    let trees = [
        base.clone(),
        // 1 s: 10 reads of 8 sectors in 10 ms; 50 ticks user, 50 idle.
        Tree {
            uptime: 1001.0,
            mem_free: 300000,
            cpu0: [1050, 0, 1000, 1050, 0, 0, 0, 0, 0, 0],
            disk: [1010, 8080, 5010, 110],
            ..base.clone()
        },
        // 3 s: 100 reads of 16 sectors in 1000 ms; 30 ticks user, 270 idle.
        Tree {
            uptime: 1004.0,
            mem_free: 600000,
            cpu0: [1080, 0, 1000, 1320, 0, 0, 0, 0, 0, 0],
            disk: [1110, 9680, 6010, 1110],
            ..base.clone()
        },
        // Restarted: counters from zero.
        Tree {
            uptime: 10.0,
            boot_id: BOOT_B,
            mem_free: 800000,
            cpu0: [10, 0, 10, 80, 0, 0, 0, 0, 0, 0],
            disk: [0, 0, 0, 0],
            ..base.clone()
        },
        // 2 s: 100 ticks user, 100 idle.
        Tree {
            uptime: 12.0,
            boot_id: BOOT_B,
            mem_free: 700000,
            cpu0: [110, 0, 10, 180, 0, 0, 0, 0, 0, 0],
            disk: [0, 0, 0, 0],
            ..base
        },
    ];
    collect_trees(dir, &trees)
}

/// The words of the `Average:` lines of `text`, after the label.
fn average_lines(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with("Average:"))
        .filter(|l| !l.contains('%') && !l.contains("kb") && !l.contains("DEV"))
        .map(|l| l.split_whitespace().skip(1).map(String::from).collect())
        .collect()
}

#[test]
fn each_boot_gets_its_own_average_block_before_the_restart_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = two_boots(dir.path());
    let text = report(&file, &["-u"]);
    let averages = average_lines(&text);
    // Boot 1: 80 user ticks of 400 (20%), idle 80%; boot 2: 50% and 50%.
    assert_eq!(averages.len(), 2, "{text}");
    assert_eq!(averages[0][..3], ["all", "20.00", "0.00"], "{text}");
    assert_eq!(averages[0][6], "80.00", "{text}");
    assert_eq!(averages[1][..3], ["all", "50.00", "0.00"], "{text}");
    let first_average = text.find("Average:").unwrap();
    let restart = text.find("LINUX RESTART").expect("a restart line");
    assert!(first_average < restart, "{text}");
    assert!(text[restart..].contains("Average:"), "{text}");
}

#[test]
fn averages_take_rates_from_the_span_ends_and_levels_as_means() {
    let dir = tempfile::tempdir().unwrap();
    let file = two_boots(dir.path());
    // Memory: readings 300000 and 600000 average to 450000, whatever the intervals' lengths.
    let text = report(&file, &["-r"]);
    let averages = average_lines(&text);
    assert_eq!(averages[0][0], "450000", "{text}");
    assert_eq!(averages[1][0], "700000", "{text}");
    // -d: 110 reads over 4 s, 1680 sectors (210 kB/s, 7.64 kB a request), 1010 ms reading (9.18 ms a
    // request), 1010 ms busy of 4000 (25.25%): ratios of the span's totals, not means of
    // the intervals' ratios (which would give 7.00 kB and 7.75 ms).
    let text = report(&file, &["-d"]);
    let line: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("Average:") && l.contains("sda"))
        .unwrap_or_else(|| panic!("no Average: row for sda:\n{text}"))
        .split_whitespace()
        .collect();
    assert_eq!(
        line[1..],
        ["sda", "27.50", "210.00", "0.00", "0.00", "7.64", "0.25", "9.18", "25.25"],
        "{text}"
    );
}

/// The item column of every row (not the headers) of `text`, in order, Average rows included.
fn items(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(2)
                .is_some_and(|w| w.parse::<f64>().is_ok())
        })
        .filter_map(|l| l.split_whitespace().nth(1).map(String::from))
        .collect()
}

#[test]
fn p_picks_the_cpus_of_every_per_cpu_table() {
    // The golden fixture: two CPUs, a restart (one Average block per boot).
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    let text = report(&file, &["-P", "1"]);
    assert_eq!(items(&text), ["1", "1", "1", "1"], "{text}");
    let (_, row) = table(&text, "%idle", Some("1"));
    assert_eq!(row, ["6.15", "0.00", "4.10", "3.59", "0.00", "86.15"]);
    for list in ["ALL", "ALL,1"] {
        let text = report(&file, &["-P", list]);
        assert_eq!(items(&text)[..3], ["all", "0", "1"], "{text}");
    }
    // Without -P: only "all"; -P with another activity picks its CPUs and adds no -u.
    let text = report(&file, &["-n", "SOFT"]);
    assert!(items(&text).iter().all(|i| i == "all"), "{text}");
    let text = report(&file, &["-n", "SOFT", "-P", "1"]);
    assert!(!text.contains("%idle"), "{text}");
    let (_, row) = table(&text, "total/s", Some("1"));
    assert_eq!(row[0], "34.69", "{text}");
    assert_eq!(row[5], "0", "blg_len is a whole number: {text}");
    let text = report(&file, &["-m", "CPU", "-P", "0,1"]);
    assert_eq!(items(&text)[..2], ["0", "1"], "{text}");
    let stderr = refused(&file, &["-P", "0,x"]);
    assert!(
        stderr.contains("-P 0,x: expected ALL or CPU numbers"),
        "{stderr}"
    );
}

#[test]
fn i_prints_sar_12_7s_table_sum_first_then_all_and_a_column_per_cpu() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/fixture.rstat");
    // The sum row is /proc/interrupts' (sar 12.7), not /proc/stat's intr total.
    let text = report(&file, &["-I", "SUM"]);
    let (names, row) = table(&text, "INTR", Some("sum"));
    assert_eq!(
        (names, row),
        (vec!["all".to_string()], vec!["443.37".to_string()])
    );
    assert_eq!(items(&text), ["sum", "sum", "sum", "sum"], "{text}");
    let text = report(&file, &["-I", "ALL", "-P", "ALL"]);
    let (names, row) = table(&text, "INTR", Some("sum"));
    assert_eq!(names, ["all", "CPU0", "CPU1"]);
    assert_eq!(row, ["443.37", "224.49", "218.88"]);
    let (_, row) = table(&text, "INTR", Some("LOC"));
    assert_eq!(row[0], "219.90", "{text}");
    // Bare -I is -I ALL; -P 1 keeps only CPU1's column; named lines come without the sum.
    assert_eq!(report(&file, &["-I"]), report(&file, &["-I", "ALL"]));
    let text = report(&file, &["-I", "LOC", "-P", "1"]);
    let (names, row) = table(&text, "INTR", Some("LOC"));
    assert_eq!(
        (names, row),
        (vec!["CPU1".to_string()], vec!["77.55".to_string()])
    );
    assert!(!text.contains(" sum "), "{text}");
}

#[test]
fn dec_sets_the_decimals_of_every_figure_that_is_not_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = collected(dir.path());
    let (_, row) = table(&report(&file, &["-u", "--dec=1"]), "%idle", Some("all"));
    assert_eq!(row, ["20.0", "10.0", "10.0", "0.0", "0.0", "60.0"]);
    let (_, row) = table(&report(&file, &["-r", "--dec", "0"]), "kbmemfree", None);
    assert_eq!(row[..4], ["300000", "600000", "400000", "40"]);
    let stderr = String::from_utf8(report_output(&file, &["--dec=3"]).stderr).unwrap();
    assert!(stderr.contains("expected 0, 1 or 2 decimals"), "{stderr}");
}

#[test]
fn p_and_j_name_devices_as_sar_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = two_boots(dir.path());
    let devices = |args: &[&str], at_end: bool| -> Vec<String> {
        let text = report(&file, args);
        text.lines()
            .filter(|l| l.starts_with("Average:"))
            .filter_map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                (if at_end { words.last() } else { words.get(1) }).map(|w| w.to_string())
            })
            .collect()
    };
    assert_eq!(devices(&["-d"], false), ["sda", "dm-0"]);
    // -p: /dev/mapper names, at the end of the line; -j LABEL: the by-label names.
    assert_eq!(devices(&["-d", "-p"], true), ["sda", "vg-root"]);
    assert_eq!(devices(&["-d", "-j", "LABEL"], false), ["DATA", "dm-0"]);
    let stderr = refused(&file, &["-d", "-j", "SID"]);
    assert!(
        stderr.contains("-j SID: expected ID, LABEL, PATH or UUID"),
        "{stderr}"
    );
}
