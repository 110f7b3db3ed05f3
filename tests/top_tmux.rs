//! `rstat top` end to end: the real binary in a detached tmux session of fixed size, driven
//! with send-keys and read with capture-pane. Skipped (with a message) when tmux is absent;
//! CI installs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn have_tmux() -> bool {
    have("tmux", "-V")
}

fn have(program: &str, version: &str) -> bool {
    Command::new(program)
        .arg(version)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A tmux server of its own (socket in a temporary directory), killed on drop.
struct Tmux {
    socket: PathBuf,
    session: String,
}

impl Tmux {
    fn start(dir: &Path, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: dir.join("tmux.sock"),
            session: "top".into(),
        };
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            &tmux.session,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            command,
        ]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    /// Waits until the screen contains `text`; panics with the screen after 30 s.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text))
    }

    /// Waits until `ready` holds for the screen (a whole redraw, not only its first line:
    /// tmux may be captured while top is still drawing); panics with the screen after 30 s
    /// (a loaded CI machine can take seconds to start top and draw).
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("waited 30 s for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn rstat() -> &'static str {
    env!("CARGO_BIN_EXE_rstat")
}

/// Five samples of this machine 200 ms apart, processes included, written by `rstat collect`;
/// returns the file and the collector's pid (a process of its own samples).
fn fixture_file_and_pid(dir: &Path) -> (PathBuf, u32) {
    let file = dir.join("top.rstat");
    let mut child = Command::new(rstat())
        .args(["collect", "--count", "5", "-i", "200ms", "--file"])
        .arg(&file)
        .spawn()
        .expect("run rstat collect");
    let pid = child.id();
    let status = child.wait().expect("wait for rstat collect");
    assert!(status.success());
    (file, pid)
}

fn fixture_file(dir: &Path) -> PathBuf {
    fixture_file_and_pid(dir).0
}

#[test]
fn replay_keys_resize_and_quit() {
    if !have_tmux() {
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = fixture_file(dir.path());
    let command = format!(
        "sh -c 'TZ=UTC {} top -f {}; echo EXITED $?; sleep 60'",
        rstat(),
        file.display()
    );
    let tmux = Tmux::start(dir.path(), 100, 30, &command);
    let screen = tmux.wait_for("REPLAY");
    assert!(screen.contains("5/5"), "starts at the end:\n{screen}");
    assert!(
        screen.contains("Overview") && screen.contains("CPU %"),
        "{screen}"
    );
    assert!(
        screen.contains("00h") && screen.contains("24h"),
        "timeline:\n{screen}"
    );

    // Step back one sample (Left), then t forward again, then T back twice.
    tmux.keys(&["Left"]);
    tmux.wait_for("4/5");
    tmux.keys(&["t"]);
    tmux.wait_for("5/5");
    tmux.keys(&["T", "T"]);
    tmux.wait_for("3/5");

    // Screens: number key, Tab, Shift-Tab.
    tmux.keys(&["2"]);
    tmux.wait_for("Block devices");
    tmux.keys(&["Tab"]);
    // A capture may catch the frame half drawn (the table already there, the charts not
    // yet): wait for the chart's title rather than expect it in the same capture.
    tmux.wait_for("Interfaces");
    tmux.wait_for("receive");
    tmux.keys(&["BTab"]);
    tmux.wait_for("Block devices");

    // Help overlay, closed again.
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (? closes)");
    tmux.wait_for("one sample back");
    tmux.keys(&["?"]);
    let start = Instant::now();
    while tmux.screen().contains("Keys (? closes)") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "help did not close"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // End goes back to the last sample.
    tmux.keys(&["End"]);
    tmux.wait_for("5/5");

    // Too small, then large again.
    tmux.run(&["resize-window", "-t", "top", "-x", "60", "-y", "20"]);
    tmux.wait_for("terminal too small (need 80x24");
    tmux.run(&["resize-window", "-t", "top", "-x", "120", "-y", "40"]);
    tmux.wait_for("Block devices");

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(
        !screen.contains("Block devices"),
        "the alternate screen was left:\n{screen}"
    );
}

#[test]
fn processes_screen_filter_and_quit() {
    if !have_tmux() {
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (file, collector) = fixture_file_and_pid(dir.path());
    let command = format!(
        "sh -c 'TZ=UTC {} top -f {}; echo EXITED $?; sleep 60'",
        rstat(),
        file.display()
    );
    let tmux = Tmux::start(dir.path(), 100, 30, &command);
    tmux.wait_for("REPLAY");
    tmux.keys(&["4"]);
    let screen = tmux.wait_for("CPU%");
    assert!(
        screen.contains("Processes") && screen.contains("command"),
        "{screen}"
    );
    // The collector is the only process whose command line holds this temporary directory.
    let unique = dir
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().replace('.', "\\."))
        .expect("a directory name");
    tmux.keys(&["/"]);
    tmux.wait_for("filter processes (regex)");
    tmux.keys(&["-l", &unique]);
    tmux.keys(&["Enter"]);
    // The table's rows: between its header line and its bottom border.
    fn rows(screen: &str) -> Vec<&str> {
        screen
            .lines()
            .skip_while(|line| !line.contains("CPU%"))
            .skip(1)
            .take_while(|line| !line.starts_with('└'))
            .filter(|line| {
                line.trim_start_matches('│')
                    .starts_with(|c: char| c.is_ascii_digit())
            })
            .collect()
    }
    let screen = tmux.wait_until("the filtered table drawn whole", |screen| {
        screen.contains("Processes 1 ") && rows(screen).len() == 1 && screen.contains("┌ rstat ")
    });
    let rows = rows(&screen);
    assert_eq!(rows.len(), 1, "one process listed:\n{screen}");
    assert!(
        rows[0].starts_with(&format!("│{collector} ")),
        "the collector (pid {collector}) is listed:\n{screen}"
    );
    assert!(screen.contains("┌ rstat "), "its detail pane:\n{screen}");

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(
        !screen.contains("Processes"),
        "the alternate screen was left:\n{screen}"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_bad_files_are_refused() {
    if !have_tmux() {
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = fixture_file(dir.path());
    let pid_file = dir.path().join("pid");
    let command = format!(
        "sh -c '{} top -f {} & echo $! > {}; wait $!; echo EXITED $?; sleep 60'",
        rstat(),
        file.display(),
        pid_file.display()
    );
    let tmux = Tmux::start(dir.path(), 100, 30, &command);
    tmux.wait_for("REPLAY");
    let pid = std::fs::read_to_string(&pid_file).expect("pid");
    let status = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .expect("kill");
    assert!(status.success());
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
    drop(tmux);

    // Not an rstat file, and an empty one: one line, non-zero exit, no screen taken over.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a data file\n").expect("write");
    let empty = dir.path().join("empty.rstat");
    std::fs::write(&empty, "").expect("write");
    for path in [&text, &empty] {
        let out = Command::new(rstat())
            .args(["top", "-f"])
            .arg(path)
            .output()
            .expect("run");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    }
}

/// How [`start_top`] starts top.
#[derive(Clone, Copy, Debug)]
enum Stdin {
    /// In the foreground: standard input is the terminal.
    Terminal,
    /// In the background of a shell, which gives it /dev/null: top then reads /dev/tty.
    Null,
}

/// Starts `PREFIX rstat top -f FILE` in tmux in a shell that prints `EXITED status` when it
/// ends; returns tmux and top's pid.
fn start_top(dir: &Path, file: &Path, prefix: &str, stdin: Stdin) -> (Tmux, String) {
    let top = format!("TZ=UTC {prefix} {} top -f {}", rstat(), file.display());
    let command = match stdin {
        Stdin::Terminal => format!("sh -c '{top}; echo EXITED $?; sleep 60'"),
        Stdin::Null => format!("sh -c '{top} & wait $!; echo EXITED $?; sleep 60'"),
    };
    let tmux = Tmux::start(dir, 100, 30, &command);
    tmux.wait_for("REPLAY");
    let pid =
        pid_of(&[rstat(), "top", "-f", &file.display().to_string()]).expect("top's pid in /proc");
    (tmux, pid)
}

/// The process whose command line is `args`.
fn pid_of(args: &[&str]) -> Option<String> {
    let wanted: Vec<u8> = args
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            (name.bytes().all(|b| b.is_ascii_digit()) && cmdline == wanted).then_some(name)
        })
}

fn signal(signal: &str, pid: &str) {
    let status = Command::new("kill")
        .args([signal, pid])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {signal} {pid}");
}

/// top on a fixture under strace, which holds each of crossterm's epoll_wait calls for 2 s on
/// the way out; None (with a message) where tmux or strace is missing.
fn start_top_held() -> Option<(tempfile::TempDir, Tmux, String)> {
    if !have_tmux() || !have("strace", "-V") {
        eprintln!("skipped: tmux or strace is not installed (apt-get install tmux strace)");
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = fixture_file(dir.path());
    let hold = "strace -o /dev/null -e trace=epoll_wait -e inject=epoll_wait:delay_exit=2000000";
    let (tmux, top) = start_top(dir.path(), &file, hold, Stdin::Terminal);
    Some((dir, tmux, top))
}

/// crossterm's reader is edge-triggered, and it used to handle SIGWINCH through a pipe it
/// polls with the terminal: with both ready in one wake-up it returned the resize and dropped
/// the terminal's readiness, so the key waited for the next one (CI once saw `q` ignored after
/// a resize). strace holds each of crossterm's epoll_wait calls for 2 s on the way out, so
/// that a SIGWINCH sent then is handled while nothing polls the pipe, as when it comes during
/// a frame. Timeline: `2` at 0 s; crossterm's wait for it ends at 2 s, the frame is drawn, and
/// its look for more is held until about 4 s; SIGWINCH at 3 s; `q` at 6 s.
#[test]
fn a_key_pressed_while_a_resize_is_pending_is_not_lost() {
    let Some((_dir, tmux, top)) = start_top_held() else {
        return;
    };
    tmux.keys(&["2"]);
    std::thread::sleep(Duration::from_secs(3));
    signal("-WINCH", &top);
    tmux.wait_for("Block devices");
    std::thread::sleep(Duration::from_secs(3));
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXITED");
    assert!(screen.contains("EXITED 0"), "{screen}");
}

/// crossterm's reader loops forever on a terminal that hung up, and the hang-up can come
/// between top's poll and crossterm's read: strace holds crossterm's epoll_wait for 2 s after
/// a key, and the terminal (tmux) goes away meanwhile. The SIGHUP that follows must end top.
#[test]
fn a_hang_up_while_crossterm_reads_ends_top() {
    let Some((_dir, tmux, top)) = start_top_held() else {
        return;
    };
    tmux.keys(&["2"]);
    std::thread::sleep(Duration::from_millis(500));
    drop(tmux);
    let start = Instant::now();
    while Path::new(&format!("/proc/{top}")).exists() {
        if start.elapsed() > Duration::from_secs(20) {
            signal("-KILL", &top);
            panic!("top (pid {top}) still runs 20 s after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// crossterm reads 1 kB per wake-up of its edge-triggered reader; the rest of a longer paste
/// had no edge left to announce it, and the loop spun on a readable terminal while `q`, behind
/// the paste, was never read. Both ways top finds its terminal.
#[test]
fn a_paste_longer_than_one_read_is_read_whole() {
    if !have_tmux() {
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    for stdin in [Stdin::Terminal, Stdin::Null] {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = fixture_file(dir.path());
        let (tmux, _) = start_top(dir.path(), &file, "", stdin);
        // `z` is bound to nothing: 5,000 key presses that change nothing, then quit.
        tmux.keys(&["-l", &"z".repeat(5000)]);
        tmux.keys(&["q"]);
        let screen = tmux.wait_for("EXITED");
        assert!(screen.contains("EXITED 0"), "stdin {stdin:?}:\n{screen}");
    }
}
