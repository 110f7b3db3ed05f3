//! Live reports: `rstat report -u 1 5` samples this machine with the collector's sampler,
//! as `sar -u 1 5` does, and prints each interval as it ends, then the Average: rows over the
//! whole run (also after Ctrl-C, on a line of their own). CPUs that go offline keep their
//! last counters between samples, as in files. No file is written.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rstat_collector::activities::Activities;
use rstat_collector::process::ProcessOptions;
use rstat_collector::run::host_header;
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::hotplug;
use rstat_data_format::span::Span;
use rstat_data_format::Sample;

use rstat::catalogue::Activity;
use rstat::views::text::{self, Layout, Table};

/// Set by SIGINT/SIGTERM: finish with the averages instead of dying mid-line.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: nix::libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
}

/// `activities_for` gives the activities for a machine of that many CPUs (-I's per-CPU
/// columns with -P): called once the first sample says how many this one has.
pub fn run(
    root: &Path,
    numbers: &[u64],
    activities_for: &dyn Fn(u32) -> Result<Vec<Activity>, String>,
    layout: Layout,
) -> Result<ExitCode, String> {
    let (interval, count) = match numbers {
        [0, ..] => return Err("INTERVAL 0: give the seconds between samples, e.g. 1".into()),
        [interval] => (*interval, None),
        [interval, count] => (*interval, Some(*count)),
        _ => {
            return Err(format!(
                "{}: expected INTERVAL [COUNT], e.g. `rstat report -u 1 5`",
                numbers
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
        }
    };
    if count == Some(0) {
        return Err("COUNT 0: give how many intervals to show, or leave it out".into());
    }
    if !root.join("proc").is_dir() {
        return Err(format!(
            "--root {}: no proc/ directory there; pass the directory that holds proc/ and sys/",
            root.display()
        ));
    }
    install_signal_handlers();
    let mut sampler = sampler_for(root, &activities_for(0)?);
    let mut prev = Arc::new(take(&mut sampler));
    let header = host_header(root, &prev);
    let activities = &activities_for(header.cpu_count)?;
    let mut out = String::new();
    // sar's banner, then a blank line.
    out.push_str(&text::banner(&header, Some(prev.time_us), layout.clock));
    out.push_str("\n\n");
    let mut span = Span::new(Arc::clone(&prev));
    let mut tables: Vec<Table> = activities.iter().map(|a| Table::new(a, layout)).collect();
    let step = Duration::from_secs(interval);
    let mut next = Instant::now() + step;
    let mut done = 0u64;
    while count.is_none_or(|c| done < c) {
        if !sleep_until(next) {
            break;
        }
        next += step;
        let mut cur = take(&mut sampler);
        if Interval::new(&prev, &cur).is_some() {
            // A CPU gone offline keeps its last counters, as the series does for files.
            hotplug::carry_offline_cpus(&prev, &mut cur);
        }
        let cur = Arc::new(cur);
        if let Some(interval) = Interval::new(&prev, &cur) {
            let labels = text::Labels::of(&interval, layout.clock);
            for table in tables.iter_mut() {
                // Several activities: each interval prints each table with its header.
                if activities.len() > 1 {
                    out.push('\n');
                    table.repeat_header();
                }
                table.interval(&mut out, &interval, &labels);
            }
            span.push(Arc::clone(&cur));
        }
        print_now(&mut out)?;
        prev = cur;
        done += 1;
    }
    if STOP.load(Ordering::Relaxed) {
        // After Ctrl-C, the terminal's ^C is on the current line: Average: starts a new one.
        out.push('\n');
    }
    for table in tables.iter_mut() {
        // -x's closing rows come in blocks that start with their own header.
        if activities.len() > 1 && !table.closes_in_blocks() {
            out.push('\n');
            table.repeat_header();
        }
        table.finish(&mut out, Some(&span));
    }
    print_now(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// A sampler of what the activities need: the default groups, plus processes, threads or
/// cgroups when a process or cgroup view is asked for.
fn sampler_for(root: &Path, activities: &[Activity]) -> Sampler {
    let mut sampler = Sampler::with_activities(root, Activities::all());
    let wants = |prefix: &str| activities.iter().any(|a| a.name.starts_with(prefix));
    if wants("process") || wants("thread") || wants("cgroup") {
        sampler.enable_processes(
            root,
            ProcessOptions {
                processes: wants("process") || wants("thread"),
                cmdline: false,
                threads: wants("thread"),
                cgroups: wants("cgroup"),
            },
        );
    }
    sampler
}

fn take(sampler: &mut Sampler) -> Sample {
    let mut sample = Sample {
        time_us: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as i64),
        ..Sample::default()
    };
    sampler.sample(&mut sample);
    for warning in sampler.take_warnings() {
        eprintln!("rstat report: {warning}");
    }
    sample
}

/// Sleeps until `deadline` in short steps; false when a signal asked to stop.
fn sleep_until(deadline: Instant) -> bool {
    loop {
        if STOP.load(Ordering::Relaxed) {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return true;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(100)));
    }
}

fn print_now(out: &mut String) -> Result<(), String> {
    let mut stdout = rstat_data_format::printable::EscapeControls::new(std::io::stdout().lock());
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("writing the report: {e}"))?;
    out.clear();
    Ok(())
}

fn install_signal_handlers() {
    use nix::sys::signal::{signal, SigHandler, Signal};
    for sig in [Signal::SIGINT, Signal::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let _ = unsafe { signal(sig, SigHandler::Handler(on_signal)) };
    }
}
