//! Symbol and Regexp methods.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::arg;
use super::matchdata;
use super::regex::{self as rx, set_last_match, set_last_match_in};
use super::string::{call, char_len};
use super::text::{cmp_name, ord};

pub fn sym_call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    let Value::Sym(s) = recv else {
        return Ok(None);
    };
    let s: &str = s;
    Ok(Some(match name {
        "to_s" | "id2name" => Value::str(s),
        "name" => Value::frozen_str(s),
        "to_sym" => Value::sym(s),
        "inspect" => Value::str(format::sym_inspect(s)),
        // the block `&:name` makes: extra arguments go to the method, as Ruby passes them
        "to_proc" => it.sym_proc(s, it.line),
        "==" | "===" | "eql?" | "equal?" => {
            Value::Bool(matches!(arg(args, 0), Value::Sym(o) if &*o == s))
        }
        "<=>" => match arg(args, 0) {
            Value::Sym(o) => Value::Int(ord(s.cmp(&o))),
            _ => Value::Nil,
        },
        "clamp" => super::compare::clamp(it, recv, args, c.f)?,
        "<" | ">" | "<=" | ">=" | "between?" => {
            // Comparable over `<=>`, which orders symbols by their names
            let mut names = Vec::with_capacity(args.len());
            for a in args {
                match a {
                    Value::Sym(o) => names.push(o.clone()),
                    other => {
                        return it.arg_err(format!(
                            "comparison of Symbol with {} failed",
                            cmp_name(other)
                        ))
                    }
                }
            }
            let c = |i: usize| s.cmp(names.get(i).map_or("", |n| &**n));
            match name {
                "<" => Value::Bool(c(0).is_lt()),
                ">" => Value::Bool(c(0).is_gt()),
                "<=" => Value::Bool(c(0).is_le()),
                ">=" => Value::Bool(c(0).is_ge()),
                _ => Value::Bool(c(0).is_ge() && c(1).is_le()),
            }
        }
        // nil for anything but a symbol
        "casecmp" | "casecmp?" => match arg(args, 0) {
            Value::Sym(o) => super::convert::casecmp(name, s, &o),
            _ => Value::Nil,
        },
        "length" | "size" | "upcase" | "downcase" | "capitalize" | "[]" | "start_with?"
        | "end_with?" | "empty?" | "succ" | "=~" | "match" | "match?" => {
            let tmp = Value::str(s);
            let r = call(it, &c.on(&tmp))?.unwrap_or(Value::Nil);
            match (name, r) {
                ("upcase" | "downcase" | "capitalize" | "succ", Value::Str(x)) => {
                    Value::sym(&x.borrow())
                }
                (_, r) => r,
            }
        }
        _ => return Ok(None),
    }))
}

pub fn regex_call(it: &mut Interp, recv: &Value, name: &str, args: &[Value]) -> R<Option<Value>> {
    let Value::Regex(re) = recv else {
        return Ok(None);
    };
    Ok(Some(match name {
        "match" | "=~" | "===" | "match?" => {
            // a binary string's text is one char per byte: matched as its bytes when the
            // pattern reads them alike, its groups made binary strings
            let binary = matches!(args.first(), Some(Value::Str(s)) if s.is_binary());
            if binary && !super::binary::regex_reads_bytes(it, &re.source)? {
                return it.unsupported(&format!(
                    "Regexp#{name} of a binary string with this pattern"
                ));
            }
            let s = match arg(args, 0) {
                Value::Str(s) => s.borrow().clone(),
                Value::Sym(s) => s.to_string(),
                Value::Nil => {
                    set_last_match(it, "", None);
                    return Ok(Some(if name == "match?" || name == "===" {
                        Value::Bool(false)
                    } else {
                        Value::Nil
                    }));
                }
                // `===` (a `when /re/`) is false for anything else, as for nil
                _ if name == "===" => {
                    set_last_match(it, "", None);
                    return Ok(Some(Value::Bool(false)));
                }
                // (not a String: the conversion's TypeError)
                other => return super::str_arg(it, &other).map(|_| None),
            };
            let m = match name {
                "match" | "match?" => matchdata::search(it, re, &s, args.get(1))?,
                _ => rx::find_at(re, &s, 0),
            };
            if name == "match?" {
                return Ok(Some(Value::Bool(m.is_some())));
            }
            set_last_match_in(it, &s, m.as_ref(), binary);
            match (name, m) {
                ("===", m) => Value::Bool(m.is_some()),
                ("=~", Some(m)) => Value::Int(char_len(&s[..m.range().0]) as i64),
                ("match", Some(m)) => matchdata::match_data_in(it, &s, &m, binary),
                _ => Value::Nil,
            }
        }
        "source" => Value::str(re.source.clone()),
        "to_s" => Value::str(crate::format::regex_to_s(&re.source, &re.flags)),
        "inspect" => Value::str(format::inspect(recv)),
        "options" => Value::Int(
            (if re.flags.contains('i') { 1 } else { 0 })
                | (if re.flags.contains('x') { 2 } else { 0 })
                | (if re.flags.contains('m') { 4 } else { 0 }),
        ),
        "names" => Value::array(re.re.group_names().into_iter().map(Value::str).collect()),
        "freeze" => recv.clone(),
        _ => return Ok(None),
    }))
}
