//! The ordering methods of Enumerable: `sort`, `sort_by`, `min`/`max` (with a count or a
//! block), `min_by`/`max_by`, `minmax` and `minmax_by`, with Ruby's tie rules (`max_by`
//! keeps the first maximal element) and its comparison errors.

use std::cmp::Ordering;

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::compare::{cmp, cmp_with, merge_sort, sort_values};
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
        "sort_by" => {
            let b = block.unwrap();
            let mut keyed = Vec::with_capacity(items.len());
            for x in items {
                let k = it.call_block1(&b, x.clone())?;
                keyed.push((k, x));
            }
            merge_sort(it, &mut keyed, &mut |it, a, b| cmp(it, &a.0, &b.0, f))?;
            Value::array(keyed.into_iter().map(|(_, x)| x).collect())
        }
        "min_by" | "max_by" if matches!(args.first(), Some(Value::Int(_))) => {
            let n = int_arg(it, &args[0])?;
            let b = block.unwrap();
            let cmpf = &mut |it: &mut Interp, a: &Value, b: &Value| cmp(it, a, b, f);
            Value::array(nmin(it, items, n, name == "max_by", Some(&b), cmpf)?)
        }
        // one pass, each element's key asked as it comes and compared with the best so far
        // (a later equal one does not replace it)
        "min_by" | "max_by" => {
            let b = block.unwrap();
            let want = if name == "min_by" {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            let mut best: Option<(Value, Value)> = None;
            for x in items {
                let k = it.call_block1(&b, x.clone())?;
                match &best {
                    Some((bk, _)) if cmp(it, &k, bk, f)? != want => {}
                    _ => best = Some((k, x)),
                }
            }
            best.map_or(Value::Nil, |b| b.1)
        }
        "min" | "max" if matches!(args.first(), Some(Value::Int(_))) => {
            let n = int_arg(it, &args[0])?;
            let b = block.as_ref();
            let cmpf = &mut |it: &mut Interp, x: &Value, y: &Value| cmp_with(it, b, x, y, f);
            Value::array(nmin(it, items, n, name == "max", None, cmpf)?)
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

/// `[a, b, ...].max` and `.min` written with an array literal that holds more than static
/// literals (a string, a variable, a call): Ruby compiles that call to a single instruction
/// of its own, which asks each element against the best so far (Enumerable's order), where
/// `Array#max` on an array value asks the best so far against the element. Only a failed
/// comparison shows the difference: `[1, "a"].max` fails with "comparison of String with 1",
/// `a = [1, "a"]; a.max` with "comparison of Integer with String".
pub fn literal_best(
    it: &mut Interp,
    items: Vec<Value>,
    max: bool,
    f: &super::super::interp::Frame,
) -> R<Value> {
    let want = if max {
        Ordering::Greater
    } else {
        Ordering::Less
    };
    best(it, None, false, items, want, f)
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

/// `min(n)`, `max(n)`, `min_by(n)` and `max_by(n)` (`rev` for the `max`es), with Ruby's
/// comparisons in Ruby's order: the elements (with their keys, for `_by`) are gathered into a
/// buffer of 4n; whenever it fills, and once at the end, a quickselect keeps the n best, and
/// its last pivot then turns away later elements that do not beat it; the n are sorted as
/// `sort` sorts them and reversed for a `max`.
fn nmin(
    it: &mut Interp,
    items: Vec<Value>,
    n: i64,
    rev: bool,
    key: Option<&Value>,
    cmpf: &mut dyn FnMut(&mut Interp, &Value, &Value) -> R<Ordering>,
) -> R<Vec<Value>> {
    if n < 0 {
        return it.arg_err(format!("negative size ({n})"));
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    let bufmax = n.saturating_mul(4);
    let mut buf: Vec<(Value, Value)> = Vec::new();
    let mut limit: Option<Value> = None;
    let mut towards = |it: &mut Interp, a: &Value, b: &Value| -> R<Ordering> {
        let c = cmpf(it, a, b)?;
        Ok(if rev { c.reverse() } else { c })
    };
    for x in items {
        let k = match key {
            Some(b) => it.call_block1(b, x.clone())?,
            None => x.clone(),
        };
        if let Some(l) = &limit {
            if towards(it, &k, l)? != Ordering::Less {
                continue;
            }
        }
        buf.push((k, x));
        if buf.len() == bufmax {
            limit = Some(nmin_filter(it, &mut buf, n, &mut towards)?);
        }
    }
    if buf.len() > n {
        nmin_filter(it, &mut buf, n, &mut towards)?;
    }
    merge_sort(it, &mut buf, &mut |it, a, b| cmpf(it, &a.0, &b.0))?;
    let mut out: Vec<Value> = buf.into_iter().map(|(_, x)| x).collect();
    if rev {
        out.reverse();
    }
    Ok(out)
}

/// Keeps the `n` best of `buf` (more than `n`) by quickselect, as Ruby's `nmin_filter`
/// partitions (a middle pivot moved to the end, elements equal to it gathered beside it);
/// the last pivot's key.
fn nmin_filter(
    it: &mut Interp,
    buf: &mut Vec<(Value, Value)>,
    n: usize,
    towards: &mut dyn FnMut(&mut Interp, &Value, &Value) -> R<Ordering>,
) -> R<Value> {
    let (mut left, mut right) = (0usize, buf.len() - 1);
    let store = loop {
        buf.swap(left + (right - left) / 2, right);
        let pivot = right;
        let mut pivots = 1;
        let mut store = left;
        let mut i = left;
        while i + pivots <= right {
            match towards(it, &buf[i].0, &buf[pivot].0)? {
                Ordering::Equal => {
                    buf.swap(i, right - pivots);
                    pivots += 1;
                    continue;
                }
                Ordering::Less => {
                    buf.swap(i, store);
                    store += 1;
                }
                Ordering::Greater => {}
            }
            i += 1;
        }
        let mut j = store;
        for i in (right + 1 - pivots..=right).rev() {
            if j <= i {
                buf.swap(j, i);
                j += 1;
            }
        }
        if store <= n && n <= store + pivots {
            break store;
        }
        if n < store {
            right = store - 1;
        } else {
            left = store + pivots;
        }
    };
    let limit = buf[store].0.clone();
    buf.truncate(n);
    Ok(limit)
}
