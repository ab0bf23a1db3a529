//! The standard library the director has loaded when it renders: JSON, YAML, Base64,
//! Digest/OpenSSL digests, IPAddr, URI, Shellwords, ERB::Util, CGI, Math, OpenStruct, Zlib's
//! crc32; Time with the host's clock; random numbers and `SecureRandom` from the host's
//! source (`random.rs`, `secure_random.rs`). Anything else is refused with a message.

use super::interp::object_text;
use super::MethodCall;
use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine as _;
use indexmap::IndexMap;

use super::format;
use super::interp::{Interp, R};
use super::methods::{arg, int_arg, str_arg};
use super::value::{ObjKind, Object, RHash, Value};

pub mod digest;
mod encoding;
mod json_parse;
mod math;
mod net;
pub mod random;
mod secure_random;
pub mod stream;
mod time;
mod uri_set;
mod www_form;
pub(crate) mod x509;
#[cfg(test)]
mod x509_tests;
mod yaml_load;
pub use encoding::{
    base64_decode, base64_encode, base64_lines, decode64_lenient, encode, encoding_call,
    encoding_const, encoding_inspect, encoding_named, encoding_value, shellescape, shellsplit,
};
use encoding::{
    bytes_of, hex, html_escape, html_unescape, percent_decode, percent_encode, same_encoding,
};
use net::ip_value;
pub use net::{object_call, IpAddr, Uri};
pub(crate) use time::{inspect as time_inspect, object_call as time_call, to_s as time_text};
pub use time::{Time, TimeParseError};
pub use x509::{key as x509_key, object_call as x509_call, text as x509_text, X509};

/// Module and class methods: `JSON.dump`, `Base64.strict_encode64`, `IPAddr.new`, ...
/// Class methods of the standard library's modules (`JSON.dump`, `Base64.encode64`...).
pub fn class_call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let Value::Class(class) = recv else {
        return Ok(None);
    };
    let class: &str = &class.name;
    let s0 = || format::to_s(&arg(args, 0));
    // the first argument as a String, which these take only as one (no `to_s`)
    let str0 = || str_arg(it, &arg(args, 0));
    let b0 = || bytes_of(&arg(args, 0));
    if class == "Base64" && !matches!(arg(args, 0), Value::Str(_)) {
        let a = arg(args, 0);
        return if name.contains("decode") {
            it.no_method(&a, "unpack1")
        } else {
            // (not a String: the conversion's TypeError)
            str_arg(it, &a).map(|_| None)
        };
    }
    if class.starts_with("OpenSSL::X509::") {
        return x509::class_call(it, class, name, args);
    }
    let v = match (class, name) {
        ("JSON", "generate" | "dump" | "fast_generate" | "unparse" | "pretty_generate") => {
            let mut base = match name {
                "pretty_generate" => super::json::Style::pretty(),
                _ => super::json::Style::default(),
            };
            // `dump` writes NaN and the infinities (its defaults allow them)
            base.allow_nan = name == "dump";
            // `JSON.dump`'s second argument is an IO, not options
            let opts = if name == "dump" { None } else { args.get(1) };
            it.printable(&arg(args, 0))?;
            generate_json(it, &arg(args, 0), base, opts)?
        }
        ("JSON", "parse" | "load") => json_parse::call(it, name, args)?,
        ("YAML" | "Psych", "dump") => {
            it.printable(&arg(args, 0))?;
            let width = yaml_width(it, args.get(1))?;
            Value::str(super::yaml_out::dump(
                &arg(args, 0),
                width,
                &mut object_text,
            ))
        }
        ("YAML" | "Psych", "load" | "safe_load" | "unsafe_load") => {
            yaml_load::load(it, name, args)?
        }
        ("Base64", "encode64") => base64_encode(&b0(), true),
        ("Base64", "strict_encode64") => base64_encode(&b0(), false),
        ("Base64", "urlsafe_encode64") => {
            let pad = !matches!(args.get(1), Some(Value::Hash(h)) if h.borrow().get(&Value::sym("padding")).is_some_and(|v| !v.truthy()));
            let e = if pad {
                &base64::engine::general_purpose::URL_SAFE
            } else {
                &base64::engine::general_purpose::URL_SAFE_NO_PAD
            };
            Value::str(e.encode(b0()))
        }
        ("Base64", "decode64") => base64_decode(it, &s0(), false)?,
        ("Base64", "strict_decode64") => base64_decode(it, &s0(), true)?,
        // strict, once padded to whole groups when it has no padding of its own
        ("Base64", "urlsafe_decode64") => {
            let s = s0();
            let mut t = s.replace('-', "+").replace('_', "/");
            if !s.ends_with('=') {
                let short = t.chars().count() % 4;
                if short != 0 {
                    t.extend(std::iter::repeat_n('=', 4 - short));
                }
            }
            base64_decode(it, &t, true)?
        }
        ("Encoding", _) => return encoding::encoding_class_call(it, name, args),
        (c, _)
            if c.starts_with("Digest::")
                || c.starts_with("OpenSSL::Digest")
                || c == "OpenSSL::HMAC" =>
        {
            return digest::class_call(it, class, name, args);
        }
        ("IPAddr", "new") => {
            // (an integer address needs its family, which bale's IPAddr does not take)
            let Value::Str(a) = arg(args, 0) else {
                return it.err(
                    "IPAddr::AddressFamilyError",
                    "address family must be specified",
                );
            };
            let ip = IpAddr::parse(&a.borrow()).or_else(|e| it.err(e.class(), e.to_string()))?;
            ip_value(it, ip)
        }
        ("IPAddr", "ntop") => Value::str(s0()),
        ("URI", "parse" | "URI") => {
            let a = arg(args, 0);
            let Value::Str(text) = &a else {
                return match (name, &a) {
                    ("URI", Value::Object(o)) if matches!(o.kind, ObjKind::Uri(_)) => Ok(Some(a)),
                    ("URI", _) => it.arg_err("bad argument (expected URI object or URI string)"),
                    _ => it.err(
                        "URI::InvalidURIError",
                        format!("bad URI(is not URI?): {}", format::inspect(&a)),
                    ),
                };
            };
            let parsed = Uri::parse(&text.borrow());
            match parsed {
                Ok(u) => Value::Object(Rc::new(Object {
                    class: it.classes.get(u.class_name()).unwrap(),
                    ivars: RefCell::new(IndexMap::new()),
                    kind: ObjKind::Uri(RefCell::new(u)),
                })),
                Err(e) => return it.err("URI::InvalidURIError", e.to_string()),
            }
        }
        ("URI", "encode_www_form_component") => Value::str(percent_encode(
            &b0(),
            &|b| b.is_ascii_alphanumeric() || b"*-._".contains(&b),
            true,
        )),
        ("URI", "decode_www_form_component") => {
            let a = arg(args, 0);
            if matches!(a, Value::Nil | Value::Sym(_)) {
                // (Ruby's own code: its `%` check lets these through to a `b` they lack)
                return it.no_method(&a, "b");
            }
            Value::str(percent_decode(&str_arg(it, &a)?, true))
        }
        ("URI", "encode_uri_component") => Value::str(percent_encode(
            &b0(),
            &|b| b.is_ascii_alphanumeric() || b"*-._".contains(&b),
            false,
        )),
        ("URI", "encode_www_form") => www_form::encode(it, &arg(args, 0))?,
        ("URI", "decode_www_form") => www_form::decode(it, &str_arg(it, &arg(args, 0))?)?,
        ("ERB::Util", "url_encode" | "u") => Value::str(percent_encode(
            &b0(),
            &|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b),
            false,
        )),
        // ERB::Util's escape any value's `to_s`; CGI's take only a String
        // a binary string escapes to a binary string: its text is one char per byte
        ("ERB::Util" | "ERB", "html_escape" | "h" | "escapeHTML" | "escape_html") => {
            same_encoding(&arg(args, 0), html_escape(&s0()))
        }
        ("CGI", "html_escape" | "h" | "escapeHTML" | "escape_html") => {
            same_encoding(&arg(args, 0), html_escape(&str0()?))
        }
        ("ERB::Util", "unescapeHTML" | "unescape_html") => Value::str(html_unescape(&s0())),
        ("CGI", "unescapeHTML" | "unescape_html") => Value::str(html_unescape(&str0()?)),
        ("CGI", "escape") => {
            // a String only, as CGI takes it; escaped by the bytes Ruby holds
            str0()?;
            Value::str(percent_encode(
                &b0(),
                &|b| b.is_ascii_alphanumeric() || b"_.-~".contains(&b),
                true,
            ))
        }
        ("CGI", "unescape") => Value::str(percent_decode(&str0()?, true)),
        ("Shellwords", "escape" | "shellescape") => {
            same_encoding(&arg(args, 0), shellescape(&s0()))
        }
        ("Shellwords", "join" | "shelljoin") => {
            let items = it.elements(&arg(args, 0))?;
            Value::str(
                items
                    .iter()
                    .map(|v| shellescape(&format::to_s(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        ("Shellwords", "split" | "shellsplit" | "shellwords") => {
            let Value::Str(text) = arg(args, 0) else {
                return it.no_method(&arg(args, 0), "scan");
            };
            let words = shellsplit(&text.borrow());
            // each word in the text's encoding: a binary text's words are its bytes
            let (binary, enc) = (text.is_binary(), text.ascii_enc());
            let word = |w: String| match binary {
                true => Value::binary_of(&w.chars().map(|c| c as u8).collect::<Vec<u8>>()),
                false => Value::ascii_in(w, enc),
            };
            match words {
                Ok(words) => Value::array(words.into_iter().map(word).collect()),
                Err(e) => return it.arg_err(e.to_string()),
            }
        }
        // `$~`, or one of its groups
        ("Regexp", "last_match") => {
            let md = it
                .last_match
                .as_ref()
                .and_then(|m| m.gvar(it, "$~"))
                .unwrap_or(Value::Nil);
            match args.first() {
                Some(n) if !md.is_nil() => {
                    let pick = MethodCall {
                        recv: &md,
                        name: "[]",
                        args: std::slice::from_ref(n),
                        block: None,
                        f: c.f,
                    };
                    crate::methods::matchdata::call(it, &pick)?.unwrap_or(Value::Nil)
                }
                _ => md,
            }
        }
        ("Math", m) => return math::call(it, m, args),
        ("OpenStruct", "new") => {
            let cls = it.classes.get("OpenStruct").unwrap();
            return super::methods::ostruct::new(it, args, cls).map(Some);
        }
        ("Zlib", "crc32") => Value::Int(crc32fast::hash(s0().as_bytes()) as i64),
        ("Time", _) => return time::class_call(it, name, args),
        ("Random", _) => return random::class_call(it, name, args).map(Some),
        ("SecureRandom", _) => return secure_random::call(it, name, args).map(Some),
        ("File", "dirname") => {
            let p = s0();
            let t = p.trim_end_matches('/');
            Value::str(match t.rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => t[..i].trim_end_matches('/').to_string(),
                None if p.starts_with('/') => "/".to_string(),
                None => ".".to_string(),
            })
        }
        ("File", "basename") => {
            let p = s0();
            let t = p.trim_end_matches('/');
            let mut b = t.rsplit('/').next().unwrap_or("").to_string();
            if b.is_empty() && p.starts_with('/') {
                b = "/".into();
            }
            if let Some(Value::Str(ext)) = args.get(1) {
                let ext = ext.borrow().clone();
                if ext == ".*" {
                    if let Some(i) = b.rfind('.').filter(|i| *i > 0) {
                        b.truncate(i);
                    }
                } else if b.len() > ext.len() && b.ends_with(&ext) {
                    b.truncate(b.len() - ext.len());
                }
            }
            Value::str(b)
        }
        ("File", "extname") => {
            let p = s0();
            let b = p.rsplit('/').next().unwrap_or("");
            Value::str(match b.rfind('.') {
                Some(i) if i > 0 && i + 1 < b.len() => b[i..].to_string(),
                _ => String::new(),
            })
        }
        ("File", "join") => {
            let mut parts: Vec<String> = Vec::new();
            join_parts(it, args, &mut parts, 0)?;
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    match (out.ends_with('/'), p.starts_with('/')) {
                        (true, true) => out.pop().map(|_| ()).unwrap_or(()),
                        (false, false) => out.push('/'),
                        _ => {}
                    }
                }
                out.push_str(p);
            }
            Value::str(out)
        }
        ("File" | "Dir" | "IO" | "Open3", _) => {
            return it.unsupported(&format!(
                "{class}.{name} (file system access while rendering)"
            ))
        }
        // a copy in the same encoding
        ("String", "new") => match arg(args, 0) {
            Value::Str(s) => s.copy(false),
            _ if args.is_empty() => Value::str(String::new()),
            _ => Value::str(str0()?),
        },
        ("Array", "new") => {
            let n = if args.is_empty() {
                0
            } else {
                int_arg(it, &arg(args, 0))?.max(0)
            };
            let r = it.budget.len(n);
            it.spend(r)?;
            let mut out = Vec::new();
            for i in 0..n {
                out.push(match &block {
                    Some(b) => it.call_block1(b, Value::Int(i))?,
                    None => arg(args, 1),
                });
            }
            Value::array(out)
        }
        ("Hash", "new") => {
            let mut h = RHash::new();
            h.default = arg(args, 0);
            h.default_proc = block;
            Value::hash(h)
        }
        ("Hash", "[]") => match arg(args, 0) {
            Value::Hash(h) => Value::hash(h.borrow().clone()),
            Value::Array(a) => {
                let mut h = RHash::new();
                for p in a.borrow().iter() {
                    let kv = it.elements(p)?;
                    h.insert(arg(&kv, 0), arg(&kv, 1));
                }
                Value::hash(h)
            }
            // `Hash[k1, v1, k2, v2]`
            _ if args.len() % 2 == 0 => {
                let mut h = RHash::new();
                for kv in args.chunks(2) {
                    h.insert(kv[0].clone(), kv[1].clone());
                }
                Value::hash(h)
            }
            _ => return it.arg_err("odd number of arguments for Hash"),
        },
        ("Regexp", "new" | "compile") => {
            let src = match arg(args, 0) {
                Value::Regex(r) => r.source.clone(),
                other => format::to_s(&other),
            };
            let flags = match args.get(1) {
                Some(Value::Int(n)) => format!(
                    "{}{}{}",
                    if n & 4 != 0 { "m" } else { "" },
                    if n & 1 != 0 { "i" } else { "" },
                    if n & 2 != 0 { "x" } else { "" }
                ),
                Some(v) if v.truthy() => "i".into(),
                _ => String::new(),
            };
            it.regex(&src, &flags)?
        }
        ("Range", "new") => it.range(arg(args, 0), arg(args, 1), arg(args, 2).truthy())?,
        ("Regexp", "escape" | "quote") => Value::str(regex_escape(&match arg(args, 0) {
            Value::Sym(s) => s.to_string(),
            a => str_arg(it, &a)?,
        })),
        ("Regexp", "union") => {
            let items = if args.len() == 1 {
                it.elements(&arg(args, 0)).unwrap_or_else(|_| args.to_vec())
            } else {
                args.to_vec()
            };
            match items.as_slice() {
                // one regexp is itself; none matches nothing
                [r @ Value::Regex(_)] => r.clone(),
                [] => it.regex("(?!)", "")?,
                _ => {
                    // each regexp with its own options, as its `to_s` writes it
                    let parts: Vec<String> = items
                        .iter()
                        .map(|v| match v {
                            Value::Regex(_) => format::to_s(v),
                            o => regex_escape(&format::to_s(o)),
                        })
                        .collect();
                    it.regex(&parts.join("|"), "")?
                }
            }
        }
        ("Integer", "sqrt") => {
            // exact, at any width (a float's square root is off by one from 2**52 on)
            let n = match crate::methods::bignum::of(&arg(args, 0)) {
                Some(n) => n,
                None => num_bigint::BigInt::from(int_arg(it, &arg(args, 0))?),
            };
            if n < num_bigint::BigInt::ZERO {
                return it.err(
                    "Math::DomainError",
                    "Numerical argument is out of domain - \"isqrt\"",
                );
            }
            crate::methods::bignum::int(n.sqrt())
        }
        ("StringIO" | "Zlib::GzipReader", "new")
        | ("Zlib", "gunzip")
        | ("Zlib::Inflate", "inflate") => return stream::class_call(it, class, name, args),
        ("Struct" | "Set", "new") => return it.unsupported(&format!("{class}.new")),
        _ => {
            let _ = f;
            return Ok(None);
        }
    };
    Ok(Some(v))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '.' | '*' | '?' | '+' | '^' | '$' | '|' | '(' | ')' | '[' | ']' | '{' | '}' | '\\'
            | '/' | '-' => {
                if c != '/' {
                    out.push('\\');
                }
                out.push(c)
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' ' => out.push_str("\\ "),
            c => out.push(c),
        }
    }
    out
}

pub fn from_json(j: &serde_json::Value, symbolize: bool) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(a) => {
            Value::array(a.iter().map(|x| from_json(x, symbolize)).collect())
        }
        serde_json::Value::Object(o) => {
            let mut h = RHash::with_capacity(o.len());
            for (k, v) in o {
                h.insert(
                    if symbolize {
                        Value::sym(k)
                    } else {
                        Value::str(k.as_str())
                    },
                    from_json(v, symbolize),
                );
            }
            Value::hash(h)
        }
    }
}

/// `File.join`'s parts: strings, and arrays of them at any depth, flattened; anything else
/// is Ruby's `TypeError` (`File.join(dir, nil)` fails in the director, naming nil).
fn join_parts(it: &mut Interp, args: &[Value], out: &mut Vec<String>, depth: usize) -> R<()> {
    for a in args {
        match a {
            Value::Array(l) if depth < 64 => {
                let items = l.borrow().clone();
                join_parts(it, &items, out, depth + 1)?;
            }
            Value::Array(_) => return it.arg_err("recursive array"),
            other => out.push(str_arg(it, other)?),
        }
    }
    Ok(())
}

/// The json gem's text of `v` in `base` with the options `opts` (`to_json`'s and
/// `JSON.generate`'s argument), its refusals as `JSON::GeneratorError` and its length within
/// the string size budget.
pub(crate) fn generate_json(
    it: &Interp,
    v: &Value,
    base: super::json::Style,
    opts: Option<&Value>,
) -> R<Value> {
    let style = match base.with(opts) {
        Ok(s) => super::json::Style {
            max_len: it.budget.limits.max_len,
            ..s
        },
        Err(e) => return it.type_err(e.to_string()),
    };
    match super::json::generate(v, &style, &mut object_text) {
        Ok(s) => Ok(Value::str(s)),
        Err(super::json::GenerateError::TooLong(n)) => it.over(super::budget::Spent::Len(n)),
        Err(e) => it.err("JSON::GeneratorError", e.to_string()),
    }
}

/// Psych's `line_width:` for `to_yaml` and `YAML.dump` (-1: no folding), when given; the
/// options that would change more than folding (`indentation:`, `canonical:`, `header:`)
/// are refused by name rather than ignored, the others Psych ignores too.
pub fn yaml_width(it: &Interp, opts: Option<&Value>) -> R<Option<i64>> {
    let Some(Value::Hash(h)) = opts else {
        return Ok(None);
    };
    let h = h.borrow();
    for (k, v) in h.pairs() {
        let Value::Sym(name) = &k else { continue };
        let plain = match &**name {
            "indentation" => matches!(v, Value::Int(2)),
            "canonical" | "header" => !v.truthy(),
            _ => true,
        };
        if !plain {
            return it.unsupported(&format!("the YAML option {name}: {}", format::inspect(&v)));
        }
    }
    match h.get(&Value::sym("line_width")) {
        Some(Value::Int(w)) if *w < -1 => it.arg_err(format!(
            "Invalid line_width {w}, must be non-negative or -1 for unlimited."
        )),
        Some(Value::Int(w)) => Ok(Some(*w)),
        _ => Ok(None),
    }
}
