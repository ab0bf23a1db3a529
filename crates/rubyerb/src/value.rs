//! Ruby values as templates see them. Strings, arrays and hashes are shared and mutable
//! (`Rc<RefCell<_>>`; a string's cell sits beside its frozen flag in [`RStr`]) because Ruby's
//! are: `x << 'a'` changes every reference to `x`, and a template that mutates `p('list')`
//! sees the change on the next `p('list')`.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::ast::{BlockDef, MethodDef, Name};
use super::interp::Env;
use nested::MAX_KEY_LEVELS;

mod nested;
mod rstr;

/// `repr(u64)`, as [`crate::ast::Kind`] and for the same reason: a value moves through a
/// result or an option at nearly every step (a warm round 2.5% faster with it).
#[derive(Clone, Default)]
#[repr(u64)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    /// An Integer past 64 bits, never one that fits in `Int` (see [`crate::methods::bignum`]).
    Big(Rc<num_bigint::BigInt>),
    Float(f64),
    Str(Rc<RStr>),
    Sym(Name),
    Array(Rc<RArray>),
    Hash(Rc<RefCell<RHash>>),
    Range(Rc<RRange>),
    Regex(Rc<Regex>),
    Proc(Rc<Proc>),
    Object(Rc<Object>),
    Class(Rc<Class>),
}

const _: () = assert!(std::mem::size_of::<Value>() == 24); // a tag, a name's pointer and length

pub struct Regex {
    pub source: String,
    pub flags: String,
    pub re: Engine,
    /// The pattern opens with `^` and has no alternation, so every match starts where that
    /// `^` holds. Ruby's `^` never holds at the end of a text that ends in a newline (the
    /// engine's does): a match starting there is not one (see [`crate::methods::regex`]).
    pub caret_first: bool,
}

/// What matches a regexp: a plain string (a pattern without metacharacters or a flag that
/// changes what a character matches, such as the escaped string `gsub('-', '_')` makes)
/// is found by a substring search and never compiled, as the regexp engine's build costs
/// far more than the short texts templates search; a pattern the regex crate can match
/// alone is built on it cheaply; anything else is compiled by fancy-regex.
pub enum Engine {
    Literal(Box<str>),
    Plain(crate::methods::regex::Plain),
    Compiled(fancy_regex::Regex),
}

impl Engine {
    /// The memory (bytes) its engines take or may grow to while matching: what a render is
    /// charged for compiling it, and what the thread's cache counts.
    pub fn weight(&self) -> usize {
        match self {
            Engine::Literal(l) => l.len(),
            Engine::Plain(re) => re.weight(),
            // no figure of its own: its main part the regex crate takes is held to this NFA
            // size, with a megabyte for the caches kept beside it
            Engine::Compiled(_) => crate::methods::regex::FANCY_NFA_BYTES + (1 << 20),
        }
    }

    /// Whether it matches anywhere in `s`; an engine failure (its backtracking limit) is
    /// no match.
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Engine::Literal(l) => memchr::memmem::find(s.as_bytes(), l.as_bytes()).is_some(),
            Engine::Plain(re) => re.is_match(s),
            Engine::Compiled(re) => re.is_match(s).unwrap_or(false),
        }
    }
    /// The names of the capture groups, in order.
    pub fn group_names(&self) -> Vec<&str> {
        match self {
            Engine::Literal(_) => Vec::new(),
            Engine::Plain(re) => re.names().iter().map(|(n, _)| &**n).collect(),
            Engine::Compiled(re) => re.capture_names().flatten().collect(),
        }
    }
}

pub struct Proc {
    pub def: Rc<BlockDef>,
    pub env: Env,
    pub self_val: Value,
    pub is_lambda: bool,
    /// The method the block was written in, when it was written in one.
    pub home: Option<Rc<Home>>,
}

/// The method running, its owner, and what a `super` without arguments passes on when its
/// body has one; shared, as frames are copied for blocks and defaults.
pub type Running = (Name, Option<Rc<Class>>, Option<Rc<ZSuper>>);

/// What a bare `super` passes on: Ruby passes the method's parameters as they are when
/// `super` runs (a reassigned one, or an optional one that took its default, passes its
/// current value), so the method's definition and its locals are kept; the call's own
/// arguments stand in for parameters without a name.
pub struct ZSuper {
    pub def: Rc<MethodDef>,
    pub env: Env,
    pub args: Rc<[Value]>,
}

/// What a block keeps of the method it was written in, as a Ruby block does: `yield` and
/// `block_given?` in it reach the method's block, `super` and `__method__` the method, and
/// `def`/constants the class it was defined in.
pub struct Home {
    pub block: Option<Value>,
    pub method: Option<Running>,
    pub def_class: Option<Rc<Class>>,
}

impl Home {
    /// A class body's or the template's top level: no method, no block.
    pub fn of_class(c: Rc<Class>) -> Option<Rc<Home>> {
        Some(Rc::new(Home {
            block: None,
            method: None,
            def_class: Some(c),
        }))
    }
}

/// A class or module: built-in ones (`String`, `JSON`, `Digest::SHA256`, exception classes)
/// are known by path; classes a template defines carry their methods.
pub struct Class {
    pub name: String,
    pub superclass: Option<Rc<Class>>,
    pub methods: RefCell<NameMap<Rc<MethodDef>>>,
    pub smethods: RefCell<NameMap<Rc<MethodDef>>>,
    pub consts: RefCell<NameMap<Value>>,
    pub is_module: bool,
    pub builtin: bool,
    /// `attr_reader` (1) / `attr_writer` (2) / `attr_accessor` (3) names.
    pub attrs: RefCell<NameMap<u8>>,
}

pub struct Object {
    pub class: Rc<Class>,
    pub ivars: RefCell<IndexMap<Name, Value>>,
    pub kind: ObjKind,
}

pub enum ObjKind {
    Plain,
    /// `self` of a template (Ruby's `main`): receiverless calls reach the host first.
    Main,
    /// An OpenStruct; `true` for a flavour whose `methods(false)` lists its fields.
    OStruct(super::ofields::OFields, bool),
    /// An object the host made, answered by [`crate::Host::call_object`].
    Host(Rc<dyn std::any::Any>),
    Exception(RefCell<String>),
    IpAddr(super::stdlib::IpAddr),
    /// A `URI::Generic`; its setters (`scheme=`, `port=`...) change it in place.
    Uri(RefCell<super::stdlib::Uri>),
    Enumerator(Value, Name, Vec<Value>),
    /// A `Method`: its receiver and the name it calls (`methods/method.rs`).
    Method(Value, Name),
    X509(super::stdlib::X509),
    Time(super::stdlib::Time),
    /// A seeded `Random`: its generator's state, which each draw moves on.
    Random(RefCell<super::stdlib::random::Mt>),
    /// A Complex's real and imaginary parts (`methods/complex.rs`).
    Complex(f64, f64),
    /// A `StringIO` or `Zlib::GzipReader`: bytes read from the start (`stdlib/stream.rs`).
    Stream(RefCell<super::stdlib::stream::Stream>),
    /// A digest or HMAC being fed (`stdlib/digest.rs`).
    Digest(RefCell<super::stdlib::digest::Digester>),
    /// An `Encoding`, by its canonical name (`stdlib/encoding.rs`).
    Encoding(&'static str),
}

/// Insertion-ordered hash with Ruby's `eql?` key semantics (`1` and `1.0` differ).
#[derive(Clone, Default)]
pub struct RHash {
    pub map: IndexMap<HKey, (Value, Value), FxBuild>,
    pub default: Value,
    pub default_proc: Option<Value>,
}

/// FxHash (rustc's): hash keys are short strings and numbers, where SipHash's cost shows. A
/// template that builds colliding keys only slows itself, within its step and time budgets.
pub type FxBuild = rustc_hash::FxBuildHasher;

/// A class's methods, constants or attributes by name: looked up on every call a template
/// makes to its own methods, so hashed with [`FxBuild`] rather than SipHash.
pub type NameMap<V> = std::collections::HashMap<Name, V, FxBuild>;

/// An OpenStruct's fields, in definition order; read on every `o.field` a template makes.
pub type Fields = IndexMap<Name, Value, FxBuild>;

/// The size up to which [`RHash::get_str`] compares keys in order rather than hashing.
const SCAN: usize = 16;

/// A borrowed string key: looks up `HKey::Str` without allocating.
struct StrKey<'a>(&'a str);

impl std::hash::Hash for StrKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u8(4);
        self.0.hash(state);
    }
}

impl indexmap::Equivalent<HKey> for StrKey<'_> {
    fn equivalent(&self, k: &HKey) -> bool {
        matches!(k, HKey::Str(s) if **s == *self.0)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum HKey {
    Nil,
    Bool(bool),
    Int(i64),
    Big(Rc<num_bigint::BigInt>),
    Float(u64),
    /// Shared, so that a copied table (`deep_copy`, `dup`) shares its keys, and comparing
    /// a copy's keys with the original's stops at their address.
    Str(Rc<str>),
    Sym(Name),
    Arr(Vec<HKey>),
    /// A hash as a key: equal to another with the same pairs in any order, as Ruby's
    /// `Hash#eql?` is (and never to an array, which `Arr` alone would make `{}` of `[]`).
    Map(MapKey),
    Ptr(usize),
    /// An object equal by value (`OpenSSL::X509::Name`, as `eql?` and `hash` make it).
    Named(String),
}

impl std::hash::Hash for HKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            HKey::Nil => state.write_u8(0),
            HKey::Bool(b) => {
                state.write_u8(1);
                b.hash(state)
            }
            HKey::Int(i) => {
                state.write_u8(2);
                i.hash(state)
            }
            HKey::Float(f) => {
                state.write_u8(3);
                f.hash(state)
            }
            HKey::Str(s) => {
                state.write_u8(4);
                (**s).hash(state)
            }
            HKey::Sym(s) => {
                state.write_u8(5);
                s.hash(state)
            }
            HKey::Arr(a) => {
                state.write_u8(6);
                a.hash(state)
            }
            HKey::Ptr(p) => {
                state.write_u8(7);
                p.hash(state)
            }
            HKey::Named(s) => {
                state.write_u8(8);
                s.as_str().hash(state)
            }
            HKey::Map(m) => {
                state.write_u8(9);
                m.hash(state)
            }
            HKey::Big(b) => {
                state.write_u8(10);
                b.hash(state)
            }
        }
    }
}

/// The pairs of a hash used as a key, compared as a set of pairs.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapKey(std::collections::HashMap<HKey, HKey, FxBuild>);

impl MapKey {
    pub fn new(pairs: impl Iterator<Item = (HKey, HKey)>) -> MapKey {
        MapKey(pairs.collect())
    }
}

impl std::hash::Hash for MapKey {
    /// The same for the same pairs in any order: a sum of each pair's own hash.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use std::hash::BuildHasher;
        let sum = self.0.iter().fold(0u64, |acc, p| {
            acc.wrapping_add(FxBuild::default().hash_one(p))
        });
        state.write_usize(self.0.len());
        state.write_u64(sum);
    }
}

impl RHash {
    pub fn new() -> RHash {
        RHash::default()
    }
    /// An empty hash with room for `n` pairs: a copy or conversion of known size grows once.
    pub fn with_capacity(n: usize) -> RHash {
        let mut h = RHash::default();
        h.map = IndexMap::with_capacity_and_hasher(n, FxBuild::default());
        h
    }
    pub fn get(&self, k: &Value) -> Option<&Value> {
        match k {
            Value::Str(s) => self.get_str(&s.borrow()),
            _ => self.map.get(&k.hkey()).map(|(_, v)| v),
        }
    }
    /// A small hash (most of a template's: a property's options, a link's fields) is read
    /// by comparing its keys in order, which costs less than hashing the key; keys are
    /// unique, so the first equal one is the one the hash lookup finds.
    pub fn get_str(&self, k: &str) -> Option<&Value> {
        if self.map.len() <= SCAN {
            return self.map.iter().find_map(|(hk, (_, v))| match hk {
                HKey::Str(s) if **s == *k => Some(v),
                _ => None,
            });
        }
        self.map.get(&StrKey(k)).map(|(_, v)| v)
    }
    pub fn insert(&mut self, k: Value, v: Value) {
        let key = k.hkey();
        // one hash of the key: building hashes (contexts, specs, copies) is most of what
        // a render does before its templates run
        match self.map.entry(key) {
            indexmap::map::Entry::Occupied(mut e) => e.get_mut().1 = v,
            indexmap::map::Entry::Vacant(e) => {
                // string keys are copied (and frozen) on insert, as Ruby does; a string
                // nothing else refers to is its own copy
                let k = match k {
                    Value::Str(s) if Rc::strong_count(&s) > 1 => s.copy(false),
                    k => k,
                };
                e.insert((k, v));
            }
        }
    }
    pub fn remove(&mut self, k: &Value) -> Option<Value> {
        self.map.shift_remove(&k.hkey()).map(|(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub fn pairs(&self) -> Vec<(Value, Value)> {
        self.map.values().cloned().collect()
    }
}

pub use nested::{level, too_deep, RArray, RRange, MAX_LEVELS};
pub use rstr::{AsciiEnc, RStr};

impl Value {
    pub fn sym(s: &str) -> Value {
        Value::Sym(s.into())
    }
    pub fn array(v: Vec<Value>) -> Value {
        Value::Array(Rc::new(RArray::new(v)))
    }
    pub fn hash(h: RHash) -> Value {
        Value::Hash(Rc::new(RefCell::new(h)))
    }
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }
    /// An Integer or a Float.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Big(_) | Value::Float(_))
    }

    pub fn hkey(&self) -> HKey {
        match self {
            Value::Nil => HKey::Nil,
            Value::Bool(b) => HKey::Bool(*b),
            Value::Int(i) => HKey::Int(*i),
            Value::Big(b) => HKey::Big(b.clone()),
            Value::Float(f) => HKey::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            Value::Str(s) => HKey::Str(s.borrow().as_str().into()),
            Value::Sym(s) => HKey::Sym(s.clone()),
            // (a key nests no deeper than its own comparisons and drop can recurse)
            Value::Array(a) => HKey::Arr(a.borrow().iter().map(nested_key).collect()),
            Value::Hash(h) => HKey::Map(MapKey::new(
                h.borrow()
                    .map
                    .values()
                    .map(|(k, v)| (nested_key(k), nested_key(v))),
            )),
            Value::Object(o) => match &o.kind {
                ObjKind::X509(x) => match super::stdlib::x509_key(x) {
                    Some(k) => HKey::Named(k),
                    None => HKey::Ptr(self.ptr()),
                },
                // by value, as Ruby's IPAddr#hash and #eql? (netmask included): `uniq` and
                // hash keys treat two equal addresses as one
                ObjKind::IpAddr(ip) => HKey::Named(format!(
                    "\0IPAddr {} {:x}/{}",
                    if ip.v6 { 6 } else { 4 },
                    ip.addr,
                    ip.prefix
                )),
                // by value, as Complex#hash and #eql? (the parts' own, so 0.0 is not -0.0)
                ObjKind::Complex(re, im) => {
                    HKey::Named(format!("\0Complex {:x} {:x}", re.to_bits(), im.to_bits()))
                }
                // one object per encoding in Ruby: two answers of `encoding` are one key
                ObjKind::Encoding(name) => HKey::Named(format!("\0Encoding {name}")),
                _ => HKey::Ptr(self.ptr()),
            },
            // by value, as Range#eql? and #hash: its ends' own keys and its exclusion, marked
            // so that no array's key equals it
            Value::Range(r) => HKey::Arr(vec![
                HKey::Named("\0Range".into()),
                nested_key(&r.0),
                nested_key(&r.1),
                HKey::Bool(r.2),
            ]),
            other => HKey::Ptr(other.ptr()),
        }
    }

    pub fn ptr(&self) -> usize {
        match self {
            Value::Str(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Array(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Hash(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Range(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Regex(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Proc(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Object(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Class(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Nil => 8,
            Value::Bool(true) => 20,
            Value::Bool(false) => 0,
            Value::Int(i) => (*i as usize).wrapping_mul(2).wrapping_add(1),
            Value::Big(r) => Rc::as_ptr(r) as *const u8 as usize,
            Value::Float(f) => f.to_bits() as usize,
            Value::Sym(s) => s.as_ptr() as usize,
        }
    }

    /// Ruby's class name of the value (for messages and `class`).
    pub fn class_name(&self) -> String {
        match self {
            Value::Nil => "NilClass".into(),
            Value::Bool(true) => "TrueClass".into(),
            Value::Bool(false) => "FalseClass".into(),
            Value::Int(_) | Value::Big(_) => "Integer".into(),
            Value::Float(_) => "Float".into(),
            Value::Str(_) => "String".into(),
            Value::Sym(_) => "Symbol".into(),
            Value::Array(_) => "Array".into(),
            Value::Hash(_) => "Hash".into(),
            Value::Range(_) => "Range".into(),
            Value::Regex(_) => "Regexp".into(),
            Value::Proc(_) => "Proc".into(),
            Value::Class(c) => {
                if c.is_module {
                    "Module".into()
                } else {
                    "Class".into()
                }
            }
            Value::Object(o) => o.class.name.clone(),
        }
    }

    /// A deep copy of JSON-like data, as `Marshal.load(Marshal.dump(x))` makes it.
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Str(s) => s.copy(false),
            Value::Array(a) => Value::array(a.borrow().iter().map(copy_nested).collect()),
            Value::Hash(h) => {
                let h = h.borrow();
                // the table is copied as it is (a key's copy hashes as the key does), then
                // every key and value replaced by its copy: no key is hashed again
                let mut map = h.map.clone();
                for (k, v) in map.values_mut() {
                    *k = copy_nested(k);
                    *v = copy_nested(v);
                }
                Value::hash(RHash {
                    map,
                    default: h.default.clone(),
                    default_proc: None,
                })
            }
            other => other.clone(),
        }
    }
}

/// The deep copy of an element of an array or hash being copied.
fn copy_nested(v: &Value) -> Value {
    level(MAX_LEVELS, || v.deep_copy()).unwrap_or_default()
}

/// The key of an element of an array or hash being made a key.
fn nested_key(v: &Value) -> HKey {
    level(MAX_KEY_LEVELS, || v.hkey()).unwrap_or(HKey::Nil)
}

/// Ruby `==` for data values.
pub fn rb_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Big(x), Value::Big(y)) => x == y,
        (Value::Big(x), Value::Float(y)) | (Value::Float(y), Value::Big(x)) => {
            crate::methods::bignum::to_f64(x) == *y
        }
        (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y) || *x.borrow() == *y.borrow(),
        (Value::Sym(x), Value::Sym(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(a, b)| level(MAX_LEVELS, || rb_eq(a, b)).unwrap_or(false))
        }
        (Value::Hash(x), Value::Hash(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            // a copy keeps its original's order: a key at the same place is found without
            // hashing it (keys are unique, so it is the one a lookup would find)
            x.len() == y.len()
                && x.map
                    .iter()
                    .zip(y.map.iter())
                    .all(|((k, (_, v)), (k2, (_, w)))| {
                        let eq = |w| level(MAX_LEVELS, || rb_eq(v, w)).unwrap_or(false);
                        if k == k2 {
                            eq(w)
                        } else {
                            y.map.get(k).is_some_and(|(_, w)| eq(w))
                        }
                    })
        }
        (Value::Range(x), Value::Range(y)) => rb_eq(&x.0, &y.0) && rb_eq(&x.1, &y.1) && x.2 == y.2,
        (Value::Regex(x), Value::Regex(y)) => x.source == y.source && x.flags == y.flags,
        (Value::Object(x), Value::Object(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            match (&x.kind, &y.kind) {
                (ObjKind::OStruct(a, _), ObjKind::OStruct(b, _)) => {
                    let (a, b) = (a.borrow(), b.borrow());
                    a.len() == b.len()
                        && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| rb_eq(v, w)))
                }
                // Ruby's IPAddr#==: the family and address, not the netmask
                (ObjKind::IpAddr(a), ObjKind::IpAddr(b)) => a.v6 == b.v6 && a.addr == b.addr,
                (ObjKind::Time(a), ObjKind::Time(b)) => a.at == b.at,
                (ObjKind::Complex(a, b), ObjKind::Complex(c, d)) => a == c && b == d,
                (ObjKind::X509(a), ObjKind::X509(b)) => {
                    let a = super::stdlib::x509_key(a);
                    a.is_some() && a == super::stdlib::x509_key(b)
                }
                _ => false,
            }
        }
        (Value::Class(x), Value::Class(y)) => x.name == y.name,
        _ => false,
    }
}
