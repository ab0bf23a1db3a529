//! `lint-manifest`: what a deploy would trip on, found from the manifest and the job specs
//! alone, each at its manifest line: properties no job declares (with the declared name it
//! is probably a typo of), properties a job declares without a default that the manifest
//! does not set, links that cannot resolve, manifest link entries no spec declares, and
//! jobs no given release has.

use std::collections::BTreeSet;

use serde_json::Value;

use super::lines::Lines;
use super::releases::did_you_mean;
use super::Prepared;
use crate::template::Job;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    UnknownProperty,
    MissingProperty,
    NotAHash,
    Link,
    UnknownLink,
    MissingJob,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub line: u32,
    pub kind: Kind,
    pub group: Option<String>,
    pub job: Option<String>,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    /// The message with where it is and what to do.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if let Some(g) = &self.group {
            s.push_str(g);
            if let Some(j) = &self.job {
                s.push_str(&format!(" {j}"));
            }
            s.push_str(": ");
        }
        s.push_str(&self.message);
        if let Some(d) = &self.suggestion {
            s.push_str(&format!(" (did you mean '{d}'?)"));
        }
        s
    }
}

/// The dotted property names a job's spec declares, in spec order.
fn declared(job: &Job) -> Vec<String> {
    job.spec()
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Walks a properties tree against declared names; reports what no name covers.
fn walk(
    value: &Value,
    prefix: &str,
    names: &BTreeSet<String>,
    path: &str,
    out: &mut Vec<(String, String, Kind)>,
) {
    let Value::Object(m) = value else { return };
    for (k, v) in m {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let p = format!("{path}/{k}");
        if names.contains(&name) {
            continue;
        }
        let deeper = format!("{name}.");
        if names.iter().any(|n| n.starts_with(&deeper)) {
            if v.is_object() {
                walk(v, &name, names, &p, out);
            } else if !v.is_null() {
                out.push((name, p, Kind::NotAHash));
            }
            continue;
        }
        out.push((name, p, Kind::UnknownProperty));
    }
}

fn is_set(props: &Value, name: &str) -> bool {
    let mut cur = props;
    for seg in name.split('.') {
        match cur.get(seg) {
            Some(v) => cur = v,
            None => return false,
        }
    }
    !cur.is_null()
}

pub fn lint(prep: &Prepared) -> Vec<Finding> {
    let lines = Lines::of(&prep.manifest_text);
    let m = &prep.plan.manifest;
    let mut out = Vec::new();
    let job_of =
        |release: &str, name: &str| prep.jobs.get(&(release.to_string(), name.to_string()));
    // jobs no release has
    for (gi, g) in m.groups.iter().enumerate() {
        for (ji, jr) in g.jobs.iter().enumerate() {
            if job_of(&jr.release, &jr.name).is_some() {
                continue;
            }
            if let Some((_, e)) = prep.missing.iter().find(|(gn, e)| {
                gn == &g.name && e.job() == Some((jr.release.as_str(), jr.name.as_str()))
            }) {
                let suggestion = prep.releases.get(&jr.release).and_then(|r| {
                    did_you_mean(&jr.name, r.job_names.iter().map(String::as_str)).map(String::from)
                });
                // The finding carries the suggestion in a field of its own, not in its message.
                let message = match e {
                    super::ReleaseError::NoJob { release, job, .. } => super::ReleaseError::NoJob {
                        release: release.clone(),
                        job: job.clone(),
                        suggestion: None,
                    }
                    .to_string(),
                    other => other.to_string(),
                };
                out.push(Finding {
                    line: lines.line(&format!("instance_groups/{gi}/jobs/{ji}/name")),
                    kind: Kind::MissingJob,
                    group: Some(g.name.clone()),
                    job: Some(jr.name.clone()),
                    message,
                    suggestion,
                });
            }
        }
    }
    // properties: a job's own block against its spec; group and global blocks against
    // every job that reads them
    let mut global_readers: BTreeSet<String> = BTreeSet::new();
    let mut global_used = false;
    for (gi, g) in m.groups.iter().enumerate() {
        let mut group_readers: BTreeSet<String> = BTreeSet::new();
        let mut group_used = false;
        for (ji, jr) in g.jobs.iter().enumerate() {
            let Some(job) = job_of(&jr.release, &jr.name) else {
                continue;
            };
            let names: Vec<String> = declared(job);
            let set: BTreeSet<String> = names.iter().cloned().collect();
            match &jr.properties {
                Some(p) => {
                    let mut found = Vec::new();
                    let base = format!("instance_groups/{gi}/jobs/{ji}/properties");
                    walk(p, "", &set, &base, &mut found);
                    for (name, path, kind) in found {
                        out.push(property_finding(&lines, g, jr, &name, &path, kind, &names));
                    }
                }
                None => {
                    group_used = true;
                    group_readers.extend(set.iter().cloned());
                    global_used = true;
                    global_readers.extend(set.iter().cloned());
                }
            }
            // required properties: declared without a default, not set
            let effective = g.job_properties(jr, &m.properties);
            let defs = job.spec().get("properties").and_then(Value::as_object);
            for (name, def) in defs.into_iter().flatten() {
                let has_default = def.get("default").is_some_and(|d| !d.is_null());
                if has_default || is_set(&effective, name) {
                    continue;
                }
                out.push(Finding {
                    line: lines.line(&format!("instance_groups/{gi}/jobs/{ji}")),
                    kind: Kind::MissingProperty,
                    group: Some(g.name.clone()),
                    job: Some(jr.name.clone()),
                    message: format!(
                        "property '{name}' has no default and is not set (a template reading it with p() fails)"
                    ),
                    suggestion: None,
                });
            }
        }
        if group_used {
            let mut found = Vec::new();
            let names: Vec<String> = group_readers.iter().cloned().collect();
            walk(
                &g.properties,
                "",
                &group_readers,
                &format!("instance_groups/{gi}/properties"),
                &mut found,
            );
            for (name, path, kind) in found {
                out.push(group_finding(
                    &lines,
                    Some(&g.name),
                    &name,
                    &path,
                    kind,
                    &names,
                ));
            }
        }
    }
    if global_used {
        let mut found = Vec::new();
        let names: Vec<String> = global_readers.iter().cloned().collect();
        walk(&m.properties, "", &global_readers, "properties", &mut found);
        for (name, path, kind) in found {
            out.push(group_finding(&lines, None, &name, &path, kind, &names));
        }
    }
    // links
    for e in &prep.resolved.errors {
        let g = &m.groups[e.group];
        out.push(Finding {
            line: lines.line(&match &e.link {
                Some(l) => format!("instance_groups/{}/jobs/{}/consumes/{l}", e.group, e.job),
                None => format!("instance_groups/{}/jobs/{}/provides", e.group, e.job),
            }),
            kind: Kind::Link,
            group: Some(g.name.clone()),
            job: g.jobs.get(e.job).map(|j| j.name.clone()),
            message: e.message.clone(),
            suggestion: None,
        });
    }
    for (gi, job, what, name) in &prep.resolved.unknown {
        let g = &m.groups[*gi];
        let Some(ji) = g.jobs.iter().position(|j| &j.name == job) else {
            continue;
        };
        let jr = &g.jobs[ji];
        let declared: Vec<String> = job_of(&jr.release, &jr.name)
            .and_then(|j| j.spec().get(*what).and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.get("name").and_then(Value::as_str).map(String::from))
            .collect();
        out.push(Finding {
            line: lines.line(&format!("instance_groups/{gi}/jobs/{ji}/{what}/{name}")),
            kind: Kind::UnknownLink,
            group: Some(g.name.clone()),
            job: Some(job.clone()),
            message: format!("{what} '{name}', which the job's spec does not declare (ignored)"),
            suggestion: did_you_mean(name, declared.iter().map(String::as_str)).map(String::from),
        });
    }
    out.sort_by_key(|f| f.line);
    out
}

fn property_finding(
    lines: &Lines,
    g: &super::manifest::Group,
    jr: &super::manifest::JobRef,
    name: &str,
    path: &str,
    kind: Kind,
    names: &[String],
) -> Finding {
    let mut f = group_finding(lines, Some(&g.name), name, path, kind, names);
    f.job = Some(jr.name.clone());
    if kind == Kind::UnknownProperty {
        f.message = format!("property '{name}' is not declared by job '{}'", jr.name);
    }
    f
}

fn group_finding(
    lines: &Lines,
    group: Option<&str>,
    name: &str,
    path: &str,
    kind: Kind,
    names: &[String],
) -> Finding {
    let message = match kind {
        Kind::NotAHash => {
            format!("property '{name}' must be a hash: the spec declares properties below it")
        }
        _ => format!("property '{name}' is not declared by any job that reads these properties"),
    };
    Finding {
        line: lines.line(path),
        kind,
        group: group.map(String::from),
        job: None,
        message,
        suggestion: if kind == Kind::UnknownProperty {
            did_you_mean(name, names.iter().map(String::as_str)).map(String::from)
        } else {
            None
        },
    }
}
