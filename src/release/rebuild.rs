//! `create-release PATH`: a tarball from a recorded release manifest (`releases/…/x-1.yml`),
//! rebuilt from the archive cache and the indexes without fingerprinting anything, or the
//! summary (and optionally a copy) of an existing release tarball (spec: §9).

use std::path::{Path, PathBuf};

use super::build::fetch_final;
use super::cache::ArchiveCache;
use super::indexes;
use super::open;
use super::tarball::{self, Inner};
use super::Summary;
use crate::error::{Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::Blobstore;

/// Finds the archive file for (path in tarball, kind, name, fingerprint, digest).
type Lookup = Box<dyn Fn(&str, Kind, &str, &str, &str) -> Result<PathBuf>>;

pub fn rebuild(root: &Path, path: &Path, tarball: Option<&str>) -> Result<Summary> {
    if path.is_dir() {
        return Err(Error::msg(format!(
            "'{}' is a release directory: run create-release --dir {} instead",
            path.display(),
            path.display()
        )));
    }
    let dir = ReleaseDir::new(root);
    let is_manifest = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
    let (manifest, lookup): (ReleaseManifest, Lookup) = if is_manifest {
        let m = ReleaseManifest::load(&dir.root().join(path))
            .or_else(|_| ReleaseManifest::load(path))?;
        let cache = ArchiveCache::user();
        let bs = Blobstore::for_release(&dir).ok();
        let dir2 = dir.clone();
        (
            m,
            Box::new(move |_, kind, name, fp, sha1| {
                if let Some(p) = cache.get(sha1) {
                    return Ok(p);
                }
                let fin = indexes::build_index(&dir2, Stage::Final, kind, name)?;
                match (fin.0.get(fp).and_then(|e| e.blobstore_id.as_deref()), &bs) {
                    (Some(id), Some(bs)) => {
                        fetch_final(bs, id, sha1, &cache)?;
                        cache.path(sha1)
                    }
                    _ => Err(Error::msg(format!("Expected to find '{name}/{fp}'"))),
                }
            }),
        )
    } else {
        let t = open::open(path, tarball.is_some())?;
        let m = t.manifest.clone();
        (
            m,
            Box::new(move |inner, _, _, _, _| t.archive(inner).cloned()),
        )
    };
    let archive = match tarball {
        Some(t) => {
            let dest = PathBuf::from(
                t.replace("((name))", &manifest.name)
                    .replace("((version))", &manifest.version),
            );
            let inner =
                |kind: Kind, dirname: &str, items: Vec<(&str, &str, &str)>| -> Result<Vec<Inner>> {
                    items
                        .into_iter()
                        .map(|(name, fp, sha1)| {
                            let inner_path = format!("{dirname}/{name}.tgz");
                            Ok(Inner {
                                name: name.to_string(),
                                file: lookup(&inner_path, kind, name, fp, sha1)?,
                                sha1: sha1.to_string(),
                            })
                        })
                        .collect()
                };
            let m = &manifest;
            let jobs = inner(
                Kind::Job,
                "jobs",
                m.jobs
                    .iter()
                    .map(|j| (j.name.as_str(), j.fingerprint.as_str(), j.sha1.as_str()))
                    .collect(),
            )?;
            let pkgs = inner(
                Kind::Package,
                "packages",
                m.packages
                    .iter()
                    .map(|p| (p.name.as_str(), p.fingerprint.as_str(), p.sha1.as_str()))
                    .collect(),
            )?;
            let compiled = inner(
                Kind::Package,
                "compiled_packages",
                m.compiled_packages
                    .iter()
                    .map(|p| (p.name.as_str(), p.fingerprint.as_str(), p.sha1.as_str()))
                    .collect(),
            )?;
            let license = match &m.license {
                Some(l) => Some(Inner {
                    name: "license".into(),
                    file: lookup(
                        "license.tgz",
                        Kind::License,
                        "license",
                        &l.fingerprint,
                        &l.sha1,
                    )?,
                    sha1: l.sha1.clone(),
                }),
                None => None,
            };
            tarball::write(
                &dest,
                &crate::digest_cache::DigestCache::in_memory(),
                m,
                &jobs,
                &pkgs,
                &compiled,
                license.as_ref(),
                true,
            )?;
            Some(dest)
        }
        None => (!is_manifest).then(|| path.to_path_buf()),
    };
    Ok(Summary { manifest, archive })
}

/// The directory's newest release (dev, else final) rebuilt into `out_dir/NAME-VERSION.tgz`.
pub fn newest_tarball(dir: &Path, out_dir: &Path) -> Result<PathBuf> {
    let rd = ReleaseDir::new(dir);
    let name = rd.release_name(None)?;
    match indexes::newest_release(&rd, &name, &[Stage::Dev, Stage::Final])? {
        Some((_, v, manifest)) => {
            let out = out_dir.join(format!("{name}-{v}.tgz"));
            rebuild(dir, &manifest, Some(&out.to_string_lossy()))?;
            Ok(out)
        }
        None => Err(Error::msg(format!(
            "No release has been created in {} yet: run `bale create-release` first, or give a tarball",
            dir.display()
        ))),
    }
}
