//! Methods every object has (`nil?`, `is_a?`, `respond_to?`, `send`, `to_json`, `blank?`,
//! ...), NilClass/TrueClass/FalseClass, exceptions, and class-level calls (`Foo.new`).

use super::super::interp::object_text;
use super::super::MethodCall;
use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::format;
use super::super::interp::{Flow, Interp, RbErr, R};
use super::super::value::{rb_eq, ObjKind, Object, Value};
use super::arg;

pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let v = match name {
        "nil?" => Value::Bool(recv.is_nil()),
        "class" => match recv {
            Value::Object(o) => Value::Class(o.class.clone()),
            Value::Class(c) => Value::Class(
                it.classes
                    .get(if c.is_module { "Module" } else { "Class" })
                    .unwrap(),
            ),
            other => Value::Class(it.classes.get(&other.class_name()).unwrap()),
        },
        "is_a?" | "kind_of?" | "instance_of?" => match arg(args, 0) {
            Value::Class(c) => Value::Bool(if name == "instance_of?" {
                match recv {
                    Value::Object(o) => o.class.name == c.name,
                    v => v.class_name() == c.name,
                }
            } else {
                it.is_a(recv, &c.name)
            }),
            _ => return it.type_err("class or module required"),
        },
        "respond_to?" => Value::Bool(it.respond_to(recv, &format::to_s(&arg(args, 0)))),
        "==" | "eql?" => Value::Bool(rb_eq(recv, &arg(args, 0))),
        "equal?" => Value::Bool(identical(recv, &arg(args, 0))),
        "!=" => Value::Bool(!it.equal(recv, &arg(args, 0), f)?),
        // Object#<=>: 0 for an equal value, else nil (so that sorting names both)
        "<=>" if args.len() == 1 => match it.equal(recv, &args[0], f)? {
            true => Value::Int(0),
            false => Value::Nil,
        },
        "!" => Value::Bool(!recv.truthy()),
        "===" => Value::Bool(rb_eq(recv, &arg(args, 0))),
        // Object#=~ is gone since Ruby 3.2 (the director's is 3.4): only nil still answers it
        "=~" if recv.is_nil() => Value::Nil,
        "to_s" => Value::str(it.str_of(recv, f)?),
        "inspect" => Value::str(it.inspect(recv, f)?),
        "send" | "public_send" | "__send__" => {
            let Some((m, rest)) = args.split_first() else {
                return it.arg_err("no method name given");
            };
            let m = format::to_s(m);
            return it
                .call_method(recv.clone(), &m, rest.to_vec(), block, f)
                .map(Some);
        }
        "method" => return super::method::make(it, recv, &arg(args, 0), f).map(Some),
        "tap" => {
            if let Some(b) = block {
                it.call_block1(&b, recv.clone())?;
            }
            recv.clone()
        }
        "then" | "yield_self" => match block {
            Some(b) => it.call_block1(&b, recv.clone())?,
            None => recv.clone(),
        },
        "itself" | "freeze" | "to_openstruct" => recv.clone(),
        "frozen?" => Value::Bool(matches!(
            recv,
            Value::Nil
                | Value::Bool(_)
                | Value::Int(_)
                | Value::Big(_)
                | Value::Float(_)
                | Value::Sym(_)
        )),
        "dup" | "clone" => match recv {
            Value::Str(s) => s.copy(false),
            Value::Array(a) => Value::array(a.borrow().clone()),
            Value::Hash(h) => Value::hash(h.borrow().clone()),
            Value::Object(o) => match &o.kind {
                ObjKind::OStruct(fields, bc) => Value::Object(Rc::new(Object {
                    class: o.class.clone(),
                    ivars: RefCell::new(o.ivars.borrow().clone()),
                    kind: ObjKind::OStruct(
                        crate::ofields::OFields::new(fields.borrow().clone()),
                        *bc,
                    ),
                })),
                ObjKind::Plain => Value::Object(Rc::new(Object {
                    class: o.class.clone(),
                    ivars: RefCell::new(o.ivars.borrow().clone()),
                    kind: ObjKind::Plain,
                })),
                _ => recv.clone(),
            },
            other => other.clone(),
        },
        "object_id" | "__id__" => Value::Int(recv.ptr() as i64 / 8),
        "hash" => Value::Int(recv.ptr() as i64),
        "instance_variable_get" => it.ivar_read(recv, c.f, &format::to_s(&arg(args, 0)))?,
        "instance_variable_set" => match recv {
            Value::Object(o) => {
                let added = o
                    .ivars
                    .borrow_mut()
                    .insert(format::to_s(&arg(args, 0)).into(), arg(args, 1))
                    .is_none();
                if added {
                    it.account_entry()?;
                }
                arg(args, 1)
            }
            _ => return it.err("FrozenError", "can't modify frozen object"),
        },
        "instance_variables" => match recv {
            Value::Object(o) => {
                Value::array(o.ivars.borrow().keys().map(|k| Value::sym(k)).collect())
            }
            _ => Value::array(vec![]),
        },
        "instance_variable_defined?" => {
            Value::Bool(it.ivar_defined(recv, &format::to_s(&arg(args, 0))))
        }
        "blank?" | "present?" | "presence" => {
            let blank = match recv {
                Value::Nil | Value::Bool(false) => true,
                Value::Str(s) => s.borrow().chars().all(|c| c.is_whitespace()),
                Value::Array(a) => a.borrow().is_empty(),
                Value::Hash(h) => h.borrow().is_empty(),
                Value::Sym(s) => s.is_empty(),
                _ => false,
            };
            match name {
                "blank?" => Value::Bool(blank),
                "present?" => Value::Bool(!blank),
                _ => {
                    if blank {
                        Value::Nil
                    } else {
                        recv.clone()
                    }
                }
            }
        }
        "to_json" => {
            let style = super::super::json::Style::default();
            super::super::stdlib::generate_json(it, recv, style, args.first())?
        }
        "to_yaml" => {
            let width = super::super::stdlib::yaml_width(it, args.first())?;
            let mut conv = |v: &Value| object_text(v);
            Value::str(super::super::yaml_out::dump(recv, width, &mut conv))
        }
        "instance_eval" | "instance_exec" => match block {
            Some(b) => {
                let Value::Proc(p) = &b else { return Ok(None) };
                let np = Value::Proc(Rc::new(super::super::value::Proc {
                    def: p.def.clone(),
                    env: p.env.clone(),
                    self_val: recv.clone(),
                    is_lambda: p.is_lambda,
                    home: p.home.clone(),
                }));
                it.call_block(&np, args.to_vec())?
            }
            None => return it.unsupported("instance_eval with a string"),
        },
        "methods" | "public_methods" => Value::array(vec![]),
        "display" => return it.unsupported("output to stdout"),
        "extend" => recv.clone(),
        "enum_for" | "to_enum" | "each_entry" => {
            super::enumerator::make(it, recv.clone(), "each", vec![])
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

pub fn nil_call(it: &mut Interp, name: &str, args: &[Value]) -> R<Option<Value>> {
    let _ = it;
    Ok(Some(match name {
        "to_s" => Value::frozen_str(""),
        "to_a" => Value::array(vec![]),
        "to_h" => Value::hash(Default::default()),
        "to_i" => Value::Int(0),
        "to_f" => Value::Float(0.0),
        "inspect" => Value::str("nil"),
        "&" => Value::Bool(false),
        "|" | "^" => Value::Bool(arg(args, 0).truthy()),
        "==" => Value::Bool(arg(args, 0).is_nil()),
        _ => return Ok(None),
    }))
}

pub fn bool_call(b: bool, name: &str, args: &[Value]) -> Option<Value> {
    let o = arg(args, 0).truthy();
    Some(match name {
        "to_s" | "inspect" => Value::frozen_str(b.to_string()),
        "&" => Value::Bool(b && o),
        "|" => Value::Bool(b || o),
        "^" => Value::Bool(b != o),
        "==" | "===" => Value::Bool(matches!(arg(args, 0), Value::Bool(x) if x == b)),
        _ => return None,
    })
}

pub fn exception_call(
    it: &mut Interp,
    recv: &Value,
    name: &str,
    args: &[Value],
) -> R<Option<Value>> {
    let Value::Object(o) = recv else {
        return Ok(None);
    };
    let ObjKind::Exception(msg) = &o.kind else {
        return Ok(None);
    };
    let _ = args;
    if matches!(name, "key" | "receiver" | "name") {
        let attr = format!("{}{name}", crate::interp::EXC_ATTR);
        if let Some(v) = o.ivars.borrow().get(attr.as_str()) {
            return Ok(Some(v.clone()));
        }
    }
    Ok(Some(match name {
        "message" | "to_s" | "full_message" | "detailed_message" => Value::str(it.obj_to_s(recv)),
        "backtrace" | "backtrace_locations" => Value::array(vec![]),
        "cause" => Value::Nil,
        "inspect" => Value::str(format::inspect(recv)),
        "name" if o.class.name.ends_with("UnknownProperty") => {
            // UnknownProperty#name is the list of names tried
            let m = msg.borrow().clone();
            let inner = m
                .trim_start_matches("Can't find property '")
                .trim_end_matches('\'')
                .to_string();
            let parsed: Vec<Value> = inner
                .trim_matches(['[', ']'])
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(|s| Value::str(s.trim_matches('"')))
                .collect();
            Value::array(parsed)
        }
        _ => return Ok(None),
    }))
}

pub fn new_object(
    it: &mut Interp,
    cls: &Rc<super::super::value::Class>,
    args: Vec<Value>,
    block: Option<Value>,
) -> R<Value> {
    let is_exc = it.is_a_class(cls, "Exception");
    let kind = if is_exc {
        ObjKind::Exception(RefCell::new(
            args.first()
                .map(format::to_s)
                .unwrap_or_else(|| cls.name.clone()),
        ))
    } else {
        ObjKind::Plain
    };
    let user_init = it.find_user_method(cls, "initialize");
    // a template's class that inherits OpenStruct, without an `initialize` of its own: an
    // OpenStruct of that class (one that writes its own would need OpenStruct's `super`)
    if user_init.is_none() && it.is_a_class(cls, "OpenStruct") {
        return super::ostruct::new(it, &args, cls.clone());
    }
    let obj = Value::Object(Rc::new(Object {
        class: cls.clone(),
        ivars: RefCell::new(IndexMap::new()),
        kind,
    }));
    if let Some((m, owner)) = user_init {
        it.invoke(m, owner, obj.clone(), &args, block)?;
    } else if !is_exc && !args.is_empty() {
        return it.argc(args.len(), "0");
    }
    Ok(obj)
}

pub fn class_call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    // what a module answers to, not one of its functions (`JSON.respond_to?(:generate)`)
    if name == "respond_to?" {
        return call(it, c);
    }
    if let Some(v) = super::super::stdlib::class_call(it, c)? {
        return Ok(Some(v));
    }
    // `Kernel.format(...)`: Kernel's functions are its module functions too
    if matches!(recv, Value::Class(k) if &*k.name == "Kernel")
        && super::kernel::FUNCTIONS.contains(&name)
    {
        return super::kernel::call(it, c);
    }
    let Value::Class(c) = recv else {
        return Ok(None);
    };
    Ok(Some(match name {
        // `Object.new`: a plain object, for a sentinel or to hold instance variables
        "new" if !c.builtin || it.is_a_class(c, "Exception") || &*c.name == "Object" => {
            new_object(it, c, args.to_vec(), block)?
        }
        "exception" => new_object(it, c, args.to_vec(), block)?,
        "name" => Value::frozen_str(c.name.clone()),
        "to_s" | "inspect" => Value::str(c.name.clone()),
        "===" => Value::Bool(it.is_a(&arg(args, 0), &c.name)),
        "==" => Value::Bool(matches!(arg(args, 0), Value::Class(o) if o.name == c.name)),
        // strict for `<` and `>`; nil for classes apart, as Ruby's Module#< answers
        "<" | "<=" | ">" | ">=" => match arg(args, 0) {
            Value::Class(o) => match super::compare::class_order(it, c, &o) {
                Some(ord) => Value::Bool(match name {
                    "<" => ord.is_lt(),
                    "<=" => ord.is_le(),
                    ">" => ord.is_gt(),
                    _ => ord.is_ge(),
                }),
                None => Value::Nil,
            },
            _ => return it.type_err("compared with non class/module"),
        },
        "<=>" => match arg(args, 0) {
            Value::Class(o) => {
                super::compare::class_order(it, c, &o).map_or(Value::Nil, |o| Value::Int(o as i64))
            }
            _ => Value::Nil,
        },
        "superclass" => c.superclass.clone().map(Value::Class).unwrap_or(Value::Nil),
        "ancestors" => {
            let mut out = vec![];
            let mut cur = Some(c.clone());
            while let Some(k) = cur {
                out.push(Value::Class(k.clone()));
                for m in super::super::classes::included(&k.name) {
                    out.extend(it.classes.get(m).map(Value::Class));
                }
                cur = k.superclass.clone();
            }
            Value::array(out)
        }
        "include?" => Value::Bool(match arg(args, 0) {
            Value::Class(m) if m.is_module => m.name != c.name && it.is_a_class(c, &m.name),
            _ => return it.type_err("wrong argument type, expected Module"),
        }),
        "const_get" => it.const_get(&format::to_s(&arg(args, 0)), f)?,
        "method_defined?" | "instance_methods" => Value::Bool(
            c.methods
                .borrow()
                .contains_key(format::to_s(&arg(args, 0)).as_str()),
        ),
        "class_eval" | "module_eval" => return it.unsupported("class_eval"),
        _ => return Ok(None),
    }))
}

pub fn raise_value(it: &mut Interp, args: &[Value]) -> R<Value> {
    let exc = match (args.first(), args.get(1)) {
        (None, _) => match &it.current_exc {
            Some(e) => e.clone(),
            None => it.make_exc("RuntimeError", "unhandled exception"),
        },
        (Some(Value::Str(s)), _) => it.make_exc("RuntimeError", s.borrow().clone()),
        (Some(Value::Class(c)), msg) => {
            let m = msg.map(format::to_s);
            let args = m.map(|m| vec![Value::str(m)]).unwrap_or_default();
            new_object(it, c, args, None)?
        }
        (Some(v @ Value::Object(o)), msg) if matches!(o.kind, ObjKind::Exception(_)) => {
            if let (Some(m), ObjKind::Exception(cell)) = (msg, &o.kind) {
                *cell.borrow_mut() = format::to_s(m);
            }
            v.clone()
        }
        (Some(_), _) => return it.type_err("exception class/object expected"),
    };
    Err(Flow::err(RbErr { exc, line: it.line }))
}

/// `equal?`: the same object. Strings, arrays, hashes, ranges, big integers, procs and
/// objects are objects of their own; small integers, floats, symbols, nil and booleans are
/// the same object whenever they are equal.
pub(super) fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y),
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Hash(x), Value::Hash(y)) => Rc::ptr_eq(x, y),
        (Value::Range(x), Value::Range(y)) => Rc::ptr_eq(x, y),
        (Value::Big(x), Value::Big(y)) => Rc::ptr_eq(x, y),
        (Value::Proc(x), Value::Proc(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => rb_eq(a, b),
    }
}
