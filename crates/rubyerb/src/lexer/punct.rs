//! Ruby's keywords and its operators and punctuation, as the lexer matches them.

/// The keyword `name` is, if any.
pub(super) fn keyword(name: &str) -> Option<&'static str> {
    Some(match name {
        "alias" => "alias",
        "and" => "and",
        "begin" => "begin",
        "break" => "break",
        "case" => "case",
        "class" => "class",
        "def" => "def",
        "defined?" => "defined?",
        "do" => "do",
        "else" => "else",
        "elsif" => "elsif",
        "end" => "end",
        "ensure" => "ensure",
        "false" => "false",
        "for" => "for",
        "if" => "if",
        "in" => "in",
        "module" => "module",
        "next" => "next",
        "nil" => "nil",
        "not" => "not",
        "or" => "or",
        "redo" => "redo",
        "rescue" => "rescue",
        "retry" => "retry",
        "return" => "return",
        "self" => "self",
        "super" => "super",
        "then" => "then",
        "true" => "true",
        "undef" => "undef",
        "unless" => "unless",
        "until" => "until",
        "when" => "when",
        "while" => "while",
        "yield" => "yield",
        "__method__" => "__method__",
        _ => return None,
    })
}

/// The operator or punctuation `rest` starts with, longest first (`**=` over `**` and `*`).
pub(super) fn op_at(rest: &[u8]) -> Option<&'static str> {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    let (c1, c2) = (at(1), at(2));
    let with_eq = |plain: &'static str, eq: &'static str| if c1 == b'=' { eq } else { plain };
    Some(match at(0) {
        b'*' => match (c1, c2) {
            (b'*', b'=') => "**=",
            (b'*', _) => "**",
            (b'=', _) => "*=",
            _ => "*",
        },
        b'<' => match (c1, c2) {
            (b'=', b'>') => "<=>",
            (b'<', b'=') => "<<=",
            (b'<', _) => "<<",
            (b'=', _) => "<=",
            _ => "<",
        },
        b'>' => match (c1, c2) {
            (b'>', b'=') => ">>=",
            (b'>', _) => ">>",
            (b'=', _) => ">=",
            _ => ">",
        },
        b'=' => match (c1, c2) {
            (b'=', b'=') => "===",
            (b'=', _) => "==",
            (b'~', _) => "=~",
            (b'>', _) => "=>",
            _ => "=",
        },
        b'.' => match (c1, c2) {
            (b'.', b'.') => "...",
            (b'.', _) => "..",
            _ => ".",
        },
        b'&' => match (c1, c2) {
            (b'&', b'=') => "&&=",
            (b'.', _) => "&.",
            (b'&', _) => "&&",
            (b'=', _) => "&=",
            _ => "&",
        },
        b'|' => match (c1, c2) {
            (b'|', b'=') => "||=",
            (b'|', _) => "||",
            (b'=', _) => "|=",
            _ => "|",
        },
        b'!' => match c1 {
            b'=' => "!=",
            b'~' => "!~",
            _ => "!",
        },
        b':' if c1 == b':' => "::",
        b':' => ":",
        b'-' if c1 == b'>' => "->",
        b'-' => with_eq("-", "-="),
        b'+' => with_eq("+", "+="),
        b'/' => with_eq("/", "/="),
        b'%' => with_eq("%", "%="),
        b'^' => with_eq("^", "^="),
        b'~' => "~",
        b'?' => "?",
        b',' => ",",
        b';' => ";",
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        _ => return None,
    })
}

// Longest first, so that `**=` wins over `**` and `*`.
#[cfg(test)]
pub(super) const OPS: &[&str] = &[
    "**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "&.", "**", "==", "!=", ">=", "<=",
    "&&", "||", "<<", ">>", "=~", "!~", "..", "::", "->", "=>", "+=", "-=", "*=", "/=", "%=", "|=",
    "&=", "^=", "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~", "?", ":", ",",
    ".", ";", "(", ")", "[", "]", "{", "}",
];
