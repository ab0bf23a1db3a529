//! A gzip stream whose deflate level can change between tar entries, so that a blob that is
//! already gzip/xz/zstd/bzip2/zip is copied in stored blocks while text around it is deflated.

use std::io::{self, Write};

use flate2::{Compress, CompressError, FlushCompress, Status};

/// How the payload of the next bytes should be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Deflate at the writer's level.
    Deflate,
    /// Stored blocks: for data that does not compress.
    Store,
}

pub struct GzipWriter<W: Write> {
    inner: W,
    deflate: Compress,
    crc: crc32fast::Hasher,
    size: u32,
    out: Vec<u8>,
    mode: Compression,
}

fn other(e: CompressError) -> io::Error {
    io::Error::other(e)
}

impl<W: Write> GzipWriter<W> {
    /// A gzip stream at deflate `level` (1 fastest … 9 smallest; `gzip`'s default is 6).
    pub fn new(mut inner: W, level: u32) -> io::Result<Self> {
        // Magic, deflate, no flags, mtime 0, no extra flags, OS "unknown": no timestamp, so
        // the same input gives the same bytes.
        inner.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])?;
        Ok(GzipWriter {
            inner,
            deflate: Compress::new(flate2::Compression::new(level.clamp(1, 9)), false),
            crc: crc32fast::Hasher::new(),
            size: 0,
            out: Vec::with_capacity(256 * 1024),
            mode: Compression::Deflate,
        })
    }

    /// Switches between deflating and storing. Entering `Store` sync-flushes the deflater, so
    /// the stream is byte-aligned and raw stored blocks can follow; leaving it resets the
    /// deflater, whose empty window then never refers back across the stored bytes.
    pub fn set_mode(&mut self, mode: Compression) -> io::Result<()> {
        if mode == self.mode {
            return Ok(());
        }
        match mode {
            Compression::Store => self.run(&[], FlushCompress::Sync)?,
            Compression::Deflate => self.deflate.reset(),
        }
        self.mode = mode;
        Ok(())
    }

    /// Non-final stored blocks (header byte 0, LEN, NLEN, bytes): a straight copy.
    fn store(&mut self, buf: &[u8]) -> io::Result<()> {
        for chunk in buf.chunks(65_535) {
            let len = chunk.len() as u16;
            let mut head = [0u8; 5];
            head[1..3].copy_from_slice(&len.to_le_bytes());
            head[3..5].copy_from_slice(&(!len).to_le_bytes());
            self.inner.write_all(&head)?;
            self.inner.write_all(chunk)?;
        }
        Ok(())
    }

    fn run(&mut self, mut input: &[u8], flush: FlushCompress) -> io::Result<()> {
        loop {
            self.out.clear();
            let before_in = self.deflate.total_in();
            let status = self
                .deflate
                .compress_vec(input, &mut self.out, flush)
                .map_err(other)?;
            input = &input[(self.deflate.total_in() - before_in) as usize..];
            self.inner.write_all(&self.out)?;
            let out_full = self.out.len() == self.out.capacity();
            let done = match flush {
                FlushCompress::Finish => status == Status::StreamEnd,
                _ => input.is_empty() && !out_full,
            };
            if done {
                return Ok(());
            }
        }
    }

    /// Ends the stream (trailer: CRC32 and size) and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.set_mode(Compression::Deflate)?;
        self.run(&[], FlushCompress::Finish)?;
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
            Compression::Deflate => self.run(buf, FlushCompress::None)?,
            Compression::Store => self.store(buf)?,
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
}
