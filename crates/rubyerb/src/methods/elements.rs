//! Indexes as Ruby reads them: from the end when negative, as a start and a length, as a
//! range (for Strings too); and the nils a write past an Array's end adds, within the
//! budgets.

use std::cell::RefCell;

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::{arg, int_arg};

/// An index from the end when negative; None before the start.
pub(crate) fn norm_index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { len as i64 + i } else { i };
    if i < 0 {
        None
    } else {
        Some(i as usize)
    }
}

pub(super) fn slice(it: &mut Interp, items: &[Value], args: &[Value]) -> R<Value> {
    let len = items.len();
    Ok(match (arg(args, 0), args.get(1)) {
        (Value::Int(i), None) => norm_index(i, len)
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Nil),
        (Value::Int(i), Some(n)) => {
            let n = int_arg(it, n)?;
            match norm_index(i, len) {
                Some(i) if i <= len && n >= 0 => {
                    Value::array(items[i..(i + n as usize).min(len)].to_vec())
                }
                _ => Value::Nil,
            }
        }
        (Value::Range(r), None) => match range_span(it, &r, len as i64)? {
            Some((a, n)) => Value::array(items[a as usize..(a + n) as usize].to_vec()),
            None => Value::Nil,
        },
        (Value::Float(x), None) => norm_index(x as i64, len)
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Nil),
        (other, _) => return super::not_integer(it, &other),
    })
}

/// Grows `cell` with nils to `len` items (`a[9] = x`, `insert(9, x)` past the end), counted
/// as a new length and an allocation first: an index is the template's to choose.
pub(super) fn pad(it: &mut Interp, cell: &RefCell<Vec<Value>>, len: usize) -> R<()> {
    let have = cell.borrow().len();
    if len <= have {
        return Ok(());
    }
    let r = it.budget.len(i64::try_from(len).unwrap_or(i64::MAX));
    it.spend(r)?;
    let r = it.budget.alloc_items(len - have, crate::interp::ELEMENT);
    it.spend(r)?;
    cell.borrow_mut().resize(len, Value::Nil);
    Ok(())
}

/// Where a range starts and ends (past its last item) in a sequence of `len` items, each
/// counted from the end when negative, neither clamped: `1..-1` of 3 is (1, 3), `..2` is
/// (0, 3), `5..` is (5, 3).
fn range_bounds(it: &mut Interp, r: &crate::value::RRange, len: i64) -> R<(i64, i64)> {
    let a = match &r.0 {
        Value::Nil => 0,
        v => int_arg(it, v)?,
    };
    let (b, exclusive) = match &r.1 {
        Value::Nil => (-1, false),
        v => (int_arg(it, v)?, r.2),
    };
    let a = if a < 0 { len + a } else { a };
    let b = if b < 0 { len + b } else { b };
    Ok((a, if exclusive { b } else { b.saturating_add(1) }))
}

/// The start and length a range selects in a sequence of `len` items (`a[1..]`, `s[-3..-2]`,
/// `a[..2]`); None when its start is outside the sequence.
pub(super) fn range_span(
    it: &mut Interp,
    r: &crate::value::RRange,
    len: i64,
) -> R<Option<(i64, i64)>> {
    let (a, end) = range_bounds(it, r, len)?;
    if a < 0 || a > len {
        return Ok(None);
    }
    Ok(Some((a, end.clamp(a, len) - a)))
}

/// `Array#values_at`: items by index (nil outside the array) and by range, whose start
/// must fall within the array (Ruby's `RangeError` otherwise) and whose part past the end
/// reads as nils, counted against the budgets before they are added.
pub(super) fn values_at(it: &mut Interp, items: &[Value], args: &[Value]) -> R<Value> {
    let len = items.len() as i64;
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        let Value::Range(r) = a else {
            let i = int_arg(it, a)?;
            out.push(
                norm_index(i, items.len())
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or(Value::Nil),
            );
            continue;
        };
        let (start, end) = range_bounds(it, r, len)?;
        if start < 0 {
            let shown = crate::format::inspect(a);
            return it.err("RangeError", format!("{shown} out of range"));
        }
        let want = end.saturating_sub(start).max(0);
        let r = it.budget.len(
            i64::try_from(out.len())
                .unwrap_or(i64::MAX)
                .saturating_add(want),
        );
        it.spend(r)?;
        let r = it.budget.alloc_items(
            usize::try_from(want).unwrap_or(usize::MAX),
            crate::interp::ELEMENT,
        );
        it.spend(r)?;
        for j in start..start + want {
            out.push(items.get(j as usize).cloned().unwrap_or(Value::Nil));
        }
    }
    Ok(Value::array(out))
}

/// `Array#slice!`: what `slice` answers for the same arguments, taken out of the array.
pub(super) fn slice_bang(it: &mut Interp, cell: &RefCell<Vec<Value>>, args: &[Value]) -> R<Value> {
    let len = cell.borrow().len();
    let (start, count) = match (arg(args, 0), args.get(1)) {
        (i @ (Value::Int(_) | Value::Float(_)), None) => {
            return Ok(match norm_index(int_arg(it, &i)?, len) {
                Some(i) if i < len => cell.borrow_mut().remove(i),
                _ => Value::Nil,
            });
        }
        (Value::Int(i), Some(n)) => {
            let n = int_arg(it, n)?;
            match norm_index(i, len) {
                Some(i) if i <= len && n >= 0 => (i, (n as usize).min(len - i)),
                _ => return Ok(Value::Nil),
            }
        }
        (Value::Range(r), None) => match range_span(it, &r, len as i64)? {
            Some((a, n)) => (a as usize, n as usize),
            None => return Ok(Value::Nil),
        },
        (other, _) => return super::not_integer(it, &other),
    };
    Ok(Value::array(
        cell.borrow_mut().drain(start..start + count).collect(),
    ))
}

/// `Array#fill`: with a value, or with a block given each index; over the whole array, from
/// a start (from the end when negative, never before 0) for a length or to the end, or over
/// a range, whose start must fall at or after the array's (Ruby's `RangeError` otherwise).
/// A part past the end grows the array, counted against the budgets first.
pub(super) fn fill(
    it: &mut Interp,
    cell: &RefCell<Vec<Value>>,
    args: &[Value],
    block: Option<&Value>,
) -> R<()> {
    let (item, at) = match block {
        Some(_) => (None, args),
        None if args.is_empty() => return it.argc(0, "1..3"),
        None => (Some(arg(args, 0)), &args[1..]),
    };
    let len = cell.borrow().len() as i64;
    let (start, count) = match at {
        [] => (0, len),
        [r @ Value::Range(range)] => {
            let (start, end) = range_bounds(it, range, len)?;
            if start < 0 {
                let shown = crate::format::inspect(r);
                return it.err("RangeError", format!("{shown} out of range"));
            }
            (start, end.saturating_sub(start).max(0))
        }
        [s, rest @ ..] => {
            let start = match s {
                Value::Nil => 0,
                s => int_arg(it, s)?,
            };
            let start = if start < 0 {
                (len + start).max(0)
            } else {
                start
            };
            let count = match rest.first() {
                None | Some(Value::Nil) => len - start,
                Some(n) => int_arg(it, n)?,
            };
            (start, count)
        }
    };
    if count <= 0 {
        return Ok(());
    }
    let end = start.saturating_add(count);
    pad(it, cell, usize::try_from(end).unwrap_or(usize::MAX))?;
    for i in start..end {
        let v = match (&item, block) {
            (Some(v), _) => v.clone(),
            (None, Some(b)) => it.call_block1(b, Value::Int(i))?,
            (None, None) => Value::Nil,
        };
        // a block that shortened the array ends the fill, as Ruby's does
        match cell.borrow_mut().get_mut(i as usize) {
            Some(slot) => *slot = v,
            None => break,
        }
    }
    Ok(())
}

/// `String#byteslice`: `slice`'s index, start and length, or range, over the string's bytes
/// (a cut through a character reads as the replacement character, where Ruby keeps the
/// broken bytes).
pub(super) fn byteslice(it: &mut Interp, s: &str, args: &[Value]) -> R<Value> {
    let b = s.as_bytes();
    let len = b.len();
    let part = match (arg(args, 0), args.get(1)) {
        (Value::Range(r), None) => {
            range_span(it, &r, len as i64)?.map(|(a, n)| &b[a as usize..(a + n) as usize])
        }
        (i, None) => norm_index(int_arg(it, &i)?, len)
            .filter(|i| *i < len)
            .map(|i| &b[i..i + 1]),
        (i, Some(n)) => {
            let (i, n) = (int_arg(it, &i)?, int_arg(it, n)?);
            norm_index(i, len)
                .filter(|i| *i <= len && n >= 0)
                .map(|i| &b[i..(i + n as usize).min(len)])
        }
    };
    Ok(part.map_or(Value::Nil, |p| Value::from_bytes(p.to_vec())))
}
