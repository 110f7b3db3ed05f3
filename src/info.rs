//! `rstat info`: what a file holds: header, frame counts, time span, restarts and damaged
//! byte ranges. Without `--verify` only frame headers and checksums are checked (a day in
//! milliseconds); `--verify` also decodes every payload, as a report would.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::frame::FrameKind;
use rstat_data_format::printable::printable;
use rstat_data_format::{Damage, Item};

use rstat::clock::format_local;

/// Show a data file's header, frames, time span, restarts and damage.
#[derive(Args, Debug)]
pub struct InfoArgs {
    /// The file to describe.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Also decode every record, reporting each sample that does not decode (slower: as
    /// long as a report of the whole file).
    #[arg(long)]
    verify: bool,
}

pub fn run(args: InfoArgs) -> Result<ExitCode, String> {
    let mut reader = rstat_data_format::open::open(&args.file).map_err(|e| e.to_string())?;
    let h = reader.header().clone();
    // Every string of the header is the file's: escaped, never sent raw to the terminal.
    println!("file:        {}", printable(&args.file.to_string_lossy()));
    println!(
        "host:        {} ({} {}, {} CPU)",
        printable(&h.host),
        printable(&h.kernel_release),
        printable(&h.arch),
        h.cpu_count
    );
    println!(
        "boot:        {} (id {})",
        format_local(h.boot_time.saturating_mul(1_000_000), "%Y-%m-%d %H:%M:%S"),
        printable(&h.boot_id)
    );
    println!(
        "time zone:   {} (UTC{:+})",
        if h.time_zone.is_empty() {
            "unknown".into()
        } else {
            printable(&h.time_zone)
        },
        h.utc_offset_s / 3600
    );
    println!(
        "written by:  {}; ticks/s {}, page size {}",
        printable(&h.writer),
        h.ticks_per_sec,
        h.page_size
    );
    let (mut samples, mut keys, mut restarts, mut comments, mut other) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut first, mut last) = (None, None);
    let mut damage = Vec::new();
    let mut restart_times = Vec::new();
    let mut undecodable = Vec::new();
    while let Some(frame) = reader.next_frame().map_err(|e| e.to_string())? {
        if let (true, Ok(frame)) = (args.verify, &frame) {
            if let Some(Item::Damaged(d)) = reader.decode(*frame).map_err(|e| e.to_string())? {
                undecodable.push(d);
            }
        }
        match frame {
            Ok(frame) => match frame.header.kind {
                FrameKind::Sample => {
                    samples += 1;
                    keys += u64::from(!frame.header.is_delta());
                    first.get_or_insert(frame.header.time_us);
                    last = Some(frame.header.time_us);
                }
                FrameKind::Restart => {
                    restarts += 1;
                    restart_times.push(frame.header.time_us);
                }
                FrameKind::Comment => comments += 1,
                FrameKind::Unknown(_) => other += 1,
            },
            Err(d) => damage.push(d),
        }
    }
    if rstat_data_format::sysstat::is_sa_file(&args.file) {
        let sa_len = std::fs::metadata(&args.file).map_or(0, |m| m.len());
        println!(
            "size:        {sa_len} bytes as a sysstat file, {} as rstat stores it (below)",
            reader.len()
        );
    } else {
        println!("size:        {} bytes", reader.len());
    }
    println!(
        "samples:     {samples} ({keys} key frames){}",
        reader
            .len()
            .checked_div(samples)
            .map(|per| format!(", {per} bytes per sample"))
            .unwrap_or_default()
    );
    if let (Some(first), Some(last)) = (first, last) {
        println!("first:       {}", format_local(first, "%Y-%m-%d %H:%M:%S"));
        println!("last:        {}", format_local(last, "%Y-%m-%d %H:%M:%S"));
    }
    println!("restarts:    {restarts}");
    for time in restart_times {
        println!("  restart at {}", format_local(time, "%Y-%m-%d %H:%M:%S"));
    }
    println!("comments:    {comments}");
    if other > 0 {
        println!("newer records skipped: {other}");
    }
    report_damage(&damage, &undecodable, args.verify)
}

/// The damage lines and the exit status: 3 for damage inside the file, 0 for none or for
/// only a record torn at the end (what a crash mid-write leaves).
fn report_damage(
    damage: &[Damage],
    undecodable: &[Damage],
    verified: bool,
) -> Result<ExitCode, String> {
    let (torn, inside): (Vec<&Damage>, Vec<&Damage>) = damage.iter().partition(|d| d.torn_tail);
    for d in &torn {
        println!(
            "torn tail:   the last {} bytes are a record cut short by a crash or power cut \
             mid-write (or one being written now); every record before them is intact",
            d.end - d.start
        );
    }
    let checked = if verified {
        "frame headers, checksums and every payload decoded"
    } else {
        "frame headers and checksums only; --verify also decodes every payload"
    };
    if inside.is_empty() && undecodable.is_empty() {
        println!("damage:      none ({checked})");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "damage:      {} range(s), {} undecodable record(s) ({checked})",
        inside.len(),
        undecodable.len()
    );
    for d in inside.iter().copied().chain(undecodable) {
        println!("  {}", printable(&d.to_string()));
    }
    Ok(ExitCode::from(3))
}
