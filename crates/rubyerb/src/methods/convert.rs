//! The String methods that convert, pad, translate or encode text (`to_i`, `rjust`, `tr`,
//! `succ`, `unpack1`, `shellescape`...): the ones that read the string and build a new value;
//! and Kernel's `Integer()` and `Float()`, which read a string by Ruby's stricter rules.
//! Also `slice!`, which cuts a string through its own `[]` and `[]=`.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{AsciiEnc, Value};
use super::super::MethodCall;
use super::regex as rx;
use super::string::char_len;
use super::text::{
    expand_tr, fxhash, ord, parse_float_prefix, parse_int_prefix, succ, tr, tr_contains, tr_s,
};
use super::{arg, int_arg, radix_arg, str_arg};

pub(super) fn conversions(
    it: &mut Interp,
    recv: &Value,
    s: &str,
    name: &str,
    args: &[Value],
    block: Option<Value>,
) -> R<Option<Value>> {
    let s = s.to_string();
    let v = match name {
        "to_sym" | "intern" => Value::sym(&s),
        "to_i" => {
            let base = match args.first() {
                Some(b) => match radix_arg(it, b)? {
                    0 => prefix_base(&s),
                    b => b,
                },
                None => 10,
            };
            int_or_refuse(it, &s, base)?
        }
        "to_f" => Value::Float(parse_float_prefix(&s)),
        "to_r" | "to_c" => return it.unsupported("rational/complex numbers"),
        "hex" => int_or_refuse(it, &s, 16)?,
        "oct" => int_or_refuse(it, &s, 8)?,
        "ord" => match s.chars().next() {
            Some(c) => Value::Int(c as i64),
            None => return it.arg_err("empty string"),
        },
        "reverse" => Value::str(s.chars().rev().collect::<String>()),
        "center" | "ljust" | "rjust" => {
            let w = int_arg(it, &arg(args, 0))?;
            let r = it.budget.width(w);
            it.spend(r)?;
            let w = w.max(0) as usize;
            let pad = match args.get(1) {
                Some(p) => str_arg(it, p)?,
                None => " ".into(),
            };
            if pad.is_empty() {
                return it.arg_err("zero width padding");
            }
            let n = char_len(&s);
            if w <= n {
                recv.clone()
            } else {
                let total = w - n;
                let (l, r) = match name {
                    "ljust" => (0, total),
                    "rjust" => (total, 0),
                    _ => (total / 2, total - total / 2),
                };
                let padding = |k: usize| pad.chars().cycle().take(k).collect::<String>();
                Value::str(format!("{}{}{}", padding(l), s, padding(r)))
            }
        }
        "tr" | "tr_s" => {
            let from = expand_tr(&str_arg(it, &arg(args, 0))?);
            let to = expand_tr(&str_arg(it, &arg(args, 1))?);
            Value::str(if name == "tr" {
                tr(&s, &from, &to)
            } else {
                tr_s(&s, &from, &to)
            })
        }
        // the characters in every set given (their intersection), as Ruby reads several
        "delete" | "squeeze" | "count" => {
            if args.is_empty() && name != "squeeze" {
                return it.arg_err("wrong number of arguments (given 0, expected 1+)");
            }
            let mut sets = Vec::with_capacity(args.len());
            for a in args {
                sets.push(expand_tr(&str_arg(it, a)?));
            }
            let chosen = |c: char| sets.iter().all(|st| tr_contains(st, c));
            match name {
                "delete" => Value::str(s.chars().filter(|c| !chosen(*c)).collect::<String>()),
                "count" => Value::Int(s.chars().filter(|c| chosen(*c)).count() as i64),
                _ => {
                    let mut out = String::new();
                    let mut prev = None;
                    for c in s.chars() {
                        if Some(c) == prev && chosen(c) {
                            continue;
                        }
                        out.push(c);
                        prev = Some(c);
                    }
                    Value::str(out)
                }
            }
        }
        "succ" | "next" => Value::str(succ(&s)),
        "upto" => {
            let last = str_arg(it, &arg(args, 0))?;
            let excl = args.get(1).is_some_and(Value::truthy);
            let items = super::range::str_upto(it, &s, &last, excl)?;
            match block {
                Some(b) => {
                    for x in items {
                        it.call_block1(&b, x)?;
                    }
                    recv.clone()
                }
                None => Value::array(items),
            }
        }
        "partition" | "rpartition" => {
            let a = arg(args, 0);
            let found = match &a {
                Value::Regex(re) => {
                    let m = if name == "partition" {
                        rx::find_at(re, &s, 0)
                    } else {
                        super::search::last_match_by(it, re, &s, s.len())?
                    };
                    // the match is left in `$~` (nil without one)
                    rx::set_last_match(it, &s, m.as_ref());
                    m.map(|m| m.range())
                }
                other => {
                    let p = str_arg(it, other)?;
                    let i = if name == "partition" {
                        s.find(p.as_str())
                    } else {
                        s.rfind(p.as_str())
                    };
                    i.map(|i| (i, i + p.len()))
                }
            };
            match found {
                Some((x, y)) => Value::array(vec![
                    Value::str(&s[..x]),
                    Value::str(&s[x..y]),
                    Value::str(&s[y..]),
                ]),
                None if name == "partition" => {
                    Value::array(vec![Value::str(&s), Value::str(""), Value::str("")])
                }
                None => Value::array(vec![Value::str(""), Value::str(""), Value::str(&s)]),
            }
        }
        // nil for anything but a string, as Ruby answers two values it cannot compare
        "casecmp" | "casecmp?" => match arg(args, 0) {
            Value::Str(o) => casecmp(name, &s, &o.borrow()),
            _ => Value::Nil,
        },
        "encoding" => {
            let e = match recv {
                Value::Str(c) => c.ascii_enc(),
                _ => AsciiEnc::Utf8,
            };
            crate::stdlib::encoding_value(it, e.name())
        }
        "encode" => crate::stdlib::encode(it, &s, args)?,
        // a copy in ASCII-8BIT: past ASCII, a binary string
        "b" => Value::binary_of(s.as_bytes()),
        "force_encoding" => {
            let name = crate::stdlib::encoding_named(&format::to_s(&arg(args, 0)));
            if let Value::Str(c) = recv {
                match name {
                    // text past ASCII made binary in place, as Ruby changes its encoding
                    Some("ASCII-8BIT") if !s.is_ascii() => {
                        c.set_binary(true);
                    }
                    // an ASCII text only changes the encoding it reports
                    Some(name) => c.set_ascii_enc(AsciiEnc::from_name(name).unwrap_or_default()),
                    // another encoding's name leaves it as it was
                    None => {}
                }
            }
            recv.clone()
        }
        "unicode_normalize" | "scrub" | "-@" | "+@" | "dup" | "clone" => {
            // a copy unfrozen (`dup`, and `+@` of a frozen string) or frozen as its original
            // (`clone`); `-@` a frozen one
            let Value::Str(c) = recv else {
                return Ok(None);
            };
            // an ASCII text that is ASCII-8BIT is refused as a binary string is
            if name == "unicode_normalize" && c.ascii_enc() == AsciiEnc::Binary {
                return it.err(
                    "Encoding::CompatibilityError",
                    "Unicode Normalization not appropriate for ASCII-8BIT",
                );
            }
            let frozen = c.is_frozen();
            match name {
                "dup" => c.copy(false),
                "+@" if frozen => c.copy(false),
                "clone" => c.copy(frozen),
                "-@" if !frozen => c.copy(true),
                _ => recv.clone(),
            }
        }
        "valid_encoding?" => Value::Bool(true),
        "ascii_only?" => Value::Bool(s.is_ascii()),
        "unpack1" | "unpack" => {
            let fmt = str_arg(it, &arg(args, 0))?;
            let mut v = super::unpack::unpack(it, s.as_bytes(), &fmt)?;
            if name == "unpack1" {
                if v.is_empty() {
                    Value::Nil
                } else {
                    v.swap_remove(0)
                }
            } else {
                Value::array(v)
            }
        }
        "dump" => Value::str(dump(&s)),
        "shellescape" => Value::str(super::super::stdlib::shellescape(&s)),
        "shellsplit" => match super::super::stdlib::shellsplit(&s) {
            Ok(words) => Value::array(words.into_iter().map(Value::str).collect()),
            Err(e) => return it.arg_err(e.to_string()),
        },
        "between?" => {
            let (lo, hi) = (str_arg(it, &arg(args, 0))?, str_arg(it, &arg(args, 1))?);
            Value::Bool(s >= lo && s <= hi)
        }
        "sum" => Value::Int(s.bytes().map(|b| b as i64).sum::<i64>() & 0xffff),
        "crypt" => return it.unsupported("String#crypt"),
        "each_with_index" | "map" | "each" => return Ok(None),
        "delete_prefix" => Value::str(
            s.strip_prefix(str_arg(it, &arg(args, 0))?.as_str())
                .unwrap_or(&s),
        ),
        "delete_suffix" => Value::str(
            s.strip_suffix(str_arg(it, &arg(args, 0))?.as_str())
                .unwrap_or(&s),
        ),
        "hash" => Value::Int(fxhash(&s)),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `String#dump`: `inspect` with every character outside printable ASCII escaped
/// (`\x01`, `\u00E9`, `\u{1F600}`), so the result is pure ASCII.
fn dump(s: &str) -> String {
    let shown = super::super::format::str_inspect(s);
    let mut out = String::with_capacity(shown.len());
    let mut rest = shown.as_str();
    while let Some(c) = rest.chars().next() {
        // inspect's `\u00NN` for control characters is `\xNN` in dump
        if let Some(hex) = rest.strip_prefix("\\u00").and_then(|r| r.get(..2)) {
            if u8::from_str_radix(hex, 16).is_ok_and(|b| b < 0x20 || b == 0x7f) {
                out.push_str("\\x");
                out.push_str(&hex.to_uppercase());
                rest = &rest[6..];
                continue;
            }
        }
        if c == '\\' {
            // an escape inspect wrote: copy it with the character it escapes
            let mut it = rest.chars();
            it.next();
            let next = it.next().map_or(0, char::len_utf8);
            out.push_str(&rest[..1 + next]);
            rest = &rest[1 + next..];
            continue;
        }
        if c.is_ascii() {
            out.push(c);
        } else if (c as u32) <= 0xffff {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The base `to_i(0)` reads a number in: from its prefix (`0x`, `0b`, `0o`, `0d` or `0`), as
/// Ruby.
fn prefix_base(s: &str) -> u32 {
    let t = s.trim_start_matches(super::text::ruby_space);
    let t = t.strip_prefix(['-', '+']).unwrap_or(t).as_bytes();
    match t {
        [b'0', b'x' | b'X', ..] => 16,
        [b'0', b'b' | b'B', ..] => 2,
        [b'0', b'd' | b'D', ..] => 10,
        [b'0', _, ..] => 8,
        _ => 10,
    }
}

/// Kernel's `Integer(v, base)`.
pub(super) fn integer(it: &mut Interp, v: &Value, base: Option<&Value>) -> R<Value> {
    match v {
        Value::Int(_) | Value::Big(_) => Ok(v.clone()),
        Value::Float(x) => super::round::to_integer(it, x.trunc()),
        Value::Str(s) => {
            let s = s.borrow().clone();
            let trimmed = s.trim_matches(super::text::ruby_space);
            let t = trimmed.replace('_', "");
            let (neg, body) = match t.strip_prefix('-') {
                Some(b) => (true, b.to_string()),
                None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
            };
            let base = match base {
                Some(b) => radix_arg(it, b)?,
                None => 0,
            };
            let lower = body.to_ascii_lowercase();
            // a prefix may name the base given, and is then skipped
            let named = |p: &str| {
                lower
                    .strip_prefix(p)
                    .filter(|_| base == 0 || base == prefix_radix(p))
            };
            let (radix, digits) = if let Some(d) = named("0x") {
                (16, d)
            } else if let Some(d) = named("0b") {
                (2, d)
            } else if let Some(d) = named("0o") {
                (8, d)
            } else if let Some(d) = named("0d") {
                (10, d)
            } else if base != 0 {
                (base, lower.as_str())
            } else if lower.len() > 1 && lower.starts_with('0') {
                (8, &lower[1..])
            } else {
                (10, lower.as_str())
            };
            let ok = !digits.is_empty()
                && !digits.starts_with(['+', '-'])
                && !trimmed.contains("__")
                && !trimmed.ends_with('_');
            // past 64 bits (or the most negative integer): a big integer
            let n = match (ok, i64::from_str_radix(digits, radix)) {
                (false, _) => None,
                (true, Ok(n)) => Some(Value::Int(if neg { -n } else { n })),
                (true, Err(_)) => super::bignum::parse(digits, radix, neg),
            };
            match n {
                Some(n) => Ok(n),
                None => it.arg_err(format!(
                    "invalid value for Integer(): {}",
                    format::inspect(v)
                )),
            }
        }
        Value::Nil => it.type_err("can't convert nil into Integer"),
        other => {
            super::complex::refuse_real(it, other, "Integer")?;
            it.type_err(format!("can't convert {} into Integer", other.class_name()))
        }
    }
}

/// Kernel's `Float(v)`.
pub(super) fn float(it: &mut Interp, v: &Value) -> R<Value> {
    match v {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Big(b) => Ok(Value::Float(super::bignum::to_f64(b))),
        Value::Float(_) => Ok(v.clone()),
        Value::Str(s) => {
            let s = s.borrow().clone();
            let trimmed = s.trim_matches(super::text::ruby_space);
            let t = trimmed.replace('_', "");
            // a hexadecimal integer (`0x1A`), as Ruby's `strtod` reads one: an underscore
            // only between two decimal digits (`0x1_0`, not `0xf_f`), as Ruby drops them
            let (neg, unsigned) = match trimmed.strip_prefix('-') {
                Some(u) => (true, u),
                None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
            };
            if let Some(hex) = unsigned
                .strip_prefix("0x")
                .or_else(|| unsigned.strip_prefix("0X"))
            {
                let digits = hex.replace('_', "");
                let b = hex.as_bytes();
                let well_placed = b.iter().enumerate().all(|(i, &c)| {
                    c != b'_'
                        || (i > 0
                            && b[i - 1].is_ascii_digit()
                            && b.get(i + 1).is_some_and(u8::is_ascii_digit))
                });
                if well_placed && digits.bytes().all(|c| c.is_ascii_hexdigit()) {
                    if let Some(n) = num_bigint::BigInt::parse_bytes(digits.as_bytes(), 16) {
                        let f = super::bignum::to_f64(&n);
                        return Ok(Value::Float(if neg { -f } else { f }));
                    }
                }
            }
            // a point needs a digit after it (`.5` is read, `1.` and `1.e5` are not), and an
            // underscore a digit on each side, as Ruby reads a Float
            let b = trimmed.as_bytes();
            let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
            let valid = !t.is_empty()
                && b.iter().enumerate().all(|(i, &c)| match c {
                    b'.' => digit_at(i + 1),
                    b'_' => i > 0 && digit_at(i - 1) && digit_at(i + 1),
                    c => c.is_ascii_digit() || b"+-eE".contains(&c),
                });
            match (valid, t.parse::<f64>()) {
                (true, Ok(x)) => Ok(Value::Float(x)),
                _ => it.arg_err(format!("invalid value for Float(): {}", format::inspect(v))),
            }
        }
        other => not_a_float(it, other),
    }
}

/// Ruby's error for a value that is no number where a Float is needed (`Float(nil)`,
/// `Math.sin(true)`): a Complex that is not real is a `RangeError`, the rest a `TypeError`.
pub(crate) fn not_a_float<T>(it: &Interp, v: &Value) -> R<T> {
    match v {
        Value::Nil => it.type_err("can't convert nil into Float"),
        Value::Bool(b) => it.type_err(format!("can't convert {b} into Float")),
        other => {
            super::complex::refuse_real(it, other, "Float")?;
            it.type_err(format!("can't convert {} into Float", other.class_name()))
        }
    }
}

/// The base a `0x`, `0b`, `0o` or `0d` prefix names.
fn prefix_radix(p: &str) -> u32 {
    match p {
        "0x" => 16,
        "0b" => 2,
        "0o" => 8,
        _ => 10,
    }
}

/// The integer `s` starts with in `base`; refused past the big integers' size limit.
fn int_or_refuse(it: &mut Interp, s: &str, base: u32) -> R<Value> {
    match parse_int_prefix(s, base) {
        Some(i) => Ok(i),
        None => it.unsupported("integers of more than 65536 bits"),
    }
}

/// `String#slice!`: what `[]` answers for the arguments, cut out of the string by `[]=`
/// with an empty string, as Ruby's own does (nothing is cut when `[]` answers nil).
pub(super) fn slice_bang(it: &mut Interp, c: &MethodCall) -> R<Value> {
    if !(1..=2).contains(&c.args.len()) {
        return it.arg_err(format!(
            "wrong number of arguments (given {}, expected 1..2)",
            c.args.len()
        ));
    }
    if let [Value::Regex(_), _] = c.args {
        return it.unsupported("String#slice! with a regexp and a capture");
    }
    let cut = it.call_method(c.recv.clone(), "[]", c.args.to_vec(), None, c.f)?;
    if !cut.is_nil() {
        let mut args = c.args.to_vec();
        args.push(Value::str(""));
        it.call_method(c.recv.clone(), "[]=", args, None, c.f)?;
    }
    Ok(cut)
}

/// `casecmp` folds ASCII letters only (`"Ä".casecmp("ä")` is -1), `casecmp?` folds Unicode
/// case fully (`"ß".casecmp?("SS")`): upper case then lower case gives the full folding
/// for the letters templates meet.
pub(super) fn casecmp(name: &str, a: &str, b: &str) -> Value {
    if name == "casecmp" {
        let fold = |s: &str| {
            s.bytes()
                .map(|c| c.to_ascii_lowercase())
                .collect::<Vec<u8>>()
        };
        Value::Int(ord(fold(a).cmp(&fold(b))))
    } else {
        let fold = |s: &str| s.to_uppercase().to_lowercase();
        Value::Bool(fold(a) == fold(b))
    }
}
