//! Ruby's regexp syntax in the regex crate's (which fancy-regex extends): the two differ
//! in what some classes, anchors and options mean, not only in how they are written.

use super::RegexError;

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

/// A Ruby pattern in the regex crate's syntax, and what matching it must add; an error for
/// a byte escape that makes no character (`\xC3` alone, `\400`).
pub(super) fn translate(src: &str, flags: &str) -> Result<Translated, RegexError> {
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
    // capturing groups opened so far: `\12` is a back-reference only past the twelfth
    let mut groups = 0;
    // the bytes of a run of byte escapes (`\xC3\xA9`, `\303\251`), one character in all
    let mut bytes = Vec::new();
    let refused = |why: &str| RegexError {
        pattern: src.to_string(),
        why: why.to_string(),
    };
    while i < b.len() {
        let c = b[i];
        if c == '\\' && i + 1 < b.len() {
            match byte_escape(&b[i + 1..], in_class > 0, groups) {
                Escape::Byte(v, len) => {
                    bytes.push(v);
                    i += 1 + len;
                    continue;
                }
                Escape::Digit => {
                    flush_bytes(&mut bytes, &mut out).map_err(refused)?;
                    out.push(b[i + 1]);
                    i += 2;
                    continue;
                }
                Escape::Invalid(why) => return Err(refused(why)),
                Escape::Backref(_) if named => {
                    return Err(refused("numbered backref/call is not allowed. (use name)"))
                }
                Escape::Backref(n) if n > total_groups(&b, named) => {
                    return Err(refused("invalid backref number/name"))
                }
                Escape::Backref(_) | Escape::Other => {}
            }
            flush_bytes(&mut bytes, &mut out).map_err(refused)?;
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
                // Onigmo's line break: CR LF as one, or any one of the vertical spaces
                'R' if in_class == 0 => {
                    out.push_str(r"(?>\r\n|[\n\x0B\f\r\x{85}\x{2028}\x{2029}])")
                }
                '/' => out.push('/'),
                _ => {
                    out.push('\\');
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        flush_bytes(&mut bytes, &mut out).map_err(refused)?;
        if c == '(' && in_class == 0 && opens_group(&b[i + 1..], named) {
            groups += 1;
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
    flush_bytes(&mut bytes, &mut out).map_err(refused)?;
    Ok(Translated {
        pattern: out,
        caret_first: first,
    })
}

/// The capturing groups of the pattern `b`.
fn total_groups(b: &[char], named: bool) -> u64 {
    let mut in_class = 0;
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '\\' => i += 1,
            '[' => in_class += 1,
            ']' if in_class > 0 => in_class -= 1,
            '(' if in_class == 0 && opens_group(&b[i + 1..], named) => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// Whether the `(` before `rest` captures: a plain group (none when the pattern names its
/// groups), or a named one.
fn opens_group(rest: &[char], named: bool) -> bool {
    match rest {
        ['?', '<', c, ..] => c.is_alphabetic() || *c == '_',
        ['?', '\'', ..] => true,
        ['?', ..] => false,
        _ => !named,
    }
}

/// What an escape whose letter starts `rest` is, as Onigmo reads it.
enum Escape {
    /// A byte (`\x41`, `\101`, `\0`), and the escape's length after its backslash.
    Byte(u8, usize),
    /// `\8` or `\9` that is no back-reference: the digit itself.
    Digit,
    Invalid(&'static str),
    /// A back-reference by number, which the engine reads as written.
    Backref(u64),
    /// Anything else, also left to the engine.
    Other,
}

/// Onigmo's reading of `\x` and of a digit after a backslash: `\0` starts an octal byte
/// of up to three digits; `\1`-`\9`, and any longer number up to the count of groups
/// opened before it, is a back-reference; a longer number starting with 8 or 9 is that digit;
/// one starting with another digit is an octal byte of up to three digits (in a class,
/// every digit escape is octal or the digit).
fn byte_escape(rest: &[char], in_class: bool, groups: usize) -> Escape {
    let digits = |from: usize, most: usize, radix: u32| {
        rest[from..]
            .iter()
            .take(most)
            .map_while(|c| c.to_digit(radix))
            .fold((0u32, 0usize), |(v, n), d| (v * radix + d, n + 1))
    };
    match rest[0] {
        'x' => match digits(1, 2, 16) {
            (_, 0) => Escape::Invalid("invalid hex escape"),
            (v, n) => Escape::Byte(v as u8, 1 + n),
        },
        '0'..='9' if !in_class && rest[0] != '0' => {
            let (num, _) = rest
                .iter()
                .map_while(|c| c.to_digit(10))
                .fold((0u64, 0usize), |(v, n), d| {
                    ((v * 10 + u64::from(d)).min(u64::from(u32::MAX)), n + 1)
                });
            if num <= 9 || num <= groups as u64 {
                Escape::Backref(num)
            } else {
                octal(rest, digits)
            }
        }
        '0'..='9' => octal(rest, digits),
        _ => Escape::Other,
    }
}

/// An octal byte escape (`\0` and two more digits at most, another up to three), or the
/// digit 8 or 9 alone.
fn octal(rest: &[char], digits: impl Fn(usize, usize, u32) -> (u32, usize)) -> Escape {
    if matches!(rest[0], '8' | '9') {
        return Escape::Digit;
    }
    let (v, n) = if rest[0] == '0' {
        let (v, n) = digits(1, 2, 8);
        (v, n + 1)
    } else {
        digits(0, 3, 8)
    };
    match u8::try_from(v) {
        Ok(v) => Escape::Byte(v, n),
        Err(_) => Escape::Invalid("invalid escape code"),
    }
}

/// Writes a run of escaped bytes as the characters they spell in UTF-8, each escaped; the
/// error Onigmo gives when they spell none.
fn flush_bytes(bytes: &mut Vec<u8>, out: &mut String) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Ok(());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => return Err("too short escaped multibyte character"),
        Err(_) => return Err("invalid multibyte escape"),
    };
    for c in text.chars() {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
    bytes.clear();
    Ok(())
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
