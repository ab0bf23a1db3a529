//! `Object#method` and the `Method` it returns: a receiver and a name, called as the
//! receiver's method of that name (`m.call`, `m.(x)`, `m[x]`), passed as a block
//! (`list.map(&method(:quote))`) or turned into a lambda. What a template cannot observe
//! the same way as in Ruby (the text of `inspect`, a built-in method's arity or parameters,
//! composition and currying) is refused by name rather than answered differently.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::ast::{BlockDef, Call, Kind, Node, Param};
use super::super::format;
use super::super::interp::{Frame, Interp, Scope, R};
use super::super::value::{ObjKind, Object, Proc, Value};
use super::super::MethodCall;

/// `recv.method(name)`: Ruby's NameError when `recv` has no method of that name (a private
/// one, such as Kernel's `format`, is found, as Ruby finds it).
pub(super) fn make(it: &mut Interp, recv: &Value, name: &Value, f: &Frame) -> R<Value> {
    let name = match name {
        Value::Sym(s) => s.to_string(),
        Value::Str(s) => s.borrow().clone(),
        other => {
            let shown = format::inspect(other);
            return it.type_err(format!("{shown} is not a symbol nor a string"));
        }
    };
    let frame = Frame {
        self_val: recv.clone(),
        ..f.clone()
    };
    let found = match recv {
        Value::Object(o) if matches!(o.kind, ObjKind::Main) => it.respond_to_self(&frame, &name),
        _ => it.respond_to(recv, &name) || super::kernel::FUNCTIONS.contains(&name.as_str()),
    };
    if !found {
        let class = it.call_method(recv.clone(), "class", vec![], None, f)?;
        let class = format::to_s(&class);
        return it.err(
            "NameError",
            format!("undefined method '{name}' for class '{class}'"),
        );
    }
    Ok(Value::Object(Rc::new(Object {
        class: it.classes.get("Method").unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Method(recv.clone(), name.as_str().into()),
    })))
}

/// The receiver and name of the Method `v`.
fn parts(v: &Value) -> Option<(Value, String)> {
    match v {
        Value::Object(o) => match &o.kind {
            ObjKind::Method(r, n) => Some((r.clone(), n.to_string())),
            _ => None,
        },
        _ => None,
    }
}

/// The template-defined method the Method `v` calls, when it calls one.
fn defined(it: &Interp, v: &Value) -> Option<Rc<super::super::ast::MethodDef>> {
    let (recv, name) = parts(v)?;
    match &recv {
        Value::Object(o) => it
            .find_user_method(&o.class, &name)
            .or_else(|| match o.kind {
                ObjKind::Main => it.find_user_method(&it.ctx_class, &name),
                _ => None,
            })
            .map(|(m, _)| m),
        _ => None,
    }
}

/// The lambda that calls the Method `m` (its `to_proc`, and what `&m` passes): for a
/// template-defined method whose parameters are all required, one parameter for each; for
/// the others, any arguments and the block, passed on. With two or more, it takes an array
/// it is given alone apart, as Ruby's hash iteration hands such a method a key and a value
/// (`hash.map(&method(:line))`): a proc, not a lambda, for that one difference.
pub(crate) fn to_proc(it: &Interp, m: &Value, line: u32) -> Value {
    let var = |n: &str| Node::new(line, Kind::LVar(n.into()));
    let mut lambda = true;
    let (params, args) = match defined(it, m) {
        Some(d) if d.plain => {
            lambda = d.params.len() < 2;
            let names: Vec<String> = (0..d.params.len()).map(|i| format!("__{i}")).collect();
            let params = names
                .iter()
                .map(|n| Param::Req(n.as_str().into()))
                .collect();
            (params, names.iter().map(|n| var(n)).collect())
        }
        _ => (
            vec![Param::Rest(Some("__a".into())), Param::Block("__b".into())],
            vec![
                Node::new(line, Kind::Splat(Box::new(var("__a")))),
                Node::new(line, Kind::BlockPass(Box::new(var("__b")))),
            ],
        ),
    };
    let body = Node::new(
        line,
        Kind::Call(Box::new(Call {
            recv: Some(var("__m")),
            name: "call".into(),
            args,
            block: None,
            safe_nav: false,
        })),
    );
    let env = Scope::new(None);
    env.set(&"__m".into(), m.clone());
    Value::Proc(Rc::new(Proc {
        def: Rc::new(BlockDef::new(params, body, !lambda, lambda)),
        env,
        self_val: it.ctx.clone(),
        is_lambda: lambda,
        home: None,
    }))
}

/// A method of the Method `c.recv`.
pub(super) fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let Some((recv, name)) = parts(c.recv) else {
        return Ok(None);
    };
    Ok(Some(match c.name {
        // one call deeper: a Method of a Method's `call` (of a Method's...) nests as deep
        // as a template likes, and the call-depth budget ends it before the native stack
        "call" | "()" | "[]" | "===" | "yield" => {
            let args = c.args.to_vec();
            return it
                .deeper(|it| it.call_method(recv, &name, args, c.block.clone(), c.f))
                .map(Some);
        }
        "to_proc" => to_proc(it, c.recv, it.line),
        "name" => Value::sym(&name),
        "receiver" => recv,
        "owner" => it.call_method(recv, "class", vec![], None, c.f)?,
        "arity" => match defined(it, c.recv) {
            Some(d) => Value::Int(super::arity(&d.params, true)),
            None => return it.unsupported("Method#arity of a built-in method"),
        },
        "==" | "eql?" => Value::Bool(match parts(&super::arg(c.args, 0)) {
            Some((r, n)) => n == name && super::object::identical(&r, &recv),
            None => false,
        }),
        "inspect" | "to_s" | "unbind" | "curry" | ">>" | "<<" | "parameters"
        | "source_location" | "super_method" | "original_name" => {
            return it.unsupported(&format!("Method#{}", c.name))
        }
        _ => return Ok(None),
    }))
}
