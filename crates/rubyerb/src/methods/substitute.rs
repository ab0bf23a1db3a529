//! `sub`, `gsub` and `scan` over a string's text: of a text string, or of a binary string's
//! text of one char per byte (see [`crate::value::RStr`]), whose matches are then given to a
//! block, kept in `$~` and answered as bytes, as Ruby's are. One loop for both, so that a
//! binary string's matches follow the same rules as text's.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::super::MethodCall;
use super::regex::{self as rx, set_last_match_in};
use super::string::regex_of;
use super::{arg, str_arg};

/// Text made from `s` as the string it is: bytes when `binary`.
fn made(text: &str, binary: bool) -> Value {
    if binary {
        super::binary::bytes_back(Value::str(text))
    } else {
        Value::str(text)
    }
}

/// `sub` and `gsub`: each match replaced by the replacement string (its `\1`, `\k<name>`...
/// expanded), by what a hash maps the match to, or by what the block answers; without
/// either, an enumerator. In bytes, a block's answer of text past ASCII is refused: Ruby
/// answers text when no byte past ASCII is left outside the matches and raises when one is.
pub(super) fn sub(it: &mut Interp, c: &MethodCall, s: &str, binary: bool) -> R<Value> {
    let re = regex_of(it, &arg(c.args, 0))?;
    let matches = if c.name == "gsub" {
        rx::all(&re, s)
    } else {
        rx::find_at(&re, s, 0).into_iter().collect()
    };
    if c.args.len() < 2 && c.block.is_none() {
        return Ok(super::enumerator::make(
            it,
            c.recv.clone(),
            c.name,
            c.args.to_vec(),
        ));
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in &matches {
        let (a, b) = m.range();
        out.push_str(&s[last..a]);
        let rep = if c.args.len() >= 2 {
            match &c.args[1] {
                Value::Hash(h) => format::to_s(
                    &h.borrow()
                        .get(&Value::str(&s[a..b]))
                        .cloned()
                        .unwrap_or(Value::Nil),
                ),
                r => rx::expand(&str_arg(it, r)?, s, m),
            }
        } else {
            set_last_match_in(it, s, Some(m), binary);
            let block = c.block.as_ref().expect("a block");
            match it.call_block1(block, made(&s[a..b], binary))? {
                Value::Str(x) if binary && x.is_binary() => x.borrow().clone(),
                v => {
                    let text = it.str_of(&v, c.f)?;
                    if binary && !text.is_ascii() {
                        return it.unsupported(&format!(
                            "String#{} of a binary string whose block answers text past ASCII",
                            c.name
                        ));
                    }
                    text
                }
            }
        };
        out.push_str(&rep);
        last = b;
    }
    out.push_str(&s[last..]);
    // the last match stays in `$~` (nil without one), as Ruby leaves it
    set_last_match_in(it, s, matches.last(), binary);
    Ok(made(&out, binary))
}

/// `scan`: each match, or its groups when the pattern has some, given to the block (with
/// `$~` that match) or gathered; the last match is left in `$~`.
pub(super) fn scan(it: &mut Interp, c: &MethodCall, s: &str, binary: bool) -> R<Value> {
    let re = regex_of(it, &arg(c.args, 0))?;
    let mut items = Vec::new();
    let all = rx::all(&re, s);
    for m in &all {
        let group = |i: usize| match m.groups.get(i).copied().flatten() {
            Some((a, b)) => made(&s[a..b], binary),
            None => Value::Nil,
        };
        let v = match m.groups.len() {
            1 => group(0),
            n => Value::array((1..n).map(group).collect()),
        };
        if let Some(b) = &c.block {
            set_last_match_in(it, s, Some(m), binary);
            it.call_block1(b, v)?;
        } else {
            items.push(v);
        }
    }
    set_last_match_in(it, s, all.last(), binary);
    Ok(if c.block.is_some() {
        c.recv.clone()
    } else {
        Value::array(items)
    })
}
