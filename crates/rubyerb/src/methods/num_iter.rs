//! Integer's iteration: `times`, `upto`, `downto` and `step`. A block is called one value
//! at a time (the step budget bounds the loop); without one, the values are counted against
//! the range budget before they are made into an enumerator's list.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
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
                    Value::Range(std::rc::Rc::new((Value::Int(0), Value::Int(*n), true))),
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
        // counting down (`10.step(1, -3)`), which a range's step refuses
        (Value::Int(x), "step") if matches!((&a, arg(args, 1)), (Value::Int(_), Value::Int(s)) if s < 0) =>
        {
            let (Value::Int(limit), Value::Int(s)) = (&a, arg(args, 1)) else {
                unreachable!()
            };
            let r = it
                .budget
                .range((x.saturating_sub(*limit) / s.saturating_neg()).saturating_add(1));
            it.spend(r)?;
            let mut vals = Vec::new();
            let mut i = *x;
            while i >= *limit {
                vals.push(Value::Int(i));
                i = match i.checked_add(s) {
                    Some(n) => n,
                    None => break,
                };
            }
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
        (_, "step") => {
            let (limit, step) = (a.clone(), arg(args, 1));
            let r = Value::Range(std::rc::Rc::new((recv.clone(), limit, false)));
            let step = [step];
            let c = MethodCall {
                recv: &r,
                name: "step",
                args: &step,
                block,
                f,
            };
            return super::range::call(it, &c);
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}
