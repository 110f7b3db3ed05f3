//! Real servers for the many-hosts tests (Prometheus, VictoriaMetrics, node_exporter, rstat
//! serve/push/collect): started on 127.0.0.1 with free ports, their output kept in a file for
//! the failure message, and killed when the guard is dropped (also when a test panics).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `program` is installed; says why the test is skipped when not.
pub fn have(program: &str, package: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "{program} is not installed: skipping (CI installs the Debian package {package})"
        );
    }
    found
}

/// A running process, killed on drop.
pub struct Daemon {
    pub name: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Daemon {
    /// Starts `command` with its output in `log_dir/name.log`.
    pub fn start(name: &str, mut command: Command, log_dir: &Path) -> Daemon {
        let log = log_dir.join(format!("{name}.log"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = command
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Daemon {
            name: name.to_string(),
            child: Some(child),
            log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// What it printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, and reaped.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then waits (SIGKILL after 20 s).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits for the process to end by itself; its exit status.
    pub fn wait(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let child = self.child.as_mut()?;
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` every 200 ms until it gives a value; panics after `timeout` with `what`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// GET `url`: status and body (any status; `None` when nothing answers).
pub fn http_get(url: &str) -> Option<(u16, String)> {
    match ureq::get(url).timeout(Duration::from_secs(10)).call() {
        Ok(r) => Some((r.status(), r.into_string().unwrap_or_default())),
        Err(ureq::Error::Status(code, r)) => Some((code, r.into_string().unwrap_or_default())),
        Err(_) => None,
    }
}

/// A Prometheus-API instant query (Prometheus or VictoriaMetrics at `base`): each result's
/// labels and value.
pub fn query(base: &str, promql: &str) -> Vec<(serde_json::Map<String, serde_json::Value>, f64)> {
    let response = ureq::get(&format!("{base}/api/v1/query"))
        .query("query", promql)
        .timeout(Duration::from_secs(10))
        .call()
        .unwrap_or_else(|e| panic!("query {promql}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&response.into_string().unwrap()).unwrap();
    assert_eq!(json["status"], "success", "{promql}: {json}");
    json["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let labels = r["metric"].as_object().cloned().unwrap_or_default();
            let value: f64 = r["value"][1].as_str().unwrap().parse().unwrap();
            (labels, value)
        })
        .collect()
}

/// The single value of a query that yields one series, if it yields one.
pub fn query_one(base: &str, promql: &str) -> Option<f64> {
    let result = query(base, promql);
    (result.len() == 1).then(|| result[0].1)
}

/// A Prometheus server with its storage in `dir`, scraping per `scrape_configs` (YAML, the
/// list's items), with the remote-write receiver on.
pub fn prometheus(dir: &Path, port: u16, scrape_configs: &str) -> Daemon {
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n{scrape_configs}"),
    )
    .unwrap();
    let mut command = Command::new("prometheus");
    command
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--web.enable-remote-write-receiver")
        .arg("--log.level=warn");
    let daemon = Daemon::start("prometheus", command, dir);
    let base = format!("http://127.0.0.1:{port}");
    wait_for("Prometheus to be ready", Duration::from_secs(60), || {
        http_get(&format!("{base}/-/ready")).filter(|(code, _)| *code == 200)
    });
    daemon
}

/// `rstat collect` of this machine into `dir` every `interval`, `count` samples.
pub fn collector(dir: &Path, interval: &str, count: u32, log_dir: &Path) -> Daemon {
    let mut command = super::rstat();
    command
        .args(["collect", "--no-processes", "--no-cgroups", "-i", interval])
        .args(["--count", &count.to_string(), "--dir"])
        .arg(dir);
    Daemon::start("collector", command, log_dir)
}

/// The one day file in `dir` (a test that crosses midnight has two and says so).
pub fn only_day_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rstat"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one day file expected (did the test cross midnight?): {files:?}"
    );
    files.into_iter().next().unwrap()
}

/// A test CA (`ca.crt`) and a server certificate it signed for 127.0.0.1 (`server.crt`,
/// key `server.key`) in `dir`, made by openssl. (rustls, rightly, refuses a self-signed CA
/// certificate as the server's own.)
pub fn certificate_authority(dir: &Path) {
    let openssl = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let new_key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &new_key,
            &["-days", "1", "-subj", "/CN=rstat test CA"],
            &["-keyout", "ca.key", "-out", "ca.crt"],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &new_key,
            &[
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ]);
}
