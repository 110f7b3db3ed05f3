//! `/proc/interrupts` → [`TableKind::INTERRUPTS`] and `/proc/softirqs` →
//! [`TableKind::SOFTIRQS`]: a matrix of counts, one row per IRQ (or softirq) and one value per
//! CPU column. The first row, `cpus`, holds the CPU number of each column as the header line
//! names them (`CPU0 CPU2` when CPU 1 is offline), so a reader matches columns across samples
//! by CPU, not by position.
//!
//! The kernel prints `"%*d: "` or `"%*s: "` then one `"%10u "` per online CPU, then (for
//! interrupts) the chip, hardware IRQ and handler names. `ERR` and `MIS` (x86) print a single
//! total. Counts are read up to the number of CPU columns; what follows is the description,
//! stored with its runs of blanks folded. The delta codec turns counts that did not change
//! into zero bytes, so the matrix costs little in a file.
//!
//! [`TableKind::INTERRUPTS`]: rstat_data_format::schema::TableKind::INTERRUPTS
//! [`TableKind::SOFTIRQS`]: rstat_data_format::schema::TableKind::SOFTIRQS

use rstat_data_format::schema::{Table, TableFill};
use rstat_data_format::schema_system::irq::CPUS_ROW;

use super::values::{push_folded, row_with_texts};
use super::{parse_u64, quote, Line, Lines, ParseError, Text};

/// The file [`parse`] reads, as named in errors.
pub const FILE: &str = "/proc/interrupts";
/// The file [`parse_softirqs`] reads, as named in errors.
pub const SOFTIRQS_FILE: &str = "/proc/softirqs";

/// Refills `table` from the bytes of `/proc/interrupts`.
pub fn parse(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_matrix(FILE, bytes, table, true)
}

/// Refills `table` from the bytes of `/proc/softirqs` (no description is kept).
pub fn parse_softirqs(bytes: &[u8], table: &mut Table) -> Result<(), ParseError> {
    parse_matrix(SOFTIRQS_FILE, bytes, table, false)
}

fn parse_matrix(
    file: &'static str,
    bytes: &[u8],
    table: &mut Table,
    descriptions: bool,
) -> Result<(), ParseError> {
    let mut lines = Lines::new(file, bytes);
    let header = lines
        .next_nonblank()
        .ok_or_else(|| ParseError::new(file, 1, "empty file"))?;
    let mut fill = table.refill();
    let result = fill_rows(Text::new(bytes), header, lines, &mut fill, descriptions);
    fill.finish();
    result
}

fn fill_rows<'a>(
    text: Text<'a>,
    header: Line<'a>,
    lines: Lines<'a>,
    fill: &mut TableFill<'_>,
    descriptions: bool,
) -> Result<(), ParseError> {
    let cpus = &mut fill.row(CPUS_ROW).values;
    for token in header.fields() {
        let number = token.strip_prefix(b"CPU").and_then(parse_u64);
        match number {
            Some(number) => cpus.push(number),
            None => {
                return Err(header.error(format!(
                    "expected CPU columns such as `CPU0`, found `{}`",
                    quote(token)
                )))
            }
        }
    }
    let columns = cpus.len();
    if columns == 0 {
        return Err(header.error("no CPU column in the header line"));
    }
    for line in lines {
        if line.is_blank() {
            continue;
        }
        let Some(colon) = line.bytes.iter().position(|&byte| byte == b':') else {
            return Err(line.error(format!(
                "expected `NAME: counts`, found `{}`",
                quote(line.bytes)
            )));
        };
        let name = line.bytes[..colon].trim_ascii();
        if name.is_empty() || name.iter().any(u8::is_ascii_whitespace) {
            return Err(line.error(format!(
                "expected an IRQ name before `:`, found `{}`",
                quote(name)
            )));
        }
        let rest = &line.bytes[colon + 1..];
        // The row is made before its counts are parsed (into it, in the one pass that finds
        // where they end), with room for a description that is dropped when there is none.
        let row = if descriptions {
            row_with_texts(fill, &text.of(name), 1, || line.error("internal"))?
        } else {
            fill.row(&text.of(name))
        };
        row.values.reserve_exact(columns);
        let count_end = parse_counts(rest, columns, &mut row.values);
        if count_end == 0 {
            let first = line.fields_of(rest).next().unwrap_or_default();
            return Err(line.error(format!(
                "{}: expected a count, found `{}`",
                quote(name),
                quote(first)
            )));
        }
        let description = rest[count_end..].trim_ascii();
        if descriptions && !description.is_empty() {
            push_folded(&mut row.text[0], &text, description);
        } else {
            row.text.clear();
        }
    }
    Ok(())
}

/// Parses the counts of a line into `values`: at most `columns` leading numbers. Returns
/// where they end (0 when the line has no count); what follows is the description.
fn parse_counts(rest: &[u8], columns: usize, values: &mut Vec<u64>) -> usize {
    let mut position = 0;
    for _ in 0..columns {
        let Some(start) = rest[position..]
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .map(|start| position + start)
        else {
            break;
        };
        let end = rest[start..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(rest.len(), |end| start + end);
        let Some(count) = parse_u64(&rest[start..end]) else {
            break;
        };
        values.push(count);
        position = end;
    }
    position
}
