//! `Enumerator::Lazy`: `lazy` and the steps chained after it (`map`, `select`, `take`...)
//! kept as a list and run one element at a time when a result is asked for (`first`,
//! `to_a`, `find`), so that an endless range's `(1..).lazy.map { }.first(3)` ends as in Ruby.
//! A lazy enumerator is an `Enumerator` object of method `lazy` whose arguments are its
//! steps, each `[name, block or count]`. Any other method forces it into an array first, as
//! Ruby's Enumerable methods walk it whole.

use std::ops::ControlFlow;

use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Value};
use super::super::MethodCall;
use super::int_arg;

/// The steps a lazy enumerator adds with a block.
const WITH_BLOCK: &[&str] = &[
    "map",
    "collect",
    "select",
    "filter",
    "reject",
    "take_while",
    "drop_while",
    "filter_map",
];

/// Whether `lazy` on `v` makes a lazy enumerator over it: an array, hash, range or
/// enumerator not lazy already (whose `lazy` is itself).
pub fn from(v: &Value) -> bool {
    match v {
        Value::Array(_) | Value::Hash(_) | Value::Range(_) => true,
        Value::Object(o) => matches!(&o.kind, ObjKind::Enumerator(_, m, _) if &**m != "lazy"),
        _ => false,
    }
}

/// A lazy enumerator over `src` with `steps`.
pub fn make(it: &Interp, src: Value, steps: Vec<Value>) -> Value {
    super::enumerator::make_of(it, "Enumerator::Lazy", src, "lazy", steps)
}

/// A method of the lazy enumerator over `src` with `steps`; `None` for one that forces it.
pub fn call(it: &mut Interp, c: &MethodCall, src: &Value, steps: &[Value]) -> R<Option<Value>> {
    let step = |what: Value| {
        let mut more = steps.to_vec();
        more.push(Value::array(vec![Value::str(c.name.to_string()), what]));
        more
    };
    match (c.name, c.args, &c.block) {
        (name, [], Some(b)) if WITH_BLOCK.contains(&name) => {
            Ok(Some(make(it, src.clone(), step(b.clone()))))
        }
        ("take" | "drop", [n], None) => {
            let n = int_arg(it, n)?;
            if n < 0 {
                let what = if c.name == "take" { "take" } else { "drop" };
                return it.arg_err(format!("attempt to {what} negative size"));
            }
            Ok(Some(make(it, src.clone(), step(Value::Int(n)))))
        }
        ("compact", [], None) => Ok(Some(make(it, src.clone(), step(Value::Nil)))),
        ("lazy", [], None) => Ok(Some(c.recv.clone())),
        ("first", [], None) => {
            let mut found = Value::Nil;
            run(it, src, steps, &mut |_, v| {
                found = v;
                Ok(ControlFlow::Break(()))
            })?;
            Ok(Some(found))
        }
        ("first", [n], None) => {
            let n = int_arg(it, n)?;
            if n < 0 {
                return it.arg_err("attempt to take negative size");
            }
            let mut out = Vec::new();
            if n > 0 {
                run(it, src, steps, &mut |it, v| {
                    keep(it, &mut out, v)?;
                    Ok(if out.len() as i64 >= n {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    })
                })?;
            }
            Ok(Some(Value::array(out)))
        }
        ("to_a" | "force", [], None) => Ok(Some(Value::array(force(it, src, steps)?))),
        ("find" | "detect", [], Some(b)) => {
            let mut found = Value::Nil;
            run(it, src, steps, &mut |it, v| {
                Ok(if it.call_block1(b, v.clone())?.truthy() {
                    found = v;
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                })
            })?;
            Ok(Some(found))
        }
        ("include?" | "member?", [x], None) => {
            let mut found = false;
            run(it, src, steps, &mut |it, v| {
                Ok(if it.equal(&v, x, c.f)? {
                    found = true;
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                })
            })?;
            Ok(Some(Value::Bool(found)))
        }
        ("each", [], Some(b)) => {
            run(it, src, steps, &mut |it, v| {
                it.call_block1(b, v)?;
                Ok(ControlFlow::Continue(()))
            })?;
            // Ruby's answer is the source's `each`'s: the source
            Ok(Some(src.clone()))
        }
        ("inspect", [], None) => Ok(Some(Value::str(inspect(src, steps)))),
        _ => Ok(None),
    }
}

/// What an endless sequence answers without being made into an array: `first`, `take`,
/// `find`, `include?`, `each` and `take_while` with a block, `size`. `None`: the general
/// path, which refuses to make it an array.
pub fn endless(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let first = c.named("first");
    match (c.name, c.args, &c.block) {
        ("take", [_], None) => call(it, &first, c.recv, &[]),
        ("first", _, None) | ("find" | "detect" | "each", [], Some(_)) => call(it, c, c.recv, &[]),
        ("include?" | "member?", [_], None) => call(it, c, c.recv, &[]),
        ("take_while", [], Some(b)) => {
            let steps = [Value::array(vec![Value::str("take_while"), b.clone()])];
            Ok(Some(Value::array(force(it, c.recv, &steps)?)))
        }
        ("size" | "count", [], None) => Ok(Some(Value::Float(f64::INFINITY))),
        _ => Ok(None),
    }
}

/// Every element the steps let through, in an array's worth of memory.
pub fn force(it: &mut Interp, src: &Value, steps: &[Value]) -> R<Vec<Value>> {
    let mut out = Vec::new();
    run(it, src, steps, &mut |it, v| {
        keep(it, &mut out, v)?;
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(out)
}

/// Adds `v` to a result, counted against the allocation budget.
fn keep(it: &mut Interp, out: &mut Vec<Value>, v: Value) -> R<()> {
    let r = it.budget.alloc_items(1, crate::interp::ELEMENT);
    it.spend(r)?;
    out.push(v);
    Ok(())
}

/// What a step keeps between elements: how many it took or dropped, whether it stopped
/// dropping.
#[derive(Clone, Copy, Default)]
struct Seen {
    count: i64,
    done: bool,
}

/// Runs the source's elements through the steps into `sink` until the source ends, a step
/// ends the walk (`take`, `take_while`) or `sink` breaks.
fn run(
    it: &mut Interp,
    src: &Value,
    steps: &[Value],
    sink: &mut dyn FnMut(&mut Interp, Value) -> R<ControlFlow<()>>,
) -> R<()> {
    let steps: Vec<(String, Value)> = steps
        .iter()
        .map(|s| match s {
            Value::Array(a) => {
                let a = a.borrow();
                (super::super::format::to_s(&a[0]), a[1].clone())
            }
            _ => (String::new(), Value::Nil),
        })
        .collect();
    // `take(0)` anywhere ends the walk before it pulls an element
    if steps
        .iter()
        .any(|(n, v)| n == "take" && matches!(v, Value::Int(0)))
    {
        return Ok(());
    }
    let mut seen = vec![Seen::default(); steps.len()];
    each(it, src, &mut |it, v| {
        let mut v = v;
        // a `take` that reached its count lets this element on and ends the walk after it
        let mut last = false;
        for (i, (name, what)) in steps.iter().enumerate() {
            let pass = match name.as_str() {
                "map" | "collect" => {
                    v = it.call_block1(what, v)?;
                    true
                }
                "select" | "filter" => it.call_block1(what, v.clone())?.truthy(),
                "reject" => !it.call_block1(what, v.clone())?.truthy(),
                "filter_map" => {
                    v = it.call_block1(what, v)?;
                    v.truthy()
                }
                "compact" => !matches!(v, Value::Nil),
                "take_while" => {
                    if !it.call_block1(what, v.clone())?.truthy() {
                        return Ok(ControlFlow::Break(()));
                    }
                    true
                }
                "drop_while" if !seen[i].done => {
                    let drop = it.call_block1(what, v.clone())?.truthy();
                    seen[i].done = !drop;
                    !drop
                }
                "drop" if seen[i].count < int_of(what) => {
                    seen[i].count += 1;
                    false
                }
                "take" => {
                    seen[i].count += 1;
                    last |= seen[i].count >= int_of(what);
                    true
                }
                _ => true,
            };
            if !pass {
                return Ok(if last {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                });
            }
        }
        let flow = sink(it, v)?;
        Ok(if last { ControlFlow::Break(()) } else { flow })
    })
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(n) => *n,
        _ => 0,
    }
}

/// Hands the source's elements to `f` one at a time: an integer range or an endless
/// sequence of integers (`(1..).step(2)`, `1.step`), counted as it goes; anything else as
/// its elements.
fn each(
    it: &mut Interp,
    src: &Value,
    f: &mut dyn FnMut(&mut Interp, Value) -> R<ControlFlow<()>>,
) -> R<()> {
    if let Some((start, end, by)) = int_walk(src) {
        return walk_to(it, start, end, by, f);
    }
    for v in it.elements(src)? {
        if f(it, v)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// The integers `src` walks (start, last, step), when it is an integer range or an
/// enumerator stepping through an endless one.
pub fn int_walk(src: &Value) -> Option<(i64, i64, i64)> {
    match src {
        Value::Range(r) => {
            let Value::Int(start) = r.0 else { return None };
            let end = match &r.1 {
                Value::Nil => i64::MAX,
                Value::Float(y) if y.is_infinite() && *y > 0.0 => i64::MAX,
                Value::Int(y) if r.2 => y.checked_sub(1)?,
                Value::Int(y) => *y,
                _ => return None,
            };
            Some((start, end, 1))
        }
        Value::Object(o) => match &o.kind {
            ObjKind::Enumerator(r, _, a) if super::arith_seq::is(src) => {
                super::arith_seq::int_walk(r, a)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Walks the integers from `start` by `by` (above 0) until `f` breaks, each a step of the
/// evaluation budget, so that a walk no block ends still stops.
pub fn walk(
    it: &mut Interp,
    start: i64,
    by: i64,
    f: &mut dyn FnMut(&mut Interp, Value) -> R<ControlFlow<()>>,
) -> R<()> {
    walk_to(it, start, i64::MAX, by, f)
}

fn walk_to(
    it: &mut Interp,
    start: i64,
    end: i64,
    by: i64,
    f: &mut dyn FnMut(&mut Interp, Value) -> R<ControlFlow<()>>,
) -> R<()> {
    let mut i = start;
    while i <= end {
        let s = it.budget.step();
        it.spend(s)?;
        if f(it, Value::Int(i))?.is_break() {
            return Ok(());
        }
        i = match i.checked_add(by) {
            Some(n) => n,
            None if end == i64::MAX => {
                return it.err("RangeError", "an endless range reached 2**63")
            }
            None => return Ok(()),
        };
    }
    Ok(())
}

/// `#<Enumerator::Lazy: …>`, one level for the source and one for each step.
pub(crate) fn inspect(src: &Value, steps: &[Value]) -> String {
    let mut text = format!(
        "#<Enumerator::Lazy: {}>",
        super::super::format::inspect(src)
    );
    for s in steps {
        if let Value::Array(a) = s {
            let a = a.borrow();
            let name = super::super::format::to_s(&a[0]);
            text = match &a[1] {
                Value::Int(n) => format!("#<Enumerator::Lazy: {text}:{name}({n})>"),
                _ => format!("#<Enumerator::Lazy: {text}:{name}>"),
            };
        }
    }
    text
}
