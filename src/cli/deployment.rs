//! `bale render-deployment`, `bale lint-manifest` and `bale diff-render`: flags, and the
//! tables, lines and documents their results print as. The work is `deployment`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{json, Value};

use super::budget::BudgetArgs;
use super::clock::ClockArgs;
use super::output::{bale_document_text, Ui};
use crate::deployment::{self, diff, lint, render};
use crate::error::{Error, Result};
use crate::interpolate::sources;
use crate::interpolate::vars::StaticVars;
use crate::template::{Clock, RenderOptions};

#[derive(Args, Debug, Clone)]
pub(super) struct VarArgs {
    /// Set variable
    #[arg(short = 'v', long = "var", value_name = "VAR=VALUE")]
    vars: Vec<String>,
    /// Load variables from a YAML file
    #[arg(short = 'l', long = "vars-file", value_name = "PATH")]
    vars_files: Vec<String>,
}

impl VarArgs {
    /// The values as the `interpolate` command layers them (`-l` files, then `-v`).
    fn values(&self) -> Result<Value> {
        let mut statics = StaticVars::default();
        for f in &self.vars_files {
            for (k, v) in sources::vars_file(f).map_err(|e| Error::msg(format!("-l {f}: {e}")))? {
                statics.set(k, v).map_err(Error::msg)?;
            }
        }
        for kv in &self.vars {
            let (k, v) = sources::var_kv(kv).map_err(|e| Error::msg(format!("-v {kv}: {e}")))?;
            statics.set(k, v).map_err(Error::msg)?;
        }
        Ok(deployment::vars::to_json(&statics.processed()))
    }
}

#[derive(Args, Debug)]
pub(super) struct RenderDeploymentArgs {
    /// Deployment manifest (variables already interpolated, or given with -v/-l)
    manifest: PathBuf,
    /// Release directory or tarball the manifest's jobs come from (repeatable)
    #[arg(long = "release", value_name = "DIR|TARBALL", required = true)]
    releases: Vec<PathBuf>,
    /// Write OUT/<instance_group>/<index>/<job>/… (absent, empty, or an earlier output)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only this instance group
    #[arg(long, value_name = "NAME")]
    instance_group: Option<String>,
    /// Also write each instance job's context to DIR/<group>/<index>/<job>.json (the reference renderer's context.json)
    #[arg(long, value_name = "DIR")]
    write_contexts: Option<PathBuf>,
    #[command(flatten)]
    vars: VarArgs,
    #[command(flatten)]
    budget: BudgetArgs,
    #[command(flatten)]
    clock: ClockArgs,
}

pub(super) fn render_deployment(a: &RenderDeploymentArgs, ui: &Ui) -> Result<()> {
    ui.own_command("render-deployment");
    let vars = a.vars.values()?;
    let prep = deployment::prepare(&a.manifest, &a.releases, &vars)?;
    prep.check()?;
    if let Some(dir) = &a.write_contexts {
        render::write_contexts(&prep, dir)?;
    }
    let opts = RenderOptions {
        no_sort: false,
        limits: a.budget.limits(),
        clock: a.clock.clock().map_err(crate::error::Error::msg)?,
        entropy: a.clock.entropy(),
    };
    let rendered = render::render_all(&prep, a.instance_group.as_deref(), opts)?;
    let counts = deployment::counts(&rendered);
    if let Some(out) = &a.out {
        render::write_out(out, &rendered)?;
    }
    let instances: Vec<Value> = rendered
        .iter()
        .map(|i| {
            json!({
                "instance_group": i.group, "index": i.index, "id": i.id, "az": i.az,
                "jobs": i.jobs.iter().map(|j| json!({
                    "name": j.job,
                    "files": j.files.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    ui.document(json!({
        "deployment": prep.plan.manifest.name,
        "out": a.out,
        "counts": counts,
        "instances": instances,
    }));
    if a.out.is_none() {
        for i in &rendered {
            for j in &i.jobs {
                for (p, bytes) in &j.files {
                    ui.text(&format!(
                        "==> {}/{}/{}/{p} <==\n{}",
                        i.group,
                        i.index,
                        j.job,
                        String::from_utf8_lossy(bytes)
                    ));
                }
            }
        }
    }
    ui.line(&format!(
        "{} instance(s), {} job(s), {} file(s) rendered{}",
        counts.instances,
        counts.jobs,
        counts.files,
        a.out
            .as_ref()
            .map(|o| format!(" into {}", o.display()))
            .unwrap_or_default()
    ));
    Ok(())
}

#[derive(Args, Debug)]
pub(super) struct LintManifestArgs {
    /// Deployment manifest
    manifest: PathBuf,
    /// Release directory or tarball the manifest's jobs come from (repeatable)
    #[arg(long = "release", value_name = "DIR|TARBALL", required = true)]
    releases: Vec<PathBuf>,
    #[command(flatten)]
    vars: VarArgs,
}

pub(super) fn lint_manifest(a: &LintManifestArgs, ui: &Ui) -> Result<()> {
    ui.own_command("lint-manifest");
    let vars = a.vars.values()?;
    let prep = deployment::prepare(&a.manifest, &a.releases, &vars)?;
    let findings = lint::lint(&prep);
    let file = a.manifest.display().to_string();
    ui.document(json!({
        "manifest": file,
        "findings": findings.iter().map(|f| json!({
            "line": f.line, "kind": f.kind, "instance_group": f.group, "job": f.job,
            "message": f.message, "suggestion": f.suggestion,
        })).collect::<Vec<_>>(),
    }));
    for f in &findings {
        ui.text(&format!("{file}:{}: {}", f.line, f.text()));
    }
    if findings.is_empty() {
        ui.line("no findings");
        Ok(())
    } else {
        Err(Error::msg(format!("{} finding(s)", findings.len())))
    }
}

#[derive(Args, Debug)]
pub(super) struct DiffRenderArgs {
    /// A render-deployment output directory, or a manifest (with --release)
    a: PathBuf,
    /// The other output directory or manifest
    b: PathBuf,
    /// Releases for manifests given as A or B (repeatable; both use them)
    #[arg(long = "release", value_name = "DIR|TARBALL")]
    releases: Vec<PathBuf>,
    /// Releases for B only, when they differ from A's
    #[arg(long = "release-b", value_name = "DIR|TARBALL")]
    releases_b: Vec<PathBuf>,
    #[command(flatten)]
    vars: VarArgs,
    #[command(flatten)]
    budget: BudgetArgs,
    #[command(flatten)]
    clock: ClockArgs,
}

/// Prints the unified diffs; exit 0 when identical, 1 when different, 2 when either side
/// cannot be read or rendered (as `diff` does).
pub(super) fn diff_render(a: &DiffRenderArgs, json_out: bool) -> ExitCode {
    let run = || -> Result<diff::Changes> {
        let vars = a.vars.values()?;
        // both sides read the same time, so a template's clock alone never makes a diff
        let clock = match a.clock.clock().map_err(crate::error::Error::msg)? {
            Clock::System => Clock::System.now().map_or(Clock::System, Clock::Fixed),
            fixed => fixed,
        };
        // and draw from the same seed, so random draws alone never make one either
        let entropy = a.clock.entropy().fixed();
        let opts = RenderOptions {
            no_sort: false,
            limits: a.budget.limits(),
            clock,
            entropy,
        };
        let rb = if a.releases_b.is_empty() {
            &a.releases
        } else {
            &a.releases_b
        };
        let left = diff::side(&a.a, &a.releases, &vars, opts)?;
        let right = diff::side(&a.b, rb, &vars, opts)?;
        Ok(diff::compare(&left, &right))
    };
    match run() {
        Err(e) => {
            if json_out {
                println!(
                    "{}",
                    bale_document_text("diff-render", json!({ "error": e.to_string() }))
                );
            } else {
                eprintln!("{e}");
            }
            ExitCode::from(2)
        }
        Ok(changes) => {
            if json_out {
                println!(
                    "{}",
                    bale_document_text(
                        "diff-render",
                        json!({
                            "identical": changes.files.is_empty(),
                            "instances": changes.instances(),
                            "files": changes.files.iter().map(|f| json!({
                                "instance": f.instance, "path": f.path, "change": f.kind, "diff": f.diff,
                            })).collect::<Vec<_>>(),
                        })
                    )
                );
            } else {
                print!("{}", changes.text());
            }
            if changes.files.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
