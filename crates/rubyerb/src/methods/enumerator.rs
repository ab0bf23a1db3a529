//! Enumerators: what `each_with_index`, `map`, `select`, `each_slice`... return without a
//! block, so that `select.with_index { }` and `each_slice(2).map { }` work.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::ast::{BlockDef, Kind, Node, Param};
use super::super::interp::{Interp, R};
use super::super::value::{ObjKind, Object, Proc, Value};
use super::super::MethodCall;
use super::{arg, array, int_arg};

pub fn make(it: &Interp, recv: Value, name: &str, args: Vec<Value>) -> Value {
    make_of(it, "Enumerator", recv, name, args)
}

/// An enumerator of class `class` (`Enumerator`, or `Enumerator::Lazy`).
pub fn make_of(it: &Interp, class: &str, recv: Value, name: &str, args: Vec<Value>) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get(class).unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Enumerator(recv, name.into(), args),
    }))
}

/// `v`, or when it is an enumerator over `from` (a method of another type answered by
/// `from`'s), the same enumerator over `to`: `(1..3).map` shows `1..3`, as in Ruby, and
/// walks the same elements.
pub(super) fn resourced(it: &Interp, v: Value, from: &Value, to: &Value) -> Value {
    if let Value::Object(o) = &v {
        if let ObjKind::Enumerator(src, name, args) = &o.kind {
            if let (Value::Array(a), Value::Array(b)) = (src, from) {
                if Rc::ptr_eq(a, b) {
                    return make(it, to.clone(), name, args.clone());
                }
            }
        }
    }
    v
}

/// A search, or a walk its block ends: an enumerator of one hands a later block to the
/// method itself, and Ruby does not know how many values it yields (`size` is nil).
fn search(method: &str) -> bool {
    matches!(
        method,
        "find" | "detect" | "find_index" | "index" | "rindex" | "take_while" | "drop_while"
    )
}

fn parts(v: &Value) -> (Value, String, Vec<Value>) {
    match v {
        Value::Object(o) => match &o.kind {
            ObjKind::Enumerator(r, n, a) => (r.clone(), n.to_string(), a.clone()),
            _ => unreachable!(),
        },
        _ => unreachable!(),
    }
}

/// The values the underlying method yields.
pub fn to_vec(it: &mut Interp, v: &Value) -> R<Vec<Value>> {
    let (recv, name, args) = parts(v);
    if super::arith_seq::is(v) {
        return super::arith_seq::values(it, &recv, &args);
    }
    let f = it.top_frame();
    match name.as_str() {
        "lazy" => super::lazy::force(it, &recv, &args),
        "each_slice" | "each_cons" => {
            let n = super::enumerable::slice_size(it, name.as_str(), &arg(&args, 0))?;
            let items = it.elements(&recv)?;
            Ok(if name == "each_slice" {
                items.chunks(n).map(|c| Value::array(c.to_vec())).collect()
            } else {
                items.windows(n).map(|c| Value::array(c.to_vec())).collect()
            })
        }
        "with_object" | "each_with_object" => {
            let memo = arg(&args, 0);
            let items = it.elements(&recv)?;
            Ok(items
                .into_iter()
                .map(|x| Value::array(vec![x, memo.clone()]))
                .collect())
        }
        "each_with_index" | "with_index" => {
            let offset = match args.first() {
                Some(Value::Int(o)) => *o,
                _ => 0,
            };
            let items = it.elements(&recv)?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, x)| {
                    let n = super::bignum::int_wide(offset as i128 + i as i128);
                    Value::array(vec![x, n])
                })
                .collect())
        }
        // String's, answered by the methods that list them (a binary string's by its own)
        "each_char" | "chars" | "each_byte" | "each_line" => {
            let list = match name.as_str() {
                "each_byte" => "bytes",
                "each_line" => "lines",
                _ => "chars",
            };
            let v = it.call_method(recv, list, args.to_vec(), None, &f)?;
            it.elements(&v)
        }
        "cycle" => {
            let items = it.elements(&recv)?;
            let times = match args.first() {
                None | Some(Value::Nil) if items.is_empty() => 0,
                None | Some(Value::Nil) => {
                    return it.err(
                        "RuntimeError",
                        "cycle without a count never ends (take its first elements with first(n) or take(n))",
                    )
                }
                Some(n) => int_arg(it, n)?.max(0) as u64,
            };
            if times.saturating_mul(items.len() as u64) > super::enumerable::CYCLE_MAX {
                return super::enumerable::cycle_too_long(it);
            }
            Ok((0..times).flat_map(|_| items.iter().cloned()).collect())
        }
        "step" | "%" if matches!(recv, Value::Range(_)) && !super::range::of_numbers(&recv) => {
            super::range::step_values(it, &recv, &arg(&args, 0), false)
        }
        "reverse_each" => {
            let mut items = it.elements(&recv)?;
            items.reverse();
            Ok(items)
        }
        "gsub" | "sub" => {
            let _ = f;
            it.unsupported("String#gsub without a replacement or block")
        }
        _ => it.elements(&recv),
    }
}

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let (src, method, margs) = parts(recv);
    if method == "lazy" {
        if let Some(v) = super::lazy::call(it, c, &src, &margs)? {
            return Ok(Some(v));
        }
    }
    if super::arith_seq::is(recv) {
        if let Some(v) = super::arith_seq::call(it, c, &src, &method, &margs)? {
            return Ok(Some(v));
        }
        // a sequence of integers up: its first elements one at a time, however long it is;
        // an endless one also its walks a block ends
        if let Some((_, end, _)) = super::lazy::int_walk(recv) {
            let first = matches!((name, &c.block), ("first" | "take", None));
            if end == i64::MAX || first {
                if let Some(v) = super::lazy::endless(it, c)? {
                    return Ok(Some(v));
                }
            }
        }
    }
    // an endless cycle's first elements
    if method == "cycle" && matches!(margs.first(), None | Some(Value::Nil)) {
        if let ("first" | "take", Some(n)) = (name, args.first()) {
            let n = int_arg(it, n)?.max(0) as usize;
            let items = it.elements(&src)?;
            if n as u64 > super::enumerable::CYCLE_MAX {
                return super::enumerable::cycle_too_long(it);
            }
            let out = items
                .iter()
                .cycle()
                .take(if items.is_empty() { 0 } else { n });
            return Ok(Some(Value::array(out.cloned().collect())));
        }
        if name == "first" && args.is_empty() {
            return Ok(Some(
                it.elements(&src)?.into_iter().next().unwrap_or(Value::Nil),
            ));
        }
    }
    match name {
        "with_index" | "each_with_index" | "with_object" => {
            let offset = if name == "with_index" {
                match args.first() {
                    Some(Value::Int(o)) => *o,
                    _ => 0,
                }
            } else {
                0
            };
            let Some(b) = block else {
                return Ok(Some(make(it, recv.clone(), name, args.to_vec())));
            };
            let memo = if name == "with_object" {
                Some(arg(args, 0))
            } else {
                None
            };
            // a block for the underlying method that passes (element, index) to ours
            let counter = Rc::new(RefCell::new(offset));
            let inner = native_block(it, b.clone(), counter, memo.clone());
            let r = if method == "each_slice"
                || method == "each_cons"
                || method == "each_char"
                || method == "chars"
            {
                // these return their receiver, as `each_slice` with a block does
                let items = to_vec(it, recv)?;
                let arr = Value::array(items);
                it.call_method(arr, "each", vec![], Some(inner), f)?;
                src.clone()
            } else {
                it.call_method(src.clone(), &method, margs.clone(), Some(inner), f)?
            };
            Ok(Some(match memo {
                Some(m) => m,
                None => r,
            }))
        }
        "each" => match block {
            Some(b) => {
                if method == "each" || method == "each_pair" {
                    return Ok(Some(it.call_method(src, &method, margs, Some(b), f)?));
                }
                if matches!(
                    method.as_str(),
                    "map"
                        | "select"
                        | "reject"
                        | "collect"
                        | "flat_map"
                        | "filter_map"
                        | "each_with_index"
                        | "with_index"
                        | "with_object"
                        | "sort_by"
                        | "group_by"
                        | "min_by"
                        | "max_by"
                        | "each_with_object"
                        | "partition"
                        | "times"
                        | "upto"
                        | "step"
                ) || search(&method)
                {
                    return Ok(Some(it.call_method(src, &method, margs, Some(b), f)?));
                }
                let items = to_vec(it, recv)?;
                for x in items {
                    it.call_block1(&b, x)?;
                }
                Ok(Some(recv.clone()))
            }
            None => Ok(Some(recv.clone())),
        },
        // external iteration: the position is kept on the enumerator
        "next" | "peek" | "rewind" => {
            let Value::Object(o) = recv else {
                return Ok(None);
            };
            let pos = match o.ivars.borrow().get("__pos") {
                Some(Value::Int(i)) => *i as usize,
                _ => 0,
            };
            if name == "rewind" {
                o.ivars.borrow_mut().shift_remove("__pos");
                return Ok(Some(recv.clone()));
            }
            let items = to_vec(it, recv)?;
            match items.into_iter().nth(pos) {
                Some(v) => {
                    if name == "next" {
                        o.ivars
                            .borrow_mut()
                            .insert("__pos".into(), Value::Int(pos as i64 + 1));
                    }
                    Ok(Some(v))
                }
                None => it.err("StopIteration", "iteration reached an end"),
            }
        }
        "size" if search(&method) => Ok(Some(Value::Nil)),
        // a step over a range that is not of numbers has no size, if its step is a valid
        // one (a step of 0 was refused when the enumerator was made)
        "size"
            if matches!(method.as_str(), "step" | "%")
                && matches!(src, Value::Range(_))
                && !super::range::of_numbers(&src) =>
        {
            if int_arg(it, &arg(&margs, 0))? < 0 {
                return it.arg_err("step can't be negative");
            }
            Ok(Some(Value::Nil))
        }
        // a cycle without a count never ends, unless there is nothing to cycle
        "size" if method == "cycle" && matches!(margs.first(), None | Some(Value::Nil)) => {
            Ok(Some(if it.elements(&src)?.is_empty() {
                Value::Int(0)
            } else {
                Value::Float(f64::INFINITY)
            }))
        }
        "size" => Ok(Some(Value::Int(to_vec(it, recv)?.len() as i64))),
        "to_s" => Ok(Some(Value::str("#<Enumerator:0x0000000000000000>"))),
        "inspect" => Ok(Some(Value::str(inspect(recv)))),
        _ => {
            let items = to_vec(it, recv)?;
            // Enumerable's, which compare elements in another order than Array's
            if matches!(name, "min" | "max" | "minmax") && args.is_empty() {
                return super::ordering::ordering(it, c, items);
            }
            let arr = Value::array(items);
            match block {
                // these hand the block the two values apart (`|x|` takes the element);
                // the others hand it the pair as one value, as Ruby 3.4's Enumerable does
                Some(b) if yields_two(&method) && spreads(name) => {
                    let call = MethodCall {
                        block: Some(spread(it, b)),
                        ..c.on(&arr)
                    };
                    array::call(it, &call)
                }
                _ => array::call(it, &c.on(&arr)),
            }
        }
    }
}

/// `#<Enumerator: RECEIVER:METHOD(ARGS)>`, an enumerator made from another inside (an
/// arithmetic sequence spells its call, a lazy one its steps).
pub(crate) fn inspect(v: &Value) -> String {
    let (src, method, margs) = parts(v);
    if super::arith_seq::is(v) {
        return super::arith_seq::inspect(&src, &method, &margs);
    }
    if method == "lazy" {
        return super::lazy::inspect(&src, &margs);
    }
    let args = if margs.is_empty() {
        String::new()
    } else {
        let a: Vec<String> = margs.iter().map(super::super::format::inspect).collect();
        format!("({})", a.join(", "))
    };
    let src = match &src {
        Value::Object(o) if matches!(o.kind, ObjKind::Enumerator(..)) => inspect(&src),
        // an endless range's `step`: Ruby's arithmetic sequence
        r @ Value::Range(_) if method == "step" && super::range::of_numbers(r) => {
            return format!("(({}).step{args})", super::super::format::inspect(r))
        }
        other => super::super::format::inspect(other),
    };
    format!("#<Enumerator: {src}:{method}{args}>")
}

/// An enumerator whose `each` yields two values (the element and its index, or the memo
/// object), which [`to_vec`] keeps as pairs.
fn yields_two(method: &str) -> bool {
    matches!(
        method,
        "each_with_index" | "with_index" | "each_with_object" | "with_object"
    )
}

/// The methods of Enumerable that hand their block what `each` yields as it is (two values
/// stay two), where the others pack them into one array.
fn spreads(name: &str) -> bool {
    matches!(
        name,
        "map"
            | "collect"
            | "flat_map"
            | "collect_concat"
            | "filter_map"
            | "count"
            | "to_h"
            | "uniq"
            | "find_index"
            | "take_while"
            | "any?"
            | "all?"
            | "none?"
            | "one?"
    )
}

/// Wraps the user's block so that a pair it is given arrives as two arguments
/// (`proc { |*__args| __blk.call(*__args.first) }`).
fn spread(it: &Interp, user: Value) -> Value {
    let w = Wrapper::new(it, user);
    let pair = w.call(w.lvar("__args"), "first", vec![]);
    let body = w.call(w.lvar("__blk"), "call", vec![w.splat(pair)]);
    w.finish(it, body)
}

/// Wraps the user's block so it also receives a running index (or a memo object):
/// `proc { |*__args| __blk.call(*__args, __ctr.__next) }`, the index in a hidden object.
fn native_block(it: &Interp, user: Value, counter: Rc<RefCell<i64>>, memo: Option<Value>) -> Value {
    let w = Wrapper::new(it, user);
    w.env
        .declare(&"__ctr".into(), Value::Object(counter_obj(it, counter)));
    w.env
        .declare(&"__memo".into(), memo.clone().unwrap_or(Value::Nil));
    let second = if memo.is_some() {
        w.lvar("__memo")
    } else {
        w.call(w.lvar("__ctr"), "__next", vec![])
    };
    let args = vec![w.splat(w.lvar("__args")), second];
    let body = w.call(w.lvar("__blk"), "call", args);
    w.finish(it, body)
}

/// A block written as a tiny syntax tree around the user's block, held in the hidden local
/// `__blk`; it takes its arguments as `*__args`.
struct Wrapper {
    line: u32,
    env: super::super::interp::Env,
}

impl Wrapper {
    fn new(it: &Interp, user: Value) -> Wrapper {
        let env = super::super::interp::Scope::new(None);
        env.declare(&"__blk".into(), user);
        Wrapper { line: it.line, env }
    }

    fn lvar(&self, n: &str) -> Node {
        Node::new(self.line, Kind::LVar(n.into()))
    }

    fn splat(&self, n: Node) -> Node {
        Node::new(self.line, Kind::Splat(Box::new(n)))
    }

    fn call(&self, recv: Node, name: &str, args: Vec<Node>) -> Node {
        let call = super::super::ast::Call {
            recv: Some(recv),
            name: name.into(),
            args,
            block: None,
            safe_nav: false,
        };
        Node::new(self.line, Kind::Call(Box::new(call)))
    }

    fn finish(self, it: &Interp, body: Node) -> Value {
        let def = Rc::new(BlockDef::new(
            vec![Param::Rest(Some("__args".into()))],
            body,
            false,
            false,
        ));
        Value::Proc(Rc::new(Proc {
            def,
            env: self.env,
            self_val: it.ctx.clone(),
            is_lambda: false,
            home: None,
        }))
    }
}

fn counter_obj(it: &Interp, counter: Rc<RefCell<i64>>) -> Rc<Object> {
    let mut ivars = IndexMap::new();
    ivars.insert("n".into(), Value::Int(*counter.borrow()));
    Rc::new(Object {
        class: it.classes.get("Object").unwrap(),
        ivars: RefCell::new(ivars),
        kind: ObjKind::Plain,
    })
}

/// `__next` on the hidden counter object.
pub fn counter_next(o: &Object) -> Value {
    let mut iv = o.ivars.borrow_mut();
    let n = match iv.get("n") {
        Some(Value::Int(n)) => *n,
        _ => 0,
    };
    iv.insert("n".into(), Value::Int(n + 1));
    Value::Int(n)
}
