//! A direct reader for the shape nearly every job spec has: block mappings and sequences,
//! plain scalars (folded over lines), one-line quoted scalars (a few escapes), literal and
//! simply folded block scalars, one-line flow collections of scalars, comments. It answers `None`
//! for anything else, and for anything that could be an error, and the full parser reads
//! the document: what a document becomes, and every error and its line, stay the full
//! parser's. Specs are small and read once per job, but the full parser's token queue and
//! spans cost more than the rest of a job's setup.

use super::data::Data;
use super::scalar::{psych_plain, Plain};
use super::yaml_in::{finish_map, on_path};

mod flow;
mod scan;
use flow::{double_end, double_quoted, double_text, flow, single_quoted, single_text};
use scan::find2;

#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    /// After the indentation, trailing spaces kept (a literal block keeps them).
    text: &'a str,
}

impl Line<'_> {
    /// A line's text starts after its indentation, and a tab is refused before lines are
    /// made: a line of spaces has no text.
    #[inline]
    fn blank(&self) -> bool {
        self.text.is_empty()
    }
    #[inline]
    fn insignificant(&self) -> bool {
        self.text.as_bytes().first().is_none_or(|b| *b == b'#')
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The text has no final line break (a block scalar reaching its end would keep none).
    open_end: bool,
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// Pairs of the mappings being read, innermost last: one growing stack for the whole
    /// document, each mapping's pairs moved out at their final size (a list grown per
    /// mapping was 1,895 regrowths in a round of the template bench).
    pairs: Vec<(Data, Data)>,
    /// The keys whose values are read, and so checked, but not kept ([`load_pruned`]).
    prune: &'a [Option<&'a str>],
    /// Where the mapping read next sits on `prune`: one more than the keys of it that lead
    /// there, or 0 off it (a mapping under no key of it, or under an item).
    prune_at: usize,
    /// The value being read is pruned: its scalars are checked, not built.
    discard: bool,
}

/// Whether a node may not start with `c` as a plain scalar (YAML's indicators): a table
/// rather than a search of a list, as every key and value is asked.
#[inline]
fn indicator(c: u8) -> bool {
    const TABLE: [bool; 256] = {
        let list = b"-?:,[]{}#&*!|>'\"%@`";
        let mut t = [false; 256];
        let mut i = 0;
        while i < list.len() {
            t[list[i] as usize] = true;
            i += 1;
        }
        t
    };
    TABLE[c as usize]
}

/// The document as plain data, or `None` when the full parser must read it.
pub(crate) fn load_simple(text: &str, limits: &crate::Limits) -> Option<Data> {
    load_pruned(text, limits, &[])
}

/// [`load_simple`] without the values at `prune`, a path of mapping keys from the root
/// (`None` for any key; empty for none): a job spec's property descriptions are half its
/// text, and rendering never reads them, so their strings are checked as the full parser
/// would accept them but not built (see [`crate::yaml_in::load_data_pruned`]).
pub(crate) fn load_pruned(
    text: &str,
    limits: &crate::Limits,
    prune: &[Option<&str>],
) -> Option<Data> {
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
    let (marker, more_markers) = scan::lines(body, &mut lines);
    // one document: an optional `---` first, no other markers or directives
    let first = lines.iter().position(|l| !l.insignificant())?;
    let mut start = 0;
    if let Some(k) = marker {
        if more_markers || k != first || lines[k].text.trim_spaces_end() != "---" {
            return None;
        }
        lines[k].text = "";
        start = k + 1;
    }
    let mut r = Reader {
        lines,
        open_end,
        pos: start,
        depth: 0,
        max_depth: limits.yaml_depth.min(64),
        pairs: Vec::new(),
        prune,
        prune_at: usize::from(!prune.is_empty()),
        discard: false,
    };
    let l = r.peek()?;
    let root = if is_item(l.text) {
        r.sequence(l.indent)?
    } else {
        r.mapping(l.indent, None)?
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
    // only the two marks are looked at: the bytes between them are skipped
    let mut from = 0;
    while let Some(i) = find2(b, from, b':', b'#') {
        from = i + 1;
        if b[i] == b':' {
            if colon.is_none() && b.get(i + 1).is_none_or(|n| *n == b' ') {
                colon = Some(i);
            }
        } else if i > 0 && b[i - 1] == b' ' {
            return (colon, Some(i - 1));
        }
    }
    (colon, None)
}

/// Where the `:` that ends a key is, as [`marks`] finds it, but stopping there: a key is
/// short, and the rest of the line is its value's to read.
fn key_colon(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut from = 0;
    while let Some(i) = find2(b, from, b':', b'#') {
        match b[i] {
            b':' if i + 1 == b.len() || b[i + 1] == b' ' => return Some(i),
            b'#' if i > 0 && b[i - 1] == b' ' => return None,
            _ => {}
        }
        from = i + 1;
    }
    None
}

/// Spaces trimmed a byte at a time: `str`'s `trim_*_matches(' ')` decode characters.
trait Spaces {
    fn skip_spaces(&self) -> &str;
    fn trim_spaces_end(&self) -> &str;
}

impl Spaces for str {
    #[inline]
    fn skip_spaces(&self) -> &str {
        let n = self.bytes().take_while(|b| *b == b' ').count();
        &self[n..]
    }
    #[inline]
    fn trim_spaces_end(&self) -> &str {
        let b = self.as_bytes();
        let mut n = b.len();
        while n > 0 && b[n - 1] == b' ' {
            n -= 1;
        }
        &self[..n]
    }
}

/// Where ` #` (a comment) starts.
fn comment_at(t: &str) -> Option<usize> {
    marks(t).1
}

/// The text before a comment (` #`), without trailing spaces.
#[inline]
fn uncommented(t: &str) -> &str {
    let t = match comment_at(t) {
        Some(i) => &t[..i],
        None => t,
    };
    t.trim_spaces_end()
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
        let after = after.skip_spaces();
        return Ok(match after.strip_prefix(':') {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                Some((Key::Quoted(key), rest.skip_spaces()))
            }
            _ => None,
        });
    }
    let Some(colon) = key_colon(line) else {
        return Ok(None);
    };
    let key = line[..colon].trim_spaces_end();
    if key.is_empty() || key.len() > 1000 || indicator(key.as_bytes()[0]) {
        return Err(());
    }
    Ok(Some((Key::Plain(key), line[colon + 1..].skip_spaces())))
}

/// A mapping key as written: plain (typed as YAML 1.1 reads it) or quoted (a string).
enum Key<'a> {
    Plain(&'a str),
    Quoted(String),
}

/// What `psych_plain` answers without looking further: a plain scalar is a string when it
/// is a word of letters longer than `false`, or one that starts as none of the nulls and
/// booleans do (most keys). A longer scalar starting so (a folded one) is a string too.
#[inline]
fn plain_str(s: &str) -> bool {
    let b0 = s.as_bytes().first().copied().unwrap_or(0);
    (b0.is_ascii_alphabetic() || b0 == b'_')
        && (s.len() > 5 || !matches!(b0 | 0x20, b'y' | b't' | b'o' | b'n' | b'f'))
}

#[inline]
fn typed(s: &str) -> Option<Data> {
    if plain_str(s) {
        return Some(Data::Str(s.to_string()));
    }
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
#[inline]
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

    /// The block mapping at column `m`; `first` is its first line's entry when the caller
    /// has read it already.
    fn mapping(&mut self, m: usize, mut first: Option<(Key<'a>, &'a str)>) -> Option<Data> {
        self.enter()?;
        let base = self.pairs.len();
        let at = std::mem::take(&mut self.prune_at);
        while let Some(l) = self.peek() {
            if l.indent < m {
                break;
            }
            if l.indent > m || is_item(l.text) {
                return None;
            }
            let (k, rest) = match first.take() {
                Some(e) => e,
                None => entry(l.text).ok()??,
            };
            if let Key::Plain("<<") = k {
                return None;
            }
            // where this entry's value sits on `prune`, judged as `prune_data` judges the
            // loaded key (`on_path`)
            let mut below = 0;
            if at > 0 {
                let step = self.prune[at - 1];
                let on = match (step, &k) {
                    (None, _) => true,
                    // a plain word loads as itself (`plain_str`): compared unbuilt
                    (Some(p), Key::Plain(k)) if plain_str(k) => *k == p,
                    (Some(_), Key::Plain(k)) => on_path(step, &typed(k)?),
                    (Some(p), Key::Quoted(k)) => k == p,
                };
                if on && at == self.prune.len() {
                    // read and checked, then left out with its key (typed all the same
                    // when it is no plain word: the parser may refuse it)
                    if let Key::Plain(k) = k {
                        if !plain_str(k) {
                            typed(k)?;
                        }
                    }
                    self.pos += 1;
                    let outer = std::mem::replace(&mut self.discard, true);
                    self.value(rest, m)?;
                    self.discard = outer;
                    continue;
                }
                below = if on { at + 1 } else { 0 };
            }
            let key = match k {
                Key::Plain(k) => typed(k)?,
                Key::Quoted(k) => Data::Str(k),
            };
            self.pos += 1;
            self.prune_at = below;
            let value = self.value(rest, m)?;
            self.prune_at = 0;
            self.pairs.push((key, value));
        }
        self.depth -= 1;
        let pairs = self.pairs.split_off(base);
        Some(Data::Hash(finish_map(pairs, Vec::new())))
    }

    /// The value of a mapping entry at column `m`, `rest` the text after its key's colon.
    #[inline]
    fn value(&mut self, rest: &'a str, m: usize) -> Option<Data> {
        Some(if rest.is_empty() || rest.starts_with('#') {
            match self.peek() {
                Some(n) if n.indent > m => self.node(n, m)?,
                Some(n) if n.indent == m && is_item(n.text) => self.sequence(m)?,
                _ => Data::Nil,
            }
        } else {
            self.inline(rest, m)?
        })
    }

    fn sequence(&mut self, s: usize) -> Option<Data> {
        self.enter()?;
        // `prune` is a path of mapping keys: an item is not below one
        self.prune_at = 0;
        let mut items = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < s || (l.indent == s && !is_item(l.text)) {
                break;
            }
            if l.indent > s {
                return None;
            }
            let after = &l.text[1..];
            let rest = after.skip_spaces();
            if rest.is_empty() {
                self.pos += 1;
                let item = match self.peek() {
                    Some(n) if n.indent > s => self.node(n, s)?,
                    _ => Data::Nil,
                };
                items.push(item);
            } else if rest.starts_with('#') {
                return None;
            } else {
                // the item's content, as a line of its own at its column
                let c = Line {
                    indent: s + 1 + (after.len() - rest.len()),
                    text: rest,
                };
                self.lines[self.pos] = c;
                let item = self.node(c, s)?;
                items.push(item);
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
        if let Some(e) = entry(l.text).ok()? {
            return self.mapping(l.indent, Some(e));
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
            b'"' if self.discard => double_end(rest)
                .filter(|a| ends_clean(a))
                .map(|_| Data::Nil),
            b'"' => double_quoted(rest),
            b'-' | b'?' | b':' if b.get(1).is_some_and(|c| *c != b' ') => self.plain(rest, parent),
            b'>' => self.block(&rest[1..], parent, true),
            c if indicator(c) => None,
            _ => self.plain(rest, parent),
        }
    }

    fn plain(&mut self, rest: &'a str, parent: usize) -> Option<Data> {
        // one look at the line: a `: ` makes it a mapping this reader leaves to the parser
        let (colon, comment) = marks(rest);
        if colon.is_some() {
            return None;
        }
        let first = match comment {
            Some(i) => &rest[..i],
            None => rest,
        }
        .trim_spaces_end();
        // a pruned string is checked, not built
        let build = !self.discard || !plain_str(first);
        if comment.is_some() {
            // a comment ends the scalar
            return if build { typed(first) } else { Some(Data::Nil) };
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
            let t = l.text.trim_spaces_end();
            if indicator(t.as_bytes()[0]) || marks(t) != (None, None) {
                return None;
            }
            if build {
                let s = folded.get_or_insert_with(|| first.to_string());
                if blanks == 0 {
                    s.push(' ');
                }
                for _ in 0..blanks {
                    s.push('\n');
                }
                s.push_str(t);
            }
            blanks = 0;
            i += 1;
            self.pos = i;
        }
        match folded {
            Some(s) => typed(&s),
            None if build => typed(first),
            None => Some(Data::Nil),
        }
    }

    /// A block scalar: literal (`|`, `|-`), or folded (`>`, `>-`) when every line has the
    /// block's indentation and none leads with an empty line (the simple folding).
    fn block(&mut self, header: &'a str, parent: usize, folded: bool) -> Option<Data> {
        let (strip, header) = match header.strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, header),
        };
        if !ends_clean(header) && !header.trim_spaces_end().is_empty() {
            return None;
        }
        let content = self.lines[self.pos..].iter().find(|l| !l.blank())?;
        if content.indent <= parent {
            return None;
        }
        let ci = content.indent;
        // each line as its indentation past the block's and its text (a blank line is
        // empty): the value is built once, from slices of the document
        let mut lines: Vec<(usize, &'a str)> = Vec::new();
        let mut i = self.pos;
        while let Some(l) = self.lines.get(i) {
            if l.blank() {
                if l.indent > ci {
                    return None;
                }
                lines.push((0, ""));
            } else if l.indent >= ci {
                if folded && l.indent > ci {
                    return None;
                }
                lines.push((l.indent - ci, l.text));
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
        while lines.last().is_some_and(|l| l.1.is_empty()) {
            lines.pop();
        }
        if folded && lines.first().is_some_and(|l| l.1.is_empty()) {
            return None;
        }
        if self.discard {
            return Some(Data::Nil);
        }
        let size = lines.iter().map(|(n, t)| n + t.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(size + 1);
        let push = |out: &mut String, (n, t): (usize, &str)| {
            for _ in 0..n {
                out.push(' ');
            }
            out.push_str(t);
        };
        if folded {
            let mut breaks = 0;
            for &l in &lines {
                if l.1.is_empty() {
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
                push(&mut out, l);
            }
        } else {
            for (k, &l) in lines.iter().enumerate() {
                if k > 0 {
                    out.push('\n');
                }
                push(&mut out, l);
            }
        }
        if !strip {
            out.push('\n');
        }
        Some(Data::Str(out))
    }
}
