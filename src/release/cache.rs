//! The archive cache shared with the `bosh` CLI: `~/.bosh/cache/<digest string>` holds every
//! job, package and license archive either tool built or downloaded, so switching tools
//! rebuilds nothing (spec: release-format §6.1).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::digest::{Algo, Digest};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct ArchiveCache {
    dir: PathBuf,
    /// Digests this run stored. Whether a build is reused must not depend on which worker
    /// finished first: two packages with the same contents would otherwise print a download
    /// in one run and none in the next.
    stored: Arc<Mutex<HashSet<String>>>,
}

impl ArchiveCache {
    /// `$HOME/.bosh/cache`, where the CLI keeps it.
    pub fn user() -> ArchiveCache {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        ArchiveCache {
            dir: home.join(".bosh/cache"),
            stored: Arc::default(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<cache>/<digest>`. The digest comes from an index or release.MF of a release bale
    /// may not trust, so it must be one name: `../x` would leave the cache.
    pub fn path(&self, digest: &str) -> Result<PathBuf> {
        crate::name::Name::new(digest)
            .map(|d| d.under(&self.dir))
            .map_err(|e| Error::msg(format!("Invalid archive digest {e}")))
    }

    /// The cached archive for `digest`, if present.
    pub fn get(&self, digest: &str) -> Option<PathBuf> {
        let p = self.path(digest).ok()?;
        let hit = p.is_file();
        tracing::debug!(path = %p.display(), hit, "archive cache lookup");
        hit.then_some(p)
    }

    /// The cached archive for `digest` if it was there before this run: what
    /// `create-release` reuses, so its output is the same whatever the workers' order.
    pub fn get_prior(&self, digest: &str) -> Option<PathBuf> {
        // The file first, then the note: `commit` notes before it renames, so a file seen
        // here that this run stored is always found in the notes.
        let p = self.get(digest)?;
        let mine = self.stored.lock().map_or(true, |s| s.contains(digest));
        (!mine).then_some(p)
    }

    /// A temp file inside the cache directory, to be renamed into place by `commit`.
    pub fn temp(&self) -> Result<tempfile::NamedTempFile> {
        Ok(crate::atomic::temp_file_in(&self.dir)?)
    }

    pub fn commit(&self, tmp: tempfile::NamedTempFile, digest: &str) -> Result<PathBuf> {
        let dest = self.path(digest)?;
        // Noted before the rename, so no lookup sees the file without the note; an archive
        // that was already there stays one from before the run.
        if !dest.is_file() {
            if let Ok(mut s) = self.stored.lock() {
                s.insert(digest.to_string());
            }
        }
        tmp.persist(&dest)
            .map_err(|e| Error::io("rename into", &dest, &e.error))?;
        tracing::debug!(path = %dest.display(), "archive cache store");
        Ok(dest)
    }
}

/// Hashes a file and compares it with an expected digest string.
pub fn verify_file(path: &Path, expected: &str) -> Result<()> {
    let want: Digest = expected.parse()?;
    let got = Digest::of_file(want.algo(), path).map_err(|e| Error::io("open", path, &e))?;
    if got != want {
        return Err(Error::msg(format!(
            "Expected stream to have digest '{want}' but was '{got}' ({})",
            path.display()
        )));
    }
    Ok(())
}

/// Reads a small file whole (license archives).
pub fn read_all(path: &Path) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    fs::File::open(path)?.read_to_end(&mut v)?;
    Ok(v)
}

/// The digest algorithm an archive digest string uses.
pub fn algo_of(digest: &str) -> Algo {
    digest
        .parse::<Digest>()
        .map(|d| d.algo())
        .unwrap_or(Algo::Sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(dir: &Path) -> ArchiveCache {
        ArchiveCache {
            dir: dir.to_path_buf(),
            stored: Arc::default(),
        }
    }

    fn store(cache: &ArchiveCache, digest: &str) {
        let mut tmp = cache.temp().unwrap();
        io::Write::write_all(&mut tmp, b"archive").unwrap();
        cache.commit(tmp, digest).unwrap();
    }

    #[test]
    fn reuse_sees_the_cache_as_it_was_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let before = at(dir.path());
        store(&before, "sha256:aa");
        let run = at(dir.path());
        // Stored by this run: there for `get`, not for reuse.
        store(&run, "sha256:bb");
        assert!(run.get("sha256:bb").is_some());
        assert_eq!(run.get_prior("sha256:bb"), None);
        // There before, and stored again: still reused.
        store(&run, "sha256:aa");
        assert_eq!(
            run.get_prior("sha256:aa"),
            Some(dir.path().join("sha256:aa"))
        );
        // A clone shares what the run stored.
        assert_eq!(run.clone().get_prior("sha256:bb"), None);
        assert_eq!(run.get_prior("sha256:cc"), None);
    }
}
