//! `bale render` and `bale lint-templates`. `render --job-dir/--context/--out` keeps the
//! reference renderer's contract (silent on success; one `PATH:LINE: message` line per
//! failing template on stderr; exit 1 for template errors, 2 for unusable input), so the
//! same conformance harness runs both.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::{json, Map, Value};
use sha2::Digest as _;

use crate::archive::{self, EntryInfo, EntryKind, EntryVisitor};
use crate::template::{self, Context, Job, RenderError, RenderOptions};

#[derive(Args, Debug)]
pub(super) struct RenderArgs {
    /// Job directory (spec, monit, templates/)
    #[arg(long, value_name = "DIR", conflicts_with = "release")]
    job_dir: Option<PathBuf>,
    /// Release directory or release tarball holding the job (with --job)
    #[arg(long, value_name = "PATH", requires = "job")]
    release: Option<PathBuf>,
    /// Job name in --release
    #[arg(long, value_name = "NAME")]
    job: Option<String>,
    /// Render context: instance spec fields, properties, links (erb-oracle's context.json)
    #[arg(long, value_name = "FILE", conflicts_with = "manifest")]
    context: Option<PathBuf>,
    /// Deployment manifest (or one instance group) to take the context from
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Instance group in --manifest (default: the first that has the job)
    #[arg(long, value_name = "NAME")]
    instance_group: Option<String>,
    /// Instance index for --manifest
    #[arg(long, default_value_t = 0)]
    index: i64,
    /// Directory to write the rendered job into
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Keep property hashes in manifest order (the bosh-template test helper's behaviour)
    #[arg(long)]
    no_sort: bool,
    /// Also write .bosh/links.json from the context's provided_links
    #[arg(long)]
    links_json: bool,
}

#[derive(Args, Debug)]
pub(super) struct LintArgs {
    /// Release directory or release tarball (default: the current directory)
    #[arg(default_value = ".")]
    release: PathBuf,
    /// Only these jobs (repeatable)
    #[arg(long = "job", value_name = "NAME")]
    jobs: Vec<String>,
    /// Write the context each job was rendered with to DIR/JOB.json (erb-oracle's format)
    #[arg(long, value_name = "DIR")]
    write_contexts: Option<PathBuf>,
}

fn context_error(msg: &str, json_out: bool) -> ExitCode {
    if json_out {
        println!("{}", json!({ "error": msg }));
    } else {
        eprintln!("context error: {msg}");
    }
    ExitCode::from(2)
}

pub(super) fn render(a: &RenderArgs, json_out: bool) -> ExitCode {
    let job = match (&a.job_dir, &a.release, &a.job) {
        (Some(dir), _, _) => Job::from_dir(dir),
        (None, Some(rel), Some(name)) => load_release_job(rel, name),
        _ => Err("give --job-dir DIR, or --release PATH --job NAME".to_string()),
    };
    let job = match job {
        Ok(j) => j,
        Err(e) => return context_error(&e, json_out),
    };
    let ctx = match (&a.context, &a.manifest) {
        (Some(c), _) => std::fs::read_to_string(c)
            .map_err(|e| format!("{}: {e}", c.display()))
            .and_then(|t| Context::from_json(&t).map_err(|e| format!("{}: {e}", c.display()))),
        (None, Some(m)) => context_from_manifest(m, &job, a.instance_group.as_deref(), a.index),
        (None, None) => Ok(lint_context(&job, &[])),
    };
    let ctx = match ctx {
        Ok(c) => c,
        Err(e) => return context_error(&e, json_out),
    };
    let rendered = match template::render_job_with(&job, &ctx, RenderOptions { no_sort: a.no_sort })
    {
        Ok(r) => r,
        Err(RenderError::Context(e)) => return context_error(&e, json_out),
        Err(RenderError::Templates(fails)) => {
            if json_out {
                let errs: Vec<Value> = fails.iter().map(|f| json!({ "template": f.path, "line": f.line, "class": f.class, "message": f.message })).collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "job": job.name, "errors": errs }))
                        .unwrap()
                );
            } else {
                for f in &fails {
                    eprintln!("{}:{}: {}", f.path, f.line, f.message.replace('\n', "\\n"));
                }
            }
            return ExitCode::from(1);
        }
    };
    let mut files = rendered.files;
    if a.links_json {
        let mut list: Vec<Value> = ctx.provided_links.as_array().cloned().unwrap_or_default();
        list.sort_by_key(|e| {
            e.get("group")
                .map(|g| match g {
                    Value::String(s) => s.clone(),
                    o => o.to_string(),
                })
                .unwrap_or_default()
        });
        let text = format!("{}\n", ruby_pretty_json(&Value::Array(list)));
        files.push((".bosh/links.json".into(), text.into_bytes()));
    }
    if let Some(out) = &a.out {
        for (dest, bytes) in &files {
            let path = out.join(dest);
            if let Some(parent) = path.parent() {
                if let Err(e) = std::fs::create_dir_all(parent) {
                    eprintln!("creating {}: {e}", parent.display());
                    return ExitCode::from(2);
                }
            }
            if let Err(e) = crate::atomic::write(&path, bytes) {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    if json_out {
        let list: Vec<Value> = files
            .iter()
            .map(|(d, b)| json!({ "path": d, "size": b.len(), "sha256": hex(&sha2::Sha256::digest(b)) }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "job": job.name, "files": list })).unwrap()
        );
    } else if a.out.is_none() {
        // no output dir: print the files
        for (d, b) in &files {
            println!("==> {d} <==");
            print!("{}", String::from_utf8_lossy(b));
        }
    }
    ExitCode::SUCCESS
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// JSON.pretty_generate of data (used for links.json).
fn ruby_pretty_json(v: &Value) -> String {
    match v {
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        _ => serde_json::to_string_pretty(v).unwrap(),
    }
}

/// Reads one job from a release directory (`jobs/NAME`) or a release tarball.
pub(super) fn load_release_job(release: &Path, name: &str) -> Result<Job, String> {
    if release.is_dir() {
        let dir = release.join("jobs").join(name);
        if !dir.is_dir() {
            return Err(format!(
                "release '{}' has no job '{name}' (no {})",
                release.display(),
                dir.display()
            ));
        }
        return Job::from_dir(&dir);
    }
    let opened = crate::release::open::open(release, true).map_err(|e| e.to_string())?;
    let inner = opened.archive(&format!("jobs/{name}.tgz")).map_err(|e| {
        format!(
            "{e} (jobs in it: {})",
            opened
                .manifest
                .jobs
                .iter()
                .map(|j| j.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    job_from_archive(inner, name)
}

fn release_job_names(release: &Path) -> Result<Vec<String>, String> {
    if release.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(release.join("jobs"))
            .map_err(|e| {
                format!(
                    "{}: {e} (is this a release directory?)",
                    release.join("jobs").display()
                )
            })?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("spec").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        return Ok(names);
    }
    let opened = crate::release::open::open(release, false).map_err(|e| e.to_string())?;
    Ok(opened
        .manifest
        .jobs
        .iter()
        .map(|j| j.name.clone())
        .collect())
}

struct JobFiles(std::collections::HashMap<String, Vec<u8>>);

impl EntryVisitor for JobFiles {
    fn entry(&mut self, info: &EntryInfo, data: &mut dyn Read) -> Result<(), String> {
        if info.kind != EntryKind::File {
            return Ok(());
        }
        let mut buf = Vec::new();
        data.read_to_end(&mut buf).map_err(|e| e.to_string())?;
        self.0
            .insert(info.name.trim_start_matches("./").to_string(), buf);
        Ok(())
    }
}

fn job_from_archive(path: &Path, name: &str) -> Result<Job, String> {
    let mut files = JobFiles(Default::default());
    archive::read_entries(path, &mut files).map_err(|e| e.to_string())?;
    let spec = files
        .0
        .get("job.MF")
        .ok_or_else(|| format!("job '{name}' has no job.MF"))?;
    let spec = String::from_utf8_lossy(spec).into_owned();
    let monit = files.0.get("monit").cloned();
    Job::from_parts(
        Path::new(&format!("jobs/{name}/job.MF")),
        &spec,
        monit,
        |src| {
            files
                .0
                .get(&format!("templates/{src}"))
                .cloned()
                .ok_or_else(|| format!("job '{name}' has no templates/{src}"))
        },
        name.to_string(),
    )
}

/// The instance spec bale invents when a manifest or linter gives none.
fn instance_fields(
    deployment: &str,
    group: &str,
    job: &str,
    index: i64,
    az: &str,
    ip: &str,
    network: &str,
) -> Map<String, Value> {
    let id = format!("{:08x}-0000-4000-8000-{:012x}", index, index);
    let Value::Object(m) = json!({
        "deployment": deployment,
        "name": group,
        "index": index,
        "id": id,
        "az": az,
        "bootstrap": index == 0,
        "address": ip,
        "ip": ip,
        "dns_domain_name": "bosh",
        "persistent_disk": 0,
        "networks": { network: { "type": "manual", "ip": ip, "netmask": "255.255.255.0", "gateway": "10.0.0.1", "default": ["dns", "gateway"], "dns": ["10.0.0.2"], "cloud_properties": {} } },
        "job": { "name": group, "templates": [{ "name": job }] },
        "release": { "name": "release", "version": "0+dev.1" },
        "properties_need_filtering": true,
    }) else {
        unreachable!()
    };
    m
}

/// A context from a deployment manifest: the instance group running `job`, its job
/// properties and manifest-defined (manual) links.
pub(super) fn context_from_manifest(
    path: &Path,
    job: &Job,
    group: Option<&str>,
    index: i64,
) -> Result<Context, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let m = template::load_yaml_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let deployment = m
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("deployment")
        .to_string();
    let groups: Vec<Value> = match m.get("instance_groups").and_then(|v| v.as_array()) {
        Some(g) => g.clone(),
        None if m.get("jobs").is_some() => vec![m.clone()],
        None => {
            return Err(format!(
                "{}: no instance_groups (nor a single instance group with jobs)",
                path.display()
            ))
        }
    };
    let has_job = |g: &Value| {
        g.get("jobs").and_then(|j| j.as_array()).is_some_and(|js| {
            js.iter()
                .any(|j| j.get("name").and_then(|n| n.as_str()) == Some(&job.name))
        })
    };
    let ig = groups
        .iter()
        .find(|g| match group {
            Some(n) => g.get("name").and_then(|v| v.as_str()) == Some(n),
            None => has_job(g),
        })
        .ok_or_else(|| {
            format!(
                "{}: no instance group {}",
                path.display(),
                group
                    .map(|g| format!("'{g}'"))
                    .unwrap_or_else(|| format!("runs job '{}'", job.name))
            )
        })?;
    let igname = ig
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or("instance")
        .to_string();
    let jdef = ig
        .get("jobs")
        .and_then(|j| j.as_array())
        .and_then(|js| {
            js.iter()
                .find(|j| j.get("name").and_then(|n| n.as_str()) == Some(&job.name))
                .cloned()
        })
        .unwrap_or(Value::Null);
    let az = ig
        .get("azs")
        .and_then(|a| a.as_array())
        .and_then(|a| a.first())
        .and_then(|a| a.as_str())
        .unwrap_or("z1")
        .to_string();
    let net = ig
        .get("networks")
        .and_then(|n| n.as_array())
        .and_then(|n| n.first())
        .cloned()
        .unwrap_or(Value::Null);
    let netname = net
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("default")
        .to_string();
    let ip = net
        .get("static_ips")
        .and_then(|s| s.as_array())
        .and_then(|s| s.get(index as usize))
        .and_then(|s| s.as_str())
        .map(String::from)
        .unwrap_or_else(|| format!("10.0.0.{}", 10 + index));
    let mut fields = instance_fields(&deployment, &igname, &job.name, index, &az, &ip, &netname);
    let jobs_list: Vec<Value> = ig
        .get("jobs")
        .and_then(|j| j.as_array())
        .map(|js| {
            js.iter()
                .map(|j| json!({ "name": j.get("name").cloned().unwrap_or(Value::Null) }))
                .collect()
        })
        .unwrap_or_default();
    fields.insert(
        "job".into(),
        json!({ "name": igname, "templates": jobs_list }),
    );
    if let Some(rel) = jdef.get("release").and_then(|r| r.as_str()) {
        let version = m
            .get("releases")
            .and_then(|r| r.as_array())
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r.get("name").and_then(|n| n.as_str()) == Some(rel))
            })
            .and_then(|r| r.get("version"))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                o => o.to_string(),
            })
            .unwrap_or_else(|| "latest".into());
        fields.insert("release".into(), json!({ "name": rel, "version": version }));
    }
    if let Some(d) = ig.get("persistent_disk") {
        fields.insert("persistent_disk".into(), d.clone());
    }
    let mut props = jdef
        .get("properties")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    if props.is_null() {
        props = Value::Object(Map::new());
    }
    let mut links = Map::new();
    if let Some(Value::Object(cons)) = jdef.get("consumes") {
        for (name, l) in cons {
            if l.is_null() || l.as_str() == Some("nil") {
                continue;
            }
            if l.get("instances").is_some()
                || l.get("properties").is_some()
                || l.get("address").is_some()
            {
                let instances: Vec<Value> = l.get("instances").and_then(|i| i.as_array()).cloned().unwrap_or_default().into_iter().enumerate().map(|(i, inst)| {
                    json!({ "name": name, "index": i, "id": format!("{:08x}-0000-4000-8000-{:012x}", i, i), "az": az, "address": inst.get("address").cloned().unwrap_or(Value::Null), "bootstrap": i == 0 })
                }).collect();
                let mut link = json!({ "instance_group": name, "default_network": netname, "deployment_name": deployment, "domain": "bosh", "properties": l.get("properties").cloned().unwrap_or(Value::Null), "instances": instances, "use_short_dns_addresses": false, "use_link_dns_names": false });
                if let Some(a) = l.get("address") {
                    link["address"] = a.clone();
                }
                links.insert(name.clone(), link);
            }
        }
    }
    Ok(Context {
        fields,
        properties: props,
        links: Value::Object(links),
        dns: Value::Null,
        provided_links: Value::Null,
    })
}

/// Spec defaults plus placeholders for required properties, and a link with one instance
/// for each consumed link (its properties from a providing job's defaults when the release
/// has one).
fn lint_context(job: &Job, providers: &[Job]) -> Context {
    let fields = instance_fields(
        "lint",
        &job.name,
        &job.name,
        0,
        "z1",
        "10.0.0.10",
        "default",
    );
    let mut props = Value::Object(Map::new());
    if let Some(Value::Object(p)) = job.spec.get("properties") {
        for (name, def) in p {
            let has_default = def.get("default").is_some_and(|d| !d.is_null());
            if has_default {
                continue;
            }
            let v = def
                .get("example")
                .filter(|e| !e.is_null())
                .cloned()
                .unwrap_or_else(|| placeholder(name, def));
            set_dotted(&mut props, name, v);
        }
    }
    let mut links = Map::new();
    if let Some(Value::Array(cons)) = job.spec.get("consumes") {
        for c in cons {
            let Some(name) = c.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let ty = c.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let mut lprops = Value::Object(Map::new());
            if let Some((pjob, names)) = providers.iter().find_map(|p| {
                p.spec
                    .get("provides")
                    .and_then(|v| v.as_array())
                    .and_then(|ps| {
                        ps.iter()
                            .find(|pr| pr.get("type").and_then(|t| t.as_str()) == Some(ty))
                    })
                    .map(|pr| {
                        (
                            p,
                            pr.get("properties")
                                .and_then(|v| v.as_array())
                                .cloned()
                                .unwrap_or_default(),
                        )
                    })
            }) {
                for n in names {
                    let Some(n) = n.as_str() else { continue };
                    let def = pjob
                        .spec
                        .get("properties")
                        .and_then(|p| p.get(n))
                        .cloned()
                        .unwrap_or(Value::Null);
                    let v = def
                        .get("default")
                        .filter(|d| !d.is_null())
                        .cloned()
                        .or_else(|| def.get("example").filter(|e| !e.is_null()).cloned())
                        .unwrap_or_else(|| placeholder(n, &def));
                    set_dotted(&mut lprops, n, v);
                }
            }
            links.insert(name.to_string(), json!({
                "instance_group": name, "default_network": "default", "deployment_name": "lint", "domain": "bosh",
                "properties": lprops, "use_short_dns_addresses": false, "use_link_dns_names": false,
                "instances": [{ "name": name, "index": 0, "id": "00000000-0000-4000-8000-000000000000", "az": "z1", "address": "10.0.0.20", "bootstrap": true }],
                "address": "10.0.0.20",
            }));
        }
    }
    Context {
        fields,
        properties: props,
        links: Value::Object(links),
        dns: Value::Null,
        provided_links: Value::Null,
    }
}

/// A value of the kind the property's name or type suggests.
fn placeholder(name: &str, def: &Value) -> Value {
    let last = name.rsplit('.').next().unwrap_or(name).to_lowercase();
    let ty = def.get("type").and_then(|t| t.as_str()).unwrap_or("");
    match ty {
        "integer" | "int" | "number" => return json!(1),
        "boolean" | "bool" => return json!(false),
        "array" | "list" => return json!([]),
        "hash" | "object" | "map" => return json!({}),
        _ => {}
    }
    if last.ends_with("port")
        || last.ends_with("_timeout")
        || last.ends_with("count")
        || last.ends_with("_size")
        || last == "timeout"
        || last.ends_with("_seconds")
        || last.ends_with("_interval")
    {
        json!(1)
    } else if last.starts_with("enable") || last.ends_with("_enabled") || last == "enabled" {
        json!(false)
    } else if last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("address")
        && !last.ends_with("status")
    {
        json!([])
    } else {
        json!(format!("((placeholder:{name}))"))
    }
}

fn set_dotted(root: &mut Value, name: &str, v: Value) {
    let segs: Vec<&str> = name.split('.').collect();
    let mut cur = root;
    for s in &segs[..segs.len() - 1] {
        if !cur.get(*s).is_some_and(|x| x.is_object()) {
            cur[*s] = Value::Object(Map::new());
        }
        cur = cur.get_mut(*s).unwrap();
    }
    cur[*segs.last().unwrap()] = v;
}

pub(super) fn lint(a: &LintArgs, json_out: bool) -> ExitCode {
    let names = match release_job_names(&a.release) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let names: Vec<String> = if a.jobs.is_empty() {
        names
    } else {
        a.jobs.clone()
    };
    let mut jobs = Vec::new();
    let mut problems: Vec<Value> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for n in &names {
        match load_release_job(&a.release, n) {
            Ok(j) => jobs.push(j),
            Err(e) => {
                lines.push(format!("{n}: {e}"));
                problems.push(json!({ "job": n, "message": e }));
            }
        }
    }
    let mut templates = 0usize;
    for job in &jobs {
        templates += job.templates.len() + usize::from(job.monit.is_some());
        let ctx = lint_context(job, &jobs);
        if let Some(dir) = &a.write_contexts {
            let mut all = ctx.fields.clone();
            all.insert("properties".into(), ctx.properties.clone());
            all.insert("links".into(), ctx.links.clone());
            let text = serde_json::to_string_pretty(&Value::Object(all)).unwrap();
            if let Err(e) = std::fs::create_dir_all(dir)
                .and_then(|_| std::fs::write(dir.join(format!("{}.json", job.name)), text))
            {
                eprintln!("{}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
        match template::render_job(job, &ctx) {
            Ok(_) => {}
            Err(RenderError::Context(e)) => {
                lines.push(format!("jobs/{}: {e}", job.name));
                problems.push(json!({ "job": job.name, "message": e }));
            }
            Err(RenderError::Templates(fails)) => {
                for f in fails {
                    lines.push(format!(
                        "jobs/{}/{}:{}: {}",
                        job.name,
                        f.path,
                        f.line,
                        f.message.replace('\n', "\\n")
                    ));
                    problems.push(json!({ "job": job.name, "template": f.path, "line": f.line, "class": f.class, "message": f.message }));
                }
            }
        }
    }
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({ "jobs": jobs.len(), "templates": templates, "problems": problems })
            )
            .unwrap()
        );
    } else {
        for l in &lines {
            eprintln!("{l}");
        }
        println!(
            "{} job(s), {} template(s): {}",
            jobs.len(),
            templates,
            if lines.is_empty() {
                "all render".to_string()
            } else {
                format!("{} problem(s)", lines.len())
            }
        );
    }
    if lines.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
