//! `JSON.parse` and `JSON.load`: their options, read by the json gem's rules
//! ([`crate::json_in`]), and its exceptions.

use crate::interp::{Interp, R};
use crate::json_in::{parse, Options};
use crate::methods::{keywords, str_arg};
use crate::value::Value;

/// `JSON.parse(text, **options)` and `JSON.load(source, proc = nil, options = nil)`.
pub(super) fn call(it: &mut Interp, name: &str, args: &[Value]) -> R<Value> {
    let (positional, kw) = keywords(args);
    let load = name == "load";
    let source = positional.first().cloned().unwrap_or(Value::Nil);
    let mut o = Options::default();
    if load {
        // `load`'s defaults: NaN allowed, no nesting limit, and nothing (nil or "") is nil
        o.allow_nan = true;
        o.max_nesting = 0;
        if positional.get(1).is_some_and(|p| !p.is_nil()) {
            return it.unsupported("JSON.load with a proc");
        }
        match &source {
            Value::Nil => return Ok(Value::Nil),
            Value::Str(s) if s.borrow().is_empty() => return Ok(Value::Nil),
            _ => {}
        }
    }
    if let Some(v) = kw.get("allow_nan") {
        o.allow_nan = v.truthy();
    }
    if let Some(v) = kw.get("max_nesting") {
        o.max_nesting = match v {
            Value::Int(n) => usize::try_from(n).unwrap_or(0),
            _ if !v.truthy() => 0,
            _ => {
                return it.type_err(format!(
                    "no implicit conversion of {} into Integer",
                    v.class_name()
                ))
            }
        };
    }
    o.symbolize_names = kw.on("symbolize_names");
    o.allow_trailing_comma = kw.on("allow_trailing_comma");
    for k in [
        "object_class",
        "array_class",
        "decimal_class",
        "create_additions",
    ] {
        if kw.on(k) {
            return it.unsupported(&format!("JSON.{name} with {k}:"));
        }
    }
    let text = str_arg(it, &source)?;
    match parse(&text, &o) {
        Ok(v) => Ok(v),
        Err(e) if e.nesting => it.err("JSON::NestingError", e.message),
        Err(e) => it.err("JSON::ParserError", e.message),
    }
}
