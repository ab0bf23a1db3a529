//! `config/blobs.yml`: which blobs a release tracks (spec: release-format §1.2).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};
use crate::name::{Name, RelPath};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlobRecord {
    pub size: u64,
    /// The blobstore's id; an empty one reads as none (never uploaded). It names a file in a
    /// local blobstore, so it is one checked segment.
    #[serde(default, deserialize_with = "object_id")]
    pub object_id: Option<Name>,
    pub sha: String,
}

fn object_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Name>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => Name::new(s)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("object_id {e}"))),
    }
}

/// Blob path (relative to `blobs/`) → record, sorted as the CLI writes it. Keys are checked
/// as they are read: a key that would leave `blobs/` makes the whole file unreadable, so no
/// command is ever handed one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlobsIndex(pub BTreeMap<RelPath, BlobRecord>);

/// A key as read: the message names it as a blob path (the YAML error adds file and line).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct BlobKey(RelPath);

impl<'de> Deserialize<'de> for BlobKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BlobKey, D::Error> {
        let s = String::deserialize(d)?;
        RelPath::new(s)
            .map(BlobKey)
            .map_err(|e| serde::de::Error::custom(format!("blob path {e}")))
    }
}

impl BlobsIndex {
    pub fn load(path: &Path) -> Result<BlobsIndex, YamlError> {
        if !path.exists() {
            return Ok(BlobsIndex::default());
        }
        let map: Option<BTreeMap<BlobKey, BlobRecord>> =
            super::yaml::read_maybe_empty::<Option<_>>(path)?;
        Ok(BlobsIndex::from_map(map))
    }

    /// `text` as the contents of `path` (for archive entries and fuzzing); an empty
    /// document is an empty index, as when read from a file.
    pub fn parse(path: &Path, text: &str) -> Result<BlobsIndex, YamlError> {
        if yaml::is_empty_document(text) {
            return Ok(BlobsIndex::default());
        }
        let map: Option<BTreeMap<BlobKey, BlobRecord>> = yaml::from_str(path, text)?;
        Ok(BlobsIndex::from_map(map))
    }

    fn from_map(map: Option<BTreeMap<BlobKey, BlobRecord>>) -> BlobsIndex {
        BlobsIndex(
            map.unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.0, v))
                .collect(),
        )
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
            if let Some(id) = rec.object_id.as_deref() {
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
            RelPath::new("runtime/shared.txt").unwrap(),
            BlobRecord {
                size: 42,
                object_id: None,
                sha: "sha256:229b".into(),
            },
        );
        idx.0.insert(
            RelPath::new("a.tgz").unwrap(),
            BlobRecord {
                size: 1,
                object_id: Some(Name::new("id-1").unwrap()),
                sha: "abc".into(),
            },
        );
        assert_eq!(
            idx.to_yaml(),
            "a.tgz:\n  size: 1\n  object_id: id-1\n  sha: abc\nruntime/shared.txt:\n  size: 42\n  sha: sha256:229b\n"
        );
        assert_eq!(BlobsIndex::default().to_yaml(), "{}\n");
    }

    #[test]
    fn refuses_keys_that_leave_blobs_dir() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("blobs.yml");
        for key in ["../../x", "/abs/x", "a//b"] {
            std::fs::write(
                &p,
                format!("ok.tgz:\n  size: 1\n  sha: abc\n{key}:\n  size: 1\n  sha: abc\n"),
            )
            .unwrap();
            let e = BlobsIndex::load(&p).unwrap_err().to_string();
            assert!(
                e.contains("blobs.yml") && e.contains(&format!("blob path '{key}'")),
                "{e}"
            );
        }
    }
}
