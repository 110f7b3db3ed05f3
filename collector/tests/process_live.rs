//! On the live machine, end to end: a child process burns CPU and writes 8 MiB to disk (with
//! fsync) between two samples that the collector library records into a file; reading the
//! file back finds the child, by pid and start time, with the CPU time it measured itself
//! (getrusage, within two clock ticks) and the bytes it wrote.
//!
//! The child is this test binary run again with `RSTAT_LIVE_CHILD` set (the test
//! `child_burns_cpu_and_writes` does nothing otherwise). Its file goes under the build's
//! target directory, which is on a disk (a tmpfs /tmp would count no write_bytes).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use nix::sys::resource::{getrusage, UsageWho};
use rstat_collector::process::ProcessOptions;
use rstat_collector::run::host_header;
use rstat_collector::sampler::Sampler;
use rstat_data_format::derive::Interval;
use rstat_data_format::reader::{FileReader, Item, Record};
use rstat_data_format::schema::{Sample, TableKind};
use rstat_data_format::schema_process::process_col;
use rstat_data_format::writer::FileWriter;

const WRITTEN: usize = 8 << 20;
const CPU_TO_BURN: Duration = Duration::from_millis(600);

fn own_cpu() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
}

/// The child's part: wait for "go", burn CPU, write and fsync 8 MiB, report the CPU time used
/// in µs, then wait for stdin to close.
#[test]
fn child_burns_cpu_and_writes() {
    let Ok(dir) = std::env::var("RSTAT_LIVE_CHILD") else {
        return;
    };
    let mut stdin = BufReader::new(std::io::stdin());
    let mut line = String::new();
    // Straight to the descriptor: libtest captures `println!` in test threads.
    let say = |text: &str| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").unwrap();
        out.flush().unwrap();
    };
    say("ready");
    stdin.read_line(&mut line).unwrap();
    let start = own_cpu();
    let mut x = 1u64;
    while own_cpu() - start < CPU_TO_BURN {
        for _ in 0..100_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
    let mut file = std::fs::File::create(Path::new(&dir).join("written")).unwrap();
    let block = vec![0x5au8; 1 << 20];
    for _ in 0..WRITTEN / block.len() {
        file.write_all(&block).unwrap();
    }
    file.sync_all().unwrap();
    drop(file);
    say(&format!("done {}", (own_cpu() - start).as_micros()));
    line.clear();
    let _ = stdin.read_line(&mut line);
}

fn take(sampler: &mut Sampler, sample: &mut Sample) {
    sampler.sample(sample);
    sample.time_us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64;
}

#[test]
fn a_child_is_found_with_its_cpu_time_and_written_bytes() {
    if std::env::var("RSTAT_LIVE_CHILD").is_ok() {
        return;
    }
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_burns_cpu_and_writes",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RSTAT_LIVE_CHILD", scratch.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut to_child = child.stdin.take().unwrap();
    // The child's lines arrive through a channel, so that a child that never answers fails
    // the test (after the child is killed) instead of hanging it.
    let from_child = BufReader::new(child.stdout.take().unwrap());
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // libtest may print its own text before ours on the same line.
        for line in from_child.lines().map_while(Result::ok) {
            if let Some(at) = line.find("ready").or_else(|| line.find("done ")) {
                let _ = lines.send(line[at..].to_string());
            }
        }
    });
    let mut next_line = || match received.recv_timeout(Duration::from_secs(60)) {
        Ok(line) => line,
        Err(error) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no answer from the child: {error}");
        }
    };
    assert!(next_line().starts_with("ready"));

    let root = Path::new("/");
    let mut sampler = Sampler::new(root);
    sampler.enable_processes(root, ProcessOptions::default());
    let mut sample = Sample::default();
    take(&mut sampler, &mut sample);
    let path = scratch.path().join("live.rstat");
    let mut writer = FileWriter::open(&path, &host_header(root, &sample), 0o644).unwrap();
    writer.append_sample(&sample, false).unwrap();

    writeln!(to_child, "go").unwrap();
    let done = next_line();
    let cpu_us: u64 = done.trim().strip_prefix("done ").unwrap().parse().unwrap();
    take(&mut sampler, &mut sample);
    writer.append_sample(&sample, false).unwrap();
    drop(writer);
    drop(to_child);
    child.wait().unwrap();

    let mut reader = FileReader::open(&path).unwrap();
    let mut samples = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let Item::Record {
            record: Record::Sample { sample, .. },
            ..
        } = item
        {
            samples.push(sample);
        }
    }
    assert_eq!(samples.len(), 2);
    let before = samples[0].table(TableKind::PROCESSES).unwrap();
    let child_row = before
        .row(&pid.to_string())
        .expect("the child in the first sample");
    assert!(
        child_row.text[0].starts_with("process_live"),
        "{:?}",
        child_row.text
    );
    assert!(
        child_row.text[1].contains("child_burns_cpu_and_writes"),
        "{:?}",
        child_row.text
    );

    let interval = Interval::new(&samples[0], &samples[1]).unwrap();
    let rates = interval.processes();
    let found = rates
        .iter()
        .find(|r| r.pid == pid)
        .expect("the child in the interval");
    assert_eq!(found.starttime, child_row.values[process_col::STARTTIME]);
    let hz = rstat_data_format::derive_process::ticks_per_sec(&samples[1]) as f64;
    let recorded_ticks = found.cpu_pct / 100.0 * interval.seconds * hz;
    let measured_ticks = cpu_us as f64 / 1e6 * hz;
    assert!(
        (recorded_ticks - measured_ticks).abs() <= 2.0,
        "recorded {recorded_ticks:.1} ticks, the child measured {measured_ticks:.1}"
    );
    let io = found.io.as_ref().expect("io of own child is readable");
    let written = io.kb_wr_per_s * interval.seconds * 1024.0;
    assert!(
        written >= WRITTEN as f64 - 1.0 && written <= WRITTEN as f64 + 64.0 * 1024.0,
        "write_bytes grew by {written} for {WRITTEN} bytes written"
    );
    // Raw values agree with the derived figures.
    let after = samples[1].table(TableKind::PROCESSES).unwrap();
    let raw =
        |table: &rstat_data_format::Table, col| table.row(&pid.to_string()).unwrap().values[col];
    let grew = raw(after, process_col::WRITE_BYTES) - raw(before, process_col::WRITE_BYTES);
    eprintln!(
        "child {pid}: {recorded_ticks:.1} ticks recorded, {measured_ticks:.1} measured; \
         write_bytes +{grew} for {WRITTEN} bytes written"
    );
    assert!((grew as f64 - written).abs() < 1.0);
}
