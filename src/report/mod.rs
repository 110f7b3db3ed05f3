//! `rstat report`: sar's text reports, from day files or live. Which activities
//! ([`select`]), which records ([`input`]: files, -s/-e window, -i aggregation, --utc), the
//! text layout ([`text`]) and live sampling ([`live`]) each have their module; every figure
//! comes from data-format's derivation, as in every reader.

pub(crate) mod cpus;
pub(crate) mod input;
mod live;
pub(crate) mod select;
mod spill;

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::series::Event;
use rstat_data_format::span::{Span, Spans};

use input::InputArgs;
use rstat::views::text::{self, Layout, Table};
use select::SelectArgs;
use spill::{Extent, SpillFile};

/// Print sar-style reports from data files, or live.
///
/// Activities use sar's letters; without any, -u is shown. Rows are labelled with the time
/// at the end of each interval, in local time (--utc for UTC); Average: rows close each
/// table, one block per boot as sar prints them. With INTERVAL [COUNT] and no file, samples
/// this machine live, as `sar -u 1 5` does.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  rstat report                          CPU for today
  rstat report -u 1 5                   CPU now: five 1-second intervals
  rstat report -A -f FILE               every activity in FILE
  rstat report -d -n DEV --date yesterday -s 09:00 -e 17:00
  rstat report -q ALL -i 600            queue and pressure in 10-minute intervals
  rstat report -x -d                    disks, with each one's minimum and maximum
  rstat report --processes=cpu --top 5  the five busiest processes per interval

Exit status: 0 (also when the window holds no data: a notice says so), 1 for files that
cannot be read, 2 for bad options, 3 when a file has damaged records (they are reported;
the rest is shown).")]
#[command(disable_help_flag = true)]
pub struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Leave out rows whose figures are all zero (idle devices, silent interrupts).
    #[arg(short = 'z')]
    hide_zero: bool,
    /// -d's device-mapper devices by their /dev/mapper names (dm-0 as vg-root), and device,
    /// interface and interrupt names at the end of the line, as sar -p prints them.
    #[arg(short = 'p', long = "pretty")]
    pretty: bool,
    /// Sizes with a unit (11.2G, 4.0k, 0.0B: kB columns scaled by 1024) and percentages with
    /// a % sign and one decimal, as sar --human prints them.
    #[arg(long = "human")]
    human: bool,
    /// --pretty and --human together, as sar -h.
    #[arg(short = 'h')]
    pretty_human: bool,
    /// Print help.
    #[arg(long = "help", action = clap::ArgAction::HelpLong)]
    help: Option<bool>,
    /// Show the files' comments (`rstat collect --comment`), as sar -C: each in every table
    /// at its time; one before a boot's first sample once, under the banner or the LINUX
    /// RESTART line. -A does not include -C, as in sar.
    #[arg(short = 'C')]
    comments: bool,
    /// Minimum: and Maximum: rows too: each item's least and greatest figures over the rows
    /// printed, before its Average: row, under a Summary: header of their own (as sar -x).
    #[arg(short = 'x')]
    minmax: bool,
    /// Decimals of the figures that are not whole numbers: 0, 1 or 2 (sar's --dec; default 2).
    #[arg(long = "dec", value_name = "0|1|2", value_parser = decimals)]
    decimals: Option<u8>,
    /// -d's devices by their persistent names (/dev/disk/by-id, by-label, by-path or
    /// by-uuid), as sar -j; devices without one keep the kernel's name.
    #[arg(short = 'j', value_name = "ID|LABEL|PATH|UUID")]
    persistent: Option<String>,
    /// Live: seconds between samples, then how many intervals (default: until Ctrl-C).
    #[arg(value_name = "INTERVAL [COUNT]", num_args = 0..=2)]
    live: Vec<u64>,
    /// Live: read /proc and /sys under this directory instead of /.
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: std::path::PathBuf,
}

pub fn run(mut args: ReportArgs) -> Result<ExitCode, String> {
    // `-u 1 5`: the optional value of -u (or -q, -F) took the interval.
    args.input.apply_creator_time()?;
    let mut live = args.select.take_numeric_values();
    live.extend(args.live.iter().copied());
    let device_names = match device_names(&args) {
        Ok(names) => names,
        Err(message) => return Ok(usage_error(&message)),
    };
    let checked = args.input.check();
    let selected = checked.and_then(|()| select::select_for(&args.select, 0, device_names.clone()));
    if let Err(message) = selected {
        return Ok(usage_error(&message));
    }
    let layout = Layout {
        clock: args.input.clock(),
        hide_zero: args.hide_zero,
        pretty: args.pretty || args.pretty_human,
        decimals: args.decimals,
        human: args.human || args.pretty_human,
        minmax: args.minmax,
    };
    if !live.is_empty() {
        if !args.input.files.is_empty() || args.input.date.is_some() {
            return Ok(usage_error(&format!(
                "{}: INTERVAL [COUNT] is for live reports; with -f or --date use -i SECONDS",
                live[0]
            )));
        }
        // -P N beyond this machine's CPUs is a usage error, known once the first sample is.
        let refused = std::cell::Cell::new(false);
        let for_cpus = |count| {
            if let Some(list) = args.select.per_cpu() {
                cpus::check(list, count, cpus::Source::Machine)
                    .inspect_err(|_| refused.set(true))?;
            }
            select::select_for(&args.select, count, device_names.clone())
        };
        return match live::run(&args.root, &live, &for_cpus, layout) {
            Err(message) if refused.get() => Ok(usage_error(&message)),
            outcome => outcome,
        };
    }
    let (files, mut series) = args.input.open()?;
    let header = series.series().header().cloned().unwrap_or_default();
    if let Err(message) = cpus::check_files(args.select.per_cpu(), &files, header.cpu_count) {
        return Ok(usage_error(&message));
    }
    // Again, now that the data's CPU count is known (-I's per-CPU columns).
    let activities = select::select_for(&args.select, header.cpu_count, device_names)?;
    let first = files.first().and_then(|f| input::first_sample_time(f));
    // Comments, host and device names are the file's: no control character reaches the
    // terminal.
    let mut stdout = rstat_data_format::printable::EscapeControls::new(std::io::stdout().lock());
    // Each table starts with a blank line, after the comments that came before it.
    let banner = format!("{}\n", text::banner(&header, first, layout.clock));
    write_out(&mut stdout, banner.as_bytes())?;
    let new_sections = || -> Vec<Section> {
        activities
            .iter()
            .map(|activity| Section::new(Table::new(activity, layout)))
            .collect()
    };
    let mut sections = new_sections();
    let mut spill = SpillFile::default();
    // sar prints one block per boot: every table with its Average: rows, then LINUX RESTART.
    let mut spans = Spans::new();
    let mut any_rows = false;
    let mut damaged = false;
    // Whether the block (the boot being read) has had its first sample: sar prints the
    // comments before it once, and those after it in every table.
    let mut block_sampled = false;
    while let Some(event) = series.next_event().map_err(|e| e.to_string())? {
        let closed = spans.observe(&event);
        if closed.is_some() || matches!(event, Event::Restart { .. }) {
            any_rows |= write_block(&mut sections, closed.as_ref(), &mut spill, &mut stdout)?;
            sections = new_sections();
            block_sampled = false;
        }
        match &event {
            Event::Interval(pair) => {
                block_sampled = true;
                if let Some(interval) = pair.interval() {
                    let labels = text::Labels::of(&interval, layout.clock);
                    for section in &mut sections {
                        section.write_table(|table, text| {
                            table.interval(text, &interval, &labels);
                        });
                    }
                }
            }
            Event::Restart { time_us, info } => {
                let line = text::restart_line(*time_us, info, layout.clock);
                write_out(&mut stdout, line.as_bytes())?;
            }
            Event::Comment { time_us, text } if args.comments => {
                let line = text::comment_line(*time_us, text, layout.clock);
                if !block_sampled {
                    write_out(&mut stdout, line.as_bytes())?;
                }
                for section in sections.iter_mut().filter(|_| block_sampled) {
                    section.text.push_str(&line);
                }
            }
            Event::Comment { .. } => {}
            Event::Damaged { path, damage } => {
                damaged |= !damage.torn_tail;
                eprintln!("rstat report: {}", damage.report_line(path, "shown"));
            }
            Event::First(_) => block_sampled = true,
        }
        for section in &mut sections {
            section.spill_if_large(&mut spill)?;
        }
    }
    any_rows |= write_block(
        &mut sections,
        spans.finish().as_ref(),
        &mut spill,
        &mut stdout,
    )?;
    if !any_rows {
        write_out(
            &mut stdout,
            format!("\n{}\n", no_data_notice(&args.input)).as_bytes(),
        )?;
    }
    Ok(if damaged {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one boot's tables, each closed by its Average: rows over `span` and starting with
/// a blank line (a table that printed nothing is left out, with the comments it held);
/// whether any table had rows.
fn write_block(
    sections: &mut [Section],
    span: Option<&Span>,
    spill: &mut SpillFile,
    out: &mut impl Write,
) -> Result<bool, String> {
    for section in sections.iter_mut() {
        section.write_table(|table, text| table.finish(text, span));
        if section.started {
            section.write_to(spill, out)?;
        }
    }
    spill.clear()?;
    Ok(sections.iter().any(|s| s.table.has_rows()))
}

/// -d's names: -j's kind of persistent name, else /dev/mapper names with -p, else the
/// kernel's (`None`).
fn device_names(args: &ReportArgs) -> Result<Option<String>, String> {
    match args.persistent.as_deref() {
        Some(kind) => {
            let lower = kind.to_ascii_lowercase();
            if ["id", "label", "path", "uuid"].contains(&lower.as_str()) {
                Ok(Some(lower))
            } else {
                Err(format!("-j {kind}: expected ID, LABEL, PATH or UUID"))
            }
        }
        None => Ok((args.pretty || args.pretty_human).then(|| "mapper".to_string())),
    }
}

/// --dec's value.
fn decimals(text: &str) -> Result<u8, String> {
    match text {
        "0" | "1" | "2" => Ok(text.as_bytes()[0] - b'0'),
        _ => Err("expected 0, 1 or 2 decimals".into()),
    }
}

/// A usage error (an option's value, not a file): said on one line, exit status 2 as the
/// README documents.
pub(crate) fn usage_error(message: &str) -> ExitCode {
    eprintln!("rstat: {message}");
    ExitCode::from(2)
}

/// What to say when nothing matched.
pub(crate) fn no_data_notice(input: &InputArgs) -> String {
    if input.start.is_some() || input.end.is_some() {
        "no data in the selected time window (check -s and -e against `rstat info FILE`)".into()
    } else {
        "no data for these activities in the selected files".into()
    }
}

/// One activity's table while the series is read once for all of them: sar prints each
/// activity's whole table in turn, so the text waits, in memory up to [`SPILL_BYTES`] and
/// in the report's [`SpillFile`] beyond.
struct Section<'a> {
    table: Table<'a>,
    text: String,
    spilled: Vec<Extent>,
    /// Whether the table printed anything. Until then the text holds only comments (-C),
    /// which sar prints above the blank line and header of a table's first row.
    started: bool,
}

const SPILL_BYTES: usize = 64 * 1024;

impl<'a> Section<'a> {
    fn new(table: Table<'a>) -> Section<'a> {
        Section {
            table,
            text: String::new(),
            spilled: Vec::new(),
            started: false,
        }
    }

    /// Lets the table append to the text; its first output gets a blank line before it.
    fn write_table(&mut self, write: impl FnOnce(&mut Table<'a>, &mut String)) {
        let before = self.text.len();
        write(&mut self.table, &mut self.text);
        if !self.started && self.text.len() > before {
            self.text.insert(before, '\n');
            self.started = true;
        }
    }

    fn spill_if_large(&mut self, spill: &mut SpillFile) -> Result<(), String> {
        if self.text.len() < SPILL_BYTES {
            return Ok(());
        }
        self.spilled.push(spill.append(self.text.as_bytes())?);
        self.text.clear();
        Ok(())
    }

    /// The table so far (its Average: rows already added), to `out`.
    fn write_to(&mut self, spill: &SpillFile, out: &mut impl Write) -> Result<(), String> {
        spill.copy_out(&std::mem::take(&mut self.spilled), out)?;
        write_out(out, self.text.as_bytes())
    }
}

fn write_out(out: &mut impl Write, bytes: &[u8]) -> Result<(), String> {
    out.write_all(bytes)
        .map_err(|e| format!("writing the report: {e}"))
}
