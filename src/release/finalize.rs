//! `finalize-release`: records a release tarball as a final release, uploading every archive
//! the final index does not have yet (spec: §9).

use std::path::PathBuf;

use super::build::{fetch_final, Built};
use super::cache::ArchiveCache;
use super::create::{final_version, upload_new};
use super::git::GitState;
use super::indexes;
use super::open;
use super::Summary;
use crate::error::{Context, Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::release_mf::ReleaseManifest;
use crate::progress::{Progress, Report};
use crate::provider::Blobstore;

#[derive(Debug, Clone)]
pub struct FinalizeOptions {
    pub dir: PathBuf,
    pub tarball: PathBuf,
    pub name: Option<String>,
    pub version: Option<String>,
    pub force: bool,
    /// Upload workers (`--parallel`, the CLI's default 5), each stopping at its first failure.
    pub parallel: usize,
}

pub fn finalize(opts: &FinalizeOptions, report: Report) -> Result<Summary> {
    let dir = ReleaseDir::new(&opts.dir);
    let opened = open::open(&opts.tarball, true)?;
    GitState::read(dir.root()).check_clean(opts.force)?;
    let m = &opened.manifest;
    let name = opts.name.clone().unwrap_or_else(|| m.name.clone());
    let version = final_version(&dir, &name, opts.version.as_deref())?;
    let bs = Blobstore::for_release(&dir).context("Finalizing release")?;

    // Archives go into the shared cache, as the CLI keeps them, then up to the blobstore.
    let cache = ArchiveCache::user();
    let mut built = Vec::new();
    let mut add = |kind: Kind,
                   name: &str,
                   fp: &str,
                   sha1: &str,
                   inner: String,
                   deps: &[String]|
     -> Result<()> {
        // A build the final index already has is that build, as the CLI takes it: from the
        // cache, else downloaded from the blobstore (which checks it is there); the
        // tarball's copy only for the new ones.
        let fin = indexes::build_index(&dir, Stage::Final, kind, name)?;
        let known = fin
            .0
            .get(fp)
            .and_then(|e| Some((e.sha1.clone()?, e.blobstore_id.clone())));
        let (sha1, archive) = match known {
            Some((fsha, id)) => match (cache.get(&fsha), id) {
                (Some(p), _) => (fsha, p),
                (None, Some(id)) => {
                    let what = format!("'{name}/{fp}' (sha1={fsha})");
                    report(Progress::Line(&format!("-- Started downloading {what}")));
                    if let Err(e) = fetch_final(&bs, &id, &fsha, &cache) {
                        report(Progress::Failed(&format!("-- Failed downloading {what}\n")));
                        return Err(e.context(format!(
                            "Downloading blob '{id}' with digest string '{fsha}'"
                        )));
                    }
                    report(Progress::Line(&format!("-- Finished downloading {what}")));
                    let p = cache.path(&fsha)?;
                    (fsha, p)
                }
                (None, None) => {
                    return Err(Error::msg(format!(
                        "Cannot find blob named '{name}/{fp}' with SHA1 '{fsha}'"
                    )))
                }
            },
            None => {
                let src = opened.archive(&inner)?;
                let archive = match cache.get(sha1) {
                    Some(p) => p,
                    None => {
                        let tmp = cache.temp()?;
                        std::fs::copy(src, tmp.path()).map_err(|e| Error::io("copy", src, &e))?;
                        cache.commit(tmp, sha1)?
                    }
                };
                (sha1.to_string(), archive)
            }
        };
        built.push(Built {
            kind,
            name: name.to_string(),
            fingerprint: fp.to_string(),
            sha1,
            archive,
            dependencies: deps.to_vec(),
            new: false,
        });
        Ok(())
    };
    for j in &m.jobs {
        add(
            Kind::Job,
            &j.name,
            &j.fingerprint,
            &j.sha1,
            format!("jobs/{}.tgz", j.name),
            j.packages.as_deref().unwrap_or(&[]),
        )?;
    }
    for p in &m.packages {
        add(
            Kind::Package,
            &p.name,
            &p.fingerprint,
            &p.sha1,
            format!("packages/{}.tgz", p.name),
            &p.dependencies,
        )?;
    }
    if let Some(l) = &m.license {
        add(
            Kind::License,
            "license",
            &l.fingerprint,
            &l.sha1,
            "license.tgz".into(),
            &[],
        )?;
    }
    let line = |s: &str| report(Progress::Line(s));
    let entries = upload_new(&dir, &built, &bs, opts.parallel, report)?;
    let mut manifest = ReleaseManifest {
        name: name.clone(),
        version,
        ..m.clone()
    };
    // the digests of the builds recorded, as the CLI records them
    let digest_of = |kind: Kind, name: &str| {
        built
            .iter()
            .find(|b| b.kind == kind && b.name == name)
            .map(|b| b.sha1.clone())
    };
    for j in &mut manifest.jobs {
        if let Some(d) = digest_of(Kind::Job, &j.name) {
            j.sha1 = d;
        }
    }
    for p in &mut manifest.packages {
        if let Some(d) = digest_of(Kind::Package, &p.name) {
            p.sha1 = d;
        }
    }
    if let Some(l) = &mut manifest.license {
        if let Some(d) = digest_of(Kind::License, "license") {
            l.sha1 = d;
        }
    }
    indexes::add_builds(&dir, Stage::Final, &entries)?;
    indexes::add_release(&dir, Stage::Final, &manifest)?;
    line(&format!(
        "\nAdded final release '{}/{}'\n",
        manifest.name, manifest.version
    ));
    Ok(Summary {
        manifest,
        archive: Some(opts.tarball.clone()),
    })
}
