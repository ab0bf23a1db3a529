//! `YAML.load`, `YAML.safe_load` and `YAML.unsafe_load` (and Psych's own): their keywords,
//! and Psych's exceptions for what each refuses (see [`crate::yaml_in::Permits`]).

use crate::interp::{Interp, R};
use crate::methods::{keywords, str_arg};
use crate::value::{RHash, Value};
use crate::yaml_in::{Permits, YamlErrorKind};

/// The keywords the loaders take; another is Ruby's `unknown keyword`.
const KEYWORDS: [&str; 8] = [
    "aliases",
    "permitted_classes",
    "permitted_symbols",
    "symbolize_names",
    "fallback",
    "freeze",
    "filename",
    "strict_integer",
];

/// `YAML.<name>(text, **keywords)`.
pub(super) fn load(it: &mut Interp, name: &str, args: &[Value]) -> R<Value> {
    let (positional, kw) = keywords(args);
    // Psych 4 took its options' positional forms away
    if positional.len() != 1 {
        return it.arg_err(format!(
            "wrong number of arguments (given {}, expected 1)",
            positional.len()
        ));
    }
    if let Some(k) = kw.unknown(&KEYWORDS) {
        return it.arg_err(format!("unknown keyword: {k}"));
    }
    let text = str_arg(it, &positional[0])?;
    let mut permits = match name {
        "safe_load" => Permits::safe_load(),
        "unsafe_load" => Permits::unsafe_load(),
        _ => Permits::load(),
    };
    if kw.get("aliases").is_some() {
        permits.aliases = kw.on("aliases");
    }
    if let Some(classes) = kw.get("permitted_classes") {
        permits.symbols = false;
        for c in list(&classes) {
            let c = match &c {
                Value::Class(c) => c.name.to_string(),
                other => crate::format::to_s(other),
            };
            if c == "Symbol" {
                permits.symbols = true;
            } else {
                permits.classes.push(c);
            }
        }
    }
    if let Some(symbols) = kw.get("permitted_symbols") {
        permits.symbol_names = list(&symbols).iter().map(crate::format::to_s).collect();
    }
    // a text with no document at all (nothing, or comments) is the fallback, not nil
    let no_document = text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    });
    if no_document {
        return Ok(match kw.get("fallback") {
            Some(v) => v,
            None if name == "unsafe_load" => Value::Bool(false),
            None => Value::Nil,
        });
    }
    let limits = it.budget.limits;
    let v = match crate::yaml_in::load_permitted(&text, &limits, &permits) {
        Ok(v) => v,
        Err(e) => {
            return match &e.kind {
                k @ YamlErrorKind::Disallowed(_) => it.err("Psych::DisallowedClass", k.to_string()),
                k @ YamlErrorKind::AliasesNotEnabled => {
                    it.err("Psych::AliasesNotEnabled", k.to_string())
                }
                // Psych looks the class up first: one Ruby does not have is its error
                YamlErrorKind::Unbuildable(c) if it.classes.get(c).is_none() => {
                    it.arg_err(format!("undefined class/module {c}"))
                }
                YamlErrorKind::Unbuildable(c) => {
                    it.unsupported(&format!("YAML.{name} of a {c}, which the template permits"))
                }
                _ => it.err("Psych::SyntaxError", e.to_string()),
            };
        }
    };
    Ok(if kw.on("symbolize_names") {
        symbolize(v)
    } else {
        v
    })
}

/// An array argument's items, or the one value given alone.
fn list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.borrow().clone(),
        other => vec![other.clone()],
    }
}

/// Every hash's string keys as Symbols, at every depth, as `symbolize_names: true` gives
/// them. The loaded values are fresh, so they are rebuilt without a copy of what they hold.
fn symbolize(v: Value) -> Value {
    match &v {
        Value::Hash(h) => {
            let old = std::mem::take(&mut h.borrow_mut().map);
            let mut new = RHash::with_capacity(old.len());
            for (_, (k, val)) in old {
                let k = match k {
                    Value::Str(s) => Value::sym(&s.borrow()),
                    k => k,
                };
                new.insert(k, symbolize(val));
            }
            *h.borrow_mut() = new;
        }
        Value::Array(a) => {
            let items = std::mem::take(&mut *a.borrow_mut());
            *a.borrow_mut() = items.into_iter().map(symbolize).collect();
        }
        _ => {}
    }
    v
}
