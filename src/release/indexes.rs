//! Reading and writing build indexes and release indexes of a release directory (spec: §6).

use std::collections::BTreeMap;

use crate::atomic;
use crate::error::{Error, Result};
use crate::layout::{Kind, ReleaseDir, Stage};
use crate::manifest::index::{Index, IndexEntry};
use crate::manifest::release_mf::ReleaseManifest;
use crate::version::Version;

/// Loads the build index of one resource.
pub fn build_index(dir: &ReleaseDir, stage: Stage, kind: Kind, name: &str) -> Result<Index> {
    Ok(Index::load(&dir.build_index(stage, kind, name))?)
}

/// Adds entries to build indexes, one atomic write per index file.
pub fn add_builds(
    dir: &ReleaseDir,
    stage: Stage,
    entries: &[(Kind, String, IndexEntry)],
) -> Result<()> {
    let mut grouped: BTreeMap<(Kind, &str), Vec<&IndexEntry>> = BTreeMap::new();
    for (k, n, e) in entries {
        grouped.entry((*k, n.as_str())).or_default().push(e);
    }
    for ((kind, name), list) in grouped {
        let path = dir.build_index(stage, kind, name);
        let mut idx = Index::load(&path)?;
        for e in list {
            if stage == Stage::Dev {
                // A dev build is built again only when its archive left the cache: the new
                // archive replaces the lost one (the CLI stops there with `Cannot find blob
                // named …`; bale rebuilds or takes the final build instead).
                idx.0.insert(e.version.clone(), e.clone());
            } else {
                idx.0.entry(e.version.clone()).or_insert_with(|| e.clone());
            }
        }
        atomic::write(&path, idx.to_yaml().as_bytes())?;
    }
    Ok(())
}

/// The highest version recorded in a release index.
pub fn latest_version(dir: &ReleaseDir, stage: Stage, name: &str) -> Result<Option<Version>> {
    let idx = Index::load(&dir.release_index(stage, name))?;
    Ok(idx
        .0
        .values()
        .filter_map(|e| e.version.parse::<Version>().ok())
        .max())
}

/// The newest release recorded in the first of `stages` that has one: its stage, version
/// and manifest path. The one lookup behind "the release this directory last made" (upload
/// of a release directory, compile-release reusing a dev release).
pub fn newest_release(
    dir: &ReleaseDir,
    name: &str,
    stages: &[Stage],
) -> Result<Option<(Stage, Version, std::path::PathBuf)>> {
    for &stage in stages {
        if let Some(v) = latest_version(dir, stage, name)? {
            let manifest = dir.release_manifest(stage, name, &v.to_string());
            return Ok(Some((stage, v, manifest)));
        }
    }
    Ok(None)
}

pub fn version_exists(dir: &ReleaseDir, stage: Stage, name: &str, version: &str) -> Result<bool> {
    let idx = Index::load(&dir.release_index(stage, name))?;
    Ok(idx.key_of_version(version).is_some())
}

/// Records a release: its manifest file, then its index entry under a new random key.
pub fn add_release(dir: &ReleaseDir, stage: Stage, manifest: &ReleaseManifest) -> Result<()> {
    let idx_path = dir.release_index(stage, &manifest.name);
    let mut idx = Index::load(&idx_path)?;
    if idx.key_of_version(&manifest.version).is_some() {
        return Err(Error::msg(format!(
            "Release version '{}' already exists",
            manifest.version
        )));
    }
    atomic::write(
        &dir.release_manifest(stage, &manifest.name, &manifest.version),
        manifest.to_yaml().as_bytes(),
    )?;
    idx.0.insert(
        uuid::Uuid::new_v4().to_string(),
        IndexEntry {
            version: manifest.version.clone(),
            ..Default::default()
        },
    );
    atomic::write(&idx_path, idx.to_yaml().as_bytes())?;
    Ok(())
}
