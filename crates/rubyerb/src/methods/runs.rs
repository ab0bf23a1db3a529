//! Runs of consecutive elements: `chunk` (runs of equal keys), `chunk_while` and
//! `slice_when` (runs a block ends between two neighbours). Each gives an array of the runs
//! where Ruby gives an enumerator of them: the same elements, not the same class.

use super::super::interp::{Interp, R};
use super::super::value::Value;

/// `name` (`chunk`, `chunk_while` or `slice_when`) over `items` with `block`.
pub(super) fn runs(
    it: &mut Interp,
    name: &str,
    block: Option<Value>,
    items: Vec<Value>,
) -> R<Value> {
    if name == "chunk" {
        chunk(it, block, items)
    } else {
        split(it, name == "chunk_while", block, items)
    }
}

/// Runs of elements whose keys are equal, as `[key, elements]`: a nil or `:_separator` key
/// drops its element and ends the run, `:_alone` makes a run of its own, and other keys that
/// begin with an underscore are reserved.
fn chunk(it: &mut Interp, block: Option<Value>, items: Vec<Value>) -> R<Value> {
    let Some(b) = block else {
        return it.unsupported("Enumerable#chunk without a block");
    };
    let mut out: Vec<Value> = Vec::new();
    let mut cur: Option<(Value, Vec<Value>)> = None;
    let flush = |out: &mut Vec<Value>, cur: &mut Option<(Value, Vec<Value>)>| {
        if let Some((k, v)) = cur.take() {
            out.push(Value::array(vec![k, Value::array(v)]));
        }
    };
    for x in items {
        let k = it.call_block1(&b, x.clone())?;
        let reserved = match &k {
            Value::Nil => Some(false),
            Value::Sym(s) if &**s == "_separator" => Some(false),
            Value::Sym(s) if &**s == "_alone" => Some(true),
            Value::Sym(s) if s.starts_with('_') => {
                return it.err(
                    "RuntimeError",
                    "symbols beginning with an underscore are reserved",
                )
            }
            _ => None,
        };
        match reserved {
            Some(alone) => {
                flush(&mut out, &mut cur);
                if alone {
                    out.push(Value::array(vec![k, Value::array(vec![x])]));
                }
            }
            None => match &mut cur {
                Some((ck, v)) if super::super::value::rb_eq(ck, &k) => v.push(x),
                _ => {
                    flush(&mut out, &mut cur);
                    cur = Some((k, vec![x]));
                }
            },
        }
    }
    flush(&mut out, &mut cur);
    Ok(Value::array(out))
}

/// Runs that the block ends between two neighbours: where it answers false for
/// `chunk_while`, true for `slice_when`.
fn split(it: &mut Interp, chunk_while: bool, block: Option<Value>, items: Vec<Value>) -> R<Value> {
    // Ruby makes no enumerator of these: their block is a Proc they keep
    let Some(b) = block else {
        return it.arg_err("tried to create Proc object without a block");
    };
    let mut out: Vec<Value> = Vec::new();
    let mut cur: Vec<Value> = Vec::new();
    for x in items {
        if let Some(prev) = cur.last().cloned() {
            let r = it.call_block(&b, vec![prev, x.clone()])?.truthy();
            if r != chunk_while {
                out.push(Value::array(std::mem::take(&mut cur)));
            }
        }
        cur.push(x);
    }
    if !cur.is_empty() {
        out.push(Value::array(cur));
    }
    Ok(Value::array(out))
}
