//! The tree-walking evaluator: scopes, control flow, calls, blocks, `def`/`class`,
//! exceptions. Built-in methods live in `methods/`; the host's in its [`crate::Host`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

mod alloc;
mod assign;
mod calls;
mod convert;
mod errors;
pub(crate) use alloc::ELEMENT;
pub use convert::object_text;
mod flow;
mod invoke;
mod kept;
mod names;
mod params;
mod scope;
pub(crate) use errors::EXC_ATTR;
use flow::SpareJump;
pub use flow::{Flow, Jump, RbErr, R};
use scope::Spare;
pub use scope::{Env, Scope};

use super::ast::*;
use super::budget::{Budget, Limits, Spent};
use super::classes::Classes;
use super::format;
use super::value::*;

pub use super::value::Running;

#[derive(Clone)]
pub struct Frame {
    pub env: Env,
    pub self_val: Value,
    /// The block, method and class the code runs in, shared by a method's frame, the blocks
    /// written in it and their frames: a block's call copies one pointer for them, and a
    /// block made in a loop allocates nothing for them.
    pub home: Option<Rc<Home>>,
}

pub struct Interp<'a> {
    pub host: &'a dyn super::Host,
    pub classes: Classes,
    pub out: Vec<u8>,
    /// The output has taken a binary string past ASCII (it was ASCII until then): like
    /// Ruby's buffer, it is binary now, and takes text only while it is ASCII.
    out_binary: bool,
    pub line: u32,
    pub gvars: HashMap<String, Value, FxBuild>,
    /// The last regexp match attempt, read through `$~` and `$1`...`$9`. Boxed: every
    /// call of a template-defined method puts the caller's aside and back, one word here.
    pub last_match: Option<Box<super::methods::regex::LastMatch>>,
    pub ctx: Value,
    pub ctx_class: Rc<Class>,
    pub depth: usize,
    /// Scopes of finished calls, kept for the next.
    spare: Spare,
    /// The box of the last jump caught, kept for the next.
    jumps: SpareJump,
    pub current_exc: Option<Value>,
    pub budget: Budget,
    /// The template's random generators and the seeds handed out to them.
    pub random: crate::stdlib::random::Draws,
    /// Whether the template has defined a method (`def`): the classes that can hold one
    /// are all made by this interpreter (a kept main class is kept only without any), so
    /// until then no call needs to look for one.
    pub(crate) defs: bool,
    /// The part of the native stack known to have [`RED_ZONE`] free below it: between the
    /// stack's limit (plus the red zone) and where the interpreter was made. An evaluation
    /// there needs no call to `stacker`; anywhere else (a segment `stacker` added) asks it.
    stack_floor: usize,
    stack_top: usize,
    /// The last template-defined method a receiver-less call found (`found_method`).
    found: Option<invoke::Found>,
}

/// Native stack kept free before a nested evaluation, and the size of each extra segment:
/// deep templates get more stack instead of overflowing it (call depth is budgeted apart).
pub(super) const RED_ZONE: usize = 256 << 10;

pub(super) const STACK_SEGMENT: usize = 4 << 20;

impl<'a> Interp<'a> {
    pub fn new(host: &'a dyn super::Host) -> Interp<'a> {
        Interp::with_limits(host, Limits::default())
    }

    pub fn with_limits(host: &'a dyn super::Host, limits: Limits) -> Interp<'a> {
        let classes = Classes::new(host.classes());
        let (ctx, ctx_class) = kept::take(host).unwrap_or_else(|| {
            let ctx_class = Rc::new(Class {
                name: host.main_class().into(),
                superclass: Some(classes.get("Object").unwrap()),
                methods: RefCell::default(),
                smethods: RefCell::default(),
                consts: RefCell::default(),
                is_module: false,
                builtin: false,
                attrs: RefCell::default(),
            });
            let ctx = Value::Object(Rc::new(Object {
                class: ctx_class.clone(),
                ivars: RefCell::new(IndexMap::new()),
                kind: ObjKind::Main,
            }));
            (ctx, ctx_class)
        });
        // (a walk a failed template left too deep is not this one's)
        crate::value::too_deep();
        let probe = 0u8;
        let here = std::ptr::addr_of!(probe) as usize;
        let (stack_floor, stack_top) = match stacker::remaining_stack() {
            Some(left) => ((here - left).saturating_add(RED_ZONE), here),
            None => (usize::MAX, 0),
        };
        Interp {
            host,
            classes,
            // nineteen in twenty of the bench's rendered files are 1 KiB or less: one block
            // for them, where growing from empty took eight (8 bytes, doubled up to 1 KiB)
            out: Vec::with_capacity(1024),
            out_binary: false,
            line: 1,
            gvars: HashMap::default(),
            last_match: None,
            ctx,
            ctx_class,
            depth: 0,
            spare: Spare::default(),
            jumps: SpareJump::default(),
            current_exc: None,
            budget: Budget::new(limits),
            random: Default::default(),
            defs: false,
            stack_floor,
            stack_top,
            found: None,
        }
    }

    pub fn top_frame(&self) -> Frame {
        Frame {
            env: Scope::new(None),
            self_val: self.ctx.clone(),
            home: Home::of_class(self.ctx_class.clone()),
        }
    }

    /// A spent budget as an error no `rescue` catches.
    pub fn over<T>(&self, s: Spent) -> R<T> {
        self.err(super::budget::EXCEEDED, self.budget.message(&s))
    }

    /// Checks a budget (`self.budget.len(n)`...) as a template error.
    pub fn spend<T>(&self, r: Result<T, Spent>) -> R<T> {
        match r {
            Ok(v) => Ok(v),
            Err(s) => self.over(s),
        }
    }

    /// A range of `a` and `b`, refused as Ruby refuses one whose ends do not compare
    /// (`a <=> b` is nil): a NaN compares with nothing, itself included.
    pub(crate) fn range(&mut self, a: Value, b: Value, excl: bool) -> R<Value> {
        let numeric = |v: &Value| v.is_numeric() && !matches!(v, Value::Float(x) if x.is_nan());
        let comparable = a.is_nil()
            || b.is_nil()
            || numeric(&a) && numeric(&b)
            || a.class_name() == b.class_name() && !matches!(a, Value::Float(_));
        if !comparable {
            return self.arg_err("bad value for range");
        }
        let r = Value::Range(Rc::new(crate::value::RRange(a, b, excl)));
        self.account(&r)?;
        Ok(r)
    }

    // ---------------------------------------------------------------- evaluation
    /// One evaluation step: counted, and on enough native stack. Inlined, so that a step
    /// is one call (to `eval_node`) where the stack suffices, as it nearly always does. A
    /// call, the step evaluated most, goes straight to `eval_call`: through `eval_node` it
    /// paid that large function's entry and exit as well.
    #[inline(always)]
    pub fn eval(&mut self, n: &Node, f: &Frame) -> R<Value> {
        if let Err(s) = self.budget.step() {
            return self.spent(s);
        }
        let probe = 0u8;
        let here = std::ptr::addr_of!(probe) as usize;
        if here >= self.stack_floor && here < self.stack_top {
            if let Kind::Call(c) = &n.kind {
                return self.eval_call(c, n.line, f);
            }
            return self.eval_node(n, f);
        }
        self.eval_grown(n, f)
    }

    /// A call's receiver or argument: a local variable or an integer literal (`n - 1`,
    /// `f(x)`) is answered here, counted as a step as `eval` counts it, without a call to
    /// `eval_node` (a leaf needs no stack check).
    #[inline(always)]
    pub(super) fn eval_operand(&mut self, n: &Node, f: &Frame) -> R<Value> {
        match &n.kind {
            Kind::LVar(name) => {
                if let Err(s) = self.budget.step() {
                    return self.spent(s);
                }
                Ok(f.env.local(name))
            }
            Kind::Int(i) => {
                if let Err(s) = self.budget.step() {
                    return self.spent(s);
                }
                Ok(Value::Int(*i))
            }
            _ => self.eval(n, f),
        }
    }

    #[inline(never)]
    fn eval_grown(&mut self, n: &Node, f: &Frame) -> R<Value> {
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.eval_node(n, f))
    }

    #[cold]
    #[inline(never)]
    fn spent(&self, s: Spent) -> R<Value> {
        self.over(s)
    }

    fn eval_node(&mut self, n: &Node, f: &Frame) -> R<Value> {
        match &n.kind {
            Kind::Nil => Ok(Value::Nil),
            Kind::True => Ok(Value::Bool(true)),
            Kind::False => Ok(Value::Bool(false)),
            Kind::SelfRef => Ok(f.self_val.clone()),
            Kind::Int(i) => Ok(Value::Int(*i)),
            Kind::BigInt(b) => Ok(Value::Big(b.clone())),
            Kind::Float(x) => Ok(Value::Float(*x)),
            Kind::Str(parts) => {
                let v = self.interpolate_into(parts, f, true)?.into_value();
                self.account(&v)?;
                Ok(v)
            }
            Kind::PlainStr(s) => {
                let v = Value::str(s.clone());
                self.account(&v)?;
                Ok(v)
            }
            Kind::Sym(s) => Ok(Value::Sym(s.clone())),
            Kind::DSym(parts) => Ok(Value::sym(&self.interpolate(parts, f)?)),
            Kind::Regex(r) => {
                let (parts, flags) = &**r;
                let src = self.interpolate(parts, f)?;
                self.line = n.line;
                self.regex(&src, flags)
            }
            Kind::Array(items) => {
                let v = Value::array(self.eval_list(items, f)?);
                self.account(&v)?;
                Ok(v)
            }
            Kind::Hash(pairs) => {
                let mut h = RHash::with_capacity(pairs.len());
                for (k, v) in pairs {
                    if let Kind::DoubleSplat(e) = &k.kind {
                        if let Value::Hash(o) = self.eval(e, f)? {
                            for (k, v) in o.borrow().pairs() {
                                h.insert(k, v);
                            }
                        }
                        continue;
                    }
                    let k = self.eval(k, f)?;
                    let v = self.eval(v, f)?;
                    h.insert(k, v);
                }
                let v = Value::hash(h);
                self.account(&v)?;
                Ok(v)
            }
            Kind::Range(a, b, excl) => {
                let a = match a {
                    Some(a) => self.eval(a, f)?,
                    None => Value::Nil,
                };
                let b = match b {
                    Some(b) => self.eval(b, f)?,
                    None => Value::Nil,
                };
                self.range(a, b, *excl)
            }
            Kind::LVar(name) => Ok(f.env.local(name)),
            Kind::IVar(name) => self.ivar_read(&f.self_val, f, name),
            Kind::GVar(name) => Ok(match &**name {
                "$!" => self.current_exc.clone().unwrap_or(Value::Nil),
                n => match self.last_match.as_ref().and_then(|lm| lm.gvar(self, n)) {
                    Some(v) => v,
                    None => self.gvars.get(n).cloned().unwrap_or(Value::Nil),
                },
            }),
            Kind::Const(scope, name) => {
                self.line = n.line;
                match scope {
                    None => self.const_get(name, f),
                    Some(s) => {
                        let base = self.eval(s, f)?;
                        self.scoped_const(&base, name)
                    }
                }
            }
            Kind::Asgn(t, v) => {
                let v = self.eval(v, f)?;
                self.assign(t, v.clone(), f)?;
                Ok(v)
            }
            Kind::OpAsgn(o) => {
                let (t, op, rhs) = &**o;
                self.op_assign(t, op, rhs, f, n.line)
            }
            Kind::MultiAsgn(m) => {
                let (targets, rhs) = &**m;
                let v = self.eval(rhs, f)?;
                let list = match &v {
                    Value::Array(a) => a.borrow().clone(),
                    other => vec![other.clone()],
                };
                self.destructure(targets, list, f)?;
                Ok(v)
            }
            Kind::Call(c) => self.eval_call(c, n.line, f),
            Kind::Splat(e) => self.eval(e, f),
            Kind::DoubleSplat(e) | Kind::BlockPass(e) => self.eval(e, f),
            Kind::And(a, b) => {
                let l = self.eval(a, f)?;
                if l.truthy() {
                    self.eval(b, f)
                } else {
                    Ok(l)
                }
            }
            Kind::Or(a, b) => {
                let l = self.eval(a, f)?;
                if l.truthy() {
                    Ok(l)
                } else {
                    self.eval(b, f)
                }
            }
            Kind::Not(e) => {
                let v = self.eval(e, f)?;
                if let Value::Object(o) = &v {
                    if self.find_user_method(&o.class, "!").is_some() {
                        return self.call_method(v, "!", vec![], None, f);
                    }
                }
                Ok(Value::Bool(!v.truthy()))
            }
            Kind::Defined(e) => self.defined(e, f),
            Kind::If(c, t, e) => {
                let c = self.eval(c, f)?;
                if test(c) {
                    self.eval(t, f)
                } else {
                    self.eval(e, f)
                }
            }
            Kind::While(c, body, until) => {
                loop {
                    let cv = self.eval(c, f)?.truthy();
                    if cv == *until {
                        break;
                    }
                    if let Err(e) = self.eval(body, f) {
                        match e.jump() {
                            Jump::Next(_) => {}
                            Jump::Break(_, 0) => return Ok(self.jumps.value(e)),
                            _ => return Err(e),
                        }
                    }
                }
                Ok(Value::Nil)
            }
            Kind::For(t, iter, body) => {
                let it = self.eval(iter, f)?;
                let items = self.elements(&it)?;
                for x in items {
                    self.assign(t, x, f)?;
                    if let Err(e) = self.eval(body, f) {
                        match e.jump() {
                            Jump::Next(_) => {}
                            Jump::Break(_, 0) => return Ok(self.jumps.value(e)),
                            _ => return Err(e),
                        }
                    }
                }
                Ok(it)
            }
            Kind::Case(c) => {
                // (a `when`'s `===` may fail with no call on its line to have set it)
                self.line = n.line;
                let (subject, whens, else_body) = &**c;
                let subj = match subject {
                    Some(s) => Some(self.eval(s, f)?),
                    None => None,
                };
                for (conds, body) in whens {
                    for c in conds {
                        let hit = if let Kind::Splat(inner) = &c.kind {
                            let list = self.eval(inner, f)?;
                            let mut any = false;
                            for x in self.elements(&list)? {
                                if self.case_eq(&x, subj.as_ref(), f)? {
                                    any = true;
                                    break;
                                }
                            }
                            any
                        } else {
                            let pat = self.eval(c, f)?;
                            self.case_eq(&pat, subj.as_ref(), f)?
                        };
                        if hit {
                            return self.eval(body, f);
                        }
                    }
                }
                self.eval(else_body, f)
            }
            Kind::Seq(list) => {
                let Some((last, init)) = list.split_last() else {
                    return Ok(Value::Nil);
                };
                for s in init {
                    discard(self.eval(s, f)?);
                }
                self.eval(last, f)
            }
            Kind::Begin(b) => self.eval_begin(b, f),
            Kind::Locals(b) => {
                f.env.prebind(&b.0);
                self.eval(&b.1, f)
            }
            Kind::Def(d) => {
                self.line = n.line;
                Ok(self.define_method(d, f))
            }
            Kind::Alias(a) => {
                self.line = n.line;
                let target = self.def_target(f);
                self.alias(&target, &a.0, &a.1)?;
                Ok(Value::Nil)
            }
            Kind::Class(c) => {
                let (name, sup, body, module) = &**c;
                self.line = n.line;
                self.define_class(name, sup.as_ref(), body, *module, f)
            }
            Kind::SClass(body) => {
                // `class << self`: methods become singleton methods
                if let Value::Class(c) = &f.self_val {
                    let tmp = Rc::new(Class::new_user("(singleton)", None, false));
                    let fr = Frame {
                        env: Scope::new(None),
                        self_val: f.self_val.clone(),
                        home: Home::of_class(tmp.clone()),
                    };
                    self.eval(body, &fr)?;
                    for (k, v) in tmp.methods.borrow().iter() {
                        c.smethods.borrow_mut().insert(k.clone(), v.clone());
                    }
                }
                Ok(Value::Nil)
            }
            Kind::Retry => Err(Flow::new(Jump::Retry)),
            Kind::Return(v) => {
                let v = match v {
                    Some(v) => self.eval_operand(v, f)?,
                    None => Value::Nil,
                };
                Err(self.jumps.flow(Jump::Return(v)))
            }
            Kind::Break(v) => {
                let v = match v {
                    Some(v) => self.eval_operand(v, f)?,
                    None => Value::Nil,
                };
                Err(self.jumps.flow(Jump::Break(v, 0)))
            }
            Kind::Next(v) => {
                let v = match v {
                    Some(v) => self.eval_operand(v, f)?,
                    None => Value::Nil,
                };
                Err(self.jumps.flow(Jump::Next(v)))
            }
            Kind::Yield(args) => {
                let args = self.eval_list(args, f)?;
                self.line = n.line;
                match f.block() {
                    Some(b) => self.call_block(b, args),
                    None => self.err("LocalJumpError", "no block given (yield)"),
                }
            }
            Kind::Super(args) => self.eval_super(args.as_ref(), f, n.line),
            Kind::Lambda(def) => {
                let l = Value::Proc(Rc::new(Proc {
                    def: def.clone(),
                    env: f.env.clone(),
                    self_val: f.self_val.clone(),
                    is_lambda: def.is_lambda,
                    home: f.home.clone(),
                }));
                self.account(&l)?;
                Ok(l)
            }
            Kind::ErbText(bytes) => {
                if self.out_binary && !bytes.is_ascii() {
                    return self.encoding_mismatch(false);
                }
                self.out.extend_from_slice(bytes);
                let r = self.budget.len(self.out.len() as i64);
                self.spend(r)?;
                Ok(Value::Nil)
            }
            Kind::ErbOut(e) => {
                let mut v = self.eval(e, f)?;
                self.line = n.line;
                // a match in bytes prints its bytes
                if let Value::Object(o) = &v {
                    if let Some(m) = crate::methods::matchdata::binary_match(o) {
                        v = m;
                    }
                }
                // a string is written as it is, without the copy `str_of` makes
                match &v {
                    Value::Str(s) if s.is_binary() || self.out_binary => self.out_bytes(s)?,
                    Value::Str(s) => self.out.extend_from_slice(s.borrow().as_bytes()),
                    Value::Int(i) => self
                        .out
                        .extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
                    Value::Nil => {}
                    _ => {
                        let s = self.str_of(&v, f)?;
                        if self.out_binary && !s.is_ascii() {
                            return self.encoding_mismatch(false);
                        }
                        self.out.extend_from_slice(s.as_bytes());
                    }
                }
                let r = self.budget.len(self.out.len() as i64);
                self.spend(r)?;
                Ok(Value::Nil)
            }
        }
    }
}

/// Drops a value, with no call when it holds nothing to free (nil, a boolean, a number),
/// as most values a step throws away do: `drop` calls the drop code for every kind.
#[inline(always)]
pub(crate) fn discard(v: Value) {
    match v {
        Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => std::mem::forget(v),
        v => drop(v),
    }
}

/// Whether a condition's value holds (anything but nil and false), the value dropped.
#[inline(always)]
fn test(v: Value) -> bool {
    let t = v.truthy();
    discard(v);
    t
}

// An evaluation step's result is three words: a value, or a jump of one word.
const _: () = assert!(std::mem::size_of::<R<Value>>() == 24);
