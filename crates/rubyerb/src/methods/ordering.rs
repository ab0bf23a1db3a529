//! The ordering methods of Enumerable: `sort`, `sort_by`, `min`/`max` (with a count or a
//! block), `min_by`/`max_by`, `minmax` and `minmax_by`, with Ruby's tie rules (`max_by`
//! keeps the first maximal element) and its comparison errors.

use std::cmp::Ordering;

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::compare::{cmp, cmp_with, sort_values};
use super::int_arg;

/// `None` for a method it does not answer (`minmax_by` without a block).
pub fn ordering(it: &mut Interp, c: &MethodCall, items: Vec<Value>) -> R<Option<Value>> {
    let MethodCall { name, args, f, .. } = *c;
    let block = c.block.clone();
    let v = match name {
        "bsearch" | "bsearch_index" => match block {
            Some(b) => match bsearch(it, &b, &items)? {
                Some(i) if name == "bsearch" => items[i].clone(),
                Some(i) => Value::Int(i as i64),
                None => Value::Nil,
            },
            None => return Ok(None),
        },
        "sort" => {
            let mut v = items;
            sort_values(it, &mut v, block.as_ref(), f)?;
            Value::array(v)
        }
        "sort_by" | "min_by" | "max_by" => {
            let b = block.unwrap();
            let mut keyed = Vec::with_capacity(items.len());
            for x in items {
                let k = it.call_block1(&b, x.clone())?;
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
            // `min_by(n)` / `max_by(n)`: the n smallest / largest, in that order
            if let (Some(Value::Int(n)), "min_by" | "max_by") = (args.first(), name) {
                let n = (*n).max(0) as usize;
                return Ok(Some(Value::array(if name == "min_by" {
                    sorted.into_iter().take(n).collect()
                } else {
                    sorted.into_iter().rev().take(n).collect()
                })));
            }
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
            let want = if name == "min" {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            let array = matches!(c.recv, Value::Array(_));
            best(it, block.as_ref(), array, items, want, f)?
        }
        "minmax_by" if block.is_some() => {
            let lo = ordering(it, &c.named("min_by"), items.clone())?;
            let hi = ordering(it, &c.named("max_by"), items)?;
            Value::array(vec![lo.unwrap_or(Value::Nil), hi.unwrap_or(Value::Nil)])
        }
        // an array without a block: its `min`, then its `max` (each comparison as they make
        // it); any other, or with a block: Enumerable's walk by pairs
        "minmax" if block.is_none() && matches!(c.recv, Value::Array(_)) => {
            let lo = best(it, None, true, items.clone(), Ordering::Less, f)?;
            let hi = best(it, None, true, items, Ordering::Greater, f)?;
            Value::array(vec![lo, hi])
        }
        "minmax" => {
            let (lo, hi) = by_pairs(it, block.as_ref(), items, f)?;
            Value::array(vec![lo, hi])
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The first element that no later one compares `want` to (`Less` for `min`): each
/// element is compared with the best so far, as Ruby compares them (`array`: Array's own
/// `min`/`max`, not Enumerable's).
fn best(
    it: &mut Interp,
    block: Option<&Value>,
    array: bool,
    items: Vec<Value>,
    want: Ordering,
    f: &super::super::interp::Frame,
) -> R<Value> {
    let mut items = items.into_iter();
    let Some(mut best) = items.next() else {
        return Ok(Value::Nil);
    };
    for x in items {
        // with a block, the element is asked against the best so far; without one, an
        // array asks the best so far against the element (a failure names them in that
        // order)
        let better = match (block, array) {
            (None, true) => cmp(it, &best, &x, f)? == want.reverse(),
            _ => cmp_with(it, block, &x, &best, f)? == want,
        };
        if better {
            best = x;
        }
    }
    Ok(best)
}

/// Enumerable's `minmax`: the elements taken two at a time, the smaller of each pair
/// compared with the least so far and the larger with the greatest (ties keep the earlier
/// element), and a last odd one compared with both. Which elements meet decides which
/// comparisons can fail.
fn by_pairs(
    it: &mut Interp,
    block: Option<&Value>,
    items: Vec<Value>,
    f: &super::super::interp::Frame,
) -> R<(Value, Value)> {
    let mut range: Option<(Value, Value)> = None;
    let mut update = |it: &mut Interp, lo: Value, hi: Value| -> R<()> {
        match &mut range {
            None => range = Some((lo, hi)),
            Some((min, max)) => {
                if cmp_with(it, block, &lo, min, f)? == Ordering::Less {
                    *min = lo;
                }
                if cmp_with(it, block, &hi, max, f)? == Ordering::Greater {
                    *max = hi;
                }
            }
        }
        Ok(())
    };
    let mut items = items.into_iter();
    loop {
        let Some(first) = items.next() else { break };
        let Some(second) = items.next() else {
            update(it, first.clone(), first)?;
            break;
        };
        let (lo, hi) = match cmp_with(it, block, &first, &second, f)? {
            Ordering::Equal => (first.clone(), first),
            Ordering::Greater => (second, first),
            Ordering::Less => (first, second),
        };
        update(it, lo, hi)?;
    }
    Ok(range.unwrap_or((Value::Nil, Value::Nil)))
}

/// Ruby's binary search over sorted `items`: a block answering true/false (or nil) finds
/// the first element it is true for; one answering a number finds an element it is 0 for,
/// going left on a negative answer.
fn bsearch(it: &mut Interp, b: &Value, items: &[Value]) -> R<Option<usize>> {
    let (mut lo, mut hi, mut found) = (0, items.len(), None);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let sign = match it.call_block(b, vec![items[mid].clone()])? {
            Value::Bool(true) => {
                found = Some(mid);
                hi = mid;
                continue;
            }
            Value::Bool(false) | Value::Nil => 1,
            Value::Int(n) => n.signum(),
            Value::Big(n) if n.sign() == num_bigint::Sign::Minus => -1,
            Value::Big(_) => 1,
            Value::Float(x) if x.is_nan() => 1,
            Value::Float(x) => (x > 0.0) as i64 - (x < 0.0) as i64,
            other => {
                return it.type_err(format!(
                    "wrong argument type {} (must be numeric, true, false or nil)",
                    other.class_name()
                ))
            }
        };
        match sign {
            0 => return Ok(Some(mid)),
            s if s < 0 => hi = mid,
            _ => lo = mid + 1,
        }
    }
    Ok(found)
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
