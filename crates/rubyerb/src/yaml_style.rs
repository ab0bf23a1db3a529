//! How Psych and libyaml choose a scalar's style when `to_yaml` writes it: Psych's choice
//! per string (`psych_style`), and libyaml's analysis of what each style can hold
//! (`analyze`), which overrides it.

use super::scalar::{is_yaml_int, psych_plain, Plain};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Style {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// libyaml's `IS_PRINTABLE`, which works on UTF-8 bytes: U+0085 and every character past
/// U+FFFF are not printable to it (so Psych double-quotes and escapes them), though YAML's
/// specification allows them.
pub(super) fn printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0a
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

/// libyaml's `IS_BREAK`: the Unicode line and paragraph separators and NEL break lines too.
pub(super) fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

pub(super) struct Analysis {
    pub(super) multiline: bool,
    pub(super) block_plain: bool,
    pub(super) single_ok: bool,
    pub(super) block_ok: bool,
}

/// `analyze` of printable ASCII without blanks or breaks (names, numbers, URLs, most
/// values), in one pass over the bytes: only the first character's indicators and a final
/// `:` (followed by the end, which counts as a blank) can matter there. None for any other
/// text.
fn analyze_plain_ascii(s: &str, mut block_ind: bool) -> Option<Analysis> {
    let b = s.as_bytes();
    if !b.iter().all(|c| (0x21..=0x7e).contains(c)) {
        return None;
    }
    let first = b[0];
    block_ind |= b"#,[]{}&*!|>'\"%@`".contains(&first)
        || (b.len() == 1 && b"?:-".contains(&first))
        || b[b.len() - 1] == b':';
    Some(Analysis {
        multiline: false,
        block_plain: !block_ind,
        single_ok: true,
        block_ok: true,
    })
}

pub(super) fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single_ok: true,
            block_ok: false,
        };
    }
    let block_ind = s.starts_with("---") || s.starts_with("...");
    if let Some(a) = analyze_plain_ascii(s, block_ind) {
        return a;
    }
    analyze_chars(s, block_ind)
}

/// libyaml's `yaml_emitter_analyze_scalar`, character by character.
fn analyze_chars(s: &str, mut block_ind: bool) -> Analysis {
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break, mut special, mut line_breaks) =
        (false, false, false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_ws = true;
    // libyaml's IS_BLANKZ: a blank, a break or the end
    let blankz = |c: Option<&char>| match c {
        None => true,
        Some(&c) => matches!(c, ' ' | '\t' | '\0') || is_break(c),
    };
    // each character with the one after it (no list of them made: this runs for every
    // scalar a template dumps)
    let mut chars = s.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let followed_ws = blankz(next.as_ref());
        let last = next.is_none();
        if first {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                block_ind = true;
            }
            if (c == '?' || c == ':') && followed_ws {
                block_ind = true;
            }
            if c == '-' && followed_ws {
                block_ind = true;
            }
        } else {
            if c == ':' && followed_ws {
                block_ind = true;
            }
            if c == '#' && preceded_ws {
                block_ind = true;
            }
        }
        if !printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            if first {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            if first {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_ws = blankz(Some(&c));
        first = false;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single_ok: true,
        block_ok: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block_ok = false;
    }
    if break_space {
        a.block_plain = false;
        a.single_ok = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single_ok = false;
        a.block_ok = false;
    }
    if line_breaks || block_ind {
        a.block_plain = false;
    }
    a
}

/// Psych's choice for a String (`visit_String`); `line_width` is the one a template gave
/// (`to_yaml(line_width: 40)`), past which a string is folded.
pub(super) fn psych_style(s: &str, line_width: Option<usize>) -> Style {
    let has_inner_newline = s
        .char_indices()
        .any(|(i, c)| c == '\n' && !matches!(&s[i + 1..], "" | "\n"));
    if has_inner_newline {
        return Style::Literal;
    }
    if s == "<<" {
        return Style::Single;
    }
    // Psych 5 (Ruby 3.3 and later, the director's) quotes the capitals too
    if matches!(s, "y" | "Y" | "n" | "N") {
        return Style::Double;
    }
    if line_width.is_some_and(|w| s.chars().count() > w) {
        return Style::Folded;
    }
    // /^[^[:word:]][^"]*$/: at some line start, a non-word character (a newline counts),
    // then no double quote before some line end
    // (walked line start by line start: `start` is the byte offset of each)
    let mut start = 0;
    while let Some(c) = s[start..].chars().next() {
        if !is_word_char(c) {
            let rest = &s[start + c.len_utf8()..];
            let ok = match rest.find('"') {
                None => true,
                Some(q) => rest[..q].contains('\n'),
            };
            if ok {
                return Style::Double;
            }
        }
        match s[start..].find('\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    // (what the string reads back as, without making that value; an integer past 64 bits
    // reads back as an Integer too)
    let not_string = !matches!(psych_plain(s), Ok(Plain::Str)) || is_yaml_int(s);
    let octal_like = s.starts_with('0') && {
        let rest = s[1..].trim_start_matches(|c: char| ('0'..='7').contains(&c));
        rest.starts_with(['8', '9'])
    };
    if not_string || octal_like {
        return Style::Single;
    }
    Style::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &Analysis, b: &Analysis) -> bool {
        (a.multiline, a.block_plain, a.single_ok, a.block_ok)
            == (b.multiline, b.block_plain, b.single_ok, b.block_ok)
    }

    #[test]
    fn the_ascii_pass_agrees_with_the_character_walk() {
        // every string of up to three characters over the indicators that matter, and a
        // few longer ones
        let alphabet: Vec<char> = "a1:#-?,.[]{}&*!|>'\"%@`/=~".chars().collect();
        let mut texts: Vec<String> = vec![
            "---x".into(),
            "...".into(),
            "http://a.b:8080/x".into(),
            "key:".into(),
            "a#b".into(),
        ];
        for &a in &alphabet {
            texts.push(a.to_string());
            for &b in &alphabet {
                texts.push(format!("{a}{b}"));
                for &c in &alphabet {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        for t in &texts {
            let block_ind = t.starts_with("---") || t.starts_with("...");
            let fast = analyze_plain_ascii(t, block_ind).expect("printable ASCII");
            assert!(same(&fast, &analyze_chars(t, block_ind)), "{t:?}");
        }
        for t in ["a b", "a\n", "é", "\t", "a\u{7f}"] {
            assert!(analyze_plain_ascii(t, false).is_none(), "{t:?}");
        }
    }
}
