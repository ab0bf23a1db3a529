//! Primary expressions: literals, names, `(...)`, arrays, hashes, lambdas, keywords that
//! start expressions (`if`, `case`, `def`, `begin`, `return`...), string interpolation.

use std::rc::Rc;

use super::ast::*;
use super::expr::call;
use super::lexer::{kw, op, Kw, Lit, SPart, T};
use super::parser::ends;
use super::parser::{PResult, Parser, SyntaxError};

impl Parser {
    /// After `not` and an unparenthesised `defined?`, the director's Ruby (3.4) reads a
    /// hash whose first key is a label (`not {a: 1}`, `defined? {"a": 1}`) as a syntax
    /// error at the label, and any other hash (`not {"a" => 1}`) as a hash.
    pub(super) fn refuse_label_first(&self) -> PResult<()> {
        if !self.is_op(op!("{")) {
            return Ok(());
        }
        let mut n = 1;
        while matches!(self.peek_at(n), T::Nl) {
            n += 1;
        }
        let label = match self.peek_at(n) {
            T::Label(_) => true,
            T::Str(_) => {
                let colon = self.tok_at(n + 1);
                matches!(colon.t, T::Op(op!(":"))) && !colon.spc
            }
            _ => false,
        };
        if label {
            return Err(SyntaxError::new(
                self.tok_at(n).line,
                "syntax error, unexpected ':'",
            ));
        }
        Ok(())
    }

    pub(super) fn primary(&mut self) -> PResult<Node> {
        let line = self.line();
        let spc_next = |p: &Parser| p.tok_at(1).spc;
        let _ = spc_next;
        match self.advance() {
            T::Int(i) => Ok(Node::new(line, Kind::Int(i))),
            T::BigInt(i) => Ok(Node::new(line, self.big_literal(i, false))),
            T::Float(f) => Ok(Node::new(line, Kind::Float(f))),
            T::Str(i) => {
                if !matches!(self.peek(), T::Str(_)) {
                    // a literal alone (adjacent ones concatenate below)
                    return Ok(Node::new(
                        line,
                        match self.take_lit(i) {
                            Lit::Plain(s) => Kind::PlainStr(s),
                            lit => Kind::Str(self.str_parts(lit.into_parts())?),
                        },
                    ));
                }
                let mut parts = self.take_str(i)?;
                // adjacent literals concatenate
                while let T::Str(more) = *self.peek() {
                    self.advance();
                    let more = self.take_str(more)?;
                    parts.extend(more);
                }
                Ok(Node::new(line, Kind::Str(parts)))
            }
            // refused when it runs, not when the template compiles: a command in a branch
            // the properties never take does not stop the rest of the template
            T::XStr => Ok(call(line, None, self.names.get("`"), vec![])),
            T::Sym(s) => Ok(Node::new(line, Kind::Sym(self.name(s)))),
            T::DSym(i) => {
                let parts = self.take_str(i)?;
                Ok(Node::new(line, Kind::DSym(parts)))
            }
            T::Regex(i) => {
                let (parts, flags) = match self.take_lit(i) {
                    Lit::Regex(p, f) => (p, f),
                    _ => (Vec::new(), String::new()),
                };
                Ok(Node::new(
                    line,
                    Kind::Regex(Box::new((self.str_parts(parts)?, flags))),
                ))
            }
            T::Words(i, sym) => {
                let words = match self.take_lit(i) {
                    Lit::Words(w) => w,
                    _ => Vec::new(),
                };
                let mut items = Vec::new();
                for w in words {
                    let parts = self.str_parts(w)?;
                    items.push(Node::new(
                        line,
                        if sym {
                            Kind::DSym(parts)
                        } else {
                            Kind::Str(parts)
                        },
                    ));
                }
                Ok(Node::new(line, Kind::Array(items)))
            }
            T::IVar(n) => Ok(Node::new(line, Kind::IVar(self.name(n)))),
            T::GVar(n) => Ok(Node::new(line, Kind::GVar(self.name(n)))),
            T::Const(n) => {
                let n = self.name(n);
                if self.is_op(op!("(")) && !self.tok().spc {
                    return self.call_rest(line, None, n, false);
                }
                if matches!(self.peek(), T::Str(_)) && self.tok().spc {
                    // `Integer "3"` style command call on a constant-named method
                    return self.call_rest(line, None, n, false);
                }
                Ok(Node::new(line, Kind::Const(None, n)))
            }
            T::Label(l) => {
                // a bare `key: value` list as the only argument (e.g. after `return`)
                self.pos -= 1;
                let _ = l;
                let args = self.command_args_force()?;
                Ok(args)
            }
            T::Ident(n) => self.identifier(line, n),
            T::ErbText(i) => Ok(self.erb_text(line, i)),
            T::ErbOut => self.erb_out(line),
            T::Op(op!("(")) => {
                let saved = self.no_do;
                self.no_do = false;
                let body = if self.is_op(op!(")")) {
                    Node::nil(line)
                } else {
                    self.stmts(ends!(")"))?
                };
                self.no_do = saved;
                self.expect_op(op!(")"))?;
                Ok(body)
            }
            T::Op(op!("[")) => {
                let saved = self.no_do;
                self.no_do = false;
                let items = self.arg_list(op!("]"))?;
                self.no_do = saved;
                self.expect_op(op!("]"))?;
                Ok(Node::new(line, Kind::Array(items)))
            }
            T::Op(op!("{")) => self.hash_literal(line),
            T::Op(op!("->")) => {
                self.push_scope(false);
                let params = if self.accept_op(op!("(")) {
                    let p = self.param_list(Some(op!(")")))?;
                    self.expect_op(op!(")"))?;
                    p
                } else {
                    let mut ps = Vec::new();
                    while matches!(self.peek(), T::Ident(_)) {
                        ps.push(self.param()?);
                        if !self.accept_op(op!(",")) {
                            break;
                        }
                    }
                    ps
                };
                let body = if self.accept_op(op!("{")) {
                    let b = self.stmts(ends!("}"))?;
                    self.expect_op(op!("}"))?;
                    b
                } else {
                    self.expect_kw(kw!("do"))?;
                    self.body_with_rescue(line)?
                };
                let body = self.scope_body(body, self.innermost_start(), &params);
                self.pop_scope();
                Ok(Node::new(
                    line,
                    Kind::Lambda(Rc::new(BlockDef::new(params, body, false, true))),
                ))
            }
            T::Op(op!("::")) => match self.advance() {
                T::Const(n) => Ok(Node::new(line, Kind::Const(None, self.name(n)))),
                _ => self.unexpected("constant"),
            },
            t @ (T::Op(op!("..")) | T::Op(op!("..."))) => {
                self.retreat(t);
                self.unexpected("expression")
            }
            T::Kw(k) => self.keyword(line, k),
            t => {
                self.retreat(t);
                let t = self.peek();
                Err(SyntaxError::new(
                    line,
                    format!("syntax error, unexpected {}", self.describe(t)),
                ))
            }
        }
    }

    /// Template text `i`.
    pub(super) fn erb_text(&mut self, line: u32, i: u32) -> Node {
        let bytes = match self.take_lit(i) {
            Lit::Text(b) => b,
            _ => Rc::from(&[][..]),
        };
        Node::new(line, Kind::ErbText(bytes))
    }

    /// A `<%= %>` output, after its opening.
    pub(super) fn erb_out(&mut self, line: u32) -> PResult<Node> {
        let body = self.stmts(ends!())?;
        if !matches!(self.advance(), T::ErbOutEnd) {
            return Err(SyntaxError::new(
                line,
                "syntax error, unexpected end-of-input, expecting ')'",
            ));
        }
        Ok(Node::new(line, Kind::ErbOut(Box::new(body))))
    }

    pub(super) fn command_args_force(&mut self) -> PResult<Node> {
        let line = self.line();
        let args = {
            let saved = self.no_do;
            self.no_do = true;
            let start = self.args_start();
            loop {
                let a = self.arg()?;
                self.arg_stack.push(a);
                if !self.accept_op(op!(",")) {
                    break;
                }
            }
            self.no_do = saved;
            self.group_labels(start)
        };
        if args.len() == 1 {
            return Ok(args.into_iter().next().unwrap());
        }
        Ok(Node::new(line, Kind::Array(args)))
    }

    pub(super) fn identifier(&mut self, line: u32, id: u32) -> PResult<Node> {
        let n = self.name(id);
        if self.is_local(id) && (!self.is_op(op!("(")) || self.tok().spc) {
            // `x [1]` with a local x is indexing
            return Ok(Node::new(line, Kind::LVar(n)));
        }
        if (&*n == "lambda" || &*n == "proc") && (self.is_op(op!("{")) || self.is_kw(kw!("do"))) {
            {
                let b = if self.is_op(op!("{")) {
                    self.brace_block()?
                } else {
                    self.do_block()?
                };
                let mut bd = Rc::try_unwrap(b).unwrap_or_else(|b| {
                    BlockDef::new(vec![], Node::nil(b.body.line), false, false)
                });
                bd.is_lambda = &*n == "lambda";
                return Ok(Node::new(line, Kind::Lambda(Rc::new(bd))));
            }
        }
        if self.implicit_param(id, &n) {
            return Ok(Node::new(line, Kind::LVar(n)));
        }
        if &*n == "__LINE__" {
            return Ok(Node::new(line, Kind::Int(line.into())));
        }
        self.call_rest(line, None, n, false)
    }

    pub(super) fn hash_literal(&mut self, line: u32) -> PResult<Node> {
        let saved = self.no_do;
        self.no_do = false;
        let mut pairs = Vec::new();
        self.skip_nl();
        while !self.is_op(op!("}")) {
            let kline = self.line();
            if let T::Label(id) = *self.peek() {
                let l = self.name(id);
                self.advance();
                self.skip_nl();
                let v = if self.is_op(op!(",")) || self.is_op(op!("}")) {
                    if self.is_local(id) {
                        Node::new(kline, Kind::LVar(l.clone()))
                    } else {
                        call(kline, None, l.clone(), vec![])
                    }
                } else {
                    self.expr()?
                };
                pairs.push((Node::new(kline, Kind::Sym(l)), v));
            } else if self.accept_op(op!("**")) {
                let e = self.ternary()?;
                pairs.push((
                    Node::new(kline, Kind::DoubleSplat(Box::new(e))),
                    Node::nil(kline),
                ));
            } else {
                let k = self.expr()?;
                self.skip_nl();
                if let (Kind::Str(_) | Kind::PlainStr(_), true) = (&k.kind, self.is_op(op!(":"))) {
                    // "string": value
                    self.advance();
                    self.skip_nl();
                    let v = self.expr()?;
                    pairs.push((string_label(k), v));
                } else {
                    self.expect_op(op!("=>"))?;
                    self.skip_nl();
                    let v = self.expr()?;
                    pairs.push((k, v));
                }
            }
            self.skip_nl();
            if !self.accept_op(op!(",")) {
                break;
            }
            self.skip_nl();
        }
        self.skip_nl();
        self.expect_op(op!("}"))?;
        self.no_do = saved;
        Ok(Node::new(line, Kind::Hash(pairs)))
    }

    pub(super) fn keyword(&mut self, line: u32, k: Kw) -> PResult<Node> {
        match k {
            kw!("nil") => Ok(Node::new(line, Kind::Nil)),
            kw!("true") => Ok(Node::new(line, Kind::True)),
            kw!("false") => Ok(Node::new(line, Kind::False)),
            kw!("self") => Ok(Node::new(line, Kind::SelfRef)),
            kw!("if") => self.parse_if(line, false),
            kw!("unless") => self.parse_if(line, true),
            kw!("while") => self.parse_while(line, false),
            kw!("until") => self.parse_while(line, true),
            kw!("for") => self.parse_for(line),
            kw!("case") => self.parse_case(line),
            kw!("def") => self.parse_def(line),
            kw!("class") => self.parse_class(line, false),
            kw!("module") => self.parse_class(line, true),
            kw!("begin") => {
                let body = self.body_with_rescue(line)?;
                // `begin ... end while cond` runs the body first
                if self.is_kw(kw!("while")) || self.is_kw(kw!("until")) {
                    let until = self.is_kw(kw!("until"));
                    self.advance();
                    let cond = self.expr_stmt()?;
                    let l = Node::new(
                        line,
                        Kind::While(Box::new(cond), Box::new(body.clone()), until),
                    );
                    return Ok(Node::new(line, Kind::Seq(vec![body, l])));
                }
                Ok(body)
            }
            kw!("return" | "break" | "next") => {
                let val = if self.value_follows() {
                    Some(Box::new(self.jump_value()?))
                } else {
                    None
                };
                Ok(Node::new(
                    line,
                    match k {
                        kw!("return") => Kind::Return(val),
                        kw!("break") => Kind::Break(val),
                        _ => Kind::Next(val),
                    },
                ))
            }
            kw!("yield") => {
                let args = if self.is_op(op!("(")) && !self.tok().spc {
                    self.advance();
                    let a = self.arg_list(op!(")"))?;
                    self.expect_op(op!(")"))?;
                    a
                } else if self.command_arg_follows() {
                    self.command_args()?
                } else {
                    Vec::new()
                };
                Ok(Node::new(line, Kind::Yield(args)))
            }
            kw!("super") => {
                let args = if self.is_op(op!("(")) && !self.tok().spc {
                    self.advance();
                    let a = self.arg_list(op!(")"))?;
                    self.expect_op(op!(")"))?;
                    Some(a)
                } else if self.command_arg_follows() {
                    Some(self.command_args()?)
                } else {
                    self.zsupers += 1;
                    None
                };
                Ok(Node::new(line, Kind::Super(args)))
            }
            kw!("defined?") => {
                let paren = self.accept_op(op!("("));
                if !paren {
                    self.refuse_label_first()?;
                }
                let e = self.expr()?;
                if paren {
                    self.expect_op(op!(")"))?;
                }
                Ok(Node::new(line, Kind::Defined(Box::new(e))))
            }
            kw!("not") => {
                self.refuse_label_first()?;
                let e = self.expr()?;
                Ok(Node::new(line, Kind::Not(Box::new(e))))
            }
            kw!("alias") => self.parse_alias(line),
            kw!("retry") if self.in_rescue => Ok(Node::new(line, Kind::Retry)),
            kw!("retry") => Err(SyntaxError::new(line, "Invalid retry")),
            kw!("undef" | "redo") => Err(SyntaxError::new(
                line,
                format!("unsupported construct: {k}"),
            )),
            _ => {
                self.pos -= 1;
                self.unexpected("expression")
            }
        }
    }

    pub(super) fn value_follows(&self) -> bool {
        !matches!(self.peek(), T::Nl | T::Eof | T::ErbOutEnd)
            && !self.is_op(op!(";"))
            && !self.is_op(op!("}"))
            && !self.is_op(op!(")"))
            && !matches!(
                self.peek(),
                T::Kw(kw!("if" | "unless" | "end" | "while" | "until" | "rescue"))
            )
    }

    pub(super) fn jump_value(&mut self) -> PResult<Node> {
        let line = self.line();
        let start = self.args_start();
        let a = self.arg()?;
        self.arg_stack.push(a);
        while self.accept_op(op!(",")) {
            let a = self.arg()?;
            self.arg_stack.push(a);
        }
        let mut items = self.group_labels(start);
        if items.len() == 1 {
            return Ok(items.pop().unwrap());
        }
        Ok(Node::new(line, Kind::Array(items)))
    }

    /// The parts of string literal `i`.
    fn take_str(&mut self, i: u32) -> PResult<Vec<StrPart>> {
        match self.take_lit(i) {
            Lit::Plain(s) => Ok(vec![StrPart::Lit(s)]),
            lit => self.str_parts(lit.into_parts()),
        }
    }

    pub(super) fn str_parts(&mut self, parts: Vec<SPart>) -> PResult<Vec<StrPart>> {
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                SPart::Lit(s) => out.push(StrPart::Lit(s)),
                SPart::Code(mut toks) => {
                    let line = toks.first().map(|t| t.line).unwrap_or(self.line());
                    toks.push(super::lexer::Token {
                        t: T::Eof,
                        line,
                        spc: false,
                    });
                    // the interpolation's tokens are parsed in this parser's scopes: locals
                    // assigned inside it stay visible after it, as in Ruby
                    let outer_toks = std::mem::replace(&mut self.toks, toks);
                    let outer_pos = std::mem::replace(&mut self.pos, 0);
                    let outer_no_do = std::mem::replace(&mut self.no_do, false);
                    let body = self.stmts(ends!()).and_then(|body| {
                        if matches!(self.peek(), T::Eof) {
                            Ok(body)
                        } else {
                            self.unexpected("'}'")
                        }
                    });
                    self.toks = outer_toks;
                    self.pos = outer_pos;
                    self.no_do = outer_no_do;
                    out.push(StrPart::Code(Box::new(body?)));
                }
            }
        }
        Ok(out)
    }
}

impl Parser {
    /// The node of an integer literal past 64 bits (lexed as its decimal digits), negated
    /// for `-LITERAL`: `-9223372036854775808` fits 64 bits again.
    pub(super) fn big_literal(&self, i: u32, negate: bool) -> Kind {
        let b = match &self.lits[i as usize] {
            Lit::Plain(s) => s.parse::<num_bigint::BigInt>().unwrap_or_default(),
            _ => num_bigint::BigInt::default(),
        };
        match crate::methods::bignum::int(if negate { -b } else { b }) {
            crate::value::Value::Big(b) => Kind::BigInt(b),
            crate::value::Value::Int(i) => Kind::Int(i),
            _ => Kind::Nil,
        }
    }
}

/// The key `"string": value` makes: its string (interpolated or not) as a symbol.
pub(super) fn string_label(k: Node) -> Node {
    let line = k.line;
    match k.kind {
        Kind::Str(p) => Node::new(line, Kind::DSym(p)),
        Kind::PlainStr(s) => Node::new(line, Kind::DSym(vec![StrPart::Lit(s)])),
        other => Node::new(line, other),
    }
}
