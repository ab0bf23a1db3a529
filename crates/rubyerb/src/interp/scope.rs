//! Local variables: a method's or block's scope, chained to the scope it was opened in.

use std::cell::RefCell;
use std::rc::Rc;

use smallvec::SmallVec;

use crate::ast::Name;
use crate::value::Value;

/// A method's or block's locals: most have a few, kept inside the scope itself, so that a
/// call allocates once for them.
pub struct Scope {
    pub(super) vars: RefCell<SmallVec<[(Name, Value); 3]>>,
    parent: Option<Env>,
}
pub type Env = Rc<Scope>;

impl Scope {
    pub fn new(parent: Option<Env>) -> Env {
        Rc::new(Scope {
            vars: RefCell::new(SmallVec::new()),
            parent,
        })
    }
}

/// Scopes of finished calls that nothing kept (no block or binding closed over them), made
/// empty for the next call: a loop's block call otherwise allocates and frees one each time.
#[derive(Default)]
pub struct Spare(Vec<Env>);

impl Spare {
    /// A scope chained to `parent`: a spare one when there is one.
    #[inline]
    pub fn take(&mut self, parent: Option<Env>) -> Env {
        if let Some(mut env) = self.0.pop() {
            if let Some(s) = Rc::get_mut(&mut env) {
                s.parent = parent;
                return env;
            }
        }
        Scope::new(parent)
    }

    /// Keeps `env` for a later call when this was its last reference; its locals go now.
    #[inline]
    pub fn give(&mut self, mut env: Env) {
        if self.0.len() < 32 {
            if let Some(s) = Rc::get_mut(&mut env) {
                s.vars.get_mut().clear();
                s.parent = None;
                self.0.push(env);
            }
        }
    }
}

impl Scope {
    /// Every local visible here, innermost first (what code `eval` runs sees).
    pub fn names(&self) -> Vec<Name> {
        let mut out: Vec<Name> = self.vars.borrow().iter().map(|(n, _)| n.clone()).collect();
        if let Some(p) = &self.parent {
            out.extend(p.names());
        }
        out
    }
    /// What reading the local `name` gives: the innermost binding's value, found by a loop
    /// over the scopes (as [`Scope::set`] assigns: blocks nested deep cost no native stack
    /// here), nil when it is bound nowhere.
    ///
    /// Inlined where a local is read as an operand: a value handed back through memory by a
    /// call is written word by word and read back in wider pieces, which the processor
    /// cannot forward from the pending writes, and a read of a local (`n` in `fib(n - 1)`)
    /// would wait on that at every step.
    #[inline(always)]
    pub fn local(&self, name: &str) -> Value {
        let mut s = self;
        loop {
            if let Some((_, v)) = s.vars.borrow().iter().find(|(n, _)| same_name(n, name)) {
                return copy_of(v);
            }
            match s.parent.as_deref() {
                Some(p) => s = p,
                None => return Value::Nil,
            }
        }
    }
    /// Assigns where `name` is already bound, in this scope or an enclosing one; hands the
    /// value back when it is bound nowhere.
    fn set_existing(&self, name: &str, v: Value) -> Result<(), Value> {
        let mut s = self;
        loop {
            if let Some(slot) = s
                .vars
                .borrow_mut()
                .iter_mut()
                .find(|(n, _)| same_name(n, name))
            {
                slot.1 = v;
                return Ok(());
            }
            match &s.parent {
                Some(p) => s = p,
                None => return Err(v),
            }
        }
    }
    pub fn set(&self, name: &Name, v: Value) {
        if let Err(v) = self.set_existing(name, v) {
            self.vars.borrow_mut().push((name.clone(), v));
        }
    }
    /// A parameter of the call this scope was made for: a name bound twice keeps its first
    /// value, as Ruby gives `_` in `|_, _|` and `def f(_, _)` the first argument.
    pub fn bind(&self, name: &Name, v: Value) {
        let mut vars = self.vars.borrow_mut();
        if !vars.iter().any(|(n, _)| same_name(n, name)) {
            vars.push((name.clone(), v));
        }
    }
    /// The locals a body assigns ([`crate::ast::Kind::Locals`]): nil here, from its start,
    /// unless already bound here.
    pub fn prebind(&self, names: &[Name]) {
        let mut vars = self.vars.borrow_mut();
        for n in names {
            if !vars.iter().any(|(m, _)| same_name(m, n)) {
                vars.push((n.clone(), Value::Nil));
            }
        }
    }
    pub fn declare(&self, name: &Name, v: Value) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| same_name(n, name)) {
            slot.1 = v;
        } else {
            vars.push((name.clone(), v));
        }
    }
}

/// Names are interned per compiled template, so a variable's name is usually the very same
/// string as the one looked up: compare addresses before bytes. Most locals that are not
/// the one looked up differ in length or first byte (`x`, `s`, `acc`): no byte comparison
/// is called for them.
#[inline]
fn same_name(n: &Name, name: &str) -> bool {
    let (a, b) = (n.as_bytes(), name.as_bytes());
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.first() == b.first() && a == b)
}

/// A copy of a local's value: an Integer (a counter, an index, most arguments) is copied
/// here, without the call to `Value::clone` and its jump over every kind of value.
#[inline(always)]
pub(super) fn copy_of(v: &Value) -> Value {
    match v {
        Value::Int(i) => Value::Int(*i),
        _ => v.clone(),
    }
}
