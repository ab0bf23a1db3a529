//! Call arguments and blocks: parenthesised and command-style argument lists, splats,
//! `key: value` pairs, block parameters, `{ }` and `do ... end` blocks.

use std::rc::Rc;

use super::ast::*;
use super::expr::{call, Arg};
use super::lexer::{kw, op, Op, T};
use super::parser::ends;
use super::parser::{PResult, Parser};

impl Parser {
    /// Is the next token the start of an argument of a parenthesis-less call?
    /// `if`/`unless` after a method name are always modifiers in Ruby (`raise E.new if c`).
    pub(super) fn command_arg_follows(&self) -> bool {
        let tok = self.tok();
        if !tok.spc {
            return false;
        }
        let next_tight = !self.tok_at(1).spc;
        match &tok.t {
            t if t.is_operand() => true,
            T::Label(_) => true,
            T::Kw(k) => matches!(
                *k,
                kw!("nil"
                    | "true"
                    | "false"
                    | "self"
                    | "not"
                    | "defined?"
                    | "__method__"
                    | "super"
                    | "yield"
                    | "case"
                    | "begin")
            ),
            T::Op(o) => match *o {
                op!("[" | "(" | "->" | "::") => true,
                op!("-" | "*" | "&" | "!" | "**" | ":") => next_tight,
                _ => false,
            },
            _ => false,
        }
    }

    pub(super) fn command_args(&mut self) -> PResult<Vec<Node>> {
        let saved = self.no_do;
        self.no_do = true;
        let start = self.args_start();
        loop {
            let a = self.arg()?;
            self.arg_stack.push(a);
            if !self.accept_op(op!(",")) {
                break;
            }
            self.skip_newlines_only();
        }
        self.no_do = saved;
        Ok(self.group_labels(start))
    }

    pub(super) fn arg_list(&mut self, close: Op) -> PResult<Vec<Node>> {
        let start = self.args_start();
        self.skip_nl();
        while !self.is_op(close) {
            let a = self.arg()?;
            self.arg_stack.push(a);
            self.skip_newlines_only();
            if !self.accept_op(op!(",")) {
                break;
            }
            self.skip_nl();
        }
        self.skip_nl();
        Ok(self.group_labels(start))
    }

    /// One argument: splat, block pass, `key: v`, `"k" => v`, or an expression.
    pub(super) fn arg(&mut self) -> PResult<Arg> {
        let line = self.line();
        match self.peek() {
            T::Op(op!("*")) => {
                self.advance();
                let e = self.ternary()?;
                return Ok(Arg::Plain(Node::new(line, Kind::Splat(Box::new(e)))));
            }
            T::Op(op!("**")) => {
                self.advance();
                let e = self.ternary()?;
                let k = Node::new(line, Kind::DoubleSplat(Box::new(e)));
                return Ok(Arg::Pair(k, Node::nil(line)));
            }
            T::Op(op!("&")) => {
                self.advance();
                let e = self.ternary()?;
                return Ok(Arg::Plain(Node::new(line, Kind::BlockPass(Box::new(e)))));
            }
            T::Label(id) => {
                let id = *id;
                let l = self.name(id);
                self.advance();
                self.skip_newlines_only();
                let v = if self.is_op(op!(",")) || self.is_op(op!(")")) || self.is_op(op!("]")) {
                    // `f(x:)` shorthand
                    if self.is_local(id) {
                        Node::new(line, Kind::LVar(l.clone()))
                    } else {
                        call(line, None, l.clone(), vec![])
                    }
                } else {
                    self.arg_value()?
                };
                let k = Node::new(line, Kind::Sym(l));
                return Ok(Arg::Pair(k, v));
            }
            _ => {}
        }
        let e = self.arg_value()?;
        // `["name": v]`, `f("name": v)`: a quoted label, its colon right after the quote
        if matches!(e.kind, Kind::Str(_) | Kind::PlainStr(_))
            && self.is_op(op!(":"))
            && !self.tok().spc
        {
            self.advance();
            self.skip_newlines_only();
            let v = self.arg_value()?;
            return Ok(Arg::Pair(super::primary::string_label(e), v));
        }
        if self.accept_op(op!("=>")) {
            self.skip_newlines_only();
            let v = self.arg_value()?;
            return Ok(Arg::Pair(e, v));
        }
        Ok(Arg::Plain(e))
    }

    pub(super) fn arg_value(&mut self) -> PResult<Node> {
        self.expr()
    }

    pub(super) fn block_params(&mut self) -> PResult<(Vec<Param>, bool)> {
        if !self.accept_op(op!("|")) {
            if self.accept_op(op!("||")) {
                return Ok((Vec::new(), false));
            }
            return Ok((Vec::new(), false));
        }
        let mut params = Vec::new();
        let mut trailing_comma = false;
        let saved = std::mem::replace(&mut self.pipe_params, true);
        while !self.is_op(op!("|")) {
            let p = self.param();
            let p = match p {
                Ok(p) => p,
                Err(e) => {
                    self.pipe_params = saved;
                    return Err(e);
                }
            };
            params.push(p);
            if self.accept_op(op!(",")) {
                if self.is_op(op!("|")) {
                    trailing_comma = true;
                }
                continue;
            }
            if self.accept_op(op!(";")) {
                // block-local variables
                while let T::Ident(n) = *self.peek() {
                    self.advance();
                    self.declare(n);
                    self.accept_op(op!(","));
                }
            }
            break;
        }
        self.pipe_params = saved;
        self.expect_op(op!("|"))?;
        let auto_splat = trailing_comma || splats(&params);
        Ok((params, auto_splat))
    }

    pub(super) fn brace_block(&mut self) -> PResult<Rc<BlockDef>> {
        self.expect_op(op!("{"))?;
        self.push_scope(false);
        let saved = self.no_do;
        self.no_do = false;
        let open = self.without_params();
        let (params, auto_splat) = self.block_params()?;
        self.implicit.push(open.then(Implicit::default));
        let body = self.stmts(ends!("}"));
        let (params, auto_splat) = self.implicit_done(params, auto_splat);
        let body = self.scope_body(body?, self.innermost_start(), &params);
        self.expect_op(op!("}"))?;
        self.no_do = saved;
        self.pop_scope();
        Ok(Rc::new(BlockDef::new(params, body, auto_splat, false)))
    }

    pub(super) fn do_block(&mut self) -> PResult<Rc<BlockDef>> {
        let line = self.line();
        self.expect_kw(kw!("do"))?;
        self.push_scope(false);
        let saved = self.no_do;
        self.no_do = false;
        self.skip_newlines_only();
        let open = self.without_params();
        let (params, auto_splat) = self.block_params()?;
        self.implicit.push(open.then(Implicit::default));
        let body = self.body_with_rescue(line);
        let (params, auto_splat) = self.implicit_done(params, auto_splat);
        let body = self.scope_body(body?, self.innermost_start(), &params);
        self.no_do = saved;
        self.pop_scope();
        Ok(Rc::new(BlockDef::new(params, body, auto_splat, false)))
    }
}

/// Whether a block with these parameters takes apart a lone array argument, as Ruby 3.4's
/// block setup decides: not for one plain parameter (`|a|`, also beside `&b` or keywords),
/// nor for a lone rest or optional one (`|*a|`, `|a = 1|`); yes once a required parameter
/// stands beside other positional ones, and for two optional ones. Keywords do not count
/// (Ruby 3.1 split `|a, k: 1|`; 3.2 stopped).
fn splats(params: &[Param]) -> bool {
    let positional: Vec<&Param> = params
        .iter()
        .filter(|p| !matches!(p, Param::Block(_) | Param::Key(..) | Param::KwRest(_)))
        .collect();
    match positional.as_slice() {
        [] | [Param::Req(_)] | [Param::Destructure(_)] => false,
        _ => {
            positional
                .iter()
                .any(|p| matches!(p, Param::Req(_) | Param::Destructure(_)))
                || positional
                    .iter()
                    .filter(|p| matches!(p, Param::Opt(..)))
                    .count()
                    >= 2
        }
    }
}

/// The implicit parameters a block written without any used: the highest numbered one
/// (`_2` makes it take two, as `|_1, _2|`), and `it` (Ruby 3.4's single parameter).
#[derive(Default, Clone, Copy)]
pub(crate) struct Implicit {
    numbered: u8,
    it: bool,
}

impl Parser {
    /// A block's parameter list is not written (`{ |x| }` and `{ || }` write one).
    fn without_params(&self) -> bool {
        !self.is_op(op!("|")) && !self.is_op(op!("||"))
    }

    /// `_1`...`_9`, or a bare `it`, in a block written without parameters: a parameter
    /// of that block (from here on a local of it).
    pub(super) fn implicit_param(&mut self, id: u32, n: &str) -> bool {
        let b = n.as_bytes();
        let numbered =
            (b.len() == 2 && b[0] == b'_' && (b'1'..=b'9').contains(&b[1])).then(|| b[1] - b'0');
        if numbered.is_none() && !(n == "it" && self.bare_name()) {
            return false;
        }
        let Some(Some(used)) = self.implicit.last_mut() else {
            return false;
        };
        match numbered {
            Some(k) => used.numbered = used.numbered.max(k),
            None => used.it = true,
        }
        self.declare(id);
        true
    }

    /// A name not called with arguments: `it`, `it.x`, `it[0]`, not `it(1)` nor `it "x"`.
    fn bare_name(&self) -> bool {
        let t = self.tok();
        match t.t {
            T::Op(op!("(")) => false,
            T::Int(_)
            | T::BigInt(_)
            | T::Float(_)
            | T::Str(_)
            | T::XStr
            | T::Sym(_)
            | T::DSym(_)
            | T::Regex(_)
            | T::Words(..)
            | T::Ident(_)
            | T::Const(_)
            | T::IVar(_)
            | T::GVar(_)
            | T::Label(_) => !t.spc,
            _ => true,
        }
    }

    /// Ends a block's body: its parameters, the implicit ones when it used any.
    fn implicit_done(&mut self, params: Vec<Param>, auto_splat: bool) -> (Vec<Param>, bool) {
        let used = self.implicit.pop().flatten().unwrap_or_default();
        if used.numbered > 0 {
            let params = (1..=used.numbered)
                .map(|k| {
                    let id = self.names.id(&format!("_{k}"));
                    Param::Req(self.name(id))
                })
                .collect();
            (params, used.numbered > 1)
        } else if used.it {
            let id = self.names.id("it");
            (vec![Param::Req(self.name(id))], false)
        } else {
            (params, auto_splat)
        }
    }
}
