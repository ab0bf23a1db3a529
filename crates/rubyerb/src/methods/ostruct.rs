//! OpenStruct: fields read and written as methods, nil for unknown reads.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::ast::Name;
use super::super::format;
use super::super::interp::{Interp, R};
use super::super::ofields::{FieldSource, OFields};
use super::super::value::{Class, Fields, FxBuild, HKey, ObjKind, Object, RHash, Value};
use super::super::MethodCall;
use super::arg;

/// Nested OpenStruct-like objects over a hash (arrays stay arrays, their hashes converted).
/// `back_compat` objects list their fields for `methods(false)`.
pub fn to_ostruct(v: &Value, back_compat: bool, class: &Rc<Class>) -> Value {
    ostruct_tree(v, back_compat, class)
}

/// [`to_ostruct`] of what [`crate::from_json`] makes of `j`, without making the hashes in
/// between: the spec fields a template's `spec` shows are converted from the context's
/// JSON each time.
pub fn json_ostruct(j: &serde_json::Value, back_compat: bool, class: &Rc<Class>) -> Value {
    match j {
        serde_json::Value::Object(o) => {
            let mut fields = Fields::with_capacity_and_hasher(o.len(), FxBuild::default());
            for (k, v) in o {
                fields.insert(k.as_str().into(), json_ostruct(v, back_compat, class));
            }
            ostruct_obj(fields, back_compat, class)
        }
        serde_json::Value::Array(a) => Value::array(
            a.iter()
                .map(|x| json_ostruct(x, back_compat, class))
                .collect(),
        ),
        other => crate::from_json(other, false),
    }
}

fn ostruct_fields(h: &RHash, back_compat: bool, cls: &Rc<Class>) -> Fields {
    let mut fields = Fields::with_capacity_and_hasher(h.len(), FxBuild::default());
    for (hk, (k, v)) in &h.map {
        // a string key's table entry holds its name already
        let name = match hk {
            HKey::Str(s) => s.clone(),
            _ => field_name(k),
        };
        fields.insert(name, ostruct_tree(v, back_compat, cls));
    }
    fields
}

fn ostruct_obj(fields: Fields, back_compat: bool, cls: &Rc<Class>) -> Value {
    with_fields(OFields::new(fields), back_compat, cls)
}

/// `OpenStruct.new(hash)`, or the `new` of a template's class that inherits it: Ruby walks
/// the argument with `each_pair` and makes each key a symbol.
pub fn new(it: &mut Interp, args: &[Value], cls: Rc<Class>) -> R<Value> {
    if args.len() > 1 {
        return it.argc(args.len(), "0..1");
    }
    let h = match arg(args, 0) {
        Value::Nil => Value::hash(RHash::new()),
        h => h,
    };
    let mut fields = Fields::default();
    match &h {
        Value::Hash(h) => {
            for (k, v) in h.borrow().map.values() {
                if !matches!(k, Value::Str(_) | Value::Sym(_)) {
                    return it.no_method(k, "to_sym");
                }
                fields.insert(field_name(k), v.clone());
            }
        }
        Value::Object(o) => match &o.kind {
            ObjKind::OStruct(f, _) => fields = f.borrow().clone(),
            _ => return it.no_method(&h, "each_pair"),
        },
        other => return it.no_method(other, "each_pair"),
    }
    Ok(Value::Object(Rc::new(Object {
        class: cls,
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::OStruct(OFields::new(fields), false),
    })))
}

/// An OpenStruct whose fields `source` makes when they are read (see [`OFields`]).
pub fn lazy_ostruct(source: Box<dyn FieldSource>, back_compat: bool, class: &Rc<Class>) -> Value {
    with_fields(OFields::lazy(source), back_compat, class)
}

fn with_fields(fields: OFields, back_compat: bool, cls: &Rc<Class>) -> Value {
    Value::Object(Rc::new(Object {
        class: cls.clone(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::OStruct(fields, back_compat),
    }))
}

/// Field `name` of an OpenStruct, made now if it was left to be made (`None` for another
/// value, or no such field).
pub fn field(v: &Value, name: &str) -> Option<Value> {
    match v {
        Value::Object(o) => match &o.kind {
            ObjKind::OStruct(fields, _) => fields.get(name),
            _ => None,
        },
        _ => None,
    }
}

fn ostruct_tree(v: &Value, back_compat: bool, cls: &Rc<Class>) -> Value {
    match v {
        Value::Hash(h) => {
            let fields = ostruct_fields(&h.borrow(), back_compat, cls);
            ostruct_obj(fields, back_compat, cls)
        }
        Value::Array(a) => Value::array(
            a.borrow()
                .iter()
                .map(|x| ostruct_tree(x, back_compat, cls))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A field's name from a hash key, allocated once (a symbol's name is shared).
pub fn field_name(k: &Value) -> Name {
    match k {
        Value::Sym(s) => s.clone(),
        Value::Str(s) => Name::from(s.borrow().as_str()),
        k => format::to_s(k).into(),
    }
}

/// What Psych writes for an OpenStruct (its `encode_with`): the tag `!ruby/object:` and
/// the class's name, over a mapping of the fields by their names as strings; and for a
/// Complex, its parts as `real` and `image`. `None` for any other value.
pub fn yaml_view(v: &Value) -> Option<(String, Value)> {
    let Value::Object(o) = v else { return None };
    if let ObjKind::Complex(re, im) = o.kind {
        let mut h = RHash::with_capacity(2);
        h.insert(Value::str("real"), Value::Float(re));
        h.insert(Value::str("image"), Value::Float(im));
        return Some(("!ruby/object:Complex".into(), Value::hash(h)));
    }
    if matches!(o.kind, ObjKind::Plain) {
        // Psych's plain object: its instance variables by name, without their `@`
        let mut h = RHash::new();
        // (a MatchData has none in Ruby; bale's hold the match)
        if &*o.class.name != "MatchData" {
            for (k, v) in o.ivars.borrow().iter() {
                h.insert(Value::str(k.trim_start_matches('@')), v.clone());
            }
        }
        let tag = match &*o.class.name {
            "Object" => "!ruby/object".to_string(),
            name => format!("!ruby/object:{name}"),
        };
        return Some((tag, Value::hash(h)));
    }
    let ObjKind::OStruct(fields, _) = &o.kind else {
        return None;
    };
    let fields = fields.borrow();
    let mut h = RHash::with_capacity(fields.len());
    for (k, v) in fields.iter() {
        h.insert(Value::str(&**k), v.clone());
    }
    Some((format!("!ruby/object:{}", o.class.name), Value::hash(h)))
}

fn ostruct_to_h(fields: &Fields, deep: bool) -> Value {
    let mut h = RHash::with_capacity(fields.len());
    for (k, v) in fields {
        let v = match (deep, v) {
            (true, Value::Object(o)) => match &o.kind {
                ObjKind::OStruct(f, _) => ostruct_to_h(&f.borrow(), true),
                _ => v.clone(),
            },
            _ => v.clone(),
        };
        h.insert(Value::Sym(k.clone()), v);
    }
    Value::hash(h)
}

/// Methods of an OpenStruct; `Ok(None)` for a name Object answers.
pub fn call(it: &mut Interp, c: &MethodCall) -> R<Option<Value>> {
    let MethodCall {
        recv,
        name,
        args,
        f,
        ..
    } = *c;
    let block = c.block.clone();
    let Value::Object(o) = recv else {
        return Ok(None);
    };
    let ObjKind::OStruct(fields, back_compat) = &o.kind else {
        return Ok(None);
    };
    let get = |k: &str| fields.get(k);
    let v = match name {
        "[]" if args.len() != 1 => return it.argc(args.len(), "1"),
        "[]=" if args.len() != 2 => return it.argc(args.len(), "2"),
        "[]" => get(&format::to_s(&arg(args, 0))).unwrap_or(Value::Nil),
        "[]=" => {
            let added = fields
                .borrow_mut()
                .insert(format::to_s(&arg(args, 0)).into(), arg(args, 1))
                .is_none();
            if added {
                it.account_entry()?;
            }
            arg(args, 1)
        }
        "dig" => {
            if args.is_empty() {
                return it.arg_err("wrong number of arguments (given 0, expected 1+)");
            }
            let first = get(&format::to_s(&arg(args, 0))).unwrap_or(Value::Nil);
            if args.len() > 1 && !first.is_nil() {
                it.call_method(first, "dig", args[1..].to_vec(), None, f)?
            } else {
                first
            }
        }
        "to_h" => match block {
            Some(b) => {
                let h = ostruct_to_h(&fields.borrow(), false);
                let c = MethodCall {
                    recv: &h,
                    name: "to_h",
                    args: &[],
                    block: Some(b),
                    f,
                };
                return super::hash::call(it, &c);
            }
            None => ostruct_to_h(&fields.borrow(), false),
        },
        "marshal_dump" => ostruct_to_h(&fields.borrow(), false),
        "each_pair" => {
            let h = ostruct_to_h(&fields.borrow(), false);
            match block {
                Some(b) => {
                    for (k, v) in match &h {
                        Value::Hash(hh) => hh.borrow().pairs(),
                        _ => vec![],
                    } {
                        it.call_block(&b, vec![Value::array(vec![k, v])])?;
                    }
                    recv.clone()
                }
                None => super::enumerator::make(it, h, "each", vec![]),
            }
        }
        "methods" if *back_compat && matches!(arg(args, 0), Value::Bool(false)) => Value::array(
            fields
                .borrow()
                .keys()
                .map(|k| Value::Sym(k.clone()))
                .collect(),
        ),
        "respond_to?" => Value::Bool(
            fields
                .borrow()
                .contains_key(format::to_s(&arg(args, 0)).as_str())
                || is_object_method(&format::to_s(&arg(args, 0))),
        ),
        "delete_field" => fields
            .borrow_mut()
            .shift_remove(format::to_s(&arg(args, 0)).as_str())
            .unwrap_or(Value::Nil),
        "to_s" | "inspect" => Value::str(format::inspect(recv)),
        "==" => Value::Bool(super::super::value::rb_eq(recv, &arg(args, 0))),
        n if n.ends_with('=') && args.len() == 1 && !matches!(n, "==" | "!=") => {
            let added = fields
                .borrow_mut()
                .insert(n[..n.len() - 1].into(), args[0].clone())
                .is_none();
            if added {
                it.account_entry()?;
            }
            args[0].clone()
        }
        n => {
            if let Some(v) = get(n) {
                if args.is_empty() {
                    return Ok(Some(v));
                }
            }
            // OpenStruct answers nil for unknown attribute reads, but real methods first
            if args.is_empty() && block.is_none() && !is_object_method(n) {
                Value::Nil
            } else {
                return Ok(None);
            }
        }
    };
    Ok(Some(v))
}

fn is_object_method(n: &str) -> bool {
    matches!(
        n,
        "nil?"
            | "class"
            | "to_s"
            | "inspect"
            | "is_a?"
            | "kind_of?"
            | "respond_to?"
            | "send"
            | "public_send"
            | "dup"
            | "clone"
            | "freeze"
            | "frozen?"
            | "hash"
            | "object_id"
            | "tap"
            | "then"
            | "instance_variables"
            | "to_json"
            | "to_yaml"
            | "blank?"
            | "present?"
            | "presence"
            | "instance_of?"
            | "itself"
            | "methods"
            | "=="
            | "!="
            | "!"
            | "equal?"
            | "eql?"
            | "instance_variable_get"
    )
}
