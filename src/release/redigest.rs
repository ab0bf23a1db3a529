//! `sha1ify-release` / `sha2ify-release`: rewrite a release tarball's archive digests in
//! another algorithm, after checking the old ones. Fingerprints never change (spec: §3).

use std::path::Path;

use super::open;
use super::tarball::{self, Inner};
use super::Summary;
use crate::digest::{Algo, Digest};
use crate::digest_cache::DigestCache;
use crate::error::{Error, Result};
use crate::manifest::release_mf::ReleaseManifest;

pub fn redigest(src: &Path, dest: &Path, algo: Algo) -> Result<Summary> {
    let t = open::open(src, true)?;
    let digests = DigestCache::in_memory();
    let digest_of = |inner: &str| -> Result<(std::path::PathBuf, String)> {
        let file = t.archive(inner)?.clone();
        let d = Digest::of_file(algo, &file).map_err(|e| Error::io("open", &file, &e))?;
        digests.remember(&file, &d);
        Ok((file, d.to_string()))
    };
    let mut m: ReleaseManifest = t.manifest.clone();
    let redo = |inner: String, name: &str, sha1: &mut String| -> Result<Inner> {
        let (file, digest) = digest_of(&inner)?;
        *sha1 = digest.clone();
        Ok(Inner {
            name: name.to_string(),
            file,
            sha1: digest,
        })
    };
    let jobs = m
        .jobs
        .iter_mut()
        .map(|j| redo(format!("jobs/{}.tgz", j.name), &j.name, &mut j.sha1))
        .collect::<Result<Vec<_>>>()?;
    let packages = m
        .packages
        .iter_mut()
        .map(|p| redo(format!("packages/{}.tgz", p.name), &p.name, &mut p.sha1))
        .collect::<Result<Vec<_>>>()?;
    let compiled = m
        .compiled_packages
        .iter_mut()
        .map(|p| {
            redo(
                format!("compiled_packages/{}.tgz", p.name),
                &p.name,
                &mut p.sha1,
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let license = m
        .license
        .as_mut()
        .map(|l| redo("license.tgz".into(), "license", &mut l.sha1))
        .transpose()?;
    tarball::write(
        dest,
        &digests,
        &m,
        &jobs,
        &packages,
        &compiled,
        license.as_ref(),
        true,
    )?;
    Ok(Summary {
        manifest: m,
        archive: Some(dest.to_path_buf()),
    })
}
