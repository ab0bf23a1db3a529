//! Lexer: tokens of small inputs, in a compact form (`Kind(text)` joined by spaces).

use super::{op_at, LexState, Lexer, OPS, T};
use crate::ast::Names;

fn show(t: &T, names: &Names) -> String {
    let s = |i: &u32| names.name(*i).clone();
    match t {
        T::Int(i) => format!("Int({i})"),
        T::Float(x) => format!("Float({x})"),
        T::Str(_) => "Str".into(),
        T::Sym(i) => format!("Sym({})", s(i)),
        T::Ident(i) => format!("Ident({})", s(i)),
        T::Const(i) => format!("Const({})", s(i)),
        T::IVar(i) => format!("IVar({})", s(i)),
        T::Label(i) => format!("Label({})", s(i)),
        T::Kw(k) => format!("Kw({k})"),
        T::Op(o) => format!("Op({o})"),
        T::Nl => "Nl".into(),
        T::GVar(i) => format!("GVar({})", s(i)),
        T::Regex(..) => "Regex".into(),
        T::Words(..) => "Words".into(),
        T::DSym(..) => "DSym".into(),
        other => format!("{other:?}"),
    }
}

fn check(src: &str, expect: &str) {
    let mut locals = LexState::default();
    let mut toks = Vec::new();
    Lexer::tokenize(src, 1, &mut locals, &mut toks).unwrap();
    let got: Vec<String> = toks.iter().map(|t| show(&t.t, &locals.names)).collect();
    assert_eq!(got.join(" "), expect, "{src}");
}

fn check_err(src: &str, msg: &str) {
    let mut locals = LexState::default();
    let e = Lexer::tokenize(src, 1, &mut locals, &mut Vec::new()).unwrap_err();
    assert!(e.message.contains(msg), "{src}: {}", e.message);
}

#[test]
fn numbers() {
    check(
        "1 1_000 0x1f 0o17 0b101 1.5 1e3",
        "Int(1) Int(1000) Int(31) Int(15) Int(5) Float(1.5) Float(1000)",
    );
}

#[test]
fn labels_and_ternaries() {
    check("{a: 1}", "Op({) Label(a) Int(1) Op(})");
    check("c ? a : b", "Ident(c) Op(?) Ident(a) Op(:) Ident(b)");
    check(
        "{a: c ? 1 : 2, b: 3}",
        "Op({) Label(a) Ident(c) Op(?) Int(1) Op(:) Int(2) Op(,) Label(b) Int(3) Op(})",
    );
    check(
        "f(c ? 1 : 2, k: 3)",
        "Ident(f) Op(() Ident(c) Op(?) Int(1) Op(:) Int(2) Op(,) Label(k) Int(3) Op())",
    );
}

#[test]
fn symbols_constants_and_scopes() {
    check(":a :b? A::B", "Sym(a) Sym(b?) Const(A) Op(::) Const(B)");
}

#[test]
fn keywords_and_instance_variables() {
    check(
        "if @x then nil end",
        "Kw(if) IVar(@x) Kw(then) Kw(nil) Kw(end)",
    );
}

#[test]
fn newlines_separate_statements() {
    check("a\nb", "Ident(a) Nl Ident(b)");
}

#[test]
fn unterminated_string_is_an_error() {
    check_err("'abc", "unterminated");
}

#[test]
fn dollar_at_end_of_code_is_a_syntax_error() {
    // found by the fuzz target: `$` as the last byte of a tag's code
    let f = crate::render(b"&<%>%\xfc $%>", &crate::NoHost, &crate::Limits::default()).unwrap_err();
    assert_eq!(f.class, "SyntaxError");
}

#[test]
fn slash_is_division_after_a_value_and_a_regexp_elsewhere() {
    check("a / 2", "Ident(a) Op(/) Int(2)");
    check(
        "x = 4; x /2",
        "Ident(x) Op(=) Int(4) Op(;) Ident(x) Op(/) Int(2)",
    );
    check("f /2/", "Ident(f) Regex");
    check("[/a/]", "Op([) Regex Op(])");
    check("a =~ /b/", "Ident(a) Op(=~) Regex");
}

#[test]
fn operators_longest_match() {
    check(
        "a **= 2 <=> b === c",
        "Ident(a) Op(**=) Int(2) Op(<=>) Ident(b) Op(===) Ident(c)",
    );
    check("a&.b ||= c", "Ident(a) Op(&.) Ident(b) Op(||=) Ident(c)");
    check("a..b ... c", "Ident(a) Op(..) Ident(b) Op(...) Ident(c)");
    check("->(x) {}", "Op(->) Op(() Ident(x) Op()) Op({) Op(})");
    check("a != b !~ c", "Ident(a) Op(!=) Ident(b) Op(!~) Ident(c)");
}

#[test]
fn strings_words_and_heredocs() {
    check(
        "['a', \"b#{1}\", %q(c), %Q[d]]",
        "Op([) Str Op(,) Str Op(,) Str Op(,) Str Op(])",
    );
    check("[%w[a b], %i[c]]", "Op([) Words Op(,) Words Op(])");
    // after a value `%` is the format operator, as in Ruby
    check("'%d' %q", "Str Op(%) Ident(q)");
    check("`ls`", "XStr");
    check("x = <<~EOS\n  a\nEOS\ny", "Ident(x) Op(=) Str Nl Ident(y)");
    check(":\"a b\" :'c'", "DSym Sym(c)");
    check("?a", "Str");
}

#[test]
fn names_and_predicates() {
    check(
        "a? b! C D_E $f @@g",
        "Ident(a?) Ident(b!) Const(C) Const(D_E) GVar($f) IVar(@@g)",
    );
    check(
        "x.if y.end",
        "Ident(x) Op(.) Ident(if) Ident(y) Op(.) Ident(end)",
    );
    check("defined?(a)", "Kw(defined?) Op(() Ident(a) Op())");
}

#[test]
fn numbers_with_signs_and_exponents() {
    // the sign of a literal is the parser's unary minus
    check(
        "-1 - 1 -1.5e-3",
        "Op(-) Int(1) Op(-) Int(1) Op(-) Float(0.0015)",
    );
    check(
        "1.to_s 1..2",
        "Int(1) Op(.) Ident(to_s) Int(1) Op(..) Int(2)",
    );
    check("1E2 0X1F", "Float(100) Int(31)");
}

#[test]
fn comments_and_continuations() {
    check("a # c\nb", "Ident(a) Nl Ident(b)");
    check("a +\nb", "Ident(a) Op(+) Ident(b)");
    check("a \\\n+ b", "Ident(a) Op(+) Ident(b)");
    check("a\n.b", "Ident(a) Op(.) Ident(b)");
    check("=begin\nx\n=end\na", "Ident(a)");
}

#[test]
fn lexical_errors_are_reported() {
    check_err("\"abc", "unterminated");
    check_err(
        "<<~EOS\nno end",
        "can't find string \"EOS\" anywhere before EOF",
    );
    check_err("%w[a", "unterminated");
}

#[test]
fn operators_are_matched_longest_first() {
    // every string of up to three operator characters, against a scan of the list
    let chars = b"*<>=.&|!:-+/%^~?,;()[]{}a ";
    for a in chars {
        for b in chars {
            for c in chars {
                let rest = [*a, *b, *c];
                let longest = OPS
                    .iter()
                    .filter(|o| rest.starts_with(o.as_bytes()))
                    .max_by_key(|o| o.len())
                    .copied();
                assert_eq!(
                    op_at(&rest).map(|o| {
                        assert_eq!(o.width(), o.as_str().len());
                        o.as_str()
                    }),
                    longest,
                    "{:?}",
                    String::from_utf8_lossy(&rest)
                );
            }
        }
    }
}

/// `name =` declares a local however the `=` is spaced, and only a plain `=` does: a local
/// followed by ` /` divides, a method name followed by ` /` takes a regexp argument.
#[test]
fn assignments_declare_locals() {
    for asgn in ["x=1", "x = 1", "x\t=1", "x  =\t1"] {
        check(
            &format!("{asgn}; x /a/"),
            "Ident(x) Op(=) Int(1) Op(;) Ident(x) Op(/) Ident(a) Op(/)",
        );
    }
    for not_asgn in ["x==1", "x =~ 1", "x => 1", "y.x = 1", "y&.x = 1"] {
        let toks = {
            let mut st = LexState::default();
            let mut toks = Vec::new();
            Lexer::tokenize(&format!("{not_asgn}; x /a/"), 1, &mut st, &mut toks).unwrap();
            toks
        };
        assert!(matches!(toks[toks.len() - 1].t, T::Regex(_)), "{not_asgn}");
    }
    check(
        "x(1); x /a/",
        "Ident(x) Op(() Int(1) Op()) Op(;) Ident(x) Regex",
    );
}

#[test]
fn space_runs_of_every_length_and_kind_set_the_space_flag() {
    // none, one, two and longer runs, of each kind of space, and runs at the very end
    let src = "a.b c\t-1  d \t\x0b\x0ce\r\n f   g(x)\t\t";
    let mut locals = LexState::default();
    let mut toks = Vec::new();
    Lexer::tokenize(src, 1, &mut locals, &mut toks).unwrap();
    let got: Vec<String> = toks
        .iter()
        .map(|t| {
            format!(
                "{}{}",
                if t.spc { "_" } else { "" },
                show(&t.t, &locals.names)
            )
        })
        .collect();
    assert_eq!(
        got.join(" "),
        "_Ident(a) Op(.) Ident(b) _Ident(c) _Op(-) Int(1) _Ident(d) _Ident(e) _Nl \
         _Ident(f) _Ident(g) Op(() Ident(x) Op())"
    );
}

#[test]
fn names_short_and_long_near_the_end_keep_one_number_each() {
    // short names read as a word and (within eight bytes of the end) byte by byte
    let mut locals = LexState::default();
    let mut toks = Vec::new();
    let src = "abc = long_name_here + abc; é1 = abc + long_name_here + é1 + abc";
    Lexer::tokenize(src, 1, &mut locals, &mut toks).unwrap();
    let ids: Vec<u32> = toks
        .iter()
        .filter_map(|t| match t.t {
            T::Ident(i) => Some(i),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 8);
    // abc long abc é1 abc long é1 abc
    assert_eq!(ids[0], ids[2]);
    assert_eq!(ids[0], ids[4]);
    assert_eq!(ids[0], ids[7]);
    assert_eq!(ids[1], ids[5]);
    assert_eq!(ids[3], ids[6]);
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[0], ids[3]);
    assert_eq!(&**locals.names.name(ids[3]), "é1");
    assert_eq!(&**locals.names.name(ids[1]), "long_name_here");
}

/// Escapes that make bytes past ASCII which are not UTF-8 are refused at their line (Ruby
/// would keep an invalid string, which bale cannot hold); ones that make UTF-8 are text, and
/// a regexp keeps its escapes for the engine.
#[test]
fn escapes_past_utf8_are_refused() {
    for src in [
        r#""\xFF""#,
        r#""a\377b""#,
        r#""x#{1}\xC3""#,
        r#"%Q(\xE9)"#,
        r#":"\xFF""#,
    ] {
        check_err(src, "a string whose escapes make bytes that are not UTF-8");
    }
    check(r#""\xC3\xA9" "\303\251" "\u00e9""#, "Str Str Str");
    check(r#"/\xFF/"#, "Regex");
}

#[test]
fn escapes_past_utf8_are_refused_in_heredocs_and_word_lists() {
    check_err(
        "<<~EOS\n  \\xFF\nEOS\n",
        "a string whose escapes make bytes that are not UTF-8",
    );
    check_err(
        "%W[a \\xFF]",
        "a string whose escapes make bytes that are not UTF-8",
    );
}

/// After a kind letter, any ASCII punctuation delimits a percent literal, as in Ruby.
#[test]
fn percent_literals_take_any_punctuation_after_their_kind() {
    check(
        r#"[%r"\d", %q'a', %w:a b:, %Q"x#{1}"]"#,
        "Op([) Regex Op(,) Str Op(,) Words Op(,) Str Op(])",
    );
    check("a % q", "Ident(a) Op(%) Ident(q)");
    check("x %= 2", "Ident(x) Op(%=) Int(2)");
}

/// Unicode escapes: exactly four digits, or a code point of Unicode in braces; anything
/// else is Ruby's syntax error, not a replacement character.
#[test]
fn unicode_escapes_are_checked() {
    check_err(r#""\u12""#, "invalid Unicode escape");
    check_err(r#""\uD800""#, "invalid Unicode codepoint");
    check_err(r#""\u{D800}""#, "invalid Unicode codepoint");
    check_err(r#""\u{110000}""#, "invalid Unicode codepoint (too large)");
    check(r#""\u00e9" "\u{1F600 41}""#, "Str Str");
}
