//! Atomic file writes: a temp file in the destination's directory, fsync, rename. Every file
//! bale writes into a release directory, cache or blobstore goes through here, so a crash or a
//! failed command never leaves a half-written file behind.
//!
//! Modes follow the umask, as the `bosh` CLI's config and index files do: files are created
//! asking for 0666 and directories for 0777, and the kernel takes the umask away (0644/0755
//! under umask 022). tempfile's own default (0600/0700) would make release tarballs, cached
//! archives and synced blobs unreadable to the other users of a CI container or artifact server.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use std::os::unix::fs::PermissionsExt;

use tempfile::{NamedTempFile, TempDir};

/// What files are created with before the umask applies.
const FILE_MODE: u32 = 0o666;
/// What directories are created with before the umask applies.
const DIR_MODE: u32 = 0o777;

/// A temp file in `dir` (created if missing) whose mode honours the umask; renaming it into
/// place (`persist`) publishes a file with the mode any other file written there would get.
pub fn temp_file_in(dir: &Path) -> Result<NamedTempFile, PathError> {
    fs::create_dir_all(dir).map_err(|e| PathError::new("creating directory", dir, e))?;
    tempfile::Builder::new()
        .prefix(".bale-tmp-")
        .permissions(fs::Permissions::from_mode(FILE_MODE))
        .tempfile_in(dir)
        .map_err(|e| PathError::new("creating a temporary file in", dir, e))
}

/// A temp directory in `dir` whose mode honours the umask, for trees published by one rename.
pub fn temp_dir_in(dir: &Path, prefix: &str) -> Result<TempDir, PathError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .permissions(fs::Permissions::from_mode(DIR_MODE))
        .tempdir_in(dir)
        .map_err(|e| PathError::new("creating a temporary directory in", dir, e))
}

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
        let tmp = temp_file_in(dir)?;
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

    /// The umask is per process, so the modes are checked in a child with a chosen umask
    /// (this test binary, re-run with `--exact`), never by changing the umask of the threads
    /// running the other tests.
    #[test]
    fn modes_follow_the_umask() {
        if let Ok(dir) = std::env::var("BALE_UMASK_PROBE_DIR") {
            let dir = Path::new(&dir);
            write(&dir.join("sub/file"), b"x").unwrap();
            let t = temp_dir_in(dir, "d").unwrap();
            fs::rename(t.keep(), dir.join("published")).unwrap();
            let f = temp_file_in(dir).unwrap();
            f.persist(dir.join("persisted")).unwrap();
            return;
        }
        for (umask, file, dirm) in [
            (0o022, 0o644, 0o755),
            (0o027, 0o640, 0o750),
            (0o077, 0o600, 0o700),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let exe = std::env::current_exe().unwrap();
            let st = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("umask {umask:03o} && exec \"$0\" --exact atomic::tests::modes_follow_the_umask --quiet"))
                .arg(&exe)
                .env("BALE_UMASK_PROBE_DIR", tmp.path())
                .output()
                .unwrap();
            assert!(
                st.status.success(),
                "{}",
                String::from_utf8_lossy(&st.stdout)
            );
            let mode = |p: &str| {
                fs::metadata(tmp.path().join(p))
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777
            };
            assert_eq!(mode("sub/file"), file, "umask {umask:03o}");
            assert_eq!(mode("persisted"), file, "umask {umask:03o}");
            assert_eq!(mode("sub"), dirm, "umask {umask:03o}");
            assert_eq!(mode("published"), dirm, "umask {umask:03o}");
        }
    }
}
