//! `rstat push` into a real Prometheus remote-write receiver and a real VictoriaMetrics
//! (Debian packages prometheus and victoria-metrics): the receiver is down for more than 30 s
//! while collection goes on, push is killed with SIGKILL once and restarted; after catch-up
//! every collected sample is in the receiver exactly once. And push's TLS CA file, bearer
//! token and basic auth against VictoriaMetrics behind vmauth (its authenticating proxy, in
//! the same Debian package) serving HTTPS.

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

/// `rstat push --once` of `data` with `config` as rstat.toml, started as `name`.
fn push_once(name: &str, config: &Path, url: &str, data: &Path, state: &Path) -> Daemon {
    let mut command = common::rstat();
    command
        .arg("--config")
        .arg(config)
        .args(["push", "--once", "--url", url, "--dir"])
        .arg(data)
        .arg("--state")
        .arg(state);
    Daemon::start(name, command, state.parent().unwrap())
}

/// The exit status of a `push --once` and what it said.
fn finished(mut push: Daemon) -> (Option<i32>, String) {
    let status = push.wait(Duration::from_secs(120));
    let log = push.log();
    let status = status.unwrap_or_else(|| panic!("push --once did not finish:\n{log}"));
    (status.code(), log)
}

/// `count` samples of this machine, 100 ms apart, in a new data directory `dir/name`.
fn collected(dir: &Path, name: &str, count: u32) -> std::path::PathBuf {
    let data = dir.join(name);
    std::fs::create_dir(&data).unwrap();
    let mut collector = common::daemons::collector(&data, "100ms", count, dir);
    let status = collector.wait(Duration::from_secs(60)).expect("collected");
    assert!(status.success(), "{}", collector.log());
    data
}

#[test]
fn tls_ca_bearer_token_and_basic_auth_reach_an_authenticating_receiver() {
    if !have("victoria-metrics", "victoria-metrics")
        || !have("vmauth", "victoria-metrics")
        || !have("openssl", "openssl")
    {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let vm_port = free_port();
    let _vm = victoria_metrics(dir, vm_port);
    common::daemons::certificate_authority(dir);
    let auth_port = free_port();
    let upstream = format!("http://127.0.0.1:{vm_port}");
    std::fs::write(
        dir.join("auth.yml"),
        format!(
            "users:\n  - bearer_token: 'token-0f3a'\n    url_prefix: '{upstream}'\n  \
             - username: pusher\n    password: 'pass-9c1e'\n    url_prefix: '{upstream}'\n"
        ),
    )
    .unwrap();
    let mut vmauth = Command::new("vmauth");
    vmauth
        .arg(format!("-auth.config={}", dir.join("auth.yml").display()))
        .arg(format!("-httpListenAddr=127.0.0.1:{auth_port}"))
        .arg("-tls")
        .arg(format!("-tlsCertFile={}", dir.join("server.crt").display()))
        .arg(format!("-tlsKeyFile={}", dir.join("server.key").display()))
        .arg("-loggerLevel=ERROR");
    let _vmauth = Daemon::start("vmauth", vmauth, dir);
    let url = format!("https://127.0.0.1:{auth_port}/api/v1/write");
    let ca = dir.join("ca.crt");
    std::fs::write(dir.join("token"), "token-0f3a\n").unwrap();
    std::fs::write(dir.join("password"), "pass-9c1e\n").unwrap();
    std::fs::write(dir.join("wrong-token"), "token-bad\n").unwrap();
    let config = |name: &str, keys: &str| {
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!("[push]\ntls_ca_file = \"{}\"\n{keys}", ca.display()),
        )
        .unwrap();
        path
    };
    let bearer = config(
        "bearer.toml",
        &format!("bearer_token_file = \"{}\"\n", dir.join("token").display()),
    );
    let basic = config(
        "basic.toml",
        &format!(
            "basic_auth_username = \"pusher\"\nbasic_auth_password_file = \"{}\"\n",
            dir.join("password").display()
        ),
    );
    let wrong = config(
        "wrong.toml",
        &format!(
            "bearer_token_file = \"{}\"\n",
            dir.join("wrong-token").display()
        ),
    );
    wait_for("vmauth to listen", Duration::from_secs(30), || {
        std::net::TcpStream::connect(("127.0.0.1", auth_port)).ok()
    });
    let first = collected(dir, "first", 3);
    let second = collected(dir, "second", 4);
    let base = format!("http://127.0.0.1:{vm_port}");
    let arrived = |expected: f64| {
        wait_for(
            "the samples in VictoriaMetrics",
            Duration::from_secs(30),
            || {
                let _ = http_get(&format!("{base}/internal/force_flush"));
                query_one(&base, "count_over_time(rstat_sample_timestamp_seconds[1h])")
                    .filter(|n| *n >= expected)
            },
        )
    };

    // A wrong token: refused by vmauth (400 "cannot find the provided auth token" in 1.79,
    // 401 in later versions), a configuration error: exit status 2, said once.
    let (code, said) = finished(push_once(
        "wrong",
        &wrong,
        &url,
        &first,
        &dir.join("wrong.state"),
    ));
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("HTTP 400") || said.contains("HTTP 401"),
        "{said}"
    );
    // The bearer token, over TLS checked against the CA file.
    let (code, said) = finished(push_once(
        "bearer",
        &bearer,
        &url,
        &first,
        &dir.join("bearer.state"),
    ));
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(arrived(3.0), 3.0);
    // Basic auth: the second directory's samples (later timestamps) join them.
    let (code, said) = finished(push_once(
        "basic",
        &basic,
        &url,
        &second,
        &dir.join("basic.state"),
    ));
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(arrived(7.0), 7.0);

    // Without the CA file the certificate is not trusted: push says so and keeps retrying
    // (the samples stay in the day files); nothing more arrives.
    let untrusted = dir.join("untrusted.toml");
    std::fs::write(
        &untrusted,
        format!(
            "[push]\nbearer_token_file = \"{}\"\n",
            dir.join("token").display()
        ),
    )
    .unwrap();
    let mut pusher = push_once(
        "untrusted",
        &untrusted,
        &url,
        &second,
        &dir.join("untrusted.state"),
    );
    let said = wait_for(
        "push to report the certificate",
        Duration::from_secs(30),
        || {
            let log = pusher.log();
            log.contains("retrying").then_some(log)
        },
    );
    assert!(said.to_lowercase().contains("certificate"), "{said}");
    assert!(!dir.join("untrusted.state").exists());
    pusher.kill();
}

#[test]
fn process_and_cgroup_series_only_when_asked_and_only_the_top_n() {
    if !have("victoria-metrics", "victoria-metrics") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let port = free_port();
    let _vm = victoria_metrics(dir, port);
    let base = format!("http://127.0.0.1:{port}");
    // Processes and cgroups recorded (the collector's default).
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    let mut command = common::rstat();
    command
        .args(["collect", "-i", "200ms", "--count", "3", "--dir"])
        .arg(&data);
    let mut collector = Daemon::start("collector", command, dir);
    let status = collector.wait(Duration::from_secs(60)).expect("collected");
    assert!(status.success(), "{}", collector.log());
    let url = format!("{base}/api/v1/write");
    let push = |name: &str, extra: &[&str]| {
        let mut command = common::rstat();
        command
            .args(["push", "--once", "--url", &url, "--dir"])
            .arg(&data)
            .arg("--state")
            .arg(dir.join(format!("{name}.state")))
            .args(extra);
        let (code, said) = finished(Daemon::start(name, command, dir));
        assert_eq!(code, Some(0), "{said}");
    };
    let points = |promql: &str| {
        let _ = http_get(&format!("{base}/internal/force_flush"));
        query(&base, &format!("sum(count_over_time({promql}[1h]))"))
            .first()
            .map_or(0.0, |r| r.1)
    };

    push("plain", &[]);
    wait_for("the samples", Duration::from_secs(30), || {
        (points("node_load1") >= 3.0).then_some(())
    });
    assert_eq!(
        points("rstat_process_cpu_seconds_total"),
        0.0,
        "off by default"
    );
    assert_eq!(
        points("rstat_cgroup_cpu_seconds_total"),
        0.0,
        "off by default"
    );

    push("top", &["--processes", "3", "--cgroups", "2"]);
    // Three processes in each of the three samples; at most two groups in each.
    let processes = wait_for("the process series", Duration::from_secs(30), || {
        let n = points("rstat_process_cpu_seconds_total");
        (n >= 9.0).then_some(n)
    });
    assert_eq!(processes, 9.0);
    assert_eq!(points("rstat_process_resident_memory_bytes"), 9.0);
    assert!(points("rstat_cgroup_cpu_seconds_total") <= 6.0);
    assert_eq!(points("node_load1"), 3.0, "the same samples, kept once");
}

#[test]
fn a_url_that_does_not_parse_is_refused_at_start() {
    let work = tempfile::tempdir().unwrap();
    let data = collected(work.path(), "data", 1);
    for url in [
        "http://",
        "http://[::1/api/v1/write",
        "http://host:port/api/v1/write",
    ] {
        let mut command = common::rstat();
        command
            .args(["push", "--once", "--url", url, "--dir"])
            .arg(&data)
            .arg("--state")
            .arg(work.path().join("push.state"));
        let mut push = Daemon::start("bad-url", command, work.path());
        // Refused before anything is sent: no retry loop on a URL no retry can fix.
        let status = push.wait(Duration::from_secs(30));
        let said = push.log();
        std::fs::remove_file(work.path().join("bad-url.log")).unwrap();
        assert_eq!(status.and_then(|s| s.code()), Some(1), "{url}: {said}");
        assert_eq!(said.lines().count(), 1, "{url}: {said}");
        assert!(
            said.starts_with(&format!("rstat: --url {url}: ")) && said.contains("api/v1/write"),
            "{url}: {said}"
        );
    }
}
