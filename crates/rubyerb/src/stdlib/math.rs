//! `Math`: its functions on floats, integers past the floats' range read as Ruby reads them.

use super::super::interp::{Interp, R};
use super::super::methods::arg;
use super::super::value::Value;

/// `Math.m(args)`; None for a function bale does not have.
pub fn call(it: &mut Interp, m: &str, args: &[Value]) -> R<Option<Value>> {
    Ok(Some(match m {
        "hypot" => match (math_arg(&arg(args, 0)), math_arg(&arg(args, 1))) {
            (Some((x, 0)), Some((y, 0))) => Value::Float(x.hypot(y)),
            (Some(_), Some(_)) => Value::Float(f64::INFINITY),
            _ => {
                let bad = if math_arg(&arg(args, 0)).is_none() {
                    arg(args, 0)
                } else {
                    arg(args, 1)
                };
                return it.type_err(format!("can't convert {} into Float", bad.class_name()));
            }
        },
        _ => {
            let Some((x, bits)) = math_arg(&arg(args, 0)) else {
                let class = arg(args, 0).class_name();
                return it.type_err(format!("can't convert {class} into Float"));
            };
            if (m == "sqrt" || m == "log" || m == "log2" || m == "log10") && x < 0.0 {
                return it.err(
                    "Math::DomainError",
                    format!("Numerical argument is out of domain - {m}"),
                );
            }
            // a huge integer's logarithm from its leading bits, as Ruby takes it; for the
            // other functions it is past every float
            let ln = |(x, bits): (f64, u64)| x.ln() + bits as f64 * std::f64::consts::LN_2;
            let whole = if bits > 0 { f64::INFINITY } else { x };
            Value::Float(match m {
                "sqrt" => whole.sqrt(),
                "log" => match args.get(1).and_then(math_arg) {
                    Some(b) => ln((x, bits)) / ln(b),
                    None => ln((x, bits)),
                },
                "log2" => x.log2() + bits as f64,
                "log10" => x.log10() + bits as f64 * std::f64::consts::LOG10_2,
                "exp" => whole.exp(),
                "cbrt" => whole.cbrt(),
                "sin" => whole.sin(),
                "cos" => whole.cos(),
                _ => return Ok(None),
            })
        }
    }))
}

/// A `Math` function's argument as Ruby reads it for a logarithm: a float, and for an
/// integer past the floats' exponent range its leading 53 bits with the count of bits
/// shifted out (`Math.log(10**400)` is finite); None for what is not a number.
fn math_arg(v: &Value) -> Option<(f64, u64)> {
    match v {
        Value::Int(i) => Some((*i as f64, 0)),
        Value::Float(x) => Some((*x, 0)),
        Value::Big(b) => {
            let bits = b.bits();
            if b.sign() == num_bigint::Sign::Plus && bits >= f64::MAX_EXP as u64 {
                let shift = bits - f64::MANTISSA_DIGITS as u64;
                Some((
                    super::super::methods::bignum::to_f64(&(&**b >> shift)),
                    shift,
                ))
            } else {
                Some((super::super::methods::bignum::to_f64(b), 0))
            }
        }
        _ => None,
    }
}
