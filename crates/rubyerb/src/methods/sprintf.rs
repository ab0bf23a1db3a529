//! Ruby's `format` (`Kernel#format`, `sprintf`, `String#%`): conversions, flags, widths and
//! precisions, and the numbers written as Ruby's own dtoa writes them.

use super::super::format;
use super::super::interp::{Frame, Interp, R};
use super::super::value::Value;
use super::binary::Joined;
use super::int_arg;
use num_bigint::BigInt;

/// An Integer's decimal digits without its sign, and whether it is negative (`%d`, `%f`).
fn int_digits(n: &Value) -> (String, bool) {
    match n {
        Value::Big(b) => (
            b.magnitude().to_string(),
            b.sign() == num_bigint::Sign::Minus,
        ),
        Value::Int(n) => (n.unsigned_abs().to_string(), *n < 0),
        _ => (String::from("0"), false),
    }
}

/// Ruby's `format`: `%s %d %i %f %e %g %x %X %o %b %c %p %%`, flags `-+ 0#`, width,
/// precision, `*`, and `%<name>s` / `%{name}` references into a hash argument. A binary
/// string given to `%s` makes the result binary, as in Ruby.
pub fn sprintf(it: &mut Interp, fmt: &str, args: &[Value], f: &Frame) -> R<Value> {
    let mut out = Joined::default();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let mut argi = 0;
    let next_arg = |it: &mut Interp, argi: &mut usize| -> R<Value> {
        let v = args.get(*argi).cloned();
        *argi += 1;
        match v {
            Some(v) => Ok(v),
            None => it.arg_err("too few arguments"),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.literal(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return it.arg_err("incomplete format specifier; use %% (double %) instead");
        }
        if chars[i] == '%' {
            out.literal('%');
            i += 1;
            continue;
        }
        let (mut left, mut plus, mut space, mut zero, mut alt) =
            (false, false, false, false, false);
        let mut named: Option<Value> = None;
        // `%2$s`: an absolute argument number
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && chars.get(i + digits) == Some(&'$') {
            let n: usize = chars[i..i + digits]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(usize::MAX);
            match n.checked_sub(1).and_then(|k| args.get(k)) {
                Some(v) => named = Some(v.clone()),
                None => return it.arg_err(format!("invalid index - {n}$")),
            }
            i += digits + 1;
        }
        let mut done = false;
        loop {
            match chars.get(i) {
                Some('-') => left = true,
                Some('+') => plus = true,
                Some(' ') => space = true,
                Some('0') => zero = true,
                Some('#') => alt = true,
                Some('<') | Some('{') => {
                    let close = if chars[i] == '<' { '>' } else { '}' };
                    let end = chars[i..]
                        .iter()
                        .position(|c| *c == close)
                        .map(|p| p + i)
                        .unwrap_or(chars.len());
                    let key: String = chars[i + 1..end].iter().collect();
                    let h = args.first().cloned().unwrap_or(Value::Nil);
                    let val = match &h {
                        Value::Hash(h) => h.borrow().get(&Value::sym(&key)).cloned(),
                        _ => None,
                    };
                    let Some(val) = val else {
                        let open = chars[i];
                        return it.err("KeyError", format!("key{open}{key}{close} not found"));
                    };
                    if close == '}' {
                        match &val {
                            Value::Str(s) => out.string(it, s)?,
                            _ => {
                                let s = it.str_of(&val, f)?;
                                out.text(it, &s)?
                            }
                        }
                        i = end + 1;
                        done = true;
                        break;
                    }
                    named = Some(val);
                    i = end;
                }
                _ => break,
            }
            i += 1;
        }
        if done {
            continue;
        }
        let mut width: Option<usize> = None;
        if chars.get(i) == Some(&'*') {
            let wv = next_arg(it, &mut argi)?;
            let w = int_arg(it, &wv)?;
            if w < 0 {
                left = true;
            }
            width = Some(w.unsigned_abs() as usize);
            i += 1;
        } else {
            let s = i;
            let n = number_at(&chars, &mut i);
            if i > s {
                width = Some(n);
            }
        }
        let mut prec: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                let pv = next_arg(it, &mut argi)?;
                prec = Some(int_arg(it, &pv)?.max(0) as usize);
                i += 1;
            } else {
                prec = Some(number_at(&chars, &mut i));
            }
        }
        for w in [width, prec].into_iter().flatten() {
            let r = it.budget.width(i64::try_from(w).unwrap_or(i64::MAX));
            it.spend(r)?;
        }
        let Some(&conv) = chars.get(i) else {
            return it.arg_err("malformed format string");
        };
        i += 1;
        let val = match named.take() {
            Some(v) => v,
            None => next_arg(it, &mut argi)?,
        };
        // a binary string's text, one char per byte, given to `%s`
        let binary_text = match &val {
            Value::Str(s) if conv == 's' && s.is_binary() => Some(s.borrow().clone()),
            _ => None,
        };
        let binary = binary_text.is_some();
        let (mut body, numeric, negative) = match conv {
            's' | 'p' => {
                let mut s = match binary_text {
                    Some(t) => t,
                    None if conv == 's' => it.str_of(&val, f)?,
                    None => it.inspect(&val, f)?,
                };
                if let Some(p) = prec {
                    s = s.chars().take(p).collect();
                }
                (s, false, false)
            }
            'd' | 'i' | 'u' => {
                let n = match &val {
                    Value::Float(x) => super::round::to_integer(it, x.trunc())?,
                    Value::Str(_) | Value::Nil => super::convert::integer(it, &val, None)?,
                    Value::Big(_) => val.clone(),
                    other => {
                        super::complex::refuse_real(it, other, "Integer")?;
                        Value::Int(int_arg(it, other)?)
                    }
                };
                let (mut s, negative) = int_digits(&n);
                if let Some(p) = prec {
                    while s.len() < p {
                        s.insert(0, '0');
                    }
                }
                (s, true, negative)
            }
            // an Integer's digits exactly, however large, as Ruby prints it for `%f`
            'f' if matches!(val, Value::Int(_) | Value::Big(_)) => {
                let (mut s, negative) = int_digits(&val);
                let p = prec.unwrap_or(6);
                if p > 0 {
                    s.push('.');
                    s.extend(std::iter::repeat_n('0', p));
                }
                (s, true, negative)
            }
            'f' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                let x = match &val {
                    Value::Int(n) => *n as f64,
                    Value::Float(x) => *x,
                    other => match super::convert::float(it, other)? {
                        Value::Float(x) => x,
                        _ => 0.0,
                    },
                };
                let p = prec.unwrap_or(6);
                let s = match conv {
                    _ if x.is_nan() => "NaN".to_string(),
                    _ if x.is_infinite() => "Inf".to_string(),
                    'a' | 'A' => hex_float(x.abs(), prec, alt, conv == 'A'),
                    'f' => format::fixed(x.abs(), p),
                    'e' | 'E' => c_exp(x.abs(), p, alt, conv == 'E'),
                    _ => c_general(x.abs(), p, alt, conv == 'G'),
                };
                (s, true, !x.is_nan() && x.is_sign_negative())
            }
            'x' | 'X' | 'o' | 'b' | 'B' => {
                // a string is read as `Integer()` reads it, as for %d
                let val = match &val {
                    Value::Str(_) => super::convert::integer(it, &val, None)?,
                    other => {
                        super::complex::refuse_real(it, other, "Integer")?;
                        val
                    }
                };
                let (n, big) = match &val {
                    // past 64 bits: its digits; its sign stands in for the number below
                    Value::Big(b) if b.sign() == num_bigint::Sign::Minus => (-1, Some(b)),
                    Value::Big(b) => (0, Some(b)),
                    _ => (int_arg(it, &val)?, None),
                };
                if n < 0 && !plus && !space {
                    let zero_width = width.filter(|_| zero && !left);
                    let n = big.map_or_else(|| BigInt::from(n), |b| (**b).clone());
                    (
                        twos_complement(&n, conv, alt, prec, zero_width),
                        false,
                        false,
                    )
                } else {
                    let mut s = match (big, conv) {
                        (Some(b), _) => {
                            let radix = match conv {
                                'x' | 'X' => 16,
                                'o' => 8,
                                _ => 2,
                            };
                            let t = b.magnitude().to_str_radix(radix);
                            if conv == 'X' {
                                t.to_uppercase()
                            } else {
                                t
                            }
                        }
                        (_, 'x') => format!("{:x}", n.unsigned_abs()),
                        (_, 'X') => format!("{:X}", n.unsigned_abs()),
                        (_, 'o') => format!("{:o}", n.unsigned_abs()),
                        _ => format!("{:b}", n.unsigned_abs()),
                    };
                    if let Some(p) = prec {
                        while s.len() < p {
                            s.insert(0, '0');
                        }
                    }
                    if alt {
                        s.insert_str(
                            0,
                            match conv {
                                'x' => "0x",
                                'X' => "0X",
                                'o' => "0",
                                'b' => "0b",
                                _ => "0B",
                            },
                        );
                    }
                    (s, true, n < 0)
                }
            }
            'c' => (
                match &val {
                    // a string gives its first character; anything else is an Integer code
                    Value::Str(s) => s
                        .borrow()
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                    other => char_code(it, int_arg(it, other)?)?,
                },
                false,
                false,
            ),
            other => return it.arg_err(format!("malformed format string - %{other}")),
        };
        if numeric {
            let sign = if negative {
                "-"
            } else if plus {
                "+"
            } else if space {
                " "
            } else {
                ""
            };
            // (an infinity or NaN is padded with spaces)
            if zero
                && !left
                && prec.is_none_or(|_| matches!(conv, 'f' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A'))
                && !matches!(body.as_str(), "Inf" | "NaN")
            {
                let w = width.unwrap_or(0).saturating_sub(sign.len());
                // a hexadecimal float's zeros go after its `0x`
                let at = if matches!(conv, 'a' | 'A') { 2 } else { 0 };
                while body.chars().count() < w {
                    body.insert(at, '0');
                }
            }
            body.insert_str(0, sign);
        }
        let w = width.unwrap_or(0);
        let n = body.chars().count();
        if n < w {
            let pad = " ".repeat(w - n);
            if left {
                body.push_str(&pad);
            } else {
                body.insert_str(0, &pad);
            }
        }
        if binary {
            out.binary(it, &body)?;
        } else {
            out.text(it, &body)?;
        }
    }
    Ok(out.into_value())
}

/// The decimal number at `chars[*i..]` (a width or a precision), `*i` moved past it; 0 for
/// none, `usize::MAX` for one too large.
fn number_at(chars: &[char], i: &mut usize) -> usize {
    let s = *i;
    while chars.get(*i).is_some_and(|c| c.is_ascii_digit()) {
        *i += 1;
    }
    if *i == s {
        return 0;
    }
    chars[s..*i]
        .iter()
        .collect::<String>()
        .parse()
        .unwrap_or(usize::MAX)
}

/// `%e` of a finite `x` ≥ 0: `p` decimals, rounded as Ruby rounds them
/// ([`format::sig_digits`]); `alt` keeps the point when there are none.
fn c_exp(x: f64, p: usize, alt: bool, upper: bool) -> String {
    let (d, e) = format::sig_digits(x, p + 1);
    exp_form(&d, e, alt, upper)
}

/// Digits `d` (the first before the point) times ten to `e`, as `%e` writes them.
fn exp_form(d: &str, e: i32, alt: bool, upper: bool) -> String {
    let mut s = String::with_capacity(d.len() + 6);
    s.push_str(&d[..1]);
    if d.len() > 1 || alt {
        s.push('.');
    }
    s.push_str(&d[1..]);
    s.push(if upper { 'E' } else { 'e' });
    s.push(if e < 0 { '-' } else { '+' });
    if e.abs() < 10 {
        s.push('0');
    }
    s.push_str(&e.abs().to_string());
    s
}

/// `%g` of a finite `x` ≥ 0: `p` significant digits (rounded as Ruby rounds them), written
/// as `%e` when the rounded number's exponent is below -4 or not below `p`, else as `%f`;
/// trailing zeros and a bare point dropped unless `alt`.
fn c_general(x: f64, p: usize, alt: bool, upper: bool) -> String {
    let p = p.max(1);
    let (d, e, tie_kept) = format::sig_digits_tied(x, p);
    // trailing zeros go, and the point with them
    let keep_zeros = alt || tie_kept;
    let trim = |m: &str| -> usize {
        if keep_zeros {
            return m.len();
        }
        m.trim_end_matches('0').len().max(1)
    };
    if e < -4 || e >= p as i32 {
        let d = &d[..trim(&d)];
        return exp_form(d, e, alt, upper);
    }
    let mut s = String::with_capacity(d.len() + 6);
    if e >= 0 {
        let int = e as usize + 1;
        s.push_str(&d[..int]);
        let frac = &d[int..];
        let frac = &frac[..if keep_zeros {
            frac.len()
        } else {
            frac.trim_end_matches('0').len()
        }];
        if !frac.is_empty() || alt {
            s.push('.');
            s.push_str(frac);
        }
    } else {
        s.push_str("0.");
        for _ in 0..(-e - 1) {
            s.push('0');
        }
        let keep = if keep_zeros {
            d.len()
        } else {
            d.trim_end_matches('0').len()
        };
        s.push_str(&d[..keep]);
        if keep == 0 && !alt {
            s.truncate(1);
        }
    }
    s
}

/// A negative number as `%x`, `%o` and `%b` write it without a `+` or space flag: `..` and
/// its two's complement digits from the first all-ones digit on (`..f01` for -255). A
/// precision counts the `..`, a zero-padded width the prefix too; both pad with that digit.
fn twos_complement(
    n: &BigInt,
    conv: char,
    alt: bool,
    prec: Option<usize>,
    zero_width: Option<usize>,
) -> String {
    let (bits, radix) = match conv {
        'x' | 'X' => (4, 16u32),
        'o' => (3, 8),
        _ => (1, 2),
    };
    // low digit first; the digits above the last one are all ones (BigInt's `&` and `>>`
    // are two's complement ones, of any width)
    let (top, minus_one) = (BigInt::from(radix - 1), BigInt::from(-1));
    let mut digits = Vec::new();
    let mut rest = n.clone();
    loop {
        let d = u32::try_from(&rest & &top).unwrap_or(0);
        digits.push(d);
        rest >>= bits;
        if rest == minus_one && d == radix - 1 {
            break;
        }
    }
    let prefix = match (alt, conv) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'b') => "0b",
        (true, 'B') => "0B",
        _ => "",
    };
    let want = prec
        .unwrap_or(0)
        .max(zero_width.map_or(0, |w| w.saturating_sub(prefix.len())));
    while 2 + digits.len() < want {
        digits.push(radix - 1);
    }
    let mut s = format!("{prefix}..");
    for d in digits.iter().rev() {
        let c = char::from_digit(*d, radix).unwrap_or('?');
        s.push(if conv == 'X' {
            c.to_ascii_uppercase()
        } else {
            c
        });
    }
    s
}

/// `%c` of an Integer: the character of that code, within a C int as Ruby reads it. A
/// surrogate's code, which Ruby writes as broken bytes, gives nothing.
fn char_code(it: &Interp, code: i64) -> R<String> {
    if i32::try_from(code).is_err() {
        let how = if code < 0 { "small" } else { "big" };
        return it.err(
            "RangeError",
            format!("integer {code} too {how} to convert to 'int'"),
        );
    }
    if !(0..=0x10FFFF).contains(&code) {
        return it.arg_err("invalid character");
    }
    Ok(char::from_u32(code as u32)
        .map(String::from)
        .unwrap_or_default())
}

/// `%a`: a finite, non-negative `x` in hexadecimal as Ruby writes it, `0x1.8p+1`: one
/// leading digit (subnormals normalised too), the fraction's hex digits without trailing
/// zeros or rounded half to even to `prec` of them, and the binary exponent.
fn hex_float(x: f64, prec: Option<usize>, alt: bool, upper: bool) -> String {
    let bits = x.to_bits();
    let (mut frac, mut exp) = (bits & ((1 << 52) - 1), ((bits >> 52) & 0x7ff) as i64);
    if x == 0.0 {
        exp = 1023;
    } else if exp == 0 {
        // subnormal: shift the leading one into the implicit bit's place
        let shift = frac.leading_zeros() as i64 - 11;
        frac = (frac << shift) & ((1 << 52) - 1);
        exp = 1 - shift;
    }
    let mut lead = u64::from(x != 0.0);
    let mut exp = exp - 1023;
    let digits = match prec {
        Some(p) if p < 13 => {
            let drop = 4 * (13 - p) as u32;
            let (mut kept, rest) = (frac >> drop, frac & ((1 << drop) - 1));
            let half = 1u64 << (drop - 1);
            // a tie goes to the even last digit: with no digits kept, the leading one
            let odd = if p == 0 { lead & 1 == 1 } else { kept & 1 == 1 };
            if rest > half || rest == half && odd {
                kept += 1;
            }
            if kept >> (4 * p) != 0 {
                // carried into the leading digit: 2.0 is written 1.0 with the next exponent
                kept = 0;
                exp += 1;
                lead = 1;
            }
            if p == 0 {
                String::new()
            } else {
                format!("{kept:0w$x}", w = p)
            }
        }
        Some(p) => format!("{frac:013x}{}", "0".repeat(p - 13)),
        None => format!("{frac:013x}").trim_end_matches('0').to_string(),
    };
    let point = if digits.is_empty() && !alt { "" } else { "." };
    let sign = if exp < 0 { '-' } else { '+' };
    let s = format!("0x{lead}{point}{digits}p{sign}{}", exp.abs());
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}
