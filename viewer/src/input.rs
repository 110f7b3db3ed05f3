//! Waiting for terminal input beside crossterm's reader, which is edge-triggered: it reads the
//! terminal again only after new bytes arrive. Three things it does not do are done here:
//!
//! - **SIGWINCH is taken over** ([`take_resize_signal`]). crossterm turns the signal into a
//!   byte on a pipe it polls with the terminal; when both are ready in one wake-up it returns
//!   the resize and drops the terminal's readiness, and a key pressed just after a resize
//!   waited for the next key (a `q` did not quit). The viewer learns the size itself.
//! - **Bytes left behind are read.** crossterm reads at most 1 kB per wake-up; the rest of a
//!   paste or of a burst of mouse motion stays queued with no new edge to announce it. When
//!   crossterm finds nothing although bytes are queued, [`TerminalInput::nothing_read`]
//!   re-applies the terminal's settings, which wakes its readers (Linux's line discipline
//!   does so on every settings change). Where that is not enough, waiting turns into naps
//!   that report input only when the queue grows, instead of spinning on a descriptor that
//!   stays readable.
//! - **A hang-up is seen** (the window or ssh session closed): crossterm's reader loops forever
//!   on a terminal that hung up, so it is asked for events only after this poll saw input;
//!   for a hang-up that comes while it reads, the stop signals' handler asks
//!   [`terminal_hung_up`] and leaves at once.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

/// Set by the SIGWINCH handler; read by [`resized`].
static RESIZED: AtomicBool = AtomicBool::new(false);
/// The descriptor [`TerminalInput`] polls, for [`terminal_hung_up`] (-1: none yet).
static TERMINAL_FD: AtomicI32 = AtomicI32::new(-1);

/// The longest nap while bytes crossterm left behind are queued.
const STRANDED_NAP: Duration = Duration::from_millis(20);

extern "C" fn on_resize(_: nix::libc::c_int) {
    RESIZED.store(true, Ordering::SeqCst);
}

/// Replaces crossterm's SIGWINCH handler with one that only sets a flag. Call it after
/// crossterm's reader exists (the first `event::poll`), which installs crossterm's handler.
/// Without `SA_RESTART`, so that a resize interrupts [`TerminalInput::wait`]'s poll.
pub fn take_resize_signal() -> io::Result<()> {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
    let action = SigAction::new(
        SigHandler::Handler(on_resize),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe { sigaction(Signal::SIGWINCH, &action) }.map_err(io::Error::from)?;
    Ok(())
}

/// Whether a SIGWINCH arrived since the last call.
pub fn resized() -> bool {
    RESIZED.swap(false, Ordering::SeqCst)
}

/// Whether the terminal hung up (its window or ssh session closed). Async-signal-safe: one
/// poll(2) of the descriptor [`TerminalInput`] opened, for the stop signals' handler.
pub fn terminal_hung_up() -> bool {
    let fd = TERMINAL_FD.load(Ordering::SeqCst);
    if fd < 0 {
        return false;
    }
    let mut watched = nix::libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    // SAFETY: one pollfd, valid for the call; poll is async-signal-safe.
    let ready = unsafe { nix::libc::poll(&mut watched, 1, 0) };
    ready > 0 && watched.revents & (nix::libc::POLLHUP | nix::libc::POLLERR) != 0
}

/// What [`TerminalInput::wait`] saw.
#[derive(Debug, PartialEq, Eq)]
pub enum Wake {
    /// Bytes crossterm has not read yet: ask it for events.
    Ready,
    /// Nothing within the wait.
    Idle,
    /// A signal (a resize, or one that asks to stop) cut the wait short.
    Interrupted,
    /// The terminal hung up.
    Gone,
}

/// The terminal crossterm reads: standard input when that is a terminal, else /dev/tty
/// (crossterm opens it too; this is a second descriptor of the same terminal).
enum Source {
    Stdin(io::Stdin),
    Tty(File),
    /// Tests: any descriptor (a pseudo-terminal's).
    #[cfg(test)]
    Fd(std::os::fd::OwnedFd),
}

/// The terminal crossterm reads, watched beside it.
pub struct TerminalInput {
    source: Source,
    /// Bytes queued when crossterm last found nothing in them, while that is still so.
    stranded: Option<usize>,
}

impl TerminalInput {
    /// The terminal crossterm reads: standard input when that is a terminal, else /dev/tty.
    pub fn open() -> io::Result<TerminalInput> {
        use std::io::IsTerminal;
        let stdin = io::stdin();
        let source = if stdin.is_terminal() {
            Source::Stdin(stdin)
        } else {
            Source::Tty(File::options().read(true).write(true).open("/dev/tty")?)
        };
        let input = TerminalInput {
            source,
            stranded: None,
        };
        TERMINAL_FD.store(input.fd().as_raw_fd(), Ordering::SeqCst);
        Ok(input)
    }

    fn fd(&self) -> BorrowedFd<'_> {
        match &self.source {
            Source::Stdin(stdin) => stdin.as_fd(),
            Source::Tty(file) => file.as_fd(),
            #[cfg(test)]
            Source::Fd(fd) => fd.as_fd(),
        }
    }

    /// Waits up to `wait` for bytes crossterm has not read.
    pub fn wait(&mut self, wait: Duration) -> io::Result<Wake> {
        let Some(queued) = self.stranded else {
            return self.poll(PollFlags::POLLIN, wait);
        };
        // The queued bytes keep the descriptor readable: poll only for a hang-up, and look at
        // the queue after a nap.
        let woke = self.poll(PollFlags::empty(), wait.min(STRANDED_NAP))?;
        if woke != Wake::Idle {
            return Ok(woke);
        }
        let now = self.queued()?;
        if now == queued {
            return Ok(Wake::Idle);
        }
        // New bytes are an edge crossterm sees; fewer mean something read them.
        self.stranded = None;
        Ok(if now > 0 { Wake::Ready } else { Wake::Idle })
    }

    fn poll(&self, events: PollFlags, wait: Duration) -> io::Result<Wake> {
        let mut fds = [PollFd::new(self.fd(), events)];
        let millis = u16::try_from(wait.as_millis()).unwrap_or(u16::MAX);
        match poll(&mut fds, PollTimeout::from(millis)) {
            Ok(0) => Ok(Wake::Idle),
            Ok(_) => {
                let gone = PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL;
                let revents = fds[0].revents().unwrap_or(PollFlags::empty());
                Ok(if revents.intersects(gone) {
                    Wake::Gone
                } else if revents.contains(PollFlags::POLLIN) {
                    Wake::Ready
                } else {
                    Wake::Idle
                })
            }
            Err(nix::errno::Errno::EINTR) => Ok(Wake::Interrupted),
            Err(e) => Err(io::Error::from(e)),
        }
    }

    /// crossterm read some events: its reader is in step with the terminal again.
    pub fn something_read(&mut self) {
        self.stranded = None;
    }

    /// crossterm found no event although [`wait`](Self::wait) saw bytes. Re-applies the
    /// terminal's settings, which makes crossterm's reader look again; returns whether bytes
    /// are queued, so that the caller asks crossterm once more. Called again after that
    /// second look found nothing too, it leaves the bytes to naps (see [`Self::wait`]).
    pub fn nothing_read(&mut self) -> io::Result<bool> {
        let queued = self.queued()?;
        if queued == 0 || self.stranded.is_some() {
            self.stranded = (queued > 0).then_some(queued);
            return Ok(false);
        }
        self.stranded = Some(queued);
        let settings = nix::sys::termios::tcgetattr(self.fd()).map_err(io::Error::from)?;
        nix::sys::termios::tcsetattr(self.fd(), nix::sys::termios::SetArg::TCSANOW, &settings)
            .map_err(io::Error::from)?;
        Ok(true)
    }

    /// Bytes waiting in the terminal's input queue.
    fn queued(&self) -> io::Result<usize> {
        let mut count: nix::libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer, which points at `count`.
        let rc = unsafe {
            nix::libc::ioctl(
                self.fd().as_raw_fd(),
                nix::libc::FIONREAD,
                &mut count as *mut nix::libc::c_int,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(usize::try_from(count).unwrap_or(0))
    }
}

impl Drop for TerminalInput {
    fn drop(&mut self) {
        // The descriptor may be closed now, and its number reused.
        TERMINAL_FD.store(-1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A pseudo-terminal: the input wrapped around its terminal side, and its other side.
    fn pty() -> (TerminalInput, File) {
        use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg};
        let pty = nix::pty::openpty(None, None).expect("openpty");
        // Raw, as top runs it: a cooked terminal holds bytes back until a whole line.
        let mut settings = tcgetattr(&pty.slave).expect("tcgetattr");
        cfmakeraw(&mut settings);
        tcsetattr(&pty.slave, SetArg::TCSANOW, &settings).expect("tcsetattr");
        let input = TerminalInput {
            source: Source::Fd(pty.slave),
            stranded: None,
        };
        (input, File::from(pty.master))
    }

    fn settle() {
        std::thread::sleep(Duration::from_millis(50));
    }

    #[test]
    fn typed_bytes_wake_and_silence_idles() {
        let (mut input, mut typist) = pty();
        assert_eq!(input.wait(Duration::ZERO).unwrap(), Wake::Idle);
        typist.write_all(b"q").unwrap();
        settle();
        assert_eq!(input.wait(Duration::from_secs(1)).unwrap(), Wake::Ready);
        assert_eq!(input.queued().unwrap(), 1);
    }

    #[test]
    fn bytes_left_behind_are_reported_only_when_more_arrive() {
        let (mut input, mut typist) = pty();
        typist.write_all(b"abc").unwrap();
        settle();
        // First miss: the settings are re-applied and the caller is told to look again.
        assert!(input.nothing_read().unwrap());
        // Second miss: naps, without reporting the same three bytes again and again.
        assert!(!input.nothing_read().unwrap());
        assert_eq!(input.stranded, Some(3));
        assert_eq!(input.wait(Duration::from_millis(100)).unwrap(), Wake::Idle);
        assert_eq!(input.wait(Duration::from_millis(100)).unwrap(), Wake::Idle);
        typist.write_all(b"q").unwrap();
        settle();
        assert_eq!(input.wait(Duration::from_millis(100)).unwrap(), Wake::Ready);
        assert_eq!(input.stranded, None);
        // Reading in step again: the next miss starts over.
        input.something_read();
        assert!(input.nothing_read().unwrap());
    }

    #[test]
    fn an_empty_queue_is_not_left_behind() {
        let (mut input, _typist) = pty();
        assert!(!input.nothing_read().unwrap());
        assert_eq!(input.stranded, None);
    }

    #[test]
    fn a_hang_up_is_seen_even_with_bytes_queued() {
        let (mut input, mut typist) = pty();
        typist.write_all(b"xyz").unwrap();
        settle();
        input.nothing_read().unwrap();
        input.nothing_read().unwrap();
        drop(typist);
        settle();
        assert_eq!(input.wait(Duration::from_secs(1)).unwrap(), Wake::Gone);
    }

    #[test]
    fn a_resize_signal_sets_the_flag_once() {
        // Only this test raises SIGWINCH; the handler is process-wide.
        take_resize_signal().unwrap();
        resized();
        nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH).unwrap();
        assert!(resized());
        assert!(!resized());
    }
}
