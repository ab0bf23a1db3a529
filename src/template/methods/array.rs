//! Array methods, and the Enumerable methods that Hash, Range and Enumerator reuse by
//! passing their elements (`enumerable`).

use std::cmp::Ordering;

use super::super::format;
use super::super::interp::{Frame, Interp, R};
use super::super::value::{rb_eq, RHash, Value};
use super::{arg, int_arg};

pub const NAMES: &[&str] = &[
    "each",
    "each_with_index",
    "map",
    "collect",
    "select",
    "filter",
    "reject",
    "find",
    "detect",
    "inject",
    "reduce",
    "sum",
    "count",
    "size",
    "length",
    "empty?",
    "any?",
    "all?",
    "none?",
    "include?",
    "first",
    "last",
    "push",
    "<<",
    "pop",
    "shift",
    "unshift",
    "join",
    "sort",
    "sort_by",
    "min",
    "max",
    "uniq",
    "compact",
    "flatten",
    "reverse",
    "zip",
    "group_by",
    "partition",
    "to_a",
    "to_h",
    "each_slice",
    "[]",
    "[]=",
    "+",
    "-",
    "&",
    "|",
    "concat",
    "delete",
    "index",
    "flat_map",
    "take",
    "drop",
    "dig",
    "values_at",
    "rotate",
    "tally",
];

pub fn cmp(it: &mut Interp, a: &Value, b: &Value, f: &Frame) -> R<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (x, y) = (num(a), num(b));
            x.partial_cmp(&y).map_or_else(
                || {
                    it.arg_err(format!(
                        "comparison of {} with {} failed",
                        a.class_name(),
                        format::inspect(b)
                    ))
                },
                Ok,
            )
        }
        (Value::Str(x), Value::Str(y)) => Ok(x.borrow().as_str().cmp(y.borrow().as_str())),
        (Value::Sym(x), Value::Sym(y)) => Ok(x.cmp(y)),
        (Value::Array(x), Value::Array(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            for (p, q) in x.iter().zip(y.iter()) {
                let c = cmp(it, p, q, f)?;
                if c != Ordering::Equal {
                    return Ok(c);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        (Value::Object(_), _) => {
            let r = it.call_method(a.clone(), "<=>", vec![b.clone()], None, f, false)?;
            match r {
                Value::Int(i) => Ok(i.cmp(&0)),
                _ => it.arg_err(format!(
                    "comparison of {} with {} failed",
                    a.class_name(),
                    b.class_name()
                )),
            }
        }
        _ => {
            let bn = match b {
                Value::Nil => "nil".to_string(),
                Value::Int(_) | Value::Float(_) => format::inspect(b),
                _ => b.class_name(),
            };
            it.arg_err(format!(
                "comparison of {} with {} failed",
                a.class_name(),
                bn
            ))
        }
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

pub fn sort_values(
    it: &mut Interp,
    items: &mut [Value],
    block: Option<&Value>,
    f: &Frame,
) -> R<()> {
    let mut err = None;
    // merge sort through a fallible comparator
    let mut v: Vec<Value> = items.to_vec();
    v.sort_by(|a, b| {
        if err.is_some() {
            return Ordering::Equal;
        }
        let r = match block {
            Some(bl) => it
                .call_block(bl, vec![a.clone(), b.clone()])
                .and_then(|r| match r {
                    Value::Int(i) => Ok(i.cmp(&0)),
                    Value::Float(x) => Ok(x.partial_cmp(&0.0).unwrap_or(Ordering::Equal)),
                    _ => it.arg_err(format!(
                        "comparison of {} with {} failed",
                        a.class_name(),
                        b.class_name()
                    )),
                }),
            None => cmp(it, a, b, f),
        };
        match r {
            Ok(o) => o,
            Err(e) => {
                err = Some(e);
                Ordering::Equal
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    items.clone_from_slice(&v);
    Ok(())
}

pub fn add(it: &mut Interp, a: &Value, b: &Value, f: &Frame) -> R<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match x.checked_add(*y) {
            Some(v) => Ok(Value::Int(v)),
            None => Ok(Value::Float(*x as f64 + *y as f64)),
        },
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            Ok(Value::Float(num(a) + num(b)))
        }
        _ => it.call_method(a.clone(), "+", vec![b.clone()], None, f, false),
    }
}

fn block_or_enum(
    it: &mut Interp,
    recv: &Value,
    name: &str,
    args: &[Value],
    block: &Option<Value>,
) -> Option<Value> {
    if block.is_none() {
        Some(super::enumerator::make(
            it,
            recv.clone(),
            name,
            args.to_vec(),
        ))
    } else {
        None
    }
}

/// Enumerable over `items`. `recv` is returned by `each`-like methods.
pub fn enumerable(
    it: &mut Interp,
    recv: &Value,
    items: Vec<Value>,
    name: &str,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Option<Value>> {
    let v = match name {
        "each" | "each_entry" => {
            if let Some(e) = block_or_enum(it, recv, name, args, &block) {
                return Ok(Some(e));
            }
            let b = block.unwrap();
            for x in items {
                it.call_block(&b, vec![x])?;
            }
            recv.clone()
        }
        "each_with_index" | "each_with_object" | "map" | "collect" | "flat_map"
        | "collect_concat" | "select" | "filter" | "reject" | "find" | "detect" | "find_index"
        | "sort_by" | "min_by" | "max_by" | "group_by" | "partition" | "filter_map"
        | "each_slice" | "each_cons" | "find_all" | "sum" | "count" | "any?" | "all?" | "none?"
        | "one?" | "uniq" | "chunk_while" | "slice_when" | "reverse_each" | "to_h" | "zip"
        | "inject" | "reduce" | "min" | "max" | "minmax" | "tally" | "cycle" | "take_while"
        | "drop_while" | "each_index" | "grep" | "grep_v" | "sort" | "to_a" | "entries"
        | "first" | "include?" | "member?" | "to_set" | "lazy" | "with_index" | "sum_by"
        | "index_by" | "each_pair" => return enumerable2(it, recv, items, name, args, block, f),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn truthy_block(it: &mut Interp, b: &Option<Value>, x: &Value) -> R<bool> {
    match b {
        Some(b) => Ok(it.call_block(b, vec![x.clone()])?.truthy()),
        None => Ok(x.truthy()),
    }
}

fn enumerable2(
    it: &mut Interp,
    recv: &Value,
    items: Vec<Value>,
    name: &str,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Option<Value>> {
    let needs_block = matches!(
        name,
        "each_with_index"
            | "map"
            | "collect"
            | "flat_map"
            | "collect_concat"
            | "select"
            | "filter"
            | "reject"
            | "find_index"
            | "sort_by"
            | "min_by"
            | "max_by"
            | "group_by"
            | "partition"
            | "filter_map"
            | "find_all"
            | "each_index"
            | "chunk_while"
            | "slice_when"
            | "each_with_object"
    ) || (matches!(name, "each_slice" | "each_cons") && block.is_none())
        || (matches!(name, "find" | "detect") && block.is_none());
    if needs_block && block.is_none() && !(name == "find_index" && !args.is_empty()) {
        return Ok(Some(super::enumerator::make(
            it,
            recv.clone(),
            name,
            args.to_vec(),
        )));
    }
    let v = match name {
        "each_with_index" => {
            let b = block.unwrap();
            for (i, x) in items.into_iter().enumerate() {
                it.call_block(&b, vec![x, Value::Int(i as i64)])?;
            }
            recv.clone()
        }
        "each_index" => {
            let b = block.unwrap();
            for i in 0..items.len() {
                it.call_block(&b, vec![Value::Int(i as i64)])?;
            }
            recv.clone()
        }
        "reverse_each" => {
            let Some(b) = block else {
                let rev: Vec<Value> = items.into_iter().rev().collect();
                return Ok(Some(super::enumerator::make(
                    it,
                    Value::array(rev),
                    "each",
                    vec![],
                )));
            };
            for x in items.into_iter().rev() {
                it.call_block(&b, vec![x])?;
            }
            recv.clone()
        }
        "each_with_object" => {
            let memo = arg(args, 0);
            let b = block.unwrap();
            for x in items {
                it.call_block(&b, vec![x, memo.clone()])?;
            }
            memo
        }
        "map" | "collect" => {
            let b = block.unwrap();
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(it.call_block(&b, vec![x])?);
            }
            Value::array(out)
        }
        "flat_map" | "collect_concat" => {
            let b = block.unwrap();
            let mut out = Vec::new();
            for x in items {
                match it.call_block(&b, vec![x])? {
                    Value::Array(a) => out.extend(a.borrow().iter().cloned()),
                    o => out.push(o),
                }
            }
            Value::array(out)
        }
        "filter_map" => {
            let b = block.unwrap();
            let mut out = Vec::new();
            for x in items {
                let r = it.call_block(&b, vec![x])?;
                if r.truthy() {
                    out.push(r);
                }
            }
            Value::array(out)
        }
        "select" | "filter" | "find_all" | "reject" => {
            let keep = name != "reject";
            let mut out = Vec::new();
            for x in items {
                if truthy_block(it, &block, &x)? == keep {
                    out.push(x);
                }
            }
            Value::array(out)
        }
        "partition" => {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for x in items {
                if truthy_block(it, &block, &x)? {
                    a.push(x);
                } else {
                    b.push(x);
                }
            }
            Value::array(vec![Value::array(a), Value::array(b)])
        }
        "find" | "detect" => {
            for x in items {
                if truthy_block(it, &block, &x)? {
                    return Ok(Some(x));
                }
            }
            Value::Nil
        }
        "find_index" => {
            for (i, x) in items.iter().enumerate() {
                let hit = match &block {
                    Some(_) => truthy_block(it, &block, x)?,
                    None => it.equal(x, &arg(args, 0), f)?,
                };
                if hit {
                    return Ok(Some(Value::Int(i as i64)));
                }
            }
            Value::Nil
        }
        "count" => {
            if let Some(a) = args.first() {
                let mut n = 0;
                for x in &items {
                    if rb_eq(x, a) {
                        n += 1;
                    }
                }
                Value::Int(n)
            } else if block.is_some() {
                let mut n = 0;
                for x in &items {
                    if truthy_block(it, &block, x)? {
                        n += 1;
                    }
                }
                Value::Int(n)
            } else {
                Value::Int(items.len() as i64)
            }
        }
        "any?" | "all?" | "none?" | "one?" => {
            let mut hits = 0;
            let n = items.len();
            for x in &items {
                let t = match args.first() {
                    Some(pat) => match pat {
                        Value::Class(c) => it.is_a(x, &c.name),
                        Value::Regex(r) => {
                            matches!(x, Value::Str(s) if r.re.is_match(&s.borrow()).unwrap_or(false))
                        }
                        p => rb_eq(p, x),
                    },
                    None => truthy_block(it, &block, x)?,
                };
                if t {
                    hits += 1;
                    if name == "any?" {
                        return Ok(Some(Value::Bool(true)));
                    }
                } else if name == "all?" {
                    return Ok(Some(Value::Bool(false)));
                }
            }
            Value::Bool(match name {
                "any?" => hits > 0,
                "all?" => hits == n,
                "none?" => hits == 0,
                _ => hits == 1,
            })
        }
        "sum" => {
            let mut acc = args.first().cloned().unwrap_or(Value::Int(0));
            for x in items {
                let x = match &block {
                    Some(b) => it.call_block(b, vec![x])?,
                    None => x,
                };
                acc = add(it, &acc, &x, f)?;
            }
            acc
        }
        "inject" | "reduce" => {
            let (mut acc, op) = match (args.len(), &block) {
                (2, _) => (Some(args[0].clone()), Some(format::to_s(&args[1]))),
                (1, None) => (None, Some(format::to_s(&args[0]))),
                (1, Some(_)) => (Some(args[0].clone()), None),
                _ => (None, None),
            };
            for x in items {
                acc = Some(match acc {
                    None => x,
                    Some(a) => match (&op, &block) {
                        (Some(op), _) => {
                            if op == "+" {
                                add(it, &a, &x, f)?
                            } else {
                                it.call_method(a, op, vec![x], None, f, false)?
                            }
                        }
                        (None, Some(b)) => it.call_block(b, vec![a, x])?,
                        _ => a,
                    },
                });
            }
            acc.unwrap_or(Value::Nil)
        }
        "sort" => {
            let mut v = items;
            sort_values(it, &mut v, block.as_ref(), f)?;
            Value::array(v)
        }
        "sort_by" | "min_by" | "max_by" => {
            let b = block.unwrap();
            let mut keyed = Vec::with_capacity(items.len());
            for x in items {
                let k = it.call_block(&b, vec![x.clone()])?;
                keyed.push(Value::array(vec![k, x]));
            }
            let mut err = None;
            keyed.sort_by(|a, b| {
                let (ka, kb) = (first(a), first(b));
                match cmp(it, &ka, &kb, f) {
                    Ok(o) => o,
                    Err(e) => {
                        err.get_or_insert(e);
                        Ordering::Equal
                    }
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
            let sorted: Vec<Value> = keyed.iter().map(second).collect();
            match name {
                "sort_by" => Value::array(sorted),
                "min_by" => sorted.first().cloned().unwrap_or(Value::Nil),
                _ => {
                    // max_by returns the first maximal element
                    let mut best: Option<(Value, Value)> = None;
                    for kv in &keyed {
                        let (k, v) = (first(kv), second(kv));
                        match &best {
                            Some((bk, _)) if cmp(it, &k, bk, f)? != Ordering::Greater => {}
                            _ => best = Some((k, v)),
                        }
                    }
                    best.map(|b| b.1).unwrap_or(Value::Nil)
                }
            }
        }
        "min" | "max" if matches!(args.first(), Some(Value::Int(_))) => {
            let n = int_arg(it, &args[0])?.max(0) as usize;
            let mut v = items;
            sort_values(it, &mut v, block.as_ref(), f)?;
            if name == "max" {
                v.reverse();
            }
            v.truncate(n);
            Value::array(v)
        }
        "min" | "max" => {
            let mut best: Option<Value> = None;
            for x in items {
                best = Some(match best {
                    None => x,
                    Some(b) => {
                        let o = match &block {
                            Some(bl) => match it.call_block(bl, vec![x.clone(), b.clone()])? {
                                Value::Int(i) => i.cmp(&0),
                                _ => Ordering::Equal,
                            },
                            None => cmp(it, &x, &b, f)?,
                        };
                        if (name == "min" && o == Ordering::Less)
                            || (name == "max" && o == Ordering::Greater)
                        {
                            x
                        } else {
                            b
                        }
                    }
                });
            }
            best.unwrap_or(Value::Nil)
        }
        "minmax" => {
            let mut v = items;
            sort_values(it, &mut v, block.as_ref(), f)?;
            Value::array(vec![
                v.first().cloned().unwrap_or(Value::Nil),
                v.last().cloned().unwrap_or(Value::Nil),
            ])
        }
        "group_by" | "index_by" => {
            let b = block.unwrap();
            let mut h = RHash::new();
            for x in items {
                let k = it.call_block(&b, vec![x.clone()])?;
                if name == "index_by" {
                    h.insert(k, x);
                    continue;
                }
                match h.get(&k).cloned() {
                    Some(Value::Array(a)) => a.borrow_mut().push(x),
                    _ => h.insert(k, Value::array(vec![x])),
                }
            }
            Value::hash(h)
        }
        "tally" => {
            let mut h = RHash::new();
            for x in items {
                let n = match h.get(&x) {
                    Some(Value::Int(n)) => n + 1,
                    _ => 1,
                };
                h.insert(x, Value::Int(n));
            }
            Value::hash(h)
        }
        "uniq" => {
            let mut seen = std::collections::HashSet::new();
            let mut out = Vec::new();
            for x in items {
                let k = match &block {
                    Some(b) => it.call_block(b, vec![x.clone()])?,
                    None => x.clone(),
                };
                if seen.insert(k.hkey()) {
                    out.push(x);
                }
            }
            Value::array(out)
        }
        "each_slice" | "each_cons" => {
            let n = int_arg(it, &arg(args, 0))?;
            if n <= 0 {
                return it.arg_err("invalid slice size");
            }
            let n = n as usize;
            let groups: Vec<Value> = if name == "each_slice" {
                items.chunks(n).map(|c| Value::array(c.to_vec())).collect()
            } else {
                items.windows(n).map(|c| Value::array(c.to_vec())).collect()
            };
            let b = block.unwrap();
            for g in groups {
                it.call_block(&b, vec![g])?;
            }
            if name == "each_slice" {
                Value::Nil
            } else {
                recv.clone()
            }
        }
        "chunk_while" | "slice_when" => {
            let b = block.unwrap();
            let mut out: Vec<Value> = Vec::new();
            let mut cur: Vec<Value> = Vec::new();
            for x in items {
                if let Some(prev) = cur.last().cloned() {
                    let r = it.call_block(&b, vec![prev, x.clone()])?.truthy();
                    let split = if name == "chunk_while" { !r } else { r };
                    if split {
                        out.push(Value::array(std::mem::take(&mut cur)));
                    }
                }
                cur.push(x);
            }
            if !cur.is_empty() {
                out.push(Value::array(cur));
            }
            Value::array(out)
        }
        "to_h" => {
            let mut h = RHash::new();
            for x in items {
                let pair = match &block {
                    Some(b) => it.call_block(b, vec![x])?,
                    None => x,
                };
                match &pair {
                    Value::Array(p) if p.borrow().len() == 2 => {
                        let p = p.borrow();
                        h.insert(p[0].clone(), p[1].clone());
                    }
                    other => {
                        return it.type_err(format!(
                            "wrong element type {} (expected array)",
                            other.class_name()
                        ))
                    }
                }
            }
            Value::hash(h)
        }
        "zip" => {
            let others: Vec<Vec<Value>> = args.iter().map(|a| it.to_list(a)).collect::<R<_>>()?;
            let rows: Vec<Value> = items
                .into_iter()
                .enumerate()
                .map(|(i, x)| {
                    let mut row = vec![x];
                    for o in &others {
                        row.push(o.get(i).cloned().unwrap_or(Value::Nil));
                    }
                    Value::array(row)
                })
                .collect();
            match block {
                Some(b) => {
                    for r in rows {
                        it.call_block(&b, vec![r])?;
                    }
                    Value::Nil
                }
                None => Value::array(rows),
            }
        }
        "take_while" | "drop_while" => {
            let mut idx = items.len();
            for (i, x) in items.iter().enumerate() {
                if !truthy_block(it, &block, x)? {
                    idx = i;
                    break;
                }
            }
            if name == "take_while" {
                Value::array(items[..idx].to_vec())
            } else {
                Value::array(items[idx..].to_vec())
            }
        }
        "grep" | "grep_v" => {
            let pat = arg(args, 0);
            let mut out = Vec::new();
            for x in items {
                let m = match &pat {
                    Value::Regex(r) => {
                        matches!(&x, Value::Str(s) if r.re.is_match(&s.borrow()).unwrap_or(false))
                    }
                    Value::Class(c) => it.is_a(&x, &c.name),
                    p => rb_eq(p, &x),
                };
                if m == (name == "grep") {
                    out.push(match &block {
                        Some(b) => it.call_block(b, vec![x])?,
                        None => x,
                    });
                }
            }
            Value::array(out)
        }
        "to_a" | "entries" | "to_set" | "lazy" => Value::array(items),
        "first" => match args.first() {
            Some(n) => {
                let n = int_arg(it, n)?.max(0) as usize;
                Value::array(items.into_iter().take(n).collect())
            }
            None => items.into_iter().next().unwrap_or(Value::Nil),
        },
        "include?" | "member?" => Value::Bool(items.iter().any(|x| rb_eq(x, &arg(args, 0)))),
        "cycle" => return it.unsupported("Enumerable#cycle"),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn first(v: &Value) -> Value {
    match v {
        Value::Array(a) => a.borrow().first().cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}
fn second(v: &Value) -> Value {
    match v {
        Value::Array(a) => a.borrow().get(1).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

fn norm_index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { len as i64 + i } else { i };
    if i < 0 {
        None
    } else {
        Some(i as usize)
    }
}

pub fn flatten(items: &[Value], depth: i64, out: &mut Vec<Value>) {
    for x in items {
        match x {
            Value::Array(a) if depth != 0 => flatten(&a.borrow().clone(), depth - 1, out),
            o => out.push(o.clone()),
        }
    }
}

pub fn call(
    it: &mut Interp,
    recv: &Value,
    name: &str,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Option<Value>> {
    let Value::Array(cell) = recv else {
        return Ok(None);
    };
    let items = cell.borrow().clone();
    let len = items.len();
    let v = match name {
        "length" | "size" => Value::Int(len as i64),
        "empty?" => Value::Bool(items.is_empty()),
        "to_a" | "to_ary" | "entries" => recv.clone(),
        "[]" | "slice" => slice(it, &items, args)?,
        "[]=" => {
            let val = args.last().cloned().unwrap_or(Value::Nil);
            let i = norm_index(int_arg(it, &arg(args, 0))?, len);
            let Some(i) = i else { return it.err("IndexError", "index out of array") };
            let mut a = cell.borrow_mut();
            if args.len() == 3 {
                let n = int_arg(it, &args[1])?.max(0) as usize;
                let end = (i + n).min(a.len().max(i));
                while a.len() < i {
                    a.push(Value::Nil);
                }
                let repl = match &val { Value::Array(r) => r.borrow().clone(), o => vec![o.clone()] };
                let stop = end.min(a.len());
                a.splice(i..stop, repl);
            } else {
                while a.len() <= i {
                    a.push(Value::Nil);
                }
                a[i] = val.clone();
            }
            val
        }
        "at" => norm_index(int_arg(it, &arg(args, 0))?, len).and_then(|i| items.get(i).cloned()).unwrap_or(Value::Nil),
        "dig" => {
            let mut cur = recv.clone();
            for a in args {
                cur = match &cur {
                    Value::Nil => return Ok(Some(Value::Nil)),
                    _ => it.call_method(cur.clone(), "[]", vec![a.clone()], None, f, false)?,
                };
            }
            cur
        }
        "fetch" => {
            let i = int_arg(it, &arg(args, 0))?;
            match norm_index(i, len).and_then(|i| items.get(i).cloned()) {
                Some(v) => v,
                None => match (&block, args.get(1)) {
                    (Some(b), _) => it.call_block(b, vec![Value::Int(i)])?,
                    (None, Some(d)) => d.clone(),
                    _ => return it.err("IndexError", format!("index {i} outside of array bounds: {}...{}", -(len as i64), len)),
                },
            }
        }
        "first" | "last" => match args.first() {
            None => (if name == "first" { items.first() } else { items.last() }).cloned().unwrap_or(Value::Nil),
            Some(n) => {
                let n = (int_arg(it, n)?.max(0) as usize).min(len);
                Value::array(if name == "first" { items[..n].to_vec() } else { items[len - n..].to_vec() })
            }
        },
        "take" => Value::array(items.into_iter().take(int_arg(it, &arg(args, 0))?.max(0) as usize).collect()),
        "drop" => Value::array(items.into_iter().skip(int_arg(it, &arg(args, 0))?.max(0) as usize).collect()),
        "push" | "append" | "<<" => {
            cell.borrow_mut().extend(args.iter().cloned());
            recv.clone()
        }
        "pop" | "shift" => {
            let mut a = cell.borrow_mut();
            match args.first() {
                None => {
                    if a.is_empty() {
                        Value::Nil
                    } else if name == "pop" {
                        a.pop().unwrap()
                    } else {
                        a.remove(0)
                    }
                }
                Some(n) => {
                    let n = (int_arg(it, n)?.max(0) as usize).min(a.len());
                    let keep = a.len() - n;
                    let taken: Vec<Value> = if name == "pop" { a.split_off(keep) } else { a.drain(..n).collect() };
                    Value::array(taken)
                }
            }
        }
        "unshift" | "prepend" => {
            let mut a = cell.borrow_mut();
            for (i, x) in args.iter().enumerate() {
                a.insert(i, x.clone());
            }
            drop(a);
            recv.clone()
        }
        "insert" => {
            let i = int_arg(it, &arg(args, 0))?;
            let mut a = cell.borrow_mut();
            let pos = if i < 0 { (a.len() as i64 + i + 1).max(0) as usize } else { i as usize };
            while a.len() < pos {
                a.push(Value::Nil);
            }
            for (k, x) in args[1..].iter().enumerate() {
                a.insert(pos + k, x.clone());
            }
            drop(a);
            recv.clone()
        }
        "concat" => {
            for a in args {
                let more = it.to_list(a)?;
                cell.borrow_mut().extend(more);
            }
            recv.clone()
        }
        "+" => match arg(args, 0) {
            Value::Array(o) => {
                let mut v = items;
                v.extend(o.borrow().iter().cloned());
                Value::array(v)
            }
            other => return it.type_err(format!("no implicit conversion of {} into Array", other.class_name())),
        },
        "-" | "difference" => {
            let other = it.to_list(&arg(args, 0))?;
            let keys: std::collections::HashSet<_> = other.iter().map(|v| v.hkey()).collect();
            Value::array(items.into_iter().filter(|x| !keys.contains(&x.hkey())).collect())
        }
        "&" | "intersection" => {
            let other = it.to_list(&arg(args, 0))?;
            let keys: std::collections::HashSet<_> = other.iter().map(|v| v.hkey()).collect();
            let mut seen = std::collections::HashSet::new();
            Value::array(items.into_iter().filter(|x| keys.contains(&x.hkey()) && seen.insert(x.hkey())).collect())
        }
        "|" | "union" => {
            let mut all = items;
            for a in args {
                all.extend(it.to_list(a)?);
            }
            let mut seen = std::collections::HashSet::new();
            Value::array(all.into_iter().filter(|x| seen.insert(x.hkey())).collect())
        }
        "*" => match arg(args, 0) {
            Value::Str(sep) => {
                let sep = sep.borrow().clone();
                Value::str(join(it, &items, &sep, f)?)
            }
            n => {
                let n = int_arg(it, &n)?;
                let mut out = Vec::new();
                for _ in 0..n.max(0) {
                    out.extend(items.iter().cloned());
                }
                Value::array(out)
            }
        },
        "==" | "eql?" => Value::Bool(rb_eq(recv, &arg(args, 0))),
        "<=>" => match cmp(it, recv, &arg(args, 0), f) {
            Ok(o) => Value::Int(o as i64),
            Err(_) => Value::Nil,
        },
        "join" => {
            let sep = match args.first() {
                Some(Value::Nil) | None => String::new(),
                Some(s) => super::str_arg(it, s)?,
            };
            Value::str(join(it, &items, &sep, f)?)
        }
        "to_s" | "inspect" => Value::str(it.inspect(recv, f)?),
        "reverse" => Value::array(items.into_iter().rev().collect()),
        "rotate" => {
            let n = match args.first() { Some(n) => int_arg(it, n)?, None => 1 };
            if len == 0 {
                Value::array(vec![])
            } else {
                let k = n.rem_euclid(len as i64) as usize;
                let mut v = items;
                v.rotate_left(k);
                Value::array(v)
            }
        }
        "compact" => Value::array(items.into_iter().filter(|x| !x.is_nil()).collect()),
        "flatten" => {
            let depth = match args.first() { Some(d) => int_arg(it, d)?, None => -1 };
            let mut out = Vec::new();
            flatten(&items, depth, &mut out);
            Value::array(out)
        }
        "index" | "find_index" | "rindex" => {
            let iter: Box<dyn Iterator<Item = (usize, Value)>> = if name == "rindex" { Box::new(items.into_iter().enumerate().rev()) } else { Box::new(items.into_iter().enumerate()) };
            let mut found = Value::Nil;
            for (i, x) in iter {
                let hit = match &block {
                    Some(b) if args.is_empty() => it.call_block(b, vec![x])?.truthy(),
                    _ => it.equal(&x, &arg(args, 0), f)?,
                };
                if hit {
                    found = Value::Int(i as i64);
                    break;
                }
            }
            found
        }
        "delete" => {
            let target = arg(args, 0);
            let before = cell.borrow().len();
            cell.borrow_mut().retain(|x| !rb_eq(x, &target));
            if cell.borrow().len() < before { target } else { Value::Nil }
        }
        "delete_at" => {
            let i = norm_index(int_arg(it, &arg(args, 0))?, len);
            match i {
                Some(i) if i < len => cell.borrow_mut().remove(i),
                _ => Value::Nil,
            }
        }
        "delete_if" | "reject!" | "select!" | "keep_if" | "filter!" | "map!" | "collect!" | "uniq!" | "compact!" | "flatten!" | "sort!" | "sort_by!" | "reverse!" | "shuffle!" => {
            let base = match name {
                "delete_if" | "reject!" => "reject",
                "select!" | "keep_if" | "filter!" => "select",
                "map!" | "collect!" => "map",
                "uniq!" => "uniq",
                "compact!" => "compact",
                "flatten!" => "flatten",
                "sort!" => "sort",
                "sort_by!" => "sort_by",
                "reverse!" => "reverse",
                _ => return it.unsupported("Array#shuffle! (random order)"),
            };
            let r = call(it, recv, base, args, block, f)?.unwrap_or(Value::Nil);
            let new = match &r { Value::Array(a) => a.borrow().clone(), _ => vec![] };
            let changed = new.len() != len;
            *cell.borrow_mut() = new;
            if matches!(name, "uniq!" | "compact!" | "reject!" | "select!" | "filter!" | "flatten!") && !changed { Value::Nil } else { recv.clone() }
        }
        "clear" => {
            cell.borrow_mut().clear();
            recv.clone()
        }
        "replace" => {
            let v = it.to_list(&arg(args, 0))?;
            *cell.borrow_mut() = v;
            recv.clone()
        }
        "fill" => {
            let v = arg(args, 0);
            for x in cell.borrow_mut().iter_mut() {
                *x = v.clone();
            }
            recv.clone()
        }
        "values_at" => Value::array(args.iter().map(|a| match a {
            Value::Int(i) => norm_index(*i, len).and_then(|i| items.get(i).cloned()).unwrap_or(Value::Nil),
            _ => Value::Nil,
        }).collect()),
        "assoc" => items.iter().find(|x| matches!(x, Value::Array(a) if a.borrow().first().is_some_and(|k| rb_eq(k, &arg(args, 0))))).cloned().unwrap_or(Value::Nil),
        "transpose" => {
            let rows: Vec<Vec<Value>> = items.iter().map(|r| it.to_list(r)).collect::<R<_>>()?;
            let w = rows.first().map_or(0, |r| r.len());
            Value::array((0..w).map(|c| Value::array(rows.iter().map(|r| r.get(c).cloned().unwrap_or(Value::Nil)).collect())).collect())
        }
        "product" => {
            let mut acc: Vec<Vec<Value>> = items.iter().map(|x| vec![x.clone()]).collect();
            for a in args {
                let other = it.to_list(a)?;
                acc = acc.into_iter().flat_map(|p| other.iter().map(move |o| { let mut q = p.clone(); q.push(o.clone()); q })).collect();
            }
            Value::array(acc.into_iter().map(Value::array).collect())
        }
        "combination" => {
            let k = int_arg(it, &arg(args, 0))?.max(0) as usize;
            let mut out = Vec::new();
            combos(&items, k, 0, &mut Vec::new(), &mut out);
            let list = Value::array(out.into_iter().map(Value::array).collect());
            match block {
                Some(b) => {
                    for c in it.to_list(&list)? {
                        it.call_block(&b, vec![c])?;
                    }
                    recv.clone()
                }
                None => list,
            }
        }
        "each_slice" if block.is_none() => {
            let n = int_arg(it, &arg(args, 0))?.max(1) as usize;
            super::enumerator::make(it, Value::array(items.chunks(n).map(|c| Value::array(c.to_vec())).collect()), "each", vec![])
        }
        "pack" => {
            let fmt = super::str_arg(it, &arg(args, 0))?;
            match fmt.as_str() {
                "m" | "m0" => {
                    let s = format::to_s(&items.first().cloned().unwrap_or(Value::Nil));
                    super::super::stdlib::base64_encode(s.as_bytes(), fmt == "m")
                }
                "C*" | "U*" => Value::str(items.iter().filter_map(|v| match v { Value::Int(i) => char::from_u32(*i as u32), _ => None }).collect::<String>()),
                _ => return it.unsupported(&format!("Array#pack('{fmt}')")),
            }
        }
        "sample" | "shuffle" => return it.unsupported("random choices (Array#sample/shuffle): rendering must be deterministic"),
        "sum" if block.is_none() && items.iter().all(|x| matches!(x, Value::Float(_) | Value::Int(_))) && items.iter().any(|x| matches!(x, Value::Float(_))) => {
            // Kahan-Babuska summation, as Ruby does for floats
            let mut acc = match args.first() { Some(Value::Int(i)) => *i as f64, Some(Value::Float(x)) => *x, _ => 0.0 };
            let mut c = 0.0;
            for x in &items {
                let x = num(x);
                let t = acc + x;
                if acc.abs() >= x.abs() { c += (acc - t) + x; } else { c += (x - t) + acc; }
                acc = t;
            }
            Value::Float(acc + c)
        }
        "hash" => Value::Int(format::inspect(recv).len() as i64),
        "frozen?" => Value::Bool(false),
        _ => return enumerable(it, recv, items, name, args, block, f),
    };
    Ok(Some(v))
}

fn combos(
    items: &[Value],
    k: usize,
    start: usize,
    cur: &mut Vec<Value>,
    out: &mut Vec<Vec<Value>>,
) {
    if cur.len() == k {
        out.push(cur.clone());
        return;
    }
    for i in start..items.len() {
        cur.push(items[i].clone());
        combos(items, k, i + 1, cur, out);
        cur.pop();
    }
}

fn slice(it: &mut Interp, items: &[Value], args: &[Value]) -> R<Value> {
    let len = items.len();
    Ok(match (arg(args, 0), args.get(1)) {
        (Value::Int(i), None) => norm_index(i, len)
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Nil),
        (Value::Int(i), Some(n)) => {
            let n = int_arg(it, n)?;
            match norm_index(i, len) {
                Some(i) if i <= len && n >= 0 => {
                    Value::array(items[i..(i + n as usize).min(len)].to_vec())
                }
                _ => Value::Nil,
            }
        }
        (Value::Range(r), None) => {
            let a = match &r.0 {
                Value::Nil => 0,
                v => int_arg(it, v)?,
            };
            let b = match &r.1 {
                Value::Nil => -1,
                v => int_arg(it, v)?,
            };
            let a = if a < 0 { len as i64 + a } else { a };
            let mut b = if b < 0 { len as i64 + b } else { b };
            if r.2 && !r.1.is_nil() {
                b -= 1;
            }
            if a < 0 || a > len as i64 {
                Value::Nil
            } else {
                let end = (b + 1).clamp(a, len as i64);
                Value::array(items[a as usize..end as usize].to_vec())
            }
        }
        (Value::Float(x), None) => norm_index(x as i64, len)
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Nil),
        (other, _) => {
            return it.type_err(format!(
                "no implicit conversion of {} into Integer",
                other.class_name()
            ))
        }
    })
}

pub fn join(it: &mut Interp, items: &[Value], sep: &str, f: &Frame) -> R<String> {
    let mut out = String::new();
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        match x {
            Value::Array(a) => {
                let inner = a.borrow().clone();
                out.push_str(&join(it, &inner, sep, f)?);
            }
            other => out.push_str(&it.to_s(other, f)?),
        }
    }
    Ok(out)
}
