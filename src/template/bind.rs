//! `Job#bind_properties`: the director's property tree for one job, built from the spec's
//! declarations and the context's manifest properties. Only the declared names are read
//! from the manifest, straight from its JSON: the rest of it never becomes Ruby values.

use rubyerb::data::Data;
use rubyerb::{Interp, RHash, Value};

use super::api::Api;
use super::job::Failure;
use super::shared::Shared;

/// Ruby's `ArgumentError` when two property keys cannot be ordered.
#[derive(Debug, thiserror::Error)]
#[error("comparison of Array with Array failed")]
struct Incomparable;

fn spec_failure(class: &str, message: String) -> Failure {
    Failure {
        path: "spec".into(),
        line: 0,
        message,
        class: class.into(),
    }
}

/// The director's property tree of a job: each declared property (spec order) from the
/// manifest, else its default; hashes sorted by key when `sort` (as the director sorts).
pub(super) fn bind_properties(
    spec: &Data,
    manifest: &serde_json::Value,
    sort: bool,
    limits: rubyerb::Limits,
) -> Result<Value, Failure> {
    let Some(Data::Hash(props)) = spec.get("properties") else {
        return Ok(Value::hash(RHash::new()));
    };
    // (room for every property at the top: most names have one segment)
    let bound_v = Value::hash(RHash::with_capacity(props.len()));
    // Unsorted, the tree holds the manifest's own hashes, and a property stored under one
    // of them is seen by a later lookup through the manifest (as on the director): that
    // needs the whole manifest as Ruby values. Sorted, every stored hash is a new one.
    let ruby_manifest = (!sort).then(|| rubyerb::from_json(manifest, false));
    // one list of segments for every name (borrowed from the names, all read first)
    let names: Vec<std::borrow::Cow<str>> = props.iter().map(|(k, _)| k.to_s()).collect();
    let mut segs: Vec<&str> = Vec::new();
    let mut walked = Vec::new();
    // (how many names, this one included, are still to be stored)
    let mut rest = names.len();
    for ((_, def), pname) in props.iter().zip(&names) {
        segs.clear();
        segs.extend(dots(pname));
        let found = match &ruby_manifest {
            Some(m) => find_ruby(m, &segs, pname)?,
            None => find_json(manifest, &segs, pname)?.map(sorted_json),
        };
        let value = match found {
            Some(v) => v,
            None => match def.get("default") {
                None => Value::Nil,
                Some(d) if sort => sorted_data(d, limits)
                    .map_err(|e| spec_failure("ArgumentError", e.to_string()))?,
                Some(d) => d.to_value(),
            },
        };
        let later = &names[names.len() - rest..];
        store(&bound_v, &mut walked, &segs, value, |depth| {
            children(pname, &segs[..=depth], later)
        })?;
        rest -= 1;
    }
    Ok(bound_v)
}

/// The segments of a dot path, as `split('.')` gives them, found by a byte comparison
/// (the character searcher behind `split` costs more than the short names it splits).
pub(super) fn dots(s: &str) -> Dots<'_> {
    Dots(Some(s))
}

pub(super) struct Dots<'a>(Option<&'a str>);

impl<'a> Iterator for Dots<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.0?;
        match s.bytes().position(|b| b == b'.') {
            Some(i) => {
                self.0 = Some(&s[i + 1..]);
                Some(&s[..i])
            }
            None => {
                self.0 = None;
                Some(s)
            }
        }
    }
}

fn expects_hash(pname: &str, class: &str) -> Failure {
    spec_failure(
        "Bosh::Common::Template::InvalidPropertyType",
        format!("Property '{pname}' expects a hash, but received '{class}'"),
    )
}

/// The manifest value at `segs` (`None` for nil or missing), checking as the director does
/// that each level walked through is a hash.
fn find_json<'m>(
    manifest: &'m serde_json::Value,
    segs: &[&str],
    pname: &str,
) -> Result<Option<&'m serde_json::Value>, Failure> {
    let mut node = manifest;
    for seg in segs {
        let serde_json::Value::Object(o) = node else {
            return Err(expects_hash(pname, json_class(node)));
        };
        match json_get(o, seg) {
            None | Some(serde_json::Value::Null) => return Ok(None),
            Some(n) => node = n,
        }
    }
    Ok(Some(node))
}

/// `o[k]`: a manifest's hashes mostly have a few keys, compared faster than the key is
/// hashed (keys are unique, so the first equal one is the one `get` finds).
fn json_get<'m>(
    o: &'m serde_json::Map<String, serde_json::Value>,
    k: &str,
) -> Option<&'m serde_json::Value> {
    if o.len() <= 8 {
        o.iter().find(|(n, _)| n.as_str() == k).map(|(_, v)| v)
    } else {
        o.get(k)
    }
}

/// How many distinct segments follow `prefix` (segments of `name`) among `names` in a row
/// from `name`'s own: the room a hash made at `prefix` needs when the names under it are
/// listed together, as specs list them (a hash that needs more grows as before).
fn children(name: &str, prefix: &[&str], names: &[std::borrow::Cow<str>]) -> usize {
    let Some(last) = prefix.last() else { return 0 };
    let len = last.as_ptr() as usize - name.as_ptr() as usize + last.len();
    let head = &name.as_bytes()[..len];
    let mut count = 0;
    let mut prev: Option<&[u8]> = None;
    for n in names {
        let n = n.as_bytes();
        if n.len() <= len || &n[..len] != head || n[len] != b'.' {
            break;
        }
        let tail = &n[len + 1..];
        let seg = &tail[..tail.iter().position(|&b| b == b'.').unwrap_or(tail.len())];
        if prev != Some(seg) {
            count += 1;
            prev = Some(seg);
        }
    }
    count
}

/// [`find_json`] over the manifest as Ruby values (shared with the bound tree).
fn find_ruby(manifest: &Value, segs: &[&str], pname: &str) -> Result<Option<Value>, Failure> {
    let mut node = manifest.clone();
    for seg in segs {
        let Value::Hash(h) = &node else {
            return Err(expects_hash(pname, &node.class_name()));
        };
        let next = h.borrow().get_str(seg).cloned().unwrap_or(Value::Nil);
        if next.is_nil() {
            return Ok(None);
        }
        node = next;
    }
    Ok(Some(node))
}

/// Ruby's class of what [`rubyerb::from_json`] makes of `j`.
fn json_class(j: &serde_json::Value) -> &'static str {
    match j {
        serde_json::Value::Null => "NilClass",
        serde_json::Value::Bool(true) => "TrueClass",
        serde_json::Value::Bool(false) => "FalseClass",
        serde_json::Value::Number(n) if n.as_i64().is_some() => "Integer",
        serde_json::Value::Number(_) => "Float",
        serde_json::Value::String(_) => "String",
        serde_json::Value::Array(_) => "Array",
        serde_json::Value::Object(_) => "Hash",
    }
}

/// Stores `value` at `segs` in the tree, making the hashes on the way. `walked` holds the
/// nodes the previous store walked through, by segment: names in spec order share leading
/// segments (`a.b.x`, `a.b.y`), whose nodes are then not looked up again. They are still
/// what a lookup would find: a store changes the tree only under its last segment, which
/// is below every node it walked through (the tree shares no hash between two places).
/// `room(d)` is the size hint of a hash made at `segs[..=d]`.
fn store<'n>(
    bound: &Value,
    walked: &mut Vec<(&'n str, Value)>,
    segs: &[&'n str],
    value: Value,
    room: impl Fn(usize) -> usize,
) -> Result<(), Failure> {
    let prefix = &segs[..segs.len() - 1];
    let same = walked
        .iter()
        .zip(prefix)
        .take_while(|((w, _), s)| w == *s)
        .count();
    walked.truncate(same);
    let mut cur = match walked.last() {
        Some((_, v)) => v.clone(),
        None => bound.clone(),
    };
    // (a node under something that is no hash belongs to no tree: not kept)
    let mut attached = true;
    for (depth, seg) in prefix.iter().enumerate().skip(same) {
        let next = match &cur {
            Value::Hash(h) => h.borrow().get_str(seg).cloned().unwrap_or(Value::Nil),
            _ => {
                attached = false;
                Value::Nil
            }
        };
        let next = if next.truthy() {
            next
        } else {
            let n = Value::hash(RHash::with_capacity(room(depth)));
            if let Value::Hash(h) = &cur {
                h.borrow_mut().insert(Value::str(*seg), n.clone());
            }
            n
        };
        if attached {
            walked.push((seg, next.clone()));
        }
        cur = next;
    }
    match &cur {
        Value::Hash(h) => h
            .borrow_mut()
            .insert(Value::str(*segs.last().unwrap()), value),
        Value::Str(_) => {
            return Err(spec_failure(
                "TypeError",
                "no implicit conversion of String into Integer".into(),
            ))
        }
        _ => {}
    }
    Ok(())
}

/// `sort_property` of the manifest value: JSON keys are strings, which Ruby orders by
/// their bytes, so each hash is built sorted. Arrays are not entered (nor does the
/// director sort hashes inside them).
fn sorted_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Object(o) => {
            let mut pairs: Vec<(&String, &serde_json::Value)> = o.iter().collect();
            pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let mut h = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                h.insert(Value::str(k.as_str()), sorted_json(v));
            }
            Value::hash(h)
        }
        other => rubyerb::from_json(other, false),
    }
}

/// `sort_property` of a spec default: string keys are sorted directly; a hash with any
/// other key is sorted by Ruby's `<=>` (which may refuse, as Ruby does).
fn sorted_data(d: &Data, limits: rubyerb::Limits) -> Result<Value, Incomparable> {
    fn string_keys(d: &Data) -> bool {
        match d {
            Data::Hash(pairs) => pairs
                .iter()
                .all(|(k, v)| matches!(k, Data::Str(_)) && string_keys(v)),
            _ => true,
        }
    }
    fn sorted(d: &Data) -> Value {
        match d {
            Data::Hash(pairs) => {
                let mut order: Vec<&(Data, Data)> = pairs.iter().collect();
                order.sort_by(|a, b| match (&a.0, &b.0) {
                    (Data::Str(x), Data::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
                    _ => std::cmp::Ordering::Equal,
                });
                let mut h = RHash::with_capacity(order.len());
                for (k, v) in order {
                    h.insert(k.to_value(), sorted(v));
                }
                Value::hash(h)
            }
            other => other.to_value(),
        }
    }
    if string_keys(d) {
        return Ok(sorted(d));
    }
    let (fields, links, none) = (
        Default::default(),
        Default::default(),
        serde_json::Value::Null,
    );
    let shared = Shared::new(&fields, &links, &none);
    let api = Api::new(&shared, Value::Nil, Default::default(), limits);
    let mut it = Interp::with_limits(&api, limits);
    sort_property(&mut it, &d.to_value())
}

fn sort_property(it: &mut Interp, v: &Value) -> Result<Value, Incomparable> {
    match v {
        Value::Hash(h) => {
            let mut pairs = h.borrow().pairs();
            for p in pairs.iter_mut() {
                p.1 = sort_property(it, &p.1)?;
            }
            let f = it.top_frame();
            let mut failed = false;
            pairs.sort_by(
                |a, b| match rubyerb::methods::enumerable::cmp(it, &a.0, &b.0, &f) {
                    Ok(o) => o,
                    Err(_) => {
                        failed = true;
                        std::cmp::Ordering::Equal
                    }
                },
            );
            if failed {
                return Err(Incomparable);
            }
            let mut n = RHash::with_capacity(pairs.len());
            for (k, v) in pairs {
                n.insert(k, v);
            }
            Ok(Value::hash(n))
        }
        other => Ok(other.clone()),
    }
}

/// Ruby `==` between a value and what [`rubyerb::from_json`] makes of `j`, without making
/// it: whether a template changed the links it was given.
pub(super) fn rb_eq_json(v: &Value, j: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (v, j) {
        (Value::Nil, J::Null) => true,
        (Value::Bool(x), J::Bool(y)) => x == y,
        (Value::Int(_) | Value::Float(_), J::Number(n)) => match (v, n.as_i64()) {
            (Value::Int(x), Some(i)) => *x == i,
            (Value::Float(x), Some(i)) => (i as f64) == *x,
            (Value::Int(x), None) => (*x as f64) == n.as_f64().unwrap_or(0.0),
            (Value::Float(x), None) => *x == n.as_f64().unwrap_or(0.0),
            _ => false,
        },
        (Value::Str(x), J::String(y)) => *x.borrow() == *y,
        (Value::Array(x), J::Array(y)) => {
            let x = x.borrow();
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| rb_eq_json(a, b))
        }
        (Value::Hash(x), J::Object(y)) => {
            let x = x.borrow();
            // the links' Ruby hashes were made from this JSON, in its order: a key at the
            // same place is found without hashing it (keys are unique on both sides)
            x.len() == y.len()
                && x.map
                    .iter()
                    .zip(y.iter())
                    .all(|((k, (_, v)), (jk, jv))| match k {
                        rubyerb::value::HKey::Str(k) if **k == **jk => rb_eq_json(v, jv),
                        rubyerb::value::HKey::Str(k) => {
                            y.get(&**k).is_some_and(|w| rb_eq_json(v, w))
                        }
                        _ => false,
                    })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dots_splits_as_split_does() {
        for s in [
            "",
            ".",
            "..",
            "a",
            "a.b",
            "a..b",
            ".a",
            "a.",
            "é.ü.",
            "a.b.c.d.e",
        ] {
            let want: Vec<&str> = s.split('.').collect();
            assert_eq!(super::dots(s).collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    /// The short scan finds what `get` finds, present or not, on either side of its size.
    #[test]
    fn json_get_agrees_with_get() {
        for n in [0, 1, 2, 8, 9, 20] {
            let mut o = serde_json::Map::new();
            for i in 0..n {
                o.insert(format!("k{i}"), serde_json::json!(i));
            }
            for k in ["k0", "k1", "k7", "k8", "k19", "k", "k00", ""] {
                assert_eq!(super::json_get(&o, k), o.get(k), "{n} {k:?}");
            }
        }
    }

    #[test]
    fn children_counts_the_distinct_segments_in_a_row() {
        let names: Vec<std::borrow::Cow<str>> = ["a.b.x", "a.b.y", "a.c", "ab.d", "a.e"]
            .into_iter()
            .map(Into::into)
            .collect();
        let segs: Vec<&str> = super::dots(&names[0]).collect();
        assert_eq!(super::children(&names[0], &segs[..1], &names), 2);
        assert_eq!(super::children(&names[0], &segs[..2], &names), 2);
        let segs: Vec<&str> = super::dots(&names[2]).collect();
        assert_eq!(super::children(&names[2], &segs[..1], &names[2..]), 1);
    }
}
