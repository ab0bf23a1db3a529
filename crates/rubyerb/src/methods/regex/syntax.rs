//! Ruby's regexp syntax in the regex crate's (which fancy-regex extends): the two differ
//! in what some classes, anchors and options mean, not only in how they are written.

/// The offsets of the bytes of `b` outside character classes and escapes: where a
/// pattern's structure (groups, alternation) is written.
fn structural(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut in_class = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let at = i;
            i += 1;
            match b[at] {
                b'\\' => i += 1,
                b'[' => in_class += 1,
                b']' if in_class > 0 => in_class -= 1,
                _ if in_class == 0 => return Some(at),
                _ => {}
            }
        }
        None
    })
}

/// Whether `src` opens with `^` and has no alternation outside a group (`|` at the top
/// level): then every match starts where that `^` holds.
fn caret_first(src: &str) -> bool {
    if !src.starts_with('^') {
        return false;
    }
    let b = src.as_bytes();
    let mut depth = 0;
    for i in structural(b) {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'|' if depth == 0 => return false,
            _ => {}
        }
    }
    true
}

/// Whether `src` names a group (`(?<name>...)`, not a look-behind): then Onigmo captures
/// only the named groups, and a plain `(...)` only groups.
fn names_groups(src: &str) -> bool {
    let b = src.as_bytes();
    structural(b).any(|i| {
        b[i] == b'('
            && b[i + 1..].starts_with(b"?<")
            && b.get(i + 3)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80)
    })
}

/// A Ruby pattern as the engines take it.
pub(super) struct Translated {
    /// In the regex crate's syntax (which fancy-regex extends).
    pub pattern: String,
    /// See [`caret_first`]: the matcher drops a match that starts after a final newline.
    pub caret_first: bool,
}

/// A Ruby pattern in the regex crate's syntax, and what matching it must add.
pub(super) fn translate(src: &str, flags: &str) -> Translated {
    let mut out = String::with_capacity(src.len() + 8);
    out.push_str("(?m");
    if flags.contains('m') {
        out.push('s');
    }
    if flags.contains('i') {
        out.push('i');
    }
    if flags.contains('x') {
        out.push('x');
    }
    out.push(')');
    let first = caret_first(src);
    let named = names_groups(src);
    let b: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut in_class = 0;
    while i < b.len() {
        let c = b[i];
        if c == '\\' && i + 1 < b.len() {
            let n = b[i + 1];
            match n {
                'h' => out.push_str(if in_class > 0 {
                    "0-9a-fA-F"
                } else {
                    "[0-9a-fA-F]"
                }),
                'H' => out.push_str("[^0-9a-fA-F]"),
                // Ruby's digit, word and space classes are ASCII; the regexp engine's are
                // Unicode, which differs on other scripts and takes a thousand times longer
                // to compile for `\w` (a template's regexps are compiled on every render)
                'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                    let class = match n {
                        'd' => "[:digit:]",
                        'D' => "[:^digit:]",
                        'w' => "[:word:]",
                        'W' => "[:^word:]",
                        's' => "[:space:]",
                        _ => "[:^space:]",
                    };
                    if in_class > 0 {
                        out.push_str(class);
                    } else {
                        out.push('[');
                        out.push_str(class);
                        out.push(']');
                    }
                }
                'Z' => out.push_str(r"(?=\n?\z)"),
                '/' => out.push('/'),
                _ => {
                    out.push('\\');
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        match c {
            // a POSIX bracket, `[:alpha:]` in a class: Ruby's are Unicode, the engine's ASCII
            '[' if in_class > 0 && b.get(i + 1) == Some(&':') => {
                if let Some((class, len)) = posix_bracket(&b[i..]) {
                    out.push_str(&class);
                    i += len;
                    continue;
                }
                in_class += 1;
                out.push(c);
            }
            '[' => {
                in_class += 1;
                out.push(c);
                // a literal ']' or '^]' right after the opening bracket
                if b.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if b.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(c);
            }
            // Ruby's `^` holds at the start and after every newline but the last character
            // (the engine's holds after that one too). A first `^` of a pattern without
            // alternation stays, and a match that would start after a final newline is
            // dropped (`find_at`); any other `^` says so itself, by a look-ahead.
            '^' if in_class == 0 && !(i == 0 && first) => out.push_str(r"(?:\A|^(?=[\s\S]))"),
            '(' if b.get(i + 1) == Some(&'?')
                && b.get(i + 2) == Some(&'<')
                && b.get(i + 3).is_some_and(|c| c.is_alphabetic() || *c == '_') =>
            {
                out.push_str("(?P<");
                i += 3;
                continue;
            }
            '(' if named && in_class == 0 && b.get(i + 1) != Some(&'?') => out.push_str("(?:"),
            // inline options, `(?mi-x)` and `(?m-i:...)`: Ruby's `m` is the engine's `s`
            // (a dot matches a newline); the engine's `m` (line anchors) is Ruby's always
            '(' if in_class == 0 && b.get(i + 1) == Some(&'?') => {
                let opts = b[i + 2..]
                    .iter()
                    .take_while(|c| matches!(c, 'm' | 'i' | 'x' | '-'))
                    .count();
                if opts > 0 && matches!(b.get(i + 2 + opts), Some(':' | ')')) {
                    out.push_str("(?");
                    for &o in &b[i + 2..i + 2 + opts] {
                        out.push(if o == 'm' { 's' } else { o });
                    }
                    i += 2 + opts;
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    Translated {
        pattern: out,
        caret_first: first,
    }
}

/// The POSIX bracket `[:name:]` or `[:^name:]` that `b` starts with, as a class of the
/// characters Ruby gives it in a UTF-8 pattern (properties, as Onigmo defines them), and its
/// length in characters; None for another name, left to the engine as written.
fn posix_bracket(b: &[char]) -> Option<(String, usize)> {
    // the longest is `[:^xdigit:]`, 11 characters
    let end = b.iter().take(12).position(|c| *c == ']')?;
    let inner: String = b[2..end].iter().collect();
    let name = inner.strip_suffix(':')?;
    let (negated, name) = match name.strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, name),
    };
    let items = match name {
        "alpha" => r"\p{Alphabetic}",
        "alnum" => r"\p{Alphabetic}\p{Nd}",
        "digit" => r"\p{Nd}",
        "lower" => r"\p{Lowercase}",
        "upper" => r"\p{Uppercase}",
        "space" => r"\p{White_Space}",
        "blank" => r"\p{Zs}\t",
        "word" => r"\p{Alphabetic}\p{M}\p{Nd}\p{Pc}",
        "punct" => r"\p{P}\$\+<=>\^`\|~",
        "cntrl" => r"\p{Cc}",
        "xdigit" => "0-9A-Fa-f",
        "graph" => r"[^\p{White_Space}\p{Cc}\p{Cn}]",
        "print" => r"[^\p{White_Space}\p{Cc}\p{Cn}]\p{Zs}",
        "ascii" => r"\x00-\x7F",
        _ => return None,
    };
    let open = if negated { "[^" } else { "[" };
    Some((format!("{open}{items}]"), end + 1))
}
