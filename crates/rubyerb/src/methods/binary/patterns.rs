//! Binary strings searched with regexps: which patterns read a binary string's text (one
//! char per byte) as Ruby reads its bytes, which arguments a pattern method may take, and
//! `sub`, `gsub` and `scan` with a block, given each match as bytes.

use super::{binary_of_chars, bytes_back};
use crate::interp::{Interp, R};
use crate::value::{RStr, Value};
use crate::MethodCall;

/// Whether a regexp of source `src` matches a binary string's text (one char per byte) as
/// Ruby matches its bytes: a pattern of ASCII (one past it raises Ruby's
/// `Encoding::CompatibilityError`), without the constructs whose meaning past ASCII differs
/// between text and bytes: word boundaries, POSIX classes, Unicode properties, `\X`, `\R`,
/// and escapes naming a char past ASCII (`\u`, `\xE9`, `\351`, `\M-`, `\C-`), which make a
/// UTF-8 regexp in Ruby. Everything else reads the same: `.`, `\W` and negated classes take
/// one char, which is one byte, and `\w`, `\d`, `\s` and `\h` are ASCII's in both.
pub(crate) fn regex_reads_bytes(it: &Interp, src: &str) -> R<bool> {
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

/// `sub`, `gsub` and `scan` with a block over a binary string: the block is given each
/// match as bytes (`scan`: its groups, when the pattern has some), with `$~` that match; what
/// `sub` and `gsub`'s block answers is joined to the bytes as `+` joins a string to them.
pub(super) fn each_match(it: &mut Interp, c: &MethodCall, cell: &RStr) -> R<Value> {
    let block = c.block.as_ref().expect("a block");
    let s = cell.borrow().clone();
    let re = super::super::string::regex_of(it, &c.args[0])?;
    let matches = if c.name == "sub" {
        super::super::regex::find_at(&re, &s, 0)
            .into_iter()
            .collect()
    } else {
        super::super::regex::all(&re, &s)
    };
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in &matches {
        let (a, b) = m.range();
        super::super::regex::set_last_match_in(it, &s, Some(m), true);
        if c.name == "scan" {
            let v = match m.groups.len() {
                1 => m.group(&s, 0),
                n => Value::array((1..n).map(|i| m.group(&s, i)).collect()),
            };
            it.call_block1(block, bytes_back(v))?;
            continue;
        }
        out.push_str(&s[last..a]);
        match it.call_block1(block, binary_of_chars(&s[a..b]))? {
            Value::Str(x) if x.is_binary() => out.push_str(&x.borrow()),
            v => {
                let text = it.str_of(&v, c.f)?;
                // Ruby's answer depends on whether bytes past ASCII are left outside the
                // matches (text when none are, an error when some are): not followed here
                if !text.is_ascii() {
                    return it.unsupported(&format!(
                        "String#{} of a binary string whose block answers text past ASCII",
                        c.name
                    ));
                }
                out.push_str(&text);
            }
        }
        last = b;
    }
    if c.name == "scan" {
        return Ok(c.recv.clone());
    }
    out.push_str(&s[last..]);
    Ok(binary_of_chars(&out))
}
