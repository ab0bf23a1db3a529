//! Turns a resource into its archive: reused from the dev or final index (and the archive
//! cache) when its fingerprint is known, otherwise streamed straight from the source files into
//! a deterministic tgz while being hashed (spec: release-format §5, §10.2–10.4). Packages with
//! a `pre_packaging` script are the one case that needs a staging copy: the script edits it.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::cache::ArchiveCache;
use super::source::Resource;
use crate::archive::{Entry, EntrySource, TarWriter};
use crate::digest::{Algo, HashingWriter};
use crate::digest_cache::DigestCache;
use crate::error::{Error, Result};
use crate::fingerprint::Source;
use crate::layout::{Kind, ReleaseDir};
use crate::manifest::index::{Index, IndexEntry};
use crate::progress::{Progress, Report};
use crate::provider::Blobstore;

/// A resource with its archive in the cache.
#[derive(Debug, Clone)]
pub struct Built {
    pub kind: Kind,
    pub name: String,
    pub fingerprint: String,
    /// Archive digest string (the `sha1` field of indexes and release.MF).
    pub sha1: String,
    pub archive: PathBuf,
    pub dependencies: Vec<String>,
    /// Built by this run (as opposed to found in an index).
    pub new: bool,
}

/// Where to look for an existing build, in the CLI's order: dev index, then final index.
pub struct Indexes<'a> {
    pub dev: &'a Index,
    pub fin: &'a Index,
    pub blobstore: Option<&'a Blobstore>,
}

impl Built {
    fn of(res: &Resource, sha1: &str, archive: PathBuf, new: bool) -> Built {
        Built {
            kind: res.kind,
            name: res.name.clone(),
            fingerprint: res.fingerprint.clone(),
            sha1: sha1.to_string(),
            archive,
            dependencies: res.dependencies.clone(),
            new,
        }
    }
}

/// The existing build of `res`, if the dev or final index knows its fingerprint. A final
/// build missing from the cache is downloaded from the blobstore and verified, with the
/// CLI's `-- Started/Finished downloading` lines, and `-- Failed downloading` (an error
/// line, on stderr for scripts too) before the error.
pub fn reuse(
    res: &Resource,
    cache: &ArchiveCache,
    idx: &Indexes,
    report: Report,
) -> Result<Option<Built>> {
    if let Some(sha1) = idx
        .dev
        .0
        .get(&res.fingerprint)
        .and_then(|e| e.sha1.as_deref())
    {
        if let Some(p) = cache.get_prior(sha1) {
            return Ok(Some(Built::of(res, sha1, p, false)));
        }
    }
    if let Some(e) = idx.fin.0.get(&res.fingerprint) {
        if let Some(sha1) = e.sha1.as_deref() {
            if let Some(p) = cache.get_prior(sha1) {
                return Ok(Some(Built::of(res, sha1, p, false)));
            }
            if let (Some(bs), Some(id)) = (idx.blobstore, e.blobstore_id.as_deref()) {
                let what = format!("'{}/{}' (sha1={sha1})", res.name, res.fingerprint);
                report(Progress::Line(&format!("-- Started downloading {what}")));
                if let Err(err) = fetch_final(bs, id, sha1, cache) {
                    // The CLI's error line ends in a newline of its own: an empty line
                    // follows it on stderr, and its JSON entry keeps it.
                    report(Progress::Failed(&format!("-- Failed downloading {what}\n")));
                    return Err(err.context(format!(
                        "Downloading blob '{id}' with digest string '{sha1}'"
                    )));
                }
                report(Progress::Line(&format!("-- Finished downloading {what}")));
                return Ok(Some(Built::of(res, sha1, cache.path(sha1)?, false)));
            }
        }
    }
    if res.files.is_empty() && res.kind == Kind::Package {
        return Err(Error::msg(format!(
            "Expected to find '{}/{}'",
            res.name, res.fingerprint
        )));
    }
    Ok(None)
}

/// Builds the archive of `res` into the cache.
/// The archive's digest is remembered in `digests`, so writing it into a tarball later needs
/// no second read to verify it.
pub fn build(
    dir: &ReleaseDir,
    res: &Resource,
    algo: Algo,
    level: u32,
    cache: &ArchiveCache,
    digests: &DigestCache,
) -> Result<Built> {
    let (sha1, archive) = build_archive(dir, res, algo, level, cache)?;
    if let Ok(d) = sha1.parse() {
        digests.remember(&archive, &d);
    }
    Ok(Built::of(res, &sha1, archive, true))
}

/// Downloads a final build into the cache, verified before it becomes visible.
pub fn fetch_final(bs: &Blobstore, id: &str, sha1: &str, cache: &ArchiveCache) -> Result<()> {
    let tmp = cache.temp()?;
    bs.get_verified(id, sha1, tmp.path())?;
    cache.commit(tmp, sha1)?;
    Ok(())
}

fn build_archive(
    dir: &ReleaseDir,
    res: &Resource,
    algo: Algo,
    level: u32,
    cache: &ArchiveCache,
) -> Result<(String, PathBuf)> {
    let staging;
    let entries = match &res.pre_packaging {
        Some(script) => {
            staging = tempfile::tempdir()
                .map_err(|e| Error::msg(format!("creating staging dir: {e}")))?;
            stage(res, staging.path())?;
            run_pre_packaging(script, staging.path(), dir.root(), &res.name)?;
            fs::remove_file(staging.path().join("pre_packaging"))
                .map_err(|e| Error::io("remove", &staging.path().join("pre_packaging"), &e))?;
            entries_of_tree(staging.path())?
        }
        None => entries_of_resource(res)?,
    };
    let tmp = cache.temp()?;
    let file = tmp
        .reopen()
        .map_err(|e| Error::io("open", tmp.path(), &e))?;
    let hashing = HashingWriter::new(std::io::BufWriter::with_capacity(256 * 1024, file), algo);
    let mut tar = TarWriter::new(hashing, (!res.no_compression).then_some(level), true)
        .map_err(|e| Error::io("write", tmp.path(), &e))?;
    for e in &entries {
        tar.append(e).map_err(|err| {
            let src = match &e.source {
                EntrySource::File(p) => p.clone(),
                _ => PathBuf::from(&e.path),
            };
            Error::io("archiving", &src, &err)
        })?;
    }
    let hashing = tar
        .finish()
        .map_err(|e| Error::io("write", tmp.path(), &e))?;
    let (buf, digest, _) = hashing.finish();
    // Not fsynced: cached archives are verified by digest whenever they are reused.
    buf.into_inner()
        .map_err(|e| Error::io("write", tmp.path(), e.error()))?;
    let sha1 = digest.to_string();
    let path = cache.commit(tmp, &sha1)?;
    Ok((sha1, path))
}

fn file_mode(meta: &fs::Metadata) -> u32 {
    if meta.permissions().mode() & 0o100 != 0 {
        0o755
    } else {
        0o644
    }
}

/// Archive entries straight from the resource's source files, with their parent directories.
fn entries_of_resource(res: &Resource) -> Result<Vec<Entry>> {
    let mut files = Vec::new();
    for f in &res.files {
        let Source::Disk(path) = &f.source else {
            return Err(Error::msg(format!(
                "Blob '{}' of package '{}' is not in blobs/: run sync-blobs first",
                f.name, res.name
            )));
        };
        let name = if f.use_basename {
            f.name.rsplit('/').next().unwrap_or(&f.name).to_string()
        } else {
            f.name.clone()
        };
        let lmeta = fs::symlink_metadata(path).map_err(|e| Error::io("lstat", path, &e))?;
        let entry = if lmeta.file_type().is_symlink() && res.kind != Kind::Job {
            let target = fs::read_link(path).map_err(|e| Error::io("readlink", path, &e))?;
            Entry {
                path: name,
                mode: 0o777,
                source: EntrySource::Symlink(target),
            }
        } else {
            Entry {
                path: name,
                mode: file_mode(&lmeta),
                source: EntrySource::File(path.clone()),
            }
        };
        files.push(entry);
    }
    Ok(with_dirs(files))
}

/// Adds the root and every parent directory, then sorts so directories precede contents.
fn with_dirs(files: Vec<Entry>) -> Vec<Entry> {
    let mut dirs = BTreeSet::new();
    dirs.insert(String::new());
    for f in &files {
        let mut p = f.path.as_str();
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            dirs.insert(p.to_string());
        }
    }
    let mut all: Vec<Entry> = dirs
        .into_iter()
        .map(|d| Entry {
            path: d,
            mode: 0o755,
            source: EntrySource::Dir,
        })
        .chain(files)
        .collect();
    all.sort_by(|a, b| a.path.split('/').cmp(b.path.split('/')));
    all
}

/// Copies a package's files into `staging` under their names, keeping symlinks as symlinks.
fn stage(res: &Resource, staging: &Path) -> Result<()> {
    for f in &res.files {
        let Source::Disk(src) = &f.source else {
            continue;
        };
        let dest = staging.join(&f.name);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("mkdir", parent, &e))?;
        }
        let meta = fs::symlink_metadata(src).map_err(|e| Error::io("lstat", src, &e))?;
        if meta.file_type().is_symlink() {
            let target = fs::read_link(src).map_err(|e| Error::io("readlink", src, &e))?;
            std::os::unix::fs::symlink(target, &dest)
                .map_err(|e| Error::io("symlink", &dest, &e))?;
        } else {
            fs::copy(src, &dest).map_err(|e| Error::io("copy", src, &e))?;
            fs::set_permissions(&dest, fs::Permissions::from_mode(file_mode(&meta)))
                .map_err(|e| Error::io("chmod", &dest, &e))?;
        }
    }
    Ok(())
}

fn run_pre_packaging(script: &Path, staging: &Path, release_dir: &Path, name: &str) -> Result<()> {
    tracing::debug!(package = name, script = %script.display(), "running pre_packaging");
    let out = Command::new("bash")
        .arg("-x")
        .arg(script)
        .current_dir(staging)
        .env("BUILD_DIR", staging)
        .env("RELEASE_DIR", release_dir)
        .output()
        .map_err(|e| {
            Error::msg(format!(
                "Running pre_packaging of package '{name}': starting bash: {e}"
            ))
        })?;
    if !out.status.success() {
        return Err(Error::msg(format!(
            "Running pre_packaging of package '{name}' ({}) failed with {}:\n{}{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

/// Every entry of a staging tree (symlinks not followed), sorted.
fn entries_of_tree(root: &Path) -> Result<Vec<Entry>> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(root).min_depth(1).sort_by_file_name() {
        let e = e.map_err(|e| Error::msg(format!("walking {}: {e}", root.display())))?;
        let rel = e
            .path()
            .strip_prefix(root)
            .expect("walkdir yields paths under its root")
            .to_string_lossy()
            .into_owned();
        let ft = e.file_type();
        if ft.is_dir() {
            continue;
        }
        let meta = e
            .metadata()
            .map_err(|err| Error::msg(format!("{}: {err}", e.path().display())))?;
        files.push(if ft.is_symlink() {
            Entry {
                path: rel,
                mode: 0o777,
                source: EntrySource::Symlink(
                    fs::read_link(e.path()).map_err(|err| Error::io("readlink", e.path(), &err))?,
                ),
            }
        } else {
            Entry {
                path: rel,
                mode: file_mode(&meta),
                source: EntrySource::File(e.path().to_path_buf()),
            }
        });
    }
    Ok(with_dirs(files))
}

/// The index entry recorded for a build.
pub fn index_entry(b: &Built, blobstore_id: Option<String>) -> IndexEntry {
    IndexEntry {
        version: b.fingerprint.clone(),
        blobstore_id,
        sha1: Some(b.sha1.clone()),
    }
}
