//! Integer's `times`, `upto` and `downto`, whose block is called one value at a time (the
//! step budget bounds the loop), and Numeric's `step`, whose values are counted against the
//! range budget before they are made; without a block, each gives an enumerator's list.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::compare::num;
use super::{arg, int_arg};

/// The iteration method `c` names, or `None` when the receiver has no such method here.
pub(super) fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let a = arg(args, 0);
    let v = match (recv, name) {
        (Value::Int(n), "times") => {
            let Some(b) = block else {
                return Ok(Some(super::enumerator::make(
                    it,
                    Value::Range(std::rc::Rc::new(crate::value::RRange(
                        Value::Int(0),
                        Value::Int(*n),
                        true,
                    ))),
                    "each",
                    vec![],
                )));
            };
            for i in 0..*n {
                it.call_block1(&b, Value::Int(i))?;
            }
            recv.clone()
        }
        (Value::Int(n), "upto" | "downto") => {
            let m = int_arg(it, &a)?;
            let (lo, hi) = if name == "upto" { (*n, m) } else { (m, *n) };
            if let Some(b) = block {
                // one at a time: the step budget bounds the loop, nothing is materialised
                let mut i = *n;
                while (lo..=hi).contains(&i) {
                    it.call_block1(&b, Value::Int(i))?;
                    let next = if name == "upto" {
                        i.checked_add(1)
                    } else {
                        i.checked_sub(1)
                    };
                    match next {
                        Some(n) => i = n,
                        None => break,
                    }
                }
                return Ok(Some(recv.clone()));
            }
            let r = it.budget.range(hi.saturating_sub(lo).saturating_add(1));
            it.spend(r)?;
            let list: Vec<i64> = if name == "upto" {
                (lo..=hi).collect()
            } else {
                (lo..=hi).rev().collect()
            };
            super::enumerator::make(
                it,
                Value::array(list.into_iter().map(Value::Int).collect()),
                "each",
                vec![],
            )
        }
        (Value::Int(_) | Value::Big(_) | Value::Float(_), "step") => {
            let (limit, by) = step_args(args);
            if matches!(by, Value::Int(0)) || matches!(by, Value::Float(z) if z == 0.0) {
                return it.arg_err("step can't be 0");
            }
            if block.is_none() {
                if let Some(seq) = super::arith_seq::of_num(it, c, &limit, &by) {
                    return Ok(Some(seq));
                }
            }
            let vals = match step_values(it, recv, &limit, &by)? {
                Some(vals) => vals,
                // an endless or odd limit: the range's own answer
                None => {
                    let r = Value::Range(std::rc::Rc::new(crate::value::RRange(
                        recv.clone(),
                        limit,
                        false,
                    )));
                    let step = [by];
                    let c = MethodCall {
                        recv: &r,
                        name: "step",
                        args: &step,
                        block,
                        f,
                    };
                    return super::range::call(it, &c);
                }
            };
            match block {
                Some(b) => {
                    for v in vals {
                        it.call_block1(&b, v)?;
                    }
                    recv.clone()
                }
                None => super::enumerator::make(it, Value::array(vals), "each", vec![]),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// `step`'s limit and step: `step(limit, by)`, `step(by: s, to: limit)` or
/// `step(limit, by: s)`; a step of 1 when none is given, no limit when none is.
pub(super) fn step_args(args: &[Value]) -> (Value, Value) {
    let (pos, kw) = match args.last() {
        Some(Value::Hash(h)) => (&args[..args.len() - 1], Some(h.borrow())),
        _ => (args, None),
    };
    let mut limit = pos.first().cloned().unwrap_or(Value::Nil);
    let mut by = pos.get(1).cloned().unwrap_or(Value::Int(1));
    if let Some(h) = kw {
        if let Some(v) = h.get(&Value::sym("to")) {
            limit = v.clone();
        }
        if let Some(v) = h.get(&Value::sym("by")) {
            by = v.clone();
        }
    }
    (limit, by)
}

/// The Integers from `x` to `limit` by `s` (not 0), up or down, counted against the range
/// budget before they are made.
fn int_steps(it: &mut Interp, x: i64, limit: i64, s: i64) -> R<Vec<Value>> {
    // none when the limit lies behind the start (a quotient truncated to 0 would give one)
    let diff = i128::from(limit) - i128::from(x);
    let count = if diff != 0 && (diff < 0) != (s < 0) {
        0
    } else {
        diff / i128::from(s) + 1
    };
    let r = it.budget.range(i64::try_from(count).unwrap_or(i64::MAX));
    it.spend(r)?;
    Ok((0..count as i64).map(|k| Value::Int(x + k * s)).collect())
}

/// The Floats from `beg` to `end` by `unit` (not 0), as Ruby steps them: the count from
/// the quotient with a tolerance of the operands' rounding error, each value `beg + i *
/// unit`, one past the end taken as the end.
pub(super) fn float_steps(
    it: &mut Interp,
    beg: f64,
    end: f64,
    unit: f64,
    excl: bool,
) -> R<Vec<Value>> {
    let count = if unit.is_infinite() {
        f64::from(u8::from(if unit > 0.0 { beg <= end } else { beg >= end }))
    } else {
        let mut n = (end - beg) / unit;
        let err =
            ((beg.abs() + end.abs() + (end - beg).abs()) / unit.abs() * f64::EPSILON).min(0.5);
        if excl {
            if n <= 0.0 {
                0.0
            } else {
                n = if n < 1.0 { 0.0 } else { (n - err).floor() };
                let d = (n + 1.0) * unit + beg;
                if (beg < end && d < end) || (beg > end && d > end) {
                    n += 1.0;
                }
                n + 1.0
            }
        } else if n < 0.0 {
            0.0
        } else {
            (n + err).floor() + 1.0
        }
    };
    // a NaN operand makes no values, as in Ruby, where `i < NaN` never holds
    let count = if count.is_nan() { 0.0 } else { count };
    let r = it.budget.range(if count.is_finite() {
        count as i64
    } else {
        i64::MAX
    });
    it.spend(r)?;
    if unit.is_infinite() {
        return Ok(if count > 0.0 {
            vec![Value::Float(beg)]
        } else {
            Vec::new()
        });
    }
    Ok((0..count as i64)
        .map(|i| {
            let d = i as f64 * unit + beg;
            Value::Float(if (unit >= 0.0 && end < d) || (unit < 0.0 && d < end) {
                end
            } else {
                d
            })
        })
        .collect())
}

/// The values of `recv.step(limit, by)`, counted against the range budget before they are
/// made; `None` for a limit that is no number (none, or an object), which a range answers.
pub(super) fn step_values(
    it: &mut Interp,
    recv: &Value,
    limit: &Value,
    by: &Value,
) -> R<Option<Vec<Value>>> {
    Ok(Some(match (recv, limit, by) {
        (Value::Int(x), Value::Int(l), Value::Int(s)) => int_steps(it, *x, *l, *s)?,
        // a bound past 64 bits on the side the steps move away from: no step at all
        (Value::Int(_), Value::Big(l), Value::Int(s))
            if (**l < num_bigint::BigInt::ZERO) == (*s > 0) =>
        {
            Vec::new()
        }
        _ if [recv, limit, by].iter().any(|v| matches!(v, Value::Big(_))) => {
            return it.unsupported("iterating integers past 64 bits")
        }
        (_, Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (x, l, s) = (num(recv), num(limit), num(by));
            float_steps(it, x, l, s, false)?
        }
        _ => return Ok(None),
    }))
}
