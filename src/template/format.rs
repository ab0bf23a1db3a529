//! How Ruby prints values: `to_s`/`inspect` (Ruby >= 3.4 hash style), floats, the json gem's
//! generator (>= 2.15: `[]`/`{}` when empty, its own float format) and Psych's YAML emitter
//! (quoting rules, block styles, line folding at 80 columns). Rendered files embed these
//! bytes, so each rule here is one that changes output.

use super::value::{ObjKind, Value};

/// Shortest round-trip digits and decimal exponent: `1.5e-7` -> ("15", -7).
fn shortest(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    (digits, exp)
}

/// Ruby's `Float#to_s`.
pub fn float_to_s(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let (digits, exp) = shortest(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let decpt = exp + 1;
    let n = digits.len() as i32;
    if decpt > 0 && decpt <= 15 {
        if decpt >= n {
            format!("{sign}{digits}{}.0", "0".repeat((decpt - n) as usize))
        } else {
            format!(
                "{sign}{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        }
    } else if decpt <= 0 && decpt > -4 {
        format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
    } else {
        let frac = if n > 1 { &digits[1..] } else { "0" };
        let e = decpt - 1;
        format!(
            "{sign}{}.{frac}e{}{:02}",
            &digits[..1],
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    }
}

/// The json gem (>= 2.15) float format.
pub fn json_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let (mut digits, exp) = shortest(f);
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    let n = digits.len() as i32;
    // value = digits * 10^k
    let k = exp - (n - 1);
    let e = exp.abs();
    let sign = if f < 0.0 { "-" } else { "" };
    let body = if k >= 0 && e < 15 {
        format!("{digits}{}.0", "0".repeat(k as usize))
    } else if k < 0 && (k > -7 || e < 10) {
        let offset = n + k;
        if offset <= 0 {
            format!("0.{}{digits}", "0".repeat((-offset) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..offset as usize],
                &digits[offset as usize..]
            )
        }
    } else {
        let mant = if n > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        format!("{mant}e{}{}", if exp < 0 { '-' } else { '+' }, e)
    };
    format!("{sign}{body}")
}

pub fn str_inspect(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            '\x08' => out.push_str("\\b"),
            '\x07' => out.push_str("\\a"),
            '#' if matches!(chars.peek(), Some('{') | Some('$') | Some('@')) => out.push_str("\\#"),
            '\x7f' => out.push_str("\\x7F"),
            c if (c as u32) < 0x20 => out.push_str(
                &format!("\\u{:04X}", c as u32)
                    .replace("\\u00", "\\x")
                    .replace("\\x", "\\u00")
                    .to_string(),
            ),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn simple_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let first_ok = b[0].is_ascii_alphabetic() || b[0] == b'_' || b[0] >= 0x80;
    if !first_ok {
        return false;
    }
    let body = s.trim_end_matches(['?', '!']);
    if s.len() - body.len() > 1 {
        return false;
    }
    body.bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
}

pub fn sym_inspect(s: &str) -> String {
    const OPS: &[&str] = &[
        "[]", "[]=", "+", "-", "*", "/", "%", "**", "==", "===", "=~", "!", "!=", "<", ">", "<=",
        ">=", "<=>", "<<", ">>", "&", "|", "^", "~", "+@", "-@", "!~",
    ];
    let setter = s.ends_with('=')
        && simple_symbol(&s[..s.len() - 1])
        && !s[..s.len() - 1].ends_with(['?', '!']);
    let ivar = (s.starts_with("@@") && simple_symbol(&s[2..]))
        || (s.starts_with('@') && simple_symbol(&s[1..]))
        || (s.starts_with('$') && simple_symbol(&s[1..]));
    if simple_symbol(s) || OPS.contains(&s) || setter || ivar {
        format!(":{s}")
    } else {
        format!(":{}", str_inspect(s))
    }
}

/// `inspect` for data values (objects print as `#<Class>`).
pub fn inspect(v: &Value) -> String {
    let mut out = String::new();
    inspect_into(v, &mut out, 0);
    out
}

fn inspect_into(v: &Value, out: &mut String, depth: usize) {
    if depth > 64 {
        out.push_str("[...]");
        return;
    }
    match v {
        Value::Nil => out.push_str("nil"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float_to_s(*f)),
        Value::Str(s) => out.push_str(&str_inspect(&s.borrow())),
        Value::Sym(s) => out.push_str(&sym_inspect(s)),
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inspect_into(e, out, depth + 1);
            }
            out.push(']');
        }
        Value::Hash(h) => {
            let h = h.borrow();
            if h.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in h.map.values().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Value::Sym(s) if simple_symbol(s) => {
                        out.push_str(s);
                        out.push_str(": ");
                    }
                    Value::Sym(s) => {
                        out.push_str(&str_inspect(s));
                        out.push_str(": ");
                    }
                    k => {
                        inspect_into(k, out, depth + 1);
                        out.push_str(" => ");
                    }
                }
                inspect_into(v, out, depth + 1);
            }
            out.push('}');
        }
        Value::Range(r) => {
            if !r.0.is_nil() {
                inspect_into(&r.0, out, depth + 1);
            }
            out.push_str(if r.2 { "..." } else { ".." });
            if !r.1.is_nil() {
                inspect_into(&r.1, out, depth + 1);
            }
        }
        Value::Regex(r) => {
            out.push('/');
            out.push_str(&r.source);
            out.push('/');
            out.push_str(&r.flags);
        }
        Value::Proc(p) => out.push_str(if p.is_lambda {
            "#<Proc:0x0000000000000000 (lambda)>"
        } else {
            "#<Proc:0x0000000000000000>"
        }),
        Value::Class(c) => out.push_str(&c.name),
        Value::Object(o) => match &o.kind {
            ObjKind::OStruct(fields, back_compat) => {
                let name = if *back_compat {
                    "Bosh::Common::Template::EvaluationContext::BackCompatOpenStruct"
                } else {
                    "OpenStruct"
                };
                out.push_str("#<");
                out.push_str(name);
                for (i, (k, v)) in fields.borrow().iter().enumerate() {
                    out.push_str(if i == 0 { " " } else { ", " });
                    out.push_str(k);
                    out.push('=');
                    inspect_into(v, out, depth + 1);
                }
                out.push('>');
            }
            ObjKind::Exception(msg) => {
                let m = msg.borrow();
                if m.is_empty() {
                    out.push_str(&o.class.name);
                } else {
                    out.push_str(&format!("#<{}: {}>", o.class.name, m));
                }
            }
            ObjKind::IpAddr(ip) => out.push_str(&format!("#<IPAddr: {}>", ip.inspect())),
            _ => {
                let ivars = o.ivars.borrow();
                out.push_str("#<");
                out.push_str(&o.class.name);
                if !ivars.is_empty() || !matches!(o.kind, ObjKind::Plain) {
                    out.push_str(":0x0000000000000000");
                }
                for (i, (k, v)) in ivars.iter().enumerate() {
                    out.push_str(if i == 0 { " " } else { ", " });
                    out.push_str(k);
                    out.push('=');
                    inspect_into(v, out, depth + 1);
                }
                out.push('>');
            }
        },
    }
}

/// `to_s` for data values; objects are handled by the interpreter (they may define `to_s`).
pub fn to_s(v: &Value) -> String {
    match v {
        Value::Nil => String::new(),
        Value::Str(s) => s.borrow().clone(),
        Value::Sym(s) => s.to_string(),
        Value::Float(f) => float_to_s(*f),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Regex(r) => format!("(?{}-mix:{})", r.flags, r.source).replace("(?-mix", "(?-mix"),
        other => inspect(other),
    }
}

// ---------------------------------------------------------------- JSON

pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `JSON.generate` / `to_json` (compact) and `JSON.pretty_generate` (`indent` = Some).
/// Objects that are not data serialise as their `to_s` string, as the json gem does; the
/// caller passes that conversion in.
pub fn json(
    v: &Value,
    pretty: bool,
    obj_to_s: &mut dyn FnMut(&Value) -> String,
) -> Result<String, String> {
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
) -> Result<(), String> {
    if depth > 100 {
        return Err("nesting of 101 is too deep".into());
    }
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => {
            if f.is_nan() || f.is_infinite() {
                return Err(format!("{} not allowed in JSON", float_to_s(*f)));
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
                let key = match k {
                    Value::Str(s) => s.borrow().clone(),
                    other => match other {
                        Value::Object(_) => obj_to_s(other),
                        _ => to_s(other),
                    },
                };
                json_str(&key, out);
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

// ---------------------------------------------------------------- YAML in (Psych's resolver)

/// What Psych makes of a plain scalar (`ScalarScanner#tokenize`): nil, booleans (YAML 1.1
/// `yes`/`on`/...), integers (`0755` octal, `0x`, `0b`, `1_000`, sexagesimal `1:20`),
/// floats, `:symbols`; anything else stays a string. `Err` means "a time or date", which
/// safe loading refuses and dumping quotes.
pub fn psych_tokenize(s: &str) -> Result<Value, ()> {
    if s.is_empty() {
        return Ok(Value::Nil);
    }
    let b = s.as_bytes();
    let alpha_start = {
        // ^[^\d.:-]?[[:alpha:]_\s!@#$%^&*(){}<>|/\\~;=]+
        let is_set = |c: char| c.is_alphabetic() || "_ \t\n\r!@#$%^&*(){}<>|/\\~;=".contains(c);
        let mut it = s.chars();
        let first = it.next().unwrap();
        if is_set(first) {
            true
        } else if !first.is_ascii_digit() && !".:-".contains(first) {
            s.chars().nth(1).is_some_and(is_set)
        } else {
            false
        }
    };
    if alpha_start || s.contains('\n') {
        if s.len() > 5 {
            return Ok(Value::str(s));
        }
        let lower = s.to_ascii_lowercase();
        if !matches!(lower.as_bytes()[0], b'y' | b't' | b'o' | b'n' | b'f' | b'~') {
            return Ok(Value::str(s));
        }
        return Ok(match lower.as_str() {
            "~" | "null" => Value::Nil,
            "yes" | "true" | "on" => Value::Bool(true),
            "no" | "false" | "off" => Value::Bool(false),
            _ => Value::str(s),
        });
    }
    if is_time(s) || is_date(s) {
        return Err(());
    }
    let lower = s.to_ascii_lowercase();
    if lower == ".inf" || lower == "+.inf" {
        return Ok(Value::Float(f64::INFINITY));
    }
    if lower == "-.inf" {
        return Ok(Value::Float(f64::NEG_INFINITY));
    }
    if lower == ".nan" {
        return Ok(Value::Float(f64::NAN));
    }
    if b[0] == b':' && b.len() > 1 {
        let name = s[1..].trim_matches(|c| c == '"' || c == '\'');
        return Ok(Value::sym(name));
    }
    if let Some(v) = sexagesimal(s) {
        return Ok(v);
    }
    if is_yaml_float(s) {
        if s.trim_start_matches(['-', '+']) == "." {
            return Ok(Value::str(s));
        }
        let cleaned: String = s.replace([',', '_'], "");
        let cleaned = cleaned.replace(".e", "e").replace(".E", "E");
        let cleaned = cleaned
            .strip_suffix('.')
            .map(|x| x.to_string())
            .unwrap_or(cleaned);
        return Ok(cleaned
            .parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::str(s)));
    }
    if let Some(i) = yaml_int(s) {
        return Ok(Value::Int(i));
    }
    Ok(Value::str(s))
}

fn is_time(s: &str) -> bool {
    // -?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d...
    let re = fancy_regex::Regex::new(r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$").unwrap();
    re.is_match(s).unwrap_or(false)
}

fn is_date(s: &str) -> bool {
    let re = fancy_regex::Regex::new(r"^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$").unwrap();
    re.is_match(s).unwrap_or(false)
}

fn is_yaml_float(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, rest) = match t.find('.') {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => return false,
    };
    if !int.is_empty()
        && !(int.as_bytes()[0].is_ascii_digit()
            && int
                .bytes()
                .all(|c| c.is_ascii_digit() || c == b'_' || c == b','))
    {
        return false;
    }
    let (frac, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    match exp {
        None => true,
        Some(e) => {
            (e.starts_with('-') || e.starts_with('+'))
                && e.len() > 1
                && e[1..].bytes().all(|c| c.is_ascii_digit())
        }
    }
}

fn yaml_int(s: &str) -> Option<i64> {
    let (neg, t) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if t.is_empty() {
        return None;
    }
    let clean = |x: &str| x.replace(['_', ','], "");
    let v = if let Some(h) = t.strip_prefix("0x") {
        if h.is_empty()
            || !h
                .bytes()
                .all(|c| c.is_ascii_hexdigit() || c == b'_' || c == b',')
        {
            return None;
        }
        i64::from_str_radix(&clean(h), 16).ok()?
    } else if let Some(bn) = t.strip_prefix("0b") {
        if bn.is_empty()
            || !bn
                .bytes()
                .all(|c| c == b'0' || c == b'1' || c == b'_' || c == b',')
        {
            return None;
        }
        i64::from_str_radix(&clean(bn), 2).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        if !t
            .bytes()
            .all(|c| (b'0'..=b'7').contains(&c) || c == b'_' || c == b',')
        {
            return None;
        }
        let c = clean(t);
        i64::from_str_radix(if c.is_empty() { "0" } else { &c }, 8).ok()?
    } else {
        // 0 | [1-9](?:[0-9]|,[0-9]|_[0-9])*
        let bytes = t.as_bytes();
        if bytes[0] == b'0' {
            if t.len() != 1 {
                return None;
            }
            0
        } else {
            if !(b'1'..=b'9').contains(&bytes[0]) {
                return None;
            }
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'0'..=b'9' => i += 1,
                    b',' | b'_' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() => i += 2,
                    _ => return None,
                }
            }
            clean(t).parse().ok()?
        }
    };
    Some(if neg { -v } else { v })
}

fn sexagesimal(s: &str) -> Option<Value> {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let first = parts[0];
    if first.is_empty()
        || !first.as_bytes()[0].is_ascii_digit()
        || !first.bytes().all(|c| c.is_ascii_digit() || c == b'_')
    {
        return None;
    }
    let last = parts[parts.len() - 1];
    let (last_int, last_frac) = match last.find('.') {
        Some(i) => (&last[..i], Some(&last[i + 1..])),
        None => (last, None),
    };
    let ok_pair = |p: &str| {
        !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || p.as_bytes()[0] <= b'5')
    };
    for p in &parts[1..parts.len() - 1] {
        if !ok_pair(p) {
            return None;
        }
    }
    if !ok_pair(last_int) {
        return None;
    }
    if let Some(f) = last_frac {
        if !f.bytes().all(|c| c.is_ascii_digit() || c == b'_') {
            return None;
        }
    }
    // Ruby's arithmetic: digits are weighted 60^|e-2| by position
    let n = parts.len();
    if last_frac.is_some() {
        let mut total = 0.0;
        for (e, p) in parts.iter().enumerate() {
            let v: f64 = p.replace('_', "").parse().unwrap_or(0.0);
            total += v * 60f64.powi((e as i32 - 2).abs());
        }
        let _ = n;
        return Some(Value::Float(total));
    }
    let mut total: i64 = 0;
    for (e, p) in parts.iter().enumerate() {
        let v: i64 = p.replace('_', "").parse().unwrap_or(0);
        total += v * 60i64.pow((e as i32 - 2).unsigned_abs());
    }
    Some(Value::Int(if s.starts_with('-') { -total } else { total }))
}
