//! `rstat info`: what a file holds, without decoding samples: header, frame counts, time
//! span, restarts and damaged byte ranges.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rstat_data_format::frame::FrameKind;

use rstat::clock::format_local;

/// Show a data file's header, frames, time span, restarts and damage.
#[derive(Args, Debug)]
pub struct InfoArgs {
    /// The file to describe.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

pub fn run(args: InfoArgs) -> Result<ExitCode, String> {
    let mut reader = rstat_data_format::open::open(&args.file).map_err(|e| e.to_string())?;
    let h = reader.header().clone();
    println!("file:        {}", args.file.display());
    println!(
        "host:        {} ({} {}, {} CPU)",
        h.host, h.kernel_release, h.arch, h.cpu_count
    );
    println!(
        "boot:        {} (id {})",
        format_local(h.boot_time * 1_000_000, "%Y-%m-%d %H:%M:%S"),
        h.boot_id
    );
    println!(
        "time zone:   {} (UTC{:+})",
        if h.time_zone.is_empty() {
            "unknown"
        } else {
            &h.time_zone
        },
        h.utc_offset_s / 3600
    );
    println!(
        "written by:  {}; ticks/s {}, page size {}",
        h.writer, h.ticks_per_sec, h.page_size
    );
    let (mut samples, mut keys, mut restarts, mut comments, mut other) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut first, mut last) = (None, None);
    let mut damage = Vec::new();
    let mut restart_times = Vec::new();
    while let Some(frame) = reader.next_frame().map_err(|e| e.to_string())? {
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
    if damage.is_empty() {
        println!("damage:      none");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("damage:      {} range(s)", damage.len());
        for d in &damage {
            println!("  {d}");
        }
        Ok(ExitCode::from(3))
    }
}
