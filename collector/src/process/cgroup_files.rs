//! Parsers for the cgroup v2 interface files rstat records, pure functions over bytes:
//! flat keyed files (`cpu.stat`, `memory.stat`, `memory.events`: `key value` lines), single
//! values (`memory.current`, `pids.current`: a number, or `max`), pressure files (`some` and
//! `full` lines of `avg10=.. avg60=.. avg300=.. total=..`) and `io.stat` (one line per
//! device: `MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=.. dbytes=.. dios=..`, plus keys from
//! io controllers such as iocost, which are skipped).
//!
//! Keys rstat does not store are not parsed, so a kernel adding fields changes nothing; a key
//! rstat stores with a value that is not a number is an error naming the file and line.

use rstat_data_format::schema_process::{cgroup_col::psi, cgroup_io_col};

use crate::proc::{parse_hundredths, parse_u64, quote, Lines, ParseError};

/// Reads `key value` lines: the value of `keys[i]` goes to `out[i]`; other keys are skipped;
/// keys absent from the file leave their slot as it was.
pub fn parse_keyed(
    file: &'static str,
    bytes: &[u8],
    keys: &[&str],
    out: &mut [u64],
) -> Result<(), ParseError> {
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let Some(key) = fields.next() else {
            continue;
        };
        if let Some(index) = keys.iter().position(|k| k.as_bytes() == key) {
            if let Some(slot) = out.get_mut(index) {
                *slot = fields.number(keys[index])?;
            }
        }
    }
    Ok(())
}

/// A file holding one number (`max` is stored as `u64::MAX`).
pub fn parse_single(file: &'static str, bytes: &[u8]) -> Result<u64, ParseError> {
    let mut lines = Lines::new(file, bytes);
    let line = lines
        .next_nonblank()
        .ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    let mut fields = line.fields();
    let token = fields.token("the value")?;
    if token == b"max" {
        return Ok(u64::MAX);
    }
    fields.to_number(token, "the value")
}

/// A pressure file into `out` (at least [`psi::COUNT`] slots, see
/// `rstat_data_format::schema_process::cgroup_col::psi`): averages in hundredths of a
/// percent, totals in µs. A missing `full` line leaves its slots as they were.
pub fn parse_pressure(file: &'static str, bytes: &[u8], out: &mut [u64]) -> Result<(), ParseError> {
    if out.len() < psi::COUNT {
        return Err(ParseError::new(file, 1, "internal error: pressure slots"));
    }
    let mut some_seen = false;
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let base = match fields.next() {
            Some(b"some") => {
                some_seen = true;
                psi::SOME_AVG10
            }
            Some(b"full") => psi::FULL_AVG10,
            _ => continue,
        };
        for (offset, name) in ["avg10", "avg60", "avg300", "total"]
            .into_iter()
            .enumerate()
        {
            let token = fields.token(name)?;
            let value = token
                .strip_prefix(name.as_bytes())
                .and_then(|rest| rest.strip_prefix(b"="));
            let parsed = match value {
                Some(value) if offset < 3 => parse_hundredths(value),
                Some(value) => parse_u64(value),
                None => None,
            };
            out[base + offset] = parsed.ok_or_else(|| {
                line.error(format!("expected {name}=NUMBER, found `{}`", quote(token)))
            })?;
        }
    }
    if !some_seen {
        return Err(ParseError::new(file, 1, "no `some` line"));
    }
    Ok(())
}

/// `io.stat`: calls `each(device, values)` per line, `device` as `MAJ:MIN` and `values` in
/// [`cgroup_io_col`] order (a key absent from the line is 0).
pub fn parse_io_stat(
    file: &'static str,
    bytes: &[u8],
    mut each: impl FnMut(&[u8], &[u64; cgroup_io_col::COUNT]),
) -> Result<(), ParseError> {
    for line in Lines::new(file, bytes) {
        let mut fields = line.fields();
        let Some(device) = fields.next() else {
            continue;
        };
        let valid_device = device.split(|&b| b == b':').count() == 2
            && device.iter().all(|&b| b == b':' || b.is_ascii_digit());
        if !valid_device {
            return Err(line.error(format!(
                "expected a device MAJ:MIN, found `{}`",
                quote(device)
            )));
        }
        let mut values = [0u64; cgroup_io_col::COUNT];
        for token in fields {
            let Some(equals) = token.iter().position(|&b| b == b'=') else {
                continue;
            };
            let (key, value) = (&token[..equals], &token[equals + 1..]);
            if let Some(index) = cgroup_io_col::KEYS.iter().position(|k| k.as_bytes() == key) {
                values[index] = parse_u64(value).ok_or_else(|| {
                    line.error(format!("expected a number in `{}`", quote(token)))
                })?;
            }
        }
        each(device, &values);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_files_store_known_keys_only() {
        let mut out = [7u64; 3];
        parse_keyed(
            "cpu.stat",
            b"usage_usec 10\nnew_key x\nsystem_usec 3\n",
            &["usage_usec", "user_usec", "system_usec"],
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [10, 7, 3]);
        let error = parse_keyed(
            "cpu.stat",
            b"a 1\nusage_usec -1\n",
            &["usage_usec"],
            &mut out,
        )
        .unwrap_err();
        assert_eq!((error.file, error.line), ("cpu.stat", 2));
    }

    #[test]
    fn single_values() {
        assert_eq!(parse_single("memory.current", b"123\n"), Ok(123));
        assert_eq!(parse_single("memory.max", b"max\n"), Ok(u64::MAX));
        assert!(parse_single("memory.current", b"").is_err());
        assert!(parse_single("memory.current", b"1.5\n").is_err());
    }

    #[test]
    fn pressure_with_and_without_full() {
        let mut out = [0u64; 8];
        parse_pressure(
            "cpu.pressure",
            b"some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\nfull avg10=0.01 avg60=0.00 avg300=100.00 total=9\n",
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [150, 25, 0, 123_456, 1, 0, 10_000, 9]);
        let mut out = [0u64; 8];
        parse_pressure(
            "cpu.pressure",
            b"some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n",
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [0, 0, 0, 5, 0, 0, 0, 0]);
        assert!(parse_pressure("io.pressure", b"", &mut out).is_err());
        assert!(parse_pressure(
            "io.pressure",
            b"some avg10=x avg60=0 avg300=0 total=0\n",
            &mut out
        )
        .is_err());
    }

    #[test]
    fn io_stat_lines() {
        let mut seen = Vec::new();
        parse_io_stat(
            "io.stat",
            b"254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0 cost.vrate=100.00\n8:16 wbytes=5\n",
            |device, values| seen.push((device.to_vec(), *values)),
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (b"254:0".to_vec(), [4096, 8192, 1, 2, 0, 0]),
                (b"8:16".to_vec(), [0, 5, 0, 0, 0, 0]),
            ]
        );
        assert!(parse_io_stat("io.stat", b"sda rbytes=1\n", |_, _| {}).is_err());
        assert!(parse_io_stat("io.stat", b"8:0 rbytes=x\n", |_, _| {}).is_err());
    }
}
