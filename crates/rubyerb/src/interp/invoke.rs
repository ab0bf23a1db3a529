//! Template-defined methods: found on a class and its superclasses, and run in a frame of
//! their own with their parameters bound.

use std::rc::Rc;

use super::super::ast::*;
use super::super::value::*;
use super::params::Arity;
use super::scope::copy_of;
use super::{discard, Env, Frame, Interp, Jump, Scope, R};

/// A receiver-less call's method as last found: where the search started, the call's name,
/// the method and the `Home` its calls without a block share.
pub(super) struct Found {
    class: Rc<Class>,
    name: Name,
    def: Rc<MethodDef>,
    home: Rc<Home>,
}

impl<'a> Interp<'a> {
    /// The template-defined method `name` on `cls` or the nearest superclass, with the class
    /// that holds it.
    pub fn find_user_method(
        &self,
        cls: &Rc<Class>,
        name: &str,
    ) -> Option<(Rc<MethodDef>, Rc<Class>)> {
        if !self.defs {
            return None;
        }
        // built-in classes define no methods here: walk without hashing the name for them
        let mut cur = Some(cls);
        while let Some(c) = cur {
            let methods = c.methods.borrow();
            if !methods.is_empty() {
                if let Some(m) = methods.get(name) {
                    return Some((m.clone(), c.clone()));
                }
            }
            cur = c.superclass.as_ref();
        }
        None
    }

    /// `def`: the method goes on the class being defined (the template's main class at
    /// top level), or on the receiver's singleton for `def self.x`. The template's main
    /// object is its class's only instance, so its singleton methods are that class's
    /// methods: `def self.helper` at top level is called as `helper` or `self.helper`.
    pub(super) fn define_method(&mut self, d: &Rc<MethodDef>, f: &Frame) -> Value {
        self.defs = true;
        self.found = None;
        let (target, on_class) = if d.singleton {
            match &f.self_val {
                Value::Class(c) => (c.clone(), true),
                Value::Object(o) if Rc::ptr_eq(&o.class, &self.ctx_class) => {
                    (self.ctx_class.clone(), false)
                }
                _ => (self.ctx_class.clone(), true),
            }
        } else {
            (self.def_target(f), false)
        };
        let table = if on_class {
            &target.smethods
        } else {
            &target.methods
        };
        table.borrow_mut().insert(d.name.clone(), d.clone());
        Value::Sym(d.name.clone())
    }

    /// The class a `def` or `alias` in `f` adds to: the one whose body is running, or the
    /// template's main class.
    pub(super) fn def_target(&self, f: &Frame) -> Rc<Class> {
        f.def_class()
            .cloned()
            .unwrap_or_else(|| self.ctx_class.clone())
    }

    /// `alias new old` and `alias_method`: `new` calls what `old` calls now (a later `def
    /// old` does not change it), and `__method__` in it still answers `old`.
    pub(crate) fn alias(&mut self, target: &Rc<Class>, new: &Name, old: &str) -> R<()> {
        if let Some((m, _)) = self.find_user_method(target, old) {
            target.methods.borrow_mut().insert(new.clone(), m);
            self.found = None;
            return Ok(());
        }
        if target.attrs.borrow().contains_key(old) {
            return self.unsupported("alias of an attribute accessor");
        }
        let probe = Value::Object(Rc::new(Object {
            class: target.clone(),
            ivars: Default::default(),
            kind: ObjKind::Plain,
        }));
        if self.respond_to(&probe, old) {
            return self.unsupported("alias of a built-in method");
        }
        let kind = if target.is_module { "module" } else { "class" };
        self.err(
            "NameError",
            format!("undefined method '{old}' for {kind} '{}'", target.name),
        )
    }

    /// One call deeper: Ruby's SystemStackError past the call-depth budget.
    pub(crate) fn enter(&mut self) -> R<()> {
        if self.depth >= self.budget.limits.call_depth {
            return self.err("SystemStackError", "stack level too deep");
        }
        self.depth += 1;
        Ok(())
    }

    /// Runs `f` one call deeper, on native stack enough for it: a built-in method that
    /// calls back into a method (`Method#call`), or an enumerator's walk of the enumerator
    /// it was made from, nests without passing through evaluation, where the stack is
    /// otherwise grown, so its depth is counted and its stack grown here.
    pub(crate) fn deeper<T>(&mut self, f: impl FnOnce(&mut Interp) -> R<T>) -> R<T> {
        self.enter()?;
        let r = stacker::maybe_grow(super::RED_ZONE, super::STACK_SEGMENT, || f(self));
        self.depth -= 1;
        r
    }

    /// Ends what [`Interp::enter`] began for a method's or block's run: the call depth, the
    /// frame, its scope handed back for reuse (`Spare`), and on a value the caller's line.
    /// A jump is handed back as it is, for the caller to end its own way.
    #[inline(always)]
    pub(super) fn leave(&mut self, frame: Frame, r: R<Value>, line: u32) -> R<Value> {
        self.depth -= 1;
        let Frame {
            env,
            self_val,
            home,
        } = frame;
        drop(home);
        discard(self_val);
        self.spare.give(env);
        if r.is_ok() {
            self.line = line;
        }
        r
    }

    /// Runs a template-defined method.
    pub fn invoke(
        &mut self,
        m: Rc<MethodDef>,
        owner: Rc<Class>,
        self_val: Value,
        args: &[Value],
        block: Option<Value>,
    ) -> R<Value> {
        let zsuper = m.zsuper;
        let home = |env: &Env| {
            let kept = zsuper.then(|| {
                Rc::new(ZSuper {
                    def: m.clone(),
                    env: env.clone(),
                    args: args.into(),
                })
            });
            Rc::new(Home {
                block: block.clone(),
                method: Some((m.name.clone(), Some(owner.clone()), kept)),
                def_class: Some(owner.clone()),
            })
        };
        self.run_method(&m, home, self_val, args, &block)
    }

    /// The template-defined method a receiver-less call on an object of `class` runs, when
    /// it takes no `super` without arguments, with the `Home` every call of it without a
    /// block shares. The last one found is kept: a loop or a recursion calls the same
    /// method again and again, and a `def` forgets it.
    pub(super) fn found_method(
        &mut self,
        class: &Rc<Class>,
        name: &Name,
    ) -> Option<(Rc<MethodDef>, Rc<Home>)> {
        if let Some(k) = &self.found {
            // names are interned per template: the same call's name is the same string
            if Rc::ptr_eq(&k.class, class) && Rc::ptr_eq(&k.name, name) {
                return Some((k.def.clone(), k.home.clone()));
            }
        }
        let (def, owner) = self.find_user_method(class, name)?;
        if def.zsuper {
            return None;
        }
        let home = Rc::new(Home {
            block: None,
            method: Some((def.name.clone(), Some(owner.clone()), None)),
            def_class: Some(owner),
        });
        self.found = Some(Found {
            class: class.clone(),
            name: name.clone(),
            def: def.clone(),
            home: home.clone(),
        });
        Some((def, home))
    }

    /// A method's body run in a frame of its own, on the `home` made for its scope: the
    /// method, its block and the class it was found in.
    pub(super) fn run_method(
        &mut self,
        m: &MethodDef,
        home: impl FnOnce(&Env) -> Rc<Home>,
        self_val: Value,
        args: &[Value],
        block: &Option<Value>,
    ) -> R<Value> {
        self.enter()?;
        let env = self.spare.take(None);
        let frame = Frame {
            home: Some(home(&env)),
            env,
            self_val,
        };
        let saved_line = self.line;
        // a method has its own `$~` (and `$1`...): its matches leave the caller's as they were
        let callers_match = self.last_match.take();
        let r = if m.plain {
            self.bind_plain(&m.params, args, &frame.env, true)
        } else {
            self.bind_params(&m.params, args, block, &frame.env, &frame, Arity::Strict)
        }
        .and_then(|_| self.eval(&m.body, &frame));
        self.last_match = callers_match;
        match self.leave(frame, r, saved_line) {
            Err(e) if matches!(e.jump(), Jump::Return(_)) => {
                self.line = saved_line;
                Ok(self.jumps.value(e))
            }
            other => other,
        }
    }

    /// Binds plain parameters ([`plain_params`]) into a call's fresh scope, in order: as
    /// many arguments as parameters when `strict` (a method's, a lambda's), else missing
    /// ones nil and extra ones dropped (a block's).
    pub(super) fn bind_plain(
        &mut self,
        params: &[Param],
        args: &[Value],
        env: &Scope,
        strict: bool,
    ) -> R<()> {
        if strict && args.len() != params.len() {
            return self.argc(args.len(), &params.len().to_string());
        }
        let mut vars = env.vars.borrow_mut();
        for (i, p) in params.iter().enumerate() {
            if let Param::Req(n) = p {
                // not `unwrap_or(Value::Nil)`: that drops its unused nil through a call
                vars.push((n.clone(), args.get(i).map_or_else(Value::default, copy_of)));
            }
        }
        Ok(())
    }
}
