//! The `local` provider: a directory of objects named by id.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::atomic::AtomicFile;
use crate::error::{Error, Result};
use crate::name::Name;

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

    pub fn put(&self, id: &str, file: &Path) -> Result<()> {
        copy_atomic(file, &object(id)?.under(&self.dir), file)
    }

    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        let id = object(id)?;
        copy_atomic(
            &id.under(&self.dir),
            dest,
            &id.under(Path::new(&self.shown)),
        )
    }
}

/// An object id names one file of the blobstore's directory, never a path out of it.
fn object(id: &str) -> Result<Name> {
    Name::new(id).map_err(|e| Error::msg(format!("Invalid blobstore object id {e}")))
}

fn copy_atomic(from: &Path, to: &Path, shown_from: &Path) -> Result<()> {
    let mut src = File::open(from).map_err(|e| Error::io("open", shown_from, &e))?;
    let mut out = AtomicFile::create(to)?;
    io::copy(&mut src, &mut out).map_err(|e| Error::io("write", to, &e))?;
    out.commit()?;
    Ok(())
}
