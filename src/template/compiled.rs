//! Compiled template programs, kept per thread by template text: linting, deployments and
//! benchmarks render the same templates many times, and compiling is a pure function of the
//! bytes.

use std::rc::Rc;

thread_local! {
    /// Compiled templates by content: linting and benchmarks render the same template many
    /// times; parsing is a pure function of the bytes.
    /// FxHash: the key is a whole template, and SipHash over it cost more than the lookup.
    static COMPILED: std::cell::RefCell<rustc_hash::FxHashMap<Vec<u8>, Compiled>> = Default::default();
}

pub type Compiled = Rc<Result<rubyerb::ast::Node, rubyerb::parser::SyntaxError>>;

/// Empties this thread's caches of compiled templates and regexps, so that the next render
/// compiles everything as a fresh process would (the template benchmark's cold rounds).
pub fn forget_compiled() {
    COMPILED.with(|c| c.borrow_mut().clear());
    rubyerb::forget_compiled();
}

/// The template's program, compiled once per thread for each distinct template text (keyed
/// by the text itself, so two templates can never share a program by accident).
pub fn get(body: &[u8]) -> Compiled {
    COMPILED.with(|c| {
        if let Some(p) = c.borrow().get(body) {
            return p.clone();
        }
        let p = Rc::new(rubyerb::erb::compile(body));
        let mut c = c.borrow_mut();
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(body.to_vec(), p.clone());
        p
    })
}
