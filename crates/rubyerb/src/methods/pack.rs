//! `Array#pack`: a format of directives, each with an optional count, writing the array's
//! elements as bytes as Ruby writes them: bytes and code points, integers of 16 to 64 bits
//! in either order, fixed-width strings, hex, Base64 and NUL padding. The result is a
//! binary string, as in Ruby (UTF-8 text when the format starts with `U`); the directives of
//! floats, bits and pointers are refused by name.

use super::super::interp::{Interp, R};
use super::super::value::{AsciiEnc, Value};
use super::unpack::{directive, Count};

/// The string `fmt` makes of `items`.
pub(super) fn pack(it: &mut Interp, items: &[Value], fmt: &str) -> R<Value> {
    let f = fmt.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut next = 0usize;
    let mut i = 0usize;
    let mut first = None;
    while let Some((d, count)) = directive(it, f, &mut i, "Array#pack", fmt)? {
        first.get_or_insert(d);
        match d {
            b'C' | b'c' | b'U' | b'n' | b'v' | b'S' | b's' | b'N' | b'V' | b'L' | b'l' | b'Q'
            | b'q' | b'J' | b'j' => {
                let n = count.or_rest(items.len().saturating_sub(next));
                for _ in 0..n {
                    let v = integer(it, &take(it, items, &mut next)?)?;
                    if d == b'U' {
                        if v < 0 {
                            return it.err("RangeError", "pack(U): value out of range");
                        }
                        match u32::try_from(v).ok().and_then(char::from_u32) {
                            Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                            None => return it.unsupported("Array#pack('U') of a non-character"),
                        }
                        continue;
                    }
                    let bytes = v.to_le_bytes();
                    match d {
                        b'C' | b'c' => out.push(bytes[0]),
                        b'v' | b'S' | b's' => out.extend_from_slice(&bytes[..2]),
                        b'V' | b'L' | b'l' => out.extend_from_slice(&bytes[..4]),
                        b'Q' | b'q' | b'J' | b'j' => out.extend_from_slice(&bytes),
                        b'n' => out.extend_from_slice(&(v as u16).to_be_bytes()),
                        _ => out.extend_from_slice(&(v as u32).to_be_bytes()),
                    }
                }
            }
            b'a' | b'A' | b'Z' => {
                let s = super::bytes_arg(it, &take(it, items, &mut next)?)?;
                let (width, nul) = match count {
                    Count::One => (1, false),
                    Count::N(n) => (n, false),
                    Count::Rest => (s.len(), d == b'Z'),
                };
                grow(it, &out, width + usize::from(nul))?;
                let have = s.len().min(width);
                out.extend_from_slice(&s[..have]);
                let pad = if d == b'A' { b' ' } else { 0 };
                out.resize(out.len() + (width - have), pad);
                if nul {
                    out.push(0);
                }
            }
            b'H' | b'h' => {
                let s = super::str_arg(it, &take(it, items, &mut next)?)?;
                let s = s.as_bytes();
                let nibbles = count.or_rest(s.len());
                grow(it, &out, nibbles.div_ceil(2))?;
                let used = nibbles.min(s.len());
                for pair in s[..used].chunks(2) {
                    let hi_first = d == b'H';
                    let (a, b) = (nibble(pair[0]), pair.get(1).map_or(0, |&c| nibble(c)));
                    out.push(if hi_first { a << 4 | b } else { b << 4 | a });
                }
                // a count past the string pads with NULs, as Ruby's does
                out.resize(out.len() + nibbles.div_ceil(2) - used.div_ceil(2), 0);
            }
            b'm' => {
                let s = super::bytes_arg(it, &take(it, items, &mut next)?)?;
                let per_line = match count {
                    Count::N(0) => 0,
                    Count::N(n) if n > 2 => n / 3 * 3,
                    _ => 45,
                };
                grow(it, &out, s.len() / 3 * 4 + s.len() / 45 + 8)?;
                out.extend_from_slice(crate::stdlib::base64_lines(&s, per_line).as_bytes());
            }
            b'x' => {
                let n = count.or_rest(0);
                grow(it, &out, n)?;
                out.resize(out.len() + n, 0);
            }
            _ => {
                let what = String::from_utf8_lossy(&[d]).into_owned();
                return it.unsupported(&format!("Array#pack('{fmt}') (directive '{what}')"));
            }
        }
    }
    // Ruby's result is binary (ASCII-8BIT) whatever its bytes, UTF-8 when the format starts
    // with `U`, and US-ASCII when every directive writes text (`m`, `M`, `u`: Base64,
    // quoted-printable, uuencode)
    let text_only = fmt
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .all(|d| matches!(d, b'm' | b'M' | b'u'));
    Ok(if first == Some(b'U') {
        Value::from_bytes(out)
    } else if text_only && out.is_ascii() {
        Value::ascii_in(
            String::from_utf8_lossy(&out).into_owned(),
            AsciiEnc::UsAscii,
        )
    } else {
        Value::binary_of(&out)
    })
}

/// The next element, or Ruby's error when the format asks for more than there are.
fn take(it: &Interp, items: &[Value], next: &mut usize) -> R<Value> {
    match items.get(*next) {
        Some(v) => {
            *next += 1;
            Ok(v.clone())
        }
        None => it.arg_err("too few arguments"),
    }
}

/// Counts `n` more bytes of the result against the size and allocation budgets before
/// they are written (a count in the format can be as large as a template likes).
fn grow(it: &mut Interp, out: &[u8], n: usize) -> R<()> {
    let total = out.len().saturating_add(n);
    let r = it.budget.len(i64::try_from(total).unwrap_or(i64::MAX));
    it.spend(r)?;
    let a = it.budget.alloc(n);
    it.spend(a)
}

/// An element as an integer directive takes it: an Integer, or a Float truncated.
fn integer(it: &Interp, v: &Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(x) if x.is_finite() => Ok(*x as i64),
        other => super::not_to_int(it, other),
    }
}

/// A hex digit's value as Ruby's `pack('H')` reads any character: a letter by its low bits
/// plus nine, anything else by its low four bits.
fn nibble(c: u8) -> u8 {
    if c.is_ascii_alphabetic() {
        ((c & 15) + 9) & 15
    } else {
        c & 15
    }
}
