//! `round`, `floor`, `ceil` and `truncate` with digits, as Ruby rounds: half away from zero by
//! default, `half: :even` and `half: :down` on request, ties seen exactly in integers, and a
//! Float rounded to the double Ruby picks (`1.005.round(2)` is 1.01).

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::{arg, int_arg};

/// `half:` of the keyword hash ending `args`, or "" when not given.
fn half_mode(args: &[Value]) -> String {
    match args.last() {
        Some(Value::Hash(h)) => h
            .borrow()
            .get(&Value::sym("half"))
            .map(format::to_s)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Integer `round`/`floor`/`ceil`/`truncate` with optional (negative) digits, exactly:
/// a tie is seen as one (`25.round(-1, half: :even)`), and a result past 64 bits is a big
/// integer (`1.ceil(-20)` is 10**20, as Ruby 3.4 gives it).
pub fn int(it: &mut Interp, recv: &Value, name: &str, args: &[Value]) -> R<Value> {
    use num_bigint::BigInt;
    use num_integer::Integer as _;
    use num_traits::{Signed, Zero};
    // no digits, or `half:` only: an Integer rounds to itself
    let d = match arg(args, 0) {
        Value::Nil | Value::Hash(_) => 0,
        d => int_arg(it, &d)?,
    };
    let Some(n) = super::bignum::of(recv).filter(|_| d < 0) else {
        return Ok(recv.clone());
    };
    // 10**digits past every integer a template can hold: |n| < m, so the answer is 0 or
    // ±m, and ±m is past the size limit
    let digits = d.unsigned_abs();
    if digits > super::bignum::MAX_BITS / 3 {
        let away = match name {
            "floor" => n.is_negative(),
            "ceil" => n.is_positive(),
            _ => false,
        };
        if away {
            // refused by its size, without making it (10**digits has digits * log2(10) bits)
            let bits = ((digits as f64 * std::f64::consts::LOG2_10) as u64).saturating_add(1);
            return super::bignum::too_big(it, bits);
        }
        return Ok(Value::Int(0));
    }
    let m = num_traits::Pow::pow(BigInt::from(10), digits);
    let r = match name {
        "floor" => n.div_floor(&m) * &m,
        "ceil" => -((-&n).div_floor(&m) * &m),
        "truncate" => &n / &m * &m,
        _ => {
            let (q, r) = n.abs().div_rem(&m);
            let up = match (r * 2u8).cmp(&m) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Equal => match half_mode(args).as_str() {
                    "even" => q.is_odd(),
                    "down" => false,
                    _ => true,
                },
            };
            let q = if up { q + 1u8 } else { q };
            if n.is_negative() {
                -(q * &m)
            } else {
                q * &m
            }
        }
    };
    if r.is_zero() {
        return Ok(Value::Int(0));
    }
    super::bignum::fit(it, r)
}

/// Float `round` with optional digits and `half:`.
pub fn float_round(it: &mut Interp, x: f64, args: &[Value]) -> R<Value> {
    let d = match args.first() {
        Some(Value::Hash(_)) | None => 0,
        Some(d) => int_arg(it, d)?,
    };
    if d < 0 {
        // Ruby rounds the float's integer part, exactly: `(1e20 / 3).round(-1)` keeps every
        // digit, and `25.3.round(-1, half: :even)` is a tie of 25
        let whole = to_integer(it, x.trunc())?;
        return int(it, &whole, "round", args);
    }
    let half = half_mode(args);
    if d > 0 {
        if let Some(v) = digits_past(x, d, "round") {
            return Ok(Value::Float(v));
        }
    }
    Ok(if half == "even" || half == "down" {
        let m = 10f64.powi(d.clamp(-300, 300) as i32);
        let y = x * m;
        let r = if (y - y.trunc()).abs() == 0.5 {
            if half == "down" || y.trunc() % 2.0 == 0.0 {
                y.trunc()
            } else {
                y.trunc() + y.signum()
            }
        } else {
            y.round()
        };
        if d > 0 {
            Value::Float(r / m)
        } else {
            to_integer(it, r / m)?
        }
    } else if d > 0 {
        Value::Float(round_half_away(x, d))
    } else {
        to_integer(it, x.round())?
    })
}

/// Float `floor` and `ceil` with optional digits.
pub fn float_floor_ceil(it: &mut Interp, x: f64, name: &str, args: &[Value]) -> R<Value> {
    let d = match args.first() {
        Some(d) => int_arg(it, d)?,
        None => 0,
    };
    if d > 0 {
        if let Some(v) = digits_past(x, d, name) {
            return Ok(Value::Float(v));
        }
    }
    Ok(if d > 0 {
        let m = 10f64.powi(d as i32);
        Value::Float(if name == "floor" {
            (x * m).floor() / m
        } else {
            (x * m).ceil() / m
        })
    } else {
        // to an Integer first, then to the digits as Integer#floor and #ceil do
        let v = to_integer(it, if name == "floor" { x.floor() } else { x.ceil() })?;
        int(it, &v, name, args)?
    })
}

/// What `round`, `floor` or `ceil` (`name`) of `x` to `digits` (> 0) decimals gives without
/// arithmetic, as Ruby decides it from the binary exponent: `x` itself when it has no
/// digits that far (every double of that size is a whole number of such units:
/// `5e20.round(2)` is 5e20, where multiplying by 100 would lose its last bit), and 0.0 when
/// `x` is below half of one unit (for `floor` only when positive, for `ceil` only when
/// negative, where the answer is 0 and not one unit).
fn digits_past(x: f64, digits: i64, name: &str) -> Option<f64> {
    if x == 0.0 {
        return Some(x);
    }
    let e = binary_exponent(x) as i64;
    // a double has at most 17 significant decimal digits; Rust's `/` truncates as C's does
    if digits >= 17 - if e > 0 { e / 4 } else { e / 3 - 1 } {
        return Some(x);
    }
    let tiny = digits < -(if e > 0 { e / 3 + 1 } else { e / 4 });
    let toward_zero = match name {
        "floor" => x > 0.0,
        "ceil" => x < 0.0,
        _ => true,
    };
    (tiny && toward_zero).then_some(0.0)
}

/// C's `frexp` exponent: `x` is m * 2^e with 0.5 <= |m| < 1 (0 for zero and what is not
/// finite, as glibc gives).
fn binary_exponent(x: f64) -> i32 {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    let e = ((x.to_bits() >> 52) & 0x7ff) as i32;
    if e == 0 {
        // subnormal: scaled into the normal range first
        return binary_exponent(x * 2f64.powi(64)) - 64;
    }
    e - 1022
}

fn round_half_away(x: f64, digits: i64) -> f64 {
    if digits == 0 {
        return x.round();
    }
    let s = 10f64.powi(digits as i32);
    // Ruby's round_half_up: `1.005.round(2)` is 1.01, because 1.005 is the double nearest
    // to 100.5 / 100 even though 1.005 * 100 falls just below 100.5
    let mut f = (x * s).round();
    if x > 0.0 && (f + 0.5) / s <= x {
        f += 1.0;
    } else if x < 0.0 && (f - 0.5) / s >= x {
        f -= 1.0;
    }
    f / s
}

/// An integral float as an Integer: past 64 bits, its exact value as a big integer, as
/// Ruby's `Float#to_i` gives it.
pub fn to_integer(it: &Interp, x: f64) -> R<Value> {
    if !x.is_finite() {
        return it.err("FloatDomainError", format::float_to_s(x));
    }
    // -2^63 is a float exactly, and 2^63 the first one past the 64-bit integers
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&x) {
        return Ok(super::bignum::from_f64(x).unwrap_or(Value::Int(0)));
    }
    Ok(Value::Int(x as i64))
}
