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
        while !self.is_op(op!("|")) {
            params.push(self.param()?);
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
        self.expect_op(op!("|"))?;
        let auto_splat = params.len() > 1
            || trailing_comma
            || (params.len() == 1
                && !matches!(
                    params[0],
                    Param::Req(_) | Param::Block(_) | Param::Destructure(_)
                ));
        Ok((params, auto_splat))
    }

    pub(super) fn brace_block(&mut self) -> PResult<Rc<BlockDef>> {
        self.expect_op(op!("{"))?;
        self.push_scope(false);
        let saved = self.no_do;
        self.no_do = false;
        let (params, auto_splat) = self.block_params()?;
        let body = self.stmts(ends!("}"))?;
        self.expect_op(op!("}"))?;
        self.no_do = saved;
        self.pop_scope();
        Ok(Rc::new(BlockDef {
            params,
            body,
            auto_splat,
            is_lambda: false,
        }))
    }

    pub(super) fn do_block(&mut self) -> PResult<Rc<BlockDef>> {
        let line = self.line();
        self.expect_kw(kw!("do"))?;
        self.push_scope(false);
        let saved = self.no_do;
        self.no_do = false;
        self.skip_newlines_only();
        let (params, auto_splat) = self.block_params()?;
        let body = self.body_with_rescue(line)?;
        self.no_do = saved;
        self.pop_scope();
        Ok(Rc::new(BlockDef {
            params,
            body,
            auto_splat,
            is_lambda: false,
        }))
    }
}
