//! Numbers, identifiers, keywords, `key:` labels and symbols.

use std::borrow::Cow;

use crate::ast::short_key;

use super::{is_ident_char, is_ident_start, keyword, kw, op, LexError, Lexer, T};

/// A number's digits without Ruby's `_` separators; borrowed when there are none (most
/// numbers), so that a number costs no allocation.
fn without_underscores(digits: &[u8]) -> Cow<'_, str> {
    // the lexer took only ASCII letters, digits, `_`, `.`, `+` and `-` here
    let s = std::str::from_utf8(digits).unwrap_or_default();
    if s.contains('_') {
        Cow::Owned(s.replace('_', ""))
    } else {
        Cow::Borrowed(s)
    }
}

impl Lexer<'_> {
    pub(super) fn number(&mut self) -> Result<T, LexError> {
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
            let digits = without_underscores(&self.src[ds..self.pos]);
            return match i64::from_str_radix(&digits, radix) {
                Ok(i) => Ok(T::Int(i)),
                Err(_) => self.big_literal(&digits, radix, "numeric literal without digits"),
            };
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
        let text = without_underscores(&self.src[s..self.pos]);
        if float {
            return Ok(T::Float(text.parse().unwrap_or(0.0)));
        }
        if text.len() > 1 && text.starts_with('0') {
            return match i64::from_str_radix(&text[1..], 8) {
                Ok(i) => Ok(T::Int(i)),
                Err(_) => self.big_literal(&text[1..], 8, "Invalid octal digit"),
            };
        }
        match text.parse() {
            Ok(i) => Ok(T::Int(i)),
            Err(_) => self.big_literal(&text, 10, "integer literal is too large"),
        }
    }

    /// An integer literal past 64 bits, as its decimal digits (`bad` when `digits` are not
    /// digits of `radix`, or past the big integers' size limit).
    fn big_literal(&mut self, digits: &str, radix: u32, bad: &str) -> Result<T, LexError> {
        match crate::methods::bignum::parse(digits, radix, false) {
            Some(v) => {
                let text = crate::format::to_s(&v);
                Ok(T::BigInt(self.st.lit(super::Lit::Plain(text))))
            }
            None => self.err(bad),
        }
    }

    pub(super) fn ident(&mut self, line: u32, spc: bool) -> Result<(), LexError> {
        let s = self.pos;
        self.skip_ident_chars();
        let after_dot = matches!(self.last(), Some(T::Op(op!("."))) | Some(T::Op(op!("&."))));
        let c = self.peek(0);
        let suffix = (c == b'?' || c == b'!')
            && self.peek(1) != b'='
            && !(c == b'?' && self.peek(1) == b':');
        let before_eq = c == b'?' && self.peek(1) == b'=' && self.peek(2) == b'=';
        if suffix || before_eq {
            self.pos += 1;
        }
        let src = self.src;
        let text = &src[s..self.pos];
        // `key:` label (not `a ? b : c`, not `A::B`)
        if self.peek(0) == b':'
            && self.peek(1) != b':'
            && !after_dot
            && !matches!(self.last(), Some(T::Op(op!("?"))))
        {
            let prev_is_ternary = self.open_ternary();
            if !prev_is_ternary || self.peek(1) != b' ' || text.ends_with(b"?") {
                let name = self.name(s, self.pos);
                self.pos += 1;
                self.push(T::Label(name), line, spc);
                return Ok(());
            }
        }
        if text == b"defined" && self.peek(0) == b'?' {
            self.pos += 1;
            self.push(T::Kw(kw!("defined?")), line, spc);
            return Ok(());
        }
        if !after_dot {
            if let Some(kw) = keyword(text) {
                if kw == kw!("__method__") {
                    let name = self.name(s, self.pos);
                    self.push(T::Ident(name), line, spc);
                } else {
                    self.push(T::Kw(kw), line, spc);
                }
                return Ok(());
            }
        }
        let name = self.name(s, self.pos);
        if text[0].is_ascii_uppercase() {
            self.push(T::Const(name), line, spc);
        } else {
            self.push(T::Ident(name), line, spc);
        }
        Ok(())
    }

    pub(super) fn symbol_follows(&self) -> bool {
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

    pub(super) fn symbol_name(&mut self) -> u32 {
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
        self.name(s, self.pos)
    }
}

impl Lexer<'_> {
    /// The name at `a..b`, for identifiers, constants, variables, labels and symbols.
    #[inline(always)]
    pub(super) fn name(&mut self, a: usize, b: usize) -> u32 {
        // most names are short and already known: found in line, without a string
        match short_key(self.src, a, b).and_then(|k| self.st.names.find_short(k)) {
            Some(id) => id,
            None => self.new_or_long_name(a, b),
        }
    }

    #[inline(never)]
    fn new_or_long_name(&mut self, a: usize, b: usize) -> u32 {
        match self.text.get(a..b) {
            Some(s) => self.st.names.id(s),
            None => self.st.names.id(&String::from_utf8_lossy(&self.src[a..b])),
        }
    }

    /// Moves past the identifier characters here.
    #[inline]
    pub(super) fn skip_ident_chars(&mut self) {
        let src = self.src;
        let mut p = self.pos;
        while p < src.len() && is_ident_char(src[p]) {
            p += 1;
        }
        self.pos = p;
    }

    /// Whether a `cond ?` before this point still waits for its `:` in the current
    /// expression (`x ? a : b`), as opposed to a finished one earlier in a hash or argument
    /// list (`{a: c ? 1 : 2, b: 3}`, where `b:` is a label).
    fn open_ternary(&self) -> bool {
        let mut depth = 0i32;
        let mut colons = 0usize;
        for t in self.mine().iter().rev() {
            match &t.t {
                T::Op(op!(")" | "]" | "}")) => depth += 1,
                T::Op(op!("(" | "[" | "{")) => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                }
                T::Op(op!("," | ";")) | T::Nl if depth == 0 => return false,
                T::Op(op!(":")) if depth == 0 => colons += 1,
                T::Op(op!("?")) if depth == 0 => {
                    if colons == 0 {
                        return true;
                    }
                    colons -= 1;
                }
                _ => {}
            }
        }
        false
    }
}
