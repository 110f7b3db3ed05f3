//! `/proc/PID/stat` and `/proc/PID/task/TID/stat`: one line, `pid (comm) state ppid ...`.
//!
//! The command name may hold any byte but NUL, including spaces, parentheses and newlines, so
//! it is taken between the first `(` and the LAST `)` of the file: the fields after it are
//! numbers and never hold a `)`. Fields are numbered as in proc(5) (pid is 1, comm 2, state
//! 3). Fields up to rss (24) are required; later ones (processor, delayacct_blkio_ticks,
//! guest_time, ...) appeared in later kernels and are 0 when absent. Signed fields (priority,
//! nice, cutime, ...) are parsed as signed; a negative count is stored as 0.

use crate::proc::{quote, ParseError};

/// The file this module parses, as named in errors.
pub const FILE: &str = "/proc/PID/stat";

/// The fields rstat keeps, as numbers; the command name as a byte range of the parsed bytes
/// (so that parsing allocates nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcStat {
    /// Process id (field 1).
    pub pid: u32,
    /// `bytes[comm_start..comm_end]` is the command name.
    pub comm_start: usize,
    /// End of the command name in the parsed bytes.
    pub comm_end: usize,
    /// The state letter (`R`, `S`, `D`, `Z`, `T`, `t`, `I`, `X`, ...).
    pub state: u8,
    /// Parent pid (field 4).
    pub ppid: u64,
    /// Kernel flags of the task (PF_*).
    pub flags: u64,
    /// Minor faults (field 10).
    pub minflt: u64,
    /// Minor faults of waited-for children (field 11).
    pub cminflt: u64,
    /// Major faults (field 12).
    pub majflt: u64,
    /// Major faults of waited-for children (field 13).
    pub cmajflt: u64,
    /// User time, clock ticks (field 14).
    pub utime: u64,
    /// System time, clock ticks (field 15).
    pub stime: u64,
    /// User time of waited-for children (field 16).
    pub cutime: u64,
    /// System time of waited-for children (field 17).
    pub cstime: u64,
    /// Scheduling priority (field 18).
    pub priority: i64,
    /// Nice value (field 19).
    pub nice: i64,
    /// Threads (field 20).
    pub num_threads: u64,
    /// Start time, clock ticks after boot (field 22).
    pub starttime: u64,
    /// Virtual memory size in bytes (field 23).
    pub vsize: u64,
    /// Resident pages.
    pub rss: u64,
    /// CPU last run on (field 39).
    pub processor: u64,
    /// Real-time priority (field 40).
    pub rt_priority: u64,
    /// Scheduling policy (field 41).
    pub policy: u64,
    /// Block I/O delay, clock ticks (field 42).
    pub delayacct_blkio_ticks: u64,
    /// Guest time, clock ticks (field 43).
    pub guest_time: u64,
    /// Guest time of waited-for children (field 44).
    pub cguest_time: u64,
}

/// PF_KTHREAD: the task is a kernel thread.
pub const PF_KTHREAD: u64 = 0x0020_0000;

impl ProcStat {
    /// The command name, from the bytes this was parsed from.
    pub fn comm<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        bytes.get(self.comm_start..self.comm_end).unwrap_or(&[])
    }

    /// Whether the task is a kernel thread ([`PF_KTHREAD`]).
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }
}

/// The last field rstat requires (rss).
const REQUIRED_FIELDS: usize = 24;

/// Parses the bytes of a stat file.
pub fn parse(bytes: &[u8]) -> Result<ProcStat, ParseError> {
    let error = |problem: String| ParseError::new(FILE, 1, problem);
    let open = bytes
        .iter()
        .position(|&b| b == b'(')
        .ok_or_else(|| error("no `(` before the command name".into()))?;
    let close = bytes
        .iter()
        .rposition(|&b| b == b')')
        .filter(|&close| close > open)
        .ok_or_else(|| error("no `)` after the command name".into()))?;
    let pid_token = bytes[..open].trim_ascii();
    let pid = super::read::parse_id(pid_token)
        .ok_or_else(|| error(format!("expected a pid, found `{}`", quote(pid_token))))?;
    let mut stat = ProcStat {
        pid,
        comm_start: open + 1,
        comm_end: close,
        ..ProcStat::default()
    };
    // Field 3 is the first after the `)`.
    let mut number = 2;
    for token in bytes[close + 1..].split(u8::is_ascii_whitespace) {
        if token.is_empty() {
            continue;
        }
        number += 1;
        if number == 3 {
            match token {
                [state] => stat.state = *state,
                _ => {
                    return Err(error(format!(
                        "expected a state letter, found `{}`",
                        quote(token)
                    )))
                }
            }
            continue;
        }
        let Some(slot) = field(&mut stat, number) else {
            if number > 44 {
                break;
            }
            continue;
        };
        match slot {
            Slot::Unsigned(target) => {
                *target = crate::proc::parse_u64(token).ok_or_else(|| {
                    error(format!(
                        "field {number}: expected a number, found `{}`",
                        quote(token)
                    ))
                })?;
            }
            Slot::Signed(target) => {
                *target = parse_i64(token).ok_or_else(|| {
                    error(format!(
                        "field {number}: expected a number, found `{}`",
                        quote(token)
                    ))
                })?;
            }
            Slot::Count(target) => {
                let value = parse_i64(token).ok_or_else(|| {
                    error(format!(
                        "field {number}: expected a number, found `{}`",
                        quote(token)
                    ))
                })?;
                *target = u64::try_from(value).unwrap_or(0);
            }
        }
    }
    if number < REQUIRED_FIELDS {
        return Err(error(format!(
            "{number} fields, expected at least {REQUIRED_FIELDS}"
        )));
    }
    Ok(stat)
}

enum Slot<'a> {
    Unsigned(&'a mut u64),
    Signed(&'a mut i64),
    /// Printed signed by the kernel, but a count: a negative value is stored as 0.
    Count(&'a mut u64),
}

/// Where field `number` (proc(5) numbering) goes, if rstat keeps it.
fn field(stat: &mut ProcStat, number: usize) -> Option<Slot<'_>> {
    Some(match number {
        4 => Slot::Unsigned(&mut stat.ppid),
        9 => Slot::Unsigned(&mut stat.flags),
        10 => Slot::Unsigned(&mut stat.minflt),
        11 => Slot::Unsigned(&mut stat.cminflt),
        12 => Slot::Unsigned(&mut stat.majflt),
        13 => Slot::Unsigned(&mut stat.cmajflt),
        14 => Slot::Unsigned(&mut stat.utime),
        15 => Slot::Unsigned(&mut stat.stime),
        16 => Slot::Count(&mut stat.cutime),
        17 => Slot::Count(&mut stat.cstime),
        18 => Slot::Signed(&mut stat.priority),
        19 => Slot::Signed(&mut stat.nice),
        20 => Slot::Count(&mut stat.num_threads),
        22 => Slot::Unsigned(&mut stat.starttime),
        23 => Slot::Unsigned(&mut stat.vsize),
        24 => Slot::Count(&mut stat.rss),
        39 => Slot::Unsigned(&mut stat.processor),
        40 => Slot::Unsigned(&mut stat.rt_priority),
        41 => Slot::Unsigned(&mut stat.policy),
        42 => Slot::Unsigned(&mut stat.delayacct_blkio_ticks),
        43 => Slot::Unsigned(&mut stat.guest_time),
        44 => Slot::Count(&mut stat.cguest_time),
        _ => return None,
    })
}

/// A decimal `i64` with an optional leading `-`.
pub(crate) fn parse_i64(token: &[u8]) -> Option<i64> {
    match token.strip_prefix(b"-") {
        Some(digits) => {
            let magnitude = crate::proc::parse_u64(digits)?;
            if magnitude == 1 << 63 {
                Some(i64::MIN)
            } else {
                i64::try_from(magnitude).ok().map(|m| -m)
            }
        }
        None => i64::try_from(crate::proc::parse_u64(token)?).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_numbers() {
        assert_eq!(parse_i64(b"-20"), Some(-20));
        assert_eq!(parse_i64(b"19"), Some(19));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"--1"), None);
    }
}
