//! Any bytes as a sample payload, key or delta: decoding never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstat_data_format::codec::{decode_delta, decode_key, decompress};

fuzz_target!(|data: &[u8]| {
    let key = decode_key(data).unwrap_or_default();
    let _ = decode_delta(data, &key);
    // Plain zstd, and zstd with built-in dictionary 1 (frame flags 0b01001).
    for flags in [0b0_0001, 0b0_1001] {
        if let Ok(raw) = decompress(data, flags) {
            let _ = decode_key(&raw);
        }
    }
});
