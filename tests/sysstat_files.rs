//! sysstat data files read by rstat: files made at test time by the installed sadc (Debian
//! sysstat 12.6.1, `-S XALL`, with a comment and a restart record), and the same records
//! rewritten into big-endian and 32-bit layouts; `rstat report -f` on each must print the
//! rows the installed `sar -f` prints for every activity, figure by figure. Then `rstat
//! import`, and hostile files.
//!
//! Left out of the comparison: the Average: lines (sar's restart after each LINUX RESTART,
//! rstat's span the file), and the columns whose formula changed after 12.6.1.

mod common;
#[path = "common/sa_layout.rs"]
mod sa_layout;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{rstat, sadc, CHANGED_AFTER_12_6_1};
use sa_layout::{convert, Layout};

/// Every sar report of an `-S XALL` file, one table each.
const OPTIONS: &[&str] = &[
    "-u ALL",
    "-P ALL",
    "-r ALL",
    "-S",
    "-H",
    "-B",
    "-W",
    "-w",
    "-q ALL",
    "-v",
    "-y",
    "-I SUM",
    "-I ALL",
    "-d",
    "-b",
    "-n DEV",
    "-n EDEV",
    "-n NFS",
    "-n NFSD",
    "-n SOCK",
    "-n IP",
    "-n EIP",
    "-n ICMP",
    "-n EICMP",
    "-n TCP",
    "-n ETCP",
    "-n UDP",
    "-n SOCK6",
    "-n IP6",
    "-n EIP6",
    "-n ICMP6",
    "-n EICMP6",
    "-n UDP6",
    "-n SOFT",
    "-m CPU",
    "-F",
];

/// An sa file with statistics, a comment, a restart record and statistics after it.
fn make_sa_file(dir: &Path) -> PathBuf {
    let file = dir.join("sa26");
    sadc(&["-S", "XALL", "1", "3"], &file);
    sadc(&["-C", "imported comment"], &file);
    sadc(&["-S", "XALL"], &file); // no interval: a LINUX RESTART record
    sadc(&["-S", "XALL", "1", "2"], &file);
    file
}

fn run(mut command: Command) -> Output {
    command.env("TZ", "UTC").env("LC_ALL", "C");
    command.output().unwrap()
}

fn split(option: &str) -> Vec<&str> {
    option.split_whitespace().collect()
}

/// `text` without the columns of [`CHANGED_AFTER_12_6_1`]: a header line (a time, then only
/// names) says which positions to drop in the rows under it.
fn without_changed_columns(text: &str) -> String {
    let mut drop: Vec<usize> = Vec::new();
    let mut out = String::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let timed = words.first().is_some_and(|w| w.contains(':'));
        if words.is_empty() {
            drop.clear();
        } else if timed && words[1..].iter().all(|w| w.parse::<f64>().is_err()) {
            drop = (0..words.len())
                .filter(|i| CHANGED_AFTER_12_6_1.contains(&words[*i]))
                .collect();
        }
        let kept: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, w)| *w)
            .collect();
        out.push_str(&kept.join(" "));
        out.push('\n');
    }
    out
}

/// The data rows of a report: lines that start with a time, without the header rows
/// (no figure), comments and restarts; blanks folded.
fn rows(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .filter(|l| !l.contains("RESTART") && !l.contains(" COM "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|words| words.iter().skip(1).any(|w| w.parse::<f64>().is_ok()))
        .filter(|words| {
            words
                .iter()
                .skip(1)
                .all(|w| !w.ends_with("/s") && !w.starts_with('%'))
        })
        .map(|words| words.join(" "))
        .collect()
}

/// The same words, figures compared as numbers (sar prints blg_len as `0`, rstat `0.00`),
/// equal to sar's last printed digit: a quotient that falls on a rounding tie (x.xx5) can
/// round either way depending on the order of the floating-point operations.
fn same_row(ours: &str, sar: &str) -> bool {
    let (ours, sar): (Vec<&str>, Vec<&str>) = (
        ours.split_whitespace().collect(),
        sar.split_whitespace().collect(),
    );
    ours.len() == sar.len()
        && ours
            .iter()
            .zip(&sar)
            .all(|(x, y)| match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(a), Ok(b)) => {
                    let decimals = y.split_once('.').map_or(0, |(_, d)| d.len());
                    let last_digit = 10f64.powi(-(decimals as i32));
                    a == b || (decimals > 0 && (a - b).abs() <= last_digit * 1.001)
                }
                _ => x == y,
            })
}

/// Every row sar prints for every activity of `file` is one rstat prints for `ours` (the
/// same records, in a layout sar may not read).
fn assert_same_rows(file: &Path, ours_file: &Path) {
    for option in OPTIONS {
        let mut sar = Command::new("sar");
        sar.args(split(option)).arg("-f").arg(file);
        let sar = run(sar);
        assert!(sar.status.success(), "sar {option}: {sar:?}");
        // sar -I ALL prints the sum too, which rstat prints with -I SUM.
        let ours_options: &[&str] = match *option {
            "-I ALL" => &["-I ALL", "-I SUM"],
            _ => std::slice::from_ref(option),
        };
        let mut ours = Vec::new();
        for ours_option in ours_options {
            let mut command = rstat();
            command
                .arg("report")
                .arg("-f")
                .arg(ours_file)
                .args(split(ours_option));
            let output = run(command);
            assert!(
                output.status.success(),
                "rstat report {ours_option}: {output:?}"
            );
            let text = without_changed_columns(&String::from_utf8_lossy(&output.stdout));
            ours.extend(rows(&text));
        }
        let theirs = rows(&without_changed_columns(&String::from_utf8_lossy(
            &sar.stdout,
        )));
        assert!(!theirs.is_empty(), "sar {option} printed no rows");
        for row in &theirs {
            let found = ours.iter().any(|o| same_row(o, row));
            assert!(
                found,
                "{}: sar {option} row\n  {row}\nnot in rstat's:\n  {}",
                ours_file.display(),
                ours.join("\n  ")
            );
        }
    }
}

#[test]
fn every_reader_shows_what_sar_shows_in_every_layout() {
    let dir = tempfile::tempdir().unwrap();
    let file = make_sa_file(dir.path());
    assert_same_rows(&file, &file);
    let original = std::fs::read(&file).unwrap();
    // Other machines' layouts, which the installed sar reads too, and a newer release's
    // longer memory structure (sysstat 12.7 appends Shmem), which sar 12.6.1 shows nothing
    // of: rstat's rows for it are compared with sar's for the original.
    for (name, big_endian, long_32, newer_memory) in [
        ("be64", true, false, false),
        ("le32", false, true, false),
        ("be32", true, true, false),
        ("newer-release", false, false, true),
    ] {
        let other = dir.path().join(format!("sa26.{name}"));
        let layout = Layout {
            big_endian,
            long_32,
            newer_memory,
        };
        std::fs::write(&other, convert(&original, layout)).unwrap();
        assert_same_rows(if newer_memory { &file } else { &other }, &other);
    }

    // info, export and plot open it too (top's replay opens files the same way).
    let info = run({
        let mut c = rstat();
        c.arg("info").arg(&file);
        c
    });
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(info.status.success(), "{info:?}");
    assert!(text.contains("sysstat 12.6.1"), "{text}");
    assert!(text.contains("restarts:    1"), "{text}");
    assert!(text.contains("comments:    1"), "{text}");
    let export = run({
        let mut c = rstat();
        c.args(["export", "--csv", "-u", "-f"]).arg(&file);
        c
    });
    assert!(export.status.success(), "{export:?}");
    assert!(String::from_utf8_lossy(&export.stdout).lines().count() >= 4);
    let plot = run({
        let mut c = rstat();
        c.args(["plot", "-u", "-f"]).arg(&file);
        c
    });
    assert!(plot.status.success(), "{plot:?}");
    let svg = String::from_utf8_lossy(&plot.stdout);
    assert!(svg.starts_with("<svg") && svg.contains("%user"), "{svg}");
}

fn import(args: &[&str], files: &[&Path]) -> Output {
    let mut c = rstat();
    c.arg("import").args(args).args(files);
    run(c)
}

#[test]
fn import_writes_day_files_once_and_merges_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("sa-a");
    sadc(&["-S", "XALL", "1", "2"], &first);
    sadc(&["-C", "between"], &first);
    // sa times are whole seconds and import takes a record of the same kind and time as one
    // already there: the second file starts a second later, or its first sample can share
    // the first file's last second (1 run in 5 under load).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = dir.path().join("sa-b");
    sadc(&["-S", "XALL", "1", "2"], &second);
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    // What an import killed on the way leaves (a pid above the kernel's pid_max: gone).
    let stale = data.join(".rstat-import-4294967");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("0.rstat"), b"staged").unwrap();

    let out = import(&["--dir", data_arg], &[&first]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 samples, 0 restarts, 1 comments"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("not imported"),
        "every activity of -S XALL maps: {stdout}"
    );
    let days: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        days.len(),
        1,
        "one day file, the stale staging removed: {days:?}"
    );
    let day = &days[0];

    // The same records again: nothing added.
    let before = std::fs::read(day).unwrap();
    let out = import(&["--dir", data_arg], &[&first]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged (3 records already there)"));
    assert_eq!(std::fs::read(day).unwrap(), before);

    // Another file of the same day: merged, and the day reads as both sa files together.
    let out = import(&["--dir", data_arg], &[&second, &first]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("merged 2 records"),
        "{out:?}"
    );
    let report = |files: &[&Path]| {
        let mut c = rstat();
        c.args(["report", "-w"]);
        for f in files {
            c.arg("-f").arg(f);
        }
        rows(&String::from_utf8_lossy(&run(c).stdout))
    };
    let merged = report(&[day]);
    // sa-a's interval, the one from sa-a's last sample to sa-b's first, sa-b's interval.
    assert_eq!(merged.len(), 3, "{merged:?}");
    let separate = [report(&[&first]), report(&[&second])].concat();
    for row in separate.iter().filter(|r| !r.starts_with("Average")) {
        assert!(merged.contains(row), "{row} not in {merged:?}");
    }

    // A day a collector holds is refused, and left as it was.
    let third = dir.path().join("sa-c");
    sadc(&["-S", "XALL", "1", "1"], &third);
    let held = std::fs::read(day).unwrap();
    let lock = nix::fcntl::Flock::lock(
        std::fs::File::open(day).unwrap(),
        nix::fcntl::FlockArg::LockExclusiveNonblock,
    )
    .unwrap();
    let out = import(&["--dir", data_arg], &[&third]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("locked") || stderr.contains("collector"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(day).unwrap(), held);
    drop(lock);
}

#[test]
fn hostile_sa_files_keep_the_good_records_and_fail_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa");
    sadc(&["-S", "XALL", "1", "3"], &file);
    let bytes = std::fs::read(&file).unwrap();
    let report = |path: &Path| {
        let mut c = rstat();
        c.args(["report", "-w", "-f"]).arg(path);
        run(c)
    };

    // Cut inside the last record: the first interval is still reported, the damage named.
    let cut = dir.path().join("cut");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let out = report(&cut);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(
        rows(&String::from_utf8_lossy(&out.stdout)).len(),
        1,
        "{out:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("past the end of the file"), "{stderr}");

    // Cut inside the header: one line naming the file and the byte.
    let short = dir.path().join("short");
    std::fs::write(&short, &bytes[..300]).unwrap();
    let out = report(&short);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("short") && stderr.contains("byte 76"),
        "{stderr}"
    );

    // Every 4-byte field set to huge values in turn: never a panic, never a hang.
    let mut hostile = bytes.clone();
    for at in (0..bytes.len().min(2048)).step_by(4) {
        hostile[at..at + 4].copy_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
        let path = dir.path().join("hostile");
        std::fs::write(&path, &hostile).unwrap();
        let out = report(&path);
        assert!(
            matches!(out.status.code(), Some(0..=3)),
            "byte {at}: {out:?}"
        );
        hostile[at..at + 4].copy_from_slice(&bytes[at..at + 4]);
    }

    // A format newer than rstat knows: named, with a pointer to that sysstat's sadf.
    let mut old = bytes.clone();
    old[2..4].copy_from_slice(&0x2177u16.to_le_bytes());
    let path = dir.path().join("old");
    std::fs::write(&path, &old).unwrap();
    let out = report(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0x2177") && stderr.contains("sadf -d"),
        "{stderr}"
    );
}
