//! CRCs of arbitrary byte ranges of a file in bounded time, for resynchronising after damage.
//!
//! Looking for the next valid frame checks the payload CRC of every candidate header. A
//! hostile file can hold a valid header every 32 bytes, each claiming a payload that runs to
//! the end of the file: checked one by one, that is quadratic in the file size. Instead,
//! past a budget of directly checked bytes, the CRC of `[start, end)` is derived from prefix
//! CRCs kept every [`STEP`] bytes (CRC is linear: `crc(B) = crc(A ‖ B) ^ combine(crc(A), 0,
//! len(B))`), so each byte of the file is read a bounded number of times whatever the
//! number of candidates.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Distance between kept prefix CRCs: a range CRC reads at most twice this many bytes.
const STEP: u64 = 1024;
/// Bytes read at once while extending the prefix table.
const EXTEND_READ: usize = 256 * 1024;
/// Payload bytes checked directly before switching to prefix CRCs: a real file's resync
/// never gets near it, so the prefix table (a read of the file) is built only for hostile
/// input.
const DIRECT_BUDGET: u64 = 8 * 1024 * 1024;
/// Ranges this short are always checked directly.
const ALWAYS_DIRECT: u64 = 2 * STEP;

/// Range CRCs over one file; forget it when the file's bytes change (growth is fine).
pub(crate) struct RangeCrc {
    /// `prefix[i]` is the CRC of the file's bytes `0 .. i * STEP`.
    prefix: Vec<u32>,
    direct_left: u64,
}

impl Default for RangeCrc {
    fn default() -> Self {
        RangeCrc {
            prefix: vec![0],
            direct_left: DIRECT_BUDGET,
        }
    }
}

impl RangeCrc {
    /// The CRC-32C of the file's bytes `start .. end`, which must exist.
    pub(crate) fn crc(&mut self, file: &File, start: u64, end: u64) -> io::Result<u32> {
        let len = end - start;
        if len <= ALWAYS_DIRECT || len <= self.direct_left {
            self.direct_left = self.direct_left.saturating_sub(len);
            return crc_direct(file, start, end);
        }
        let before = self.prefix_crc(file, start)?;
        let through = self.prefix_crc(file, end)?;
        Ok(through ^ shift_by_zeros(before, len))
    }

    /// The CRC of bytes `0 .. at`.
    fn prefix_crc(&mut self, file: &File, at: u64) -> io::Result<u32> {
        self.extend_to(file, at)?;
        let index = (at / STEP) as usize;
        let from = index as u64 * STEP;
        let mut buf = [0u8; STEP as usize];
        let part = &mut buf[..(at - from) as usize];
        file.read_exact_at(part, from)?;
        Ok(crate::crc::append(self.prefix[index], part))
    }

    /// Makes the table cover `at`.
    fn extend_to(&mut self, file: &File, at: u64) -> io::Result<()> {
        let want = (at / STEP) as usize;
        let mut buf = Vec::new();
        while self.prefix.len() <= want {
            let from = (self.prefix.len() - 1) as u64 * STEP;
            let steps = (want + 1 - self.prefix.len()).min(EXTEND_READ / STEP as usize);
            buf.resize(steps * STEP as usize, 0);
            file.read_exact_at(&mut buf, from)?;
            let mut crc = *self.prefix.last().unwrap_or(&0);
            for step in buf.chunks(STEP as usize) {
                crc = crate::crc::append(crc, step);
                self.prefix.push(crc);
            }
        }
        Ok(())
    }
}

/// `crc32c_combine(crc, 0, len)`: the CRC register advanced over `len` zero bytes, with the
/// operators for every power-of-two length built once (combine builds them on every call,
/// which costs more than the range CRC itself when there are thousands of candidates).
fn shift_by_zeros(mut crc: u32, len: u64) -> u32 {
    static OPERATORS: std::sync::OnceLock<Vec<[u32; 32]>> = std::sync::OnceLock::new();
    let operators = OPERATORS.get_or_init(|| {
        // The operator for one zero bit (the reflected Castagnoli polynomial), then squared:
        // 2, 4, 8 bits (one byte), then 2^k bytes.
        let mut one_bit = [0u32; 32];
        one_bit[0] = 0x82F6_3B78;
        for (n, entry) in one_bit.iter_mut().enumerate().skip(1) {
            *entry = 1 << (n - 1);
        }
        let mut operator = square(&square(&square(&one_bit)));
        let mut all = Vec::with_capacity(64);
        for _ in 0..64 {
            all.push(operator);
            operator = square(&operator);
        }
        all
    });
    let mut len = len;
    let mut k = 0;
    while len > 0 {
        if len & 1 == 1 {
            crc = times(&operators[k], crc);
        }
        len >>= 1;
        k += 1;
    }
    crc
}

fn times(matrix: &[u32; 32], mut vector: u32) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while vector != 0 {
        if vector & 1 == 1 {
            sum ^= matrix[i];
        }
        vector >>= 1;
        i += 1;
    }
    sum
}

fn square(matrix: &[u32; 32]) -> [u32; 32] {
    let mut out = [0u32; 32];
    for (n, entry) in out.iter_mut().enumerate() {
        *entry = times(matrix, matrix[n]);
    }
    out
}

fn crc_direct(file: &File, start: u64, end: u64) -> io::Result<u32> {
    let mut buf = vec![0u8; (end - start).min(EXTEND_READ as u64) as usize];
    let mut crc = 0;
    let mut at = start;
    while at < end {
        let part = &mut buf[..(end - at).min(EXTEND_READ as u64) as usize];
        file.read_exact_at(part, at)?;
        crc = crate::crc::append(crc, part);
        at += part.len() as u64;
    }
    Ok(crc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn shifting_by_zeros_is_combining_with_an_empty_crc() {
        for (crc, len) in [
            (0xDEAD_BEEF, 1),
            (1, 1000),
            (0x1234_5678, 8_388_608),
            (7, 3),
        ] {
            assert_eq!(
                shift_by_zeros(crc, len),
                crc32c::crc32c_combine(crc, 0, len as usize)
            );
        }
    }

    #[test]
    fn range_crcs_match_direct_ones_past_the_budget() {
        let bytes: Vec<u8> = (0..40_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let mut crcs = RangeCrc {
            direct_left: 0,
            ..RangeCrc::default()
        };
        for (start, end) in [
            (0, 40_000),
            (1, 39_999),
            (1023, 1025),
            (5000, 9000),
            (3, 4099),
        ] {
            assert_eq!(
                crcs.crc(&file, start, end).unwrap(),
                crc32c::crc32c(&bytes[start as usize..end as usize]),
                "{start}..{end}"
            );
        }
    }
}
