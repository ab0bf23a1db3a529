//! String-like literals: quoted strings with escapes and `#{}` interpolation, `%w[]`/`%q()`
//! and friends, regexp flags, heredocs (`<<~`, `<<-`, quoted identifiers).

use super::{is_ident_char, is_ident_start, utf8, LexError, LexState, Lexer, Lit, SPart, Token, T};

impl Lexer<'_> {
    pub(super) fn regex_flags(&mut self) -> String {
        let s = self.pos;
        while matches!(self.peek(0), b'i' | b'm' | b'x' | b'o' | b'u' | b'n') {
            self.pos += 1;
        }
        self.text(s, self.pos)
    }

    pub(super) fn percent_literal_follows(&self) -> bool {
        let c = self.peek(1);
        // after a kind letter, any ASCII punctuation delimits, as in Ruby (`%r"…"`,
        // `%w:a b:`); without one, only the brackets, `|` and `!` (`% x` and `%=` are
        // operators)
        matches!(
            c,
            b'w' | b'W' | b'i' | b'I' | b'q' | b'Q' | b'r' | b's' | b'x'
        ) && self.peek(2).is_ascii_punctuation()
            || matches!(c, b'(' | b'[' | b'{' | b'<' | b'|' | b'!')
    }

    pub(super) fn percent_literal(&mut self) -> Result<T, LexError> {
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
            b'q' => {
                let s = self.single_quoted(open, close)?;
                Ok(T::Str(self.st.lit(Lit::Plain(s))))
            }
            b'Q' => {
                let lit = self.string_lit(open, close, true)?;
                Ok(T::Str(self.st.lit(lit)))
            }
            b'x' => {
                self.string_body(open, close, true)?;
                Ok(T::XStr)
            }
            b's' => {
                let s = self.single_quoted(open, close)?;
                Ok(T::Sym(self.st.names.id(&s)))
            }
            b'r' => {
                let parts = self.regex_body(open, close)?;
                let flags = self.regex_flags();
                Ok(T::Regex(self.st.lit(Lit::Regex(parts, flags))))
            }
            b'w' | b'i' => {
                let body = self.single_quoted(open, close)?;
                self.spend_words(body.split_ascii_whitespace().count())?;
                let words = body
                    .split_ascii_whitespace()
                    .map(|w| vec![SPart::Lit(w.to_string())])
                    .collect();
                Ok(T::Words(self.st.lit(Lit::Words(words)), kind == b'i'))
            }
            b'W' | b'I' => {
                let parts = self.string_body(open, close, true)?;
                // split literal parts on whitespace, keeping interpolations inside their word
                let mut words: Vec<Vec<SPart>> = Vec::new();
                let mut cur: Vec<SPart> = Vec::new();
                for p in parts {
                    match p {
                        SPart::Lit(s) => {
                            for (i, piece) in s.split([' ', '\n', '\t']).enumerate() {
                                if i > 0 && !cur.is_empty() {
                                    words.push(std::mem::take(&mut cur));
                                    self.spend_words(1)?;
                                }
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
                    self.spend_words(1)?;
                }
                Ok(T::Words(self.st.lit(Lit::Words(words)), kind == b'I'))
            }
            _ => self.err("unknown type of %string"),
        }
    }

    pub(super) fn single_quoted(&mut self, open: u8, close: u8) -> Result<String, LexError> {
        if open == close {
            let rest = self.src.get(self.pos..).unwrap_or_default();
            if let Some(run) = memchr::memchr3(b'\\', b'\n', close, rest) {
                if let Some(s) = self.plain_run(close, run) {
                    return Ok(s);
                }
            }
        } else if let Some(s) = self.plain_until(close, |c| {
            c == b'\\' || c == b'\n' || c == close || c == open
        }) {
            return Ok(s);
        }
        let mut buf = Vec::new();
        let mut depth = 0;
        loop {
            // the bytes up to the next one that means something here, at once
            let rest = &self.src[self.pos.min(self.src.len())..];
            let run = rest
                .iter()
                .position(|&c| c == b'\\' || c == b'\n' || c == close || c == open)
                .unwrap_or(rest.len());
            buf.extend_from_slice(&rest[..run]);
            self.pos += run;
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
        Ok(utf8(buf))
    }

    /// [`Self::string_lit`] as parts.
    pub(super) fn string_body(
        &mut self,
        open: u8,
        close: u8,
        interp: bool,
    ) -> Result<Vec<SPart>, LexError> {
        self.literal(open, close, interp, false)
            .map(Lit::into_parts)
    }

    /// A regexp's body (`/.../`, `%r...`) as parts: its escapes kept for the regexp engine,
    /// whatever its delimiters.
    pub(super) fn regex_body(&mut self, open: u8, close: u8) -> Result<Vec<SPart>, LexError> {
        self.literal(open, close, true, true).map(Lit::into_parts)
    }

    /// A double-quoted body with escapes and `#{}`; stops after `close`. Without
    /// interpolation, the plain text (most strings: no list of parts to allocate).
    pub(super) fn string_lit(
        &mut self,
        open: u8,
        close: u8,
        interp: bool,
    ) -> Result<Lit, LexError> {
        self.literal(open, close, interp, false)
    }

    fn literal(&mut self, open: u8, close: u8, interp: bool, regex: bool) -> Result<Lit, LexError> {
        if open == close {
            // the first of `\`, `#` or the quote, then no newline before it
            let rest = self.src.get(self.pos..).unwrap_or_default();
            if let Some(run) = memchr::memchr3(b'\\', b'#', close, rest) {
                if memchr::memchr(b'\n', &rest[..run]).is_none() {
                    if let Some(s) = self.plain_run(close, run) {
                        return Ok(Lit::Plain(s));
                    }
                }
            }
        } else if let Some(s) = self.plain_until(close, |c| {
            c == b'\\' || c == b'\n' || c == b'#' || c == close || c == open
        }) {
            return Ok(Lit::Plain(s));
        }
        let mut parts = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut depth = 0;
        loop {
            // the bytes up to the next one that means something here, at once
            let rest = &self.src[self.pos.min(self.src.len())..];
            let run = rest
                .iter()
                .position(|&c| c == b'\\' || c == b'\n' || c == b'#' || c == close || c == open)
                .unwrap_or(rest.len());
            buf.extend_from_slice(&rest[..run]);
            self.pos += run;
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
                    if regex {
                        // regexps keep their escapes for the regexp engine
                        let n = self.peek(0);
                        self.pos += 1;
                        // an escaped delimiter loses its backslash unless it means something
                        // to the engine, as in Ruby: `/a\/b/` and `%r!a\!b!` have the sources
                        // `a/b` and `a!b`, `%r|a\|b|` keeps `a\|b` (`inspect` and `to_s`
                        // escape every `/` again)
                        if n == close && !b"$*+.?^|)]}>".contains(&close) {
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
                        parts.push(SPart::Lit(self.literal_text(std::mem::take(&mut buf))?));
                    }
                    // the interpolation's tokens are lexed after this lexer's, as a lexer of
                    // their own (they do not see the tokens before them), then moved out
                    let saved_base = std::mem::replace(&mut self.base, self.out.len());
                    let saved_depth = self.paren_depth;
                    // interpolations nest (`"#{"#{x}"}"`): deep ones get more stack
                    stacker::maybe_grow(64 << 10, 1 << 20, || self.run(true))?;
                    self.paren_depth = saved_depth;
                    // room for the end the parser adds
                    let mut inner = Vec::with_capacity(self.out.len() - self.base + 1);
                    inner.extend(self.out.drain(self.base..));
                    // out of the list, still the template's: counted as kept aside
                    self.set_aside(inner.len());
                    self.base = saved_base;
                    parts.push(SPart::Code(inner));
                }
                // `"#@name"`, `"#@@name"`, `"#$name"`: a variable's value without braces
                b'#' if interp && self.sigil_var_follows() => {
                    if !buf.is_empty() {
                        parts.push(SPart::Lit(self.literal_text(std::mem::take(&mut buf))?));
                    }
                    let start = self.pos;
                    self.pos += 1 + usize::from(self.peek(1) == b'@');
                    self.skip_ident_chars();
                    let name = self.name(start, self.pos);
                    let t = if self.src[start] == b'$' {
                        T::GVar(name)
                    } else {
                        T::IVar(name)
                    };
                    let line = self.line;
                    parts.push(SPart::Code(vec![Token {
                        t,
                        line,
                        spc: false,
                    }]));
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
        if parts.is_empty() {
            return Ok(Lit::Plain(self.literal_text(buf)?));
        }
        if !buf.is_empty() {
            parts.push(SPart::Lit(self.literal_text(buf)?));
        }
        Ok(Lit::Parts(parts))
    }

    /// A double-quoted literal's bytes as text. Escapes can make bytes that are not UTF-8
    /// (`"\xFF"`, `"\377"`), which Ruby keeps as a string of invalid UTF-8: bale has no such
    /// string, and read with replacement characters it would print other bytes, so it is
    /// refused at its line.
    fn literal_text(&self, b: Vec<u8>) -> Result<String, LexError> {
        String::from_utf8(b).or_else(|_| {
            self.err(
                "unsupported construct: a string whose escapes make bytes that are not UTF-8 \
                 (bale renders templates without Ruby and does not implement this)",
            )
        })
    }

    /// `@name`, `@@name` or `$name` here, after a `#` in an interpolating string.
    fn sigil_var_follows(&self) -> bool {
        match (self.peek(0), self.peek(1), self.peek(2)) {
            (b'@', b'@', c) | (b'@' | b'$', c, _) => c.is_ascii_alphabetic() || c == b'_',
            _ => false,
        }
    }

    /// Most strings are one run of ordinary bytes and their closing quote: that run as it
    /// is in the template (already valid text, no buffer to grow), past the quote. None
    /// when anything else comes first (the full reading starts over).
    fn plain_until(&mut self, close: u8, special: impl Fn(u8) -> bool) -> Option<String> {
        let rest = self.src.get(self.pos..)?;
        let run = rest.iter().position(|&c| special(c))?;
        self.plain_run(close, run)
    }

    /// The `run` bytes here as the string, past its quote, if the quote ends them.
    fn plain_run(&mut self, close: u8, run: usize) -> Option<String> {
        if self.src.get(self.pos + run) != Some(&close) {
            return None;
        }
        let s = self.text.get(self.pos..self.pos + run)?.to_owned();
        self.pos += run + 1;
        Some(s)
    }

    pub(super) fn escape(&mut self, buf: &mut Vec<u8>) -> Result<(), LexError> {
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
                    // exactly four hex digits, or Ruby's syntax error
                    let s = self.pos;
                    if !(0..4).all(|i| self.peek(i).is_ascii_hexdigit()) {
                        return self.err("invalid Unicode escape");
                    }
                    self.pos += 4;
                    codes.push(u32::from_str_radix(&self.text(s, self.pos), 16).unwrap_or(0));
                }
                for c in codes {
                    // a surrogate or a code point past Unicode is Ruby's syntax error, not
                    // a replacement character
                    let Some(ch) = char::from_u32(c) else {
                        return self.err(if c > 0x10ffff {
                            "invalid Unicode codepoint (too large)"
                        } else {
                            "invalid Unicode codepoint"
                        });
                    };
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                }
            }
            other => buf.push(other),
        }
        Ok(())
    }

    pub(super) fn heredoc_follows(&self) -> bool {
        let mut p = self.pos + 2;
        if matches!(self.src.get(p), Some(b'~') | Some(b'-')) {
            p += 1;
        }
        // any name, lowercase too (`<<-eoyaml`): the callers have checked that an operand
        // may start here, where Ruby reads `<<name` as a heredoc and never as a shift
        matches!(self.src.get(p), Some(c) if is_ident_start(*c) || *c == b'\'' || *c == b'"')
    }

    pub(super) fn heredoc(&mut self) -> Result<T, LexError> {
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
            let s = String::from_utf8_lossy(&body).into_owned();
            return Ok(T::Str(self.st.lit(Lit::Plain(s))));
        }
        // re-lex the body as a double-quoted string without a terminator
        let spent = self.out.len() + self.st.aside;
        let mut st = LexState {
            locals: self.st.locals.clone(),
            names: std::mem::take(&mut self.st.names),
            lits: std::mem::take(&mut self.st.lits),
            max_tokens: self.st.max_tokens,
            aside: spent,
            invalid: Vec::new(),
        };
        body.push(0);
        let text = String::from_utf8_lossy(&body).into_owned();
        let mut out = Vec::new();
        let mut sub = Lexer {
            src: text.as_bytes(),
            text: &text,
            pos: 0,
            line: self.line + 1,
            out: &mut out,
            base: 0,
            st: &mut st,
            heredoc_skip: Vec::new(),
            paren_depth: 0,
            stop: 0,
        };
        sub.set_aside(0);
        let lit = sub.string_lit(0xff, 0, true);
        self.st.names = st.names;
        self.st.lits = st.lits;
        // the heredoc's tokens are aside too: what the sub-lexer spent past `spent`
        self.st.aside = st.aside + out.len() - self.out.len();
        self.set_aside(0);
        Ok(T::Str(self.st.lit(lit?)))
    }
}
