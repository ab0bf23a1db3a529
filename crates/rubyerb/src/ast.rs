//! The syntax tree of a compiled template: one Ruby program in which text chunks and `<%= %>`
//! outputs are statements, as ERB compiles them. Every node carries its template line, because
//! the director reports errors by template line.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rustc_hash::FxBuildHasher;

pub type Name = Rc<str>;

/// A set of names (a scope's locals).
pub type NameSet = HashSet<Name, FxBuildHasher>;

/// The names of one template, each allocated once: a template repeats the same few
/// identifiers, method names and operators many times, and a lookup costs less than an
/// allocation (and its free when the program is dropped). Each name has a number, so that
/// tokens carry names without reference counts and scopes are sets of numbers.
#[derive(Default)]
pub struct Names {
    ids: HashMap<Name, u32, FxBuildHasher>,
    /// Names of one to seven bytes (most), by their bytes and length packed in one word:
    /// (word, number) per slot, 0 when free; a power of two long, at most half full. A
    /// lookup is a multiplication and a comparison of words, no hashing of bytes.
    short: Vec<(u64, u32)>,
    shorts: usize,
    list: Vec<Name>,
}

impl Names {
    /// How many names there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The number of `s`, interning it.
    pub fn id(&mut self, s: &str) -> u32 {
        let b = s.as_bytes();
        if (1..=7).contains(&b.len()) {
            let mut key = (b.len() as u64) << 56;
            for (i, &c) in b.iter().enumerate() {
                key |= (c as u64) << (8 * i);
            }
            return self.short_id(key, s);
        }
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let n: Name = s.into();
        let i = self.list.len() as u32;
        self.list.push(n.clone());
        self.ids.insert(n, i);
        i
    }

    /// The number of the short name with [`short_key`] `key`, if it has one.
    #[inline]
    pub fn find_short(&self, key: u64) -> Option<u32> {
        if self.short.is_empty() {
            return None;
        }
        // at most half the slots are taken: a free one ends the search
        let mask = self.short.len() - 1;
        let mut i = short_slot(key, mask);
        loop {
            let (k, id) = self.short[i];
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn short_id(&mut self, key: u64, s: &str) -> u32 {
        if self.short.len() < 2 * (self.shorts + 1) {
            self.grow_short();
        }
        let mask = self.short.len() - 1;
        let mut i = short_slot(key, mask);
        loop {
            let (k, id) = self.short[i];
            if k == key {
                return id;
            }
            if k == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        let id = self.list.len() as u32;
        self.list.push(s.into());
        self.short[i] = (key, id);
        self.shorts += 1;
        id
    }

    /// Twice the slots (at least 256), every short name placed again.
    fn grow_short(&mut self) {
        let len = (self.short.len() * 2).max(256);
        let mut short = vec![(0u64, 0u32); len];
        for &(k, id) in self.short.iter().filter(|e| e.0 != 0) {
            let mut i = short_slot(k, len - 1);
            while short[i].0 != 0 {
                i = (i + 1) & (len - 1);
            }
            short[i] = (k, id);
        }
        self.short = short;
    }

    pub fn get(&mut self, s: &str) -> Name {
        let i = self.id(s);
        self.list[i as usize].clone()
    }

    /// The name numbered `i`.
    pub fn name(&self, i: u32) -> &Name {
        &self.list[i as usize]
    }
}

/// The key [`Names::id`] gives the ASCII name `src[a..b]` of one to seven bytes, read as
/// one word where the source has eight bytes from `a` (as a lexer's names mostly do);
/// None for other names, which take the full path.
#[inline]
pub fn short_key(src: &[u8], a: usize, b: usize) -> Option<u64> {
    let len = b.checked_sub(a)?;
    if !(1..=7).contains(&len) {
        return None;
    }
    let word = match src.get(a..).and_then(|r| r.first_chunk::<8>()) {
        Some(w) => u64::from_le_bytes(*w),
        None => {
            let mut w = 0u64;
            for (i, &c) in src.get(a..b)?.iter().enumerate() {
                w |= (c as u64) << (8 * i);
            }
            w
        }
    };
    let word = word & ((1u64 << (8 * len)) - 1);
    if word & 0x0080_8080_8080_8080 != 0 {
        return None;
    }
    Some(word | (len as u64) << 56)
}

fn short_slot(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask
}

#[derive(Debug, Clone)]
pub struct Node {
    pub line: u32,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum StrPart {
    Lit(String),
    Code(Box<Node>),
}

/// `repr(u64)`: the tag is a whole word and no field shares it. An `Option` around a node
/// (or a result whose error fits beside it) keeps its own case in this tag, and each move
/// out of one copies the tag apart from the rest; with a one-byte tag the rest began at an
/// odd offset, in pieces the processor cannot forward from the stores that had just
/// written the node (3.5% of compile time; benches/templates/bench-results.md, thirtieth
/// stop).
#[derive(Debug, Clone)]
#[repr(u64)]
pub enum Kind {
    Nil,
    True,
    False,
    SelfRef,
    Int(i64),
    /// An integer literal past 64 bits (never one that fits: see `Value::Big`).
    BigInt(Rc<num_bigint::BigInt>),
    Float(f64),
    Str(Vec<StrPart>),
    /// A string without interpolation (most literals): no list of one part to allocate.
    PlainStr(String),
    Sym(Name),
    DSym(Vec<StrPart>),
    /// Parts and flags; boxed, as this and the other rare large shapes would make every
    /// node larger (nodes are read on every step, and a smaller tree stays in cache).
    Regex(Box<(Vec<StrPart>, String)>),
    Array(Vec<Node>),
    Hash(Vec<(Node, Node)>),
    Range(Option<Box<Node>>, Option<Box<Node>>, bool),
    LVar(Name),
    IVar(Name),
    GVar(Name),
    Const(Option<Box<Node>>, Name),
    Asgn(Box<Target>, Box<Node>),
    /// Target, operator, value.
    OpAsgn(Box<(Target, Name, Node)>),
    MultiAsgn(Box<(Vec<Target>, Node)>),
    Call(Box<Call>),
    Splat(Box<Node>),
    DoubleSplat(Box<Node>),
    BlockPass(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Defined(Box<Node>),
    If(Box<Node>, Box<Node>, Box<Node>),
    While(Box<Node>, Box<Node>, bool),
    For(Box<Target>, Box<Node>, Box<Node>),
    /// Subject, `when` lists with their bodies, `else` body.
    Case(Box<(Option<Node>, Vec<When>, Node)>),
    Seq(Vec<Node>),
    Begin(Box<Begin>),
    Def(Rc<MethodDef>),
    /// `alias new old`: the new name, the old one.
    Alias(Box<(Name, Name)>),
    /// Name, superclass, body, whether a module.
    Class(Box<(Name, Option<Node>, Node, bool)>),
    SClass(Box<Node>),
    Return(Option<Box<Node>>),
    /// `retry` in a `rescue` clause: the `begin` body runs again.
    Retry,
    Break(Option<Box<Node>>),
    Next(Option<Box<Node>>),
    Yield(Vec<Node>),
    Super(Option<Vec<Node>>),
    Lambda(Rc<BlockDef>),
    /// The body of a method, block, lambda or template, with the local variables its code
    /// assigns (besides its parameters): they belong to this scope from its start, as
    /// Ruby's parser makes them, so that a block assigning one writes here even when the
    /// assignment written before it never ran (`x = 1 if false; [1].each { x = 2 }`).
    Locals(Box<(Vec<Name>, Node)>),
    ErbText(Rc<[u8]>),
    ErbOut(Box<Node>),
}

/// A `when` branch of a `case`: its values and its body.
pub type When = (Vec<Node>, Node);

#[derive(Debug, Clone)]
pub struct Call {
    pub recv: Option<Node>,
    pub name: Name,
    pub args: Vec<Node>,
    pub block: Option<Rc<BlockDef>>,
    pub safe_nav: bool,
}

#[derive(Debug, Clone)]
pub struct Begin {
    pub body: Node,
    pub rescues: Vec<Rescue>,
    pub else_body: Option<Node>,
    pub ensure: Option<Node>,
}

#[derive(Debug, Clone)]
pub struct Rescue {
    pub classes: Vec<Node>,
    pub var: Option<Target>,
    pub body: Node,
}

#[derive(Debug, Clone)]
pub enum Param {
    Req(Name),
    Opt(Name, Node),
    Rest(Option<Name>),
    Key(Name, Option<Node>),
    KwRest(Option<Name>),
    Block(Name),
    Destructure(Vec<Param>),
}

#[derive(Debug, Clone)]
pub struct BlockDef {
    pub params: Vec<Param>,
    pub body: Node,
    /// `|a|` and `|a, |` differ: a block with one plain parameter does not splat an array.
    pub auto_splat: bool,
    pub is_lambda: bool,
    /// Its parameters are [`plain_params`]: a call binds its arguments in order.
    pub plain: bool,
}

impl BlockDef {
    /// A block's or lambda's definition; whether its parameters are plain is read off them.
    pub fn new(params: Vec<Param>, body: Node, auto_splat: bool, is_lambda: bool) -> BlockDef {
        BlockDef {
            plain: plain_params(&params),
            params,
            body,
            auto_splat,
            is_lambda,
        }
    }
}

/// Every parameter required, and none named as one before it (`|k, v|`, `def f(a, b)`, most
/// that templates write): a call binds its arguments in order, with no other rule to ask.
pub fn plain_params(params: &[Param]) -> bool {
    params.iter().enumerate().all(|(i, p)| match p {
        Param::Req(n) => !params[..i]
            .iter()
            .any(|q| matches!(q, Param::Req(m) if m == n)),
        _ => false,
    })
}

#[derive(Debug, Clone)]
pub struct MethodDef {
    pub name: Name,
    pub params: Vec<Param>,
    pub body: Node,
    pub singleton: bool,
    /// Its body has a `super` without arguments, which passes the method's own arguments
    /// on: only then does a call keep a copy of them.
    pub zsuper: bool,
    /// Its parameters are [`plain_params`].
    pub plain: bool,
}

#[derive(Debug, Clone)]
pub enum Target {
    LVar(Name),
    IVar(Name),
    GVar(Name),
    Const(Name),
    Index(Node, Vec<Node>),
    Attr(Node, Name, bool),
    Splat(Option<Box<Target>>),
    Nested(Vec<Target>),
}

impl Node {
    pub fn new(line: u32, kind: Kind) -> Node {
        Node { line, kind }
    }
    pub fn nil(line: u32) -> Node {
        Node::new(line, Kind::Nil)
    }
}

// Syntax nodes are read on every evaluation step: rare large shapes are boxed so that a node
// is five words.
const _: () = assert!(std::mem::size_of::<Node>() == 40);

#[cfg(test)]
mod tests {
    use super::{short_key, Names};

    #[test]
    fn names_keep_their_numbers_short_and_long_as_the_tables_grow() {
        let mut n = Names::default();
        let words: Vec<String> = (0..2000)
            .map(|i| match i % 3 {
                0 => format!("n{i}"),
                1 => format!("a_long_name_{i}"),
                _ => format!("x{}", i % 7),
            })
            .collect();
        let ids: Vec<u32> = words.iter().map(|w| n.id(w)).collect();
        for (w, &i) in words.iter().zip(&ids) {
            assert_eq!(n.id(w), i);
            assert_eq!(&**n.name(i), w.as_str());
        }
        let e = n.id("");
        assert_eq!(n.id(""), e);
        assert_ne!(n.id("a\0"), n.id("a"));
        assert_eq!(n.len(), n.list.len());
    }

    #[test]
    fn a_short_key_finds_the_number_id_gave() {
        let mut n = Names::default();
        let src = b"ab cdefghi x_1 \xc3\xa9t end";
        let ids: Vec<u32> = ["ab", "cdefghi", "x_1", "end"]
            .iter()
            .map(|w| n.id(w))
            .collect();
        // read as a word (eight bytes from the start) and byte by byte (near the end)
        assert_eq!(n.find_short(short_key(src, 0, 2).unwrap()), Some(ids[0]));
        assert_eq!(n.find_short(short_key(src, 3, 10).unwrap()), Some(ids[1]));
        assert_eq!(n.find_short(short_key(src, 11, 14).unwrap()), Some(ids[2]));
        assert_eq!(n.find_short(short_key(src, 19, 22).unwrap()), Some(ids[3]));
        assert_eq!(n.find_short(short_key(src, 0, 1).unwrap()), None);
        assert_eq!(
            short_key(src, 3, 11),
            None,
            "eight bytes: the long names' table"
        );
        assert_eq!(short_key(src, 15, 18), None, "not ASCII: the full path");
        assert_eq!(short_key(src, 2, 2), None);
        assert_eq!(
            Names::default().find_short(short_key(src, 0, 2).unwrap()),
            None
        );
    }
}
