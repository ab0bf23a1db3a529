//! `bale interpolate` (alias `int`): the flags of `bosh interpolate` and its output contract.
//! Flag values (variables, ops files, the manifest) are read while the flags are parsed, as
//! go-flags reads them, so their errors come before any output mode: an empty stdout line,
//! the CLI's nested message and `Exit code 1` on stderr. Everything after goes through the
//! [`Ui`]: the document as is (then `Succeeded` on a terminal), or the `--json` envelope with
//! the document in `Blocks`; evaluation errors as every command prints its errors.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::Ui;
use crate::error::Error;
use crate::interpolate::failure::{go_sprintf_no_args, Failure};
use crate::interpolate::opsfile::{self, Op};
use crate::interpolate::pointer::Pointer;
use crate::interpolate::sources;
use crate::interpolate::store::Store;
use crate::interpolate::vars::{Source, StaticVars};
use crate::interpolate::{evaluate, Request};

#[derive(Args, Debug)]
pub struct InterpolateArgs {
    /// Path to a template that will be interpolated ("-" reads stdin)
    #[arg(value_name = "PATH")]
    manifest: Option<String>,
    /// Set variable
    #[arg(short = 'v', long = "var", num_args = 0..=1, default_missing_value = "", value_name = "VAR=VALUE")]
    vars: Vec<String>,
    /// Set variable to file contents
    #[arg(long = "var-file", num_args = 0..=1, default_missing_value = "", value_name = "VAR=PATH")]
    var_files: Vec<String>,
    /// Load variables from a YAML file
    #[arg(short = 'l', long = "vars-file", num_args = 0..=1, default_missing_value = "", value_name = "PATH")]
    vars_files: Vec<String>,
    /// Load variables from environment variables (e.g.: 'MY' to load MY_var=value)
    #[arg(long = "vars-env", num_args = 0..=1, default_missing_value = "", value_name = "PREFIX")]
    vars_env: Vec<String>,
    /// Load/save variables from/to a YAML file
    #[arg(long = "vars-store", num_args = 0..=1, default_missing_value = "", value_name = "PATH")]
    vars_store: Option<String>,
    /// Load manifest operations from a YAML file
    #[arg(short = 'o', long = "ops-file", num_args = 0..=1, default_missing_value = "", value_name = "PATH")]
    ops_files: Vec<String>,
    /// Extract value out of template (e.g.: /private_key)
    #[arg(long = "path", num_args = 0..=1, default_missing_value = "", value_name = "OP-PATH")]
    path: Option<String>,
    /// Expect all variables to be found, otherwise error
    #[arg(long = "var-errs")]
    var_errs: bool,
    /// Expect all variables to be used, otherwise error
    #[arg(long = "var-errs-unused")]
    var_errs_unused: bool,
}

fn flag_error(flag: &str, expected: &str, msg: impl std::fmt::Display) -> Failure {
    Failure::leaf(format!(
        "invalid argument for flag `{flag}' (expected {expected}): {msg}"
    ))
}

pub fn interpolate(a: &InterpolateArgs, json: bool, tty: bool) -> ExitCode {
    let mut flags = match Flags::read(a) {
        Ok(f) => f,
        Err(e) => {
            println!();
            eprintln!("{}", go_sprintf_no_args(&e.multiline()));
            eprintln!("Exit code 1");
            return ExitCode::from(1);
        }
    };
    let ui = Ui::without_spinner(json, tty);
    let result = flags
        .evaluate(a)
        .map(|doc| ui.block(&doc))
        .map_err(|e| Error::msg(go_sprintf_no_args(&e.multiline())));
    ui.finish(result)
}

/// go-flags' text for a flag given without a value (`--path ""` counts as none).
fn require_values(a: &InterpolateArgs) -> Result<(), Failure> {
    let flags: [(&str, bool); 7] = [
        ("-v, --var", a.vars.iter().any(String::is_empty)),
        ("--var-file", a.var_files.iter().any(String::is_empty)),
        ("-l, --vars-file", a.vars_files.iter().any(String::is_empty)),
        ("--vars-env", a.vars_env.iter().any(String::is_empty)),
        ("--vars-store", a.vars_store.as_deref() == Some("")),
        ("-o, --ops-file", a.ops_files.iter().any(String::is_empty)),
        ("--path", a.path.as_deref() == Some("")),
    ];
    match flags.iter().find(|(_, empty)| *empty) {
        Some((flag, _)) => Err(Failure::leaf(format!(
            "expected argument for flag `{flag}'"
        ))),
        None => Ok(()),
    }
}

/// What the flags hold once go-flags has parsed them (files read, values decoded).
struct Flags {
    statics: StaticVars,
    ops: Vec<Op>,
    path: Option<Pointer>,
    store: Option<Store>,
    manifest: String,
}

impl Flags {
    fn read(a: &InterpolateArgs) -> Result<Flags, Failure> {
        require_values(a)?;
        let mut statics = StaticVars::default();
        let environ: Vec<(String, String)> = std::env::vars_os()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.to_string_lossy().into_owned(),
                )
            })
            .collect();
        // The CLI layers them: environment, then -l files, then --var-file, then -v.
        for p in &a.vars_env {
            let vs = sources::vars_env(p, &environ)
                .map_err(|e| flag_error("--vars-env", "[]template.VarsEnvArg", e))?;
            for (k, v) in vs {
                statics
                    .set(k, v)
                    .map_err(|e| flag_error("--vars-env", "[]template.VarsEnvArg", e))?;
            }
        }
        for f in &a.vars_files {
            let vs = sources::vars_file(f)
                .map_err(|e| flag_error("-l, --vars-file", "[]template.VarsFileArg", e))?;
            for (k, v) in vs {
                statics
                    .set(k, v)
                    .map_err(|e| flag_error("-l, --vars-file", "[]template.VarsFileArg", e))?;
            }
        }
        for f in &a.var_files {
            let (k, v) = sources::var_file(f)
                .map_err(|e| flag_error("--var-file", "[]template.VarFileArg", e))?;
            statics
                .set(k, v)
                .map_err(|e| flag_error("--var-file", "[]template.VarFileArg", e))?;
        }
        for kv in &a.vars {
            let (k, v) =
                sources::var_kv(kv).map_err(|e| flag_error("-v, --var", "[]template.VarKV", e))?;
            statics
                .set(k, v)
                .map_err(|e| flag_error("-v, --var", "[]template.VarKV", e))?;
        }
        let mut ops: Vec<Op> = Vec::new();
        for f in &a.ops_files {
            let text = read_ops(f)?;
            ops.extend(
                opsfile::parse(f, &text)
                    .map_err(|e| flag_error("-o, --ops-file", "[]opts.OpsFileArg", e))?,
            );
        }
        let path = match &a.path {
            Some(p) => {
                Some(Pointer::parse(p).map_err(|e| flag_error("--path", "patch.Pointer", e))?)
            }
            None => None,
        };
        // Empty flag values were refused by `require_values`.
        let store = a
            .vars_store
            .as_ref()
            .map(|s| Store::new(PathBuf::from(sources::absolute(s))));
        let Some(manifest_arg) = &a.manifest else {
            return Err(Failure::leaf(
                "the required argument `PATH` was not provided",
            ));
        };
        let manifest = read_manifest(manifest_arg)?;
        Ok(Flags {
            statics,
            ops,
            path,
            store,
            manifest,
        })
    }

    fn evaluate(&mut self, a: &InterpolateArgs) -> Result<String, Failure> {
        let statics = std::mem::take(&mut self.statics).processed();
        if let Some(s) = self.store.as_mut() {
            s.statics = statics.clone();
        }
        evaluate(Request {
            manifest: &self.manifest,
            ops: std::mem::take(&mut self.ops),
            statics,
            store: self.store.as_mut().map(|s| s as &mut dyn Source),
            expect_all_found: a.var_errs,
            expect_all_used: a.var_errs_unused,
            path: self.path.as_ref(),
        })
    }
}

fn read_ops(f: &str) -> Result<String, Failure> {
    sources::read(f).map_err(|e| {
        flag_error(
            "-o, --ops-file",
            "[]opts.OpsFileArg",
            format!("Reading ops file '{f}': {e}"),
        )
    })
}

fn read_manifest(arg: &str) -> Result<String, Failure> {
    if arg.is_empty() {
        return Err(Failure::leaf("Expected file path to be non-empty"));
    }
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::leaf(e.to_string()).wrap("Reading from stdin"))?;
        return Ok(s);
    }
    let abs = sources::absolute(arg);
    std::fs::read(&abs)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| {
            Failure::leaf(format!("open {abs}: {}", crate::error::io_text(&e)))
                .wrap(format!("Opening file {abs}"))
        })
}
