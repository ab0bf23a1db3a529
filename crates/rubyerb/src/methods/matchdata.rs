//! MatchData, what a successful `match` gives: its groups, names and the text around the
//! match, kept as a plain object's fields; its methods, its text and `inspect`; and the
//! search that `match` and `match?` of String, Symbol and Regexp share (a start position,
//! and a String pattern read as a regexp).

use std::rc::Rc;

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{Object, Regex, Value};
use super::int_arg;
use super::regex::{self as rx, Match, Part};
use super::string::{byte_at, char_len};

/// The pattern of `String#match` and `match?`: a String is a regexp's source there (`'1m'
/// .match('m$')`), where `sub`, `index` and `split` take it as plain text.
pub fn pattern(it: &Interp, v: &Value) -> R<Rc<Regex>> {
    match v {
        Value::Regex(r) => Ok(r.clone()),
        Value::Str(s) => {
            rx::compile_cached(&s.borrow(), "").or_else(|e| it.err("RegexpError", e.to_string()))
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

/// The `MatchData` of match `m` in `s`.
pub fn match_data(it: &Interp, s: &str, m: &Match) -> Value {
    use super::super::value::{ObjKind, Object, RHash};
    use std::cell::RefCell;
    let groups: Vec<Value> = (0..m.groups.len()).map(|i| m.group(s, i)).collect();
    let mut names = RHash::new();
    for (n, i) in &m.names {
        names.insert(Value::str(n.as_str()), m.group(s, *i));
    }
    let (a, b) = m.range();
    let mut ivars = indexmap::IndexMap::new();
    ivars.insert("groups".into(), Value::array(groups));
    ivars.insert("names".into(), Value::hash(names));
    ivars.insert("pre".into(), Value::str(&s[..a]));
    ivars.insert("post".into(), Value::str(&s[b..]));
    ivars.insert("begin".into(), Value::Int(s[..a].chars().count() as i64));
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

pub fn call(it: &mut Interp, md: &Value, name: &str, args: &[Value]) -> R<Option<Value>> {
    let Value::Object(o) = md else {
        return Ok(None);
    };
    let iv = o.ivars.borrow();
    let groups = iv.get("groups").cloned().unwrap_or(Value::Nil);
    let list = match &groups {
        Value::Array(a) => a.borrow().clone(),
        _ => vec![],
    };
    Ok(Some(match name {
        "[]" => match args.first() {
            Some(Value::Int(i)) => {
                let i = if *i < 0 { list.len() as i64 + i } else { *i };
                list.get(i as usize).cloned().unwrap_or(Value::Nil)
            }
            Some(Value::Str(n)) => names_get(&iv, &n.borrow()),
            Some(Value::Sym(n)) => names_get(&iv, n),
            _ => return it.type_err("no implicit conversion into Integer"),
        },
        "captures" => Value::array(list.get(1..).map(|s| s.to_vec()).unwrap_or_default()),
        "to_a" => Value::array(list),
        "to_s" => list.first().cloned().unwrap_or(Value::Nil),
        "pre_match" => iv.get("pre").cloned().unwrap_or(Value::Nil),
        "post_match" => iv.get("post").cloned().unwrap_or(Value::Nil),
        "begin" => iv.get("begin").cloned().unwrap_or(Value::Nil),
        "end" => match (iv.get("begin"), list.first()) {
            (Some(Value::Int(b)), Some(Value::Str(m))) => {
                Value::Int(b + m.borrow().chars().count() as i64)
            }
            _ => Value::Nil,
        },
        "string" => {
            let part = |k: &str| iv.get(k).map(format::to_s).unwrap_or_default();
            let m = list.first().map(format::to_s).unwrap_or_default();
            Value::str(format!("{}{m}{}", part("pre"), part("post")))
        }
        "named_captures" => iv.get("names").map(|v| v.deep_copy()).unwrap_or(Value::Nil),
        "names" => match iv.get("names") {
            Some(Value::Hash(h)) => {
                Value::array(h.borrow().pairs().into_iter().map(|(k, _)| k).collect())
            }
            _ => Value::array(vec![]),
        },
        "size" | "length" => Value::Int(list.len() as i64),
        _ => return Ok(None),
    }))
}

fn names_get(iv: &indexmap::IndexMap<super::super::ast::Name, Value>, n: &str) -> Value {
    match iv.get("names") {
        Some(Value::Hash(h)) => h.borrow().get_str(n).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}
