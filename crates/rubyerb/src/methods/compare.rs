//! Ruby's comparison (`<=>` across numbers, strings, arrays and objects that define it),
//! sorting through a fallible comparator, and `+` as `sum`/`inject(:+)` use it.

use std::cmp::Ordering;

use super::super::format;
use super::super::interp::{Frame, Interp, R};
use super::super::value::Value;

/// `a <=> b` as sorting and `min`/`max` read it: an error naming both when they do not
/// compare.
pub fn cmp(it: &mut Interp, a: &Value, b: &Value, f: &Frame) -> R<Ordering> {
    match spaceship(it, a, b, f)? {
        Some(o) => Ok(o),
        None => it.arg_err(failed(a, b)),
    }
}

/// Ruby's words for two values that do not compare: `b` shown as itself when it is an
/// immediate value (nil, true, false, a small number, a symbol), else by its class.
fn failed(a: &Value, b: &Value) -> String {
    let bn = match b {
        Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Sym(_) => {
            format::inspect(b)
        }
        _ => b.class_name(),
    };
    format!("comparison of {} with {} failed", a.class_name(), bn)
}

/// `a <=> b`: `None` where Ruby's answers nil. Arrays compare element by element, and one
/// pair that does not compare makes the arrays not compare (the error then names them).
fn spaceship(it: &mut Interp, a: &Value, b: &Value, f: &Frame) -> R<Option<Ordering>> {
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(_) | Value::Big(_), Value::Int(_) | Value::Big(_)) => {
            Some(super::bignum::of(a).cmp(&super::bignum::of(b)))
        }
        (
            Value::Int(_) | Value::Big(_) | Value::Float(_),
            Value::Int(_) | Value::Big(_) | Value::Float(_),
        ) => num(a).partial_cmp(&num(b)),
        (Value::Str(x), Value::Str(y)) => Some(x.borrow().as_str().cmp(y.borrow().as_str())),
        (Value::Class(x), Value::Class(y)) => class_order(it, x, y),
        (Value::Sym(x), Value::Sym(y)) => Some(x.cmp(y)),
        (Value::Array(x), Value::Array(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            for (p, q) in x.iter().zip(y.iter()) {
                let Some(c) =
                    crate::value::level(crate::value::MAX_LEVELS, || spaceship(it, p, q, f))
                else {
                    return it.deep_enough().map(|()| Some(Ordering::Equal));
                };
                match c? {
                    Some(Ordering::Equal) => {}
                    other => return Ok(other),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        (Value::Object(_), _) => {
            match it.call_method(a.clone(), "<=>", vec![b.clone()], None, f)? {
                Value::Int(i) => Some(i.cmp(&0)),
                _ => None,
            }
        }
        // Object#<=>: equal values compare as equal (`[nil, nil].min`), others do not
        (Value::Nil | Value::Bool(_) | Value::Hash(_) | Value::Range(_) | Value::Regex(_), _)
            if super::super::value::rb_eq(a, b) =>
        {
            Some(Ordering::Equal)
        }
        _ => None,
    })
}

/// `Module#<=>`: a class is below the classes it inherits from or includes; unrelated
/// ones do not compare.
pub(crate) fn class_order(
    it: &Interp,
    x: &std::rc::Rc<crate::value::Class>,
    y: &std::rc::Rc<crate::value::Class>,
) -> Option<Ordering> {
    let below = |a: &std::rc::Rc<crate::value::Class>, b: &std::rc::Rc<crate::value::Class>| {
        it.is_a_class(a, &b.name) || matches!(b.name.as_str(), "Object" | "BasicObject")
    };
    if x.name == y.name {
        Some(Ordering::Equal)
    } else if below(x, y) {
        Some(Ordering::Less)
    } else if below(y, x) {
        Some(Ordering::Greater)
    } else {
        None
    }
}

pub fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Big(b) => super::bignum::to_f64(b),
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// `a <=> b`, or what the comparison block answers for them, read as Ruby reads it.
pub fn cmp_with(
    it: &mut Interp,
    block: Option<&Value>,
    a: &Value,
    b: &Value,
    f: &Frame,
) -> R<Ordering> {
    let Some(bl) = block else {
        return cmp(it, a, b, f);
    };
    match it.call_block(bl, vec![a.clone(), b.clone()])? {
        Value::Int(i) => Ok(i.cmp(&0)),
        Value::Float(x) => Ok(x.partial_cmp(&0.0).unwrap_or(Ordering::Equal)),
        Value::Nil => it.arg_err(failed(a, b)),
        Value::Big(n) => Ok(n.sign().cmp(&num_bigint::Sign::NoSign)),
        // an answer of another kind is asked `> 0`, then `< 0`
        other => {
            let zero = || vec![Value::Int(0)];
            if it
                .call_method(other.clone(), ">", zero(), None, f)?
                .truthy()
            {
                Ok(Ordering::Greater)
            } else if it.call_method(other, "<", zero(), None, f)?.truthy() {
                Ok(Ordering::Less)
            } else {
                Ok(Ordering::Equal)
            }
        }
    }
}

pub fn sort_values(
    it: &mut Interp,
    items: &mut [Value],
    block: Option<&Value>,
    f: &Frame,
) -> R<()> {
    // sorted in a copy, as Ruby sorts: a failed comparison leaves the receiver as it was
    let mut v: Vec<Value> = items.to_vec();
    merge_sort(it, &mut v, &mut |it, a, b| cmp_with(it, block, a, b, f))?;
    items.clone_from_slice(&v);
    Ok(())
}

/// Sorts `v` comparing its elements in the order Ruby's sort compares them, stopping at the
/// first comparison that fails. Ruby sorts through the C library's `qsort_r`, which glibc
/// (the director's and the reference renderer's) implements as a top-down merge sort: the
/// first half is the shorter one, and a merge takes from the first run while its element
/// compares at most equal. The order shows whenever a comparison can fail (`[1, "a", 2].sort`
/// fails on `"a" <=> 2`, not on `1 <=> "a"`) and whenever a sort block has side effects.
pub fn merge_sort<T: Default>(
    it: &mut Interp,
    v: &mut [T],
    cmp: &mut dyn FnMut(&mut Interp, &T, &T) -> R<Ordering>,
) -> R<()> {
    let mut tmp = Vec::with_capacity(v.len());
    merge_sort_in(it, v, &mut tmp, cmp)
}

fn merge_sort_in<T: Default>(
    it: &mut Interp,
    v: &mut [T],
    tmp: &mut Vec<T>,
    cmp: &mut dyn FnMut(&mut Interp, &T, &T) -> R<Ordering>,
) -> R<()> {
    let n = v.len();
    if n <= 1 {
        return Ok(());
    }
    let n1 = n / 2;
    merge_sort_in(it, &mut v[..n1], tmp, cmp)?;
    merge_sort_in(it, &mut v[n1..], tmp, cmp)?;
    // the merged prefix goes to `tmp`; what is left of the second run stays where it is
    tmp.clear();
    let (mut i, mut j) = (0, n1);
    while i < n1 && j < n {
        if cmp(it, &v[i], &v[j])? != Ordering::Greater {
            tmp.push(std::mem::take(&mut v[i]));
            i += 1;
        } else {
            tmp.push(std::mem::take(&mut v[j]));
            j += 1;
        }
    }
    tmp.extend(v[i..n1].iter_mut().map(std::mem::take));
    for (slot, x) in v.iter_mut().zip(tmp.drain(..)) {
        *slot = x;
    }
    Ok(())
}

pub fn add(it: &mut Interp, a: &Value, b: &Value, f: &Frame) -> R<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match x.checked_add(*y) {
            Some(v) => Ok(Value::Int(v)),
            None => Ok(super::bignum::int(
                num_bigint::BigInt::from(*x) + num_bigint::BigInt::from(*y),
            )),
        },
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            Ok(Value::Float(num(a) + num(b)))
        }
        _ => it.call_method(a.clone(), "+", vec![b.clone()], None, f),
    }
}

/// `Comparable#clamp`, for numbers, strings and symbols: `clamp(min, max)` or
/// `clamp(range)`, a nil end leaving that side open, by `<=>` as Ruby compares them (a value
/// equal to the lower end is itself: `5.clamp(5.0, 6)` is `5`).
pub fn clamp(it: &mut Interp, x: &Value, args: &[Value], f: &Frame) -> R<Value> {
    let (lo, hi) = match args {
        [Value::Range(r)] if r.2 && !r.1.is_nil() => {
            return it.arg_err("cannot clamp with an exclusive range")
        }
        [Value::Range(r)] => (r.0.clone(), r.1.clone()),
        [other] => {
            let class = other.class_name();
            return it.type_err(format!("wrong argument type {class} (expected Range)"));
        }
        [lo, hi] => (lo.clone(), hi.clone()),
        _ => {
            let n = args.len();
            return it.arg_err(format!(
                "wrong number of arguments (given {n}, expected 1..2)"
            ));
        }
    };
    if !lo.is_nil() && !hi.is_nil() && cmp(it, &lo, &hi, f)?.is_gt() {
        return it.arg_err("min argument must be less than or equal to max argument");
    }
    if !lo.is_nil() {
        match cmp(it, x, &lo, f)? {
            Ordering::Equal => return Ok(x.clone()),
            Ordering::Less => return Ok(lo),
            Ordering::Greater => {}
        }
    }
    if !hi.is_nil() && cmp(it, x, &hi, f)?.is_gt() {
        return Ok(hi);
    }
    Ok(x.clone())
}
