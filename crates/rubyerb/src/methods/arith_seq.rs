//! `Enumerator::ArithmeticSequence`, what `Numeric#step` and a numeric range's `step` (or
//! `%`) return without a block. It is an enumerator over its receiver's own `step`, so no
//! value is made before one is asked for (`1.step(10**10).first(3)` makes three, as in
//! Ruby, where a list made first would spend the range budget), and it answers what Ruby's
//! answers of its own: `begin`, `end`, `step`, `exclude_end?`, equality by those four, and
//! an `inspect` that spells the call (`((1..10).step(3))`, `(1.step(by: 2, to: 7))`).

use super::super::interp::{Interp, R};
use super::super::value::{rb_eq, ObjKind, Value};
use super::super::MethodCall;
use super::{num_iter, range};

pub(super) const CLASS: &str = "Enumerator::ArithmeticSequence";

fn numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_))
}

fn zero(v: &Value) -> bool {
    matches!(v, Value::Int(0)) || matches!(v, Value::Float(z) if *z == 0.0)
}

/// The sequence of `range.step(step)` (`c` the call, `step` its step or the default 1), or
/// `None` when the range or the step is not numeric: a range of strings steps into a plain
/// enumerator.
pub(super) fn of_range(it: &mut Interp, c: &MethodCall, step: &Value) -> R<Option<Value>> {
    let (a, b, _) = range::bounds(c.recv);
    if !numeric(&a) || !(numeric(&b) || b.is_nil()) || !numeric(step) {
        return Ok(None);
    }
    if zero(step) {
        return it.arg_err("step can't be 0");
    }
    let args = c.args.to_vec();
    Ok(Some(super::enumerator::make_of(
        it,
        CLASS,
        c.recv.clone(),
        c.name,
        args,
    )))
}

/// The sequence of `number.step(limit, by)` (`c` the call), or `None` for one this module
/// does not describe: a limit or step that is no Integer or Float (or past 64 bits), or an
/// endless one that does not count up by whole steps, which a range answers.
pub(super) fn of_num(it: &Interp, c: &MethodCall, limit: &Value, by: &Value) -> Option<Value> {
    if !numeric(c.recv) || !(numeric(limit) || limit.is_nil()) || !numeric(by) {
        return None;
    }
    if limit.is_nil() && !(matches!(c.recv, Value::Int(_)) && matches!(by, Value::Int(n) if *n > 0))
    {
        return None;
    }
    let args = c.args.to_vec();
    Some(super::enumerator::make_of(
        it,
        CLASS,
        c.recv.clone(),
        "step",
        args,
    ))
}

/// Whether `v` is an arithmetic sequence.
pub(super) fn is(v: &Value) -> bool {
    matches!(v, Value::Object(o) if matches!(o.kind, ObjKind::Enumerator(..)) && o.class.name == CLASS)
}

/// What the sequence over `src`'s `step(args)` walks: its first value, its limit, its step
/// and whether the limit is left out.
fn terms(src: &Value, args: &[Value]) -> (Value, Value, Value, bool) {
    match src {
        Value::Range(_) => {
            let (a, b, excl) = range::bounds(src);
            let step = args.first().cloned().unwrap_or(Value::Int(1));
            (a, b, step, excl)
        }
        _ => {
            let (limit, by) = num_iter::step_args(args);
            (src.clone(), limit, by, false)
        }
    }
}

/// The walk of a sequence of integers counting up by whole steps (over `src`'s
/// `step(args)`): its start, its last possible value (`i64::MAX` when endless) and its step,
/// as [`super::lazy::int_walk`] gives a range's.
pub(super) fn int_walk(src: &Value, args: &[Value]) -> Option<(i64, i64, i64)> {
    let (_, limit, step, _) = terms(src, args);
    let Value::Int(by) = step else { return None };
    if by <= 0 {
        return None;
    }
    let (start, end) = match (src, limit) {
        (Value::Range(_), _) => {
            let (start, end, _) = super::lazy::int_walk(src)?;
            (start, end)
        }
        (Value::Int(start), Value::Nil) => (*start, i64::MAX),
        (Value::Int(start), Value::Int(end)) => (*start, end),
        _ => return None,
    };
    Some((start, end, by))
}

/// Every value of the sequence over `src`'s `step(args)`, counted against the range budget.
pub(super) fn values(it: &mut Interp, src: &Value, args: &[Value]) -> R<Vec<Value>> {
    let (first, limit, step, _) = terms(src, args);
    if limit.is_nil() || matches!(limit, Value::Float(x) if x.is_infinite()) {
        return it.err("RangeError", "cannot convert endless range to an array");
    }
    match src {
        Value::Range(_) => range::step_values(it, src, &step, false),
        _ => Ok(num_iter::step_values(it, &first, &limit, &step)?.unwrap_or_default()),
    }
}

/// `(RECEIVER.METHOD(ARGS))`, as Ruby spells a sequence: a range receiver in parentheses,
/// keyword arguments as written.
pub(super) fn inspect(src: &Value, method: &str, args: &[Value]) -> String {
    use super::super::format::inspect as show;
    let recv = match src {
        Value::Range(_) => format!("({})", show(src)),
        _ => show(src),
    };
    let mut parts = Vec::new();
    for a in args {
        match a {
            Value::Hash(h) => {
                for (k, v) in h.borrow().pairs() {
                    parts.push(format!("{}: {}", super::super::format::to_s(&k), show(&v)));
                }
            }
            _ => parts.push(show(a)),
        }
    }
    let args = if parts.is_empty() {
        String::new()
    } else {
        format!("({})", parts.join(", "))
    };
    format!("({recv}.{method}{args})")
}

/// A method the sequence `c.recv` (over `src`'s `method(margs)`) answers of its own, or
/// `None` for one it answers as any enumerator.
pub(super) fn call(
    it: &mut Interp,
    c: &MethodCall,
    src: &Value,
    method: &str,
    margs: &[Value],
) -> R<Option<Value>> {
    let (first, limit, step, excl) = terms(src, margs);
    Ok(Some(match (c.name, c.args, &c.block) {
        ("begin", [], None) => first,
        ("end", [], None) => limit,
        ("step", [], None) => step,
        ("exclude_end?", [], None) => Value::Bool(excl),
        ("==" | "eql?" | "===", [other], None) => Value::Bool(match other {
            Value::Object(o) if is(other) => match &o.kind {
                ObjKind::Enumerator(osrc, _, oargs) => {
                    let (b, e, s, x) = terms(osrc, oargs);
                    rb_eq(&first, &b) && rb_eq(&limit, &e) && rb_eq(&step, &s) && excl == x
                }
                _ => false,
            },
            _ => false,
        }),
        // a finite sequence of integers up, however long: its size and last value by
        // arithmetic, as Ruby's
        ("size" | "count" | "last", [], None) => match super::lazy::int_walk(c.recv) {
            Some((s, e, by)) if e != i64::MAX => {
                let n = if e < s {
                    0
                } else {
                    (i128::from(e) - i128::from(s)) / i128::from(by) + 1
                };
                match c.name {
                    "last" if n == 0 => Value::Nil,
                    "last" => super::bignum::int_wide(i128::from(s) + (n - 1) * i128::from(by)),
                    _ => super::bignum::int_wide(n),
                }
            }
            _ => return Ok(None),
        },
        // an endless sequence of Floats: its first values
        ("first" | "take", [n], None)
            if (limit.is_nil() || matches!(limit, Value::Float(x) if x.is_infinite()))
                && (matches!(first, Value::Float(_)) || matches!(step, Value::Float(_))) =>
        {
            let n = super::int_arg(it, n)?;
            if n < 0 {
                return it.arg_err("attempt to take negative size");
            }
            let r = it.budget.range(n);
            it.spend(r)?;
            let (b, u) = (super::compare::num(&first), super::compare::num(&step));
            Value::array((0..n).map(|i| Value::Float(i as f64 * u + b)).collect())
        }
        ("inspect", [], None) => Value::str(inspect(src, method, margs)),
        ("to_s", [], None) => Value::str(format!("#<{CLASS}:0x0000000000000000>")),
        // the receiver's own walk, one value at a time; the sequence is what it returns
        ("each", [], Some(b)) => {
            it.call_method(src.clone(), method, margs.to_vec(), Some(b.clone()), c.f)?;
            c.recv.clone()
        }
        _ => return Ok(None),
    }))
}
