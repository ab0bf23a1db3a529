//! Patterns without a backtracking feature, built straight on regex-automata's meta regex:
//! fancy-regex would hand them to the same engine, but with every sub-engine and a literal
//! prefilter built, which costs a template far more than matching its short strings.

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::Input;

use fancy_regex::{Assertion, Expr};

/// A compiled pattern and its group names (by group number), as fancy-regex numbers them.
pub struct Plain {
    re: meta::Regex,
    /// The pattern as given to `re`, to build `long` from.
    cooked: Box<str>,
    /// The same pattern with a lazy DFA, built on the first long subject: the PikeVM alone
    /// is slow on a large text, and the lazy DFA's build and first steps cost more than short
    /// texts repay.
    long: std::cell::OnceCell<meta::Regex>,
    names: Box<[(Box<str>, usize)]>,
}

/// Subjects longer than this (in bytes) are searched with the lazy DFA.
const LONG: usize = 4096;

impl Plain {
    /// The pattern (already in the regex crate's syntax), unless it needs fancy-regex's
    /// backtracking (back-references, look-around, atomic groups, word boundaries...) or does
    /// not build: then fancy-regex compiles it as it always did, errors and all.
    ///
    /// The text given to regex-automata is the one fancy-regex would give it: its own parse,
    /// printed back by its own printer, with its syntax options, so that both read the same
    /// pattern. Only the engines built differ (see [`build`]).
    pub fn build(pattern: &str) -> Option<Plain> {
        let tree = Expr::parse_tree(pattern).ok()?;
        if !tree.backrefs.is_empty() || !delegable(&tree.expr) {
            return None;
        }
        let mut cooked = String::with_capacity(pattern.len() + 16);
        tree.expr.to_str(&mut cooked, 0);
        let re = build(&cooked, false)?;
        let mut names: Vec<(Box<str>, usize)> = tree
            .named_groups
            .into_iter()
            .map(|(n, i)| (n.into_boxed_str(), i))
            .collect();
        names.sort_by_key(|(_, i)| *i);
        Some(Plain {
            re,
            cooked: cooked.into(),
            long: Default::default(),
            names: names.into(),
        })
    }

    /// The engine for a subject of `len` bytes.
    fn engine(&self, len: usize) -> &meta::Regex {
        if len <= LONG {
            return &self.re;
        }
        if let Some(re) = self.long.get() {
            return re;
        }
        // the pattern built once already: a failure here is not expected, and then the
        // PikeVM still matches the same
        match build(&self.cooked, true) {
            Some(re) => self.long.get_or_init(|| re),
            None => &self.re,
        }
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.engine(s.len()).is_match(s)
    }

    /// The groups' byte ranges of the first match at or after `start` (None for a group that
    /// did not take part); the text before `start` still counts for `^` and the like.
    pub fn captures_at(&self, s: &str, start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        if start > s.len() {
            return None;
        }
        let re = self.engine(s.len() - start);
        let mut caps = re.create_captures();
        re.captures(Input::new(s).span(start..s.len()), &mut caps);
        if !caps.is_match() {
            return None;
        }
        Some(
            (0..caps.group_len())
                .map(|i| caps.get_group(i).map(|m| (m.start, m.end)))
                .collect(),
        )
    }

    /// Named groups and their numbers, by number.
    pub fn names(&self) -> &[(Box<str>, usize)] {
        &self.names
    }
}

/// The regex crate's engine for `pattern`, with fancy-regex's syntax options: the PikeVM and
/// bounded backtracker, plus the lazy DFA when `lazy_dfa`. No literal prefilter, one-pass DFA
/// or full DFA: their build costs more than templates' matching repays. All of the regex
/// crate's engines find the same matches and groups.
fn build(pattern: &str, lazy_dfa: bool) -> Option<meta::Regex> {
    let config = meta::Config::new()
        .auto_prefilter(false)
        .onepass(false)
        .hybrid(lazy_dfa)
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
        (r"(?-m:^b)", ""),
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
                re: Engine::Plain(super::Plain::build(&translate(src, flags)).unwrap()),
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
                re: Engine::Compiled(fancy(&translate(src, flags), src).unwrap()),
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
            "(", "[a-", "a{2,1}", r"\p{Foo}", "a)", "[z-a]", "(?Q)", "(?<n>a", "*a", r"\1",
        ] {
            let ours = compile(src, "").err().map(|e| e.to_string());
            let theirs = fancy(&translate(src, ""), src).err().map(|e| e.to_string());
            assert!(ours.is_some(), "{src:?}");
            assert_eq!(ours, theirs, "{src:?}");
        }
    }
}
