//! `JSON.parse` and `JSON.load` as the director's json gem (2.15 and later) reads: any value
//! at the top, integers of any size, `NaN` and `Infinity` when allowed, `/* */` and `//`
//! comments, a nesting limit (100 unless told otherwise), and its errors' words with their
//! line and column. Our own reader, because byte-exact results need it: serde_json reads an
//! integer past 64 bits as a float or not at all, and knows none of the rest.
//!
//! The reader keeps its open arrays and objects on a list, not the native stack, so that
//! nesting without a limit (`max_nesting: false`) cannot overflow it.

use num_bigint::BigInt;

use super::value::{RHash, Value};

/// What `JSON.parse`'s keywords choose.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub allow_nan: bool,
    /// Arrays and objects nested deeper fail; 0 for no limit.
    pub max_nesting: usize,
    pub symbolize_names: bool,
    pub allow_trailing_comma: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            allow_nan: false,
            max_nesting: 100,
            symbolize_names: false,
            allow_trailing_comma: false,
        }
    }
}

/// Why a text was not read: `JSON::NestingError` or `JSON::ParserError`, with the gem's
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub nesting: bool,
    pub message: String,
}

/// Integer digits past which a number is refused rather than made (the engine's integers
/// stop at [`crate::methods::bignum::MAX_BITS`] bits, about 19,700 digits).
const MAX_DIGITS: usize = 19_000;

enum Open {
    Array(Vec<Value>),
    /// The hash so far and the key waiting for its value.
    Object(RHash, Value),
}

struct Reader<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    o: Options,
}

/// The value `text` holds.
pub fn parse(text: &str, o: &Options) -> Result<Value, JsonError> {
    let mut r = Reader {
        b: text.as_bytes(),
        text,
        i: 0,
        o: *o,
    };
    let mut open: Vec<Open> = Vec::new();
    'value: loop {
        r.space()?;
        let mut v = match r.peek() {
            Some(b'[') => {
                r.i += 1;
                r.space()?;
                if r.peek() == Some(b']') {
                    r.i += 1;
                    Value::array(Vec::new())
                } else {
                    r.nest(open.len() + 1)?;
                    open.push(Open::Array(Vec::new()));
                    continue 'value;
                }
            }
            Some(b'{') => {
                r.i += 1;
                r.space()?;
                if r.peek() == Some(b'}') {
                    r.i += 1;
                    Value::hash(RHash::new())
                } else {
                    r.nest(open.len() + 1)?;
                    if r.peek() != Some(b'"') {
                        return Err(r.err("expected object key, got %s"));
                    }
                    let key = r.key()?;
                    r.space()?;
                    if r.peek() != Some(b':') {
                        return Err(r.err("expected ':' after object key"));
                    }
                    r.i += 1;
                    open.push(Open::Object(RHash::new(), key));
                    continue 'value;
                }
            }
            _ => r.scalar()?,
        };
        // a value is complete: it goes into what is open, which may close in turn
        loop {
            match open.last_mut() {
                None => {
                    r.space()?;
                    if r.i < r.b.len() {
                        return Err(r.err("unexpected token at end of stream %s"));
                    }
                    return Ok(v);
                }
                Some(Open::Array(items)) => {
                    items.push(v);
                    r.space()?;
                    match r.peek() {
                        Some(b',') => {
                            r.i += 1;
                            r.space()?;
                            if !(r.o.allow_trailing_comma && r.peek() == Some(b']')) {
                                continue 'value;
                            }
                            r.i += 1;
                        }
                        Some(b']') => r.i += 1,
                        _ => return Err(r.err("expected ',' or ']' after array value")),
                    }
                    let Some(Open::Array(items)) = open.pop() else {
                        unreachable!("the array just written")
                    };
                    v = Value::array(items);
                }
                Some(Open::Object(h, key)) => {
                    h.insert(std::mem::take(key), v);
                    r.space()?;
                    match r.peek() {
                        Some(b',') => {
                            r.i += 1;
                            r.space()?;
                            if !(r.o.allow_trailing_comma && r.peek() == Some(b'}')) {
                                if r.peek() != Some(b'"') {
                                    return Err(r.err("expected object key, got: %s"));
                                }
                                *key = r.key()?;
                                r.space()?;
                                if r.peek() != Some(b':') {
                                    return Err(r.err("expected ':' after object key, got: %s"));
                                }
                                r.i += 1;
                                continue 'value;
                            }
                            r.i += 1;
                        }
                        Some(b'}') => r.i += 1,
                        _ => return Err(r.err("expected ',' or '}' after object value, got: %s")),
                    }
                    let Some(Open::Object(h, _)) = open.pop() else {
                        unreachable!("the object just written")
                    };
                    v = Value::hash(h);
                }
            }
        }
    }
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn rest(&self) -> &[u8] {
        &self.b[self.i.min(self.b.len())..]
    }

    /// The gem's parse error: `format` with the text from here (up to 32 bytes, to the
    /// next space, quoted; `EOF` at the end), and where.
    fn err(&self, format: &str) -> JsonError {
        if self.i > self.b.len() {
            return self.err_at(self.b.len(), format);
        }
        let rest = self.rest();
        let fragment = if rest.is_empty() {
            "EOF".to_string()
        } else {
            let mut len = rest
                .iter()
                .take(32)
                .position(|&c| matches!(c, 0 | b'\n' | b' ' | b'\t' | b'\r'))
                .unwrap_or(rest.len().min(32));
            while len > 0 && !self.text.is_char_boundary(self.i + len) {
                len -= 1;
            }
            if len == 0 {
                self.text[self.i..].to_string()
            } else {
                format!("'{}'", &self.text[self.i..self.i + len])
            }
        };
        let line_start = self.b[..self.i].iter().rposition(|&c| c == b'\n');
        let line = 1
            + self.b[..line_start.unwrap_or(0)]
                .iter()
                .filter(|&&c| c == b'\n')
                .count()
            + usize::from(line_start.is_some());
        let column = match self.peek() {
            Some(b'\n') => 0,
            _ => self.i - line_start.map_or(0, |s| s + 1) + 1,
        };
        JsonError {
            nesting: false,
            message: format!(
                "{} at line {line} column {column}",
                format.replace("%s", &fragment)
            ),
        }
    }

    /// Opening the `depth`th array or object.
    fn nest(&self, depth: usize) -> Result<(), JsonError> {
        if self.o.max_nesting != 0 && depth > self.o.max_nesting {
            return Err(JsonError {
                nesting: true,
                message: format!("nesting of {depth} is too deep"),
            });
        }
        Ok(())
    }

    /// Whitespace and comments.
    fn space(&mut self) -> Result<(), JsonError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                Some(b'/') => {
                    let start = self.i;
                    match self.b.get(self.i + 1) {
                        Some(b'/') => {
                            self.i = memchr::memchr(b'\n', &self.b[self.i..])
                                .map_or(self.b.len(), |n| self.i + n + 1);
                        }
                        Some(b'*') => match memchr::memmem::find(&self.b[self.i + 2..], b"*/") {
                            Some(n) => self.i += 2 + n + 2,
                            None => {
                                return Err(self
                                    .err_at(start, "unterminated comment, expected closing '*/'"))
                            }
                        },
                        _ => return Err(self.err("unexpected token %s")),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn err_at(&self, at: usize, format: &str) -> JsonError {
        Reader { i: at, ..*self }.err(format)
    }

    /// A literal, number or string.
    fn scalar(&mut self) -> Result<Value, JsonError> {
        let rest = self.rest();
        let word = |w: &[u8]| rest.starts_with(w);
        let (v, len) = match rest.first() {
            None => return Err(self.err("unexpected end of input")),
            Some(b'"') => return self.string().map(Value::str),
            Some(b'n') if word(b"null") => (Value::Nil, 4),
            Some(b't') if word(b"true") => (Value::Bool(true), 4),
            Some(b'f') if word(b"false") => (Value::Bool(false), 5),
            Some(b'N') if self.o.allow_nan && word(b"NaN") => (Value::Float(f64::NAN), 3),
            Some(b'I') if self.o.allow_nan && word(b"Infinity") => (Value::Float(f64::INFINITY), 8),
            Some(b'-') if word(b"-Infinity") => {
                if !self.o.allow_nan {
                    return Err(self.err("unexpected token %s"));
                }
                (Value::Float(f64::NEG_INFINITY), 9)
            }
            Some(b'-' | b'0'..=b'9') => return self.number(),
            Some(b'n' | b't' | b'f' | b'N' | b'I') => return Err(self.err("unexpected token %s")),
            Some(_) => return Err(self.err("unexpected character: %s")),
        };
        self.i += len;
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let n = self
            .rest()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        self.i += n;
        n
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let first = self.peek();
        let int_digits = self.digits();
        if (first == Some(b'0') && int_digits > 1) || (negative && int_digits == 0) {
            return Err(self.err_at(start, "invalid number: %s"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err_at(start, "invalid number: %s"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err_at(start, "invalid number: %s"));
            }
        }
        let text = &self.text[start..self.i];
        if !integer {
            // correctly rounded, as the gem's reader is; past the range, an infinity
            return Ok(Value::Float(text.parse().unwrap_or(f64::NAN)));
        }
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        if int_digits > MAX_DIGITS {
            return Err(self.err_at(start, "number past the size bale allows: %s"));
        }
        Ok(text
            .parse::<BigInt>()
            .map(crate::methods::bignum::int)
            .unwrap_or(Value::Nil))
    }

    /// An object's key: a String, or a Symbol with `symbolize_names`.
    fn key(&mut self) -> Result<Value, JsonError> {
        let s = self.string()?;
        Ok(if self.o.symbolize_names {
            Value::sym(&s)
        } else {
            Value::str(s)
        })
    }

    /// A string from its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("unexpected end of input, expected closing \""));
            };
            match c {
                b'"' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                0..=0x1f => return Err(self.err("invalid ASCII control character in string: %s")),
                b'\\' => {
                    out.push_str(&self.text[run..self.i]);
                    let at = self.i;
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.err("unexpected end of input, expected closing \""));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'/' => out.push('/'),
                        b'\\' => out.push('\\'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => out.push(self.unicode(at)?),
                        _ => return Err(self.err_at(at, "invalid escape character in string: %s")),
                    }
                    run = self.i;
                }
                _ => self.i += 1,
            }
        }
    }

    /// Four hex digits after `\u`.
    fn hex4(&mut self, at: usize) -> Result<u32, JsonError> {
        let digits = self.b.get(self.i..self.i + 4).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
        });
        let Some(h) = digits else {
            return Err(self.err_at(at, "incomplete unicode character escape sequence at %s"));
        };
        self.i += 4;
        Ok(u32::from_str_radix(h, 16).expect("four hex digits"))
    }

    /// A `\u` escape (from its backslash `at`), a surrogate pair's two together; a low
    /// surrogate alone, which no UTF-8 text can hold, is U+FFFD.
    fn unicode(&mut self, at: usize) -> Result<char, JsonError> {
        let hi = self.hex4(at)?;
        if hi & 0xFC00 != 0xD800 {
            return Ok(char::from_u32(hi).unwrap_or('\u{fffd}'));
        }
        if !self.rest().starts_with(b"\\u") {
            return Err(self.err_at(at, "incomplete surrogate pair at %s"));
        }
        self.i += 2;
        let lo = self.hex4(at)?;
        if lo & 0xFC00 != 0xDC00 {
            return Err(self.err_at(at, "invalid surrogate pair at %s"));
        }
        let c = 0x10000 + ((hi & 0x3FF) << 10) + (lo & 0x3FF);
        Ok(char::from_u32(c).unwrap_or('\u{fffd}'))
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, Options};
    use crate::format::inspect;

    fn read(text: &str) -> String {
        read_with(text, Options::default())
    }

    fn read_with(text: &str, o: Options) -> String {
        match parse(text, &o) {
            Ok(v) => inspect(&v),
            Err(e) => format!(
                "{}: {}",
                if e.nesting { "Nesting" } else { "Parser" },
                e.message
            ),
        }
    }

    #[test]
    fn values_as_ruby_holds_them() {
        assert_eq!(read(" 1 "), "1");
        assert_eq!(
            read(r#"{"a": [1, -0, -0.0, 1E2, 2e-1, 12345678901234567890123, 1e400], "a": null}"#),
            r#"{"a" => nil}"#
        );
        assert_eq!(
            read(r#"[1, -0, -0.0, 1E2, 2e-1, 18446744073709551615, 1e400]"#),
            "[1, 0, -0.0, 100.0, 0.2, 18446744073709551615, Infinity]"
        );
        assert_eq!(
            read(r#"["\u00e9\n\"\\\/", "\ud83d\ude00", "é"]"#),
            r#"["é\n\"\\/", "😀", "é"]"#
        );
        assert_eq!(read("[1 /* one */, 2] // end"), "[1, 2]");
        let o = Options {
            symbolize_names: true,
            allow_nan: true,
            allow_trailing_comma: true,
            ..Options::default()
        };
        assert_eq!(
            read_with(r#"{"a": [NaN, -Infinity, 1,],}"#, o),
            "{a: [NaN, -Infinity, 1]}"
        );
    }

    #[test]
    fn errors_name_what_and_where() {
        assert_eq!(
            read(""),
            "Parser: unexpected end of input at line 1 column 1"
        );
        assert_eq!(
            read("NaN"),
            "Parser: unexpected token 'NaN' at line 1 column 1"
        );
        assert_eq!(
            read("[1,]"),
            "Parser: unexpected character: ']' at line 1 column 4"
        );
        assert_eq!(
            read("[1\n 2]"),
            "Parser: expected ',' or ']' after array value at line 2 column 2"
        );
        assert_eq!(
            read("[01]"),
            "Parser: invalid number: '01]' at line 1 column 2"
        );
        assert_eq!(
            read("{'a': 1}"),
            "Parser: expected object key, got ''a':' at line 1 column 2"
        );
        assert_eq!(
            read("{} {}"),
            "Parser: unexpected token at end of stream '{}' at line 1 column 4"
        );
        assert_eq!(
            read(r#"["\x"]"#),
            r#"Parser: invalid escape character in string: '\x"]' at line 1 column 3"#
        );
        assert_eq!(
            read(&"[".repeat(101)),
            "Nesting: nesting of 101 is too deep"
        );
        let deep = format!("{}{}", "[".repeat(3000), "]".repeat(3000));
        let o = Options {
            max_nesting: 0,
            ..Options::default()
        };
        assert!(read_with(&deep, o).starts_with("[[["));
    }
}
