//! ERB with trim mode `-`, as the director compiles templates: the scanner splits a template
//! into text, code, output and comment parts, and the whole template becomes one token
//! stream (one Ruby program), so that `if`/`each ... do` span tags and locals persist.
//! Every token keeps its template line.

use std::borrow::Cow;
use std::cell::RefCell;

use super::ast::{Name, Node};
use super::lexer::{LexState, Lexer, Token, T};
use super::parser::{Parser, SyntaxError};

mod tokens;
use tokens::lex;

/// A part of a template; borrowed from the template unless an escape (`<%%`, `%%>`) or
/// invalid UTF-8 in code made a copy.
#[derive(Debug, PartialEq)]
pub enum Part<'a> {
    Text(Cow<'a, [u8]>),
    /// Code and its offsets of bytes that were not UTF-8 (see [`LexState::invalid`]).
    Code(Cow<'a, str>, Vec<usize>),
    Out(Cow<'a, str>, Vec<usize>),
    /// A newline that ends the generated program line without output: swallowed by `-%>`,
    /// or inside a `<%# %>` comment. It ends a Ruby `#` comment left open by a code tag.
    Break,
}

/// Splits a template into parts, handing each to `emit` with the line it starts on as it
/// is found, until `emit` fails: the compiler lexes a part at once, and a list of a large
/// template's parts would be memory written and read back once, a fresh block for every
/// template.
pub fn scan<'a, E>(
    src: &'a [u8],
    mut emit: impl FnMut(Part<'a>, u32) -> Result<(), E>,
) -> Result<(), E> {
    // checked once, not tag by tag: a valid template's code tags are valid text, as they
    // start and end at ASCII bytes
    let whole = std::str::from_utf8(src).ok();
    let mut pos = 0;
    let mut text = Pending::default();
    let mut text_line = 1u32;
    let mut line = 1u32;
    let n = src.len();
    // most spans between tags are short, and memchr's counter costs more to set up than
    // they take to count byte by byte
    let count_nl = |a: &[u8]| {
        if a.len() < 64 {
            a.iter().map(|&c| u32::from(c == b'\n')).sum::<u32>()
        } else {
            memchr::memchr_iter(b'\n', a).count() as u32
        }
    };
    while pos < n {
        // text mode: earliest tag; at a line start (or where the last tag ended) spaces/tabs
        // before `<%-` are dropped
        let mut i = pos;
        let mut found: Option<(usize, usize, &str)> = None; // (text end, tag end, tag)
                                                            // only a `<` starts a tag
        while let Some(k) = memchr::memchr(b'<', &src[i..]) {
            i += k;
            if src.get(i + 1) == Some(&b'%') {
                let tag = match src.get(i + 2) {
                    Some(b'-') => {
                        // only spaces and tabs since the line started: they go too
                        let mut j = i;
                        while j > pos && (src[j - 1] == b' ' || src[j - 1] == b'\t') {
                            j -= 1;
                        }
                        let text_end = if j == pos || src[j - 1] == b'\n' {
                            j
                        } else {
                            i
                        };
                        found = Some((text_end, i + 3, "<%"));
                        break;
                    }
                    Some(b'%') => ("<%%", 3),
                    Some(b'=') => ("<%=", 3),
                    Some(b'#') => ("<%#", 3),
                    _ => ("<%", 2),
                };
                found = Some((i, i + tag.1, tag.0));
                break;
            }
            i += 1;
        }
        let Some((text_end, tag_end, tag)) = found else {
            if text.is_empty() {
                text_line = line;
            }
            text.add(src, pos, n);
            break;
        };
        if text.is_empty() {
            text_line = line;
        }
        text.add(src, pos, text_end);
        line += count_nl(&src[pos..tag_end]);
        pos = tag_end;
        if tag == "<%%" {
            text.literal(src, b"<%");
            continue;
        }
        if !text.is_empty() {
            emit(Part::Text(text.take(src)), text_line)?;
        }
        // code mode: up to `-%>` or `%>`; `%%>` is a literal `%>`
        let code_line = line;
        let mut code = Pending::default();
        let mut closed = None;
        let mut k = pos;
        while k < n {
            match memchr::memchr(b'%', &src[k..]) {
                None => break,
                Some(d) => k += d,
            }
            if k > pos && src[k - 1] == b'-' && src[k..].starts_with(b"%>") {
                closed = Some((k - 1, k + 2, true));
                break;
            }
            if src[k..].starts_with(b"%%>") {
                code.add(src, pos, k);
                code.literal(src, b"%>");
                line += count_nl(&src[pos..k + 3]);
                pos = k + 3;
                k = pos;
                continue;
            }
            if src[k..].starts_with(b"%>") {
                closed = Some((k, k + 2, false));
                break;
            }
            k += 1;
        }
        match closed {
            None => {
                // an unterminated tag: its content is literal text
                code.add(src, pos, n);
                text_line = line;
                text = code;
                break;
            }
            Some((code_end, after, trim)) => {
                code.add(src, pos, code_end);
                line += count_nl(&src[pos..after]);
                pos = after;
                let (code, invalid) = match (code.range, whole) {
                    (Some((a, b)), Some(w)) if code.copy.is_none() => match w.get(a..b) {
                        Some(t) => (Cow::Borrowed(t), Vec::new()),
                        None => marked(&src[a..b]),
                    },
                    _ => match code.take(src) {
                        Cow::Borrowed(b) => marked(b),
                        Cow::Owned(v) => match String::from_utf8(v) {
                            Ok(t) => (Cow::Owned(t), Vec::new()),
                            Err(e) => {
                                let (t, m) = marked(e.as_bytes());
                                (Cow::Owned(t.into_owned()), m)
                            }
                        },
                    },
                };
                let comment_nl = tag == "<%#" && code.contains('\n');
                match tag {
                    "<%=" => emit(Part::Out(code, invalid), code_line)?,
                    "<%" => emit(Part::Code(code, invalid), code_line)?,
                    _ => {} // comment
                }
                let mut swallowed = false;
                if trim {
                    if src[pos..].starts_with(b"\r\n") {
                        pos += 2;
                        line += 1;
                        swallowed = true;
                    } else if src[pos..].starts_with(b"\n") {
                        pos += 1;
                        line += 1;
                        swallowed = true;
                    }
                }
                if swallowed || comment_nl {
                    emit(Part::Break, line)?;
                }
            }
        }
    }
    if !text.is_empty() {
        emit(Part::Text(text.take(src)), text_line)?;
    }
    Ok(())
}

/// Code as text, and where it had bytes that are not UTF-8: each such run is one U+FFFD,
/// at the offsets given.
fn marked(b: &[u8]) -> (Cow<'_, str>, Vec<usize>) {
    if let Ok(t) = std::str::from_utf8(b) {
        return (Cow::Borrowed(t), Vec::new());
    }
    let mut text = String::with_capacity(b.len() + 8);
    let mut at = Vec::new();
    for chunk in b.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            at.push(text.len());
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (Cow::Owned(text), at)
}

/// Text or code being gathered: a range of the template until an escape adds bytes that
/// are not in it, then a copy.
#[derive(Default)]
struct Pending {
    range: Option<(usize, usize)>,
    copy: Option<Vec<u8>>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        match (&self.copy, self.range) {
            (Some(c), _) => c.is_empty(),
            (None, Some((a, b))) => a == b,
            (None, None) => true,
        }
    }

    /// Appends `src[a..b]`.
    fn add(&mut self, src: &[u8], a: usize, b: usize) {
        match (&mut self.copy, self.range) {
            (Some(c), _) => c.extend_from_slice(&src[a..b]),
            (None, None) => self.range = Some((a, b)),
            (None, Some((s, e))) if e == a => self.range = Some((s, b)),
            (None, Some((s, e))) => {
                let mut c = src[s..e].to_vec();
                c.extend_from_slice(&src[a..b]);
                self.copy = Some(c);
            }
        }
    }

    /// Appends bytes that are not the template's at this point.
    fn literal(&mut self, src: &[u8], bytes: &[u8]) {
        let range = self.range.take();
        let c = self.copy.get_or_insert_with(|| match range {
            Some((a, b)) => src[a..b].to_vec(),
            None => Vec::new(),
        });
        c.extend_from_slice(bytes);
    }

    fn take<'a>(&mut self, src: &'a [u8]) -> Cow<'a, [u8]> {
        let p = std::mem::take(self);
        match (p.copy, p.range) {
            (Some(c), _) => Cow::Owned(c),
            (None, Some((a, b))) => Cow::Borrowed(&src[a..b]),
            (None, None) => Cow::Borrowed(&[]),
        }
    }
}

/// Compiles a template into its program.
pub fn compile(src: &[u8]) -> Result<Node, SyntaxError> {
    compile_with(src, &crate::Limits::default())
}

/// What compiling a template needs and the next template can reuse on the same thread:
/// the token and literal lists and the parser's stacks and scopes (fresh ones cost
/// allocations and, for a large template, fresh memory from the system) and the names,
/// which templates share (`p`, `each`, `[]`): each is allocated once, not once per template.
struct Kept {
    toks: Vec<Token>,
    lex: LexState,
    parser: Parser,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept {
            toks: Vec::new(),
            lex: LexState::default(),
            parser: Parser::new(Vec::new()),
        }
    }
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// The largest lists kept for the next template (2 MiB of tokens; names that so many
/// distinct templates would hardly have, so that odd input does not stay in memory).
const TOKENS_KEPT: usize = 1 << 16;
const LITS_KEPT: usize = 1 << 14;
const NAMES_KEPT: usize = 1 << 14;

/// Compiles within `limits.nesting` levels of nested expressions.
pub fn compile_with(src: &[u8], limits: &crate::Limits) -> Result<Node, SyntaxError> {
    // used in place (moving it in and out of the thread's slot is a copy of its every list
    // header); a compile within a compile, which nothing does, would get a fresh one
    KEPT.with(|slot| match slot.try_borrow_mut() {
        Ok(mut slot) => {
            let kept = slot.get_or_insert_with(Kept::default);
            let r = compile_into(src, limits, kept);
            if kept.toks.capacity() <= TOKENS_KEPT
                && kept.lex.lits.capacity() <= LITS_KEPT
                && kept.lex.names.len() <= NAMES_KEPT
            {
                kept.toks.clear();
                kept.lex.reset();
            } else {
                *slot = None;
            }
            r
        }
        Err(_) => compile_into(src, limits, &mut Kept::default()),
    })
}

fn compile_into(src: &[u8], limits: &crate::Limits, kept: &mut Kept) -> Result<Node, SyntaxError> {
    kept.toks.clear();
    kept.lex.reset();
    kept.lex.max_tokens = limits.tokens;
    lex(src, &mut kept.lex, &mut kept.toks)?;
    parse(kept, limits, &[])
}

/// Parses the tokens lexed into `kept` as one program, `locals` already declared, and gives
/// the lists back to `kept` for the next template.
fn parse(kept: &mut Kept, limits: &crate::Limits, locals: &[u32]) -> Result<Node, SyntaxError> {
    let st = &mut kept.lex;
    let parser = &mut kept.parser;
    parser.reset(
        std::mem::take(&mut kept.toks),
        std::mem::take(&mut st.lits),
        limits.nesting,
    );
    parser.names = std::mem::take(&mut st.names);
    for &id in locals {
        parser.declare(id);
    }
    let r = parser.parse_program();
    kept.toks = std::mem::take(&mut parser.toks);
    st.names = std::mem::take(&mut parser.names);
    st.lits = std::mem::take(&mut parser.lits);
    r
}

/// Compiles Ruby code alone (`eval`'s string), its lines numbered from `line`, where
/// `locals` are already local variables, as they are to code a template evaluates.
pub fn compile_code(
    src: &str,
    line: u32,
    locals: &[Name],
    limits: &crate::Limits,
) -> Result<Node, SyntaxError> {
    let mut kept = Kept::default();
    let st = &mut kept.lex;
    st.max_tokens = limits.tokens;
    let ids: Vec<u32> = locals.iter().map(|n| st.names.id(n)).collect();
    for &id in &ids {
        st.local(id);
    }
    Lexer::tokenize(src, line, st, &mut kept.toks)
        .map_err(|e| SyntaxError::new(e.line, e.message))?;
    let end = kept.toks.last().map_or(line, |t| t.line);
    kept.toks.push(Token {
        t: T::Eof,
        line: end,
        spc: true,
    });
    parse(&mut kept, limits, &ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        let Ok(()) = scan(src.as_bytes(), |p, l| {
            let text = match p {
                Part::Text(t) => format!("T:{}", String::from_utf8(t.into_owned()).unwrap()),
                Part::Code(c, _) => format!("C:{c}"),
                Part::Out(c, _) => format!("O:{c}"),
                Part::Break => "B".into(),
            };
            out.push((text, l));
            Ok::<(), std::convert::Infallible>(())
        });
        out
    }

    #[test]
    fn indentation_before_dash_tag_is_dropped_at_line_start_and_after_a_tag() {
        assert_eq!(
            texts("A<% a %>   <%- b %>B"),
            vec![
                ("T:A".into(), 1),
                ("C: a ".into(), 1),
                ("C: b ".into(), 1),
                ("T:B".into(), 1)
            ]
        );
        assert_eq!(texts("E <%- c %> F")[0].0, "T:E ");
        assert_eq!(texts("  <%= x -%>\ny")[0].0, "T:  ");
    }

    #[test]
    fn trim_swallows_one_newline_and_literals_survive() {
        assert_eq!(
            texts("<% x -%>\n\nz"),
            vec![("C: x ".into(), 1), ("B".into(), 2), ("T:\nz".into(), 2)]
        );
        assert_eq!(texts("a <%% b"), vec![("T:a <% b".into(), 1)]);
        assert_eq!(texts("a <%% b <%% c"), vec![("T:a <% b <% c".into(), 1)]);
        assert_eq!(
            texts("<%= 'a%%>b%%>' -%>\nz"),
            vec![
                ("O: 'a%>b%>' ".into(), 1),
                ("B".into(), 2),
                ("T:z".into(), 2)
            ]
        );
        assert_eq!(texts("<%= '100%%>' %>"), vec![("O: '100%>' ".into(), 1)]);
        assert_eq!(
            texts("G <% not closed"),
            vec![("T:G ".into(), 1), ("T: not closed".into(), 1)]
        );
    }

    #[test]
    fn lines_count_through_comments() {
        let parts = texts("a<%#\nx\n%>b\n<%= y %>");
        assert_eq!(parts.last().unwrap(), &("O: y ".to_string(), 4));
    }
}
