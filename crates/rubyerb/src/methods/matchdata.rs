//! MatchData, what a successful `match` gives: its groups, names and the text around the
//! match, kept as a plain object's fields; its methods, its text and `inspect`; and the
//! search that `match` and `match?` of String, Symbol and Regexp share (a start position,
//! and a String pattern read as a regexp).

use std::rc::Rc;

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{Object, Regex, Value};
use super::super::MethodCall;
use super::int_arg;
use super::regex::{self as rx, Match, Part};
use super::string::{byte_at, char_len};

/// The pattern of `String#match` and `match?`: a String is a regexp's source there (`'1m'
/// .match('m$')`), where `sub`, `index` and `split` take it as plain text.
pub fn pattern(it: &mut Interp, v: &Value) -> R<Rc<Regex>> {
    match v {
        Value::Regex(r) => Ok(r.clone()),
        Value::Str(s) => {
            let src = s.borrow().clone();
            rx::compile_charged(it, &src, "")
        }
        other => it.type_err(format!(
            "wrong argument type {} (expected Regexp)",
            other.class_name()
        )),
    }
}

/// The first match of `re` in `s` from character `pos` (counted from the end when
/// negative); none when `pos` is outside the text, as Ruby answers.
pub fn search(it: &Interp, re: &Regex, s: &str, pos: Option<&Value>) -> R<Option<Match>> {
    let start = match pos {
        None => 0,
        Some(v) => {
            let len = char_len(s) as i64;
            let i = int_arg(it, v)?;
            let i = if i < 0 { i + len } else { i };
            if !(0..=len).contains(&i) {
                return Ok(None);
            }
            byte_at(s, i as usize)
        }
    };
    Ok(rx::find_at(re, s, start))
}

/// A `MatchData`'s groups (the whole match first).
fn groups(o: &Object) -> Vec<Value> {
    match o.ivars.borrow().get("groups") {
        Some(Value::Array(g)) => g.borrow().clone(),
        _ => Vec::new(),
    }
}

/// The matched string of a match in a binary string (its bytes), which output writes as
/// bytes and which is not taken as text; None for a match in text.
pub fn binary_match(o: &Object) -> Option<Value> {
    if o.class.name != "MatchData" {
        return None;
    }
    match groups(o).into_iter().next() {
        Some(Value::Str(s)) if s.is_binary() => Some(Value::Str(s)),
        _ => None,
    }
}

/// `MatchData#to_s`, which output and interpolation print: the matched text.
pub fn text(o: &Object) -> String {
    groups(o).first().map(format::to_s).unwrap_or_default()
}

/// `MatchData#inspect`: the match, then each group by its name, or by its number when the
/// regexp names none (`#<MatchData "b1" 1:"1">`).
pub fn inspect(o: &Object) -> String {
    let groups = groups(o);
    let mut out = String::from("#<MatchData");
    let mut show = |label: &str, v: &Value| {
        out.push(' ');
        out.push_str(label);
        out.push_str(&format::inspect(v));
    };
    if let Some(m) = groups.first() {
        show("", m);
    }
    match o.ivars.borrow().get("names") {
        Some(Value::Hash(h)) if !h.borrow().is_empty() => {
            for (k, v) in h.borrow().pairs() {
                show(&format!("{}:", format::to_s(&k)), &v);
            }
        }
        _ => {
            for (i, v) in groups.iter().enumerate().skip(1) {
                show(&format!("{i}:"), v);
            }
        }
    }
    out.push('>');
    out
}

/// The `MatchData` of match `m` in `s`: its groups, each group's place in characters (nil
/// for one that took no part), its names and the text around it.
pub fn match_data(it: &Interp, s: &str, m: &Match) -> Value {
    match_data_in(it, s, m, false)
}

/// [`match_data`], of a binary string when `binary` (`s` its text of one char per byte):
/// its groups and the text around the match are binary strings, as Ruby's are.
pub fn match_data_in(it: &Interp, s: &str, m: &Match, binary: bool) -> Value {
    use super::super::value::{ObjKind, RHash};
    use std::cell::RefCell;
    let made = |v: Value| {
        if binary {
            super::binary::bytes_back(v)
        } else {
            v
        }
    };
    let group = |i: usize| made(m.group(s, i));
    let groups: Vec<Value> = (0..m.groups.len()).map(group).collect();
    let chars = |b: usize| Value::Int(char_len(&s[..b]) as i64);
    let places: Vec<Value> = m
        .groups
        .iter()
        .map(|g| match g {
            Some((a, b)) => Value::array(vec![chars(*a), chars(*b)]),
            None => Value::Nil,
        })
        .collect();
    let mut names = RHash::new();
    for (n, i) in &m.names {
        names.insert(Value::str(n.as_str()), group(*i));
    }
    let (a, b) = m.range();
    let mut ivars = indexmap::IndexMap::new();
    ivars.insert("groups".into(), Value::array(groups));
    ivars.insert("places".into(), Value::array(places));
    ivars.insert("names".into(), Value::hash(names));
    ivars.insert("pre".into(), made(Value::str(&s[..a])));
    ivars.insert("post".into(), made(Value::str(&s[b..])));
    Value::Object(Rc::new(Object {
        class: it.classes.get("MatchData").unwrap(),
        ivars: RefCell::new(ivars),
        kind: ObjKind::Plain,
    }))
}

/// A match global read from an assigned `MatchData` (`$~ = m`).
pub(super) fn part(md: &Value, part: Part) -> Value {
    let Value::Object(o) = md else {
        return Value::Nil;
    };
    let ivars = o.ivars.borrow();
    let group = |pick: &dyn Fn(&[Value]) -> Option<Value>| match ivars.get("groups") {
        Some(Value::Array(g)) => pick(&g.borrow()).unwrap_or(Value::Nil),
        _ => Value::Nil,
    };
    match part {
        Part::Group(i) => group(&|g| g.get(i).cloned()),
        Part::Pre => ivars.get("pre").cloned().unwrap_or(Value::Nil),
        Part::Post => ivars.get("post").cloned().unwrap_or(Value::Nil),
        Part::LastGroup => group(&|g| g.iter().skip(1).rev().find(|v| !v.is_nil()).cloned()),
    }
}

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    let Value::Object(o) = recv else {
        return Ok(None);
    };
    let field = |k: &str| o.ivars.borrow().get(k).cloned().unwrap_or(Value::Nil);
    let list = groups(o);
    Ok(Some(match name {
        // by name; by index, range or start and length as an Array of the groups answers
        "[]" => match args {
            [Value::Str(n)] => named(it, o, &n.borrow())?,
            [Value::Sym(n)] => named(it, o, n)?,
            _ => return super::array::call(it, &c.on(&Value::array(list))),
        },
        "values_at" => {
            let all = Value::array(list);
            let mut out = Vec::with_capacity(args.len());
            for a in args {
                match a {
                    Value::Str(n) => out.push(named(it, o, &n.borrow())?),
                    Value::Sym(n) => out.push(named(it, o, n)?),
                    _ => {
                        let one = std::slice::from_ref(a);
                        let call = MethodCall {
                            args: one,
                            ..c.on(&all)
                        };
                        if let Some(Value::Array(v)) = super::array::call(it, &call)? {
                            out.extend(v.borrow().iter().cloned());
                        }
                    }
                }
            }
            Value::array(out)
        }
        "captures" => Value::array(list.get(1..).map(|s| s.to_vec()).unwrap_or_default()),
        "to_a" => Value::array(list),
        "to_s" => list.first().cloned().unwrap_or(Value::Nil),
        "pre_match" => field("pre"),
        "post_match" => field("post"),
        "begin" | "end" | "offset" => {
            let place = place(it, o, &super::arg(args, 0))?;
            match (name, place) {
                ("offset", Some((a, b))) => Value::array(vec![a, b]),
                ("offset", None) => Value::array(vec![Value::Nil, Value::Nil]),
                ("begin", Some((a, _))) => a,
                ("end", Some((_, b))) => b,
                _ => Value::Nil,
            }
        }
        "string" => {
            let parts = [
                list.first().cloned().unwrap_or_default(),
                field("pre"),
                field("post"),
            ];
            let text = |v: &Value| format::to_s(v);
            let whole = Value::str(format!(
                "{}{}{}",
                text(&parts[1]),
                text(&parts[0]),
                text(&parts[2])
            ));
            // a match in bytes was made in bytes (its text one char a byte)
            if parts
                .iter()
                .any(|p| matches!(p, Value::Str(s) if s.is_binary()))
            {
                super::binary::bytes_back(whole)
            } else {
                whole
            }
        }
        // the same text matched at the same places (Ruby also compares the regexps)
        "==" | "eql?" => Value::Bool(match super::arg(args, 0) {
            Value::Object(p) if p.class.name == "MatchData" => {
                ["groups", "places", "pre", "post"].iter().all(|k| {
                    let other = p.ivars.borrow().get(*k).cloned().unwrap_or(Value::Nil);
                    super::super::value::rb_eq(&field(k), &other)
                })
            }
            _ => false,
        }),
        "named_captures" => field("names").deep_copy(),
        "names" => match field("names") {
            Value::Hash(h) => {
                Value::array(h.borrow().pairs().into_iter().map(|(k, _)| k).collect())
            }
            _ => Value::array(vec![]),
        },
        "size" | "length" => Value::Int(list.len() as i64),
        _ => return Ok(None),
    }))
}

/// A named group's text; Ruby's `IndexError` for a name the regexp does not have.
fn named(it: &Interp, o: &Object, n: &str) -> R<Value> {
    match o.ivars.borrow().get("names") {
        Some(Value::Hash(h)) => match h.borrow().get_str(n) {
            Some(v) => Ok(v.clone()),
            None => it.err("IndexError", format!("undefined group name reference: {n}")),
        },
        _ => it.err("IndexError", format!("undefined group name reference: {n}")),
    }
}

/// Where group `g` (a number or a name) matched, in characters; none when it took no part.
fn place(it: &Interp, o: &Object, g: &Value) -> R<Option<(Value, Value)>> {
    let places = match o.ivars.borrow().get("places") {
        Some(Value::Array(p)) => p.borrow().clone(),
        _ => Vec::new(),
    };
    let i = match g {
        Value::Str(_) | Value::Sym(_) => {
            let n = format::to_s(g);
            let names = match o.ivars.borrow().get("names") {
                Some(Value::Hash(h)) => h
                    .borrow()
                    .pairs()
                    .into_iter()
                    .map(|(k, _)| format::to_s(&k))
                    .collect(),
                _ => Vec::new(),
            };
            match names.iter().position(|k: &String| *k == n) {
                // named groups are numbered from 1, in order
                Some(k) => k + 1,
                None => {
                    return it.err("IndexError", format!("undefined group name reference: {n}"))
                }
            }
        }
        other => {
            let i = int_arg(it, other)?;
            match usize::try_from(i) {
                Ok(i) if i < places.len() => i,
                _ => return it.err("IndexError", format!("index {i} out of matches")),
            }
        }
    };
    Ok(match places.get(i) {
        Some(Value::Array(p)) => {
            let p = p.borrow();
            Some((p[0].clone(), p[1].clone()))
        }
        _ => None,
    })
}
