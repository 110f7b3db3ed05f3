//! The byte layout of a daily file: the file header and the frame header, with their
//! checksums. Nothing here decodes a payload; see [`crate::codec`] for that.
//!
//! ```text
//! file   = file-header frame*
//! file-header = magic[8] major:u16 minor:u16 len:u32 postcard(FileHeader)[len] crc32c:u32
//! frame  = frame-header[32] payload[len]
//! frame-header = sync[4] len:u32 kind:u8 flags:u8 chunk_seq:u16 key_back:u32 time_us:i64
//!                payload_crc:u32 header_crc:u32          (all little-endian)
//! ```
//! The sync marker and the header's own CRC let a reader find the next frame after damage by
//! scanning; the payload CRC tells a damaged payload from a good one. FORMAT.md is the
//! normative description.

/// The first bytes of every rstat file. Like PNG's, the non-ASCII first byte and the CR LF
/// catch files mangled by text-mode transfers.
pub const FILE_MAGIC: [u8; 8] = *b"\x89RSTAT\r\n";
/// Major version: a reader refuses files with a larger one.
pub const FORMAT_MAJOR: u16 = 1;
/// Minor version: additions an older reader may skip. 1: built-in dictionaries 2. 2: the GPU
/// tables (kinds 60 and 61, which older readers skip like any kind they do not know).
pub const FORMAT_MINOR: u16 = 2;
/// Bytes before the postcard-encoded header.
pub const FILE_HEADER_FIXED: usize = 16;
/// Upper bound for the encoded file header, to reject garbage lengths early.
pub const MAX_FILE_HEADER: u32 = 64 * 1024;

/// Marks the start of every frame.
pub const FRAME_SYNC: [u8; 4] = [0xF7, b'r', b's', 0x1D];
/// Size of a frame header.
pub const FRAME_HEADER_LEN: usize = 32;
/// Upper bound for one payload (a sample of a very large host is a few MB at most).
pub const MAX_PAYLOAD: u32 = 256 * 1024 * 1024;

/// What a frame holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// A sample of every source the collector read.
    Sample,
    /// The host rebooted: no interval is ever computed across this frame.
    Restart,
    /// A user's comment (`rstat collect --comment`).
    Comment,
    /// A kind written by a newer rstat; readers skip it.
    Unknown(u8),
}

impl FrameKind {
    /// The kind a frame header's kind byte names (an unknown byte kept, for readers to skip).
    pub fn from_byte(byte: u8) -> FrameKind {
        match byte {
            1 => FrameKind::Sample,
            2 => FrameKind::Restart,
            3 => FrameKind::Comment,
            other => FrameKind::Unknown(other),
        }
    }

    /// The kind byte written in a frame header.
    pub fn to_byte(self) -> u8 {
        match self {
            FrameKind::Sample => 1,
            FrameKind::Restart => 2,
            FrameKind::Comment => 3,
            FrameKind::Unknown(other) => other,
        }
    }
}

/// Frame flag: the payload is one zstd frame.
pub const FLAG_ZSTD: u8 = 1;
/// Frame flag: a sample encoded as differences from its chunk's key frame (`key_back`).
pub const FLAG_DELTA: u8 = 2;
/// Frame flag: this sample is the previous day's last one, copied as the baseline of a new
/// day file so that the first interval of the day is not lost. Multi-day readers skip it.
pub const FLAG_CARRIED: u8 = 4;

/// Frame flags bits 3-4: the built-in zstd dictionary the payload was compressed with
/// (0: none; 1: [`crate::codec::KEY_DICTIONARY_1`]; 2: [`crate::codec::KEY_DICTIONARY_2`] for
/// a key frame, [`crate::codec::DELTA_DICTIONARY_2`] for a delta frame).
pub const FLAG_DICTIONARY_MASK: u8 = 0b1_1000;

/// The flag bits naming built-in dictionary `id` (0 to 3).
pub const fn dictionary_flags(id: u8) -> u8 {
    (id << 3) & FLAG_DICTIONARY_MASK
}

/// The built-in dictionary named by `flags`.
pub const fn dictionary_id(flags: u8) -> u8 {
    (flags & FLAG_DICTIONARY_MASK) >> 3
}

/// A decoded frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// Bytes of payload after the 32-byte header.
    pub payload_len: u32,
    /// What the frame holds.
    pub kind: FrameKind,
    /// Flag bits: zstd-compressed, delta-coded, carried from the previous day, and which zstd
    /// dictionary (`FLAG_*`).
    pub flags: u8,
    /// Position of a sample in its chunk: 0 for a key frame.
    pub chunk_seq: u16,
    /// For a delta frame: bytes from this frame's start back to its key frame's start.
    pub key_back: u32,
    /// Wall-clock time of the record, microseconds since the epoch, UTC.
    pub time_us: i64,
    /// CRC-32C of the payload bytes as stored.
    pub payload_crc: u32,
}

impl FrameHeader {
    /// The header as its 32 bytes on disk (little-endian fields, header CRC last).
    pub fn encode(&self) -> [u8; FRAME_HEADER_LEN] {
        let mut out = [0u8; FRAME_HEADER_LEN];
        out[0..4].copy_from_slice(&FRAME_SYNC);
        out[4..8].copy_from_slice(&self.payload_len.to_le_bytes());
        out[8] = self.kind.to_byte();
        out[9] = self.flags;
        out[10..12].copy_from_slice(&self.chunk_seq.to_le_bytes());
        out[12..16].copy_from_slice(&self.key_back.to_le_bytes());
        out[16..24].copy_from_slice(&self.time_us.to_le_bytes());
        out[24..28].copy_from_slice(&self.payload_crc.to_le_bytes());
        let header_crc = crate::crc::crc32c(&out[0..28]);
        out[28..32].copy_from_slice(&header_crc.to_le_bytes());
        out
    }

    /// Decodes a header, or says why these bytes are not a valid one.
    pub fn decode(bytes: &[u8]) -> Result<FrameHeader, &'static str> {
        let bytes: &[u8; FRAME_HEADER_LEN] = bytes
            .get(..FRAME_HEADER_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or("truncated frame header")?;
        if bytes[0..4] != FRAME_SYNC {
            return Err("no frame marker");
        }
        if crate::crc::crc32c(&bytes[0..28]) != u32_at(bytes, 28) {
            return Err("frame header checksum mismatch");
        }
        let header = FrameHeader {
            payload_len: u32_at(bytes, 4),
            kind: FrameKind::from_byte(bytes[8]),
            flags: bytes[9],
            chunk_seq: u16::from_le_bytes([bytes[10], bytes[11]]),
            key_back: u32_at(bytes, 12),
            time_us: i64::from_le_bytes(bytes[16..24].try_into().unwrap_or([0; 8])),
            payload_crc: u32_at(bytes, 24),
        };
        if header.payload_len > MAX_PAYLOAD {
            return Err("frame length out of range");
        }
        Ok(header)
    }

    /// Whether the payload is a delta against its chunk's key frame.
    pub fn is_delta(&self) -> bool {
        self.flags & FLAG_DELTA != 0
    }

    /// Total bytes of the frame, header included.
    pub fn frame_len(&self) -> u64 {
        FRAME_HEADER_LEN as u64 + u64::from(self.payload_len)
    }
}

fn u32_at(bytes: &[u8; FRAME_HEADER_LEN], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The fixed fields after the magic of a file header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileHeaderBytes {
    /// The format's major version: a reader refuses a file of a newer major.
    pub major: u16,
    /// The format's minor version: additions an older reader may ignore.
    pub minor: u16,
    /// Length of the postcard-encoded [`crate::FileHeader`] that follows.
    pub len: u32,
}

impl FileHeaderBytes {
    /// Reads the fields from the first [`FILE_HEADER_FIXED`] bytes of a file (shorter input
    /// reads as zeros; callers check the length first).
    pub fn parse(fixed: &[u8]) -> FileHeaderBytes {
        let byte = |i: usize| fixed.get(i).copied().unwrap_or(0);
        FileHeaderBytes {
            major: u16::from_le_bytes([byte(8), byte(9)]),
            minor: u16::from_le_bytes([byte(10), byte(11)]),
            len: u32::from_le_bytes([byte(12), byte(13), byte(14), byte(15)]),
        }
    }
}

/// Encodes the fixed part and checksum around an encoded file header.
pub fn encode_file_header(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FILE_HEADER_FIXED + encoded.len() + 4);
    out.extend_from_slice(&FILE_MAGIC);
    out.extend_from_slice(&FORMAT_MAJOR.to_le_bytes());
    out.extend_from_slice(&FORMAT_MINOR.to_le_bytes());
    out.extend_from_slice(&(encoded.len() as u32).to_le_bytes());
    out.extend_from_slice(encoded);
    let crc = crate::crc::crc32c(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> FrameHeader {
        FrameHeader {
            payload_len: 1234,
            kind: FrameKind::Sample,
            flags: FLAG_ZSTD | FLAG_DELTA,
            chunk_seq: 7,
            key_back: 99_000,
            time_us: 1_790_000_000_123_456,
            payload_crc: 0xDEAD_BEEF,
        }
    }

    #[test]
    fn frame_header_round_trips() {
        let bytes = header().encode();
        assert_eq!(FrameHeader::decode(&bytes), Ok(header()));
    }

    #[test]
    fn any_flipped_bit_is_detected() {
        let bytes = header().encode();
        for byte in 0..FRAME_HEADER_LEN {
            for bit in 0..8 {
                let mut damaged = bytes;
                damaged[byte] ^= 1 << bit;
                assert!(
                    FrameHeader::decode(&damaged).is_err(),
                    "byte {byte} bit {bit}"
                );
            }
        }
    }

    #[test]
    fn truncated_header_is_an_error() {
        assert_eq!(
            FrameHeader::decode(&header().encode()[..31]),
            Err("truncated frame header")
        );
    }
}
