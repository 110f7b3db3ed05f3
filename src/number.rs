//! Numbers as sar prints them: a fixed number of decimals (0 for sizes and counts, 2
//! otherwise), written without the exact float formatting where it cannot matter, as every
//! view (report text, CSV, JSON, XML, OpenMetrics) does.

/// A value as text: whole numbers for sizes and counts, two decimals otherwise (as sar and
/// sadf print them); never `-0.00`.
pub fn number(value: f64, integer: bool) -> String {
    let mut text = String::new();
    push_number(&mut text, value, integer);
    text
}

/// [`number`], appended to `out` (the exporters reuse one buffer).
pub fn push_number(out: &mut String, value: f64, integer: bool) {
    if !value.is_finite() {
        out.push_str("NaN");
        return;
    }
    // Most figures of a report are zero (idle devices, silent interrupt lines).
    if value.to_bits() == 0 {
        out.push_str(if integer { "0" } else { "0.00" });
        return;
    }
    let decimals = if integer { 0 } else { 2 };
    let mut buf = [0; 24];
    let owned;
    let text = match fixed_digits(value, decimals, &mut buf) {
        Some(text) => text,
        None => {
            owned = format!("{value:.decimals$}");
            &owned
        }
    };
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => out.push_str(rest),
        _ => out.push_str(text),
    }
}

/// 10^0 to 10^9, exact.
const POWERS_OF_TEN: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// "00" to "99": digits are written two at a time (half the divisions, half the stores).
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0; 200];
    let mut n = 0;
    while n < 100 {
        pairs[2 * n] = b'0' + (n / 10) as u8;
        pairs[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    pairs
};

/// `value` with `decimals` (0 to 9), as `format!("{value:.2}")` writes it, without the exact
/// float formatting that would make up a quarter of a report's time: the value is rounded to
/// an integer of hundredths (tenths, units...) and written digit by digit into `buf`. `None` when only the
/// exact formatting can tell (not finite, huge, or a product ending in exactly .5, which may
/// be a rounded neighbour of the true value: 0.005 is 0.005000000000000000104...).
pub fn fixed_digits(value: f64, decimals: usize, buf: &mut [u8; 24]) -> Option<&str> {
    let pos = write_fixed(value, decimals, buf)?;
    Some(ascii(&buf[pos..]))
}

/// Appends `" "` and `value` with `decimals` right-aligned in `width` columns (at most 30),
/// as `format!(" {value:>width$.decimals$}")` does, in one piece; `false`, and nothing
/// appended, when [`fixed_digits`] cannot write the value.
pub fn push_fixed_aligned(out: &mut String, value: f64, decimals: usize, width: usize) -> bool {
    // Three figures in four of `report -A` are zero: a ready cell, no digits to write.
    if value.to_bits() == 0 {
        let zero = PADDED_ZEROS[decimals.min(9)];
        let text = if decimals == 0 {
            1
        } else {
            decimals.min(9) + 2
        };
        out.push_str(&zero[zero.len() - 1 - width.min(30).max(text)..]);
        return true;
    }
    // Spaces first: the digits are written over the end, the padding is what stays.
    let mut buf = [b' '; 32];
    let Some(pos) = write_fixed(value, decimals, &mut buf) else {
        return false;
    };
    let start = (pos - 1).min(buf.len() - 1 - width.min(30));
    out.push_str(ascii(&buf[start..]));
    true
}

/// 30 spaces then zero with 0 to 9 decimals: [`push_fixed_aligned`]'s cells of 0.0.
macro_rules! padded_zero {
    ($zero:literal) => {
        concat!("                              ", $zero)
    };
}
const PADDED_ZEROS: [&str; 10] = [
    padded_zero!("0"),
    padded_zero!("0.0"),
    padded_zero!("0.00"),
    padded_zero!("0.000"),
    padded_zero!("0.0000"),
    padded_zero!("0.00000"),
    padded_zero!("0.000000"),
    padded_zero!("0.0000000"),
    padded_zero!("0.00000000"),
    padded_zero!("0.000000000"),
];

/// Writes [`fixed_digits`]' text at the end of `buf` (at least 21 bytes); returns where it
/// starts.
fn write_fixed(value: f64, decimals: usize, buf: &mut [u8]) -> Option<usize> {
    let decimals = decimals.min(9);
    let product = (value * POWERS_OF_TEN[decimals]).abs();
    // Not finite, or too large for the digits below (17 digits, a point and a sign).
    if product.is_nan() || product >= 1e17 {
        return None;
    }
    // Rounded without libm's round() and trunc() (calls, on baseline x86-64): below 2^64 the
    // cast truncates, and a double's fractional part is exact.
    let whole = product as u64;
    let fraction = product - whole as f64;
    if fraction == 0.5 {
        return None;
    }
    let mut n = whole + u64::from(fraction > 0.5);
    let mut pos = buf.len();
    if decimals > 0 {
        let scale = POWERS_OF_TEN[decimals] as u64;
        let mut fraction = n % scale;
        n /= scale;
        let mut left = decimals;
        while left >= 2 {
            put_pair(buf, &mut pos, fraction % 100);
            fraction /= 100;
            left -= 2;
        }
        if left == 1 {
            pos -= 1;
            buf[pos] = b'0' + fraction as u8;
        }
        pos -= 1;
        buf[pos] = b'.';
    }
    while n >= 100 {
        put_pair(buf, &mut pos, n % 100);
        n /= 100;
    }
    if n >= 10 {
        put_pair(buf, &mut pos, n);
    } else {
        pos -= 1;
        buf[pos] = b'0' + n as u8;
    }
    // Rust and printf both print the sign of a negative value that rounds to zero.
    if value.is_sign_negative() {
        pos -= 1;
        buf[pos] = b'-';
    }
    Some(pos)
}

/// Writes the two digits of `pair` (below 100) just before `pos`.
fn put_pair(buf: &mut [u8], pos: &mut usize, pair: u64) {
    *pos -= 2;
    let at = 2 * pair as usize;
    buf[*pos..*pos + 2].copy_from_slice(&DIGIT_PAIRS[at..at + 2]);
}

/// Bytes written above as ASCII digits, '.', '-' or spaces, as text.
fn ascii(text: &[u8]) -> &str {
    debug_assert!(text
        .iter()
        .all(|&b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b' '));
    // SAFETY: every byte of `text` was written by `write_fixed` (or its caller's padding)
    // as an ASCII digit, '.', '-' or space, so it is valid UTF-8. `str::from_utf8` would
    // check it again for every figure printed: 6% of `export --csv -A`'s instructions, the
    // only check here (pushing the digits char by char instead costs as much).
    unsafe { std::str::from_utf8_unchecked(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_look_like_sar() {
        assert_eq!(number(1.005, false), "1.00");
        assert_eq!(number(12.346, false), "12.35");
        assert_eq!(number(-0.001, false), "0.00");
        assert_eq!(number(-1.5, false), "-1.50");
        assert_eq!(number(2048.0, true), "2048");
        assert_eq!(number(f64::NAN, false), "NaN");
    }

    #[test]
    fn zero_cells_match_rust_formatting() {
        for decimals in 0..=9 {
            for width in [0, 1, 4, 9, 12, 30] {
                for value in [0.0, -0.0] {
                    let mut cell = String::new();
                    assert!(push_fixed_aligned(&mut cell, value, decimals, width));
                    assert_eq!(cell, format!(" {value:>width$.decimals$}"));
                }
            }
        }
        assert_eq!(number(0.0, false), "0.00");
        assert_eq!(number(0.0, true), "0");
        assert_eq!(number(-0.0, false), "0.00");
    }

    #[test]
    fn digits_match_rust_formatting_for_every_decimal_count() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let decimals = (x % 10) as usize;
            let magnitude = 10f64.powi(((x >> 4) % 16) as i32 - 4);
            let mut value = (x >> 11) as f64 / (1u64 << 53) as f64 * magnitude;
            if i % 2 == 0 {
                value = -value;
            }
            // Beyond 2^53 the scaled value is itself rounded (as it was before digit pairs).
            if (value * 10f64.powi(decimals as i32)).abs() >= 9e15 {
                continue;
            }
            let mut buf = [0; 24];
            if let Some(text) = fixed_digits(value, decimals, &mut buf) {
                assert_eq!(text, format!("{value:.decimals$}"), "{value:e}, {decimals}");
            }
            let mut aligned = String::from("x");
            if push_fixed_aligned(&mut aligned, value, decimals, 9) {
                assert_eq!(aligned, format!("x {value:>9.decimals$}"), "{value:e}");
            }
        }
    }
}
