//! A gzip stream whose payload is either deflated or stored, switchable between tar entries:
//! a blob that is already gzip/xz/zstd/bzip2/zip is copied in stored blocks while text around
//! it is deflated.
//!
//! Deflated bytes are cut into fixed 1 MiB chunks, each compressed on its own by libdeflate
//! (better output than zlib at the same speed, but whole buffers only) and joined into the one
//! deflate stream of a single gzip member (`join`). Chunks of a large file are compressed in
//! parallel. Chunk boundaries depend only on the bytes written and the mode switches, never on
//! threads or write sizes: the same input gives the same stream.

use std::cell::RefCell;
use std::io::{self, Write};

use rayon::prelude::*;

use super::join::make_joinable;

/// How the payload of the next bytes should be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Deflate at the writer's level.
    Deflate,
    /// Stored blocks: for data that does not compress.
    Store,
}

/// Input bytes per independently compressed chunk. Each chunk starts with an empty window, so
/// the cost is re-learning 32 KiB of context per MiB: well under 0.1% on text.
const CHUNK: usize = 1 << 20;

/// The largest stored block deflate allows.
const STORED_MAX: usize = 65_535;

pub struct GzipWriter<W: Write> {
    inner: W,
    level: i32,
    crc: crc32fast::Hasher,
    size: u32,
    /// Input not yet compressed (deflate mode) or not yet written as a full stored block.
    pending: Vec<u8>,
    mode: Compression,
    /// Full chunks gathered before compressing them in parallel.
    batch: usize,
}

/// A compressor for one level and the buffer it compresses into.
struct Deflater {
    level: i32,
    comp: libdeflater::Compressor,
    /// Sized for the worst case of a chunk; only the bytes produced are copied out, so the
    /// worst case is zeroed once per thread instead of once per chunk.
    scratch: Vec<u8>,
}

thread_local! {
    /// One compressor per thread and level: allocating one costs more than compressing a
    /// small file.
    static COMPRESSOR: RefCell<Option<Deflater>> = const { RefCell::new(None) };
}

/// One chunk as a raw deflate stream; unless `last`, joinable (non-final, byte-aligned).
fn deflate_chunk(level: i32, data: &[u8], last: bool) -> io::Result<Vec<u8>> {
    let mut out = COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        if c.as_ref().map(|d| d.level) != Some(level) {
            let lvl = libdeflater::CompressionLvl::new(level)
                .map_err(|e| io::Error::other(format!("deflate level {level}: {e:?}")))?;
            *c = Some(Deflater {
                level,
                comp: libdeflater::Compressor::new(lvl),
                scratch: Vec::new(),
            });
        }
        let d = c.as_mut().expect("set above");
        let bound = d.comp.deflate_compress_bound(data.len());
        if d.scratch.len() < bound {
            d.scratch.resize(bound, 0);
        }
        let n = d
            .comp
            .deflate_compress(data, &mut d.scratch[..bound])
            .map_err(|e| io::Error::other(format!("deflate: {e:?}")))?;
        // Room for what `make_joinable` appends, so it never reallocates.
        let mut out = Vec::with_capacity(n + 6);
        out.extend_from_slice(&d.scratch[..n]);
        Ok::<_, io::Error>(out)
    })?;
    if !last {
        make_joinable(&mut out)?;
    }
    Ok(out)
}

/// One non-final stored block: header byte 0, LEN, NLEN, the bytes (at most 64 KiB - 1).
fn write_stored(out: &mut impl Write, chunk: &[u8]) -> io::Result<()> {
    let len = chunk.len() as u16;
    let mut head = [0u8; 5];
    head[1..3].copy_from_slice(&len.to_le_bytes());
    head[3..5].copy_from_slice(&(!len).to_le_bytes());
    out.write_all(&head)?;
    out.write_all(chunk)
}

impl<W: Write> GzipWriter<W> {
    /// A gzip stream at deflate `level` (1 fastest … 9 smallest; `gzip`'s default is 6).
    pub fn new(mut inner: W, level: u32) -> io::Result<Self> {
        // Magic, deflate, no flags, mtime 0, no extra flags, OS "unknown": no timestamp, so
        // the same input gives the same bytes.
        inner.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])?;
        Ok(GzipWriter {
            inner,
            level: level.clamp(1, 9) as i32,
            crc: crc32fast::Hasher::new(),
            size: 0,
            pending: Vec::new(),
            mode: Compression::Deflate,
            batch: rayon::current_num_threads().max(1),
        })
    }

    /// Switches between deflating and storing; what was pending in the old mode is written
    /// first, so the stream is byte-aligned with no block open whenever the mode changes.
    pub fn set_mode(&mut self, mode: Compression) -> io::Result<()> {
        if mode == self.mode {
            return Ok(());
        }
        match self.mode {
            Compression::Deflate => self.deflate_pending(false)?,
            Compression::Store => self.store_pending(true)?,
        }
        self.mode = mode;
        Ok(())
    }

    /// Compresses the full chunks pending (and with `all`, the partial one after them). With
    /// `last`, the final chunk ends the deflate stream.
    fn deflate_chunks(&mut self, all: bool, last: bool) -> io::Result<()> {
        let full = self.pending.len() / CHUNK * CHUNK;
        let end = if all { self.pending.len() } else { full };
        if end == 0 {
            return Ok(());
        }
        let level = self.level;
        let chunks: Vec<&[u8]> = self.pending[..end].chunks(CHUNK).collect();
        let n = chunks.len();
        let outs: Vec<io::Result<Vec<u8>>> = if n > 1 {
            chunks
                .par_iter()
                .enumerate()
                .map(|(i, c)| deflate_chunk(level, c, last && i + 1 == n))
                .collect()
        } else {
            vec![deflate_chunk(level, chunks[0], last)]
        };
        for out in outs {
            self.inner.write_all(&out?)?;
        }
        self.pending.drain(..end);
        Ok(())
    }

    fn deflate_pending(&mut self, last: bool) -> io::Result<()> {
        self.deflate_chunks(true, last)
    }

    /// Writes pending stored bytes as non-final stored blocks (header byte 0, LEN, NLEN,
    /// bytes): full 64 KiB blocks only unless `all`.
    fn store_pending(&mut self, all: bool) -> io::Result<()> {
        let full = self.pending.len() / STORED_MAX * STORED_MAX;
        let end = if all { self.pending.len() } else { full };
        for chunk in self.pending[..end].chunks(STORED_MAX) {
            write_stored(&mut self.inner, chunk)?;
        }
        self.pending.drain(..end);
        Ok(())
    }

    /// Ends the stream (trailer: CRC32 and size) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.mode == Compression::Store {
            self.store_pending(true)?;
        }
        if self.mode == Compression::Deflate && !self.pending.is_empty() {
            self.deflate_pending(true)?;
        } else {
            // An empty final block with fixed codes: just its end-of-block symbol.
            self.inner.write_all(&[0x03, 0x00])?;
        }
        let crc = self.crc.clone().finalize().to_le_bytes();
        let size = self.size.to_le_bytes();
        self.inner.write_all(&crc)?;
        self.inner.write_all(&size)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for GzipWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.crc.update(buf);
        // ISIZE is the input length modulo 2^32 (RFC 1952).
        self.size = self.size.wrapping_add(buf.len() as u32);
        match self.mode {
            Compression::Deflate => {
                self.pending.extend_from_slice(buf);
                if self.pending.len() >= self.batch * CHUNK {
                    self.deflate_chunks(false, false)?;
                }
            }
            Compression::Store => {
                // Full blocks go out straight from `buf`; only a partial block is copied.
                // Block boundaries stay every 64 KiB of stored bytes whatever the write sizes.
                let mut rest = buf;
                if !self.pending.is_empty() {
                    let take = (STORED_MAX - self.pending.len()).min(rest.len());
                    self.pending.extend_from_slice(&rest[..take]);
                    rest = &rest[take..];
                    if self.pending.len() == STORED_MAX {
                        self.store_pending(false)?;
                    }
                }
                while rest.len() >= STORED_MAX {
                    write_stored(&mut self.inner, &rest[..STORED_MAX])?;
                    rest = &rest[STORED_MAX..];
                }
                self.pending.extend_from_slice(rest);
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn mixed_levels_round_trip_and_store_is_not_bigger() {
        let text = "hello bale ".repeat(100_000);
        let noise: Vec<u8> = (0..300_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let mut g = GzipWriter::new(Vec::new(), 6).unwrap();
        g.write_all(text.as_bytes()).unwrap();
        g.set_mode(Compression::Store).unwrap();
        g.write_all(&noise).unwrap();
        g.set_mode(Compression::Deflate).unwrap();
        g.write_all(text.as_bytes()).unwrap();
        let bytes = g.finish().unwrap();
        assert!(bytes.len() < noise.len() + 20_000);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut back)
            .unwrap();
        let mut want = text.as_bytes().to_vec();
        want.extend(&noise);
        want.extend(text.as_bytes());
        assert_eq!(back, want);
    }

    /// Several chunks (compressed in parallel), stored runs and a tail: one gzip member (a
    /// single-member decoder sees all of it), and the bytes do not depend on how the input
    /// was split into writes.
    #[test]
    fn chunked_stream_is_one_member_and_independent_of_write_sizes() {
        let text: Vec<u8> = (0..(3 * CHUNK + 12_345) as u32)
            .map(|i| b"bale packs releases\n"[(i % 20) as usize] ^ ((i / 4093 % 3) as u8))
            .collect();
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let write = |piece: usize| {
            let mut g = GzipWriter::new(Vec::new(), 6).unwrap();
            for part in text.chunks(piece) {
                g.write_all(part).unwrap();
            }
            g.set_mode(Compression::Store).unwrap();
            for part in noise.chunks(piece) {
                g.write_all(part).unwrap();
            }
            g.set_mode(Compression::Deflate).unwrap();
            g.write_all(&text[..CHUNK]).unwrap();
            g.finish().unwrap()
        };
        let a = write(8192);
        assert_eq!(a, write(1 << 22), "same input, same bytes");
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&a[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, [&text[..], &noise, &text[..CHUNK]].concat());
    }

    #[test]
    fn empty_and_store_only_streams_are_valid_gzip() {
        for store in [false, true] {
            let mut g = GzipWriter::new(Vec::new(), 3).unwrap();
            if store {
                g.set_mode(Compression::Store).unwrap();
                g.write_all(b"stored").unwrap();
            }
            let bytes = g.finish().unwrap();
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, if store { &b"stored"[..] } else { b"" });
        }
    }
}
