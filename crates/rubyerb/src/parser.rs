//! Ruby syntax for templates: statements, control structures and definitions. Expressions
//! (operators, calls, literals) are in `expr.rs`. Like Ruby, the parser decides at parse
//! time whether a bare name is a local variable (assigned earlier in scope) or a method call.

use super::ast::*;
use super::lexer::{kw, op, Kw, Lit, Op, Token, T};
use super::locals::Scopes;
use super::masgn::is_mlhs_start;
pub use super::syntax_error::SyntaxError;

/// The keywords (and `}`, `)`) that end a body, as a set of bits: asked at every statement.
#[derive(Clone, Copy)]
pub struct Ends(pub u64);

impl Ends {
    pub const BRACE: u64 = 1 << 63;
    pub const PAREN: u64 = 1 << 62;
    pub const fn kw(k: Kw) -> u64 {
        1 << k as u8
    }
}

/// The [`Ends`] of the keywords and closers given as text.
macro_rules! ends {
    (@ "}") => { $crate::parser::Ends::BRACE };
    (@ ")") => { $crate::parser::Ends::PAREN };
    (@ $s:tt) => { $crate::parser::Ends::kw($crate::lexer::kw!($s)) };
    ($($s:tt),* $(,)?) => { $crate::parser::Ends(0 $(| ends!(@ $s))*) };
}
pub(crate) use ends;

pub struct Parser {
    pub(super) toks: Vec<Token>,
    pub(super) pos: usize,
    /// Local variable scopes; a hard one starts a `def` (outer locals invisible).
    pub(super) scopes: Scopes,
    /// Inside command arguments a `do` belongs to the command, not to an inner call.
    pub(super) no_do: bool,
    /// Inside `|...|`: a default value there is a primary (`|a = 1|`), as the `|` that
    /// closes the list is no operator.
    pub(super) pipe_params: bool,
    /// The blocks being parsed, innermost last; for one written without parameters, the
    /// implicit ones its body used (`_1`...`_9`, `it`).
    pub(super) implicit: Vec<Option<crate::args::Implicit>>,
    /// Expressions being parsed inside one another, and the budget for it.
    pub(super) depth: usize,
    pub(super) max_depth: usize,
    /// The template's names and literals, from its lexer.
    pub(super) names: Names,
    pub(super) lits: Vec<Lit>,
    /// The arguments of the lists being parsed, innermost last.
    pub(super) arg_stack: Vec<crate::expr::Arg>,
    /// The statements of the bodies being parsed, innermost last.
    stmt_stack: Vec<Node>,
    /// How many `super`s without arguments have been parsed (a `def` compares the count
    /// before and after its body).
    pub(super) zsupers: usize,
    /// Inside a `rescue` clause, where `retry` may be written (a block, method or class
    /// body opened inside it is not: see `push_scope`), and what each open scope hid.
    pub(super) in_rescue: bool,
    pub(super) rescue_hidden: Vec<bool>,
    /// Where the last assignment whose value began with a splat (`x = *a`) ended: a
    /// statement `x = *a, b` goes on with more elements of that value's list.
    pub(super) splat_rhs_end: usize,
}

pub type PResult<X> = Result<X, SyntaxError>;

impl Parser {
    pub fn new(toks: Vec<Token>) -> Parser {
        Parser {
            toks,
            pos: 0,
            scopes: Scopes::default(),
            no_do: false,
            pipe_params: false,
            implicit: Vec::new(),
            depth: 0,
            max_depth: crate::Limits::default().nesting,
            names: Names::default(),
            lits: Vec::new(),
            arg_stack: Vec::new(),
            stmt_stack: Vec::new(),
            zsupers: 0,
            in_rescue: false,
            rescue_hidden: Vec::new(),
            splat_rhs_end: usize::MAX,
        }
    }

    /// Ready for another template's tokens, keeping the lists' memory (and the names).
    pub fn reset(&mut self, toks: Vec<Token>, lits: Vec<Lit>, max_depth: usize) {
        self.toks = toks;
        self.lits = lits;
        self.pos = 0;
        self.scopes.reset();
        self.no_do = false;
        self.pipe_params = false;
        self.implicit.clear();
        self.depth = 0;
        self.max_depth = max_depth;
        self.arg_stack.clear();
        self.stmt_stack.clear();
        self.zsupers = 0;
        self.in_rescue = false;
        self.rescue_hidden.clear();
        self.splat_rhs_end = usize::MAX;
    }

    pub fn parse_program(&mut self) -> PResult<Node> {
        let mark = self.scopes.mark(); // (the locals of code running `eval` are before it)
        let body = self.stmts(ends!())?;
        if !matches!(self.peek(), T::Eof) {
            return self.unexpected("end-of-input");
        }
        Ok(self.scope_body(body, mark, &[]))
    }

    // ---- token helpers ----
    // `pos` never passes the last token (the end of input): `advance` stops there and
    // every other move goes back or restores a saved position, so no clamping is needed
    // for the current token (asked several times per token).
    pub(super) fn peek(&self) -> &T {
        &self.toks[self.pos].t
    }
    pub(super) fn peek_at(&self, n: usize) -> &T {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].t
    }
    pub(super) fn tok(&self) -> &Token {
        &self.toks[self.pos]
    }
    pub(super) fn tok_at(&self, n: usize) -> &Token {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }
    pub(super) fn line(&self) -> u32 {
        self.tok().line
    }
    /// Consumes the current token.
    pub(super) fn advance(&mut self) -> T {
        let t = self.toks[self.pos].t;
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    /// The name numbered `i`.
    pub(super) fn name(&self, i: u32) -> Name {
        self.names.name(i).clone()
    }
    /// Takes the contents of literal `i` (a parser never reads a literal again once it has
    /// built a node from it).
    pub(super) fn take_lit(&mut self, i: u32) -> Lit {
        std::mem::replace(&mut self.lits[i as usize], Lit::Taken)
    }
    /// Steps back over `t`, the token just consumed, putting it back.
    pub(super) fn retreat(&mut self, t: T) {
        self.pos -= 1;
        self.toks[self.pos].t = t;
    }
    pub(super) fn is_op(&self, op: Op) -> bool {
        matches!(self.peek(), T::Op(o) if *o == op)
    }
    pub(super) fn is_kw(&self, kw: Kw) -> bool {
        matches!(self.peek(), T::Kw(k) if *k == kw)
    }
    pub(super) fn accept_op(&mut self, op: Op) -> bool {
        if self.is_op(op) {
            self.advance();
            true
        } else {
            false
        }
    }
    pub(super) fn accept_kw(&mut self, kw: Kw) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }
    pub(super) fn expect_op(&mut self, op: Op) -> PResult<()> {
        if self.accept_op(op) {
            Ok(())
        } else {
            self.unexpected(&format!("'{op}'"))
        }
    }
    pub(super) fn expect_kw(&mut self, kw: Kw) -> PResult<()> {
        if self.accept_kw(kw) {
            Ok(())
        } else {
            self.unexpected(&format!("'{kw}'"))
        }
    }
    pub(super) fn unexpected<X>(&self, expecting: &str) -> PResult<X> {
        Err(SyntaxError::new(
            self.line(),
            format!(
                "syntax error, unexpected {}, expecting {expecting}",
                self.describe(self.peek())
            ),
        ))
    }
    pub(super) fn skip_nl(&mut self) {
        while matches!(self.peek(), T::Nl) || self.is_op(op!(";")) {
            self.advance();
        }
    }
    pub(super) fn skip_newlines_only(&mut self) {
        while matches!(self.peek(), T::Nl) {
            self.advance();
        }
    }

    // ---- statements ----
    fn at_terminator(&self, ends: Ends) -> bool {
        match *self.peek() {
            T::Eof | T::ErbOutEnd => true,
            T::Kw(k) => ends.0 & Ends::kw(k) != 0,
            T::Op(op!("}")) => ends.0 & Ends::BRACE != 0,
            T::Op(op!(")")) => ends.0 & Ends::PAREN != 0,
            _ => false,
        }
    }

    /// Statements until one of `ends` (not consumed).
    pub(super) fn stmts(&mut self, ends: Ends) -> PResult<Node> {
        let line = self.line();
        // gathered on one stack for every body, so that a body of one statement (most)
        // allocates no list, and a longer one a list of its size
        let start = self.stmt_stack.len();
        self.skip_nl();
        while !self.at_terminator(ends) {
            if let Some(s) = self.template_part()? {
                self.stmt_stack.push(s);
                self.skip_nl();
                continue;
            }
            let saved_no_do = self.no_do;
            self.no_do = false;
            let s = self.stmt()?;
            self.no_do = saved_no_do;
            self.stmt_stack.push(s);
            if !matches!(self.peek(), T::Nl) && !self.is_op(op!(";")) && !self.at_terminator(ends) {
                return self.unexpected("end-of-input");
            }
            self.skip_nl();
        }
        Ok(if self.stmt_stack.len() == start + 1 {
            self.stmt_stack.pop().unwrap()
        } else {
            Node::new(line, Kind::Seq(self.stmt_stack.split_off(start)))
        })
    }

    /// A template's text or `<%= %>` output as a whole statement, without the descent
    /// through every precedence level: the template compiler ends both with a newline, so
    /// nothing can follow them. Within the nesting budget those levels would use (two);
    /// at its edge, the full descent reports the error.
    fn template_part(&mut self) -> PResult<Option<Node>> {
        if self.depth + 1 >= self.max_depth {
            return Ok(None);
        }
        let line = self.line();
        match *self.peek() {
            T::ErbText(i) if matches!(self.peek_at(1), T::Nl) => {
                self.advance();
                Ok(Some(self.erb_text(line, i)))
            }
            T::ErbOut => {
                self.advance();
                self.depth += 2;
                let r = self.erb_out(line);
                self.depth -= 2;
                r.map(Some)
            }
            _ => Ok(None),
        }
    }

    pub(super) fn stmt(&mut self) -> PResult<Node> {
        self.chain(Parser::modified)
    }

    /// A statement and its modifiers, each a link of a chain (`s if a unless b`).
    fn modified(&mut self) -> PResult<Node> {
        let mut node = self.expr_stmt()?;
        loop {
            // one look for the common case, a statement without a modifier
            if !matches!(
                self.peek(),
                T::Kw(kw!("if" | "unless" | "while" | "until" | "rescue"))
            ) {
                return Ok(node);
            }
            self.link()?;
            let line = self.line();
            if self.accept_kw(kw!("if")) {
                let c = self.expr_stmt()?;
                node = Node::new(
                    line,
                    Kind::If(Box::new(c), Box::new(node), Box::new(Node::nil(line))),
                );
            } else if self.accept_kw(kw!("unless")) {
                let c = self.expr_stmt()?;
                node = Node::new(
                    line,
                    Kind::If(Box::new(c), Box::new(Node::nil(line)), Box::new(node)),
                );
            } else if self.accept_kw(kw!("while")) {
                let c = self.expr_stmt()?;
                node = Node::new(line, Kind::While(Box::new(c), Box::new(node), false));
            } else if self.accept_kw(kw!("until")) {
                let c = self.expr_stmt()?;
                node = Node::new(line, Kind::While(Box::new(c), Box::new(node), true));
            } else if self.accept_kw(kw!("rescue")) {
                let r = self.in_rescue_clause(Parser::expr_stmt)?;
                node = rescue_mod(line, node, r);
            } else {
                return Ok(node);
            }
        }
    }

    /// `not`, `and`, `or` level.
    pub(super) fn expr_stmt(&mut self) -> PResult<Node> {
        self.chain(Parser::and_or)
    }

    fn and_or(&mut self) -> PResult<Node> {
        let mut left = self.not_expr()?;
        loop {
            if !matches!(self.peek(), T::Kw(kw!("and" | "or"))) {
                return Ok(left);
            }
            self.link()?;
            let line = self.line();
            if self.accept_kw(kw!("and")) {
                self.skip_newlines_only();
                let r = self.not_expr()?;
                left = Node::new(line, Kind::And(Box::new(left), Box::new(r)));
            } else if self.accept_kw(kw!("or")) {
                self.skip_newlines_only();
                let r = self.not_expr()?;
                left = Node::new(line, Kind::Or(Box::new(left), Box::new(r)));
            } else {
                return Ok(left);
            }
        }
    }

    fn not_expr(&mut self) -> PResult<Node> {
        let line = self.line();
        if self.accept_kw(kw!("not")) {
            self.refuse_label_first()?;
            let e = self.nested(Parser::not_expr)?;
            return Ok(Node::new(line, Kind::Not(Box::new(e))));
        }
        if self.is_op(op!("*")) && self.mlhs_follows() {
            return self.splat_assign();
        }
        let first = self.expr()?;
        if self.is_op(op!(",")) && is_mlhs_start(&first) && self.mlhs_follows() {
            return self.multi_assign(first);
        }
        self.assign_list(first)
    }

    // ---- control structures ----
    pub(super) fn parse_if(&mut self, line: u32, negate: bool) -> PResult<Node> {
        // no loop here to claim a `do`: it opens a block of a call in the condition
        // (`if list.all? do |k| ... end`), as in Ruby
        let saved = self.no_do;
        self.no_do = false;
        let cond = self.expr_stmt();
        self.no_do = saved;
        let cond = cond?;
        self.accept_kw(kw!("then"));
        let body = self.stmts(ends!("elsif", "else", "end"))?;
        let else_body = if negate {
            if self.accept_kw(kw!("else")) {
                self.stmts(ends!("end"))?
            } else {
                Node::nil(line)
            }
        } else if self.is_kw(kw!("elsif")) {
            let l = self.line();
            self.advance();
            // (each `elsif` nests the tree, by recursion: within the budget)
            let n = self.nested(|p| p.parse_if(l, false))?;
            let (t, f) = (Box::new(body), Box::new(n));
            return Ok(Node::new(line, Kind::If(Box::new(cond), t, f)));
        } else if self.accept_kw(kw!("else")) {
            self.stmts(ends!("end"))?
        } else {
            Node::nil(line)
        };
        self.expect_kw(kw!("end"))?;
        let (t, f) = if negate {
            (else_body, body)
        } else {
            (body, else_body)
        };
        Ok(Node::new(
            line,
            Kind::If(Box::new(cond), Box::new(t), Box::new(f)),
        ))
    }

    /// The condition of `while`/`until`/`for`: a `do` after it belongs to the loop, not to
    /// a call inside the condition.
    fn condition(&mut self) -> PResult<Node> {
        let saved = self.no_do;
        self.no_do = true;
        let c = self.expr_stmt();
        self.no_do = saved;
        c
    }

    pub(super) fn parse_while(&mut self, line: u32, until: bool) -> PResult<Node> {
        let cond = self.condition()?;
        self.accept_kw(kw!("do"));
        let body = self.stmts(ends!("end"))?;
        self.expect_kw(kw!("end"))?;
        Ok(Node::new(
            line,
            Kind::While(Box::new(cond), Box::new(body), until),
        ))
    }

    pub(super) fn parse_for(&mut self, line: u32) -> PResult<Node> {
        let mut targets = vec![self.mlhs_item()?];
        while self.accept_op(op!(",")) {
            targets.push(self.mlhs_item()?);
        }
        let target = if targets.len() == 1 {
            targets.pop().unwrap()
        } else {
            Target::Nested(targets)
        };
        self.expect_kw(kw!("in"))?;
        let iter = self.condition()?;
        self.accept_kw(kw!("do"));
        let body = self.stmts(ends!("end"))?;
        self.expect_kw(kw!("end"))?;
        Ok(Node::new(
            line,
            Kind::For(Box::new(target), Box::new(iter), Box::new(body)),
        ))
    }

    pub(super) fn parse_case(&mut self, line: u32) -> PResult<Node> {
        // `case` without a subject: each `when` is a condition
        let subject = if matches!(self.peek(), T::Nl | T::Kw(kw!("when"))) || self.is_op(op!(";")) {
            None
        } else {
            Some(Box::new(self.expr_stmt()?))
        };
        self.skip_nl();
        let mut whens = Vec::new();
        while self.accept_kw(kw!("when")) {
            let mut conds = Vec::new();
            loop {
                self.skip_newlines_only();
                let l = self.line();
                if self.accept_op(op!("*")) {
                    let e = self.ternary()?;
                    conds.push(Node::new(l, Kind::Splat(Box::new(e))));
                } else {
                    conds.push(self.ternary()?);
                }
                if !self.accept_op(op!(",")) {
                    break;
                }
            }
            self.accept_kw(kw!("then"));
            let body = self.stmts(ends!("when", "else", "end"))?;
            whens.push((conds, body));
        }
        if self.is_kw(kw!("in")) {
            return Err(SyntaxError::new(
                self.line(),
                "unsupported construct: pattern matching (case/in)",
            ));
        }
        let else_body = if self.accept_kw(kw!("else")) {
            self.stmts(ends!("end"))?
        } else {
            Node::nil(line)
        };
        self.expect_kw(kw!("end"))?;
        Ok(Node::new(
            line,
            Kind::Case(Box::new((subject.map(|s| *s), whens, else_body))),
        ))
    }

    /// A body with optional `rescue`/`else`/`ensure` clauses, up to `end` (consumed).
    pub(super) fn body_with_rescue(&mut self, line: u32) -> PResult<Node> {
        let body = self.stmts(ends!("rescue", "else", "ensure", "end"))?;
        let mut rescues = Vec::new();
        while self.accept_kw(kw!("rescue")) {
            let mut classes = Vec::new();
            let mut var = None;
            while !matches!(self.peek(), T::Nl)
                && !self.is_kw(kw!("then"))
                && !self.is_op(op!("=>"))
                && !self.is_op(op!(";"))
            {
                classes.push(self.ternary()?);
                if !self.accept_op(op!(",")) {
                    break;
                }
                self.skip_newlines_only();
            }
            if self.accept_op(op!("=>")) {
                let e = self.primary_postfix()?;
                var = Some(self.target_from(e)?);
            }
            self.accept_kw(kw!("then"));
            let rbody =
                self.in_rescue_clause(|p| p.stmts(ends!("rescue", "else", "ensure", "end")))?;
            rescues.push(Rescue {
                classes,
                var,
                body: rbody,
            });
        }
        let else_body = if !rescues.is_empty() && self.accept_kw(kw!("else")) {
            Some(self.stmts(ends!("ensure", "end"))?)
        } else {
            None
        };
        let ensure = if self.accept_kw(kw!("ensure")) {
            Some(self.stmts(ends!("end"))?)
        } else {
            None
        };
        self.expect_kw(kw!("end"))?;
        if rescues.is_empty() && else_body.is_none() && ensure.is_none() {
            return Ok(body);
        }
        Ok(Node::new(
            line,
            Kind::Begin(Box::new(Begin {
                body,
                rescues,
                else_body,
                ensure,
            })),
        ))
    }
}

pub(super) fn rescue_mod(line: u32, body: Node, rescue: Node) -> Node {
    // `x = a rescue b` rescues the right side only
    if let Kind::Asgn(..) = body.kind {
        if let Kind::Asgn(t, v) = body.kind {
            let inner = Node::new(
                line,
                Kind::Begin(Box::new(Begin {
                    body: *v,
                    rescues: vec![Rescue {
                        classes: vec![],
                        var: None,
                        body: rescue,
                    }],
                    else_body: None,
                    ensure: None,
                })),
            );
            return Node::new(line, Kind::Asgn(t, Box::new(inner)));
        }
        unreachable!()
    }
    Node::new(
        line,
        Kind::Begin(Box::new(Begin {
            body,
            rescues: vec![Rescue {
                classes: vec![],
                var: None,
                body: rescue,
            }],
            else_body: None,
            ensure: None,
        })),
    )
}
