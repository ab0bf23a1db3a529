//! Integers past 64 bits. Ruby's Integer has no width: `Digest::MD5.hexdigest(x).to_i(16)`
//! is a 128-bit number, and templates take it modulo something to spread instances
//! deterministically. An integer that fits in 64 bits is always `Value::Int`; one that does
//! not is `Value::Big`, and every result comes back through [`int`], so the two never
//! describe the same number.
//!
//! Size is budgeted: a result past [`MAX_BITS`] is refused (an exponent is checked before
//! the power is computed), so `2 ** (2 ** 40)` cannot fill memory.

use std::rc::Rc;

use num_bigint::BigInt;
use num_integer::Integer as _;
use num_traits::{Signed, ToPrimitive, Zero};

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::arg;

/// The widest integer a template may make: 65,536 bits (19,729 decimal digits), far past
/// any digest or id a template handles.
pub const MAX_BITS: u64 = 1 << 16;

/// A sum or count worked out past 64 bits (`with_index`'s offsets, `Range#size`): a 64-bit
/// Integer when it fits, with no big integer made for it.
pub fn int_wide(n: i128) -> Value {
    i64::try_from(n).map_or_else(|_| int(n.into()), Value::Int)
}

/// `b` as Ruby holds it: a 64-bit Integer when it fits.
pub fn int(b: BigInt) -> Value {
    match b.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::Big(Rc::new(b)),
    }
}

/// The integer `v` holds, if it holds one.
pub fn of(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Big(b) => Some((**b).clone()),
        _ => None,
    }
}

/// The nearest float, infinite past the floats' range (as Ruby's `Integer#to_f`).
pub fn to_f64(b: &BigInt) -> f64 {
    b.to_f64().unwrap_or(if b.is_negative() {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    })
}

/// Ruby's `Float#to_i` for a float past 64 bits: its exact integer value.
pub fn from_f64(x: f64) -> Option<Value> {
    <BigInt as num_traits::FromPrimitive>::from_f64(x.trunc()).map(int)
}

/// `b`, or the size budget's error.
pub(crate) fn fit(it: &Interp, b: BigInt) -> R<Value> {
    if b.bits() > MAX_BITS {
        return too_big(it, b.bits());
    }
    Ok(int(b))
}

pub(crate) fn too_big<T>(it: &Interp, bits: u64) -> R<T> {
    it.err(
        "RangeError",
        format!(
            "an integer of {bits} bits is past the {MAX_BITS}-bit limit bale sets for templates"
        ),
    )
}

/// Integers of any width parsed from `digits` (no sign, no prefix, no underscores) in
/// `radix`: what `to_i`, `hex`, `oct` and `Integer()` give past 64 bits.
pub fn parse(digits: &str, radix: u32, negative: bool) -> Option<Value> {
    let b = BigInt::parse_bytes(digits.as_bytes(), radix)?;
    if b.bits() > MAX_BITS {
        return None;
    }
    Some(int(if negative { -b } else { b }))
}

/// An Integer method where the receiver or the operand is past 64 bits, or where a 64-bit
/// operation overflowed (`recv` and the operand both `Int`): `None` for a name this does
/// not answer, which falls to the Float methods (`big + 1.5`) or to NoMethodError.
pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let (recv, name, args) = (c.recv, c.name, c.args);
    let Some(x) = of(recv) else {
        return Ok(None);
    };
    if let [a] = args {
        if let Some(y) = of(a) {
            if let Some(v) = binary(it, &x, name, &y)? {
                return Ok(Some(v));
            }
        } else if let ("==" | "===" | "eql?", Value::Float(f)) = (name, a) {
            return Ok(Some(Value::Bool(name != "eql?" && to_f64(&x) == *f)));
        }
    }
    if let ("pow", [e, m]) = (name, args) {
        // Ruby's order of checks: the power's type, its sign, the modulus's type, then zero
        let Some(e) = of(e) else {
            return it.err(
                "TypeError",
                "Integer#pow() 2nd argument not allowed unless a 1st argument is integer",
            );
        };
        if e.is_negative() {
            return it.err(
                "RangeError",
                "Integer#pow() 1st argument cannot be negative when 2nd argument specified",
            );
        }
        let Some(m) = of(m) else {
            return it.err(
                "TypeError",
                "Integer#pow() 2nd argument not allowed unless all arguments are integers",
            );
        };
        if m.is_zero() {
            return it.err("ZeroDivisionError", "divided by 0");
        }
        // in [0, m) for a positive modulus and (m, 0] for a negative one, as `%` gives
        return Ok(Some(int(x.modpow(&e, &m))));
    }
    if !args.is_empty() {
        return match name {
            "floor" | "ceil" | "round" | "truncate" => {
                super::round::int(it, recv, name, args).map(Some)
            }
            "to_s" | "inspect" => {
                let radix = super::radix_arg(it, &arg(args, 0))?;
                if radix == 0 {
                    return it.arg_err("invalid radix 0");
                }
                Ok(Some(Value::str(x.to_str_radix(radix))))
            }
            "digits" => digits(it, &x, &args[0]).map(Some),
            // one bit: past the magnitude, the sign's (two's complement, as Ruby reads it)
            "[]" => match args {
                [Value::Int(i)] => Ok(Some(Value::Int(if *i < 0 {
                    0
                } else {
                    i64::from((x >> (*i as u64)).is_odd())
                }))),
                [Value::Big(i)] => Ok(Some(Value::Int(if i.is_negative() {
                    0
                } else {
                    i64::from(x.is_negative())
                }))),
                _ => Ok(None),
            },
            "coerce" => match &args[0] {
                Value::Float(f) => Ok(Some(Value::array(vec![
                    Value::Float(*f),
                    Value::Float(to_f64(&x)),
                ]))),
                _ => Ok(None),
            },
            _ => Ok(None),
        };
    }
    let one = || BigInt::from(1);
    Ok(Some(match name {
        "to_s" | "inspect" => Value::str(x.to_string()),
        "to_i" | "to_int" | "floor" | "ceil" | "round" | "truncate" | "+@" | "numerator"
        | "ord" => recv.clone(),
        "denominator" => Value::Int(1),
        "to_f" => Value::Float(to_f64(&x)),
        "-@" => int(-x),
        // two's complement of an unbounded integer: -(x + 1)
        "~" => int(!x),
        "abs" | "magnitude" => int(x.abs()),
        "succ" | "next" => fit(it, x + one())?,
        "pred" => fit(it, x - one())?,
        "zero?" => Value::Bool(x.is_zero()),
        "nonzero?" => {
            if x.is_zero() {
                Value::Nil
            } else {
                recv.clone()
            }
        }
        "positive?" => Value::Bool(x.is_positive()),
        "negative?" => Value::Bool(x.is_negative()),
        "even?" => Value::Bool(x.is_even()),
        "odd?" => Value::Bool(x.is_odd()),
        "integer?" | "finite?" => Value::Bool(true),
        "digits" => digits(it, &x, &Value::Int(10))?,
        "chr" => return it.err("RangeError", "bignum out of char range"),
        // the bytes of its magnitude, as a 64-bit Ruby stores a bignum
        "size" => Value::Int(x.bits().div_ceil(8) as i64),
        "infinite?" => Value::Nil,
        "bit_length" => Value::Int(if x.is_negative() {
            (-x - one()).bits() as i64
        } else {
            x.bits() as i64
        }),
        "hash" => Value::Int({
            use std::hash::BuildHasher;
            rustc_hash::FxBuildHasher.hash_one(&x) as i64
        }),
        _ => return Ok(None),
    }))
}

/// `x NAME y` for two integers, any width.
fn binary(it: &mut Interp, x: &BigInt, name: &str, y: &BigInt) -> R<Option<Value>> {
    let zero_div = |it: &Interp| it.err("ZeroDivisionError", "divided by 0");
    Ok(Some(match name {
        "+" => fit(it, x + y)?,
        "-" => fit(it, x - y)?,
        "*" => fit(it, x * y)?,
        "/" | "div" => {
            if y.is_zero() {
                return zero_div(it);
            }
            int(x.div_floor(y))
        }
        "%" | "modulo" => {
            if y.is_zero() {
                return zero_div(it);
            }
            int(x.mod_floor(y))
        }
        "remainder" => {
            if y.is_zero() {
                return zero_div(it);
            }
            int(x % y)
        }
        "divmod" => {
            if y.is_zero() {
                return zero_div(it);
            }
            let (q, m) = x.div_mod_floor(y);
            Value::array(vec![int(q), int(m)])
        }
        "**" | "pow" => {
            if y.is_negative() {
                // a Rational in Ruby (a Float in bale), but for the bases whose answer is an
                // Integer, or none; small powers come here too (num.rs)
                if x.is_zero() {
                    return zero_div(it);
                }
                if *x == BigInt::from(1) || *x == BigInt::from(-1) {
                    let odd = x.is_negative() && y.is_odd();
                    return Ok(Some(Value::Int(if odd { -1 } else { 1 })));
                }
                return Ok(Some(Value::Float(to_f64(x).powf(to_f64(y)))));
            }
            if x.is_zero() || *x == BigInt::from(1) {
                return Ok(Some(int(x.clone())));
            }
            if *x == BigInt::from(-1) {
                return Ok(Some(Value::Int(if y.is_even() { 1 } else { -1 })));
            }
            // the power has at least (bits of x - 1) * y + 1 bits: refused before it is made
            let e = y
                .to_u64()
                .filter(|e| (x.bits() - 1).saturating_mul(*e) < MAX_BITS);
            match e {
                Some(e) => fit(it, num_traits::Pow::pow(x, e))?,
                None => {
                    return too_big(
                        it,
                        (x.bits() - 1).saturating_mul(y.to_u64().unwrap_or(u64::MAX)),
                    )
                }
            }
        }
        "&" => int(x & y),
        "|" => int(x | y),
        "^" => int(x ^ y),
        "<<" | ">>" => {
            let left = (name == "<<") != y.is_negative();
            let n = y.abs().to_u64().unwrap_or(u64::MAX);
            if left {
                if x.is_zero() {
                    return Ok(Some(Value::Int(0)));
                }
                if n >= MAX_BITS {
                    return too_big(it, x.bits().saturating_add(n));
                }
                fit(it, x << n)?
            } else if n >= x.bits() {
                Value::Int(if x.is_negative() { -1 } else { 0 })
            } else {
                // rounds toward negative infinity, as Ruby's arithmetic shift does
                int(x >> n)
            }
        }
        "<=>" => Value::Int(x.cmp(y) as i64),
        "==" | "===" | "eql?" => Value::Bool(x == y),
        "<" => Value::Bool(x < y),
        ">" => Value::Bool(x > y),
        "<=" => Value::Bool(x <= y),
        ">=" => Value::Bool(x >= y),
        "gcd" => int(x.gcd(y)),
        "lcm" => int(x.lcm(y)),
        "fdiv" => Value::Float(to_f64(x) / to_f64(y)),
        _ => return Ok(None),
    }))
}

/// `x.digits(base)` for every Integer, small ones too: the digits, least significant first;
/// a base past 64 bits gives the number itself when it is smaller.
pub(super) fn digits(it: &mut Interp, x: &BigInt, base: &Value) -> R<Value> {
    let Some(b) = of(base) else {
        return super::not_to_int(it, base);
    };
    if b.is_negative() {
        return it.arg_err("negative radix");
    }
    if b < BigInt::from(2) {
        return it.arg_err(format!("invalid radix {b}"));
    }
    if x.is_negative() {
        return it.err("Math::DomainError", "out of domain");
    }
    let mut out = Vec::new();
    let mut n = x.clone();
    loop {
        let (q, r) = n.div_rem(&b);
        out.push(int(r));
        if q.is_zero() {
            break;
        }
        n = q;
    }
    Ok(Value::array(out))
}
