//! The digits Ruby's `sprintf` prints for a float at a precision (`%f`, `%e`, `%g`): Ruby's
//! copy of David Gay's dtoa, modes 2 and 3, written again here because no library rounds
//! as it does.
//!
//! For up to 14 digits dtoa first works in floating point, with a known bound on that
//! arithmetic's error. When what is left after the last digit is within that bound of a
//! half, plain dtoa decides on the exact value; Ruby's copy instead rounds the digits it
//! has half to even. So `'%.1f' % 0.35` is `0.4` (the double is 0.3499…) and
//! `'%.1f' % (1.5 * 1.1)` is `1.6` (the double is 1.6500000000000001…), where C prints
//! `0.3` and `1.7`. The floating-point steps are dtoa's own, in the same order, so that they
//! round the same. Past 14 digits, and where the quick way gives up, the exact binary
//! value is rounded half to even.

/// The most digits dtoa makes in floating point (its `Quick_max`).
const QUICK_MAX: i32 = 14;

const TENS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
const BIGTENS: [f64; 5] = [1e16, 1e32, 1e64, 1e128, 1e256];
/// log10(2) to the 15 digits dtoa's estimate uses (not the full constant: the estimate is
/// its own, and its rounding decides a power of ten at the edges).
#[allow(clippy::approx_constant)]
const LOG10_2: f64 = 0.301029995663981;

/// How many digits are asked for.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Significant digits (`%e`, `%g`; at least one).
    Sig(i32),
    /// Digits after the decimal point (`%f`).
    Frac(i32),
}

/// The digits of `x` (finite, > 0) and where the decimal point goes: the number is
/// 0.DIGITS × 10^point (`0.012` is `12`, -1). As dtoa returns them, without trailing zeros,
/// except those of digits a half rounded down to even when the exact value is above that
/// half (`%g` prints them: `'%.2g' % 8.05` is `8.0`). No digits: the number rounds to zero
/// at that precision.
pub fn digits(x: f64, mode: Mode) -> (Vec<u8>, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    // subnormals: dtoa estimates their power of ten another way; none reach a template
    if biased == 0 || !x.is_finite() || x <= 0.0 {
        return exact(x, mode, false, false);
    }
    // dtoa's estimate of the power of ten, from the binary exponent and the mantissa
    let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    let e2 = biased - 1023;
    let ds = (m - 1.5) * 0.289529654602168 + 0.1760912590558 + f64::from(e2) * LOG10_2;
    let mut k = ds as i32;
    if ds < 0.0 && ds != f64::from(k) {
        k -= 1;
    }
    let mut k_check = true;
    if (0..=22).contains(&k) {
        if x < TENS[k as usize] {
            k -= 1;
        }
        k_check = false;
    }
    let (ilim, ilim1) = match mode {
        Mode::Sig(n) => (n.max(1), n.max(1)),
        Mode::Frac(n) => (n.saturating_add(k).saturating_add(1), n.saturating_add(k)),
    };
    let mut half = false;
    if (0..=QUICK_MAX).contains(&ilim) {
        match quick(x, k, k_check, ilim, ilim1, mode) {
            Quick::Done(d, point) => return (d, point),
            Quick::Failed { half: h } => half = h,
        }
    }
    // an integer below 10^15 is divided exactly, and rounded half to even whatever the
    // quick way saw; its digits keep their zeros when the rest is not zero
    let int = x.fract() == 0.0 && k <= 14;
    exact(x, mode, half && !int, int)
}

enum Quick {
    Done(Vec<u8>, i32),
    /// Left to the exact value; `half`: within the error of a half, the digits even.
    Failed {
        half: bool,
    },
}

fn quick(x: f64, mut k: i32, k_check: bool, mut ilim: i32, ilim1: i32, mode: Mode) -> Quick {
    let mut d = x;
    let mut ieps = 2;
    if k > 0 {
        let mut ds = TENS[(k & 0xf) as usize];
        let mut j = k >> 4;
        if j & 0x10 != 0 {
            j &= 0xf;
            d /= BIGTENS[4];
            ieps += 1;
        }
        ieps += by_bigtens(j, |t| ds *= t);
        d /= ds;
    } else if k < 0 {
        d *= TENS[(-k & 0xf) as usize];
        ieps += by_bigtens(-k >> 4, |t| d *= t);
    }
    if k_check && d < 1.0 && ilim > 0 {
        if ilim1 <= 0 {
            return Quick::Failed { half: false };
        }
        ilim = ilim1;
        k -= 1;
        d *= 10.0;
        ieps += 1;
    }
    // the error bound: (ieps·d + 7) ulps of one, made by lowering the exponent by 52
    let mut eps = f64::from_bits((f64::from(ieps) * d + 7.0).to_bits() - (52 << 52));
    if ilim == 0 {
        d -= 5.0;
        if d > eps {
            return Quick::Done(vec![b'1'], k + 2);
        }
        if d < -eps {
            return Quick::Done(Vec::new(), no_digits(mode));
        }
        return Quick::Failed { half: false };
    }
    eps *= TENS[(ilim - 1) as usize];
    let mut s = Vec::with_capacity(ilim as usize);
    let mut i = 1;
    loop {
        let l = d as i64;
        d -= l as f64;
        if d == 0.0 {
            ilim = i;
        }
        s.push(b'0' + l as u8);
        if i == ilim {
            if d > 0.5 + eps {
                let point = bump_up(&mut s, &mut k);
                return Quick::Done(s, point);
            }
            if d < 0.5 - eps {
                trim_zeros(&mut s);
                return Quick::Done(s, k + 1);
            }
            // Ruby's change: a half within the error goes to the even digit
            if s.last().is_some_and(|c| (c - b'0') % 2 == 1) {
                let point = bump_up(&mut s, &mut k);
                return Quick::Done(s, point);
            }
            return Quick::Failed { half: true };
        }
        i += 1;
        d *= 10.0;
    }
}

/// Applies the big powers of ten whose bits `j` has, in dtoa's order (each one more unit of
/// error); how many.
fn by_bigtens(mut j: i32, mut apply: impl FnMut(f64)) -> i32 {
    let mut n = 0;
    for t in BIGTENS {
        if j == 0 {
            break;
        }
        if j & 1 != 0 {
            apply(t);
            n += 1;
        }
        j >>= 1;
    }
    n
}

/// Adds one to the last digit, carrying through nines (dropped: `1299` is `13`, `99` is
/// `1` a power of ten up); the point's new place.
fn bump_up(s: &mut Vec<u8>, k: &mut i32) -> i32 {
    while s.last() == Some(&b'9') {
        s.pop();
    }
    match s.last_mut() {
        Some(c) => *c += 1,
        None => {
            s.push(b'1');
            *k += 1;
        }
    }
    *k + 1
}

fn trim_zeros(s: &mut Vec<u8>) {
    while s.last() == Some(&b'0') {
        s.pop();
    }
}

/// Where the point goes when no digit is left: zero at the precision asked.
fn no_digits(mode: Mode) -> i32 {
    match mode {
        Mode::Frac(n) => -n,
        Mode::Sig(_) => 0,
    }
}

/// dtoa's exact path: the binary value's digits (a double has at most 767 significant
/// ones), rounded half to even, or, after a quick half (`half`), cut without rounding up.
/// `int`: dtoa's path for integers below 10^15, which drops no zeros of digits cut short.
fn exact(x: f64, mode: Mode, half: bool, int: bool) -> (Vec<u8>, i32) {
    if x == 0.0 || !x.is_finite() {
        return (Vec::new(), no_digits(mode));
    }
    let text = format!("{:.800e}", x.abs());
    let (m, e) = text.split_once('e').unwrap_or((&text, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let all: Vec<u8> = m.bytes().filter(u8::is_ascii_digit).collect();
    let n = match mode {
        Mode::Sig(n) => n.max(1),
        Mode::Frac(n) => n.saturating_add(e).saturating_add(1),
    };
    let rest_vs_half = |rest: &[u8]| match rest.first() {
        None => std::cmp::Ordering::Less,
        Some(&c) if c != b'5' => c.cmp(&b'5'),
        Some(_) if rest[1..].iter().any(|&c| c != b'0') => std::cmp::Ordering::Greater,
        Some(_) => std::cmp::Ordering::Equal,
    };
    if n < 0 {
        return (Vec::new(), no_digits(mode));
    }
    if n == 0 {
        // one digit a place up, when above the half
        return if rest_vs_half(&all) == std::cmp::Ordering::Greater {
            (vec![b'1'], e + 2)
        } else {
            (Vec::new(), no_digits(mode))
        };
    }
    let n = (n as usize).min(all.len());
    let (kept, rest) = all.split_at(n);
    let mut s = kept.to_vec();
    let odd = s.last().is_some_and(|c| (c - b'0') % 2 == 1);
    let mut k = e;
    let c = rest_vs_half(rest);
    if c == std::cmp::Ordering::Greater || (c == std::cmp::Ordering::Equal && odd) {
        // after a quick half the last digit is even: it stays, and so do its zeros
        if !half || odd {
            let point = bump_up(&mut s, &mut k);
            return (s, point);
        }
    } else if !int || rest.iter().all(|&c| c == b'0') {
        trim_zeros(&mut s);
    }
    (s, k + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frac(x: f64, n: i32) -> String {
        let (d, p) = digits(x, Mode::Frac(n));
        format!("{}@{p}", String::from_utf8(d).unwrap())
    }

    #[test]
    fn halves_within_the_quick_error_go_to_even() {
        // (value, decimals, digits@point) as Ruby 3.1's sprintf makes them
        assert_eq!(frac(0.35, 1), "4@0");
        assert_eq!(frac(0.45, 1), "4@0");
        assert_eq!(frac(2.675, 2), "268@1");
        assert_eq!(frac(1.5 * 1.1, 1), "16@1");
        assert_eq!(frac(12.500000000000002, 0), "12@2");
        // past the error bound, the exact value decides
        assert_eq!(frac(1.6500000000000024, 1), "17@1");
        // exact halves and the places with no digit
        assert_eq!(frac(0.5, 0), "@0");
        assert_eq!(frac(1.5, 0), "2@1");
        assert_eq!(frac(2.5, 0), "2@1");
        assert_eq!(frac(0.04, 1), "@-1");
        assert_eq!(frac(0.05, 1), "1@0");
        assert_eq!(frac(0.004, 1), "@-1");
        assert_eq!(frac(9.96, 1), "1@2");
        assert_eq!(frac(123.0, 2), "123@3");
    }

    #[test]
    fn significant_digits_keep_the_zeros_of_a_half_kept_even() {
        let sig = |x: f64, n| {
            let (d, p) = digits(x, Mode::Sig(n));
            format!("{}@{p}", String::from_utf8(d).unwrap())
        };
        assert_eq!(sig(8.05, 2), "80@1");
        assert_eq!(sig(7.05, 2), "7@1");
        assert_eq!(sig(0.0985, 2), "98@-1");
        assert_eq!(sig(125.0, 2), "12@3");
        assert_eq!(sig(1.0 / 3.0, 20), "33333333333333331483@0");
    }
}
