//! `SecureRandom`: tokens, UUIDs and numbers from the host's [`Entropy`]. On the system's
//! source the bytes are the operating system's, as Ruby takes them; with a fixed seed they
//! come from a generator seeded by it, so a render can be repeated (and its tokens are then
//! known to anyone who knows the seed: that mode is for tests and diffs, not for secrets).
//! Ruby's own output can never be matched: it differs on every render.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

use super::random::{fresh_seed, system_bytes, Mt};
use crate::host::Entropy;
use crate::interp::{Interp, R};
use crate::methods::int_arg;
use crate::value::Value;

/// `SecureRandom.name(args)`.
pub fn call(it: &mut Interp, name: &str, args: &[Value]) -> R<Value> {
    match name {
        "hex" => {
            let b = sized(it, args)?;
            Ok(Value::str(super::hex(&b)))
        }
        "base64" => {
            let b = sized(it, args)?;
            Ok(Value::str(STANDARD.encode(&b)))
        }
        "urlsafe_base64" => {
            let b = sized(it, args)?;
            let padding = args.get(1).is_some_and(Value::truthy);
            let mut s = URL_SAFE.encode(&b);
            if !padding {
                s.truncate(s.trim_end_matches('=').len());
            }
            Ok(Value::str(s))
        }
        "uuid" => {
            let mut b = bytes(it, 16)?;
            // version 4 (random), variant 10
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            let h = super::hex(&b);
            Ok(Value::str(format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )))
        }
        "alphanumeric" => {
            const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            let n = size(it, args)?;
            let mut s = String::with_capacity(n);
            // bytes drawn in bulk (one read of the system's source for most sizes); a byte
            // past the last whole multiple of 62 is dropped, so every character is equally
            // likely
            while s.len() < n {
                let want = n - s.len();
                for b in bytes(it, want + want / 16 + 4)? {
                    if s.len() < n && b < 248 {
                        s.push(SET[(b % 62) as usize] as char);
                    }
                }
            }
            Ok(Value::str(s))
        }
        "random_number" | "rand" => number(it, args.first()),
        _ => it.unsupported(&format!("SecureRandom.{name}")),
    }
}

/// `n` random bytes, `n` from the first argument (16 when none or nil).
fn sized(it: &mut Interp, args: &[Value]) -> R<Vec<u8>> {
    let n = size(it, args)?;
    bytes(it, n)
}

fn size(it: &mut Interp, args: &[Value]) -> R<usize> {
    let n = match args.first() {
        None | Some(Value::Nil) => 16,
        Some(v) => int_arg(it, v)?,
    };
    if n < 0 {
        return it.arg_err("negative string size (or size too big)");
    }
    // a size is checked against the budget before anything is allocated for it
    let spent = it.budget.alloc((n as usize).saturating_mul(2));
    it.spend(spent)?;
    Ok(n as usize)
}

/// `n` bytes from the host's source.
fn bytes(it: &mut Interp, n: usize) -> R<Vec<u8>> {
    let mut b = vec![0u8; n];
    match it.host.entropy() {
        Entropy::None => return it.unsupported("SecureRandom (rendering must be deterministic)"),
        Entropy::System => system_bytes(it, &mut b)?,
        Entropy::Seed(_) => {
            let mut g = match it.random.secure.take() {
                Some(g) => g,
                None => Box::new(Mt::new(fresh_seed(it)?.unwrap_or(0))),
            };
            for c in b.chunks_mut(4) {
                c.copy_from_slice(&g.next_u32().to_le_bytes()[..c.len()]);
            }
            it.random.secure = Some(g);
        }
    }
    Ok(b)
}

fn word(it: &mut Interp) -> R<u64> {
    let b = bytes(it, 8)?;
    Ok(u64::from_le_bytes(b.try_into().expect("eight bytes")))
}

/// A number in `0..n` (`n` ≥ 1), every one equally likely: words masked to the bits `n`
/// needs, drawn again when past it.
fn below(it: &mut Interp, n: u64) -> R<u64> {
    if n <= 1 {
        return Ok(0);
    }
    let mask = u64::MAX >> (n - 1).leading_zeros();
    loop {
        let v = word(it)? & mask;
        if v < n {
            return Ok(v);
        }
    }
}

/// `random_number(max)`: an Integer below a positive Integer, a Float below a positive
/// Float, a member of an Integer Range, else (nil, zero, negative) a Float below 1.
fn number(it: &mut Interp, max: Option<&Value>) -> R<Value> {
    let unit = |it: &mut Interp| -> R<f64> { Ok((word(it)? >> 11) as f64 / (1u64 << 53) as f64) };
    Ok(match max {
        Some(Value::Int(n)) if *n > 0 => Value::Int(below(it, *n as u64)? as i64),
        Some(Value::Float(f)) if f.is_finite() && *f > 0.0 => Value::Float(unit(it)? * f),
        Some(Value::Range(r)) => match (&r.0, &r.1) {
            (Value::Int(lo), Value::Int(hi)) => {
                let hi = if r.2 { hi - 1 } else { *hi };
                if hi < *lo {
                    return it.arg_err(format!(
                        "invalid argument - {}",
                        crate::format::inspect(&Value::Range(r.clone()))
                    ));
                }
                let span = (hi as i128 - *lo as i128 + 1) as u128;
                let v = if span > u64::MAX as u128 {
                    word(it)? as u128
                } else {
                    below(it, span as u64)? as u128
                };
                Value::Int((*lo as i128 + v as i128) as i64)
            }
            _ => return it.unsupported("SecureRandom.random_number over a range of non-integers"),
        },
        _ => Value::Float(unit(it)?),
    })
}
