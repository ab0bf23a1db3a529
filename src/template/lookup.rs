//! Reading the property tree as the director's `p` does: a dot path walked with each
//! value's own `[]`, several names tried in turn, a default, and the error naming them all.
//! Each value found is told to the caller with how it was reached (`handed.rs`).

use rubyerb::{format, Frame, Interp, Value, R};

use super::handed::Via;

/// Dot-path lookup with each value's own `[]` (a string is searched for the segment).
pub fn lookup(it: &mut Interp, tree: &Value, name: &Value, f: &Frame) -> R<Value> {
    Ok(lookup_via(it, tree, name, f)?.0)
}

/// [`lookup`], saying how the value was reached.
pub(super) fn lookup_via(
    it: &mut Interp,
    tree: &Value,
    name: &Value,
    f: &Frame,
) -> R<(Value, Via)> {
    let Value::Str(name) = name else {
        return it.no_method(name, "split");
    };
    if tree.is_nil() {
        return Ok((Value::Nil, Via::Keys));
    }
    let mut node = tree.clone();
    // Present keys are read with the name borrowed; the rest of the path is copied before
    // anything runs that could change the name (a default proc, another object's `[]`).
    let rest = {
        let name = name.borrow();
        // Ruby's `split('.')` drops trailing empty fields ("a." is ["a"], "" and ".." are [])
        let path = name.trim_end_matches('.');
        if path.is_empty() {
            return Ok((node, Via::Keys));
        }
        let mut segs = super::bind::dots(path);
        loop {
            let Some(seg) = segs.next() else {
                return Ok((node, Via::Keys));
            };
            let found = match &node {
                Value::Hash(h) => h.borrow().get_str(seg).cloned(),
                _ => None,
            };
            match found {
                Some(Value::Nil) => return Ok((Value::Nil, Via::Keys)),
                Some(v) => node = v,
                None => break path[seg.as_ptr() as usize - path.as_ptr() as usize..].to_string(),
            }
        }
    };
    let mut via = Via::Keys;
    for seg in super::bind::dots(&rest) {
        node = match &node {
            Value::Hash(h) => {
                // a present key is read in place; a missing one goes through the hash's
                // default or default proc, which may want the key as a string
                let found = h.borrow().get_str(seg).cloned();
                match found {
                    Some(v) => v,
                    None => {
                        via = Via::Other;
                        rubyerb::methods::hash::lookup(it, &node, &Value::str(seg))?
                    }
                }
            }
            Value::Str(s) => {
                via = Via::Made;
                if s.borrow().contains(seg) {
                    Value::str(seg)
                } else {
                    Value::Nil
                }
            }
            Value::Array(_) | Value::Int(_) => {
                return it.type_err("no implicit conversion of String into Integer")
            }
            other => {
                via = Via::Other;
                it.call_method(other.clone(), "[]", vec![Value::str(seg)], None, f)?
            }
        };
        if node.is_nil() {
            return Ok((Value::Nil, via));
        }
    }
    Ok((node, via))
}

/// What `p` and `if_p` tell about each value they found (the main tree's parts given).
pub(super) type Gave<'a> = Option<&'a dyn Fn(&Value, &Value, Via)>;

fn unknown_property(it: &Interp, names: &[Value]) -> rubyerb::Flow {
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
pub(super) fn p(it: &mut Interp, tree: &Value, args: &[Value], f: &Frame, gave: Gave) -> R<Value> {
    if args.is_empty() {
        return it.argc(0, "1+");
    }
    let list;
    let names = match &args[0] {
        Value::Array(_) | Value::Hash(_) | Value::Nil => {
            list = names_of(&args[0]);
            list.as_slice()
        }
        one => std::slice::from_ref(one),
    };
    for n in names {
        let (v, via) = lookup_via(it, tree, n, f)?;
        if !v.is_nil() {
            if let Some(gave) = gave {
                gave(n, &v, via);
            }
            return Ok(v);
        }
    }
    if args.len() == 2 {
        return Ok(args[1].clone());
    }
    Err(unknown_property(it, names))
}
