//! The one tarball reader of bale. It streams (nothing is extracted to disk), sniffs the
//! compression from magic bytes (gzip, bzip2, xz, zstd, or a plain tar), accepts `./name`
//! and `name` alike, and refuses what could hurt a consumer that extracts the same archive:
//! absolute paths, `..`, relative symlinks climbing out of the archive, entries placed under an
//! earlier symlink (the way an extractor is tricked into writing elsewhere), hard links to
//! anything but an earlier file, device files and FIFOs, duplicate entries, truncated or corrupt streams, and more bytes than the limit
//! (decompression bombs). It never calls the tar crate's `unpack`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: corrupt or truncated archive: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: entry '{name}' {problem}", path.display())]
    Unsafe {
        path: PathBuf,
        name: String,
        problem: String,
    },
    #[error("{}: more than {limit} bytes once decompressed; refusing a possible decompression bomb", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: {source}", path.display())]
    Visitor {
        path: PathBuf,
        #[source]
        source: VisitError,
    },
}

/// Why a visitor ended a walk: the error is the visitor's own, typed in its area and kept as
/// the source, so a caller can still tell what went wrong in which entry.
#[derive(Debug, thiserror::Error)]
pub enum VisitError {
    /// Reading the entry's bytes, or writing them where the visitor puts them, failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The visitor refused the entry.
    #[error(transparent)]
    Refused(Box<dyn std::error::Error + Send + Sync>),
    /// The visitor has what it came for: the walk ends there, successfully.
    #[error("the walk was stopped")]
    Stop,
}

impl VisitError {
    /// A refusal carrying the visitor's area error.
    pub fn refuse(e: impl std::error::Error + Send + Sync + 'static) -> VisitError {
        VisitError::Refused(Box::new(e))
    }

    /// Whether the decompression limit, not the visitor, ended the walk.
    fn hit_limit(&self) -> bool {
        match self {
            VisitError::Io(e) => limit_in(e),
            VisitError::Refused(e) => limit_in(e.as_ref()),
            VisitError::Stop => false,
        }
    }
}

/// What [`Limited`] fails with once an archive expands past its limit.
#[derive(Debug, thiserror::Error)]
#[error("decompression limit exceeded")]
struct LimitExceeded;

/// Whether [`LimitExceeded`] is somewhere in the chain of `e`.
fn limit_in(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<io::Error>() {
            if io.get_ref().is_some_and(|i| i.is::<LimitExceeded>()) {
                return true;
            }
        }
        cur = c.source();
    }
    false
}

/// What the one-file readers of this module refuse.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    #[error("reading {entry}: {source}")]
    Read {
        entry: String,
        #[source]
        source: io::Error,
    },
    #[error("{entry}: larger than {limit} bytes, the most bale reads of such a file; refused")]
    TooLarge { entry: String, limit: u64 },
}

/// What an entry is, with link targets as written in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    Hardlink(String),
}

#[derive(Debug, Clone)]
pub struct EntryInfo {
    /// Normalized name: no `./` prefix, no trailing `/`; empty for the root directory.
    pub name: String,
    pub kind: EntryKind,
    pub mode: u32,
    pub size: u64,
}

/// Receives every entry in archive order; `data` yields a regular file's bytes.
pub trait EntryVisitor {
    fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError>;
}

/// Bounds on what one archive may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_entries: u64,
    /// Pass over device files and FIFOs instead of refusing the archive: a stemcell's root
    /// filesystem has a few in `/dev`, which a compile binds from the host anyway.
    pub skip_devices: bool,
}

impl Limits {
    /// For an archive of `compressed` bytes: at most 200 times that (and at least 1 GiB)
    /// once decompressed. Real releases and stemcells stay far below; bombs do not.
    pub fn for_size(compressed: u64) -> Limits {
        Limits {
            max_bytes: compressed.saturating_mul(200).max(1 << 30),
            max_entries: 10_000_000,
            skip_devices: false,
        }
    }
}

/// Reads the tarball at `path`.
pub fn read_entries(path: &Path, visitor: &mut dyn EntryVisitor) -> Result<(), ReadError> {
    let f = File::open(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    read_stream(f, path, Limits::for_size(size), visitor)
}

/// The text of one top-level file of a tarball (`release.MF`, `stemcell.MF`), reading only as
/// far as that file: both CLIs and bale write manifests first, so a re-upload that needs only
/// the name and version does not read a gigabyte to learn them. `None` when it is absent.
pub fn read_text_entry(path: &Path, name: &str) -> Result<Option<String>, ReadError> {
    struct Find<'n> {
        name: &'n str,
        text: Option<String>,
    }
    impl EntryVisitor for Find<'_> {
        fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError> {
            if info.kind != EntryKind::File || info.name != self.name {
                return Ok(());
            }
            let limit = crate::manifest::yaml::MAX_MANIFEST_BYTES;
            let mut s = String::new();
            data.take(limit + 1)
                .read_to_string(&mut s)
                .map_err(|source| {
                    VisitError::refuse(EntryError::Read {
                        entry: self.name.to_string(),
                        source,
                    })
                })?;
            if s.len() as u64 > limit {
                return Err(VisitError::refuse(EntryError::TooLarge {
                    entry: self.name.to_string(),
                    limit,
                }));
            }
            self.text = Some(s);
            Err(VisitError::Stop)
        }
    }
    let mut f = Find { name, text: None };
    read_entries(path, &mut f)?;
    Ok(f.text)
}

/// Reads a tarball from any stream (a file, or an archive nested in another); `label` names
/// it in errors.
pub fn read_stream(
    input: impl Read,
    label: &Path,
    limits: Limits,
    visitor: &mut dyn EntryVisitor,
) -> Result<(), ReadError> {
    let label_buf = label.to_path_buf();
    let corrupt = |e: io::Error| {
        if limit_in(&e) {
            ReadError::TooLarge {
                path: label_buf.clone(),
                limit: limits.max_bytes,
            }
        } else {
            ReadError::Corrupt {
                path: label_buf.clone(),
                message: e.to_string(),
            }
        }
    };
    let mut r = BufReader::with_capacity(256 * 1024, input);
    let magic = r.fill_buf().map_err(&corrupt)?.to_vec();
    let decoded: Box<dyn Read> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(r))
    } else if magic.starts_with(b"BZh") {
        Box::new(bzip2::read::MultiBzDecoder::new(r))
    } else if magic.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(r))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(
            ruzstd::decoding::StreamingDecoder::new(r).map_err(|e| ReadError::Corrupt {
                path: label.to_path_buf(),
                message: e.to_string(),
            })?,
        )
    } else {
        if magic.is_empty() {
            return Err(ReadError::Corrupt {
                path: label.to_path_buf(),
                message: "empty file".into(),
            });
        }
        Box::new(r)
    };
    let limited = Limited {
        inner: decoded,
        left: limits.max_bytes,
    };
    let mut archive = tar::Archive::new(limited);
    let mut seen: HashSet<String> = HashSet::new();
    let mut files: HashSet<String> = HashSet::new();
    let mut links: HashSet<String> = HashSet::new();
    let mut count = 0u64;
    let unsafe_entry = |name: &str, problem: &str| ReadError::Unsafe {
        path: label.to_path_buf(),
        name: name.to_string(),
        problem: problem.to_string(),
    };
    for entry in archive.entries().map_err(&corrupt)? {
        let mut entry = entry.map_err(&corrupt)?;
        count += 1;
        if count > limits.max_entries {
            return Err(ReadError::TooLarge {
                path: label.to_path_buf(),
                limit: limits.max_bytes,
            });
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = normalize(Path::new(&raw))
            .ok_or_else(|| unsafe_entry(&raw, "has an unsafe path (absolute or with '..')"))?;
        let header = entry.header();
        let mode = header.mode().unwrap_or(0o644);
        let size = header.size().map_err(&corrupt)?;
        let etype = header.entry_type();
        let link = || -> Result<String, ReadError> {
            let l = entry
                .link_name_bytes()
                .ok_or_else(|| unsafe_entry(&raw, "is a link without a target"))?;
            Ok(String::from_utf8_lossy(&l).into_owned())
        };
        let kind = match etype {
            tar::EntryType::Regular | tar::EntryType::Continuous => EntryKind::File,
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => {
                let target = link()?;
                if !stays_inside(&name, &target) {
                    return Err(unsafe_entry(
                        &raw,
                        &format!("is a symlink to '{target}', outside the archive"),
                    ));
                }
                EntryKind::Symlink(target)
            }
            tar::EntryType::Link => {
                let target = link()?;
                let t = normalize(Path::new(&target));
                match t {
                    Some(t) if files.contains(&t) => EntryKind::Hardlink(t),
                    _ => {
                        return Err(unsafe_entry(
                            &raw,
                            &format!("is a hard link to '{target}', which is not an earlier file of the archive"),
                        ))
                    }
                }
            }
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo
                if limits.skip_devices =>
            {
                continue
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                return Err(unsafe_entry(&raw, "is a device file"))
            }
            tar::EntryType::Fifo => return Err(unsafe_entry(&raw, "is a FIFO")),
            other => {
                return Err(unsafe_entry(
                    &raw,
                    &format!("has an unsupported type ({other:?})"),
                ))
            }
        };
        if !name.is_empty() && !seen.insert(name.clone()) {
            return Err(unsafe_entry(&raw, "appears twice"));
        }
        if let Some(link) = under_symlink(&name, &links) {
            return Err(unsafe_entry(
                &raw,
                &format!("lies under the symlink '{link}'; extracting it would write elsewhere"),
            ));
        }
        if matches!(kind, EntryKind::Symlink(_)) {
            links.insert(name.clone());
        }
        if kind == EntryKind::File {
            files.insert(name.clone());
        }
        let info = EntryInfo {
            name,
            kind,
            mode,
            size,
        };
        match visitor.entry(&info, &mut entry) {
            Ok(()) => {}
            Err(VisitError::Stop) => return Ok(()),
            Err(e) if e.hit_limit() => {
                return Err(ReadError::TooLarge {
                    path: label.to_path_buf(),
                    limit: limits.max_bytes,
                })
            }
            Err(source) => {
                return Err(ReadError::Visitor {
                    path: label.to_path_buf(),
                    source,
                })
            }
        }
        // Whatever the visitor did not read is still read (and checked) by the tar reader.
    }
    // Drain the rest of the stream so a corrupt gzip trailer or garbage is noticed.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(&corrupt)?;
    Ok(())
}

/// The earlier symlink that `name` would be written through, if any.
fn under_symlink<'a>(name: &str, links: &'a HashSet<String>) -> Option<&'a str> {
    if links.is_empty() {
        return None;
    }
    name.match_indices('/')
        .find_map(|(i, _)| links.get(&name[..i]).map(String::as_str))
}

/// Counts decompressed bytes and fails past the limit.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(LimitExceeded));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// `./a/b` and `a/b` both become `a/b`; absolute paths and `..` are refused.
pub fn normalize(p: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Whether a relative symlink at `name` pointing to `target` resolves inside the archive root.
/// Absolute targets pass: compiled packages and root filesystems are full of them
/// (`/var/vcap/packages/x/bin`), and they only point somewhere once extracted in place; what
/// would make them harmful, an entry written through one, is refused separately.
fn stays_inside(name: &str, target: &str) -> bool {
    if target.starts_with('/') {
        return true;
    }
    let mut depth: i64 = name.split('/').count() as i64 - 1;
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => depth += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names(Vec<String>);
    impl EntryVisitor for Names {
        fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), VisitError> {
            io::copy(data, &mut io::sink())?;
            self.0.push(info.name.clone());
            Ok(())
        }
    }

    fn tar_of(entries: &[(&str, tar::EntryType, &str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, kind, link, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(*kind);
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            let gnu = h.as_gnu_mut().unwrap();
            gnu.name[..name.len()].copy_from_slice(name.as_bytes());
            gnu.linkname[..link.len()].copy_from_slice(link.as_bytes());
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn check(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
        let mut v = Names(Vec::new());
        read_stream(
            bytes,
            Path::new("t.tar"),
            Limits::for_size(bytes.len() as u64),
            &mut v,
        )
        .map(|_| v.0)
    }

    use tar::EntryType::{Block, Directory as D, Link, Regular as F, Symlink as S};

    #[test]
    fn accepts_dot_prefixed_and_bare_names() {
        let t = tar_of(&[
            ("./", D, "", b""),
            ("./a", F, "", b"x"),
            ("b/c", F, "", b"y"),
            ("b/l", S, "c", b""),
            ("h", Link, "./a", b""),
        ]);
        assert_eq!(check(&t).unwrap(), ["", "a", "b/c", "b/l", "h"]);
    }

    #[test]
    fn accepts_absolute_symlinks_of_compiled_packages() {
        let t = tar_of(&[
            ("./bin", D, "", b""),
            ("./bin/ruby", S, "/var/vcap/packages/ruby/bin/ruby", b""),
        ]);
        assert_eq!(check(&t).unwrap(), ["bin", "bin/ruby"]);
    }

    #[test]
    fn refuses_what_could_escape_or_surprise() {
        for (entries, want) in [
            (vec![("../x", F, "", &b"x"[..])], "unsafe path"),
            (vec![("/etc/x", F, "", &b"x"[..])], "unsafe path"),
            (
                vec![("a/l", S, "../../etc", &b""[..])],
                "outside the archive",
            ),
            (
                vec![("l", S, "/etc", &b""[..]), ("l/passwd", F, "", &b"x"[..])],
                "under the symlink 'l'",
            ),
            (
                vec![("d/l", S, "..", &b""[..]), ("d/l/x", F, "", &b"x"[..])],
                "under the symlink 'd/l'",
            ),
            (vec![("h", Link, "nope", &b""[..])], "hard link"),
            (vec![("dev", Block, "", &b""[..])], "device file"),
            (
                vec![("a", F, "", &b"1"[..]), ("./a", F, "", &b"2"[..])],
                "appears twice",
            ),
        ] {
            let err = check(&tar_of(&entries)).unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
        }
    }

    #[test]
    fn refuses_truncated_and_bomb_streams() {
        let t = tar_of(&[("a", F, "", &[7u8; 5000])]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        io::Write::write_all(&mut gz, &t).unwrap();
        let gz = gz.finish().unwrap();
        let err = check(&gz[..gz.len() - 10]).unwrap_err().to_string();
        assert!(err.contains("corrupt or truncated"), "{err}");

        let zeros = vec![0u8; 3 << 20];
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        io::Write::write_all(&mut bomb, &tar_of(&[("z", F, "", &zeros)])).unwrap();
        let bomb = bomb.finish().unwrap();
        let mut v = Names(Vec::new());
        let tight = Limits {
            max_bytes: 1 << 20,
            max_entries: 10,
            skip_devices: false,
        };
        let err = read_stream(&bomb[..], Path::new("b.tgz"), tight, &mut v)
            .unwrap_err()
            .to_string();
        assert!(err.contains("decompression bomb"), "{err}");
    }

    #[test]
    fn sniffs_every_compression() {
        let t = tar_of(&[("a", F, "", b"hello")]);
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        io::Write::write_all(&mut bz, &t).unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 1);
        io::Write::write_all(&mut xz, &t).unwrap();
        for bytes in [t.clone(), bz.finish().unwrap(), xz.finish().unwrap()] {
            assert_eq!(check(&bytes).unwrap(), ["a"]);
        }
    }

    #[test]
    fn a_visitor_error_stays_typed_and_stop_ends_the_walk() {
        #[derive(Debug, thiserror::Error)]
        #[error("entry {0} refused")]
        struct Refusal(String);
        struct Refuse;
        impl EntryVisitor for Refuse {
            fn entry(&mut self, info: &EntryInfo, _: &mut dyn Read) -> Result<(), VisitError> {
                Err(VisitError::refuse(Refusal(info.name.clone())))
            }
        }
        let t = tar_of(&[("a", F, "", b"x"), ("b", F, "", b"y")]);
        let limits = Limits::for_size(t.len() as u64);
        let err = read_stream(&t[..], Path::new("t.tar"), limits, &mut Refuse).unwrap_err();
        assert_eq!(err.to_string(), "t.tar: entry a refused");
        let source = std::error::Error::source(&err).expect("the visitor's error");
        assert!(
            matches!(source.downcast_ref::<VisitError>(), Some(VisitError::Refused(r)) if r.is::<Refusal>())
        );

        struct First(Vec<String>);
        impl EntryVisitor for First {
            fn entry(&mut self, info: &EntryInfo, _: &mut dyn Read) -> Result<(), VisitError> {
                self.0.push(info.name.clone());
                Err(VisitError::Stop)
            }
        }
        let mut first = First(Vec::new());
        read_stream(&t[..], Path::new("t.tar"), limits, &mut first).unwrap();
        assert_eq!(first.0, ["a"]);
    }
}
