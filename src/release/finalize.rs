//! `finalize-release`: records a release tarball as a final release, uploading every archive
//! the final index does not have yet (spec: §9).

use std::path::PathBuf;

use super::build::Built;
use super::cache::ArchiveCache;
use super::create::{final_version, upload_new};
use super::git::GitState;
use super::indexes;
use super::open;
use super::{Report, Summary};
use crate::error::{Context, Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::release_mf::ReleaseManifest;
use crate::provider::Blobstore;

#[derive(Debug, Clone)]
pub struct FinalizeOptions {
    pub dir: PathBuf,
    pub tarball: PathBuf,
    pub name: Option<String>,
    pub version: Option<String>,
    pub force: bool,
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
        let src = opened.archive(&inner)?;
        let archive = match cache.get(sha1) {
            Some(p) => p,
            None => {
                let tmp = cache.temp()?;
                std::fs::copy(src, tmp.path()).map_err(|e| Error::io("copy", src, &e))?;
                cache.commit(tmp, sha1)?
            }
        };
        built.push(Built {
            kind,
            name: name.to_string(),
            fingerprint: fp.to_string(),
            sha1: sha1.to_string(),
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
    let entries = upload_new(&dir, &built, &bs, report)?;
    let manifest = ReleaseManifest {
        name: name.clone(),
        version,
        ..m.clone()
    };
    indexes::add_builds(&dir, Stage::Final, &entries)?;
    indexes::add_release(&dir, Stage::Final, &manifest)?;
    report(&format!(
        "\nAdded final release '{}/{}'\n",
        manifest.name, manifest.version
    ));
    Ok(Summary {
        manifest,
        archive: Some(opts.tarball.clone()),
    })
}
