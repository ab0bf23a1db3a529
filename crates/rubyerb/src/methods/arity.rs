//! Too many arguments to a core method fail as Ruby fails them: the director raises
//! `ArgumentError` for `list.map(1) { ... }` or `a.join(',', 1)`, where the methods here
//! would otherwise ignore what they do not read. The limits come from Ruby itself
//! (`arity_table.rs`, written by `tools/arity.rb`); only calls with arguments are looked up.

use super::super::interp::{Interp, R};
use super::super::value::Value;

/// A method's name, its most positional arguments with a block and the text Ruby gives as
/// `expected` when there are more, then the same without a block.
pub(super) type Limit = (&'static str, u8, &'static str, u8, &'static str);

/// Ruby's `ArgumentError` when `name` on `recv` is given more arguments than it takes. A
/// trailing Hash is not counted: it may be keywords (`clone(freeze: false)`), which
/// Ruby's limits here do not count either.
pub(super) fn check(it: &Interp, recv: &Value, name: &str, args: &[Value], block: bool) -> R<()> {
    let table = match recv {
        Value::Array(_) => super::arity_table::ARRAY,
        Value::Hash(_) => super::arity_table::HASH,
        Value::Range(_) => super::arity_table::RANGE,
        Value::Str(_) => super::arity_table::STRING,
        _ => return Ok(()),
    };
    let Ok(i) = table.binary_search_by(|l| l.0.cmp(name)) else {
        return Ok(());
    };
    let (_, with, with_text, without, without_text) = table[i];
    let (most, text) = if block {
        (with, with_text)
    } else {
        (without, without_text)
    };
    let given = args.len() - usize::from(matches!(args.last(), Some(Value::Hash(_))));
    if given <= usize::from(most) {
        return Ok(());
    }
    it.arg_err(format!(
        "wrong number of arguments (given {}, expected {text})",
        args.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::super::arity_table::{ARRAY, HASH, RANGE, STRING};

    #[test]
    fn tables_are_sorted_for_the_binary_search() {
        for t in [ARRAY, HASH, RANGE, STRING] {
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}
