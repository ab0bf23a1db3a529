//! Calls: receiver-less calls (template methods, the API, Kernel), method dispatch,
//! template-defined methods and their parameters, blocks and procs, `super`.

use std::cell::RefCell;
use std::rc::Rc;

use smallvec::SmallVec;

use super::super::ast::*;
use super::super::format;
use super::super::value::*;
use super::params::Arity;
use super::{discard, Frame, Interp, Jump, Scope, R};

impl<'a> Interp<'a> {
    // ---------------------------------------------------------------- calls
    /// A call. The answers that need neither an argument list nor a dispatch by name (an
    /// operator on two Integers, an element of a Hash or Array, a template-defined method
    /// called without receiver) are given here or in a function of their own; everything
    /// else goes through [`Interp::call_general`]. Kept small, so that the frame every call
    /// sets up is the fast paths' and not the general path's.
    pub(super) fn eval_call(&mut self, c: &Call, line: u32, f: &Frame) -> R<Value> {
        let Some(r) = &c.recv else {
            // a receiver-less call once the template has methods (`fib(n - 1)`)
            if let (None, Value::Object(o)) = (&c.block, &f.self_val) {
                if self.defs
                    && !c
                        .args
                        .iter()
                        .any(|a| matches!(a.kind, Kind::BlockPass(_) | Kind::Splat(_)))
                {
                    return self.call_defined(c, line, f, o);
                }
            }
            return self.call_general(c, line, f, None, None);
        };
        if let Kind::Array(items) = &r.kind {
            if c.args.is_empty()
                && c.block.is_none()
                && !c.safe_nav
                && matches!(&*c.name, "max" | "min")
                && items.iter().any(not_static)
                && !items.iter().any(|i| matches!(i.kind, Kind::Splat(_)))
            {
                let items = self.eval_list(items, f)?;
                self.line = line;
                if let Err(s) = self.budget.step() {
                    return self.spent(s);
                }
                let max = &*c.name == "max";
                return super::super::methods::ordering::literal_best(self, items, max, f);
            }
        }
        let recv = self.eval_operand(r, f)?;
        if c.safe_nav && recv.is_nil() {
            return Ok(Value::Nil);
        }
        let (None, [a]) = (&c.block, c.args.as_slice()) else {
            return self.call_general(c, line, f, Some(recv), None);
        };
        if matches!(a.kind, Kind::BlockPass(_) | Kind::Splat(_)) {
            return self.call_general(c, line, f, Some(recv), None);
        }
        match &recv {
            // `i + 1`, `n < 2`: an operator on two Integers is answered here (Integer's
            // methods cannot be redefined by a template, so this is the answer `Integer#+`
            // gives); overflow and the other operators take the general path
            &Value::Int(x) => {
                let y = self.eval_operand(a, f)?;
                if let Value::Int(yi) = y {
                    if let Some(v) = super::super::methods::num::int_op(x, &c.name, yi) {
                        self.line = line;
                        // two Integers: dropped without the call `drop` makes
                        discard(recv);
                        discard(y);
                        return Ok(v);
                    }
                }
                self.call_general(c, line, f, Some(recv), Some(y))
            }
            // `h["key"]`, `h[k]`, `a[i]`: Hash's and Array's `[]` cannot be redefined by a
            // template either, so an element that is there is answered here (for a literal
            // key, without the key's string); a missing one (a default, a default proc, a
            // range) takes the general path with the key read once
            Value::Hash(_) | Value::Array(_) if &*c.name == "[]" => {
                if let (Value::Hash(h), Kind::PlainStr(key)) = (&recv, &a.kind) {
                    if let Err(s) = self.budget.step() {
                        return self.spent(s);
                    }
                    if let Some(v) = h.borrow().get_str(key) {
                        self.line = line;
                        return Ok(v.clone());
                    }
                    return self.call_general(c, line, f, Some(recv), None);
                }
                let k = self.eval_operand(a, f)?;
                if let Some(v) = element(&recv, &k) {
                    self.line = line;
                    return Ok(v);
                }
                self.call_general(c, line, f, Some(recv), Some(k))
            }
            _ => self.call_general(c, line, f, Some(recv), None),
        }
    }

    /// A receiver-less call without block once the template has methods: its arguments in
    /// a short list on the stack, which a template-defined method borrows.
    #[inline(never)]
    fn call_defined(&mut self, c: &Call, line: u32, f: &Frame, o: &Rc<Object>) -> R<Value> {
        let mut args: SmallVec<[Value; 4]> = SmallVec::new();
        for a in &c.args {
            args.push(self.eval_operand(a, f)?);
        }
        self.line = line;
        if let Some((m, home)) = self.found_method(&o.class, &c.name) {
            return self.run_method(&m, |_| home, f.self_val.clone(), &args, &None);
        }
        self.call_self(&c.name, args.into_vec(), None, f)
    }

    /// Any call, by its arguments (the first already evaluated when `first` is given), its
    /// block or `&blk`, and a dispatch by name; a `break` from the call's own block ends
    /// the call with its value.
    #[inline(never)]
    fn call_general(
        &mut self,
        c: &Call,
        line: u32,
        f: &Frame,
        recv: Option<Value>,
        first: Option<Value>,
    ) -> R<Value> {
        let mut block: Option<Value> = None;
        let mut args = Vec::with_capacity(c.args.len());
        if let Some(y) = first {
            args.push(y);
        }
        for a in &c.args[args.len()..] {
            match &a.kind {
                Kind::BlockPass(e) => {
                    let b = self.eval(e, f)?;
                    block = match b {
                        Value::Sym(s) => Some(self.sym_proc(&s, line)),
                        Value::Nil => None,
                        Value::Object(ref o) if matches!(o.kind, ObjKind::Method(..)) => {
                            Some(crate::methods::method::to_proc(self, &b, line))
                        }
                        other => Some(other),
                    };
                }
                Kind::Splat(_) => args.extend(self.eval_list(std::slice::from_ref(a), f)?),
                _ => args.push(self.eval_operand(a, f)?),
            }
        }
        let mut literal_id = 0usize;
        if let Some(def) = &c.block {
            let p = Rc::new(Proc {
                def: def.clone(),
                env: f.env.clone(),
                self_val: f.self_val.clone(),
                is_lambda: false,
                home: f.home.clone(),
            });
            literal_id = Rc::as_ptr(&p) as *const u8 as usize;
            block = Some(Value::Proc(p));
        }
        self.line = line;
        let result = match recv {
            Some(r) => self.call_method(r, &c.name, args, block, f),
            None => self.call_self(&c.name, args, block, f),
        };
        match result {
            Err(e)
                if c.block.is_some()
                    && matches!(e.jump(), Jump::Break(_, id) if *id == literal_id || *id == 0) =>
            {
                Ok(self.jumps.value(e))
            }
            other => other,
        }
    }

    /// `&:name` -> a block calling `name` on its first argument with the others
    /// (`reduce(&:merge)` calls `acc.merge(x)`), at the line of the call it is given to: an
    /// error inside is reported there.
    pub(crate) fn sym_proc(&self, s: &str, line: u32) -> Value {
        let rest = Node::new(line, Kind::LVar("__rest".into()));
        let body = Node::new(
            line,
            Kind::Call(Box::new(Call {
                recv: Some(Node::new(line, Kind::LVar("__x".into()))),
                name: s.into(),
                args: vec![Node::new(line, Kind::Splat(Box::new(rest)))],
                block: None,
                safe_nav: false,
            })),
        );
        let def = Rc::new(BlockDef::new(
            vec![Param::Req("__x".into()), Param::Rest(Some("__rest".into()))],
            body,
            false,
            false,
        ));
        Value::Proc(Rc::new(Proc {
            def,
            env: Scope::new(None),
            self_val: self.ctx.clone(),
            is_lambda: false,
            home: None,
        }))
    }

    /// A call without receiver: template-defined methods, then the host's, then Kernel.
    pub fn call_self(
        &mut self,
        name: &str,
        args: Vec<Value>,
        block: Option<Value>,
        f: &Frame,
    ) -> R<Value> {
        if let Value::Object(o) = &f.self_val {
            if let Some((m, owner)) = self.find_user_method(&o.class, name) {
                return self.invoke(m, owner, f.self_val.clone(), &args, block);
            }
            if let Some(r) = self.attr_call(o, name, &args)? {
                return Ok(r);
            }
        }
        if let Value::Class(c) = &f.self_val {
            if let Some(r) = self.class_body_call(c, name, &args, block.clone(), f)? {
                return Ok(r);
            }
        }
        if !matches!(&f.self_val, Value::Object(o) if matches!(o.kind, ObjKind::Main)) {
            if let Some((m, owner)) = self.find_user_method(&self.ctx_class.clone(), name) {
                return self.invoke(m, owner, f.self_val.clone(), &args, block);
            }
        }
        let host = self.host;
        let call = super::super::MethodCall {
            recv: &f.self_val,
            name,
            args: &args,
            block: block.clone(),
            f,
        };
        if let Some(r) = host.call_main(self, &call)? {
            return Ok(r);
        }
        if let Some(r) = super::super::methods::kernel::call(self, &call)? {
            return Ok(r);
        }
        if !matches!(&f.self_val, Value::Object(o) if matches!(o.kind, ObjKind::Main)) {
            return self.call_method(f.self_val.clone(), name, args, block, f);
        }
        if args.is_empty() && block.is_none() {
            return self.err_with(
                "NameError",
                format!(
                    "undefined local variable or method '{name}' for an instance of {}",
                    self.ctx_class.name
                ),
                &[("name", Value::sym(name)), ("receiver", f.self_val.clone())],
            );
        }
        self.no_method(&self.ctx.clone(), name)
    }

    pub fn call_self_attr(&mut self, recv: &Value, name: &str, args: &[Value]) -> R<Option<Value>> {
        match recv {
            Value::Object(o) => self.attr_call(&o.clone(), name, args),
            _ => Ok(None),
        }
    }

    /// Whether `c` is `name`, inherits from it or includes it.
    pub fn is_a_class(&self, c: &Rc<Class>, name: &str) -> bool {
        let mut cur = Some(c.clone());
        while let Some(k) = cur {
            if k.name == name || super::super::classes::included(&k.name).contains(&name) {
                return true;
            }
            cur = k.superclass.clone();
        }
        false
    }

    pub(super) fn attr_call(
        &mut self,
        o: &Rc<Object>,
        name: &str,
        args: &[Value],
    ) -> R<Option<Value>> {
        let mut cur = Some(&o.class);
        while let Some(c) = cur {
            let attrs = c.attrs.borrow();
            if attrs.is_empty() {
                drop(attrs);
                cur = c.superclass.as_ref();
                continue;
            }
            if let Some(stripped) = name.strip_suffix('=') {
                if attrs.get(stripped).is_some_and(|k| k & 2 != 0) && args.len() == 1 {
                    o.ivars
                        .borrow_mut()
                        .insert(format!("@{stripped}").into(), args[0].clone());
                    return Ok(Some(args[0].clone()));
                }
            } else if attrs.get(name).is_some_and(|k| k & 1 != 0) && args.is_empty() {
                return Ok(Some(
                    o.ivars
                        .borrow()
                        .get(format!("@{name}").as_str())
                        .cloned()
                        .unwrap_or(Value::Nil),
                ));
            }
            drop(attrs);
            cur = c.superclass.as_ref();
        }
        Ok(None)
    }

    pub(super) fn class_body_call(
        &mut self,
        c: &Rc<Class>,
        name: &str,
        args: &[Value],
        _block: Option<Value>,
        _f: &Frame,
    ) -> R<Option<Value>> {
        let kind = match name {
            "attr_reader" => 1,
            "attr_writer" => 2,
            "attr_accessor" => 3,
            "private"
            | "public"
            | "protected"
            | "include"
            | "extend"
            | "module_function"
            | "private_constant"
            | "private_class_method"
            | "public_class_method" => return Ok(Some(Value::Nil)),
            "alias_method" if args.len() == 2 => {
                let new: Name = format::to_s(&args[0]).into();
                self.alias(c, &new, &format::to_s(&args[1]))?;
                return Ok(Some(Value::Sym(new)));
            }
            _ => {
                if let Some(m) = c.smethods.borrow().get(name).cloned() {
                    return self
                        .invoke(m, c.clone(), Value::Class(c.clone()), args, None)
                        .map(Some);
                }
                return Ok(None);
            }
        };
        for a in args {
            let n = format::to_s(a);
            *c.attrs.borrow_mut().entry(n.into()).or_insert(0) |= kind;
        }
        Ok(Some(Value::Nil))
    }

    /// Calls a block (or proc) with Ruby's block argument rules.
    pub fn call_block(&mut self, blk: &Value, args: Vec<Value>) -> R<Value> {
        self.call_block_with(blk, args, None)
    }

    /// [`Interp::call_block`] with a block of its own for the proc's `&b` parameter
    /// (`pr.call(x) { ... }`).
    pub fn call_block_with(
        &mut self,
        blk: &Value,
        args: Vec<Value>,
        block: Option<Value>,
    ) -> R<Value> {
        let Value::Proc(p) = blk else {
            return self.no_method(blk, "call");
        };
        let args = if p.def.auto_splat && args.len() == 1 && !p.is_lambda {
            match args.into_iter().next() {
                // a pair made for this call (`each` over a hash) is taken apart, not copied
                Some(Value::Array(a)) => match Rc::try_unwrap(a) {
                    Ok(cell) => std::mem::take(&mut *cell.borrow_mut()),
                    Err(a) => a.borrow().clone(),
                },
                other => other.into_iter().collect(),
            }
        } else {
            args
        };
        self.run_block(p, &args, &block)
    }

    /// [`Interp::call_block`] with one argument (`each`, `map`, `select`...): no argument
    /// vector is made unless the block takes an array apart.
    pub fn call_block1(&mut self, blk: &Value, arg: Value) -> R<Value> {
        match blk {
            Value::Proc(p)
                if !(p.def.auto_splat && !p.is_lambda && matches!(arg, Value::Array(_))) =>
            {
                self.run_block(p, std::slice::from_ref(&arg), &None)
            }
            _ => self.call_block(blk, vec![arg]),
        }
    }

    /// Runs a block's body on arguments already taken apart as its parameters want them,
    /// with `block` for its `&b` parameter.
    fn run_block(&mut self, p: &Rc<Proc>, args: &[Value], block: &Option<Value>) -> R<Value> {
        let frame = Frame {
            env: self.spare.take(Some(p.env.clone())),
            self_val: p.self_val.clone(),
            home: p.home.clone(),
        };
        let arity = if p.is_lambda {
            Arity::Strict
        } else {
            Arity::Loose
        };
        if p.def.plain {
            self.bind_plain(&p.def.params, args, &frame.env, p.is_lambda)?;
        } else {
            self.bind_params(&p.def.params, args, block, &frame.env, &frame, arity)?;
        }
        let saved_line = self.line;
        self.enter()?;
        let r = self.eval(&p.def.body, &frame);
        match self.leave(frame, r, saved_line) {
            Err(e) => match e.jump() {
                Jump::Next(_) => {
                    self.line = saved_line;
                    Ok(self.jumps.value(e))
                }
                Jump::Return(_) if p.is_lambda => Ok(self.jumps.value(e)),
                Jump::Break(_, 0) if !p.is_lambda => {
                    let v = self.jumps.value(e);
                    let id = Rc::as_ptr(p) as *const u8 as usize;
                    Err(self.jumps.flow(Jump::Break(v, id)))
                }
                _ => Err(e),
            },
            ok => ok,
        }
    }

    /// A call with a receiver.
    pub fn call_method(
        &mut self,
        recv: Value,
        name: &str,
        args: Vec<Value>,
        block: Option<Value>,
        f: &Frame,
    ) -> R<Value> {
        super::super::methods::dispatch(self, recv, name, args, block, f)
    }

    pub fn respond_to_self(&self, f: &Frame, name: &str) -> bool {
        if let Value::Object(o) = &f.self_val {
            if self.find_user_method(&o.class, name).is_some() {
                return true;
            }
        }
        self.find_user_method(&self.ctx_class, name).is_some()
            || self.host.methods().contains(&name)
            || super::super::methods::kernel::FUNCTIONS.contains(&name)
            || self.respond_to(&f.self_val, name)
    }

    pub fn respond_to(&self, v: &Value, name: &str) -> bool {
        super::super::methods::responds(self, v, name)
    }
}

impl Class {
    pub fn new_user(name: &str, superclass: Option<Rc<Class>>, module: bool) -> Class {
        Class {
            name: name.into(),
            superclass,
            methods: RefCell::default(),
            smethods: RefCell::default(),
            consts: RefCell::default(),
            is_module: module,
            builtin: false,
            attrs: RefCell::default(),
        }
    }
}

/// The element `recv[k]` reads when it is there: a Hash's value at a key it has, an Array's
/// item at an Integer index within it (from the end when negative).
fn element(recv: &Value, k: &Value) -> Option<Value> {
    match (recv, k) {
        (Value::Hash(h), k) => h.borrow().get(k).cloned(),
        (Value::Array(a), Value::Int(i)) => {
            let a = a.borrow();
            crate::methods::elements::norm_index(*i, a.len()).and_then(|i| a.get(i).cloned())
        }
        _ => None,
    }
}

impl Frame {
    /// The block the running method was given (`yield`, `block_given?`).
    pub fn block(&self) -> Option<&Value> {
        self.home.as_ref().and_then(|h| h.block.as_ref())
    }
    /// The running method (`super`, `__method__`).
    pub fn method(&self) -> Option<&Running> {
        self.home.as_ref().and_then(|h| h.method.as_ref())
    }
    /// Where `def` and constant assignments go.
    pub fn def_class(&self) -> Option<&Rc<Class>> {
        self.home.as_ref().and_then(|h| h.def_class.as_ref())
    }
}

/// An element Ruby's compiler keeps in a frozen array literal: a number, a symbol, a regexp
/// without interpolation, `nil`, `true`, `false`. An array literal of such elements alone is
/// an array value to `max`/`min` (see [`crate::methods::ordering::literal_best`]).
fn not_static(n: &Node) -> bool {
    match &n.kind {
        Kind::Int(_) | Kind::BigInt(_) | Kind::Float(_) | Kind::Sym(_) => false,
        Kind::Nil | Kind::True | Kind::False => false,
        Kind::Regex(r) => r.0.iter().any(|p| matches!(p, StrPart::Code(_))),
        _ => true,
    }
}
