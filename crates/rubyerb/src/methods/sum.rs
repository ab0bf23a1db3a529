//! `sum`, as Ruby's Array and Enumerable add: Integers exactly; once a Float comes (or the
//! start is one), Kahan-Babuska compensated addition over the numbers, so that
//! `[0.1, 0.2, 0.3].sum` is 0.6 and not 0.6000000000000001, with an infinity or NaN taken
//! as Ruby takes it; after anything else, that value's own `+`.

use super::super::interp::{Frame, Interp, R};
use super::super::value::Value;
use super::compare::{add, num};

pub(super) enum Sum {
    /// Integers only so far: their total apart from the start, which Ruby adds to it (as
    /// `total + start`) only when something else comes, or at the end.
    Ints { n: Value, start: Value, seen: bool },
    /// The compensated sum: the running total and the error it has dropped.
    Float { f: f64, c: f64 },
    /// A start or a value that is no number: `+` from there on.
    Other(Value),
}

impl Sum {
    /// Array#sum's: any start goes through the Integer phase.
    pub(super) fn array(start: Value) -> Sum {
        Sum::Ints {
            n: Value::Int(0),
            start,
            seen: false,
        }
    }

    /// Enumerable#sum's: a Float start is summed compensated from the first value, a start
    /// that is no number with `+`.
    pub(super) fn enumerable(start: Value) -> Sum {
        match start {
            Value::Float(f) => Sum::Float { f, c: 0.0 },
            Value::Int(_) | Value::Big(_) => Sum::array(start),
            v => Sum::Other(v),
        }
    }

    pub(super) fn add(&mut self, it: &mut Interp, x: Value, fr: &Frame) -> R<()> {
        match self {
            Sum::Ints { n, start, seen } => match x {
                Value::Int(_) | Value::Big(_) => {
                    *n = add(it, n, &x, fr)?;
                    *seen = true;
                }
                x => {
                    let v = if *seen {
                        add(it, n, start, fr)?
                    } else {
                        std::mem::take(start)
                    };
                    *self = match x {
                        Value::Float(x) => {
                            let (mut f, mut c) = (to_f(it, &v)?, 0.0);
                            compensated(&mut f, &mut c, x);
                            Sum::Float { f, c }
                        }
                        x => Sum::Other(add(it, &v, &x, fr)?),
                    };
                }
            },
            Sum::Float { f, c } => match x {
                Value::Int(_) | Value::Big(_) | Value::Float(_) => compensated(f, c, num(&x)),
                // Ruby goes on from the total without the error it kept
                x => *self = Sum::Other(add(it, &Value::Float(*f), &x, fr)?),
            },
            Sum::Other(v) => *v = add(it, v, &x, fr)?,
        }
        Ok(())
    }

    pub(super) fn finish(self, it: &mut Interp, fr: &Frame) -> R<Value> {
        Ok(match self {
            Sum::Ints { n, start, seen } if seen => add(it, &n, &start, fr)?,
            Sum::Ints { start, .. } => start,
            Sum::Other(v) => v,
            Sum::Float { f, c } => Value::Float(f + c),
        })
    }
}

/// The start as a Float when a Float is added to it, with the words of Ruby's C conversion.
fn to_f(it: &Interp, v: &Value) -> R<f64> {
    match v {
        Value::Int(_) | Value::Big(_) | Value::Float(_) => Ok(num(v)),
        Value::Nil => it.type_err("no implicit conversion to float from nil"),
        Value::Bool(b) => it.type_err(format!("no implicit conversion to float from {b}")),
        Value::Str(_) => it.type_err("no implicit conversion to float from string"),
        other => it.type_err(format!("can't convert {} into Float", other.class_name())),
    }
}

/// One step of Kahan-Babuska summation. A NaN stays; an infinity replaces the total (one of
/// the other sign makes it NaN) and is not compensated, as in Ruby, where the plain step
/// would turn `Infinity + 1.0` into NaN through the error term.
fn compensated(f: &mut f64, c: &mut f64, x: f64) {
    if f.is_nan() {
        return;
    }
    if x.is_nan() {
        *f = x;
        return;
    }
    if x.is_infinite() {
        *f = if f.is_infinite() && x.is_sign_negative() != f.is_sign_negative() {
            f64::NAN
        } else {
            x
        };
        return;
    }
    if f.is_infinite() {
        return;
    }
    let t = *f + x;
    if f.abs() >= x.abs() {
        *c += (*f - t) + x;
    } else {
        *c += (x - t) + *f;
    }
    *f = t;
}
