//! The root file system a compile runs in when `--stemcell-tarball` names a warden/docker
//! style stemcell, whose `image` is a tgz of the whole root file system. It is unpacked once
//! per image into the cache (`stemcells/<sha1 of image>/`), checked against `stemcell.MF`'s
//! `sha1` on the way, and shared read-only by every compile. Or this machine's own root
//! (`--host-rootfs`), known by its os-release.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor, ReadError, VisitError};
use crate::digest::{Algo, Hasher, HashingReader};
use crate::error::{Error, Result};
use crate::manifest::release_mf::HostOs;
use crate::stemcell;

pub struct StemcellRoot {
    pub dir: PathBuf,
    /// `<operating_system>/<version>` from stemcell.MF.
    pub slug: String,
    pub image_sha1: String,
}

/// Why a stemcell's image cannot be the root file system of a compile; the reader puts the
/// stemcell's path in front.
#[derive(Debug, thiserror::Error)]
pub enum RootfsError {
    #[error("its image is empty (a light stemcell): compiling needs a stemcell whose image is the root file system, such as a warden stemcell")]
    LightStemcell,
    #[error("unpacking its root file system: {0}")]
    Unpack(#[source] ReadError),
}

struct Image<'a> {
    dest: &'a Path,
    hasher: Option<Hasher>,
    found: bool,
}

impl EntryVisitor for Image<'_> {
    fn entry(
        &mut self,
        info: &EntryInfo,
        data: &mut dyn Read,
    ) -> std::result::Result<(), VisitError> {
        if info.kind != EntryKind::File || info.name != "image" {
            return Ok(());
        }
        self.found = true;
        if info.size == 0 {
            return Err(VisitError::refuse(RootfsError::LightStemcell));
        }
        let hasher = self.hasher.insert(Algo::Sha1.hasher());
        let mut r = HashingReader {
            inner: data,
            hasher: Some(hasher),
        };
        archive::extract_stream(&mut r, Path::new("image"), info.size, self.dest, true)
            .map_err(|e| VisitError::refuse(RootfsError::Unpack(e)))?;
        // Whatever tar padding follows the inner archive still counts toward the digest.
        std::io::copy(&mut r, &mut std::io::sink())?;
        Ok(())
    }
}

/// Unpacks (or finds already unpacked) the root file system of a stemcell tarball.
pub fn prepare(tarball: &Path, cache_root: &Path, report: &dyn Fn(&str)) -> Result<StemcellRoot> {
    let m = stemcell::read_manifest(tarball)?;
    let field = |k: &str| {
        m.str(k)
            .ok_or_else(|| Error::msg(format!("{}: stemcell.MF has no '{k}'", tarball.display())))
    };
    let slug = format!("{}/{}", field("operating_system")?, field("version")?);
    field("sha1")?;
    let sha1 = m.name_field("sha1").ok_or_else(|| {
        Error::msg(format!(
            "{}: stemcell.MF sha1 is not a name",
            tarball.display()
        ))
    })?;
    let dir = sha1.under(&cache_root.join("stemcells"));
    let sha1 = sha1.into_string();
    // The directory appears by rename once complete, so its presence is the marker.
    if dir.is_dir() {
        return Ok(StemcellRoot {
            dir,
            slug,
            image_sha1: sha1,
        });
    }
    report(&format!(
        "Unpacking the root file system of stemcell {slug} (once per image)"
    ));
    let parent = cache_root.join("stemcells");
    fs::create_dir_all(&parent).map_err(|e| Error::io("mkdir", &parent, &e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io("create temp dir in", &parent, &e))?;
    let mut v = Image {
        dest: tmp.path(),
        hasher: None,
        found: false,
    };
    archive::read_entries(tarball, &mut v)
        .map_err(|e| Error::from(e).context(format!("Stemcell '{}'", tarball.display())))?;
    if !v.found {
        return Err(Error::msg(format!(
            "Stemcell '{}' has no image file",
            tarball.display()
        )));
    }
    let got = v.hasher.expect("set with found").finish();
    if got.hex() != sha1 {
        return Err(Error::msg(format!(
            "Stemcell '{}': image has SHA-1 '{}' but stemcell.MF records '{sha1}'",
            tarball.display(),
            got.hex()
        )));
    }
    let staged = tmp.keep();
    if fs::rename(&staged, &dir).is_err() {
        // Another run unpacked the same image meanwhile; theirs is as good as ours.
        crate::compile::package::remove_work(&staged);
    }
    Ok(StemcellRoot {
        dir,
        slug,
        image_sha1: sha1,
    })
}

/// `ID` and `VERSION_ID` of `/etc/os-release` (or `/usr/lib/os-release`).
pub fn host_os() -> HostOs {
    let text = fs::read_to_string("/etc/os-release")
        .or_else(|_| fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k)?.strip_prefix('='))
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
            .unwrap_or_default()
    };
    let id = field("ID");
    HostOs {
        id: if id.is_empty() { "linux".into() } else { id },
        version_id: field("VERSION_ID"),
    }
}

pub(super) fn host_identity() -> String {
    let text = fs::read("/etc/os-release").unwrap_or_default();
    format!(
        "host {}",
        crate::digest::Digest::of_bytes(crate::digest::Algo::Sha256, &text).hex()
    )
}
