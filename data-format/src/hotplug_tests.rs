//! sysstat's hotplug rules on hand-made sample sequences; each expected figure is what sar
//! 12.7.9 prints for the same counters (worked out from get_global_cpu_statistics and
//! get_per_cpu_interval, see the comments).

use super::*;
use crate::derive::Interval;

/// A sample at `uptime_cs` with CPU rows (key, [user nice system idle iowait ...]).
fn sample(uptime_cs: u64, cpus: &[(&str, [u64; 10])]) -> Sample {
    let mut s = crate::test_samples::at_uptime(uptime_cs);
    let mut fill = s.table_mut(TableKind::CPU).refill();
    for (key, values) in cpus {
        fill.row(key).values.extend(values);
    }
    fill.finish();
    s
}

/// user, system and idle ticks (the other times 0).
fn ticks(user: u64, system: u64, idle: u64) -> [u64; 10] {
    [user, 0, system, idle, 0, 0, 0, 0, 0, 0]
}

/// `samples` as a reader sees them: each carried against the one before.
fn carried(samples: Vec<Sample>) -> Vec<Sample> {
    let mut out: Vec<Sample> = Vec::new();
    for mut s in samples {
        if let Some(prev) = out.last() {
            carry_offline_cpus(prev, &mut s);
        }
        out.push(s);
    }
    out
}

fn shown(a: &Sample, b: &Sample) -> Vec<(Option<u32>, f64, f64)> {
    Interval::new(a, b)
        .unwrap()
        .cpus()
        .iter()
        .map(|c| {
            (
                c.cpu,
                (c.usr * 100.0).round() / 100.0,
                (c.idle * 100.0).round() / 100.0,
            )
        })
        .collect()
}

#[test]
fn an_offline_cpu_is_hidden_then_counted_against_its_carried_values() {
    let s = carried(vec![
        sample(
            1000,
            &[("cpu0", ticks(100, 0, 900)), ("cpu1", ticks(50, 0, 950))],
        ),
        // cpu1 offline: absent from /proc/stat.
        sample(1100, &[("cpu0", ticks(150, 0, 950))]),
        sample(1200, &[("cpu0", ticks(200, 0, 1000))]),
        // cpu1 back: user went on from 50, idle restarted from 0 (recent kernels).
        sample(
            1300,
            &[("cpu0", ticks(250, 0, 1050)), ("cpu1", ticks(80, 0, 70))],
        ),
    ]);
    // Offline: hidden; "all" is cpu0 alone.
    assert_eq!(
        shown(&s[0], &s[1]),
        [(None, 50.0, 50.0), (Some(0), 50.0, 50.0)]
    );
    assert_eq!(
        shown(&s[1], &s[2]),
        [(None, 50.0, 50.0), (Some(0), 50.0, 50.0)]
    );
    assert!(is_carried(
        s[2].table(TableKind::CPU).unwrap().row("cpu1").unwrap()
    ));
    // Back: against the carried 50/950; idle went backwards, so its previous value is 0
    // (get_per_cpu_interval): cpu1 interval = (80+70) - (50+0) = 100, user 30, idle 70.
    // all: user (50+30)/(100+100) = 40%, idle (50+70)/200 = 60%.
    assert_eq!(
        shown(&s[2], &s[3]),
        [
            (None, 40.0, 60.0),
            (Some(0), 50.0, 50.0),
            (Some(1), 30.0, 70.0)
        ]
    );
}

#[test]
fn aggregation_over_samples_that_are_not_neighbours_uses_the_carried_values() {
    let s = carried(vec![
        sample(
            1000,
            &[("cpu0", ticks(100, 0, 900)), ("cpu1", ticks(50, 0, 950))],
        ),
        sample(1100, &[("cpu0", ticks(150, 0, 950))]),
        sample(
            1200,
            &[("cpu0", ticks(200, 0, 1000)), ("cpu1", ticks(90, 0, 1010))],
        ),
    ]);
    // -i over samples 0 and 2: cpu1 was online at both ends, 40 user + 60 idle; cpu0 200
    // ticks, half user. all: user (100+40)/300, idle (100+60)/300.
    assert_eq!(
        shown(&s[0], &s[2]),
        [
            (None, 46.67, 53.33),
            (Some(0), 50.0, 50.0),
            (Some(1), 40.0, 60.0)
        ]
    );
}

#[test]
fn a_cpu_without_reference_values_is_hidden_and_left_out_of_all() {
    // cpu1 was offline when the first sample was taken.
    let s = carried(vec![
        sample(1000, &[("cpu0", ticks(100, 0, 900))]),
        sample(
            1100,
            &[("cpu0", ticks(125, 0, 975)), ("cpu1", ticks(5000, 0, 5000))],
        ),
    ]);
    assert_eq!(
        shown(&s[0], &s[1]),
        [(None, 25.0, 75.0), (Some(0), 25.0, 75.0)]
    );
}

#[test]
fn a_tickless_cpu_is_all_idle_and_an_all_without_ticks_is_zero() {
    let s = [
        sample(
            1000,
            &[("cpu0", ticks(100, 0, 900)), ("cpu1", ticks(50, 0, 950))],
        ),
        sample(
            1100,
            &[("cpu0", ticks(150, 0, 950)), ("cpu1", ticks(50, 0, 950))],
        ),
        sample(
            1200,
            &[("cpu0", ticks(150, 0, 950)), ("cpu1", ticks(50, 0, 950))],
        ),
    ];
    assert_eq!(
        shown(&s[0], &s[1]),
        [
            (None, 50.0, 50.0),
            (Some(0), 50.0, 50.0),
            (Some(1), 0.0, 100.0)
        ]
    );
    // No CPU moved: each CPU is tickless (100% idle), "all" cannot be tickless: all 0.
    assert_eq!(
        shown(&s[1], &s[2]),
        [
            (None, 0.0, 0.0),
            (Some(0), 0.0, 100.0),
            (Some(1), 0.0, 100.0)
        ]
    );
}

#[test]
fn iowait_going_backwards_is_read_as_get_per_cpu_interval_does() {
    // [user nice system idle iowait]
    let row = |idle, iowait| [10, 0, 0, idle, iowait, 0, 0, 0, 0, 0];
    let s = [
        sample(1000, &[("cpu0", row(500, 100))]),
        // iowait re-accounted as idle (idle went up): previous iowait = current iowait.
        sample(1100, &[("cpu0", row(600, 90))]),
        // idle did not go up: the CPU came back, previous iowait = 0.
        sample(1200, &[("cpu0", row(600, 20))]),
    ];
    let i = Interval::new(&s[0], &s[1]).unwrap().cpus();
    // interval = idle 100 + iowait 0.
    assert_eq!((i[1].idle, i[1].iowait), (100.0, 0.0));
    let i = Interval::new(&s[1], &s[2]).unwrap().cpus();
    // interval = idle 0 + iowait 20 - 0.
    assert_eq!((i[1].idle, i[1].iowait), (0.0, 100.0));
}

#[test]
fn interrupt_columns_of_an_offline_cpu_are_carried_and_hidden() {
    let irq = |uptime: u64, cpus: &[u64], counts: &[u64], err: u64| {
        let mut s = sample(uptime, &[]);
        let mut fill = s.table_mut(TableKind::INTERRUPTS).refill();
        fill.row(irq::CPUS_ROW).values.extend(cpus);
        fill.row("24").values.extend(counts);
        fill.row("ERR").values.push(err);
        fill.finish();
        s
    };
    let s = carried(vec![
        irq(1000, &[0, 1], &[100, 200], 1),
        irq(1100, &[0], &[150], 1),
        irq(1200, &[0, 1], &[200, 260], 3),
    ]);
    let table = s[1].table(TableKind::INTERRUPTS).unwrap();
    assert_eq!(table.row(irq::CPUS_ROW).unwrap().values, [0, 1]);
    assert_eq!(table.row("24").unwrap().values, [150, 200]);
    assert_eq!(
        table.row("ERR").unwrap().values,
        [1],
        "a total is not per CPU"
    );
    let offline = Interval::new(&s[0], &s[1]).unwrap().interrupts();
    assert_eq!(offline[0].per_cpu, [(0, 50.0)]);
    assert_eq!(offline[0].all, 50.0);
    let back = Interval::new(&s[1], &s[2]).unwrap().interrupts();
    assert_eq!(back[0].per_cpu, [(0, 50.0), (1, 60.0)]);
    assert_eq!(back[0].all, 110.0);
    assert_eq!((back[1].name.as_str(), back[1].all), ("ERR", 2.0));
    // sar 12.7's `sum` row: per CPU the sum of the lines, `all` from the all-CPU totals.
    let sum = Interval::new(&s[1], &s[2])
        .unwrap()
        .interrupt_sum()
        .unwrap();
    assert_eq!(sum.name, "sum");
    assert_eq!(sum.per_cpu, [(0, 50.0), (1, 60.0)]);
    assert_eq!(sum.all, 110.0);
}

#[test]
fn softnet_of_an_offline_cpu_is_carried_and_hidden() {
    let softnet = |uptime: u64, rows: &[(&str, u64)]| {
        let mut s = sample(uptime, &[]);
        let mut fill = s.table_mut(TableKind::SOFTNET).refill();
        for (key, processed) in rows {
            fill.row(key).values.extend([*processed; 13]);
        }
        fill.finish();
        s
    };
    let s = carried(vec![
        softnet(1000, &[("cpu0", 10), ("cpu1", 20)]),
        softnet(1100, &[("cpu0", 30)]),
        softnet(1200, &[("cpu0", 40), ("cpu1", 70)]),
    ]);
    let cpus = |a: &Sample, b: &Sample| -> Vec<(Option<u32>, f64)> {
        Interval::new(a, b)
            .unwrap()
            .softnet()
            .iter()
            .map(|r| (r.cpu, r.total))
            .collect()
    };
    assert_eq!(cpus(&s[0], &s[1]), [(None, 20.0), (Some(0), 20.0)]);
    assert_eq!(
        cpus(&s[1], &s[2]),
        [(None, 60.0), (Some(0), 10.0), (Some(1), 50.0)]
    );
}

#[test]
fn nothing_is_carried_into_a_table_that_was_not_read() {
    let a = sample(1000, &[("cpu0", ticks(1, 0, 1))]);
    let mut b = Sample::default();
    carry_offline_cpus(&a, &mut b);
    assert!(b.table(TableKind::CPU).is_none());
}

#[test]
fn softnet_lines_without_a_cpu_column_belong_to_the_online_cpus_in_order() {
    // Kernel 5.4, cpu1 offline: /proc/stat lists cpu0 and cpu2, softnet_stat two lines.
    let mut s = sample(1000, &[("cpu0", ticks(1, 0, 1)), ("cpu2", ticks(1, 0, 1))]);
    let mut fill = s.table_mut(TableKind::SOFTNET).refill();
    fill.row("cpu0").values.extend([5; 11]);
    fill.row("cpu1").values.extend([7; 11]);
    fill.finish();
    renumber_softnet(&mut s);
    let keys = |s: &Sample| -> Vec<String> {
        let rows = &s.table(TableKind::SOFTNET).unwrap().rows;
        rows.iter().map(|r| r.key.clone()).collect()
    };
    assert_eq!(keys(&s), ["cpu0", "cpu2"]);
    let row = |s: &Sample, key: &str| {
        s.table(TableKind::SOFTNET)
            .unwrap()
            .row(key)
            .unwrap()
            .values[0]
    };
    assert_eq!(row(&s, "cpu2"), 7);
    renumber_softnet(&mut s);
    assert_eq!(keys(&s), ["cpu0", "cpu2"], "idempotent");
    // Lines with the CPU column (5.10 on) keep their own numbers.
    let mut s = sample(1000, &[("cpu0", ticks(1, 0, 1)), ("cpu2", ticks(1, 0, 1))]);
    let mut fill = s.table_mut(TableKind::SOFTNET).refill();
    fill.row("cpu0").values.extend([5; 13]);
    fill.row("cpu1").values.extend([7; 13]);
    fill.finish();
    renumber_softnet(&mut s);
    assert_eq!(keys(&s), ["cpu0", "cpu1"]);
}

#[test]
fn cpu_mhz_shows_only_the_cpus_online_in_proc_stat() {
    let s = carried(vec![
        sample(1000, &[("cpu0", ticks(1, 0, 1)), ("cpu1", ticks(1, 0, 1))]),
        sample(1100, &[("cpu0", ticks(2, 0, 2))]),
    ]);
    let mut s1 = s[1].clone();
    let mut fill = s1.table_mut(TableKind::CPUFREQ).refill();
    fill.row("cpu0").values.push(2_000_000);
    fill.row("cpu1").values.push(1_000_000);
    fill.finish();
    // cpu1 is carried (offline): hidden, and not in the average.
    assert_eq!(
        crate::derive_system_power::cpu_mhz(&s1),
        [(None, 2000.0), (Some(0), 2000.0)]
    );
}
