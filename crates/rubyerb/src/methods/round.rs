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

/// Integer `round`/`floor`/`ceil`/`truncate` with optional (negative) digits.
pub fn int(it: &mut Interp, i: i64, recv: &Value, name: &str, args: &[Value]) -> R<Value> {
    // no digits, or `half:` only: an Integer rounds to itself
    let d = match arg(args, 0) {
        Value::Nil | Value::Hash(_) => 0,
        d => int_arg(it, &d)?,
    };
    Ok(if d >= 0 {
        recv.clone()
    } else if d < -18 {
        Value::Int(0)
    } else {
        let m = 10i64.pow((-d) as u32);
        let half = half_mode(args);
        Value::Int(match name {
            "floor" => i.div_euclid(m) * m,
            "ceil" => -((-i).div_euclid(m) * m),
            "truncate" => i / m * m,
            _ => {
                // in integers, so that a tie is seen exactly (`25.round(-1, half: :even)`)
                let (q, r) = (i.unsigned_abs() / m as u64, i.unsigned_abs() % m as u64);
                let up = match (2 * r).cmp(&(m as u64)) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Less => false,
                    std::cmp::Ordering::Equal => match half.as_str() {
                        "even" => q % 2 == 1,
                        "down" => false,
                        _ => true,
                    },
                };
                let v = ((q + up as u64) * m as u64) as i64;
                if i < 0 {
                    -v
                } else {
                    v
                }
            }
        })
    })
}

/// Float `round` with optional digits and `half:`.
pub fn float_round(it: &mut Interp, x: f64, args: &[Value]) -> R<Value> {
    let d = match args.first() {
        Some(Value::Hash(_)) | None => 0,
        Some(d) => int_arg(it, d)?,
    };
    let half = half_mode(args);
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
            Value::Int((r / m) as i64)
        }
    } else if d > 0 {
        Value::Float(round_half_away(x, d))
    } else {
        if !x.is_finite() {
            return it.err("FloatDomainError", format::float_to_s(x));
        }
        let m = 10f64.powi((-d) as i32);
        Value::Int(((x / m).round() * m) as i64)
    })
}

/// Float `floor` and `ceil` with optional digits.
pub fn float_floor_ceil(it: &mut Interp, x: f64, name: &str, args: &[Value]) -> R<Value> {
    let d = match args.first() {
        Some(d) => int_arg(it, d)?,
        None => 0,
    };
    Ok(if d > 0 {
        let m = 10f64.powi(d as i32);
        Value::Float(if name == "floor" {
            (x * m).floor() / m
        } else {
            (x * m).ceil() / m
        })
    } else {
        Value::Int(if name == "floor" { x.floor() } else { x.ceil() } as i64)
    })
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
