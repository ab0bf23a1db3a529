//! Ruby's keywords and its operators and punctuation, as the lexer matches them.

/// An operator or punctuation token: a number, so that the parser's many "is the next
/// token this operator?" questions are byte comparisons and matches jump tables.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    PowAsgn,
    Cmp,
    Eqq,
    Dot3,
    ShlAsgn,
    ShrAsgn,
    AndAsgn,
    OrAsgn,
    SafeNav,
    Pow,
    Eq,
    Ne,
    Ge,
    Le,
    AndAnd,
    OrOr,
    Shl,
    Shr,
    Match,
    NMatch,
    Dot2,
    Colon2,
    Arrow,
    Rocket,
    PlusAsgn,
    MinusAsgn,
    MulAsgn,
    DivAsgn,
    ModAsgn,
    BorAsgn,
    BandAsgn,
    XorAsgn,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Assign,
    Lt,
    Gt,
    Bang,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Question,
    Colon,
    Comma,
    Dot,
    Semi,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
}

impl Op {
    /// How many bytes it takes in the source.
    #[inline]
    pub fn width(self) -> usize {
        const WIDTH: [u8; 56] = [
            3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
            2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        ];
        WIDTH[self as usize] as usize
    }

    /// How Ruby writes it (also its method name, for the operators that are methods).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::PowAsgn => "**=",
            Op::Cmp => "<=>",
            Op::Eqq => "===",
            Op::Dot3 => "...",
            Op::ShlAsgn => "<<=",
            Op::ShrAsgn => ">>=",
            Op::AndAsgn => "&&=",
            Op::OrAsgn => "||=",
            Op::SafeNav => "&.",
            Op::Pow => "**",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::AndAnd => "&&",
            Op::OrOr => "||",
            Op::Shl => "<<",
            Op::Shr => ">>",
            Op::Match => "=~",
            Op::NMatch => "!~",
            Op::Dot2 => "..",
            Op::Colon2 => "::",
            Op::Arrow => "->",
            Op::Rocket => "=>",
            Op::PlusAsgn => "+=",
            Op::MinusAsgn => "-=",
            Op::MulAsgn => "*=",
            Op::DivAsgn => "/=",
            Op::ModAsgn => "%=",
            Op::BorAsgn => "|=",
            Op::BandAsgn => "&=",
            Op::XorAsgn => "^=",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::Slash => "/",
            Op::Percent => "%",
            Op::Assign => "=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Bang => "!",
            Op::Amp => "&",
            Op::Pipe => "|",
            Op::Caret => "^",
            Op::Tilde => "~",
            Op::Question => "?",
            Op::Colon => ":",
            Op::Comma => ",",
            Op::Dot => ".",
            Op::Semi => ";",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LBrace => "{",
            Op::RBrace => "}",
        }
    }
}

/// A keyword token, as a number (see [`Op`]).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kw {
    Alias,
    And,
    Begin,
    Break,
    Case,
    Class,
    Def,
    Defined,
    Do,
    Else,
    Elsif,
    End,
    Ensure,
    False,
    For,
    If,
    In,
    Module,
    Next,
    Nil,
    Not,
    Or,
    Redo,
    Rescue,
    Retry,
    Return,
    SelfValue,
    Super,
    Then,
    True,
    Undef,
    Unless,
    Until,
    When,
    While,
    Yield,
    Method,
}

impl Kw {
    pub fn as_str(self) -> &'static str {
        match self {
            Kw::Alias => "alias",
            Kw::And => "and",
            Kw::Begin => "begin",
            Kw::Break => "break",
            Kw::Case => "case",
            Kw::Class => "class",
            Kw::Def => "def",
            Kw::Defined => "defined?",
            Kw::Do => "do",
            Kw::Else => "else",
            Kw::Elsif => "elsif",
            Kw::End => "end",
            Kw::Ensure => "ensure",
            Kw::False => "false",
            Kw::For => "for",
            Kw::If => "if",
            Kw::In => "in",
            Kw::Module => "module",
            Kw::Next => "next",
            Kw::Nil => "nil",
            Kw::Not => "not",
            Kw::Or => "or",
            Kw::Redo => "redo",
            Kw::Rescue => "rescue",
            Kw::Retry => "retry",
            Kw::Return => "return",
            Kw::SelfValue => "self",
            Kw::Super => "super",
            Kw::Then => "then",
            Kw::True => "true",
            Kw::Undef => "undef",
            Kw::Unless => "unless",
            Kw::Until => "until",
            Kw::When => "when",
            Kw::While => "while",
            Kw::Yield => "yield",
            Kw::Method => "__method__",
        }
    }
}

macro_rules! show_as_str {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?}", self.as_str())
            }
        }
    )*};
}
show_as_str!(Op, Kw);

/// The [`Op`] Ruby writes as the given text (several joined by `|` make a pattern).
macro_rules! op {
    ("**=") => { $crate::lexer::Op::PowAsgn };
    ("<=>") => { $crate::lexer::Op::Cmp };
    ("===") => { $crate::lexer::Op::Eqq };
    ("...") => { $crate::lexer::Op::Dot3 };
    ("<<=") => { $crate::lexer::Op::ShlAsgn };
    (">>=") => { $crate::lexer::Op::ShrAsgn };
    ("&&=") => { $crate::lexer::Op::AndAsgn };
    ("||=") => { $crate::lexer::Op::OrAsgn };
    ("&.") => { $crate::lexer::Op::SafeNav };
    ("**") => { $crate::lexer::Op::Pow };
    ("==") => { $crate::lexer::Op::Eq };
    ("!=") => { $crate::lexer::Op::Ne };
    (">=") => { $crate::lexer::Op::Ge };
    ("<=") => { $crate::lexer::Op::Le };
    ("&&") => { $crate::lexer::Op::AndAnd };
    ("||") => { $crate::lexer::Op::OrOr };
    ("<<") => { $crate::lexer::Op::Shl };
    (">>") => { $crate::lexer::Op::Shr };
    ("=~") => { $crate::lexer::Op::Match };
    ("!~") => { $crate::lexer::Op::NMatch };
    ("..") => { $crate::lexer::Op::Dot2 };
    ("::") => { $crate::lexer::Op::Colon2 };
    ("->") => { $crate::lexer::Op::Arrow };
    ("=>") => { $crate::lexer::Op::Rocket };
    ("+=") => { $crate::lexer::Op::PlusAsgn };
    ("-=") => { $crate::lexer::Op::MinusAsgn };
    ("*=") => { $crate::lexer::Op::MulAsgn };
    ("/=") => { $crate::lexer::Op::DivAsgn };
    ("%=") => { $crate::lexer::Op::ModAsgn };
    ("|=") => { $crate::lexer::Op::BorAsgn };
    ("&=") => { $crate::lexer::Op::BandAsgn };
    ("^=") => { $crate::lexer::Op::XorAsgn };
    ("+") => { $crate::lexer::Op::Plus };
    ("-") => { $crate::lexer::Op::Minus };
    ("*") => { $crate::lexer::Op::Star };
    ("/") => { $crate::lexer::Op::Slash };
    ("%") => { $crate::lexer::Op::Percent };
    ("=") => { $crate::lexer::Op::Assign };
    ("<") => { $crate::lexer::Op::Lt };
    (">") => { $crate::lexer::Op::Gt };
    ("!") => { $crate::lexer::Op::Bang };
    ("&") => { $crate::lexer::Op::Amp };
    ("|") => { $crate::lexer::Op::Pipe };
    ("^") => { $crate::lexer::Op::Caret };
    ("~") => { $crate::lexer::Op::Tilde };
    ("?") => { $crate::lexer::Op::Question };
    (":") => { $crate::lexer::Op::Colon };
    (",") => { $crate::lexer::Op::Comma };
    (".") => { $crate::lexer::Op::Dot };
    (";") => { $crate::lexer::Op::Semi };
    ("(") => { $crate::lexer::Op::LParen };
    (")") => { $crate::lexer::Op::RParen };
    ("[") => { $crate::lexer::Op::LBracket };
    ("]") => { $crate::lexer::Op::RBracket };
    ("{") => { $crate::lexer::Op::LBrace };
    ("}") => { $crate::lexer::Op::RBrace };
    ($a:tt $(| $s:tt)+) => { $crate::lexer::op!($a) $(| $crate::lexer::op!($s))+ };
}
/// The [`Kw`] written as the given text (several joined by `|` make a pattern).
macro_rules! kw {
    ("alias") => { $crate::lexer::Kw::Alias };
    ("and") => { $crate::lexer::Kw::And };
    ("begin") => { $crate::lexer::Kw::Begin };
    ("break") => { $crate::lexer::Kw::Break };
    ("case") => { $crate::lexer::Kw::Case };
    ("class") => { $crate::lexer::Kw::Class };
    ("def") => { $crate::lexer::Kw::Def };
    ("defined?") => { $crate::lexer::Kw::Defined };
    ("do") => { $crate::lexer::Kw::Do };
    ("else") => { $crate::lexer::Kw::Else };
    ("elsif") => { $crate::lexer::Kw::Elsif };
    ("end") => { $crate::lexer::Kw::End };
    ("ensure") => { $crate::lexer::Kw::Ensure };
    ("false") => { $crate::lexer::Kw::False };
    ("for") => { $crate::lexer::Kw::For };
    ("if") => { $crate::lexer::Kw::If };
    ("in") => { $crate::lexer::Kw::In };
    ("module") => { $crate::lexer::Kw::Module };
    ("next") => { $crate::lexer::Kw::Next };
    ("nil") => { $crate::lexer::Kw::Nil };
    ("not") => { $crate::lexer::Kw::Not };
    ("or") => { $crate::lexer::Kw::Or };
    ("redo") => { $crate::lexer::Kw::Redo };
    ("rescue") => { $crate::lexer::Kw::Rescue };
    ("retry") => { $crate::lexer::Kw::Retry };
    ("return") => { $crate::lexer::Kw::Return };
    ("self") => { $crate::lexer::Kw::SelfValue };
    ("super") => { $crate::lexer::Kw::Super };
    ("then") => { $crate::lexer::Kw::Then };
    ("true") => { $crate::lexer::Kw::True };
    ("undef") => { $crate::lexer::Kw::Undef };
    ("unless") => { $crate::lexer::Kw::Unless };
    ("until") => { $crate::lexer::Kw::Until };
    ("when") => { $crate::lexer::Kw::When };
    ("while") => { $crate::lexer::Kw::While };
    ("yield") => { $crate::lexer::Kw::Yield };
    ("__method__") => { $crate::lexer::Kw::Method };
    ($a:tt $(| $s:tt)+) => { $crate::lexer::kw!($a) $(| $crate::lexer::kw!($s))+ };
}
pub(crate) use kw;
pub(crate) use op;

/// The keyword `name` is, if any: by its first byte, then among the few that start with it
/// (most names are not keywords, and most are told so by their first byte or length).
pub(super) fn keyword(name: &[u8]) -> Option<Kw> {
    let first = *name.first()?;
    Some(match first {
        b'a' => match name {
            b"alias" => kw!("alias"),
            b"and" => kw!("and"),
            _ => return None,
        },
        b'b' => match name {
            b"begin" => kw!("begin"),
            b"break" => kw!("break"),
            _ => return None,
        },
        b'c' => match name {
            b"case" => kw!("case"),
            b"class" => kw!("class"),
            _ => return None,
        },
        b'd' => match name {
            b"def" => kw!("def"),
            b"defined?" => kw!("defined?"),
            b"do" => kw!("do"),
            _ => return None,
        },
        b'e' => match name {
            b"else" => kw!("else"),
            b"elsif" => kw!("elsif"),
            b"end" => kw!("end"),
            b"ensure" => kw!("ensure"),
            _ => return None,
        },
        b'f' => match name {
            b"false" => kw!("false"),
            b"for" => kw!("for"),
            _ => return None,
        },
        b'i' => match name {
            b"if" => kw!("if"),
            b"in" => kw!("in"),
            _ => return None,
        },
        b'm' => match name {
            b"module" => kw!("module"),
            _ => return None,
        },
        b'n' => match name {
            b"next" => kw!("next"),
            b"nil" => kw!("nil"),
            b"not" => kw!("not"),
            _ => return None,
        },
        b'o' => match name {
            b"or" => kw!("or"),
            _ => return None,
        },
        b'r' => match name {
            b"redo" => kw!("redo"),
            b"rescue" => kw!("rescue"),
            b"retry" => kw!("retry"),
            b"return" => kw!("return"),
            _ => return None,
        },
        b's' => match name {
            b"self" => kw!("self"),
            b"super" => kw!("super"),
            _ => return None,
        },
        b't' => match name {
            b"then" => kw!("then"),
            b"true" => kw!("true"),
            _ => return None,
        },
        b'u' => match name {
            b"undef" => kw!("undef"),
            b"unless" => kw!("unless"),
            b"until" => kw!("until"),
            _ => return None,
        },
        b'w' => match name {
            b"when" => kw!("when"),
            b"while" => kw!("while"),
            _ => return None,
        },
        b'y' => match name {
            b"yield" => kw!("yield"),
            _ => return None,
        },
        b'_' => match name {
            b"__method__" => kw!("__method__"),
            _ => return None,
        },
        _ => return None,
    })
}

/// The operator or punctuation `rest` starts with, longest first (`**=` over `**` and `*`).
#[inline]
pub(super) fn op_at(rest: &[u8]) -> Option<Op> {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    let (c1, c2) = (at(1), at(2));
    let with_eq = |plain: Op, eq: Op| if c1 == b'=' { eq } else { plain };
    Some(match at(0) {
        b'*' => match (c1, c2) {
            (b'*', b'=') => op!("**="),
            (b'*', _) => op!("**"),
            (b'=', _) => op!("*="),
            _ => op!("*"),
        },
        b'<' => match (c1, c2) {
            (b'=', b'>') => op!("<=>"),
            (b'<', b'=') => op!("<<="),
            (b'<', _) => op!("<<"),
            (b'=', _) => op!("<="),
            _ => op!("<"),
        },
        b'>' => match (c1, c2) {
            (b'>', b'=') => op!(">>="),
            (b'>', _) => op!(">>"),
            (b'=', _) => op!(">="),
            _ => op!(">"),
        },
        b'=' => match (c1, c2) {
            (b'=', b'=') => op!("==="),
            (b'=', _) => op!("=="),
            (b'~', _) => op!("=~"),
            (b'>', _) => op!("=>"),
            _ => op!("="),
        },
        b'.' => match (c1, c2) {
            (b'.', b'.') => op!("..."),
            (b'.', _) => op!(".."),
            _ => op!("."),
        },
        b'&' => match (c1, c2) {
            (b'&', b'=') => op!("&&="),
            (b'.', _) => op!("&."),
            (b'&', _) => op!("&&"),
            (b'=', _) => op!("&="),
            _ => op!("&"),
        },
        b'|' => match (c1, c2) {
            (b'|', b'=') => op!("||="),
            (b'|', _) => op!("||"),
            (b'=', _) => op!("|="),
            _ => op!("|"),
        },
        b'!' => match c1 {
            b'=' => op!("!="),
            b'~' => op!("!~"),
            _ => op!("!"),
        },
        b':' if c1 == b':' => op!("::"),
        b':' => op!(":"),
        b'-' if c1 == b'>' => op!("->"),
        b'-' => with_eq(op!("-"), op!("-=")),
        b'+' => with_eq(op!("+"), op!("+=")),
        b'/' => with_eq(op!("/"), op!("/=")),
        b'%' => with_eq(op!("%"), op!("%=")),
        b'^' => with_eq(op!("^"), op!("^=")),
        b'~' => op!("~"),
        b'?' => op!("?"),
        b',' => op!(","),
        b';' => op!(";"),
        b'(' => op!("("),
        b')' => op!(")"),
        b'[' => op!("["),
        b']' => op!("]"),
        b'{' => op!("{"),
        b'}' => op!("}"),
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
