//! `String#unpack` and `unpack1`: a format of directives, each with an optional count,
//! read over the string's bytes as Ruby reads them. The directives are the ones that make
//! text or numbers (bytes, characters, hex, fixed strings, integers of 16 to 64 bits in
//! either order, Base64, skipping); the rest are refused by name. A string directive whose
//! bytes are not UTF-8 makes a binary string, as in Ruby.

use crate::interp::{Interp, R};
use crate::value::Value;

/// How many times a directive applies: once, `n` times, or over the rest (`*`).
#[derive(Clone, Copy)]
pub(super) enum Count {
    One,
    N(usize),
    Rest,
}

impl Count {
    /// How many: `rest` stands for `*`.
    pub(super) fn or_rest(self, rest: usize) -> usize {
        match self {
            Count::One => 1,
            Count::N(n) => n,
            Count::Rest => rest,
        }
    }
}

/// The next directive of a `pack` or `unpack` format from `*i`, spaces skipped: its
/// character and count, or `None` at the format's end. The size and order modifiers are
/// refused by name (`method` and `fmt` name the call).
pub(super) fn directive(
    it: &Interp,
    f: &[u8],
    i: &mut usize,
    method: &str,
    fmt: &str,
) -> R<Option<(u8, Count)>> {
    while f
        .get(*i)
        .is_some_and(|&c| super::text::ruby_space(char::from(c)))
    {
        *i += 1;
    }
    let Some(&d) = f.get(*i) else {
        return Ok(None);
    };
    *i += 1;
    let count = if f.get(*i) == Some(&b'*') {
        *i += 1;
        Count::Rest
    } else {
        let start = *i;
        while f.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        // digits only, so the bytes are text (a directive may be any character)
        match std::str::from_utf8(&f[start..*i]).map(str::parse::<usize>) {
            Ok(Ok(n)) => Count::N(n),
            _ if start == *i => Count::One,
            _ => return it.err("RangeError", "pack length too big"),
        }
    };
    if matches!(f.get(*i), Some(b'_' | b'!' | b'<' | b'>')) {
        return it.unsupported(&format!("{method}('{fmt}') with a size or order modifier"));
    }
    Ok(Some((d, count)))
}

/// The values `fmt` reads from `bytes`.
pub(super) fn unpack(it: &mut Interp, bytes: &[u8], fmt: &str) -> R<Vec<Value>> {
    let f = fmt.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    while let Some((d, count)) = directive(it, f, &mut i, "String#unpack", fmt)? {
        let rest = &bytes[pos.min(bytes.len())..];
        match d {
            b'C' | b'c' => {
                let n = count.or_rest(rest.len());
                budget(it, n)?;
                for k in 0..n {
                    out.push(match rest.get(k) {
                        Some(&b) if d == b'C' => Value::Int(b as i64),
                        Some(&b) => Value::Int(b as i8 as i64),
                        None => Value::Nil,
                    });
                }
                pos += n.min(rest.len());
            }
            b'U' => {
                let text = match std::str::from_utf8(rest) {
                    Ok(t) => t,
                    Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or(""),
                };
                let n = count.or_rest(usize::MAX);
                for c in text.chars().take(n) {
                    out.push(Value::Int(c as i64));
                    pos += c.len_utf8();
                }
            }
            b'a' | b'A' | b'Z' => {
                let n = count.or_rest(rest.len()).min(rest.len());
                let mut s = &rest[..n];
                pos += n;
                match d {
                    b'A' => {
                        while let [head @ .., b' ' | 0] = s {
                            s = head;
                        }
                    }
                    b'Z' => {
                        if let Some(z) = s.iter().position(|b| *b == 0) {
                            s = &s[..z];
                            if matches!(count, Count::Rest) {
                                // `Z*` goes past the null it stops at
                                pos = pos - n + z + 1;
                            }
                        }
                    }
                    _ => {}
                }
                out.push(text(s));
            }
            b'H' | b'h' => {
                let nibbles = count.or_rest(rest.len() * 2).min(rest.len() * 2);
                budget(it, nibbles)?;
                let mut s = String::with_capacity(nibbles);
                for k in 0..nibbles {
                    let b = rest[k / 2];
                    let high = (k % 2 == 0) == (d == b'H');
                    let v = if high { b >> 4 } else { b & 0x0f };
                    s.push(char::from_digit(v as u32, 16).unwrap_or('0'));
                }
                pos += nibbles.div_ceil(2);
                out.push(Value::str(s));
            }
            b'n' | b'N' | b'v' | b'V' | b's' | b'S' | b'l' | b'L' | b'q' | b'Q' => {
                let (size, big, signed) = match d {
                    b'n' => (2, true, false),
                    b'N' => (4, true, false),
                    b'v' => (2, false, false),
                    b'V' => (4, false, false),
                    b's' => (2, false, true),
                    b'S' => (2, false, false),
                    b'l' => (4, false, true),
                    b'L' => (4, false, false),
                    b'q' => (8, false, true),
                    _ => (8, false, false),
                };
                let n = count.or_rest(rest.len() / size);
                budget(it, n)?;
                let mut at = 0;
                for _ in 0..n {
                    let Some(word) = rest.get(at..at + size) else {
                        out.push(Value::Nil);
                        continue;
                    };
                    at += size;
                    let mut v: u64 = 0;
                    for k in 0..size {
                        let b = if big { word[k] } else { word[size - 1 - k] };
                        v = (v << 8) | b as u64;
                    }
                    let bits = size as u32 * 8;
                    out.push(if signed {
                        Value::Int(((v << (64 - bits)) as i64) >> (64 - bits))
                    } else if v > i64::MAX as u64 {
                        return it.unsupported("String#unpack of an unsigned integer past 63 bits");
                    } else {
                        Value::Int(v as i64)
                    });
                }
                pos += at;
            }
            b'x' => {
                let n = count.or_rest(0);
                if n > rest.len() {
                    return it.arg_err("x outside of string");
                }
                pos += n;
            }
            b'm' => {
                let strict = matches!(count, Count::N(0));
                let s = as_text(it, rest, fmt)?;
                out.push(crate::stdlib::base64_decode(it, s, strict)?);
                pos = bytes.len();
            }
            // directives Ruby has that make floats, bits, binary data or pointers
            b'b' | b'B' | b'd' | b'D' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'i' | b'I'
            | b'j' | b'J' | b'M' | b'p' | b'P' | b'u' | b'w' | b'X' | b'@' => {
                let d = d as char;
                return it.unsupported(&format!("String#unpack('{fmt}') directive '{d}'"));
            }
            _ => {
                // Ruby 3.3 and later refuse a directive they do not know
                let shown = if d.is_ascii_graphic() {
                    (d as char).to_string()
                } else {
                    format!("\\x{d:02x}")
                };
                return it.arg_err(format!("unknown unpack directive '{shown}' in '{fmt}'"));
            }
        }
    }
    Ok(out)
}

/// A directive's bytes as a string, ASCII-8BIT as Ruby makes it (see [`Value::binary_result`]).
fn text(s: &[u8]) -> Value {
    Value::binary_result(s.to_vec())
}

fn as_text<'b>(it: &mut Interp, s: &'b [u8], fmt: &str) -> R<&'b str> {
    match std::str::from_utf8(s) {
        Ok(t) => Ok(t),
        Err(_) => it.unsupported(&format!(
            "String#unpack('{fmt}') of bytes that are not text (a binary string)"
        )),
    }
}

/// A count of values checked against the size budget before they are made.
fn budget(it: &mut Interp, n: usize) -> R<()> {
    let spent = it.budget.alloc(n);
    it.spend(spent)
}
