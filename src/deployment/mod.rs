//! Deployments offline: every instance of a deployment manifest rendered as the director
//! renders it (`render-deployment`), two renders compared file by file (`diff-render`), and
//! a manifest checked against its releases' job specs (`lint-manifest`).
//!
//! The pipeline: the manifest is read as the director reads it (`manifest`, with `-v`/`-l`
//! values substituted by `vars`), jobs come from the releases given (`releases`), instances
//! are planned without a director (`plan`: ids, AZs, addresses, DNS numbers), links are
//! resolved across the deployment (`links`), and each instance's jobs are rendered through
//! `template::render_job_with` (`render`).

pub mod diff;
pub mod lines;
pub mod links;
pub mod lint;
pub mod manifest;
pub mod plan;
pub mod releases;
pub mod render;
pub mod vars;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use self::links::{Jobs, Resolved};
use self::manifest::{Manifest, ManifestError};
use self::plan::Plan;
use self::releases::{ReleaseError, Releases};
use crate::atomic::PathError;

pub use render::{InstanceFailure, RenderedInstance};

/// What stops a deployment from rendering (exit 1), each naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error(transparent)]
    Io(#[from] PathError),
    #[error("{}: {message}", path.display())]
    Yaml { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: ManifestError,
    },
    #[error(transparent)]
    Release(#[from] ReleaseError),
    /// Jobs the manifest names that no given release has (every one listed).
    #[error("{}", .0.iter().map(|(g, e)| format!("instance group '{g}': {e}")).collect::<Vec<_>>().join("\n"))]
    MissingJobs(Vec<(String, ReleaseError)>),
    #[error("Failed to resolve links from deployment '{deployment}'. See errors below:\n  - {}", errors.join("\n  - "))]
    Links {
        deployment: String,
        errors: Vec<String>,
    },
    #[error("{}\n{} template(s) failed; nothing was written", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"), .0.len())]
    Templates(Vec<InstanceFailure>),
    #[error("no instance group '{0}' in the manifest")]
    NoGroup(String),
    #[error("'{}' exists and is not an earlier render-deployment output (no {}); give an empty or new directory", .0.display(), render::MARKER)]
    OutNotOurs(PathBuf),
    #[error("{what} name '{name}' cannot be a directory name: {message}")]
    BadName {
        what: &'static str,
        name: String,
        message: String,
    },
}

/// A manifest read, planned and linked, with the jobs it names loaded.
pub struct Prepared {
    pub plan: Plan,
    pub jobs: Jobs,
    pub resolved: Resolved,
    pub releases: Releases,
    /// Jobs that could not be loaded, by instance group.
    pub missing: Vec<(String, ReleaseError)>,
    pub manifest_text: String,
    pub manifest_path: PathBuf,
}

/// Reads the manifest as the director does (YAML 1.1) and fills `vars` into it.
pub fn read_manifest(path: &Path, vars: &Value) -> Result<(String, Value), DeployError> {
    let text = std::fs::read_to_string(path).map_err(|e| PathError::new("reading", path, e))?;
    let mut doc = rubyerb::load_yaml_json(&text).map_err(|e| DeployError::Yaml {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if vars.as_object().is_some_and(|m| !m.is_empty()) {
        vars::substitute(&mut doc, vars);
    }
    Ok((text, doc))
}

/// Everything but rendering: manifest, releases, jobs, instances and links.
pub fn prepare(
    path: &Path,
    release_paths: &[PathBuf],
    vars: &Value,
) -> Result<Prepared, DeployError> {
    let (text, doc) = read_manifest(path, vars)?;
    let manifest = Manifest::from_value(&doc).map_err(|source| DeployError::Manifest {
        path: path.to_path_buf(),
        source,
    })?;
    let mut releases = Releases::open(release_paths)?;
    let mut jobs: Jobs = HashMap::new();
    let mut missing = Vec::new();
    for g in &manifest.groups {
        for j in &g.jobs {
            let key = (j.release.clone(), j.name.clone());
            if jobs.contains_key(&key) {
                continue;
            }
            match releases.load(&j.release, &j.name) {
                Ok(job) => {
                    jobs.insert(key, job.clone());
                }
                Err(e) => missing.push((g.name.clone(), e)),
            }
        }
    }
    let mut plan = Plan::new(manifest);
    let resolved = links::resolve(&mut plan, &jobs);
    Ok(Prepared {
        plan,
        jobs,
        resolved,
        releases,
        missing,
        manifest_text: text,
        manifest_path: path.to_path_buf(),
    })
}

impl Prepared {
    /// Fails unless every job was found and every link resolved.
    pub fn check(&self) -> Result<(), DeployError> {
        if !self.missing.is_empty() {
            return Err(DeployError::MissingJobs(self.missing.clone()));
        }
        if !self.resolved.errors.is_empty() {
            return Err(DeployError::Links {
                deployment: self.plan.manifest.name.clone(),
                errors: self
                    .resolved
                    .errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect(),
            });
        }
        Ok(())
    }

    /// The version the director would record for a release: a tarball's own version when
    /// the manifest says `latest` (or nothing), else what the manifest says.
    pub fn release_version(&self, release: &str) -> Value {
        let asked = self.plan.manifest.release_version(release).unwrap_or("");
        let own = self.releases.get(release).and_then(|r| r.version.clone());
        match (asked, own) {
            ("latest" | "", Some(v)) => Value::String(v),
            ("", None) => Value::Null,
            (a, _) => Value::String(a.to_string()),
        }
    }

    /// A job's version (its fingerprint) when its release tarball records one.
    pub fn job_version(&self, release: &str, job: &str) -> Value {
        self.releases
            .job_version(release, job)
            .map(Value::String)
            .unwrap_or(Value::Null)
    }
}

/// Counts of a render, for the summary line and the JSON document.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub instances: usize,
    pub jobs: usize,
    pub files: usize,
}

pub fn counts(rendered: &[RenderedInstance]) -> Counts {
    Counts {
        instances: rendered.len(),
        jobs: rendered.iter().map(|i| i.jobs.len()).sum(),
        files: rendered
            .iter()
            .flat_map(|i| &i.jobs)
            .map(|j| j.files.len())
            .sum(),
    }
}
