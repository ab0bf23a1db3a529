//! Names and types: constants and classes (lookup, `class`/`module` definitions),
//! `defined?`, `rescue` matching and `is_a?`, `case`/`when` matching, `==`.

use std::rc::Rc;

use super::super::ast::*;
use super::super::format;
use super::super::value::*;
use super::{Frame, Interp, Scope, R};

impl Interp<'_> {
    pub fn const_get(&mut self, name: &str, f: &Frame) -> R<Value> {
        if let Some(c) = f.def_class() {
            let mut cur = Some(c.clone());
            while let Some(cl) = cur {
                if let Some(v) = cl.consts.borrow().get(name) {
                    return Ok(v.clone());
                }
                cur = cl.superclass.clone();
            }
        }
        if let Some(v) = self.ctx_class.consts.borrow().get(name) {
            return Ok(v.clone());
        }
        if let Some(c) = self.classes.get(name) {
            return Ok(Value::Class(c));
        }
        match name {
            "ARGV" => Ok(Value::array(vec![])),
            "ENV" => self.unsupported("ENV (environment variables of the rendering machine)"),
            "RUBY_VERSION" => Ok(Value::str("3.4.0")),
            _ => self.err("NameError", format!("uninitialized constant {name}")),
        }
    }

    pub(super) fn scoped_const(&mut self, base: &Value, name: &str) -> R<Value> {
        match base {
            Value::Class(c) => {
                if let Some(v) = c.consts.borrow().get(name) {
                    return Ok(v.clone());
                }
                let full = format!("{}::{}", c.name, name);
                if let Some(c) = self.classes.get(&full) {
                    return Ok(Value::Class(c));
                }
                if self.classes.is_host(&c.name) || c.name == "Float" || c.name == "Integer" {
                    if let Some(v) = super::super::methods::kernel::class_const(&c.name, name) {
                        return Ok(v);
                    }
                    if let Some(c) = self.classes.get(name) {
                        return Ok(Value::Class(c));
                    }
                }
                if let Some(v) = super::super::methods::kernel::class_const(&c.name, name) {
                    return Ok(v);
                }
                if c.name == "Encoding" {
                    if let Some(e) = crate::stdlib::encoding_const(name) {
                        return Ok(crate::stdlib::encoding_value(self, e));
                    }
                }
                self.err("NameError", format!("uninitialized constant {full}"))
            }
            _ => self.type_err(format!("{} is not a class/module", format::inspect(base))),
        }
    }

    pub(super) fn define_class(
        &mut self,
        name: &Name,
        sup: Option<&Node>,
        body: &Node,
        module: bool,
        f: &Frame,
    ) -> R<Value> {
        let existing = self.ctx_class.consts.borrow().get(name).cloned();
        let cls = match existing {
            Some(Value::Class(c)) => c,
            _ => {
                let superclass = match sup {
                    Some(s) => match self.eval(s, f)? {
                        Value::Class(c) => Some(c),
                        other => {
                            return self.type_err(format!(
                                "superclass must be an instance of Class (given an instance of {})",
                                other.class_name()
                            ))
                        }
                    },
                    None if module => None,
                    None => self.classes.get("Object"),
                };
                // classes a template defines nest in the evaluation context's class
                // (Ruby names a constant of Object by itself)
                let outer = match f.def_class() {
                    Some(dc) if !Rc::ptr_eq(dc, &self.ctx_class) => dc,
                    _ => &self.ctx_class,
                };
                let full = match &*outer.name {
                    "Object" => name.to_string(),
                    outer => format!("{outer}::{name}"),
                };
                let c = Rc::new(Class::new_user(&full, superclass, module));
                self.ctx_class
                    .consts
                    .borrow_mut()
                    .insert(name.clone(), Value::Class(c.clone()));
                c
            }
        };
        let fr = Frame {
            env: Scope::new(None),
            self_val: Value::Class(cls.clone()),
            home: Home::of_class(cls.clone()),
        };
        self.eval(body, &fr)?;
        Ok(Value::Nil)
    }

    pub(super) fn defined(&mut self, e: &Node, f: &Frame) -> R<Value> {
        let r = match &e.kind {
            Kind::LVar(_) => Some("local-variable"),
            Kind::IVar(n) if self.ivar_defined(&f.self_val, n) => Some("instance-variable"),
            Kind::IVar(_) => None,
            // `$~` always is; `$1`, `$&`... are while they hold a part of a match
            Kind::GVar(n) => (&**n == "$~"
                || self.gvars.contains_key(&**n)
                || self
                    .last_match
                    .as_ref()
                    .and_then(|lm| lm.gvar(self, n))
                    .is_some_and(|v| !v.is_nil()))
            .then_some("global-variable"),
            Kind::Const(..) => match self.eval(e, f) {
                Ok(_) => Some("constant"),
                Err(_) => None,
            },
            Kind::Call(c) => match &c.recv {
                None => {
                    if self.respond_to_self(f, &c.name) {
                        Some("method")
                    } else {
                        None
                    }
                }
                Some(recv) => match self.eval(recv, f) {
                    Ok(r) => {
                        if self.respond_to(&r, &c.name) {
                            Some("method")
                        } else {
                            None
                        }
                    }
                    Err(_) => None,
                },
            },
            Kind::SelfRef => Some("self"),
            Kind::Asgn(..) | Kind::OpAsgn(_) | Kind::MultiAsgn(_) => Some("assignment"),
            Kind::Nil => Some("expression"),
            Kind::Yield(_) => f.block().map(|_| "yield"),
            _ => Some("expression"),
        };
        Ok(match r {
            Some(s) => Value::str(s),
            None => Value::Nil,
        })
    }

    pub(super) fn eval_begin(&mut self, b: &Begin, f: &Frame) -> R<Value> {
        // a `retry` in a rescue clause runs the body again (each run spends its steps)
        let result = loop {
            let out = self.rescued(b, f);
            if !matches!(&out, Err(fl) if fl.is_retry()) {
                break out;
            }
        };
        if let Some(ens) = &b.ensure {
            self.eval(ens, f)?;
        }
        result
    }

    /// The body, its rescue clause for an exception one catches, and the `else` body.
    fn rescued(&mut self, b: &Begin, f: &Frame) -> R<Value> {
        let result = self.eval(&b.body, f);
        // the exception a `rescue` may catch (a spent budget is caught by none)
        let caught = match &result {
            Err(fl) if !b.rescues.is_empty() => fl
                .exc()
                .map(|e| e.exc.clone())
                .filter(|x| !self.is_a(x, super::super::budget::EXCEEDED)),
            _ => None,
        };
        match (caught, result) {
            (Some(exc), Err(fl)) => {
                let mut handled = None;
                for r in &b.rescues {
                    let matches = if r.classes.is_empty() {
                        self.is_a(&exc, "StandardError")
                    } else {
                        let mut m = false;
                        for c in &r.classes {
                            let cv = self.eval(c, f)?;
                            let list = match &cv {
                                Value::Array(a) => a.borrow().clone(),
                                o => vec![o.clone()],
                            };
                            for cv in list {
                                if let Value::Class(cls) = cv {
                                    if self.is_a(&exc, &cls.name) {
                                        m = true;
                                    }
                                }
                            }
                        }
                        m
                    };
                    if matches {
                        handled = Some(r);
                        break;
                    }
                }
                match handled {
                    Some(r) => {
                        if let Some(t) = &r.var {
                            self.assign(t, exc.clone(), f)?;
                        }
                        let saved = self.current_exc.replace(exc.clone());
                        let out = self.eval(&r.body, f);
                        self.current_exc = saved;
                        out
                    }
                    None => Err(fl),
                }
            }
            (_, Ok(v)) => match &b.else_body {
                Some(e) => self.eval(e, f),
                None => Ok(v),
            },
            (_, other) => other,
        }
    }

    pub fn is_a(&self, v: &Value, class: &str) -> bool {
        let cls = match v {
            Value::Object(o) => Some(o.class.clone()),
            _ => None,
        };
        let mut cur = cls.or_else(|| self.classes.get(&v.class_name()));
        while let Some(c) = cur {
            if c.name == class
                // (a class name has no lone `:`; a char search costs no searcher's setup)
                || c.name.rsplit(':').next() == Some(class) && class != "Error"
                || super::super::classes::included(&c.name).contains(&class)
            {
                return true;
            }
            cur = c.superclass.clone();
        }
        matches!(class, "Object" | "BasicObject" | "Kernel")
    }

    pub(crate) fn case_eq(&mut self, pat: &Value, subj: Option<&Value>, f: &Frame) -> R<bool> {
        let Some(s) = subj else {
            return Ok(pat.truthy());
        };
        Ok(match pat {
            Value::Class(c) => self.is_a(s, &c.name),
            Value::Range(_) => super::super::methods::range::covers(self, pat, s)?,
            // `Regexp#===` itself: `$~` set (cleared for what is no string), a binary
            // string matched as its bytes
            Value::Regex(_) => super::super::methods::symbol::regex_call(
                self,
                pat,
                "===",
                std::slice::from_ref(s),
            )?
            .is_some_and(|v| v.truthy()),
            Value::Proc(_) => self.call_block1(pat, s.clone())?.truthy(),
            _ => self.equal(pat, s, f)?,
        })
    }

    pub fn equal(&mut self, a: &Value, b: &Value, f: &Frame) -> R<bool> {
        if let Value::Object(o) = a {
            if self.find_user_method(&o.class, "==").is_some() {
                return Ok(self
                    .call_method(a.clone(), "==", vec![b.clone()], None, f)?
                    .truthy());
            }
        }
        let eq = rb_eq(a, b);
        self.deep_enough()?;
        Ok(eq)
    }

    // ---------------------------------------------------------------- assignment
}
