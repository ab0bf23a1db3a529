//! go-patch paths: `/key`, `/0`, `/-`, `/name=value`, `?` making the rest optional,
//! `:prev`/`:next`/`:before`/`:after` modifiers, and `~0`/`~1`/`~7` escapes. Parsed once into
//! tokens; `Display` gives the path back as go-patch prints it in error messages.

use std::fmt;

use super::load::MAX_DEPTH;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Modifier {
    Prev,
    Next,
    Before,
    After,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Root,
    Index {
        index: i64,
        modifiers: Vec<Modifier>,
    },
    AfterLast,
    Matching {
        key: String,
        value: String,
        optional: bool,
        modifiers: Vec<Modifier>,
    },
    Key {
        key: String,
        optional: bool,
    },
}

impl Token {
    /// The Go type name `%T` prints for the token.
    pub fn go_type(&self) -> &'static str {
        match self {
            Token::Root => "patch.RootToken",
            Token::Index { .. } => "patch.IndexToken",
            Token::AfterLast => "patch.AfterLastIndexToken",
            Token::Matching { .. } => "patch.MatchingIndexToken",
            Token::Key { .. } => "patch.KeyToken",
        }
    }
}

impl Modifier {
    pub fn go_type(self) -> &'static str {
        match self {
            Modifier::Prev => "patch.PrevModifier",
            Modifier::Next => "patch.NextModifier",
            Modifier::Before => "patch.BeforeModifier",
            Modifier::After => "patch.AfterModifier",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pointer(pub Vec<Token>);

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PointerError {
    #[error("Expected to start with '/'")]
    NoSlash,
    #[error("Expected to find one of the following modifiers: 'prev', 'next', 'before', or 'after' but found '{0}'")]
    UnknownModifier(String),
    #[error("Expected not to find any modifiers with after last index token")]
    ModifierOnAfterLast,
    #[error("Expected not to find any modifiers with key token")]
    ModifierOnKey,
    /// Each segment may create a level of nesting, and everything after the ops walks the
    /// document recursively: a path deeper than any document bale reads is refused.
    #[error("Expected a path of at most {MAX_DEPTH} segments but found {0}")]
    TooDeep(usize),
}

fn decode(s: &str) -> String {
    // strings.NewReplacer scans left to right, replacing the first matching pair.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('~') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.as_bytes().get(1) {
            Some(b'0') => {
                out.push('~');
                rest = &tail[2..];
            }
            Some(b'1') => {
                out.push('/');
                rest = &tail[2..];
            }
            Some(b'7') => {
                out.push(':');
                rest = &tail[2..];
            }
            _ => {
                out.push('~');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn encode(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1").replace(':', "~7")
}

/// Go's `strconv.Atoi`: optional sign and decimal digits that fit in 64 bits.
fn atoi(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

impl Pointer {
    pub fn parse(s: &str) -> Result<Pointer, PointerError> {
        let mut tokens = vec![Token::Root];
        if s.is_empty() {
            return Ok(Pointer(tokens));
        }
        let Some(rest) = s.strip_prefix('/') else {
            return Err(PointerError::NoSlash);
        };
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.len() > MAX_DEPTH {
            return Err(PointerError::TooDeep(parts.len()));
        }
        let mut optional = false;
        for (i, part) in parts.iter().enumerate() {
            let is_last = i == parts.len() - 1;
            let pieces: Vec<&str> = part.split(':').collect();
            let mut modifiers = Vec::new();
            let mut tok = *part;
            if pieces.len() > 1 {
                tok = pieces[0];
                for p in &pieces[1..] {
                    modifiers.push(match *p {
                        "prev" => Modifier::Prev,
                        "next" => Modifier::Next,
                        "before" => Modifier::Before,
                        "after" => Modifier::After,
                        _ => return Err(PointerError::UnknownModifier(pieces[1].to_string())),
                    });
                }
            }
            let tok = decode(tok);
            if is_last && tok == "-" {
                if !modifiers.is_empty() {
                    return Err(PointerError::ModifierOnAfterLast);
                }
                tokens.push(Token::AfterLast);
                continue;
            }
            if let Some(index) = atoi(&tok) {
                tokens.push(Token::Index { index, modifiers });
                continue;
            }
            if tok.ends_with('?') {
                optional = true;
            }
            if let Some((k, v)) = tok.split_once('=') {
                tokens.push(Token::Matching {
                    key: k.to_string(),
                    value: v.strip_suffix('?').unwrap_or(v).to_string(),
                    optional,
                    modifiers,
                });
                continue;
            }
            if !modifiers.is_empty() {
                return Err(PointerError::ModifierOnKey);
            }
            tokens.push(Token::Key {
                key: tok.strip_suffix('?').unwrap_or(&tok).to_string(),
                optional,
            });
        }
        Ok(Pointer(tokens))
    }

    /// The first `n` tokens (root included) as a pointer, for error messages.
    pub fn prefix(&self, n: usize) -> Pointer {
        Pointer(self.0[..n.min(self.0.len())].to_vec())
    }
}

fn modifiers_str(ms: &[Modifier]) -> String {
    ms.iter()
        .map(|m| match m {
            Modifier::Prev => ":prev",
            Modifier::Next => ":next",
            Modifier::Before => ":before",
            Modifier::After => ":after",
        })
        .collect()
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut optional = false;
        for t in &self.0 {
            parts.push(match t {
                Token::Root => String::new(),
                Token::Index { index, modifiers } => {
                    format!("{index}{}", modifiers_str(modifiers))
                }
                Token::AfterLast => "-".into(),
                Token::Matching {
                    key,
                    value,
                    optional: opt,
                    modifiers,
                } => {
                    let mut val = encode(value);
                    if *opt && !optional {
                        val.push('?');
                        optional = true;
                    }
                    format!("{}={val}{}", encode(key), modifiers_str(modifiers))
                }
                Token::Key { key, optional: opt } => {
                    let mut s = encode(key);
                    if *opt && !optional {
                        s.push('?');
                        optional = true;
                    }
                    s
                }
            });
        }
        f.write_str(&parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_paths() {
        for p in [
            "",
            "/a/b",
            "/a/0",
            "/a/-",
            "/a/name=x?/b",
            "/a?/b/c",
            "/a/1:prev",
            "/a/name=x:after",
            "/a~1b/c~0d/e~7f",
        ] {
            assert_eq!(Pointer::parse(p).unwrap().to_string(), p);
        }
        let p = Pointer::parse("/a?/b").unwrap();
        assert_eq!(
            p.0[2],
            Token::Key {
                key: "b".into(),
                optional: true
            }
        );
        assert_eq!(Pointer::parse("a"), Err(PointerError::NoSlash));
        assert_eq!(
            Pointer::parse("/a:foo"),
            Err(PointerError::UnknownModifier("foo".into()))
        );
        assert_eq!(
            Pointer::parse("/-:prev"),
            Err(PointerError::ModifierOnAfterLast)
        );
        assert_eq!(Pointer::parse("/a:prev"), Err(PointerError::ModifierOnKey));
        assert!(Pointer::parse(&"/a".repeat(MAX_DEPTH)).is_ok());
        assert_eq!(
            Pointer::parse(&"/a".repeat(MAX_DEPTH + 1)),
            Err(PointerError::TooDeep(MAX_DEPTH + 1))
        );
    }
}
