//! Reads a release tarball: its `release.MF` and, when asked, its inner archives extracted
//! to a temp dir and checked against the digests the manifest records.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor, VisitError};
use crate::digest::{Digest, MultiDigest};
use crate::error::{Error, Result};
use crate::manifest::release_mf::ReleaseManifest;

pub struct OpenedTarball {
    pub manifest: ReleaseManifest,
    /// Inner archive path in the tarball (`jobs/x.tgz`) → extracted file.
    pub files: HashMap<String, PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

/// An inner archive that could not be copied out of the tarball to be verified.
#[derive(Debug, thiserror::Error)]
#[error("extracting {entry}: {source}")]
pub struct ExtractError {
    pub entry: String,
    #[source]
    pub source: io::Error,
}

struct Collect {
    manifest: Option<String>,
    extract_to: Option<PathBuf>,
    files: HashMap<String, PathBuf>,
}

impl EntryVisitor for Collect {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        let name = info.name.as_str();
        if info.kind != EntryKind::File {
            return Ok(());
        }
        if name == "release.MF" {
            let s = crate::manifest::yaml::read_capped(
                data,
                Path::new("release.MF"),
                crate::manifest::yaml::MAX_MANIFEST_BYTES,
            )
            .map_err(VisitError::refuse)?;
            self.manifest = Some(s);
        } else if let Some(dir) = &self.extract_to {
            if name.ends_with(".tgz") {
                let dest = dir.join(self.files.len().to_string());
                let failed = |source: io::Error| {
                    VisitError::refuse(ExtractError {
                        entry: name.to_string(),
                        source,
                    })
                };
                let mut f = File::create(&dest).map_err(failed)?;
                io::copy(data, &mut f).map_err(failed)?;
                self.files.insert(name.to_string(), dest);
            }
        }
        Ok(())
    }
}

/// Opens a tarball; with `extract`, inner archives are extracted and verified.
pub fn open(path: &Path, extract: bool) -> Result<OpenedTarball> {
    std::fs::metadata(path).map_err(|e| Error::io("stat", path, &e))?;
    let dir = if extract {
        Some(tempfile::tempdir().map_err(|e| Error::msg(format!("creating temp dir: {e}")))?)
    } else {
        None
    };
    let mut c = Collect {
        manifest: None,
        extract_to: dir.as_ref().map(|d| d.path().to_path_buf()),
        files: HashMap::new(),
    };
    archive::read_entries(path, &mut c).map_err(|e| {
        Error::from(e).context(format!("Reading release tarball '{}'", path.display()))
    })?;
    let text = c.manifest.ok_or_else(|| {
        Error::msg(format!(
            "Release tarball '{}' has no release.MF",
            path.display()
        ))
    })?;
    let manifest = ReleaseManifest::parse(&path.join("release.MF"), &text)?;
    let opened = OpenedTarball {
        manifest,
        files: c.files,
        _dir: dir,
    };
    if extract {
        opened.verify()?;
    }
    Ok(opened)
}

impl OpenedTarball {
    /// Path of the inner archive for a resource, by its kind directory and name.
    pub fn archive(&self, inner_path: &str) -> Result<&PathBuf> {
        self.files
            .get(inner_path)
            .ok_or_else(|| Error::msg(format!("Release tarball is missing '{inner_path}'")))
    }

    fn verify(&self) -> Result<()> {
        let m = &self.manifest;
        let mut checks: Vec<(String, &str)> = Vec::new();
        checks.extend(
            m.jobs
                .iter()
                .map(|j| (format!("jobs/{}.tgz", j.name), j.sha1.as_str())),
        );
        checks.extend(
            m.packages
                .iter()
                .map(|p| (format!("packages/{}.tgz", p.name), p.sha1.as_str())),
        );
        checks.extend(
            m.compiled_packages
                .iter()
                .map(|p| (format!("compiled_packages/{}.tgz", p.name), p.sha1.as_str())),
        );
        if let Some(l) = &m.license {
            checks.push(("license.tgz".into(), l.sha1.as_str()));
        }
        for (inner, sha1) in checks {
            let file = self.archive(&inner)?;
            let want: MultiDigest = sha1.parse()?;
            let want = want.strongest();
            let got =
                Digest::of_file(want.algo(), file).map_err(|e| Error::io("open", file, &e))?;
            if &got != want {
                return Err(Error::msg(format!(
                    "'{inner}' has digest '{got}' but release.MF records '{want}'"
                )));
            }
        }
        Ok(())
    }
}
