//! The `local` provider: a directory of objects named by id.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::ObjectId;
use crate::atomic::AtomicFile;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct LocalBlobstore {
    dir: PathBuf,
    /// The path as configured, for messages that match the user's config.
    shown: String,
}

impl LocalBlobstore {
    pub fn new(dir: &Path, shown: &str) -> LocalBlobstore {
        LocalBlobstore {
            dir: dir.to_path_buf(),
            shown: shown.to_string(),
        }
    }

    /// Stores `file` as object `id`, making the blobstore directory first as the CLI's local
    /// provider does (`Making blobstore path: mkdir PATH: …`, the path as configured).
    pub fn put(&self, id: &str, file: &Path) -> Result<()> {
        let made = match std::fs::metadata(&self.dir) {
            Ok(m) if m.is_dir() => Ok(()),
            // Go's MkdirAll on a path that is a file
            Ok(_) => Err(Error::msg(format!("mkdir {}: not a directory", self.shown))),
            Err(_) => std::fs::create_dir_all(&self.dir)
                .map_err(|e| Error::io("mkdir", Path::new(&self.shown), &e)),
        };
        made.map_err(|e| e.context("Making blobstore path"))?;
        copy_atomic(file, &self.object_file(id)?, file)
    }

    /// Copies object `id` to `dest`; a missing object reads as the CLI's local provider
    /// puts it (`Copying file:` / `Opening source path:` / `open PATH: …`, the path as
    /// configured).
    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        let from = self.object_file(id)?;
        let shown = Path::new(&self.shown).join(from.file_name().expect("an id"));
        let src = File::open(&from).map_err(|e| {
            Error::io("open", &shown, &e)
                .context("Opening source path")
                .context("Copying file")
        })?;
        copy_to(src, dest)
    }

    /// The file of object `id`. Ids come from `config/blobs.yml` and the build indexes,
    /// which the release's author wrote: parsed as [`ObjectId`] (letters, digits, `-`, `_`,
    /// `.`; not starting with `.`), the same rule the blobstore server applies, so an id
    /// names one file of the blobstore's directory and never a path out of it.
    fn object_file(&self, id: &str) -> Result<PathBuf> {
        let id = ObjectId::parse(id).ok_or_else(|| {
            Error::msg(format!(
                "Invalid blobstore object id '{}': expected letters, digits, '-', '_' or '.' (not first), at most 128",
                id.escape_debug()
            ))
        })?;
        Ok(self.dir.join(id.as_str()))
    }
}

fn copy_atomic(from: &Path, to: &Path, shown_from: &Path) -> Result<()> {
    let src = File::open(from).map_err(|e| Error::io("open", shown_from, &e))?;
    copy_to(src, to)
}

fn copy_to(mut src: File, to: &Path) -> Result<()> {
    let mut out = AtomicFile::create(to)?;
    io::copy(&mut src, &mut out).map_err(|e| Error::io("write", to, &e))?;
    out.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_object_ids_are_refused_before_any_file_is_touched() {
        let t = tempfile::tempdir().unwrap();
        let store = t.path().join("store");
        std::fs::create_dir_all(&store).unwrap();
        std::fs::write(t.path().join("outside"), b"host").unwrap();
        std::fs::write(store.join(".hidden"), b"x").unwrap();
        let bs = LocalBlobstore::new(&store, "store");
        let dest = t.path().join("dest");
        for id in [
            "../outside",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "a b",
            "",
            "x\0y",
        ] {
            let e = bs.get(id, &dest).unwrap_err().to_string();
            assert!(e.contains("Invalid blobstore object id"), "{id:?}: {e}");
            assert!(!dest.exists());
            let e = bs
                .put(id, &t.path().join("outside"))
                .unwrap_err()
                .to_string();
            assert!(e.contains("Invalid blobstore object id"), "{id:?}: {e}");
        }
        assert_eq!(std::fs::read_dir(&store).unwrap().count(), 1);
        let id = uuid::Uuid::new_v4().to_string();
        bs.put(&id, &t.path().join("outside")).unwrap();
        bs.get(&id, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"host");
    }
}
