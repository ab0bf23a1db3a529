//! `release.MF` and the release manifests in `dev_releases/` and `releases/`, which are the
//! same bytes (spec: release-format §8, §11).

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, YamlError};
use crate::name::Name;

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
    /// Set when the compiled packages were built on a machine's own root file system
    /// (`compile-release --host-rootfs`) rather than inside the stemcell they are labelled
    /// with, so whoever deploys them can see it. The director ignores the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiled_on_host: Option<HostOs>,
}

/// A machine's distribution, from its `/etc/os-release`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct HostOs {
    /// `ID`, e.g. `debian`.
    pub id: String,
    /// `VERSION_ID`, e.g. `12`; empty for rolling distributions.
    #[serde(default)]
    pub version_id: String,
}

impl std::fmt::Display for HostOs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.version_id.is_empty() {
            f.write_str(&self.id)
        } else {
            write!(f, "{} {}", self.id, self.version_id)
        }
    }
}

impl ReleaseManifest {
    pub fn load(path: &Path) -> Result<ReleaseManifest, YamlError> {
        let m: ReleaseManifest = yaml::read(path)?;
        m.check(path)?;
        Ok(m)
    }

    pub fn parse(path: &Path, text: &str) -> Result<ReleaseManifest, YamlError> {
        let m: ReleaseManifest = yaml::from_str(path, text)?;
        m.check(path)?;
        Ok(m)
    }

    /// Every value that ends up in a path (`jobs/<name>.tgz`, a package's compile and install
    /// directories, `<name>-<version>.yml`, `~/.bosh/cache/<sha1>`) must be one name; the
    /// first that is not is reported by its place in the file.
    fn check(&self, path: &Path) -> Result<(), YamlError> {
        let one = |entry: String, v: &str| -> Result<(), YamlError> {
            Name::new(v).map(|_| ()).map_err(|problem| YamlError::Name {
                path: path.to_path_buf(),
                entry,
                problem,
            })
        };
        one("name".into(), &self.name)?;
        one("version".into(), &self.version)?;
        for (i, j) in self.jobs.iter().enumerate() {
            one(format!("jobs[{i}].name"), &j.name)?;
            one(format!("jobs[{i}].version"), &j.version)?;
            one(format!("jobs[{i}].fingerprint"), &j.fingerprint)?;
            one(format!("jobs[{i}].sha1"), &j.sha1)?;
            for (k, p) in j.packages.iter().flatten().enumerate() {
                one(format!("jobs[{i}].packages[{k}]"), p)?;
            }
        }
        for (key, pkgs) in [
            ("packages", &self.packages),
            ("compiled_packages", &self.compiled_packages),
        ] {
            for (i, p) in pkgs.iter().enumerate() {
                one(format!("{key}[{i}].name"), &p.name)?;
                one(format!("{key}[{i}].version"), &p.version)?;
                one(format!("{key}[{i}].fingerprint"), &p.fingerprint)?;
                one(format!("{key}[{i}].sha1"), &p.sha1)?;
                for (k, d) in p.dependencies.iter().enumerate() {
                    one(format!("{key}[{i}].dependencies[{k}]"), d)?;
                }
            }
        }
        if let Some(l) = &self.license {
            one("license.version".into(), &l.version)?;
            one("license.fingerprint".into(), &l.fingerprint)?;
            one("license.sha1".into(), &l.sha1)?;
        }
        Ok(())
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
        if let Some(h) = &self.compiled_on_host {
            out.push_str("compiled_on_host:\n");
            let _ = writeln!(out, "  id: {}", yaml::scalar(&h.id));
            let _ = writeln!(out, "  version_id: {}", yaml::scalar(&h.version_id));
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

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name: shop\nversion: 1.2.3+dev.4\ncommit_hash: abc\nuncommitted_changes: false\njobs:\n- name: web\n  version: aa\n  fingerprint: aa\n  sha1: sha256:bb\n  packages: [nginx]\npackages:\n- name: nginx\n  version: cc\n  fingerprint: cc\n  sha1: dd\n  dependencies: []\n";

    #[test]
    fn names_that_would_leave_a_directory_are_refused_by_place() {
        let p = Path::new("release.MF");
        let m = ReleaseManifest::parse(p, GOOD).unwrap();
        assert_eq!(ReleaseManifest::parse(p, &m.to_yaml()).unwrap(), m);
        for (from, to, want) in [
            (
                "- name: web",
                "- name: ../../web",
                "jobs[0].name '../../web' contains '/'",
            ),
            (
                "- name: nginx",
                "- name: /abs",
                "packages[0].name '/abs' contains '/'",
            ),
            (
                "  sha1: dd",
                "  sha1: ../../x",
                "packages[0].sha1 '../../x'",
            ),
            (
                "packages: [nginx]",
                "packages: ['..']",
                "jobs[0].packages[0] '..' has a '..' segment",
            ),
            (
                "version: 1.2.3+dev.4",
                "version: a/b",
                "version 'a/b' contains '/'",
            ),
        ] {
            let e = ReleaseManifest::parse(p, &GOOD.replacen(from, to, 1))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("release.MF: ") && e.contains(want), "{e}");
        }
    }
}
