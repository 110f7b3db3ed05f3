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

/// `value` with `decimals` (0 to 9), as `format!("{value:.2}")` writes it, without the exact
/// float formatting that would make up a quarter of a report's time: the value is rounded to
/// an integer of hundredths (tenths, units...) and written digit by digit into `buf`. `None` when only the
/// exact formatting can tell (not finite, huge, or a product ending in exactly .5, which may
/// be a rounded neighbour of the true value: 0.005 is 0.005000000000000000104...).
pub fn fixed_digits(value: f64, decimals: usize, buf: &mut [u8; 24]) -> Option<&str> {
    let decimals = decimals.min(9);
    let product = (value * POWERS_OF_TEN[decimals]).abs();
    // Not finite, or too large for the digits below.
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
    let mut digits = 0;
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        digits += 1;
        if decimals > 0 && digits == decimals {
            pos -= 1;
            buf[pos] = b'.';
        }
        if n == 0 && digits > decimals {
            break;
        }
    }
    // Rust and printf both print the sign of a negative value that rounds to zero.
    if value.is_sign_negative() {
        pos -= 1;
        buf[pos] = b'-';
    }
    let text = &buf[pos..];
    debug_assert!(text
        .iter()
        .all(|&b| b.is_ascii_digit() || b == b'.' || b == b'-'));
    // SAFETY: every byte of `text` was written above as an ASCII digit, '.' or '-', so it is
    // valid UTF-8. `str::from_utf8` would check it again for every figure printed: 6% of
    // `export --csv -A`'s instructions, the only check here (pushing the digits char by char
    // instead costs as much).
    Some(unsafe { std::str::from_utf8_unchecked(text) })
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
}
