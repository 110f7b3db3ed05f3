//! `rstat serve --live` side by side with a real node_exporter (Debian package
//! prometheus-node-exporter) on the same machine at the same moment: for every series both
//! expose (same name, same labels), the values agree within a tolerance that allows for the
//! second between the two reads.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::daemons::{free_port, have, http_get, wait_for, Daemon};

type Series = BTreeMap<(String, Vec<(String, String)>), f64>;

/// The samples of a text exposition, by name and sorted labels.
fn parse(text: &str) -> Series {
    let mut series = Series::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (name_labels, value) = line.rsplit_once(' ').unwrap();
        let Ok(value) = value.parse::<f64>() else {
            continue;
        };
        let (name, labels) = match name_labels.split_once('{') {
            Some((name, rest)) => (name, parse_labels(rest.trim_end_matches('}'))),
            None => (name_labels, Vec::new()),
        };
        series.insert((name.to_string(), labels), value);
    }
    series
}

fn parse_labels(text: &str) -> Vec<(String, String)> {
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some((name, after)) = rest.split_once("=\"") {
        let mut value = String::new();
        let mut chars = after.char_indices();
        let mut end = after.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, e)) = chars.next() {
                        value.push(if e == 'n' { '\n' } else { e });
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        labels.push((name.trim_start_matches(',').to_string(), value));
        rest = &after[end..];
    }
    labels.sort();
    labels
}

/// How far apart two reads a few tens of milliseconds apart may be, on a machine that may be
/// compiling meanwhile: (relative, absolute).
fn tolerance(name: &str) -> (f64, f64) {
    match name {
        n if n.starts_with("node_cpu_") => (0.0, 2.5),
        n if n.starts_with("node_pressure_") => (0.0, 2.5),
        n if n.ends_with("_seconds_total") => (0.02, 2.5),
        "node_boot_time_seconds" => (0.0, 1.0),
        n if n.starts_with("node_load") => (0.0, 0.5),
        "node_procs_running" | "node_procs_blocked" | "node_disk_io_now" => (0.0, 20.0),
        n if n.starts_with("node_memory_") => (0.02, 64.0 * 1024.0 * 1024.0),
        n if n.starts_with("node_filesystem_") => (0.01, 64.0 * 1024.0 * 1024.0),
        n if n.starts_with("node_network_") => (0.02, 4.0 * 1024.0 * 1024.0),
        n if n.starts_with("node_disk_") => (0.02, 64.0 * 1024.0 * 1024.0),
        _ => (0.02, 200_000.0),
    }
}

#[test]
fn values_agree_with_node_exporter_at_the_same_moment() {
    if !have("prometheus-node-exporter", "prometheus-node-exporter") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let node_port = free_port();
    let mut command = std::process::Command::new("prometheus-node-exporter");
    command.arg(format!("--web.listen-address=127.0.0.1:{node_port}"));
    let mut node = Daemon::start("node_exporter", command, work.path());
    let rstat_port = free_port();
    let mut command = common::rstat();
    command.args([
        "serve",
        "--live",
        "--interval",
        "250ms",
        "--listen",
        &format!("127.0.0.1:{rstat_port}"),
    ]);
    let mut rstat = Daemon::start("rstat-serve", command, work.path());
    let node_url = format!("http://127.0.0.1:{node_port}/metrics");
    let rstat_url = format!("http://127.0.0.1:{rstat_port}/metrics");
    wait_for("both exporters", Duration::from_secs(30), || {
        let a = http_get(&node_url).filter(|(c, _)| *c == 200)?;
        let b = http_get(&rstat_url).filter(|(c, _)| *c == 200)?;
        Some((a, b))
    });
    // Read rstat right after a live sample was taken (its age under 30 ms), then
    // node_exporter at once: the two reads are then a few tens of milliseconds apart. A
    // machine busy compiling can still move a level (Committed_AS, Cached) by more than the
    // tolerance in between: a pair of reads is tried up to three times, and a real
    // disagreement (a wrong formula) fails all three.
    let read_pair = || {
        wait_for("a fresh live sample", Duration::from_secs(30), || {
            let (_, rstat_text) = http_get(&rstat_url)?;
            let age: f64 = rstat_text
                .lines()
                .find_map(|l| l.strip_prefix("rstat_sample_age_seconds "))?
                .parse()
                .ok()?;
            if age > 0.03 {
                std::thread::sleep(Duration::from_millis(5));
                return None;
            }
            let (_, node_text) = http_get(&node_url)?;
            Some((rstat_text, node_text))
        })
    };
    let compare = |ours: &Series, theirs: &Series| {
        let mut compared: BTreeMap<String, usize> = BTreeMap::new();
        let mut disagree = Vec::new();
        for ((name, labels), value) in ours {
            let Some(other) = theirs.get(&(name.clone(), labels.clone())) else {
                continue;
            };
            *compared.entry(name.clone()).or_default() += 1;
            let (relative, absolute) = tolerance(name);
            let allowed = absolute + relative * value.abs().max(other.abs());
            if (value - other).abs() > allowed {
                disagree.push(format!(
                    "{name}{labels:?}: rstat {value}, node_exporter {other}"
                ));
            }
        }
        (compared, disagree)
    };
    let mut attempt = 0;
    let (theirs, compared, disagree) = loop {
        attempt += 1;
        let (rstat_text, node_text) = read_pair();
        let ours = parse(&rstat_text);
        let theirs = parse(&node_text);
        let (compared, disagree) = compare(&ours, &theirs);
        if disagree.is_empty() || attempt == 3 {
            break (theirs, compared, disagree);
        }
        eprintln!(
            "attempt {attempt}: {} disagree, reading again",
            disagree.len()
        );
    };
    let total: usize = compared.values().sum();
    eprintln!(
        "compared {total} series of {} names: {compared:?}",
        compared.len()
    );
    assert!(
        disagree.is_empty(),
        "{} disagree:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
    for name in [
        "node_cpu_seconds_total",
        "node_memory_MemAvailable_bytes",
        "node_memory_MemTotal_bytes",
        "node_load1",
        "node_disk_read_bytes_total",
        "node_disk_written_bytes_total",
        "node_network_receive_bytes_total",
        "node_network_transmit_packets_total",
        "node_filesystem_size_bytes",
        "node_context_switches_total",
        "node_boot_time_seconds",
    ] {
        assert!(
            compared.contains_key(name),
            "{name} was not compared: {compared:?}"
        );
    }
    // Same labels: every node_cpu_seconds_total series of node_exporter has rstat's twin.
    let cpu_theirs = theirs
        .keys()
        .filter(|(n, _)| n == "node_cpu_seconds_total")
        .count();
    assert_eq!(compared["node_cpu_seconds_total"], cpu_theirs);
    assert!(total >= 100, "only {total} series in common");
    rstat.stop();
    node.stop();
}
