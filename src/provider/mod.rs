//! Where a release's final builds and blobs are kept: the provider named in `config/final.yml`
//! (spec: release-format §1.1, blobstore.md). Objects are stored flat under random UUIDs.

mod local;

use std::path::Path;

use crate::error::{Error, Result};
use crate::layout::ReleaseDir;
use crate::manifest::final_yml::BlobstoreConfig;

pub use local::LocalBlobstore;

#[derive(Debug, Clone)]
pub enum Blobstore {
    Local(LocalBlobstore),
}

impl Blobstore {
    /// Opens the configured provider; relative local paths resolve against the release dir.
    pub fn open(cfg: &BlobstoreConfig, release_dir: &Path) -> Result<Blobstore> {
        match cfg.provider.as_str() {
            "local" => {
                let path = cfg
                    .options
                    .get("blobstore_path")
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| {
                        Error::msg("Expected 'blobstore_path' in the local blobstore options of config/final.yml")
                    })?;
                Ok(Blobstore::Local(LocalBlobstore::new(
                    &release_dir.join(path),
                    path,
                )))
            }
            _ => Err(Error::msg("Expected release blobstore to be configured")),
        }
    }

    /// The blobstore `config/final.yml` (+ `private.yml`) of a release names.
    pub fn for_release(dir: &ReleaseDir) -> Result<Blobstore> {
        let cfg = dir.config()?;
        let bs = cfg.blobstore(&dir.final_yml()).map_err(Error::msg)?;
        Blobstore::open(&bs, dir.root())
    }

    /// Stores the file under a new random id and returns the id.
    pub fn put(&self, file: &Path) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        match self {
            Blobstore::Local(l) => l.put(&id, file)?,
        }
        Ok(id)
    }

    /// Copies object `id` to `dest` (atomically).
    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        match self {
            Blobstore::Local(l) => l.get(id, dest),
        }
    }
}
