//! What a template was given of its job's property tree, and whether it left the tree as
//! the director hands it to every template (a fresh copy each time).
//!
//! A template reaches the tree only through what the API gives it: `p` and `if_p` give
//! parts of it, `spec`, `properties` and `raw_properties` give all of it. Every part given
//! is a node of the tree (reached from the root by present keys) or a value made for the
//! template; and since the tree shares nothing between its nodes when the template starts,
//! a node the template changes is inside a part it was given. So comparing each part given
//! with the same part of the pristine tree tells whether the whole tree is intact, at the
//! cost of the parts rather than of the tree. The comparison is strict (same variant, same
//! bytes, keys in the same order, no hash default) and also refuses a part that became
//! shared (held twice, `p('a')['x'] = p('b')`), which the next template would otherwise
//! see change in two places at once.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use rubyerb::{RArray, RHash, RStr, Value};

/// The tree as the director hands it to each template, copied from the job's tree only
/// when a template that is not the job's last is first given a part whose shape it could
/// change (a hash, an array or all of it). Before that moment the job's templates were
/// given strings at most, which are compared with their text when given: the copy's shape
/// is the pristine shape, and a string changed in place before the copy is seen through
/// that string. The copy is never given to a template, so it serves the job's later
/// templates until the tree is bound again. Most templates are given strings and numbers
/// only, and their job's tree is then never copied.
#[derive(Clone, Default)]
pub(super) struct Pristine {
    keep: bool,
    copy: Rc<RefCell<Option<Value>>>,
}

impl Pristine {
    /// The same copy, for a template after which another of the job is rendered from the
    /// tree (`keep`) or not.
    pub(super) fn for_template(&self, keep: bool) -> Pristine {
        Pristine {
            keep,
            copy: self.copy.clone(),
        }
    }

    /// Whether what the template is given needs noting: nothing reads the tree after the
    /// job's last template.
    pub(super) fn kept(&self) -> bool {
        self.keep
    }

    /// Copies `tree` before a part of it whose shape could change is given, once.
    pub(super) fn before_giving(&self, tree: &Value) {
        if self.keep && self.copy.borrow().is_none() {
            *self.copy.borrow_mut() = Some(tree.deep_copy());
        }
    }

    /// The copy, if one was made.
    pub(super) fn get(&self) -> Option<Value> {
        self.copy.borrow().clone()
    }

    /// The copy, read in place (asked at every value `p` gives).
    pub(super) fn borrow(&self) -> std::cell::Ref<'_, Option<Value>> {
        self.copy.borrow()
    }

    /// Forgets the copy: the tree is bound again.
    pub(super) fn clear(&self) {
        self.copy.borrow_mut().take();
    }
}

/// How a lookup reached its value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Via {
    /// Through present hash keys only: the value is a node of the tree (or nil).
    Keys,
    /// Made by the lookup itself (a string's segment): not part of the tree.
    Made,
    /// Through a hash default or another object's `[]`: the tree had already changed.
    Other,
}

/// A part of the tree given to a template, held weakly so that holding it changes none of
/// the reference counts the check reads.
enum Part {
    Str(Weak<RStr>),
    Array(Weak<RArray>),
    Hash(Weak<RefCell<RHash>>),
}

impl Part {
    fn of(v: &Value) -> Option<(Part, usize)> {
        Some(match v {
            Value::Str(s) => (Part::Str(Rc::downgrade(s)), Rc::as_ptr(s) as usize),
            Value::Array(a) => (Part::Array(Rc::downgrade(a)), Rc::as_ptr(a) as usize),
            Value::Hash(h) => (Part::Hash(Rc::downgrade(h)), Rc::as_ptr(h) as usize),
            _ => return None,
        })
    }

    fn upgrade(&self) -> Option<Value> {
        Some(match self {
            Part::Str(w) => Value::Str(w.upgrade()?),
            Part::Array(w) => Value::Array(w.upgrade()?),
            Part::Hash(w) => Value::Hash(w.upgrade()?),
        })
    }
}

/// What one template was given of the tree.
#[derive(Default)]
pub(super) struct Handed {
    /// `spec`, `properties` or `raw_properties`: all of it.
    whole: bool,
    /// A part that cannot be paired with the pristine tree: the tree already changed.
    lost: bool,
    /// Each distinct part given, with the same part of the pristine tree.
    parts: Vec<(Part, Value)>,
    seen: rustc_hash::FxHashSet<usize>,
}

impl Handed {
    pub(super) fn whole(&mut self) {
        self.whole = true;
    }

    /// Notes that the lookup of `name` (a dot path) gave `v`, reached as `via`.
    pub(super) fn gave(&mut self, pristine: Option<&Value>, name: &Value, v: &Value, via: Via) {
        if self.whole || self.lost {
            return;
        }
        // numbers, booleans, nil and symbols cannot be changed in place
        if matches!(
            v,
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Sym(_)
        ) {
            return;
        }
        match via {
            Via::Made => {}
            Via::Other => self.lost = true,
            Via::Keys => match Part::of(v) {
                // anything else in the tree was put there by this template
                None => self.lost = true,
                Some((part, ptr)) => {
                    if !self.seen.insert(ptr) {
                        return;
                    }
                    // A string given is as the tree had it: changing it in place takes being
                    // given it first, and putting another there takes being given its
                    // parent (a part compared with the pristine tree). So its text now
                    // is its pristine text, without walking the pristine tree to it.
                    let orig = match v {
                        Value::Str(s) => Some(Value::str(s.borrow().as_str())),
                        _ => pristine.and_then(|p| at_path(p, name)),
                    };
                    match orig {
                        Some(orig) => self.parts.push((part, orig)),
                        None => self.lost = true,
                    }
                }
            },
        }
    }

    /// Whether `tree` (the template's, no longer held by it) is still the same as the tree
    /// the template started from, judged by what the template was given and `pristine`
    /// ([`Pristine`], copied before the first hash, array or whole tree was given).
    pub(super) fn intact(self, tree: &Value, pristine: Option<&Value>) -> bool {
        if self.lost {
            return false;
        }
        // held by the renderer only; strings given before the copy are checked below
        if self.whole && !pristine.is_some_and(|p| same(tree, p, Some(1))) {
            return false;
        }
        self.parts.iter().all(|(part, orig)| match part.upgrade() {
            // held by its parent and by `v` here
            Some(v) => same(&v, orig, Some(2)),
            // gone: taken out of the tree
            None => false,
        })
    }
}

/// The pristine node at `name`, walked as [`super::api::lookup`] walks it through keys.
fn at_path(pristine: &Value, name: &Value) -> Option<Value> {
    let Value::Str(name) = name else { return None };
    let name = name.borrow();
    let path = name.trim_end_matches('.');
    let mut node = pristine.clone();
    for seg in super::bind::dots(path).filter(|_| !path.is_empty()) {
        let next = match &node {
            Value::Hash(h) => h.borrow().get_str(seg).cloned()?,
            _ => return None,
        };
        node = next;
    }
    Some(node)
}

/// Whether `cur` is exactly `orig`: same variants, bytes and key order, no hash default,
/// and (when `holders` is given) every string, array and hash held only by its parent
/// (`holders` for `cur` itself, 1 below it).
fn same(cur: &Value, orig: &Value, holders: Option<usize>) -> bool {
    let below = holders.map(|_| 1);
    let held = |n: usize| holders.is_none_or(|h| h == n);
    match (cur, orig) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
        (Value::Sym(a), Value::Sym(b)) => a == b,
        (Value::Str(a), Value::Str(b)) => held(Rc::strong_count(a)) && *a.borrow() == *b.borrow(),
        (Value::Array(a), Value::Array(b)) => {
            if !held(Rc::strong_count(a)) {
                return false;
            }
            let (a, b) = (a.borrow(), b.borrow());
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| same(x, y, below))
        }
        (Value::Hash(a), Value::Hash(b)) => {
            if !held(Rc::strong_count(a)) {
                return false;
            }
            let (a, b) = (a.borrow(), b.borrow());
            a.map.len() == b.map.len()
                && a.default_proc.is_none()
                && b.default_proc.is_none()
                && same(&a.default, &b.default, None)
                && a.map
                    .iter()
                    .zip(b.map.iter())
                    .all(|((ka, (kva, va)), (kb, (kvb, vb)))| {
                        ka == kb && same(kva, kvb, None) && same(va, vb, below)
                    })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(pairs: Vec<(&str, Value)>) -> Value {
        let mut h = RHash::new();
        for (k, v) in pairs {
            h.insert(Value::str(k), v);
        }
        Value::hash(h)
    }

    fn tree() -> Value {
        hash(vec![
            ("a", hash(vec![("b", Value::str("x"))])),
            ("n", Value::Int(1)),
            ("f", Value::Float(0.0)),
        ])
    }

    #[test]
    fn a_copy_is_the_same_and_changes_are_seen() {
        let orig = tree();
        let t = orig.deep_copy();
        assert!(same(&t, &orig, Some(1)));
        // a float that is == but prints differently
        if let Value::Hash(h) = &t {
            h.borrow_mut().insert(Value::str("f"), Value::Float(-0.0));
        }
        assert!(!same(&t, &orig, Some(1)));
    }

    #[test]
    fn a_part_held_twice_is_not_intact() {
        let orig = tree();
        let t = orig.deep_copy();
        let a = at_path(&t, &Value::str("a")).unwrap();
        let x = at_path(&t, &Value::str("a.b")).unwrap();
        // the same string under a second key of another part: equal, but shared
        if let Value::Hash(h) = &t {
            h.borrow_mut().insert(Value::str("n"), x.clone());
        }
        drop(x);
        assert!(!same(&t, &orig, Some(1)));
        drop(a);
    }

    #[test]
    fn parts_are_compared_with_the_same_pristine_parts() {
        let orig = tree();
        let t = orig.deep_copy();
        let mut h = Handed::default();
        let name = Value::str("a.b");
        let x = at_path(&t, &name).unwrap();
        h.gave(Some(&orig), &name, &x, Via::Keys);
        if let Value::Str(s) = &x {
            s.borrow_mut().push('!');
        }
        drop(x);
        assert!(!h.intact(&t, Some(&orig)));

        let t = orig.deep_copy();
        let mut h = Handed::default();
        let x = at_path(&t, &name).unwrap();
        h.gave(Some(&orig), &name, &x, Via::Keys);
        h.gave(Some(&orig), &name, &x, Via::Keys);
        drop(x);
        assert!(h.intact(&t, Some(&orig)));
    }

    /// A string changed through its parent before it is given is seen through the parent,
    /// though the string itself is compared with its text when given.
    #[test]
    fn a_string_changed_through_its_parent_before_it_is_given_is_seen() {
        let orig = tree();
        let t = orig.deep_copy();
        let mut h = Handed::default();
        let (a_name, b_name) = (Value::str("a"), Value::str("a.b"));
        let a = at_path(&t, &a_name).unwrap();
        h.gave(Some(&orig), &a_name, &a, Via::Keys);
        if let Value::Hash(m) = &a {
            m.borrow_mut().insert(Value::str("b"), Value::str("other"));
        }
        let x = at_path(&t, &b_name).unwrap();
        h.gave(Some(&orig), &b_name, &x, Via::Keys);
        drop((a, x));
        assert!(!h.intact(&t, Some(&orig)));
    }
}
