//! Enumerable: the block methods every collection shares (`map`, `select`, `inject`,
//! `group_by`, `each_slice`...), over the elements a receiver passes in; the ordering
//! methods are in `ordering.rs`, Ruby's comparison and addition in `compare.rs`.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{rb_eq, ObjKind, RHash, Value};
use super::super::MethodCall;
pub use super::compare::{add, cmp, num, sort_values};
use super::{arg, int_arg};

/// The most elements `cycle` yields, as `loop` runs at most so many times.
pub(super) const CYCLE_MAX: u64 = 10_000_000;

/// The error of a `cycle` past [`CYCLE_MAX`].
pub(super) fn cycle_too_long<T>(it: &Interp) -> R<T> {
    it.err("RuntimeError", "cycle ran more than 10,000,000 times")
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
/// A key and value from one element of `to_h`: an array of two, or Ruby's error naming the
/// element's place (`at` is None for `Hash#to_h`'s block, whose errors name none).
pub(super) fn hash_pair(it: &Interp, pair: &Value, at: Option<usize>) -> R<(Value, Value)> {
    let place = at.map(|i| format!(" at {i}")).unwrap_or_default();
    match pair {
        Value::Array(p) if p.borrow().len() == 2 => {
            let p = p.borrow();
            Ok((p[0].clone(), p[1].clone()))
        }
        Value::Array(p) => {
            let n = p.borrow().len();
            it.arg_err(match at {
                Some(_) => format!("wrong array length{place} (expected 2, was {n})"),
                None => format!("element has wrong array length (expected 2, was {n})"),
            })
        }
        other => it.type_err(format!(
            "wrong element type {}{place} (expected array)",
            other.class_name()
        )),
    }
}

pub fn enumerable(it: &mut Interp, c: &MethodCall, items: Vec<Value>) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    let block = c.block.clone();
    let v = match name {
        "each" | "each_entry" => {
            if let Some(e) = block_or_enum(it, recv, name, args, &block) {
                return Ok(Some(e));
            }
            let b = block.unwrap();
            for x in items {
                it.call_block1(&b, x)?;
            }
            recv.clone()
        }
        "each_with_index" | "each_with_object" | "map" | "collect" | "flat_map"
        | "collect_concat" | "select" | "filter" | "reject" | "find" | "detect" | "find_index"
        | "sort_by" | "min_by" | "max_by" | "group_by" | "partition" | "filter_map"
        | "each_slice" | "each_cons" | "find_all" | "sum" | "count" | "any?" | "all?" | "none?"
        | "one?" | "uniq" | "chunk" | "chunk_while" | "slice_when" | "reverse_each" | "to_h"
        | "zip" | "inject" | "reduce" | "min" | "max" | "minmax" | "minmax_by" | "tally"
        | "cycle" | "take_while" | "drop_while" | "each_index" | "grep" | "grep_v" | "sort"
        | "to_a" | "entries" | "first" | "include?" | "member?" | "to_set" | "lazy"
        | "with_index" | "each_pair" | "bsearch" | "bsearch_index" => {
            return enumerable2(it, c, items)
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn truthy_block(it: &mut Interp, b: &Option<Value>, x: &Value) -> R<bool> {
    match b {
        Some(b) => Ok(it.call_block1(b, x.clone())?.truthy()),
        None => Ok(x.truthy()),
    }
}

fn enumerable2(it: &mut Interp, c: &MethodCall, items: Vec<Value>) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
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
            | "each_with_object"
            | "take_while"
            | "drop_while"
    ) || (matches!(name, "each_slice" | "each_cons") && block.is_none())
        || (matches!(name, "find" | "detect") && block.is_none());
    if name == "each_index" && block.is_none() {
        let idx = (0..items.len() as i64).map(Value::Int).collect();
        return Ok(Some(super::enumerator::make(
            it,
            Value::array(idx),
            "each",
            vec![],
        )));
    }
    if needs_block && block.is_none() && (name != "find_index" || args.is_empty()) {
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
                it.call_block1(&b, Value::Int(i as i64))?;
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
                it.call_block1(&b, x)?;
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
                out.push(it.call_block1(&b, x)?);
            }
            Value::array(out)
        }
        "flat_map" | "collect_concat" => {
            let b = block.unwrap();
            let mut out = Vec::new();
            for x in items {
                match it.call_block1(&b, x)? {
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
                let r = it.call_block1(&b, x)?;
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
                // a pattern is matched with `===`, as `case` matches it
                let t = match args.first() {
                    Some(pat) => it.case_eq(pat, Some(x), c.f)?,
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
            let start = args.first().cloned().unwrap_or(Value::Int(0));
            let mut sum = match recv {
                Value::Array(_) => super::sum::Sum::array(start),
                _ => super::sum::Sum::enumerable(start),
            };
            for x in items {
                let x = match &block {
                    Some(b) => it.call_block1(b, x)?,
                    None => x,
                };
                sum.add(it, x, f)?;
            }
            sum.finish(it, f)?
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
                                it.call_method(a, op, vec![x], None, f)?
                            }
                        }
                        (None, Some(b)) => it.call_block(b, vec![a, x])?,
                        _ => a,
                    },
                });
            }
            acc.unwrap_or(Value::Nil)
        }
        "sort" | "sort_by" | "min_by" | "max_by" | "min" | "max" | "minmax_by" | "minmax"
        | "bsearch" | "bsearch_index" => return super::ordering::ordering(it, c, items),
        "group_by" | "index_by" => {
            let b = block.unwrap();
            let mut h = RHash::new();
            for x in items {
                let k = it.call_block1(&b, x.clone())?;
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
                    Some(b) => it.call_block1(b, x.clone())?,
                    None => x.clone(),
                };
                if seen.insert(k.hkey()) {
                    out.push(x);
                }
            }
            Value::array(out)
        }
        "each_slice" | "each_cons" => {
            let n = slice_size(it, name, &arg(args, 0))?;
            let groups: Vec<Value> = if name == "each_slice" {
                items.chunks(n).map(|c| Value::array(c.to_vec())).collect()
            } else {
                items.windows(n).map(|c| Value::array(c.to_vec())).collect()
            };
            let b = block.unwrap();
            for g in groups {
                it.call_block1(&b, g)?;
            }
            if name == "each_slice" {
                Value::Nil
            } else {
                recv.clone()
            }
        }
        "chunk" | "chunk_while" | "slice_when" => super::runs::runs(it, name, block, items)?,
        "to_h" => {
            let mut h = RHash::new();
            for (i, x) in items.into_iter().enumerate() {
                let pair = match &block {
                    Some(b) => it.call_block1(b, x)?,
                    None => x,
                };
                let (k, v) = hash_pair(it, &pair, Some(i))?;
                h.insert(k, v);
            }
            Value::hash(h)
        }
        "zip" => {
            // a value `elements` cannot walk has no `each`: refused before any is read, as
            // Ruby refuses it; an OpenStruct answers any name, `each` with nil, so gives none
            let walkable = |a: &Value| match a {
                Value::Array(_) | Value::Hash(_) | Value::Range(_) => true,
                Value::Object(o) => {
                    matches!(o.kind, ObjKind::Enumerator(..) | ObjKind::OStruct(..))
                }
                _ => false,
            };
            if let Some(a) = args.iter().find(|a| !walkable(a)) {
                return it.type_err(format!(
                    "wrong argument type {} (must respond to :each)",
                    a.class_name()
                ));
            }
            let others: Vec<Vec<Value>> = args
                .iter()
                .map(|a| match a {
                    Value::Object(o) if matches!(o.kind, ObjKind::OStruct(..)) => Ok(Vec::new()),
                    _ => it.elements(a),
                })
                .collect::<R<_>>()?;
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
                        it.call_block1(&b, r)?;
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
                let m = it.case_eq(&pat, Some(&x), c.f)?;
                if m == (name == "grep") {
                    out.push(match &block {
                        Some(b) => it.call_block1(b, x)?,
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
        "cycle" => {
            if let Some(e) = block_or_enum(it, recv, name, args, &block) {
                return Ok(Some(e));
            }
            let b = block.unwrap();
            let times = match args.first() {
                None | Some(Value::Nil) => None,
                Some(n) => Some(int_arg(it, n)?),
            };
            if times.is_some_and(|n| n <= 0) {
                return Ok(Some(Value::Nil));
            }
            // forever unless a count, or a `break`, ends it; as `loop`, bounded
            let mut yielded = 0u64;
            let mut round = 0;
            while !items.is_empty() && times.is_none_or(|n| round < n) {
                for x in &items {
                    // a step each, as an empty block evaluates nothing
                    let r = it.budget.step();
                    it.spend(r)?;
                    it.call_block1(&b, x.clone())?;
                    yielded += 1;
                    if yielded > CYCLE_MAX {
                        return cycle_too_long(it);
                    }
                }
                round += 1;
            }
            Value::Nil
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The size `each_slice(n)` / `each_cons(n)` groups by: Ruby refuses one below 1 when the
/// call is made, with or without a block.
pub fn slice_size(it: &mut Interp, name: &str, n: &Value) -> R<usize> {
    let n = int_arg(it, n)?;
    if n <= 0 {
        return it.arg_err(if name == "each_slice" {
            "invalid slice size"
        } else {
            "invalid size"
        });
    }
    Ok(n as usize)
}
