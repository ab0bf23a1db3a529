//! Which nodes of a `to_yaml` document Psych anchors: an array, hash or object (an
//! OpenStruct, a class) met a second time in the walk is written as an alias (`*1`) of its
//! first place, which gets the anchor (`&1`). Numbers go in the order the repeats are met, as
//! Psych's registrar counts them. A template that puts one property's list in two places of
//! a config file (`p('servers')` twice) gets the same anchors and aliases the director
//! writes, and a structure that holds itself ends instead of nesting forever.

use rustc_hash::{FxHashMap, FxHashSet};

use super::methods::ostruct;
use super::value::Value;

/// A node's identity, if Psych registers it: its allocation.
pub(super) fn identity(v: &Value) -> Option<usize> {
    match v {
        Value::Array(_) | Value::Hash(_) | Value::Class(_) => Some(v.ptr()),
        Value::Object(_) if ostruct::yaml_view(v).is_some() => Some(v.ptr()),
        _ => None,
    }
}

/// The anchor number of every node `root` holds more than once, walked in the order the
/// emitter writes (a hash's key before its value, an OpenStruct's fields in order).
pub(super) fn anchors(root: &Value) -> FxHashMap<usize, u32> {
    let mut seen = FxHashSet::default();
    let mut ids = FxHashMap::default();
    let mut stack = vec![root.clone()];
    while let Some(v) = stack.pop() {
        let Some(id) = identity(&v) else { continue };
        if !seen.insert(id) {
            let next = ids.len() as u32 + 1;
            ids.entry(id).or_insert(next);
            continue;
        }
        // children pushed last first, so that they are walked in writing order
        match &v {
            Value::Array(a) => stack.extend(a.borrow().iter().rev().cloned()),
            Value::Hash(h) => {
                for (k, val) in h.borrow().map.values().rev() {
                    stack.push(val.clone());
                    stack.push(k.clone());
                }
            }
            Value::Object(_) => {
                if let Some((_, Value::Hash(fields))) = ostruct::yaml_view(&v) {
                    stack.extend(fields.borrow().map.values().rev().map(|(_, f)| f.clone()));
                }
            }
            _ => {}
        }
    }
    ids
}

/// What to write for a node: nothing, its anchor (first place) or an alias (a later one).
pub(super) enum Mark {
    None,
    Anchor(u32),
    Alias(u32),
}

/// The anchors of one document and which of them are written already.
#[derive(Default)]
pub(super) struct Marks {
    ids: FxHashMap<usize, u32>,
    written: FxHashSet<usize>,
}

impl Marks {
    pub(super) fn new(root: &Value) -> Marks {
        Marks {
            ids: anchors(root),
            written: FxHashSet::default(),
        }
    }

    pub(super) fn mark(&mut self, v: &Value) -> Mark {
        if self.ids.is_empty() {
            return Mark::None;
        }
        let Some(id) = identity(v) else {
            return Mark::None;
        };
        match self.ids.get(&id) {
            None => Mark::None,
            Some(&n) if self.written.insert(id) => Mark::Anchor(n),
            Some(&n) => Mark::Alias(n),
        }
    }
}
