//! Atomic file writes: a temp file in the destination's directory, fsync, rename. Every file
//! bale writes into a release directory, cache or blobstore goes through here, so a crash or a
//! failed command never leaves a half-written file behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// An I/O failure with the path it happened on; `Display` names the file.
#[derive(Debug, thiserror::Error)]
#[error("{action} '{}': {source}", path.display())]
pub struct PathError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl PathError {
    pub fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        PathError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Writes `bytes` to `path` atomically, creating parent directories.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), PathError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)
        .map_err(|e| PathError::new("writing", path, e))?;
    f.commit()
}

/// A file that becomes visible at its path only on `commit`; dropped uncommitted, it vanishes.
pub struct AtomicFile {
    tmp: NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile, PathError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| PathError::new("creating directory", dir, e))?;
        let tmp = tempfile::Builder::new()
            .prefix(".bale-tmp-")
            .tempfile_in(dir)
            .map_err(|e| PathError::new("creating a temporary file in", dir, e))?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the file visible, durably: its bytes reach the disk before the rename.
    pub fn commit(self) -> Result<(), PathError> {
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| PathError::new("syncing", &self.path, e))?;
        self.commit_unsynced()
    }

    /// Makes the file visible without waiting for the disk. For large artifacts whose digest is
    /// checked whenever they are used (release tarballs, cached archives): a process crash still
    /// leaves either the old file or the whole new one, and the fsync of hundreds of MiB costs
    /// more than the rest of the write.
    pub fn commit_unsynced(self) -> Result<(), PathError> {
        let path = self.path;
        self.tmp
            .persist(&path)
            .map_err(|e| PathError::new("renaming into place", &path, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert!(!p.exists());
        assert_eq!(fs::read_dir(dir.path().join("a")).unwrap().count(), 0);
        write(&p, b"whole").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"whole");
    }
}
