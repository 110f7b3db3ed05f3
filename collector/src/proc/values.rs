//! Helpers shared by the system-activity parsers (interrupts, snmp, sysfs attributes, ...):
//! number formats that the core parsers do not need (hexadecimal, signed, thousandths),
//! text columns refilled without allocating, and the one-value sysfs attribute parsers.
//!
//! Everything here is allocation-free once the row's strings have grown, and never panics.

use rstat_data_format::schema::{Row, TableFill};

use super::{parse_u64, quote, ParseError, Text};

/// Empty strings handed to [`TableFill::row_with_text`] so that it keeps a row's existing text
/// strings (and their capacity) and the caller then writes each one in place.
static EMPTY_TEXTS: [&str; MAX_TEXTS] = [""; MAX_TEXTS];

/// The most text columns a row can have (netstat's `TcpExt` has about 130 today).
pub const MAX_TEXTS: usize = 1024;

/// Appends a row `key` with `count` empty text strings (reusing the row's previous strings),
/// for the caller to fill with `push_str`. `count` above [`MAX_TEXTS`] is an error.
pub(crate) fn row_with_texts<'a>(
    fill: &'a mut TableFill<'_>,
    key: &str,
    count: usize,
    error: impl FnOnce() -> ParseError,
) -> Result<&'a mut Row, ParseError> {
    let Some(texts) = EMPTY_TEXTS.get(..count) else {
        return Err(error());
    };
    Ok(fill.row_with_text(key, texts))
}

/// Parses hexadecimal digits, with or without a `0x` prefix (`00000d0f`, `0x72400`).
pub(crate) fn parse_hex(token: &[u8]) -> Option<u64> {
    let digits = token
        .strip_prefix(b"0x")
        .or_else(|| token.strip_prefix(b"0X"))
        .unwrap_or(token);
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in digits {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => byte - b'a' + 10,
            b'A'..=b'F' => byte - b'A' + 10,
            _ => return None,
        };
        value = (value << 4) | u64::from(digit);
    }
    Some(value)
}

/// Parses a decimal that may be negative (`-1`, `42000`) into its two's complement as `u64`,
/// the way signed values are stored (see `rstat_data_format::schema_system::signed`).
pub(crate) fn parse_signed(token: &[u8]) -> Option<u64> {
    match token.strip_prefix(b"-") {
        Some(magnitude) => {
            let magnitude = parse_u64(magnitude)?;
            if magnitude > 1 << 63 {
                return None;
            }
            Some(magnitude.wrapping_neg())
        }
        None => {
            let value = parse_u64(token)?;
            (value <= i64::MAX as u64).then_some(value)
        }
    }
}

/// Parses a decimal with an optional fraction into thousandths (`2445.406` → 2445406,
/// `3000.000000` → 3000000, `800` → 800000), rounding half up on the fourth decimal.
pub(crate) fn parse_thousandths(token: &[u8]) -> Option<u64> {
    let (whole, fraction) = match token.iter().position(|&byte| byte == b'.') {
        Some(dot) => (&token[..dot], &token[dot + 1..]),
        None => (token, &[][..]),
    };
    let whole = parse_u64(whole)?;
    if !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digit = |index: usize| u64::from(fraction.get(index).map_or(0, |byte| byte - b'0'));
    let round_up = u64::from(digit(3) >= 5);
    whole
        .checked_mul(1000)?
        .checked_add(digit(0) * 100 + digit(1) * 10 + digit(2) + round_up)
}

/// The first whitespace-separated token of `bytes` (a sysfs attribute's value), if any.
pub(crate) fn first_token(bytes: &[u8]) -> Option<&[u8]> {
    bytes.split(u8::is_ascii_whitespace).find(|t| !t.is_empty())
}

/// A sysfs attribute holding one unsigned decimal (`scaling_cur_freq`, `capacity`).
pub fn parse_attribute_u64(file: &'static str, bytes: &[u8]) -> Result<u64, ParseError> {
    let token = first_token(bytes).ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    parse_u64(token).ok_or_else(|| {
        ParseError::new(
            file,
            1,
            format!("expected a number, found `{}`", quote(token)),
        )
    })
}

/// A sysfs attribute holding one signed decimal (`temp1_input`, `speed`), as two's complement.
pub fn parse_attribute_signed(file: &'static str, bytes: &[u8]) -> Result<u64, ParseError> {
    let token = first_token(bytes).ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    parse_signed(token).ok_or_else(|| {
        ParseError::new(
            file,
            1,
            format!("expected a signed number, found `{}`", quote(token)),
        )
    })
}

/// A sysfs attribute holding one hexadecimal number, with or without `0x` (fc_host
/// statistics, USB `idVendor`).
pub fn parse_attribute_hex(file: &'static str, bytes: &[u8]) -> Result<u64, ParseError> {
    let token = first_token(bytes).ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    parse_hex(token).ok_or_else(|| {
        ParseError::new(
            file,
            1,
            format!("expected a hexadecimal number, found `{}`", quote(token)),
        )
    })
}

/// A sysfs attribute starting with a decimal followed by a unit (USB `bMaxPower`: `500mA`).
pub fn parse_attribute_leading_u64(file: &'static str, bytes: &[u8]) -> Result<u64, ParseError> {
    let token = first_token(bytes).ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    let digits = token
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    parse_u64(&token[..digits]).ok_or_else(|| {
        ParseError::new(
            file,
            1,
            format!("expected a number, found `{}`", quote(token)),
        )
    })
}

/// A one-line text attribute (`name`, `temp1_label`, `status`, `product`) into `dest`: the
/// first line without its trailing blanks, invalid UTF-8 replaced.
pub fn attribute_text(bytes: &[u8], dest: &mut String) {
    let line = bytes.split(|&byte| byte == b'\n').next().unwrap_or(bytes);
    dest.push_str(&String::from_utf8_lossy(line.trim_ascii()));
}

/// Appends `bytes` to `dest` with every run of ASCII whitespace folded into one space and no
/// leading or trailing blank (`"IO-APIC   2-edge      timer"` → `"IO-APIC 2-edge timer"`).
/// `text` is the file `bytes` was cut from.
pub(crate) fn push_folded<'a>(dest: &mut String, text: &Text<'a>, bytes: &'a [u8]) {
    // At most the bytes' length: one allocation for a row's first fill.
    dest.reserve(bytes.len());
    for (index, word) in bytes
        .split(u8::is_ascii_whitespace)
        .filter(|word| !word.is_empty())
        .enumerate()
    {
        if index > 0 {
            dest.push(' ');
        }
        dest.push_str(&text.of(word));
    }
}

/// Formats `prefix` followed by `number` into `buffer` and returns it as text, without
/// allocating (`cpu_key(&mut buffer, "cpu", 12)` → `"cpu12"`).
pub(crate) fn numbered_key<'a>(buffer: &'a mut [u8; 40], prefix: &str, number: u64) -> &'a str {
    let prefix = &prefix.as_bytes()[..prefix.len().min(16)];
    let mut digits = [0u8; 20];
    let mut rest = number;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    buffer[..prefix.len()].copy_from_slice(prefix);
    buffer[prefix.len()..prefix.len() + digits.len()].copy_from_slice(digits);
    std::str::from_utf8(&buffer[..prefix.len() + digits.len()]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_signed_and_thousandths() {
        assert_eq!(parse_hex(b"000016dd"), Some(0x16dd));
        assert_eq!(parse_hex(b"0x72400"), Some(0x72400));
        assert_eq!(parse_hex(b"ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(parse_hex(b"1ffffffffffffffff"), None);
        assert_eq!(parse_hex(b"0x"), None);
        assert_eq!(parse_hex(b"12g"), None);
        assert_eq!(parse_signed(b"-1"), Some(u64::MAX));
        assert_eq!(parse_signed(b"-9223372036854775808"), Some(1 << 63));
        assert_eq!(parse_signed(b"-9223372036854775809"), None);
        assert_eq!(parse_signed(b"9223372036854775808"), None);
        assert_eq!(parse_signed(b"42000"), Some(42_000));
        assert_eq!(parse_signed(b"--1"), None);
        assert_eq!(parse_thousandths(b"2445.406"), Some(2_445_406));
        assert_eq!(parse_thousandths(b"3000.000000"), Some(3_000_000));
        assert_eq!(parse_thousandths(b"800"), Some(800_000));
        assert_eq!(parse_thousandths(b"1.23456"), Some(1_235));
        assert_eq!(parse_thousandths(b"1.2x"), None);
    }

    #[test]
    fn text_helpers() {
        let mut text = String::new();
        let bytes = b"  IO-APIC   2-edge\t timer  ";
        push_folded(&mut text, &Text::new(bytes), bytes);
        assert_eq!(text, "IO-APIC 2-edge timer");
        let mut buffer = [0u8; 40];
        assert_eq!(numbered_key(&mut buffer, "cpu", 0), "cpu0");
        assert_eq!(
            numbered_key(&mut buffer, "cpu", u64::MAX),
            "cpu18446744073709551615"
        );
        let mut name = String::new();
        attribute_text(b"Core 0 \nignored", &mut name);
        assert_eq!(name, "Core 0");
        assert_eq!(parse_attribute_leading_u64("/x", b"500mA\n").unwrap(), 500);
        assert_eq!(parse_attribute_signed("/x", b"-1\n").unwrap(), u64::MAX);
        assert!(parse_attribute_u64("/x", b"\n").is_err());
    }
}
