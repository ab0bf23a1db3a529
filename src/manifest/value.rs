//! yaml.v2-style output of arbitrary YAML values (maps with sorted keys, block sequences at
//! the parent's indentation), for files whose shape bale does not fix, such as a stemcell's
//! `cloud_properties`.

use std::fmt::Write as _;

use serde_json::Value;

use super::yaml;

/// Writes `key: value` at `indent` spaces, value in block style.
pub fn write_field(out: &mut String, indent: usize, key: &str, v: &Value) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let _ = writeln!(out, "{pad}{}:", yaml::key(key));
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for k in keys {
                write_field(out, indent + 2, k, &m[k]);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let _ = writeln!(out, "{pad}{}:", yaml::key(key));
            write_items(out, indent, a);
        }
        other => {
            let _ = writeln!(out, "{pad}{}: {}", yaml::key(key), inline(other));
        }
    }
}

fn write_items(out: &mut String, indent: usize, items: &[Value]) {
    let pad = " ".repeat(indent);
    for it in items {
        match it {
            Value::Object(m) if !m.is_empty() => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut first = true;
                for k in keys {
                    let mut s = String::new();
                    write_field(&mut s, indent + 2, k, &m[k]);
                    if first {
                        // "- key: v" shares the dash's line.
                        let _ = write!(out, "{pad}- {}", &s[indent + 2..]);
                        first = false;
                    } else {
                        out.push_str(&s);
                    }
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let _ = writeln!(out, "{pad}-");
                write_items(out, indent + 2, a);
            }
            other => {
                let _ = writeln!(out, "{pad}- {}", inline(other));
            }
        }
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml::scalar(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_in_block_style() {
        let v: Value = serde_json::json!({"z": 1, "a": {"n": true, "l": ["x", "1"]}, "e": {}});
        let mut out = String::new();
        write_field(&mut out, 0, "cloud_properties", &v);
        assert_eq!(
            out,
            "cloud_properties:\n  a:\n    l:\n    - x\n    - \"1\"\n    \"n\": true\n  e: {}\n  z: 1\n"
        );
    }
}
