//! How evaluation leaves a step other than by returning a value: an exception or a jump.

use crate::value::Value;

/// A Ruby exception on its way up, or a non-local jump: one pointer, so that an `R<Value>`
/// is no larger than a value, and every evaluation step moves less (a jump is rare next to
/// the steps that return normally, and pays an allocation).
pub struct Flow(Box<Jump>);

pub enum Jump {
    Err(RbErr),
    Break(Value, usize),
    Next(Value),
    Return(Value),
    /// `throw tag, value`.
    Throw(Value, Value),
    /// `retry`, to the `begin` whose `rescue` clause it is written in.
    Retry,
}

impl Flow {
    pub fn new(j: Jump) -> Flow {
        Flow(Box::new(j))
    }
    pub fn err(e: RbErr) -> Flow {
        Flow::new(Jump::Err(e))
    }
    pub fn jump(&self) -> &Jump {
        &self.0
    }
    pub fn into_jump(self) -> Jump {
        *self.0
    }
    /// The exception, when this is one.
    pub fn exc(&self) -> Option<&RbErr> {
        match &*self.0 {
            Jump::Err(e) => Some(e),
            _ => None,
        }
    }
    pub fn is_retry(&self) -> bool {
        matches!(*self.0, Jump::Retry)
    }
    /// The value a `break`, `next` or `return` carries (nil for the others).
    pub fn into_value(self) -> Value {
        match *self.0 {
            Jump::Break(v, _) | Jump::Next(v) | Jump::Return(v) => v,
            _ => Value::Nil,
        }
    }
}

pub struct RbErr {
    pub exc: Value,
    pub line: u32,
}

pub type R<T> = Result<T, Flow>;
