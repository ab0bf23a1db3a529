//! The parts of a template lexed into one token list: code and outputs as Ruby, text as
//! literals, and a `#` comment that a code tag leaves open running on into what follows,
//! as it does in the program the director generates.

use std::rc::Rc;

use super::{scan, Part};
use crate::lexer::{LexError, LexState, Lexer, Lit, Token, T};
use crate::parser::SyntaxError;

/// Lexes one code part starting on `line`; `invalid` are the offsets of its bytes that were
/// not UTF-8, which Ruby refuses outside comments.
fn tokenize(
    code: &str,
    line: u32,
    invalid: Vec<usize>,
    locals: &mut LexState,
    toks: &mut Vec<Token>,
) -> Result<(), LexError> {
    if invalid.is_empty() {
        return Lexer::tokenize(code, line, locals, toks);
    }
    locals.invalid = invalid;
    let r = Lexer::tokenize(code, line, locals, toks);
    let left = std::mem::take(&mut locals.invalid);
    r?;
    match left.first() {
        Some(&at) => Err(LexError {
            line: line + code[..at].matches('\n').count() as u32,
            message: "invalid multibyte char (UTF-8)".into(),
        }),
        None => Ok(()),
    }
}

/// The tokens of a template's code, text and outputs, as one program.
pub(super) fn lex(
    src: &[u8],
    locals: &mut LexState,
    toks: &mut Vec<Token>,
) -> Result<(), SyntaxError> {
    // real releases' templates have one token per ten bytes on average: room for most
    toks.reserve((src.len() / 6 + 16).min(locals.max_tokens));
    let lex_err = |e: LexError| SyntaxError::new(e.line, e.message);
    let mut last_line = 1;
    // A `#` comment at the end of a code tag runs on in Ruby's generated program until the
    // next newline: text up to and including that newline is commented out too.
    let mut in_comment = false;
    scan(src, |part, line| {
        last_line = line;
        locals.over_budget(toks.len(), line).map_err(lex_err)?;
        if in_comment {
            match &part {
                Part::Break => in_comment = false,
                Part::Text(t) => {
                    // the whole text literal sits on the commented line
                    if t.contains(&b'\n') {
                        in_comment = false;
                    }
                }
                Part::Code(c, bad) | Part::Out(c, bad) => {
                    if let Some(i) = c.find('\n') {
                        let rest = &c[i + 1..];
                        let l = line + 1;
                        // (what is before the newline is the comment's)
                        let bad = bad.iter().filter_map(|p| p.checked_sub(i + 1)).collect();
                        tokenize(rest, l, bad, locals, toks).map_err(lex_err)?;
                        if matches!(part, Part::Out(..)) {
                            return Err(SyntaxError::new(l, "syntax error, unexpected ')'"));
                        }
                        in_comment = ends_in_comment(rest);
                        toks.push(Token {
                            t: T::Nl,
                            line: l,
                            spc: true,
                        });
                    }
                }
            }
            return Ok(());
        }
        match part {
            Part::Break => {}
            Part::Text(t) => {
                let text = locals.lit(Lit::Text(Rc::from(&*t)));
                toks.push(Token {
                    t: T::ErbText(text),
                    line,
                    spc: true,
                });
                toks.push(Token {
                    t: T::Nl,
                    line,
                    spc: true,
                });
            }
            Part::Code(c, bad) => {
                tokenize(&c, line, bad, locals, toks).map_err(lex_err)?;
                in_comment = ends_in_comment(&c);
                let l = toks.last().map_or(line, |t| t.line);
                toks.push(Token {
                    t: T::Nl,
                    line: l,
                    spc: true,
                });
            }
            Part::Out(c, bad) => {
                toks.push(Token {
                    t: T::ErbOut,
                    line,
                    spc: true,
                });
                tokenize(&c, line, bad, locals, toks).map_err(lex_err)?;
                let l = toks.last().map_or(line, |t| t.line);
                toks.push(Token {
                    t: T::ErbOutEnd,
                    line: l,
                    spc: true,
                });
                toks.push(Token {
                    t: T::Nl,
                    line: l,
                    spc: true,
                });
            }
        }
        Ok(())
    })?;
    toks.push(Token {
        t: T::Eof,
        line: last_line,
        spc: true,
    });
    Ok(())
}

/// The code's last line ends inside a `#` comment (outside strings).
fn ends_in_comment(code: &str) -> bool {
    // bytes, not characters: the quotes, `#` and `\` looked for are ASCII
    let code = code.as_bytes();
    let last = match memchr::memrchr(b'\n', code) {
        Some(i) => &code[i + 1..],
        None => code,
    };
    // most code has no `#` at all: no byte-by-byte walk for it
    if memchr::memchr(b'#', last).is_none() {
        return false;
    }
    let mut in_s: Option<u8> = None;
    let mut prev = b' ';
    for &c in last {
        match in_s {
            Some(q) => {
                if c == q && prev != b'\\' {
                    in_s = None;
                }
            }
            None => {
                if c == b'#' {
                    return !code.ends_with(b"\n");
                }
                if c == b'"' || c == b'\'' {
                    in_s = Some(c);
                }
            }
        }
        prev = c;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_tag_ends_in_a_comment_only_outside_strings_and_before_its_end() {
        assert!(ends_in_comment(" x = 1 # note "));
        assert!(ends_in_comment("a\n# note"));
        assert!(!ends_in_comment(" x = 1 "));
        assert!(!ends_in_comment(" x = '#' "));
        assert!(!ends_in_comment(" p(\"#{x}\") "));
        assert!(!ends_in_comment(" # note\n"));
        assert!(!ends_in_comment("# note\nx"));
        assert!(ends_in_comment(" \"a\\\"#\" # b"));
    }

    /// Lexes `src` as a template: the error, if any.
    fn lexed(src: &[u8]) -> Option<(u32, String)> {
        let mut st = LexState::default();
        lex(src, &mut st, &mut Vec::new())
            .err()
            .map(|e| (e.line, e.message))
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_in_code_but_not_in_comments() {
        let bad = Some((1, "invalid multibyte char (UTF-8)".to_string()));
        assert_eq!(lexed(b"<%= \"a\xffb\" %>"), bad);
        assert_eq!(lexed(b"<% x = \xff %>"), bad);
        assert_eq!(
            lexed(b"<% x = 1\n y = '\xfe' %>"),
            Some((2, "invalid multibyte char (UTF-8)".to_string()))
        );
        assert_eq!(lexed(b"<%= 1 # \xff\n %>"), None);
        assert_eq!(lexed(b"<% # \xff %>x\xffy\n<%= 2 %>"), None);
        assert_eq!(lexed(b"<% x = 1\n=begin\n\xff\n=end\n%>"), None);
        assert_eq!(lexed(b"<%# \xff %>\xfe"), None);
        assert_eq!(
            lexed(b"<%= <<~E\n  \xff\nE\n%>"),
            Some((2, "invalid multibyte char (UTF-8)".to_string()))
        );
    }
}
