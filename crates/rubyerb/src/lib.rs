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
//! print values; `yaml_in` reads YAML as Psych does, into Ruby values or plain `data`.

mod args;
pub mod ast;
mod budget;
mod captures;
mod classes;
pub mod data;
mod definitions;
mod describe;
mod dtoa;
pub mod erb;
mod expr;
pub mod format;
mod host;
pub mod interp;
mod json;
pub mod json_in;
mod lexer;
mod locals;
mod masgn;
pub mod methods;
mod nesting;
pub mod ofields;
pub mod parser;
#[cfg(test)]
mod parser_tests;
mod primary;
mod scalar;
#[cfg(test)]
mod sexp_tests;
mod stdlib;
mod syntax_error;
pub mod value;
mod yaml_anchors;
#[cfg(test)]
mod yaml_data_tests;
mod yaml_fast;
pub mod yaml_in;
mod yaml_out;
mod yaml_permits;
mod yaml_style;

pub use budget::{Limits, EXCEEDED};
pub use classes::ClassDecls;
pub use host::{Clock, Entropy, Host, MethodCall, NoHost, Timestamp};
pub use interp::{Flow, Frame, Interp, Jump, RbErr, R};
pub use stdlib::from_json;
pub use stdlib::TimeParseError;
pub use value::{ObjKind, Object, RArray, RHash, RStr, Value};
pub use yaml_in::{YamlError, YamlErrorKind};

/// Empties this thread's caches of compiled regexps and parsed certificates, so that the
/// next evaluation compiles and parses them as a fresh process would (benchmarks of cold
/// rendering).
pub fn forget_compiled() {
    methods::regex::forget_cache();
    stdlib::x509::forget_cache();
}

/// Loads YAML as Ruby's Psych does (YAML 1.1 scalars) into JSON-like data.
pub fn load_yaml_json(text: &str) -> Result<serde_json::Value, yaml_in::YamlError> {
    yaml_in::load_data(text).map(|d| data::to_json(&d))
}

/// Why a template failed: its line, Ruby's exception class and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub line: u32,
    pub class: String,
    pub message: String,
}

/// Compiles and evaluates one template; its output, or why it failed.
pub fn render(src: &[u8], host: &dyn Host, limits: &Limits) -> Result<Vec<u8>, Failure> {
    match erb::compile_with(src, limits) {
        Ok(program) => run(&program, host, limits),
        Err(e) => Err(Failure {
            line: e.line,
            class: "SyntaxError".into(),
            message: e.message,
        }),
    }
}

/// Evaluates a compiled template within `limits`.
pub fn run(program: &ast::Node, host: &dyn Host, limits: &Limits) -> Result<Vec<u8>, Failure> {
    let mut it = Interp::with_limits(host, *limits);
    let frame = it.top_frame();
    let fail = |line: u32, class: &str, message: String| Failure {
        line,
        class: class.into(),
        message,
    };
    let jump = match it.eval(program, &frame) {
        Ok(_) => return Ok(std::mem::take(&mut it.out)),
        Err(e) => e.into_jump(),
    };
    match jump {
        Jump::Err(e) => Err(match &e.exc {
            Value::Object(o) => fail(
                e.line,
                &o.class.name,
                match &o.kind {
                    ObjKind::Exception(m) => m.borrow().clone(),
                    _ => String::new(),
                },
            ),
            other => fail(e.line, &other.class_name(), format::to_s(other)),
        }),
        Jump::Break(..) => Err(fail(it.line, "SyntaxError", "Invalid break".into())),
        Jump::Next(_) => Err(fail(it.line, "SyntaxError", "Invalid next".into())),
        Jump::Retry => Err(fail(it.line, "SyntaxError", "Invalid retry".into())),
        Jump::Return(_) => Err(fail(it.line, "LocalJumpError", "unexpected return".into())),
        Jump::Throw(tag, _) => Err(fail(
            it.line,
            "UncaughtThrowError",
            format!("uncaught throw {}", format::inspect(&tag)),
        )),
    }
}
