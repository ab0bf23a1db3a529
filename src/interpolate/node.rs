//! The data model `bosh interpolate` works on: what yaml.v2 decodes into `interface{}`
//! (nil, bool, int, uint64, float64, string, slices, and maps keyed by any scalar), with Go's
//! notions of key equality, type names (`%T`) and value printing (`%v`), because the CLI's
//! error texts show them.

use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};

use indexmap::{Equivalent, IndexMap};

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

/// A map that keeps insertion order (output sorts keys anyway, as yaml.v2 does), indexed by
/// key so that reading, merging and interpolating a large map stays linear.
#[derive(Clone, Default)]
pub struct Map {
    entries: IndexMap<Key, Node>,
    /// Keys equal to nothing (NaN, or a collection a placeholder put in key position) each get
    /// their own number, as every such insert adds an entry to a Go map.
    unique: u64,
}

/// A map key with Go's interface equality, hashable: numbers and strings by value, `-0.0`
/// equal to `0.0`, NaN and collections never equal to another key.
#[derive(Clone, Debug)]
struct Key {
    node: Node,
    serial: u64,
}

impl Key {
    fn is_unique(&self) -> bool {
        is_unique_key(&self.node)
    }
}

fn is_unique_key(n: &Node) -> bool {
    matches!(n, Node::Seq(_) | Node::Map(_)) || matches!(n, Node::Float(f) if f.is_nan())
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        if self.is_unique() || other.is_unique() {
            return self.is_unique() && other.is_unique() && self.serial == other.serial;
        }
        key_eq(&self.node, &other.node)
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match &self.node {
            _ if self.is_unique() => (9u8, self.serial).hash(h),
            Node::Null => 0u8.hash(h),
            Node::Bool(b) => (1u8, b).hash(h),
            Node::Int(i) => (2u8, i).hash(h),
            Node::Uint(u) => (3u8, u).hash(h),
            // 0.0 == -0.0, so both hash as +0.0.
            Node::Float(f) => (4u8, if *f == 0.0 { 0 } else { f.to_bits() }).hash(h),
            Node::Str(s) => StrKey(s).hash(h),
            Node::Seq(_) | Node::Map(_) => unreachable!("collections are unique keys"),
        }
    }
}

/// A string key looked up without building a [`Node`]; hashes as a `Node::Str` key does.
struct StrKey<'a>(&'a str);

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (5u8, self.0).hash(h)
    }
}

impl Equivalent<Key> for StrKey<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        matches!(&key.node, Node::Str(s) if s == self.0)
    }
}

impl PartialEq for Map {
    /// Same entries in the same order (what tests compare).
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Node, &Node)> + '_ {
        self.entries.iter().map(|(k, v)| (&k.node, v))
    }

    fn key(&mut self, node: Node) -> Key {
        let serial = if is_unique_key(&node) {
            self.unique += 1;
            self.unique
        } else {
            0
        };
        Key { node, serial }
    }

    pub fn get(&self, key: &Node) -> Option<&Node> {
        if is_unique_key(key) {
            return None;
        }
        self.entries.get(&Key {
            node: key.clone(),
            serial: 0,
        })
    }

    pub fn get_str(&self, key: &str) -> Option<&Node> {
        self.entries.get(&StrKey(key))
    }

    pub fn get_str_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries.get_mut(&StrKey(key))
    }

    /// Sets `key`, replacing the value of an equal key (Go map assignment).
    pub fn insert(&mut self, key: Node, value: Node) {
        let key = self.key(key);
        self.entries.insert(key, value);
    }

    pub fn remove(&mut self, key: &Node) -> Option<Node> {
        if is_unique_key(key) {
            return None;
        }
        self.entries.shift_remove(&Key {
            node: key.clone(),
            serial: 0,
        })
    }

    /// String keys, sorted as Go's `sort.Strings` would (bytewise).
    pub fn string_keys_sorted(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.iter().filter_map(|(k, _)| k.as_str()).collect();
        keys.sort();
        keys
    }
}

impl IntoIterator for Map {
    type Item = (Node, Node);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter(self.entries.into_iter())
    }
}

/// A map's entries by value, in insertion order.
pub struct IntoIter(indexmap::map::IntoIter<Key, Node>);

impl Iterator for IntoIter {
    type Item = (Node, Node);

    fn next(&mut self) -> Option<(Node, Node)> {
        self.0.next().map(|(k, v)| (k.node, v))
    }
}

impl FromIterator<(Node, Node)> for Map {
    /// Later equal keys win, as when yaml.v2 decodes a map.
    fn from_iter<I: IntoIterator<Item = (Node, Node)>>(pairs: I) -> Map {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert(k, v);
        }
        m
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

    /// How yaml.v2 names the value in an unmarshal error (`!!str `x``, `!!map`).
    pub fn yaml_tag_text(&self) -> String {
        match self {
            Node::Map(_) => "!!map".into(),
            Node::Seq(_) => "!!seq".into(),
            Node::Str(s) => format!("!!str `{s}`"),
            Node::Int(i) => format!("!!int `{i}`"),
            Node::Uint(u) => format!("!!int `{u}`"),
            Node::Float(f) => format!("!!float `{}`", go_float(*f)),
            Node::Bool(b) => format!("!!bool `{b}`"),
            Node::Null => "!!null".into(),
        }
    }

    /// A scalar decoded into a Go `string` (a struct field or a `map[string]` key): the text
    /// yaml.v2 wrote for it, null as empty.
    pub fn go_string(&self) -> String {
        match self {
            Node::Str(s) => s.clone(),
            Node::Null => String::new(),
            Node::Float(f) => go_float(*f),
            other => other.go_v(),
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
                let mut pairs: Vec<(&Node, &Node)> = m.iter().collect();
                pairs.sort_by(|a, b| fmt_key_order(a.0, b.0));
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
    fn map_keys_compare_as_go_interfaces() {
        let mut m = Map::new();
        m.insert(Node::Int(1), Node::Str("int".into()));
        m.insert(Node::Uint(1), Node::Str("uint".into()));
        m.insert(Node::Float(1.0), Node::Str("float".into()));
        m.insert(Node::Str("1".into()), Node::Str("str".into()));
        m.insert(Node::Float(0.0), Node::Null);
        m.insert(Node::Float(-0.0), Node::Bool(true));
        m.insert(Node::Float(f64::NAN), Node::Null);
        m.insert(Node::Float(f64::NAN), Node::Null);
        assert_eq!(m.len(), 7);
        assert_eq!(m.get(&Node::Int(1)), Some(&Node::Str("int".into())));
        assert_eq!(m.get_str("1"), Some(&Node::Str("str".into())));
        assert_eq!(m.get(&Node::Float(0.0)), Some(&Node::Bool(true)));
        assert_eq!(m.get(&Node::Float(f64::NAN)), None);
        m.insert(Node::Int(1), Node::Null);
        assert_eq!(m.iter().next(), Some((&Node::Int(1), &Node::Null)));
        assert_eq!(m.remove(&Node::Uint(1)), Some(Node::Str("uint".into())));
        assert_eq!(m.len(), 6);
    }

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
