//! Hash methods. Blocks get `|key, value|` (a two-element array, auto-splatted), and
//! filtering methods return hashes, as Ruby's do.

use std::cell::RefCell;

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{rb_eq, RHash, Value};
use super::super::MethodCall;
use super::{arg, enumerable, int_arg};

fn pair(k: &Value, v: &Value) -> Value {
    Value::array(vec![k.clone(), v.clone()])
}

pub fn lookup(it: &mut Interp, recv: &Value, k: &Value) -> R<Value> {
    let Value::Hash(h) = recv else {
        return Ok(Value::Nil);
    };
    let (found, default, proc_) = {
        let hb = h.borrow();
        (
            hb.get(k).cloned(),
            hb.default.clone(),
            hb.default_proc.clone(),
        )
    };
    match found {
        Some(v) => Ok(v),
        None => match proc_ {
            Some(p) => it.call_block(&p, vec![recv.clone(), k.clone()]),
            None => Ok(default),
        },
    }
}

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let Value::Hash(cell) = recv else {
        return Ok(None);
    };
    // a copy of the pairs for the methods that iterate (their blocks may change the hash);
    // lookups, stores and sizes, most calls a template makes, need none
    let pairs = if matches!(
        name,
        "[]" | "[]="
            | "store"
            | "fetch"
            | "dig"
            | "key?"
            | "has_key?"
            | "include?"
            | "member?"
            | "length"
            | "size"
            | "empty?"
            | "to_hash"
            | "default"
            | "=="
            | "eql?"
            | "to_s"
            | "inspect"
            | "nil?"
            | "is_a?"
            | "kind_of?"
            | "respond_to?"
            | "class"
            | "merge"
            | "merge!"
            | "update"
            | "delete"
            | "clear"
            | "replace"
    ) {
        Vec::new()
    } else {
        cell.borrow().pairs()
    };
    let v = match name {
        "[]" => lookup(it, recv, &arg(args, 0))?,
        "[]=" | "store" => {
            let (k, v) = (arg(args, 0), arg(args, 1));
            cell.borrow_mut().insert(k, v.clone());
            v
        }
        "fetch" => {
            let k = arg(args, 0);
            let found = cell.borrow().get(&k).cloned();
            match found {
                Some(v) => v,
                None => match (&block, args.get(1)) {
                    (Some(b), _) => it.call_block1(b, k)?,
                    (None, Some(d)) => d.clone(),
                    _ => {
                        return it.err_with(
                            "KeyError",
                            format!("key not found: {}", format::inspect(&k)),
                            &[("key", k.clone()), ("receiver", recv.clone())],
                        )
                    }
                },
            }
        }
        "dig" => {
            let mut cur = recv.clone();
            for a in args {
                cur = match &cur {
                    Value::Nil => return Ok(Some(Value::Nil)),
                    Value::Hash(_) | Value::Array(_) | Value::Object(_) => {
                        it.call_method(cur.clone(), "[]", vec![a.clone()], None, f)?
                    }
                    other => {
                        return it
                            .type_err(format!("{} does not have #dig method", other.class_name()))
                    }
                };
            }
            cur
        }
        "key?" | "has_key?" | "include?" | "member?" => {
            Value::Bool(cell.borrow().get(&arg(args, 0)).is_some())
        }
        "value?" | "has_value?" => Value::Bool(pairs.iter().any(|(_, v)| rb_eq(v, &arg(args, 0)))),
        "key" => pairs
            .iter()
            .find(|(_, v)| rb_eq(v, &arg(args, 0)))
            .map(|(k, _)| k.clone())
            .unwrap_or(Value::Nil),
        "keys" => Value::array(pairs.into_iter().map(|(k, _)| k).collect()),
        "values" => Value::array(pairs.into_iter().map(|(_, v)| v).collect()),
        "values_at" => {
            let mut out = Vec::new();
            for a in args {
                out.push(lookup(it, recv, a)?);
            }
            Value::array(out)
        }
        "fetch_values" => {
            let mut out = Vec::new();
            for a in args {
                match cell.borrow().get(a) {
                    Some(v) => out.push(v.clone()),
                    None => {
                        return it.err_with(
                            "KeyError",
                            format!("key not found: {}", format::inspect(a)),
                            &[("key", a.clone()), ("receiver", recv.clone())],
                        )
                    }
                }
            }
            Value::array(out)
        }
        "length" | "size" => Value::Int(cell.borrow().len() as i64),
        "count" if args.is_empty() && block.is_none() => Value::Int(pairs.len() as i64),
        "empty?" => Value::Bool(cell.borrow().is_empty()),
        "to_h" if block.is_none() => recv.clone(),
        "to_hash" => recv.clone(),
        "to_a" | "entries" => Value::array(pairs.iter().map(|(k, v)| pair(k, v)).collect()),
        // one level by default: `{a: [1]}.flatten` is `[:a, [1]]`
        // one level by default: `{a: [1]}.flatten` is `[:a, [1]]`; a depth flattens the
        // pairs' values by one level less
        "flatten" => {
            let flat = Value::array(
                pairs
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), v.clone()])
                    .collect(),
            );
            match args.first().map(|d| int_arg(it, d)).transpose()? {
                Some(d) if d > 1 => {
                    let depth = [Value::Int(d - 1)];
                    let call = MethodCall {
                        args: &depth,
                        ..c.on(&flat)
                    };
                    super::array::call(it, &call)?.unwrap_or(flat)
                }
                _ => flat,
            }
        }
        "each" | "each_pair" => {
            let Some(b) = block else {
                return Ok(Some(super::enumerator::make(
                    it,
                    recv.clone(),
                    name,
                    vec![],
                )));
            };
            for (k, v) in pairs {
                it.call_block(&b, vec![pair(&k, &v)])?;
            }
            recv.clone()
        }
        "each_key" | "each_value" => {
            let Some(b) = block else { return Ok(None) };
            for (k, v) in pairs {
                it.call_block1(&b, if name == "each_key" { k } else { v })?;
            }
            recv.clone()
        }
        "select" | "filter" | "reject" | "filter_map_hash" => {
            let Some(b) = block else {
                return Ok(Some(super::enumerator::make(
                    it,
                    recv.clone(),
                    name,
                    vec![],
                )));
            };
            let keep = name != "reject";
            let mut h = RHash::new();
            for (k, v) in pairs {
                if it.call_block(&b, vec![pair(&k, &v)])?.truthy() == keep {
                    h.insert(k, v);
                }
            }
            Value::hash(h)
        }
        "select!" | "keep_if" | "reject!" | "delete_if" | "filter!" => {
            let Some(b) = block else { return Ok(None) };
            let keep = matches!(name, "select!" | "keep_if" | "filter!");
            let mut h = RHash::new();
            for (k, v) in &pairs {
                if it.call_block(&b, vec![pair(k, v)])?.truthy() == keep {
                    h.insert(k.clone(), v.clone());
                }
            }
            let changed = h.len() != pairs.len();
            cell.borrow_mut().map = std::mem::take(&mut h.map);
            if !changed && matches!(name, "select!" | "reject!" | "filter!") {
                Value::Nil
            } else {
                recv.clone()
            }
        }
        "merge!" | "update" => {
            merge_into(it, cell, args, &block)?;
            recv.clone()
        }
        "merge" => {
            // a copy keeps the default and the default proc, as `dup` does
            let copy = Value::hash(cell.borrow().clone());
            if let Value::Hash(h) = &copy {
                merge_into(it, h, args, &block)?;
            }
            copy
        }
        "recursive_merge" => {
            let Value::Hash(o) = arg(args, 0) else {
                return it.type_err("no implicit conversion into Hash");
            };
            let mut h = cell.borrow().clone();
            for (k, v) in o.borrow().pairs() {
                let nv = match (h.get(&k).cloned(), &v) {
                    (Some(old @ Value::Hash(_)), Value::Hash(_)) => {
                        let c = MethodCall {
                            recv: &old,
                            name: "recursive_merge",
                            args: std::slice::from_ref(&v),
                            block: None,
                            f,
                        };
                        call(it, &c)?.unwrap()
                    }
                    _ => v,
                };
                h.insert(k, nv);
            }
            h.default = Value::Nil;
            h.default_proc = None;
            Value::hash(h)
        }
        "delete" => {
            let k = arg(args, 0);
            let r = cell.borrow_mut().remove(&k);
            match (r, &block) {
                (Some(v), _) => v,
                (None, Some(b)) => it.call_block1(b, k)?,
                (None, None) => Value::Nil,
            }
        }
        "clear" => {
            cell.borrow_mut().map.clear();
            recv.clone()
        }
        "replace" => {
            if let Value::Hash(o) = arg(args, 0) {
                let m = o.borrow().map.clone();
                cell.borrow_mut().map = m;
            }
            recv.clone()
        }
        "transform_values" | "transform_keys" => {
            let mut h = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                let (nk, nv) = if name == "transform_values" {
                    let Some(b) = &block else { return Ok(None) };
                    (k, it.call_block1(b, v)?)
                } else {
                    let nk = match (&block, args.first()) {
                        (_, Some(Value::Hash(m))) => {
                            m.borrow().get(&k).cloned().unwrap_or(k.clone())
                        }
                        (Some(b), _) => it.call_block1(b, k)?,
                        _ => return Ok(None),
                    };
                    (nk, v)
                };
                h.insert(nk, nv);
            }
            Value::hash(h)
        }
        "transform_values!" | "transform_keys!" => {
            let r = call(it, &c.named(&name[..name.len() - 1]))?.unwrap_or(Value::Nil);
            if let Value::Hash(n) = r {
                let m = n.borrow().map.clone();
                cell.borrow_mut().map = m;
            }
            recv.clone()
        }
        "invert" => {
            let mut h = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                h.insert(v, k);
            }
            Value::hash(h)
        }
        "slice" => {
            let mut h = RHash::new();
            for a in args {
                if let Some(v) = cell.borrow().get(a) {
                    h.insert(a.clone(), v.clone());
                }
            }
            Value::hash(h)
        }
        "except" => {
            let mut h = cell.borrow().clone();
            for a in args {
                h.remove(a);
            }
            Value::hash(h)
        }
        "compact" => {
            let mut h = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                if !v.is_nil() {
                    h.insert(k, v);
                }
            }
            Value::hash(h)
        }
        "to_h" => {
            let b = block.unwrap();
            let mut h = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                let r = it.call_block(&b, vec![pair(&k, &v)])?;
                let (k, v) = enumerable::hash_pair(it, &r, None)?;
                h.insert(k, v);
            }
            Value::hash(h)
        }
        "sort" => {
            let mut items: Vec<Value> = pairs.iter().map(|(k, v)| pair(k, v)).collect();
            enumerable::sort_values(it, &mut items, block.as_ref(), f)?;
            Value::array(items)
        }
        "default" => cell.borrow().default.clone(),
        "default=" => {
            cell.borrow_mut().default = arg(args, 0);
            arg(args, 0)
        }
        "compare_by_identity" => recv.clone(),
        "first" => {
            let items: Vec<Value> = pairs.iter().map(|(k, v)| pair(k, v)).collect();
            match args.first() {
                None => items.into_iter().next().unwrap_or(Value::Nil),
                Some(n) => Value::array(
                    items
                        .into_iter()
                        .take(super::int_arg(it, n)?.max(0) as usize)
                        .collect(),
                ),
            }
        }
        "==" | "eql?" => Value::Bool(rb_eq(recv, &arg(args, 0))),
        // subsets: every pair of the smaller in the larger, values equal by `==`
        "<=" | "<" | ">=" | ">" if args.len() == 1 => {
            let Value::Hash(o) = &args[0] else {
                let of = super::text::implicit_name(&args[0]);
                return it.type_err(format!("no implicit conversion of {of} into Hash"));
            };
            let (small, large) = if name.starts_with('<') {
                (&**cell, &**o)
            } else {
                (&**o, &**cell)
            };
            let (small, large) = (small.borrow(), large.borrow());
            let strict = !name.ends_with('=');
            Value::Bool(
                small.len() <= large.len()
                    && !(strict && small.len() == large.len())
                    && small
                        .pairs()
                        .iter()
                        .all(|(k, v)| large.get(k).is_some_and(|w| rb_eq(v, w))),
            )
        }
        "to_s" | "inspect" => Value::str(it.inspect(recv, f)?),
        "any?" if args.is_empty() => {
            let Some(b) = block else {
                return Ok(Some(Value::Bool(!pairs.is_empty())));
            };
            for (k, v) in pairs {
                if it.call_block(&b, vec![pair(&k, &v)])?.truthy() {
                    return Ok(Some(Value::Bool(true)));
                }
            }
            Value::Bool(false)
        }
        "include_value?" => Value::Bool(pairs.iter().any(|(_, v)| rb_eq(v, &arg(args, 0)))),
        "hash" => Value::Int(format::inspect(recv).len() as i64),
        "to_openstruct" => {
            let cls = it.classes.get("OpenStruct").unwrap();
            super::ostruct::to_ostruct(recv, false, &cls)
        }
        "reverse_each" => {
            let Some(b) = &block else {
                return Ok(Some(super::enumerator::make(
                    it,
                    recv.clone(),
                    name,
                    Vec::new(),
                )));
            };
            for (k, v) in pairs.iter().rev() {
                it.call_block1(b, pair(k, v))?;
            }
            recv.clone()
        }
        "sum" | "min_by" | "max_by" | "sort_by" | "group_by" | "partition" | "find" | "detect"
        | "map" | "collect" | "flat_map" | "each_with_index" | "each_with_object" | "inject"
        | "reduce" | "count" | "all?" | "none?" | "filter_map" | "find_all" | "each_slice"
        | "zip" | "min" | "max" | "uniq" | "tally" | "one?" | "take" | "drop" | "sum_by"
        | "find_index" | "to_set" | "lazy" | "grep" | "cycle" | "any?" | "take_while"
        | "drop_while" | "each_cons" | "grep_v" | "minmax" | "minmax_by" | "chunk_while"
        | "slice_when" | "chunk" | "collect_concat" | "each_entry" => {
            let items: Vec<Value> = pairs.iter().map(|(k, v)| pair(k, v)).collect();
            match name {
                "take" | "drop" => {
                    let n = super::int_arg(it, &arg(args, 0))?.max(0) as usize;
                    Value::array(if name == "take" {
                        items.into_iter().take(n).collect()
                    } else {
                        items.into_iter().skip(n).collect()
                    })
                }
                _ => return enumerable::enumerable(it, c, items),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `merge!`: in place, pair by pair, as Ruby merges (a copy of the receiver for each call
/// would make a hash built with `merge!` in a loop cost its size squared); `block` decides
/// between the old and the new value of a key both have.
fn merge_into(
    it: &mut Interp,
    cell: &RefCell<RHash>,
    args: &[Value],
    block: &Option<Value>,
) -> R<()> {
    for a in args {
        let Value::Hash(o) = a else {
            return it.type_err(format!(
                "no implicit conversion of {} into Hash",
                a.class_name()
            ));
        };
        let more = o.borrow().pairs();
        for (k, v) in more {
            let old = match block {
                Some(_) => cell.borrow().get(&k).cloned(),
                None => None,
            };
            let v = match (block, old) {
                (Some(b), Some(old)) => it.call_block(b, vec![k.clone(), old, v])?,
                _ => v,
            };
            cell.borrow_mut().insert(k, v);
        }
    }
    Ok(())
}
