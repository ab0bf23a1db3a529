//! `config/blobs.yml`: which blobs a release tracks (spec: release-format §1.2).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};
use crate::name::{Name, RelPath};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlobRecord {
    /// At most `i64::MAX`, the CLI's `int64`: a larger size is refused as the CLI refuses it.
    #[serde(deserialize_with = "size")]
    pub size: u64,
    /// The blobstore's id; an empty one reads as none (never uploaded). It names a file in a
    /// local blobstore, so it is one checked segment.
    #[serde(default, deserialize_with = "object_id")]
    pub object_id: Option<Name>,
    pub sha: String,
}

/// A whole byte count from 0 to `i64::MAX`, written as a YAML integer (a quoted number is a
/// string to the CLI, and refused). [`bad_size`] words the refusal.
fn size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Size;
    impl serde::de::Visitor<'_> for Size {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte count from 0 to 9223372036854775807")
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u64, E> {
            if n > i64::MAX as u64 {
                return Err(E::invalid_value(serde::de::Unexpected::Unsigned(n), &self));
            }
            Ok(n)
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<u64, E> {
            u64::try_from(n).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(n), &self))
        }
    }
    d.deserialize_any(Size)
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
/// command is ever handed one. A key with empty or `.` segments (`a//b`, which
/// jumpbox-boshrelease has) names the file Go's `filepath.Join` cleans it to, `a/b`, as in
/// the CLI; the second map keeps such keys as written, for `blobs` and for writing the file
/// back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlobsIndex(
    pub BTreeMap<RelPath, BlobRecord>,
    pub BTreeMap<RelPath, String>,
);

/// A key as read: the message names it as a blob path (the YAML error adds file and line).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct BlobKey(RelPath, Option<String>);

impl<'de> Deserialize<'de> for BlobKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BlobKey, D::Error> {
        let s = String::deserialize(d)?;
        match RelPath::new(s.clone()) {
            Ok(p) => Ok(BlobKey(p, None)),
            Err(e) => RelPath::normalized(s.clone())
                .map(|p| BlobKey(p, Some(s)))
                .map_err(|_| serde::de::Error::custom(format!("blob path {e}"))),
        }
    }
}

impl BlobsIndex {
    pub fn load(path: &Path) -> Result<BlobsIndex, YamlError> {
        if !path.exists() {
            return Ok(BlobsIndex::default());
        }
        let text = yaml::read_file_capped(path, yaml::MAX_MANIFEST_BYTES)?;
        BlobsIndex::parse(path, &text)
    }

    /// `text` as the contents of `path` (for archive entries and fuzzing); an empty
    /// document is an empty index, as when read from a file.
    pub fn parse(path: &Path, text: &str) -> Result<BlobsIndex, YamlError> {
        if yaml::is_empty_document(text) {
            return Ok(BlobsIndex::default());
        }
        let map: Option<BTreeMap<BlobKey, BlobRecord>> =
            yaml::from_str(path, text).map_err(|e| match e {
                YamlError::Parse { line, .. } => bad_size(path, text, line).unwrap_or(e),
                e => e,
            })?;
        BlobsIndex::from_map(path, map)
    }

    fn from_map(
        path: &Path,
        map: Option<BTreeMap<BlobKey, BlobRecord>>,
    ) -> Result<BlobsIndex, YamlError> {
        let mut idx = BlobsIndex::default();
        for (BlobKey(p, written), rec) in map.unwrap_or_default() {
            if idx.0.contains_key(&p) {
                return Err(YamlError::Parse {
                    path: path.to_path_buf(),
                    line: 0,
                    message: format!(
                        "blob path '{}' is written twice (as '{}' and '{p}')",
                        written.as_deref().unwrap_or(p.as_str()),
                        idx.key(&p)
                    ),
                });
            }
            if let Some(w) = written {
                idx.1.insert(p.clone(), w);
            }
            idx.0.insert(p, rec);
        }
        Ok(idx)
    }

    /// The key of `path` as blobs.yml writes it (`a//b` stays `a//b`).
    pub fn key<'a>(&'a self, path: &'a RelPath) -> &'a str {
        self.1.get(path).map_or(path.as_str(), String::as_str)
    }

    /// The bytes yaml.v2 writes: sorted keys, fields `size`, `object_id` (when set), `sha`.
    pub fn to_yaml(&self) -> String {
        if self.0.is_empty() {
            return "{}\n".to_string();
        }
        let mut out = String::new();
        // yaml.v2's key order, as the CLI marshals its map (`a9` before `a10`)
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by(|(a, _), (b, _)| yaml::key_cmp(self.key(a), self.key(b)));
        for (path, rec) in entries {
            let _ = writeln!(out, "{}:", yaml::key(self.key(path)));
            let _ = writeln!(out, "  size: {}", rec.size);
            if let Some(id) = rec.object_id.as_deref() {
                let _ = writeln!(out, "  object_id: {}", yaml::scalar(id));
            }
            let _ = writeln!(out, "  sha: {}", yaml::scalar(&rec.sha));
        }
        out
    }
}

/// When the error at `line` is a blob's `size:` that is not a byte count, the error the CLI
/// gives for it (yaml.v2 decoding into `int64`: `cannot unmarshal !!int `9223372...` into
/// int64`), naming the blob. The CLI reads a negative size as a huge one (`-1` is 16 EiB in
/// `bosh blobs`) and a fraction as its whole part; bale refuses both, in the same words.
fn bad_size(path: &Path, text: &str, line: usize) -> Option<YamlError> {
    let at = text.lines().nth(line.checked_sub(1)?)?;
    let raw = at.trim_start().strip_prefix("size:")?.trim();
    let raw = match raw.find(" #") {
        Some(i) => raw[..i].trim_end(),
        None => raw,
    };
    // The blob: the nearest key above at the left margin.
    let entry = text
        .lines()
        .take(line - 1)
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']) && !l.trim().is_empty())
        .last()?
        .trim_end()
        .strip_suffix(':')?
        .trim_matches(['"', '\'']);
    let quoted = raw.len() >= 2
        && ((raw.starts_with('"') && raw.ends_with('"'))
            || (raw.starts_with('\'') && raw.ends_with('\'')));
    let (tag, value, cli_takes_it) = if quoted {
        ("!!str", &raw[1..raw.len() - 1], false)
    } else {
        let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            // yaml.v2 resolves an integer past 64 bits as a float
            let tag = match digits.parse::<u64>() {
                Ok(_) => "!!int",
                Err(_) => "!!float",
            };
            (tag, raw, raw.starts_with('-') && tag == "!!int")
        } else if raw.parse::<f64>().is_ok_and(f64::is_finite) {
            ("!!float", raw, true)
        } else {
            ("!!str", raw, false)
        }
    };
    // yaml.v2 shortens values past 10 characters to their first 7 and `...`
    let shown = if value.chars().count() > 10 {
        format!("{}...", value.chars().take(7).collect::<String>())
    } else {
        value.to_string()
    };
    let target = if cli_takes_it {
        "a blob size (bale reads only whole byte counts from 0 to 9223372036854775807)"
    } else {
        "int64"
    };
    Some(YamlError::Unmarshal {
        path: path.to_path_buf(),
        line,
        message: format!(
            "cannot unmarshal {tag} `{shown}` into {target} (size of blob '{entry}' in {})",
            path.display()
        ),
    })
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
    fn sizes_past_int64_or_not_numbers_are_refused_as_the_cli_refuses_them() {
        let p = Path::new("config/blobs.yml");
        let doc = |size: &str| {
            format!("a.tgz:\n  size: 1\n  sha: abc\nruntime/x.tgz:\n  size: {size}\n  sha: abc\n")
        };
        assert_eq!(
            BlobsIndex::parse(p, &doc("9223372036854775807")).unwrap().0
                [&RelPath::new("runtime/x.tgz").unwrap()]
                .size,
            i64::MAX as u64
        );
        for (size, want) in [
            (
                "9223372036854775808",
                "line 5: cannot unmarshal !!int `9223372...` into int64",
            ),
            (
                "18446744073709551616",
                "line 5: cannot unmarshal !!float `1844674...` into int64",
            ),
            ("abc", "line 5: cannot unmarshal !!str `abc` into int64"),
            ("\"17\"", "line 5: cannot unmarshal !!str `17` into int64"),
            ("-1", "line 5: cannot unmarshal !!int `-1` into a blob size"),
            (
                "1.5",
                "line 5: cannot unmarshal !!float `1.5` into a blob size",
            ),
        ] {
            let e = BlobsIndex::parse(p, &doc(size)).unwrap_err().to_string();
            assert!(e.starts_with("yaml: unmarshal errors:\n  "), "{size}: {e}");
            assert!(e.contains(want), "{size}: {e}");
            assert!(
                e.ends_with("(size of blob 'runtime/x.tgz' in config/blobs.yml)"),
                "{size}: {e}"
            );
        }
    }

    #[test]
    fn keys_with_empty_segments_name_the_cleaned_path_and_are_written_back_as_they_were() {
        let p = Path::new("config/blobs.yml");
        let text = "a//b.tgz:\n  size: 1\n  sha: abc\nc/./d:\n  size: 2\n  sha: abc\n";
        let idx = BlobsIndex::parse(p, text).unwrap();
        let ab = RelPath::new("a/b.tgz").unwrap();
        assert_eq!(idx.0[&ab].size, 1);
        assert_eq!(idx.key(&ab), "a//b.tgz");
        assert_eq!(idx.key(&RelPath::new("c/d").unwrap()), "c/./d");
        assert_eq!(idx.to_yaml(), text);
        let twice = "a//b:\n  size: 1\n  sha: abc\na/b:\n  size: 2\n  sha: abc\n";
        let e = BlobsIndex::parse(p, twice).unwrap_err().to_string();
        assert!(e.contains("written twice"), "{e}");
    }

    #[test]
    fn written_in_yaml_v2_key_order() {
        let p = Path::new("config/blobs.yml");
        // as `bosh upload-blobs` wrote them for statsd-injector-release
        let text = "golang/8cbb.tgz:\n  size: 1\n  sha: a\ngolang/18d8.tgz:\n  size: 1\n  sha: a\ngolang/288c.tgz:\n  size: 1\n  sha: a\n";
        assert_eq!(BlobsIndex::parse(p, text).unwrap().to_yaml(), text);
    }

    #[test]
    fn refuses_keys_that_leave_blobs_dir() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("blobs.yml");
        for key in ["../../x", "/abs/x", "a/../../x", "./.."] {
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
