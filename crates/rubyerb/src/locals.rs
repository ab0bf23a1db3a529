//! Which names are local variables while a template is compiled: the lexer's set (`x -1`
//! subtracts from a local `x`) and the parser's nested scopes. Names are the template's
//! numbers (see [`crate::ast::Names`]), so both are arrays indexed by name: asking costs a
//! load rather than a hash, and a scope costs no allocation. Both are kept for the next
//! template (see `erb.rs`), emptied in time proportional to what was declared.

use crate::ast::{Name, Names, Param};

/// A set of name numbers.
#[derive(Default, Clone)]
pub struct NameSet {
    member: Vec<bool>,
    list: Vec<u32>,
}

impl NameSet {
    pub fn insert(&mut self, name: u32) {
        let i = name as usize;
        if i >= self.member.len() {
            self.member.resize(i + 1, false);
        }
        if !self.member[i] {
            self.member[i] = true;
            self.list.push(name);
        }
    }

    pub fn contains(&self, name: u32) -> bool {
        self.member.get(name as usize).copied().unwrap_or(false)
    }

    pub fn clear(&mut self) {
        for &n in &self.list {
            self.member[n as usize] = false;
        }
        self.list.clear();
    }
}

/// The local variables of the scopes being parsed, innermost last. A hard scope (a `def`)
/// hides the locals outside it; a soft one (a block) sees them.
pub struct Scopes {
    /// For each name, 1 + the innermost open scope that declared it (0: none).
    level: Vec<u32>,
    /// What each declaration replaced, undone when its scope closes.
    undo: Vec<(u32, u32)>,
    /// The open scopes: where their undo entries start, and the innermost hard scope
    /// outside them (restored when they close).
    open: Vec<(usize, usize)>,
    /// The innermost hard scope.
    hard: usize,
}

impl Default for Scopes {
    fn default() -> Scopes {
        Scopes {
            level: Vec::new(),
            undo: Vec::new(),
            open: vec![(0, 0)],
            hard: 0,
        }
    }
}

impl Scopes {
    /// Back to one (hard) top-level scope, without locals.
    pub fn reset(&mut self) {
        while self.open.len() > 1 {
            self.pop();
        }
        self.pop_declarations(0);
        self.hard = 0;
    }

    pub fn push(&mut self, hard: bool) {
        self.open.push((self.undo.len(), self.hard));
        if hard {
            self.hard = self.open.len() - 1;
        }
    }

    pub fn pop(&mut self) {
        if self.open.len() <= 1 {
            return;
        }
        let (start, hard) = self.open.pop().unwrap_or((0, 0));
        self.pop_declarations(start);
        self.hard = hard;
    }

    fn pop_declarations(&mut self, start: usize) {
        for (name, old) in self.undo.drain(start..).rev() {
            self.level[name as usize] = old;
        }
    }

    /// Declares `name` in the innermost scope.
    pub fn declare(&mut self, name: u32) {
        let i = name as usize;
        if i >= self.level.len() {
            self.level.resize(i + 1, 0);
        }
        let here = self.open.len() as u32;
        let old = self.level[i];
        if old != here {
            self.undo.push((name, old));
            self.level[i] = here;
        }
    }

    /// Where the declarations made from now on start (for [`Scopes::locals_since`]).
    pub fn mark(&self) -> usize {
        self.undo.len()
    }

    /// Where the innermost scope's declarations start.
    pub fn innermost_start(&self) -> usize {
        self.open.last().map_or(0, |o| o.0)
    }

    /// The names declared in the innermost scope since `mark` (one taken by
    /// [`Scopes::mark`] or [`Scopes::innermost_start`] while it was innermost) that
    /// `params` do not bind, in order.
    pub fn locals_since(&self, mark: usize, params: &[Param], names: &Names) -> Vec<Name> {
        let mut out = Vec::new();
        for &(n, _) in &self.undo[mark.min(self.undo.len())..] {
            let name = names.name(n);
            if !binds(params, name) {
                out.push(name.clone());
            }
        }
        out
    }

    /// `name` is a local visible here: declared in a scope from the innermost hard one in.
    pub fn is_local(&self, name: u32) -> bool {
        match self.level.get(name as usize) {
            Some(&l) => l > 0 && (l - 1) as usize >= self.hard,
            None => false,
        }
    }
}

/// Whether a parameter list binds `name`, nested parameters included.
fn binds(params: &[Param], name: &str) -> bool {
    params.iter().any(|p| match p {
        // (names are interned: the same name is mostly the same string)
        Param::Req(n) | Param::Opt(n, _) | Param::Key(n, _) | Param::Block(n) => {
            std::ptr::eq(n.as_ptr(), name.as_ptr()) || **n == *name
        }
        Param::Rest(n) | Param::KwRest(n) => n.as_deref() == Some(name),
        Param::Destructure(inner) => binds(inner, name),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_see_outer_locals_and_defs_do_not() {
        let mut s = Scopes::default();
        s.declare(1);
        s.push(false);
        assert!(s.is_local(1));
        s.declare(2);
        s.declare(1);
        s.push(true);
        assert!(!s.is_local(1) && !s.is_local(2));
        s.declare(3);
        assert!(s.is_local(3));
        s.pop();
        assert!(s.is_local(1) && s.is_local(2) && !s.is_local(3));
        s.pop();
        assert!(s.is_local(1) && !s.is_local(2));
        s.reset();
        assert!(!s.is_local(1));
        let mut n = NameSet::default();
        n.insert(7);
        assert!(n.contains(7) && !n.contains(6) && !n.contains(70));
        n.clear();
        assert!(!n.contains(7));
    }
}
