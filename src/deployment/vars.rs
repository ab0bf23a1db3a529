//! `((placeholders))` filled from `-v`/`-l` values as the director's config-server step
//! fills them: on the manifest as read (keys keep their order), a placeholder that is a
//! whole value becomes the variable's value of any type, one inside a longer string is
//! replaced by its text; `((name.key))` reads into a hash; `((!name))` is `((name))`.
//! Placeholders with no value given stay as written.

use serde_json::{Map, Value};

use crate::interpolate::node::{Map as NodeMap, Node};

/// A variables map (`StaticVars::processed`) as JSON.
pub fn to_json(vars: &NodeMap) -> Value {
    node_json(&Node::Map(vars.clone()))
}

fn node_json(n: &Node) -> Value {
    match n {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::Uint(u) => Value::from(*u),
        Node::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Node::Str(s) => Value::String(s.clone()),
        Node::Seq(s) => Value::Array(s.iter().map(node_json).collect()),
        Node::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Node::Str(s) => s.clone(),
                        other => other.go_string(),
                    };
                    (key, node_json(v))
                })
                .collect(),
        ),
    }
}

fn lookup<'a>(vars: &'a Value, name: &str) -> Option<&'a Value> {
    let name = name.trim().trim_start_matches('!');
    let mut parts = name.split('.');
    let mut cur = vars.as_object()?.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The name of a placeholder that is the whole string.
fn whole(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("((")?.strip_suffix("))")?;
    (!inner.contains("((") && !inner.contains("))")).then_some(inner)
}

fn substitute_str(s: &str, vars: &Value) -> Option<Value> {
    if let Some(name) = whole(s) {
        return lookup(vars, name).cloned();
    }
    if !s.contains("((") {
        return None;
    }
    let mut out = String::new();
    let mut rest = s;
    let mut changed = false;
    while let Some(start) = rest.find("((") {
        let Some(len) = rest[start + 2..].find("))") else {
            break;
        };
        let name = &rest[start + 2..start + 2 + len];
        out.push_str(&rest[..start]);
        match lookup(vars, name) {
            Some(v) => {
                out.push_str(&text(v));
                changed = true;
            }
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    changed.then_some(Value::String(out))
}

/// Replaces placeholders throughout `doc` (map keys included when they are whole strings).
pub fn substitute(doc: &mut Value, vars: &Value) {
    match doc {
        Value::String(s) => {
            if let Some(v) = substitute_str(s, vars) {
                *doc = v;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| substitute(v, vars)),
        Value::Object(m) => {
            let old = std::mem::take(m);
            let mut new = Map::new();
            for (k, mut v) in old {
                substitute(&mut v, vars);
                let k = match substitute_str(&k, vars) {
                    Some(nk) => text(&nk),
                    None => k,
                };
                new.insert(k, v);
            }
            *m = new;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_values_keep_their_type_and_unknown_names_stay() {
        let vars = json!({"port": 8080, "cert": {"ca": "CA"}, "host": "db"});
        let mut doc = json!({"p": "((port))", "u": "http://((host)):((port))/((missing))",
            "ca": "((cert.ca))", "n": "((!port))", "left": "((missing))"});
        substitute(&mut doc, &vars);
        assert_eq!(
            doc,
            json!({"p": 8080, "u": "http://db:8080/((missing))", "ca": "CA", "n": 8080, "left": "((missing))"})
        );
    }
}
