//! YAML as the director reads job specs and manifests: Psych's YAML 1.1 scalar resolution
//! (`yes`/`on` are true, `0755` is octal, `1:20` sexagesimal, `:sym` a Symbol), anchors,
//! aliases and `<<` merge keys. Built on granit-parser's event stream, the parser under
//! serde-saphyr, because the typed serde path cannot see whether a scalar was quoted.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle};

use super::scalar::psych_tokenize;
use super::value::{RHash, Value};

enum Frame {
    Seq(Vec<Value>, usize),
    Map(RHash, Option<Value>, usize, Vec<Value>),
}

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
pub fn load_with(text: &str, limits: &crate::Limits) -> Result<Value, YamlError> {
    let fail = |line: usize, kind| YamlError { line, kind };
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    // expanded size so far, each anchor's expanded size, and where each open node started
    let mut total: u64 = 0;
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    let mut starts: Vec<u64> = Vec::new();
    // comments carry nothing Psych keeps; emitting them costs a large spec (uaa's) a third
    // of its parse
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
                    sizes.insert(*anchor, w);
                }
            }
            Event::Alias(id) => total += sizes.get(id).copied().unwrap_or(1),
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
                    Some(Frame::Seq(_, a)) | Some(Frame::Map(_, _, a, _)) => *a,
                    None => 0,
                };
                if anchor != 0 {
                    sizes.insert(anchor, total - start);
                }
            }
            _ => {}
        }
        if total > limits.yaml_expanded {
            return Err(fail(line, YamlErrorKind::TooLarge(limits.yaml_expanded)));
        }
        let value = match ev {
            Event::Scalar(s, style, anchor, tag) => {
                let v = match (&tag, style) {
                    (Some(t), _) if t.suffix() == "str" => Value::str(s.as_ref()),
                    (Some(t), _) if t.suffix() == "int" => {
                        Value::Int(s.trim().parse().map_err(|_| {
                            fail(
                                line,
                                YamlErrorKind::BadTag {
                                    tag: "int",
                                    value: s.to_string(),
                                },
                            )
                        })?)
                    }
                    (Some(t), _) if t.suffix() == "float" => {
                        Value::Float(s.trim().parse().map_err(|_| {
                            fail(
                                line,
                                YamlErrorKind::BadTag {
                                    tag: "float",
                                    value: s.to_string(),
                                },
                            )
                        })?)
                    }
                    (_, ScalarStyle::Plain) => psych_tokenize(&s)
                        .map_err(|_| fail(line, YamlErrorKind::DateTime(s.to_string())))?,
                    _ => Value::str(s.as_ref()),
                };
                if anchor != 0 {
                    anchors.insert(anchor, v.clone());
                }
                Some(v)
            }
            Event::Alias(id) => Some(
                anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| fail(line, YamlErrorKind::UnknownAlias))?,
            ),
            Event::SequenceStart(_, anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), anchor));
                None
            }
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Map(RHash::new(), None, anchor, Vec::new()));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => {
                    let v = Value::array(items);
                    if anchor != 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    Some(v)
                }
                _ => return Err(fail(line, YamlErrorKind::Unbalanced("sequence"))),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(mut h, _, anchor, merges)) => {
                    // `<<` merges: explicit keys win, earlier merge sources win
                    if !merges.is_empty() {
                        let mut merged = RHash::new();
                        for m in merges.iter().rev() {
                            let list = match m {
                                Value::Array(a) => a.borrow().clone(),
                                o => vec![o.clone()],
                            };
                            for src in list.iter().rev() {
                                if let Value::Hash(sh) = src {
                                    for (k, v) in sh.borrow().pairs() {
                                        merged.insert(k, v);
                                    }
                                }
                            }
                        }
                        for (k, v) in h.pairs() {
                            merged.insert(k, v);
                        }
                        h = merged;
                    }
                    let v = Value::hash(h);
                    if anchor != 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    Some(v)
                }
                _ => return Err(fail(line, YamlErrorKind::Unbalanced("mapping"))),
            },
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                None
            }
            _ => None,
        };
        if let Some(v) = value {
            match stack.last_mut() {
                None => {
                    if root.is_none() {
                        root = Some(v);
                    }
                }
                Some(Frame::Seq(items, _)) => items.push(v),
                Some(Frame::Map(h, key, _, merges)) => match key.take() {
                    None => *key = Some(v),
                    Some(k) => {
                        if matches!(&k, Value::Str(s) if *s.borrow() == "<<") {
                            merges.push(v);
                        } else {
                            h.insert(k, v);
                        }
                    }
                },
            }
        }
    }
    Ok(root.unwrap_or(Value::Nil))
}

/// Converts to JSON-like data (string keys) for code that wants serde values.
pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Str(s) => serde_json::Value::String(s.borrow().clone()),
        Value::Sym(s) => serde_json::Value::String(s.to_string()),
        Value::Array(a) => serde_json::Value::Array(a.borrow().iter().map(to_json).collect()),
        Value::Hash(h) => {
            let mut m = serde_json::Map::new();
            for (k, v) in h.borrow().pairs() {
                m.insert(super::format::to_s(&k), to_json(&v));
            }
            serde_json::Value::Object(m)
        }
        other => serde_json::Value::String(super::format::to_s(other)),
    }
}
