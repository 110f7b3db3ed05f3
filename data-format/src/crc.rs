//! CRC-32C (Castagnoli), the check value of every frame and header, with the CPU's `crc32`
//! instruction when it has one (SSE 4.2).
//!
//! Why not the crc32c crate alone: it asks std's feature detection, whose first use runs
//! every CPUID leaf std knows (about ten CPUID instructions). In a virtual machine each
//! CPUID is a trap to the hypervisor: measured 40 µs per process on the 2-vCPU VM of the
//! README, 1.3% of what a one-shot `rstat collect` costs (the timer's: one process per
//! sample). The only question here needs one CPUID (leaf 1). The loop is the plain one,
//! 8 bytes per instruction; the crate's three interleaved streams are faster on long
//! buffers, but frames are a few kB and the CRC is under 1% of a reader's time. The crate
//! stays what a CPU without SSE 4.2 runs, and the tests' oracle.

use std::sync::atomic::{AtomicU8, Ordering};

/// Whether the CPU has SSE 4.2: [`UNKNOWN`] until the first CRC asks.
static HARDWARE: AtomicU8 = AtomicU8::new(UNKNOWN);
const UNKNOWN: u8 = 2;

/// The CRC-32C of `bytes`.
pub fn crc32c(bytes: &[u8]) -> u32 {
    append(0, bytes)
}

/// The CRC-32C of the bytes whose CRC is `crc` followed by `bytes` (as
/// `crc32c::crc32c_append`).
pub fn append(crc: u32, bytes: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if has_sse42() {
        // SAFETY: the CPU has SSE 4.2 (CPUID leaf 1 says so).
        return unsafe { append_sse42(crc, bytes) };
    }
    crc32c::crc32c_append(crc, bytes)
}

/// CPUID leaf 1, ECX bit 20, asked once per process. SSE 4.2 adds no register state, so
/// no operating-system support is to be checked besides.
#[cfg(target_arch = "x86_64")]
fn has_sse42() -> bool {
    match HARDWARE.load(Ordering::Relaxed) {
        UNKNOWN => {
            // SAFETY: every x86_64 CPU has CPUID and leaf 1. (Recent Rust declares the
            // intrinsic safe; the block keeps older toolchains of the crate's rust-version
            // building.)
            #[allow(unused_unsafe)]
            let leaf1 = unsafe { std::arch::x86_64::__cpuid(1) };
            let yes = leaf1.ecx & (1 << 20) != 0;
            HARDWARE.store(u8::from(yes), Ordering::Relaxed);
            yes
        }
        known => known == 1,
    }
}

/// # Safety
/// The CPU must have SSE 4.2 ([`has_sse42`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
unsafe fn append_sse42(crc: u32, bytes: &[u8]) -> u32 {
    use std::arch::x86_64::{_mm_crc32_u64, _mm_crc32_u8};
    let mut words = bytes.chunks_exact(8);
    let mut state = u64::from(!crc);
    for word in &mut words {
        let word: [u8; 8] = word.try_into().expect("chunks of 8 bytes");
        state = _mm_crc32_u64(state, u64::from_le_bytes(word));
    }
    let mut state = state as u32;
    for &byte in words.remainder() {
        state = _mm_crc32_u8(state, byte);
    }
    !state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        (0..len as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
            .collect()
    }

    #[test]
    fn equals_the_crate_on_every_length_and_alignment() {
        let data = bytes(4099, 7);
        for start in 0..9 {
            for end in (start..data.len()).step_by(97).chain([data.len()]) {
                let part = &data[start..end];
                assert_eq!(crc32c(part), crc32c::crc32c(part), "{start}..{end}");
            }
        }
    }

    #[test]
    fn appends_as_the_crate_does() {
        let data = bytes(10_000, 3);
        for split in [0, 1, 7, 8, 9, 4096, 9_999, 10_000] {
            let (head, tail) = data.split_at(split);
            assert_eq!(append(crc32c(head), tail), crc32c::crc32c(&data), "{split}");
            assert_eq!(
                append(0xDEAD_BEEF, tail),
                crc32c::crc32c_append(0xDEAD_BEEF, tail)
            );
        }
    }

    #[test]
    fn known_check_value() {
        // The catalogue of CRC algorithms' check value for CRC-32C of "123456789".
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
    }
}
