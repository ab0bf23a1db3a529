//! A direct reader for the shape nearly every job spec has: block mappings and sequences,
//! plain scalars (folded over lines), one-line quoted scalars (a few escapes), literal and
//! simply folded block scalars, empty flow collections, one-line flow sequences of scalars,
//! comments. It answers `None`
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
    if (text.len() as u64).saturating_mul(2).saturating_add(64) > limits.yaml_expanded
        || text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f)
        || (!text.is_ascii() && text.chars().any(unusual))
    {
        return None;
    }
    let open_end = !text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut lines: Vec<Line> = body
        .split('\n')
        .map(|l| {
            let body = l.trim_start_matches(' ');
            Line {
                indent: l.len() - body.len(),
                text: body,
            }
        })
        .collect();
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

/// Where ` #` (a comment) starts.
fn comment_at(t: &str) -> Option<usize> {
    t.match_indices('#')
        .find(|(i, _)| *i > 0 && t.as_bytes()[i - 1] == b' ')
        .map(|(i, _)| i - 1)
}

/// Where the `:` of a mapping entry is: the first one before a space or at the end.
fn colon_at(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    t.match_indices(':')
        .find(|(i, _)| b.get(i + 1).is_none_or(|c| *c == b' '))
        .map(|(i, _)| i)
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
fn entry(line: &str) -> Result<Option<(&str, &str)>, ()> {
    let t = uncommented(line);
    let Some(colon) = colon_at(t) else {
        return Ok(None);
    };
    let key = t[..colon].trim_end_matches(' ');
    if key.is_empty() || key.len() > 1000 || INDICATORS.contains(&key.as_bytes()[0]) {
        return Err(());
    }
    Ok(Some((key, line[colon + 1..].trim_start_matches(' '))))
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
            if k == "<<" {
                return None;
            }
            let key = typed(k)?;
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
            if INDICATORS.contains(&t.as_bytes()[0])
                || colon_at(t).is_some()
                || comment_at(t).is_some()
            {
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

fn single_quoted(rest: &str) -> Option<Data> {
    let mut s = String::new();
    let mut chars = rest[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if rest[1 + i + 1..].starts_with('\'') {
                s.push('\'');
                chars.next();
                continue;
            }
            return ends_clean(&rest[1 + i + 1..]).then_some(Data::Str(s));
        }
        s.push(c);
    }
    None
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

/// `[]`, `{}`, or a one-line flow sequence of plain and quoted scalars.
fn flow(rest: &str) -> Option<Data> {
    let t = uncommented(rest);
    match t {
        "[]" => return Some(Data::Array(Vec::new())),
        "{}" => return Some(Data::Hash(Vec::new())),
        _ => {}
    }
    let mut inner = t.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    loop {
        let (item, after) = match inner.as_bytes().first()? {
            b'"' => {
                let (s, after) = double_text(inner)?;
                (Data::Str(s), after)
            }
            b'\'' => {
                let end = 1 + inner[1..].find('\'')?;
                if inner[end + 1..].starts_with('\'') {
                    return None;
                }
                (Data::Str(inner[1..end].to_string()), &inner[end + 1..])
            }
            c if INDICATORS.contains(c) => return None,
            _ => {
                let end = inner.find([',', ']'])?;
                let item = inner[..end].trim_end_matches(' ');
                if item.is_empty() || item.bytes().any(|b| b"[]{}#'\":".contains(&b)) {
                    return None;
                }
                (typed(item)?, &inner[end..])
            }
        };
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(next) = after.strip_prefix(',') {
            inner = next.trim_start_matches(' ');
            if inner.starts_with(']') {
                return None;
            }
        } else if after == "]" {
            return Some(Data::Array(items));
        } else {
            return None;
        }
    }
}
