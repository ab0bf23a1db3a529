//! Binary strings searched with regexps: which patterns read a binary string's text (one
//! char per byte) as Ruby reads its bytes, and which arguments a pattern method may take.

use crate::interp::{Interp, R};
use crate::value::Value;
use crate::MethodCall;

/// Whether a regexp of source `src` matches a binary string's text (one char per byte) as
/// Ruby matches its bytes: a pattern of ASCII (one past it raises Ruby's
/// `Encoding::CompatibilityError`), without the constructs whose meaning past ASCII differs
/// between text and bytes: word boundaries, POSIX classes, Unicode properties, `\X`, `\R`,
/// and escapes naming a char past ASCII (`\u`, `\xE9`, `\351`, `\M-`, `\C-`), which make a
/// UTF-8 regexp in Ruby. Everything else reads the same: `.`, `\W` and negated classes take
/// one char, which is one byte, and `\w`, `\d`, `\s` and `\h` are ASCII's in both.
pub(in crate::methods) fn regex_reads_bytes(it: &Interp, src: &str) -> R<bool> {
    if !src.is_ascii() {
        return it.err(
            "Encoding::CompatibilityError",
            "incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)",
        );
    }
    if src.contains("[:") {
        return Ok(false);
    }
    let b = src.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'\\' {
            let past_ascii = match b[i + 1] {
                b'b' | b'B' | b'p' | b'P' | b'X' | b'R' | b'u' | b'U' | b'M' | b'C' | b'c' => true,
                b'x' => b
                    .get(i + 2)
                    .is_some_and(|d| matches!(d, b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')),
                b'2' | b'3' => b.get(i + 2).is_some_and(u8::is_ascii_digit),
                _ => false,
            };
            if past_ascii {
                return Ok(false);
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(true)
}

/// Whether the arguments of `c` are what a pattern method may be run with on a binary
/// string's chars: regexps that read bytes as text ([`regex_reads_bytes`]; a string given
/// to `match` is one), strings of ASCII or bytes, positions, ranges and limits. Text past
/// ASCII meets bytes past them in Ruby's `Encoding::CompatibilityError`, except as what
/// `sub` and `gsub` put in, whose answer depends on what is left of the bytes: refused. A
/// replacement hash is refused too (its values are looked up by text).
pub(super) fn args_read_bytes(it: &Interp, c: &MethodCall) -> R<bool> {
    for (i, a) in c.args.iter().enumerate() {
        match a {
            Value::Regex(re) if !regex_reads_bytes(it, &re.source)? => return Ok(false),
            Value::Str(s) if i == 0 && matches!(c.name, "match" | "match?") && !s.is_binary() => {
                if !regex_reads_bytes(it, &s.borrow())? {
                    return Ok(false);
                }
            }
            Value::Regex(_) | Value::Int(_) | Value::Range(_) | Value::Nil => {}
            Value::Str(s) if !s.is_binary() && !s.borrow().is_ascii() => {
                if matches!(c.name, "sub" | "gsub") {
                    return Ok(false);
                }
                return it.encoding_mismatch(false);
            }
            Value::Str(_) => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}
