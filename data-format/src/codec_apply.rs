//! The read side of a delta section: each row postcard reads is applied at once to the
//! table being rebuilt, whose rows (a recycled sample's) are overwritten in place. Nothing is
//! collected first: no vector of delta rows, no vector of deltas per row (building them was
//! the larger part of decoding a sample). The encoding is `DeltaRowOut`'s, in the codec.

use serde::de::{DeserializeSeed, Deserializer, EnumAccess, SeqAccess, VariantAccess, Visitor};

use super::{codec_err, next_row, CodecError};
use crate::limits::DecodeBudget;
use crate::schema::{Row, TableKind};

/// The table being rebuilt and where its decoding stands.
pub(super) struct Apply<'a> {
    /// The table's kind, for messages.
    pub kind: TableKind,
    /// The key frame's rows of this table.
    pub base: &'a [Row],
    /// The rows being rebuilt (the first `used` are this sample's).
    pub rows: &'a mut Vec<Row>,
    pub used: usize,
    /// One past the key row the last `Known` row referred to.
    pub expected: i64,
    pub budget: &'a mut DecodeBudget,
    /// Why the rows do not fit the key frame (postcard's own error would not carry it).
    pub failure: Option<CodecError>,
}

impl Apply<'_> {
    /// Decodes `body` (a postcard sequence of delta rows) into the table.
    pub fn section(&mut self, body: &[u8]) -> Result<(), CodecError> {
        let mut de = postcard::Deserializer::from_bytes(body);
        let result = de.deserialize_seq(Section(self));
        match (result, self.failure.take()) {
            (_, Some(failure)) => Err(failure),
            (Ok(()), None) => Ok(()),
            (Err(e), None) => Err(codec_err(format!(
                "table {} ({}): {e}",
                self.kind.0,
                self.kind.name()
            ))),
        }
    }

    /// Records why decoding stops; the error handed to serde only unwinds it.
    fn fail<E: serde::de::Error>(&mut self, failure: CodecError) -> E {
        let error = E::custom(&failure.0);
        self.failure = Some(failure);
        error
    }

    fn missing<E: serde::de::Error>(&mut self, what: String) -> E {
        let failure = codec_err(format!("table {}: {what}", self.kind.name()));
        self.fail(failure)
    }

    fn base_row(&self, index: i64) -> Option<&Row> {
        usize::try_from(index).ok().and_then(|i| self.base.get(i))
    }

    fn new_row<E: serde::de::Error>(&mut self, row: Row) -> Result<(), E> {
        if let Err(over) = self.budget.charge(&row) {
            return Err(self.fail(over.into()));
        }
        *next_row(self.rows, &mut self.used) = row;
        Ok(())
    }

    fn same<E: serde::de::Error>(&mut self, count: u32) -> Result<(), E> {
        for _ in 0..count {
            let Some(from) = usize::try_from(self.expected)
                .ok()
                .and_then(|i| self.base.get(i))
            else {
                return Err(
                    self.missing("a run of unchanged rows passes the key frame's end".into())
                );
            };
            if let Err(over) = self.budget.charge(from) {
                return Err(self.fail(over.into()));
            }
            let row = next_row(self.rows, &mut self.used);
            copy_from(&mut row.key, &from.key);
            copy_from(&mut row.text, &from.text);
            copy_from(&mut row.values, &from.values);
            self.expected += 1;
        }
        Ok(())
    }
}

/// Makes `into` equal to `from`, copying only when they differ: the recycled sample's row
/// in a slot most often came from the same key row (the samples of a chunk list their rows
/// in the same order), so it already holds its name and text, and an unchanged row its
/// values; comparing them costs less than copying them (the copies were 8% of `report
/// -A`'s instructions).
fn copy_from<T: PartialEq + Clone>(into: &mut T, from: &T) {
    if into != from {
        into.clone_from(from);
    }
}

/// A section: a sequence of delta rows.
struct Section<'s, 'a>(&'s mut Apply<'a>);

impl<'de> Visitor<'de> for Section<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sequence of delta rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(DeltaRow(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One delta row: `New(Row)`, `Known { link, text, deltas }` or `Same(n)`.
struct DeltaRow<'s, 'a>(&'s mut Apply<'a>);

const VARIANTS: &[&str] = &["New", "Known", "Same"];
const KNOWN_FIELDS: &[&str] = &["link", "text", "deltas"];

impl<'de> DeserializeSeed<'de> for DeltaRow<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_enum("DeltaRowIn", VARIANTS, self)
    }
}

impl<'de> Visitor<'de> for DeltaRow<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a delta row")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (variant, access): (u32, _) = data.variant()?;
        match variant {
            0 => {
                let row: Row = access.newtype_variant()?;
                self.0.new_row(row)
            }
            1 => access.struct_variant(KNOWN_FIELDS, Known(self.0)),
            2 => {
                let count: u32 = access.newtype_variant()?;
                self.0.same(count)
            }
            other => Err(serde::de::Error::unknown_variant(
                &other.to_string(),
                VARIANTS,
            )),
        }
    }
}

/// A `Known` row's fields, applied to the key row it links to.
struct Known<'s, 'a>(&'s mut Apply<'a>);

impl<'de> Visitor<'de> for Known<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a known row's link, text and deltas")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let apply = self.0;
        let short = || serde::de::Error::invalid_length(0, &"link, text and deltas");
        let link: i32 = seq.next_element()?.ok_or_else(short)?;
        let text: Option<Vec<String>> = seq.next_element()?.ok_or_else(short)?;
        let index = apply.expected + i64::from(link);
        if apply.base_row(index).is_none() {
            return Err(apply.missing(format!("row refers to missing key row {index}")));
        }
        let base = apply.base;
        let from = &base[index as usize];
        let row = next_row(apply.rows, &mut apply.used);
        copy_from(&mut row.key, &from.key);
        match text {
            Some(text) => row.text = text,
            None => copy_from(&mut row.text, &from.text),
        }
        let deltas = Deltas {
            from: &from.values,
            into: &mut row.values,
        };
        seq.next_element_seed(deltas)?.ok_or_else(short)?;
        let row = &apply.rows[apply.used - 1];
        if let Err(over) = apply.budget.charge(row) {
            return Err(apply.fail(over.into()));
        }
        apply.expected = index + 1;
        Ok(())
    }
}

/// A row's values, each read as its difference from the key row's (a column the key row
/// lacks counts from 0), written over the row's old values.
struct Deltas<'r> {
    from: &'r [u64],
    into: &'r mut Vec<u64>,
}

impl<'de> DeserializeSeed<'de> for Deltas<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Deltas<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sequence of deltas")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.into.clear();
        while let Some(delta) = seq.next_element::<i64>()? {
            let base = self.from.get(self.into.len()).copied().unwrap_or(0);
            self.into.push(base.wrapping_add(delta as u64));
        }
        Ok(())
    }
}
