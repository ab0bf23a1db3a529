//! Writes tar entries with fixed metadata, streaming each file from its source path once.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::digest::{Algo, Digest, Hasher, HashingReader};

use super::gzip::{Compression, GzipWriter};
use super::prefetch::Prefetch;
use super::MTIME;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntrySource {
    Dir,
    /// A regular file streamed from disk (symlinks followed).
    File(PathBuf),
    Bytes(Vec<u8>),
    Symlink(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the archive, without leading `./` and without trailing `/`.
    pub path: String,
    pub mode: u32,
    pub source: EntrySource,
}

enum Sink<W: Write> {
    Gzip(GzipWriter<W>),
    Plain(W),
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Gzip(g) => g.write(buf),
            Sink::Plain(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Gzip(g) => g.flush(),
            Sink::Plain(w) => w.flush(),
        }
    }
}

/// A tar stream, gzip-compressed or plain, with `./`-prefixed or bare entry names.
pub struct TarWriter<W: Write> {
    tar: tar::Builder<Sink<W>>,
    dot_prefix: bool,
    prefetch: bool,
}

/// Files at least this large are read ahead when prefetching is on.
const PREFETCH_MIN: u64 = 1 << 20;

/// Bytes read from a source per write into the archive.
const COPY_BUF: usize = 256 * 1024;

/// Files smaller than this are deflated whatever they hold; switching levels costs a few bytes.
const STORE_THRESHOLD: u64 = 64 * 1024;

impl<W: Write> TarWriter<W> {
    /// `gzip_level: None` writes a plain tar.
    pub fn new(out: W, gzip_level: Option<u32>, dot_prefix: bool) -> io::Result<Self> {
        let sink = match gzip_level {
            Some(level) => Sink::Gzip(GzipWriter::new(out, level)?),
            None => Sink::Plain(out),
        };
        let mut tar = tar::Builder::new(sink);
        tar.mode(tar::HeaderMode::Deterministic);
        tar.follow_symlinks(false);
        Ok(TarWriter {
            tar,
            dot_prefix,
            prefetch: false,
        })
    }

    /// Reads each file on a thread of its own while it is archived: worth it only when a core
    /// would otherwise sit idle, as while the outer release tarball is written.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = on;
        self
    }

    fn name(&self, path: &str, dir: bool) -> String {
        let mut n = if self.dot_prefix {
            if path.is_empty() {
                ".".to_string()
            } else {
                format!("./{path}")
            }
        } else {
            path.to_string()
        };
        if dir {
            n.push('/');
        }
        n
    }

    fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(size);
        h.set_mtime(MTIME);
        h.set_uid(0);
        h.set_gid(0);
        let _ = h.set_username("root");
        let _ = h.set_groupname("root");
        h
    }

    pub fn append(&mut self, entry: &Entry) -> io::Result<()> {
        match &entry.source {
            EntrySource::Dir => {
                let name = self.name(&entry.path, true);
                self.raw(
                    tar::EntryType::Directory,
                    &name,
                    None,
                    entry.mode,
                    0,
                    io::empty(),
                )
            }
            EntrySource::Symlink(target) => {
                let name = self.name(&entry.path, false);
                let target = target.as_os_str().as_encoded_bytes().to_vec();
                self.raw(
                    tar::EntryType::Symlink,
                    &name,
                    Some(&target),
                    0o777,
                    0,
                    io::empty(),
                )
            }
            EntrySource::Bytes(data) => {
                let name = self.name(&entry.path, false);
                self.raw(
                    tar::EntryType::Regular,
                    &name,
                    None,
                    entry.mode,
                    data.len() as u64,
                    &data[..],
                )
            }
            EntrySource::File(src) => self.append_file(&entry.path, entry.mode, src, None),
        }
    }

    /// Writes a header with the name exactly as given (the tar crate would drop a leading
    /// `./`, which BOSH's own tooling extracts by), preceded by GNU long-name and long-link
    /// records when a name does not fit in 100 bytes.
    fn raw(
        &mut self,
        kind: tar::EntryType,
        name: &str,
        link: Option<&[u8]>,
        mode: u32,
        size: u64,
        data: impl Read,
    ) -> io::Result<()> {
        let name = name.as_bytes();
        if name.len() > 100 {
            self.long_record(tar::EntryType::GNULongName, name)?;
        }
        if let Some(l) = link.filter(|l| l.len() > 100) {
            self.long_record(tar::EntryType::GNULongLink, l)?;
        }
        let mut h = Self::header(kind, mode, size);
        let gnu = h.as_gnu_mut().expect("GNU header");
        let n = name.len().min(100);
        gnu.name[..n].copy_from_slice(&name[..n]);
        if let Some(l) = link {
            let n = l.len().min(100);
            gnu.linkname[..n].copy_from_slice(&l[..n]);
        }
        h.set_cksum();
        self.record(&h, size, data)
    }

    /// A header, then exactly `size` bytes of `data` in large pieces (the tar crate's copy
    /// reads 8 KiB at a time: a syscall per 8 KiB is a tenth of archiving a release), then the
    /// padding to the next 512-byte record. A source that ends early is an error, not an
    /// archive whose header promises bytes that are not there.
    fn record(&mut self, h: &tar::Header, size: u64, mut data: impl Read) -> io::Result<()> {
        let out = self.tar.get_mut();
        out.write_all(h.as_bytes())?;
        let mut buf = vec![0u8; COPY_BUF.min(size as usize)];
        let mut left = size;
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = match data.read(&mut buf[..want]) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "{left} of {size} bytes missing: the file shrank while it was archived"
                        ),
                    ))
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            out.write_all(&buf[..n])?;
            left -= n as u64;
        }
        let pad = (512 - size % 512) % 512;
        out.write_all(&[0u8; 512][..pad as usize])
    }

    fn long_record(&mut self, kind: tar::EntryType, value: &[u8]) -> io::Result<()> {
        let mut data = value.to_vec();
        data.push(0);
        let mut h = Self::header(kind, 0o644, data.len() as u64);
        let gnu = h.as_gnu_mut().expect("GNU header");
        let tag = b"././@LongLink";
        gnu.name[..tag.len()].copy_from_slice(tag);
        h.set_cksum();
        self.record(&h, data.len() as u64, &data[..])
    }

    /// Appends `size` bytes read from `reader` (an entry of another archive, say).
    pub fn append_reader(
        &mut self,
        path: &str,
        mode: u32,
        size: u64,
        reader: impl Read,
    ) -> io::Result<()> {
        let name = self.name(path, false);
        self.raw(
            tar::EntryType::Regular,
            &name,
            None,
            mode,
            size,
            reader.take(size),
        )
    }

    /// Appends a file and returns the digest of its bytes as read, in the same pass.
    pub fn append_file_hashed(
        &mut self,
        path: &str,
        mode: u32,
        src: &Path,
        algo: Algo,
    ) -> io::Result<Digest> {
        let mut h = algo.hasher();
        self.append_file(path, mode, src, Some(&mut h))?;
        Ok(h.finish())
    }

    fn append_file(
        &mut self,
        path: &str,
        mode: u32,
        src: &Path,
        hasher: Option<&mut Hasher>,
    ) -> io::Result<()> {
        let mut f = File::open(src)?;
        let size = f.metadata()?.len();
        // The sample read to decide is the start of the entry's bytes: each file is read once.
        let mut magic = vec![0u8; if size >= STORE_THRESHOLD { SAMPLE } else { 6 }];
        let n = read_prefix(&mut f, &mut magic)?;
        let level = if size >= STORE_THRESHOLD
            && (is_compressed(&magic[..n]) || looks_incompressible(&magic[..n]))
        {
            Compression::Store
        } else {
            Compression::Deflate
        };
        self.set_mode(level)?;
        let name = self.name(path, false);
        // The size was taken before reading: a file that grows while being archived is cut
        // at that size rather than corrupting the stream.
        // A thread for a small file costs more than reading it.
        let rest: Box<dyn Read> = if self.prefetch && size > PREFETCH_MIN {
            Box::new(Prefetch::new(f, size.saturating_sub(n as u64)))
        } else {
            Box::new(f)
        };
        let reader = HashingReader {
            inner: (&magic[..n]).chain(rest).take(size),
            hasher,
        };
        let res = self.raw(tar::EntryType::Regular, &name, None, mode, size, reader);
        self.set_mode(Compression::Deflate)?;
        res
    }

    fn set_mode(&mut self, mode: Compression) -> io::Result<()> {
        match self.tar.get_mut() {
            Sink::Gzip(g) => g.set_mode(mode),
            Sink::Plain(_) => Ok(()),
        }
    }

    /// Writes the end-of-archive marker and the gzip trailer; returns the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        let sink = self.tar.into_inner()?;
        match sink {
            Sink::Gzip(g) => g.finish(),
            Sink::Plain(w) => Ok(w),
        }
    }
}

fn read_prefix(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

/// How much of a large file's start decides whether it is stored.
const SAMPLE: usize = 64 * 1024;

/// Whether bytes look like compressed or random data, which deflate cannot shrink (it would
/// emit stored blocks after spending most of its time searching for matches): an order-0
/// entropy above 7.95 bits per byte. Text, executables and tar files are far below that;
/// compressed archives without a known magic number (e.g. a `.tgz` that is random bytes, or
/// encrypted data) are above it.
pub fn looks_incompressible(sample: &[u8]) -> bool {
    if sample.len() < 4096 {
        return false;
    }
    let mut counts = [0u32; 256];
    for &b in sample {
        counts[b as usize] += 1;
    }
    let n = sample.len() as f64;
    let bits: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum();
    bits > 7.95
}

/// gzip, xz, zstd, bzip2 and zip magic numbers.
pub fn is_compressed(magic: &[u8]) -> bool {
    magic.starts_with(&[0x1f, 0x8b])
        || magic.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0])
        || magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || magic.starts_with(b"BZh")
        || magic.starts_with(b"PK\x03\x04")
}

/// Writes a whole directory tree: the root entry first, then depth first with names in byte
/// order, modes from disk, symlinks as links, owners and mtimes fixed. This is how bale
/// packs a compiled package, so the same install tree always gives the same bytes.
pub fn pack_dir<W: Write>(
    dir: &Path,
    out: W,
    gzip_level: Option<u32>,
    dot_prefix: bool,
) -> io::Result<W> {
    use std::os::unix::fs::PermissionsExt;
    let mut tar = TarWriter::new(out, gzip_level, dot_prefix)?;
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by(|a, b| a.file_name().cmp(b.file_name()));
    for e in walk {
        let e = e.map_err(io::Error::other)?;
        let rel = e
            .path()
            .strip_prefix(dir)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .into_owned();
        let meta = e.path().symlink_metadata()?;
        let mode = meta.permissions().mode() & 0o7777;
        let ft = meta.file_type();
        let source = if ft.is_symlink() {
            EntrySource::Symlink(std::fs::read_link(e.path())?)
        } else if ft.is_dir() {
            EntrySource::Dir
        } else if ft.is_file() {
            EntrySource::File(e.path().to_path_buf())
        } else {
            return Err(io::Error::other(format!(
                "{} is neither a file, a directory nor a symlink",
                e.path().display()
            )));
        };
        tar.append(&Entry {
            path: rel,
            mode,
            source,
        })?;
    }
    tar.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_shorter_than_its_header_says_is_an_error() {
        let mut t = TarWriter::new(Vec::new(), Some(6), true).unwrap();
        let err = t
            .append_reader("short", 0o644, 10, &b"12345"[..])
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("5 of 10 bytes missing"), "{err}");
    }

    #[test]
    fn random_bytes_are_stored_and_text_is_deflated() {
        // A xorshift stream: deterministic bytes with no structure deflate could use.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let random: Vec<u8> = (0..SAMPLE)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        assert!(looks_incompressible(&random));
        let text = "package compile install target release job template 1234\n".repeat(2000);
        assert!(!looks_incompressible(text.as_bytes()));
        assert!(!looks_incompressible(&random[..100]), "too small to judge");

        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("blob.tgz");
        std::fs::write(&f, random.repeat(4)).unwrap();
        let mut t = TarWriter::new(Vec::new(), Some(6), true).unwrap();
        t.append(&Entry {
            path: "blob.tgz".into(),
            mode: 0o644,
            source: EntrySource::File(f),
        })
        .unwrap();
        let out = t.finish().unwrap();
        // Stored: the payload plus tar and block headers, not a deflate attempt's output.
        assert!(
            out.len() > 4 * SAMPLE && out.len() < 4 * SAMPLE + 4096,
            "{}",
            out.len()
        );
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back.windows(16).any(|w| w == &random[..16]));
    }
}
