//! A direct reader for the shape nearly every job spec has: block mappings and sequences,
//! plain scalars (folded over lines), one-line quoted scalars (a few escapes), literal and
//! simply folded block scalars, one-line flow collections of scalars, comments. It answers `None`
//! for anything else, and for anything that could be an error, and the full parser reads
//! the document: what a document becomes, and every error and its line, stay the full
//! parser's. Specs are small and read once per job, but the full parser's token queue and
//! spans cost more than the rest of a job's setup.

use super::data::Data;
use super::scalar::{psych_plain, Plain};
use super::yaml_in::finish_map;

#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    /// After the indentation, trailing spaces kept (a literal block keeps them).
    text: &'a str,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.text.bytes().all(|b| b == b' ')
    }
    fn insignificant(&self) -> bool {
        self.blank() || self.text.starts_with('#')
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The text has no final line break (a block scalar reaching its end would keep none).
    open_end: bool,
    pos: usize,
    depth: usize,
    max_depth: usize,
}

const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// The document as plain data, or `None` when the full parser must read it.
pub(crate) fn load_simple(text: &str, limits: &crate::Limits) -> Option<Data> {
    let unusual = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    // no aliases: the expanded size is at most a node and a byte per byte of text
    // no early exit, so that the check runs as vector code
    let control = text.bytes().fold(false, |seen, b| {
        seen | ((b < 0x20 && b != b'\n') | (b == 0x7f))
    });
    if (text.len() as u64).saturating_mul(2).saturating_add(64) > limits.yaml_expanded
        || control
        || (!text.is_ascii() && text.chars().any(unusual))
    {
        return None;
    }
    let open_end = !text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut lines: Vec<Line> = Vec::with_capacity(body.len() / 24 + 1);
    let mut from = 0;
    for end in memchr::memchr_iter(b'\n', body.as_bytes()).chain([body.len()]) {
        let l = &body[from..end];
        let text = l.trim_start_matches(' ');
        lines.push(Line {
            indent: l.len() - text.len(),
            text,
        });
        from = end + 1;
    }
    // one document: an optional `---` first, no other markers or directives
    let first = lines.iter().position(|l| !l.insignificant())?;
    let mut start = 0;
    if lines[first].indent == 0 && lines[first].text.starts_with("---") {
        if lines[first].text.trim_end_matches(' ') != "---" {
            return None;
        }
        lines[first].text = "";
        start = first + 1;
    }
    if lines.iter().any(|l| {
        l.indent == 0
            && (l.text.starts_with("---") || l.text.starts_with("...") || l.text.starts_with('%'))
    }) {
        return None;
    }
    let mut r = Reader {
        lines,
        open_end,
        pos: start,
        depth: 0,
        max_depth: limits.yaml_depth.min(64),
    };
    let l = r.peek()?;
    let root = if is_item(l.text) {
        r.sequence(l.indent)?
    } else {
        r.mapping(l.indent)?
    };
    if r.peek().is_some() {
        return None;
    }
    Some(root)
}

fn is_item(t: &str) -> bool {
    t.starts_with('-') && t[1..].bytes().next().is_none_or(|b| b == b' ')
}

/// Where the first `:` that ends a key is (one before a space or at the end of the text
/// before a comment), and where a comment (` #`) starts: one pass over the line, as every
/// line of a spec is looked at this way.
fn marks(t: &str) -> (Option<usize>, Option<usize>) {
    let b = t.as_bytes();
    let mut colon = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b':' if colon.is_none() && b.get(i + 1).is_none_or(|n| *n == b' ') => colon = Some(i),
            b'#' if i > 0 && b[i - 1] == b' ' => return (colon, Some(i - 1)),
            _ => {}
        }
    }
    (colon, None)
}

/// Where ` #` (a comment) starts.
fn comment_at(t: &str) -> Option<usize> {
    marks(t).1
}

/// Where the `:` of a mapping entry is: the first one before a space or at the end.
fn colon_at(t: &str) -> Option<usize> {
    marks(t).0
}

/// The text before a comment (` #`), without trailing spaces.
fn uncommented(t: &str) -> &str {
    let t = match comment_at(t) {
        Some(i) => &t[..i],
        None => t,
    };
    t.trim_end_matches(' ')
}

/// `key: rest` as a mapping entry: `Ok(None)` when the line is not one, `Err` when it may
/// be something this reader does not follow.
/// The rest keeps its comment: a comment ends a plain scalar.
fn entry(line: &str) -> Result<Option<(Key<'_>, &str)>, ()> {
    if let Some(q @ (b'"' | b'\'')) = line.as_bytes().first() {
        // a quoted key, or a quoted scalar (a `:` inside the quotes is its text)
        let (key, after) = if *q == b'"' {
            double_text(line)
        } else {
            single_text(line)
        }
        .ok_or(())?;
        let after = after.trim_start_matches(' ');
        return Ok(match after.strip_prefix(':') {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                Some((Key::Quoted(key), rest.trim_start_matches(' ')))
            }
            _ => None,
        });
    }
    let Some(colon) = marks(line).0 else {
        return Ok(None);
    };
    let key = line[..colon].trim_end_matches(' ');
    if key.is_empty() || key.len() > 1000 || INDICATORS.contains(&key.as_bytes()[0]) {
        return Err(());
    }
    Ok(Some((
        Key::Plain(key),
        line[colon + 1..].trim_start_matches(' '),
    )))
}

/// A mapping key as written: plain (typed as YAML 1.1 reads it) or quoted (a string).
enum Key<'a> {
    Plain(&'a str),
    Quoted(String),
}

fn typed(s: &str) -> Option<Data> {
    Some(match psych_plain(s).ok()? {
        Plain::Nil => Data::Nil,
        Plain::Bool(b) => Data::Bool(b),
        Plain::Int(i) => Data::Int(i),
        Plain::Float(f) => Data::Float(f),
        Plain::Sym(name) => Data::Sym(name.to_string()),
        Plain::Str => Data::Str(s.to_string()),
    })
}

/// After a closing quote or bracket: nothing, or a comment after a space.
fn ends_clean(after: &str) -> bool {
    after.is_empty() || (after.starts_with(' ') && uncommented(after).is_empty())
}

impl<'a> Reader<'a> {
    /// The next line that holds a node, skipping blank and comment lines.
    fn peek(&mut self) -> Option<Line<'a>> {
        while self.pos < self.lines.len() && self.lines[self.pos].insignificant() {
            self.pos += 1;
        }
        self.lines.get(self.pos).copied()
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < self.max_depth).then_some(())
    }

    fn mapping(&mut self, m: usize) -> Option<Data> {
        self.enter()?;
        let mut pairs = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < m {
                break;
            }
            if l.indent > m || is_item(l.text) {
                return None;
            }
            let (k, rest) = entry(l.text).ok()??;
            let key = match k {
                Key::Plain("<<") => return None,
                Key::Plain(k) => typed(k)?,
                Key::Quoted(k) => Data::Str(k),
            };
            self.pos += 1;
            let value = if rest.is_empty() || rest.starts_with('#') {
                match self.peek() {
                    Some(n) if n.indent > m => self.node(n, m)?,
                    Some(n) if n.indent == m && is_item(n.text) => self.sequence(m)?,
                    _ => Data::Nil,
                }
            } else {
                self.inline(rest, m)?
            };
            pairs.push((key, value));
        }
        self.depth -= 1;
        Some(Data::Hash(finish_map(pairs, Vec::new())))
    }

    fn sequence(&mut self, s: usize) -> Option<Data> {
        self.enter()?;
        let mut items = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < s || (l.indent == s && !is_item(l.text)) {
                break;
            }
            if l.indent > s {
                return None;
            }
            let after = &l.text[1..];
            let rest = after.trim_start_matches(' ');
            if rest.is_empty() {
                self.pos += 1;
                items.push(match self.peek() {
                    Some(n) if n.indent > s => self.node(n, s)?,
                    _ => Data::Nil,
                });
            } else if rest.starts_with('#') {
                return None;
            } else {
                // the item's content, as a line of its own at its column
                let c = Line {
                    indent: s + 1 + (after.len() - rest.len()),
                    text: rest,
                };
                self.lines[self.pos] = c;
                items.push(self.node(c, s)?);
            }
        }
        self.depth -= 1;
        Some(Data::Array(items))
    }

    /// The node starting at line `l` (the current one), inside a block at `parent`.
    fn node(&mut self, l: Line<'a>, parent: usize) -> Option<Data> {
        if is_item(l.text) {
            return self.sequence(l.indent);
        }
        if entry(l.text).ok()?.is_some() {
            return self.mapping(l.indent);
        }
        self.pos += 1;
        self.inline(l.text, parent)
    }

    /// A scalar or flow collection starting on the line just read, inside a block at
    /// `parent` (continuation lines are indented past it).
    fn inline(&mut self, rest: &'a str, parent: usize) -> Option<Data> {
        let b = rest.as_bytes();
        match b[0] {
            b'|' => self.block(&rest[1..], parent, false),
            b'[' | b'{' => flow(rest),
            b'\'' => single_quoted(rest),
            b'"' => double_quoted(rest),
            b'-' | b'?' | b':' if b.get(1).is_some_and(|c| *c != b' ') => self.plain(rest, parent),
            b'>' => self.block(&rest[1..], parent, true),
            c if INDICATORS.contains(&c) => None,
            _ => self.plain(rest, parent),
        }
    }

    fn plain(&mut self, rest: &'a str, parent: usize) -> Option<Data> {
        let first = uncommented(rest);
        if colon_at(first).is_some() {
            return None;
        }
        if first.len() != rest.trim_end_matches(' ').len() {
            // a comment ends the scalar
            return typed(first);
        }
        let mut folded: Option<String> = None;
        let mut blanks = 0;
        let mut i = self.pos;
        while let Some(l) = self.lines.get(i) {
            if l.blank() {
                blanks += 1;
                i += 1;
                continue;
            }
            if l.indent <= parent || l.text.starts_with('#') {
                break;
            }
            let t = l.text.trim_end_matches(' ');
            if INDICATORS.contains(&t.as_bytes()[0]) || marks(t) != (None, None) {
                return None;
            }
            let s = folded.get_or_insert_with(|| first.to_string());
            if blanks == 0 {
                s.push(' ');
            }
            for _ in 0..blanks {
                s.push('\n');
            }
            s.push_str(t);
            blanks = 0;
            i += 1;
            self.pos = i;
        }
        match folded {
            Some(s) => typed(&s),
            None => typed(first),
        }
    }

    /// A block scalar: literal (`|`, `|-`), or folded (`>`, `>-`) when every line has the
    /// block's indentation and none leads with an empty line (the simple folding).
    fn block(&mut self, header: &str, parent: usize, folded: bool) -> Option<Data> {
        let (strip, header) = match header.strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, header),
        };
        if !ends_clean(header) && !header.trim_end_matches(' ').is_empty() {
            return None;
        }
        let content = self.lines[self.pos..].iter().find(|l| !l.blank())?;
        if content.indent <= parent {
            return None;
        }
        let ci = content.indent;
        let mut lines: Vec<String> = Vec::new();
        let mut i = self.pos;
        while let Some(l) = self.lines.get(i) {
            if l.blank() {
                if l.indent > ci {
                    return None;
                }
                lines.push(String::new());
            } else if l.indent >= ci {
                if folded && l.indent > ci {
                    return None;
                }
                lines.push(format!("{}{}", " ".repeat(l.indent - ci), l.text));
            } else if l.indent > parent {
                return None;
            } else {
                break;
            }
            i += 1;
        }
        if i == self.lines.len() && self.open_end {
            return None;
        }
        self.pos = i;
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        let mut out = if folded {
            if lines.first().is_some_and(String::is_empty) {
                return None;
            }
            let mut out = String::new();
            let mut breaks = 0;
            for l in &lines {
                if l.is_empty() {
                    breaks += 1;
                    continue;
                }
                if !out.is_empty() {
                    if breaks == 0 {
                        out.push(' ');
                    }
                    for _ in 0..breaks {
                        out.push('\n');
                    }
                }
                breaks = 0;
                out.push_str(l);
            }
            out
        } else {
            lines.join("\n")
        };
        if !strip {
            out.push('\n');
        }
        Some(Data::Str(out))
    }
}

/// A single-quoted scalar on one line: its text and what follows the closing quote.
fn single_text(rest: &str) -> Option<(String, &str)> {
    let mut s = String::new();
    let mut chars = rest[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if rest[1 + i + 1..].starts_with('\'') {
                s.push('\'');
                chars.next();
                continue;
            }
            return Some((s, &rest[1 + i + 1..]));
        }
        s.push(c);
    }
    None
}

fn single_quoted(rest: &str) -> Option<Data> {
    let (s, after) = single_text(rest)?;
    ends_clean(after).then_some(Data::Str(s))
}

/// A double-quoted scalar on one line: its text and what follows the closing quote.
fn double_text(rest: &str) -> Option<(String, &str)> {
    let mut s = String::new();
    let mut chars = rest[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((s, &rest[1 + i + 1..])),
            '\\' => s.push(match chars.next()?.1 {
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                _ => return None,
            }),
            c => s.push(c),
        }
    }
    None
}

fn double_quoted(rest: &str) -> Option<Data> {
    let (s, after) = double_text(rest)?;
    ends_clean(after).then_some(Data::Str(s))
}

/// A flow collection on one line: sequences and mappings (written `key: value`, a space
/// after each colon, scalar keys) of quoted and plain scalars, nested a few levels.
fn flow(rest: &str) -> Option<Data> {
    let (d, after) = flow_node(uncommented(rest), 0)?;
    after.is_empty().then_some(d)
}

/// The flow node at the start of `s` and what follows it (spaces skipped).
fn flow_node(s: &str, depth: usize) -> Option<(Data, &str)> {
    let (d, after) = match *s.as_bytes().first()? {
        b'[' | b'{' if depth < 16 => {
            let close = if s.as_bytes()[0] == b'[' { b']' } else { b'}' };
            let mut inner = s[1..].trim_start_matches(' ');
            let mut items = Vec::new();
            let mut pairs = Vec::new();
            if inner.as_bytes().first() != Some(&close) {
                loop {
                    let (item, after) = flow_node(inner, depth + 1)?;
                    let after = if close == b'}' {
                        if matches!(item, Data::Array(_) | Data::Hash(_)) {
                            return None;
                        }
                        let value = after.strip_prefix(": ")?.trim_start_matches(' ');
                        let (value, after) = flow_node(value, depth + 1)?;
                        pairs.push((item, value));
                        after
                    } else {
                        items.push(item);
                        after
                    };
                    match after.strip_prefix(',') {
                        Some(next) => inner = next.trim_start_matches(' '),
                        None => {
                            inner = after;
                            break;
                        }
                    }
                    if inner.as_bytes().first() == Some(&close) {
                        return None;
                    }
                }
            }
            let after = &inner[usize::from(inner.as_bytes().first() == Some(&close))..];
            if after.len() == inner.len() {
                return None;
            }
            let d = if close == b'}' {
                Data::Hash(finish_map(pairs, Vec::new()))
            } else {
                Data::Array(items)
            };
            (d, after)
        }
        b'"' => {
            let (s, after) = double_text(s)?;
            (Data::Str(s), after)
        }
        b'\'' => {
            let (s, after) = single_text(s)?;
            (Data::Str(s), after)
        }
        c if INDICATORS.contains(&c) => return None,
        _ => {
            // a plain scalar ends at a flow indicator; a colon inside one is left to the
            // parser
            let end = s.bytes().position(|b| b",[]{}:".contains(&b))?;
            let item = s[..end].trim_end_matches(' ');
            if item.is_empty() || item.bytes().any(|b| b"#'\"".contains(&b)) {
                return None;
            }
            (typed(item)?, &s[end..])
        }
    };
    Some((d, after.trim_start_matches(' ')))
}
