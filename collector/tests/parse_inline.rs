//! Parser values on tiny inline inputs: the normal shape of each file and its edge cases
//! (empty file, a non-number, the largest u64, missing fields, trailing text, no final
//! newline). Bad input must give a `ParseError` naming the file and line.

mod common;

use common::Parse;
use rstat_collector::proc::{
    boot_id, diskstats, loadavg, meminfo, net_dev, stat, uptime, vmstat, ParseError,
};
use rstat_data_format::schema::{Table, TableKind};

/// A table's rows as `(key, values)`.
type Rows = Vec<(String, Vec<u64>)>;

/// Parses `input` into a fresh table and returns `(key, values)` of each row.
fn rows(parse: Parse, input: &str) -> Rows {
    let mut table = Table::new(TableKind(0));
    parse(input.as_bytes(), &mut table).unwrap_or_else(|error| panic!("{input:?}: {error}"));
    table
        .rows
        .into_iter()
        .map(|row| (row.key, row.values))
        .collect()
}

fn row(key: &str, values: &[u64]) -> (String, Vec<u64>) {
    (key.to_owned(), values.to_vec())
}

/// The error `parse` gives on `input`, as `(file, line, problem)`.
fn error(parse: Parse, input: &[u8]) -> (&'static str, usize, String) {
    let mut table = Table::new(TableKind(0));
    match parse(input, &mut table) {
        Ok(()) => panic!(
            "{:?} parsed into {:?}",
            String::from_utf8_lossy(input),
            table.rows
        ),
        Err(error) => (error.file, error.line, error.problem),
    }
}

fn stat_rows(input: &str) -> (Rows, Rows) {
    let (mut cpu, mut kernel) = (Table::new(TableKind::CPU), Table::new(TableKind::STAT));
    stat::parse(input.as_bytes(), &mut cpu, &mut kernel)
        .unwrap_or_else(|error| panic!("{input:?}: {error}"));
    let pairs = |table: Table| {
        table
            .rows
            .into_iter()
            .map(|row| (row.key, row.values))
            .collect()
    };
    (pairs(cpu), pairs(kernel))
}

fn stat_error(input: &str) -> (usize, String) {
    let (mut cpu, mut kernel) = (Table::new(TableKind::CPU), Table::new(TableKind::STAT));
    let error = stat::parse(input.as_bytes(), &mut cpu, &mut kernel).unwrap_err();
    assert_eq!(error.file, "/proc/stat");
    (error.line, error.problem)
}

#[test]
fn uptime_values_in_hundredths() {
    assert_eq!(
        rows(uptime::parse, "12345.67 2345.89\n"),
        [row("uptime", &[1_234_567, 234_589])]
    );
    assert_eq!(
        rows(uptime::parse, "123 45"),
        [row("uptime", &[12_300, 4_500])]
    );
    assert_eq!(
        rows(uptime::parse, "1.234 5.678 extra\n"),
        [row("uptime", &[123, 568])]
    );
    assert_eq!(
        rows(uptime::parse, "\n 0.5\t0.05"),
        [row("uptime", &[50, 5])]
    );
    assert_eq!(
        rows(uptime::parse, "184467440737095516.15 0.00"),
        [row("uptime", &[u64::MAX, 0])]
    );
}

#[test]
fn uptime_errors() {
    assert_eq!(
        error(uptime::parse, b""),
        ("/proc/uptime", 1, "empty file".into())
    );
    assert_eq!(
        error(uptime::parse, b"\n\n"),
        ("/proc/uptime", 1, "empty file".into())
    );
    assert_eq!(
        error(uptime::parse, b"12.34\n"),
        ("/proc/uptime", 1, "missing the idle time".into())
    );
    assert_eq!(
        error(uptime::parse, b"\nabc 1.0"),
        (
            "/proc/uptime",
            2,
            "expected a decimal number for the uptime, found `abc`".into()
        )
    );
    assert_eq!(
        error(uptime::parse, b"184467440737095517 1").2,
        "expected a decimal number for the uptime, found `184467440737095517`"
    );
}

#[test]
fn boot_id_is_trimmed_text() {
    assert_eq!(
        boot_id::parse_id(b"f8894bfc-1e9a-4b53-8650-b2f35a1d71b1\n"),
        Ok("f8894bfc-1e9a-4b53-8650-b2f35a1d71b1")
    );
    assert_eq!(boot_id::parse_id(b"  \n abc \n\n"), Ok("abc"));
    let mut table = Table::new(TableKind::BOOT);
    boot_id::parse(b"abc", &mut table).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(
        (table.rows[0].key.as_str(), table.rows[0].text.as_slice()),
        ("boot", &["abc".to_owned()][..])
    );
    assert!(table.rows[0].values.is_empty());
}

#[test]
fn boot_id_fill_keeps_an_identical_table_untouched() {
    let mut table = Table::new(TableKind::BOOT);
    boot_id::fill("abc", &mut table);
    let text_pointer = table.rows[0].text[0].as_ptr();
    boot_id::fill("abc", &mut table);
    assert_eq!(table.rows[0].text[0].as_ptr(), text_pointer);
    boot_id::fill("xyz", &mut table);
    assert_eq!(table.rows[0].text, ["xyz"]);
    assert_eq!(table.rows.len(), 1);
}

#[test]
fn boot_id_errors() {
    let file = "/proc/sys/kernel/random/boot_id";
    assert_eq!(error(boot_id::parse, b""), (file, 1, "empty file".into()));
    assert_eq!(
        error(boot_id::parse, b" \n\t"),
        (file, 1, "empty file".into())
    );
    assert_eq!(
        error(boot_id::parse, b"\nab cd\n"),
        (
            file,
            2,
            "expected one word of printable ASCII, found `ab cd`".into()
        )
    );
    assert_eq!(error(boot_id::parse, b"ab\ncd").1, 1);
    assert_eq!(
        error(boot_id::parse, b"ab\xffcd").2,
        "expected one word of printable ASCII, found `ab\u{fffd}cd`"
    );
    assert!(error(boot_id::parse, &[b'a'; 129])
        .2
        .starts_with("boot id longer than 128 bytes"));
}

#[test]
fn stat_cpu_and_kernel_rows() {
    let input = "cpu  10 1 20 300 4 0 5 0 0 0\ncpu0 10 1 20 300 4 0 5 0 0 0\n\
                 intr 99 1 2 x\nctxt 5\nbtime 1700000000\npage 1 2\ncpufreq x\nprocesses 7\n\
                 procs_running 2\nprocs_blocked 18446744073709551615\nsoftirq 8 1 2\n";
    let (cpu, kernel) = stat_rows(input);
    assert_eq!(
        cpu,
        [
            row("cpu", &[10, 1, 20, 300, 4, 0, 5, 0, 0, 0]),
            row("cpu0", &[10, 1, 20, 300, 4, 0, 5, 0, 0, 0])
        ]
    );
    assert_eq!(
        kernel,
        [
            row("intr", &[99]),
            row("ctxt", &[5]),
            row("btime", &[1_700_000_000]),
            row("processes", &[7]),
            row("procs_running", &[2]),
            row("procs_blocked", &[u64::MAX]),
            row("softirq", &[8]),
        ]
    );
}

#[test]
fn stat_keeps_any_number_of_cpu_fields_from_four() {
    let (cpu, kernel) = stat_rows("cpu 1 2 3 4\ncpu7 1 2 3 4 5 6 7 8 9 10 11 12");
    assert_eq!(
        cpu,
        [
            row("cpu", &[1, 2, 3, 4]),
            row("cpu7", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        ]
    );
    assert!(kernel.is_empty());
}

#[test]
fn stat_errors() {
    assert_eq!(stat_error(""), (1, "no cpu line".into()));
    assert_eq!(stat_error("ctxt 5\n"), (1, "no cpu line".into()));
    assert_eq!(
        stat_error("cpu 1 2 3 4\ncpu0 1 x 3 4\n"),
        (2, "expected a number for a cpu time, found `x`".into())
    );
    assert_eq!(
        stat_error("cpu 1 2 3\n"),
        (1, "cpu has 3 time fields, expected at least 4".into())
    );
    assert_eq!(
        stat_error("cpu 1 2 3 4\nctxt\n"),
        (2, "missing ctxt".into())
    );
    assert_eq!(
        stat_error("cpu 1 2 3 4\nintr -1 2\n"),
        (2, "expected a number for intr, found `-1`".into())
    );
    assert_eq!(
        stat_error("cpu 1 2 3 99999999999999999999\n").1,
        "expected a number for a cpu time, found `99999999999999999999`"
    );
}

#[test]
fn meminfo_rows_as_written() {
    let input = "MemTotal:       24683656 kB\nHugePages_Total:       5\n\nActive(anon):  1 kB extra\nWide:18446744073709551615 kB";
    assert_eq!(
        rows(meminfo::parse, input),
        [
            row("MemTotal", &[24_683_656]),
            row("HugePages_Total", &[5]),
            row("Active(anon)", &[1]),
            row("Wide", &[u64::MAX])
        ]
    );
}

#[test]
fn meminfo_errors() {
    let file = "/proc/meminfo";
    assert_eq!(error(meminfo::parse, b""), (file, 1, "empty file".into()));
    assert_eq!(
        error(meminfo::parse, b"MemTotal: 1 kB\nno colon here"),
        (
            file,
            2,
            "expected `Name: value`, found `no colon here`".into()
        )
    );
    assert_eq!(
        error(meminfo::parse, b"MemTotal: x kB"),
        (file, 1, "expected a number for the value, found `x`".into())
    );
    assert_eq!(
        error(meminfo::parse, b"MemTotal:\n"),
        (file, 1, "missing the value".into())
    );
    assert_eq!(
        error(meminfo::parse, b"  : 5"),
        (file, 1, "expected a field name before `:`, found ``".into())
    );
    assert_eq!(
        error(meminfo::parse, b"Mem Total: 5").2,
        "expected a field name before `:`, found `Mem Total`"
    );
}

#[test]
fn vmstat_rows() {
    assert_eq!(
        rows(
            vmstat::parse,
            "nr_free_pages 880752\npgpgin 18446744073709551615 extra\n\nnr_unstable 0"
        ),
        [
            row("nr_free_pages", &[880_752]),
            row("pgpgin", &[u64::MAX]),
            row("nr_unstable", &[0])
        ]
    );
}

#[test]
fn vmstat_errors() {
    let file = "/proc/vmstat";
    assert_eq!(error(vmstat::parse, b""), (file, 1, "empty file".into()));
    assert_eq!(
        error(vmstat::parse, b"a 1\nb\n"),
        (file, 2, "missing the value".into())
    );
    assert_eq!(
        error(vmstat::parse, b"a 1\nb -3\n"),
        (
            file,
            2,
            "expected a number for the value, found `-3`".into()
        )
    );
}

#[test]
fn loadavg_values() {
    assert_eq!(
        rows(loadavg::parse, "0.52 0.58 0.59 3/234 12345\n"),
        [row("loadavg", &[52, 58, 59, 3, 234, 12_345])]
    );
    assert_eq!(
        rows(loadavg::parse, "1 2 3 1/2 3 trailing"),
        [row("loadavg", &[100, 200, 300, 1, 2, 3])]
    );
    assert_eq!(
        rows(loadavg::parse, "12.345 0.005 99.994 0/1 1"),
        [row("loadavg", &[1235, 1, 9999, 0, 1, 1])]
    );
}

#[test]
fn loadavg_errors() {
    let file = "/proc/loadavg";
    assert_eq!(error(loadavg::parse, b""), (file, 1, "empty file".into()));
    assert_eq!(
        error(loadavg::parse, b"0.5 0.5 0.5 12 3"),
        (file, 1, "expected runnable/total tasks, found `12`".into())
    );
    assert_eq!(
        error(loadavg::parse, b"0.5 0.5 0.5 1/ 3"),
        (
            file,
            1,
            "expected a number for total tasks, found ``".into()
        )
    );
    assert_eq!(
        error(loadavg::parse, b"0.5 0.5 0.5 1/2"),
        (file, 1, "missing the last pid".into())
    );
    assert_eq!(
        error(loadavg::parse, b"0.5 0.5"),
        (file, 1, "missing the 15-minute load".into())
    );
    assert_eq!(
        error(loadavg::parse, b"0.5 x 0.5 1/2 3").2,
        "expected a decimal number for the 5-minute load, found `x`"
    );
}

#[test]
fn diskstats_keeps_every_field_of_every_layout() {
    let input = "   3    1 hda1 10 20 30 40\n\
                 \x20  8    0 sda 1 2 3 4 5 6 7 8 9 10 11\n\
                 \n\
                 \x20  8   16 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n\
                 259    0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n\
                 259    1 future 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 18446744073709551615";
    let disks = rows(diskstats::parse, input);
    assert_eq!(disks.len(), 5);
    assert_eq!(disks[0], row("hda1", &[3, 1, 10, 20, 30, 40]));
    assert_eq!(
        disks[1],
        row("sda", &[8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    );
    assert_eq!(disks[2].1.len(), 17);
    assert_eq!(disks[3].1.len(), 19);
    assert_eq!(
        (disks[4].0.as_str(), disks[4].1.len(), disks[4].1.last()),
        ("future", 22, Some(&u64::MAX))
    );
}

#[test]
fn diskstats_empty_file_is_no_device() {
    assert_eq!(rows(diskstats::parse, ""), []);
    assert_eq!(rows(diskstats::parse, "\n  \n"), []);
}

#[test]
fn diskstats_errors() {
    let file = "/proc/diskstats";
    assert_eq!(
        error(diskstats::parse, b"8 0 sda 1 2 3\n"),
        (file, 1, "sda has 3 statistics, expected at least 4".into())
    );
    assert_eq!(
        error(diskstats::parse, b"8 0 sda 1 2 3 4\n8 1 sda1 1 2 x 4"),
        (
            file,
            2,
            "expected a number for a disk statistic, found `x`".into()
        )
    );
    assert_eq!(
        error(diskstats::parse, b"sda 8 0 1 2 3 4"),
        (
            file,
            1,
            "expected a number for the major number, found `sda`".into()
        )
    );
    assert_eq!(
        error(diskstats::parse, b"8"),
        (file, 1, "missing the minor number".into())
    );
    assert_eq!(
        error(diskstats::parse, b"8 0"),
        (file, 1, "missing the device name".into())
    );
    assert_eq!(
        error(diskstats::parse, b"8 0 sda 1 2 3 4 trailing").2,
        "expected a number for a disk statistic, found `trailing`"
    );
}

const NET_HEADER: &str = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

fn net_rows(lines: &str) -> Rows {
    rows(net_dev::parse, &format!("{NET_HEADER}{lines}"))
}

#[test]
fn net_dev_names_and_counters() {
    let counters: Vec<u64> = (1..=16).collect();
    let numbers = "2 3 4 5 6 7 8 9 10 11 12 13 14 15 16";
    assert_eq!(
        net_rows(&format!("    lo:       1 {numbers}\n")),
        [row("lo", &counters)]
    );
    // A counter wider than its column touches the colon.
    let wide = net_rows(&format!("  eth0:18446744073709551615 {numbers}"));
    assert_eq!(wide[0].0, "eth0");
    assert_eq!(wide[0].1[..2], [u64::MAX, 2]);
    // An old-style alias keeps its full name; a long name has no padding.
    assert_eq!(net_rows(&format!("eth0:1: 1 {numbers}"))[0].0, "eth0:1");
    assert_eq!(
        net_rows(&format!("enp0s31f6:1 {numbers}"))[0].0,
        "enp0s31f6"
    );
    // Extra counters from a future kernel are kept.
    assert_eq!(net_rows(&format!("lo: 1 {numbers} 17"))[0].1.len(), 17);
    assert_eq!(net_rows(""), []);
}

#[test]
fn net_dev_name_that_is_not_utf8_is_kept_lossily() {
    let mut input = NET_HEADER.as_bytes().to_vec();
    input.extend_from_slice(b"  e\xfft0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
    let mut table = Table::new(TableKind::NETDEV);
    net_dev::parse(&input, &mut table).unwrap();
    assert_eq!(table.rows[0].key, "e\u{fffd}t0");
    assert_eq!(table.rows[0].values.len(), 16);
}

#[test]
fn net_dev_errors() {
    let file = "/proc/net/dev";
    let with_header = |lines: &str| format!("{NET_HEADER}{lines}").into_bytes();
    assert_eq!(
        error(net_dev::parse, b""),
        (file, 1, "missing the two header lines".into())
    );
    assert_eq!(
        error(
            net_dev::parse,
            b"lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
        ),
        (file, 1, "missing the two header lines".into())
    );
    assert_eq!(
        error(net_dev::parse, b"Inter-|\n"),
        (file, 1, "missing the two header lines".into())
    );
    assert_eq!(
        error(net_dev::parse, b"Inter-|\nface\n"),
        (file, 2, "missing the two header lines".into())
    );
    assert_eq!(
        error(net_dev::parse, &with_header("lo: 1 2 3\n")),
        (file, 3, "lo has 3 counters, expected 16".into())
    );
    assert_eq!(
        error(
            net_dev::parse,
            &with_header("lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\neth0 1 2\n")
        ),
        (
            file,
            4,
            "expected `name:` before the counters, found `eth0`".into()
        )
    );
    assert_eq!(
        error(net_dev::parse, &with_header(": 1 2")),
        (file, 3, "empty interface name".into())
    );
    assert_eq!(
        error(net_dev::parse, &with_header("lo: 1 2 x")).2,
        "expected a number for a counter, found `x`"
    );
}

#[test]
fn parse_error_displays_file_line_and_problem() {
    let error = ParseError {
        file: "/proc/stat",
        line: 3,
        problem: "expected a number for ctxt, found `x`".into(),
    };
    assert_eq!(
        error.to_string(),
        "/proc/stat line 3: expected a number for ctxt, found `x`"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().contains("line 3"));
}

#[test]
fn refilling_a_bigger_table_drops_the_leftover_rows() {
    let mut table = Table::new(TableKind::VMSTAT);
    vmstat::parse(b"a 1\nb 2\nc 3\n", &mut table).unwrap();
    vmstat::parse(b"x 9\n", &mut table).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(
        (table.rows[0].key.as_str(), table.rows[0].values.as_slice()),
        ("x", &[9][..])
    );
}
