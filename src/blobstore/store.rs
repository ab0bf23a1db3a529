//! The object store on disk: `<root>/<XX>/<id>`. A PUT streams into a temp file while it is
//! hashed; only a complete body (and a matching digest, when the client sent one) is renamed
//! into place, so a client that disconnects, or a full disk, leaves nothing behind.

use std::path::{Path, PathBuf};

use futures::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use crate::digest::{Digest, MultiDigest};
use crate::provider::{object_path, ObjectId};

pub struct Store {
    root: PathBuf,
    max_upload: u64,
}

#[derive(Debug)]
pub enum PutError {
    TooLarge(u64),
    Digest { expected: String, actual: String },
    Body(String),
    Io(std::io::Error),
}

impl Store {
    pub fn new(root: &Path, max_upload: u64) -> Store {
        Store {
            root: root.to_path_buf(),
            max_upload,
        }
    }

    pub fn path(&self, id: &ObjectId) -> PathBuf {
        self.root.join(object_path(id))
    }

    /// Stores the body; returns whether the object is new (201) or replaced (204).
    pub async fn put<S, E>(
        &self,
        id: &ObjectId,
        mut body: S,
        expected: Option<MultiDigest>,
    ) -> Result<bool, PutError>
    where
        S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let dest = self.path(id);
        let dir = dest
            .parent()
            .expect("objects live in a prefix directory")
            .to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(PutError::Io)?;
        let tmp = tempfile::Builder::new()
            .prefix(".bale-put-")
            .tempfile_in(&dir)
            .map_err(PutError::Io)?;
        let mut file = tokio::fs::File::from_std(tmp.reopen().map_err(PutError::Io)?);
        let algo = expected.as_ref().map(|d| d.strongest().algo());
        let mut hasher = algo.map(|a| a.hasher());
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            // An error here is a client gone mid-upload: the temp file is dropped, unnamed.
            let chunk = chunk.map_err(|e| PutError::Body(e.to_string()))?;
            size += chunk.len() as u64;
            if size > self.max_upload {
                return Err(PutError::TooLarge(self.max_upload));
            }
            if let Some(h) = hasher.as_mut() {
                h.update(&chunk);
            }
            file.write_all(&chunk).await.map_err(PutError::Io)?;
        }
        file.flush().await.map_err(PutError::Io)?;
        file.sync_all().await.map_err(PutError::Io)?;
        if let (Some(want), Some(h)) = (expected, hasher) {
            let got: Digest = h.finish();
            if &got != want.strongest() {
                return Err(PutError::Digest {
                    expected: want.strongest().to_string(),
                    actual: got.to_string(),
                });
            }
        }
        let existed = tokio::fs::try_exists(&dest).await.unwrap_or(false);
        tmp.persist(&dest).map_err(|e| PutError::Io(e.error))?;
        Ok(!existed)
    }

    pub async fn delete(&self, id: &ObjectId) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.path(id)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}
