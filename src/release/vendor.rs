//! `vendor-package`: copy a package and everything it depends on from another release
//! directory into this one as final builds, leaving `packages/<name>/spec.lock` behind
//! (spec: §9). The source release's newest dev or final release is the one vendored.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::build::{fetch_final, Built};
use super::cache::ArchiveCache;
use super::create::upload_new;
use super::indexes;
use super::Report;
use crate::atomic;
use crate::error::{Context, Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::package_spec::SpecLock;
use crate::manifest::release_mf::ReleaseManifest;
use crate::progress::Progress;
use crate::provider::Blobstore;

#[derive(Debug, Clone)]
pub struct VendorOptions<'a> {
    pub dir: &'a Path,
    pub src_dir: &'a Path,
    pub package: &'a str,
    pub prefix: Option<&'a str>,
}

/// Returns the names (prefixed) of the packages vendored.
pub fn vendor(opts: &VendorOptions, report: Report) -> Result<Vec<String>> {
    let dir = ReleaseDir::new(opts.dir);
    let src = ReleaseDir::new(opts.src_dir);
    let name = src.release_name(None)?;
    let newest = [Stage::Dev, Stage::Final]
        .into_iter()
        .filter_map(|s| Some((indexes::latest_version(&src, s, &name).ok()??, s)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .ok_or_else(|| {
            Error::msg(format!(
                "Expected to find a dev or final release of '{name}' in '{}': run create-release there first",
                src.root().display()
            ))
        })?;
    let manifest =
        ReleaseManifest::load(&src.release_manifest(newest.1, &name, &newest.0.to_string()))?;

    let mut wanted = BTreeSet::new();
    let mut todo = vec![opts.package.to_string()];
    while let Some(p) = todo.pop() {
        let pkg = manifest
            .packages
            .iter()
            .find(|q| q.name == p)
            .ok_or_else(|| Error::msg(format!("Expected to find package '{p}'")))?;
        if wanted.insert(p.clone()) {
            todo.extend(pkg.dependencies.iter().cloned());
        }
    }
    let rename = |n: &str| match opts.prefix {
        Some(pre) => format!("{pre}-{n}"),
        None => n.to_string(),
    };

    let cache = ArchiveCache::user();
    let src_bs = Blobstore::for_release(&src).ok();
    let mut built = Vec::new();
    for p in manifest
        .packages
        .iter()
        .filter(|p| wanted.contains(&p.name))
    {
        if cache.get(&p.sha1).is_none() {
            let fin = indexes::build_index(&src, Stage::Final, Kind::Package, &p.name)?;
            match (
                fin.0
                    .get(&p.fingerprint)
                    .and_then(|e| e.blobstore_id.clone()),
                &src_bs,
            ) {
                (Some(id), Some(bs)) => fetch_final(bs, &id, &p.sha1, &cache)?,
                _ => {
                    return Err(Error::msg(format!(
                        "Expected to find '{}/{}'",
                        p.name, p.fingerprint
                    )))
                }
            }
        }
        built.push(Built {
            kind: Kind::Package,
            name: rename(&p.name),
            fingerprint: p.fingerprint.clone(),
            sha1: p.sha1.clone(),
            archive: cache.path(&p.sha1)?,
            dependencies: p.dependencies.iter().map(|d| rename(d)).collect(),
            new: false,
        });
    }

    let bs = Blobstore::for_release(&dir).context("Vendoring package")?;
    let entries = upload_new(&dir, &built, &bs, 5, &|p: Progress| report(p.text()))?;
    indexes::add_builds(&dir, Stage::Final, &entries)?;
    for b in &built {
        let pkg_dir = dir.packages_dir().join(&b.name);
        let lock = SpecLock {
            name: b.name.clone(),
            fingerprint: b.fingerprint.clone(),
            dependencies: Some(b.dependencies.clone()),
        };
        atomic::write(&pkg_dir.join("spec.lock"), lock.to_yaml().as_bytes())?;
        for e in fs::read_dir(&pkg_dir).map_err(|e| Error::io("open", &pkg_dir, &e))? {
            let p = e.map_err(|e| Error::io("read", &pkg_dir, &e))?.path();
            if p.file_name().is_some_and(|n| n != "spec.lock") {
                let r = if p.is_dir() {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                };
                r.map_err(|e| Error::io("remove", &p, &e))?;
            }
        }
    }
    Ok(built.into_iter().map(|b| b.name).collect())
}
