//! Array's combinatorics: `product`, `combination`, `permutation` and their repeated forms.
//! Each result is counted against the range and allocation budgets before it is built, so a
//! template asking for the permutations of forty items fails at its line instead of
//! filling memory. Without a block each answers the list (where Ruby answers an
//! Enumerator over it; every method a template calls on one answers the same).

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::int_arg;

/// The combinatorics method `name` over `items`, or `None` for another method.
pub(super) fn call(
    it: &mut Interp,
    recv: &Value,
    name: &str,
    items: &[Value],
    args: &[Value],
    block: Option<Value>,
) -> R<Option<Value>> {
    let n = items.len();
    let tuples: Vec<Vec<usize>> = match name {
        "product" => {
            let others = args.iter().map(|a| it.elements(a)).collect::<R<Vec<_>>>()?;
            let count = others
                .iter()
                .fold(n as u128, |c, o| c.saturating_mul(o.len() as u128));
            materialise(it, count, others.len() + 1)?;
            let mut acc: Vec<Vec<Value>> = items.iter().map(|x| vec![x.clone()]).collect();
            for other in others {
                acc = acc
                    .into_iter()
                    .flat_map(|p| {
                        other.iter().map(move |o| {
                            let mut q = p.clone();
                            q.push(o.clone());
                            q
                        })
                    })
                    .collect();
            }
            return Ok(Some(Value::array(
                acc.into_iter().map(Value::array).collect(),
            )));
        }
        "combination" | "permutation" | "repeated_combination" | "repeated_permutation" => {
            let k = match args.first() {
                None if name == "permutation" => n as i64,
                _ => int_arg(it, &super::arg(args, 0))?,
            };
            let Ok(k) = usize::try_from(k) else {
                return answer(it, recv, Vec::new(), block).map(Some);
            };
            let count = match name {
                "combination" => choose(n, k),
                "permutation" => (0..k as u128).fold(u128::from(k <= n), |c, i| {
                    c.saturating_mul((n as u128).saturating_sub(i))
                }),
                "repeated_combination" if n == 0 => u128::from(k == 0),
                "repeated_combination" => choose(n + k - 1, k),
                _ => (0..k).fold(1u128, |c, _| c.saturating_mul(n as u128)),
            };
            materialise(it, count, k)?;
            let mut out = Vec::with_capacity(count as usize);
            let mut cur = Vec::with_capacity(k);
            if count > 0 {
                let rule = match name {
                    "combination" => Rule::Rising,
                    "permutation" => Rule::Distinct,
                    "repeated_combination" => Rule::NotFalling,
                    _ => Rule::Any,
                };
                tuples_of(n, k, rule, &mut cur, &mut out);
            }
            out
        }
        _ => return Ok(None),
    };
    let lists = tuples
        .into_iter()
        .map(|t| Value::array(t.into_iter().map(|i| items[i].clone()).collect()))
        .collect();
    answer(it, recv, lists, block).map(Some)
}

/// The list, or with a block each of its tuples given to it and the receiver answered.
fn answer(it: &mut Interp, recv: &Value, lists: Vec<Value>, block: Option<Value>) -> R<Value> {
    match block {
        Some(b) => {
            for l in lists {
                it.call_block1(&b, l)?;
            }
            Ok(recv.clone())
        }
        None => Ok(Value::array(lists)),
    }
}

/// Which index tuples a method lists, each in Ruby's order (by index, first place first).
#[derive(Clone, Copy)]
enum Rule {
    /// `combination`: each index above the one before.
    Rising,
    /// `permutation`: no index twice.
    Distinct,
    /// `repeated_combination`: each index at or above the one before.
    NotFalling,
    /// `repeated_permutation`: every index anywhere.
    Any,
}

fn tuples_of(n: usize, k: usize, rule: Rule, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if cur.len() == k {
        out.push(cur.clone());
        return;
    }
    let from = match (rule, cur.last()) {
        (Rule::Rising, Some(&l)) => l + 1,
        (Rule::NotFalling, Some(&l)) => l,
        _ => 0,
    };
    for i in from..n {
        if matches!(rule, Rule::Distinct) && cur.contains(&i) {
            continue;
        }
        cur.push(i);
        tuples_of(n, k, rule, cur, out);
        cur.pop();
    }
}

/// Counts `count` results of `width` elements each against the range and allocation
/// budgets, before any is built.
fn materialise(it: &mut Interp, count: u128, width: usize) -> R<()> {
    let r = it.budget.range(i64::try_from(count).unwrap_or(i64::MAX));
    it.spend(r)?;
    let cells = count.saturating_mul(width.max(1) as u128);
    let a = it.budget.alloc_items(
        usize::try_from(cells).unwrap_or(usize::MAX),
        crate::interp::ELEMENT,
    );
    it.spend(a)
}

/// n choose k, saturating.
fn choose(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k) as u128;
    let mut c: u128 = 1;
    for i in 0..k {
        // c * (n - i) / (i + 1) stays whole at every step
        c = match c.checked_mul(n as u128 - i) {
            Some(m) => m / (i + 1),
            None => return u128::MAX,
        };
    }
    c
}
