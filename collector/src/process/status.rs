//! `/proc/PID/status`, `/proc/PID/io` and `/proc/PID/schedstat`: the per-process fields that
//! `/proc/PID/stat` lacks.
//!
//! - status: only `Uid:` (the real uid, its first field; required, so that a file that is not
//!   a status file is an error), `VmSwap:` (kB) and the two context-switch counters (absent
//!   before Linux 2.6.23: 0). The other ~50 lines are skipped by their first byte.
//! - io: `name: value` lines; any of the seven known names may be missing (0), but a file
//!   with none of them is an error.
//! - schedstat: `run_ns run_delay_ns timeslices`; rstat stores the run delay (pidstat's
//!   %wait) and uses the other two to tell whether the task ran since the last sample.

use crate::proc::{Lines, ParseError};

/// The status fields rstat keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Real uid (first field of `Uid:`).
    pub uid: u64,
    /// Swapped-out memory (`VmSwap:`), kB.
    pub swap_kb: u64,
    /// `voluntary_ctxt_switches`.
    pub voluntary_ctxt_switches: u64,
    /// `nonvoluntary_ctxt_switches`.
    pub nonvoluntary_ctxt_switches: u64,
}

/// Where the status fields come from (PID replaced).
pub const STATUS_FILE: &str = "/proc/PID/status";
/// Where the io fields come from (PID replaced).
pub const IO_FILE: &str = "/proc/PID/io";
/// Where the schedstat fields come from (PID replaced).
pub const SCHEDSTAT_FILE: &str = "/proc/PID/schedstat";

/// Parses the bytes of a status file.
pub fn parse_status(bytes: &[u8]) -> Result<Status, ParseError> {
    let mut status = Status::default();
    let mut uid_seen = false;
    for line in Lines::new(STATUS_FILE, bytes) {
        // Every line rstat wants starts with one of these; skip the rest without splitting.
        if !matches!(line.bytes.first(), Some(b'U' | b'V' | b'v' | b'n')) {
            continue;
        }
        let Some(colon) = line.bytes.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, rest) = (&line.bytes[..colon], &line.bytes[colon + 1..]);
        let target = match name {
            b"Uid" => {
                uid_seen = true;
                &mut status.uid
            }
            b"VmSwap" => &mut status.swap_kb,
            b"voluntary_ctxt_switches" => &mut status.voluntary_ctxt_switches,
            b"nonvoluntary_ctxt_switches" => &mut status.nonvoluntary_ctxt_switches,
            _ => continue,
        };
        let mut fields = line.fields_of(rest);
        *target = fields.number(std::str::from_utf8(name).unwrap_or("the value"))?;
    }
    if !uid_seen {
        return Err(ParseError::new(STATUS_FILE, 1, "no Uid: line"));
    }
    Ok(status)
}

/// The io fields rstat keeps, in file order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Io {
    /// Bytes read through read(2) and the like.
    pub rchar: u64,
    /// Bytes written through write(2) and the like.
    pub wchar: u64,
    /// Read system calls.
    pub syscr: u64,
    /// Write system calls.
    pub syscw: u64,
    /// Bytes fetched from storage.
    pub read_bytes: u64,
    /// Bytes sent to storage.
    pub write_bytes: u64,
    /// Bytes whose writing was cancelled (truncated dirty pages).
    pub cancelled_write_bytes: u64,
}

/// Parses the bytes of an io file.
pub fn parse_io(bytes: &[u8]) -> Result<Io, ParseError> {
    let mut io = Io::default();
    let mut known = 0;
    for line in Lines::new(IO_FILE, bytes) {
        let Some(colon) = line.bytes.iter().position(|&b| b == b':') else {
            if line.is_blank() {
                continue;
            }
            return Err(line.error("expected `name: value`"));
        };
        let target = match &line.bytes[..colon] {
            b"rchar" => &mut io.rchar,
            b"wchar" => &mut io.wchar,
            b"syscr" => &mut io.syscr,
            b"syscw" => &mut io.syscw,
            b"read_bytes" => &mut io.read_bytes,
            b"write_bytes" => &mut io.write_bytes,
            b"cancelled_write_bytes" => &mut io.cancelled_write_bytes,
            _ => continue,
        };
        *target = line
            .fields_of(&line.bytes[colon + 1..])
            .number("the value")?;
        known += 1;
    }
    if known == 0 {
        return Err(ParseError::new(IO_FILE, 1, "no known field"));
    }
    Ok(io)
}

/// The three numbers of a schedstat file (of the task itself, not its thread group).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchedStat {
    /// Time spent on a CPU, ns.
    pub run_ns: u64,
    /// Time spent waiting on a run queue, ns (pidstat's %wait).
    pub run_delay_ns: u64,
    /// How many times the task was scheduled in.
    pub timeslices: u64,
}

/// Parses the bytes of a schedstat file (`run_ns run_delay_ns timeslices`).
pub fn parse_schedstat(bytes: &[u8]) -> Result<SchedStat, ParseError> {
    let mut lines = Lines::new(SCHEDSTAT_FILE, bytes);
    let line = lines
        .next_nonblank()
        .ok_or_else(|| ParseError::new(SCHEDSTAT_FILE, 1, "empty file"))?;
    let mut fields = line.fields();
    Ok(SchedStat {
        run_ns: fields.number("the run time")?,
        run_delay_ns: fields.number("the run delay")?,
        timeslices: fields.number("the timeslices")?,
    })
}
