//! The parser's nesting budget. A syntax tree is as deep as the recursion that built it,
//! plus the chains built in loops: `a + b + c`, `x.y.z`, `s if a if b` and `a and b and c`
//! each nest the tree one level further per link without a nested call. Both count against
//! one budget, so that no template, however long its chains, makes a tree deeper than the
//! budget: evaluating one and dropping it recurse through every level.

use super::ast::Node;
use super::parser::{PResult, Parser, SyntaxError};

impl Parser {
    /// Parses one nested expression within the nesting budget, on more native stack when
    /// the current stack runs low.
    pub(super) fn nested(
        &mut self,
        parse: impl FnOnce(&mut Parser) -> PResult<Node>,
    ) -> PResult<Node> {
        if self.depth >= self.max_depth {
            return Err(self.too_deep());
        }
        self.depth += 1;
        let r = stacker::maybe_grow(64 << 10, 1 << 20, || parse(self));
        self.depth -= 1;
        r
    }

    /// Runs `chain`, a loop that links nodes into a chain by [`Parser::link`], and gives its
    /// levels back after it, whether it succeeded or not.
    pub(super) fn chain(
        &mut self,
        chain: impl FnOnce(&mut Parser) -> PResult<Node>,
    ) -> PResult<Node> {
        let base = self.depth;
        let r = chain(self);
        self.depth = base;
        r
    }

    /// One more link of a chain: one more level of the tree.
    pub(super) fn link(&mut self) -> PResult<()> {
        if self.depth >= self.max_depth {
            return Err(self.too_deep());
        }
        self.depth += 1;
        Ok(())
    }

    fn too_deep(&self) -> SyntaxError {
        SyntaxError::new(
            self.line(),
            format!(
                "expressions nest deeper than the budget of {} levels",
                self.max_depth
            ),
        )
    }
}
