//! `stemcell.MF`, kept as an ordered map so fields bale does not know survive a repack (the
//! `bosh` CLI drops them). Written with the CLI's field order for the fields it knows, then
//! the others in their original order (spec: stemcell.md §2, release-format §12).

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::manifest::{value, yaml};
use crate::name::Name;

/// Fields that end up in paths (cache directories, tarball names, registry keys).
const PATH_FIELDS: [&str; 4] = ["name", "version", "operating_system", "sha1"];

/// The fields the CLI knows, in the order its struct writes them.
const KNOWN: [&str; 8] = [
    "name",
    "version",
    "operating_system",
    "sha1",
    "bosh_protocol",
    "stemcell_formats",
    "api_version",
    "cloud_properties",
];

#[derive(Debug, Clone, PartialEq)]
pub struct StemcellManifest(pub Map<String, Value>);

impl StemcellManifest {
    pub fn parse(path: &Path, text: &str) -> Result<StemcellManifest> {
        let v: Value = yaml::from_str(path, text)?;
        let m = match v {
            Value::Object(m) => StemcellManifest(m),
            _ => {
                return Err(Error::msg(format!(
                    "{}: stemcell.MF must be a YAML map",
                    path.display()
                )))
            }
        };
        for key in PATH_FIELDS {
            if let Some(v) = m.str(key) {
                Name::new(v).map_err(|e| Error::msg(format!("{}: {key} {e}", path.display())))?;
            }
        }
        Ok(m)
    }

    /// A field that names a directory (the compile cache keeps a root file system under its
    /// `sha1`): checked as one name when the manifest was parsed.
    pub fn name_field(&self, key: &str) -> Option<Name> {
        debug_assert!(PATH_FIELDS.contains(&key));
        self.str(key).and_then(|s| Name::new(s).ok())
    }

    /// A field as text (YAML numbers such as `version: 1.10` read as their digits).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// `api_version`, as registries record it.
    pub fn api_version(&self) -> Option<u64> {
        self.0.get("api_version").and_then(|v| v.as_u64())
    }

    /// `stemcell_formats`: the text entries, in order (none when absent).
    pub fn formats(&self) -> Vec<String> {
        self.0
            .get("stemcell_formats")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn cloud_str(&self, key: &str) -> Option<String> {
        self.0
            .get("cloud_properties")?
            .get(key)?
            .as_str()
            .map(str::to_string)
    }

    pub fn set(&mut self, key: &str, v: Value) {
        self.0.insert(key.to_string(), v);
    }

    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        for k in KNOWN {
            if let Some(v) = self.0.get(k) {
                let omit = match (k, v) {
                    ("stemcell_formats", Value::Array(a)) => a.is_empty(),
                    ("api_version", Value::Number(n)) => n.as_u64() == Some(0),
                    _ => false,
                };
                if !omit {
                    // Strings stay strings: a version "9.99" is written quoted.
                    value::write_field(&mut out, 0, k, v);
                }
            }
        }
        for (k, v) in &self.0 {
            if !KNOWN.contains(&k.as_str()) {
                value::write_field(&mut out, 0, k, v);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_fields_and_quotes_lookalikes() {
        let text = "---\nname: s\nversion: '1.234'\nbosh_protocol: '1'\napi_version: 3\nsha1: abc\noperating_system: ubuntu-jammy\nstemcell_formats:\n- toy-raw\ncloud_properties:\n  infrastructure: toy\n  disk: 5120\nextra: kept\n";
        let m = StemcellManifest::parse(Path::new("stemcell.MF"), text).unwrap();
        assert_eq!(
            m.to_yaml(),
            "name: s\nversion: \"1.234\"\noperating_system: ubuntu-jammy\nsha1: abc\nbosh_protocol: \"1\"\nstemcell_formats:\n- toy-raw\napi_version: 3\ncloud_properties:\n  disk: 5120\n  infrastructure: toy\nextra: kept\n"
        );
    }
}
