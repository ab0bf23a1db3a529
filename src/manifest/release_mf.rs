//! `release.MF` and the release manifests in `dev_releases/` and `releases/`, which are the
//! same bytes (spec: release-format §8, §11).

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct JobRef {
    pub name: String,
    pub version: String,
    pub fingerprint: String,
    pub sha1: String,
    /// `None` in manifests written by CLIs older than v5.5.0, which had no such key.
    #[serde(default)]
    pub packages: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct PackageRef {
    pub name: String,
    pub version: String,
    pub fingerprint: String,
    pub sha1: String,
    #[serde(default)]
    pub stemcell: Option<String>,
    #[serde(default)]
    pub dependencies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct LicenseRef {
    pub version: String,
    pub fingerprint: String,
    pub sha1: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct ReleaseManifest {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub commit_hash: String,
    #[serde(default)]
    pub uncommitted_changes: bool,
    #[serde(default)]
    pub jobs: Vec<JobRef>,
    #[serde(default)]
    pub packages: Vec<PackageRef>,
    #[serde(default)]
    pub compiled_packages: Vec<PackageRef>,
    #[serde(default)]
    pub license: Option<LicenseRef>,
}

impl ReleaseManifest {
    pub fn load(path: &Path) -> Result<ReleaseManifest, YamlError> {
        yaml::read(path)
    }

    pub fn parse(path: &Path, text: &str) -> Result<ReleaseManifest, YamlError> {
        yaml::from_str(path, text)
    }

    /// yaml.v2's bytes for the CLI's struct: fixed field order, empty lists omitted at the
    /// top level, `[]` for empty dependency lists.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "name: {}", yaml::scalar(&self.name));
        let _ = writeln!(out, "version: {}", yaml::scalar(&self.version));
        let _ = writeln!(out, "commit_hash: {}", yaml::scalar(&self.commit_hash));
        let _ = writeln!(out, "uncommitted_changes: {}", self.uncommitted_changes);
        if !self.jobs.is_empty() {
            out.push_str("jobs:\n");
            for j in &self.jobs {
                item(&mut out, &j.name, &j.version, &j.fingerprint, &j.sha1);
                if let Some(pkgs) = &j.packages {
                    list(&mut out, "packages", pkgs);
                }
            }
        }
        for (key, pkgs) in [
            ("packages", &self.packages),
            ("compiled_packages", &self.compiled_packages),
        ] {
            if pkgs.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{key}:");
            for p in pkgs {
                item(&mut out, &p.name, &p.version, &p.fingerprint, &p.sha1);
                if let Some(s) = &p.stemcell {
                    let _ = writeln!(out, "  stemcell: {}", yaml::scalar(s));
                }
                list(&mut out, "dependencies", &p.dependencies);
            }
        }
        if let Some(l) = &self.license {
            out.push_str("license:\n");
            let _ = writeln!(out, "  version: {}", yaml::scalar(&l.version));
            let _ = writeln!(out, "  fingerprint: {}", yaml::scalar(&l.fingerprint));
            let _ = writeln!(out, "  sha1: {}", yaml::scalar(&l.sha1));
        }
        out
    }
}

fn item(out: &mut String, name: &str, version: &str, fingerprint: &str, sha1: &str) {
    let _ = writeln!(out, "- name: {}", yaml::scalar(name));
    let _ = writeln!(out, "  version: {}", yaml::scalar(version));
    let _ = writeln!(out, "  fingerprint: {}", yaml::scalar(fingerprint));
    let _ = writeln!(out, "  sha1: {}", yaml::scalar(sha1));
}

fn list(out: &mut String, key: &str, values: &[String]) {
    if values.is_empty() {
        let _ = writeln!(out, "  {key}: []");
        return;
    }
    let _ = writeln!(out, "  {key}:");
    for v in values {
        let _ = writeln!(out, "  - {}", yaml::scalar(v));
    }
}
