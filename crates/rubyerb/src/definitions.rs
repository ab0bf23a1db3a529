//! Definitions: `def` (names, operators, setters, endless form), parameter lists (optional,
//! splat, keyword, block, destructuring), `class`/`module` and `class << self`; and the
//! scopes they and blocks open, each body with the locals it declares.

use std::rc::Rc;

use super::ast::*;
use super::lexer::{kw, op, Op, T};
use super::parser::ends;
use super::parser::{PResult, Parser};

impl Parser {
    // ---- scopes (the locals each body declares, `locals.rs`) ----
    pub(super) fn declare(&mut self, name: u32) {
        self.scopes.declare(name);
    }
    pub(super) fn declare_name(&mut self, name: &str) {
        let i = self.names.id(name);
        self.declare(i);
    }
    pub(super) fn is_local(&self, name: u32) -> bool {
        self.scopes.is_local(name)
    }
    /// A method, block, lambda or class body: its own locals, and no `retry` of the
    /// `rescue` clause it is written in.
    pub(super) fn push_scope(&mut self, hard: bool) {
        self.scopes.push(hard);
        self.rescue_hidden.push(std::mem::take(&mut self.in_rescue));
    }
    pub(super) fn pop_scope(&mut self) {
        self.scopes.pop();
        self.in_rescue = self.rescue_hidden.pop().unwrap_or(false);
    }
    /// Parses a rescue clause's body (or a modifier rescue's right side) with `parse`,
    /// where `retry` may be written.
    pub(super) fn in_rescue_clause<X>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> PResult<X>,
    ) -> PResult<X> {
        let outer = std::mem::replace(&mut self.in_rescue, true);
        let r = parse(self);
        self.in_rescue = outer;
        r
    }
    /// `body` as the body of the innermost scope: with the locals declared in it since
    /// `mark` that are not among `params` (see [`Kind::Locals`]).
    pub(super) fn scope_body(&self, body: Node, mark: usize, params: &[Param]) -> Node {
        let names = self.scopes.locals_since(mark, params, &self.names);
        if names.is_empty() {
            return body;
        }
        Node::new(body.line, Kind::Locals(Box::new((names, body))))
    }
    pub(super) fn innermost_start(&self) -> usize {
        self.scopes.innermost_start()
    }

    pub(super) fn parse_def(&mut self, line: u32) -> PResult<Node> {
        let mut singleton = false;
        if self.is_kw(kw!("self")) && matches!(self.peek_at(1), T::Op(op!("."))) {
            self.advance();
            self.advance();
            singleton = true;
        }
        let name: Name = match self.advance() {
            T::Ident(n) | T::Const(n) => {
                let n = self.name(n);
                if self.is_op(op!("="))
                    && !self.tok().spc
                    && matches!(self.peek_at(1), T::Op(op!("(")))
                {
                    self.advance();
                    format!("{n}=").into()
                } else {
                    n
                }
            }
            T::Kw(k) => k.as_str().into(),
            T::Label(n) => self.name(n),
            T::Op(o) => match o {
                op!("[") => {
                    self.expect_op(op!("]"))?;
                    if self.accept_op(op!("=")) {
                        "[]=".into()
                    } else {
                        "[]".into()
                    }
                }
                o => o.as_str().into(),
            },
            _ => return self.unexpected("method name"),
        };
        self.push_scope(true);
        let zsupers = self.zsupers;
        let params = if self.accept_op(op!("(")) {
            let p = self.param_list(Some(op!(")")))?;
            self.expect_op(op!(")"))?;
            p
        } else if matches!(self.peek(), T::Nl) || self.is_op(op!(";")) || self.is_op(op!("=")) {
            Vec::new()
        } else {
            self.param_list(None)?
        };
        let body = if self.accept_op(op!("=")) {
            // endless def
            self.skip_newlines_only();
            self.stmt()?
        } else {
            self.body_with_rescue(line)?
        };
        let body = self.scope_body(body, self.innermost_start(), &params);
        self.pop_scope();
        let plain = plain_params(&params);
        let def = MethodDef {
            name,
            plain,
            params,
            body,
            singleton,
            zsuper: self.zsupers != zsupers,
        };
        Ok(Node::new(line, Kind::Def(Rc::new(def))))
    }

    /// `alias new old`: each a method name, bare or as a symbol (`alias :new :old`).
    pub(super) fn parse_alias(&mut self, line: u32) -> PResult<Node> {
        let new = self.alias_name()?;
        let old = self.alias_name()?;
        Ok(Node::new(line, Kind::Alias(Box::new((new, old)))))
    }

    /// A name after `alias`, which may start on a later line.
    fn alias_name(&mut self) -> PResult<Name> {
        self.skip_newlines_only();
        Ok(match self.advance() {
            T::Ident(n) | T::Const(n) | T::Sym(n) => self.name(n),
            T::Kw(k) => k.as_str().into(),
            T::Op(op!("[")) => {
                self.expect_op(op!("]"))?;
                if self.accept_op(op!("=")) {
                    "[]=".into()
                } else {
                    "[]".into()
                }
            }
            T::Op(o) => o.as_str().into(),
            T::GVar(_) => {
                self.pos -= 1;
                return self.unexpected("method name (bale does not alias global variables)");
            }
            _ => {
                self.pos -= 1;
                return self.unexpected("method name");
            }
        })
    }

    /// Parameters up to `close`, or up to the end of the line without one (`def f a, b`).
    pub(super) fn param_list(&mut self, close: Option<Op>) -> PResult<Vec<Param>> {
        let mut params = Vec::new();
        loop {
            self.skip_newlines_only();
            if close.is_some_and(|c| self.is_op(c))
                || (close.is_none() && matches!(self.peek(), T::Nl))
            {
                break;
            }
            params.push(self.param()?);
            if !self.accept_op(op!(",")) {
                break;
            }
        }
        Ok(params)
    }

    /// A parameter's default: any expression in a method's list, a unary one between a
    /// block's pipes.
    fn default_value(&mut self) -> PResult<Node> {
        if self.pipe_params {
            self.unary()
        } else {
            self.ternary()
        }
    }

    pub(super) fn param(&mut self) -> PResult<Param> {
        let t = self.advance();
        Ok(match t {
            T::Ident(id) => {
                self.declare(id);
                let n = self.name(id);
                if self.accept_op(op!("=")) {
                    Param::Opt(n, self.default_value()?)
                } else {
                    Param::Req(n)
                }
            }
            T::Label(id) => {
                self.declare(id);
                let n = self.name(id);
                if self.is_op(op!(","))
                    || self.is_op(op!(")"))
                    || self.is_op(op!("|"))
                    || matches!(self.peek(), T::Nl)
                {
                    Param::Key(n, None)
                } else {
                    Param::Key(n, Some(self.default_value()?))
                }
            }
            T::Op(op!("*")) => match *self.peek() {
                T::Ident(n) => {
                    self.advance();
                    self.declare(n);
                    Param::Rest(Some(self.name(n)))
                }
                _ => Param::Rest(None),
            },
            T::Op(op!("**")) => match *self.peek() {
                T::Ident(n) => {
                    self.advance();
                    self.declare(n);
                    Param::KwRest(Some(self.name(n)))
                }
                _ => Param::KwRest(None),
            },
            T::Op(op!("&")) => match self.advance() {
                T::Ident(n) => {
                    self.declare(n);
                    Param::Block(self.name(n))
                }
                _ => return self.unexpected("block parameter name"),
            },
            T::Op(op!("(")) => {
                let mut inner = Vec::new();
                loop {
                    inner.push(self.param()?);
                    if !self.accept_op(op!(",")) {
                        break;
                    }
                }
                self.expect_op(op!(")"))?;
                Param::Destructure(inner)
            }
            t => {
                self.retreat(t);
                return self.unexpected("parameter");
            }
        })
    }

    pub(super) fn parse_class(&mut self, line: u32, module: bool) -> PResult<Node> {
        if !module && self.accept_op(op!("<<")) {
            let _obj = self.expr()?;
            self.skip_nl();
            let body = self.stmts(ends!("end"))?;
            self.expect_kw(kw!("end"))?;
            return Ok(Node::new(line, Kind::SClass(Box::new(body))));
        }
        let mut name = match self.advance() {
            T::Const(n) => self.name(n),
            _ => return self.unexpected("constant name"),
        };
        while self.accept_op(op!("::")) {
            if let T::Const(n) = self.advance() {
                name = self.name(n);
            }
        }
        let superclass = if !module && self.accept_op(op!("<")) {
            Some(Box::new(self.expr()?))
        } else {
            None
        };
        self.push_scope(true);
        let body = self.body_with_rescue(line)?;
        self.pop_scope();
        Ok(Node::new(
            line,
            Kind::Class(Box::new((name, superclass.map(|s| *s), body, module))),
        ))
    }
}
