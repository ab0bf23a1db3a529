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
    let mut jobs = Vec::new();
    for j in &mut m.jobs {
        let (file, sha1) = digest_of(&format!("jobs/{}.tgz", j.name))?;
        j.sha1 = sha1.clone();
        jobs.push(Inner {
            name: j.name.clone(),
            file,
            sha1,
        });
    }
    let mut packages = Vec::new();
    for p in &mut m.packages {
        let (file, sha1) = digest_of(&format!("packages/{}.tgz", p.name))?;
        p.sha1 = sha1.clone();
        packages.push(Inner {
            name: p.name.clone(),
            file,
            sha1,
        });
    }
    let mut compiled = Vec::new();
    for p in &mut m.compiled_packages {
        let (file, sha1) = digest_of(&format!("compiled_packages/{}.tgz", p.name))?;
        p.sha1 = sha1.clone();
        compiled.push(Inner {
            name: p.name.clone(),
            file,
            sha1,
        });
    }
    let license = match &mut m.license {
        Some(l) => {
            let (file, sha1) = digest_of("license.tgz")?;
            l.sha1 = sha1.clone();
            Some(Inner {
                name: "license".into(),
                file,
                sha1,
            })
        }
        None => None,
    };
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
