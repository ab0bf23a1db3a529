//! Ops files (`-o`): a YAML list of `{type, path, value, absent, error}` entries decoded as the
//! CLI decodes them into go-patch's `OpDefinition`, with its texts for malformed entries (the
//! entry printed back as indented JSON with the value redacted).

use std::fmt::Write as _;

use granit_parser::{Event, Parser};

use super::load::load;
use super::node::Node;
use super::ops::{self, PatchError};
use super::pointer::{Pointer, PointerError};
use super::vars::roundtrip;

#[derive(Debug, Clone)]
pub enum Kind {
    Replace(Node),
    Remove,
    Test(Node, bool),
}

#[derive(Debug, Clone)]
pub struct Op {
    pub path: Pointer,
    pub kind: Kind,
    /// `operation [i] in FILE failed`, which the CLI prefixes to every failure.
    pub context: String,
}

impl Op {
    /// Applies the operation, consuming it: a replacement value moves into the document.
    pub fn apply(self, doc: &mut Node) -> Result<(), PatchError> {
        let r = match self.kind {
            Kind::Replace(v) => ops::replace(doc, &self.path, v),
            Kind::Remove => ops::remove(doc, &self.path),
            Kind::Test(v, absent) => ops::test(doc, &self.path, &v, absent),
        };
        r.map_err(|e| PatchError::Described {
            context: self.context,
            source: Box::new(e),
        })
    }
}

/// An ops file that could not be read; the text is the CLI's (without the flag prefix).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OpsFileError(pub String);

/// Parses the ops file `name` (as given on the command line) holding `text`.
pub fn parse(name: &str, text: &str) -> Result<Vec<Op>, OpsFileError> {
    let doc =
        load(text).map_err(|e| OpsFileError(format!("Deserializing ops file '{name}': {e}")))?;
    let items = match doc {
        Node::Null => return Ok(Vec::new()),
        Node::Seq(items) => items,
        other => {
            return Err(OpsFileError(format!(
                "Deserializing ops file '{name}': yaml: unmarshal errors:\n  line {}: cannot unmarshal {} into []patch.OpDefinition",
                first_line(text),
                other.yaml_tag_text()
            )))
        }
    };
    let lines = item_lines(text);
    let mut unmarshal_errs = Vec::new();
    let mut defs = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match it {
            Node::Map(m) => {
                let field = |k: &str| m.get_str(k).filter(|v| !matches!(v, Node::Null));
                defs.push(Def {
                    kind: field("type").map(Node::go_string).unwrap_or_default(),
                    path: field("path").map(Node::go_string),
                    value: field("value").cloned(),
                    absent: field("absent").map(|v| matches!(v, Node::Bool(true))),
                    error: format!("operation [{i}] in {name} failed"),
                });
            }
            Node::Null => defs.push(Def {
                kind: String::new(),
                path: None,
                value: None,
                absent: None,
                error: format!("operation [{i}] in {name} failed"),
            }),
            other => unmarshal_errs.push(format!(
                "  line {}: cannot unmarshal {} into patch.OpDefinition",
                lines.get(i).copied().unwrap_or(1),
                other.yaml_tag_text()
            )),
        }
    }
    if !unmarshal_errs.is_empty() {
        return Err(OpsFileError(format!(
            "Deserializing ops file '{name}': yaml: unmarshal errors:\n{}",
            unmarshal_errs.join("\n")
        )));
    }
    let mut ops = Vec::new();
    for (i, d) in defs.into_iter().enumerate() {
        let json = d.json();
        let built = match d.kind.as_str() {
            "replace" => match (&d.path, &d.value) {
                (None, _) => Err(DefError::MissingPath),
                (_, None) => Err(DefError::MissingValue),
                (_, Some(v)) => d.pointer().map(|p| Op {
                    path: p,
                    // The CLI round-trips the value through YAML before applying it.
                    kind: Kind::Replace(roundtrip(v)),
                    context: d.error.clone(),
                }),
            },
            "remove" => {
                if d.path.is_none() {
                    Err(DefError::MissingPath)
                } else if d.value.is_some() {
                    Err(DefError::CannotSpecifyValue)
                } else {
                    d.pointer().map(|p| Op {
                        path: p,
                        kind: Kind::Remove,
                        context: d.error.clone(),
                    })
                }
            }
            "test" => d.pointer().and_then(|p| {
                if d.value.is_none() && d.absent.is_none() {
                    return Err(DefError::MissingValueOrAbsent);
                }
                Ok(Op {
                    path: p,
                    kind: Kind::Test(
                        d.value.clone().unwrap_or(Node::Null),
                        d.absent.unwrap_or(false),
                    ),
                    context: d.error.clone(),
                })
            }),
            other => {
                return Err(OpsFileError(format!(
                    "Building ops: Unknown operation [{i}] with type '{other}' within\n{json}"
                )))
            }
        };
        match built {
            Ok(op) => ops.push(op),
            Err(msg) => {
                let what = match d.kind.as_str() {
                    "replace" => "Replace",
                    "remove" => "Remove",
                    _ => "Test",
                };
                return Err(OpsFileError(format!(
                    "Building ops: {what} operation [{i}]: {msg} within\n{json}"
                )));
            }
        }
    }
    Ok(ops)
}

/// Why one entry of an ops file is not an operation, in go-patch's words.
#[derive(Debug, thiserror::Error)]
enum DefError {
    #[error("Missing path")]
    MissingPath,
    #[error("Missing value")]
    MissingValue,
    #[error("Cannot specify value")]
    CannotSpecifyValue,
    #[error("Missing value or absent")]
    MissingValueOrAbsent,
    #[error("Invalid path: {0}")]
    InvalidPath(PointerError),
}

struct Def {
    kind: String,
    path: Option<String>,
    value: Option<Node>,
    absent: Option<bool>,
    error: String,
}

impl Def {
    fn pointer(&self) -> Result<Pointer, DefError> {
        let Some(p) = &self.path else {
            return Err(DefError::MissingPath);
        };
        Pointer::parse(p).map_err(DefError::InvalidPath)
    }

    /// `json.MarshalIndent` of the definition, value redacted, `<`/`>` unescaped afterwards.
    fn json(&self) -> String {
        let mut fields = Vec::new();
        if !self.kind.is_empty() {
            fields.push(format!("  \"Type\": {}", go_json_string(&self.kind)));
        }
        if let Some(p) = &self.path {
            fields.push(format!("  \"Path\": {}", go_json_string(p)));
        }
        if self.value.is_some() {
            fields.push("  \"Value\": \"<redacted>\"".to_string());
        }
        if let Some(a) = self.absent {
            fields.push(format!("  \"Absent\": {a}"));
        }
        fields.push(format!("  \"Error\": {}", go_json_string(&self.error)));
        format!("{{\n{}\n}}", fields.join(",\n"))
    }
}

/// Go's JSON string escaping (HTML-safe `&`, with `<` and `>` restored as go-patch does).
fn go_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn first_line(text: &str) -> usize {
    for ev in Parser::new_from_str(text) {
        match ev {
            Ok((Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..), span)) => {
                return span.start.line()
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    1
}

/// The line each item of the top-level sequence starts on.
fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut depth = 0usize;
    for ev in Parser::new_from_str(text) {
        let Ok((ev, span)) = ev else { break };
        match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if depth == 1 {
                    lines.push(span.start.line());
                }
                depth += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::Scalar(..) | Event::Alias(..) if depth == 1 => lines.push(span.start.line()),
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_entries_read_as_the_cli_reports_them() {
        let e = parse("o.yml", "- type: replace\n  path: /a\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Building ops: Replace operation [0]: Missing value within\n{\n  \"Type\": \"replace\",\n  \"Path\": \"/a\",\n  \"Error\": \"operation [0] in o.yml failed\"\n}"
        );
        let e = parse("o.yml", "a: 1\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Deserializing ops file 'o.yml': yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []patch.OpDefinition"
        );
        assert!(parse("o.yml", "").unwrap().is_empty());
    }
}
