//! Remembers file digests across runs, keyed by what changes when a file's bytes change: path,
//! size, inode, mtime and ctime (nanoseconds). ctime cannot be set back by a user, so a file
//! rewritten with its old size and mtime restored still misses the cache: a stale digest is
//! never returned. A create-release where nothing changed hashes nothing.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::digest::{Algo, Digest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Stamp {
    size: u64,
    ino: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Stamp {
        Stamp {
            size: m.size(),
            ino: m.ino(),
            mtime_ns: m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128,
            ctime_ns: m.ctime() as i128 * 1_000_000_000 + m.ctime_nsec() as i128,
        }
    }
}

type Key = (PathBuf, Algo);

/// A thread-safe digest cache, optionally persisted to one file.
#[derive(Default)]
pub struct DigestCache {
    file: Option<PathBuf>,
    entries: Mutex<HashMap<Key, (Stamp, Digest)>>,
    dirty: Mutex<bool>,
    hashed_bytes: AtomicU64,
}

impl DigestCache {
    /// A cache that lives only as long as this value (used by tests and one-shot reads).
    pub fn in_memory() -> DigestCache {
        DigestCache::default()
    }

    /// Loads the cache stored at `file`; a missing or unreadable file starts empty.
    pub fn open(file: &Path) -> DigestCache {
        let mut entries = HashMap::new();
        if let Ok(text) = fs::read_to_string(file) {
            for line in text.lines() {
                if let Some((k, v)) = parse_line(line) {
                    entries.insert(k, v);
                }
            }
        }
        DigestCache {
            file: Some(file.to_path_buf()),
            entries: Mutex::new(entries),
            ..Default::default()
        }
    }

    /// Where the cache of one release directory lives: `$XDG_CACHE_HOME/bale/digests/` (or
    /// `~/.cache/bale/digests/`), one file per directory, named by a hash of its path.
    pub fn file_for(root: &Path) -> PathBuf {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let key = Digest::of_bytes(Algo::Sha256, root.as_os_str().as_encoded_bytes());
        base.join("bale/digests")
            .join(format!("{}.tsv", &key.hex()[..32]))
    }

    /// Bytes read for hashing since this cache was opened: zero means every digest was a hit.
    pub fn hashed_bytes(&self) -> u64 {
        self.hashed_bytes.load(Ordering::Relaxed)
    }

    /// The digest of the file's contents (symlinks followed).
    pub fn digest(&self, path: &Path, algo: Algo) -> io::Result<Digest> {
        let meta = fs::metadata(path)?;
        let stamp = Stamp::of(&meta);
        let key = (path.to_path_buf(), algo);
        if let Some((s, d)) = self.entries.lock().expect("cache lock").get(&key) {
            if *s == stamp {
                tracing::debug!(path = %path.display(), "digest cache hit");
                return Ok(d.clone());
            }
        }
        tracing::debug!(path = %path.display(), size = meta.size(), "digest cache miss: hashing");
        let d = Digest::of_file(algo, path)?;
        self.hashed_bytes.fetch_add(meta.size(), Ordering::Relaxed);
        // Re-check: a file changed while it was being read must not be recorded.
        if fs::metadata(path).map(|m| Stamp::of(&m)).ok() == Some(stamp) {
            self.entries
                .lock()
                .expect("cache lock")
                .insert(key, (stamp, d.clone()));
            *self.dirty.lock().expect("cache lock") = true;
        }
        Ok(d)
    }

    /// The digest of an already open file, cached under `path`: the stamp is taken from the
    /// handle, so the answer describes the file that was opened (through `beneath`, without
    /// following a symlink) even if something else is at `path` by now.
    pub fn digest_open(&self, path: &Path, f: &fs::File, algo: Algo) -> io::Result<Digest> {
        let meta = f.metadata()?;
        let stamp = Stamp::of(&meta);
        let key = (path.to_path_buf(), algo);
        if let Some((s, d)) = self.entries.lock().expect("cache lock").get(&key) {
            if *s == stamp {
                return Ok(d.clone());
            }
        }
        let (d, _) = Digest::of_reader(algo, f)?;
        self.hashed_bytes.fetch_add(meta.size(), Ordering::Relaxed);
        if f.metadata().map(|m| Stamp::of(&m)).ok() == Some(stamp) {
            self.entries
                .lock()
                .expect("cache lock")
                .insert(key, (stamp, d.clone()));
            *self.dirty.lock().expect("cache lock") = true;
        }
        Ok(d)
    }

    /// The digest of a file if the cache vouches for its current bytes, without reading it.
    pub fn known(&self, path: &Path, algo: Algo) -> Option<Digest> {
        let stamp = Stamp::of(&fs::metadata(path).ok()?);
        let entries = self.entries.lock().expect("cache lock");
        let (s, d) = entries.get(&(path.to_path_buf(), algo))?;
        (*s == stamp).then(|| d.clone())
    }

    /// Records the digest of a file bale has just written or verified itself.
    pub fn remember(&self, path: &Path, digest: &Digest) {
        if let Ok(m) = fs::metadata(path) {
            self.entries.lock().expect("cache lock").insert(
                (path.to_path_buf(), digest.algo()),
                (Stamp::of(&m), digest.clone()),
            );
            *self.dirty.lock().expect("cache lock") = true;
        }
    }

    /// Writes the cache back if anything was added; failures only cost speed next time.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        if !*self.dirty.lock().expect("cache lock") {
            return;
        }
        let entries = self.entries.lock().expect("cache lock");
        let mut out = String::new();
        for ((path, algo), (s, d)) in entries.iter() {
            if !path.exists() {
                continue;
            }
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                algo.name(),
                s.size,
                s.ino,
                s.mtime_ns,
                s.ctime_ns,
                d,
                path.display()
            ));
        }
        let _ = crate::atomic::write(file, out.as_bytes());
    }
}

fn parse_line(line: &str) -> Option<(Key, (Stamp, Digest))> {
    let mut it = line.splitn(7, '\t');
    let algo: Algo = it.next()?.parse().ok()?;
    let stamp = Stamp {
        size: it.next()?.parse().ok()?,
        ino: it.next()?.parse().ok()?,
        mtime_ns: it.next()?.parse().ok()?,
        ctime_ns: it.next()?.parse().ok()?,
    };
    let digest: Digest = it.next()?.parse().ok()?;
    let path = PathBuf::from(it.next()?);
    Some(((path, algo), (stamp, digest)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn never_returns_a_stale_digest() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        let store = dir.path().join("cache.tsv");
        fs::write(&f, b"one").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(old)
            .unwrap();

        let c = DigestCache::open(&store);
        let d1 = c.digest(&f, Algo::Sha256).unwrap();
        c.save();

        let c = DigestCache::open(&store);
        assert_eq!(c.digest(&f, Algo::Sha256).unwrap(), d1);
        assert_eq!(c.hashed_bytes(), 0, "an unchanged file is not read again");

        // Same size, same mtime restored: only ctime betrays the change.
        fs::write(&f, b"two").unwrap();
        fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let c = DigestCache::open(&store);
        let d2 = c.digest(&f, Algo::Sha256).unwrap();
        assert_ne!(d1, d2);
        assert_eq!(d2, Digest::of_bytes(Algo::Sha256, b"two"));
    }

    #[test]
    fn replaced_file_with_same_stamp_but_new_inode_misses() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        fs::write(&f, b"one").unwrap();
        let c = DigestCache::in_memory();
        c.digest(&f, Algo::Sha1).unwrap();
        let g = dir.path().join("b");
        fs::write(&g, b"uno").unwrap();
        fs::rename(&g, &f).unwrap();
        assert_eq!(
            c.digest(&f, Algo::Sha1).unwrap(),
            Digest::of_bytes(Algo::Sha1, b"uno")
        );
    }
}
