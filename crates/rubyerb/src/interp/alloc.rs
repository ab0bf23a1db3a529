//! What a template's values count against its allocation budget: strings by their bytes,
//! arrays and hashes by their elements, objects, procs and ranges by their blocks (a proc
//! with the scope it closes over), and each name an object or OpenStruct gains.

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
const VAR: usize = std::mem::size_of::<(crate::ast::Name, Value)>();
const RANGE: usize = std::mem::size_of::<crate::value::RRange>() + 2 * std::mem::size_of::<usize>();

impl Interp<'_> {
    /// Counts a name added to an object's instance variables or an OpenStruct's fields.
    pub(crate) fn account_entry(&mut self) -> R<()> {
        let r = self.budget.alloc_items(1, ENTRY);
        self.spend(r)
    }

    /// Counts a new string, array or hash: its size, and the total when it is fresh (the
    /// only reference), not a receiver handed back.
    pub fn account(&mut self, v: &Value) -> R<()> {
        let (len, fresh, item) = match v {
            Value::Str(s) => (s.borrow().len(), Rc::strong_count(s) == 1, 1),
            Value::Array(a) => (a.borrow().len(), Rc::strong_count(a) == 1, ELEMENT),
            Value::Hash(h) => (h.borrow().map.len(), Rc::strong_count(h) == 1, ENTRY),
            // an object, proc or range: its own block, and an object's table of names
            Value::Object(o) => {
                let names = o.ivars.borrow().len()
                    + match &o.kind {
                        crate::value::ObjKind::OStruct(fields, _) => fields.held(),
                        _ => 0,
                    };
                (OBJECT + names * ENTRY, Rc::strong_count(o) == 1, 1)
            }
            Value::Proc(p) => {
                let vars = p.env.vars.borrow().len();
                (PROC + SCOPE + vars * VAR, Rc::strong_count(p) == 1, 1)
            }
            Value::Range(r) => (1, Rc::strong_count(r) == 1, RANGE),
            _ => return Ok(()),
        };
        let r = if fresh {
            self.budget.alloc_items(len, item)
        } else {
            self.budget.len(len as i64)
        };
        self.spend(r)
    }
}
