//! `--follow`: waiting between polls of a growing file, and stopping cleanly on SIGINT or
//! SIGTERM. The signals are blocked and read from a signalfd, so the wait is an ordinary
//! poll with a timeout and the export is finished (document closed, file renamed) by the
//! normal code path instead of a signal handler.

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};

/// SIGINT and SIGTERM, blocked and readable from a signalfd.
pub(crate) struct Stop {
    fd: SignalFd,
}

impl Stop {
    pub(crate) fn new() -> Result<Stop, String> {
        let mut mask = SigSet::empty();
        mask.add(Signal::SIGINT);
        mask.add(Signal::SIGTERM);
        mask.thread_block()
            .map_err(|e| format!("--follow: cannot block SIGINT and SIGTERM: {e}"))?;
        let fd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
            .map_err(|e| format!("--follow: cannot create a signalfd: {e}"))?;
        Ok(Stop { fd })
    }

    /// Waits up to `timeout`; true when SIGINT or SIGTERM arrived.
    pub(crate) fn wait(&self, timeout: Duration) -> Result<bool, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let millis = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(self.fd.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(millis)) {
                Ok(0) if Instant::now() >= deadline => return Ok(false),
                Ok(0) => continue,
                Ok(_) => {
                    return match self.fd.read_signal() {
                        Ok(Some(_)) => Ok(true),
                        Ok(None) => continue,
                        Err(e) => Err(format!("--follow: cannot read a signal: {e}")),
                    }
                }
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(format!("--follow: cannot wait for new samples: {e}")),
            }
        }
    }
}

/// The next day's file after `path` (a `YYYY-MM-DD.rstat` day file), if the collector has
/// started it: following today's file goes on into tomorrow's after midnight.
pub(crate) fn next_day_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let date = rstat_data_format::daily::date_of_file_name(name)?;
    let dir = path.parent()?;
    let next = rstat_data_format::daily::day_file(dir, date.succ_opt()?);
    next.exists().then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_day_file_is_found_only_once_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let today = dir.path().join("2026-12-31.rstat");
        assert_eq!(next_day_file(&today), None);
        std::fs::write(dir.path().join("2027-01-01.rstat"), b"").unwrap();
        assert_eq!(
            next_day_file(&today),
            Some(dir.path().join("2027-01-01.rstat"))
        );
        assert_eq!(next_day_file(&dir.path().join("notes.rstat")), None);
    }
}
