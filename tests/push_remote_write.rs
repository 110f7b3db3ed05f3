//! `rstat push` into a real Prometheus remote-write receiver and a real VictoriaMetrics
//! (Debian packages prometheus and victoria-metrics): the receiver is down for more than 30 s
//! while collection goes on, push is killed with SIGKILL once and restarted; after catch-up
//! every collected sample is in the receiver exactly once.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::daemons::{free_port, have, http_get, prometheus, query, query_one, wait_for, Daemon};

/// Samples collected (one a second): long enough for an outage of more than 30 s.
const SAMPLES: u32 = 42;
const OUTAGE: Duration = Duration::from_secs(31);

fn push(url: &str, data: &Path, state: &Path, log_dir: &Path) -> Daemon {
    let mut command = common::rstat();
    command
        .args(["push", "--url", url, "--batch-size", "4", "--dir"])
        .arg(data)
        .arg("--state")
        .arg(state);
    Daemon::start("push", command, log_dir)
}

fn victoria_metrics(dir: &Path, port: u16) -> Daemon {
    let mut command = Command::new("victoria-metrics");
    command
        .arg(format!("-storageDataPath={}", dir.join("vm").display()))
        .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
        .arg("-retentionPeriod=1d")
        // A batch sent again after SIGKILL is the same samples: kept once.
        .arg("-dedup.minScrapeInterval=1ms")
        // Answer with what was just written (default: hide the last 30 s).
        .arg("-search.latencyOffset=0s")
        .arg("-loggerLevel=ERROR");
    let daemon = Daemon::start("victoria-metrics", command, dir);
    wait_for(
        "VictoriaMetrics to be ready",
        Duration::from_secs(60),
        || http_get(&format!("http://127.0.0.1:{port}/health")).filter(|(code, _)| *code == 200),
    );
    daemon
}

/// The outage scenario against one receiver; `start` (re)starts it on the same storage.
fn survives_an_outage(
    work: &Path,
    base: &str,
    write_path: &str,
    mut start: impl FnMut() -> Daemon,
    flush: impl Fn(),
) {
    let data = work.join("data");
    std::fs::create_dir(&data).unwrap();
    let state = work.join("push.state");
    let mut receiver = start();
    let mut collector = common::daemons::collector(&data, "1s", SAMPLES, work);
    wait_for("the first day file", Duration::from_secs(20), || {
        std::fs::read_dir(&data).ok()?.next().and_then(Result::ok)
    });
    let url = format!("{base}{write_path}");
    let mut pusher = push(&url, &data, &state, work);
    wait_for(
        "the first samples to arrive",
        Duration::from_secs(30),
        || {
            flush();
            query_one(base, "count_over_time(rstat_sample_timestamp_seconds[10m])")
                .filter(|n| *n >= 2.0)
        },
    );

    // The receiver goes away; collection goes on; push is killed and restarted meanwhile.
    receiver.stop();
    let down = Instant::now();
    std::thread::sleep(Duration::from_secs(8));
    pusher.kill();
    let mut pusher = push(&url, &data, &state, work);
    std::thread::sleep(OUTAGE.saturating_sub(down.elapsed()));
    assert!(down.elapsed() >= Duration::from_secs(30));
    let _receiver = start();

    let status = collector
        .wait(Duration::from_secs(90))
        .expect("the collector finished");
    assert!(status.success(), "{}", collector.log());
    let expected = f64::from(SAMPLES);
    let count = wait_for("catch-up", Duration::from_secs(60), || {
        flush();
        query_one(base, "count_over_time(rstat_sample_timestamp_seconds[10m])")
            .filter(|n| *n >= expected)
    });
    assert_eq!(count, expected, "every sample once:\n{}", pusher.log());
    // Every sample's timestamp, each once, and one series per name: no duplicates.
    let distinct = query(base, "count_over_time(node_load1[10m])");
    assert_eq!(distinct.len(), 1, "{distinct:?}");
    assert_eq!(distinct[0].1, expected);
    let cpu = query(base, "count_over_time(node_cpu_seconds_total[10m])");
    assert!(!cpu.is_empty());
    for (labels, n) in &cpu {
        assert_eq!(*n, expected, "{labels:?}");
    }
    assert!(pusher.log().contains("retrying"), "{}", pusher.log());
    pusher.stop();
}

#[test]
fn prometheus_receives_every_sample_across_an_outage_and_a_kill() {
    if !have("prometheus", "prometheus") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let prom_dir = work.path().join("prom");
    std::fs::create_dir(&prom_dir).unwrap();
    survives_an_outage(
        work.path(),
        &format!("http://127.0.0.1:{port}"),
        "/api/v1/write",
        || prometheus(&prom_dir, port, "  []\n"),
        || {},
    );
}

#[test]
fn victoria_metrics_receives_every_sample_across_an_outage_and_a_kill() {
    if !have("victoria-metrics", "victoria-metrics") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let dir = work.path().to_path_buf();
    let base = format!("http://127.0.0.1:{port}");
    survives_an_outage(
        work.path(),
        &base,
        "/api/v1/write",
        || victoria_metrics(&dir, port),
        || {
            let _ = http_get(&format!("{base}/internal/force_flush"));
        },
    );
}
