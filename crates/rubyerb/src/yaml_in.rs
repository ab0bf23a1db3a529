//! YAML as the director reads job specs and manifests: Psych's YAML 1.1 scalar resolution
//! (`yes`/`on` are true, `0755` is octal, `1:20` sexagesimal, `:sym` a Symbol), anchors,
//! aliases and `<<` merge keys. Built on granit-parser's event stream, the parser under
//! serde-saphyr, because the typed serde path cannot see whether a scalar was quoted.

use granit_parser::{Event, Parser, ScalarStyle};

use super::data::{has_duplicate_keys, Data, PairsBuilder};
use super::scalar::{psych_plain, Plain};
use super::value::Value;
use super::yaml_permits::is_omap;
pub use super::yaml_permits::Permits;

/// Why a document was not loaded, and the line (1-based) where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct YamlError {
    pub line: usize,
    pub kind: YamlErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlErrorKind {
    /// The YAML parser's own message.
    #[error("{0}")]
    Syntax(String),
    #[error("nesting deeper than the budget of {0} levels")]
    TooDeep(usize),
    #[error("the document expands (aliases included) past the budget of {0} nodes and bytes")]
    TooLarge(u64),
    #[error("invalid !!{tag} '{value}'")]
    BadTag { tag: &'static str, value: String },
    /// A plain scalar Psych would read as a date or time, which safe loading refuses.
    #[error("Tried to load unspecified class: Date/Time ('{0}'); quote it to keep it a string")]
    DateTime(String),
    #[error("unknown alias")]
    UnknownAlias,
    /// A class a template's loader does not permit (Psych's `DisallowedClass`).
    #[error("Tried to load unspecified class: {0}")]
    Disallowed(String),
    /// A class a template's loader permits and bale does not build.
    #[error("YAML.load of a {0}")]
    Unbuildable(String),
    /// An alias, which a template's loader follows only when told to.
    #[error("Alias parsing was not enabled. To enable it, pass `aliases: true` to `Psych::load` or `Psych::safe_load`.")]
    AliasesNotEnabled,
    #[error("unbalanced {0}")]
    Unbalanced(&'static str),
}

/// Loads the first document; an empty document is nil.
pub fn load(text: &str) -> Result<Value, YamlError> {
    load_with(text, &crate::Limits::default())
}

/// Loads within `limits.yaml_expanded` (nodes plus scalar bytes once aliases are expanded,
/// which is what readers of the data walk: a billion-laughs document fails here) and
/// `limits.yaml_depth` levels of nesting.
///
/// One event loop serves both loaders: this is the full parser's plain data as fresh Ruby
/// values. An alias is a copy of its anchor rather than the same object; Psych 4's
/// `YAML.load` refuses aliases, so only a template that allows them could tell.
pub fn load_with(text: &str, limits: &crate::Limits) -> Result<Value, YamlError> {
    load_data_full(text, limits, None).map(|d| d.to_value())
}

/// [`load_with`] under a template loader's [`Permits`]: what Psych refuses (an alias, a
/// class not permitted) is an error here as there.
pub fn load_permitted(
    text: &str,
    limits: &crate::Limits,
    permits: &Permits,
) -> Result<Value, YamlError> {
    load_data_full(text, limits, Some(permits)).map(|d| d.to_value())
}

enum DataFrame {
    Seq(Vec<Data>, usize),
    /// Pairs, the key waiting for its value, the anchor, and `<<` merge sources.
    Map(Vec<(Data, Data)>, Option<Data>, usize, Vec<Data>),
}

/// [`load`] into plain [`Data`]: the same document, budgets and errors, in one pass (a job
/// spec is read this way, once, and kept). Its expansion budget is 64 times the document's
/// size, at least 4M (and at most the default budget): aliases are copied as they are
/// counted, so a billion-laughs file of a few hundred bytes is refused after some
/// megabytes rather than a gigabyte, while a spec or manifest that aliases its anchors a
/// few dozen times stays well within it.
pub fn load_data(text: &str) -> Result<Data, YamlError> {
    load_data_pruned(text, &[])
}

/// [`load_data`] without the values at `prune`: a path of mapping keys from the root, `None`
/// for any key (`[Some("properties"), None, Some("description")]` leaves out every
/// property's description). The keys go with their values. Such a value is still read, and
/// an error in it is still the document's error: leaving it out only saves building it.
pub fn load_data_pruned(text: &str, prune: &[Option<&str>]) -> Result<Data, YamlError> {
    let defaults = crate::Limits::default();
    let expanded = (text.len() as u64)
        .saturating_mul(64)
        .max(4 << 20)
        .min(defaults.yaml_expanded);
    let limits = crate::Limits {
        yaml_expanded: expanded,
        ..defaults
    };
    if let Some(d) = super::yaml_fast::load_pruned(text, &limits, prune) {
        return Ok(d);
    }
    let mut d = load_data_full(text, &limits, None)?;
    prune_data(&mut d, prune);
    Ok(d)
}

/// Takes the values at `prune` (see [`load_data_pruned`]) out of `d`, with their keys.
pub fn prune_data(d: &mut Data, prune: &[Option<&str>]) {
    let (Some(&step), Data::Hash(pairs)) = (prune.first(), d) else {
        return;
    };
    if prune.len() == 1 {
        pairs.retain(|(k, _)| !on_path(step, k));
    } else {
        for (_, v) in pairs.iter_mut().filter(|(k, _)| on_path(step, k)) {
            prune_data(v, &prune[1..]);
        }
    }
}

/// Whether the mapping key `key` (as loaded) is the step `step` of a prune path: any key
/// for `None`, else the string itself (a key that loads as a number or a boolean is none).
pub(crate) fn on_path(step: Option<&str>, key: &Data) -> bool {
    match (step, key) {
        (None, _) => true,
        (Some(p), Data::Str(k)) => k == p,
        _ => false,
    }
}

/// [`load_with`] into plain [`Data`]. Aliases are copies (data is not shared).
pub fn load_data_with(text: &str, limits: &crate::Limits) -> Result<Data, YamlError> {
    match super::yaml_fast::load_simple(text, limits) {
        Some(d) => Ok(d),
        None => load_data_full(text, limits, None),
    }
}

/// [`load_data_with`] through the full YAML parser, under `permits` for a template's loader.
pub(crate) fn load_data_full(
    text: &str,
    limits: &crate::Limits,
    permits: Option<&Permits>,
) -> Result<Data, YamlError> {
    let fail = |line: usize, kind| YamlError { line, kind };
    // by anchor id (ids count up from 1 within a document): its node, its expanded size
    let mut anchors: Vec<Option<Data>> = Vec::new();
    let mut sizes: Vec<u64> = Vec::new();
    let mut stack: Vec<DataFrame> = Vec::new();
    let mut root: Option<Data> = None;
    let mut total: u64 = 0;
    let mut starts: Vec<u64> = Vec::new();
    // the stack depths of `!!omap` sequences, whose pairs make one hash
    let mut omaps: Vec<usize> = Vec::new();
    let set = |v: &mut Vec<u64>, id: usize, w: u64| {
        if v.len() <= id {
            v.resize(id + 1, 0);
        }
        v[id] = w;
    };
    // A block scalar that runs to the end of a text whose last line has no line break ends
    // without one, as libyaml reads it (`a: |` then `  x` at the very end is "x"); the
    // parser gives it one, so it is taken off such a scalar (found by where it ends).
    let open_tail = text
        .rsplit(['\n', '\r'])
        .next()
        .is_some_and(|last| last.bytes().any(|b| b != b' ' && b != b'\t'));
    let end_chars = if open_tail { text.chars().count() } else { 0 };
    let mut options = granit_parser::Options::default();
    options.set_emit_comments(false);
    for ev in Parser::new_from_str_with_options(text, options) {
        let (ev, span) = ev.map_err(|e| {
            fail(
                e.marker().line(),
                YamlErrorKind::Syntax(e.info().to_string()),
            )
        })?;
        let line = span.start.line();
        match &ev {
            Event::Scalar(s, _, anchor, _) => {
                let w = 1 + s.len() as u64;
                total += w;
                if *anchor != 0 {
                    set(&mut sizes, *anchor, w);
                }
            }
            Event::Alias(id) => total += sizes.get(*id).copied().filter(|w| *w != 0).unwrap_or(1),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= limits.yaml_depth {
                    return Err(fail(line, YamlErrorKind::TooDeep(limits.yaml_depth)));
                }
                starts.push(total);
                total += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let start = starts.pop().unwrap_or(0);
                let anchor = match stack.last() {
                    Some(DataFrame::Seq(_, a)) | Some(DataFrame::Map(_, _, a, _)) => *a,
                    None => 0,
                };
                if anchor != 0 {
                    set(&mut sizes, anchor, total - start);
                }
            }
            _ => {}
        }
        if total > limits.yaml_expanded {
            return Err(fail(line, YamlErrorKind::TooLarge(limits.yaml_expanded)));
        }
        let (value, anchor) = match ev {
            Event::Scalar(mut s, style, anchor, tag) => {
                if open_tail
                    && matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && span.end.index() == end_chars
                    && s.ends_with('\n')
                {
                    s.to_mut().pop();
                }
                let bad = |tag: &'static str, s: &str| {
                    fail(
                        line,
                        YamlErrorKind::BadTag {
                            tag,
                            value: s.to_string(),
                        },
                    )
                };
                let ruby = match (permits, &tag) {
                    (Some(p), Some(t)) => p.scalar(t, &s).map_err(|k| fail(line, k))?,
                    _ => None,
                };
                let v = match ruby {
                    Some(d) => d,
                    None => match (&tag, style) {
                        (Some(t), _) if t.suffix() == "str" => Data::Str(s.into_owned()),
                        // an integer in any form Psych reads (`0x1f`, `0o17`, `1_000`)
                        (Some(t), _) if t.suffix() == "int" => match psych_plain(s.trim()) {
                            Ok(Plain::Int(i)) => Data::Int(i),
                            _ => Data::Int(s.trim().parse().map_err(|_| bad("int", &s))?),
                        },
                        (Some(t), _) if t.suffix() == "binary" => Data::Str(
                            String::from_utf8_lossy(&super::stdlib::decode64_lenient(s.as_bytes()))
                                .into_owned(),
                        ),
                        (Some(t), _) if t.suffix() == "float" => {
                            Data::Float(s.trim().parse().map_err(|_| bad("float", &s))?)
                        }
                        // another tag (the non-specific `!`, an unknown one) does not keep a
                        // quoted scalar a string: Psych resolves its text as a plain one's
                        (Some(_), _) | (_, ScalarStyle::Plain) => match psych_plain(&s) {
                            Ok(Plain::Nil) => Data::Nil,
                            Ok(Plain::Bool(b)) => Data::Bool(b),
                            Ok(Plain::Int(i)) => Data::Int(i),
                            Ok(Plain::Float(f)) => Data::Float(f),
                            Ok(Plain::Sym(name)) => match permits {
                                Some(p) => p.symbol(name.to_string()).map_err(|k| fail(line, k))?,
                                None => Data::Sym(name.to_string()),
                            },
                            Ok(Plain::Str) => Data::Str(s.into_owned()),
                            Err(()) => {
                                let kind = match permits {
                                    Some(p) => p.date_or_time(&s),
                                    None => YamlErrorKind::DateTime(s.to_string()),
                                };
                                return Err(fail(line, kind));
                            }
                        },
                        _ => Data::Str(s.into_owned()),
                    },
                };
                (Some(v), anchor)
            }
            Event::Alias(id) => (
                Some({
                    if let Some(p) = permits {
                        p.alias().map_err(|k| fail(line, k))?;
                    }
                    anchors
                        .get(id)
                        .and_then(Option::as_ref)
                        .cloned()
                        .ok_or_else(|| fail(line, YamlErrorKind::UnknownAlias))?
                }),
                0,
            ),
            Event::SequenceStart(_, anchor, tag) => {
                if let (Some(p), Some(t)) = (permits, &tag) {
                    p.collection(t).map_err(|k| fail(line, k))?;
                    if is_omap(t) {
                        omaps.push(stack.len() + 1);
                    }
                }
                stack.push(DataFrame::Seq(Vec::new(), anchor));
                (None, 0)
            }
            Event::MappingStart(_, anchor, tag) => {
                if let (Some(p), Some(t)) = (permits, &tag) {
                    p.collection(t).map_err(|k| fail(line, k))?;
                }
                stack.push(DataFrame::Map(Vec::new(), None, anchor, Vec::new()));
                (None, 0)
            }
            Event::SequenceEnd => match stack.pop() {
                Some(DataFrame::Seq(items, anchor)) if omaps.last() == Some(&(stack.len() + 1)) => {
                    omaps.pop();
                    (Some(Data::Hash(omap(items))), anchor)
                }
                Some(DataFrame::Seq(items, anchor)) => (Some(Data::Array(items)), anchor),
                _ => return Err(fail(line, YamlErrorKind::Unbalanced("sequence"))),
            },
            Event::MappingEnd => match stack.pop() {
                Some(DataFrame::Map(pairs, _, anchor, merges)) => {
                    (Some(Data::Hash(finish_map(pairs, merges))), anchor)
                }
                _ => return Err(fail(line, YamlErrorKind::Unbalanced("mapping"))),
            },
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                (None, 0)
            }
            _ => (None, 0),
        };
        let Some(v) = value else { continue };
        if anchor != 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            anchors[anchor] = Some(v.clone());
        }
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(v);
                }
            }
            Some(DataFrame::Seq(items, _)) => items.push(v),
            Some(DataFrame::Map(pairs, key, _, merges)) => match key.take() {
                None => *key = Some(v),
                Some(Data::Str(k)) if k == "<<" => merges.push(v),
                Some(k) => pairs.push((k, v)),
            },
        }
    }
    Ok(root.unwrap_or(Data::Nil))
}

/// An `!!omap`'s entries (one-pair mappings, as Psych writes them) as one hash's pairs;
/// an entry of another shape is its own key with no value.
fn omap(items: Vec<Data>) -> Vec<(Data, Data)> {
    let mut pairs = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Data::Hash(h) => pairs.extend(h),
            other => pairs.push((other, Data::Nil)),
        }
    }
    finish_map(pairs, Vec::new())
}

/// A mapping's pairs as [`load`] builds its hash: a repeated key keeps its first place and
/// its last value; `<<` merge sources come first (explicit keys win, earlier sources win).
pub(crate) fn finish_map(pairs: Vec<(Data, Data)>, merges: Vec<Data>) -> Vec<(Data, Data)> {
    if merges.is_empty() && !has_duplicate_keys(&pairs) {
        return pairs;
    }
    let mut merged = PairsBuilder::default();
    for m in merges.iter().rev() {
        let list = match m {
            Data::Array(a) => a.as_slice(),
            o => std::slice::from_ref(o),
        };
        for src in list.iter().rev() {
            if let Data::Hash(sh) = src {
                for (k, v) in sh {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for (k, v) in pairs {
        merged.insert(k, v);
    }
    merged.pairs
}
