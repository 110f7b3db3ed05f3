//! Rewrites a sysstat data file made by this machine's sadc (64-bit little-endian) into the
//! layouts of other machines: big-endian, and 32-bit (`unsigned long` fields as 4 bytes of
//! value in their 8-byte slots, `sa_sizeof_long` = 4), from the structures documented in
//! sysstat's sa.h and rd_stats.h. The installed sar reads the results, which makes it the
//! oracle for rstat's reading of layouts this machine never writes.

/// The target layout.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub big_endian: bool,
    pub long_32: bool,
    /// Append one 64-bit field to every A_MEMORY item, as sysstat 12.7 does (Shmem).
    pub newer_memory: bool,
}

struct Cursor<'a> {
    src: &'a [u8],
    pos: usize,
    out: Vec<u8>,
    layout: Layout,
}

impl Cursor<'_> {
    fn le32(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.src[at..at + 4].try_into().unwrap())
    }

    fn put32(&mut self, v: u32) {
        let bytes = if self.layout.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.out.extend_from_slice(&bytes);
    }

    fn put64(&mut self, v: u64) {
        let bytes = if self.layout.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.out.extend_from_slice(&bytes);
    }

    /// Copies one structure of `size` bytes described by `types` (ull, ul, u counts).
    fn structure(&mut self, types: [u32; 3], size: usize) {
        let start = self.pos;
        for _ in 0..types[0] {
            let v = u64::from_le_bytes(self.src[self.pos..self.pos + 8].try_into().unwrap());
            self.put64(v);
            self.pos += 8;
        }
        for _ in 0..types[1] {
            let v = u64::from_le_bytes(self.src[self.pos..self.pos + 8].try_into().unwrap());
            if self.layout.long_32 {
                self.put32(v as u32);
                self.out.extend_from_slice(&[0; 4]);
            } else {
                self.put64(v);
            }
            self.pos += 8;
        }
        for _ in 0..types[2] {
            let v = self.le32(self.pos);
            self.put32(v);
            self.pos += 4;
        }
        let rest = start + size - self.pos;
        self.out
            .extend_from_slice(&self.src[self.pos..self.pos + rest]);
        self.pos += rest;
    }

    fn u32_field(&mut self) -> u32 {
        let v = self.le32(self.pos);
        self.put32(v);
        self.pos += 4;
        v
    }

    fn bytes(&mut self, n: usize) {
        self.out
            .extend_from_slice(&self.src[self.pos..self.pos + n]);
        self.pos += n;
    }
}

/// `src` (as sadc wrote it here) in `layout`.
pub fn convert(src: &[u8], layout: Layout) -> Vec<u8> {
    let mut c = Cursor {
        src,
        pos: 0,
        out: Vec::with_capacity(src.len()),
        layout,
    };
    // struct file_magic: two u16, four version bytes, five u32, 48 bytes of padding.
    for _ in 0..2 {
        let v = u16::from_le_bytes([src[c.pos], src[c.pos + 1]]);
        let bytes = if layout.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        c.out.extend_from_slice(&bytes);
        c.pos += 2;
    }
    c.bytes(4);
    let header_size = c.u32_field() as usize;
    c.u32_field();
    let hdr_types = [c.u32_field(), c.u32_field(), c.u32_field()];
    c.bytes(48);
    // struct file_header.
    let h = c.pos;
    let at = |i: usize| c.le32(h + 16 + 4 * i);
    let (act_nr, act_types, rec_types, act_size, rec_size) = (
        at(1) as usize,
        [at(3), at(4), at(5)],
        [at(6), at(7), at(8)],
        at(9) as usize,
        at(10) as usize,
    );
    let long_at = c.out.len() + 64 + 2;
    c.structure(hdr_types, header_size);
    if layout.long_32 {
        c.out[long_at] = 4;
    }
    // struct file_activity list.
    let mut activities = Vec::new();
    for _ in 0..act_nr {
        let a = c.pos;
        let fields: Vec<u32> = (0..9).map(|i| c.le32(a + 4 * i)).collect();
        let f = |i: usize| fields[i];
        let grow = layout.newer_memory && f(0) == 7;
        activities.push((
            f(2),
            f(3),
            f(4) != 0,
            f(5) as usize,
            [f(6), f(7), f(8)],
            grow,
        ));
        let start = c.out.len();
        c.structure(act_types, act_size);
        if grow {
            // size and the count of 64-bit fields, one more each.
            let put = |out: &mut Vec<u8>, at: usize, v: u32| {
                let bytes = if layout.big_endian {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                };
                out[at..at + 4].copy_from_slice(&bytes);
            };
            put(&mut c.out, start + 20, f(5) + 8);
            put(&mut c.out, start + 24, f(6) + 1);
        }
    }
    while c.pos < src.len() {
        let record_type = src[c.pos + 20];
        c.structure(rec_types, rec_size);
        match record_type {
            1 | 3 => {
                for &(nr, nr2, has_nr, size, types, grow) in &activities {
                    let count = if has_nr { c.u32_field() } else { nr };
                    for _ in 0..count * nr2 {
                        c.structure(types, size);
                        if grow {
                            // The new field goes after the old 64-bit ones: move the rest.
                            let item = c.out.len() - size;
                            let at = item + types[0] as usize * 8;
                            let extra = if layout.big_endian {
                                4242u64.to_be_bytes()
                            } else {
                                4242u64.to_le_bytes()
                            };
                            c.out.splice(at..at, extra);
                        }
                    }
                }
            }
            2 => {
                c.u32_field();
            }
            4 => c.bytes(64),
            other => panic!("record type {other} at byte {}", c.pos),
        }
    }
    c.out
}
