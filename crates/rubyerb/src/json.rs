//! The json gem's generator (>= 2.15): its options (compact, pretty, any `indent:`,
//! `space:`...), its float format, its string escapes.

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
    /// The text grew past [`Style::max_len`] bytes (the caller's size budget, which long
    /// `indent:` or `space:` strings could otherwise multiply past).
    #[error("generated text of {0} bytes")]
    TooLong(usize),
    /// A binary string whose bytes are not UTF-8: the gem transcodes it, and the message
    /// is the transcoding's, naming the first byte past ASCII.
    #[error("\"\\x{0:02X}\" from ASCII-8BIT to UTF-8")]
    NotUtf8(u8),
}

/// A string as the gem writes it: a binary string's bytes taken for UTF-8 when they are
/// (the gem warns and goes on), else refused.
fn json_rstr(s: &crate::value::RStr, out: &mut String) -> Result<(), GenerateError> {
    if !s.is_binary() {
        json_str(&s.borrow(), out);
        return Ok(());
    }
    let bytes = s.bytes();
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            json_str(text, out);
            Ok(())
        }
        Err(_) => Err(GenerateError::NotUtf8(
            bytes.iter().copied().find(|b| !b.is_ascii()).unwrap_or(0),
        )),
    }
}

/// A text option (`indent:`...) that is neither a string nor nil or false: the gem's
/// `TypeError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("wrong argument type {class} (expected String)")]
pub struct OptionType {
    pub class: String,
}

/// The json gem's generator state: what it writes around tokens (`JSON.generate`'s and
/// `to_json`'s options; `JSON.pretty_generate` starts from [`Style::pretty`]).
#[derive(Debug, Clone)]
pub struct Style {
    /// Before each element and key, once per level of nesting.
    pub indent: String,
    /// After a key's `:`, and before it (`space_before`).
    pub space: String,
    pub space_before: String,
    /// After `{` and each `,` of a hash, and before its `}`; `array_nl` likewise for arrays.
    pub object_nl: String,
    pub array_nl: String,
    /// NaN and the infinities written as `NaN`, `Infinity`, `-Infinity`.
    pub allow_nan: bool,
    pub max_len: usize,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            indent: String::new(),
            space: String::new(),
            space_before: String::new(),
            object_nl: String::new(),
            array_nl: String::new(),
            allow_nan: false,
            max_len: usize::MAX,
        }
    }
}

impl Style {
    pub fn pretty() -> Style {
        Style {
            indent: "  ".into(),
            space: " ".into(),
            object_nl: "\n".into(),
            array_nl: "\n".into(),
            ..Style::default()
        }
    }

    /// The options of the hash `opts` over these; anything else (a generator state, nil)
    /// changes nothing, and unknown keys are ignored, as by the gem.
    pub fn with(mut self, opts: Option<&Value>) -> Result<Style, OptionType> {
        let Some(Value::Hash(h)) = opts else {
            return Ok(self);
        };
        for (k, v) in h.borrow().map.values() {
            // the gem reads symbol keys only
            let Value::Sym(key) = k else { continue };
            let text = || match v {
                Value::Nil | Value::Bool(false) => Ok(String::new()),
                Value::Str(s) => Ok(s.borrow().clone()),
                v => Err(OptionType {
                    class: v.class_name(),
                }),
            };
            match &**key {
                "indent" => self.indent = text()?,
                "space" => self.space = text()?,
                "space_before" => self.space_before = text()?,
                "object_nl" => self.object_nl = text()?,
                "array_nl" => self.array_nl = text()?,
                "allow_nan" => self.allow_nan = v.truthy(),
                _ => {}
            }
        }
        Ok(self)
    }
}

/// `JSON.generate`, `to_json` and `JSON.pretty_generate` in `style`. Objects that are not
/// data serialise as their `to_s` string, as the json gem does; the caller passes that
/// conversion in.
pub fn generate(
    v: &Value,
    style: &Style,
    obj_to_s: &mut dyn FnMut(&Value) -> String,
) -> Result<String, GenerateError> {
    let mut out = String::new();
    json_into(v, style, 0, &mut out, obj_to_s)?;
    Ok(out)
}

fn json_into(
    v: &Value,
    style: &Style,
    depth: usize,
    out: &mut String,
    obj_to_s: &mut dyn FnMut(&Value) -> String,
) -> Result<(), GenerateError> {
    if depth > 100 {
        return Err(GenerateError::TooDeep(depth));
    }
    if out.len() > style.max_len {
        return Err(GenerateError::TooLong(out.len()));
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
                if !style.allow_nan {
                    return Err(GenerateError::NotAllowed(float_to_s(*f)));
                }
                out.push_str(&float_to_s(*f));
            } else {
                out.push_str(&json_float(*f));
            }
        }
        Value::Str(s) => json_rstr(s, out)?,
        Value::Sym(s) => json_str(s, out),
        Value::Array(a) => {
            let a = a.borrow();
            if a.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            out.push_str(&style.array_nl);
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(&style.array_nl);
                }
                indent(out, style, depth + 1)?;
                json_into(e, style, depth + 1, out, obj_to_s)?;
            }
            if !style.array_nl.is_empty() {
                out.push_str(&style.array_nl);
                indent(out, style, depth)?;
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
                out.push_str(&style.object_nl);
                indent(out, style, depth + 1)?;
                match k {
                    // read in place: nothing runs while a key is written
                    Value::Str(s) => json_rstr(s, out)?,
                    Value::Object(_) => json_str(&obj_to_s(k), out),
                    other => json_str(&to_s(other), out),
                }
                out.push_str(&style.space_before);
                out.push(':');
                out.push_str(&style.space);
                json_into(v, style, depth + 1, out, obj_to_s)?;
            }
            if !style.object_nl.is_empty() {
                out.push_str(&style.object_nl);
                indent(out, style, depth)?;
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

/// `unit` `depth` times, checked first against the size budget: a level's indentation is
/// the one write that multiplies an option's length.
fn indent(out: &mut String, style: &Style, depth: usize) -> Result<(), GenerateError> {
    let unit = &style.indent;
    if unit.is_empty() {
        return Ok(());
    }
    let len = out.len().saturating_add(unit.len().saturating_mul(depth));
    if len > style.max_len {
        return Err(GenerateError::TooLong(len));
    }
    for _ in 0..depth {
        out.push_str(unit);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Ruby 3.4's words (json 2.9, ruby.wasm): the transcoding's error, naming the first byte
    /// past ASCII. (Ruby 3.1's json 2.6 words it as a partial character.)
    #[test]
    fn a_binary_string_not_utf8_is_refused_naming_its_first_byte() {
        let mut out = String::new();
        let s = crate::value::Value::binary_of(&[b'a', 0xc3, 0xff]);
        let crate::value::Value::Str(s) = s else {
            unreachable!()
        };
        assert_eq!(
            super::json_rstr(&s, &mut out).unwrap_err().to_string(),
            r#""\xC3" from ASCII-8BIT to UTF-8"#
        );
    }
}
