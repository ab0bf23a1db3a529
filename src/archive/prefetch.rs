//! Reads a file on a thread of its own, a few pieces ahead of the reader: when an archive is
//! written on one thread with a core to spare (the outer release tarball, after every package
//! is built), reading the source from the page cache then overlaps with checksumming and
//! writing the archive instead of alternating with them.

use std::fs::File;
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver};

/// Bytes per piece handed from the reading thread.
const PIECE: usize = 1 << 20;
/// Pieces read ahead of the consumer: bounds the memory held to a few MiB per file.
const DEPTH: usize = 4;

pub struct Prefetch {
    rx: Receiver<io::Result<Vec<u8>>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Prefetch {
    /// Reads at most `limit` bytes of `f` from its current position. The thread stops at the
    /// end of the file, at the limit, at the first error (handed on to the reader) or when the
    /// `Prefetch` is dropped.
    pub fn new(mut f: File, limit: u64) -> Prefetch {
        let (tx, rx) = sync_channel(DEPTH);
        std::thread::spawn(move || {
            let mut left = limit;
            while left > 0 {
                let want = PIECE.min(usize::try_from(left).unwrap_or(PIECE));
                let mut buf = Vec::with_capacity(want);
                let n = match (&mut f).take(want as u64).read_to_end(&mut buf) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                left -= n as u64;
                if n == 0 || tx.send(Ok(buf)).is_err() || n < want {
                    return;
                }
            }
        });
        Prefetch {
            rx,
            cur: Vec::new(),
            pos: 0,
        }
    }
}

impl Read for Prefetch {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(piece)) => {
                    self.cur = piece;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The thread is done: end of file or limit.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom, Write};

    #[test]
    fn reads_the_rest_of_the_file_up_to_the_limit() {
        let bytes: Vec<u8> = (0..3 * PIECE as u32 + 777)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&bytes).unwrap();
        f.seek(SeekFrom::Start(10)).unwrap();
        let mut got = Vec::new();
        Prefetch::new(f.try_clone().unwrap(), u64::MAX)
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, &bytes[10..]);

        f.seek(SeekFrom::Start(0)).unwrap();
        let mut got = Vec::new();
        Prefetch::new(f, PIECE as u64 + 5)
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, &bytes[..PIECE + 5]);
    }

    #[test]
    fn dropping_it_early_stops_the_thread_without_blocking() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![7u8; 8 * PIECE]).unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        let mut p = Prefetch::new(f, u64::MAX);
        let mut one = [0u8; 1];
        p.read_exact(&mut one).unwrap();
        assert_eq!(one, [7]);
        drop(p);
    }
}
