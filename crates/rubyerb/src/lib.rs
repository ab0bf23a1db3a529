//! ERB templates and the subset of Ruby they use, evaluated without Ruby: an ERB compiler
//! (trim mode `-`), a lexer and parser for template Ruby, a tree-walking interpreter with
//! Ruby's value semantics, core classes and the standard library templates use, and Ruby's
//! output formats (`inspect`, JSON, YAML).
//!
//! The application embedding it plugs in through [`Host`]: methods on the template's
//! `self`, its own objects and classes. Nothing here knows what the host is.
//!
//! Layers inside: `erb` → `lexer`/`parser`/`expr`/`primary` → `ast`; `interp` evaluates,
//! calling `methods/*` (core classes), the [`Host`] and `stdlib`; `format`/`json`/`yaml_out`
//! print values; `yaml_in` reads YAML as Psych does.

mod args;
pub mod ast;
mod classes;
mod definitions;
pub mod erb;
mod expr;
pub mod format;
mod host;
pub mod interp;
mod json;
mod lexer;
pub mod methods;
pub mod parser;
mod primary;
mod scalar;
mod stdlib;
pub mod value;
pub mod yaml_in;
mod yaml_out;

pub use classes::ClassDecls;
pub use host::{Host, MethodCall, NoHost};
pub use interp::{Flow, Frame, Interp, RbErr, R};
pub use stdlib::from_json;
pub use value::{ObjKind, Object, RHash, Value};

/// Loads YAML as Ruby's Psych does (YAML 1.1 scalars) into JSON-like data.
pub fn load_yaml_json(text: &str) -> Result<serde_json::Value, String> {
    yaml_in::load(text).map(|v| yaml_in::to_json(&v))
}
