//! Parsers for the kernel files rstat samples, one module per file.
//!
//! Every parser is a pure function over the file's bytes that refills a
//! [`Table`] in place through
//! [`Table::refill`](rstat_data_format::schema::Table::refill), so once a table has reached its
//! size a parse allocates nothing: numbers are parsed straight from the bytes and keys are
//! copied into the row's existing `String`.
//!
//! This module also owns what the parsers share: [`ParseError`], the line and field splitters
//! and the number parsers. The rules every parser follows:
//! - a number rstat stores must be a plain decimal `u64` (no sign, no overflow), otherwise the
//!   parse fails with the file, the 1-based line and the offending text;
//! - tokens rstat does not store (meminfo's `kB`, the per-IRQ counts after `intr`'s total) are
//!   not looked at, so a new kernel adding text there changes nothing;
//! - blank lines are skipped, a missing final newline is fine;
//! - a key that is not valid UTF-8 (only an interface name could be: the kernel allows any
//!   byte but `/`, `:`, NUL and whitespace) is stored with `U+FFFD` in place of the bad bytes,
//!   so its counters are still recorded (that rare case allocates);
//! - nothing panics, whatever the bytes.
//!
//! On error a multi-row table may hold a partial refill (the sampler drops it from the sample);
//! a single-row table is left as it was.

use std::borrow::Cow;
use std::fmt;

use rstat_data_format::schema::{Table, TableFill};

pub mod boot_id;
pub mod cpufreq;
pub mod diskstats;
pub mod interrupts;
pub mod ktables;
pub mod loadavg;
pub mod meminfo;
pub mod mounts;
pub mod net_dev;
pub mod netif;
pub mod pressure;
pub mod rpc;
pub mod serial;
pub mod snmp;
pub mod sockstat;
pub mod softnet;
pub mod stat;
pub mod uptime;
pub mod values;
pub mod vmstat;

/// Why a kernel file could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The file as its path under `/proc` (`"/proc/stat"`), whatever root it was read under.
    pub file: &'static str,
    /// The 1-based line the problem is on (for a missing line: the line it was expected on).
    pub line: usize,
    /// What was wrong, e.g. "expected a number for `ctxt`, found `x`".
    pub problem: String,
}

impl ParseError {
    pub(crate) fn new(file: &'static str, line: usize, problem: impl Into<String>) -> ParseError {
        ParseError {
            file,
            line,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}: {}", self.file, self.line, self.problem)
    }
}

impl std::error::Error for ParseError {}

/// How much of a bad token an error message quotes: enough to recognise it, bounded so a
/// corrupt file cannot make a huge message.
const QUOTED_TOKEN_MAX: usize = 40;

/// Refills `table` with `fill_rows`, finishing it even when parsing fails (so no stale row
/// is left), and fails with `missing` when a file parsed but gave no row: files such as
/// meminfo or snmp always have some, so an empty one is a read gone wrong.
pub(crate) fn refill_nonempty(
    file: &'static str,
    table: &mut Table,
    missing: &str,
    fill_rows: impl FnOnce(&mut TableFill<'_>) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let mut fill = table.refill();
    let result = fill_rows(&mut fill);
    let empty = fill.is_empty();
    fill.finish();
    result?;
    if empty {
        return Err(ParseError::new(file, 1, missing));
    }
    Ok(())
}

/// `token` as text for an error message: lossy, control characters escaped, cut if long.
pub(crate) fn quote(token: &[u8]) -> String {
    let shown = &token[..token.len().min(QUOTED_TOKEN_MAX)];
    let mut text: String = String::from_utf8_lossy(shown).escape_debug().collect();
    if shown.len() < token.len() {
        text.push_str("...");
    }
    text
}

/// A key as text: borrowed when it is valid UTF-8 (always, for what the kernel prints).
pub(crate) fn key_text(key: &[u8]) -> Cow<'_, str> {
    // Strict validation first: it has a word-at-a-time ASCII fast path that the lossy
    // decoder lacks, and the ~400 counter names of snmp, snmp6 and netstat are decoded every
    // sample (the lossy path was 3.5% of the collector's CPU time in perf).
    match std::str::from_utf8(key) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(key),
    }
}

/// A file's bytes and, when they are valid UTF-8 (always, for what the kernel prints), the
/// same bytes as text: a key or name cut from the bytes is then taken from the text by its
/// position, so a file is validated once rather than word by word (hundreds of short
/// `from_utf8` calls per sample: 0.1 M instructions of a one-shot run).
#[derive(Clone, Copy)]
pub(crate) struct Text<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Text<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Text<'a> {
        Text {
            bytes,
            text: std::str::from_utf8(bytes).ok(),
        }
    }

    /// `part` (a slice of this file's bytes) as text, as [`key_text`] gives it.
    pub(crate) fn of(&self, part: &'a [u8]) -> Cow<'a, str> {
        if let Some(text) = self.text {
            // The address tells where `part` lies; `get` checks the range and the character
            // boundaries, and the address check that it is this very slice.
            let start = (part.as_ptr() as usize).wrapping_sub(self.bytes.as_ptr() as usize);
            let found = start
                .checked_add(part.len())
                .and_then(|end| text.get(start..end));
            if let Some(found) = found.filter(|found| found.as_ptr() == part.as_ptr()) {
                return Cow::Borrowed(found);
            }
        }
        key_text(part)
    }
}

/// Replaces `dest` with `text`: a string with no buffer yet (a row's first fill) gets one of
/// exactly its size, one kept from an earlier fill is reused.
pub(crate) fn set_text(dest: &mut String, text: &str) {
    if dest.capacity() == 0 {
        *dest = text.to_owned();
    } else {
        dest.clear();
        dest.push_str(text);
    }
}

/// How many whitespace-separated words `bytes` holds (one pass, no branch per byte).
pub(crate) fn count_words(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for byte in bytes {
        let word_byte = !byte.is_ascii_whitespace();
        count += usize::from(word_byte && !in_word);
        in_word = word_byte;
    }
    count
}

/// Parses a plain decimal `u64`: ASCII digits only, at least one, no overflow.
pub(crate) fn parse_u64(token: &[u8]) -> Option<u64> {
    if token.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in token {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(value)
}

/// Parses a decimal with an optional fraction (`12345.67`, `12345`, `0.5`, `1.234`) into
/// hundredths, rounding half up on the third decimal: the kernel prints two decimals for
/// uptime and load averages, anything else is accepted rather than losing the whole table.
pub(crate) fn parse_hundredths(token: &[u8]) -> Option<u64> {
    let (whole, fraction) = match token.iter().position(|&byte| byte == b'.') {
        Some(dot) => (&token[..dot], &token[dot + 1..]),
        None => (token, &[][..]),
    };
    let whole = parse_u64(whole)?;
    if !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digit = |index: usize| u64::from(fraction.get(index).map_or(0, |byte| byte - b'0'));
    let round_up = u64::from(digit(2) >= 5);
    whole
        .checked_mul(100)?
        .checked_add(digit(0) * 10 + digit(1) + round_up)
}

/// The lines of a file, numbered from 1, without their `\n`.
pub(crate) struct Lines<'a> {
    file: &'static str,
    rest: Option<&'a [u8]>,
    number: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(file: &'static str, bytes: &'a [u8]) -> Lines<'a> {
        // An empty file has no line, not one empty line.
        let rest = if bytes.is_empty() { None } else { Some(bytes) };
        Lines {
            file,
            rest,
            number: 0,
        }
    }

    /// The number of the last line returned (0 before the first).
    pub(crate) fn number(&self) -> usize {
        self.number
    }

    /// The next line that has a non-whitespace byte.
    pub(crate) fn next_nonblank(&mut self) -> Option<Line<'a>> {
        self.find(|line| !line.is_blank())
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let rest = self.rest?;
        let (bytes, rest) = match find_newline(rest) {
            Some(newline) => (&rest[..newline], &rest[newline + 1..]),
            None => (rest, &[][..]),
        };
        // A final "\n" ends the last line; it does not start an empty one.
        self.rest = if rest.is_empty() { None } else { Some(rest) };
        self.number += 1;
        Some(Line {
            file: self.file,
            number: self.number,
            bytes,
        })
    }
}

/// The position of the first `\n` in `bytes`, eight bytes at a time: `/proc/stat`'s `intr`
/// line is thousands of bytes long, and a byte-by-byte search of it made the whole parse
/// slower than procfs-core's (std's `memchr` is not public).
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        // A byte of `word` is zero where `chunk` has a newline; the classic "has a zero byte"
        // test flags it exactly for the first (lowest-addressed, read little-endian) one.
        let word = u64::from_le_bytes(chunk) ^ NEWLINES;
        let zero_bytes = word.wrapping_sub(ONES) & !word & HIGH_BITS;
        if zero_bytes != 0 {
            return Some(offset + (zero_bytes.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let tail = &bytes[offset..];
    tail.iter()
        .position(|&byte| byte == b'\n')
        .map(|position| offset + position)
}

/// One line of a file, with what an error on it needs.
#[derive(Clone, Copy)]
pub(crate) struct Line<'a> {
    pub(crate) file: &'static str,
    pub(crate) number: usize,
    pub(crate) bytes: &'a [u8],
}

impl<'a> Line<'a> {
    pub(crate) fn is_blank(&self) -> bool {
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }

    /// The whitespace-separated fields of the whole line.
    pub(crate) fn fields(&self) -> Fields<'a> {
        self.fields_of(self.bytes)
    }

    /// The whitespace-separated fields of part of this line (errors still name this line).
    pub(crate) fn fields_of(&self, bytes: &'a [u8]) -> Fields<'a> {
        Fields {
            file: self.file,
            line: self.number,
            rest: bytes,
        }
    }

    pub(crate) fn error(&self, problem: impl Into<String>) -> ParseError {
        ParseError::new(self.file, self.number, problem)
    }
}

/// Whitespace-separated fields of a line, with typed accessors whose errors name the file,
/// the line and the field.
pub(crate) struct Fields<'a> {
    file: &'static str,
    line: usize,
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    pub(crate) fn error(&self, problem: impl Into<String>) -> ParseError {
        ParseError::new(self.file, self.line, problem)
    }

    /// The next field named `what`, or an error saying it is missing.
    pub(crate) fn token(&mut self, what: &str) -> Result<&'a [u8], ParseError> {
        self.next()
            .ok_or_else(|| self.error(format!("missing {what}")))
    }

    /// The next field as a `u64`.
    pub(crate) fn number(&mut self, what: &str) -> Result<u64, ParseError> {
        let token = self.token(what)?;
        self.to_number(token, what)
    }

    /// `token` (a field of this line) as a `u64`.
    pub(crate) fn to_number(&self, token: &[u8], what: &str) -> Result<u64, ParseError> {
        parse_u64(token).ok_or_else(|| {
            self.error(format!(
                "expected a number for {what}, found `{}`",
                quote(token)
            ))
        })
    }

    /// The next field as hundredths (see [`parse_hundredths`]).
    pub(crate) fn hundredths(&mut self, what: &str) -> Result<u64, ParseError> {
        let token = self.token(what)?;
        parse_hundredths(token).ok_or_else(|| {
            self.error(format!(
                "expected a decimal number for {what}, found `{}`",
                quote(token)
            ))
        })
    }

    /// Parses every remaining field as a `u64` into `values` (appending).
    pub(crate) fn rest_into(
        &mut self,
        values: &mut Vec<u64>,
        what: &str,
    ) -> Result<(), ParseError> {
        while let Some(token) = self.next() {
            values.push(self.to_number(token, what)?);
        }
        Ok(())
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self
            .rest
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())?;
        let rest = &self.rest[start..];
        let end = rest
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(rest.len());
        self.rest = &rest[end..];
        Some(&rest[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_u64_accepts_plain_decimals_only() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"99999999999999999999"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"+1"), None);
        assert_eq!(parse_u64(b"12a"), None);
        assert_eq!(parse_u64(b"1.5"), None);
    }

    #[test]
    fn parse_hundredths_rounds_and_accepts_missing_decimals() {
        assert_eq!(parse_hundredths(b"12345.67"), Some(1_234_567));
        assert_eq!(parse_hundredths(b"12345"), Some(1_234_500));
        assert_eq!(parse_hundredths(b"12345."), Some(1_234_500));
        assert_eq!(parse_hundredths(b"0.5"), Some(50));
        assert_eq!(parse_hundredths(b"0.05"), Some(5));
        assert_eq!(parse_hundredths(b"1.234"), Some(123));
        assert_eq!(parse_hundredths(b"1.235"), Some(124));
        assert_eq!(parse_hundredths(b"1.999"), Some(200));
        assert_eq!(parse_hundredths(b".5"), None);
        assert_eq!(parse_hundredths(b"1.2.3"), None);
        assert_eq!(parse_hundredths(b"1.x"), None);
        assert_eq!(parse_hundredths(b"184467440737095516.15"), Some(u64::MAX));
        assert_eq!(parse_hundredths(b"184467440737095517"), None);
    }

    #[test]
    fn lines_are_numbered_and_a_final_newline_adds_no_line() {
        let numbered = |bytes: &'static [u8]| -> Vec<(usize, &'static [u8])> {
            Lines::new("/proc/x", bytes)
                .map(|line| (line.number, line.bytes))
                .collect()
        };
        assert_eq!(numbered(b""), vec![]);
        assert_eq!(numbered(b"a\n"), vec![(1, &b"a"[..])]);
        assert_eq!(numbered(b"a\nb"), vec![(1, &b"a"[..]), (2, &b"b"[..])]);
        assert_eq!(
            numbered(b"\n\nc\n"),
            vec![(1, &b""[..]), (2, &b""[..]), (3, &b"c"[..])]
        );
    }

    #[test]
    fn find_newline_finds_the_first_at_every_offset() {
        for length in 0..40 {
            for newline_at in 0..=length {
                let mut bytes: Vec<u8> =
                    (0..length).map(|index| b'a' + (index % 26) as u8).collect();
                if newline_at < length {
                    bytes[newline_at] = b'\n';
                }
                // Bytes that differ from '\n' by one bit, and a second newline, after it.
                bytes.extend_from_slice(b"\x0b\x08\x8a\n\n");
                let expected = bytes.iter().position(|&byte| byte == b'\n');
                assert_eq!(find_newline(&bytes), expected, "{bytes:?}");
                assert_eq!(
                    find_newline(&bytes[..length]),
                    bytes[..length].iter().position(|&byte| byte == b'\n')
                );
            }
        }
        assert_eq!(find_newline(b"\x80\x0a"), Some(1));
        assert_eq!(find_newline(&[0x0b; 16]), None);
    }

    #[test]
    fn fields_split_on_any_ascii_whitespace() {
        let line = Line {
            file: "/proc/x",
            number: 7,
            bytes: b"  a\tbb  c \r",
        };
        let fields: Vec<&[u8]> = line.fields().collect();
        assert_eq!(fields, vec![&b"a"[..], b"bb", b"c"]);
        let mut fields = line.fields();
        let error = fields.number("the count").unwrap_err();
        assert_eq!(
            error.to_string(),
            "/proc/x line 7: expected a number for the count, found `a`"
        );
        fields.next();
        fields.next();
        assert_eq!(fields.number("more").unwrap_err().problem, "missing more");
    }

    #[test]
    fn text_takes_parts_of_the_file_by_position() {
        let bytes: &[u8] = b"Ip: Forwarding DefaultTTL\nbad \xff\xfe name";
        let text = Text::new(&bytes[..25]);
        assert_eq!(text.of(&bytes[4..14]), "Forwarding");
        assert!(matches!(text.of(&bytes[4..14]), Cow::Borrowed(_)));
        // A slice of other bytes, or past the validated part, is decoded on its own.
        assert_eq!(text.of(b"Forwarding"), "Forwarding");
        assert_eq!(text.of(&bytes[30..]), "\u{fffd}\u{fffd} name");
        let invalid = Text::new(bytes);
        assert_eq!(invalid.of(&bytes[0..2]), "Ip");
        assert_eq!(invalid.of(&bytes[30..32]), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn count_words_counts_runs() {
        assert_eq!(count_words(b""), 0);
        assert_eq!(count_words(b"   \t"), 0);
        assert_eq!(count_words(b"a"), 1);
        assert_eq!(count_words(b" a  bb\tc\r\n"), 3);
        assert_eq!(count_words(b"a b "), 2);
    }

    #[test]
    fn set_text_replaces() {
        let mut dest = String::new();
        set_text(&mut dest, "abc");
        assert_eq!(dest, "abc");
        set_text(&mut dest, "de");
        assert_eq!(dest, "de");
    }

    #[test]
    fn quote_escapes_and_cuts() {
        assert_eq!(quote(b"a\x01b"), "a\\u{1}b");
        assert_eq!(
            quote(&[b'x'; 100]),
            format!("{}...", "x".repeat(QUOTED_TOKEN_MAX))
        );
        assert_eq!(quote(&[0xff, b'a']), "\u{fffd}a");
    }
}
