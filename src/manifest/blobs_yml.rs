//! `config/blobs.yml`: which blobs a release tracks (spec: release-format §1.2).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlobRecord {
    pub size: u64,
    #[serde(default)]
    pub object_id: Option<String>,
    pub sha: String,
}

/// Blob path (relative to `blobs/`) → record, sorted as the CLI writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlobsIndex(pub BTreeMap<String, BlobRecord>);

impl BlobsIndex {
    pub fn load(path: &Path) -> Result<BlobsIndex, YamlError> {
        if !path.exists() {
            return Ok(BlobsIndex::default());
        }
        let map: Option<BTreeMap<String, BlobRecord>> =
            super::yaml::read_maybe_empty::<Option<_>>(path)?;
        Ok(BlobsIndex(map.unwrap_or_default()))
    }

    /// The bytes yaml.v2 writes: sorted keys, fields `size`, `object_id` (when set), `sha`.
    pub fn to_yaml(&self) -> String {
        if self.0.is_empty() {
            return "{}\n".to_string();
        }
        let mut out = String::new();
        for (path, rec) in &self.0 {
            let _ = writeln!(out, "{}:", yaml::key(path));
            let _ = writeln!(out, "  size: {}", rec.size);
            if let Some(id) = rec.object_id.as_deref().filter(|s| !s.is_empty()) {
                let _ = writeln!(out, "  object_id: {}", yaml::scalar(id));
            }
            let _ = writeln!(out, "  sha: {}", yaml::scalar(&rec.sha));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_cli_bytes() {
        let mut idx = BlobsIndex::default();
        idx.0.insert(
            "runtime/shared.txt".into(),
            BlobRecord {
                size: 42,
                object_id: None,
                sha: "sha256:229b".into(),
            },
        );
        idx.0.insert(
            "a.tgz".into(),
            BlobRecord {
                size: 1,
                object_id: Some("id-1".into()),
                sha: "abc".into(),
            },
        );
        assert_eq!(
            idx.to_yaml(),
            "a.tgz:\n  size: 1\n  object_id: id-1\n  sha: abc\nruntime/shared.txt:\n  size: 42\n  sha: sha256:229b\n"
        );
        assert_eq!(BlobsIndex::default().to_yaml(), "{}\n");
    }
}
