//! The syntax tree of a compiled template: one Ruby program in which text chunks and `<%= %>`
//! outputs are statements, as ERB compiles them. Every node carries its template line, because
//! the director reports errors by template line.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

pub type Name = Rc<str>;

/// The names of one template, each allocated once: a template repeats the same few
/// identifiers, method names and operators many times, and a lookup costs less than an
/// allocation (and its free when the program is dropped).
#[derive(Default)]
pub struct Names(HashSet<Name, BuildHasherDefault<NameHasher>>);

impl Names {
    pub fn get(&mut self, s: &str) -> Name {
        if let Some(n) = self.0.get(s) {
            return n.clone();
        }
        let n: Name = s.into();
        self.0.insert(n.clone());
        n
    }
}

/// A multiply-rotate hash (as rustc's own interner uses) for short names from one template:
/// no denial-of-service concern here, the table lives for one compile and a template's
/// size is budgeted.
#[derive(Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
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

#[derive(Debug, Clone)]
pub enum Kind {
    Nil,
    True,
    False,
    SelfRef,
    Int(i64),
    Float(f64),
    Str(Vec<StrPart>),
    Sym(Name),
    DSym(Vec<StrPart>),
    Regex(Vec<StrPart>, String),
    Array(Vec<Node>),
    Hash(Vec<(Node, Node)>),
    Range(Option<Box<Node>>, Option<Box<Node>>, bool),
    LVar(Name),
    IVar(Name),
    GVar(Name),
    Const(Option<Box<Node>>, Name),
    Asgn(Box<Target>, Box<Node>),
    OpAsgn(Box<Target>, Name, Box<Node>),
    MultiAsgn(Vec<Target>, Box<Node>),
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
    Case(Option<Box<Node>>, Vec<(Vec<Node>, Node)>, Box<Node>),
    Seq(Vec<Node>),
    Begin(Box<Begin>),
    Def(Rc<MethodDef>),
    Class(Name, Option<Box<Node>>, Box<Node>, bool),
    SClass(Box<Node>),
    Return(Option<Box<Node>>),
    Break(Option<Box<Node>>),
    Next(Option<Box<Node>>),
    Yield(Vec<Node>),
    Super(Option<Vec<Node>>),
    Lambda(Rc<BlockDef>),
    ErbText(Rc<[u8]>),
    ErbOut(Box<Node>),
}

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
}

#[derive(Debug, Clone)]
pub struct MethodDef {
    pub name: Name,
    pub params: Vec<Param>,
    pub body: Node,
    pub singleton: bool,
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
