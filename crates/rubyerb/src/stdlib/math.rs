//! `Math`: its functions on floats, integers past the floats' range read as Ruby reads them.
//! Each function's domain check and special cases are Ruby's (`math.c`), and the numeric
//! work is the C library's, as it is for the director: glibc's where Ruby calls a function
//! that Rust's standard library does not have (`erf`, `tgamma`, ...).

use super::super::interp::{Interp, R};
use super::super::methods::convert::not_a_float;
use super::super::methods::{complex, not_integer};
use super::super::value::Value;

// The C math library, which Rust's standard library links on every platform bale builds
// for; declared here for the functions it does not wrap.
extern "C" {
    fn erf(x: f64) -> f64;
    fn erfc(x: f64) -> f64;
    fn tgamma(x: f64) -> f64;
    fn lgamma_r(x: f64, sign: *mut i32) -> f64;
    fn frexp(x: f64, exp: *mut i32) -> f64;
    fn ldexp(x: f64, exp: i32) -> f64;
    #[cfg(target_os = "linux")]
    fn dlsym(handle: *mut std::ffi::c_void, name: *const std::ffi::c_char)
        -> *mut std::ffi::c_void;
}

/// A function of one double, found in the C library by name.
type CMath = extern "C" fn(f64) -> f64;

/// The C library's `cbrt`, `asinh`, `acosh` and `atanh`, looked up at run time: Rust answers
/// these from its own code (the compiler's built-in `cbrt`, which the linker binds before
/// the C library's, and the standard library's formulas for the others), and those differ
/// from glibc's in the last bit for some arguments (`Math.cbrt(1234.5678)`), where Ruby
/// calls glibc's. None where the C library has no such name to find.
fn c_library(f: CFunction) -> Option<CMath> {
    static FOUND: std::sync::OnceLock<[Option<CMath>; 4]> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        [c"cbrt", c"asinh", c"acosh", c"atanh"].map(|name| {
            #[cfg(target_os = "linux")]
            {
                // SAFETY: a null handle is glibc's RTLD_DEFAULT (the global scope, where
                // the C math library is; this binary exports no such name); the name is
                // a C string
                let p = unsafe { dlsym(std::ptr::null_mut(), name.as_ptr()) };
                // SAFETY: each of these names is a C function from a double to a double
                (!p.is_null())
                    .then(|| unsafe { std::mem::transmute::<*mut std::ffi::c_void, CMath>(p) })
            }
            #[cfg(not(target_os = "linux"))]
            {
                let _ = name;
                None
            }
        })
    })[f as usize]
}

/// The functions [`c_library`] looks up, in its order.
#[derive(Clone, Copy)]
enum CFunction {
    Cbrt,
    Asinh,
    Acosh,
    Atanh,
}

/// `f(x)` by the C library's `f`, else by Rust's `fallback`.
fn c_or(f: CFunction, x: f64, fallback: fn(f64) -> f64) -> f64 {
    match c_library(f) {
        Some(f) => f(x),
        None => fallback(x),
    }
}

/// How many arguments each function takes (`log` takes a base too), or None for a name
/// that is not one of Math's functions: `Math.respond_to?`, `Math.name` and the like are
/// the object methods every module has.
fn arity(m: &str) -> Option<(usize, usize)> {
    Some(match m {
        "atan2" | "hypot" | "ldexp" => (2, 2),
        "log" => (1, 2),
        "sqrt" | "cbrt" | "exp" | "log2" | "log10" | "sin" | "cos" | "tan" | "asin" | "acos"
        | "atan" | "sinh" | "cosh" | "tanh" | "asinh" | "acosh" | "atanh" | "erf" | "erfc"
        | "gamma" | "lgamma" | "frexp" => (1, 1),
        _ => return None,
    })
}

/// `Math.m(args)`; None for a method that is not one of Math's functions.
pub fn call(it: &mut Interp, m: &str, args: &[Value]) -> R<Option<Value>> {
    let Some((least, most)) = arity(m) else {
        return Ok(None);
    };
    if args.len() < least || args.len() > most {
        let expected = if least == most {
            least.to_string()
        } else {
            format!("{least}..{most}")
        };
        return it.argc(args.len(), &expected);
    }
    let domain = |it: &Interp| -> R<Option<Value>> {
        it.err(
            "Math::DomainError",
            format!("Numerical argument is out of domain - {m}"),
        )
    };
    // `ldexp` converts its exponent before its number
    let ldexp_n = if m == "ldexp" {
        Some(c_int(it, &args[1])?)
    } else {
        None
    };
    let mut xs = [(0.0, 0u64); 2];
    let floats = if m == "ldexp" { 1 } else { args.len() };
    // `atan2` and `hypot` convert their second argument first, and `log` checks its
    // number's domain before it converts the base: a bad pair fails as in Ruby
    let order: &[usize] = match (m, floats) {
        ("log", _) | (_, 1) => &[0, 1],
        _ => &[1, 0],
    };
    for &i in order.iter().filter(|&&i| i < floats) {
        xs[i] = match math_arg(&args[i]) {
            Some(x) => x,
            // Ruby takes the square root of a Complex, and refuses it to the rest
            None if m == "sqrt" && complex::parts(&args[i]).is_some() => {
                return it.unsupported("Math.sqrt of a Complex")
            }
            None => return not_a_float(it, &args[i]),
        };
        if m == "log" && xs[i].0 < 0.0 {
            return domain(it);
        }
    }
    let (x, bits) = xs[0];
    // past the floats' range: only the logarithms read a huge integer's leading bits
    let whole = if bits > 0 { f64::INFINITY } else { x };
    let pair = |a: f64, b: i64| Value::array(vec![Value::Float(a), Value::Int(b)]);
    Ok(Some(Value::Float(match m {
        "sqrt" if x < 0.0 => return domain(it),
        "sqrt" if x == 0.0 => 0.0,
        "sqrt" => whole.sqrt(),
        "log2" | "log10" if x < 0.0 => return domain(it),
        "log" if args.len() == 1 => {
            if x == 0.0 {
                f64::NEG_INFINITY
            } else {
                x.ln() + bits as f64 * std::f64::consts::LN_2
            }
        }
        // Ruby 3.4's: base-2 logarithms of the leading bits, the bits shifted out added as
        // a count (unsigned, as Ruby subtracts them: a larger base's wraps), its poles first
        "log" => {
            let (b, b_bits) = xs[1];
            if x == 0.0 {
                if b == 0.0 {
                    f64::NAN
                } else {
                    f64::NEG_INFINITY
                }
            } else if b == 0.0 {
                -0.0
            } else {
                x.log2() / b.log2() + bits.wrapping_sub(b_bits) as f64 / b.log2()
            }
        }
        "log2" | "log10" if x == 0.0 => f64::NEG_INFINITY,
        "log2" => x.log2() + bits as f64,
        "log10" => x.log10() + bits as f64 * std::f64::consts::LOG10_2,
        "cbrt" => {
            let r = c_or(CFunction::Cbrt, whole, f64::cbrt);
            // Ruby refines glibc's cube root by one Newton step
            if r.is_finite() && !(whole == 0.0 && r == 0.0) {
                (2.0 * r + (whole / r / r)) / 3.0
            } else {
                r
            }
        }
        "exp" => whole.exp(),
        "sin" => whole.sin(),
        "cos" => whole.cos(),
        "tan" => whole.tan(),
        "asin" | "acos" if !(-1.0..=1.0).contains(&whole) && !whole.is_nan() => return domain(it),
        "asin" => whole.asin(),
        "acos" => whole.acos(),
        "atan" => whole.atan(),
        "sinh" => whole.sinh(),
        "cosh" => whole.cosh(),
        "tanh" => whole.tanh(),
        "asinh" => c_or(CFunction::Asinh, whole, f64::asinh),
        "acosh" if whole < 1.0 => return domain(it),
        "acosh" => c_or(CFunction::Acosh, whole, f64::acosh),
        "atanh" if !(-1.0..=1.0).contains(&whole) && !whole.is_nan() => return domain(it),
        "atanh" if whole == 1.0 => f64::INFINITY,
        "atanh" if whole == -1.0 => f64::NEG_INFINITY,
        "atanh" => c_or(CFunction::Atanh, whole, f64::atanh),
        "atan2" => {
            let (y, x) = (whole, if xs[1].1 > 0 { f64::INFINITY } else { xs[1].0 });
            match (y == 0.0, x == 0.0) {
                (true, true) if !x.is_sign_negative() => y,
                (true, true) if !y.is_sign_negative() => std::f64::consts::PI,
                (true, true) => -std::f64::consts::PI,
                _ => y.atan2(x),
            }
        }
        "hypot" if bits > 0 || xs[1].1 > 0 => f64::INFINITY,
        "hypot" => x.hypot(xs[1].0),
        // SAFETY (this and the calls below): pure functions of a double; the pointers are
        // to locals that live across the call
        "erf" => unsafe { erf(whole) },
        "erfc" => unsafe { erfc(whole) },
        "gamma" => match gamma(whole) {
            Some(g) => g,
            None => return domain(it),
        },
        "lgamma" => {
            if whole == f64::NEG_INFINITY {
                return domain(it);
            }
            if whole == 0.0 {
                let sign = if whole.is_sign_negative() { -1 } else { 1 };
                return Ok(Some(pair(f64::INFINITY, sign)));
            }
            if whole == f64::INFINITY {
                return Ok(Some(pair(f64::INFINITY, 1)));
            }
            let mut sign = 1i32;
            let v = unsafe { lgamma_r(whole, &mut sign) };
            return Ok(Some(pair(v, i64::from(sign))));
        }
        "frexp" => {
            let mut e = 0i32;
            let f = unsafe { frexp(whole, &mut e) };
            return Ok(Some(pair(f, i64::from(e))));
        }
        "ldexp" => unsafe { ldexp(whole, ldexp_n.unwrap_or(0)) },
        _ => return Ok(None),
    })))
}

/// Ruby's `Math.gamma`: exact factorials for the whole numbers up to 23, None where it is
/// out of the domain (negative whole numbers, minus infinity).
fn gamma(x: f64) -> Option<f64> {
    if x.is_infinite() {
        return (x > 0.0).then_some(f64::INFINITY);
    }
    if x == 0.0 {
        return Some(if x.is_sign_negative() {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if x == x.floor() {
        if x < 0.0 {
            return None;
        }
        if x <= 23.0 {
            // (x - 1)!, exact in a double up to 22!
            return Some((1..x as u64).map(|k| k as f64).product());
        }
    }
    // SAFETY: a pure function of a double
    Some(unsafe { tgamma(x) })
}

/// An argument Ruby converts to a C `int` (`ldexp`'s exponent).
fn c_int(it: &Interp, v: &Value) -> R<i32> {
    let n = match v {
        Value::Int(i) => *i,
        // a C long's range, as Ruby checks a Float first: -2**63 up to, not including, 2**63
        Value::Float(f)
            if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(f) =>
        {
            *f as i64
        }
        Value::Float(f) => {
            return it.err(
                "RangeError",
                format!("float {} out of range of integer", g10(*f)),
            )
        }
        other => return not_integer(it, other),
    };
    i32::try_from(n).or_else(|_| {
        it.err(
            "RangeError",
            format!(
                "integer {n} too {} to convert to 'int'",
                if n < 0 { "small" } else { "big" }
            ),
        )
    })
}

/// `x` as C's `%-.10g` prints it, as Ruby names a float out of an integer's range.
fn g10(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-Inf" } else { "Inf" }.into();
    }
    let (digits, exp) = crate::format::sig_digits(x.abs(), 10);
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if x < 0.0 { "-" } else { "" };
    if !(-4..10).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{point}{rest}e{esign}{:02}", exp.abs());
    }
    let exp = exp as isize;
    let s = if exp < 0 {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    } else if (exp as usize) + 1 >= digits.len() {
        format!("{digits}{}", "0".repeat(exp as usize + 1 - digits.len()))
    } else {
        let (a, b) = digits.split_at(exp as usize + 1);
        format!("{a}.{b}")
    };
    format!("{sign}{s}")
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
