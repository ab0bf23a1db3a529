//! Job templates rendered as the BOSH director renders them, without Ruby: an ERB compiler
//! (trim mode `-`), a parser and tree-walking interpreter for the Ruby that templates use,
//! Ruby's value semantics and output formats, and the director's evaluation API.
//!
//! Layers inside: `erb` → `lexer`/`parser`/`expr` → `ast`; `interp` evaluates, calling
//! `methods/*` (core classes), `api` (p, link, spec...) and `stdlib`; `format`/`yaml_out`
//! print values; `job` binds properties and renders a whole job.

mod api;
mod args;
mod ast;
mod classes;
mod definitions;
mod dns;
mod erb;
mod expr;
mod format;
mod interp;
mod json;
mod lexer;
mod methods;
mod parser;
mod primary;
mod scalar;
mod stdlib;
mod value;
mod yaml_in;
mod yaml_out;

pub mod context;
pub mod job;
pub mod source;

pub use job::{
    render_job, render_job_with, Context, Failure, Job, RenderError, RenderOptions, RenderedJob,
    TemplateFile,
};

/// Loads YAML as Ruby's Psych does (YAML 1.1 scalars) into JSON-like data.
pub fn load_yaml_json(text: &str) -> Result<serde_json::Value, String> {
    yaml_in::load(text).map(|v| yaml_in::to_json(&v))
}
