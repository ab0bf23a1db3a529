//! Patterns without a backtracking feature, built straight on regex-automata's engines:
//! fancy-regex would hand them to the same crate's meta regex, but with every sub-engine and
//! a literal prefilter built, which costs a template far more than matching its short
//! strings. The short subjects templates match go to the bounded backtracker and the PikeVM,
//! built from one NFA without the meta regex's strategy (choosing and configuring it was a
//! quarter of building a pattern).

use std::cell::RefCell;

use regex_automata::nfa::thompson::{self, backtrack, pikevm};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{meta, Input};

use fancy_regex::{Assertion, Expr};

/// A compiled pattern and its group names (by group number), as fancy-regex numbers them.
pub struct Plain {
    /// Boxed: the engines and their caches are a few hundred bytes, and a regex value holds
    /// a `Plain` or a fancy-regex one.
    short: Box<Short>,
    /// The pattern as given to `short`'s NFA, to build `long` from.
    cooked: Box<str>,
    /// The same pattern with a lazy DFA, built on the first long subject: the PikeVM alone
    /// is slow on a large text, and the lazy DFA's build and first steps cost more than short
    /// texts repay.
    long: std::cell::OnceCell<meta::Regex>,
    names: Box<[(Box<str>, usize)]>,
}

/// Subjects longer than this (in bytes) are searched with the lazy DFA.
const LONG: usize = 4096;

/// The lazy DFA's cache for long subjects, each way (the regex crate's default is 2 MiB):
/// a template's long texts are a few kilobytes, every pattern matched against one holds its
/// own, and a render is charged for it at this size. A pattern whose lazy DFA needs more
/// is matched by the PikeVM, as the lazy DFA gives up on a cache it fills too often.
const LONG_CACHE: usize = 128 << 10;

impl Plain {
    /// The pattern (already in the regex crate's syntax), unless it needs fancy-regex's
    /// backtracking (back-references, look-around, atomic groups, word boundaries...) or does
    /// not build: then fancy-regex compiles it as it always did, errors and all.
    ///
    /// The text given to regex-automata is the one fancy-regex would give it: its own parse,
    /// printed back by its own printer, with its syntax options, so that both read the same
    /// pattern. Only the engines built differ (see [`build_long`]).
    pub fn build(pattern: &str) -> Option<Plain> {
        let tree = Expr::parse_tree(pattern).ok()?;
        if !tree.backrefs.is_empty() || !delegable(&tree.expr) {
            return None;
        }
        let mut cooked = String::with_capacity(pattern.len() + 16);
        tree.expr.to_str(&mut cooked, 0);
        let short = Box::new(Short::build(&cooked)?);
        let mut names: Vec<(Box<str>, usize)> = tree
            .named_groups
            .into_iter()
            .map(|(n, i)| (n.into_boxed_str(), i))
            .collect();
        names.sort_by_key(|(_, i)| *i);
        Some(Plain {
            short,
            cooked: cooked.into(),
            long: Default::default(),
            names: names.into(),
        })
    }

    /// The lazy DFA's regex for a subject of `len` bytes, if it is long; `None` (the short
    /// engines) if it is short, or if building the lazy DFA failed (not expected: the
    /// pattern built once already; then the PikeVM still matches the same).
    fn long(&self, len: usize) -> Option<&meta::Regex> {
        if len <= LONG {
            return None;
        }
        if let Some(re) = self.long.get() {
            return Some(re);
        }
        let re = build_long(&self.cooked)?;
        // its caches grow to their capacity, forward and reverse
        super::late_weight(re.memory_usage() + 2 * LONG_CACHE);
        Some(self.long.get_or_init(|| re))
    }

    pub fn is_match(&self, s: &str) -> bool {
        match self.long(s.len()) {
            Some(re) => re.is_match(s),
            None => self.short.is_match(Input::new(s).earliest(true)),
        }
    }

    /// The groups' byte ranges of the first match at or after `start` (None for a group that
    /// did not take part); the text before `start` still counts for `^` and the like.
    pub fn captures_at(&self, s: &str, start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        if start > s.len() {
            return None;
        }
        let input = Input::new(s).span(start..s.len());
        let caps = match self.long(s.len() - start) {
            Some(re) => {
                let mut caps = re.create_captures();
                re.captures(input, &mut caps);
                caps
            }
            None => self.short.captures(input),
        };
        if !caps.is_match() {
            return None;
        }
        Some(
            (0..caps.group_len())
                .map(|i| caps.get_group(i).map(|m| (m.start, m.end)))
                .collect(),
        )
    }

    /// The memory its engines take or may grow to for short subjects: the NFA, the
    /// PikeVM's cache, and the backtracker's visited set at its largest (the NFA's states
    /// for every position of a short subject, held to the backtracker's capacity). The lazy
    /// DFA a long subject builds is counted when it is built ([`super::late_weight`]).
    pub fn weight(&self) -> usize {
        let nfa = self.short.pike.get_nfa();
        let (_, pike_cache) = &*self.short.caches.borrow();
        let visited = (nfa.states().len() * (LONG + 1) / 8).min(256 << 10);
        nfa.memory_usage() + pike_cache.memory_usage() + visited
    }

    /// Named groups and their numbers, by number.
    pub fn names(&self) -> &[(Box<str>, usize)] {
        &self.names
    }
}

/// The engines for subjects up to [`LONG`] bytes: the bounded backtracker where it can take
/// the subject, the PikeVM otherwise. Both find what the meta regex finds (leftmost-first,
/// empty matches not splitting a character), as its own use of them does.
struct Short {
    back: backtrack::BoundedBacktracker,
    pike: pikevm::PikeVM,
    caches: RefCell<(backtrack::Cache, pikevm::Cache)>,
}

thread_local! {
    /// One NFA compiler per thread, kept between patterns: a compiler keeps the table it
    /// compiles Unicode classes (`.`, `[^,]`) with, 10,000 entries allocated and zeroed on
    /// its first class, which a new compiler for each pattern made and dropped again (a
    /// quarter of compiling such a pattern). What it builds depends on the pattern alone.
    static COMPILER: thompson::Compiler = {
        let mut c = thompson::Compiler::new();
        c.syntax(syntax::Config::default())
            .configure(thompson::Config::new().nfa_size_limit(Some(10 * (1 << 20))));
        c
    };
}

impl Short {
    /// With the meta regex's syntax and NFA settings (its size limit among them), so that
    /// a pattern it refuses is refused here too.
    fn build(pattern: &str) -> Option<Short> {
        let nfa = COMPILER.with(|c| c.build(pattern).ok())?;
        let back = backtrack::BoundedBacktracker::new_from_nfa(nfa.clone()).ok()?;
        let pike = pikevm::PikeVM::new_from_nfa(nfa).ok()?;
        let caches = RefCell::new((back.create_cache(), pike.create_cache()));
        Some(Short { back, pike, caches })
    }

    fn is_match(&self, input: Input) -> bool {
        let (back, pike) = &mut *self.caches.borrow_mut();
        match self.back.try_is_match(back, input.clone()) {
            Ok(m) => m,
            Err(_) => self.pike.is_match(pike, input),
        }
    }

    fn captures(&self, input: Input) -> Captures {
        let (back, pike) = &mut *self.caches.borrow_mut();
        let mut caps = self.pike.create_captures();
        if self
            .back
            .try_captures(back, input.clone(), &mut caps)
            .is_err()
        {
            self.pike.captures(pike, input, &mut caps);
        }
        caps
    }
}

/// The regex crate's meta regex for `pattern` on long subjects, with fancy-regex's syntax
/// options: the PikeVM, bounded backtracker and lazy DFA. No literal prefilter, one-pass DFA
/// or full DFA: their build costs more than templates' matching repays. All of the regex
/// crate's engines find the same matches and groups.
fn build_long(pattern: &str) -> Option<meta::Regex> {
    let config = meta::Config::new()
        .auto_prefilter(false)
        .onepass(false)
        .hybrid(true)
        .hybrid_cache_capacity(LONG_CACHE)
        .dfa(false);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::default())
        .build(pattern)
        .ok()
}

/// Whether fancy-regex would delegate the whole expression to the regex crate (its analysis
/// calls it not hard), which is also what its printer can print. Anything else, including a
/// node a later fancy-regex adds, stays with fancy-regex.
fn delegable(expr: &Expr) -> bool {
    let mut todo = vec![expr];
    while let Some(e) = todo.pop() {
        match e {
            Expr::Empty | Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => {}
            Expr::Assertion(
                Assertion::StartText
                | Assertion::EndText
                | Assertion::StartLine { .. }
                | Assertion::EndLine { .. },
            ) => {}
            Expr::Concat(v) | Expr::Alt(v) => todo.extend(v),
            Expr::Group(c) => todo.push(c),
            Expr::Repeat { child, .. } => todo.push(child),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::{all, compile, fancy, find_at, translate, Match};
    use crate::value::{Engine, Regex};

    /// Ruby patterns and flags, each with subjects; every pattern here must be built by
    /// `Plain` (the second table holds those left to fancy-regex).
    const PLAIN: &[(&str, &str)] = &[
        ("a.c", ""),
        ("a.c", "m"),
        (r"^\s*$", ""),
        (r"^(\w+)=(.*)$", ""),
        (r"\Aab", ""),
        (r"ab\z", ""),
        ("b$", ""),
        ("^b", ""),
        ("(a)|(b)", ""),
        ("(a)(?<n>b)?(c)", ""),
        // the later group takes a name given twice
        ("(?<n>a)|(?<n>b)", ""),
        (r"(?<key>[\w.]+)\s*[:=]\s*(?<val>[^,]*)", ""),
        (r"(?<k>\w+)|(?<v>\d+)", ""),
        ("a*", ""),
        ("", ""),
        ("|a", ""),
        ("x*?", ""),
        ("(a|ab)(c|bcd)(d*)", ""),
        ("(?:a+)+b", ""),
        ("a+?", ""),
        ("<.*?>", ""),
        ("<.*>", "m"),
        (r"\h+", ""),
        (r"[\h_]+", ""),
        (r"\H", ""),
        ("[]a]+", ""),
        ("[^]a]+", ""),
        (r"\d{2,3}", ""),
        (r"\D+\S\W", ""),
        ("é+", ""),
        (".", ""),
        (r"\p{L}+", ""),
        ("[[:alpha:]]+", ""),
        ("[[:upper:]][[:lower:]]*", "i"),
        ("straSSe", "i"),
        ("k", "i"),
        ("[a-z]+", "i"),
        (
            r"a b # comment
             c",
            "x",
        ),
        (r"(?<x> \d+ ) \s* [ ] (?<y> \w+ )", "x"),
        (r"\$\{(\w+)\}", ""),
        (r"(\d+)\.(\d+)\.(\d+)", ""),
        (r"\/(\w+)\/", ""),
        (r"\\", ""),
        (r"\n|\t", ""),
        ("a$", ""),
        ("^$", ""),
        ("$", ""),
        ("^", ""),
        (r"[a-z&&[^aeiou]]+", ""),
        (r"(?i:ab)c", ""),
        (r"(?-m:a.c)", "m"),
        (r"(?m:a.c)", ""),
        (r"a(?mi)C", ""),
        (r"((a)|b)+", ""),
        (r"(a*)*", ""),
        (r"(a?)+?b", ""),
        (r"[\s\S]", ""),
        (r"\.\*\+\?\(\)\[\]\{\}\^\$\|", ""),
        (r"\x41\u00e9", ""),
    ];

    /// Patterns fancy-regex must keep: back-references, look-around, atomic groups, word
    /// boundaries, `\Z` (a look-ahead), possessive quantifiers, conditionals.
    const FANCY: &[(&str, &str)] = &[
        (r"(a)\1", ""),
        (r"(?<q>['\x22])\w*\k<q>", ""),
        ("a(?=b)", ""),
        ("a(?!b)", ""),
        ("(?<=a)b", ""),
        ("(?<!a)b", ""),
        ("(?>a+)b", ""),
        (r"\bab\b", ""),
        (r"\Bb", ""),
        (r"ab\Z", ""),
        ("a++b", ""),
        (r"\Ga", ""),
        // a `^` other than a pattern's first (Ruby's does not hold after a final newline)
        (r"(?-m:^b)", ""),
        (r"a|^b", ""),
    ];

    const SUBJECTS: &[&str] = &[
        "",
        "a",
        "abc",
        "a\nc",
        "ab\nab\n",
        "ab\r\nab",
        "\n\n  \nx",
        "b",
        "aab",
        "abcd",
        "abbcd",
        "key = value, other: 1",
        "k.v=1,x=2",
        "<a><b>\n<c>",
        "deadBEEF_12 xyz",
        "]]a^]",
        "1 12 123 1234",
        "éé é",
        "héllo wörld ÀB",
        "Straße STRASSE strasse",
        "K k \u{212a}",
        "abc abcc a bc",
        " 42  word",
        "${name} ${x}",
        "1.2.3 10.20.30",
        "/usr/bin/",
        "a\\b",
        "x\ty\nz",
        "A\u{e9}",
        "bcdfg aeiou xyz",
        "'a' \"b\" 'c\"",
        "aaaa",
    ];

    type Found = (Vec<Option<(usize, usize)>>, Vec<(String, usize)>);

    fn groups(m: Option<Match>) -> Option<Found> {
        m.map(|m| (m.groups, m.names))
    }

    #[test]
    fn plain_engine_matches_as_fancy_regex_does() {
        for &(src, flags) in PLAIN {
            // the engine itself, even for a pattern `compile` finds by substring search
            let ours = Regex {
                source: src.to_string(),
                flags: flags.to_string(),
                re: Engine::Plain(
                    super::Plain::build(&translate(src, flags).unwrap().pattern).unwrap(),
                ),
                caret_first: false,
            };
            if !matches!(compile(src, flags).unwrap().re, Engine::Literal(_)) {
                assert!(
                    matches!(compile(src, flags).unwrap().re, Engine::Plain(_)),
                    "{src:?} {flags:?}"
                );
            }
            let theirs = Regex {
                source: src.to_string(),
                flags: flags.to_string(),
                re: Engine::Compiled(fancy(&translate(src, flags).unwrap().pattern, src).unwrap()),
                caret_first: false,
            };
            assert_eq!(ours.re.group_names(), theirs.re.group_names(), "{src:?}");
            for s in SUBJECTS {
                let what = format!("/{src}/{flags} on {s:?}");
                assert_eq!(ours.re.is_match(s), theirs.re.is_match(s), "{what}");
                for start in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                    assert_eq!(
                        groups(find_at(&ours, s, start)),
                        groups(find_at(&theirs, s, start)),
                        "{what} from {start}"
                    );
                }
                let a: Vec<_> = all(&ours, s).into_iter().map(|m| m.groups).collect();
                let b: Vec<_> = all(&theirs, s).into_iter().map(|m| m.groups).collect();
                assert_eq!(a, b, "{what}, all");
            }
            // long subjects take the lazy DFA
            for tail in ["", "key = value, other: 1", "ab\nab\n", "Straße"] {
                let s = format!("{}{tail}", "é x1\n<a>".repeat(600));
                assert!(s.len() > super::LONG);
                let what = format!("/{src}/{flags} on a long text ending {tail:?}");
                assert_eq!(ours.re.is_match(&s), theirs.re.is_match(&s), "{what}");
                for start in [0, 1, 2, 5, s.len() - tail.len() - 1, s.len()] {
                    assert_eq!(
                        groups(find_at(&ours, &s, start)),
                        groups(find_at(&theirs, &s, start)),
                        "{what} from {start}"
                    );
                }
                let a: Vec<_> = all(&ours, &s).into_iter().map(|m| m.groups).collect();
                let b: Vec<_> = all(&theirs, &s).into_iter().map(|m| m.groups).collect();
                assert_eq!(a, b, "{what}, all");
            }
        }
    }

    /// A short subject too long for the bounded backtracker of a large pattern goes to the
    /// PikeVM, and both find what fancy-regex finds.
    #[test]
    fn subjects_past_the_backtrackers_reach_take_the_pikevm() {
        let src = r"(\p{L}\d?){1,40}(x)";
        let plain = super::Plain::build(&translate(src, "").unwrap().pattern).unwrap();
        let reach = plain.short.back.max_haystack_len();
        let ours = compile(src, "").unwrap();
        let theirs = Regex {
            source: src.to_string(),
            flags: String::new(),
            re: Engine::Compiled(fancy(&translate(src, "").unwrap().pattern, src).unwrap()),
            caret_first: false,
        };
        // the fallback is reachable: a short subject can be past the backtracker
        assert!(
            reach + 5 <= super::LONG,
            "the pattern is too small to test the fallback"
        );
        // each subject ends in the match: `é1x` is 4 bytes
        for len in [reach / 2, reach + 1, super::LONG - 4] {
            let s = format!("{}é1x", "1".repeat(len));
            assert!(
                s.len() <= super::LONG,
                "{} bytes take the short engines",
                s.len()
            );
            let what = format!("{} bytes (backtracker's reach {reach})", s.len());
            assert_eq!(ours.re.is_match(&s), theirs.re.is_match(&s), "{what}");
            assert_eq!(
                groups(find_at(&ours, &s, 0)),
                groups(find_at(&theirs, &s, 0)),
                "{what}"
            );
        }
    }

    #[test]
    fn backtracking_features_stay_with_fancy_regex() {
        for &(src, flags) in FANCY {
            let r = compile(src, flags).unwrap();
            assert!(matches!(r.re, Engine::Compiled(_)), "{src:?}");
        }
    }

    #[test]
    fn refused_patterns_fail_with_fancy_regex_words() {
        for src in [
            "(", "[a-", "a{2,1}", r"\p{Foo}", "a)", "[z-a]", "(?Q)", "(?<n>a", "*a",
        ] {
            let ours = compile(src, "").err().map(|e| e.to_string());
            let theirs = fancy(&translate(src, "").unwrap().pattern, src)
                .err()
                .map(|e| e.to_string());
            assert!(ours.is_some(), "{src:?}");
            assert_eq!(ours, theirs, "{src:?}");
        }
    }
}
