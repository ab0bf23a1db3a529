//! Blobs of a release: `config/blobs.yml` and the files under `blobs/` — add, remove, list,
//! sync and upload (spec: release-format §13). Every download is verified before it is moved
//! into place; every upload is verified before it starts; blobs.yml is rewritten atomically
//! after each upload, so an interrupted run loses nothing.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::atomic;
use crate::beneath;
use crate::digest::{Algo, HashingWriter};
use crate::digest_cache::DigestCache;
use crate::error::{Context, Error, Result};
use crate::layout::ReleaseDir;
use crate::manifest::blobs_yml::BlobRecord;
use crate::name::{Name, RelPath};
use crate::provider::Blobstore;

pub use crate::progress::{Progress, Report};

/// One row of `bale blobs`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BlobRow {
    pub path: String,
    pub size: u64,
    pub blobstore_id: Option<String>,
    pub digest: String,
}

/// Copies `src` into `blobs/<blob_path>` (hashing on the way) and records it, dropping any
/// `object_id` so the new content is uploaded again.
pub fn add(root: &Path, src: &Path, blob_path: &str) -> Result<()> {
    let blob_path = blob_arg(blob_path)?;
    let dir = ReleaseDir::new(root);
    let mut idx = dir.blobs_index()?;
    let mut input = fs::File::open(src)
        .map_err(|e| Error::io("open", src, &e))
        .context("Opening blob")?;
    let blobs_dir = dir.blobs_dir();
    let dest = blob_path.under(&blobs_dir);
    // through blobs/'s handle: `blobs` itself or a directory in it that is a symlink is
    // refused, not written through
    let mut out = open_blobs(&dir, true)
        .and_then(|d| d.create(&blob_path))
        .map_err(|e| Error::io("create", &dest, &e))?;
    let mut w = HashingWriter::new(out.file(), Algo::Sha256);
    io::copy(&mut input, &mut w).map_err(|e| Error::io("copy", src, &e))?;
    let (_, digest, size) = w.finish();
    out.commit()
        .map_err(|e| Error::io("rename into", &dest, &e))?;
    let digests = DigestCache::open(&DigestCache::file_for(dir.root()));
    digests.remember(&dest, &digest);
    digests.save();
    idx.0.insert(
        blob_path,
        BlobRecord {
            size,
            object_id: None,
            sha: digest.to_string(),
        },
    );
    atomic::write(&dir.blobs_yml(), idx.to_yaml().as_bytes())?;
    Ok(())
}

/// `blobs/` of the release, opened without following a symlink there: a release may hold
/// `blobs` as a link to anywhere on the host (git keeps symlinks), and every read, write
/// and delete of a blob goes through this handle.
fn open_blobs(dir: &ReleaseDir, create: bool) -> io::Result<beneath::Dir> {
    let blobs = Name::new("blobs").expect("a valid name");
    beneath::Dir::open(dir.root(), false)?.subdir(&blobs, create)
}

/// A blob path given on the command line must stay inside `blobs/`.
fn blob_arg(p: &str) -> Result<RelPath> {
    RelPath::new(p).map_err(|e| Error::msg(format!("Invalid blob path {e}")))
}

/// Forgets a blob and deletes its local copy; an unknown path is not an error. The file is
/// unlinked through `blobs/`'s handle, so a symlinked `blobs` or directory on the way is
/// refused and a symlink itself is removed, never its target.
///
/// Order: `config/blobs.yml` is the record, so it is rewritten first and the file deleted
/// second. A crash between the two leaves an untracked file in `blobs/`, which the record no
/// longer names: `sync-blobs` (and so `create-release`) deletes it, and running remove-blob
/// again deletes it too. The other order would leave, after a crash, a record naming a file
/// that is gone; for a blob never uploaded that content then exists nowhere, and
/// `upload-blobs` and `create-release` fail on it.
pub fn remove(root: &Path, blob_path: &str) -> Result<()> {
    let blob_path = blob_arg(blob_path)?;
    let dir = ReleaseDir::new(root);
    let mut idx = dir.blobs_index()?;
    let blobs = dir.blobs_dir();
    // opened before anything changes: a symlinked `blobs` refuses the command untouched
    let handle = match open_blobs(&dir, false) {
        Ok(d) => Some(d),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("open", &blobs, &e)),
    };
    if idx.0.remove(blob_path.as_str()).is_some() {
        atomic::write(&dir.blobs_yml(), idx.to_yaml().as_bytes())?;
    }
    if let Some(d) = handle {
        d.remove_file(&blob_path)
            .map_err(|e| Error::io("remove", &blob_path.under(&blobs), &e))?;
    }
    Ok(())
}

pub fn list(root: &Path) -> Result<Vec<BlobRow>> {
    let idx = ReleaseDir::new(root).blobs_index()?;
    Ok(idx
        .0
        .iter()
        .map(|(path, r)| BlobRow {
            // as blobs.yml writes it, as the CLI shows it
            path: idx.key(path).to_string(),
            size: r.size,
            blobstore_id: r.object_id.as_ref().map(|n| n.to_string()),
            digest: r.sha.clone(),
        })
        .collect())
}

/// Whether the local copy of a blob has the recorded digest. The file is opened through
/// `blobs/`'s handle (no symlink followed) and hashed from that handle (or found in the
/// digest cache by its inode and times).
fn local_ok(
    blobs: Option<&beneath::Dir>,
    path: &RelPath,
    rec: &BlobRecord,
    digests: &DigestCache,
) -> bool {
    let Ok(want) = rec.sha.parse::<crate::digest::MultiDigest>() else {
        return false;
    };
    let want = want.strongest();
    let Some(blobs) = blobs else {
        return false;
    };
    let Ok(f) = blobs.open_file(path) else {
        return false;
    };
    match f.metadata() {
        Ok(m) if m.len() == rec.size => {
            digests
                .digest_open(&path.under(blobs.path()), &f, want.algo())
                .ok()
                .as_ref()
                == Some(want)
        }
        _ => false,
    }
}

/// Makes `blobs/` match blobs.yml: deletes untracked files, downloads missing or stale ones
/// (`workers` at a time), each verified before it is moved into place.
pub fn sync(root: &Path, workers: usize, report: Report) -> Result<()> {
    let dir = ReleaseDir::new(root);
    let idx = dir.blobs_index()?;
    let blobs_dir = dir.blobs_dir();
    let bail = || {
        Error::msg("Bailing because symlinks found in blobs directory. If switching from CLI v1, please use the `reset-release` command.")
    };
    // `blobs` itself a symlink counts too: walking it would delete "untracked" files
    // wherever it points
    if fs::symlink_metadata(&blobs_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(bail());
    }
    let blobs = match open_blobs(&dir, false) {
        Ok(d) => Some(d),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("open", &blobs_dir, &e)),
    };
    if let Some(handle) = &blobs {
        let walk = || {
            walkdir::WalkDir::new(&blobs_dir)
                .follow_root_links(false)
                .min_depth(1)
        };
        for e in walk() {
            let e = e.map_err(|e| Error::msg(format!("walking {}: {e}", blobs_dir.display())))?;
            if e.path_is_symlink() {
                return Err(bail());
            }
        }
        for e in walk().into_iter().flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(&blobs_dir).expect("under blobs dir");
            let Ok(rel) = RelPath::new(rel.to_string_lossy()) else {
                continue;
            };
            if !idx.0.contains_key(&rel) {
                // through the handle: a directory swapped for a symlink since the walk is
                // refused, not deleted through
                handle
                    .remove_file(&rel)
                    .map_err(|err| Error::io("remove", e.path(), &err))?;
            }
        }
    }
    let digests = DigestCache::open(&DigestCache::file_for(root));
    let todo: Vec<(&RelPath, &BlobRecord)> = idx
        .0
        .iter()
        .filter(|(_, r)| r.object_id.is_some())
        .filter(|(p, r)| {
            let ok = local_ok(blobs.as_ref(), p, r, &digests);
            if !ok && fs::symlink_metadata(p.under(&blobs_dir)).is_ok() {
                report(Progress::Line(&format!("Blob '{p}' is stale (its digest differs from config/blobs.yml): fetching it again")));
            }
            !ok
        })
        .collect();
    let r = download_all(&dir, &idx, &todo, workers, &digests, report);
    digests.save();
    r
}

/// Downloads just the named blobs (paths under `blobs/` that `config/blobs.yml` lists), each
/// verified against its recorded digest before it is moved into place; blobs already there
/// with that digest are left alone. Used by `create-release --dry-run --fetch-missing`.
pub fn fetch(root: &Path, paths: &[String], workers: usize, report: Report) -> Result<()> {
    let dir = ReleaseDir::new(root);
    let idx = dir.blobs_index()?;
    let blobs = open_blobs(&dir, false).ok();
    let digests = DigestCache::open(&DigestCache::file_for(root));
    let mut todo = Vec::new();
    for p in paths {
        let rel = blob_arg(p)?;
        let Some((path, rec)) = idx.0.get_key_value(&rel) else {
            return Err(Error::msg(format!(
                "Blob '{p}' is not in config/blobs.yml; nothing to download"
            )));
        };
        if rec.object_id.is_none() {
            return Err(Error::msg(format!(
                "Blob '{p}' has no object_id in config/blobs.yml: it was never uploaded, so it cannot be downloaded"
            )));
        }
        if !local_ok(blobs.as_ref(), path, rec, &digests) {
            todo.push((path, rec));
        }
    }
    let r = download_all(&dir, &idx, &todo, workers, &digests, report);
    digests.save();
    r
}

fn download_all(
    dir: &ReleaseDir,
    idx: &crate::manifest::blobs_yml::BlobsIndex,
    todo: &[(&RelPath, &BlobRecord)],
    workers: usize,
    digests: &DigestCache,
    report: Report,
) -> Result<()> {
    if todo.is_empty() {
        return Ok(());
    }
    let blobs_dir = dir.blobs_dir();
    let bs = Blobstore::for_release(dir);
    let blobs = open_blobs(dir, true).map_err(|e| Error::io("open", &blobs_dir, &e))?;
    let download_one = |(path, rec): &(&RelPath, &BlobRecord)| -> Result<()> {
        let id = rec.object_id.as_deref().expect("filtered on object_id");
        // the key as blobs.yml writes it, as the CLI prints it
        let shown = idx.key(path);
        report(Progress::Line(&format!(
            "Blob download '{shown}' ({}) (id: {id} sha1: {}) started",
            crate::size::si(rec.size),
            rec.sha
        )));
        let r = bs
            .as_ref()
            .map_err(|e| Error::msg(e.to_string()))
            .and_then(|bs| download(bs, id, rec, &blobs, path, digests))
            .map_err(|e| e.context(format!("Getting blob '{id}' for path '{shown}'")));
        match &r {
            Ok(()) => report(Progress::Line(&format!(
                "Blob download '{shown}' (id: {id}) finished"
            ))),
            Err(_) => report(Progress::Failed(&format!(
                "Blob download '{shown}' (id: {id}) failed"
            ))),
        }
        r
    };
    let errors: Vec<Error> = crate::progress::run_pool(todo, workers, download_one)
        .into_iter()
        .flatten()
        .filter_map(|r| r.err())
        .collect();
    if !errors.is_empty() {
        return Err(Error::Multi(errors));
    }
    Ok(())
}

/// Downloads into a temp file at the top of `blobs/`, checks it, and renames it to `path`
/// through the directory's handle (no symlink followed on the way). Should `blobs` be
/// swapped for a symlink while the download runs, the temp file (a new name, never an
/// existing file) lands there, the rename through the handle finds nothing and the temp
/// file is deleted again: nothing outside is overwritten or kept.
fn download(
    bs: &Blobstore,
    id: &str,
    rec: &BlobRecord,
    blobs: &beneath::Dir,
    path: &RelPath,
    digests: &DigestCache,
) -> Result<()> {
    let dest = path.under(blobs.path());
    let tmp = atomic::temp_file_in(blobs.path())?;
    let got = bs.get_verified(id, &rec.sha, tmp.path())?;
    let tmp = tmp.into_temp_path();
    let tmp_name = tmp
        .file_name()
        .expect("a temp file has a name")
        .to_string_lossy()
        .into_owned();
    blobs
        .rename_into(&tmp_name, path)
        .map_err(|e| Error::io("rename into", &dest, &e))?;
    // renamed away: nothing left to delete
    let _ = tmp.keep();
    // Just verified: the next sync needs no second read of it.
    digests.remember(&dest, &got);
    Ok(())
}

/// Uploads every blob without an object id, `workers` at a time. Each local file is checked
/// against blobs.yml before it goes up, and blobs.yml is rewritten (atomically) as soon as
/// each upload finishes, so an interrupted run keeps everything it uploaded.
pub fn upload(root: &Path, workers: usize, report: Report) -> Result<()> {
    let dir = ReleaseDir::new(root);
    let idx = dir.blobs_index()?;
    let pending: Vec<(RelPath, BlobRecord)> = idx
        .0
        .iter()
        .filter(|(_, r)| r.object_id.is_none())
        .map(|(p, r)| (p.clone(), r.clone()))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let bs = Blobstore::for_release(&dir);
    let digests = DigestCache::open(&DigestCache::file_for(dir.root()));
    let index = std::sync::Mutex::new(idx);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .build()
        .map_err(|e| Error::msg(format!("starting workers: {e}")))?;
    let results: Vec<Result<()>> = pool.install(|| {
        pending
            .par_iter()
            .map(|(path, rec)| {
                // the key as blobs.yml writes it, as the CLI prints it
                let shown = index
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .key(path)
                    .to_string();
                report(Progress::Line(&format!(
                    "Blob upload '{shown}' ({}) (sha1: {}) started",
                    crate::size::si(rec.size),
                    rec.sha
                )));
                let uploaded = (|| -> Result<String> {
                    let bs = bs.as_ref().map_err(|e| Error::msg(e.to_string()))?;
                    let file = path.under(&dir.blobs_dir());
                    // opened once, through `blobs/`'s handle and without following a
                    // symlink; hashed and sent from that same open file
                    let f = open_blobs(&dir, false)
                        .and_then(|d| d.open_file(path))
                        .map_err(|e| Error::io("open", &file, &e))?;
                    let want: crate::digest::MultiDigest = rec.sha.parse()?;
                    let got = digests
                        .digest_open(&file, &f, want.strongest().algo())
                        .map_err(|e| Error::io("read", &file, &e))?;
                    if &got != want.strongest() {
                        return Err(Error::msg(format!(
                            "local blob '{}' has digest '{got}' but blobs.yml records '{}': run add-blob again",
                            file.display(),
                            rec.sha
                        )));
                    }
                    bs.put(&open_file_path(&f, &file), Some(&rec.sha))
                })()
                .map_err(|e| e.context(format!("Creating blob for path '{shown}'")));
                match uploaded {
                    Ok(id) => {
                        let oid = Name::new(id.clone()).map_err(|e| {
                            Error::msg(format!("the blobstore answered an object id {e}"))
                        })?;
                        let mut idx = index.lock().expect("blobs.yml lock");
                        if let Some(r) = idx.0.get_mut(path) {
                            r.object_id = Some(oid);
                        }
                        atomic::write(&dir.blobs_yml(), idx.to_yaml().as_bytes())?;
                        report(Progress::Line(&format!(
                            "Blob upload '{shown}' (id: {id}) finished"
                        )));
                        Ok(())
                    }
                    Err(e) => {
                        report(Progress::Failed(&format!("Blob upload '{shown}' failed")));
                        Err(e)
                    }
                }
            })
            .collect()
    });
    digests.save();
    crate::error::collect(results, "Uploading blobs").map(|_| ())
}

/// A path that names the already open `f` itself, for providers that take a path. On Linux,
/// `/proc/self/fd/N` reopens that very file (at offset 0), whatever is at its name in
/// `blobs/` by then. Elsewhere `/dev/fd/N` would share the hashed file's offset, so the
/// blob's path is used: it was just opened without following a symlink.
fn open_file_path(f: &fs::File, path: &Path) -> std::path::PathBuf {
    if cfg!(target_os = "linux") {
        use std::os::fd::AsRawFd;
        std::path::PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()))
    } else {
        path.to_path_buf()
    }
}
