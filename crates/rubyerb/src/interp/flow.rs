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

/// The box of the last `break`, `next` or `return` caught, kept for the next one: a method
/// that ends by `return` (`return n if n < 2`), a block that ends by `next`, would otherwise
/// allocate a box and free it on every call.
#[derive(Default)]
pub struct SpareJump(Option<Box<Jump>>);

impl SpareJump {
    /// A jump in the kept box when there is one.
    #[inline(always)]
    pub fn flow(&mut self, j: Jump) -> Flow {
        match self.0.take() {
            Some(mut b) => {
                *b = j;
                Flow(b)
            }
            None => Flow::new(j),
        }
    }
    /// [`Flow::into_value`], keeping the box for [`SpareJump::flow`]: the value is taken
    /// out in place (nil left behind), as moving the whole jump out and back costs more.
    #[inline]
    pub fn value(&mut self, f: Flow) -> Value {
        let mut b = f.0;
        let v = match &mut *b {
            Jump::Break(v, _) | Jump::Next(v) | Jump::Return(v) => std::mem::take(v),
            other => {
                *other = Jump::Retry;
                Value::Nil
            }
        };
        self.0 = Some(b);
        v
    }
}

pub struct RbErr {
    pub exc: Value,
    pub line: u32,
}

pub type R<T> = Result<T, Flow>;
