//! What the lexer keeps across the code parts of one template: the names, the literals,
//! the locals assigned so far, and the template's token budget.

use crate::ast::Names;
use crate::locals::NameSet;

use super::{LexError, Lexer, Lit};

/// What the lexer keeps across the code parts of one template.
pub struct LexState {
    /// Names assigned so far: `x -1` is a subtraction when `x` is a local variable.
    pub(super) locals: NameSet,
    pub names: Names,
    pub lits: Vec<Lit>,
    /// The most tokens the template may have ([`crate::Limits::tokens`]).
    pub max_tokens: usize,
    /// Tokens counted against the budget but not in the token list: the words of `%w[]`
    /// and kin, and the tokens of heredocs' interpolations (lexed into a list of their own).
    pub(super) aside: usize,
    /// Where the code being lexed had bytes that are not UTF-8 (each now U+FFFD), by offset
    /// in its text: the lexer drops those inside comments, and any left is Ruby's
    /// `invalid multibyte char`. Empty for nearly every template.
    pub(crate) invalid: Vec<usize>,
}

impl Default for LexState {
    fn default() -> LexState {
        LexState {
            locals: NameSet::default(),
            names: Names::default(),
            lits: Vec::new(),
            max_tokens: crate::Limits::default().tokens,
            aside: 0,
            invalid: Vec::new(),
        }
    }
}

/// The error of a template past its token budget.
pub(super) fn too_many_tokens(line: u32, max: usize) -> LexError {
    LexError {
        line,
        message: format!("the template is larger than the budget of {max} tokens"),
    }
}

impl LexState {
    /// Ready for another template, keeping the names and the lists' memory.
    pub fn reset(&mut self) {
        self.locals.clear();
        self.lits.clear();
        self.aside = 0;
    }

    /// The template's error, at `line`, once `toks` tokens and those kept aside reach the
    /// token budget.
    pub fn over_budget(&self, toks: usize, line: u32) -> Result<(), LexError> {
        if toks + self.aside >= self.max_tokens {
            return Err(too_many_tokens(line, self.max_tokens));
        }
        Ok(())
    }

    /// Marks `name` a local variable before any code is read (the caller's, for `eval`).
    pub fn local(&mut self, name: u32) {
        self.locals.insert(name);
    }

    /// Adds a literal; its number.
    pub fn lit(&mut self, l: Lit) -> u32 {
        self.lits.push(l);
        (self.lits.len() - 1) as u32
    }
}

impl Lexer<'_> {
    /// Counts `n` more tokens kept aside against the budget, and moves the point where
    /// the token list spends it.
    pub(super) fn set_aside(&mut self, n: usize) {
        self.st.aside += n;
        self.stop = self.st.max_tokens.saturating_sub(self.st.aside);
    }

    /// Counts `n` tokens kept aside (words of a word list) against the token budget.
    pub(super) fn spend_words(&mut self, n: usize) -> Result<(), LexError> {
        self.set_aside(n);
        if self.out.len() + self.st.aside > self.st.max_tokens {
            return Err(too_many_tokens(self.line, self.st.max_tokens));
        }
        Ok(())
    }
}
