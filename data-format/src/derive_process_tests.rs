//! Tests of the process and cgroup derivation on hand-made samples; fixture-driven tests live
//! in the collector (process_sampler.rs, cgroup_fixtures.rs).

use super::*;
use crate::schema::Table;
use crate::schema_process::{cgroup_flag, process_summary_col as s};

fn uptime(uptime_cs: u64) -> Table {
    Table {
        kind: TableKind::UPTIME,
        rows: vec![Row {
            key: "uptime".into(),
            text: vec![],
            values: vec![uptime_cs, 0],
        }],
    }
}

/// A process row: (pid, start, utime, stime, flags, extra (column, value) pairs).
fn process(
    pid: u32,
    start: u64,
    utime: u64,
    stime: u64,
    flags: u64,
    extra: &[(usize, u64)],
) -> Row {
    let mut values = vec![0; process_col::COUNT];
    values[process_col::STARTTIME] = start;
    values[process_col::UTIME] = utime;
    values[process_col::STIME] = stime;
    values[process_col::FLAGS] = flags;
    values[process_col::STATE] = u64::from(b'S');
    for &(col, value) in extra {
        values[col] = value;
    }
    Row {
        key: pid.to_string(),
        text: vec![format!("p{pid}"), "cmd\0arg".into(), "/".into()],
        values,
    }
}

fn sample(uptime_cs: u64, hz: Option<u64>, processes: Vec<Row>) -> Sample {
    let mut tables = vec![uptime(uptime_cs)];
    tables.push(Table {
        kind: TableKind::PROCESSES,
        rows: processes,
    });
    if let Some(hz) = hz {
        let mut values = vec![0; s::COUNT];
        values[s::TICKS_PER_SEC] = hz;
        values[s::PAGE_SIZE] = 4096;
        tables.push(Table {
            kind: TableKind::PROCESS_SUMMARY,
            rows: vec![Row {
                key: "processes".into(),
                text: vec![],
                values,
            }],
        });
    }
    Sample { time_us: 0, tables }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

const IO_AND_SCHED: u64 = process_flag::IO | process_flag::SCHEDSTAT;

#[test]
fn processes_are_matched_by_pid_and_start_time() {
    let prev = sample(
        1000,
        Some(100),
        vec![process(1, 5, 100, 50, 0, &[]), process(7, 10, 0, 0, 0, &[])],
    );
    let cur = sample(
        1200,
        Some(100),
        vec![
            process(1, 5, 200, 70, 0, &[]),
            process(7, 900, 5, 0, 0, &[]), // pid 7 reused
            process(9, 950, 1, 1, 0, &[]), // new
        ],
    );
    let interval = Interval::new(&prev, &cur).unwrap();
    let rates = interval.processes();
    assert_eq!(rates.len(), 1);
    let p = &rates[0];
    assert_eq!((p.pid, p.comm, p.cmdline), (1, "p1", "cmd\0arg"));
    // 2 s at 100 Hz = 200 ticks: 100 user ticks = 50 %, 20 system ticks = 10 %.
    assert!(close(p.usr_pct, 50.0) && close(p.system_pct, 10.0) && close(p.cpu_pct, 60.0));
    assert_eq!(p.wait_pct, None, "no schedstat flag");
    assert!(p.io.is_none(), "no io flag");
    assert_eq!(display_cmdline(p.cmdline), "cmd arg");
}

#[test]
fn ticks_per_second_come_from_the_summary_or_default_to_100() {
    let rows = |utime| vec![process(1, 5, utime, 0, 0, &[])];
    let (prev, cur) = (
        sample(1000, Some(250), rows(0)),
        sample(1100, Some(250), rows(125)),
    );
    let p = &Interval::new(&prev, &cur).unwrap().processes()[0];
    assert!(
        close(p.usr_pct, 50.0),
        "125 ticks of 250 in one second: {}",
        p.usr_pct
    );
    let (prev, cur) = (sample(1000, None, rows(0)), sample(1100, None, rows(50)));
    let p = &Interval::new(&prev, &cur).unwrap().processes()[0];
    assert!(close(p.usr_pct, 50.0));
    assert_eq!(ticks_per_sec(&cur), 100);
    assert_eq!(page_size(&cur), 4096);
}

#[test]
fn io_wait_and_counters_going_backwards() {
    let prev = sample(
        1000,
        Some(100),
        vec![process(
            3,
            1,
            500,
            0,
            IO_AND_SCHED,
            &[
                (process_col::READ_BYTES, 1 << 20),
                (process_col::WRITE_BYTES, 0),
                (process_col::RUN_DELAY_NS, 0),
                (process_col::MINFLT, 1000),
                (process_col::IODELAY, 3),
            ],
        )],
    );
    let cur = sample(
        1100,
        Some(100),
        vec![process(
            3,
            1,
            400, // went backwards: 0, not a huge number
            0,
            IO_AND_SCHED,
            &[
                (process_col::READ_BYTES, 3 << 20),
                (process_col::WRITE_BYTES, 512 * 1024),
                (process_col::RUN_DELAY_NS, 250_000_000),
                (process_col::MINFLT, 1100),
                (process_col::IODELAY, 5),
            ],
        )],
    );
    let p = &Interval::new(&prev, &cur).unwrap().processes()[0];
    assert!(close(p.usr_pct, 0.0) && close(p.cpu_pct, 0.0));
    assert!(close(p.wait_pct.unwrap(), 25.0));
    assert!(close(p.minflt_per_s, 100.0));
    let io = p.io.as_ref().unwrap();
    assert!(close(io.kb_rd_per_s, 2048.0) && close(io.kb_wr_per_s, 512.0));
    assert_eq!(io.iodelay, 2);
    // io readable in only one of the samples: no I/O figures.
    let mut half = cur.clone();
    half.tables[1].rows[0].values[process_col::FLAGS] = process_flag::SCHEDSTAT;
    assert!(Interval::new(&prev, &half).unwrap().processes()[0]
        .io
        .is_none());
}

#[test]
fn a_file_without_process_tables_gives_nothing() {
    let prev = Sample {
        time_us: 0,
        tables: vec![uptime(100)],
    };
    let cur = Sample {
        time_us: 0,
        tables: vec![uptime(200)],
    };
    let interval = Interval::new(&prev, &cur).unwrap();
    assert!(interval.processes().is_empty());
    assert!(interval.threads().is_empty());
    assert!(interval.cgroups().is_empty());
    assert!(interval.process_summary().is_none());
    assert!(processes(&cur).is_empty());
}

fn cgroup_sample(
    uptime_cs: u64,
    groups: Vec<(&str, Vec<(usize, u64)>)>,
    io: Vec<(&str, [u64; 6])>,
) -> Sample {
    let rows = groups
        .into_iter()
        .map(|(key, values)| {
            let mut row = vec![0; cgroup_col::COUNT];
            for (col, value) in values {
                row[col] = value;
            }
            Row {
                key: key.into(),
                text: vec![],
                values: row,
            }
        })
        .collect();
    let io_rows = io
        .into_iter()
        .map(|(key, values)| Row {
            key: key.into(),
            text: vec![],
            values: values.to_vec(),
        })
        .collect();
    Sample {
        time_us: 0,
        tables: vec![
            uptime(uptime_cs),
            Table {
                kind: TableKind::CGROUPS,
                rows,
            },
            Table {
                kind: TableKind::CGROUP_IO,
                rows: io_rows,
            },
        ],
    }
}

#[test]
fn cgroups_are_matched_by_path_and_io_is_summed_over_devices() {
    use cgroup_col as c;
    let prev = cgroup_sample(
        1000,
        vec![
            ("/", vec![(c::USAGE_USEC, 0)]),
            (
                "/a b",
                vec![(c::USAGE_USEC, 1_000_000), (c::EVENTS_OOM_KILL, 2)],
            ),
        ],
        vec![("/a b 8:0", [0; 6]), ("/a b 8:16", [1024, 0, 1, 0, 0, 0])],
    );
    let cur = cgroup_sample(
        1200,
        vec![
            ("/", vec![(c::USAGE_USEC, 4_000_000)]),
            (
                "/a b",
                vec![
                    (c::FLAGS, cgroup_flag::CPU_STAT),
                    (c::USAGE_USEC, 2_000_000),
                    (c::EVENTS_OOM_KILL, 3),
                    (c::MEMORY_CURRENT, 2 << 20),
                    (c::PSI_IO + c::psi::SOME_AVG10, 1234),
                    (c::PSI_IO + c::psi::SOME_TOTAL_US, 200_000),
                ],
            ),
            ("/new", vec![(c::USAGE_USEC, 5)]),
        ],
        vec![
            ("/a b 8:0", [2048, 4096, 2, 4, 0, 0]),
            ("/a b 8:16", [3072, 0, 3, 0, 0, 0]),
            ("/a b 9:0", [999, 0, 0, 0, 0, 0]),
        ],
    );
    let interval = Interval::new(&prev, &cur).unwrap();
    let rates = interval.cgroups();
    let paths: Vec<&str> = rates.iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/", "/a b"], "a new group gets no rate");
    assert!(
        close(rates[0].cpu_pct, 200.0),
        "two CPUs busy: {}",
        rates[0].cpu_pct
    );
    let g = &rates[1];
    assert_eq!(g.flags, cgroup_flag::CPU_STAT);
    assert!(close(g.cpu_pct, 50.0));
    assert_eq!((g.events_oom_kill, g.memory_kb), (1, 2048));
    // 8:0 read 2 kB and 8:16 2 kB in 2 s; 9:0 is new (no rate).
    assert!(close(g.io.rkb_per_s, 2.0) && close(g.io.wkb_per_s, 2.0));
    assert!(close(g.io.rio_per_s, 2.0) && close(g.io.wio_per_s, 2.0));
    assert!(close(g.io_pressure.some_avg10, 12.34) && close(g.io_pressure.some_pct, 10.0));
}
