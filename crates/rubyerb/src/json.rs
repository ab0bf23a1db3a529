//! The json gem's generator (>= 2.15): compact and pretty output, its float format, its
//! string escapes.

use super::format::{float_to_s, json_float, to_s};
use super::value::{ObjKind, Value};

pub fn json_str(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    // runs of bytes that need no escape are copied whole: every byte to escape is ASCII, so
    // a run never splits a character
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        // (one comparison for most bytes: every byte to escape is below 0x20 or one of
        // two punctuation marks)
        if c >= 0x20 && c != b'"' && c != b'\\' {
            continue;
        }
        let esc = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            c if c < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{:04x}", c));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Why the json gem refuses to generate: Ruby's `JSON::GeneratorError` messages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    #[error("nesting of {0} is too deep")]
    TooDeep(usize),
    /// NaN or an infinity, as Ruby prints it.
    #[error("{0} not allowed in JSON")]
    NotAllowed(String),
}

/// `JSON.generate` / `to_json` (compact) and `JSON.pretty_generate` (`indent` = Some).
/// Objects that are not data serialise as their `to_s` string, as the json gem does; the
/// caller passes that conversion in.
pub fn generate(
    v: &Value,
    pretty: bool,
    obj_to_s: &mut dyn FnMut(&Value) -> String,
) -> Result<String, GenerateError> {
    let mut out = String::new();
    json_into(v, pretty, 0, &mut out, obj_to_s)?;
    Ok(out)
}

fn json_into(
    v: &Value,
    pretty: bool,
    depth: usize,
    out: &mut String,
    obj_to_s: &mut dyn FnMut(&Value) -> String,
) -> Result<(), GenerateError> {
    if depth > 100 {
        return Err(GenerateError::TooDeep(depth));
    }
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{i}");
        }
        Value::Big(b) => out.push_str(&b.to_string()),
        Value::Float(f) => {
            if f.is_nan() || f.is_infinite() {
                return Err(GenerateError::NotAllowed(float_to_s(*f)));
            }
            out.push_str(&json_float(*f));
        }
        Value::Str(s) => json_str(&s.borrow(), out),
        Value::Sym(s) => json_str(s, out),
        Value::Array(a) => {
            let a = a.borrow();
            if a.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    indent(out, depth + 1);
                }
                json_into(e, pretty, depth + 1, out, obj_to_s)?;
            }
            if pretty {
                out.push('\n');
                indent(out, depth);
            }
            out.push(']');
        }
        Value::Hash(h) => {
            let h = h.borrow();
            if h.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, v)) in h.map.values().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    out.push('\n');
                    indent(out, depth + 1);
                }
                match k {
                    // read in place: nothing runs while a key is written
                    Value::Str(s) => json_str(&s.borrow(), out),
                    Value::Object(_) => json_str(&obj_to_s(k), out),
                    other => json_str(&to_s(other), out),
                }
                out.push_str(if pretty { ": " } else { ":" });
                json_into(v, pretty, depth + 1, out, obj_to_s)?;
            }
            if pretty {
                out.push('\n');
                indent(out, depth);
            }
            out.push('}');
        }
        Value::Object(o) if matches!(o.kind, ObjKind::OStruct(..)) => {
            let s = obj_to_s(v);
            json_str(&s, out)
        }
        other => {
            let s = match other {
                Value::Object(_) => obj_to_s(other),
                _ => to_s(other),
            };
            json_str(&s, out)
        }
    }
    Ok(())
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}
