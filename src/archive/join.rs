//! Joins independently compressed deflate streams into one. libdeflate compresses a whole
//! buffer into a complete stream whose last block is marked final; a gzip member must hold one
//! deflate stream, so before another piece can follow, that mark is cleared and the stream is
//! ended on a byte boundary with an empty stored block (what zlib's sync flush writes). Finding
//! the last block means walking the block structure: every Huffman symbol is decoded, nothing
//! is written out.

use std::io;

/// Makes `stream` (one complete raw deflate stream) joinable: its final block becomes
/// non-final and it ends byte-aligned with an empty stored block, so whatever deflate blocks
/// are appended continue the same stream.
pub fn make_joinable(stream: &mut Vec<u8>) -> io::Result<()> {
    let (last_header, end) = scan(stream)?;
    stream[last_header / 8] &= !(1u8 << (last_header % 8));
    stream.truncate(end.div_ceil(8));
    let used = end % 8;
    if used != 0 {
        // Padding after the last code must be zeros: it is read as the stored block's header.
        let last = stream.len() - 1;
        stream[last] &= (1u8 << used) - 1;
    }
    // The stored block's 3 header bits (non-final, type 0) go in the padding when they fit,
    // else in one more byte; LEN and NLEN follow on the next byte boundary.
    if used == 0 || used > 5 {
        stream.push(0);
    }
    stream.extend_from_slice(&[0, 0, 0xff, 0xff]);
    Ok(())
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("deflate stream to join: {what}"),
    )
}

/// An LSB-first bit reader over a 64-bit buffer, refilled 8 bytes at a time. Past the end of
/// the data it reads zeros; `scan` then reports the stream as truncated.
struct Bits<'a> {
    data: &'a [u8],
    next: usize,
    buf: u64,
    count: u32,
}

impl<'a> Bits<'a> {
    fn at(data: &'a [u8], bit: usize) -> io::Result<Bits<'a>> {
        let mut b = Bits {
            data,
            next: bit / 8,
            buf: 0,
            count: 0,
        };
        b.refill()?;
        b.consume((bit % 8) as u32);
        Ok(b)
    }

    /// Bit offset of the next unread bit.
    fn pos(&self) -> usize {
        self.next * 8 - self.count as usize
    }

    /// Makes at least 56 bits available.
    #[inline]
    fn refill(&mut self) -> io::Result<()> {
        if self.count > 56 {
            return Ok(());
        }
        let word = match self.data.get(self.next..self.next + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
            None => {
                if self.next > self.data.len() + 8 {
                    return Err(corrupt("truncated"));
                }
                let mut w = [0u8; 8];
                let tail = self.data.get(self.next..).unwrap_or(&[]);
                w[..tail.len()].copy_from_slice(tail);
                u64::from_le_bytes(w)
            }
        };
        self.buf |= word << self.count;
        let bytes = (63 - self.count) / 8;
        self.next += bytes as usize;
        self.count += bytes * 8;
        Ok(())
    }

    #[inline]
    fn consume(&mut self, n: u32) {
        self.buf >>= n;
        self.count -= n;
    }

    fn take(&mut self, n: u32) -> io::Result<u32> {
        self.refill()?;
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.consume(n);
        Ok(v)
    }
}

/// A canonical Huffman code as a direct lookup table indexed by the next `bits` input bits.
/// An entry holds the bits to consume (the code and the symbol's extra bits) in its low byte
/// and the symbol's kind above; `INVALID` marks bit patterns no code starts with.
struct Table {
    mask: u64,
    entries: Vec<u32>,
}

const INVALID: u32 = u32::MAX;
const LITERAL: u32 = 0;
const LENGTH: u32 = 1 << 8;
const END: u32 = 2 << 8;
/// A symbol that may appear only as a code length code (or a distance) and needs its value.
const VALUE: u32 = 3 << 8;

impl Table {
    /// `kind(symbol)` gives the symbol's kind and extra bits, or None for a symbol deflate
    /// never uses.
    fn new(lengths: &[u8], kind: impl Fn(usize) -> Option<(u32, u32)>) -> io::Result<Table> {
        let bits = u32::from(lengths.iter().copied().max().unwrap_or(0)).max(1);
        let mut count = [0u16; 16];
        for &l in lengths {
            count[l as usize] += 1;
        }
        count[0] = 0;
        let mut next = [0u32; 16];
        let mut code = 0u32;
        for len in 1..16 {
            code = (code + u32::from(count[len - 1])) << 1;
            next[len] = code;
        }
        let mut entries = vec![INVALID; 1 << bits];
        for (sym, &len) in lengths.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let len = u32::from(len);
            let c = next[len as usize];
            next[len as usize] += 1;
            if c >= 1 << len {
                return Err(corrupt("over-subscribed Huffman code"));
            }
            let Some((k, extra)) = kind(sym) else {
                continue;
            };
            let entry = if k == VALUE {
                (sym as u32) << 16 | k | len
            } else {
                k | (len + extra)
            };
            // Deflate sends Huffman codes most significant bit first into an LSB-first stream.
            let mut i = (c.reverse_bits() >> (32 - len)) as usize;
            while i < entries.len() {
                entries[i] = entry;
                i += 1 << len;
            }
        }
        Ok(Table {
            mask: (1u64 << bits) - 1,
            entries,
        })
    }

    /// Consumes one code (and its extra bits); needs 28 bits available.
    #[inline]
    fn next(&self, b: &mut Bits) -> io::Result<u32> {
        let e = self.entries[(b.buf & self.mask) as usize];
        if e == INVALID {
            return Err(corrupt("invalid Huffman code"));
        }
        b.consume(e & 0xff);
        Ok(e)
    }

    fn literal_length(lengths: &[u8]) -> io::Result<Table> {
        Table::new(lengths, |sym| match sym {
            0..=255 => Some((LITERAL, 0)),
            256 => Some((END, 0)),
            257..=285 => Some((LENGTH, u32::from(LEN_EXTRA[sym - 257]))),
            _ => None,
        })
    }

    fn distance(lengths: &[u8]) -> io::Result<Table> {
        Table::new(lengths, |sym| {
            DIST_EXTRA
                .get(sym)
                .map(|&extra| (LITERAL, u32::from(extra)))
        })
    }
}

/// Extra bits of length symbols 257..=285 and distance symbols 0..=29 (RFC 1951 §3.2.5).
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which code length code lengths are sent.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Bit offsets of the final block's header and of the end of its end-of-block code.
fn scan(data: &[u8]) -> io::Result<(usize, usize)> {
    let mut b = Bits::at(data, 0)?;
    let mut fixed = None;
    loop {
        let header = b.pos();
        let last = b.take(1)? == 1;
        match b.take(2)? {
            0 => {
                let aligned = b.pos().div_ceil(8) * 8;
                b = Bits::at(data, aligned)?;
                let len = b.take(16)?;
                let nlen = b.take(16)?;
                if len != !nlen & 0xffff {
                    return Err(corrupt("stored block length check"));
                }
                b = Bits::at(data, b.pos() + len as usize * 8)?;
            }
            1 => {
                if fixed.is_none() {
                    let mut lit = [8u8; 288];
                    lit[144..256].fill(9);
                    lit[256..280].fill(7);
                    fixed = Some((Table::literal_length(&lit)?, Table::distance(&[5u8; 30])?));
                }
                let (lit, dist) = fixed.as_ref().expect("set above");
                codes(&mut b, lit, dist)?;
            }
            2 => {
                let (lit, dist) = dynamic_tables(&mut b)?;
                codes(&mut b, &lit, &dist)?;
            }
            _ => return Err(corrupt("reserved block type")),
        }
        if b.pos() > data.len() * 8 {
            return Err(corrupt("truncated"));
        }
        if last {
            return Ok((header, b.pos()));
        }
    }
}

fn dynamic_tables(b: &mut Bits) -> io::Result<(Table, Table)> {
    let hlit = b.take(5)? as usize + 257;
    let hdist = b.take(5)? as usize + 1;
    let hclen = b.take(4)? as usize + 4;
    let mut clen = [0u8; 19];
    for &i in &CLEN_ORDER[..hclen] {
        clen[i] = b.take(3)? as u8;
    }
    let clen = Table::new(&clen, |_| Some((VALUE, 0)))?;
    let mut lengths = vec![0u8; hlit + hdist];
    let mut i = 0;
    while i < lengths.len() {
        b.refill()?;
        let sym = clen.next(b)? >> 16;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                let prev = *lengths
                    .get(i.wrapping_sub(1))
                    .ok_or_else(|| corrupt("repeat with no previous length"))?;
                (prev, 3 + b.take(2)? as usize)
            }
            17 => (0, 3 + b.take(3)? as usize),
            _ => (0, 11 + b.take(7)? as usize),
        };
        let run = lengths
            .get_mut(i..i + repeat)
            .ok_or_else(|| corrupt("code lengths overrun"))?;
        run.fill(value);
        i += repeat;
    }
    Ok((
        Table::literal_length(&lengths[..hlit])?,
        Table::distance(&lengths[hlit..])?,
    ))
}

/// Walks the codes of one compressed block up to and including its end-of-block symbol. A
/// length code with its extra bits takes at most 20 bits and a distance at most 28, so one
/// refill covers both.
fn codes(b: &mut Bits, lit: &Table, dist: &Table) -> io::Result<()> {
    loop {
        b.refill()?;
        let e = lit.next(b)?;
        match e & 0xff00 {
            LITERAL => {}
            LENGTH => {
                dist.next(b)?;
            }
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn pieces() -> Vec<Vec<u8>> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut random = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 32) as u8
                })
                .collect()
        };
        let text = "fingerprint package job release blob 12345\n".repeat(5_000);
        vec![
            Vec::new(),
            b"a".to_vec(),
            text.as_bytes().to_vec(),
            random(100_000),
            [text.as_bytes(), &random(70_000), text.as_bytes()].concat(),
            (0..=255u8).cycle().take(300_000).collect(),
        ]
    }

    #[test]
    fn joined_pieces_inflate_to_the_concatenation_at_every_level() {
        for level in 1..=12 {
            let lvl = libdeflater::CompressionLvl::new(level).unwrap();
            let mut c = libdeflater::Compressor::new(lvl);
            let mut joined: Vec<u8> = Vec::new();
            let mut want: Vec<u8> = Vec::new();
            let pieces = pieces();
            for (i, p) in pieces.iter().enumerate() {
                let mut out = vec![0; c.deflate_compress_bound(p.len())];
                let n = c.deflate_compress(p, &mut out).unwrap();
                out.truncate(n);
                if i + 1 < pieces.len() {
                    make_joinable(&mut out).unwrap();
                }
                joined.extend(out);
                want.extend(p);
            }
            let mut back = Vec::new();
            flate2::read::DeflateDecoder::new(&joined[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, want, "level {level}");
        }
    }

    #[test]
    fn every_end_bit_offset_gets_a_valid_stored_block() {
        // Single-byte inputs at level 1 end at various bit offsets; each joined to a
        // final empty block must still inflate to the input.
        let mut seen = [false; 8];
        let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::new(1).unwrap());
        for len in 0..64usize {
            let input: Vec<u8> = (0..len as u8).map(|i| i.wrapping_mul(37)).collect();
            let mut out = vec![0; c.deflate_compress_bound(input.len())];
            let n = c.deflate_compress(&input, &mut out).unwrap();
            out.truncate(n);
            let (_, end) = scan(&out).unwrap();
            seen[end % 8] = true;
            make_joinable(&mut out).unwrap();
            out.extend_from_slice(&[0x03, 0x00]);
            let mut back = Vec::new();
            flate2::read::DeflateDecoder::new(&out[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, input);
        }
        assert!(seen.iter().filter(|s| **s).count() >= 6, "{seen:?}");
    }

    #[test]
    fn corrupt_streams_are_refused_not_panicked_on() {
        assert!(scan(&[]).is_err());
        assert!(scan(&[0x07]).is_err(), "reserved block type");
        assert!(scan(&[0x01, 0x05, 0x00, 0x00, 0x00]).is_err(), "bad NLEN");
        for bytes in [[0x05u8, 0xff, 0xff, 0xff], [0x0d, 0x00, 0x00, 0x80]] {
            let _ = scan(&bytes);
        }
    }
}
