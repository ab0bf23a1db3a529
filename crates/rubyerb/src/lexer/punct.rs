//! Ruby's keywords and its operators and punctuation, as the lexer matches them.

/// The keyword `name` is, if any.
pub(super) fn keyword(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"alias" => "alias",
        b"and" => "and",
        b"begin" => "begin",
        b"break" => "break",
        b"case" => "case",
        b"class" => "class",
        b"def" => "def",
        b"defined?" => "defined?",
        b"do" => "do",
        b"else" => "else",
        b"elsif" => "elsif",
        b"end" => "end",
        b"ensure" => "ensure",
        b"false" => "false",
        b"for" => "for",
        b"if" => "if",
        b"in" => "in",
        b"module" => "module",
        b"next" => "next",
        b"nil" => "nil",
        b"not" => "not",
        b"or" => "or",
        b"redo" => "redo",
        b"rescue" => "rescue",
        b"retry" => "retry",
        b"return" => "return",
        b"self" => "self",
        b"super" => "super",
        b"then" => "then",
        b"true" => "true",
        b"undef" => "undef",
        b"unless" => "unless",
        b"until" => "until",
        b"when" => "when",
        b"while" => "while",
        b"yield" => "yield",
        b"__method__" => "__method__",
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
