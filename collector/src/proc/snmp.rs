//! Protocol counters:
//! - `/proc/net/snmp` → [`TableKind::SNMP`] and `/proc/net/netstat` → [`TableKind::NETSTAT`]:
//!   sections of two lines, `Tcp: RtoAlgorithm RtoMin ...` (names) then `Tcp: 1 200 ...`
//!   (values). One row per section, key = the section (`Ip`, `Icmp`, `TcpExt`), text = the
//!   names, values = the numbers; a negative one (`Tcp` `MaxConn -1`) is stored in two's
//!   complement.
//! - `/proc/net/snmp6` → [`TableKind::SNMP6`]: one `Name value` pair per line
//!   (`Ip6InReceives 12`). Consecutive names with the same protocol prefix (the name up to
//!   and including its first digits: `Ip6`, `Icmp6`, `Udp6`, `UdpLite6`) form one row, key =
//!   the prefix, text = the rest of each name.
//!
//! Counters are looked up by name at read time, so kernels that add, drop or reorder counters
//! need nothing here.
//!
//! [`TableKind::SNMP`]: rstat_data_format::schema::TableKind::SNMP
//! [`TableKind::NETSTAT`]: rstat_data_format::schema::TableKind::NETSTAT
//! [`TableKind::SNMP6`]: rstat_data_format::schema::TableKind::SNMP6

use rstat_data_format::schema::{Table, TableFill};

use super::values::{parse_signed, row_with_texts};
use super::{count_words, quote, refill_nonempty, set_text, Line, Lines, ParseError, Text};

/// `/proc/net/snmp`, as named in errors.
pub const SNMP_FILE: &str = "/proc/net/snmp";
/// `/proc/net/netstat`, as named in errors.
pub const NETSTAT_FILE: &str = "/proc/net/netstat";
/// `/proc/net/snmp6`, as named in errors.
pub const SNMP6_FILE: &str = "/proc/net/snmp6";

/// Refills `table` from the bytes of `/proc/net/snmp`.
pub fn parse_snmp(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_sections(SNMP_FILE, bytes, table)
}

/// Refills `table` from the bytes of `/proc/net/netstat`.
pub fn parse_netstat(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_sections(NETSTAT_FILE, bytes, table)
}

fn parse_sections(file: &'static str, bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(file, table, "empty file", |fill| {
        fill_sections(file, bytes, fill)
    })
}

/// The section label of a line (`Tcp` for `Tcp: ...`) and what follows it.
fn section<'a>(line: &Line<'a>) -> Result<(&'a [u8], &'a [u8]), ParseError> {
    let text = line.bytes.trim_ascii_start();
    let end = text
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(text.len());
    match text[..end].strip_suffix(b":") {
        Some(label) if !label.is_empty() => Ok((label, &text[end..])),
        _ => Err(line.error(format!(
            "expected `Section:` first, found `{}`",
            quote(&text[..end])
        ))),
    }
}

fn fill_sections(
    file: &'static str,
    bytes: &[u8],
    fill: &mut TableFill<'_>,
) -> Result<(), ParseError> {
    let text = Text::new(bytes);
    let mut lines = Lines::new(file, bytes);
    while let Some(names) = lines.next_nonblank() {
        let (label, name_fields) = section(&names)?;
        let Some(numbers) = lines.next_nonblank() else {
            return Err(names.error(format!("missing the values line of {}", quote(label))));
        };
        let (value_label, value_fields) = section(&numbers)?;
        if value_label != label {
            return Err(numbers.error(format!(
                "expected the values of {}, found {}",
                quote(label),
                quote(value_label)
            )));
        }
        let count = count_words(name_fields);
        let row = row_with_texts(fill, &text.of(label), count, || {
            names.error("too many counters")
        })?;
        for (dest, name) in row.text.iter_mut().zip(names.fields_of(name_fields)) {
            set_text(dest, &text.of(name));
        }
        // The values are parsed in the one pass that counts them.
        row.values.reserve_exact(count);
        let mismatch = || {
            numbers.error(format!(
                "{} has {count} names but a different number of values",
                quote(label)
            ))
        };
        for value in numbers.fields_of(value_fields) {
            if row.values.len() == count {
                return Err(mismatch());
            }
            let parsed = parse_signed(value).ok_or_else(|| {
                numbers.error(format!("expected a number, found `{}`", quote(value)))
            })?;
            row.values.push(parsed);
        }
        if row.values.len() != count {
            return Err(mismatch());
        }
    }
    Ok(())
}

/// Refills `table` from the bytes of `/proc/net/snmp6`.
pub fn parse_snmp6(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    refill_nonempty(SNMP6_FILE, table, "empty file", |fill| {
        fill_snmp6(bytes, fill)
    })
}

/// `Ip6InReceives` → (`Ip6`, `InReceives`): the prefix ends after the first run of digits.
fn split_name(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let first_digit = name.iter().position(u8::is_ascii_digit)?;
    let end = name[first_digit..]
        .iter()
        .position(|byte| !byte.is_ascii_digit())
        .map_or(name.len(), |end| first_digit + end);
    (first_digit > 0).then(|| (&name[..end], &name[end..]))
}

fn fill_snmp6(bytes: &[u8], fill: &mut TableFill<'_>) -> Result<(), ParseError> {
    let text = Text::new(bytes);
    // Lines numbered from 1, blank ones skipped; cloneable, to look ahead at a group.
    let mut rest = bytes
        .split(|&byte| byte == b'\n')
        .enumerate()
        .map(|(index, bytes)| Line {
            file: SNMP6_FILE,
            number: index + 1,
            bytes,
        })
        .filter(|line| !line.is_blank())
        .peekable();
    while let Some(first) = rest.peek().copied() {
        let prefix = snmp6_pair(&first)?.prefix;
        // Count this group's lines first, so the row's text strings can be reused.
        let count = rest
            .clone()
            .take_while(|line| has_prefix(line.bytes, prefix))
            .count()
            .max(1);
        let row = row_with_texts(fill, &text.of(prefix), count, || {
            first.error("too many counters")
        })?;
        row.values.reserve_exact(count);
        for dest in row.text.iter_mut() {
            let Some(line) = rest.next() else { break };
            let parsed = snmp6_pair(&line)?;
            set_text(dest, &text.of(parsed.name));
            row.values.push(parsed.value);
        }
    }
    Ok(())
}

/// Whether the name on `line` has protocol prefix `prefix` (as [`split_name`] finds it): the
/// name starts with it and no digit follows, since `prefix` ends with the name's first digits.
fn has_prefix(line: &[u8], prefix: &[u8]) -> bool {
    line.trim_ascii_start()
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.first().is_none_or(|byte| !byte.is_ascii_digit()))
}

/// One snmp6 line: `Ip6InReceives 5` is prefix `Ip6`, name `InReceives`, value 5.
struct Snmp6Line<'a> {
    prefix: &'a [u8],
    name: &'a [u8],
    value: u64,
}

fn snmp6_pair<'a>(line: &Line<'a>) -> Result<Snmp6Line<'a>, ParseError> {
    let mut fields = line.fields();
    let name = fields.token("a counter name")?;
    let Some((prefix, rest)) = split_name(name) else {
        return Err(line.error(format!(
            "expected a name such as `Ip6InReceives`, found `{}`",
            quote(name)
        )));
    };
    let value = fields.token("a value")?;
    let value = parse_signed(value)
        .ok_or_else(|| line.error(format!("expected a number, found `{}`", quote(value))))?;
    Ok(Snmp6Line {
        prefix,
        name: rest,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_prefix_agrees_with_split_name() {
        let lines: [&[u8]; 9] = [
            b"Ip6InReceives 1",
            b"  Ip6InReceives 1",
            b"Ip6 1",
            b"Ip6",
            b"Ip61InReceives 1",
            b"Icmp6InMsgs 1",
            b"UdpLite6InDatagrams 1",
            b"Ip 1",
            b"",
        ];
        for prefix in [&b"Ip6"[..], b"Icmp6", b"UdpLite6"] {
            for line in lines {
                let name = line.split(u8::is_ascii_whitespace).find(|w| !w.is_empty());
                let expected = name
                    .and_then(split_name)
                    .is_some_and(|(other, _)| other == prefix);
                assert_eq!(has_prefix(line, prefix), expected, "{line:?} {prefix:?}");
            }
        }
    }
}
