//! Plain data as YAML documents hold it, apart from Ruby's shared, mutable values: it can
//! cross threads and be kept, and it becomes fresh Ruby objects when a template needs them
//! (a job spec is loaded once and read by every render of the job).

use std::collections::HashMap;

use super::value::{HKey, RHash, Value};

/// A loaded document: what [`Value`] holds for YAML input, with hash pairs in order and
/// keys already unique (as Ruby's `eql?` makes them unique).
///
/// `repr(u64)`, as [`Value`]: loading a spec moves each node through an option or result,
/// and a word-sized tag keeps those moves in whole words (the size stays four words).
#[derive(Clone, Debug, PartialEq)]
#[repr(u64)]
pub enum Data {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Sym(String),
    Array(Vec<Data>),
    Hash(Vec<(Data, Data)>),
}

// Four words: a tag and a string's or list's three.
const _: () = assert!(std::mem::size_of::<Data>() == 32);

impl Data {
    /// Fresh Ruby objects (nothing shared with another conversion).
    pub fn to_value(&self) -> Value {
        match self {
            Data::Nil => Value::Nil,
            Data::Bool(b) => Value::Bool(*b),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Str(s) => Value::str(s.as_str()),
            Data::Sym(s) => Value::sym(s),
            Data::Array(a) => Value::array(a.iter().map(Data::to_value).collect()),
            Data::Hash(pairs) => {
                let mut h = RHash::with_capacity(pairs.len());
                for (k, v) in pairs {
                    h.insert(k.to_value(), v.to_value());
                }
                Value::hash(h)
            }
        }
    }

    /// The value of the string key `name` of a hash (as `h["name"]` finds it: a symbol
    /// key of the same name is another key).
    pub fn get(&self, name: &str) -> Option<&Data> {
        match self {
            Data::Hash(pairs) => pairs.iter().find_map(|(k, v)| match k {
                Data::Str(k) if k == name => Some(v),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Ruby's `to_s`, borrowed when the data is a string.
    pub fn to_s(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Data::Str(s) => std::borrow::Cow::Borrowed(s),
            other => std::borrow::Cow::Owned(super::format::to_s(&other.to_value())),
        }
    }

    /// The hash key Ruby's `eql?` and `hash` give this value (as [`Value::hkey`] does).
    pub fn hkey(&self) -> HKey {
        match self {
            Data::Nil => HKey::Nil,
            Data::Bool(b) => HKey::Bool(*b),
            Data::Int(i) => HKey::Int(*i),
            Data::Float(f) => HKey::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            Data::Str(s) => HKey::Str(s.as_str().into()),
            Data::Sym(s) => HKey::Sym(s.as_str().into()),
            Data::Array(a) => HKey::Arr(a.iter().map(Data::hkey).collect()),
            Data::Hash(pairs) => HKey::Map(super::value::MapKey::new(
                pairs.iter().map(|(k, v)| (k.hkey(), v.hkey())),
            )),
        }
    }
}

/// Builds a hash's pairs as `Hash#[]=` does: a key already there keeps its place and takes
/// the new value. Only for the rare maps that need it (duplicate or non-string keys,
/// merges): an index is built past a few keys, so that a large map stays linear.
#[derive(Default)]
pub(crate) struct PairsBuilder {
    pub(crate) pairs: Vec<(Data, Data)>,
    index: Option<HashMap<HKey, usize>>,
}

const SCAN: usize = 16;

impl PairsBuilder {
    pub(crate) fn insert(&mut self, k: Data, v: Data) {
        if self.index.is_none() && self.pairs.len() >= SCAN {
            self.index = Some(
                self.pairs
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.hkey(), i))
                    .collect(),
            );
        }
        match &mut self.index {
            Some(index) => match index.entry(k.hkey()) {
                std::collections::hash_map::Entry::Occupied(e) => self.pairs[*e.get()].1 = v,
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(self.pairs.len());
                    self.pairs.push((k, v));
                }
            },
            None => {
                let key = k.hkey();
                match self.pairs.iter().position(|(q, _)| q.hkey() == key) {
                    Some(i) => self.pairs[i].1 = v,
                    None => self.pairs.push((k, v)),
                }
            }
        }
    }
}

/// Whether two keys of `pairs` are the same key. String keys (nearly every key of a spec)
/// are compared directly, without hashing; any other key takes the exact `eql?` path.
pub(crate) fn has_duplicate_keys(pairs: &[(Data, Data)]) -> bool {
    fn key(p: &(Data, Data)) -> Option<&str> {
        match &p.0 {
            Data::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }
    if !pairs.iter().all(|p| key(p).is_some()) {
        let mut seen = std::collections::HashSet::with_capacity(pairs.len());
        return !pairs.iter().all(|(k, _)| seen.insert(k.hkey()));
    }
    if pairs.len() <= SCAN {
        // most pairs differ in length or in their last byte: no call to compare the rest
        let same = |a: &str, b: &str| {
            a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
        };
        return (0..pairs.len()).any(|i| {
            let k = key(&pairs[i]).unwrap_or_default();
            pairs[i + 1..]
                .iter()
                .any(|q| same(key(q).unwrap_or_default(), k))
        });
    }
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(pairs.len(), Default::default());
    !pairs.iter().all(|p| seen.insert(key(p)))
}

/// JSON-like data (string keys) for code that reads fields: keys as Ruby's `to_s` prints
/// them, symbols as their names.
pub fn to_json(d: &Data) -> serde_json::Value {
    match d {
        Data::Nil => serde_json::Value::Null,
        Data::Bool(b) => serde_json::Value::Bool(*b),
        Data::Int(i) => serde_json::Value::from(*i),
        Data::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Data::Str(s) | Data::Sym(s) => serde_json::Value::String(s.clone()),
        Data::Array(a) => serde_json::Value::Array(a.iter().map(to_json).collect()),
        Data::Hash(pairs) => {
            let mut m = serde_json::Map::new();
            for (k, v) in pairs {
                m.insert(k.to_s().into_owned(), to_json(v));
            }
            serde_json::Value::Object(m)
        }
    }
}
