//! Process collection on the fixture trees proc-processes-a and -b (see
//! fixtures/make_process_fixtures.py for every value): the rows recorded, their text and
//! values, the edge cases (a command name with spaces, parentheses and a newline, invalid
//! UTF-8 in a command line, a kernel thread, a zombie, an unreadable io file, a process
//! vanishing mid-read, a reused pid), options, threads, and pidstat's figures derived between
//! the two trees.

mod common;

use rstat_collector::process::{ProcessOptions, ProcessSampler};
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::derive_process::display_cmdline;
use rstat_data_format::schema::{Row, Sample, Table, TableKind};
use rstat_data_format::schema_process::{
    cgroup_mode, process_col as c, process_flag as flag, process_summary_col as s, thread_col,
};

/// One sample of `tree` through the whole sampler (system files and processes).
fn sample_of(tree: &str, options: ProcessOptions) -> (Sample, Vec<String>) {
    let root = common::tree(tree);
    let mut sampler = Sampler::new(&root);
    sampler.enable_processes(&root, options);
    let mut sample = Sample::default();
    sampler.sample(&mut sample);
    (sample, sampler.take_warnings())
}

fn table(sample: &Sample, kind: TableKind) -> &Table {
    sample
        .table(kind)
        .unwrap_or_else(|| panic!("no table {}", kind.name()))
}

fn row<'a>(sample: &'a Sample, key: &str) -> &'a Row {
    table(sample, TableKind::PROCESSES)
        .row(key)
        .unwrap_or_else(|| panic!("no process {key}"))
}

fn summary(sample: &Sample, col: usize) -> u64 {
    table(sample, TableKind::PROCESS_SUMMARY).rows[0].values[col]
}

const ALL: ProcessOptions = ProcessOptions {
    processes: true,
    cmdline: true,
    threads: false,
    cgroups: true,
};

#[test]
fn every_process_is_recorded_in_pid_order_with_its_text() {
    let (sample, warnings) = sample_of("proc-processes-a", ALL);
    assert_eq!(warnings, Vec::<String>::new());
    let processes = table(&sample, TableKind::PROCESSES);
    assert_eq!(
        common::keys(processes),
        ["1", "2", "42", "50", "77", "100", "300"]
    );
    let text = |key: &str| row(&sample, key).text.clone();
    assert_eq!(text("1"), ["systemd", "/sbin/init\0splash", "/init.scope"]);
    assert_eq!(text("2"), ["kthreadd", "", "/"]);
    // comm parsed by the last ')': spaces, parentheses and a newline survive.
    assert_eq!(
        text("42"),
        [
            "a) (b\nc",
            "prog\0--name=\u{fffd}\u{fffd}",
            "/user.slice/user-1000.slice/session-1.scope"
        ]
    );
    assert_eq!(
        display_cmdline(&text("42")[1]),
        "prog --name=\u{fffd}\u{fffd}"
    );
    assert_eq!(
        text("77"),
        ["defunct", "", "/"],
        "a zombie has no command line"
    );
}

#[test]
fn values_are_those_of_the_files() {
    let (sample, _) = sample_of("proc-processes-a", ALL);
    let systemd = &row(&sample, "1").values;
    assert_eq!(systemd.len(), c::COUNT);
    let expected: [(usize, u64); 29] = [
        (c::PPID, 0),
        (c::STARTTIME, 1),
        (c::UID, 0),
        (c::STATE, u64::from(b'S')),
        (
            c::FLAGS,
            flag::IO | flag::SCHEDSTAT | flag::CMDLINE | flag::CGROUP,
        ),
        (c::UTIME, 1000),
        (c::STIME, 500),
        (c::GUEST, 0),
        (c::CUTIME, 300),
        (c::CSTIME, 100),
        (c::MINFLT, 20000),
        (c::MAJFLT, 50),
        (c::VSIZE, 170_000_000),
        (c::RSS, 3000),
        (c::SWAP_KB, 0),
        (c::THREADS, 1),
        (c::VCSW, 1000),
        (c::NVCSW, 100),
        (c::RCHAR, 1_000_000),
        (c::WCHAR, 500_000),
        (c::READ_BYTES, 4_096_000),
        (c::WRITE_BYTES, 2_048_000),
        (c::CANCELLED_WRITE_BYTES, 0),
        (c::IODELAY, 7),
        (c::RUN_DELAY_NS, 2_000_000_000),
        (c::PROCESSOR, 0),
        (c::NICE, 20),
        (c::RT_PRIORITY, 0),
        (c::POLICY, 0),
    ];
    for (col, value) in expected {
        assert_eq!(systemd[col], value, "column {col}");
    }
    let odd = &row(&sample, "42").values;
    assert_eq!(odd[c::UID], 1000, "the real uid (first of Uid:)");
    assert_eq!(odd[c::STATE], u64::from(b'R'));
    assert_eq!(odd[c::NICE], 15, "nice -5 is stored as 15");
    assert_eq!((odd[c::UTIME], odd[c::GUEST]), (500, 100));
    assert_eq!(odd[c::SWAP_KB], 1024);
    assert_eq!(odd[c::THREADS], 3);
    assert_eq!(
        odd[c::FLAGS],
        flag::SCHEDSTAT | flag::CMDLINE | flag::CGROUP,
        "io unreadable: no IO flag"
    );
    assert_eq!(odd[c::READ_BYTES], 0);
    let kthreadd = &row(&sample, "2").values;
    assert_ne!(kthreadd[c::FLAGS] & flag::KERNEL_THREAD, 0);
    assert_eq!(
        kthreadd[c::SWAP_KB],
        0,
        "a kernel thread has no VmSwap line"
    );
    assert_eq!(row(&sample, "77").values[c::STATE], u64::from(b'Z'));
    // A kernel without task I/O accounting and schedstats: recorded, without those columns.
    let noacct = &row(&sample, "50").values;
    assert_eq!(noacct[c::FLAGS], flag::CMDLINE | flag::CGROUP);
    assert_eq!((noacct[c::UTIME], noacct[c::VCSW]), (10, 1));

    assert_eq!(summary(&sample, s::PROCESSES), 7);
    assert_eq!(summary(&sample, s::THREADS), 9);
    assert_eq!(summary(&sample, s::VANISHED), 0);
    assert_eq!(summary(&sample, s::IO_UNREADABLE), 2);
    assert_eq!(summary(&sample, s::CGROUP_MODE), cgroup_mode::V2);
    assert_eq!(summary(&sample, s::CGROUPS), 4);
    assert!(summary(&sample, s::TICKS_PER_SEC) > 0 && summary(&sample, s::PAGE_SIZE) > 0);
}

#[test]
fn a_process_vanishing_mid_read_is_left_out_without_a_warning() {
    // In b, 300 has a stat but no status: it exited between the two reads.
    let (sample, warnings) = sample_of("proc-processes-b", ALL);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(
        common::keys(table(&sample, TableKind::PROCESSES)),
        ["1", "2", "42", "50", "100", "200"]
    );
    assert_eq!(summary(&sample, s::VANISHED), 1);
    assert_eq!(summary(&sample, s::PROCESSES), 6);
}

#[test]
fn no_cmdline_records_none_and_no_processes_records_no_table() {
    let options = ProcessOptions {
        cmdline: false,
        ..ALL
    };
    let (sample, _) = sample_of("proc-processes-a", options);
    for row in &table(&sample, TableKind::PROCESSES).rows {
        assert_eq!(row.text[1], "", "{}", row.key);
        assert_eq!(row.values[c::FLAGS] & flag::CMDLINE, 0, "{}", row.key);
    }
    assert_eq!(row(&sample, "1").text[0], "systemd");
    let options = ProcessOptions {
        processes: false,
        ..ALL
    };
    let (sample, _) = sample_of("proc-processes-a", options);
    assert!(sample.table(TableKind::PROCESSES).is_none());
    assert!(sample.table(TableKind::CGROUPS).is_some());
    let options = ProcessOptions {
        processes: false,
        cgroups: false,
        ..ALL
    };
    let (sample, _) = sample_of("proc-processes-a", options);
    assert!(sample.table(TableKind::PROCESS_SUMMARY).is_none());
}

#[test]
fn a_tree_without_processes_records_no_process_table() {
    let (sample, warnings) = sample_of("real-debian-vm", ALL);
    assert!(sample.table(TableKind::PROCESSES).is_none());
    assert!(sample.table(TableKind::CGROUPS).is_none());
    assert!(sample.table(TableKind::PROCESS_SUMMARY).is_none());
    assert_eq!(warnings, Vec::<String>::new(), "no /sys/fs/cgroup: silent");
}

#[test]
fn threads_are_recorded_per_process_in_tid_order() {
    let options = ProcessOptions {
        threads: true,
        ..ALL
    };
    let (sample, _) = sample_of("proc-processes-a", options);
    let threads = table(&sample, TableKind::THREADS);
    assert_eq!(
        common::keys(threads),
        ["1", "2", "42", "43", "44", "50", "77", "100", "300"]
    );
    let worker = threads.row("43").unwrap();
    assert_eq!(worker.text, ["worker 1"]);
    assert_eq!(worker.values.len(), thread_col::COUNT);
    assert_eq!(worker.values[thread_col::TGID], 42);
    assert_eq!(worker.values[thread_col::UTIME], 100);
    assert_eq!(worker.values[thread_col::FLAGS] & flag::IO, 0);
    let io_thread = threads.row("44").unwrap();
    assert_ne!(io_thread.values[thread_col::FLAGS] & flag::IO, 0);
    assert_eq!(io_thread.values[thread_col::WRITE_BYTES], 8192);
    let (sample, _) = sample_of("proc-processes-a", ALL);
    assert!(sample.table(TableKind::THREADS).is_none());
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

#[test]
fn pidstat_figures_between_the_two_trees() {
    let (a, _) = sample_of("proc-processes-a", ALL);
    let (b, _) = sample_of("proc-processes-b", ALL);
    let interval = Interval::new(&a, &b).expect("an interval");
    assert!(close(interval.seconds, 2.06));
    let rates = interval.processes();
    let pids: Vec<u32> = rates.iter().map(|r| r.pid).collect();
    assert_eq!(
        pids,
        [1, 2, 42, 50],
        "100 was reused, 200 is new, 77 and 300 are gone"
    );

    let systemd = &rates[0];
    assert_eq!((systemd.comm, systemd.uid, systemd.ppid), ("systemd", 0, 0));
    assert!(close(systemd.usr_pct, 50.0), "{}", systemd.usr_pct);
    assert!(close(systemd.system_pct, 32.0 / 206.0 * 100.0));
    assert!(close(systemd.guest_pct, 0.0));
    assert!(close(systemd.cpu_pct, 135.0 / 206.0 * 100.0));
    assert!(close(systemd.wait_pct.unwrap(), 10.0));
    assert!(close(systemd.children_cpu_pct, 100.0));
    assert_eq!(systemd.cpu, 1);
    assert!(close(systemd.minflt_per_s, 200.0));
    assert!(close(systemd.majflt_per_s, 2.0 / 2.06));
    assert_eq!(systemd.vsz_kb, 170_000_000 / 1024);
    let page_kb = rstat_data_format::derive_process::page_size(&b) / 1024;
    assert_eq!(systemd.rss_kb, 3100 * page_kb);
    let mem_total = b
        .table(TableKind::MEMINFO)
        .unwrap()
        .get("MemTotal")
        .unwrap();
    assert!(close(
        systemd.mem_pct,
        (3100 * page_kb) as f64 / mem_total as f64 * 100.0
    ));
    let io = systemd.io.as_ref().expect("io readable");
    assert!(close(io.kb_rd_per_s, 100.0));
    assert!(close(io.kb_wr_per_s, 50.0));
    assert!(close(io.kb_ccwr_per_s, 20600.0 / 1024.0 / 2.06));
    assert_eq!(io.iodelay, 4);
    assert!(close(systemd.cswch_per_s, 100.0));
    assert!(close(systemd.nvcswch_per_s, 50.0));
    assert_eq!(systemd.threads, 1);

    let odd = &rates[2];
    assert_eq!(odd.comm, "a) (b\nc");
    assert_eq!(odd.state, 'R');
    assert!(close(odd.usr_pct, 50.0), "guest time is not user time");
    assert!(close(odd.guest_pct, 50.0));
    assert!(close(odd.cpu_pct, 100.0));
    assert_eq!(odd.wait_pct, Some(0.0));
    assert!(odd.io.is_none(), "io was not readable");
    assert!(rates[1].kernel_thread && rates[1].cpu_pct == 0.0);
    let noacct = &rates[3];
    assert_eq!(noacct.comm, "noacct");
    assert!(close(noacct.usr_pct, 100.0) && close(noacct.cswch_per_s, 2.0 / 2.06));
    assert!(noacct.wait_pct.is_none() && noacct.io.is_none());

    let summary = interval.process_summary().unwrap();
    assert_eq!((summary.new, summary.exited), (2, 3));
    assert_eq!(
        summary.unseen,
        Some(19 - 2),
        "forks from /proc/stat minus new processes"
    );
    assert!(close(summary.forks_per_s.unwrap(), 19.0 / 2.06));
    assert_eq!(summary.vanished_during_read, 1);
    assert_eq!((summary.processes, summary.threads), (6, 8));
}

#[test]
fn thread_figures_between_the_two_trees() {
    let options = ProcessOptions {
        threads: true,
        ..ALL
    };
    let (a, _) = sample_of("proc-processes-a", options);
    let (b, _) = sample_of("proc-processes-b", options);
    let interval = Interval::new(&a, &b).unwrap();
    let threads = interval.threads();
    let find = |tid: u32| threads.iter().find(|t| t.tid == tid).unwrap();
    let main = find(42);
    assert_eq!(main.tgid, 42);
    assert!(close(main.usr_pct, 0.0) && close(main.guest_pct, 50.0) && close(main.cpu_pct, 50.0));
    let worker = find(43);
    assert_eq!(worker.comm, "worker 1");
    assert!(close(worker.usr_pct, 50.0));
    let io = find(44).io.as_ref().unwrap();
    assert!(close(io.kb_wr_per_s, 10547.0 / 1024.0 / 2.06));
}

#[test]
fn resampling_keeps_rows_and_text_in_place() {
    let root = common::tree("proc-processes-a");
    let mut sampler = ProcessSampler::new(&root, ALL);
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    sampler.fill(&mut sample, &mut warnings);
    let pointers = |sample: &Sample| -> Vec<*const u8> {
        table(sample, TableKind::PROCESSES)
            .rows
            .iter()
            .flat_map(|row| row.text.iter().map(|t| t.as_ptr()))
            .collect()
    };
    let before = pointers(&sample);
    let values_before = table(&sample, TableKind::PROCESSES).clone();
    for _ in 0..3 {
        sampler.fill(&mut sample, &mut warnings);
    }
    assert_eq!(
        pointers(&sample),
        before,
        "text strings are kept, not rewritten"
    );
    assert_eq!(table(&sample, TableKind::PROCESSES), &values_before);
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn a_pid_reused_between_samples_gets_a_fresh_row() {
    // Sample tree a, then point the same sampler's sample at tree b through a copy: the
    // simplest way is two samplers sharing one Sample, as the table's rows carry identity.
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    ProcessSampler::new(&common::tree("proc-processes-a"), ALL).fill(&mut sample, &mut warnings);
    assert_eq!(row(&sample, "100").text[0], "old");
    ProcessSampler::new(&common::tree("proc-processes-b"), ALL).fill(&mut sample, &mut warnings);
    let reused = row(&sample, "100");
    assert_eq!(reused.text, ["new", "new\0--pid-reused", "/"]);
    assert_eq!(reused.values[c::STARTTIME], 9000);
}

#[test]
fn rows_stay_in_pid_order_as_processes_come_and_go() {
    // b then a: 77 and 300 appear between known pids, 200 goes, 100 is reused.
    let mut sample = Sample::default();
    let mut warnings = Vec::new();
    ProcessSampler::new(&common::tree("proc-processes-b"), ALL).fill(&mut sample, &mut warnings);
    let systemd_text = row(&sample, "1").text[1].as_ptr();
    ProcessSampler::new(&common::tree("proc-processes-a"), ALL).fill(&mut sample, &mut warnings);
    assert_eq!(
        common::keys(table(&sample, TableKind::PROCESSES)),
        ["1", "2", "42", "50", "77", "100", "300"]
    );
    assert_eq!(
        row(&sample, "1").text[1].as_ptr(),
        systemd_text,
        "a known row is kept"
    );
    assert_eq!(row(&sample, "100").text[0], "old");
    assert_eq!(row(&sample, "77").text[0], "defunct");
    // And forward again, through the same sample.
    ProcessSampler::new(&common::tree("proc-processes-b"), ALL).fill(&mut sample, &mut warnings);
    assert_eq!(
        common::keys(table(&sample, TableKind::PROCESSES)),
        ["1", "2", "42", "50", "100", "200"]
    );
    assert_eq!(warnings, Vec::<String>::new());
}
