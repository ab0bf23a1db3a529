//! yaml.v2's order of map keys when it marshals a map: Go's `reflect` sorts keys by kind
//! and value, and compares strings the way people read them (letters before other
//! characters, digit runs as numbers), so `a9` comes before `a10`.

use super::node::Node;

/// yaml.v2's key order: numbers (and booleans) by value before strings; strings compared
/// rune by rune with letters before other characters and digit runs compared as numbers.
pub fn key_order(a: &Node, b: &Node) -> std::cmp::Ordering {
    if less(a, b) {
        std::cmp::Ordering::Less
    } else if less(b, a) {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

/// reflect.Kind numbers, which order keys of different kinds.
fn kind(n: &Node) -> u8 {
    match n {
        Node::Bool(_) => 1,
        Node::Int(_) => 2,
        Node::Uint(_) => 11,
        Node::Float(_) => 14,
        Node::Null => 20,
        Node::Map(_) => 21,
        Node::Seq(_) => 23,
        Node::Str(_) => 24,
    }
}

fn key_float(n: &Node) -> Option<f64> {
    match n {
        Node::Int(i) => Some(*i as f64),
        Node::Uint(u) => Some(*u as f64),
        Node::Float(f) => Some(*f),
        Node::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

fn less(a: &Node, b: &Node) -> bool {
    if let (Some(af), Some(bf)) = (key_float(a), key_float(b)) {
        if af != bf {
            return af < bf;
        }
        if kind(a) != kind(b) {
            return kind(a) < kind(b);
        }
        return match (a, b) {
            (Node::Int(x), Node::Int(y)) => x < y,
            (Node::Uint(x), Node::Uint(y)) => x < y,
            (Node::Float(x), Node::Float(y)) => x < y,
            (Node::Bool(x), Node::Bool(y)) => !x && *y,
            _ => false,
        };
    }
    let (Node::Str(x), Node::Str(y)) = (a, b) else {
        return kind(a) < kind(b);
    };
    crate::manifest::yaml::key_less(x, y)
}
