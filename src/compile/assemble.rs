//! What goes into the compiled release (all jobs, or those asked for and the packages they
//! need), its tarball from the packages' results, and the failure text that names a failed
//! package's log.

use std::fs;
use std::path::{Path, PathBuf};

use super::cache::Entry;
use super::graph::Graph;
use super::input;
use crate::digest_cache::DigestCache;
use crate::error::{Error, Result};
use crate::manifest::release_mf::{HostOs, PackageRef, ReleaseManifest};
use crate::release::tarball;

pub(super) fn failure_text(
    name: &str,
    err: &super::error::TaskError,
    log: Option<&PathBuf>,
) -> String {
    let mut s = format!("Package '{name}': {err}");
    if let Some(log) = log {
        let text = fs::read(log).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let lines: Vec<&str> = text.lines().collect();
        let tail = &lines[lines.len().saturating_sub(15)..];
        s.push_str(&format!("\nLog: {}", log.display()));
        if !tail.is_empty() {
            s.push_str(&format!(
                " (last {} lines)\n  | {}",
                tail.len(),
                tail.join("\n  | ")
            ));
        }
    }
    s
}

/// What the compiled packages are labelled for, and what they were really built on when that
/// was this machine's root rather than the stemcell's.
pub(super) struct Built<'a> {
    pub stemcell: &'a str,
    pub host: Option<&'a HostOs>,
}

pub(super) fn write_compiled(
    opened: &input::Unpacked,
    graph: &Graph,
    needed: &[bool],
    jobs: &[String],
    results: &[Option<Entry>],
    built: &Built<'_>,
    dest: &Path,
) -> Result<()> {
    let src = &opened.manifest;
    let digests = DigestCache::in_memory();
    let mut compiled_refs = Vec::new();
    let mut compiled = Vec::new();
    for (i, p) in graph.packages.iter().enumerate() {
        if !needed[i] {
            continue;
        }
        let e = results[i].as_ref().expect("every needed package compiled");
        compiled_refs.push(PackageRef {
            name: p.name.clone(),
            version: p.version.clone(),
            fingerprint: p.fingerprint.clone(),
            sha1: e.meta.digest.clone(),
            stemcell: Some(built.stemcell.to_string()),
            dependencies: p.dependencies.clone(),
        });
        let digest: crate::digest::Digest = e.meta.digest.parse()?;
        digests.remember(&e.path, &digest);
        compiled.push(tarball::Inner {
            name: p.name.clone(),
            file: e.path.clone(),
            sha1: e.meta.digest.clone(),
        });
    }
    let job_refs: Vec<_> = src
        .jobs
        .iter()
        .filter(|j| jobs.contains(&j.name))
        .cloned()
        .collect();
    let job_files = job_refs
        .iter()
        .map(|j| {
            Ok(tarball::Inner {
                name: j.name.clone(),
                file: opened.archive(&format!("jobs/{}.tgz", j.name))?.clone(),
                sha1: j.sha1.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let license = match &src.license {
        Some(l) => Some(tarball::Inner {
            name: "license".into(),
            file: opened.archive("license.tgz")?.clone(),
            sha1: l.sha1.clone(),
        }),
        None => None,
    };
    let manifest = ReleaseManifest {
        jobs: job_refs,
        packages: Vec::new(),
        compiled_packages: compiled_refs,
        compiled_on_host: built.host.cloned(),
        ..src.clone()
    };
    tarball::write(
        dest,
        &digests,
        &manifest,
        &job_files,
        &[],
        &compiled,
        license.as_ref(),
        true,
    )
}

/// The jobs to keep and the packages to compile: everything (as `bosh-agent compile`
/// does), or only what the named jobs need (as the director's export does).
pub(super) fn select(
    m: &ReleaseManifest,
    graph: &Graph,
    names: &[String],
) -> Result<(Vec<String>, Vec<bool>)> {
    if names.is_empty() {
        return Ok((
            m.jobs.iter().map(|j| j.name.clone()).collect(),
            vec![true; graph.len()],
        ));
    }
    let mut roots = Vec::new();
    for n in names {
        let job = m.jobs.iter().find(|j| &j.name == n).ok_or_else(|| {
            Error::msg(format!(
                "Job '{n}' is not in release '{}/{}' (jobs: {})",
                m.name,
                m.version,
                m.jobs
                    .iter()
                    .map(|j| j.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let pkgs = job.packages.clone().ok_or_else(|| {
            Error::msg(format!(
                "release.MF does not list the packages of job '{n}' (made by a CLI older than v5.5.0): compile without --job"
            ))
        })?;
        for p in pkgs {
            roots.push(graph.index_of(&p).ok_or_else(|| {
                Error::msg(format!(
                    "Job '{n}' needs package '{p}', which the release does not contain"
                ))
            })?);
        }
    }
    Ok((names.to_vec(), graph.closure(&roots)))
}
