//! Complex numbers, as far as templates meet them: Ruby answers a negative number raised to
//! a fractional power (`(-2.0) ** 0.5`) with a Complex, where bale used to refuse. Its parts
//! are always Floats here (no other way into a Complex exists in bale), so arithmetic is
//! Float arithmetic on the parts, in the order Ruby's `Complex` does it. What Ruby's Complex
//! has beyond this (powers, Rationals) is refused by name.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Object, Value};
// a real operand as a Float
use super::num::f64_of as real;
use super::MethodCall;
use std::cell::RefCell;
use std::rc::Rc;

/// A Complex with the parts `re` and `im`.
pub(crate) fn value(it: &Interp, re: f64, im: f64) -> Value {
    Value::Object(Rc::new(Object {
        class: it
            .classes
            .get("Complex")
            .expect("Complex is a built-in class"),
        ivars: RefCell::new(Default::default()),
        kind: ObjKind::Complex(re, im),
    }))
}

/// `base ** exp` for a negative `base` and an `exp` that is no integer: the magnitude
/// `|base| ** exp` at the angle `π·exp`. At a half turn's odd multiples (`** 0.5`, `** 1.5`)
/// the real part is exactly 0.0 and the imaginary part exactly ± the magnitude, as in Ruby;
/// elsewhere the parts are the magnitude times `cos` and `sin` of `π·exp`.
pub(crate) fn power_of_negative(it: &Interp, base: f64, exp: f64) -> Value {
    let abs = (-base).powf(exp);
    if exp - exp.trunc() == 0.5 || exp - exp.trunc() == -0.5 {
        // sin(π·(k + ½)) is +1 for an even k (the floor of `exp`) and -1 for an odd one
        let odd = exp.floor().rem_euclid(2.0) == 1.0;
        return value(it, 0.0, if odd { -abs } else { abs });
    }
    let ang = std::f64::consts::PI * exp;
    value(it, abs * ang.cos(), abs * ang.sin())
}

/// The parts of `v` when it is a Complex.
pub(crate) fn parts(v: &Value) -> Option<(f64, f64)> {
    match v {
        Value::Object(o) => match o.kind {
            ObjKind::Complex(re, im) => Some((re, im)),
            _ => None,
        },
        _ => None,
    }
}

/// `Complex#to_s`: the real part, the imaginary part's sign and magnitude, and `i`, with a
/// `*` before it when the magnitude ends in no digit (`0.0+Infinity*i`).
pub(crate) fn to_s(re: f64, im: f64) -> String {
    let mag = format::float_to_s(im.abs());
    let star = if mag.ends_with(|c: char| c.is_ascii_digit()) {
        ""
    } else {
        "*"
    };
    let sign = if im.is_sign_negative() && !im.is_nan() {
        '-'
    } else {
        '+'
    };
    format!("{}{sign}{mag}{star}i", format::float_to_s(re))
}

/// Ruby's refusal to make a real number of a Complex (`to_f`, `to_i`, `Float()`, `Integer()`
/// and `format`'s numeric directives): the parts here are Floats, and Ruby converts a
/// Complex only when its imaginary part is an exact (Integer) zero.
pub(crate) fn not_real<T>(it: &Interp, (re, im): (f64, f64), into: &str) -> R<T> {
    it.err(
        "RangeError",
        format!("can't convert {} into {into}", to_s(re, im)),
    )
}

/// [`not_real`] when `v` is a Complex; nothing otherwise (the caller goes on to its own
/// conversion, or its own refusal of other values).
pub(crate) fn refuse_real(it: &Interp, v: &Value, into: &str) -> R<()> {
    match parts(v) {
        Some(c) => not_real(it, c, into),
        None => Ok(()),
    }
}

/// `a / b` by Smith's method, as Ruby divides Complexes: the larger of `b`'s parts is
/// divided into the smaller, so that no square of a part is formed.
fn divide(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let ((ar, ai), (br, bi)) = (a, b);
    if br.abs() > bi.abs() {
        let r = bi / br;
        let n = br * (1.0 + r * r);
        ((ar + ai * r) / n, (ai - ar * r) / n)
    } else {
        let r = br / bi;
        let n = bi * (1.0 + r * r);
        ((ar * r + ai) / n, (ai * r - ar) / n)
    }
}

/// `x op c` for a real `x` on the left of a Complex: Ruby makes `x` the Complex `(x+0i)`
/// (an exact zero) and applies the Complex operator.
pub(crate) fn real_op(it: &mut Interp, x: &Value, name: &str, c: (f64, f64)) -> R<Option<Value>> {
    let Some(x) = real(x) else {
        return Ok(None);
    };
    let (re, im) = c;
    Ok(Some(match name {
        // the zero's sums and products are Float ones: `0 - 0.0` is 0.0, not -0.0
        "+" => value(it, x + re, 0.0 + im),
        "-" => value(it, x - re, 0.0 - im),
        "*" => value(it, x * re - 0.0 * im, x * im + 0.0 * re),
        "/" | "quo" => {
            let (r, i) = divide((x, 0.0), c);
            value(it, r, i)
        }
        "==" => Value::Bool(im == 0.0 && x == re),
        _ => return Ok(None),
    }))
}

/// Methods of a Complex.
pub(crate) fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let Some((re, im)) = parts(c.recv) else {
        return Ok(None);
    };
    let arg = c.args.first();
    let text = || to_s(re, im);
    Ok(Some(match (c.name, c.args.len()) {
        ("real", 0) => Value::Float(re),
        ("imaginary" | "imag", 0) => Value::Float(im),
        ("rectangular" | "rect", 0) => Value::array(vec![Value::Float(re), Value::Float(im)]),
        ("abs" | "magnitude", 0) => Value::Float(re.hypot(im)),
        ("abs2", 0) => Value::Float(re * re + im * im),
        ("arg" | "angle" | "phase", 0) => Value::Float(im.atan2(re)),
        ("polar", 0) => Value::array(vec![Value::Float(re.hypot(im)), Value::Float(im.atan2(re))]),
        ("conjugate" | "conj", 0) => value(it, re, -im),
        ("real?" | "integer?", 0) => Value::Bool(false),
        // a Complex is a frozen value, as every Numeric
        ("frozen?", 0) => Value::Bool(true),
        // ordered only when both are real: a zero imaginary part and a real operand
        ("<=>", 1) => match arg.and_then(real) {
            Some(x) if im == 0.0 => re
                .partial_cmp(&x)
                .map_or(Value::Nil, |o| Value::Int(o as i64)),
            _ => Value::Nil,
        },
        ("zero?", 0) => Value::Bool(re == 0.0 && im == 0.0),
        ("finite?", 0) => Value::Bool(re.is_finite() && im.is_finite()),
        ("infinite?", 0) => match re.is_infinite() || im.is_infinite() {
            true => Value::Int(1),
            false => Value::Nil,
        },
        ("to_s", 0) => Value::str(text()),
        ("inspect", 0) => Value::str(format!("({})", text())),
        ("to_c" | "+@", 0) => c.recv.clone(),
        ("-@", 0) => value(it, -re, -im),
        ("to_f" | "to_i" | "to_int" | "to_r" | "rationalize", _) => {
            let into = match c.name {
                "to_f" => "Float",
                "to_r" | "rationalize" => "Rational",
                _ => "Integer",
            };
            return not_real(it, (re, im), into);
        }
        ("==", 1) => Value::Bool(
            arg.and_then(|v| real(v).map(|x| (x, 0.0)).or(parts(v)))
                .is_some_and(|(a, b)| a == re && b == im),
        ),
        ("+" | "-" | "*", 1) => match (arg.and_then(real), arg.and_then(parts)) {
            // a real operand keeps the other part as it is
            (Some(x), _) => match c.name {
                "+" => value(it, re + x, im),
                "-" => value(it, re - x, im),
                _ => value(it, re * x, im * x),
            },
            (None, Some((a, b))) => match c.name {
                "+" => value(it, re + a, im + b),
                "-" => value(it, re - a, im - b),
                _ => value(it, re * a - im * b, re * b + im * a),
            },
            (None, None) => return super::num::coerce_err(it, c.recv, &c.args[0]),
        },
        ("/" | "quo" | "fdiv", 1) => match (arg.and_then(real), arg.and_then(parts)) {
            // each part divided by a real one
            (Some(x), _) => value(it, re / x, im / x),
            (None, Some(b)) => {
                let (r, i) = divide((re, im), b);
                value(it, r, i)
            }
            (None, None) => return super::num::coerce_err(it, c.recv, &c.args[0]),
        },
        ("**" | "pow" | "numerator" | "denominator", _) => {
            return it.unsupported(&format!("Complex#{}", c.name))
        }
        // Complex has no ordering: Comparable's operators are undefined on it
        ("<" | "<=" | ">" | ">=" | "between?" | "clamp" | "round" | "floor" | "ceil", _) => {
            return it.no_method(c.recv, c.name)
        }
        _ => return Ok(None),
    }))
}
