//! `rstat top` end to end: the real binary in a detached tmux session of fixed size, driven
//! with send-keys and read with capture-pane. Skipped (with a message) when tmux is absent;
//! CI installs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
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
