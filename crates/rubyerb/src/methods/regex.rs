//! Ruby (Onigmo) regexps on fancy-regex: `^`/`$` match at every line, `/m` makes `.` match
//! newlines, `\h` is a hex digit, `\Z` allows a final newline. Matches set `$~` and `$1`...

use std::rc::Rc;

use super::super::interp::{Interp, R};
use super::super::value::{Engine, Regex, Value};

mod plain;
mod syntax;
pub use plain::Plain;
use syntax::translate;

/// Compiled regexps by source, then by flags.
type Compiled = rustc_hash::FxHashMap<Box<str>, Vec<(Box<str>, Rc<Regex>)>>;

thread_local! {
    /// A regexp literal in a loop, or the same pattern in every template, is translated and
    /// compiled once per thread. Keyed by the source alone so that a lookup borrows it (no
    /// key is built per match).
    static CACHE: std::cell::RefCell<Compiled> = Default::default();
    /// The memory the cached regexps' engines may take ([`Engine::weight`], and the lazy
    /// DFAs built since).
    static CACHE_WEIGHT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Engines built while matching ([`late_weight`]) and not yet charged to a render.
    static LATE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts an engine a regexp built while matching (a long subject's lazy DFA): it stays
/// with the regexp, in the cache, and the render is charged for it at its next pattern.
pub(crate) fn late_weight(bytes: usize) {
    CACHE_WEIGHT.set(CACHE_WEIGHT.get().saturating_add(bytes));
    LATE.set(LATE.get().saturating_add(bytes));
}

/// A pattern the regexp engine refused: the pattern as written and why (fancy-regex's words).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{why}: /{pattern}/")]
pub struct RegexError {
    pub pattern: String,
    pub why: String,
}

/// Empties the cache (see [`crate::forget_compiled`]).
pub fn forget_cache() {
    CACHE.with(|c| c.borrow_mut().clear());
    CACHE_WEIGHT.set(0);
    LATE.set(0);
}

/// The most the cache holds, by the memory its regexps' engines may take: a template that
/// builds thousands of distinct patterns (`Regexp.new("\\p{L}{100}#{i}")`) must not keep
/// gigabytes alive after its render, nor across the renders of one process.
const CACHE_BYTES: usize = 256 << 20;

/// `compile`, remembered. The second value: whether it was compiled now (its memory is
/// new), rather than found.
pub fn compile_cached(src: &str, flags: &str) -> Result<(Rc<Regex>, bool), RegexError> {
    let hit = CACHE.with(|c| {
        let c = c.borrow();
        let by_flags = c.get(src)?;
        by_flags
            .iter()
            .find(|(f, _)| &**f == flags)
            .map(|(_, r)| r.clone())
    });
    if let Some(r) = hit {
        return Ok((r, false));
    }
    let r = Rc::new(compile(src, flags)?);
    let weight = r.re.weight();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let held = CACHE_WEIGHT.get().saturating_add(weight);
        if c.len() >= 10_000 || held > CACHE_BYTES {
            c.clear();
            CACHE_WEIGHT.set(weight);
        } else {
            CACHE_WEIGHT.set(held);
        }
        c.entry(src.into())
            .or_default()
            .push((flags.into(), r.clone()));
    });
    Ok((r, true))
}

/// [`compile_cached`] for a template: a pattern compiled now counts its engines' memory
/// towards the render's allocation budget, and a refused one is a `RegexpError`.
pub fn compile_charged(it: &mut Interp, src: &str, flags: &str) -> R<Rc<Regex>> {
    let late = LATE.replace(0);
    if late > 0 {
        let spent = it.budget.alloc(late);
        it.spend(spent)?;
    }
    match compile_cached(src, flags) {
        Ok((r, fresh)) => {
            if fresh {
                let spent = it.budget.alloc(r.re.weight());
                it.spend(spent)?;
            }
            Ok(r)
        }
        Err(e) => it.err("RegexpError", e.to_string()),
    }
}

/// The text a pattern matches when it is a plain string: no metacharacter, and only escapes
/// of the characters that `Regexp.escape`-style quoting makes (`\.`, `\/`...). None for any
/// other pattern, which is compiled.
fn literal_text(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                n @ ('\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}'
                | '^' | '$' | '#' | '/') => out.push(n),
                _ => return None,
            },
            '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' => {
                return None
            }
            c => out.push(c),
        }
    }
    Some(out)
}

pub fn compile(src: &str, flags: &str) -> Result<Regex, RegexError> {
    let flags_kept: String = flags.chars().filter(|c| "mix".contains(*c)).collect();
    // `/i` folds case and `/x` drops blanks: only without them is a plain string literal
    if !flags.contains('i') && !flags.contains('x') {
        if let Some(text) = literal_text(src) {
            return Ok(Regex {
                source: src.to_string(),
                flags: flags_kept,
                re: Engine::Literal(text.into()),
                caret_first: false,
            });
        }
    }
    let out = translate(src, flags)?;
    let re = match Plain::build(&out.pattern) {
        Some(p) => Engine::Plain(p),
        None => Engine::Compiled(fancy(&out.pattern, src)?),
    };
    Ok(Regex {
        source: src.to_string(),
        flags: flags_kept,
        re,
        caret_first: out.caret_first,
    })
}

/// The NFA size limit of each part fancy-regex hands to the regex crate (which would allow
/// 10 MiB): a pattern with look-around or back-references has no memory figure of its own,
/// so [`Engine::weight`] counts it at this bound.
pub const FANCY_NFA_BYTES: usize = 4 << 20;

/// No fully compiled DFA: the regex crate would build one for any small pattern, and
/// building it costs more than the short strings templates match ever repay (a `/i`
/// pattern took ~400 µs); the lazy DFA and the other engines match exactly the same.
/// An error carries fancy-regex's words and the Ruby pattern, `src`.
fn fancy(pattern: &str, src: &str) -> Result<fancy_regex::Regex, RegexError> {
    fancy_regex::RegexBuilder::new(pattern)
        .delegate_dfa_size_limit(0)
        .delegate_size_limit(FANCY_NFA_BYTES)
        .build()
        .map_err(|e| RegexError {
            pattern: src.to_string(),
            why: e.to_string(),
        })
}

/// One match: groups (None when a group did not take part), names, and byte offsets.
#[derive(Clone)]
pub struct Match {
    pub groups: Vec<Option<(usize, usize)>>,
    pub names: Vec<(String, usize)>,
}

pub fn find_at(re: &Regex, s: &str, start: usize) -> Option<Match> {
    let m = find_engine(re, s, start)?;
    // a first `^` (see `syntax::translate`) at the end of a text that ends in a newline
    if re.caret_first && m.groups[0].is_some_and(|g| g.0 == s.len()) && s.ends_with('\n') {
        return None;
    }
    Some(m)
}

impl Regex {
    /// Whether it matches anywhere in `s`, as [`find_at`] finds.
    pub fn is_match(&self, s: &str) -> bool {
        if self.caret_first && s.ends_with('\n') {
            return find_at(self, s, 0).is_some();
        }
        self.re.is_match(s)
    }
}

fn find_engine(re: &Regex, s: &str, start: usize) -> Option<Match> {
    let re = match &re.re {
        Engine::Literal(l) => {
            let at = start + memchr::memmem::find(s.as_bytes().get(start..)?, l.as_bytes())?;
            return Some(Match {
                groups: vec![Some((at, at + l.len()))],
                names: Vec::new(),
            });
        }
        Engine::Plain(p) => {
            let groups = p.captures_at(s, start)?;
            let names = p.names().iter().map(|(n, i)| (n.to_string(), *i)).collect();
            return Some(Match { groups, names });
        }
        Engine::Compiled(re) => re,
    };
    let caps = re.captures_from_pos(s, start).ok()??;
    let groups = (0..caps.len())
        .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
        .collect();
    let names = re
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (n.to_string(), i)))
        .collect();
    Some(Match { groups, names })
}

pub fn all(re: &Regex, s: &str) -> Vec<Match> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= s.len() {
        let Some(m) = find_at(re, s, pos) else { break };
        let (a, b) = m.groups[0].unwrap();
        pos = if b == a {
            // step over one character after an empty match
            b + s[b..].chars().next().map_or(1, |c| c.len_utf8())
        } else {
            b
        };
        out.push(m);
    }
    out
}

impl Match {
    pub fn group(&self, s: &str, i: usize) -> Value {
        match self.groups.get(i).copied().flatten() {
            Some((a, b)) => Value::str(&s[a..b]),
            None => Value::Nil,
        }
    }
    pub fn named(&self, s: &str, name: &str) -> Option<Value> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| self.group(s, *i))
    }
    pub fn range(&self) -> (usize, usize) {
        self.groups[0].unwrap()
    }
}

/// Sets `$~`, `$1`..`$9` after a match (or clears them).
pub fn set_last_match(it: &mut Interp, s: &str, m: Option<&Match>) {
    set_last_match_in(it, s, m, false);
}

/// [`set_last_match`] after a match in a binary string, `s` its text of one char per byte:
/// the match globals are binary strings then, as Ruby's groups of bytes are.
pub fn set_last_match_in(it: &mut Interp, s: &str, m: Option<&Match>, binary: bool) {
    let last = LastMatch {
        subject: m.map(|_| s.to_string()).unwrap_or_default(),
        m: m.cloned(),
        data: std::cell::OnceCell::new(),
        binary,
    };
    // the box of the last match, when there is one, holds the next
    match &mut it.last_match {
        Some(b) => **b = last,
        None => it.last_match = Some(Box::new(last)),
    }
}

/// Marks the last match as one in a binary string, whose text `subject` was read one char
/// per byte (see [`set_last_match_in`]): when it is a match in that text (a search that
/// failed or never ran leaves an earlier match, which stays as it was) not yet read.
pub(crate) fn last_match_in_bytes(it: &mut Interp, subject: &str) {
    if let Some(last) = &mut it.last_match {
        if last.data.get().is_none() && last.m.is_some() && last.subject == subject {
            last.binary = true;
        }
    }
}

/// The last match attempt of a template, behind `$~`, `$1`...`$9`, `$&`, `` $` ``, `$'` and
/// `$+`: kept as offsets into a copy of its subject and made into Ruby values only when one
/// is read (most matches are only tested), `$~` once, so that it stays the same object.
pub struct LastMatch {
    subject: String,
    m: Option<Match>,
    data: std::cell::OnceCell<Value>,
    /// The subject was a binary string (see [`set_last_match_in`]).
    binary: bool,
}

/// What a match global names.
pub(super) enum Part {
    Group(usize),
    Pre,
    Post,
    LastGroup,
}

impl LastMatch {
    /// A `MatchData` assigned to `$~`: the other globals read it from then on.
    pub fn of_data(md: Value) -> LastMatch {
        LastMatch {
            subject: String::new(),
            m: None,
            data: std::cell::OnceCell::from(md),
            binary: false,
        }
    }

    /// The value of one of the match globals (nil when the attempt failed or the group
    /// did not take part); None for any other global.
    pub fn gvar(&self, it: &Interp, name: &str) -> Option<Value> {
        let part = match name.as_bytes() {
            b"$~" => {
                return Some(match &self.m {
                    Some(m) => self
                        .data
                        .get_or_init(|| {
                            super::matchdata::match_data_in(it, &self.subject, m, self.binary)
                        })
                        .clone(),
                    None => self.data.get().cloned().unwrap_or(Value::Nil),
                });
            }
            [b'$', d @ b'1'..=b'9'] => Part::Group(usize::from(d - b'0')),
            b"$&" => Part::Group(0),
            b"$`" => Part::Pre,
            b"$'" => Part::Post,
            b"$+" => Part::LastGroup,
            _ => return None,
        };
        Some(match (&self.m, self.data.get()) {
            (Some(m), _) => {
                let s = &self.subject;
                let v = match part {
                    Part::Group(i) => m.group(s, i),
                    Part::Pre => Value::str(&s[..m.range().0]),
                    Part::Post => Value::str(&s[m.range().1..]),
                    // the last group that took part (nil when none did), as Ruby's `$+`
                    Part::LastGroup => {
                        match (1..m.groups.len()).rev().find(|i| m.groups[*i].is_some()) {
                            Some(i) => m.group(s, i),
                            None => Value::Nil,
                        }
                    }
                };
                if self.binary {
                    super::binary::bytes_back(v)
                } else {
                    v
                }
            }
            (None, Some(md)) => super::matchdata::part(md, part),
            (None, None) => Value::Nil,
        })
    }
}

/// Expands `\1`, `\0`, `\&`, `\k<name>`, `` \` ``, `\'`, `\\` in a sub/gsub replacement.
pub fn expand(repl: &str, s: &str, m: &Match) -> String {
    let mut out = String::new();
    let ch: Vec<char> = repl.chars().collect();
    let mut i = 0;
    while i < ch.len() {
        if ch[i] == '\\' && i + 1 < ch.len() {
            let n = ch[i + 1];
            match n {
                // a regexp that names its groups has no numbered ones: `\1` is empty
                '1'..='9' if !m.names.is_empty() => {
                    i += 2;
                    continue;
                }
                '0'..='9' => {
                    out.push_str(&super::super::format::to_s(
                        &m.group(s, n as usize - '0' as usize),
                    ));
                    i += 2;
                    continue;
                }
                '&' => {
                    out.push_str(&super::super::format::to_s(&m.group(s, 0)));
                    i += 2;
                    continue;
                }
                '`' => {
                    out.push_str(&s[..m.range().0]);
                    i += 2;
                    continue;
                }
                '\'' => {
                    out.push_str(&s[m.range().1..]);
                    i += 2;
                    continue;
                }
                '\\' => {
                    out.push('\\');
                    i += 2;
                    continue;
                }
                'k' if ch.get(i + 2) == Some(&'<') => {
                    if let Some(end) = ch[i + 3..].iter().position(|c| *c == '>') {
                        let name: String = ch[i + 3..i + 3 + end].iter().collect();
                        if let Some(v) = m.named(s, &name) {
                            out.push_str(&super::super::format::to_s(&v));
                        }
                        i += 4 + end;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(ch[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_patterns_find_what_the_compiled_engine_finds() {
        let subjects = [
            "",
            "a",
            "a.b.c",
            "x+y+z",
            "ééé.é",
            "--a--",
            "ab\nab",
            "[x](y)",
        ];
        for pat in [
            "", "\\.", "\\+", "é", "-", "--", "ab", "\\[x\\]", "\\(y\\)", "\\/", "a\nab",
        ] {
            let lit = compile(pat, "").unwrap();
            assert!(matches!(lit.re, Engine::Literal(_)), "{pat:?}");
            let text = literal_text(pat).unwrap();
            let compiled = Regex {
                source: pat.to_string(),
                flags: String::new(),
                re: Engine::Compiled(
                    fancy_regex::Regex::new(&format!("(?m){}", fancy_regex::escape(&text)))
                        .unwrap(),
                ),
                caret_first: false,
            };
            for s in subjects {
                for start in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                    let a = find_at(&lit, s, start).map(|m| m.groups);
                    let b = find_at(&compiled, s, start).map(|m| m.groups);
                    assert_eq!(a, b, "{pat:?} in {s:?} from {start}");
                }
                assert_eq!(lit.re.is_match(s), compiled.re.is_match(s), "{pat:?} {s:?}");
            }
        }
        // metacharacters, other escapes and the flags that change matching are compiled
        for (pat, flags) in [
            ("a.b", ""),
            ("\\d", ""),
            ("ab", "i"),
            ("a b", "x"),
            ("\\t", ""),
        ] {
            assert!(
                !matches!(compile(pat, flags).unwrap().re, Engine::Literal(_)),
                "{pat:?}"
            );
        }
    }
}
