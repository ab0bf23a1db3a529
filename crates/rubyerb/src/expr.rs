//! Ruby expressions: operators by precedence, method calls with and without
//! parentheses, blocks, and literals.

use std::rc::Rc;

use super::ast::*;
use super::lexer::{kw, op, Op, T};
use super::parser::{PResult, Parser};

/// The precedence of the operators that do not chain.
const EQUALITY: u8 = 4;

fn bin_prec(op: Op) -> Option<u8> {
    Some(match op {
        op!("||") => 1,
        op!("&&") => 2,
        op!("<=>" | "==" | "===" | "!=" | "=~" | "!~") => EQUALITY,
        op!("<" | "<=" | ">" | ">=") => 5,
        op!("|" | "^") => 6,
        op!("&") => 7,
        op!("<<" | ">>") => 8,
        op!("+" | "-") => 9,
        op!("*" | "/" | "%") => 10,
        op!("**") => 12,
        _ => return None,
    })
}

pub(super) fn call(line: u32, recv: Option<Node>, name: Name, args: Vec<Node>) -> Node {
    Node::new(
        line,
        Kind::Call(Box::new(Call {
            recv,
            name,
            args,
            block: None,
            safe_nav: false,
        })),
    )
}

impl Parser {
    /// Assignment level (right-associative), then `rescue` modifiers on the right side.
    pub(super) fn expr(&mut self) -> PResult<Node> {
        // A literal or name that the next token ends (most arguments, hash values and
        // outputs) is its primary alone: no postfix, operator or assignment can follow.
        // Within the two nesting levels the full descent would count for it.
        if self.depth + 1 < self.max_depth
            && self.peek().is_operand()
            && matches!(
                self.peek_at(1),
                T::Op(op!("," | ")" | "]" | "}" | "=>" | ";")) | T::Nl | T::ErbOutEnd | T::Eof
            )
        {
            self.depth += 2;
            let r = self.primary();
            self.depth -= 2;
            return r;
        }
        self.nested(Parser::expr_inner)
    }

    fn expr_inner(&mut self) -> PResult<Node> {
        let line = self.line();
        let left = if self.depth < self.max_depth && !self.operator_first() {
            // the operand directly (what `ternary` reaches through `range`, `binary` and
            // `unary` for it), within the nesting level `unary` would count, then the
            // operators after it at each level
            self.depth += 1;
            let operand = self.primary_postfix();
            self.depth -= 1;
            // every operator level and assignment below goes on only at an operator
            if !matches!(self.peek(), T::Op(_)) {
                return operand;
            }
            let left = self.binary_rest(operand?, 1)?;
            let left = self.range_rest(line, left)?;
            self.ternary_rest(left)?
        } else {
            self.ternary()?
        };
        self.assignment(line, left)
    }
}

impl Parser {
    /// Does the expression here start with a prefix operator (or `..`), rather than with
    /// its first operand?
    fn operator_first(&self) -> bool {
        matches!(
            self.peek(),
            T::Op(op!("!" | "-" | "+" | "~" | "&" | ".." | "...")) | T::Kw(kw!("not" | "defined?"))
        )
    }

    pub(super) fn ternary(&mut self) -> PResult<Node> {
        let cond = self.range()?;
        self.ternary_rest(cond)
    }

    /// `cond ? a : b` after its condition.
    fn ternary_rest(&mut self, cond: Node) -> PResult<Node> {
        if self.is_op(op!("?")) {
            let line = self.line();
            self.advance();
            self.skip_newlines_only();
            let a = self.ternary_branch()?;
            self.skip_newlines_only();
            if !self.accept_op(op!(":")) {
                // `cond ? x :y` lexes `:y` as a symbol
                if let T::Sym(s) = *self.peek() {
                    let s = self.name(s);
                    self.advance();
                    let b = Node::new(
                        line,
                        Kind::Call(Box::new(Call {
                            recv: None,
                            name: s,
                            args: vec![],
                            block: None,
                            safe_nav: false,
                        })),
                    );
                    return Ok(Node::new(
                        line,
                        Kind::If(Box::new(cond), Box::new(a), Box::new(b)),
                    ));
                }
                return self.unexpected("':'");
            }
            self.skip_newlines_only();
            let b = self.ternary_branch()?;
            return Ok(Node::new(
                line,
                Kind::If(Box::new(cond), Box::new(a), Box::new(b)),
            ));
        }
        Ok(cond)
    }

    pub(super) fn ternary_branch(&mut self) -> PResult<Node> {
        // a label `x ? a: b` — the lexer made `a:` a label
        if let T::Label(id) = *self.peek() {
            let l = self.name(id);
            let line = self.line();
            self.advance();
            let n = if self.is_local(id) {
                Node::new(line, Kind::LVar(l.clone()))
            } else {
                call(line, None, l, vec![])
            };
            self.pos -= 1;
            self.toks[self.pos].t = T::Op(op!(":"));
            return Ok(n);
        }
        let saved = self.no_do;
        let e = self.expr();
        self.no_do = saved;
        e
    }

    pub(super) fn range(&mut self) -> PResult<Node> {
        let line = self.line();
        if self.is_op(op!("..")) || self.is_op(op!("...")) {
            let excl = self.is_op(op!("..."));
            self.advance();
            let hi = self.binary(1)?;
            return Ok(Node::new(line, Kind::Range(None, Some(Box::new(hi)), excl)));
        }
        let lo = self.binary(1)?;
        self.range_rest(line, lo)
    }

    /// `lo..hi` after its start.
    fn range_rest(&mut self, line: u32, lo: Node) -> PResult<Node> {
        if self.is_op(op!("..")) || self.is_op(op!("...")) {
            let excl = self.is_op(op!("..."));
            self.advance();
            // endless (`1..`) where nothing that starts an operand follows: the end of
            // a statement, a list's separator or closing bracket, a keyword after it
            let hi = if matches!(
                self.peek(),
                T::Nl
                    | T::Eof
                    | T::ErbOutEnd
                    | T::Op(op!(")" | "]" | "}" | "," | ";" | "=>"))
                    | T::Kw(kw!("then"
                        | "do"
                        | "end"
                        | "if"
                        | "unless"
                        | "while"
                        | "until"
                        | "rescue"))
            ) {
                None
            } else {
                Some(Box::new(self.binary(1)?))
            };
            return Ok(Node::new(line, Kind::Range(Some(Box::new(lo)), hi, excl)));
        }
        Ok(lo)
    }

    pub(super) fn binary(&mut self, min: u8) -> PResult<Node> {
        let left = self.unary()?;
        self.binary_rest(left, min)
    }

    /// The binary operators of precedence `min` and above after a first operand.
    fn binary_rest(&mut self, left: Node, min: u8) -> PResult<Node> {
        self.chain(|p| p.binary_links(left, min))
    }

    /// The operators after `left` of precedence `min` or more, each a link of a chain.
    fn binary_links(&mut self, mut left: Node, min: u8) -> PResult<Node> {
        let mut after_equality = false;
        while let T::Op(op) = *self.peek() {
            let Some(prec) = bin_prec(op) else { break };
            if prec < min {
                break;
            }
            self.link()?;
            // `==`, `=~`, `<=>`... do not chain: `a == b == c` is Ruby's syntax error
            if prec == EQUALITY && after_equality {
                return Err(crate::parser::SyntaxError::new(
                    self.line(),
                    format!("syntax error, unexpected {}", self.describe(self.peek())),
                ));
            }
            after_equality = prec == EQUALITY;
            let line = self.line();
            self.advance();
            self.skip_newlines_only();
            let right = if op == op!("**") {
                self.binary(prec)?
            } else {
                self.binary(prec + 1)?
            };
            let right = self.assignment(right.line, right)?;
            left = match op {
                op!("&&") => Node::new(line, Kind::And(Box::new(left), Box::new(right))),
                op!("||") => Node::new(line, Kind::Or(Box::new(left), Box::new(right))),
                op!("!=") => Node::new(
                    line,
                    Kind::Not(Box::new(call(
                        line,
                        Some(left),
                        self.names.get("=="),
                        vec![right],
                    ))),
                ),
                op!("!~") => Node::new(
                    line,
                    Kind::Not(Box::new(call(
                        line,
                        Some(left),
                        self.names.get("=~"),
                        vec![right],
                    ))),
                ),
                op!("=~") => self.match_op(line, left, right),
                _ => call(line, Some(left), self.names.get(op.as_str()), vec![right]),
            };
        }
        Ok(left)
    }

    /// Is the token after the current one `**`?
    fn next_is_pow(&self) -> bool {
        matches!(self.tok_at(1).t, T::Op(op!("**")))
    }

    pub(super) fn unary(&mut self) -> PResult<Node> {
        self.nested(Parser::unary_inner)
    }

    fn unary_inner(&mut self) -> PResult<Node> {
        let line = self.line();
        match *self.peek() {
            T::Op(op!("!")) => {
                self.advance();
                let e = self.unary()?;
                Ok(Node::new(line, Kind::Not(Box::new(e))))
            }
            T::Op(op!("-")) => {
                self.advance();
                match *self.peek() {
                    // `-2 ** 2` is `-(2 ** 2)`; `-2.abs` is `(-2).abs`
                    T::Int(i) if !self.tok().spc && !self.next_is_pow() => {
                        self.advance();
                        let n = Node::new(line, Kind::Int(-i));
                        self.postfix(n)
                    }
                    T::BigInt(i) if !self.tok().spc && !self.next_is_pow() => {
                        self.advance();
                        let n = Node::new(line, self.big_literal(i, true));
                        self.postfix(n)
                    }
                    T::Float(f) if !self.tok().spc && !self.next_is_pow() => {
                        self.advance();
                        let n = Node::new(line, Kind::Float(-f));
                        self.postfix(n)
                    }
                    _ => {
                        // unary minus binds looser than `**`: `-x ** 2` is `-(x ** 2)`
                        let mut e = self.unary()?;
                        if self.is_op(op!("**")) {
                            let l = self.line();
                            self.advance();
                            self.skip_newlines_only();
                            let rhs = self.binary(12)?;
                            e = call(l, Some(e), self.names.get("**"), vec![rhs]);
                        }
                        Ok(call(line, Some(e), self.names.get("-@"), vec![]))
                    }
                }
            }
            T::Op(op!("+")) => {
                self.advance();
                // `+7.fdiv(4)` is `(+7).fdiv(4)`: a number right after the sign is a literal
                if matches!(self.peek(), T::Int(_) | T::BigInt(_) | T::Float(_)) && !self.tok().spc
                {
                    let n = self.primary()?;
                    return self.postfix(n);
                }
                let e = self.unary()?;
                // `+x` is `x.+@`: nil, true and most objects have none; a number literal is
                // itself
                Ok(match e.kind {
                    Kind::Int(_) | Kind::Float(_) | Kind::BigInt(_) => e,
                    _ => call(line, Some(e), self.names.get("+@"), vec![]),
                })
            }
            T::Op(op!("~")) => {
                self.advance();
                let e = self.unary()?;
                Ok(call(line, Some(e), self.names.get("~"), vec![]))
            }
            T::Op(op!("&")) => {
                self.advance();
                let e = self.unary()?;
                Ok(Node::new(line, Kind::BlockPass(Box::new(e))))
            }
            T::Kw(kw!("not")) => {
                self.advance();
                self.refuse_label_first()?;
                let e = self.unary()?;
                Ok(Node::new(line, Kind::Not(Box::new(e))))
            }
            T::Kw(kw!("defined?")) => {
                self.advance();
                let paren = self.accept_op(op!("("));
                if !paren {
                    self.refuse_label_first()?;
                }
                let e = self.expr()?;
                if paren {
                    self.expect_op(op!(")"))?;
                    let n = Node::new(line, Kind::Defined(Box::new(e)));
                    return self.postfix(n);
                }
                Ok(Node::new(line, Kind::Defined(Box::new(e))))
            }
            _ => self.primary_postfix(),
        }
    }

    pub(super) fn primary_postfix(&mut self) -> PResult<Node> {
        let p = self.primary()?;
        self.postfix(p)
    }

    pub(super) fn postfix(&mut self, node: Node) -> PResult<Node> {
        self.chain(|p| p.postfix_links(node))
    }

    /// The calls, indexes and blocks after `node`, each a link of a chain.
    fn postfix_links(&mut self, mut node: Node) -> PResult<Node> {
        loop {
            // one look for the common case, an operand that nothing continues
            if !matches!(
                self.peek(),
                T::Op(op!("." | "&." | "::" | "[" | "{")) | T::Kw(kw!("do"))
            ) {
                return Ok(node);
            }
            self.link()?;
            let line = self.line();
            if self.is_op(op!(".")) || self.is_op(op!("&.")) {
                let safe = self.is_op(op!("&."));
                self.advance();
                self.skip_newlines_only();
                let name = match self.advance() {
                    T::Ident(n) | T::Const(n) => self.name(n),
                    T::Kw(k) => self.names.get(k.as_str()),
                    T::Label(l) => {
                        // `x.y:` cannot happen; treat as name followed by ':'
                        self.pos -= 1;
                        self.toks[self.pos].t = T::Op(op!(":"));
                        self.name(l)
                    }
                    T::Op(op!("(")) => {
                        // `proc.(args)`
                        self.pos -= 1;
                        self.names.get("call")
                    }
                    // `x.!` is `!x`
                    T::Op(op!("!")) => {
                        node = Node::new(line, Kind::Not(Box::new(node)));
                        if self.is_op(op!("("))
                            && !self.tok().spc
                            && matches!(self.tok_at(1).t, T::Op(op!(")")))
                        {
                            self.advance();
                            self.advance();
                        }
                        continue;
                    }
                    // operator methods called by name: `a.+(b)`, `a.<=>(b)`, `a.==(b)`
                    T::Op(
                        o @ op!("+"
                            | "-"
                            | "*"
                            | "/"
                            | "%"
                            | "**"
                            | "=="
                            | "!="
                            | "<=>"
                            | "<"
                            | ">"
                            | "<="
                            | ">="
                            | "<<"
                            | ">>"
                            | "&"
                            | "|"
                            | "^"
                            | "=~"
                            | "==="),
                    ) => self.names.get(o.as_str()),
                    _ => return self.unexpected("method name"),
                };
                node = self.call_rest(line, Some(node), name, safe)?;
            } else if self.is_op(op!("::")) {
                self.advance();
                match self.advance() {
                    T::Const(n) if !self.is_op(op!("(")) => {
                        let n = self.name(n);
                        node = Node::new(line, Kind::Const(Some(Box::new(node)), n));
                    }
                    T::Const(n) | T::Ident(n) => {
                        let n = self.name(n);
                        node = self.call_rest(line, Some(node), n, false)?;
                    }
                    _ => return self.unexpected("constant"),
                }
            } else if self.is_op(op!("[")) && !self.tok().spc {
                self.advance();
                let saved = self.no_do;
                self.no_do = false;
                let args = self.arg_list(op!("]"))?;
                self.no_do = saved;
                self.expect_op(op!("]"))?;
                node = call(line, Some(node), self.names.get("[]"), args);
            } else if self.is_op(op!("{")) && is_block_taker(&node) {
                let b = self.brace_block()?;
                attach_block(&mut node, b);
            } else if self.is_kw(kw!("do")) && !self.no_do && is_block_taker(&node) {
                let b = self.do_block()?;
                attach_block(&mut node, b);
            } else {
                return Ok(node);
            }
        }
    }

    /// After a method name: `(args)`, command args, or nothing.
    pub(super) fn call_rest(
        &mut self,
        line: u32,
        recv: Option<Node>,
        name: Name,
        safe: bool,
    ) -> PResult<Node> {
        // attribute assignment `x.y = v` is handled by `expr` via to_target
        let args = if self.is_op(op!("(")) && !self.tok().spc {
            self.advance();
            let saved = self.no_do;
            self.no_do = false;
            let a = self.arg_list(op!(")"))?;
            self.no_do = saved;
            self.expect_op(op!(")"))?;
            a
        } else if self.command_arg_follows() {
            self.command_args()?
        } else {
            Vec::new()
        };
        let node = Node::new(
            line,
            Kind::Call(Box::new(Call {
                recv,
                name,
                args,
                block: None,
                safe_nav: safe,
            })),
        );
        Ok(node)
    }
}

/// A call (by name, not a local variable or literal) can take a block.
fn is_block_taker(n: &Node) -> bool {
    match &n.kind {
        Kind::Call(c) => {
            c.block.is_none()
                && &*c.name != "[]"
                && !c.args.iter().any(|a| matches!(a.kind, Kind::BlockPass(_)))
        }
        Kind::Super(_) | Kind::Yield(_) => false,
        _ => false,
    }
}

fn attach_block(n: &mut Node, b: Rc<BlockDef>) {
    if let Kind::Call(c) = &mut n.kind {
        c.block = Some(b);
    }
}

pub(super) enum Arg {
    Plain(Node),
    Pair(Node, Node),
}

impl Parser {
    /// Where the arguments of a list being parsed start on the argument stack.
    pub(super) fn args_start(&self) -> usize {
        self.arg_stack.len()
    }

    /// The arguments parsed since `start` (this list's: nested lists have taken theirs), as
    /// the call's list: `f(a, k: 1, "l" => 2)`: the trailing `key: value` pairs form one
    /// hash argument. One stack for every list, and each list allocated to its size.
    pub(super) fn group_labels(&mut self, start: usize) -> Vec<Node> {
        // most lists are one plain argument: no counting, no pairs, no drain
        if start + 1 == self.arg_stack.len() && matches!(self.arg_stack.last(), Some(Arg::Plain(_)))
        {
            if let Some(Arg::Plain(n)) = self.arg_stack.pop() {
                return vec![n];
            }
        }
        // one element per plain argument and per run of pairs
        let mut n = 0;
        let mut in_pairs = false;
        for a in &self.arg_stack[start..] {
            let pair = matches!(a, Arg::Pair(..));
            if !(pair && in_pairs) {
                n += 1;
            }
            in_pairs = pair;
        }
        let mut out: Vec<Node> = Vec::with_capacity(n);
        let mut pairs: Vec<(Node, Node)> = Vec::new();
        for a in self.arg_stack.drain(start..) {
            match a {
                Arg::Pair(k, v) => pairs.push((k, v)),
                Arg::Plain(n) => {
                    if !pairs.is_empty() {
                        let line = pairs[0].0.line;
                        out.push(Node::new(line, Kind::Hash(std::mem::take(&mut pairs))));
                    }
                    out.push(n);
                }
            }
        }
        if !pairs.is_empty() {
            let line = pairs[0].0.line;
            out.push(Node::new(line, Kind::Hash(pairs)));
        }
        out
    }
}
