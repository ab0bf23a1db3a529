//! Where a release's final builds and blobs are kept: the provider named in `config/final.yml`
//! (spec: release-format §1.1, blobstore.md). Objects are stored flat under random UUIDs.

mod chunks;
mod dav;
mod dav_path;
mod local;
mod object;

use std::path::Path;

use crate::digest::{Digest, MultiDigest};
use crate::error::{Error, Result};
use crate::layout::ReleaseDir;
use crate::manifest::final_yml::BlobstoreConfig;

pub use chunks::chunks;
pub use dav::DavBlobstore;
pub use dav_path::{object_path, ObjectId};
pub use local::LocalBlobstore;
pub use object::{runtime, ObjectBlobstore};

#[derive(Debug, Clone)]
pub enum Blobstore {
    Local(LocalBlobstore),
    /// S3 and S3-compatible stores, and Google Cloud Storage.
    Object(ObjectBlobstore),
    /// A DAV blobstore, such as `bale blobstore serve`.
    Dav(DavBlobstore),
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
            "s3" => Ok(Blobstore::Object(ObjectBlobstore::s3(&cfg.options)?)),
            "gcs" => Ok(Blobstore::Object(ObjectBlobstore::gcs(&cfg.options)?)),
            "dav" => Ok(Blobstore::Dav(DavBlobstore::new(&cfg.options)?)),
            other => Err(Error::msg(format!(
                "Expected release blobstore to be configured (provider '{other}' is not one of local, s3, gcs, dav)"
            ))),
        }
    }

    /// The blobstore `config/final.yml` (+ `private.yml`) of a release names.
    pub fn for_release(dir: &ReleaseDir) -> Result<Blobstore> {
        let cfg = dir.config()?;
        let bs = cfg.blobstore(&dir.final_yml()).map_err(Error::msg)?;
        Blobstore::open(&bs, dir.root())
    }

    /// Stores the file under a new random id and returns the id. `digest` is the file's digest
    /// string, for stores that verify what they receive.
    pub fn put(&self, file: &Path, digest: Option<&str>) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        match self {
            Blobstore::Local(l) => l.put(&id, file),
            Blobstore::Object(o) => o.put(&id, file),
            Blobstore::Dav(d) => d.put(&id, file, digest),
        }
        // the CLI's framing, as in `get_verified`
        .map_err(|e| e.context("Creating blob in inner blobstore"))?;
        Ok(id)
    }

    /// Copies object `id` to `dest` (atomically).
    pub fn get(&self, id: &str, dest: &Path) -> Result<()> {
        match self {
            Blobstore::Local(l) => l.get(id, dest),
            Blobstore::Object(o) => o.get(id, dest),
            Blobstore::Dav(d) => d.get(id, dest),
        }
    }

    /// Copies object `id` to `dest` and checks it against `digest` (a digest string of
    /// `blobs.yml` or an index; the strongest algorithm in it is checked), returning the
    /// digest found. Failures are framed as the `bosh` CLI frames them (its verifying and
    /// retrying wrappers around the provider), so scripts matching its messages see the
    /// same: `Getting blob from inner blobstore:` twice before a provider's error, once
    /// before `Checking downloaded blob 'ID':` and the digest that was found instead.
    pub fn get_verified(&self, id: &str, digest: &str, dest: &Path) -> Result<Digest> {
        const INNER: &str = "Getting blob from inner blobstore";
        let want: MultiDigest = digest.parse()?;
        let want = want.strongest();
        self.get(id, dest)
            .map_err(|e| e.context(INNER).context(INNER))?;
        let got = Digest::of_file(want.algo(), dest).map_err(|e| Error::io("open", dest, &e))?;
        if &got != want {
            return Err(Error::msg(format!(
                "Expected stream to have digest '{want}' but was '{got}'"
            ))
            .context(format!("Checking downloaded blob '{id}'"))
            .context(INNER));
        }
        Ok(got)
    }
}
