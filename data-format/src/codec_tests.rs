//! Round trips of key and delta payloads through the encoder and decoder.

use super::*;

fn row(key: &str, values: &[u64]) -> Row {
    Row {
        key: key.into(),
        text: Vec::new(),
        values: values.to_vec(),
    }
}

fn key_tables() -> Vec<Table> {
    vec![
        Table {
            kind: TableKind::CPU,
            rows: vec![
                row("cpu", &[100, 5, 40, 9000]),
                row("cpu0", &[50, 2, 20, 4500]),
            ],
        },
        Table {
            kind: TableKind::NETDEV,
            rows: vec![row("lo", &[1, 2]), row("eth0", &[u64::MAX - 1, 7])],
        },
    ]
}

fn round_trip_delta(cur: &[Table], key: &[Table]) -> (Vec<Table>, usize) {
    let mut encoder = Encoder::new();
    let mut out = Vec::new();
    let (_, flags) = encoder.encode_delta(cur, key, &mut out).unwrap();
    let raw = decompress(&out, flags).unwrap();
    (decode_delta(&raw, key).unwrap(), out.len())
}

#[test]
fn key_round_trips() {
    let mut encoder = Encoder::new();
    let mut out = Vec::new();
    let (_, flags) = encoder.encode_key(&key_tables(), &mut out).unwrap();
    assert_eq!(
        decode_key(&decompress(&out, flags).unwrap()).unwrap(),
        key_tables()
    );
}

#[test]
fn a_key_decoded_into_recycled_tables_is_the_key_decoded_afresh() {
    let mut encoder = Encoder::new();
    let mut out = Vec::new();
    let (_, flags) = encoder.encode_key(&key_tables(), &mut out).unwrap();
    let raw = decompress(&out, flags).unwrap();
    // Recycled tables of other kinds and shapes: more tables, more and fewer rows, longer
    // and shorter strings, text where the key has none, more values.
    let mut recycled = vec![
        Table {
            kind: TableKind::NETDEV,
            rows: vec![Row {
                key: "a-much-longer-row-name".into(),
                text: vec!["left over".into(), "twice".into()],
                values: vec![1, 2, 3, 4, 5, 6, 7],
            }],
        },
        Table {
            kind: TableKind::CPU,
            rows: vec![
                row("x", &[]),
                row("y", &[1]),
                row("z", &[2]),
                row("w", &[3]),
            ],
        },
        Table::new(TableKind(999)),
    ];
    decode_key_into(&raw, &mut recycled).unwrap();
    assert_eq!(recycled, key_tables());
    // Into nothing, as decode_key does.
    let mut empty = Vec::new();
    decode_key_into(&raw, &mut empty).unwrap();
    assert_eq!(empty, key_tables());
    // A body cut short is refused, recycled or not.
    let cut = &raw[..raw.len() - 1];
    assert!(decode_key(cut).is_err());
    assert!(decode_key_into(cut, &mut recycled).is_err());
}

#[test]
fn delta_round_trips_changes_new_rows_reorders_wraps_and_text() {
    let key = key_tables();
    let mut cur = key_tables();
    cur[0].rows[0].values[0] = 180; // a counter moves
    cur[0].rows[1].values.truncate(3); // fewer columns
    cur[1].rows.swap(0, 1); // order changes
    cur[1].rows[0].values[0] = 3; // wraps past u64::MAX
    cur[1].rows.push(Row {
        key: "eth1".into(),
        text: vec!["new".into()],
        values: vec![9],
    });
    cur[1].rows[1].text = vec!["renamed".into()];
    cur[1].rows[1].values.push(77); // a column the key row lacks
    let (decoded, _) = round_trip_delta(&cur, &key);
    assert_eq!(decoded, cur);
}

#[test]
fn one_compression_context_at_a_time_and_the_same_bytes() {
    // Large enough to be compressed (the flags say zstd), so that contexts are built.
    let key: Vec<Table> = vec![Table {
        kind: TableKind::VMSTAT,
        rows: (0..300)
            .map(|i| row(&format!("counter_{i}"), &[i * 1_000_003, i]))
            .collect(),
    }];
    let mut cur = key.clone();
    for row in &mut cur[0].rows {
        row.values[1] += 5;
    }
    let mut encoded_key = EncodedKey::new();
    let mut encoder = Encoder::new();
    let mut frames = Vec::new();
    // A chunk's key, its deltas, the next chunk's key: each switch frees the other context,
    // and the first frame of a type after a switch is compressed alone (no context kept).
    for (step, kept) in [
        ("key", None),
        ("delta", None),
        ("delta", Some(false)),
        ("delta", Some(false)),
        ("key", None),
        ("key", Some(true)),
        ("delta", None),
    ] {
        let mut out = Vec::new();
        let (_, flags) = if step == "key" {
            encoder.encode_key_into(&key, &mut encoded_key, &mut out)
        } else {
            encoder.encode_delta_against(&cur, &encoded_key, &mut out)
        }
        .unwrap();
        assert_ne!(flags & frame::FLAG_ZSTD, 0, "{step}");
        let held: Vec<bool> = encoder
            .compressor
            .iter()
            .map(|(of_key, _)| *of_key)
            .collect();
        assert_eq!(held, Vec::from_iter(kept), "after a {step} frame");
        // Every frame names the same dictionary, however compressed, and decodes.
        let raw = decompress(&out, flags).unwrap();
        if step == "key" {
            assert_eq!(decode_key(&raw).unwrap(), key);
        } else {
            assert_eq!(decode_delta(&raw, &key).unwrap(), cur);
        }
        frames.push((out, flags));
    }
    // A frame compressed alone is the same bytes every time, and as a new encoder's.
    assert_eq!(frames[0], frames[4]);
    assert_eq!(frames[1], frames[6]);
    assert_eq!(frames[2], frames[3]);
    let mut out = Vec::new();
    let (_, flags) = Encoder::new()
        .encode_delta_against(&cur, &encoded_key, &mut out)
        .unwrap();
    assert_eq!((out, flags), frames[1]);
}

/// A frame compressed alone (the dictionary as a single-use prefix) names the dictionary
/// by the same id as one compressed by a kept context, decodes with it, and is at most a
/// twentieth larger.
#[test]
fn a_frame_compressed_alone_names_the_same_dictionary() {
    let tables: Vec<Table> = vec![Table {
        kind: TableKind::VMSTAT,
        rows: (0..300)
            .map(|i| row(&format!("nr_counter_{i}"), &[i * 7_919, i]))
            .collect(),
    }];
    for (key, dictionary) in [(true, KEY_DICTIONARY_2), (false, DELTA_DICTIONARY_2)] {
        let mut encoder = Encoder::new();
        let raw = encoder.encode_key_raw(&tables).unwrap().to_vec();
        let (mut alone, mut kept) = (Vec::new(), Vec::new());
        let (_, flags) = encoder.compress(&raw, &mut alone, key).unwrap();
        let (_, kept_flags) = encoder.compress(&raw, &mut kept, key).unwrap();
        assert!(
            encoder.compressor.is_some(),
            "the second frame keeps a context"
        );
        assert_eq!(flags, kept_flags);
        let id = |frame: &[u8]| zstd::zstd_safe::get_dict_id_from_frame(frame);
        // The delta dictionary is a zstd dictionary with an id; the key dictionaries are raw
        // content, which frames do not name.
        assert_eq!(
            id(&alone),
            zstd::zstd_safe::get_dict_id_from_dict(dictionary)
        );
        assert_eq!(id(&alone).is_some(), !key);
        assert_eq!(id(&alone), id(&kept));
        assert_eq!(decompress(&alone, flags).unwrap(), raw);
        assert!(
            alone.len() <= kept.len() + kept.len() / 20,
            "{} vs {}",
            alone.len(),
            kept.len()
        );
    }
}

#[test]
fn a_table_missing_from_the_key_is_all_new_rows() {
    let key = vec![key_tables().remove(0)];
    let cur = key_tables();
    assert_eq!(round_trip_delta(&cur, &key).0, cur);
}

#[test]
fn unchanged_sample_costs_a_few_bytes_per_row() {
    let key: Vec<Table> = vec![Table {
        kind: TableKind::VMSTAT,
        rows: (0..200)
            .map(|i| row(&format!("counter_{i}"), &[i * 1_000_003]))
            .collect(),
    }];
    let (decoded, len) = round_trip_delta(&key, &key);
    assert_eq!(decoded, key);
    assert!(len < 40, "an unchanged 200-row table took {len} bytes");
}

#[test]
fn unknown_table_kinds_are_kept_and_garbage_is_an_error() {
    let mut raw = Vec::new();
    push_section_with(&mut raw, TableKind(999), |raw| {
        raw.extend(postcard::to_allocvec(&vec![row("x", &[1])]).unwrap());
        Ok(())
    })
    .unwrap();
    assert_eq!(decode_key(&raw).unwrap()[0].kind, TableKind(999));
    assert!(decode_key(&[5, 200, 1]).is_err());
    assert!(decode_delta(&[3, 3, 1, 1, 9], &key_tables()).is_err());
}

#[test]
fn a_payload_of_millions_of_empty_sections_is_refused() {
    // 3 bytes per empty table (kind 0, length 1, no rows), 32 bytes each decoded: without a
    // charge per table, 16 MiB decoded to 180 MB.
    let raw = [0u8, 1, 0].repeat(crate::limits::MAX_RAW_PAYLOAD / 3);
    let e = decode_key(&raw).unwrap_err();
    assert!(e.0.contains("the sample decodes to more than"), "{e}");
    let e = decode_delta(&raw, &[]).unwrap_err();
    assert!(e.0.contains("the sample decodes to more than"), "{e}");
}

#[test]
fn declared_row_counts_past_the_limit_are_refused_before_decoding() {
    let mut raw = vec![3u8, 4]; // table 3, a body of 4 bytes
    raw.extend_from_slice(&[0x80, 0x80, 0x80, 0x01]); // 2^21 rows declared
    let e = decode_key(&raw).unwrap_err();
    assert!(e.0.contains("declares 2097152 rows"), "{e}");
}

/// The delta encoder writes each section's rows, then puts their count in front: the bytes
/// must be postcard's encoding of the sequence of rows (what readers decode).
#[test]
fn delta_sections_are_the_postcard_sequence_of_their_rows() {
    let key = key_tables();
    let mut cur = key_tables();
    cur[0].rows[1].values[2] += 1;
    cur[1].rows.push(row("eth1", &[4]));
    // Enough rows for a count of two bytes.
    cur.push(Table {
        kind: TableKind::VMSTAT,
        rows: (0..200).map(|i| row(&format!("c{i}"), &[i])).collect(),
    });
    let mut encoded = EncodedKey::new();
    encoded.encode(&key).unwrap();
    let mut expected = Vec::new();
    for table in &cur {
        let plan = DeltaRows {
            cur: &table.rows,
            key: encoded.rows(table.kind),
        };
        let mut rows = Vec::new();
        plan.plan(|row| -> Result<(), ()> {
            rows.push(row);
            Ok(())
        })
        .unwrap();
        push_section_with(&mut expected, table.kind, |raw| {
            *raw = postcard::to_extend(&rows, std::mem::take(raw)).unwrap();
            Ok(())
        })
        .unwrap();
    }
    let mut encoder = Encoder::new();
    assert_eq!(
        encoder.encode_delta_raw_against(&cur, &encoded).unwrap(),
        &expected[..]
    );
    assert_eq!(decode_delta(&expected, &key).unwrap(), cur);
}
