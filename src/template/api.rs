//! The evaluation API every template sees: `p`, `if_p`, `link`, `if_link`, `spec`, `name`,
//! `index`, `properties`, the else-objects, link and instance objects, and BOSH DNS
//! addresses for `link.address`.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::dns::link_address;
use super::format;
use super::interp::{Frame, Interp, R};
use super::methods::arg;
use super::value::{LinkData, ObjKind, Object, RHash, Value};

pub const METHODS: &[&str] = &[
    "p",
    "if_p",
    "link",
    "if_link",
    "spec",
    "name",
    "index",
    "properties",
    "raw_properties",
    "lookup_property",
    "set_property",
    "sort_property",
    "validate_properties_format",
    "copy_property",
];

/// What the API reads: the section-3 spec hash (properties and links included) and the DNS
/// tables behind `link.address`.
pub struct Api {
    pub spec: Value,
    pub links: Value,
    pub dns: Dns,
}

#[derive(Default, Clone)]
pub struct Dns {
    pub az_ids: IndexMap<String, String>,
    pub network_ids: IndexMap<String, String>,
    pub group_ids: IndexMap<String, String>,
    pub instance_ids: IndexMap<String, String>,
}

pub(super) fn hget(v: &Value, k: &str) -> Value {
    match v {
        Value::Hash(h) => h.borrow().get_str(k).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// Dot-path lookup with each value's own `[]` (a string is searched for the segment).
pub fn lookup(it: &mut Interp, tree: &Value, name: &Value, f: &Frame) -> R<Value> {
    let name = match name {
        Value::Str(s) => s.borrow().clone(),
        Value::Sym(_) => return it.no_method(name, "split"),
        other => return it.no_method(other, "split"),
    };
    if tree.is_nil() {
        return Ok(Value::Nil);
    }
    let mut node = tree.clone();
    for seg in name
        .split('.')
        .collect::<Vec<_>>()
        .iter()
        .rev()
        .skip_while(|s| s.is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        node = match &node {
            Value::Hash(_) => super::methods::hash::lookup(it, &node, &Value::str(*seg))?,
            Value::Str(s) => {
                if s.borrow().contains(*seg) {
                    Value::str(*seg)
                } else {
                    Value::Nil
                }
            }
            Value::Array(_) | Value::Int(_) => {
                return it.type_err("no implicit conversion of String into Integer")
            }
            other => it.call_method(other.clone(), "[]", vec![Value::str(*seg)], None, f, false)?,
        };
        if node.is_nil() {
            return Ok(Value::Nil);
        }
    }
    Ok(node)
}

fn unknown_property(it: &Interp, names: &[Value]) -> super::interp::Flow {
    let list = format::inspect(&Value::array(names.to_vec()));
    match it.err::<()>(
        "Bosh::Common::Template::UnknownProperty",
        format!("Can't find property '{list}'"),
    ) {
        Err(e) => e,
        Ok(_) => unreachable!(),
    }
}

fn names_of(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.borrow().clone(),
        Value::Nil => vec![],
        Value::Hash(h) => h
            .borrow()
            .pairs()
            .into_iter()
            .map(|(k, v)| Value::array(vec![k, v]))
            .collect(),
        other => vec![other.clone()],
    }
}

/// `p` over a property tree.
fn p(it: &mut Interp, tree: &Value, args: &[Value], f: &Frame) -> R<Value> {
    if args.is_empty() {
        return it.argc(0, "1+");
    }
    let names = names_of(&args[0]);
    for n in &names {
        let v = lookup(it, tree, n, f)?;
        if !v.is_nil() {
            return Ok(v);
        }
    }
    if args.len() == 2 {
        return Ok(args[1].clone());
    }
    Err(unknown_property(it, &names))
}

/// `if_p` over a property tree; `owner` answers `else_if_p`.
fn if_p(
    it: &mut Interp,
    tree: &Value,
    owner: Value,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Value> {
    let mut values = Vec::new();
    for n in args {
        let v = lookup(it, tree, n, f)?;
        if v.is_nil() {
            return Ok(else_obj(it, Some(owner)));
        }
        values.push(v);
    }
    match block {
        Some(b) => {
            it.call_block(&b, values)?;
        }
        None => return it.err("LocalJumpError", "no block given (yield)"),
    }
    Ok(else_obj(it, None))
}

fn else_obj(it: &Interp, active_owner: Option<Value>) -> Value {
    let (cls, kind) = match active_owner {
        Some(o) => (
            "Bosh::Common::Template::EvaluationContext::ActiveElseBlock",
            ObjKind::ElseActive(o),
        ),
        None => (
            "Bosh::Common::Template::EvaluationContext::InactiveElseBlock",
            ObjKind::ElseInactive,
        ),
    };
    Value::Object(Rc::new(Object {
        class: it.classes.get(cls).unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind,
    }))
}

fn find_link(it: &mut Interp, name: &Value, f: &Frame) -> R<Option<Value>> {
    let links = it.api.links.clone();
    let ls = lookup(it, &links, name, f)?;
    match &ls {
        Value::Hash(h) if h.borrow().get_str("instances").is_some() => Ok(Some(ls.clone())),
        _ => Ok(None),
    }
}

fn link_obj(it: &Interp, spec: Value) -> Value {
    let instances: Vec<Value> = match hget(&spec, "instances") {
        Value::Array(a) => a
            .borrow()
            .iter()
            .map(|i| {
                Value::Object(Rc::new(Object {
                    class: it
                        .classes
                        .get("Bosh::Common::Template::EvaluationLinkInstance")
                        .unwrap(),
                    ivars: RefCell::new(IndexMap::new()),
                    kind: ObjKind::Instance(i.clone()),
                }))
            })
            .collect(),
        _ => vec![],
    };
    let properties = hget(&spec, "properties");
    Value::Object(Rc::new(Object {
        class: it
            .classes
            .get("Bosh::Common::Template::EvaluationLink")
            .unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::Link(Rc::new(LinkData {
            spec,
            instances: Value::array(instances),
            properties,
        })),
    }))
}

/// Methods called on the context (`self`), or `None` if `name` is not part of the API.
pub fn call(
    it: &mut Interp,
    name: &str,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Option<Value>> {
    let v = match name {
        "p" => {
            let tree = it.raw_props.clone();
            p(it, &tree, args, f)?
        }
        "if_p" => {
            let tree = it.raw_props.clone();
            let ctx = it.ctx.clone();
            if_p(it, &tree, ctx, args, block, f)?
        }
        "link" => {
            let n = arg(args, 0);
            match find_link(it, &n, f)? {
                Some(ls) => link_obj(it, ls),
                None => {
                    return it.err(
                        "Bosh::Common::Template::UnknownLink",
                        format!("Can't find link '{}'", format::to_s(&n)),
                    )
                }
            }
        }
        "if_link" => {
            let n = arg(args, 0);
            match find_link(it, &n, f)? {
                Some(ls) => {
                    let l = link_obj(it, ls);
                    match block {
                        Some(b) => {
                            it.call_block(&b, vec![l])?;
                        }
                        None => return it.err("LocalJumpError", "no block given (yield)"),
                    }
                    else_obj(it, None)
                }
                None => {
                    let ctx = it.ctx.clone();
                    else_obj(it, Some(ctx))
                }
            }
        }
        "spec" if args.is_empty() => {
            if it.spec_obj.is_none() {
                let s = to_ostruct(&it.api.spec, true);
                it.spec_obj = Some(s);
            }
            it.spec_obj.clone().unwrap()
        }
        "properties" if args.is_empty() => {
            if it.props_obj.is_none() {
                let s = to_ostruct(&it.raw_props, false);
                it.props_obj = Some(s);
            }
            it.props_obj.clone().unwrap()
        }
        "raw_properties" => it.raw_props.clone(),
        "name" if args.is_empty() => hget(&it.api.spec, "name"),
        "index" if args.is_empty() => hget(&it.api.spec, "index"),
        "lookup_property" => lookup(it, &arg(args, 0), &arg(args, 1), f)?,
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// Nested OpenStruct-like objects over a hash (arrays stay arrays, their hashes converted).
pub fn to_ostruct(v: &Value, back_compat: bool) -> Value {
    let classes = super::classes::Classes::new();
    let cls = if back_compat {
        "Bosh::Common::Template::EvaluationContext::BackCompatOpenStruct"
    } else {
        "OpenStruct"
    };
    ostruct_tree(v, back_compat, &classes.get(cls).unwrap())
}

fn ostruct_tree(v: &Value, back_compat: bool, cls: &Rc<super::value::Class>) -> Value {
    match v {
        Value::Hash(h) => {
            let mut fields = IndexMap::new();
            for (k, v) in h.borrow().map.values() {
                fields.insert(format::to_s(k).into(), ostruct_tree(v, back_compat, cls));
            }
            Value::Object(Rc::new(Object {
                class: cls.clone(),
                ivars: RefCell::new(IndexMap::new()),
                kind: ObjKind::OStruct(RefCell::new(fields), back_compat),
            }))
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

fn ostruct_to_h(fields: &IndexMap<super::ast::Name, Value>, deep: bool) -> Value {
    let mut h = RHash::new();
    for (k, v) in fields {
        let v = match (deep, v) {
            (true, Value::Object(o)) => match &o.kind {
                ObjKind::OStruct(f, _) => ostruct_to_h(&f.borrow(), true),
                _ => v.clone(),
            },
            _ => v.clone(),
        };
        h.insert(Value::sym(k), v);
    }
    Value::hash(h)
}

/// Methods of API objects: OpenStructs, links, link instances, else-objects.
pub fn object_call(
    it: &mut Interp,
    recv: &Value,
    name: &str,
    args: &[Value],
    block: Option<Value>,
    f: &Frame,
) -> R<Option<Value>> {
    let Value::Object(o) = recv else {
        return Ok(None);
    };
    let v = match &o.kind {
        ObjKind::OStruct(fields, back_compat) => {
            let get = |k: &str| fields.borrow().get(k).cloned();
            match name {
                "[]" => get(&format::to_s(&arg(args, 0))).unwrap_or(Value::Nil),
                "[]=" => {
                    fields
                        .borrow_mut()
                        .insert(format::to_s(&arg(args, 0)).into(), arg(args, 1));
                    arg(args, 1)
                }
                "dig" => {
                    let first = get(&format::to_s(&arg(args, 0))).unwrap_or(Value::Nil);
                    if args.len() > 1 && !first.is_nil() {
                        it.call_method(first, "dig", args[1..].to_vec(), None, f, false)?
                    } else {
                        first
                    }
                }
                "to_h" => match block {
                    Some(b) => {
                        let h = ostruct_to_h(&fields.borrow(), false);
                        return super::methods::hash::call(it, &h, "to_h", &[], Some(b), f);
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
                        None => super::methods::enumerator::make(it, h, "each", vec![]),
                    }
                }
                "methods" if *back_compat && matches!(arg(args, 0), Value::Bool(false)) => {
                    Value::array(fields.borrow().keys().map(|k| Value::sym(k)).collect())
                }
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
                "==" => Value::Bool(super::value::rb_eq(recv, &arg(args, 0))),
                n if n.ends_with('=') && args.len() == 1 && !matches!(n, "==" | "!=") => {
                    fields
                        .borrow_mut()
                        .insert(n[..n.len() - 1].into(), args[0].clone());
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
            }
        }
        ObjKind::Link(l) => match name {
            "p" => p(it, &l.properties.clone(), args, f)?,
            "if_p" => if_p(it, &l.properties.clone(), recv.clone(), args, block, f)?,
            "instances" => l.instances.clone(),
            "properties" => l.properties.clone(),
            "address" => link_address(it, &l.spec.clone(), &arg(args, 0))?,
            _ => return Ok(None),
        },
        ObjKind::Instance(h) => match name {
            "name" | "index" | "id" | "az" | "address" | "bootstrap" | "properties" => {
                hget(h, name)
            }
            "p" => p(it, &hget(h, "properties"), args, f)?,
            "if_p" => if_p(it, &hget(h, "properties"), recv.clone(), args, block, f)?,
            _ => return Ok(None),
        },
        ObjKind::ElseActive(owner) => match name {
            "else" => match block {
                Some(b) => it.call_block(&b, vec![])?,
                None => return it.err("LocalJumpError", "no block given (yield)"),
            },
            "else_if_p" => it.call_method(owner.clone(), "if_p", args.to_vec(), block, f, false)?,
            "else_if_link" => {
                it.call_method(owner.clone(), "if_link", args.to_vec(), block, f, false)?
            }
            _ => return Ok(None),
        },
        ObjKind::ElseInactive => match name {
            "else" => Value::Nil,
            "else_if_p" | "else_if_link" => else_obj(it, None),
            _ => return Ok(None),
        },
        _ => return Ok(None),
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
