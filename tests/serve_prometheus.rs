//! `rstat serve` scraped by a real Prometheus (Debian package prometheus): the figures
//! Prometheus computes from rstat's counters agree with `rstat report` over the same samples,
//! both text formats pass `promtool check metrics`, and with TLS and basic auth an
//! unauthenticated scrape gets 401 while an authenticated one succeeds.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::daemons::{free_port, have, http_get, prometheus, query, query_one, wait_for, Daemon};

fn serve(dir: &Path, port: u16, extra: &[&str], log_dir: &Path) -> Daemon {
    let mut command = common::rstat();
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--dir"])
        .arg(dir)
        .args(extra);
    let daemon = Daemon::start(&format!("serve-{port}"), command, log_dir);
    wait_for("rstat serve to listen", Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    });
    daemon
}

/// The `Average:` row of a report as column name -> value.
fn report_average(
    args: &[String],
    file: &Path,
    key_column: Option<(&str, &str)>,
) -> Vec<(String, String)> {
    let output = common::rstat()
        .arg("report")
        .args(args)
        .arg("-f")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let marker = if args.iter().any(|a| a == "-u") {
        "%idle"
    } else {
        "wkB/s"
    };
    let header: Vec<&str> = text
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == marker))
        .unwrap_or_else(|| panic!("no header in\n{text}"))
        .split_whitespace()
        .skip(1)
        .collect();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("Average:"))
        .map(|l| l.split_whitespace().skip(1).collect())
        .collect();
    let row = rows
        .iter()
        .find(|r| {
            key_column.is_none_or(|(col, want)| {
                header
                    .iter()
                    .position(|h| *h == col)
                    .is_some_and(|i| r.get(i) == Some(&want))
            })
        })
        .unwrap_or_else(|| panic!("no Average row for {key_column:?} in\n{text}"));
    header
        .iter()
        .map(|h| h.to_string())
        .zip(row.iter().map(|v| v.to_string()))
        .collect()
}

fn column(row: &[(String, String)], name: &str) -> f64 {
    row.iter()
        .find(|(h, _)| h == name)
        .unwrap_or_else(|| panic!("no {name} in {row:?}"))
        .1
        .parse()
        .unwrap()
}

/// The first and last samples Prometheus scraped, as `rstat report` options that select
/// exactly them (`--utc -s FIRST -e LAST`, to the second: samples are two seconds apart), and
/// the seconds between them.
fn seen_period(base: &str) -> (Vec<String>, f64) {
    let first = query_one(base, "min_over_time(rstat_sample_timestamp_seconds[1m])").unwrap();
    let last = query_one(base, "max_over_time(rstat_sample_timestamp_seconds[1m])").unwrap();
    let utc = |seconds: f64| {
        chrono::DateTime::from_timestamp(seconds as i64, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let period = vec![
        "--utc".to_string(),
        "-s".to_string(),
        utc(first.floor()),
        "-e".to_string(),
        utc(last.ceil()),
    ];
    (period, last - first)
}

/// The seconds `rstat export --csv` gives the intervals of `device` over `args`, added up.
fn interval_seconds(args: &[String], file: &Path, device: &str) -> f64 {
    let output = common::rstat()
        .args(["export", "--csv"])
        .args(args)
        .arg("-f")
        .arg(file)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no {name} column in\n{text}"))
    };
    let (interval, dev) = (at("interval"), at("DEV"));
    let seconds: f64 = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|row| row[dev] == device)
        .map(|row| row[interval].parse::<f64>().unwrap())
        .sum();
    assert!(seconds > 0.0, "no interval of {device} in\n{text}");
    seconds
}

/// Runs `command` with `input` on its standard input; what it printed and its status.
fn run_with_input(mut command: Command, input: &str) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `promtool check metrics` on a body: it must say nothing but the one lint it applies to
/// node_exporter's own names, which rstat keeps on purpose (`node_memory_MemAvailable_bytes`
/// is "camelCase" to promtool, and to node_exporter's output alike).
fn promtool_check(body: &str, what: &str) {
    let mut promtool = Command::new("promtool");
    promtool.args(["check", "metrics"]);
    let output = run_with_input(promtool, body);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let camel = "metric names should be written in 'snake_case' not 'camelCase'";
    let other: Vec<&str> = said
        .lines()
        .filter(|l| !(l.starts_with("node_memory_") && l.ends_with(camel)))
        .collect();
    assert!(
        other.is_empty(),
        "promtool check metrics on the {what} format said:\n{said}"
    );
    assert!(said.contains("node_memory_MemAvailable_bytes"), "{said}");
}

/// Python with the Prometheus client library (Debian's python3-prometheus-client).
const PYTHON: &str = "/usr/bin/python3";

/// Parses an OpenMetrics body with `prometheus_client.openmetrics.parser`, a strict parser of
/// the OpenMetrics 1.0 text format (names, `_total` suffixes, escaping, `# EOF`): any parse
/// error fails; every `# TYPE` line must come back as a family with its points.
fn openmetrics_check(body: &str) {
    let parse = "import sys\n\
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse\n\
for f in parse(sys.stdin.read()):\n    print(f.name, f.type, len(f.samples))\n";
    let mut python = Command::new(PYTHON);
    python.args(["-c", parse]);
    let output = run_with_input(python, body);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the OpenMetrics parser refused the body: {stderr}"
    );
    let families: Vec<(String, String, usize)> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].parse().unwrap(),
            )
        })
        .collect();
    let typed = body.lines().filter(|l| l.starts_with("# TYPE ")).count();
    assert_eq!(families.len(), typed, "{families:?}");
    assert!(
        families.iter().all(|(_, _, points)| *points > 0),
        "{families:?}"
    );
    assert!(
        families
            .iter()
            .any(|(name, kind, _)| name == "node_cpu_seconds" && kind == "counter"),
        "{families:?}"
    );
}

/// Whether the OpenMetrics parser is installed; says why the test is skipped when not.
fn have_openmetrics_parser() -> bool {
    let found = Command::new(PYTHON)
        .args(["-c", "import prometheus_client.openmetrics.parser"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("{PYTHON} cannot import prometheus_client: skipping (CI installs the Debian package python3-prometheus-client)");
    }
    found
}

#[test]
fn prometheus_scrapes_serve_and_agrees_with_report() {
    if !have("prometheus", "prometheus")
        || !have("promtool", "prometheus")
        || !have_openmetrics_parser()
    {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let serve_port = free_port();
    // Serve and Prometheus first, the collector after: Prometheus is scraping every second
    // while a sample is taken every two. On a loaded machine a scrape can still be late or
    // time out and miss the first or last sample: report is then run over the samples
    // Prometheus did see (`seen_period`), so both sides average over the same intervals.
    let mut server = serve(&data, serve_port, &[], work.path());
    let (code, _) = http_get(&format!("http://127.0.0.1:{serve_port}/metrics")).unwrap();
    assert_eq!(code, 503, "no day file yet: nothing to serve");
    let prom_port = free_port();
    let prom_dir = work.path().join("prom");
    std::fs::create_dir(&prom_dir).unwrap();
    let mut prom = prometheus(
        &prom_dir,
        prom_port,
        &format!("  - job_name: rstat\n    static_configs:\n      - targets: ['127.0.0.1:{serve_port}']\n"),
    );
    let base = format!("http://127.0.0.1:{prom_port}");
    // Prometheus starts scraping a few seconds after it is ready (discovery is throttled).
    wait_for("the first scrape", Duration::from_secs(30), || {
        query_one(&base, "up")
    });
    let mut collector = common::daemons::collector(&data, "2s", 6, work.path());
    let status = collector
        .wait(Duration::from_secs(60))
        .expect("the collector finished");
    assert!(status.success(), "{}", collector.log());
    // The moment the collector stopped: from then on the served sample ages and is rightly
    // flagged stale once older than two intervals (a late scrape on a loaded machine can
    // catch that), so freshness is judged up to here.
    let collector_done = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let file = common::daemons::only_day_file(&data);
    // Two more scrapes of the final sample.
    std::thread::sleep(Duration::from_secs(3));

    let seen = query_one(&base, "count_over_time(rstat_sample_timestamp_seconds[1m])").unwrap();
    assert_eq!(
        query_one(
            &base,
            &format!("max_over_time(rstat_sample_stale[1m] @ {collector_done:.3})")
        ),
        Some(0.0),
        "fresh while the collector ran"
    );
    assert!(seen >= 7.0, "Prometheus scraped {seen} times");
    let (period, span) = seen_period(&base);
    assert!(span >= 4.0, "Prometheus saw samples over only {span} s");
    let over_period = |options: &[&'static str]| -> Vec<String> {
        options
            .iter()
            .map(|o| o.to_string())
            .chain(period.iter().cloned())
            .collect()
    };

    // CPU: the idle share of the CPU time Prometheus' rates give over the test equals
    // report's average %idle over the same samples' intervals.
    let rates = query(&base, "sum by (mode) (rate(node_cpu_seconds_total[1m]))");
    let total: f64 = rates.iter().map(|(_, v)| v).sum();
    let idle = rates
        .iter()
        .find(|(l, _)| l["mode"] == "idle")
        .map(|(_, v)| *v)
        .unwrap();
    assert!(total > 0.0, "{rates:?}");
    let average = report_average(&over_period(&["-u"]), &file, None);
    let idle_pct = column(&average, "%idle");
    let prom_idle_pct = idle / total * 100.0;
    assert!(
        (prom_idle_pct - idle_pct).abs() < 0.6,
        "Prometheus: {prom_idle_pct:.2}% idle, rstat report: {idle_pct}%"
    );

    // Memory: the served gauge is the last sample's MemAvailable, report -r's last kbavail.
    let available = query_one(&base, "node_memory_MemAvailable_bytes").unwrap();
    let output = common::rstat()
        .args(["report", "-r"])
        .args(&period)
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let header_line = text.lines().find(|l| l.contains("kbavail")).unwrap();
    let index = header_line
        .split_whitespace()
        .position(|w| w == "kbavail")
        .unwrap();
    let last = text
        .lines()
        .rev()
        .find(|l| {
            !l.starts_with("Average")
                && !l.contains("kbavail")
                && l.split_whitespace().count() > index
        })
        .unwrap();
    let kbavail: f64 = last.split_whitespace().nth(index).unwrap().parse().unwrap();
    assert_eq!(
        available,
        kbavail * 1024.0,
        "node_memory_MemAvailable_bytes"
    );

    // A disk counter: the bytes Prometheus saw written from the first to the last sample
    // against report -d's average wkB/s times the seconds it averages over. Those seconds are
    // the kernel's uptime between the samples (as sar's), not the samples' timestamps: under
    // load the two differ by up to a second, so a rate over the timestamps would not agree.
    // They are the interval column of `rstat export --csv` over the same samples.
    let written = query(
        &base,
        "max_over_time(node_disk_written_bytes_total[1m]) - min_over_time(node_disk_written_bytes_total[1m])",
    );
    let (labels, bytes) = written
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("node_disk_written_bytes_total has series");
    let device = labels["device"].as_str().unwrap();
    let disk = report_average(&over_period(&["-d", "-p"]), &file, Some(("DEV", device)));
    let wkb = column(&disk, "wkB/s");
    let seconds = interval_seconds(&over_period(&["-d"]), &file, device);
    let prom_kb = bytes / 1024.0;
    let report_kb = wkb * seconds;
    // wkB/s is printed to 0.01: at most 0.005 kB/s off over `seconds` (and 1 kB of float).
    assert!(
        (prom_kb - report_kb).abs() <= 0.005 * seconds + 1.0,
        "{device}: Prometheus saw {prom_kb:.1} kB written, rstat report {wkb} wkB/s over {seconds} s"
    );
    assert!(
        query(&base, "rate(node_disk_written_bytes_total[1m]) >= 0").len() == written.len(),
        "rates of every device are defined"
    );

    // Both text formats pass promtool's checks.
    let (code, text) = http_get(&format!("http://127.0.0.1:{serve_port}/metrics")).unwrap();
    assert_eq!(code, 200);
    assert!(
        text.contains("\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} "),
        "{text}"
    );
    promtool_check(&text, "Prometheus text");
    let open = ureq::get(&format!("http://127.0.0.1:{serve_port}/metrics"))
        .set("Accept", "application/openmetrics-text;version=1.0.0")
        .call()
        .unwrap();
    assert!(open
        .content_type()
        .starts_with("application/openmetrics-text"));
    let open = open.into_string().unwrap();
    assert!(open.ends_with("# EOF\n"));
    assert!(open.contains("# TYPE node_cpu_seconds counter\nnode_cpu_seconds_total{"));
    // promtool 2.42's `check metrics` reads only the classic format: the OpenMetrics body
    // goes through the OpenMetrics parser of the Prometheus Python client (and Prometheus
    // itself asked for and parsed it: its Accept header puts OpenMetrics first).
    openmetrics_check(&open);
    assert_eq!(query_one(&base, "up"), Some(1.0));
    // Once the sample is older than two intervals (2 s each), it is flagged, still served.
    wait_for(
        "the sample to be flagged stale",
        Duration::from_secs(15),
        || {
            let (code, text) = http_get(&format!("http://127.0.0.1:{serve_port}/metrics"))?;
            (code == 200 && text.contains("\nrstat_sample_stale 1\n")).then_some(())
        },
    );

    prom.stop();
    server.stop();
}

#[test]
fn tls_and_basic_auth_refuse_strangers() {
    if !have("prometheus", "prometheus") || !have("openssl", "openssl") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    let mut collector = common::daemons::collector(&data, "100ms", 1, dir);
    assert!(collector.wait(Duration::from_secs(30)).unwrap().success());
    common::daemons::certificate_authority(dir);
    let hash = bcrypt::hash("s3cret", 4).unwrap();
    std::fs::write(
        dir.join("web.yml"),
        format!("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prom: '{hash}'\n"),
    )
    .unwrap();
    let port = free_port();
    let web = dir.join("web.yml");
    let mut server = serve(
        &data,
        port,
        &["--web.config.file", web.to_str().unwrap()],
        dir,
    );
    let prom_port = free_port();
    let crt = dir.join("ca.crt");
    let job = |name: &str, auth: &str| {
        format!(
            "  - job_name: {name}\n    scheme: https\n    tls_config:\n      ca_file: {}\n{auth}    static_configs:\n      - targets: ['127.0.0.1:{port}']\n",
            crt.display()
        )
    };
    let jobs = job(
        "authenticated",
        "    basic_auth:\n      username: prom\n      password: s3cret\n",
    ) + &job("stranger", "")
        + &job(
            "wrong",
            "    basic_auth:\n      username: prom\n      password: guess\n",
        );
    let prom_dir = dir.join("prom");
    std::fs::create_dir(&prom_dir).unwrap();
    let mut prom = prometheus(&prom_dir, prom_port, &jobs);
    let base = format!("http://127.0.0.1:{prom_port}");
    let up = wait_for("three scrapes", Duration::from_secs(30), || {
        let up = query(&base, "up");
        (up.len() == 3).then_some(up)
    });
    for (labels, value) in &up {
        let expected = if labels["job"] == "authenticated" {
            1.0
        } else {
            0.0
        };
        assert_eq!(*value, expected, "{labels:?}");
    }
    let errors = ureq::get(&format!("{base}/api/v1/targets"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(errors.contains("401 Unauthorized"), "{errors}");
    assert!(query_one(&base, "node_load1{job=\"authenticated\"}").is_some());
    assert!(query(&base, "node_load1{job!=\"authenticated\"}").is_empty());
    prom.stop();
    server.stop();
}

#[test]
fn process_series_only_when_asked_and_only_the_top_n() {
    let work = tempfile::tempdir().unwrap();
    let fetch = |extra: &[&str]| {
        let port = free_port();
        let mut command = common::rstat();
        command
            .args(["serve", "--live", "--interval", "200ms", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .args(extra);
        let mut server = Daemon::start(&format!("live-{port}"), command, work.path());
        let text = wait_for("a live sample", Duration::from_secs(20), || {
            http_get(&format!("http://127.0.0.1:{port}/metrics"))
                .and_then(|(code, text)| (code == 200).then_some(text))
        });
        server.stop();
        text
    };
    let plain = fetch(&[]);
    assert!(plain.contains("\nnode_load1 "), "{plain}");
    assert!(!plain.contains("rstat_process_"), "off by default");
    assert!(!plain.contains("rstat_cgroup_"), "off by default");
    let top = fetch(&["--processes", "3", "--cgroups", "2"]);
    let pids = top
        .lines()
        .filter(|l| l.starts_with("rstat_process_cpu_seconds_total{"))
        .count();
    assert_eq!(pids, 3, "{top}");
    let rss = top
        .lines()
        .filter(|l| l.starts_with("rstat_process_resident_memory_bytes{pid=\""))
        .count();
    assert_eq!(rss, 3);
    let groups = top
        .lines()
        .filter(|l| l.starts_with("rstat_cgroup_cpu_seconds_total{"))
        .count();
    assert!(groups <= 2, "{top}");
}

#[test]
fn oversized_requests_and_too_many_connections_are_bounded() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut collector = common::daemons::collector(&data, "100ms", 1, work.path());
    assert!(collector.wait(Duration::from_secs(30)).unwrap().success());
    let port = free_port();
    let mut server = serve(&data, port, &["--max-connections", "4"], work.path());
    let ask = |request: &[u8]| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let _ = stream.write_all(request);
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    // A request head larger than 8 KiB is refused (9 KiB: all of it is read, so the close
    // is not a reset that would lose the answer).
    let mut huge = b"GET /metrics HTTP/1.1\r\nX-Junk: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 9000));
    assert!(ask(&huge).starts_with("HTTP/1.1 431 "));
    assert!(ask(b"POST /metrics HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
    assert!(ask(b"GET /nothing HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
    assert!(ask(b"GET / HTTP/1.1\r\n\r\n").contains("/metrics"));
    // Four silent clients hold every slot: the fifth is answered 503 at once. A slot of the
    // requests above may be freed a little after their answer (a loaded machine): a silent
    // client answered 503 meanwhile is replaced until four are held.
    let mut silent: Vec<TcpStream> = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while silent.len() < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "four slots never held"
        );
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        stream.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let refused =
            !matches!(stream.peek(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
        if !refused {
            silent.push(stream);
        }
    }
    assert!(ask(b"GET /metrics HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 503 "));
    // The silent ones are dropped at the 10 s deadline; then scrapes are served again.
    let answer = wait_for("a free slot", Duration::from_secs(20), || {
        let answer = ask(b"GET /metrics HTTP/1.1\r\n\r\n");
        answer.starts_with("HTTP/1.1 200 ").then_some(answer)
    });
    assert!(answer.contains("\nnode_load1 "));
    drop(silent);
    server.stop();
}

#[test]
fn serve_f_serves_the_newest_sample_of_a_sysstat_file_as_sadc_grows_it() {
    const SADC: &str = "/usr/lib/sysstat/sadc";
    assert!(
        Path::new(SADC).exists(),
        "{SADC} missing: apt-get install sysstat (.ci/run does)"
    );
    let work = tempfile::tempdir().unwrap();
    let sa = work.path().join("sa27");
    let sadc = |args: &[&str]| {
        let status = Command::new(SADC).args(args).arg(&sa).status().unwrap();
        assert!(status.success(), "sadc {args:?}");
    };
    sadc(&["-S", "XALL", "1", "2"]);
    let port = free_port();
    let mut command = common::rstat();
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "-f"])
        .arg(&sa);
    let mut server = Daemon::start(&format!("serve-sa-{port}"), command, work.path());
    let scrape = || {
        wait_for("a scrape of the sa file", Duration::from_secs(20), || {
            http_get(&format!("http://127.0.0.1:{port}/metrics"))
                .and_then(|(code, text)| (code == 200).then_some(text))
        })
    };
    let value = |text: &str, name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
    };
    let first = scrape();
    // sadc recorded this machine's memory: the same total /proc/meminfo gives.
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let total_kb: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap();
    assert_eq!(
        value(&first, "node_memory_MemTotal_bytes"),
        total_kb * 1024.0
    );
    assert!(first.contains("\nnode_cpu_seconds_total{"), "{first}");
    let age = value(&first, "rstat_sample_age_seconds");
    assert!((0.0..60.0).contains(&age), "age {age}");
    let taken = value(&first, "rstat_sample_timestamp_seconds");

    // sadc appends a sample 2 s later: the next scrape serves it (taken at least 2 s later).
    std::thread::sleep(Duration::from_secs(2));
    sadc(&["-S", "XALL", "1", "1"]);
    let second = wait_for("the appended sample", Duration::from_secs(20), || {
        let text = scrape();
        (value(&text, "rstat_sample_timestamp_seconds") >= taken + 2.0).then_some(text)
    });
    assert_eq!(
        value(&second, "node_memory_MemTotal_bytes"),
        total_kb * 1024.0
    );
    server.stop();
}

#[test]
fn staleness_is_measured_against_the_interval_the_file_shows() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // A configuration whose interval is not the collector's: the file tells the truth.
    let config = work.path().join("rstat.toml");
    std::fs::write(&config, "[collect]\ninterval = \"1h\"\n").unwrap();
    let mut collector = common::daemons::collector(&data, "200ms", 4, work.path());
    assert!(collector.wait(Duration::from_secs(30)).unwrap().success());
    // The last sample is now older than two of the file's intervals (0.4 s) whatever the
    // load: it was taken before the collector ended.
    std::thread::sleep(Duration::from_secs(1));
    // A serve started now (after a restart, say) has not yet seen two samples of its own.
    let port = free_port();
    let mut command = common::rstat();
    command
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--dir"])
        .arg(&data);
    let mut server = Daemon::start(&format!("serve-{port}"), command, work.path());
    let text = wait_for("serve to answer", Duration::from_secs(20), || {
        http_get(&format!("http://127.0.0.1:{port}/metrics"))
            .and_then(|(code, text)| (code == 200).then_some(text))
    });
    let age: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("rstat_sample_age_seconds "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(age >= 1.0, "{age}");
    assert!(text.contains("\nrstat_sample_stale 1\n"), "{text}");
    server.stop();
}
