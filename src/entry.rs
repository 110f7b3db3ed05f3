//! The process's entry point: the C `main` that glibc calls, in place of std's.
//!
//! Why not std's: before `main`, std's runtime asks glibc for the main thread's stack bounds
//! (glibc reads and parses /proc/self/maps for that), maps an alternate signal stack and
//! installs SIGSEGV and SIGBUS handlers, so that a stack overflow prints a message rather
//! than a bare SIGSEGV. Measured on the README's 2-vCPU VM: 90 µs and 8 page faults per
//! process, 3% of a one-shot `rstat collect` (the timer's: one process per sample). What of
//! it rstat relies on is done here instead:
//! - descriptors 0, 1 and 2 are open: a collector started with one closed would have its
//!   data file take that number, and a message printed would land in the file;
//! - a panic prints its message (the panic hook's) and exits 101;
//! - standard output is flushed at exit (`std::process::exit` does it);
//! - SIGPIPE is left at its default: printing into a closed pipe (`rstat report | head`)
//!   stops rstat quietly, as it stops sar.
//!
//! The arguments are std's as usual (glibc hands them to std at load time).

use std::ffi::c_int;
use std::process::ExitCode;

/// glibc's entry into the program (test builds have the test harness's).
#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const std::ffi::c_char) -> c_int {
    open_standard_descriptors();
    restore_default_sigpipe();
    let code = std::panic::catch_unwind(crate::rstat_main).unwrap_or(ExitCode::from(101));
    std::process::exit(exit_status(code))
}

/// The status `code` stands for (std gives no way to read it back: compared with each).
fn exit_status(code: ExitCode) -> c_int {
    (0..=u8::MAX)
        .find(|&status| ExitCode::from(status) == code)
        .map_or(1, c_int::from)
}

#[cfg_attr(test, allow(dead_code))]
/// Opens /dev/null on whichever of descriptors 0, 1 and 2 is closed, as std's runtime does
/// (one poll(2) tells which: a closed descriptor answers POLLNVAL).
fn open_standard_descriptors() {
    use nix::libc;
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `fds` is an array of three pollfd, as the count says; a zero timeout returns
    // at once.
    if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } < 0 {
        return;
    }
    for pollfd in fds {
        if pollfd.revents & libc::POLLNVAL == 0 {
            continue;
        }
        // The lowest free descriptor is taken: this one, as lower ones are open by now.
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
        {
            Ok(null) => std::mem::forget(null),
            Err(_) => std::process::abort(),
        }
    }
}

#[cfg_attr(test, allow(dead_code))]
/// Printing into a closed pipe (`rstat report | head`) stops rstat quietly, as it stops sar,
/// whatever the parent left SIGPIPE at.
fn restore_default_sigpipe() {
    use nix::sys::signal::{signal, SigHandler, Signal};
    // SAFETY: called first thing, before any thread exists; SIG_DFL installs no Rust code
    // as a handler.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_read_back() {
        for status in [0u8, 1, 2, 3, 78, 101, 255] {
            assert_eq!(exit_status(ExitCode::from(status)), c_int::from(status));
        }
        assert_eq!(exit_status(ExitCode::SUCCESS), 0);
        assert_eq!(exit_status(ExitCode::FAILURE), 1);
    }
}
