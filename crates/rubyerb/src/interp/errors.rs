//! The exceptions the interpreter raises: Ruby's classes and messages, at the line being
//! evaluated.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::value::*;
use super::{Flow, Interp, RbErr, R};

/// The prefix of an exception's attributes among its instance variables (`err_with`): a
/// space, which no instance variable a template writes starts with.
pub(crate) const EXC_ATTR: &str = " ";

impl Interp<'_> {
    pub fn make_exc(&self, class: &str, msg: impl Into<String>) -> Value {
        let cls = self
            .classes
            .get(class)
            .unwrap_or_else(|| self.classes.get("StandardError").unwrap());
        Value::Object(Rc::new(Object {
            class: cls,
            ivars: RefCell::new(IndexMap::new()),
            kind: ObjKind::Exception(RefCell::new(msg.into())),
        }))
    }
    /// An error that also answers what it names (`KeyError#key` and `#receiver`,
    /// `NameError#name`...): each `(method, value)` pair is kept on the exception under a
    /// name no template can write (`EXC_ATTR` + method).
    pub fn err_with<T>(
        &self,
        class: &str,
        msg: impl Into<String>,
        attrs: &[(&str, Value)],
    ) -> R<T> {
        let exc = self.make_exc(class, msg);
        if let Value::Object(o) = &exc {
            let mut iv = o.ivars.borrow_mut();
            for (k, v) in attrs {
                iv.insert(format!("{EXC_ATTR}{k}").as_str().into(), v.clone());
            }
        }
        Err(Flow::err(RbErr {
            exc,
            line: self.line,
        }))
    }
    pub fn err<T>(&self, class: &str, msg: impl Into<String>) -> R<T> {
        Err(Flow::err(RbErr {
            exc: self.make_exc(class, msg),
            line: self.line,
        }))
    }
    pub fn type_err<T>(&self, msg: impl Into<String>) -> R<T> {
        self.err("TypeError", msg)
    }
    pub fn arg_err<T>(&self, msg: impl Into<String>) -> R<T> {
        self.err("ArgumentError", msg)
    }
    pub fn argc<T>(&self, given: usize, expected: &str) -> R<T> {
        self.arg_err(format!(
            "wrong number of arguments (given {given}, expected {expected})"
        ))
    }
    /// Ruby's `SystemStackError` when a walk over nested values (`==`, hash keys,
    /// `flatten`, `to_yaml`) went deeper than [`crate::value::MAX_LEVELS`] and stopped.
    pub fn deep_enough(&self) -> R<()> {
        if crate::value::too_deep() {
            return self.err("SystemStackError", "stack level too deep");
        }
        Ok(())
    }

    pub fn unsupported<T>(&self, what: &str) -> R<T> {
        self.err("NotImplementedError", format!("unsupported construct: {what} (bale renders templates without Ruby and does not implement this)"))
    }
    pub fn no_method<T>(&self, recv: &Value, name: &str) -> R<T> {
        let desc = match recv {
            Value::Nil => "nil".to_string(),
            Value::Bool(true) => "true".into(),
            Value::Bool(false) => "false".into(),
            Value::Class(c) => format!(
                "{} {}",
                if c.is_module { "module" } else { "class" },
                c.name
            ),
            Value::Object(o) if matches!(o.kind, ObjKind::Main) => {
                format!("an instance of {}", o.class.name)
            }
            v => format!("an instance of {}", v.class_name()),
        };
        self.err_with(
            "NoMethodError",
            format!("undefined method '{name}' for {desc}"),
            &[("name", Value::sym(name)), ("receiver", recv.clone())],
        )
    }
}
