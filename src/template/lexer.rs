//! Ruby tokens for the subset templates use. Ruby's grammar is space- and state-sensitive
//! (`foo /x/` is a regexp argument, `a / x` a division; `foo -1` an argument, `a - 1` a
//! subtraction), so each token records whether space preceded it and the lexer tracks whether
//! an expression may begin, as Ruby's own lexer does.

use std::collections::HashSet;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub enum SPart {
    Lit(String),
    Code(Vec<Token>),
}

#[derive(Debug, Clone)]
pub enum T {
    Int(i64),
    Float(f64),
    Str(Vec<SPart>),
    XStr(Vec<SPart>),
    Sym(String),
    DSym(Vec<SPart>),
    Regex(Vec<SPart>, String),
    Words(Vec<Vec<SPart>>, bool),
    Ident(String),
    Const(String),
    IVar(String),
    GVar(String),
    Label(String),
    Kw(&'static str),
    Op(&'static str),
    Nl,
    ErbText(Rc<[u8]>),
    ErbOut,
    ErbOutEnd,
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub t: T,
    pub line: u32,
    /// Whitespace precedes the token.
    pub spc: bool,
}

#[derive(Debug)]
pub struct LexError {
    pub line: u32,
    pub message: String,
}

const KEYWORDS: &[&str] = &[
    "alias",
    "and",
    "begin",
    "break",
    "case",
    "class",
    "def",
    "defined?",
    "do",
    "else",
    "elsif",
    "end",
    "ensure",
    "false",
    "for",
    "if",
    "in",
    "module",
    "next",
    "nil",
    "not",
    "or",
    "redo",
    "rescue",
    "retry",
    "return",
    "self",
    "super",
    "then",
    "true",
    "undef",
    "unless",
    "until",
    "when",
    "while",
    "yield",
    "__method__",
];

// Longest first, so that `**=` wins over `**` and `*`.
const OPS: &[&str] = &[
    "**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "&.", "**", "==", "!=", ">=", "<=",
    "&&", "||", "<<", ">>", "=~", "!~", "..", "::", "->", "=>", "+=", "-=", "*=", "/=", "%=", "|=",
    "&=", "^=", "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~", "?", ":", ",",
    ".", ";", "(", ")", "[", "]", "{", "}",
];

pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    out: Vec<Token>,
    /// Names assigned so far: `x -1` is a subtraction when `x` is a local variable.
    locals: &'a mut HashSet<String>,
    /// Heredoc bodies already consumed: at this newline, jump past them.
    heredoc_skip: Vec<(usize, usize, u32)>,
    paren_depth: i32,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}
fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

impl<'a> Lexer<'a> {
    pub fn tokenize(
        src: &'a str,
        line: u32,
        locals: &'a mut HashSet<String>,
    ) -> Result<Vec<Token>, LexError> {
        let mut lx = Lexer {
            src: src.as_bytes(),
            pos: 0,
            line,
            out: Vec::new(),
            locals,
            heredoc_skip: Vec::new(),
            paren_depth: 0,
        };
        lx.run(false)?;
        Ok(lx.out)
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

    fn last(&self) -> Option<&T> {
        self.out.last().map(|t| &t.t)
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
        match self.out.last() {
            Some(Token { t: T::Ident(n), .. }) => {
                let after_dot = self.out.len() >= 2
                    && matches!(self.out[self.out.len() - 2].t, T::Op(".") | T::Op("&."));
                after_dot || !self.locals.contains(n.as_str())
            }
            _ => false,
        }
    }

    fn push(&mut self, t: T, line: u32, spc: bool) {
        if let T::Ident(name) = &t {
            // `name =` (not `==`/`=~`/`=>`) declares a local for the rest of the template.
            let mut p = self.pos;
            while p < self.src.len() && (self.src[p] == b' ' || self.src[p] == b'\t') {
                p += 1;
            }
            let after_dot = matches!(self.last(), Some(T::Op(".")) | Some(T::Op("&.")));
            if !after_dot
                && p < self.src.len()
                && self.src[p] == b'='
                && !matches!(self.src.get(p + 1), Some(b'=') | Some(b'~') | Some(b'>'))
            {
                self.locals.insert(name.clone());
            }
        }
        self.out.push(Token { t, line, spc });
    }

    /// Lexes until the end of input, or (for `#{...}`) until the `}` that closes it.
    fn run(&mut self, in_interp: bool) -> Result<(), LexError> {
        let mut brace_depth = 0i32;
        let mut in_block_params = false;
        loop {
            let start = self.pos;
            self.skip_space();
            let spc = self.pos > start || self.out.is_empty();
            let c = self.peek(0);
            if self.pos >= self.src.len() {
                if in_interp {
                    return self.err("unterminated string interpolation");
                }
                return Ok(());
            }
            let line = self.line;
            match c {
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
                }
                b'=' if self.at_line_start() && self.src[self.pos..].starts_with(b"=begin") => {
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
                    let parts = self.string_body(c, c, true)?;
                    let t = if c == b'`' {
                        T::XStr(parts)
                    } else {
                        self.label_or(T::Str(parts))
                    };
                    self.push(t, line, spc);
                    self.string_label_colon(line);
                }
                b'\'' => {
                    self.pos += 1;
                    let s = self.single_quoted(b'\'', b'\'')?;
                    let t = self.label_or(T::Str(vec![SPart::Lit(s)]));
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
                    let name = self.text(s, self.pos);
                    self.push(T::IVar(name), line, spc);
                }
                b'$' => {
                    let s = self.pos;
                    self.pos += 1;
                    if is_ident_start(self.peek(0)) {
                        while is_ident_char(self.peek(0)) {
                            self.pos += 1;
                        }
                    } else {
                        self.pos += 1;
                    }
                    let name = self.text(s, self.pos);
                    self.push(T::GVar(name), line, spc);
                }
                c if is_ident_start(c) => self.ident(line, spc)?,
                b'/' if self.beg_state() || (self.cmd_arg_state(spc) && self.peek(1) != b' ') => {
                    self.pos += 1;
                    let parts = self.string_body(b'/', b'/', true)?;
                    let flags = self.regex_flags();
                    self.push(T::Regex(parts, flags), line, spc);
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
                    self.push(T::Str(vec![SPart::Lit(ch.to_string())]), line, spc);
                }
                b':' if self.peek(1) == b'"' && self.peek(0) == b':' => {
                    self.pos += 2;
                    let parts = self.string_body(b'"', b'"', true)?;
                    self.push(T::DSym(parts), line, spc);
                }
                b':' if self.peek(1) == b'\'' => {
                    self.pos += 2;
                    let s = self.single_quoted(b'\'', b'\'')?;
                    self.push(T::Sym(s), line, spc);
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
                    let Some(op) = OPS.iter().find(|o| rest.starts_with(o.as_bytes())) else {
                        return self.err(format!(
                            "invalid character '{}'",
                            String::from_utf8_lossy(&rest[..1])
                        ));
                    };
                    self.pos += op.len();
                    match *op {
                        "{" => brace_depth += 1,
                        "}" => {
                            if in_interp && brace_depth == 0 {
                                return Ok(());
                            }
                            brace_depth -= 1;
                        }
                        "(" | "[" => self.paren_depth += 1,
                        ")" | "]" => self.paren_depth -= 1,
                        "|" => {
                            // block parameters are locals
                            if matches!(self.last(), Some(T::Op("{")) | Some(T::Kw("do"))) {
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
                if let Some(Token { t: T::Ident(n), .. }) = self.out.last() {
                    let n = n.clone();
                    self.locals.insert(n);
                }
            }
        }
    }

    fn at_line_start(&self) -> bool {
        self.pos == 0 || self.src[self.pos - 1] == b'\n'
    }

    fn text(&self, a: usize, b: usize) -> String {
        String::from_utf8_lossy(&self.src[a..b]).into_owned()
    }

    fn skip_space(&mut self) {
        while self.pos < self.src.len() {
            match self.src[self.pos] {
                b' ' | b'\t' | b'\r' | 0x0c | 0x0b => self.pos += 1,
                _ => break,
            }
        }
    }

    /// A newline does not end the statement when the next line continues a method chain
    /// (`.map`, `&.x`) or the previous token is an operator awaiting its right side.
    fn continues(&self) -> bool {
        if let Some(T::Op(op)) = self.last() {
            if !matches!(*op, ")" | "]" | "}") {
                return true;
            }
        }
        if let Some(T::Kw("and" | "or" | "not")) = self.last() {
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

    fn label_or(&mut self, t: T) -> T {
        t
    }

    /// `"key": value` — the colon right after a string is the label's, never a symbol's.
    fn string_label_colon(&mut self, line: u32) {
        if self.peek(0) == b':' && self.peek(1) != b':' {
            self.pos += 1;
            self.push(T::Op(":"), line, false);
        }
    }

    fn number(&mut self) -> Result<T, LexError> {
        let s = self.pos;
        if self.peek(0) == b'0' && matches!(self.peek(1), b'x' | b'X' | b'b' | b'B' | b'o' | b'O') {
            let radix = match self.peek(1) {
                b'x' | b'X' => 16,
                b'b' | b'B' => 2,
                _ => 8,
            };
            self.pos += 2;
            let ds = self.pos;
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            let digits = self.text(ds, self.pos).replace('_', "");
            return i64::from_str_radix(&digits, radix)
                .map(T::Int)
                .or_else(|_| self.err("numeric literal without digits"));
        }
        while self.peek(0).is_ascii_digit()
            || (self.peek(0) == b'_' && self.peek(1).is_ascii_digit())
        {
            self.pos += 1;
        }
        let mut float = false;
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            float = true;
            self.pos += 1;
            while self.peek(0).is_ascii_digit()
                || (self.peek(0) == b'_' && self.peek(1).is_ascii_digit())
            {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), b'e' | b'E')
            && (self.peek(1).is_ascii_digit()
                || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
        {
            float = true;
            self.pos += 2;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        let text = self.text(s, self.pos).replace('_', "");
        if float {
            return Ok(T::Float(text.parse().unwrap_or(0.0)));
        }
        if text.len() > 1 && text.starts_with('0') {
            return i64::from_str_radix(&text[1..], 8)
                .map(T::Int)
                .or_else(|_| self.err("Invalid octal digit"));
        }
        text.parse()
            .map(T::Int)
            .or_else(|_| self.err(format!("integer literal {text} is too large")))
    }

    fn ident(&mut self, line: u32, spc: bool) -> Result<(), LexError> {
        let s = self.pos;
        while is_ident_char(self.peek(0)) {
            self.pos += 1;
        }
        let after_dot = matches!(self.last(), Some(T::Op(".")) | Some(T::Op("&.")));
        let c = self.peek(0);
        if (c == b'?' || c == b'!') && self.peek(1) != b'=' && !(c == b'?' && self.peek(1) == b':')
        {
            self.pos += 1;
        } else if c == b'?' && self.peek(1) == b'=' && self.peek(2) == b'=' {
            self.pos += 1;
        }
        let name = self.text(s, self.pos);
        // `key:` label (not `a ? b : c`, not `A::B`)
        if self.peek(0) == b':'
            && self.peek(1) != b':'
            && !after_dot
            && !matches!(self.last(), Some(T::Op("?")))
        {
            let prev_is_ternary = self
                .out
                .iter()
                .rev()
                .take(8)
                .any(|t| matches!(t.t, T::Op("?")));
            if !prev_is_ternary || self.peek(1) != b' ' || name.ends_with('?') {
                self.pos += 1;
                self.push(T::Label(name), line, spc);
                return Ok(());
            }
        }
        if name == "defined" && self.peek(0) == b'?' {
            self.pos += 1;
            self.push(T::Kw("defined?"), line, spc);
            return Ok(());
        }
        if !after_dot {
            if let Some(kw) = KEYWORDS.iter().find(|k| **k == name) {
                if *kw == "__method__" {
                    self.push(T::Ident(name), line, spc);
                } else {
                    self.push(T::Kw(kw), line, spc);
                }
                return Ok(());
            }
        }
        if name.as_bytes()[0].is_ascii_uppercase() {
            self.push(T::Const(name), line, spc);
        } else {
            self.push(T::Ident(name), line, spc);
        }
        Ok(())
    }

    fn symbol_follows(&self) -> bool {
        let c = self.peek(1);
        is_ident_start(c)
            || c == b'@'
            || c == b'$'
            || matches!(
                c,
                b'+' | b'-'
                    | b'*'
                    | b'/'
                    | b'<'
                    | b'>'
                    | b'='
                    | b'!'
                    | b'['
                    | b'%'
                    | b'&'
                    | b'|'
                    | b'^'
                    | b'~'
            ) && !matches!(self.peek(2), b' ')
    }

    fn symbol_name(&mut self) -> String {
        let s = self.pos;
        let c = self.peek(0);
        if is_ident_start(c) || c == b'@' || c == b'$' {
            self.pos += 1;
            while is_ident_char(self.peek(0)) || self.peek(0) == b'@' {
                self.pos += 1;
            }
            if matches!(self.peek(0), b'?' | b'!' | b'=')
                && self.peek(1) != b'='
                && self.peek(1) != b'>'
            {
                self.pos += 1;
            }
        } else {
            for op in [
                "[]=", "[]", "<=>", "===", "==", "=~", "!=", "<<", ">>", "<=", ">=", "**", "+@",
                "-@", "+", "-", "*", "/", "%", "<", ">", "!", "&", "|", "^", "~",
            ] {
                if self.src[self.pos..].starts_with(op.as_bytes()) {
                    self.pos += op.len();
                    break;
                }
            }
        }
        self.text(s, self.pos)
    }

    fn regex_flags(&mut self) -> String {
        let s = self.pos;
        while matches!(self.peek(0), b'i' | b'm' | b'x' | b'o' | b'u' | b'n') {
            self.pos += 1;
        }
        self.text(s, self.pos)
    }

    fn percent_literal_follows(&self) -> bool {
        let c = self.peek(1);
        matches!(
            c,
            b'w' | b'W' | b'i' | b'I' | b'q' | b'Q' | b'r' | b's' | b'x'
        ) && matches!(self.peek(2), b'(' | b'[' | b'{' | b'<' | b'|' | b'!' | b'/')
            || matches!(c, b'(' | b'[' | b'{' | b'<' | b'|' | b'!')
    }

    fn percent_literal(&mut self) -> Result<T, LexError> {
        self.pos += 1;
        let kind = if self.peek(0).is_ascii_alphabetic() {
            self.pos += 1;
            self.src[self.pos - 1]
        } else {
            b'Q'
        };
        let open = self.peek(0);
        self.pos += 1;
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            c => c,
        };
        match kind {
            b'q' => Ok(T::Str(vec![SPart::Lit(self.single_quoted(open, close)?)])),
            b'Q' => Ok(T::Str(self.string_body(open, close, true)?)),
            b'x' => Ok(T::XStr(self.string_body(open, close, true)?)),
            b's' => Ok(T::Sym(self.single_quoted(open, close)?)),
            b'r' => {
                let parts = self.string_body(open, close, true)?;
                let flags = self.regex_flags();
                Ok(T::Regex(parts, flags))
            }
            b'w' | b'i' => {
                let body = self.single_quoted(open, close)?;
                let words = body
                    .split_ascii_whitespace()
                    .map(|w| vec![SPart::Lit(w.to_string())])
                    .collect();
                Ok(T::Words(words, kind == b'i'))
            }
            b'W' | b'I' => {
                let parts = self.string_body(open, close, true)?;
                // split literal parts on whitespace, keeping interpolations inside their word
                let mut words: Vec<Vec<SPart>> = Vec::new();
                let mut cur: Vec<SPart> = Vec::new();
                for p in parts {
                    match p {
                        SPart::Lit(s) => {
                            let mut first = true;
                            for (i, piece) in s.split([' ', '\n', '\t']).enumerate() {
                                if i > 0 || !first {
                                    if !cur.is_empty() {
                                        words.push(std::mem::take(&mut cur));
                                    }
                                }
                                first = false;
                                if !piece.is_empty() {
                                    cur.push(SPart::Lit(piece.to_string()));
                                }
                            }
                        }
                        code => cur.push(code),
                    }
                }
                if !cur.is_empty() {
                    words.push(cur);
                }
                Ok(T::Words(words, kind == b'I'))
            }
            _ => self.err("unknown type of %string"),
        }
    }

    fn single_quoted(&mut self, open: u8, close: u8) -> Result<String, LexError> {
        let mut buf = Vec::new();
        let mut depth = 0;
        loop {
            if self.pos >= self.src.len() {
                return self.err("unterminated string meets end of file");
            }
            let c = self.src[self.pos];
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
            }
            if c == b'\\'
                && (self.peek(0) == close || self.peek(0) == b'\\' || self.peek(0) == open)
            {
                buf.push(self.src[self.pos]);
                self.pos += 1;
                continue;
            }
            if c == close && depth == 0 {
                break;
            }
            if open != close {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                }
            }
            buf.push(c);
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// A double-quoted body with escapes and `#{}`; stops after `close`.
    fn string_body(&mut self, open: u8, close: u8, interp: bool) -> Result<Vec<SPart>, LexError> {
        let regex = close == b'/' || (open != close && self.last_was_regex_open());
        let mut parts = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut depth = 0;
        loop {
            if self.pos >= self.src.len() {
                return self.err("unterminated string meets end of file");
            }
            let c = self.src[self.pos];
            self.pos += 1;
            match c {
                b'\n' => {
                    self.line += 1;
                    buf.push(c);
                }
                b'\\' => {
                    if regex || close == b'/' {
                        // regexps keep their escapes for the regexp engine
                        let n = self.peek(0);
                        self.pos += 1;
                        if n == close {
                            buf.push(n);
                        } else {
                            buf.push(b'\\');
                            buf.push(n);
                        }
                        continue;
                    }
                    self.escape(&mut buf)?;
                }
                b'#' if interp && self.peek(0) == b'{' => {
                    self.pos += 1;
                    if !buf.is_empty() {
                        parts.push(SPart::Lit(String::from_utf8_lossy(&buf).into_owned()));
                        buf.clear();
                    }
                    let saved = std::mem::take(&mut self.out);
                    let saved_depth = self.paren_depth;
                    self.run(true)?;
                    self.paren_depth = saved_depth;
                    let inner = std::mem::replace(&mut self.out, saved);
                    parts.push(SPart::Code(inner));
                }
                c if c == close && depth == 0 => break,
                c => {
                    if open != close {
                        if c == open {
                            depth += 1;
                        } else if c == close {
                            depth -= 1;
                        }
                    }
                    buf.push(c);
                }
            }
        }
        if !buf.is_empty() || parts.is_empty() {
            parts.push(SPart::Lit(String::from_utf8_lossy(&buf).into_owned()));
        }
        Ok(parts)
    }

    fn last_was_regex_open(&self) -> bool {
        self.pos >= 3 && &self.src[self.pos.saturating_sub(3)..self.pos.saturating_sub(1)] == b"%r"
    }

    fn escape(&mut self, buf: &mut Vec<u8>) -> Result<(), LexError> {
        let n = self.peek(0);
        self.pos += 1;
        match n {
            b'n' => buf.push(b'\n'),
            b't' => buf.push(b'\t'),
            b's' => buf.push(b' '),
            b'r' => buf.push(b'\r'),
            b'e' => buf.push(0x1b),
            b'a' => buf.push(7),
            b'b' => buf.push(8),
            b'f' => buf.push(0x0c),
            b'v' => buf.push(0x0b),
            b'\n' => self.line += 1,
            b'0'..=b'7' => {
                let mut v = (n - b'0') as u32;
                for _ in 0..2 {
                    if matches!(self.peek(0), b'0'..=b'7') {
                        v = v * 8 + (self.peek(0) - b'0') as u32;
                        self.pos += 1;
                    }
                }
                buf.push(v as u8);
            }
            b'x' => {
                let mut v = 0u32;
                for _ in 0..2 {
                    if let Some(d) = (self.peek(0) as char).to_digit(16) {
                        v = v * 16 + d;
                        self.pos += 1;
                    }
                }
                buf.push(v as u8);
            }
            b'u' => {
                let mut codes = Vec::new();
                if self.peek(0) == b'{' {
                    self.pos += 1;
                    loop {
                        while self.peek(0) == b' ' {
                            self.pos += 1;
                        }
                        if self.peek(0) == b'}' {
                            self.pos += 1;
                            break;
                        }
                        let s = self.pos;
                        while (self.peek(0) as char).is_ascii_hexdigit() {
                            self.pos += 1;
                        }
                        if s == self.pos {
                            return self.err("invalid Unicode escape");
                        }
                        codes.push(u32::from_str_radix(&self.text(s, self.pos), 16).unwrap_or(0));
                    }
                } else {
                    let s = self.pos;
                    self.pos = (self.pos + 4).min(self.src.len());
                    codes.push(u32::from_str_radix(&self.text(s, self.pos), 16).unwrap_or(0));
                }
                for c in codes {
                    let ch = char::from_u32(c).unwrap_or('\u{fffd}');
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                }
            }
            other => buf.push(other),
        }
        Ok(())
    }

    fn heredoc_follows(&self) -> bool {
        let mut p = self.pos + 2;
        if matches!(self.src.get(p), Some(b'~') | Some(b'-')) {
            p += 1;
        }
        matches!(self.src.get(p), Some(c) if is_ident_start(*c) && c.is_ascii_uppercase() || *c == b'\'' || *c == b'"' || (*c == b'_'))
            || matches!(self.src.get(p), Some(c) if c.is_ascii_lowercase() && self.src[self.pos+2] == b'~')
    }

    fn heredoc(&mut self) -> Result<T, LexError> {
        self.pos += 2;
        let mut squiggly = false;
        let mut dash = false;
        match self.peek(0) {
            b'~' => {
                squiggly = true;
                self.pos += 1;
            }
            b'-' => {
                dash = true;
                self.pos += 1;
            }
            _ => {}
        }
        let mut raw = false;
        let quote = self.peek(0);
        let id = if quote == b'\'' || quote == b'"' {
            raw = quote == b'\'';
            self.pos += 1;
            let s = self.pos;
            while self.pos < self.src.len() && self.src[self.pos] != quote {
                self.pos += 1;
            }
            let id = self.text(s, self.pos);
            self.pos += 1;
            id
        } else {
            let s = self.pos;
            while is_ident_char(self.peek(0)) {
                self.pos += 1;
            }
            self.text(s, self.pos)
        };
        // The body starts after the current line (or after earlier heredocs on it).
        let mut line_end = self.pos;
        while line_end < self.src.len() && self.src[line_end] != b'\n' {
            line_end += 1;
        }
        let mut body_start = line_end + 1;
        let mut existing = None;
        if let Some(i) = self.heredoc_skip.iter().position(|h| h.0 == line_end) {
            body_start = self.heredoc_skip[i].1;
            existing = Some(i);
        }
        let mut lines: Vec<&[u8]> = Vec::new();
        let mut p = body_start.min(self.src.len());
        let mut found = false;
        while p < self.src.len() {
            let mut e = p;
            while e < self.src.len() && self.src[e] != b'\n' {
                e += 1;
            }
            let l = &self.src[p..e];
            let trimmed = if squiggly || dash {
                l.iter()
                    .position(|c| *c != b' ' && *c != b'\t')
                    .map_or(&l[l.len()..], |i| &l[i..])
            } else {
                l
            };
            let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
            p = (e + 1).min(self.src.len() + 1);
            if trimmed == id.as_bytes() {
                found = true;
                break;
            }
            lines.push(l);
        }
        if !found {
            return self.err(format!("can't find string \"{id}\" anywhere before EOF"));
        }
        let resume = p.min(self.src.len());
        let nlines = lines.len() as u32 + 1;
        match existing {
            Some(i) => {
                self.heredoc_skip[i].1 = resume;
                self.heredoc_skip[i].2 += nlines;
            }
            None => self.heredoc_skip.push((line_end, resume, nlines)),
        }
        let mut body: Vec<u8> = Vec::new();
        if squiggly {
            let indent = lines
                .iter()
                .filter(|l| l.iter().any(|c| *c != b' ' && *c != b'\t' && *c != b'\r'))
                .map(|l| l.iter().take_while(|c| **c == b' ' || **c == b'\t').count())
                .min()
                .unwrap_or(0);
            for l in &lines {
                let cut = indent.min(l.iter().take_while(|c| **c == b' ' || **c == b'\t').count());
                body.extend_from_slice(&l[cut..]);
                body.push(b'\n');
            }
        } else {
            for l in &lines {
                body.extend_from_slice(l);
                body.push(b'\n');
            }
        }
        if raw {
            return Ok(T::Str(vec![SPart::Lit(
                String::from_utf8_lossy(&body).into_owned(),
            )]));
        }
        // re-lex the body as a double-quoted string without a terminator
        let mut locals = self.locals.clone();
        body.push(0);
        let text = String::from_utf8_lossy(&body).into_owned();
        let mut sub = Lexer {
            src: text.as_bytes(),
            pos: 0,
            line: self.line + 1,
            out: Vec::new(),
            locals: &mut locals,
            heredoc_skip: Vec::new(),
            paren_depth: 0,
        };
        let parts = sub.string_body(0xff, 0, true)?;
        Ok(T::Str(parts))
    }
}

pub fn value_end(t: &T) -> bool {
    match t {
        T::Int(_)
        | T::Float(_)
        | T::Str(_)
        | T::XStr(_)
        | T::Sym(_)
        | T::DSym(_)
        | T::Regex(..)
        | T::Words(..)
        | T::Ident(_)
        | T::Const(_)
        | T::IVar(_)
        | T::GVar(_) => true,
        T::Kw(k) => matches!(*k, "end" | "self" | "nil" | "true" | "false"),
        T::Op(o) => matches!(*o, ")" | "]" | "}"),
        _ => false,
    }
}
