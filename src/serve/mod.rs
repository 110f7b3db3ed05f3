//! `rstat serve`: answers Prometheus scrapes with the newest sample of the collector's day
//! file (one sampler per host), or with samples taken in-process (`--live`). Names follow
//! node_exporter (see crate::metrics); `rstat_sample_age_seconds` and `rstat_sample_stale`
//! say how old the served sample is, so an idle collector is seen rather than served as fresh.
//! The collection interval staleness is measured against is the time between the last two
//! samples of the file (the configuration's collect.interval while it holds only one).

mod http;
mod source;
mod webconfig;

use std::io::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use rstat_collector::process::ProcessOptions;

use crate::count_arg::at_least_one;
use crate::metrics::text::{render, Format};
use crate::metrics::top_n::TopSeriesArgs;
use http::{Limits, Request, Response};
use source::{Place, SampleSource};
use webconfig::WebConfig;

/// Serve the newest sample to Prometheus (GET /metrics).
#[derive(Args, Debug)]
#[command(
    long_about = "Serve the newest sample to Prometheus: GET /metrics answers in the Prometheus \
text format, or in OpenMetrics when the Accept header asks for it, gzipped when asked. Metric \
names follow node_exporter where it has the same quantity (node_cpu_seconds_total, \
node_memory_MemAvailable_bytes, node_disk_read_bytes_total, ...); rstat_sample_age_seconds \
says how old the sample is and rstat_sample_stale is 1 when it is older than two collection \
intervals. The sample is the newest of the collector's day file in the data directory, so a \
host runs one sampler; --live samples in-process when no collector runs."
)]
pub struct ServeArgs {
    /// Address and port to listen on. Another address than the loopback only when asked.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:9469")]
    listen: SocketAddr,
    /// Data directory holding the day files (default: the configuration's data_dir).
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    dir: Option<PathBuf>,
    /// Serve the newest sample of this one file instead: an rstat file, or a sysstat data
    /// file (/var/log/sysstat/saDD) that sadc writes, for a host still collecting with sysstat.
    #[arg(short = 'f', long, value_name = "FILE", conflicts_with = "live")]
    file: Option<PathBuf>,
    /// Sample in-process instead of reading the collector's files.
    #[arg(long)]
    live: bool,
    /// With --live: time between samples (default: the configuration's collect.interval).
    #[arg(long, value_name = "DURATION", requires = "live", value_parser = rstat::duration::parse_duration)]
    interval: Option<Duration>,
    /// Root that holds proc/ and sys/ (with --live).
    #[arg(long, value_name = "DIR", default_value = "/", requires = "live")]
    root: PathBuf,
    /// TLS and basic auth, in the Prometheus exporter web-config format
    /// (tls_server_config: cert_file, key_file; basic_auth_users: user: bcrypt hash).
    #[arg(long = "web.config.file", value_name = "FILE")]
    web_config_file: Option<PathBuf>,
    #[command(flatten)]
    top: TopSeriesArgs,
    /// Connections served at once; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = at_least_one::<u16>)]
    max_connections: u16,
}

pub fn run(args: ServeArgs) -> Result<ExitCode, String> {
    let config = crate::config::get()?;
    let interval = args.interval.unwrap_or(config.interval);
    let web = match &args.web_config_file {
        Some(path) => WebConfig::load(path)?,
        None => WebConfig::default(),
    };
    let tls = web.tls_config()?;
    let selection = args.top.selection();
    let source = if args.live {
        // Only what the series need: no command lines (they may hold secrets), no threads.
        let processes = ProcessOptions {
            processes: args.top.processes > 0,
            cmdline: false,
            threads: false,
            cgroups: args.top.cgroups > 0,
        };
        let wanted = processes.processes || processes.cgroups;
        SampleSource::live(
            &args.root,
            config.activities,
            wanted.then_some(processes),
            interval,
            selection,
        )?
    } else {
        let place = match (&args.file, &args.dir) {
            (Some(file), _) => Place::File(file.clone()),
            (None, Some(dir)) => Place::Dir(dir.clone()),
            (None, None) => Place::Dir(config.data_dir.clone()),
        };
        SampleSource::files(place, interval, selection)
    };
    let listener = TcpListener::bind(args.listen).map_err(|e| {
        format!(
            "--listen {}: cannot listen there: {e}; pick a free port or an address of this host",
            args.listen
        )
    })?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    eprintln!(
        "rstat serve: listening on {scheme}://{}/metrics",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let source = Arc::new(source);
    let web = Arc::new(web);
    let handler = move |request: &Request| answer(request, &source, &web);
    let limits = Limits {
        max_connections: usize::from(args.max_connections),
        ..Limits::default()
    };
    http::serve(listener, Arc::new(handler), tls, limits)
        .map_err(|e| format!("--listen {}: {e}", args.listen))?;
    Ok(ExitCode::SUCCESS)
}

const INDEX: &str = "<!DOCTYPE html>\n<html><head><title>rstat</title></head><body>\n\
<h1>rstat serve</h1>\n<p><a href=\"/metrics\">/metrics</a>: the newest sample in the Prometheus \
text format (OpenMetrics when asked by the Accept header).</p>\n</body></html>\n";

fn answer(request: &Request, source: &SampleSource, web: &WebConfig) -> Response {
    if !web.authorized(request.header("authorization")) {
        let mut response = Response::text(401, "Unauthorized\n");
        response
            .extra_headers
            .push(("WWW-Authenticate", "Basic realm=\"rstat\"".to_string()));
        return response;
    }
    match request.path.as_str() {
        "/" => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            extra_headers: Vec::new(),
            body: INDEX.as_bytes().to_vec(),
        },
        "/metrics" => metrics(request, source),
        _ => Response::text(404, "not found; try /metrics\n"),
    }
}

fn metrics(request: &Request, source: &SampleSource) -> Response {
    let families = match source.families() {
        Ok(families) => families,
        Err(message) => return Response::text(503, &format!("{message}\n")),
    };
    let format = Format::negotiate(request.header("accept"));
    let mut text = String::with_capacity(64 * 1024);
    render(&families, format, &mut text);
    let gzip = request
        .header("accept-encoding")
        .is_some_and(|e| e.split(',').any(|c| c.trim().starts_with("gzip")));
    let mut response = Response {
        status: 200,
        content_type: format.content_type(),
        extra_headers: Vec::new(),
        body: text.into_bytes(),
    };
    if gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if encoder.write_all(&response.body).is_ok() {
            if let Ok(body) = encoder.finish() {
                response.body = body;
                response
                    .extra_headers
                    .push(("Content-Encoding", "gzip".to_string()));
            }
        }
    }
    response
}
