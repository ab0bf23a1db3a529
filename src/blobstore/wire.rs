//! The JSON the registry API speaks, shared by the server and bale's client commands.

use serde::{Deserialize, Serialize};

use super::registry::{ReleaseRecord, StemcellRecord};
use crate::digest::{Algo, Digest};
use crate::manifest::release_mf::{PackageRef, ReleaseManifest};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveInfo {
    pub name: String,
    pub version: String,
    pub fingerprint: String,
    pub sha1: String,
    pub object: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// `os/version` for compiled packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stemcell: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReleaseInfo {
    pub name: String,
    pub version: String,
    pub commit_hash: String,
    pub uncommitted_changes: bool,
    /// SHA-256 of release.MF as uploaded: equal manifests, equal releases.
    pub manifest_sha256: String,
    pub jobs: Vec<ArchiveInfo>,
    pub packages: Vec<ArchiveInfo>,
    pub compiled_packages: Vec<ArchiveInfo>,
    /// The object of `license.tgz`, when the release has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_object: Option<String>,
    pub uploaded_at: u64,
}

pub fn manifest_sha256(text: &str) -> String {
    Digest::of_bytes(Algo::Sha256, text.as_bytes())
        .hex()
        .to_string()
}

impl ReleaseInfo {
    pub fn of(r: &ReleaseRecord) -> ReleaseInfo {
        let m = r.manifest();
        let object = |entry: String| {
            r.objects
                .iter()
                .find(|(e, _)| *e == entry)
                .map(|(_, o)| o.clone())
                .unwrap_or_default()
        };
        let pkgs = |list: &[crate::manifest::release_mf::PackageRef], dir: &str| {
            list.iter()
                .map(|p| ArchiveInfo {
                    name: p.name.clone(),
                    version: p.version.clone(),
                    fingerprint: p.fingerprint.clone(),
                    sha1: p.sha1.clone(),
                    object: object(format!("{dir}/{}.tgz", p.name)),
                    dependencies: p.dependencies.clone(),
                    stemcell: p.stemcell.clone(),
                })
                .collect()
        };
        ReleaseInfo {
            name: r.name.clone(),
            version: r.version.clone(),
            commit_hash: m
                .as_ref()
                .map(|m| m.commit_hash.clone())
                .unwrap_or_default(),
            uncommitted_changes: m.as_ref().is_some_and(|m| m.uncommitted_changes),
            manifest_sha256: manifest_sha256(&r.manifest),
            jobs: m
                .as_ref()
                .map(|m| {
                    m.jobs
                        .iter()
                        .map(|j| ArchiveInfo {
                            name: j.name.clone(),
                            version: j.version.clone(),
                            fingerprint: j.fingerprint.clone(),
                            sha1: j.sha1.clone(),
                            object: object(format!("jobs/{}.tgz", j.name)),
                            dependencies: Vec::new(),
                            stemcell: None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            packages: m
                .as_ref()
                .map(|m| pkgs(&m.packages, "packages"))
                .unwrap_or_default(),
            compiled_packages: m
                .as_ref()
                .map(|m| pkgs(&m.compiled_packages, "compiled_packages"))
                .unwrap_or_default(),
            license_object: r
                .objects
                .iter()
                .find(|(e, _)| e == "license.tgz")
                .map(|(_, o)| o.clone()),
            uploaded_at: r.uploaded_at,
        }
    }
}

impl ReleaseInfo {
    /// Whether this registered release holds the archives `m` lists, by name, version,
    /// fingerprint and digest. release.MF's bytes may differ for the same release: the
    /// `bosh` CLI writes the manifest anew when it uploads.
    pub fn holds(&self, m: &ReleaseManifest) -> bool {
        type Row = (&'static str, String, String, String, String);
        let mine = |list: &[ArchiveInfo], kind: &'static str| -> Vec<Row> {
            list.iter()
                .map(|a| {
                    (
                        kind,
                        a.name.clone(),
                        a.version.clone(),
                        a.fingerprint.clone(),
                        a.sha1.clone(),
                    )
                })
                .collect()
        };
        let theirs = |list: &[PackageRef], kind: &'static str| -> Vec<Row> {
            list.iter()
                .map(|p| {
                    (
                        kind,
                        p.name.clone(),
                        p.version.clone(),
                        p.fingerprint.clone(),
                        p.sha1.clone(),
                    )
                })
                .collect()
        };
        let mut a: Vec<Row> = mine(&self.jobs, "job");
        a.extend(mine(&self.packages, "package"));
        a.extend(mine(&self.compiled_packages, "compiled"));
        let mut b: Vec<Row> = m
            .jobs
            .iter()
            .map(|j| {
                (
                    "job",
                    j.name.clone(),
                    j.version.clone(),
                    j.fingerprint.clone(),
                    j.sha1.clone(),
                )
            })
            .collect();
        b.extend(theirs(&m.packages, "package"));
        b.extend(theirs(&m.compiled_packages, "compiled"));
        a.sort();
        b.sort();
        let license = match (&m.license, &self.license_object) {
            (None, None) => true,
            (Some(l), Some(o)) => l
                .sha1
                .parse::<crate::digest::MultiDigest>()
                .is_ok_and(|d| crate::provider::ObjectId::for_digest(d.strongest()).as_str() == o),
            _ => false,
        };
        a == b && license
    }
}

/// What a client registers for a stemcell it has uploaded as one object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StemcellUpload {
    pub name: String,
    pub version: String,
    pub operating_system: String,
    pub sha1: String,
    pub api_version: Option<u64>,
    #[serde(default)]
    pub formats: Vec<String>,
    pub object: String,
}

pub type StemcellInfo = StemcellRecord;

/// Answer to a registration or a delete.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// `created`, `exists`, `replaced`, `deleted`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<String>,
    #[serde(default)]
    pub objects_deleted: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Body bytes of every PUT the server accepted since it started.
    pub bytes_received: u64,
    pub objects_written: u64,
}
