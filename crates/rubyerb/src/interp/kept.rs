//! The main object and its class, kept per host between templates: a template that left
//! them as they were made hands them to the next template of the same host, which then
//! makes neither again.

use std::cell::RefCell;
use std::rc::Rc;

use super::Interp;
use crate::value::{Class, ObjKind, Value};

thread_local! {
    /// Per host, the main object and its class, as a template found them (one that
    /// neither defined nor set anything on them nor kept them).
    static MAIN: RefCell<Vec<(Key, Value, Rc<Class>)>> = const { RefCell::new(Vec::new()) };
}

/// What the main object is made from: the host's class declarations (by address, as the
/// class tables are kept) and its main class name.
type Key = (usize, usize, usize);

fn main_key(host: &dyn crate::Host) -> Key {
    let name = host.main_class();
    (
        host.classes().classes.as_ptr() as usize,
        name.as_ptr() as usize,
        name.len(),
    )
}

/// The main object and class the previous template of `host` left untouched, if any.
pub(super) fn take(host: &dyn crate::Host) -> Option<(Value, Rc<Class>)> {
    let key = main_key(host);
    MAIN.with(|m| {
        let mut m = m.borrow_mut();
        let i = m.iter().position(|(k, ..)| *k == key)?;
        let (_, ctx, ctx_class) = m.swap_remove(i);
        Some((ctx, ctx_class))
    })
}

impl Drop for Interp<'_> {
    fn drop(&mut self) {
        // what the template may still hold through the interpreter goes first
        self.gvars.clear();
        self.current_exc = None;
        self.last_match = None;
        let Value::Object(o) = &self.ctx else { return };
        let c = &self.ctx_class;
        let untouched = Rc::strong_count(o) == 1
            && Rc::weak_count(o) == 0
            && Rc::strong_count(c) == 2
            && Rc::weak_count(c) == 0
            && Rc::ptr_eq(&o.class, c)
            && matches!(o.kind, ObjKind::Main)
            && o.ivars.borrow().is_empty()
            && c.methods.borrow().is_empty()
            && c.smethods.borrow().is_empty()
            && c.consts.borrow().is_empty()
            && c.attrs.borrow().is_empty();
        if !untouched {
            return;
        }
        let key = main_key(self.host);
        let ctx = std::mem::replace(&mut self.ctx, Value::Nil);
        let ctx_class = self.ctx_class.clone();
        // (a thread being torn down keeps nothing)
        let _ = MAIN.try_with(|m| {
            let mut m = m.borrow_mut();
            if m.len() < 4 && m.iter().all(|(k, ..)| *k != key) {
                m.push((key, ctx, ctx_class));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{render, Limits, NoHost};

    fn out(src: &str) -> String {
        let r = render(src.as_bytes(), &NoHost, &Limits::default());
        String::from_utf8(r.unwrap()).unwrap()
    }

    /// What one template defines or sets on its main object is seen by no later one,
    /// whether the main object was made for it or kept from an untouched template.
    #[test]
    fn nothing_a_template_defines_reaches_the_next() {
        for _ in 0..2 {
            assert_eq!(out("<%= 1 %>"), "1");
            out("<% def foo; 1; end; @x = 2; Y = 3; class K; end %>");
            assert_eq!(
                out("<%= [defined?(foo), @x, defined?(Y), defined?(K)].inspect %>"),
                "[nil, nil, nil, nil]"
            );
            out("<% $g = self; @y = 1 %>");
            assert_eq!(out("<%= [@y, instance_variables].inspect %>"), "[nil, []]");
        }
    }
}
