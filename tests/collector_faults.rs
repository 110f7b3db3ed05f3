//! Faults around a running collector, made for real: a write cut short (a file size limit, a
//! full tmpfs), the day file deleted, renamed or its directory removed, symbolic links and
//! modes, SIGKILL at random moments, readers while it writes. Each asserts what the promise
//! in docs/RELIABILITY.md says: nothing written is lost, every later frame decodes, one line
//! per fault.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::rstat;
use rstat_data_format::reader::{FileReader, Item, Record};

/// (samples, damaged ranges or undecodable records) in a file.
fn census(path: &Path) -> (usize, usize) {
    let (samples, damage, _torn) = census_with_tail(path).unwrap();
    (samples, damage)
}

/// (samples, damage inside the file, torn tails), or `None` for a file without a readable
/// header (a collector killed while writing it).
fn census_with_tail(path: &Path) -> Option<(usize, usize, usize)> {
    let mut reader = FileReader::open(path).ok()?;
    let (mut samples, mut damage, mut torn) = (0, 0, 0);
    while let Some(item) = reader.next_item().unwrap() {
        match item {
            Item::Record {
                record: Record::Sample { .. },
                ..
            } => samples += 1,
            Item::Record { .. } => {}
            Item::Damaged(d) if d.torn_tail => torn += 1,
            Item::Damaged(d) => {
                eprintln!("{}: {d}", path.display());
                damage += 1
            }
        }
    }
    Some((samples, damage, torn))
}

/// A collector every 20 ms whose stderr lines are gathered as they come.
struct Collector {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Collector {
    fn start(
        target: &[&std::ffi::OsStr],
        setup: impl Fn() -> std::io::Result<()> + Send + Sync + 'static,
    ) -> Collector {
        let mut command = rstat();
        command
            .args(["collect", "-i", "20ms", "--no-processes", "--root"])
            .arg(common::fixture_tree("system-real-a"))
            .args(target)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // SAFETY: the closure only makes async-signal-safe calls (setrlimit, sigaction, umask).
        unsafe { command.pre_exec(setup) };
        let mut child = command.spawn().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let gathered = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                gathered.lock().unwrap().push(line);
            }
        });
        Collector { child, lines }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    fn wait_for(&mut self, what: &str, done: impl Fn(&Collector) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(self) {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "collector exited early: {:?}",
                self.lines()
            );
            assert!(
                Instant::now() < deadline,
                "no {what} in 30 s: {:?}",
                self.lines()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn stop(mut self) -> Vec<String> {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        )
        .unwrap();
        self.child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        self.lines()
    }
}

fn samples_in(path: &Path) -> usize {
    FileReader::open(path).map(|_| census(path).0).unwrap_or(0)
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[test]
fn a_write_cut_short_loses_that_sample_only_and_every_later_frame_decodes() {
    // RLIMIT_FSIZE cuts a write short exactly as a full disk does: the first part lands,
    // the rest fails (EFBIG here, ENOSPC there).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.rstat");
    let limit = 6_000u64;
    let mut collector = Collector::start(&["--file".as_ref(), file.as_os_str()], move || {
        let _ = unsafe {
            nix::sys::signal::signal(
                nix::sys::signal::Signal::SIGXFSZ,
                nix::sys::signal::SigHandler::SigIgn,
            )
        };
        nix::sys::resource::setrlimit(
            nix::sys::resource::Resource::RLIMIT_FSIZE,
            limit,
            nix::sys::resource::RLIM_INFINITY,
        )
        .map_err(std::io::Error::from)
    });
    collector.wait_for("write failure", |c| {
        c.lines().iter().any(|l| l.contains("cannot append"))
    });
    let before = std::fs::metadata(&file).unwrap().len();
    assert!(before <= limit);
    // Space comes back: raise the limit of the running collector.
    let unlimited = nix::libc::rlimit {
        rlim_cur: nix::libc::RLIM_INFINITY,
        rlim_max: nix::libc::RLIM_INFINITY,
    };
    // SAFETY: plain libc call with a valid pointer.
    let raised = unsafe {
        nix::libc::prlimit(
            collector.child.id() as i32,
            nix::libc::RLIMIT_FSIZE,
            &unlimited,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(raised, 0);
    let at_recovery = samples_in(&file);
    collector.wait_for("samples after recovery", |_| {
        samples_in(&file) >= at_recovery + 20
    });
    let lines = collector.stop();
    let (samples, damage) = census(&file);
    assert_eq!(damage, 0, "every frame decodes: {lines:?}");
    assert!(samples >= at_recovery + 20);
    let failed: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("cannot append"))
        .collect();
    assert_eq!(
        failed.len(),
        1,
        "one line per fault, not one per sample: {lines:?}"
    );
    assert!(
        failed[0].contains("the record is lost, the file is intact"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("writing works again;")),
        "{lines:?}"
    );
}

#[test]
fn a_full_tmpfs_then_freed_loses_nothing_after_recovery() {
    if !is_root() {
        eprintln!("SKIPPED a_full_tmpfs_then_freed_loses_nothing_after_recovery: needs root to mount a tmpfs");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=200k", "tmpfs"])
        .arg(&mount)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED a_full_tmpfs_then_freed_loses_nothing_after_recovery: cannot mount a tmpfs here (no CAP_SYS_ADMIN?)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let file = mount.join("f.rstat");
    let mut collector = Collector::start(&["--file".as_ref(), file.as_os_str()], || Ok(()));
    collector.wait_for("samples", |_| samples_in(&file) >= 3);
    // Fill the file system, then free it as soon as the collector says it is full.
    let filler = mount.join("filler");
    let _ = std::fs::write(&filler, vec![1u8; 400 * 1024]);
    collector.wait_for("disk full", |c| {
        c.lines().iter().any(|l| l.contains("No space left"))
    });
    std::fs::remove_file(&filler).unwrap();
    let at_recovery = samples_in(&file);
    collector.wait_for("samples after recovery", |_| {
        samples_in(&file) >= at_recovery + 20
    });
    let lines = collector.stop();
    let (samples, damage) = census(&file);
    assert_eq!(damage, 0, "{lines:?}");
    assert!(samples >= at_recovery + 20);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("free space on its file system")),
        "{lines:?}"
    );
}

#[test]
fn a_deleted_or_renamed_file_and_a_removed_directory_are_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.rstat");
    let mut collector = Collector::start(&["--file".as_ref(), file.as_os_str()], || Ok(()));
    collector.wait_for("samples", |_| samples_in(&file) >= 5);
    std::fs::remove_file(&file).unwrap();
    collector.wait_for("a new file", |_| samples_in(&file) >= 10);
    std::fs::rename(&file, dir.path().join("moved.rstat")).unwrap();
    collector.wait_for("a new file", |_| samples_in(&file) >= 10);
    let lines = collector.stop();
    let warnings: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("deleted or renamed"))
        .collect();
    assert_eq!(warnings.len(), 2, "{lines:?}");
    assert_eq!(census(&file).1, 0);
    let moved = census(&dir.path().join("moved.rstat"));
    assert_eq!(moved.1, 0);
    // The renamed file holds every sample up to the rename; the new one continues with the
    // last of them as its baseline (carried), so no interval is lost.
    assert!(moved.0 >= 10);

    // --dir, with the whole directory removed.
    let data = dir.path().join("data");
    let mut collector = Collector::start(&["--dir".as_ref(), data.as_os_str()], || Ok(()));
    let day_file = || {
        std::fs::read_dir(&data)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .next()
    };
    collector.wait_for("samples", |_| {
        day_file().is_some_and(|f| samples_in(&f) >= 5)
    });
    std::fs::remove_dir_all(&data).unwrap();
    collector.wait_for("a new directory", |_| {
        day_file().is_some_and(|f| samples_in(&f) >= 5)
    });
    let lines = collector.stop();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("deleted or renamed"))
            .count(),
        1,
        "{lines:?}"
    );
    assert_eq!(census(&day_file().unwrap()).1, 0);
}

#[test]
fn symbolic_links_are_never_followed_and_modes_ignore_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let victim = dir.path().join("victim");
    let today = chrono::Local::now().format("%Y-%m-%d.rstat").to_string();
    std::os::unix::fs::symlink(&victim, data.join(&today)).unwrap();
    let run = |target: &Path| {
        let mut command = rstat();
        command
            .args(["collect", "--count", "1", "--no-processes", "--dir"])
            .arg(target)
            .arg("--root")
            .arg(common::fixture_tree("system-real-a"));
        unsafe {
            command.pre_exec(|| {
                nix::sys::stat::umask(nix::sys::stat::Mode::empty());
                Ok(())
            })
        };
        command.output().unwrap()
    };
    let output = run(&data);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a symbolic link, which a collector never follows"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!victim.exists(), "the link's target was created");

    // A link to another rstat file: that file is left as it was.
    let other = dir.path().join("other.rstat");
    common::collect_from("system-real-a", &other, &[]);
    let before = std::fs::read(&other).unwrap();
    std::fs::remove_file(data.join(&today)).unwrap();
    std::os::unix::fs::symlink(&other, data.join(&today)).unwrap();
    assert_eq!(run(&data).status.code(), Some(1));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // Under umask 000, a new directory is 0750 and a new file 0640.
    let fresh = dir.path().join("fresh/data");
    let output = run(&fresh);
    assert!(output.status.success(), "{output:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&fresh), 0o750);
    assert_eq!(mode(&dir.path().join("fresh")), 0o750);
    assert_eq!(mode(&fresh.join(&today)), 0o640);
}

#[test]
fn sigkill_at_random_moments_200_times_loses_no_complete_frame() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.rstat");
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut torn_tails = 0;
    for round in 0..200 {
        let before = samples_in(&file);
        let mut child = rstat()
            .args([
                "collect",
                "-i",
                "5ms",
                "--no-processes",
                "--no-sync",
                "--root",
            ])
            .arg(common::fixture_tree("system-real-a"))
            .arg("--file")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(5_000 + seed % 75_000));
        child.kill().unwrap();
        child.wait().unwrap();
        if !file.exists() {
            continue;
        }
        // No header yet (killed while writing it): the next collector rewrites it.
        let Some((samples, damage, torn)) = census_with_tail(&file) else {
            continue;
        };
        assert_eq!(damage, 0, "round {round}: damage inside the file");
        torn_tails += torn;
        assert!(
            samples >= before,
            "round {round}: {samples} samples after {before}"
        );
    }
    // The next collector appends after whatever the kills left.
    let before = census(&file).0;
    common::collect_from("system-real-a", &file, &[]);
    assert_eq!(census(&file).0, before + 1);
    eprintln!("200 SIGKILLs: {before} samples, {torn_tails} torn tails seen");
}

#[test]
fn readers_of_a_file_being_written_never_see_a_torn_record() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live.rstat");
    let mut collector = Collector::start(&["--file".as_ref(), file.as_os_str()], || Ok(()));
    collector.wait_for("samples", |_| samples_in(&file) >= 2);
    let until = Instant::now() + Duration::from_secs(60);
    let readers: Vec<_> = [
        &["report", "-u", "-f"][..],
        &["export", "--jsonl", "-f"],
        &["info", "--verify"],
    ]
    .into_iter()
    .map(|args| {
        let file = file.clone();
        std::thread::spawn(move || {
            let mut runs = 0;
            while Instant::now() < until {
                let output = rstat().args(args).arg(&file).output().unwrap();
                let text = String::from_utf8_lossy(&output.stderr)
                    + String::from_utf8_lossy(&output.stdout);
                assert_ne!(output.status.code(), Some(3), "{args:?}: {text}");
                assert!(
                    !text.contains("damaged") && !text.contains("does not decode"),
                    "{args:?}: {text}"
                );
                runs += 1;
            }
            runs
        })
    })
    .collect();
    // The fourth reader is `rstat top -f`'s replay itself (the viewer's model, following the
    // file as top does once at its end), drawing every frame it would show on a terminal.
    let top = {
        let file = file.clone();
        std::thread::spawn(move || top_replay_until(&file, until))
    };
    // And a fifth follows the file with data-format's reader alone.
    let mut reader = FileReader::open(&file).unwrap();
    let mut followed = 0;
    while Instant::now() < until {
        match reader.next_item().unwrap() {
            Some(Item::Record {
                record: Record::Sample { .. },
                ..
            }) => followed += 1,
            Some(Item::Damaged(d)) => assert!(d.torn_tail, "{d}"),
            Some(_) => {}
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let runs: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let (frames, top_positions) = top.join().unwrap();
    let lines = collector.stop();
    let (samples, damage) = census(&file);
    assert_eq!(damage, 0, "{lines:?}");
    assert!(
        followed > 100 && followed <= samples,
        "{followed} of {samples}"
    );
    assert!(
        frames > 100 && top_positions > 100 && top_positions <= samples,
        "top's replay: {frames} frames, {top_positions} positions of {samples} samples"
    );
    eprintln!(
        "60 s: {samples} samples, reader runs {runs:?}, {followed} followed, top's replay drew {frames} frames over {top_positions} samples"
    );
}

/// `rstat top -f FILE`'s replay until `until`: the viewer's model following the file (End),
/// a step back and forth now and then (decoding older samples while frames are appended),
/// every frame drawn at 200x50. Asserts that no frame shows damage and that the position
/// shown is always a decoded sample; returns (frames drawn, positions at the end).
fn top_replay_until(file: &Path, until: Instant) -> (usize, usize) {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use rstat_viewer::model::Mark;
    use rstat_viewer::{view, KeyMap, Model, Replay, Theme, Ui};

    let replay = Replay::open(&[file.to_path_buf()])
        .unwrap()
        .without_neighbours();
    let mut model = Model::replay(replay);
    let ui = Ui::new(Theme { color: true }, KeyMap::default());
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    model.end();
    let mut frames = 0;
    while Instant::now() < until {
        if frames % 10 == 9 {
            model.step(-3);
        } else if frames % 10 == 0 {
            model.end();
        }
        model.tick(0);
        let snap = model.snapshot(200);
        let damage: Vec<_> = snap
            .marks
            .iter()
            .filter(|(_, m)| *m == Mark::Damage)
            .collect();
        assert!(damage.is_empty(), "top's replay shows damage at {damage:?}");
        assert!(
            model.is_empty() || snap.cur.is_some(),
            "position {:?} has no sample",
            snap.position
        );
        terminal
            .draw(|frame| view::draw(frame, &snap, &ui))
            .unwrap();
        frames += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    (frames, model.len())
}

#[test]
fn an_immutable_file_loses_only_the_samples_while_it_is_and_recovers() {
    let chattr = |flag: &str, file: &Path| Command::new("chattr").arg(flag).arg(file).status();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.rstat");
    let mut collector = Collector::start(&["--file".as_ref(), file.as_os_str()], || Ok(()));
    collector.wait_for("samples", |_| samples_in(&file) >= 3);
    if !is_root() || !chattr("+i", &file).is_ok_and(|s| s.success()) {
        collector.stop();
        eprintln!("SKIPPED an_immutable_file_loses_only_the_samples_while_it_is_and_recovers: needs root and a file system with chattr +i");
        return;
    }
    collector.wait_for("a write refused", |c| {
        c.lines().iter().any(|l| l.contains("cannot append"))
    });
    assert!(chattr("-i", &file).unwrap().success());
    let at_recovery = samples_in(&file);
    collector.wait_for("samples after recovery", |_| {
        samples_in(&file) >= at_recovery + 10
    });
    let lines = collector.stop();
    assert_eq!(census(&file).1, 0, "{lines:?}");
    let refused: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("cannot append"))
        .collect();
    assert_eq!(refused.len(), 1, "one line, not one per sample: {lines:?}");
    assert!(refused[0].contains("chattr -i"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("writing works again;")),
        "{lines:?}"
    );
}
