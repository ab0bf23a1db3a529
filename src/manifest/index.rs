//! Build and release indexes: `.dev_builds/**/index.yml`, `.final_builds/**/index.yml`,
//! `dev_releases/<name>/index.yml`, `releases/<name>/index.yml` (spec: release-format §6).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct IndexEntry {
    pub version: String,
    #[serde(default)]
    pub blobstore_id: Option<String>,
    #[serde(default)]
    pub sha1: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct IndexFile {
    #[serde(default)]
    builds: Option<BTreeMap<String, IndexEntry>>,
}

/// key (fingerprint, or a UUID for release indexes) → entry, sorted as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index(pub BTreeMap<String, IndexEntry>);

impl Index {
    pub fn load(path: &Path) -> Result<Index, YamlError> {
        if !path.exists() {
            return Ok(Index::default());
        }
        let f: IndexFile = super::yaml::read_maybe_empty(path)?;
        Ok(Index(f.builds.unwrap_or_default()))
    }

    /// `text` as the contents of `path` (for fuzzing); an empty document is an empty index.
    pub fn parse(path: &Path, text: &str) -> Result<Index, YamlError> {
        if yaml::is_empty_document(text) {
            return Ok(Index::default());
        }
        let f: IndexFile = yaml::from_str(path, text)?;
        Ok(Index(f.builds.unwrap_or_default()))
    }

    pub fn to_yaml(&self) -> String {
        let mut out = String::from("builds:");
        if self.0.is_empty() {
            out.push_str(" {}\n");
        } else {
            out.push('\n');
        }
        for (key, e) in &self.0 {
            let _ = writeln!(out, "  {}:", yaml::key(key));
            let _ = writeln!(out, "    version: {}", yaml::scalar(&e.version));
            if let Some(id) = e.blobstore_id.as_deref().filter(|s| !s.is_empty()) {
                let _ = writeln!(out, "    blobstore_id: {}", yaml::scalar(id));
            }
            if let Some(sha) = e.sha1.as_deref().filter(|s| !s.is_empty()) {
                let _ = writeln!(out, "    sha1: {}", yaml::scalar(sha));
            }
        }
        out.push_str("format-version: \"2\"\n");
        out
    }

    /// Entry by version, for release indexes where keys are random ids.
    pub fn key_of_version(&self, version: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, e)| e.version == version)
            .map(|(k, _)| k.as_str())
    }
}
