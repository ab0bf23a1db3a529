//! The outer release tarball: `release.MF`, `jobs/`, `packages/`, `compiled_packages/`,
//! `license.tgz` and the license files lifted out of it, in the CLI's order and modes
//! (spec: §10.1). Inner archives are copied from the cache and re-hashed on the way, so a
//! corrupted cache entry can never end up in a tarball under a digest it does not have.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::archive::{
    self, Entry, EntryInfo, EntryKind, EntrySource, EntryVisitor, TarWriter, VisitError,
};
use crate::atomic::AtomicFile;
use crate::digest::Digest;
use crate::digest_cache::DigestCache;
use crate::error::{Error, Result};
use crate::manifest::release_mf::ReleaseManifest;

/// One inner archive: its path in the tarball, the cached file and its expected digest.
#[derive(Debug, Clone)]
pub struct Inner {
    pub name: String,
    pub file: PathBuf,
    pub sha1: String,
}

/// `digests` vouches for archives bale wrote or verified before; others are hashed while
/// they are copied.
#[allow(clippy::too_many_arguments)]
pub fn write(
    dest: &Path,
    digests: &DigestCache,
    manifest: &ReleaseManifest,
    jobs: &[Inner],
    packages: &[Inner],
    compiled: &[Inner],
    license: Option<&Inner>,
    gzip: bool,
) -> Result<()> {
    let mut out = AtomicFile::create(dest)?;
    let werr = |e: io::Error| Error::io("write", dest, &e);
    {
        let buf = io::BufWriter::with_capacity(1 << 20, &mut out);
        let mut tar = TarWriter::new(buf, gzip.then_some(archive::DEFAULT_LEVEL), false)
            .map_err(werr)?
            .prefetch(true);
        tar.append(&Entry {
            path: "release.MF".into(),
            mode: 0o644,
            source: EntrySource::Bytes(manifest.to_yaml().into_bytes()),
        })
        .map_err(werr)?;
        for (dir, items) in [
            ("jobs", jobs),
            ("packages", packages),
            ("compiled_packages", compiled),
        ] {
            if items.is_empty() {
                continue;
            }
            tar.append(&Entry {
                path: dir.into(),
                mode: 0o755,
                source: EntrySource::Dir,
            })
            .map_err(werr)?;
            for it in items {
                append_verified(&mut tar, &format!("{dir}/{}.tgz", it.name), it, digests)?;
            }
        }
        if let Some(l) = license {
            append_verified(&mut tar, "license.tgz", l, digests)?;
            for (name, mode, data) in license_files(&l.file)? {
                tar.append(&Entry {
                    path: name,
                    mode,
                    source: EntrySource::Bytes(data),
                })
                .map_err(werr)?;
            }
        }
        let mut buf = tar.finish().map_err(werr)?;
        buf.flush().map_err(werr)?;
    }
    out.commit_unsynced()?;
    Ok(())
}

/// Streams a cached archive into the tarball, hashing it in the same pass; a mismatch fails
/// the whole write, so the half-written tarball is discarded.
fn append_verified<W: Write>(
    tar: &mut TarWriter<W>,
    path: &str,
    it: &Inner,
    digests: &DigestCache,
) -> Result<()> {
    let want: Digest = it.sha1.parse()?;
    if digests.known(&it.file, want.algo()).as_ref() == Some(&want) {
        return tar
            .append(&Entry {
                path: path.into(),
                mode: 0o600,
                source: EntrySource::File(it.file.clone()),
            })
            .map_err(|e| Error::io("archiving", &it.file, &e));
    }
    let got = tar
        .append_file_hashed(path, 0o600, &it.file, want.algo())
        .map_err(|e| Error::io("archiving", &it.file, &e))?;
    if got != want {
        return Err(Error::msg(format!(
            "Cached archive '{}' for '{}' has digest '{got}', expected '{want}': delete it and run create-release again",
            it.file.display(),
            it.name
        )));
    }
    digests.remember(&it.file, &got);
    Ok(())
}

struct LicenseFiles(Vec<(String, u32, Vec<u8>)>);

impl EntryVisitor for LicenseFiles {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        let name = info.name.as_str();
        if info.kind == EntryKind::File
            && !name.contains('/')
            && (name.starts_with("LICENSE") || name.starts_with("NOTICE"))
        {
            let mut v = Vec::new();
            data.read_to_end(&mut v)?;
            self.0.push((name.to_string(), 0o644, v));
        }
        Ok(())
    }
}

/// Top-level LICENSE* then NOTICE* files of a license archive, each group sorted.
fn license_files(license_tgz: &Path) -> Result<Vec<(String, u32, Vec<u8>)>> {
    let mut v = LicenseFiles(Vec::new());
    archive::read_entries(license_tgz, &mut v)?;
    let mut files = v.0;
    files.sort_by(|a, b| {
        let group = |n: &str| if n.starts_with("LICENSE") { 0 } else { 1 };
        (group(&a.0), &a.0).cmp(&(group(&b.0), &b.0))
    });
    Ok(files)
}
