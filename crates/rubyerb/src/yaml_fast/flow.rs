//! The direct reader's one-line nodes: quoted scalars (a few escapes) and flow collections
//! of scalars. Each answers `None` for what it does not follow, and the full parser reads
//! the document.

use super::{ends_clean, indicator, typed, uncommented, Spaces};
use crate::data::Data;
use crate::yaml_in::finish_map;

/// A single-quoted scalar on one line: its text and what follows the closing quote.
/// The text between quotes is copied a run at a time (a quote is ASCII, so every run
/// starts and ends at a character boundary).
#[inline]
pub(super) fn single_text(rest: &str) -> Option<(String, &str)> {
    let b = rest.as_bytes();
    let mut s = String::new();
    let mut from = 1;
    loop {
        let i = from + memchr::memchr(b'\'', &b[from..])?;
        s.push_str(&rest[from..i]);
        if b.get(i + 1) == Some(&b'\'') {
            s.push('\'');
            from = i + 2;
            continue;
        }
        return Some((s, &rest[i + 1..]));
    }
}

#[inline]
pub(super) fn single_quoted(rest: &str) -> Option<Data> {
    let (s, after) = single_text(rest)?;
    ends_clean(after).then_some(Data::Str(s))
}

/// A double-quoted scalar on one line: its text and what follows the closing quote,
/// copied a run at a time between escapes.
#[inline]
pub(super) fn double_text(rest: &str) -> Option<(String, &str)> {
    let mut s = String::new();
    let after = double_scan(rest, Some(&mut s))?;
    Some((s, after))
}

/// What follows the closing quote of the double-quoted scalar `rest` starts with, its
/// escapes checked as [`double_text`] checks them but no text built (a pruned value).
#[inline]
pub(super) fn double_end(rest: &str) -> Option<&str> {
    double_scan(rest, None)
}

/// Reads the double-quoted scalar at the start of `rest` into `out` (when given); what
/// follows its closing quote.
#[inline]
fn double_scan<'a>(rest: &'a str, mut out: Option<&mut String>) -> Option<&'a str> {
    let b = rest.as_bytes();
    let mut from = 1;
    loop {
        let i = from + memchr::memchr2(b'"', b'\\', &b[from..])?;
        if let Some(s) = out.as_deref_mut() {
            s.push_str(&rest[from..i]);
        }
        if b[i] == b'"' {
            return Some(&rest[i + 1..]);
        }
        let c = match *b.get(i + 1)? {
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            _ => return None,
        };
        if let Some(s) = out.as_deref_mut() {
            s.push(c);
        }
        from = i + 2;
    }
}

#[inline]
pub(super) fn double_quoted(rest: &str) -> Option<Data> {
    let (s, after) = double_text(rest)?;
    ends_clean(after).then_some(Data::Str(s))
}

/// A flow collection on one line: sequences and mappings (written `key: value`, a space
/// after each colon, scalar keys) of quoted and plain scalars, nested a few levels.
#[inline]
pub(super) fn flow(rest: &str) -> Option<Data> {
    let (d, after) = flow_node(uncommented(rest), 0)?;
    after.is_empty().then_some(d)
}

/// The flow node at the start of `s` and what follows it (spaces skipped).
fn flow_node(s: &str, depth: usize) -> Option<(Data, &str)> {
    let (d, after) = match *s.as_bytes().first()? {
        b'[' | b'{' if depth < 16 => {
            let close = if s.as_bytes()[0] == b'[' { b']' } else { b'}' };
            let mut inner = s[1..].skip_spaces();
            let mut items = Vec::new();
            let mut pairs = Vec::new();
            if inner.as_bytes().first() != Some(&close) {
                loop {
                    let (item, after) = flow_node(inner, depth + 1)?;
                    let after = if close == b'}' {
                        if matches!(item, Data::Array(_) | Data::Hash(_)) {
                            return None;
                        }
                        let value = after.strip_prefix(": ")?.skip_spaces();
                        let (value, after) = flow_node(value, depth + 1)?;
                        pairs.push((item, value));
                        after
                    } else {
                        items.push(item);
                        after
                    };
                    match after.strip_prefix(',') {
                        Some(next) => inner = next.skip_spaces(),
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
        c if indicator(c) => return None,
        _ => {
            // a plain scalar ends at a flow indicator; a colon inside one is left to the
            // parser
            let end = s
                .bytes()
                .position(|b| matches!(b, b',' | b'[' | b']' | b'{' | b'}' | b':'))?;
            let item = s[..end].trim_spaces_end();
            if item.is_empty() || item.bytes().any(|b| matches!(b, b'#' | b'\'' | b'"')) {
                return None;
            }
            (typed(item)?, &s[end..])
        }
    };
    Some((d, after.skip_spaces()))
}
