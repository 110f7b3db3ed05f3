//! Running the binary with its time and peak memory measured (`wait4`'s rusage of that one
//! child), under a wall-clock limit: for bounds that only an unbounded or quadratic case
//! breaks, never for benchmark figures.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a measured run did.
#[derive(Debug)]
pub struct Measured {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// Peak resident set size, bytes.
    pub max_rss: u64,
}

/// Runs `command` to completion (killed after `limit`), with stdin closed. The child is
/// reaped by `wait4` (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn run_measured(mut command: Command, limit: Duration) -> Measured {
    let start = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as i32;
    let (status, rusage) = loop {
        let mut status = 0;
        // SAFETY: plain libc call with valid pointers to locals.
        let mut rusage: nix::libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { nix::libc::wait4(pid, &mut status, nix::libc::WNOHANG, &mut rusage) };
        if done == pid {
            break (status, rusage);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    use std::os::unix::process::ExitStatusExt;
    Measured {
        status: ExitStatus::from_raw(status),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed: start.elapsed(),
        max_rss: rusage.ru_maxrss as u64 * 1024,
    }
}
