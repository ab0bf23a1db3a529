//! Integer's bit reads: `n[i]`, `n[i, len]` and `n[a..b]`, within 64 bits (a result past
//! them is refused by name); a mask's bits asked (`allbits?`), at any width.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::int_arg;

/// `n[i, len]` and `n[a..b]` as Ruby reads them: `n >> i` masked to `len` bits (a negative
/// `i` shifts left, a negative `len` masks nothing); a range whose end is before its start
/// is the shift alone, an endless one the shift, a beginless one 0 when no bit below its
/// end is set.
pub(super) fn bits(it: &mut Interp, n: i64, args: &[Value]) -> R<Value> {
    let v = match args {
        [Value::Range(r)] => match (&r.0, &r.1) {
            (Value::Nil, Value::Nil) => {
                return it.type_err("no implicit conversion of nil into Integer")
            }
            (Value::Nil, e) => {
                let e = int_arg(it, e)?;
                if e < 0 || masked(it, n, e.saturating_add(i64::from(!r.2)))? == 0 {
                    0
                } else {
                    return it.arg_err("The beginless range for Integer#[] results in infinity");
                }
            }
            (b, Value::Nil) => shift(it, n, int_arg(it, b)?)?,
            (b, e) => {
                let (b, e) = (int_arg(it, b)?, int_arg(it, e)?);
                let s = shift(it, n, b)?;
                match b.cmp(&e) {
                    std::cmp::Ordering::Less => masked(it, s, e - b + i64::from(!r.2))?,
                    std::cmp::Ordering::Equal if r.2 => 0,
                    std::cmp::Ordering::Equal => bit(n, b),
                    std::cmp::Ordering::Greater => s,
                }
            }
        },
        [i, len] => {
            let (i, len) = (int_arg(it, i)?, int_arg(it, len)?);
            let s = shift(it, n, i)?;
            masked(it, s, len)?
        }
        _ => return it.type_err("no implicit conversion into Integer"),
    };
    Ok(Value::Int(v))
}

/// Bit `b` of `n` (bits past 63 repeat the sign).
pub(super) fn bit(n: i64, b: i64) -> i64 {
    if b < 0 {
        0
    } else if b > 63 {
        i64::from(n < 0)
    } else {
        (n >> b) & 1
    }
}

/// `n >> by`, a negative `by` shifting left; refused past 64 bits.
fn shift(it: &Interp, n: i64, by: i64) -> R<i64> {
    if by >= 0 {
        return Ok(n >> by.min(63));
    }
    let left = by.unsigned_abs();
    if n == 0 {
        return Ok(0);
    }
    match (left < 64)
        .then(|| i64::try_from(i128::from(n) << left).ok())
        .flatten()
    {
        Some(v) => Ok(v),
        None => it.unsupported("Integer#[] with a result past 64 bits"),
    }
}

/// The low `len` bits of `n` (a negative `len` keeps them all, as Ruby's mask of
/// `(1 << len) - 1` does); refused when that is past 64 bits.
fn masked(it: &Interp, n: i64, len: i64) -> R<i64> {
    if len < 0 || (len >= 63 && n >= 0) {
        Ok(n)
    } else if len >= 63 {
        it.unsupported("Integer#[] taking 63 or more bits of a negative integer")
    } else {
        Ok(n & ((1i64 << len) - 1))
    }
}

/// `allbits?`, `anybits?` and `nobits?`: `n & mask` against the mask or zero. The mask is
/// taken as an Integer (a Float by its integer part, as Ruby's implicit conversion does).
pub(super) fn mask_test(it: &Interp, n: &Value, name: &str, mask: &Value) -> R<Value> {
    use super::bignum::of;
    let m = match (of(mask), mask) {
        (Some(m), _) => m,
        (None, Value::Float(f)) => num_bigint::BigInt::from(*f as i64),
        (None, other) => return super::not_to_int(it, other),
    };
    let Some(x) = of(n) else {
        return it.type_err("no implicit conversion into Integer");
    };
    let and = x & &m;
    Ok(Value::Bool(match name {
        "allbits?" => and == m,
        "anybits?" => and != num_bigint::BigInt::ZERO,
        _ => and == num_bigint::BigInt::ZERO,
    }))
}
