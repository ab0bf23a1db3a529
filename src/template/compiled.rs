//! Compiled template programs and loaded job specs, kept per thread by their text: linting,
//! deployments and benchmarks render the same jobs many times, and compiling a template or
//! loading a spec is a pure function of the bytes.

use std::rc::Rc;
use std::sync::Arc;

use rubyerb::data::Data;
use rubyerb::yaml_in::YamlError;

use crate::manifest::job_spec::{template_entry, TemplateEntryError};
use crate::name::RelPath;

thread_local! {
    /// Compiled templates by content: linting and benchmarks render the same template many
    /// times; parsing is a pure function of the bytes.
    /// FxHash: the key is a whole template, and SipHash over it cost more than the lookup.
    static COMPILED: std::cell::RefCell<rustc_hash::FxHashMap<Vec<u8>, Compiled>> = Default::default();
    /// Job specs as plain data, by spec text: a deployment renders a job for every instance
    /// group that has it, and lint under every context it writes.
    static SPECS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Arc<Spec>>> = Default::default();
}

/// A job spec as the renderer reads it: its data and its checked `templates:` entries
/// (source under `templates/`, destination), both pure functions of the spec's text.
pub(crate) struct Spec {
    pub data: Arc<Data>,
    /// Every entry in spec order, or the first one refused.
    pub templates: Result<Vec<(RelPath, RelPath)>, TemplateEntryError>,
}

impl Spec {
    fn load(text: &str) -> Result<Spec, YamlError> {
        let data = rubyerb::yaml_in::load_data(text)?;
        let templates = match data.get("templates") {
            Some(Data::Hash(t)) => t
                .iter()
                .map(|(src, dst)| template_entry(&src.to_s(), &dst.to_s()))
                .collect(),
            _ => Ok(Vec::new()),
        };
        Ok(Spec {
            data: Arc::new(data),
            templates,
        })
    }
}

pub type Compiled = Rc<Result<rubyerb::ast::Node, rubyerb::parser::SyntaxError>>;

/// Empties this thread's caches of compiled templates, job specs and regexps, so that the
/// next render compiles and loads everything as a fresh process would (the template
/// benchmark's cold rounds).
pub fn forget_compiled() {
    COMPILED.with(|c| c.borrow_mut().clear());
    SPECS.with(|c| c.borrow_mut().clear());
    rubyerb::forget_compiled();
}

/// The template's program, compiled once per thread for each distinct template text (keyed
/// by the text itself, so two templates can never share a program by accident).
pub fn get(body: &[u8]) -> Compiled {
    COMPILED
        .with(|c| {
            cached(c, body, |b| {
                Ok::<_, std::convert::Infallible>(Rc::new(rubyerb::erb::compile(b)))
            })
        })
        .unwrap_or_else(|never| match never {})
}

/// The job spec `text`, loaded and its template entries checked once per thread for each
/// distinct text (YAML errors are not kept: a bad spec fails the same way every time).
pub(crate) fn spec(text: &str) -> Result<Arc<Spec>, YamlError> {
    SPECS.with(|c| cached(c, text, |t| Spec::load(t).map(Arc::new)))
}

/// The entry for `key`, made by `make` on a miss and kept (not when it fails). A cache
/// past 4,096 entries starts over, so that a long run over many releases stays bounded.
fn cached<K, Q, V, E>(
    cache: &std::cell::RefCell<rustc_hash::FxHashMap<K, V>>,
    key: &Q,
    make: impl FnOnce(&Q) -> Result<V, E>,
) -> Result<V, E>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq + for<'a> From<&'a Q>,
    Q: std::hash::Hash + Eq + ?Sized,
    V: Clone,
{
    if let Some(v) = cache.borrow().get(key) {
        return Ok(v.clone());
    }
    let v = make(key)?;
    let mut c = cache.borrow_mut();
    if c.len() > 4096 {
        c.clear();
    }
    c.insert(K::from(key), v.clone());
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_loaded_once_per_text_until_forgotten() {
        let a = spec("name: a\nproperties: {}\n").unwrap();
        let again = spec("name: a\nproperties: {}\n").unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        let b = spec("name: b\nproperties: {}\n").unwrap();
        assert_eq!(b.data.get("name"), Some(&Data::Str("b".into())));
        let t = spec("templates: {a.erb: bin/a, ../x: y}\n").unwrap();
        assert!(matches!(t.templates, Err(TemplateEntryError::Source(_))));
        let t = spec("templates: {b.erb: bin/b, ./a.erb: etc/a}\n").unwrap();
        let entries: Vec<(&str, &str)> = t
            .templates
            .as_ref()
            .unwrap()
            .iter()
            .map(|(s, d)| (s.as_str(), d.as_str()))
            .collect();
        assert_eq!(entries, [("b.erb", "bin/b"), ("a.erb", "etc/a")]);
        assert!(spec("name: [a\n").is_err());
        forget_compiled();
        assert!(!Arc::ptr_eq(
            &a,
            &spec("name: a\nproperties: {}\n").unwrap()
        ));
    }
}
