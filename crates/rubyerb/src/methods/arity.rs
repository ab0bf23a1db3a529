//! Too many arguments to a core method fail as Ruby fails them: the director raises
//! `ArgumentError` for `list.map(1) { ... }` or `a.join(',', 1)`, where the methods here
//! would otherwise ignore what they do not read; and too few, when some are given
//! (`1.between?(1)`, `list.each_slice`). The limits come from Ruby itself
//! (`arity_table.rs` and `arity_scalars.rs`, written by `tools/arity.rb`), looked up among
//! the names of their first letter: every call with arguments, and a call without only when
//! its name may be one that needs some ([`may_need`]).

use super::super::interp::{Interp, R};
use super::super::value::Value;

/// A method's name; with a block, the fewest positional arguments it takes, the most, and
/// the text Ruby gives as `expected` when a call has too many or too few; then the same
/// without a block.
pub(super) type Limit = (&'static str, u8, u8, &'static str, u8, u8, &'static str);

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
    let Some(&(_, least_with, with, with_text, least, without, without_text)) = table[group]
        .iter()
        .find(|l| l.0.len() == name.len() && l.0 == name)
    else {
        return Ok(());
    };
    let (least, most, text) = if block {
        (least_with, with, with_text)
    } else {
        (least, without, without_text)
    };
    let given = args.len() - usize::from(matches!(args.last(), Some(Value::Hash(_))));
    if given <= usize::from(most) && args.len() >= usize::from(least) {
        return Ok(());
    }
    it.arg_err(format!(
        "wrong number of arguments (given {}, expected {text})",
        args.len()
    ))
}

/// Whether some core method named `name` needs an argument, so that a call without any must
/// be looked up: most calls have none (`to_s`, `each`, `empty?`), and a test of two bits
/// keeps the table off their path. May answer yes for a name that needs none: a name's bits
/// come from its first three bytes, its last and its length (a few loads, no loop over it).
#[inline]
pub(super) fn may_need(name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let (a, b) = bits(name.as_bytes());
    NEEDY[a / 64] & (1 << (a % 64)) != 0 && NEEDY[b / 64] & (1 << (b % 64)) != 0
}

/// Two of the 2,048 bits of [`NEEDY`] for a name of at least one byte, by a multiplicative
/// hash.
const fn bits(name: &[u8]) -> (usize, usize) {
    const fn at(name: &[u8], i: usize) -> u64 {
        name[if i < name.len() { i } else { name.len() - 1 }] as u64
    }
    let key = at(name, 0)
        | at(name, 1) << 8
        | at(name, 2) << 16
        | at(name, name.len() - 1) << 24
        | (name.len() as u64) << 32;
    let x = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((x >> 53) as usize, ((x >> 42) & 2047) as usize)
}

/// A Bloom filter of the names that some type's method needs an argument for, with a block
/// or without.
static NEEDY: [u64; 32] = needy(&[
    &super::arity_table::ARRAY,
    &super::arity_table::HASH,
    &super::arity_table::RANGE,
    &super::arity_table::STRING,
    &super::arity_scalars::NIL,
    &super::arity_scalars::BOOL,
    &super::arity_scalars::INTEGER,
    &super::arity_scalars::FLOAT,
    &super::arity_scalars::SYMBOL,
]);

const fn needy(tables: &[&[&[Limit]; 27]]) -> [u64; 32] {
    let mut out = [0u64; 32];
    let mut t = 0;
    while t < tables.len() {
        let mut g = 0;
        while g < 27 {
            let group = tables[t][g];
            let mut i = 0;
            while i < group.len() {
                let (name, least_with, .., least, _, _) = group[i];
                if least_with > 0 || least > 0 {
                    let (a, b) = bits(name.as_bytes());
                    out[a / 64] |= 1 << (a % 64);
                    out[b / 64] |= 1 << (b % 64);
                }
                i += 1;
            }
            g += 1;
        }
        t += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::arity_scalars::{BOOL, FLOAT, INTEGER, NIL, SYMBOL};
    use super::super::arity_table::{ARRAY, HASH, RANGE, STRING};

    /// Every name that needs an argument passes the filter, and the commonest calls without
    /// arguments do not.
    #[test]
    fn the_filter_passes_every_needy_name() {
        for t in [
            &ARRAY, &HASH, &RANGE, &STRING, &NIL, &BOOL, &INTEGER, &FLOAT, &SYMBOL,
        ] {
            for l in t.iter().flat_map(|g| g.iter()) {
                assert!(l.1 == 0 && l.4 == 0 || super::may_need(l.0), "{}", l.0);
            }
        }
        for name in [
            "to_s", "each", "map", "empty?", "size", "keys", "first", "join", "nil?",
        ] {
            assert!(!super::may_need(name), "{name}");
        }
    }

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
