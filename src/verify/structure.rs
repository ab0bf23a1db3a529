//! Rules a release.MF must satisfy on its own: unique names, known and acyclic dependencies,
//! job packages that exist, compiled packages bound to a stemcell.

use std::collections::{BTreeMap, BTreeSet};

use super::{finding, Finding};
use crate::manifest::release_mf::ReleaseManifest;

/// The rules a release.MF must satisfy on its own, for a server that receives only the
/// manifest and content-addressed archives.
pub fn manifest_findings(m: &ReleaseManifest) -> Vec<Finding> {
    let mut f = Vec::new();
    structure(m, &mut f, &mut 0);
    f
}

/// Names unique, dependencies present and acyclic, compiled packages bound to a stemcell.
pub(super) fn structure(m: &ReleaseManifest, f: &mut Vec<Finding>, checks: &mut usize) {
    let all: Vec<(&str, &[String])> = m
        .packages
        .iter()
        .chain(&m.compiled_packages)
        .map(|p| (p.name.as_str(), &p.dependencies[..]))
        .collect();
    let mut seen = BTreeSet::new();
    for (n, _) in &all {
        *checks += 1;
        if !seen.insert(*n) {
            f.push(finding(
                &format!("release.MF package {n}"),
                "duplicate name",
                "unique",
                "twice",
            ));
        }
    }
    let mut jobs = BTreeSet::new();
    for j in &m.jobs {
        *checks += 1;
        if !jobs.insert(&j.name) {
            f.push(finding(
                &format!("release.MF job {}", j.name),
                "duplicate name",
                "unique",
                "twice",
            ));
        }
        for p in j.packages.iter().flatten() {
            if !seen.contains(p.as_str()) {
                f.push(finding(
                    &format!("release.MF job {}", j.name),
                    "unknown package",
                    "a package of the release",
                    p,
                ));
            }
        }
    }
    for (n, deps) in &all {
        for d in *deps {
            *checks += 1;
            if !seen.contains(d.as_str()) {
                f.push(finding(
                    &format!("release.MF package {n}"),
                    "unknown dependency",
                    "a package of the release",
                    d,
                ));
            }
        }
    }
    for p in &m.compiled_packages {
        *checks += 1;
        if !p.stemcell.as_deref().is_some_and(|s| s.contains('/')) {
            f.push(finding(
                &format!("release.MF compiled package {}", p.name),
                "no stemcell",
                "os/version",
                p.stemcell.as_deref().unwrap_or("-"),
            ));
        }
    }
    // Cycles: repeatedly drop packages whose dependencies are all dropped.
    let mut left: BTreeMap<&str, Vec<&str>> = all
        .iter()
        .map(|(n, d)| (*n, d.iter().map(String::as_str).collect()))
        .collect();
    loop {
        let ready: Vec<&str> = left
            .iter()
            .filter(|(_, d)| d.iter().all(|x| !left.contains_key(x)))
            .map(|(n, _)| *n)
            .collect();
        if ready.is_empty() {
            break;
        }
        for r in ready {
            left.remove(r);
        }
    }
    *checks += 1;
    if !left.is_empty() {
        let names: Vec<&str> = left.keys().copied().collect();
        f.push(finding(
            "release.MF packages",
            "dependency cycle",
            "none",
            names.join(", "),
        ));
    }
}
