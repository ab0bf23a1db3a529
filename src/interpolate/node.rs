//! The data model `bosh interpolate` works on: what yaml.v2 decodes into `interface{}`
//! (nil, bool, int, uint64, float64, string, slices, and maps keyed by any scalar), with Go's
//! notions of key equality, type names (`%T`) and value printing (`%v`), because the CLI's
//! error texts show them.

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// Go's `int` (64-bit).
    Int(i64),
    /// Integers above `i64::MAX` (Go's `uint64`).
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// A map that keeps insertion order (output sorts keys anyway, as yaml.v2 does).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map(pub Vec<(Node, Node)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, key: &Node) -> Option<usize> {
        self.0.iter().position(|(k, _)| key_eq(k, key))
    }

    pub fn get(&self, key: &Node) -> Option<&Node> {
        self.position(key).map(|i| &self.0[i].1)
    }

    pub fn get_str(&self, key: &str) -> Option<&Node> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Node::Str(s) if s == key))
            .map(|(_, v)| v)
    }

    pub fn get_str_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0
            .iter_mut()
            .find(|(k, _)| matches!(k, Node::Str(s) if s == key))
            .map(|(_, v)| v)
    }

    /// Sets `key`, replacing the value of an equal key (Go map assignment).
    pub fn insert(&mut self, key: Node, value: Node) {
        match self.position(&key) {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &Node) -> Option<Node> {
        self.position(key).map(|i| self.0.remove(i).1)
    }

    /// String keys, sorted as Go's `sort.Strings` would (bytewise).
    pub fn string_keys_sorted(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .0
            .iter()
            .filter_map(|(k, _)| match k {
                Node::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        keys.sort();
        keys
    }
}

/// Go interface equality for map keys: same dynamic type and equal value (NaN never equal).
pub fn key_eq(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (Node::Int(x), Node::Int(y)) => x == y,
        (Node::Uint(x), Node::Uint(y)) => x == y,
        (Node::Float(x), Node::Float(y)) => x == y,
        (Node::Str(x), Node::Str(y)) => x == y,
        _ => false,
    }
}

impl Node {
    /// The Go type name `%T` prints for this value.
    pub fn go_type(&self) -> &'static str {
        match self {
            Node::Null => "<nil>",
            Node::Bool(_) => "bool",
            Node::Int(_) => "int",
            Node::Uint(_) => "uint64",
            Node::Float(_) => "float64",
            Node::Str(_) => "string",
            Node::Seq(_) => "[]interface {}",
            Node::Map(_) => "map[interface {}]interface {}",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as Go's `fmt` prints it with `%v`.
    pub fn go_v(&self) -> String {
        let mut out = String::new();
        self.write_go_v(&mut out);
        out
    }

    fn write_go_v(&self, out: &mut String) {
        match self {
            Node::Null => out.push_str("<nil>"),
            Node::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Node::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Node::Uint(u) => {
                let _ = write!(out, "{u}");
            }
            Node::Float(f) => out.push_str(&go_float(*f)),
            Node::Str(s) => out.push_str(s),
            Node::Seq(items) => {
                out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    it.write_go_v(out);
                }
                out.push(']');
            }
            Node::Map(m) => {
                // fmt sorts map keys: numbers by value, strings bytewise, nil first.
                let mut pairs: Vec<&(Node, Node)> = m.0.iter().collect();
                pairs.sort_by(|a, b| fmt_key_order(&a.0, &b.0));
                out.push_str("map[");
                for (i, (k, v)) in pairs.into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    k.write_go_v(out);
                    out.push(':');
                    v.write_go_v(out);
                }
                out.push(']');
            }
        }
    }
}

fn fmt_key_order(a: &Node, b: &Node) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // fmt's internal/fmtsort orders interface keys by type first, then value.
    let rank = |n: &Node| match n {
        Node::Null => 0,
        Node::Bool(_) => 1,
        Node::Int(_) => 2,
        Node::Uint(_) => 3,
        Node::Float(_) => 4,
        Node::Str(_) => 5,
        _ => 6,
    };
    match (a, b) {
        (Node::Bool(x), Node::Bool(y)) => x.cmp(y),
        (Node::Int(x), Node::Int(y)) => x.cmp(y),
        (Node::Uint(x), Node::Uint(y)) => x.cmp(y),
        (Node::Float(x), Node::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Node::Str(x), Node::Str(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` as yaml.v2 and `%v` print floats (`.inf`-style names
/// are the YAML writer's business).
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, as Go's -1 precision does.
    let e = format!("{:e}", f);
    let (mant, exp) = e.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent digits");
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let nd = digits.len() as i32;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    // Shortest 'g' switches to exponent form below 1e-4 and from 1e6 on.
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exp.abs());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = (exp + 1) as usize;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go() {
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(1234567.0), "1.234567e+06");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(1e20), "1e+20");
        assert_eq!(go_float(3.0), "3");
        assert_eq!(go_float(-2.25), "-2.25");
    }
}
