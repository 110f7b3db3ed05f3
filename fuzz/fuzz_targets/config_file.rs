//! rstat.toml, structure-aware: the input picks keys of the real sections (and unknown ones),
//! value shapes (strings that look like durations, sizes, modes and tiers, integers with and
//! without leading zeros, booleans, arrays, tables) and some raw text between them, so that
//! most inputs are TOML that reaches the typed keys. Any file gives settings or one line that
//! starts with the file's name, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat::config_file::parse;

const SECTIONS: [&str; 5] = ["", "[collect]", "[prune]", "[push]", "[push.headers]"];
const KEYS: [&str; 24] = [
    "data_dir", "interval", "activities", "processes", "threads", "cmdline", "cgroups",
    "file_mode", "keep_days", "tiers", "max_size", "url", "bearer_token_file",
    "basic_auth_username", "basic_auth_password_file", "tls_ca_file", "headers", "batch_size",
    "state_file", "X-Scope-OrgID", "unknown", "collect", "0640", "\"quoted key\"",
];
const WORDS: [&str; 20] = [
    "10s", "500ms", "5m", "1h", "0", "-1", "1e9", "2G", "500M", "off", "0640", "0o640",
    "7d: 1m", "30d:1h", "DEFAULT", "ALL,-DISK", "cpu,mem", "XALL", "é", "",
];

/// Takes the next byte of the input (0 once it is used up).
fn next(data: &mut &[u8]) -> u8 {
    let (&first, rest) = data.split_first().unwrap_or((&0, &[]));
    *data = rest;
    first
}

fn value(data: &mut &[u8], text: &mut String, depth: u8) {
    let pick = next(data);
    let word = WORDS[usize::from(next(data)) % WORDS.len()];
    match pick % 9 {
        0 => text.push_str(&format!("{word:?}")),
        1 => text.push_str(&format!("{}", i64::from(next(data)) * 1000 - 5000)),
        2 => text.push_str(&format!("0{}", next(data))),
        3 => text.push_str(if next(data) % 2 == 0 { "true" } else { "false" }),
        4 if depth < 3 => {
            text.push('[');
            for _ in 0..next(data) % 4 {
                value(data, text, depth + 1);
                text.push_str(", ");
            }
            text.push(']');
        }
        5 if depth < 3 => {
            text.push_str("{ a = ");
            value(data, text, depth + 1);
            text.push_str(" }");
        }
        6 => text.push_str(&format!("0o{:o}", u16::from(next(data)) * 3)),
        7 => text.push_str(&format!("{}.{}", next(data), next(data))),
        _ => text.push_str(word),
    }
}

fuzz_target!(|input: &[u8]| {
    let mut data = input;
    let mut text = String::new();
    while !data.is_empty() {
        match next(&mut data) % 8 {
            0 => text.push_str(SECTIONS[usize::from(next(&mut data)) % SECTIONS.len()]),
            1 => {
                // Raw bytes, as text, up to the next 0.
                let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                text.push_str(&String::from_utf8_lossy(&data[..end]));
                data = &data[end.min(data.len())..];
            }
            _ => {
                text.push_str(KEYS[usize::from(next(&mut data)) % KEYS.len()]);
                text.push_str(" = ");
                value(&mut data, &mut text, 0);
            }
        }
        text.push('\n');
    }
    if let Err(error) = parse(&text, "fuzz.toml") {
        assert!(error.starts_with("fuzz.toml"), "{error:?}\n--- file:\n{text}");
        assert!(!error.contains('\n'), "a multi-line error: {error:?}\n--- file:\n{text}");
    }
});
