//! The worker side of verifying an inner archive: its bytes arrive in chunks through a
//! channel, are inflated, and every file in it is hashed for the fingerprint.

use std::io::{self, Read};

use crate::archive::{EntryInfo, EntryKind, EntryVisitor, VisitError};
use crate::digest::{Algo, Digest, Hasher};
use crate::fingerprint::Mode;

/// Why the tarball pass stopped at an entry; the reader puts the tarball's path in front.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Reading the outer stream failed while an inner archive was being read: the tarball
    /// itself is damaged.
    #[error("corrupt or truncated archive: {0}")]
    Truncated(#[source] io::Error),
    #[error("hard link '{name}' to unknown '{target}'")]
    UnknownLink { name: String, target: String },
    #[error("job.MF: larger than {limit} bytes, the most bale reads of a job spec; refused")]
    SpecTooLarge { limit: u64 },
}

/// What was learnt of one inner archive.
#[derive(Default)]
pub struct Inner {
    pub digests: Vec<Digest>,
    /// name → per-algorithm digests and mode.
    pub files: Vec<(String, Vec<Digest>, Mode)>,
    pub error: Option<String>,
    /// A job's `job.MF`, kept to check its `templates:` map.
    pub job_mf: Option<Vec<u8>>,
}

/// Hashes everything read through it with several algorithms.
struct Tee<'a> {
    inner: &'a mut dyn Read,
    hashers: Vec<Hasher>,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for h in &mut self.hashers {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

pub struct FileHasher<'a> {
    pub algos: &'a [Algo],
    pub out: &'a mut Inner,
}

impl EntryVisitor for FileHasher<'_> {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        let (digests, mode) = match &info.kind {
            EntryKind::Dir => return Ok(()),
            EntryKind::Symlink(t) => (
                self.algos
                    .iter()
                    .map(|a| Digest::of_bytes(*a, t.as_bytes()))
                    .collect(),
                Mode::Symlink,
            ),
            EntryKind::Hardlink(t) => {
                let Some(f) = self.out.files.iter().find(|f| &f.0 == t) else {
                    return Err(VisitError::refuse(ArchiveError::UnknownLink {
                        name: info.name.clone(),
                        target: t.clone(),
                    }));
                };
                (f.1.clone(), Mode::of_file(info.mode))
            }
            EntryKind::File => {
                let mut tee = Tee {
                    inner: data,
                    hashers: self.algos.iter().map(|a| a.hasher()).collect(),
                };
                if info.name.trim_start_matches("./") == "job.MF" {
                    let limit = crate::manifest::yaml::MAX_SPEC_BYTES;
                    let mut text = Vec::new();
                    io::copy(&mut (&mut tee).take(limit + 1), &mut text)?;
                    if text.len() as u64 > limit {
                        return Err(VisitError::refuse(ArchiveError::SpecTooLarge { limit }));
                    }
                    self.out.job_mf = Some(text);
                } else {
                    io::copy(&mut tee, &mut io::sink())?;
                }
                (
                    tee.hashers.into_iter().map(Hasher::finish).collect(),
                    Mode::of_file(info.mode),
                )
            }
        };
        self.out.files.push((info.name.clone(), digests, mode));
        Ok(())
    }
}

/// Reads until `buf` is full or the stream ends: the outer decoder hands out small pieces,
/// and whole chunks keep the queue short and the hashing and sending efficient.
pub fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The worker's side of the channel, as a reader; spent chunks go back to be refilled.
pub struct ChannelReader {
    pub rx: std::sync::mpsc::Receiver<Vec<u8>>,
    pub back: std::sync::mpsc::Sender<Vec<u8>>,
    pub buf: Vec<u8>,
    pub pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            match self.rx.recv() {
                Ok(b) => {
                    let spent = std::mem::replace(&mut self.buf, b);
                    if spent.capacity() > 0 {
                        let _ = self.back.send(spent);
                    }
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
