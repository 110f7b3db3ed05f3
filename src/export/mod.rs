//! `rstat export` (sadf's role): the command line, and the single pass over the series that
//! turns each interval into rows of every chosen activity and hands them to one format of
//! the library's [`rstat::views`] (CSV, JSON and JSON Lines, XML, OpenMetrics). Which activities
//! and which records are shared with `rstat report` (`SelectArgs`, `InputArgs`), and every
//! figure comes from the activities' rows, that is from data-format's derivation: formats
//! only lay the figures out. Output goes to stdout or atomically to a file ([`output`]);
//! `--follow` keeps reading as the collector appends ([`follow`]).

pub(crate) mod follow;
pub(crate) mod output;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::series::Event;
use rstat_data_format::window::WindowedSeries;

use crate::report::cpus;
use crate::report::input::{Clock, InputArgs};
use rstat::catalogue::RowBuf;
use rstat::views::{csv, json, openmetrics, xml, Format, Host, Row, Sample, Table};

use crate::report::select::{self, SelectArgs};
use crate::report::usage_error;

/// Export data files as CSV, JSON, JSON Lines, XML or OpenMetrics (what sadf does).
///
/// Takes report's activity letters (default -u, -A for every activity) and its time window
/// (-s, -e, -i, --utc). Times are ISO 8601 with the UTC offset (local time, or Z with --utc),
/// at the end of each interval. Field names are sar's column names; the item column keeps
/// sar's label (CPU, DEV, IFACE, ...), and process, thread and cgroup items are split into
/// UID, PID, Command / TGID, TID, Command / CGROUP.
#[derive(Args, Debug)]
#[command(after_help = "Formats:
  --csv          one header row, then one row per interval and item: hostname, interval
                 (seconds), timestamp, the item fields, then sar's columns. One activity
                 goes to stdout or -o FILE; several need --out DIR (one DIR/ACTIVITY.csv
                 each, every one with its own header). Restarts and comments are left out.
  -j, --json     one document: {\"host\": {...}, \"activities\": {name: {item, columns}},
                 \"samples\": [{\"timestamp\", \"interval\", \"activities\": {name: rows}}, ...]};
                 an activity with items is an array of objects, one without is an object;
                 restarts and comments are samples with a \"restart\" or \"comment\" key.
  --jsonl        the same sample objects, one a line (each with \"host\"), for streaming.
  -x, --xml      valid against dist/rstat-export.xsd (xmllint --schema).
  --openmetrics  metrics named rstat_ACTIVITY_FIELD (% -> _percent, /s -> _per_second):
                 gauges, counters (samples NAME_total) for cumulative counts, HELP saying
                 what each is and its unit (UNIT for percentages), labels host and the item
                 fields (cpu=\"all\", device=\"sda\"), timestamps in seconds,
                 ending with # EOF: for `promtool tsdb create-blocks-from openmetrics`.
                 Metric families must not interleave, so this format is written when the
                 whole window has been read (spooled to temporary files, not kept in memory)
                 and does not take --follow.
Values have two decimals (sizes and counts are whole numbers), as sar prints them.

Examples:
  rstat export --csv -f FILE                        CPU as CSV
  rstat export --csv -A --out DIR --date yesterday  every activity, one CSV file each
  rstat export --json -r -d -o day.json             memory and disks as one JSON document
  rstat export --jsonl -u --follow                  today's CPU, then each new sample
  rstat export --openmetrics -A -f FILE -o day.om && promtool tsdb create-blocks-from openmetrics day.om data/

Exit status: 0 (also when the window holds no data: a notice on stderr says so), 1 for bad
options or files, 3 when a file has damaged records (they are reported; the rest is exported).")]
pub struct ExportArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
    #[command(flatten)]
    format: FormatArgs,
    /// Write to FILE instead of stdout (atomically: a temporary file renamed into place).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "out_dir"
    )]
    output: Option<PathBuf>,
    /// CSV: write one file per activity, DIR/ACTIVITY.csv (needed for several activities);
    /// DIR is created if it does not exist.
    #[arg(long = "out", value_name = "DIR", requires = "csv")]
    out_dir: Option<PathBuf>,
    /// Keep running: export new samples as the collector appends them (every second), going
    /// on into the next day's file after midnight, until SIGINT or SIGTERM end the export
    /// cleanly. Not with --openmetrics. With -o, FILE
    /// appears when the export ends (it is written atomically).
    #[arg(long, conflicts_with = "openmetrics")]
    follow: bool,
}

/// The output format: exactly one.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
struct FormatArgs {
    /// CSV (sadf -d).
    #[arg(long)]
    csv: bool,
    /// One JSON document (sadf -j).
    #[arg(short = 'j', long)]
    json: bool,
    /// JSON Lines: one object per sample.
    #[arg(long)]
    jsonl: bool,
    /// XML (sadf -x), valid against dist/rstat-export.xsd.
    #[arg(short = 'x', long)]
    xml: bool,
    /// OpenMetrics text.
    #[arg(long)]
    openmetrics: bool,
}

pub fn run(mut args: ExportArgs) -> Result<ExitCode, String> {
    args.input.apply_creator_time()?;
    let numbers = args.select.take_numeric_values();
    if let Some(n) = numbers.first() {
        return Ok(usage_error(&format!(
            "{n}: export reads files; use -i SECONDS to aggregate, -s/-e for the window"
        )));
    }
    let selected = args
        .input
        .check()
        .and_then(|()| select::select(&args.select));
    let chosen = match selected {
        Ok(activities) => activities.len(),
        Err(message) => return Ok(usage_error(&message)),
    };
    if args.format.csv && args.out_dir.is_none() && chosen > 1 {
        return Ok(usage_error(&format!(
            "--csv with {chosen} activities: give --out DIR for one file each, or choose one activity"
        )));
    }
    let (files, series) = args.input.open()?;
    let header = series.series().header().cloned().unwrap_or_default();
    if let Err(message) = cpus::check_files(args.select.per_cpu(), &files, header.cpu_count) {
        return Ok(usage_error(&message));
    }
    let host = Host::from_header(&header);
    // Again, now that the data's CPU count is known (-I's per-CPU columns with -P).
    let tables: Vec<Table> = select::select_for(&args.select, header.cpu_count, None)?
        .into_iter()
        .map(Table::new)
        .collect();
    let clock = args.input.clock();
    let format = open_format(&args, &host, &tables)?;
    let stop = if args.follow {
        Some(follow::Stop::new()?)
    } else {
        None
    };
    let outcome = export(series, &tables, clock, format, stop.as_ref())?;
    if !outcome.any_rows {
        eprintln!(
            "rstat export: {}",
            crate::report::no_data_notice(&args.input)
        );
    }
    Ok(if outcome.damaged {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The chosen format, writing where the options say.
fn open_format<'a>(
    args: &ExportArgs,
    host: &'a Host,
    tables: &'a [Table],
) -> Result<Box<dyn Format<output::Output> + 'a>, String> {
    let f = &args.format;
    if f.csv {
        let outputs = match &args.out_dir {
            Some(dir) => {
                // `--out DIR` names a directory that may not exist yet: made as `mkdir -p`.
                std::fs::create_dir_all(dir).map_err(|e| {
                    format!(
                        "{}: cannot create the directory: {e}; choose a directory you can write",
                        dir.display()
                    )
                })?;
                tables
                    .iter()
                    .map(|t| output::Output::create(Some(&dir.join(format!("{}.csv", t.name())))))
                    .collect::<Result<Vec<_>, _>>()?
            }
            None => vec![output::Output::create(args.output.as_deref())?],
        };
        return Ok(Box::new(csv::Csv::new(host, tables, outputs)?));
    }
    let out = output::Output::create(args.output.as_deref())?;
    let failed = |e: io::Error| format!("cannot write the export: {e}");
    let format: Box<dyn Format<output::Output> + 'a> = if f.json {
        Box::new(json::Json::document(host, tables, out).map_err(failed)?)
    } else if f.jsonl {
        Box::new(json::Json::lines(host, tables, out))
    } else if f.xml {
        Box::new(xml::Xml::new(host, tables, out).map_err(failed)?)
    } else {
        Box::new(openmetrics::OpenMetrics::new(host, tables, out)?)
    };
    Ok(format)
}

/// What a pass met.
struct Outcome {
    damaged: bool,
    any_rows: bool,
}

/// The single pass: each event once, every table's rows computed from it, written at once.
fn export(
    mut series: WindowedSeries,
    tables: &[Table],
    clock: Clock,
    mut format: Box<dyn Format<output::Output> + '_>,
    stop: Option<&follow::Stop>,
) -> Result<Outcome, String> {
    let failed = |e: io::Error| format!("cannot write the export: {e}");
    let mut outcome = Outcome {
        damaged: false,
        any_rows: false,
    };
    // Each table's rows, kept from one interval to the next (written over, not allocated).
    let mut bufs: Vec<RowBuf> = tables.iter().map(|_| RowBuf::default()).collect();
    let mut rows: Vec<Vec<Row>> = tables.iter().map(|_| Vec::new()).collect();
    loop {
        let Some(event) = series.next_event().map_err(|e| e.to_string())? else {
            let Some(stop) = stop else { break };
            format.flush().map_err(failed)?;
            if stop.wait(std::time::Duration::from_secs(1))? {
                break;
            }
            // After midnight the collector writes the next day's file: follow it there
            // (the day's last sample, carried into the new file, is not repeated).
            let next = series
                .series()
                .path()
                .filter(|_| !series.series().has_pending())
                .and_then(follow::next_day_file);
            if let Some(next) = next {
                series.series_mut().push_file(next);
            }
            continue;
        };
        match event {
            Event::Interval(pair) => {
                let Some(interval) = pair.interval() else {
                    continue;
                };
                for ((table, buf), rows) in tables.iter().zip(&mut bufs).zip(&mut rows) {
                    table.rows_into(&interval, buf, rows);
                }
                outcome.any_rows |= rows.iter().any(|r| !r.is_empty());
                let sample = Sample {
                    time_us: pair.cur.time_us,
                    timestamp: clock.iso(pair.cur.time_us),
                    interval_s: interval.seconds,
                    rows: std::mem::take(&mut rows),
                };
                format.sample(&sample).map_err(failed)?;
                // Their memory serves the next interval.
                rows = sample.rows;
            }
            Event::Restart { time_us, info } => {
                format
                    .restart(&clock.iso(time_us), info.cpu_count)
                    .map_err(failed)?;
            }
            Event::Comment { time_us, text } => {
                format.comment(&clock.iso(time_us), &text).map_err(failed)?;
            }
            Event::Damaged { path, damage } => {
                outcome.damaged |= !damage.torn_tail;
                eprintln!("rstat export: {}", damage.report_line(&path, "exported"));
            }
            Event::First(_) => {}
        }
    }
    let outputs = format.finish().map_err(failed)?;
    output::Output::commit_all(outputs).map_err(failed)?;
    Ok(outcome)
}
