//! Ranges over integers and strings; everything but membership goes through their elements.

use std::rc::Rc;

use num_bigint::BigInt;

use super::super::interp::{Interp, R};
use super::super::value::{rb_eq, Value};
use super::super::MethodCall;
use super::{arg, array, enumerable};

pub fn bounds(v: &Value) -> (Value, Value, bool) {
    match v {
        Value::Range(r) => (r.0.clone(), r.1.clone(), r.2),
        _ => (Value::Nil, Value::Nil, false),
    }
}

/// Whether `v` is a range that starts at a number: its `step` is an arithmetic sequence, or
/// walks by addition; any other range's `step` walks by `succ` with an Integer step.
pub(super) fn of_numbers(v: &Value) -> bool {
    matches!(bounds(v).0, Value::Int(_) | Value::Float(_) | Value::Big(_))
}

pub fn to_vec(it: &mut Interp, v: &Value) -> R<Vec<Value>> {
    let (a, b, excl) = bounds(v);
    match (&a, &b) {
        // an end past 64 bits below the start, or a start past them above the end: empty
        (Value::Int(_), Value::Big(e)) if **e < num_bigint::BigInt::ZERO => Ok(Vec::new()),
        (Value::Big(s), Value::Int(_)) if **s > num_bigint::BigInt::ZERO => Ok(Vec::new()),
        (Value::Big(s), Value::Big(e)) if s > e => Ok(Vec::new()),
        (Value::Big(_), _) | (Value::Int(_), Value::Big(_)) => {
            it.unsupported("iterating integers past 64 bits")
        }
        (Value::Int(x), Value::Int(y)) => {
            let end = if excl { *y } else { y.saturating_add(1) };
            let r = it.budget.range(end.saturating_sub(*x));
            it.spend(r)?;
            Ok((*x..end.max(*x)).map(Value::Int).collect())
        }
        (Value::Int(_), Value::Float(y)) => {
            let y = Value::Int(if excl && y.fract() == 0.0 {
                *y as i64 - 1
            } else {
                y.floor() as i64
            });
            to_vec(
                it,
                &Value::Range(Rc::new(crate::value::RRange(a.clone(), y, false))),
            )
        }
        (Value::Str(x), Value::Str(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            str_upto(it, &x, &y, excl)
        }
        // symbols walk as their names do, as `String#upto` walks them
        (Value::Sym(x), Value::Sym(y)) => Ok(str_upto(it, x, y, excl)?
            .iter()
            .map(|s| Value::sym(&super::super::format::to_s(s)))
            .collect()),
        (Value::Object(x), Value::Object(y)) => match (&x.kind, &y.kind) {
            (super::super::value::ObjKind::IpAddr(a), super::super::value::ObjKind::IpAddr(b)) => {
                let n = b.addr.saturating_sub(a.addr);
                if n > (1 << 20) {
                    return it.err("RangeError", "IP range too large to enumerate");
                }
                let f = it.top_frame();
                let mut out = Vec::new();
                let mut cur = a_val(v).unwrap_or(Value::Nil);
                for _ in 0..=n {
                    out.push(cur.clone());
                    cur = it.call_method(cur, "succ", vec![], None, &f)?;
                }
                let _ = excl;
                if excl {
                    out.pop();
                }
                Ok(out)
            }
            _ => it.type_err(format!("can't iterate from {}", a.class_name())),
        },
        (_, Value::Nil) => it.err("RangeError", "cannot convert endless range to an array"),
        _ => it.type_err(format!("can't iterate from {}", a.class_name())),
    }
}

pub fn covers(it: &mut Interp, range: &Value, x: &Value) -> R<bool> {
    let (a, b, excl) = bounds(range);
    let f = it.top_frame();
    let lo_ok = a.is_nil() || matches!(enumerable::cmp(it, &a, x, &f), Ok(o) if o.is_le());
    let hi_ok = b.is_nil()
        || matches!(enumerable::cmp(it, x, &b, &f), Ok(o) if if excl { o.is_lt() } else { o.is_le() });
    Ok(lo_ok && hi_ok)
}

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    let block = c.block.clone();
    let (a, b, excl) = bounds(recv);
    // an Integer start and no end, or an infinite one, walks on until the block stops it
    let endless_end = b.is_nil() || matches!(b, Value::Float(x) if x == f64::INFINITY);
    if let (Value::Int(from), true) = (&a, endless_end) {
        if let Some(v) = endless(it, *from, name, args, block.as_ref())? {
            return Ok(Some(v));
        }
    }
    let v = match name {
        "first" | "begin" | "min"
            if args.is_empty() && block.is_none() && name != "min" || name == "begin" =>
        {
            a
        }
        "last" | "end" | "max"
            if args.is_empty() && block.is_none() && (name != "max" || !excl) || name == "end" =>
        {
            // `last` is the end as written, excluded or not; an endless range has none
            if name == "last" && matches!(b, Value::Nil) {
                return it.err("RangeError", "cannot get the last element of endless range");
            }
            b
        }
        // a range of strings holds only the strings its iteration reaches (`'bb'` is not in
        // `'a'..'c'`), though it covers them
        "include?" | "member?"
            if matches!(
                (&a, &b, &arg(args, 0)),
                (Value::Str(_), Value::Str(_), Value::Str(_))
            ) =>
        {
            let x = arg(args, 0);
            Value::Bool(it.elements(recv)?.iter().any(|e| rb_eq(e, &x)))
        }
        "cover?" if matches!(arg(args, 0), Value::Range(_)) => {
            let (x, y, ex) = bounds(&arg(args, 0));
            let inner =
                covers(it, recv, &x)? && (covers(it, recv, &y)? || ex && excl && rb_eq(&y, &b));
            Value::Bool(!x.is_nil() && !y.is_nil() && inner)
        }
        "include?" | "member?" | "cover?" | "===" => Value::Bool(covers(it, recv, &arg(args, 0))?),
        "exclude_end?" => Value::Bool(excl),
        // every Range is frozen
        "frozen?" => Value::Bool(true),
        "size" | "count" if args.is_empty() && block.is_none() => match (&a, &b) {
            (Value::Int(x), Value::Int(y)) => {
                let n = (*y as i128 + i128::from(!excl) - *x as i128).max(0);
                super::bignum::int_wide(n)
            }
            _ => Value::Int(to_vec(it, recv)?.len() as i64),
        },
        "to_s" => Value::str(super::super::format::to_s(recv)),
        "inspect" => Value::str(super::super::format::inspect(recv)),
        "==" | "eql?" => Value::Bool(super::super::value::rb_eq(recv, &arg(args, 0))),
        "step" | "%" => {
            // no step given is a step of 1 (`(1..5).step`)
            let step = args.first().cloned().unwrap_or(Value::Int(1));
            if block.is_none() {
                if let Some(seq) = super::arith_seq::of_range(it, c, &step)? {
                    return Ok(Some(seq));
                }
            }
            // an endless range of integers, walked by the block
            if let (Value::Int(x), Value::Int(by), true, Some(bl)) =
                (&a, &step, endless_end, &block)
            {
                if *by > 0 {
                    super::lazy::walk(it, *x, *by, &mut |it, v| {
                        it.call_block1(bl, v)?;
                        Ok(std::ops::ControlFlow::Continue(()))
                    })?;
                    return Ok(Some(recv.clone()));
                }
            }
            // without a block, a step over strings fails now only when it is 0 (a negative
            // one when the enumerator is walked, as in Ruby)
            if block.is_none() && !of_numbers(recv) {
                if super::int_arg(it, &step)? == 0 {
                    return it.arg_err("step can't be 0");
                }
                return Ok(Some(super::enumerator::make(
                    it,
                    recv.clone(),
                    c.name,
                    vec![step],
                )));
            }
            let out = step_values(it, recv, &step, block.is_some())?;
            match block {
                Some(bl) => {
                    for x in out {
                        it.call_block1(&bl, x)?;
                    }
                    recv.clone()
                }
                None => super::enumerator::make(it, Value::array(out), "each", vec![]),
            }
        }
        "dup" | "clone" | "freeze" => recv.clone(),
        "hash" => Value::Int(super::super::format::inspect(recv).len() as i64),
        "sum" => {
            let (a, b, excl) = bounds(recv);
            let start = arg(args, 0);
            // a Float start is summed compensated, element by element, as Enumerable sums
            let start_float = matches!(start, Value::Float(_));
            if let (Value::Int(a), Value::Int(b), None, false) = (&a, &b, &c.block, start_float) {
                // by formula, as Ruby adds a range of integers: any length, no elements made
                let (a, b) = (BigInt::from(*a), BigInt::from(*b) - i32::from(excl));
                let start = if args.is_empty() {
                    Value::Int(0)
                } else {
                    start
                };
                if b < a {
                    // an empty range gives its start back, whatever it is
                    return Ok(Some(start));
                }
                let total = super::bignum::int((&b - &a + 1) * (&b + &a) / 2);
                if !matches!(start, Value::Int(_) | Value::Big(_)) {
                    // Integer's `+` coerces any other start through `Float()`: `'3'` sums
                    // to a Float, and nil fails as `Float(nil)` does
                    let f = super::convert::float(it, &start)?;
                    return super::compare::add(it, &f, &total, c.f).map(Some);
                }
                return super::compare::add(it, &start, &total, c.f).map(Some);
            }
            // Enumerable's sum (a Float start summed compensated), not Array's
            let items = to_vec(it, recv)?;
            return enumerable::enumerable(it, c, items);
        }
        // Array's methods answer for a range's elements, but only those a Range has:
        // `(1..3).index` is Ruby's NoMethodError
        _ if super::respond_table::RANGE.binary_search(&name).is_err() => return Ok(None),
        _ => {
            let items = to_vec(it, recv)?;
            let arr = Value::array(items);
            return array::call(it, &c.on(&arr)).map(|r| {
                r.map(|v| {
                    if matches!(name, "each" | "each_with_index" | "reverse_each")
                        && matches!(v, Value::Array(_))
                    {
                        recv.clone()
                    } else {
                        super::enumerator::resourced(it, v, &arr, recv)
                    }
                })
            });
        }
    };
    Ok(Some(v))
}

fn a_val(v: &Value) -> Option<Value> {
    match v {
        Value::Range(r) => Some(r.0.clone()),
        _ => None,
    }
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// What an endless range of integers answers without being made into an array: its first
/// elements, or a walk its block ends (`find` finding, `take_while` stopping, a `break`), each
/// call of the block counted against the evaluation budget. `None`: the general path.
fn endless(
    it: &mut Interp,
    from: i64,
    name: &str,
    args: &[Value],
    block: Option<&Value>,
) -> R<Option<Value>> {
    match (name, args, block) {
        ("size", [], None) => Ok(Some(Value::Float(f64::INFINITY))),
        ("first" | "take", [n], _) => {
            let n = super::int_arg(it, n)?;
            if n < 0 {
                return it.arg_err("negative array size (or size too big)");
            }
            let r = it.budget.range(n);
            it.spend(r)?;
            let end = from.saturating_add(n);
            Ok(Some(Value::array((from..end).map(Value::Int).collect())))
        }
        (
            "each" | "each_with_index" | "find" | "detect" | "find_index" | "take_while",
            _,
            Some(bl),
        ) => walk(it, from, name, bl).map(Some),
        _ => Ok(None),
    }
}

fn walk(it: &mut Interp, from: i64, name: &str, bl: &Value) -> R<Value> {
    use std::ops::ControlFlow::{Break, Continue};
    let mut taken = Vec::new();
    let (mut index, mut answer) = (0i64, Value::Nil);
    super::lazy::walk(it, from, 1, &mut |it, x| {
        let r = if name == "each_with_index" {
            it.call_block(bl, vec![x.clone(), Value::Int(index)])?
        } else {
            it.call_block1(bl, x.clone())?
        };
        let flow = match name {
            "find" | "detect" if r.truthy() => {
                answer = x;
                Break(())
            }
            "find_index" if r.truthy() => {
                answer = Value::Int(index);
                Break(())
            }
            "take_while" if !r.truthy() => Break(()),
            "take_while" => {
                let spent = it.budget.alloc_items(1, crate::interp::ELEMENT);
                it.spend(spent)?;
                taken.push(x);
                Continue(())
            }
            _ => Continue(()),
        };
        index = index.saturating_add(1);
        Ok(flow)
    })?;
    Ok(if name == "take_while" {
        Value::array(taken)
    } else {
        answer
    })
}

/// The strings from `from` to `to` as Ruby's `String#upto` (and a range of strings) makes
/// them: two single ASCII characters by code, two strings of digits as numbers of the first
/// one's width (`'9'.upto('11')`), anything else by `succ` from a start not after the end
/// until the end or a string longer than it. Each is a step and counts against the range
/// budget, as an integer range's elements do.
pub(super) fn str_upto(it: &mut Interp, from: &str, to: &str, excl: bool) -> R<Vec<Value>> {
    let mut out = Vec::new();
    let mut add = |it: &mut Interp, s: String| -> R<()> {
        let r = it
            .budget
            .step()
            .and_then(|_| it.budget.range(out.len() as i64 + 1));
        it.spend(r)?;
        out.push(Value::str(s));
        Ok(())
    };
    let (b, e) = (from.as_bytes(), to.as_bytes());
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if b.len() == 1 && e.len() == 1 && b[0].is_ascii() && e[0].is_ascii() {
        let (c, e) = (b[0], e[0]);
        let last = if excl { e.checked_sub(1) } else { Some(e) };
        if let Some(last) = last.filter(|l| c <= *l) {
            for ch in c..=last {
                add(it, (ch as char).to_string())?;
            }
        }
    } else if digits(b) && digits(e) && b.len() <= 18 && e.len() <= 18 {
        let (lo, hi) = (
            from.parse::<i64>().unwrap_or(0),
            to.parse::<i64>().unwrap_or(0),
        );
        let hi = if excl { hi - 1 } else { hi };
        for n in lo..=hi {
            add(it, format!("{n:0width$}", width = b.len()))?;
        }
    } else if from < to || (!excl && from == to) {
        let after = super::text::succ(to);
        let mut cur = from.to_string();
        loop {
            if (excl && cur == to) || cur == after {
                break;
            }
            let done = cur == to;
            let next = super::text::succ(&cur);
            add(it, cur)?;
            if done || next.len() > to.len() || next.is_empty() {
                break;
            }
            cur = next;
        }
    }
    Ok(out)
}

/// The values of `range.step(step)` (or `%`), counted against the range budget before they
/// are made; `with_block` because a negative Float step is refused only with a block.
pub(super) fn step_values(
    it: &mut Interp,
    range: &Value,
    step: &Value,
    with_block: bool,
) -> R<Vec<Value>> {
    let (a, b, excl) = bounds(range);
    if b.is_nil() {
        return it.err("RangeError", "cannot convert endless range to an array");
    }
    let step = step.clone();
    let mut out = Vec::new();
    if !of_numbers(range) {
        let n = super::int_arg(it, &step)?;
        if n == 0 {
            return it.arg_err("step can't be 0");
        }
        if n < 0 {
            return it.arg_err("step can't be negative");
        }
        out = to_vec(it, range)?.into_iter().step_by(n as usize).collect();
    } else {
        match (&a, &b, &step) {
            (Value::Int(x), Value::Int(y), Value::Int(s)) if *s > 0 => {
                let r = it.budget.range(y.saturating_sub(*x) / s + 1);
                it.spend(r)?;
                let mut i = *x;
                while if excl { i < *y } else { i <= *y } {
                    out.push(Value::Int(i));
                    i = match i.checked_add(*s) {
                        Some(n) => n,
                        None => break,
                    };
                }
            }
            _ if [&a, &b, &step].iter().any(|v| matches!(v, Value::Big(_))) => {
                return it.unsupported("iterating integers past 64 bits")
            }
            _ => {
                let (x, y, s) = (num(&a), num(&b), num(&step));
                if s == 0.0 {
                    return it.arg_err("step can't be 0");
                }
                // without a block, Ruby's sequence of a negative step is empty
                if s < 0.0 && with_block {
                    return it.arg_err("step can't be negative");
                }
                if s > 0.0 {
                    out = super::num_iter::float_steps(it, x, y, s, excl)?;
                }
            }
        }
    }
    Ok(out)
}
