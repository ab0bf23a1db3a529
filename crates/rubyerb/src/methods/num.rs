//! Integer and Float methods with Ruby's semantics: floored division and modulo, Integer
//! vs Float results, `round` half away from zero.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{AsciiEnc, Value};
use super::super::MethodCall;
use super::{arg, int_arg, radix_arg, round};

pub const NAMES: &[&str] = &[
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "to_s",
    "to_i",
    "to_f",
    "times",
    "upto",
    "downto",
    "even?",
    "odd?",
    "zero?",
    "abs",
    "round",
    "floor",
    "ceil",
    "succ",
    "pred",
    "between?",
    "clamp",
    "divmod",
    "fdiv",
    "positive?",
    "negative?",
    "chr",
    "ord",
    "step",
    "digits",
    "size",
    "[]",
    "quo",
    "truncate",
    "div",
    "modulo",
    "remainder",
    "abs2",
];

/// A number as a Float (an Integer converts, as Ruby's Float arithmetic converts it).
pub(super) fn f64_of(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Big(b) => Some(super::bignum::to_f64(b)),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Ruby's `TypeError` for an operand a number cannot take: `nil`, `true`, `false` and
/// floats are shown as they print, anything else by its class.
pub(super) fn coerce_err<T>(it: &Interp, recv: &Value, other: &Value) -> R<T> {
    let on = match other {
        Value::Nil | Value::Bool(_) | Value::Float(_) => super::super::format::inspect(other),
        o => o.class_name(),
    };
    it.type_err(format!("{on} can't be coerced into {}", recv.class_name()))
}

/// Floored division and modulo of floats as Ruby computes them (through `fmod`, so the
/// modulo of a large dividend keeps its precision).
fn flo_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut d = ((x - m) / y).round();
    if y * m < 0.0 {
        m += y;
        d -= 1.0;
    }
    (d, m)
}

/// The answer of an operator between two Integers when it cannot fail: `None` for an
/// overflow, a division by zero or another name, which [`call`] answers (or raises).
/// Inlined into its callers, so that the answer stays in registers (see `Scope::local`).
#[inline(always)]
pub fn int_op(x: i64, name: &str, y: i64) -> Option<Value> {
    match name.as_bytes() {
        b"+" => x.checked_add(y).map(Value::Int),
        b"-" => x.checked_sub(y).map(Value::Int),
        b"*" => x.checked_mul(y).map(Value::Int),
        b"<" => Some(Value::Bool(x < y)),
        b">" => Some(Value::Bool(x > y)),
        b"<=" => Some(Value::Bool(x <= y)),
        b">=" => Some(Value::Bool(x >= y)),
        b"==" => Some(Value::Bool(x == y)),
        b"/" if y != 0 => floor_div(x, y).map(Value::Int),
        b"%" if y != 0 => Some(Value::Int(floor_mod(x, y))),
        b"&" => Some(Value::Int(x & y)),
        b"|" => Some(Value::Int(x | y)),
        b"<=>" => Some(Value::Int((x > y) as i64 - (x < y) as i64)),
        _ => None,
    }
}

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv, name, args, ..
    } = *c;
    let a = arg(args, 0);
    if let (Some(cx), [_]) = (super::complex::parts(&a), args) {
        if let Some(v) = super::complex::real_op(it, recv, name, cx)? {
            return Ok(Some(v));
        }
    }
    if let (Value::Big(_), "equal?") = (recv, name) {
        // a big integer is an object of its own: equal values made apart are not the same
        return Ok(Some(Value::Bool(super::object::identical(recv, &a))));
    }
    // a big integer on either side, and `pow(e, m)` (modular, any width), are answered by
    // the big-integer methods
    if matches!(recv, Value::Big(_))
        || matches!((recv, &a), (Value::Int(_), Value::Big(_)))
        || (name == "pow" && args.len() == 2)
    {
        if let Some(v) = super::bignum::call(it, c)? {
            return Ok(Some(v));
        }
    }
    if let (Value::Int(x), Value::Int(y)) = (recv, &a) {
        let (x, y) = (*x, *y);
        let r = match name {
            "+" => x.checked_add(y).map(Value::Int),
            "-" => x.checked_sub(y).map(Value::Int),
            "*" => x.checked_mul(y).map(Value::Int),
            "/" | "div" => {
                if y == 0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                floor_div(x, y).map(Value::Int)
            }
            "%" | "modulo" => {
                if y == 0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                Some(Value::Int(floor_mod(x, y)))
            }
            "remainder" => {
                if y == 0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                // only i64::MIN by -1 has no i64 quotient; its remainder is 0
                Some(Value::Int(x.checked_rem(y).unwrap_or(0)))
            }
            "**" | "pow" => {
                if y < 0 {
                    // one place answers negative powers, of any size (bignum.rs)
                    return super::bignum::call(it, c);
                } else {
                    u32::try_from(y)
                        .ok()
                        .and_then(|e| x.checked_pow(e))
                        .map(Value::Int)
                }
            }
            "&" => Some(Value::Int(x & y)),
            "|" => Some(Value::Int(x | y)),
            "^" => Some(Value::Int(x ^ y)),
            "<<" | ">>" => {
                let (left, n) = ((name == "<<") != (y < 0), y.unsigned_abs());
                if !left {
                    Some(Value::Int(x >> n.min(63)))
                } else if n < 64 && (x << n) >> n == x {
                    Some(Value::Int(x << n))
                } else {
                    // past 64 bits
                    return super::bignum::call(it, c);
                }
            }
            "<=>" => Some(Value::Int((x > y) as i64 - (x < y) as i64)),
            "==" | "===" | "eql?" | "equal?" => Some(Value::Bool(x == y)),
            "<" => Some(Value::Bool(x < y)),
            ">" => Some(Value::Bool(x > y)),
            "<=" => Some(Value::Bool(x <= y)),
            ">=" => Some(Value::Bool(x >= y)),
            "divmod" => {
                if y == 0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                floor_div(x, y)
                    .map(|q| Value::array(vec![Value::Int(q), Value::Int(floor_mod(x, y))]))
            }
            "gcd" => gcd(x, y).map(Value::Int),
            "lcm" => {
                if x == 0 || y == 0 {
                    Some(Value::Int(0))
                } else {
                    gcd(x, y)
                        .and_then(|g| (x / g).checked_mul(y))
                        .and_then(i64::checked_abs)
                        .map(Value::Int)
                }
            }
            "fdiv" => Some(Value::Float(x as f64 / y as f64)),
            _ => None,
        };
        if let Some(v) = r {
            return Ok(Some(v));
        }
        if matches!(
            name,
            "+" | "-" | "*" | "**" | "pow" | "/" | "div" | "divmod" | "gcd" | "lcm"
        ) {
            // overflow: the answer is past 64 bits
            return super::bignum::call(it, c);
        }
    }
    if matches!(recv, Value::Int(_) | Value::Big(_)) && !matches!(a, Value::Int(_) | Value::Big(_))
    {
        match (name, &a) {
            ("&" | "|" | "^", _) => return coerce_err(it, recv, &a),
            ("gcd" | "lcm" | "gcdlcm", _) if args.len() == 1 => {
                return it.type_err("not an integer")
            }
            // a shift by a float is by its integer part, by anything else an error
            ("<<" | ">>", Value::Float(y)) if y.is_finite() => {
                let by = [Value::Int(*y as i64)];
                return call(
                    it,
                    &MethodCall {
                        args: &by,
                        ..c.named(name)
                    },
                );
            }
            ("<<" | ">>", _) => return super::not_to_int(it, &a),
            _ => {}
        }
    }
    if matches!(recv, Value::Int(_) | Value::Big(_)) {
        match (name, &a) {
            ("quo", Value::Int(_) | Value::Big(_)) | ("to_r" | "rationalize", _) => {
                return it.unsupported(&format!("Integer#{name} (a Rational)"))
            }
            ("allbits?" | "anybits?" | "nobits?", _) => {
                return super::bits::mask_test(it, recv, name, &a).map(Some)
            }
            ("gcdlcm", _) => {
                let mut both = Vec::with_capacity(2);
                for part in ["gcd", "lcm"] {
                    match call(it, &c.named(part))? {
                        Some(v) => both.push(v),
                        None => return Ok(None),
                    }
                }
                return Ok(Some(Value::array(both)));
            }
            ("abs2", _) if args.is_empty() => {
                let me = [recv.clone()];
                return call(
                    it,
                    &MethodCall {
                        args: &me,
                        ..c.named("*")
                    },
                );
            }
            _ => {}
        }
    }
    if matches!(
        name,
        "+" | "-"
            | "*"
            | "/"
            | "%"
            | "**"
            | "<"
            | ">"
            | "<="
            | ">="
            | "<=>"
            | "divmod"
            | "fdiv"
            | "modulo"
            | "pow"
            | "div"
            | "remainder"
            | "quo"
    ) {
        let Some(x) = f64_of(recv) else {
            return Ok(None);
        };
        let Some(y) = f64_of(&a) else {
            if name == "<=>" {
                return Ok(Some(Value::Nil));
            }
            if matches!(name, "<" | ">" | "<=" | ">=") {
                let an = match &a {
                    Value::Nil => "nil".into(),
                    Value::Str(_) => "String".into(),
                    o => o.class_name(),
                };
                return it.arg_err(format!(
                    "comparison of {} with {} failed",
                    recv.class_name(),
                    an
                ));
            }
            return coerce_err(it, recv, &a);
        };
        let v = match name {
            "+" => Value::Float(x + y),
            "-" => Value::Float(x - y),
            "*" => Value::Float(x * y),
            "/" | "fdiv" | "quo" => Value::Float(x / y),
            // a float modulo by zero raises, where a float division gives Infinity or NaN
            "%" | "modulo" | "remainder" if y == 0.0 => {
                return it.err("ZeroDivisionError", "divided by 0")
            }
            "%" | "modulo" => Value::Float(flo_divmod(x, y).1),
            // Numeric's: the floor of the quotient, as an Integer
            "div" => {
                if y == 0.0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                let q = (x / y).floor();
                if !q.is_finite() {
                    return it.err("FloatDomainError", format::float_to_s(q));
                }
                round::to_integer(it, q)?
            }
            // Numeric's: the modulo moved to the dividend's sign
            "remainder" => {
                let z = flo_divmod(x, y).1;
                if z != 0.0 && ((x < 0.0 && y > 0.0) || (x > 0.0 && y < 0.0)) {
                    if y.is_infinite() {
                        return Ok(Some(recv.clone()));
                    }
                    Value::Float(z - y)
                } else {
                    Value::Float(z)
                }
            }
            "pow" if matches!(recv, Value::Float(_)) => return Ok(None), // Integer's only
            // a negative number to a fractional power (or NaN) is a Complex, as in Ruby
            "**" | "pow" if x < 0.0 && y != y.round() => {
                return Ok(Some(super::complex::power_of_negative(it, x, y)))
            }
            "**" | "pow" => Value::Float(x.powf(y)),
            "<" => Value::Bool(x < y),
            ">" => Value::Bool(x > y),
            "<=" => Value::Bool(x <= y),
            ">=" => Value::Bool(x >= y),
            "<=>" => x
                .partial_cmp(&y)
                .map(|o| Value::Int(o as i64))
                .unwrap_or(Value::Nil),
            _ => {
                if y == 0.0 {
                    return it.err("ZeroDivisionError", "divided by 0");
                }
                // the quotient of Float#divmod is an Integer
                let (q, m) = flo_divmod(x, y);
                if !q.is_finite() {
                    return it.err("FloatDomainError", format::float_to_s(q));
                }
                Value::array(vec![round::to_integer(it, q)?, Value::Float(m)])
            }
        };
        return Ok(Some(v));
    }
    if let "times" | "upto" | "downto" | "step" = name {
        if let Some(v) = super::num_iter::call(it, c)? {
            return Ok(Some(v));
        }
    }
    let v = match (recv, name) {
        (_, "==" | "===" | "eql?" | "equal?") => Value::Bool(match (f64_of(recv), f64_of(&a)) {
            (Some(x), Some(y)) => {
                x == y
                    && (name != "eql?"
                        || std::mem::discriminant(recv) == std::mem::discriminant(&a))
            }
            _ => false,
        }),
        // (`String#to_i` and `Integer#to_s` take a base; these take nothing)
        (Value::Int(_) | Value::Float(_), "to_i" | "to_int")
        | (Value::Float(_), "to_s" | "inspect")
            if !args.is_empty() =>
        {
            return it.argc(args.len(), "0")
        }
        (_, "to_s" | "inspect") => match (recv, args.first()) {
            (Value::Int(i), Some(b)) => match radix_arg(it, b)? {
                0 => return it.arg_err("invalid radix 0"),
                b => Value::str(radix(*i, b)),
            },
            _ => Value::str(format::to_s(recv)),
        },
        (Value::Int(_), "to_i" | "to_int" | "floor" | "ceil" | "truncate" | "ord")
            if args.is_empty() =>
        {
            recv.clone()
        }
        (Value::Int(_), "round" | "floor" | "ceil" | "truncate") => {
            round::int(it, recv, name, args)?
        }
        (Value::Int(i), "to_f") => Value::Float(*i as f64),
        (Value::Float(x), "to_f") => Value::Float(*x),
        // toward zero to digits: `ceil` below zero and `floor` above, as Ruby defines it
        // (`-1.0e-5.truncate(1)` is `0.0`, as `ceil` gives it)
        (Value::Float(x), "truncate") if matches!(args.first(), Some(Value::Int(d)) if *d > 0) => {
            let way = if x.is_sign_negative() {
                "ceil"
            } else {
                "floor"
            };
            round::float_floor_ceil(it, *x, way, args)?
        }
        (Value::Int(_), "size") => Value::Int(8),
        (Value::Int(i), "[]") if args.len() == 2 || matches!(a, Value::Range(_)) => {
            return super::bits::bits(it, *i, args).map(Some)
        }
        (Value::Int(i), "[]") => Value::Int(super::bits::bit(*i, int_arg(it, &a)?)),
        (Value::Float(x), "abs2") if args.is_empty() => Value::Float(x * x),
        (Value::Float(x), "next_float") if args.is_empty() => Value::Float(x.next_up()),
        (Value::Float(x), "prev_float") if args.is_empty() => Value::Float(x.next_down()),
        (Value::Float(_), "to_r" | "rationalize") => {
            return it.unsupported(&format!("Float#{name} (a Rational)"))
        }
        (Value::Float(x), "to_i" | "to_int" | "truncate") => {
            if !x.is_finite() {
                return it.err("FloatDomainError", format::float_to_s(*x));
            }
            round::to_integer(it, x.trunc())?
        }
        (Value::Float(x), "round") => round::float_round(it, *x, args)?,
        (Value::Float(x), "floor" | "ceil") => round::float_floor_ceil(it, *x, name, args)?,
        (Value::Float(x), "nan?") => Value::Bool(x.is_nan()),
        (Value::Float(x), "infinite?") => {
            if x.is_infinite() {
                Value::Int(if *x > 0.0 { 1 } else { -1 })
            } else {
                Value::Nil
            }
        }
        (Value::Float(x), "finite?") => Value::Bool(x.is_finite()),
        (Value::Int(_), "finite?") => Value::Bool(true),
        (Value::Int(_), "infinite?") => Value::Nil,
        (Value::Int(_), "integer?") => Value::Bool(true),
        (Value::Float(_), "integer?") => Value::Bool(false),
        (Value::Int(i), "abs" | "magnitude") if *i == i64::MIN => {
            return super::bignum::call(it, c)
        }
        (Value::Int(i), "abs" | "magnitude") => Value::Int(i.abs()),
        (Value::Float(x), "abs" | "magnitude") => Value::Float(x.abs()),
        (Value::Int(i), "-@") if *i == i64::MIN => return super::bignum::call(it, c),
        (Value::Int(i), "-@") => Value::Int(-i),
        (Value::Float(x), "-@") => Value::Float(-x),
        (_, "+@") => recv.clone(),
        (Value::Int(i), "~") => Value::Int(!i),
        (Value::Int(i), "even?") => Value::Bool(i % 2 == 0),
        (Value::Int(i), "odd?") => Value::Bool(i % 2 != 0),
        (_, "zero?") => Value::Bool(f64_of(recv) == Some(0.0)),
        (_, "positive?") => Value::Bool(f64_of(recv).unwrap_or(0.0) > 0.0),
        (_, "negative?") => Value::Bool(f64_of(recv).unwrap_or(0.0) < 0.0),
        (_, "nonzero?") => {
            if f64_of(recv) == Some(0.0) {
                Value::Nil
            } else {
                recv.clone()
            }
        }
        (Value::Int(i), "succ" | "next") if *i == i64::MAX => return super::bignum::call(it, c),
        (Value::Int(i), "succ" | "next") => Value::Int(i + 1),
        (Value::Int(i), "pred") if *i == i64::MIN => return super::bignum::call(it, c),
        (Value::Int(i), "pred") => Value::Int(i - 1),
        (Value::Int(i), "chr") if !(0..=255).contains(i) => {
            return it.err("RangeError", format!("{i} out of char range"))
        }
        // US-ASCII below 128; past ASCII, one byte of a binary string, as Ruby makes it
        (Value::Int(i), "chr") if *i < 128 => {
            Value::ascii_in((*i as u8 as char).to_string(), AsciiEnc::UsAscii)
        }
        (Value::Int(i), "chr") => Value::binary_of(&[*i as u8]),
        (Value::Int(i), "bit_length") => Value::Int(
            64 - if *i < 0 {
                (!i).leading_zeros()
            } else {
                i.leading_zeros()
            } as i64,
        ),
        // small or big, one implementation: digits are rare and short
        (Value::Int(i), "digits") => {
            let base = args.first().unwrap_or(&Value::Int(10));
            return super::bignum::digits(it, &(*i).into(), base).map(Some);
        }
        (_, "between?") => {
            let (x, lo, hi) = (
                f64_of(recv).unwrap_or(0.0),
                f64_of(&a).unwrap_or(0.0),
                f64_of(&arg(args, 1)).unwrap_or(0.0),
            );
            Value::Bool(x >= lo && x <= hi)
        }
        (_, "clamp") => super::compare::clamp(it, recv, args, c.f)?,
        (Value::Int(i), "coerce") if matches!(a, Value::Float(_)) => {
            Value::array(vec![a.clone(), Value::Float(*i as f64)])
        }
        (_, "coerce") => Value::array(vec![a.clone(), recv.clone()]),
        (_, "hash") => Value::Int(match recv {
            Value::Int(i) => *i,
            Value::Float(x) => x.to_bits() as i64,
            _ => 0,
        }),
        (_, "dup" | "clone" | "freeze" | "itself") => recv.clone(),
        (_, "frozen?") => Value::Bool(true),
        // an Integer method bale has for 64-bit integers only: refused, not NoMethodError
        (Value::Big(_), _) if NAMES.contains(&name) => {
            return it.unsupported(&format!("Integer#{name} on an integer past 64 bits"))
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The greatest common divisor; None when it is 2**63 (both are i64::MIN or 0), past i64.
fn gcd(a: i64, b: i64) -> Option<i64> {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    i64::try_from(a).ok()
}

/// `x / y` as Ruby divides Integers (rounding towards negative infinity); None for
/// i64::MIN by -1, whose quotient is past i64. `y` is not 0.
pub(crate) fn floor_div(x: i64, y: i64) -> Option<i64> {
    let q = x.checked_div(y)?;
    Some(if x % y != 0 && (x < 0) != (y < 0) {
        q - 1
    } else {
        q
    })
}

/// `x % y` as Ruby takes it (the sign of `y`). `y` is not 0.
pub(crate) fn floor_mod(x: i64, y: i64) -> i64 {
    // only i64::MIN by -1 has no i64 quotient; its remainder is 0
    let m = x.checked_rem(y).unwrap_or(0);
    if m != 0 && (m < 0) != (y < 0) {
        m + y
    } else {
        m
    }
}

fn radix(i: i64, base: u32) -> String {
    if base == 10 {
        return i.to_string();
    }
    let mut n = i.unsigned_abs();
    if n == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % base as u64) as u32, base).unwrap_or('?'));
        n /= base as u64;
    }
    if i < 0 {
        digits.push('-');
    }
    digits.into_iter().rev().collect()
}
