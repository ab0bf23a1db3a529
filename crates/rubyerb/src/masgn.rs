//! Assignment: `a = v` and `a op= v` after any assignable expression (also as a binary
//! operator's right operand), and multiple assignment: `a, b = 1, 2`, splats on either side
//! (`a, *rest = list`), nested targets (`(a, b), c = …`) and attribute or index targets,
//! recognised at statement level by looking ahead for the `=`.

use super::ast::*;
use super::lexer::{kw, op, Op, T};
use super::parser::{rescue_mod, PResult, Parser, SyntaxError};

/// `x += 1` and the other operator assignments (a match, not a list search: every
/// expression followed by an operator asks).
fn is_assign_op(op: Op) -> bool {
    matches!(
        op,
        op!("+="
            | "-="
            | "*="
            | "/="
            | "%="
            | "**="
            | "||="
            | "&&="
            | "|="
            | "&="
            | "^="
            | "<<="
            | ">>=")
    )
}

/// Whether `n` can be assigned to: a variable, a constant, an attribute or an index.
fn assignable(n: &Node) -> bool {
    match &n.kind {
        Kind::LVar(_) | Kind::IVar(_) | Kind::GVar(_) | Kind::Const(None, _) => true,
        Kind::Call(c) => {
            (c.recv.is_none() && c.args.is_empty() && c.block.is_none())
                || (c.recv.is_some()
                    && (&*c.name == "[]" || c.args.is_empty())
                    && c.block.is_none())
        }
        _ => false,
    }
}

impl Parser {
    /// `left = value` or `left op= value` when an assignment operator follows an
    /// assignable `left`; `left` itself otherwise. Also the right operand of a binary
    /// operator (`a && b = c` is `a && (b = c)`), as in Ruby's grammar.
    pub(super) fn assignment(&mut self, line: u32, left: Node) -> PResult<Node> {
        let T::Op(op) = *self.peek() else {
            return Ok(left);
        };
        if !(op == op!("=") || is_assign_op(op)) || !assignable(&left) {
            return Ok(left);
        }
        self.advance();
        self.skip_newlines_only();
        let target = self.target_from(left)?;
        if op != op!("=") {
            let rhs = self.expr()?;
            let op = op.as_str();
            let op = &op[..op.len() - 1];
            return Ok(Node::new(
                line,
                Kind::OpAsgn(Box::new((target, self.names.get(op), rhs))),
            ));
        }
        let mut rhs = if self.is_op(op!("*")) {
            let l = self.line();
            self.advance();
            let e = self.ternary()?;
            self.splat_rhs_end = self.pos;
            Node::new(l, Kind::Array(vec![Node::new(l, Kind::Splat(Box::new(e)))]))
        } else {
            self.expr()?
        };
        if self.is_kw(kw!("rescue")) && !self.no_do {
            let l = self.line();
            self.advance();
            let r = self.in_rescue_clause(Parser::expr)?;
            rhs = rescue_mod(l, rhs, r);
        }
        Ok(Node::new(line, Kind::Asgn(Box::new(target), Box::new(rhs))))
    }

    /// After `a,` at statement level: is this `a, b = ...`?
    pub(super) fn mlhs_follows(&self) -> bool {
        let mut depth = 0;
        let mut i = self.pos;
        while i < self.toks.len() {
            match &self.toks[i].t {
                T::Op(op!("(" | "[" | "{")) => depth += 1,
                T::Op(op!(")" | "]" | "}")) => depth -= 1,
                T::Op(op!("=")) if depth == 0 => return true,
                T::Nl | T::Eof | T::ErbOutEnd => return false,
                T::Op(op!(";")) => return false,
                T::Kw(kw!("do")) if depth == 0 => return false,
                _ => {}
            }
            i += 1;
        }
        false
    }

    pub(super) fn multi_assign(&mut self, first: Node) -> PResult<Node> {
        let line = first.line;
        let first = self.target_from(first)?;
        self.multi_assign_rest(line, first)
    }

    /// A statement that starts with a splat: `*init, last = list`, `*all = x`.
    pub(super) fn splat_assign(&mut self) -> PResult<Node> {
        let line = self.line();
        let first = self.mlhs_item()?;
        self.multi_assign_rest(line, first)
    }

    fn multi_assign_rest(&mut self, line: u32, first: Target) -> PResult<Node> {
        let mut targets = vec![first];
        while self.accept_op(op!(",")) {
            if self.is_op(op!("=")) {
                break;
            }
            targets.push(self.mlhs_item()?);
        }
        self.expect_op(op!("="))?;
        self.skip_newlines_only();
        let first_rhs = self.rhs_arg()?;
        let rhs = if self.is_op(op!(",")) {
            let mut items = vec![first_rhs];
            while self.accept_op(op!(",")) {
                self.skip_newlines_only();
                items.push(self.rhs_arg()?);
            }
            Node::new(line, Kind::Array(items))
        } else {
            first_rhs
        };
        Ok(Node::new(line, Kind::MultiAsgn(Box::new((targets, rhs)))))
    }

    /// A statement `lhs = a, b, *c`: one target given the list, when `stmt` is `lhs = a`
    /// and a `,` follows (else `stmt` as it is). Only a statement has it: in an argument
    /// list the `,` ends the argument.
    pub(super) fn assign_list(&mut self, stmt: Node) -> PResult<Node> {
        if !self.is_op(op!(",")) {
            return Ok(stmt);
        }
        let splat_first = self.splat_rhs_end == self.pos;
        let line = stmt.line;
        let Kind::Asgn(target, rhs) = stmt.kind else {
            return Ok(stmt);
        };
        let mut items = match (splat_first, rhs.kind) {
            // `x = *a, b`: the splat's list goes on
            (true, Kind::Array(items)) => items,
            (_, kind) => vec![Node::new(rhs.line, kind)],
        };
        while self.accept_op(op!(",")) {
            self.skip_newlines_only();
            items.push(self.rhs_arg()?);
        }
        let rhs = Node::new(line, Kind::Array(items));
        Ok(Node::new(line, Kind::Asgn(target, Box::new(rhs))))
    }

    fn rhs_arg(&mut self) -> PResult<Node> {
        let line = self.line();
        if self.accept_op(op!("*")) {
            let e = self.ternary()?;
            return Ok(Node::new(line, Kind::Splat(Box::new(e))));
        }
        self.expr()
    }

    pub(super) fn mlhs_item(&mut self) -> PResult<Target> {
        if self.accept_op(op!("*")) {
            if self.is_op(op!(","))
                || self.is_op(op!("="))
                || self.is_op(op!(")"))
                || self.is_op(op!("|"))
            {
                return Ok(Target::Splat(None));
            }
            let e = self.primary_postfix()?;
            return Ok(Target::Splat(Some(Box::new(self.target_from(e)?))));
        }
        if self.accept_op(op!("(")) {
            let mut inner = vec![self.mlhs_item()?];
            while self.accept_op(op!(",")) {
                inner.push(self.mlhs_item()?);
            }
            self.expect_op(op!(")"))?;
            return Ok(Target::Nested(inner));
        }
        let e = self.primary_postfix()?;
        self.target_from(e)
    }

    pub(super) fn target_from(&mut self, node: Node) -> PResult<Target> {
        let line = node.line;
        match node.kind {
            Kind::LVar(n) => Ok(Target::LVar(n)),
            Kind::IVar(n) => Ok(Target::IVar(n)),
            Kind::GVar(n) => Ok(Target::GVar(n)),
            Kind::Const(None, n) => Ok(Target::Const(n)),
            Kind::Call(c) => {
                let c = *c;
                match (c.recv, &*c.name) {
                    (None, _) if c.args.is_empty() && c.block.is_none() => {
                        self.declare_name(&c.name);
                        Ok(Target::LVar(c.name))
                    }
                    (Some(r), "[]") => Ok(Target::Index(r, c.args)),
                    (Some(r), _) if c.args.is_empty() => Ok(Target::Attr(r, c.name, c.safe_nav)),
                    _ => Err(SyntaxError::new(
                        line,
                        "syntax error, unexpected '=', expecting end-of-input",
                    )),
                }
            }
            _ => Err(SyntaxError::new(
                line,
                "syntax error, unexpected '=', expecting end-of-input",
            )),
        }
    }
}

pub(super) fn is_mlhs_start(n: &Node) -> bool {
    match &n.kind {
        Kind::LVar(_) | Kind::IVar(_) | Kind::GVar(_) | Kind::Splat(_) => true,
        Kind::Call(c) => {
            (c.recv.is_none() && c.args.is_empty() && c.block.is_none()) || &*c.name == "[]"
        }
        _ => false,
    }
}
