//! String methods. Indexes count characters, as Ruby's do on UTF-8. Symbol and Regexp
//! methods are in `symbol.rs`, the text algorithms in `text.rs`.

use std::rc::Rc;

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{AsciiEnc, Value};
use super::super::MethodCall;
use super::convert::conversions;
use super::matchdata;
use super::regex::{self as rx, set_last_match};
use super::search::{self, split};
use super::text::{capitalize, cmp_name, index, name_for, ord};
use super::{arg, check_argc, int_arg, str_arg};

fn s_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.borrow().clone(),
        _ => String::new(),
    }
}

pub(super) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Byte offset of character index `i` (clamped to the end).
pub(super) fn byte_at(s: &str, i: usize) -> usize {
    if s.is_ascii() {
        return i.min(s.len());
    }
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

pub(super) fn regex_of(it: &mut Interp, v: &Value) -> R<Rc<super::super::value::Regex>> {
    match v {
        Value::Regex(r) => Ok(r.clone()),
        Value::Str(s) => {
            let esc = fancy_regex::escape(&s.borrow()).to_string();
            rx::compile_charged(it, &esc, "")
        }
        other => it.type_err(format!(
            "wrong argument type {} (expected Regexp)",
            other.class_name()
        )),
    }
}

/// The methods that change a string in place: a frozen string refuses them before anything
/// is read, as Ruby checks first (even `force_encoding` to the encoding it has).
const MUTATORS: &[&str] = &[
    "<<",
    "concat",
    "prepend",
    "insert",
    "replace",
    "clear",
    "[]=",
    "force_encoding",
    "upcase!",
    "downcase!",
    "capitalize!",
    "swapcase!",
    "strip!",
    "lstrip!",
    "rstrip!",
    "chomp!",
    "chop!",
    "squeeze!",
    "gsub!",
    "sub!",
    "tr!",
    "tr_s!",
    "delete!",
    "reverse!",
    "succ!",
    "next!",
    "slice!",
    "encode!",
    "unicode_normalize!",
    "scrub!",
    "setbyte",
    "delete_prefix!",
    "delete_suffix!",
];

/// String methods whose string answers (or the strings of an array answer) keep the
/// receiver's encoding in Ruby: an ASCII receiver's US-ASCII or ASCII-8BIT carries over.
#[rustfmt::skip]
const KEEP_ENCODING: &[&str] = &[
    "[]", "slice", "slice!", "byteslice", "strip", "lstrip", "rstrip", "chomp", "chop",
    "upcase", "downcase", "capitalize", "swapcase", "center", "ljust", "rjust", "*", "+",
    "reverse", "succ", "next", "tr", "tr_s", "delete", "squeeze", "sub", "gsub", "split",
    "partition", "rpartition", "lines", "chars", "each_char", "scan", "delete_prefix",
    "delete_suffix", "shellsplit",
];

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let r = call_text(it, c)?;
    if let (Value::Str(cell), Some(v)) = (c.recv, &r) {
        let e = cell.ascii_enc();
        if e != AsciiEnc::Utf8 && KEEP_ENCODING.contains(&c.name) {
            match v {
                Value::Str(s) => s.set_ascii_enc(e),
                Value::Array(a) => a.borrow().iter().for_each(|x| {
                    if let Value::Str(s) = x {
                        s.set_ascii_enc(e)
                    }
                }),
                _ => {}
            }
        }
    }
    Ok(r)
}

fn call_text(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let Value::Str(cell) = recv else {
        return Ok(None);
    };
    // the commonest calls, answered on the string in place: the methods below work on a
    // copy of it, which would cost more than these answers
    match (name, args) {
        ("to_s" | "to_str" | "itself", _) => return Ok(Some(recv.clone())),
        ("==" | "eql?" | "===", _) => {
            // a binary string is never equal to text: its chars past ASCII are bytes
            let eq = matches!(arg(args, 0), Value::Str(o)
                if *o.borrow() == *cell.borrow() && o.is_binary() == cell.is_binary());
            return Ok(Some(Value::Bool(eq)));
        }
        ("length" | "size", _) => return Ok(Some(Value::Int(char_len(&cell.borrow()) as i64))),
        ("empty?", _) => return Ok(Some(Value::Bool(cell.borrow().is_empty()))),
        ("include?", [Value::Str(o)]) => {
            return Ok(Some(Value::Bool(
                cell.borrow().contains(o.borrow().as_str()),
            )))
        }
        ("freeze", _) => {
            cell.freeze();
            return Ok(Some(recv.clone()));
        }
        ("frozen?", _) => return Ok(Some(Value::Bool(cell.is_frozen()))),
        _ => {}
    }
    if cell.is_binary() {
        if let Some(v) = super::binary::call(it, c, cell)? {
            return Ok(Some(v));
        }
    }
    if cell.is_frozen() && MUTATORS.contains(&name) {
        let shown = format::inspect(recv);
        return it.err(
            "FrozenError",
            format!("can't modify frozen String: {shown}"),
        );
    }
    if name == "slice!" {
        return super::convert::slice_bang(it, c).map(Some);
    }
    if let "<<" | "concat" = name {
        // appended in place: the copy the methods below make would make a string built
        // with `<<` in a loop cost its length squared
        for a in args {
            if let Value::Str(o) = a {
                if o.is_binary() {
                    let (text, _) = super::binary::joined(it, cell, o)?;
                    // ASCII before, so its text is its bytes either way
                    *cell.borrow_mut() = text;
                    cell.binary_ascii();
                    continue;
                }
            }
            let add = match a {
                Value::Int(i) => super::text::code_point(it, *i)?.to_string(),
                other => str_arg(it, other)?,
            };
            cell.borrow_mut().push_str(&add);
        }
        return Ok(Some(recv.clone()));
    }
    let s = cell.borrow().clone();
    let v = match name {
        "to_s" | "to_str" | "itself" => recv.clone(),
        "+" => {
            let o = match arg(args, 0) {
                Value::Str(o) if o.is_binary() => {
                    let (text, _) = super::binary::joined(it, cell, &o)?;
                    return Ok(Some(Value::binary_text(text)));
                }
                Value::Str(o) => o.borrow().clone(),
                other => {
                    return it.type_err(format!(
                        "no implicit conversion of {} into String",
                        name_for(&other)
                    ))
                }
            };
            Value::str(s + &o)
        }
        "*" => {
            let n = int_arg(it, &arg(args, 0))?;
            if n < 0 {
                return it.arg_err("negative argument");
            }
            let r = it.budget.len((s.len() as i64).saturating_mul(n));
            it.spend(r)?;
            Value::str(s.repeat(n as usize))
        }
        "%" => {
            let list = match arg(args, 0) {
                Value::Array(a) => a.borrow().clone(),
                other => vec![other],
            };
            super::sprintf::sprintf(it, &s, &list, f)?
        }
        "==" | "eql?" | "===" => {
            Value::Bool(matches!(arg(args, 0), Value::Str(o) if *o.borrow() == s))
        }
        "equal?" => Value::Bool(matches!(arg(args, 0), Value::Str(o) if Rc::ptr_eq(&o, cell))),
        "<=>" => match arg(args, 0) {
            Value::Str(o) => Value::Int(ord(s.as_str().cmp(o.borrow().as_str()))),
            _ => Value::Nil,
        },
        "<" | ">" | "<=" | ">=" => {
            let c = match arg(args, 0) {
                // bytes against bytes, as Ruby compares a text with a binary string
                Value::Str(o) if o.is_binary() => s.as_bytes().cmp(&o.bytes()),
                Value::Str(o) => s.as_str().cmp(o.borrow().as_str()),
                other => {
                    return it.arg_err(format!(
                        "comparison of String with {} failed",
                        cmp_name(&other)
                    ))
                }
            };
            Value::Bool(match name {
                "<" => c.is_lt(),
                ">" => c.is_gt(),
                "<=" => c.is_le(),
                _ => c.is_ge(),
            })
        }
        "=~" => {
            let a = arg(args, 0);
            if let Value::Str(_) = a {
                return it.type_err("type mismatch: String given");
            }
            let re = regex_of(it, &a)?;
            let m = rx::find_at(&re, &s, 0);
            set_last_match(it, &s, m.as_ref());
            match m {
                Some(m) => Value::Int(char_len(&s[..m.range().0]) as i64),
                None => Value::Nil,
            }
        }
        "match" => {
            let re = matchdata::pattern(it, &arg(args, 0))?;
            let m = matchdata::search(it, &re, &s, args.get(1))?;
            set_last_match(it, &s, m.as_ref());
            match m {
                Some(m) => {
                    let md = matchdata::match_data(it, &s, &m);
                    if let Some(b) = block {
                        it.call_block1(&b, md)?
                    } else {
                        md
                    }
                }
                None => Value::Nil,
            }
        }
        "match?" => {
            let re = matchdata::pattern(it, &arg(args, 0))?;
            match args.get(1) {
                None => Value::Bool(re.is_match(&s)),
                pos => Value::Bool(matchdata::search(it, &re, &s, pos)?.is_some()),
            }
        }
        "length" | "size" => Value::Int(char_len(&s) as i64),
        "bytesize" => Value::Int(s.len() as i64),
        "byteslice" => super::elements::byteslice(it, &s, args)?,
        "empty?" => Value::Bool(s.is_empty()),
        "upcase" => Value::str(s.to_uppercase()),
        "downcase" => Value::str(s.to_lowercase()),
        "capitalize" => Value::str(capitalize(&s)),
        "swapcase" => Value::str(
            s.chars()
                .map(|c| {
                    if c.is_uppercase() {
                        c.to_lowercase().next().unwrap()
                    } else {
                        c.to_uppercase().next().unwrap()
                    }
                })
                .collect::<String>(),
        ),
        "upcase!" | "downcase!" | "capitalize!" | "strip!" | "lstrip!" | "rstrip!" | "chomp!"
        | "squeeze!" | "gsub!" | "sub!" | "tr!" | "delete!" | "reverse!" | "chop!" | "succ!"
        | "next!" => {
            let base = &name[..name.len() - 1];
            let r = call(it, &c.named(base))?.unwrap_or(Value::Nil);
            let new = s_of(&r);
            if new == s {
                Value::Nil
            } else {
                *cell.borrow_mut() = new;
                recv.clone()
            }
        }
        "strip" => Value::str(s.trim_matches(|c: char| super::text::ruby_space(c) || c == '\0')),
        "lstrip" => {
            Value::str(s.trim_start_matches(|c: char| super::text::ruby_space(c) || c == '\0'))
        }
        "rstrip" => {
            Value::str(s.trim_end_matches(|c: char| super::text::ruby_space(c) || c == '\0'))
        }
        "chomp" => match args.first() {
            None => Value::str(
                s.strip_suffix("\r\n")
                    .or_else(|| s.strip_suffix('\n'))
                    .or_else(|| s.strip_suffix('\r'))
                    .unwrap_or(&s),
            ),
            Some(a) => {
                let suf = str_arg(it, a)?;
                Value::str(s.strip_suffix(suf.as_str()).unwrap_or(&s))
            }
        },
        "chop" => {
            let mut t = s.clone();
            if t.ends_with("\r\n") {
                t.truncate(t.len() - 2);
            } else {
                t.pop();
            }
            Value::str(t)
        }
        "chr" => Value::str(s.chars().next().map(|c| c.to_string()).unwrap_or_default()),
        "chars" => Value::array(s.chars().map(|c| Value::str(c.to_string())).collect()),
        "bytes" => Value::array(s.bytes().map(|b| Value::Int(b as i64)).collect()),
        "codepoints" => Value::array(s.chars().map(|c| Value::Int(c as i64)).collect()),
        "lines" => Value::array(
            super::lines::lines_with(it, &s, args)?
                .into_iter()
                .map(Value::str)
                .collect(),
        ),
        "each_char" | "each_line" | "each_byte" => {
            let items: Vec<Value> = match name {
                "each_char" => s.chars().map(|c| Value::str(c.to_string())).collect(),
                "each_byte" => s.bytes().map(|b| Value::Int(b as i64)).collect(),
                _ => super::lines::lines_with(it, &s, args)?
                    .into_iter()
                    .map(Value::str)
                    .collect(),
            };
            match block {
                Some(b) => {
                    for x in items {
                        it.call_block1(&b, x)?;
                    }
                    recv.clone()
                }
                // an enumerator, so that `each_char.with_index` and the like work
                None => super::enumerator::make(it, recv.clone(), name, args.to_vec()),
            }
        }
        // with a block: each part given to it, and the string itself the answer
        "split" => match (split(it, &s, args)?, block) {
            (Value::Array(parts), Some(b)) => {
                for x in parts.take() {
                    it.call_block1(&b, x)?;
                }
                recv.clone()
            }
            (parts, _) => parts,
        },
        "gsub" | "sub" => super::substitute::sub(it, c, &s, false)?,
        "scan" => super::substitute::scan(it, c, &s, false)?,
        "start_with?" => {
            let mut r = false;
            for a in args {
                r |= match a {
                    Value::Regex(re) => {
                        // a match at the start only, left in `$~` (nil without one)
                        let m = rx::find_at(re, &s, 0).filter(|m| m.range().0 == 0);
                        rx::set_last_match(it, &s, m.as_ref());
                        m.is_some()
                    }
                    other => s.starts_with(str_arg(it, other)?.as_str()),
                };
            }
            Value::Bool(r)
        }
        "end_with?" => {
            let mut r = false;
            for a in args {
                r |= s.ends_with(str_arg(it, a)?.as_str());
            }
            Value::Bool(r)
        }
        "include?" => Value::Bool(s.contains(str_arg(it, &arg(args, 0))?.as_str())),
        "index" | "rindex" => search::find(it, &s, name == "rindex", args)?,
        "[]" | "slice" => index(it, &s, args)?,
        "[]=" => {
            check_argc(it, args, 2, 3)?;
            let val = str_arg(it, args.last().unwrap())?;
            let mut t = s.clone();
            match &args[0] {
                Value::Str(pat) => {
                    let p = pat.borrow().clone();
                    match t.find(p.as_str()) {
                        Some(i) => t.replace_range(i..i + p.len(), &val),
                        None => return it.err("IndexError", "string not matched"),
                    }
                }
                Value::Regex(re) => {
                    if let Some(m) = rx::find_at(re, &t.clone(), 0) {
                        let (a, b) = m.range();
                        t.replace_range(a..b, &val);
                    }
                }
                Value::Int(i) => {
                    let n = char_len(&t) as i64;
                    let i = if *i < 0 { n + i } else { *i };
                    let len = if args.len() == 3 {
                        int_arg(it, &args[1])?
                    } else {
                        1
                    };
                    let (a, b) = (byte_at(&t, i as usize), byte_at(&t, (i + len) as usize));
                    t.replace_range(a..b, &val);
                }
                Value::Range(r) => {
                    let n = char_len(&t) as i64;
                    let (lo, hi, excl) = (&r.0, &r.1, r.2);
                    let lo = match lo {
                        Value::Int(i) if *i < 0 => n + i,
                        Value::Nil => 0,
                        other => int_arg(it, other)?,
                    };
                    let hi = match hi {
                        Value::Int(i) if *i < 0 => n + i,
                        Value::Nil => n - 1,
                        other => int_arg(it, other)?,
                    } - i64::from(excl && !r.1.is_nil());
                    if lo < 0 || lo > n {
                        return it.err(
                            "RangeError",
                            format!("{} out of range", format::inspect(&args[0])),
                        );
                    }
                    let hi = hi.clamp(lo - 1, n - 1);
                    let (a, b) = (byte_at(&t, lo as usize), byte_at(&t, (hi + 1) as usize));
                    t.replace_range(a..b, &val);
                }
                _ => return it.type_err("no implicit conversion into Integer"),
            }
            *cell.borrow_mut() = t;
            args.last().unwrap().clone()
        }
        "prepend" => {
            let mut t = String::new();
            for a in args {
                t.push_str(&str_arg(it, a)?);
            }
            t.push_str(&s);
            *cell.borrow_mut() = t;
            recv.clone()
        }
        "insert" => {
            let i = int_arg(it, &arg(args, 0))?;
            let add = str_arg(it, &arg(args, 1))?;
            let n = char_len(&s) as i64;
            let pos = if i < 0 { n + i + 1 } else { i };
            let mut t = s.clone();
            t.insert_str(byte_at(&s, pos.max(0) as usize), &add);
            *cell.borrow_mut() = t;
            recv.clone()
        }
        "replace" => {
            *cell.borrow_mut() = str_arg(it, &arg(args, 0))?;
            recv.clone()
        }
        "clear" => {
            cell.borrow_mut().clear();
            recv.clone()
        }
        "clamp" => super::compare::clamp(it, recv, args, f)?,
        _ => return conversions(it, recv, &s, name, args, block),
    };
    Ok(Some(v))
}
