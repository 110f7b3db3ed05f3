//! The per-process parsers on small inline inputs: the normal shape of each file and its edge
//! cases (a command name with spaces, parentheses, a newline or invalid UTF-8; an old kernel's
//! shorter stat line; negative nice; missing lines; garbage). Bad input gives a ParseError
//! naming the file and line, never a panic.

use rstat_collector::process::cgroup_files::{parse_keyed, parse_pressure, parse_single};
use rstat_collector::process::stat::{self, ProcStat};
use rstat_collector::process::status::{parse_io, parse_schedstat, parse_status, Io, SchedStat};
use rstat_collector::process::text::{set_cmdline, v2_cgroup_path};

/// A stat line of a current kernel (52 fields) with the given comm and state.
fn stat_line(pid: u32, comm: &[u8], state: char) -> Vec<u8> {
    let mut line = format!("{pid} (").into_bytes();
    line.extend_from_slice(comm);
    line.extend_from_slice(
        format!(
            ") {state} 1 {pid} {pid} 0 -1 4194560 11 12 13 14 15 16 17 18 20 -3 2 0 777 \
             123456789 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 9 8 7 0 0 0 0 0 \
             0 0 0\n"
        )
        .as_bytes(),
    );
    line
}

fn parse(bytes: &[u8]) -> (ProcStat, Vec<u8>) {
    let stat =
        stat::parse(bytes).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(bytes)));
    let comm = stat.comm(bytes).to_vec();
    (stat, comm)
}

#[test]
fn stat_fields_in_proc5_order() {
    let (s, comm) = parse(&stat_line(1234, b"bash", 'S'));
    assert_eq!(comm, b"bash");
    assert_eq!(
        (s.pid, s.state, s.ppid, s.flags),
        (1234, b'S', 1, 4_194_560)
    );
    assert_eq!((s.minflt, s.cminflt, s.majflt, s.cmajflt), (11, 12, 13, 14));
    assert_eq!((s.utime, s.stime, s.cutime, s.cstime), (15, 16, 17, 18));
    assert_eq!((s.priority, s.nice, s.num_threads), (20, -3, 2));
    assert_eq!((s.starttime, s.vsize, s.rss), (777, 123_456_789, 321));
    assert_eq!((s.processor, s.rt_priority, s.policy), (1, 0, 0));
    assert_eq!(
        (s.delayacct_blkio_ticks, s.guest_time, s.cguest_time),
        (9, 8, 7)
    );
    assert!(!s.is_kernel_thread());
}

#[test]
fn comm_is_taken_up_to_the_last_parenthesis() {
    for comm in [
        &b"a) (b\nc"[..],
        b"with space",
        b")",
        b"((",
        b") R 1 2 3 (",
        b"",
        b"\xff\xfe bad utf-8",
        b"kworker/0:1H-events_highpri",
    ] {
        let (s, parsed) = parse(&stat_line(7, comm, 'R'));
        assert_eq!(parsed, comm, "{:?}", String::from_utf8_lossy(comm));
        assert_eq!((s.pid, s.state, s.starttime), (7, b'R', 777));
    }
}

#[test]
fn old_kernels_without_trailing_fields_parse_with_zeros() {
    // A 2.6.18-era line: 41 fields (no delayacct, guest, ...).
    let line = b"5 (init) S 0 5 5 0 -1 256 1 2 3 4 5 6 7 8 15 0 1 0 10 2000 30 4294967295 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0\n";
    let (s, _) = parse(line);
    assert_eq!((s.utime, s.starttime, s.rss, s.processor), (5, 10, 30, 0));
    assert_eq!((s.delayacct_blkio_ticks, s.guest_time), (0, 0));
    // Up to rss (24 fields) is required.
    let short = b"5 (init) S 0 5 5 0 -1 256 1 2 3 4 5 6 7 8 15 0 1 0 10 2000\n";
    let error = stat::parse(short).unwrap_err();
    assert_eq!((error.file, error.line), (stat::FILE, 1));
    assert!(error.problem.contains("23 fields"), "{}", error.problem);
}

#[test]
fn kernel_threads_and_negative_counts() {
    let line = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 -1 0 20 0 1 0 13 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    let (s, _) = parse(line);
    assert!(s.is_kernel_thread());
    assert_eq!(s.cutime, 0, "a negative count is stored as 0");
}

#[test]
fn bad_stat_files_are_errors() {
    for (input, problem) in [
        (&b""[..], "no `(`"),
        (b"12 bash S 1", "no `(`"),
        (b"12 (bash S 1", "no `)`"),
        (b"x (bash) S 1", "expected a pid"),
        (b"12 (bash) Sx 1", "state letter"),
    ] {
        let error = stat::parse(input).unwrap_err();
        assert!(
            error.problem.contains(problem),
            "{input:?}: {}",
            error.problem
        );
    }
    let line = String::from_utf8(stat_line(9, b"x", 'S'))
        .unwrap()
        .replace(" 777 ", " 7q7 ");
    let error = stat::parse(line.as_bytes()).unwrap_err();
    assert!(error.problem.contains("field 22"), "{}", error.problem);
}

#[test]
fn status_fields() {
    let status = parse_status(
        b"Name:\tbash\nUid:\t1000\t1001\t1002\t1003\nVmSwap:\t      12 kB\n\
          voluntary_ctxt_switches:\t150\nnonvoluntary_ctxt_switches:\t3\n",
    )
    .unwrap();
    assert_eq!(
        (
            status.uid,
            status.swap_kb,
            status.voluntary_ctxt_switches,
            status.nonvoluntary_ctxt_switches
        ),
        (1000, 12, 150, 3)
    );
    // A kernel thread (no Vm lines) and a pre-2.6.23 kernel (no switch counts).
    let status = parse_status(b"Name:\tkthreadd\nUid:\t0\t0\t0\t0\n").unwrap();
    assert_eq!(
        (status.uid, status.swap_kb, status.voluntary_ctxt_switches),
        (0, 0, 0)
    );
    assert_eq!(
        parse_status(b"Name:\tx\n").unwrap_err().problem,
        "no Uid: line"
    );
    let error = parse_status(b"Name:\tx\nUid:\t0\nvoluntary_ctxt_switches:\tmany\n").unwrap_err();
    assert_eq!(error.line, 3);
}

#[test]
fn io_and_schedstat() {
    let io = parse_io(
        b"rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: 6\ncancelled_write_bytes: 7\n",
    )
    .unwrap();
    assert_eq!(
        io,
        Io {
            rchar: 1,
            wchar: 2,
            syscr: 3,
            syscw: 4,
            read_bytes: 5,
            write_bytes: 6,
            cancelled_write_bytes: 7
        }
    );
    assert_eq!(
        parse_io(b"read_bytes: 9\nnew_field: 1\n")
            .unwrap()
            .read_bytes,
        9
    );
    assert!(parse_io(b"").is_err());
    assert!(parse_io(b"garbage\n").is_err());
    assert_eq!(parse_io(b"rchar: -1\n").unwrap_err().line, 1);
    assert_eq!(
        parse_schedstat(b"123 456 7\n").unwrap(),
        SchedStat {
            run_ns: 123,
            run_delay_ns: 456,
            timeslices: 7
        }
    );
    assert!(parse_schedstat(b"123\n").is_err());
    assert!(parse_schedstat(b"").is_err());
}

#[test]
fn command_lines_and_cgroup_paths() {
    let mut text = String::new();
    set_cmdline(&mut text, b"/usr/bin/python3\0-c\0print('a b')\0");
    assert_eq!(text, "/usr/bin/python3\0-c\0print('a b')");
    set_cmdline(&mut text, b"bad\xc3\0utf8\xff\0");
    assert_eq!(text, "bad\u{fffd}\0utf8\u{fffd}");
    // setproctitle-style: one string padded with NULs.
    set_cmdline(&mut text, b"nginx: worker process\0\0\0\0");
    assert_eq!(text, "nginx: worker process");
    assert_eq!(v2_cgroup_path(b"0::/a b/c\n"), Some(&b"/a b/c"[..]));
}

#[test]
fn cgroup_files_on_real_shapes() {
    let mut out = [0u64; 6];
    parse_keyed(
        "cpu.stat",
        b"usage_usec 2301850328\nuser_usec 2072165973\nsystem_usec 229684354\nnice_usec 0\n",
        &[
            "usage_usec",
            "user_usec",
            "system_usec",
            "nr_periods",
            "nr_throttled",
            "throttled_usec",
        ],
        &mut out,
    )
    .unwrap();
    assert_eq!(out, [2_301_850_328, 2_072_165_973, 229_684_354, 0, 0, 0]);
    assert_eq!(parse_single("pids.current", b"17\n"), Ok(17));
    let mut psi = [0u64; 8];
    parse_pressure(
        "cpu.pressure",
        b"some avg10=60.19 avg60=41.41 avg300=28.71 total=411428007\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        &mut psi,
    )
    .unwrap();
    assert_eq!(psi, [6019, 4141, 2871, 411_428_007, 0, 0, 0, 0]);
}
