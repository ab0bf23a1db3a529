//! The parser's error: a Ruby syntax error at a template line.

use super::ast::Node;
use super::parser::PResult;

#[derive(Clone)]
pub struct SyntaxError {
    pub line: u32,
    pub message: String,
    /// Never read. It makes an error too large to fit beside a node's kind tag, so that a
    /// parse result (`PResult<Node>`) has a tag of its own instead of sharing the node's.
    /// With a shared tag, every `?` over a node copies the node around that tag byte, in
    /// loads at odd offsets that the processor cannot forward from the stores that just
    /// wrote the node: they stalled the descent's functions for about a tenth of all
    /// compile time (benches/templates/bench-results.md, the thirtieth stop).
    _own_tag: u64,
}

impl SyntaxError {
    pub fn new(line: u32, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            line,
            message: message.into(),
            _own_tag: 0,
        }
    }
}

impl std::fmt::Debug for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxError")
            .field("line", &self.line)
            .field("message", &self.message)
            .finish()
    }
}

// A parse result keeps its own tag: see `SyntaxError::_own_tag`.
const _: () = assert!(std::mem::size_of::<PResult<Node>>() > std::mem::size_of::<Node>());
