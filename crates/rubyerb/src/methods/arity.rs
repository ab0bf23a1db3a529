//! Too many arguments to a core method fail as Ruby fails them: the director raises
//! `ArgumentError` for `list.map(1) { ... }` or `a.join(',', 1)`, where the methods here
//! would otherwise ignore what they do not read; and too few, when some are given
//! (`1.between?(1)`). The limits come from Ruby itself
//! (`arity_table.rs` and `arity_scalars.rs`, written by `tools/arity.rb`); only calls with
//! arguments are looked up, among the names of their first letter.

use super::super::interp::{Interp, R};
use super::super::value::Value;

/// A method's name, its most positional arguments with a block and the text Ruby gives as
/// `expected` when there are more, then the same without a block.
pub(super) type Limit = (&'static str, u8, &'static str, u8, &'static str);

/// Ruby's `ArgumentError` when `name` on `recv` is given more arguments than it takes, or
/// fewer than it needs. A
/// trailing Hash is not counted: it may be keywords (`clone(freeze: false)`), which
/// Ruby's limits here do not count either.
pub(super) fn check(it: &Interp, recv: &Value, name: &str, args: &[Value], block: bool) -> R<()> {
    let table = match recv {
        Value::Array(_) => &super::arity_table::ARRAY,
        Value::Hash(_) => &super::arity_table::HASH,
        Value::Range(_) => &super::arity_table::RANGE,
        Value::Str(_) => &super::arity_table::STRING,
        Value::Nil => &super::arity_scalars::NIL,
        Value::Bool(_) => &super::arity_scalars::BOOL,
        Value::Int(_) | Value::Big(_) => &super::arity_scalars::INTEGER,
        Value::Float(_) => &super::arity_scalars::FLOAT,
        Value::Sym(_) => &super::arity_scalars::SYMBOL,
        _ => return Ok(()),
    };
    // grouped by first letter (an operator is in none): a few names to compare, length first
    let group = match name.as_bytes().first() {
        Some(&c @ b'a'..=b'z') => usize::from(c - b'a'),
        Some(b'_') => 26,
        _ => return Ok(()),
    };
    let Some(&(_, with, with_text, without, without_text)) = table[group]
        .iter()
        .find(|l| l.0.len() == name.len() && l.0 == name)
    else {
        return Ok(());
    };
    let (most, text) = if block {
        (with, with_text)
    } else {
        (without, without_text)
    };
    let given = args.len() - usize::from(matches!(args.last(), Some(Value::Hash(_))));
    // too few, too: Ruby's `expected` starts with the fewest it takes, one digit (`2`,
    // `1..2`: no limit here is past 4), which a call with arguments is held to (one
    // without is never looked up)
    let least = match text.as_bytes().first() {
        Some(d @ b'0'..=b'9') => usize::from(d - b'0'),
        _ => 0,
    };
    if given <= usize::from(most) && args.len() >= least {
        return Ok(());
    }
    it.arg_err(format!(
        "wrong number of arguments (given {}, expected {text})",
        args.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::super::arity_scalars::{BOOL, FLOAT, INTEGER, NIL, SYMBOL};
    use super::super::arity_table::{ARRAY, HASH, RANGE, STRING};

    #[test]
    fn each_name_is_in_its_letters_group_once() {
        for t in [
            &ARRAY, &HASH, &RANGE, &STRING, &NIL, &BOOL, &INTEGER, &FLOAT, &SYMBOL,
        ] {
            for (g, names) in t.iter().enumerate() {
                let first = if g == 26 { b'_' } else { b'a' + g as u8 };
                assert!(names.iter().all(|l| l.0.as_bytes()[0] == first));
                assert!(names.windows(2).all(|w| w[0].0 < w[1].0));
            }
        }
    }
}
