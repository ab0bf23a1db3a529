//! `bale render` and `bale lint-templates`. `render --job-dir/--context/--out` keeps the
//! reference renderer's contract (silent on success; one `PATH:LINE: message` line per
//! failing template on stderr; exit 1 for template errors, 2 for unusable input), so the
//! same conformance harness runs both.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{json, Value};

use super::output::bale_document_text;
use sha2::Digest as _;

use super::budget::BudgetArgs;
use super::clock::ClockArgs;
use crate::template::context::{context_from_manifest, lint_context};
use crate::template::source::{load_release_job, release_job_names};
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
    #[command(flatten)]
    budget: BudgetArgs,
    #[command(flatten)]
    clock: ClockArgs,
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
    #[command(flatten)]
    budget: BudgetArgs,
    #[command(flatten)]
    clock: ClockArgs,
}

fn context_error(msg: &str, json_out: bool) -> ExitCode {
    if json_out {
        println!("{}", bale_document_text("render", json!({ "error": msg })));
    } else {
        eprintln!("context error: {msg}");
    }
    ExitCode::from(2)
}

pub(super) fn render(a: &RenderArgs, json_out: bool) -> ExitCode {
    let job = match (&a.job_dir, &a.release, &a.job) {
        (Some(dir), _, _) => Job::from_dir(dir),
        (None, Some(rel), Some(name)) => load_release_job(rel, name),
        _ => return context_error("give --job-dir DIR, or --release PATH --job NAME", json_out),
    };
    let job = match job {
        Ok(j) => j,
        Err(e) => return context_error(&e.to_string(), json_out),
    };
    let ctx = match (&a.context, &a.manifest) {
        (Some(c), _) => Context::from_file(c),
        (None, Some(m)) => context_from_manifest(m, &job, a.instance_group.as_deref(), a.index),
        (None, None) => Ok(lint_context(&job, &[])),
    };
    let ctx = match ctx {
        Ok(c) => c,
        Err(e) => return context_error(&e.to_string(), json_out),
    };
    let clock = match a.clock.clock() {
        Ok(c) => c,
        Err(e) => return context_error(&e.to_string(), json_out),
    };
    let rendered = match template::render_job_with(
        &job,
        &ctx,
        RenderOptions {
            no_sort: a.no_sort,
            limits: a.budget.limits(),
            clock,
            entropy: a.clock.entropy(),
        },
    ) {
        Ok(r) => r,
        Err(RenderError::Context(e)) => return context_error(&e, json_out),
        Err(RenderError::Templates(fails)) => {
            if json_out {
                let errs: Vec<Value> = fails.iter().map(|f| json!({ "template": f.path, "line": f.line, "class": f.class, "message": f.message })).collect();
                println!(
                    "{}",
                    bale_document_text("render", json!({ "job": job.name, "errors": errs }))
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
        let dest = crate::name::RelPath::new(".bosh/links.json").expect("a fixed path");
        files.push((dest, text.into_bytes()));
    }
    if let Some(out) = &a.out {
        // through the directory's handle: a symlink swapped in under --out is refused
        let dir = match crate::beneath::Dir::open(out, true) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("creating {}: {e}", out.display());
                return ExitCode::from(2);
            }
        };
        for (dest, bytes) in &files {
            if let Err(e) = dir.write(dest, bytes) {
                eprintln!("writing {}: {e}", dest.under(out).display());
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
            bale_document_text("render", json!({ "job": job.name, "files": list }))
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

/// One job's lint result: its report lines and JSON problems, or why nothing ran.
type JobReport = Result<(Vec<String>, Vec<Value>), crate::atomic::PathError>;

/// Writes `ctx` as `DIR/JOB.json`, as the reference renderer reads contexts.
fn write_context(
    dir: &std::path::Path,
    job: &Job,
    ctx: &Context,
) -> Result<(), crate::atomic::PathError> {
    let mut all = (*ctx.fields).clone();
    all.insert("properties".into(), ctx.properties.clone());
    all.insert("links".into(), (*ctx.links).clone());
    let text = serde_json::to_string_pretty(&Value::Object(all)).unwrap();
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(dir.join(format!("{}.json", job.name)), text))
        .map_err(|e| crate::atomic::PathError::new("writing contexts to", dir, e))
}

/// A job's lint report lines and JSON problems, from its render.
fn lint_report(
    job: &Job,
    result: Result<template::RenderedJob, RenderError>,
) -> (Vec<String>, Vec<Value>) {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    match result {
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
    (lines, problems)
}

pub(super) fn lint(a: &LintArgs, json_out: bool) -> ExitCode {
    let names = match release_job_names(&a.release) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let clock = match a.clock.clock() {
        Ok(c) => c,
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
                problems.push(json!({ "job": n, "message": e.to_string() }));
            }
        }
    }
    let templates: usize = jobs
        .iter()
        .map(|j| j.templates.len() + usize::from(j.monit.is_some()))
        .sum();
    // jobs render in parallel, in batches (`template::render_jobs`); their reports are
    // printed in job order
    use rayon::prelude::*;
    let opts = RenderOptions {
        no_sort: false,
        limits: a.budget.limits(),
        clock,
        entropy: a.clock.entropy(),
    };
    let reports: Vec<JobReport> = jobs
        .par_chunks(template::batch_size(
            jobs.len(),
            rayon::current_num_threads(),
        ))
        .flat_map_iter(|chunk| {
            let ctxs: Vec<Context> = chunk.iter().map(|job| lint_context(job, &jobs)).collect();
            let written: Vec<Result<(), crate::atomic::PathError>> = chunk
                .iter()
                .zip(&ctxs)
                .map(|(job, ctx)| match &a.write_contexts {
                    Some(dir) => write_context(dir, job, ctx),
                    None => Ok(()),
                })
                .collect();
            let batch: Vec<(&Job, &Context)> = chunk.iter().zip(&ctxs).collect();
            let results = template::render_jobs(&batch, opts);
            chunk
                .iter()
                .zip(written)
                .zip(results)
                .map(|((job, written), result)| {
                    written?;
                    Ok(lint_report(job, result))
                })
                .collect::<Vec<JobReport>>()
        })
        .collect();
    for r in reports {
        match r {
            Ok((l, p)) => {
                lines.extend(l);
                problems.extend(p);
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    if json_out {
        println!(
            "{}",
            bale_document_text(
                "lint-templates",
                json!({ "jobs": jobs.len(), "templates": templates, "problems": problems })
            )
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
