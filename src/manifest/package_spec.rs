//! `packages/<dir>/spec` and `spec.lock` (spec: release-format §1.3).

use std::fmt::Write as _;

use serde::Deserialize;

use super::yaml;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PackageSpec {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub dependencies: Option<Vec<String>>,
    #[serde(default)]
    pub files: Option<Vec<String>>,
    #[serde(default)]
    pub excluded_files: Option<Vec<String>>,
    #[serde(default)]
    pub no_compression: Option<bool>,
}

/// A vendored package: its name, fingerprint and dependencies, nothing to build.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SpecLock {
    pub name: String,
    pub fingerprint: String,
    #[serde(default)]
    pub dependencies: Option<Vec<String>>,
}

impl SpecLock {
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "name: {}", yaml::scalar(&self.name));
        let _ = writeln!(out, "fingerprint: {}", yaml::scalar(&self.fingerprint));
        if let Some(deps) = self.dependencies.as_ref().filter(|d| !d.is_empty()) {
            out.push_str("dependencies:\n");
            for d in deps {
                let _ = writeln!(out, "- {}", yaml::scalar(d));
            }
        }
        out
    }
}
