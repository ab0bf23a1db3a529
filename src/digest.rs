//! Digest strings as BOSH writes them (`<hex>` for SHA-1, `<algo>:<hex>` otherwise) and
//! streaming hashers. Every checksum bale records or checks goes through this module, so the
//! textual form is produced in one place (spec: release-format §3).

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::str::FromStr;

use sha1::Digest as _;

/// Hash algorithm of a digest string. Ordered weakest to strongest, so `max` picks the one a
/// verifier should trust when a multi-digest string offers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algo {
    Sha1,
    Sha256,
    Sha512,
}

impl Algo {
    pub fn name(self) -> &'static str {
        match self {
            Algo::Sha1 => "sha1",
            Algo::Sha256 => "sha256",
            Algo::Sha512 => "sha512",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            Algo::Sha1 => 40,
            Algo::Sha256 => 64,
            Algo::Sha512 => 128,
        }
    }

    pub fn hasher(self) -> Hasher {
        match self {
            Algo::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algo::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algo::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

impl FromStr for Algo {
    type Err = DigestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sha1" => Ok(Algo::Sha1),
            "sha256" => Ok(Algo::Sha256),
            "sha512" => Ok(Algo::Sha512),
            _ => Err(DigestError(format!("unknown digest algorithm '{s}'"))),
        }
    }
}

/// A parse failure of a digest string; carries the offending text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DigestError(pub String);

/// One digest: algorithm plus lowercase hex. `Display` gives BOSH's digest string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    algo: Algo,
    hex: String,
}

impl Digest {
    pub fn algo(&self) -> Algo {
        self.algo
    }

    pub fn hex(&self) -> &str {
        &self.hex
    }

    pub fn of_bytes(algo: Algo, bytes: &[u8]) -> Digest {
        let mut h = algo.hasher();
        h.update(bytes);
        h.finish()
    }

    /// Streams the file once; never holds more than a buffer of it in memory.
    pub fn of_file(algo: Algo, path: &Path) -> io::Result<Digest> {
        Ok(Digest::of_reader(algo, File::open(path)?)?.0)
    }

    /// The digest of everything `r` yields, and how many bytes that was. Reads in 256 KiB
    /// pieces: with the 8 KiB of `io::copy`, the syscalls of reading a large blob cost more
    /// than hashing it.
    pub fn of_reader(algo: Algo, mut r: impl Read) -> io::Result<(Digest, u64)> {
        let mut h = algo.hasher();
        let mut buf = vec![0u8; 256 * 1024];
        let mut len = 0u64;
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            h.update(&buf[..n]);
            len += n as u64;
        }
        Ok((h.finish(), len))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.algo {
            Algo::Sha1 => f.write_str(&self.hex),
            a => write!(f, "{}:{}", a.name(), self.hex),
        }
    }
}

impl FromStr for Digest {
    type Err = DigestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (algo, hex) = match s.split_once(':') {
            Some((a, h)) => (a.parse::<Algo>()?, h),
            None => (Algo::Sha1, s),
        };
        if hex.len() != algo.hex_len() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DigestError(format!(
                "'{s}' is not a {} digest ({} hex digits expected)",
                algo.name(),
                algo.hex_len()
            )));
        }
        Ok(Digest {
            algo,
            hex: hex.to_ascii_lowercase(),
        })
    }
}

/// A `;`-separated list of digests of the same bytes, as newer directors write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiDigest(Vec<Digest>);

impl MultiDigest {
    /// The digest a verifier should check: the strongest algorithm present.
    pub fn strongest(&self) -> &Digest {
        self.0
            .iter()
            .max_by_key(|d| d.algo)
            .expect("a MultiDigest is never empty")
    }

    /// The digest in `algo`, when the list has one.
    pub fn in_algo(&self, algo: Algo) -> Option<&Digest> {
        self.0.iter().find(|d| d.algo == algo)
    }
}

impl FromStr for MultiDigest {
    type Err = DigestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let list = s
            .split(';')
            .map(str::parse)
            .collect::<Result<Vec<Digest>, _>>()?;
        if list.is_empty() {
            return Err(DigestError("empty digest string".into()));
        }
        Ok(MultiDigest(list))
    }
}

/// Incremental hasher over one of the supported algorithms.
#[derive(Clone)]
pub enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Digest {
        let (algo, bytes): (Algo, Vec<u8>) = match self {
            Hasher::Sha1(h) => (Algo::Sha1, h.finalize().to_vec()),
            Hasher::Sha256(h) => (Algo::Sha256, h.finalize().to_vec()),
            Hasher::Sha512(h) => (Algo::Sha512, h.finalize().to_vec()),
        };
        Digest {
            algo,
            hex: to_hex(&bytes),
        }
    }
}

pub fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// A writer that hashes and counts what passes through, so an archive's digest is known the
/// moment its last byte is written, without reading the file back.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Hasher,
    written: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W, algo: Algo) -> Self {
        HashingWriter {
            inner,
            hasher: algo.hasher(),
            written: 0,
        }
    }

    pub fn finish(self) -> (W, Digest, u64) {
        (self.inner, self.hasher.finish(), self.written)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that hashes what passes through it (when given a hasher), so bytes read once for
/// another purpose — archiving, unpacking — are digested in the same pass.
pub struct HashingReader<'a, R> {
    pub inner: R,
    pub hasher: Option<&'a mut Hasher>,
}

impl<R: io::Read> io::Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = self.hasher.as_deref_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_strings_round_trip() {
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        assert_eq!(sha1.parse::<Digest>().unwrap().to_string(), sha1);
        let s256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let d: Digest = s256.parse().unwrap();
        assert_eq!(d.algo(), Algo::Sha256);
        assert_eq!(d.to_string(), s256);
        assert_eq!(Digest::of_bytes(Algo::Sha256, b""), d);
        assert!("sha256:abc".parse::<Digest>().is_err());
        assert!("md5:abc".parse::<Digest>().is_err());
    }

    #[test]
    fn multi_digest_checks_the_strongest() {
        let s = format!(
            "{};sha256:{}",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let m: MultiDigest = s.parse().unwrap();
        assert_eq!(m.strongest().algo(), Algo::Sha256);
    }
}
