//! Text from a data file made safe for a terminal. A comment, a host name or a command line
//! is whatever the file says: an ESC sequence in it could move the cursor, rewrite the screen
//! or set the window title of whoever reads a report of a file copied from another machine.
//! Every text output escapes control characters (C0, DEL and C1) to a visible `\x1b`-style
//! form; line feeds and tabs of the output's own layout pass through [`EscapeControls`].

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// `text` with every control character escaped (`\x1b`, `\u{9b}`); unchanged (borrowed)
/// when it has none.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_char(out: &mut String, c: char) {
    match c {
        c if (c as u32) < 0x80 && c.is_control() => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if c.is_control() => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// A writer that escapes control characters in the bytes it passes on, except the line
/// feeds and tabs that lay a text report out. UTF-8 C1 controls (`C2 80` to `C2 9F`) are
/// escaped too, also when a write ends between their two bytes.
pub struct EscapeControls<W: Write> {
    inner: W,
    /// A 0xC2 byte held back until the next byte says whether it starts a C1 control.
    pending_c2: bool,
    buf: Vec<u8>,
}

impl<W: Write> EscapeControls<W> {
    /// Writes to `inner`, escaping terminal control characters.
    pub fn new(inner: W) -> EscapeControls<W> {
        EscapeControls {
            inner,
            pending_c2: false,
            buf: Vec::new(),
        }
    }
}

impl<W: Write> Write for EscapeControls<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // Most text has nothing to escape: passed on as it is, without a copy.
        if !self.pending_c2 && all_plain(bytes) {
            self.inner.write_all(bytes)?;
            return Ok(bytes.len());
        }
        self.buf.clear();
        for &b in bytes {
            if std::mem::take(&mut self.pending_c2) {
                if (0x80..=0x9f).contains(&b) {
                    let _ = write!(self.buf, "\\u{{{b:x}}}");
                    continue;
                }
                self.buf.push(0xc2);
            }
            match b {
                0xc2 => self.pending_c2 = true,
                b'\n' | b'\t' => self.buf.push(b),
                0..=0x1f | 0x7f => {
                    let _ = write!(self.buf, "\\x{b:02x}");
                }
                _ => self.buf.push(b),
            }
        }
        self.inner.write_all(&self.buf)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

/// Whether `bytes` hold nothing [`EscapeControls`] escapes or holds back: no C0 control but
/// line feed and tab, no DEL, no 0xC2 (a C1 control's first byte). Checked a block at a time
/// without stopping early, which the compiler turns into vector instructions: a report's
/// whole text passes through here (byte by byte it was 5% of `report -A`).
fn all_plain(bytes: &[u8]) -> bool {
    let held = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7f) | (b == 0xc2);
    bytes
        .chunks(64)
        .all(|block| !block.iter().fold(false, |any, &b| any | held(b)))
}

impl<W: Write> Drop for EscapeControls<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("db1"), "db1");
        assert_eq!(printable("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(printable("x\u{9b}31m\n"), "x\\u{9b}31m\\x0a");
    }

    #[test]
    fn plain_text_is_told_from_text_to_escape_at_every_place() {
        for len in [1, 63, 64, 65, 200] {
            let text = vec![b'a'; len];
            assert!(all_plain(&text));
            for at in [0, len / 2, len - 1] {
                for held in [0x1b, 0x7f, 0xc2, b'\r', 0x00] {
                    let mut bad = text.clone();
                    bad[at] = held;
                    assert!(!all_plain(&bad), "{held:#x} at {at} of {len}");
                }
                for fine in [b'\n', b'\t', 0xc3, 0x80, 0x7e, b' '] {
                    let mut good = text.clone();
                    good[at] = fine;
                    assert!(all_plain(&good), "{fine:#x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn the_writer_keeps_layout_and_escapes_the_rest_across_writes() {
        let mut out = Vec::new();
        {
            let mut w = EscapeControls::new(&mut out);
            w.write_all(b"h\x1b[2Jx\t\n\xc2").unwrap();
            w.write_all(b"\x9b\xc2\xa0\r").unwrap();
            w.flush().unwrap();
        }
        assert_eq!(out, b"h\\x1b[2Jx\t\n\\u{9b}\xc2\xa0\\x0d");
    }
}
