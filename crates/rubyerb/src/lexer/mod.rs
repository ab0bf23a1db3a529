//! Ruby tokens for the subset templates use. Ruby's grammar is space- and state-sensitive
//! (`foo /x/` is a regexp argument, `a / x` a division; `foo -1` an argument, `a - 1` a
//! subtraction), so each token records whether space preceded it and the lexer tracks whether
//! an expression may begin, as Ruby's own lexer does.

use std::rc::Rc;

mod punct;
mod state;
mod strings;
#[cfg(test)]
mod tests;
mod words;

#[cfg(test)]
use punct::OPS;
use punct::{keyword, op_at};
pub(crate) use punct::{kw, op, Kw, Op};
use state::too_many_tokens;
pub use state::LexState;

#[derive(Debug, Clone)]
pub enum SPart {
    Lit(String),
    Code(Vec<Token>),
}

/// A literal's contents, kept beside the tokens (which number them) so that a token is a
/// plain copy: stepping over one, stepping back and dropping the list cost nothing.
#[derive(Debug)]
pub enum Lit {
    /// A string without interpolation.
    Plain(String),
    Parts(Vec<SPart>),
    Regex(Vec<SPart>, String),
    Words(Vec<Vec<SPart>>),
    Text(Rc<[u8]>),
    /// Taken by the parser into the syntax tree.
    Taken,
}

impl Lit {
    pub fn into_parts(self) -> Vec<SPart> {
        match self {
            Lit::Plain(s) => vec![SPart::Lit(s)],
            Lit::Parts(p) | Lit::Regex(p, _) => p,
            Lit::Words(_) | Lit::Text(_) | Lit::Taken => Vec::new(),
        }
    }
}

/// A token; names are numbers in the template's [`Names`], literals numbers in its list
/// of [`Lit`]s.
///
/// `repr(u64)`, as [`crate::ast::Kind`] and for the same reason: a token is copied at
/// every look at it, and a word-sized tag keeps those copies in whole, aligned words.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum T {
    Int(i64),
    /// An integer literal past 64 bits: its decimal digits, a [`Lit::Plain`].
    BigInt(u32),
    Float(f64),
    Str(u32),
    XStr,
    Sym(u32),
    DSym(u32),
    Regex(u32),
    Words(u32, bool),
    Ident(u32),
    Const(u32),
    IVar(u32),
    GVar(u32),
    Label(u32),
    Kw(Kw),
    Op(Op),
    Nl,
    ErbText(u32),
    ErbOut,
    ErbOutEnd,
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub t: T,
    pub line: u32,
    /// Whitespace precedes the token.
    pub spc: bool,
}

// Two words, and a token three: the lexer writes one per token and the parser reads them all.
const _: () = assert!(std::mem::size_of::<Token>() == 24);

#[derive(Debug)]
pub struct LexError {
    pub line: u32,
    pub message: String,
}

/// Bytes as text, invalid UTF-8 replaced; without a copy when they are valid (the
/// validity check is much faster than the replacing decoder).
pub(crate) fn utf8(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

pub struct Lexer<'a> {
    src: &'a [u8],
    /// `src` as text: slices at ASCII boundaries need no second UTF-8 check.
    text: &'a str,
    pos: usize,
    line: u32,
    /// The template's tokens; this lexer's own start at `base`.
    out: &'a mut Vec<Token>,
    base: usize,
    st: &'a mut LexState,
    /// Heredoc bodies already consumed: at this newline, jump past them.
    heredoc_skip: Vec<(usize, usize, u32)>,
    paren_depth: i32,
    /// The length of `out` at which the token budget is spent, given the tokens kept
    /// aside so far: one comparison a token (see [`Lexer::set_aside`]).
    stop: usize,
}

const fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}
fn is_ident_char(c: u8) -> bool {
    IDENT[c as usize]
}

/// Space between tokens (not a newline, which is a token).
#[inline(always)]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | 0x0c | 0x0b)
}

/// Where the run of spaces at `p` ends.
#[inline(never)]
fn spaces_end(src: &[u8], mut p: usize) -> usize {
    while p < src.len() && is_space(src[p]) {
        p += 1;
    }
    p
}

/// [`is_ident_start`] by table.
static IDENT_START: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = is_ident_start(c as u8);
        c += 1;
    }
    t
};

/// [`is_ident_char`] by table: identifiers are most of what the lexer reads.
static IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        c += 1;
    }
    t
};

impl<'a> Lexer<'a> {
    /// Appends the tokens of `src` to `out`.
    pub fn tokenize(
        src: &'a str,
        line: u32,
        st: &'a mut LexState,
        out: &'a mut Vec<Token>,
    ) -> Result<(), LexError> {
        let base = out.len();
        let mut lx = Lexer {
            src: src.as_bytes(),
            text: src,
            pos: 0,
            line,
            out,
            base,
            st,
            heredoc_skip: Vec::new(),
            paren_depth: 0,
            stop: 0,
        };
        lx.set_aside(0);
        lx.run(false)
    }

    /// The tokens this lexer produced so far.
    fn mine(&self) -> &[Token] {
        &self.out[self.base..]
    }

    fn err<X>(&self, msg: impl Into<String>) -> Result<X, LexError> {
        Err(LexError {
            line: self.line,
            message: msg.into(),
        })
    }

    fn peek(&self, off: usize) -> u8 {
        *self.src.get(self.pos + off).unwrap_or(&0)
    }

    /// This lexer's last token (asked around every token: no slice made for it).
    #[inline]
    fn last(&self) -> Option<&T> {
        if self.out.len() > self.base {
            self.out.last().map(|t| &t.t)
        } else {
            None
        }
    }

    /// An expression can start here: the previous token does not end a value.
    fn beg_state(&self) -> bool {
        match self.last() {
            None => true,
            Some(t) => !value_end(t),
        }
    }

    /// `foo -1`, `foo /x/`, `foo :a`, `foo [1]`: the previous token is a method name (not a
    /// local variable) followed by space, so what follows is its first argument.
    fn cmd_arg_state(&self, spc: bool) -> bool {
        if !spc {
            return false;
        }
        let mine = self.mine();
        match mine.last() {
            Some(Token { t: T::Ident(n), .. }) => {
                let after_dot = mine.len() >= 2
                    && matches!(mine[mine.len() - 2].t, T::Op(op!(".")) | T::Op(op!("&.")));
                after_dot || !self.st.locals.contains(*n)
            }
            _ => false,
        }
    }

    /// Appends a token; inlined, so that the token is written in place in the list once.
    #[inline(always)]
    fn push(&mut self, t: T, line: u32, spc: bool) {
        if let T::Ident(name) = t {
            // most names are followed by `.`, `(`, `)` or `,`: no look further then
            if matches!(self.src.get(self.pos), Some(b' ' | b'\t' | b'=')) {
                self.assignment_ahead(name);
            }
        }
        self.out.push(Token { t, line, spc });
    }

    /// `name =` (not `==`/`=~`/`=>`) declares a local for the rest of the template.
    fn assignment_ahead(&mut self, name: u32) {
        let src = self.src;
        let mut p = self.pos;
        while p < src.len() && (src[p] == b' ' || src[p] == b'\t') {
            p += 1;
        }
        if p < self.src.len()
            && self.src[p] == b'='
            && !matches!(self.src.get(p + 1), Some(b'=') | Some(b'~') | Some(b'>'))
            && !matches!(self.last(), Some(T::Op(op!("."))) | Some(T::Op(op!("&."))))
        {
            self.st.locals.insert(name);
        }
    }

    /// Lexes until the end of input, or (for `#{...}`) until the `}` that closes it.
    fn run(&mut self, in_interp: bool) -> Result<(), LexError> {
        let mut brace_depth = 0i32;
        let mut in_block_params = false;
        loop {
            if self.out.len() >= self.stop {
                return Err(too_many_tokens(self.line, self.st.max_tokens));
            }
            let start = self.pos;
            self.skip_space();
            let Some(&c) = self.src.get(self.pos) else {
                if in_interp {
                    return self.err("unterminated string interpolation");
                }
                return Ok(());
            };
            let spc = self.pos > start || self.out.len() == self.base;
            let line = self.line;
            match c {
                // first: names are the most common tokens, and none of the bytes below
                // starts one
                c if IDENT_START[c as usize] => self.ident(line, spc)?,
                b'\n' => {
                    if let Some(i) = self.heredoc_skip.iter().position(|h| h.0 == self.pos) {
                        let (_, to, lines) = self.heredoc_skip.remove(i);
                        self.pos = to;
                        self.line += lines;
                    } else {
                        self.pos += 1;
                    }
                    self.line += 1;
                    if !matches!(self.last(), Some(T::Nl) | None) && !self.continues() {
                        self.push(T::Nl, line, spc);
                    }
                }
                b'#' => {
                    while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                    self.commented(start);
                }
                b'=' if self.at_line_start() && self.src[self.pos..].starts_with(b"=begin") => {
                    let from = self.pos;
                    loop {
                        while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                            self.pos += 1;
                        }
                        if self.pos >= self.src.len() {
                            return self.err("embedded document meets end of file");
                        }
                        self.pos += 1;
                        self.line += 1;
                        if self.src[self.pos..].starts_with(b"=end") {
                            while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                                self.pos += 1;
                            }
                            break;
                        }
                    }
                    self.commented(from);
                }
                b'\\' if self.peek(1) == b'\n' => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'0'..=b'9' => {
                    let t = self.number()?;
                    self.push(t, line, spc);
                }
                b'"' | b'`' => {
                    self.pos += 1;
                    let lit = self.string_lit(c, c, true)?;
                    let t = if c == b'`' {
                        T::XStr
                    } else {
                        T::Str(self.st.lit(lit))
                    };
                    self.push(t, line, spc);
                    self.string_label_colon(line);
                }
                b'\'' => {
                    self.pos += 1;
                    let s = self.single_quoted(b'\'', b'\'')?;
                    let t = T::Str(self.st.lit(Lit::Plain(s)));
                    self.push(t, line, spc);
                    self.string_label_colon(line);
                }
                b'@' => {
                    let s = self.pos;
                    self.pos += 1;
                    if self.peek(0) == b'@' {
                        self.pos += 1;
                    }
                    while is_ident_char(self.peek(0)) {
                        self.pos += 1;
                    }
                    let name = self.name(s, self.pos);
                    self.push(T::IVar(name), line, spc);
                }
                b'$' => {
                    let s = self.pos;
                    self.pos += 1;
                    if is_ident_start(self.peek(0)) {
                        while is_ident_char(self.peek(0)) {
                            self.pos += 1;
                        }
                    } else if self.pos < self.src.len() {
                        self.pos += 1;
                    } else {
                        return self.err(
                            "'$' without identifiers is not allowed as a global variable name",
                        );
                    }
                    let name = self.name(s, self.pos);
                    self.push(T::GVar(name), line, spc);
                }
                b'/' if self.beg_state() || (self.cmd_arg_state(spc) && self.peek(1) != b' ') => {
                    self.pos += 1;
                    let parts = self.regex_body(b'/', b'/')?;
                    let flags = self.regex_flags();
                    let t = T::Regex(self.st.lit(Lit::Regex(parts, flags)));
                    self.push(t, line, spc);
                }
                b'%' if (self.beg_state() || (self.cmd_arg_state(spc) && self.peek(1) != b' '))
                    && self.percent_literal_follows() =>
                {
                    let t = self.percent_literal()?;
                    self.push(t, line, spc);
                }
                b'<' if self.peek(1) == b'<'
                    && (self.beg_state() || self.cmd_arg_state(spc))
                    && self.heredoc_follows() =>
                {
                    let t = self.heredoc()?;
                    self.push(t, line, spc);
                }
                b'?' if (self.beg_state() || self.cmd_arg_state(spc))
                    && self.peek(1) > b' '
                    && !is_ident_char(self.peek(2)) =>
                {
                    let ch = self.peek(1) as char;
                    self.pos += 2;
                    let t = T::Str(self.st.lit(Lit::Plain(ch.to_string())));
                    self.push(t, line, spc);
                }
                b':' if self.peek(1) == b'"' && self.peek(0) == b':' => {
                    self.pos += 2;
                    let lit = self.string_lit(b'"', b'"', true)?;
                    let t = T::DSym(self.st.lit(lit));
                    self.push(t, line, spc);
                }
                b':' if self.peek(1) == b'\'' => {
                    self.pos += 2;
                    let s = self.single_quoted(b'\'', b'\'')?;
                    let t = T::Sym(self.st.names.id(&s));
                    self.push(t, line, spc);
                }
                b':' if self.peek(1) != b':'
                    && (self.beg_state() || spc || self.cmd_arg_state(spc))
                    && self.symbol_follows() =>
                {
                    self.pos += 1;
                    let name = self.symbol_name();
                    self.push(T::Sym(name), line, spc);
                }
                _ => {
                    let rest = &self.src[self.pos..];
                    let Some(op) = op_at(rest) else {
                        return self.err(format!(
                            "invalid character '{}'",
                            String::from_utf8_lossy(&rest[..1])
                        ));
                    };
                    self.pos += op.width();
                    match op {
                        op!("{") => brace_depth += 1,
                        op!("}") => {
                            if in_interp && brace_depth == 0 {
                                return Ok(());
                            }
                            brace_depth -= 1;
                        }
                        op!("(" | "[") => self.paren_depth += 1,
                        op!(")" | "]") => self.paren_depth -= 1,
                        op!("|") => {
                            // block parameters are locals
                            if matches!(self.last(), Some(T::Op(op!("{"))) | Some(T::Kw(kw!("do"))))
                            {
                                in_block_params = true;
                            } else if in_block_params {
                                in_block_params = false;
                            }
                        }
                        _ => {}
                    }
                    self.push(T::Op(op), line, spc);
                    continue;
                }
            }
            if in_block_params {
                if let Some(Token { t: T::Ident(n), .. }) = self.mine().last() {
                    let n = *n;
                    self.st.locals.insert(n);
                }
            }
        }
    }

    /// The text from `from` to here was a comment: bytes there that are not UTF-8 are no
    /// error (see [`LexState::invalid`]).
    fn commented(&mut self, from: usize) {
        if !self.st.invalid.is_empty() {
            let to = self.pos;
            self.st.invalid.retain(|&p| p < from || p >= to);
        }
    }

    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.src[self.pos - 1] == b'\n'
    }

    fn text(&self, a: usize, b: usize) -> String {
        match self.text.get(a..b) {
            Some(s) => s.to_owned(),
            None => String::from_utf8_lossy(&self.src[a..b]).into_owned(),
        }
    }

    /// Most tokens follow no space or one: those cases are decided here, in line, and a
    /// longer run (indentation) is skipped by a loop of its own, which keeps the lexer's
    /// main loop from carrying that loop's counters around for every token.
    #[inline(always)]
    fn skip_space(&mut self) {
        let src = self.src;
        let p = self.pos;
        if src.get(p).is_some_and(|&c| is_space(c)) {
            self.pos = if src.get(p + 1).is_some_and(|&c| is_space(c)) {
                spaces_end(src, p + 2)
            } else {
                p + 1
            };
        }
    }

    /// A newline does not end the statement when the next line continues a method chain
    /// (`.map`, `&.x`) or the previous token is an operator awaiting its right side.
    fn continues(&self) -> bool {
        if let Some(T::Op(op)) = self.last() {
            // an operator named after a dot (`x.!`, `a.+`) is a method call, not awaiting more
            let mine = self.mine();
            let named = mine.len() >= 2 && matches!(mine[mine.len() - 2].t, T::Op(op!("." | "&.")));
            if !matches!(*op, op!(")" | "]" | "}")) && !named {
                return true;
            }
        }
        if let Some(T::Kw(kw!("and" | "or" | "not"))) = self.last() {
            return true;
        }
        let mut p = self.pos;
        loop {
            while p < self.src.len() && matches!(self.src[p], b' ' | b'\t' | b'\r' | b'\n') {
                p += 1;
            }
            if p < self.src.len() && self.src[p] == b'#' {
                while p < self.src.len() && self.src[p] != b'\n' {
                    p += 1;
                }
                continue;
            }
            break;
        }
        let rest = &self.src[p.min(self.src.len())..];
        (rest.starts_with(b".") && !rest.starts_with(b"..")) || rest.starts_with(b"&.")
    }

    /// `"key": value` — the colon right after a string is the label's, never a symbol's.
    fn string_label_colon(&mut self, line: u32) {
        if self.peek(0) == b':' && self.peek(1) != b':' {
            self.pos += 1;
            self.push(T::Op(op!(":")), line, false);
        }
    }
}

impl T {
    /// A literal, a name or a variable: a token that is a whole operand by itself.
    pub fn is_operand(&self) -> bool {
        matches!(
            self,
            T::Int(_)
                | T::Float(_)
                | T::Str(_)
                | T::XStr
                | T::Sym(_)
                | T::DSym(_)
                | T::Regex(..)
                | T::Words(..)
                | T::Ident(_)
                | T::Const(_)
                | T::IVar(_)
                | T::GVar(_)
        )
    }
}

pub fn value_end(t: &T) -> bool {
    match t {
        t if t.is_operand() => true,
        T::Kw(k) => matches!(*k, kw!("end" | "self" | "nil" | "true" | "false")),
        T::Op(o) => matches!(*o, op!(")" | "]" | "}")),
        _ => false,
    }
}
