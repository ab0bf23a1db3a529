//! Reading YAML as yaml.v2 decodes it into `interface{}`: the first document only, YAML 1.1
//! plain-scalar typing (see `resolve`), `<<` merge keys, later duplicate keys winning, and
//! aliases expanded into copies. The input is untrusted: size, nesting depth, and the number of
//! nodes and bytes of text that alias expansion may produce are budgeted, so a small "billion
//! laughs" file (or one long anchored string aliased many times) fails with a message instead
//! of exhausting memory.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle};

use super::node::{Map, Node};
use super::resolve::{resolve_plain, Resolved};

/// Largest document read (bytes).
pub const MAX_INPUT: usize = 64 << 20;
/// Deepest nesting of sequences and mappings.
pub const MAX_DEPTH: usize = 256;
/// Most nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 5_000_000;
/// Most bytes of scalar text a document may expand to, aliases included: each alias is a
/// copy, so a count of nodes alone lets one large anchored string multiply without bound. As
/// much as the largest input holds, so only aliasing can reach it.
pub const MAX_TEXT: usize = MAX_INPUT;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("yaml: line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("yaml: input is {size} bytes, more than the {MAX_INPUT} bytes bale reads")]
    TooLarge { size: usize },
    #[error("yaml: line {line}: nesting deeper than {MAX_DEPTH} levels")]
    TooDeep { line: usize },
    #[error("yaml: document contains excessive aliasing (more than {MAX_NODES} nodes)")]
    TooManyNodes,
    #[error("yaml: document contains excessive aliasing (more than {MAX_TEXT} bytes of text)")]
    TooMuchText,
    #[error("yaml: line {line}: unknown anchor referenced")]
    UnknownAnchor { line: usize },
    #[error("yaml: line {line}: invalid map key: {key}")]
    InvalidKey { line: usize, key: String },
    #[error("yaml: line {line}: cannot decode {found} `{text}` as a {tag}")]
    BadTag {
        line: usize,
        found: String,
        text: String,
        tag: String,
    },
    #[error("yaml: map merge requires map or sequence of maps as the value")]
    BadMerge,
}

enum Frame {
    Seq(Vec<Node>, usize),
    Map(MapBuilder, usize),
}

struct MapBuilder {
    map: Map,
    key: Option<(Node, bool)>,
}

/// Decodes the first document of `text`; an empty input is `Node::Null`.
pub fn load(text: &str) -> Result<Node, LoadError> {
    if text.len() > MAX_INPUT {
        return Err(LoadError::TooLarge { size: text.len() });
    }
    let mut anchors: HashMap<usize, (Node, Weight)> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut total = Weight::default();
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| LoadError::Syntax {
            line: e.marker().line(),
            message: libyaml_text(&e.info()),
        })?;
        let line = span.start.line();
        let (value, is_merge_key, weight) = match ev {
            Event::Scalar(s, style, anchor, tag) => {
                let (v, merge) = scalar(&s, style, tag.as_deref(), line)?;
                let w = Weight {
                    nodes: 1,
                    text: s.len(),
                };
                if anchor != 0 {
                    anchors.insert(anchor, (v.clone(), w));
                }
                (v, merge, w)
            }
            Event::Alias(id) => {
                let (v, w) = anchors
                    .get(&id)
                    .cloned()
                    .ok_or(LoadError::UnknownAnchor { line })?;
                (v, false, w)
            }
            Event::SequenceStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError::TooDeep { line });
                }
                stack.push(Frame::Seq(Vec::new(), anchor));
                continue;
            }
            Event::MappingStart(_, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError::TooDeep { line });
                }
                stack.push(Frame::Map(
                    MapBuilder {
                        map: Map::new(),
                        key: None,
                    },
                    anchor,
                ));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => {
                    let v = Node::Seq(items);
                    if anchor != 0 {
                        let w = weight_of(&v);
                        anchors.insert(anchor, (v.clone(), w));
                    }
                    (v, false, Weight::ONE_NODE)
                }
                _ => unreachable!("the parser balances sequence events"),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(b, anchor)) => {
                    let v = Node::Map(b.map);
                    if anchor != 0 {
                        let w = weight_of(&v);
                        anchors.insert(anchor, (v.clone(), w));
                    }
                    (v, false, Weight::ONE_NODE)
                }
                _ => unreachable!("the parser balances mapping events"),
            },
            Event::DocumentEnd => {
                if stack.is_empty() {
                    // Only the first document counts, as yaml.Unmarshal reads it.
                    return Ok(Node::Null);
                }
                continue;
            }
            _ => continue,
        };
        total.nodes = total.nodes.saturating_add(weight.nodes);
        total.text = total.text.saturating_add(weight.text);
        if total.nodes > MAX_NODES {
            return Err(LoadError::TooManyNodes);
        }
        if total.text > MAX_TEXT {
            return Err(LoadError::TooMuchText);
        }
        match stack.last_mut() {
            None => return Ok(value),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(b, _)) => match b.key.take() {
                None => {
                    if matches!(value, Node::Seq(_) | Node::Map(_)) {
                        return Err(LoadError::InvalidKey {
                            line,
                            key: value.go_type().to_string(),
                        });
                    }
                    b.key = Some((value, is_merge_key));
                }
                Some((_, true)) => merge(&mut b.map, value)?,
                Some((k, false)) => b.map.insert(k, value),
            },
        }
    }
    Ok(Node::Null)
}

/// libyaml's wording for the syntax errors seen most (yaml.v2 is a libyaml port); others
/// keep the parser's own text.
fn libyaml_text(info: &str) -> String {
    match info {
        "unclosed bracket '['" => "did not find expected ',' or ']'".into(),
        "unclosed bracket '{'" => "did not find expected ',' or '}'".into(),
        "mapping values are not allowed in this context" => info.into(),
        other => other.to_string(),
    }
}

/// What a value costs each time it is copied: its nodes and the bytes of its scalar text
/// (numbers and the like count as their length in the source, near enough).
#[derive(Debug, Clone, Copy, Default)]
struct Weight {
    nodes: usize,
    text: usize,
}

impl Weight {
    const ONE_NODE: Weight = Weight { nodes: 1, text: 0 };

    fn add(self, other: Weight) -> Weight {
        Weight {
            nodes: self.nodes.saturating_add(other.nodes),
            text: self.text.saturating_add(other.text),
        }
    }
}

fn weight_of(n: &Node) -> Weight {
    match n {
        Node::Seq(items) => items
            .iter()
            .map(weight_of)
            .fold(Weight::ONE_NODE, Weight::add),
        Node::Map(m) => m
            .iter()
            .map(|(k, v)| weight_of(k).add(weight_of(v)))
            .fold(Weight::ONE_NODE, Weight::add),
        Node::Str(s) => Weight {
            nodes: 1,
            text: s.len(),
        },
        _ => Weight { nodes: 1, text: 8 },
    }
}

/// `<<: *a` sets a's keys (over earlier ones, as yaml.v2 does); a sequence of maps merges
/// from its last element to its first, so earlier maps win.
fn merge(into: &mut Map, v: Node) -> Result<(), LoadError> {
    match v {
        Node::Map(m) => {
            for (k, v) in m {
                into.insert(k, v);
            }
            Ok(())
        }
        Node::Seq(items) => {
            for it in items.into_iter().rev() {
                match it {
                    Node::Map(m) => {
                        for (k, v) in m {
                            into.insert(k, v);
                        }
                    }
                    _ => return Err(LoadError::BadMerge),
                }
            }
            Ok(())
        }
        _ => Err(LoadError::BadMerge),
    }
}

fn scalar(
    s: &str,
    style: ScalarStyle,
    tag: Option<&granit_parser::Tag>,
    line: usize,
) -> Result<(Node, bool), LoadError> {
    let core = tag.and_then(|t| {
        if t.is_yaml_core_schema() {
            Some(t.suffix().to_string())
        } else {
            None
        }
    });
    match (tag, core.as_deref()) {
        (None, _) => {
            if style != ScalarStyle::Plain {
                return Ok((Node::Str(s.to_string()), false));
            }
            Ok(match resolve_plain(s) {
                Resolved::Value(v) => (v, false),
                Resolved::Timestamp => (Node::Str(s.to_string()), false),
                Resolved::Merge => (Node::Str(s.to_string()), true),
            })
        }
        (Some(_), Some("str")) | (Some(_), Some("binary")) => Ok((Node::Str(s.to_string()), false)),
        (Some(_), Some(t @ ("int" | "float" | "bool" | "null" | "timestamp"))) => {
            let v = match resolve_plain(s) {
                Resolved::Value(v) => v,
                Resolved::Timestamp if t == "timestamp" => {
                    return Ok((Node::Str(s.to_string()), false))
                }
                Resolved::Timestamp | Resolved::Merge => Node::Str(s.to_string()),
            };
            let ok = matches!(
                (t, &v),
                ("int", Node::Int(_) | Node::Uint(_))
                    | ("float", Node::Float(_))
                    | ("bool", Node::Bool(_))
                    | ("null", Node::Null)
            );
            if ok {
                return Ok((v, false));
            }
            if t == "float" {
                match v {
                    Node::Int(i) => return Ok((Node::Float(i as f64), false)),
                    Node::Uint(u) => return Ok((Node::Float(u as f64), false)),
                    _ => {}
                }
            }
            let found = match &v {
                Node::Null => "!!null",
                Node::Bool(_) => "!!bool",
                Node::Int(_) | Node::Uint(_) => "!!int",
                Node::Float(_) => "!!float",
                _ => "!!str",
            };
            Err(LoadError::BadTag {
                line,
                found: found.into(),
                text: s.to_string(),
                tag: format!("!!{t}"),
            })
        }
        // Other tags (`!foo`, `!!map` on a scalar...) leave the text as a string.
        (Some(_), _) => Ok((Node::Str(s.to_string()), false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_as_yaml_v2() {
        let n =
            load("a: yes\nb: '1'\nc: [1, 0x10, ~]\nd: &x {k: v}\ne: *x\nf:\n  <<: *x\n  z: 1\n")
                .unwrap();
        let Node::Map(m) = n else { panic!() };
        assert_eq!(m.get_str("a"), Some(&Node::Bool(true)));
        assert_eq!(m.get_str("b"), Some(&Node::Str("1".into())));
        assert_eq!(
            m.get_str("c"),
            Some(&Node::Seq(vec![Node::Int(1), Node::Int(16), Node::Null]))
        );
        assert_eq!(m.get_str("e"), m.get_str("d"));
        let Some(Node::Map(f)) = m.get_str("f") else {
            panic!()
        };
        assert_eq!(f.get_str("k"), Some(&Node::Str("v".into())));
    }

    #[test]
    fn alias_bombs_fail() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(load(&doc), Err(LoadError::TooManyNodes)));
    }

    #[test]
    fn large_aliased_text_fails() {
        let big = "x".repeat(1 << 20);
        let mut doc = format!("a: &a {big}\nb: [");
        doc.push_str(&vec!["*a"; 70].join(", "));
        doc.push_str("]\n");
        assert!(matches!(load(&doc), Err(LoadError::TooMuchText)));
        // Well under the budget, aliases still expand.
        let doc = format!("a: &a {big}\nb: [*a, *a]\n");
        assert!(load(&doc).is_ok());
    }

    #[test]
    fn deep_nesting_fails() {
        let doc = "[".repeat(1000) + &"]".repeat(1000);
        assert!(load(&doc).is_err());
    }

    #[test]
    fn empty_is_null() {
        assert_eq!(load("").unwrap(), Node::Null);
        assert_eq!(load("# only\n").unwrap(), Node::Null);
    }
}
