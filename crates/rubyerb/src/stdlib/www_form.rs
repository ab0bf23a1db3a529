//! `URI.encode_www_form` and `URI.decode_www_form`: a form's pairs to and from
//! `application/x-www-form-urlencoded` text, as Ruby's URI library writes and reads them.

use super::encoding::{bytes_of, percent_decode, percent_encode};
use crate::interp::{Interp, R};
use crate::value::Value;

fn component(v: &Value) -> String {
    percent_encode(
        &bytes_of(v),
        &|b| b.is_ascii_alphanumeric() || b"*-._".contains(&b),
        true,
    )
}

/// Pairs (a Hash or an array of pairs) as form text: a nil value writes the key alone, an
/// array value writes the key once for each of its elements (a nil element, nothing).
pub(super) fn encode(it: &mut Interp, pairs: &Value) -> R<Value> {
    let mut parts = Vec::new();
    for pair in it.elements(pairs)? {
        let kv = it.elements(&pair)?;
        let key = component(kv.first().unwrap_or(&Value::Nil));
        match kv.get(1).unwrap_or(&Value::Nil) {
            Value::Nil => parts.push(key),
            Value::Array(values) => {
                let each: Vec<String> = values
                    .borrow()
                    .iter()
                    .map(|w| match w {
                        // Ruby's block gives nil for a nil element, which joins as nothing
                        Value::Nil => String::new(),
                        w => format!("{key}={}", component(w)),
                    })
                    .collect();
                parts.push(each.join("&"));
            }
            v => parts.push(format!("{key}={}", component(v))),
        }
    }
    Ok(Value::str(parts.join("&")))
}

/// Form text as `[key, value]` pairs, split at each `&` (an empty piece is an empty pair, a
/// key without `=` has an empty value); only ASCII text is read, as Ruby reads it.
pub(super) fn decode(it: &mut Interp, text: &str) -> R<Value> {
    if !text.is_ascii() {
        return it.arg_err("the input of URI.decode_www_form must be ASCII only string");
    }
    if text.is_empty() {
        return Ok(Value::array(Vec::new()));
    }
    // a final `&` ends the last piece rather than starting an empty one
    let body = text.strip_suffix('&').unwrap_or(text);
    let pairs = body
        .split('&')
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            Value::array(vec![
                Value::str(percent_decode(k, true)),
                Value::str(percent_decode(v, true)),
            ])
        })
        .collect();
    Ok(Value::array(pairs))
}
