//! Parameters: a call's arguments bound to a method's or block's parameters (optional,
//! rest, keywords, destructuring, as Ruby binds them), and `super`, with what a bare one
//! passes on.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::*;
use super::super::format;
use super::super::value::*;
use super::{Env, Frame, Interp, R};

/// How a call's arguments meet its parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// A method's or a lambda's: a wrong count raises.
    Strict,
    /// A block's: missing arguments are nil, extra ones dropped.
    Loose,
    /// A destructured parameter's (`|(a, b)|`): loose, and assigned after the parameters
    /// around it, so a name bound twice takes the later value here.
    Nested,
}

impl<'a> Interp<'a> {
    pub fn bind_params(
        &mut self,
        params: &[Param],
        args: &[Value],
        block: &Option<Value>,
        env: &Env,
        f: &Frame,
        arity: Arity,
    ) -> R<()> {
        let strict = arity == Arity::Strict;
        // plain positional parameters (`def f(a, b)`, `|k, v|`): most calls a template makes
        if params.iter().all(|p| matches!(p, Param::Req(_))) {
            if strict && args.len() != params.len() {
                return self.argc(args.len(), &params.len().to_string());
            }
            env.vars.borrow_mut().reserve(params.len());
            for (i, p) in params.iter().enumerate() {
                if let Param::Req(n) = p {
                    bind(env, arity, n, args.get(i).cloned().unwrap_or(Value::Nil));
                }
            }
            return Ok(());
        }
        let mut args = args;
        let has_kw = params
            .iter()
            .any(|p| matches!(p, Param::Key(..) | Param::KwRest(_)));
        let mut kwargs: Option<Rc<RefCell<RHash>>> = None;
        if has_kw {
            if let Some(Value::Hash(h)) = args.last() {
                if h.borrow()
                    .map
                    .values()
                    .all(|(k, _)| matches!(k, Value::Sym(_)))
                {
                    let h = h.clone();
                    args = &args[..args.len() - 1];
                    kwargs = Some(h);
                }
            }
        }
        let required = params
            .iter()
            .filter(|p| matches!(p, Param::Req(_) | Param::Destructure(_)))
            .count();
        let optional = params
            .iter()
            .filter(|p| matches!(p, Param::Opt(..)))
            .count();
        let rest = params.iter().any(|p| matches!(p, Param::Rest(_)));
        if strict && (args.len() < required || (!rest && args.len() > required + optional)) {
            let expected = if rest {
                format!("{required}+")
            } else if optional > 0 {
                format!("{}..{}", required, required + optional)
            } else {
                required.to_string()
            };
            return self.argc(args.len(), &expected);
        }
        let mut avail_opt = args.len().saturating_sub(required);
        let posts_after_rest = {
            let mut seen = false;
            let mut n = 0;
            for p in params {
                match p {
                    Param::Rest(_) => seen = true,
                    Param::Req(_) | Param::Destructure(_) if seen => n += 1,
                    _ => {}
                }
            }
            n
        };
        let mut i = 0;
        for p in params {
            match p {
                Param::Req(n) => {
                    bind(env, arity, n, args.get(i).cloned().unwrap_or(Value::Nil));
                    i += 1;
                }
                Param::Destructure(inner) => {
                    let v = args.get(i).cloned().unwrap_or(Value::Nil);
                    i += 1;
                    let list = match &v {
                        Value::Array(a) => a.borrow().clone(),
                        o => vec![o.clone()],
                    };
                    self.bind_params(inner, &list, &None, env, f, Arity::Nested)?;
                }
                Param::Opt(n, default) => {
                    if avail_opt > 0 && i < args.len() {
                        bind(env, arity, n, args[i].clone());
                        i += 1;
                        avail_opt -= 1;
                    } else {
                        let fr = Frame {
                            env: env.clone(),
                            ..f.clone()
                        };
                        let v = self.eval(default, &fr)?;
                        bind(env, arity, n, v);
                    }
                }
                Param::Rest(n) => {
                    let end = args.len().saturating_sub(posts_after_rest).max(i);
                    let rest: Vec<Value> = args.get(i..end).map(|s| s.to_vec()).unwrap_or_default();
                    i = end;
                    if let Some(n) = n {
                        bind(env, arity, n, Value::array(rest));
                    }
                }
                Param::Key(n, default) => {
                    let given = kwargs
                        .as_ref()
                        .and_then(|h| h.borrow().get(&Value::Sym(n.clone())).cloned());
                    let v = match (given, default) {
                        (Some(v), _) => v,
                        (None, Some(d)) => {
                            let fr = Frame {
                                env: env.clone(),
                                ..f.clone()
                            };
                            self.eval(d, &fr)?
                        }
                        (None, None) => {
                            if strict {
                                return self.arg_err(format!("missing keyword: :{n}"));
                            }
                            Value::Nil
                        }
                    };
                    bind(env, arity, n, v);
                }
                Param::KwRest(n) => {
                    if let Some(n) = n {
                        let mut h = RHash::new();
                        if let Some(k) = &kwargs {
                            for (k, v) in k.borrow().pairs() {
                                if !params.iter().any(|p| matches!(p, Param::Key(kn, _) if matches!(&k, Value::Sym(s) if s == kn))) {
                                    h.insert(k, v);
                                }
                            }
                        }
                        bind(env, arity, n, Value::hash(h));
                    }
                }
                Param::Block(n) => bind(env, arity, n, block.clone().unwrap_or(Value::Nil)),
            }
        }
        Ok(())
    }

    pub(super) fn eval_super(
        &mut self,
        args: Option<&Vec<Node>>,
        f: &Frame,
        line: u32,
    ) -> R<Value> {
        let Some((name, Some(owner), orig)) = f.method().cloned() else {
            return self.err("RuntimeError", "super called outside of method");
        };
        let args = match args {
            Some(a) => self.eval_list(a, f)?,
            // the parser marks every method whose body has a bare `super`, and `invoke`
            // keeps the arguments of those; a method without them cannot reach here, so
            // passing none silently would hide a broken invariant
            None => match orig {
                Some(z) => zsuper_args(&z),
                None => {
                    return self.err(
                        "RuntimeError",
                        "implicit argument passing of super: the method's arguments were not kept (an internal error of the template engine)",
                    )
                }
            },
        };
        self.line = line;
        if let Some(sup) = owner.superclass.clone() {
            if let Some((m, o)) = self.find_user_method(&sup, &name) {
                return self.invoke(m, o, f.self_val.clone(), &args, f.block().cloned());
            }
            // built-in initialize of exceptions: store the message
            if &*name == "initialize" {
                if let Value::Object(o) = &f.self_val {
                    if let ObjKind::Exception(m) = &o.kind {
                        *m.borrow_mut() = args.first().map(format::to_s).unwrap_or_default();
                    }
                }
                return Ok(Value::Nil);
            }
        }
        self.no_method(&f.self_val, &name)
    }
}

/// The arguments of a bare `super`: the method's parameters read now, positional ones in
/// order (a named rest spread), keywords as a trailing hash. A method with an anonymous rest
/// or keyword rest, or a destructuring parameter, passes the arguments it was given.
fn zsuper_args(z: &ZSuper) -> Vec<Value> {
    let params = &z.def.params;
    if params.iter().any(|p| {
        matches!(
            p,
            Param::Rest(None) | Param::KwRest(None) | Param::Destructure(_)
        )
    }) {
        return z.args.to_vec();
    }
    let get = |n: &Name| z.env.local(n);
    let mut out = Vec::with_capacity(params.len());
    let mut kw: Option<RHash> = None;
    for p in params {
        match p {
            Param::Req(n) | Param::Opt(n, _) => out.push(get(n)),
            Param::Rest(Some(n)) => match get(n) {
                Value::Array(a) => out.extend(a.borrow().iter().cloned()),
                v => out.push(v),
            },
            Param::Key(n, _) => {
                kw.get_or_insert_with(RHash::new)
                    .insert(Value::Sym(n.clone()), get(n));
            }
            Param::KwRest(Some(n)) => {
                if let Value::Hash(h) = get(n) {
                    let k = kw.get_or_insert_with(RHash::new);
                    for (a, b) in h.borrow().pairs() {
                        k.insert(a, b);
                    }
                }
            }
            Param::Block(_) | Param::Rest(None) | Param::KwRest(None) | Param::Destructure(_) => {}
        }
    }
    if let Some(k) = kw.filter(|k| !k.is_empty()) {
        out.push(Value::hash(k));
    }
    out
}

/// A parameter's value: a name bound twice keeps its first argument, unless a destructured
/// parameter assigns it (Ruby assigns those after the others).
fn bind(env: &Env, arity: Arity, n: &Name, v: Value) {
    if arity == Arity::Nested {
        env.declare(n, v);
    } else {
        env.bind(n, v);
    }
}
