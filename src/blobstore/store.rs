//! Where the server keeps objects: a local directory (`<root>/<XX>/<id>`, the default) or an
//! S3-compatible bucket (`<folder>/<XX>/<id>`, through object_store). A PUT streams while it
//! is hashed; only a complete body (with a matching digest, when one is known) becomes
//! visible: on disk a temp file is renamed into place, in a bucket the upload is completed only
//! then and aborted otherwise. A client that disconnects, or a full disk, leaves nothing.

use std::path::{Path, PathBuf};
use std::pin::Pin;

use futures::{Stream, StreamExt};
use object_store::buffered::BufWriter;
use object_store::{GetOptions, ObjectStoreExt};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::digest::{Digest, Hasher};
use crate::provider::{object_path, ObjectBlobstore, ObjectId};

pub enum Backend {
    Local(PathBuf),
    Object(ObjectBlobstore),
}

pub struct Store {
    backend: Backend,
    max_upload: u64,
}

#[derive(Debug)]
pub enum PutError {
    TooLarge(u64),
    Digest { expected: String, actual: String },
    Body(String),
    Io(String),
}

pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<bytes::Bytes>> + Send>>;

/// Temp files of uploads cut short by a crash: removed when the server starts.
const TEMP_PREFIX: &str = ".bale-put-";

impl Store {
    pub fn new(backend: Backend, max_upload: u64) -> Store {
        Store {
            backend,
            max_upload,
        }
    }

    /// Where objects are, for the startup line.
    pub fn shown(&self) -> String {
        match &self.backend {
            Backend::Local(p) => p.display().to_string(),
            Backend::Object(o) => o.shown().to_string(),
        }
    }

    /// The object's file, when objects are files (for verifying a stemcell in place).
    pub fn local_path(&self, id: &ObjectId) -> Option<PathBuf> {
        match &self.backend {
            Backend::Local(root) => Some(root.join(object_path(id))),
            Backend::Object(_) => None,
        }
    }

    pub fn max_upload(&self) -> u64 {
        self.max_upload
    }

    /// Makes `file`, whose bytes were verified against `id` already, the object `id`: on disk
    /// by a rename (the file must be on the same filesystem, as the spool directory is), in a
    /// bucket by an upload from the file. The file is synced first, so an object never
    /// appears before its bytes are durable.
    pub async fn adopt(&self, id: &ObjectId, file: tempfile::TempPath) -> Result<(), PutError> {
        let io = |e: std::io::Error| PutError::Io(e.to_string());
        match &self.backend {
            Backend::Local(root) => {
                let dest = root.join(object_path(id));
                let dir = dest.parent().expect("objects live in a prefix directory");
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                let f = tokio::fs::File::open(&file).await.map_err(io)?;
                f.sync_all().await.map_err(io)?;
                drop(f);
                file.persist(&dest).map_err(|e| io(e.error))?;
                Ok(())
            }
            Backend::Object(_) => {
                let f = tokio::fs::File::open(&file).await.map_err(io)?;
                let stream = crate::provider::chunks(f, 1 << 20);
                self.put(id, Box::pin(stream), None).await.map(|_| ())
            }
        }
    }

    /// Removes temp files a killed server left; returns how many.
    pub fn sweep(&self) -> usize {
        let Backend::Local(root) = &self.backend else {
            return 0;
        };
        let mut n = 0;
        for e in walkdir::WalkDir::new(root)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .flatten()
        {
            if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
                && std::fs::remove_file(e.path()).is_ok()
            {
                n += 1;
            }
        }
        n
    }

    /// Stores the body; returns whether the object is new (201) or replaced (204).
    pub async fn put<S, E>(
        &self,
        id: &ObjectId,
        mut body: S,
        expected: Option<Digest>,
    ) -> Result<bool, PutError>
    where
        S: Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let mut hasher: Option<Hasher> = expected.as_ref().map(|d| d.algo().hasher());
        let mut size = 0u64;
        let mut check = |chunk: &bytes::Bytes| -> Result<(), PutError> {
            size += chunk.len() as u64;
            if size > self.max_upload {
                return Err(PutError::TooLarge(self.max_upload));
            }
            if let Some(h) = hasher.as_mut() {
                h.update(chunk);
            }
            Ok(())
        };
        match &self.backend {
            Backend::Local(root) => {
                let dest = root.join(object_path(id));
                let dir = dest.parent().expect("objects live in a prefix directory");
                let io = |e: std::io::Error| PutError::Io(e.to_string());
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                // Objects honour the umask like every file bale writes (see `atomic`).
                let tmp = tempfile::Builder::new()
                    .prefix(TEMP_PREFIX)
                    .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
                    .tempfile_in(dir)
                    .map_err(io)?;
                let mut file = tokio::fs::File::from_std(tmp.reopen().map_err(io)?);
                while let Some(chunk) = body.next().await {
                    // An error here is a client gone mid-upload: the temp file is dropped.
                    let chunk = chunk.map_err(|e| PutError::Body(e.to_string()))?;
                    check(&chunk)?;
                    file.write_all(&chunk).await.map_err(io)?;
                }
                file.flush().await.map_err(io)?;
                file.sync_all().await.map_err(io)?;
                matches(expected, hasher)?;
                let existed = tokio::fs::try_exists(&dest).await.unwrap_or(false);
                tmp.persist(&dest).map_err(|e| io(e.error))?;
                Ok(!existed)
            }
            Backend::Object(o) => {
                let path = o.path(&object_path(id));
                let existed = o.store().head(&path).await.is_ok();
                let mut w = BufWriter::with_capacity(o.store(), path, 8 << 20);
                let result = async {
                    while let Some(chunk) = body.next().await {
                        let chunk = chunk.map_err(|e| PutError::Body(e.to_string()))?;
                        check(&chunk)?;
                        w.put(chunk)
                            .await
                            .map_err(|e| PutError::Io(e.to_string()))?;
                    }
                    Ok(())
                }
                .await;
                let result = result.and_then(|()| matches(expected, hasher));
                if let Err(e) = result {
                    // Nothing becomes visible: the multipart upload is abandoned.
                    let _ = w.abort().await;
                    return Err(e);
                }
                w.shutdown()
                    .await
                    .map_err(|e| PutError::Io(e.to_string()))?;
                Ok(!existed)
            }
        }
    }

    /// The object's size, or `None` when it does not exist.
    pub async fn size(&self, id: &ObjectId) -> std::io::Result<Option<u64>> {
        match &self.backend {
            Backend::Local(root) => match tokio::fs::metadata(root.join(object_path(id))).await {
                Ok(m) => Ok(Some(m.len())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            Backend::Object(o) => match o.store().head(&o.path(&object_path(id))).await {
                Ok(m) => Ok(Some(m.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(std::io::Error::other(e.to_string())),
            },
        }
    }

    /// `len` bytes of the object from `start`, as a stream.
    pub async fn read(&self, id: &ObjectId, start: u64, len: u64) -> std::io::Result<ByteStream> {
        match &self.backend {
            Backend::Local(root) => {
                let mut file = tokio::fs::File::open(root.join(object_path(id))).await?;
                if start > 0 {
                    file.seek(std::io::SeekFrom::Start(start)).await?;
                }
                Ok(Box::pin(crate::provider::chunks(
                    file.take(len),
                    256 * 1024,
                )))
            }
            Backend::Object(o) => {
                let opts = GetOptions::new().with_range(Some(start..start + len));
                let res = o
                    .store()
                    .get_opts(&o.path(&object_path(id)), opts)
                    .await
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                Ok(Box::pin(res.into_stream().map(|c| {
                    c.map_err(|e| std::io::Error::other(e.to_string()))
                })))
            }
        }
    }

    pub async fn delete(&self, id: &ObjectId) -> std::io::Result<()> {
        match &self.backend {
            Backend::Local(root) => {
                match tokio::fs::remove_file(root.join(object_path(id))).await {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
            Backend::Object(o) => match o.store().delete(&o.path(&object_path(id))).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(std::io::Error::other(e.to_string())),
            },
        }
    }
}

fn matches(expected: Option<Digest>, hasher: Option<Hasher>) -> Result<(), PutError> {
    if let (Some(want), Some(h)) = (expected, hasher) {
        let got = h.finish();
        if got != want {
            return Err(PutError::Digest {
                expected: want.to_string(),
                actual: got.to_string(),
            });
        }
    }
    Ok(())
}

/// The registry file lives beside local objects (never inside a prefix directory).
pub fn registry_path(dir: &Path) -> PathBuf {
    dir.join("registry.redb")
}
