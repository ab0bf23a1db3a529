//! Every job of every instance rendered through `template::render_jobs` with the
//! context the director would build for it (instance spec, bound properties, resolved
//! links, DNS tables), plus the `.bosh/links.json` the director adds to each job; then the
//! whole tree written at once.

use std::path::Path;

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use super::plan::{Instance, ROOT_DOMAIN};
use super::{DeployError, Prepared};
use crate::name::{Name, RelPath};
use crate::template::{self, Context, RenderError, RenderOptions};

/// One rendered job of one instance: files by path relative to the job directory.
#[derive(Debug, Clone)]
pub struct JobFiles {
    pub job: String,
    pub files: Vec<(RelPath, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct RenderedInstance {
    pub group: String,
    pub index: usize,
    pub id: String,
    pub az: Option<String>,
    pub jobs: Vec<JobFiles>,
}

/// A failing template of one instance's job, as the report prints it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{group}/{index} {job} {path}:{line}: {}", message.replace('\n', "\\n"))]
pub struct InstanceFailure {
    pub group: String,
    pub index: usize,
    pub job: String,
    /// `templates/X`, `monit`, or `spec` (property format, line 0).
    pub path: String,
    pub line: u32,
    pub message: String,
}

/// The spec fields of one instance running `job` (everything but properties and links).
fn fields(prep: &Prepared, inst: &Instance, job: usize) -> Map<String, Value> {
    let plan = &prep.plan;
    let m = &plan.manifest;
    let g = plan.group(inst);
    let jr = &g.jobs[job];
    let (networks, ip) = plan.networks(inst);
    let job_entry = |j: &super::manifest::JobRef| {
        let version = prep.job_version(&j.release, &j.name);
        json!({ "name": j.name, "version": version, "sha1": Value::Null, "blobstore_id": Value::Null })
    };
    let templates: Vec<Value> = g.jobs.iter().map(job_entry).collect();
    let first = g.jobs.first();
    let release_version = prep.release_version(&jr.release);
    let mut f = Map::new();
    f.insert("deployment".into(), json!(m.name));
    f.insert(
        "job".into(),
        json!({
            "name": g.name,
            "templates": templates,
            "template": first.map(|j| j.name.clone()),
            "version": first.map(|j| prep.job_version(&j.release, &j.name)),
        }),
    );
    f.insert("index".into(), json!(inst.index));
    f.insert("bootstrap".into(), json!(inst.bootstrap));
    f.insert("name".into(), json!(g.name));
    f.insert("id".into(), json!(inst.id));
    f.insert("az".into(), json!(inst.az));
    f.insert("networks".into(), networks);
    f.insert("properties_need_filtering".into(), json!(true));
    f.insert("dns_domain_name".into(), json!(ROOT_DOMAIN));
    let disk = match &g.persistent_disk {
        Some(Value::Number(n)) => Value::Number(n.clone()),
        _ => json!(0),
    };
    f.insert("persistent_disk".into(), disk);
    f.insert("address".into(), json!(plan.instance_address(inst)));
    f.insert("ip".into(), ip);
    f.insert(
        "release".into(),
        json!({ "name": jr.release, "version": release_version }),
    );
    f
}

/// The links this job provides on its instance group (`{name, type, group}`), sorted by
/// DNS group id as the director sorts them for `.bosh/links.json`.
fn provided(prep: &Prepared, group: usize, job: &str) -> Vec<Value> {
    let m = &prep.plan.manifest;
    let mut list: Vec<(String, Value)> = prep
        .resolved
        .providers
        .iter()
        .filter(|p| p.group == group && p.job == job)
        .map(|p| {
            let gid = prep
                .plan
                .dns
                .group_ids
                .get(&format!("link/{}/{}", p.group_name(), m.name))
                .map(|g| g.to_string())
                .unwrap_or_default();
            (
                gid.clone(),
                json!({ "name": p.name, "type": p.ty, "group": gid }),
            )
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list.into_iter().map(|(_, v)| v).collect()
}

/// `.bosh/links.json` as `JSON.pretty_generate` prints it.
fn links_json(arr: Vec<Value>) -> Vec<u8> {
    if arr.is_empty() {
        return b"[]\n".to_vec();
    }
    let mut s = serde_json::to_string_pretty(&Value::Array(arr)).expect("JSON values print");
    s.push('\n');
    s.into_bytes()
}

/// The context `render_job` receives for one instance's job.
pub fn context(prep: &Prepared, inst: &Instance, job: usize) -> Context {
    let g = prep.plan.group(inst);
    let jr = &g.jobs[job];
    Context {
        fields: fields(prep, inst, job).into(),
        properties: g.job_properties(jr, &prep.plan.manifest.properties),
        links: Value::Object(
            prep.resolved
                .links
                .get(&(inst.group, jr.name.clone()))
                .cloned()
                .unwrap_or_default(),
        )
        .into(),
        dns: prep.plan.dns.to_json(),
        provided_links: Value::Array(provided(prep, inst.group, &jr.name)),
    }
}

/// Writes each instance job's context as the reference renderer reads it
/// (`DIR/<group>/<index>/<job>.json`), so its output can be checked against bale's.
pub fn write_contexts(prep: &Prepared, dir: &Path) -> Result<(), DeployError> {
    let d = crate::beneath::Dir::open(dir, true)
        .map_err(|e| crate::atomic::PathError::new("creating", dir, e))?;
    for inst in &prep.plan.instances {
        let g = prep.plan.group(inst);
        for (j, jr) in g.jobs.iter().enumerate() {
            let ctx = context(prep, inst, j);
            let mut all = std::sync::Arc::unwrap_or_clone(ctx.fields);
            all.insert("properties".into(), ctx.properties);
            all.insert("links".into(), std::sync::Arc::unwrap_or_clone(ctx.links));
            all.insert("dns".into(), ctx.dns);
            all.insert("provided_links".into(), ctx.provided_links);
            let text = serde_json::to_string_pretty(&Value::Object(all)).expect("JSON prints");
            let rel = RelPath::new(format!("{}/{}/{}.json", g.name, inst.index, jr.name)).map_err(
                |e| DeployError::BadName {
                    what: "instance group or job",
                    name: format!("{}/{}", g.name, jr.name),
                    message: e.to_string(),
                },
            )?;
            d.write(&rel, text.as_bytes())
                .map_err(|e| crate::atomic::PathError::new("writing", &rel.under(dir), e))?;
        }
    }
    Ok(())
}

/// Renders every instance (of `only_group` when given); all failures are collected.
pub fn render_all(
    prep: &Prepared,
    only_group: Option<&str>,
    opts: RenderOptions,
) -> Result<Vec<RenderedInstance>, DeployError> {
    let plan = &prep.plan;
    if let Some(g) = only_group {
        if !plan.manifest.groups.iter().any(|x| x.name == g) {
            return Err(DeployError::NoGroup(g.to_string()));
        }
    }
    let instances: Vec<&Instance> = plan
        .instances
        .iter()
        .filter(|i| only_group.is_none_or(|g| plan.group(i).name == g))
        .collect();
    let tasks: Vec<(usize, usize)> = instances
        .iter()
        .enumerate()
        .flat_map(|(k, i)| (0..plan.group(i).jobs.len()).map(move |j| (k, j)))
        .collect();
    // in batches, each rendered by one thread in passes (`template::render_jobs`)
    let results: Vec<Result<JobFiles, Vec<InstanceFailure>>> = tasks
        .par_chunks(template::batch_size(
            tasks.len(),
            rayon::current_num_threads(),
        ))
        .flat_map_iter(|chunk| render_batch(prep, &instances, chunk, opts))
        .collect();
    let mut out: Vec<RenderedInstance> = instances
        .iter()
        .map(|i| RenderedInstance {
            group: plan.group(i).name.clone(),
            index: i.index,
            id: i.id.clone(),
            az: i.az.clone(),
            jobs: Vec::new(),
        })
        .collect();
    let mut failures = Vec::new();
    for ((k, _), r) in tasks.iter().zip(results) {
        match r {
            Ok(jf) => out[*k].jobs.push(jf),
            Err(f) => failures.extend(f),
        }
    }
    if !failures.is_empty() {
        return Err(DeployError::Templates(failures));
    }
    Ok(out)
}

/// Renders the instance jobs `chunk` (by instance and job index) as one batch; each
/// result in order.
fn render_batch(
    prep: &Prepared,
    instances: &[&Instance],
    chunk: &[(usize, usize)],
    opts: RenderOptions,
) -> Vec<Result<JobFiles, Vec<InstanceFailure>>> {
    let plan = &prep.plan;
    let fail = |k: usize, j: usize, path: String, line: u32, message: String| {
        let inst = instances[k];
        let g = plan.group(inst);
        InstanceFailure {
            group: g.name.clone(),
            index: inst.index,
            job: g.jobs[j].name.clone(),
            path,
            line,
            message,
        }
    };
    let found: Vec<Option<(&template::Job, Context)>> = chunk
        .iter()
        .map(|&(k, j)| {
            let jr = &plan.group(instances[k]).jobs[j];
            let job = prep.jobs.get(&(jr.release.clone(), jr.name.clone()))?;
            Some((job, context(prep, instances[k], j)))
        })
        .collect();
    let batch: Vec<(&template::Job, &Context)> = found
        .iter()
        .flatten()
        .map(|(job, ctx)| (*job, ctx))
        .collect();
    let mut rendered = template::render_jobs(&batch, opts).into_iter();
    chunk
        .iter()
        .zip(&found)
        .map(|(&(k, j), f)| {
            let Some((_, ctx)) = f else {
                return Err(vec![fail(k, j, "spec".into(), 0, "job not found".into())]);
            };
            match rendered.next().expect("one result per job rendered") {
                Ok(r) => {
                    let mut files = r.files;
                    let dest = RelPath::new(".bosh/links.json").expect("a fixed path");
                    let list = ctx.provided_links.as_array().cloned().unwrap_or_default();
                    files.push((dest, links_json(list)));
                    Ok(JobFiles {
                        job: plan.group(instances[k]).jobs[j].name.clone(),
                        files,
                    })
                }
                Err(RenderError::Context(e)) => Err(vec![fail(k, j, "spec".into(), 0, e)]),
                Err(RenderError::Templates(fs)) => Err(fs
                    .into_iter()
                    .map(|f| fail(k, j, f.path, f.line, f.message))
                    .collect()),
            }
        })
        .collect()
}

/// Marks a directory as a render-deployment output, so that a later run may replace it.
pub const MARKER: &str = ".bale-render-deployment";

/// Writes `OUT/<group>/<index>/<job>/…` into a fresh directory beside `out`, then swaps it
/// in: `out` must be absent, empty, or an earlier output (it has the marker file).
pub fn write_out(out: &Path, rendered: &[RenderedInstance]) -> Result<usize, DeployError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let replace = if out.is_dir() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| crate::atomic::PathError::new("reading", out, e))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(DeployError::OutNotOurs(out.to_path_buf()));
        }
        true
    } else if out.exists() {
        return Err(DeployError::OutNotOurs(out.to_path_buf()));
    } else {
        false
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| crate::atomic::PathError::new("creating directory", &parent, e))?;
    let tmp = crate::atomic::temp_dir_in(&parent, ".bale-render-")?;
    let dir = crate::beneath::Dir::open(tmp.path(), false)
        .map_err(|e| crate::atomic::PathError::new("opening", tmp.path(), e))?;
    let mut count = 0;
    for inst in rendered {
        let group = Name::new(inst.group.as_str()).map_err(|e| DeployError::BadName {
            what: "instance group",
            name: inst.group.clone(),
            message: e.to_string(),
        })?;
        for jf in &inst.jobs {
            let base = RelPath::new(format!("{group}/{}/{}", inst.index, jf.job)).map_err(|e| {
                DeployError::BadName {
                    what: "job",
                    name: jf.job.clone(),
                    message: e.to_string(),
                }
            })?;
            for (rel, bytes) in &jf.files {
                let path = RelPath::new(format!("{base}/{rel}")).expect("joined checked paths");
                dir.write(&path, bytes)
                    .map_err(|e| crate::atomic::PathError::new("writing", &path.under(out), e))?;
                count += 1;
            }
        }
    }
    let marker = RelPath::new(MARKER).expect("a plain name");
    dir.write(
        &marker,
        b"written by bale render-deployment; replaced by its next run\n",
    )
    .map_err(|e| crate::atomic::PathError::new("writing", out, e))?;
    let kept = tmp.keep();
    if replace {
        let old = parent.join(format!(
            ".bale-render-old-{}",
            kept.file_name().unwrap_or_default().to_string_lossy()
        ));
        std::fs::rename(out, &old).map_err(|e| crate::atomic::PathError::new("moving", out, e))?;
        std::fs::rename(&kept, out)
            .map_err(|e| crate::atomic::PathError::new("renaming into", out, e))?;
        std::fs::remove_dir_all(&old)
            .map_err(|e| crate::atomic::PathError::new("removing", &old, e))?;
    } else {
        std::fs::rename(&kept, out)
            .map_err(|e| crate::atomic::PathError::new("renaming into", out, e))?;
    }
    Ok(count)
}
