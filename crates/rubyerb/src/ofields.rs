//! An OpenStruct's fields, which a host may leave to be made when first read.
//!
//! A host's OpenStruct can stand for a large tree of which a template reads a few fields
//! (a deployment tool's description of the instance being rendered: every field, the whole
//! configuration tree, of which templates read one or two). Converting all of it for each template
//! would cost more than the template; a [`FieldSource`] makes one field when it is read,
//! and all of them, in their order, the first time anything else looks at the fields.

use std::cell::{Ref, RefCell, RefMut};

use super::ast::Name;
use super::value::{Fields, Value};

/// Makes the fields of an OpenStruct on demand. Making a field must not depend on when it
/// is made: the host keeps the source's data as it was when the object was made, or makes
/// the fields whose data could change before it changes.
pub trait FieldSource {
    /// Every field's name, in the order the object lists them.
    fn names(&self) -> Vec<Name>;
    /// Field `name`'s value, made now; `None` if the object has no such field.
    fn make(&self, name: &str) -> Option<Value>;
}

/// The fields: those made so far, and the source of the others until all are made.
pub struct OFields {
    map: RefCell<Fields>,
    pending: RefCell<Option<Box<dyn FieldSource>>>,
}

impl OFields {
    /// Its fields, taken out (to drop them without recursing).
    /// How many fields it holds so far (without making a lazy source's).
    pub(crate) fn held(&self) -> usize {
        self.map.borrow().len()
    }

    pub(crate) fn take(&mut self) -> Fields {
        std::mem::take(self.map.get_mut())
    }

    pub fn new(fields: Fields) -> OFields {
        OFields {
            map: RefCell::new(fields),
            pending: RefCell::new(None),
        }
    }

    /// Fields that `source` makes when they are read.
    pub fn lazy(source: Box<dyn FieldSource>) -> OFields {
        OFields {
            map: RefCell::new(Fields::default()),
            pending: RefCell::new(Some(source)),
        }
    }

    /// One field, made if it was not yet: reading `spec.id` makes `id` alone. The same
    /// object on every read.
    pub fn get(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.map.borrow().get(name) {
            return Some(v.clone());
        }
        let v = self.pending.borrow().as_ref()?.make(name)?;
        self.map.borrow_mut().insert(name.into(), v.clone());
        Some(v)
    }

    /// Every field, in order (made now if they were not).
    pub fn borrow(&self) -> Ref<'_, Fields> {
        self.make_all();
        self.map.borrow()
    }

    /// Every field, to change them (made first, so that a change is never undone).
    pub fn borrow_mut(&self) -> RefMut<'_, Fields> {
        self.make_all();
        self.map.borrow_mut()
    }

    fn make_all(&self) {
        let Some(source) = self.pending.borrow_mut().take() else {
            return;
        };
        let mut made = self.map.borrow_mut();
        let names = source.names();
        let mut all = Fields::with_capacity_and_hasher(names.len(), Default::default());
        for name in names {
            // a field read before keeps its object
            let v = match made.swap_remove(&name) {
                Some(v) => v,
                None => source.make(&name).unwrap_or(Value::Nil),
            };
            all.insert(name, v);
        }
        *made = all;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;

    /// Fields `a`, `b`, `c` valued by their name, counting what it makes.
    struct Abc(Rc<Cell<usize>>);

    impl FieldSource for Abc {
        fn names(&self) -> Vec<Name> {
            ["a", "b", "c"].into_iter().map(Name::from).collect()
        }
        fn make(&self, name: &str) -> Option<Value> {
            if !matches!(name, "a" | "b" | "c") {
                return None;
            }
            self.0.set(self.0.get() + 1);
            Some(Value::str(name.to_string()))
        }
    }

    fn names(f: &OFields) -> Vec<String> {
        f.borrow().keys().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_read_makes_that_field_alone() {
        let n = Rc::new(Cell::new(0));
        let f = OFields::lazy(Box::new(Abc(n.clone())));
        assert!(f.get("b").is_some());
        assert!(f.get("zz").is_none());
        assert_eq!(n.get(), 1);
    }

    #[test]
    fn all_fields_keep_the_source_order_and_the_objects_read_before() {
        let n = Rc::new(Cell::new(0));
        let f = OFields::lazy(Box::new(Abc(n.clone())));
        let (c, b) = (f.get("c").unwrap(), f.get("b").unwrap());
        assert_eq!(names(&f), ["a", "b", "c"]);
        assert_eq!(n.get(), 3);
        let (Value::Str(c0), Value::Str(c1)) = (&c, &f.get("c").unwrap()) else {
            panic!("not strings")
        };
        assert!(Rc::ptr_eq(c0, c1));
        assert!(
            matches!((&b, f.borrow().get("b")), (Value::Str(x), Some(Value::Str(y))) if Rc::ptr_eq(x, y))
        );
    }

    #[test]
    fn a_change_makes_every_field_first() {
        let n = Rc::new(Cell::new(0));
        let f = OFields::lazy(Box::new(Abc(n.clone())));
        f.borrow_mut().insert("d".into(), Value::Int(1));
        assert_eq!(names(&f), ["a", "b", "c", "d"]);
        assert!(matches!(f.get("d"), Some(Value::Int(1))));
    }
}
