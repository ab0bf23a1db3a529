//! Array methods; the Enumerable ones live in `enumerable.rs`.

use super::super::format;
use super::super::interp::{Frame, Interp, R};
use super::super::value::{rb_eq, AsciiEnc, Value};
use super::super::MethodCall;
use super::binary::Joined;
use super::elements::{norm_index, pad, slice};
use super::enumerable::{cmp, enumerable};
use super::text::implicit_name;
use super::{arg, int_arg};

pub fn flatten(items: &[Value], depth: i64, out: &mut Vec<Value>) {
    for x in items {
        match x {
            Value::Array(a) if depth != 0 => {
                let inner = a.borrow().clone();
                let level = crate::value::level(crate::value::MAX_LEVELS, || {
                    flatten(&inner, depth - 1, out)
                });
                if level.is_none() {
                    return;
                }
            }
            o => out.push(o.clone()),
        }
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
    let Value::Array(cell) = recv else {
        return Ok(None);
    };
    // the commonest calls, answered in place: the methods below work on a copy of the
    // elements (their blocks may change the array), which would cost more than the answer
    match (name, args) {
        ("length" | "size", _) => return Ok(Some(Value::Int(cell.borrow().len() as i64))),
        ("empty?", _) => return Ok(Some(Value::Bool(cell.borrow().is_empty()))),
        ("to_a" | "to_ary" | "entries", _) => return Ok(Some(recv.clone())),
        ("[]" | "slice" | "at", [Value::Int(i)]) => {
            let a = cell.borrow();
            let v = norm_index(*i, a.len()).and_then(|i| a.get(i).cloned());
            return Ok(Some(v.unwrap_or(Value::Nil)));
        }
        // a loop that appends (`out << x`) or stores (`a[i] = x`) would pay the copy each
        // time: its length squared
        ("push" | "append" | "<<", _) => {
            cell.borrow_mut().extend(args.iter().cloned());
            return Ok(Some(recv.clone()));
        }
        ("concat", _) => {
            for a in args {
                let more = it.elements(a)?;
                cell.borrow_mut().extend(more);
            }
            return Ok(Some(recv.clone()));
        }
        // and a loop that takes from a queue (`while (x = q.shift)`)
        ("pop", []) => return Ok(Some(cell.borrow_mut().pop().unwrap_or(Value::Nil))),
        ("shift", []) => {
            let mut a = cell.borrow_mut();
            return Ok(Some(if a.is_empty() {
                Value::Nil
            } else {
                a.remove(0)
            }));
        }
        ("clear", _) => {
            cell.borrow_mut().clear();
            return Ok(Some(recv.clone()));
        }
        ("[]=", [Value::Int(i), v]) => {
            let mut a = cell.borrow_mut();
            let len = a.len();
            if let Some(slot) = norm_index(*i, len).and_then(|i| a.get_mut(i)) {
                *slot = v.clone();
                return Ok(Some(v.clone()));
            }
        }
        ("include?" | "member?", [x]) => {
            let found = cell.borrow().iter().any(|y| rb_eq(y, x));
            return Ok(Some(Value::Bool(found)));
        }
        ("first", []) => return Ok(Some(cell.borrow().first().cloned().unwrap_or(Value::Nil))),
        ("last", []) => return Ok(Some(cell.borrow().last().cloned().unwrap_or(Value::Nil))),
        _ => {}
    }
    let items = cell.borrow().clone();
    let len = items.len();
    let v = match name {
        "length" | "size" => Value::Int(len as i64),
        "empty?" => Value::Bool(items.is_empty()),
        "to_a" | "to_ary" | "entries" => recv.clone(),
        "[]" | "slice" => slice(it, &items, args)?,
        "[]=" => {
            let val = args.last().cloned().unwrap_or(Value::Nil);
            let raw = int_arg(it, &arg(args, 0))?;
            let Some(i) = norm_index(raw, len) else {
                return it.err("IndexError", format!("index {raw} too small for array; minimum: -{len}"));
            };
            let n = if args.len() == 3 { Some(int_arg(it, &args[1])?.max(0) as usize) } else { None };
            pad(it, cell, if n.is_some() { i } else { i.saturating_add(1) })?;
            let mut a = cell.borrow_mut();
            if let Some(n) = n {
                let end = i.saturating_add(n).min(a.len().max(i));
                let repl = match &val { Value::Array(r) => r.borrow().clone(), o => vec![o.clone()] };
                let stop = end.min(a.len());
                a.splice(i..stop, repl);
            } else {
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
                    Value::Hash(_) | Value::Array(_) | Value::Object(_) => {
                        it.call_method(cur.clone(), "[]", vec![a.clone()], None, f)?
                    }
                    other => {
                        return it.type_err(format!(
                            "{} does not have #dig method",
                            other.class_name()
                        ))
                    }
                };
            }
            cur
        }
        "fetch" => {
            let i = int_arg(it, &arg(args, 0))?;
            match norm_index(i, len).and_then(|i| items.get(i).cloned()) {
                Some(v) => v,
                None => match (&block, args.get(1)) {
                    (Some(b), _) => it.call_block1(b, Value::Int(i))?,
                    (None, Some(d)) => d.clone(),
                    _ => return it.err("IndexError", format!("index {i} outside of array bounds: {}...{}", -(len as i64), len)),
                },
            }
        }
        "first" | "last" => match args.first() {
            None => (if name == "first" { items.first() } else { items.last() }).cloned().unwrap_or(Value::Nil),
            Some(n) => {
                let n = int_arg(it, n)?;
                if n < 0 {
                    return it.arg_err("negative array size");
                }
                let n = (n as usize).min(len);
                Value::array(if name == "first" { items[..n].to_vec() } else { items[len - n..].to_vec() })
            }
        },
        "take" => Value::array(items.into_iter().take(int_arg(it, &arg(args, 0))?.max(0) as usize).collect()),
        "drop" => Value::array(items.into_iter().skip(int_arg(it, &arg(args, 0))?.max(0) as usize).collect()),
        // with a count: without one, answered above on the array itself
        "pop" | "shift" => {
            let mut a = cell.borrow_mut();
            let n = (int_arg(it, &arg(args, 0))?.max(0) as usize).min(a.len());
            let keep = a.len() - n;
            let taken: Vec<Value> = if name == "pop" { a.split_off(keep) } else { a.drain(..n).collect() };
            Value::array(taken)
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
            let a = cell.borrow();
            let pos = if i < 0 { (a.len() as i64 + i + 1).max(0) as usize } else { i as usize };
            drop(a);
            pad(it, cell, pos)?;
            let mut a = cell.borrow_mut();
            for (k, x) in args[1..].iter().enumerate() {
                a.insert(pos + k, x.clone());
            }
            drop(a);
            recv.clone()
        }
        "+" => match arg(args, 0) {
            Value::Array(o) => {
                let mut v = items;
                v.extend(o.borrow().iter().cloned());
                Value::array(v)
            }
            other => return it.type_err(format!("no implicit conversion of {} into Array", implicit_name(&other))),
        },
        "-" | "difference" => {
            let other = it.elements(&arg(args, 0))?;
            let keys: std::collections::HashSet<_> = other.iter().map(|v| v.hkey()).collect();
            Value::array(items.into_iter().filter(|x| !keys.contains(&x.hkey())).collect())
        }
        "intersect?" => {
            let other = it.elements(&arg(args, 0))?;
            let keys: std::collections::HashSet<_> = other.iter().map(|v| v.hkey()).collect();
            Value::Bool(items.iter().any(|x| keys.contains(&x.hkey())))
        }
        "&" | "intersection" => {
            let other = it.elements(&arg(args, 0))?;
            let keys: std::collections::HashSet<_> = other.iter().map(|v| v.hkey()).collect();
            let mut seen = std::collections::HashSet::new();
            Value::array(items.into_iter().filter(|x| keys.contains(&x.hkey()) && seen.insert(x.hkey())).collect())
        }
        "|" | "union" => {
            let mut all = items;
            for a in args {
                all.extend(it.elements(a)?);
            }
            let mut seen = std::collections::HashSet::new();
            Value::array(all.into_iter().filter(|x| seen.insert(x.hkey())).collect())
        }
        "*" => match arg(args, 0) {
            Value::Str(sep) => {
                let sep = sep.borrow().clone();
                join(it, &items, &sep, f)?
            }
            n => {
                let n = int_arg(it, &n)?;
                if n < 0 {
                    return it.arg_err("negative argument");
                }
                let r = it.budget.len((items.len() as i64).saturating_mul(n));
                it.spend(r)?;
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
            join(it, &items, &sep, f)?
        }
        "shelljoin" => {
            let mut words = Vec::with_capacity(items.len());
            for v in &items {
                words.push(super::super::stdlib::shellescape(&it.str_of(v, f)?));
            }
            Value::str(words.join(" "))
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
        "index" | "find_index" | "rindex" if args.is_empty() && block.is_none() => {
            super::enumerator::make(it, recv.clone(), name, Vec::new())
        }
        "index" | "find_index" | "rindex" => {
            let iter: Box<dyn Iterator<Item = (usize, Value)>> = if name == "rindex" { Box::new(items.into_iter().enumerate().rev()) } else { Box::new(items.into_iter().enumerate()) };
            let mut found = Value::Nil;
            for (i, x) in iter {
                let hit = match &block {
                    Some(b) if args.is_empty() => it.call_block1(b, x)?.truthy(),
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
            let takes_block = matches!(
                name,
                "delete_if" | "reject!" | "select!" | "keep_if" | "filter!" | "map!" | "collect!" | "sort_by!"
            );
            if takes_block && block.is_none() {
                // `a.collect!.with_index { ... }`: an enumerator over the bang method
                return Ok(Some(super::enumerator::make(it, recv.clone(), name, args.to_vec())));
            }
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
                _ => "shuffle",
            };
            let r = call(it, &c.named(base))?.unwrap_or(Value::Nil);
            let new = match &r { Value::Array(a) => a.borrow().clone(), _ => vec![] };
            let changed = new.len() != len;
            *cell.borrow_mut() = new;
            if matches!(name, "uniq!" | "compact!" | "reject!" | "select!" | "filter!" | "flatten!") && !changed { Value::Nil } else { recv.clone() }
        }
        "replace" => {
            let v = it.elements(&arg(args, 0))?;
            *cell.borrow_mut() = v;
            recv.clone()
        }
        "fill" => {
            super::elements::fill(it, cell, args, block.as_ref())?;
            recv.clone()
        }
        "values_at" => super::elements::values_at(it, &items, args)?,
        "slice!" => super::elements::slice_bang(it, cell, args)?,
        "assoc" => items.iter().find(|x| matches!(x, Value::Array(a) if a.borrow().first().is_some_and(|k| rb_eq(k, &arg(args, 0))))).cloned().unwrap_or(Value::Nil),
        "transpose" => {
            // rows are arrays (no implicit conversion of anything else), all as long as the first
            let mut rows: Vec<Vec<Value>> = Vec::with_capacity(items.len());
            for r in &items {
                let Value::Array(r) = r else { return it.type_err(format!("no implicit conversion of {} into Array", implicit_name(r))) };
                if let Some(w) = rows.first().map(Vec::len).filter(|w| *w != r.borrow().len()) {
                    return it.err("IndexError", format!("element size differs ({} should be {w})", r.borrow().len()));
                }
                rows.push(r.borrow().clone());
            }
            let w = rows.first().map_or(0, |r| r.len());
            Value::array((0..w).map(|c| Value::array(rows.iter().map(|r| r[c].clone()).collect())).collect())
        }
        "product" | "combination" | "permutation" | "repeated_combination"
        | "repeated_permutation" => {
            return super::combinatorics::call(it, recv, name, &items, args, block)
        }
        "each_slice" if block.is_none() => {
            super::enumerable::slice_size(it, name, &arg(args, 0))?;
            super::enumerator::make(it, recv.clone(), name, args.to_vec())
        }
        "pack" => {
            let fmt = super::str_arg(it, &arg(args, 0))?;
            super::pack::pack(it, &items, &fmt)?
        }
        "sample" | "shuffle" => {
            return crate::stdlib::random::choice(it, name, &items, args).map(Some)
        }
        "hash" => Value::Int(format::inspect(recv).len() as i64),
        "frozen?" => Value::Bool(false),
        _ => return enumerable(it, c, items),
    };
    Ok(Some(v))
}

/// The joined string: binary when a binary string past ASCII is among the items.
pub fn join(it: &mut Interp, items: &[Value], sep: &str, f: &Frame) -> R<Value> {
    let mut out = Joined::default();
    join_into(it, items, sep, f, &mut out, &mut Vec::new())?;
    let v = out.into_value();
    // Ruby's result takes the first string's encoding (while it stays ASCII)
    if let (Some(Value::Str(first)), Value::Str(s)) = (items.first(), &v) {
        let e = first.ascii_enc();
        if e != AsciiEnc::Utf8 {
            s.set_ascii_enc(e);
        }
    }
    Ok(v)
}

/// Joins nested arrays too; the length budget is checked as the text grows, and an array
/// inside itself (`open` holds the arrays being joined) is Ruby's ArgumentError.
fn join_into(
    it: &mut Interp,
    items: &[Value],
    sep: &str,
    f: &Frame,
    out: &mut Joined,
    open: &mut Vec<usize>,
) -> R<()> {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.text(it, sep)?;
        }
        match x {
            Value::Array(a) => {
                let id = std::rc::Rc::as_ptr(a) as usize;
                if open.contains(&id) {
                    return it.arg_err("recursive array join");
                }
                let inner = a.borrow().clone();
                open.push(id);
                stacker::maybe_grow(64 << 10, 1 << 20, || {
                    join_into(it, &inner, sep, f, out, open)
                })?;
                open.pop();
            }
            Value::Str(s) if s.is_binary() => out.binary(it, &s.borrow())?,
            other => {
                let s = it.str_of(other, f)?;
                out.text(it, &s)?
            }
        }
        let r = it.budget.len(out.text.len() as i64);
        it.spend(r)?;
    }
    Ok(())
}
