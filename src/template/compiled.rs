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
    static COMPILED: std::cell::RefCell<ByText<Arc<[u8]>, Compiled>> = Default::default();
    /// Job specs as plain data, by spec text: a deployment renders a job for every instance
    /// group that has it, and lint under every context it writes.
    static SPECS: std::cell::RefCell<ByText<Box<[u8]>, Arc<Spec>>> = Default::default();
}

/// Values by the text they were made from, kept beside its value and compared in full, so
/// two texts never share a value. A text is hashed once per lookup, a miss included (a map
/// keyed by the text hashed it again to insert it; with the spec's copy into the key, that
/// was 0.8% of a cold template round's instructions). FxHash: SipHash over whole templates
/// cost more than the lookup.
struct ByText<K, V> {
    first: rustc_hash::FxHashMap<u64, (K, V)>,
    /// Texts whose hash another text already has: in practice never, checked all the same.
    more: Vec<(u64, K, V)>,
}

impl<K, V> Default for ByText<K, V> {
    fn default() -> Self {
        ByText {
            first: Default::default(),
            more: Vec::new(),
        }
    }
}

impl<K: AsRef<[u8]>, V: Clone> ByText<K, V> {
    fn get(&self, hash: u64, text: &[u8]) -> Option<V> {
        match self.first.get(&hash) {
            Some((t, v)) if t.as_ref() == text => Some(v.clone()),
            Some(_) => self
                .more
                .iter()
                .find(|(h, t, _)| *h == hash && t.as_ref() == text)
                .map(|(_, _, v)| v.clone()),
            None => None,
        }
    }

    /// Keeps `v` for `text` (of hash `hash`). A cache past 4,096 entries starts over, so
    /// that a long run over many releases stays bounded.
    fn keep(&mut self, hash: u64, text: K, v: V) {
        use std::collections::hash_map::Entry;
        if self.len() > 4096 {
            self.clear();
        }
        match self.first.entry(hash) {
            Entry::Vacant(e) => {
                e.insert((text, v));
            }
            Entry::Occupied(_) => self.more.push((hash, text, v)),
        }
    }

    fn len(&self) -> usize {
        self.first.len() + self.more.len()
    }

    fn clear(&mut self) {
        self.first.clear();
        self.more.clear();
    }
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
        // rendering reads no property's description (lint and links neither), and they are
        // about half a real spec's text
        let data = rubyerb::yaml_in::load_data_pruned(
            text,
            &[Some("properties"), None, Some("description")],
        )?;
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
/// by the text itself, so two templates can never share a program by accident). The key is
/// the job's own copy of the text, shared, not a copy of it: a cold round of the template
/// bench copied every template once more for its key, into memory not in the cache.
pub fn get(body: &Arc<[u8]>) -> Compiled {
    COMPILED
        .with(|c| {
            cached(c, body, Arc::clone, |b| {
                Ok::<_, std::convert::Infallible>(Rc::new(rubyerb::erb::compile(b)))
            })
        })
        .unwrap_or_else(|never| match never {})
}

/// The job spec `text`, loaded and its template entries checked once per thread for each
/// distinct text (YAML errors are not kept: a bad spec fails the same way every time). The
/// text is kept as it is given, not copied: specs are the largest files a render reads.
pub(crate) fn spec(text: String) -> Result<Arc<Spec>, YamlError> {
    SPECS.with(|c| {
        cached(
            c,
            text,
            |t| t.into_bytes().into_boxed_slice(),
            |t| Spec::load(t).map(Arc::new),
        )
    })
}

/// [`spec`] for a text as read from a file: a spec seen before is found by its bytes, so
/// that only a new one is checked for UTF-8 (`None` when it is not).
pub(crate) fn spec_bytes(text: Vec<u8>) -> Result<Arc<Spec>, Option<YamlError>> {
    SPECS.with(|c| {
        cached(c, text, Vec::into_boxed_slice, |t| {
            let t = std::str::from_utf8(t).map_err(|_| None)?;
            Spec::load(t).map(Arc::new).map_err(Some)
        })
    })
}

/// The entry for `text`, made by `make` on a miss and kept (not when it fails) under
/// `key(text)`: a text given owned or shared becomes the key without a copy.
fn cached<T, K, V, E>(
    cache: &std::cell::RefCell<ByText<K, V>>,
    text: T,
    key: impl FnOnce(T) -> K,
    make: impl FnOnce(&T) -> Result<V, E>,
) -> Result<V, E>
where
    T: AsRef<[u8]>,
    K: AsRef<[u8]>,
    V: Clone,
{
    use std::hash::BuildHasher;
    let hash = rustc_hash::FxBuildHasher.hash_one(text.as_ref());
    if let Some(v) = cache.borrow().get(hash, text.as_ref()) {
        return Ok(v);
    }
    let v = make(&text)?;
    cache.borrow_mut().keep(hash, key(text), v.clone());
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_of_one_hash_keep_their_own_values() {
        let mut c: ByText<Box<[u8]>, i32> = ByText::default();
        c.keep(7, b"a".as_slice().into(), 1);
        c.keep(7, b"b".as_slice().into(), 2);
        c.keep(8, b"a".as_slice().into(), 3);
        assert_eq!(c.get(7, b"a"), Some(1));
        assert_eq!(c.get(7, b"b"), Some(2));
        assert_eq!(c.get(8, b"a"), Some(3));
        assert_eq!(c.get(7, b"c"), None);
        assert_eq!(c.get(9, b"a"), None);
        // bounded: past 4,096 entries it starts over
        for i in 0..5000u64 {
            c.keep(100 + i, i.to_le_bytes().as_slice().into(), 0);
        }
        assert!(c.len() <= 4097, "{}", c.len());
        assert_eq!(c.get(7, b"a"), None);
    }

    #[test]
    fn specs_are_loaded_once_per_text_until_forgotten() {
        let a = spec("name: a\nproperties: {}\n".into()).unwrap();
        let again = spec("name: a\nproperties: {}\n".into()).unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        let b = spec("name: b\nproperties: {}\n".into()).unwrap();
        assert_eq!(b.data.get("name"), Some(&Data::Str("b".into())));
        let t = spec("templates: {a.erb: bin/a, ../x: y}\n".into()).unwrap();
        assert!(matches!(t.templates, Err(TemplateEntryError::Source(_))));
        let t = spec("templates: {b.erb: bin/b, ./a.erb: etc/a}\n".into()).unwrap();
        let entries: Vec<(&str, &str)> = t
            .templates
            .as_ref()
            .unwrap()
            .iter()
            .map(|(s, d)| (s.as_str(), d.as_str()))
            .collect();
        assert_eq!(entries, [("b.erb", "bin/b"), ("a.erb", "etc/a")]);
        assert!(spec("name: [a\n".into()).is_err());
        // read from a file: the same entry by its bytes, and text that is not UTF-8 refused
        let bytes = spec_bytes(b"name: b\nproperties: {}\n".to_vec()).unwrap();
        assert!(Arc::ptr_eq(&b, &bytes));
        assert!(matches!(spec_bytes(b"name: \xff\n".to_vec()), Err(None)));
        assert!(matches!(spec_bytes(b"name: [a\n".to_vec()), Err(Some(_))));
        forget_compiled();
        assert!(!Arc::ptr_eq(
            &a,
            &spec("name: a\nproperties: {}\n".into()).unwrap()
        ));
    }
}
