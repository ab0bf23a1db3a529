//! What a template's values count against its allocation budget: strings by their bytes,
//! arrays and hashes by their elements, each with its own block, objects, procs and ranges by
//! their blocks (a proc with the scope it closes over), and each name an object or
//! OpenStruct gains. The budget is meant to bound the process's memory, so a value counts what
//! it holds: a million two-element arrays are over a hundred megabytes, not two million
//! elements.

use std::rc::Rc;

use super::{Interp, R};
use crate::value::Value;

/// The bytes an array element and a hash entry (its key, value and index slot) take, as the
/// allocation budget counts them.
pub(crate) const ELEMENT: usize = std::mem::size_of::<Value>();
const ENTRY: usize = 3 * std::mem::size_of::<Value>() + 2 * std::mem::size_of::<usize>();
/// An object's block (its reference counts beside it): `Object.new` a million times in a
/// loop is hundreds of megabytes, counted as arrays' elements are.
const OBJECT: usize =
    std::mem::size_of::<crate::value::Object>() + 2 * std::mem::size_of::<usize>();
const PROC: usize = std::mem::size_of::<crate::value::Proc>() + 2 * std::mem::size_of::<usize>();
/// A scope a proc closes over (the block call's locals, which the proc keeps alive): a
/// lambda made in a loop keeps one per iteration, about three times the proc's own block.
const SCOPE: usize = std::mem::size_of::<super::scope::Scope>() + 2 * std::mem::size_of::<usize>();
/// A string's, array's or hash's own block: its fields, reference counts, and the
/// allocator's header; a short string's bytes and a small array's elements are a second
/// block, whose header the size rounds up to.
const STR: usize = std::mem::size_of::<crate::value::RStr>() + 3 * std::mem::size_of::<usize>();
const ARRAY: usize = std::mem::size_of::<crate::value::RArray>() + 4 * std::mem::size_of::<usize>();
const HASH: usize = std::mem::size_of::<std::cell::RefCell<crate::value::RHash>>()
    + 4 * std::mem::size_of::<usize>();
const VAR: usize = std::mem::size_of::<(crate::ast::Name, Value)>();
const RANGE: usize = std::mem::size_of::<crate::value::RRange>() + 2 * std::mem::size_of::<usize>();

impl Interp<'_> {
    /// Counts a name added to an object's instance variables or an OpenStruct's fields.
    pub(crate) fn account_entry(&mut self) -> R<()> {
        let r = self.budget.alloc_items(1, ENTRY);
        self.spend(r)
    }

    /// Counts a new string, array or hash: its size, and the total when it is fresh (the
    /// only reference), not a receiver handed back. A fresh array's or hash's elements that
    /// are fresh strings, arrays or hashes count too, one level down: what `zip`,
    /// `each_slice`, `group_by` or `partition` made inside.
    pub fn account(&mut self, v: &Value) -> R<()> {
        let r = match v {
            Value::Array(a) if Rc::strong_count(a) == 1 => {
                let a = a.borrow();
                let inner: usize = a.iter().map(held).sum();
                self.budget.alloc_block(a.len(), ELEMENT, ARRAY + inner)
            }
            Value::Hash(h) if Rc::strong_count(h) == 1 => {
                let h = h.borrow();
                let inner: usize = h.map.values().map(|(k, v)| held(k) + held(v)).sum();
                self.budget.alloc_block(h.map.len(), ENTRY, HASH + inner)
            }
            Value::Str(s) if Rc::strong_count(s) == 1 => {
                self.budget.alloc_block(s.borrow().len(), 1, STR)
            }
            Value::Str(_) | Value::Array(_) | Value::Hash(_) => self.budget.len(len(v) as i64),
            // an object, proc or range: its own block, and an object's table of names
            Value::Object(o) if Rc::strong_count(o) == 1 => {
                let names = o.ivars.borrow().len()
                    + match &o.kind {
                        crate::value::ObjKind::OStruct(fields, _) => fields.held(),
                        _ => 0,
                    };
                self.budget.alloc_block(0, 0, OBJECT + names * ENTRY)
            }
            Value::Proc(p) if Rc::strong_count(p) == 1 => {
                let vars = p.env.vars.borrow().len();
                self.budget.alloc_block(0, 0, PROC + SCOPE + vars * VAR)
            }
            Value::Range(r) if Rc::strong_count(r) == 1 => self.budget.alloc_block(0, 0, RANGE),
            _ => return Ok(()),
        };
        self.spend(r)
    }
}

/// The bytes a fresh string, array or hash held by a new array or hash takes beyond the
/// element that refers to it (a value held elsewhere too was counted when it was made).
/// A fresh one may have been counted when it was made too (a literal, the block's value
/// `map` collects): the budget then errs toward stopping early, at most twice what such
/// values hold, where counting none of them let `zip`'s pairs grow past it unseen.
fn held(v: &Value) -> usize {
    let (item, head) = match v {
        Value::Str(s) if Rc::strong_count(s) == 1 => (1, STR),
        Value::Array(a) if Rc::strong_count(a) == 1 => (ELEMENT, ARRAY),
        Value::Hash(h) if Rc::strong_count(h) == 1 => (ENTRY, HASH),
        _ => return 0,
    };
    head + len(v) * item
}

/// A string's bytes, an array's elements or a hash's entries; 0 for anything else.
fn len(v: &Value) -> usize {
    match v {
        Value::Str(s) => s.borrow().len(),
        Value::Array(a) => a.borrow().len(),
        Value::Hash(h) => h.borrow().map.len(),
        _ => 0,
    }
}
