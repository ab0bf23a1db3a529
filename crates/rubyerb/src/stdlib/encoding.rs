//! Encodings behind the standard library: Base64, shell quoting, percent and HTML escaping,
//! binary strings, and the `Encoding` objects strings answer `encoding` with.

use base64::Engine as _;

use super::super::interp::{Interp, R};
use super::super::value::Value;

/// `Base64.encode64` (lines of 45 input bytes) or `strict_encode64` (one line).
pub fn base64_encode(bytes: &[u8], lines: bool) -> Value {
    Value::str(base64_lines(bytes, if lines { 45 } else { 0 }))
}

/// Base64 with a line break after every `per_line` input bytes, a multiple of 3 (none for 0),
/// as `encode64` and `pack('m')` write it.
pub fn base64_lines(bytes: &[u8], per_line: usize) -> String {
    let s = base64::engine::general_purpose::STANDARD.encode(bytes);
    if per_line == 0 {
        return s;
    }
    let mut out = String::with_capacity(s.len() + s.len() / 60 + 1);
    for chunk in s.as_bytes().chunks(per_line / 3 * 4) {
        // base64 is ASCII: every chunk is text
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

pub fn base64_decode(it: &Interp, s: &str, strict: bool) -> R<Value> {
    let bytes = if strict {
        match base64::engine::general_purpose::STANDARD.decode(s.as_bytes()) {
            Ok(b) => b,
            Err(_) => return it.arg_err("invalid base64"),
        }
    } else {
        decode64_lenient(s.as_bytes())
    };
    Ok(Value::binary_result(bytes))
}

/// Base64 as Ruby's `unpack1('m')` reads it (`Base64.decode64`, YAML's `!!binary`), which
/// never fails: bytes outside the alphabet are skipped; a group ends at a `=` where its
/// third or fourth character would be, and the text with it; a final group of two or
/// three characters gives its one or two bytes, a lone character none.
pub fn decode64_lenient(s: &[u8]) -> Vec<u8> {
    fn value(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut i = 0;
    // the next character of the alphabet; `stop_at_pad`: a `=` ends the search (and the text)
    let mut next = |stop_at_pad: bool| -> Option<u8> {
        while let Some(&c) = s.get(i) {
            if stop_at_pad && c == b'=' {
                return None;
            }
            i += 1;
            if let Some(v) = value(c) {
                return Some(v);
            }
        }
        None
    };
    while let (Some(a), Some(b)) = (next(false), next(false)) {
        let Some(c) = next(true) else {
            out.push(a << 2 | b >> 4);
            break;
        };
        let Some(d) = next(true) else {
            out.extend([a << 2 | b >> 4, b << 4 | c >> 2]);
            break;
        };
        out.extend([a << 2 | b >> 4, b << 4 | c >> 2, c << 6 | d]);
    }
    out
}

pub fn shellescape(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c == '\n' {
            out.push_str("'\n'");
        } else if c.is_ascii_alphanumeric() || "_-.,:+/@".contains(c) {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// A line `Shellwords.split` refuses (shown as `inspect` shows it): its `ArgumentError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("Unmatched quote: {0}")]
pub struct UnmatchedQuote(pub String);

/// `Shellwords.split`, as its scanner reads a line: words, single-quoted text (no escapes),
/// double-quoted text (a backslash escapes only `$`, a backquote, `"`, a backslash and a line
/// break), a backslash escaping the next character.
pub fn shellsplit(line: &str) -> Result<Vec<String>, UnmatchedQuote> {
    let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let unmatched = || UnmatchedQuote(super::super::format::str_inspect(line));
    let mut words = Vec::new();
    let mut field = String::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(space);
        let Some(c) = rest.chars().next() else { break };
        match c {
            '\'' => {
                let end = rest[1..].find('\'').ok_or_else(unmatched)?;
                field.push_str(&rest[1..1 + end]);
                rest = &rest[end + 2..];
            }
            '"' => {
                let mut chars = rest[1..].char_indices();
                let mut end = None;
                while let Some((i, d)) = chars.next() {
                    match d {
                        '"' => {
                            end = Some(i);
                            break;
                        }
                        '\\' => match chars.next() {
                            Some((_, e @ ('$' | '`' | '"' | '\\' | '\n'))) => field.push(e),
                            Some((_, e)) => {
                                field.push('\\');
                                field.push(e);
                            }
                            None => return Err(unmatched()),
                        },
                        d => field.push(d),
                    }
                }
                let end = end.ok_or_else(unmatched)?;
                rest = &rest[end + 2..];
            }
            '\\' => {
                // the next character, whatever it is; a line break (which `.` does not
                // match when the escape is undone) keeps its backslash
                let mut after = rest[1..].chars();
                match after.next() {
                    Some('\n') => field.push_str("\\\n"),
                    Some(e) => field.push(e),
                    None => field.push('\\'),
                }
                rest = after.as_str();
            }
            _ => {
                let end = rest
                    .find(|c: char| space(c) || matches!(c, '\\' | '\'' | '"'))
                    .unwrap_or(rest.len());
                field.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
        // a word ends at a space or at the end of the line; otherwise the next piece joins it
        if rest.is_empty() || rest.starts_with(space) {
            words.push(std::mem::take(&mut field));
        }
    }
    Ok(words)
}

/// `s` percent-encoded byte by byte: the bytes Ruby holds (a binary string's own, not the
/// UTF-8 of its one-char-per-byte text).
pub fn percent_encode(s: &[u8], keep: &dyn Fn(u8) -> bool, space_plus: bool) -> String {
    let mut out = String::new();
    for &b in s {
        if space_plus && b == b' ' {
            out.push('+');
        } else if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn percent_decode(s: &str, plus_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(
                std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())]).unwrap_or("zz"),
                16,
            ) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if plus_space && b[i] == b'+' {
            b' '
        } else {
            b[i]
        });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bytes of a string as Ruby holds them (a binary string's own), else of its `to_s`.
pub(super) fn bytes_of(v: &Value) -> Vec<u8> {
    match v {
        Value::Str(s) => s.bytes(),
        v => crate::format::to_s(v).into_bytes(),
    }
}

/// `text`, made from `from`'s text, as a string of `from`'s kind: a binary string's text is
/// one char per byte, and what is made of it is bytes too.
pub(super) fn same_encoding(from: &Value, text: String) -> Value {
    match from {
        Value::Str(s) if s.is_binary() => Value::binary_text(text),
        _ => Value::str(text),
    }
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `CGI.unescapeHTML`: the five entities `escapeHTML` writes (and `&apos;`) and numeric
/// references, decimal or hex; anything else stays as written.
pub fn html_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                n => {
                    let code = match n.strip_prefix("#x").or_else(|| n.strip_prefix("#X")) {
                        Some(h) => u32::from_str_radix(h, 16).ok(),
                        None => n.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    char::from_u32(code?)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `String#encode` from UTF-8 to UTF-8 or ASCII, with the options that change the text:
/// `xml: :text` and `:attr` (escaped for XML, `:attr` also quoted), the newline
/// conversions, and `undef: :replace` (with `replace:`) for characters ASCII lacks. Any
/// other target encoding is refused by name: bale's strings are UTF-8.
pub fn encode(it: &Interp, s: &str, args: &[Value]) -> R<Value> {
    let (names, kw) = crate::methods::keywords(args);
    let mut ascii = false;
    if let Some(target) = names.first() {
        let name = crate::format::to_s(target).to_ascii_uppercase();
        match name.as_str() {
            "UTF-8" => {}
            "ASCII" | "US-ASCII" => ascii = true,
            _ => return it.unsupported(&format!("String#encode to {name}")),
        }
    }
    let mut out = s.to_string();
    if ascii && !out.is_ascii() {
        if kw
            .get("undef")
            .is_none_or(|v| crate::format::to_s(&v) != "replace")
        {
            let c = out.chars().find(|c| !c.is_ascii()).unwrap_or('?');
            return it.err(
                "Encoding::UndefinedConversionError",
                format!("U+{:04X} from UTF-8 to US-ASCII", c as u32),
            );
        }
        let with = kw
            .get("replace")
            .map_or("?".to_string(), |v| crate::format::to_s(&v));
        out = out
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    with.clone()
                }
            })
            .collect();
    }
    if kw.on("universal_newline") {
        out = out.replace("\r\n", "\n").replace('\r', "\n");
    }
    if kw.on("crlf_newline") {
        out = out.replace('\n', "\r\n");
    } else if kw.on("cr_newline") {
        out = out.replace('\n', "\r");
    }
    match kw.get("xml").map(|v| crate::format::to_s(&v)).as_deref() {
        None => {}
        Some(how @ ("text" | "attr")) => {
            let mut x = String::with_capacity(out.len() + 2);
            let attr = how == "attr";
            if attr {
                x.push('"');
            }
            for c in out.chars() {
                match c {
                    '&' => x.push_str("&amp;"),
                    '<' => x.push_str("&lt;"),
                    '>' => x.push_str("&gt;"),
                    '"' if attr => x.push_str("&quot;"),
                    '\'' if attr => x.push_str("&apos;"),
                    c => x.push(c),
                }
            }
            if attr {
                x.push('"');
            }
            out = x;
        }
        Some(other) => return it.arg_err(format!("unexpected value for xml option: {other}")),
    }
    Ok(Value::str(out))
}

/// An encoding bale's strings can have, by any name Ruby takes for it (`Encoding.find`,
/// `force_encoding('binary')`): its canonical name.
pub fn encoding_named(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_uppercase().as_str() {
        "UTF-8" | "CP65001" => "UTF-8",
        "ASCII-8BIT" | "BINARY" => "ASCII-8BIT",
        "US-ASCII" | "ASCII" | "ANSI_X3.4-1968" | "646" => "US-ASCII",
        _ => return None,
    })
}

/// The encoding a constant of `Encoding` names (`Encoding::UTF_8`, `Encoding::BINARY`).
pub fn encoding_const(name: &str) -> Option<&'static str> {
    Some(match name {
        "UTF_8" | "CP65001" => "UTF-8",
        "ASCII_8BIT" | "BINARY" => "ASCII-8BIT",
        "US_ASCII" | "ASCII" | "ANSI_X3_4_1968" => "US-ASCII",
        _ => return None,
    })
}

/// The `Encoding` object of the encoding named `name` (canonical).
pub fn encoding_value(it: &Interp, name: &'static str) -> Value {
    use std::cell::RefCell;
    use std::rc::Rc;
    Value::Object(Rc::new(crate::value::Object {
        class: it.classes.get("Encoding").expect("a built-in class"),
        ivars: RefCell::new(indexmap::IndexMap::new()),
        kind: crate::value::ObjKind::Encoding(name),
    }))
}

/// How Ruby 3.4 prints an encoding (`#<Encoding:BINARY (ASCII-8BIT)>` for binary).
pub fn encoding_inspect(name: &str) -> String {
    if name == "ASCII-8BIT" {
        "#<Encoding:BINARY (ASCII-8BIT)>".into()
    } else {
        format!("#<Encoding:{name}>")
    }
}

/// `Encoding.find`, `default_external` and `default_internal`; None for other methods.
pub fn encoding_class_call(it: &Interp, name: &str, args: &[Value]) -> R<Option<Value>> {
    Ok(Some(match name {
        "default_external" => encoding_value(it, "UTF-8"),
        "default_internal" => Value::Nil,
        "find" => {
            crate::methods::check_argc(it, args, 1, 1)?;
            let found = match &args[0] {
                Value::Object(o) => match o.kind {
                    crate::value::ObjKind::Encoding(n) => Some(n),
                    _ => None,
                },
                v => encoding_named(&crate::methods::str_arg(it, v)?),
            };
            match found {
                Some(n) => encoding_value(it, n),
                None => {
                    return it.arg_err(format!(
                        "unknown encoding name - {}",
                        crate::format::to_s(&args[0])
                    ))
                }
            }
        }
        _ => return Ok(None),
    }))
}

/// The methods of an `Encoding` (each encoding is one object in Ruby, so `equal?` is `==`).
pub fn encoding_call(
    it: &Interp,
    name: &'static str,
    method: &str,
    args: &[Value],
) -> R<Option<Value>> {
    Ok(Some(match method {
        "name" | "to_s" => Value::str(name),
        "inspect" => Value::str(encoding_inspect(name)),
        "ascii_compatible?" => Value::Bool(true),
        "dummy?" => Value::Bool(false),
        "frozen?" => Value::Bool(true),
        // Ruby has one object per encoding: every answer of `encoding` for UTF-8 is the same
        // object, so its identity and hash follow the name
        "hash" | "object_id" | "__id__" => {
            use std::hash::BuildHasher;
            let h = crate::value::FxBuild::default().hash_one(name);
            Value::Int(if method == "hash" {
                (h >> 2) as i64
            } else {
                (h >> 40) as i64 * 8
            })
        }
        "==" | "eql?" | "equal?" => {
            crate::methods::check_argc(it, args, 1, 1)?;
            Value::Bool(matches!(&args[0], Value::Object(o)
                if matches!(o.kind, crate::value::ObjKind::Encoding(n) if n == name)))
        }
        _ => return Ok(None),
    }))
}
