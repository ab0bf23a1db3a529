//! Parser: the syntax tree of small programs as a compact S-expression, so that each test is
//! one line: `check("a + b * 2", "(+ a (* b 2))")`. Calls print as `(NAME RECV ARGS...)`
//! (`.NAME` for a receiverless call of a method, which Ruby tells from a local variable at
//! parse time), blocks as `(block CALL (PARAMS) BODY)`. Precedence and associativity follow
//! Ruby's operator table (checked against `ruby --dump=parsetree` when written).

use crate::ast::{Kind, Node, Param, StrPart, Target};
use crate::erb::compile_with;
use crate::parser::SyntaxError;
use crate::Limits;

fn join(nodes: &[Node]) -> String {
    nodes.iter().map(sexp).collect::<Vec<_>>().join(" ")
}

fn parts(p: &[StrPart]) -> String {
    p.iter()
        .map(|p| match p {
            StrPart::Lit(s) => format!("{s:?}"),
            StrPart::Code(n) => sexp(n),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn param(p: &Param) -> String {
    match p {
        Param::Req(n) => n.to_string(),
        Param::Opt(n, d) => format!("{n}={}", sexp(d)),
        Param::Rest(n) => format!("*{}", n.as_deref().unwrap_or("")),
        Param::Key(n, None) => format!("{n}:"),
        Param::Key(n, Some(d)) => format!("{n}:{}", sexp(d)),
        Param::KwRest(n) => format!("**{}", n.as_deref().unwrap_or("")),
        Param::Block(n) => format!("&{n}"),
        Param::Destructure(ps) => format!("({})", params(ps)),
    }
}

fn params(ps: &[Param]) -> String {
    ps.iter().map(param).collect::<Vec<_>>().join(" ")
}

fn target(t: &Target) -> String {
    match t {
        Target::LVar(n) | Target::IVar(n) | Target::GVar(n) | Target::Const(n) => n.to_string(),
        Target::Index(n, a) if a.is_empty() => format!("([]= {})", sexp(n)),
        Target::Index(n, a) => format!("([]= {} {})", sexp(n), join(a)),
        Target::Attr(n, name, safe) => {
            format!("({}{name}= {})", if *safe { "&." } else { "" }, sexp(n))
        }
        Target::Splat(None) => "*".into(),
        Target::Splat(Some(t)) => format!("*{}", target(t)),
        Target::Nested(ts) => format!("({})", targets(ts)),
    }
}

fn targets(ts: &[Target]) -> String {
    ts.iter().map(target).collect::<Vec<_>>().join(" ")
}

fn opt(n: &Option<Box<Node>>) -> String {
    n.as_deref().map_or("nil".into(), sexp)
}

fn sexp(n: &Node) -> String {
    match &n.kind {
        Kind::Nil => "nil".into(),
        Kind::True => "true".into(),
        Kind::False => "false".into(),
        Kind::SelfRef => "self".into(),
        Kind::Int(i) => i.to_string(),
        Kind::BigInt(b) => b.to_string(),
        Kind::Float(f) => format!("{f:?}"),
        Kind::Str(p) if p.iter().all(|p| matches!(p, StrPart::Lit(_))) => {
            let s: String = p
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => s.as_str(),
                    StrPart::Code(_) => "",
                })
                .collect();
            format!("{s:?}")
        }
        Kind::Str(p) => format!("(dstr {})", parts(p)),
        Kind::PlainStr(s) => format!("{s:?}"),
        Kind::Sym(s) => format!(":{s}"),
        Kind::DSym(p) => format!("(dsym {})", parts(p)),
        Kind::Regex(r) => format!("(regex {} {:?})", parts(&r.0), r.1),
        Kind::Array(v) => format!("[{}]", join(v)),
        Kind::Hash(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{} => {}", sexp(k), sexp(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Kind::Range(a, b, excl) => {
            format!(
                "({} {} {})",
                if *excl { "..." } else { ".." },
                opt(a),
                opt(b)
            )
        }
        Kind::LVar(n) | Kind::IVar(n) | Kind::GVar(n) => n.to_string(),
        Kind::Const(None, n) => n.to_string(),
        Kind::Const(Some(s), n) => format!("(:: {} {n})", sexp(s)),
        Kind::Asgn(t, v) => format!("(= {} {})", target(t), sexp(v)),
        Kind::OpAsgn(o) => format!("({}= {} {})", o.1, target(&o.0), sexp(&o.2)),
        Kind::MultiAsgn(m) => format!("(masgn ({}) {})", targets(&m.0), sexp(&m.1)),
        Kind::Call(c) => {
            let name = if c.safe_nav {
                format!("&.{}", c.name)
            } else {
                c.name.to_string()
            };
            let mut s = match &c.recv {
                Some(r) => format!("({name} {}", sexp(r)),
                None => format!("(.{name}"),
            };
            for a in &c.args {
                s.push(' ');
                s.push_str(&sexp(a));
            }
            s.push(')');
            match &c.block {
                Some(b) => format!("(block {s} ({}) {})", params(&b.params), sexp(&b.body)),
                None => s,
            }
        }
        Kind::Splat(x) => format!("(* {})", sexp(x)),
        Kind::DoubleSplat(x) => format!("(** {})", sexp(x)),
        Kind::BlockPass(x) => format!("(& {})", sexp(x)),
        Kind::And(a, b) => format!("(and {} {})", sexp(a), sexp(b)),
        Kind::Or(a, b) => format!("(or {} {})", sexp(a), sexp(b)),
        Kind::Not(a) => format!("(not {})", sexp(a)),
        Kind::Defined(a) => format!("(defined? {})", sexp(a)),
        Kind::If(c, t, e) => format!("(if {} {} {})", sexp(c), sexp(t), sexp(e)),
        Kind::While(c, b, until) => format!(
            "({} {} {})",
            if *until { "until" } else { "while" },
            sexp(c),
            sexp(b)
        ),
        Kind::For(t, i, b) => format!("(for {} {} {})", target(t), sexp(i), sexp(b)),
        Kind::Case(c) => {
            let (subj, whens, e) = &**c;
            let mut s = format!("(case {}", subj.as_ref().map_or("nil".into(), sexp));
            for (vals, body) in whens {
                s.push_str(&format!(" (when ({}) {})", join(vals), sexp(body)));
            }
            format!("{s} {})", sexp(e))
        }
        Kind::Seq(v) => format!("(seq {})", join(v)),
        Kind::Locals(b) => format!("(locals ({}) {})", b.0.join(" "), sexp(&b.1)),
        Kind::Begin(b) => {
            let mut s = format!("(begin {}", sexp(&b.body));
            for r in &b.rescues {
                s.push_str(&format!(
                    " (rescue ({}) {} {})",
                    join(&r.classes),
                    r.var.as_ref().map_or("nil".into(), target),
                    sexp(&r.body)
                ));
            }
            if let Some(e) = &b.else_body {
                s.push_str(&format!(" (else {})", sexp(e)));
            }
            if let Some(e) = &b.ensure {
                s.push_str(&format!(" (ensure {})", sexp(e)));
            }
            s + ")"
        }
        Kind::Def(d) => format!(
            "(def {}{} ({}) {})",
            if d.singleton { "self." } else { "" },
            d.name,
            params(&d.params),
            sexp(&d.body)
        ),
        Kind::Retry => "(retry)".into(),
        Kind::Alias(a) => format!("(alias {} {})", a.0, a.1),
        Kind::Class(c) if c.3 => {
            format!("(module {} {})", c.0, sexp(&c.2))
                + &c.1.as_ref().map_or(String::new(), |_| "?".into())
        }
        Kind::Class(c) => format!(
            "(class {} {} {})",
            c.0,
            c.1.as_ref().map_or("nil".into(), sexp),
            sexp(&c.2)
        ),
        Kind::SClass(b) => format!("(sclass {})", sexp(b)),
        Kind::Return(v) => format!("(return {})", opt(v)),
        Kind::Break(v) => format!("(break {})", opt(v)),
        Kind::Next(v) => format!("(next {})", opt(v)),
        Kind::Yield(a) => format!("(yield {})", join(a)).replace(" )", ")"),
        Kind::Super(None) => "(zsuper)".into(),
        Kind::Super(Some(a)) => format!("(super {})", join(a)).replace(" )", ")"),
        Kind::Lambda(b) => format!("(lambda ({}) {})", params(&b.params), sexp(&b.body)),
        Kind::ErbText(t) => format!("(text {:?})", String::from_utf8_lossy(t)),
        Kind::ErbOut(x) => format!("(out {})", sexp(x)),
    }
}

/// The tree of `code` as one code tag; a single statement without its `seq`.
fn tree(code: &str) -> Result<String, SyntaxError> {
    let src = format!("<% {code} %>");
    let n = compile_with(src.as_bytes(), &Limits::default())?;
    // (the template's own locals are asked about apart: `scope_locals`)
    let n = match n.kind {
        Kind::Locals(b) => b.1,
        _ => n,
    };
    Ok(match &n.kind {
        Kind::Seq(v) if v.len() == 1 => sexp(&v[0]),
        _ => sexp(&n),
    })
}

#[track_caller]
fn check(code: &str, expect: &str) {
    match tree(code) {
        Ok(t) => assert_eq!(t, expect, "{code}"),
        Err(e) => panic!("{code}: line {}: {}", e.line, e.message),
    }
}

/// A program the parser rejects, with the line Ruby's SyntaxError names.
#[track_caller]
fn check_err(code: &str, line: u32) {
    match tree(code) {
        Ok(t) => panic!("{code}: parsed as {t}"),
        Err(e) => assert_eq!(e.line, line, "{code}: {}", e.message),
    }
}

#[test]
fn literals() {
    check("nil; true; self", "(seq nil true self)");
    check("1_000", "1000");
    check("1.5e3", "1500.0");
    check("'a'", "\"a\"");
    check("\"a#{1}b\"", "(dstr \"a\" 1 \"b\")");
    check(":sym", ":sym");
    check(":\"a#{1}\"", "(dsym \"a\" 1)");
    check("/a#{1}/i", "(regex \"a\" 1 \"i\")");
    check("[1, [2]]", "[1 [2]]");
    check("{a: 1, 'b' => 2}", "{:a => 1, \"b\" => 2}");
    check("%w[a b]", "[\"a\" \"b\"]");
    check("%i[a b]", "[(dsym \"a\") (dsym \"b\")]");
    check("1..2", "(.. 1 2)");
    check("(1...)", "(... 1 nil)");
    check("A::B", "(:: A B)");
    check("@x", "@x");
}

#[test]
fn operator_precedence() {
    check("a + b * 2", "(+ (.a) (* (.b) 2))");
    check("x = 1; x - 2 - 3", "(seq (= x 1) (- (- x 2) 3))");
    check("2 ** 3 ** 2", "(** 2 (** 3 2))");
    check("-2 ** 2", "(-@ (** 2 2))");
    check("!a && b", "(and (not (.a)) (.b))");
    check("a || b && c", "(or (.a) (and (.b) (.c)))");
    check("not a == b", "(not (== (.a) (.b)))");
    check("a and b or c", "(or (and (.a) (.b)) (.c))");
    check("a < b == true", "(== (< (.a) (.b)) true)");
    check("a ? b : c ? d : e", "(if (.a) (.b) (if (.c) (.d) (.e)))");
    check("x = a ? 1 : 2", "(= x (if (.a) 1 2))");
    check("a << b << c", "(<< (<< (.a) (.b)) (.c))");
    check("a =~ /x/", "(=~ (.a) (regex \"x\" \"\"))");
    check("a != b", "(not (== (.a) (.b)))");
    check("a <=> b", "(<=> (.a) (.b))");
    check("1 + 2 .. 3", "(.. (+ 1 2) 3)");
    check("a & b | c", "(| (& (.a) (.b)) (.c))");
    check("defined? a", "(defined? (.a))");
}

#[test]
fn calls() {
    check(
        "a.b(1, *c, k: 2, &d)",
        "(b (.a) 1 (* (.c)) {:k => 2} (& (.d)))",
    );
    check("a&.b", "(&.b (.a))");
    check("puts 1, 2", "(.puts 1 2)");
    check("a.b c", "(b (.a) (.c))");
    check("a[1]", "([] (.a) 1)");
    check("a[1] = 2", "(= ([]= (.a) 1) 2)");
    check("a.b = 2", "(= (b= (.a)) 2)");
    check("a.b += 1", "(+= (b= (.a)) 1)");
    check("x ||= 1", "(||= x 1)");
    check("a, *b = 1, 2", "(masgn (a *b) [1 2])");
    check("*a, b = 1, 2", "(masgn (*a b) [1 2])");
    check("*a = x", "(masgn (*a) (.x))");
    check("a, (b, c) = x", "(masgn (a (b c)) (.x))");
    check("f.()", "(call (.f))");
    check("p(x: 1)", "(.p {:x => 1})");
    check("f a if b", "(if (.b) (.f (.a)) nil)");
    check("a.b.c(1).d", "(d (c (b (.a)) 1))");
    check("a.b\n  .c", "(c (b (.a)))");
}

#[test]
fn blocks_and_lambdas() {
    check("a.each { |x| x }", "(block (each (.a)) (x) x)");
    check("a.map do |k, v| k end", "(block (map (.a)) (k v) k)");
    check(
        "a.each_with_object({}) { |(k, v), h| h }",
        "(block (each_with_object (.a) {}) ((k v) h) h)",
    );
    check(
        "f { |a, b = 1, *c, d:, e: 2, **f, &g| }",
        "(block (.f) (a b=1 *c d: e:2 **f &g) (seq ))",
    );
    check("->(x) { x * 2 }", "(lambda (x) (* x 2))");
    check("lambda { |x| x }", "(lambda (x) x)");
    check("a.map(&:to_s)", "(map (.a) (& :to_s))");
    check(
        "puts [1].map do |x| x end",
        "(block (.puts (map [1])) (x) x)",
    );
}

#[test]
fn control_flow() {
    check(
        "if a then 1 elsif b then 2 else 3 end",
        "(if (.a) 1 (if (.b) 2 3))",
    );
    check("unless a; 1; end", "(if (.a) nil 1)");
    check("x = 1 unless a", "(if (.a) nil (= x 1))");
    check("while a; b; end", "(while (.a) (.b))");
    check("until a do b end", "(until (.a) (.b))");
    check("for i in 1..3; i; end", "(for i (.. 1 3) i)");
    check(
        "case x when 1, 2 then :a when String then :b else :c end",
        "(case (.x) (when (1 2) :a) (when (String) :b) :c)",
    );
    check("case when a then 1 end", "(case nil (when ((.a)) 1) nil)");
    check(
        "begin; a; rescue ArgumentError, TypeError => e; e; else; 1; ensure; 2; end",
        "(begin (.a) (rescue (ArgumentError TypeError) e e) (else 1) (ensure 2))",
    );
    check("a rescue b", "(begin (.a) (rescue () nil (.b)))");
    check(
        "[1].each { |x| next x; break }",
        "(block (each [1]) (x) (seq (next x) (break nil)))",
    );
    check("def f(a, b = 1) = a + b", "(def f (a b=1) (+ a b))");
    check("def self.g; yield 1; end", "(def self.g () (yield 1))");
    check(
        "class A < B; def f; super; end; end",
        "(class A B (def f () (zsuper)))",
    );
    check("module M; end", "(module M (seq ))");
}

#[test]
fn locals_are_decided_at_parse_time() {
    // a name is a local from its assignment on, as in Ruby
    check("a; a = 1; a", "(seq (.a) (= a 1) a)");
    check("x = 1 if false; x", "(seq (if false (= x 1) nil) x)");
    check(
        "[1].each { |y| y }; y",
        "(seq (block (each [1]) (y) y) (.y))",
    );
}

#[test]
fn erb_tags_are_one_program() {
    let n = compile_with(b"a<% if x -%>\nb<%= 1 %>\n<% end %>", &Limits::default()).unwrap();
    assert_eq!(
        sexp(&n),
        "(seq (text \"a\") (if (.x) (seq (text \"b\") (out 1) (text \"\\n\")) nil))"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    check_err("1 +", 1);
    check_err("foo(", 1);
    check_err("\n\nend", 3);
    check_err("x = )", 1);
    check_err("1 2", 1);
    check_err("'abc", 1);
}

/// `retry` belongs to a rescue clause (or a modifier rescue's right side) of the scope it is
/// written in: a block, `def` or lambda inside the clause starts a scope without one.
#[test]
fn retry_only_in_a_rescue_clause() {
    check(
        "begin; a; rescue; retry; end",
        "(begin (.a) (rescue () nil (retry)))",
    );
    check("a rescue retry", "(begin (.a) (rescue () nil (retry)))");
    check_err("retry", 1);
    check_err("begin\n retry\nrescue\nend", 2);
    check_err("begin; rescue; [1].each { retry }; end", 1);
    check_err("begin; rescue; def f; retry; end; end", 1);
    check_err("begin; a; rescue; b; ensure; retry; end", 1);
}

/// `==`, `!=`, `=~`, `!~`, `===` and `<=>` do not chain; `<` and the others do.
#[test]
fn equality_does_not_chain() {
    check("a == b && c == d", "(and (== (.a) (.b)) (== (.c) (.d)))");
    check("(a == b) == c", "(== (== (.a) (.b)) (.c))");
    check_err("a == b == c", 1);
    check_err("a =~ b == c", 1);
    check_err("a <=> b == -1", 1);
    check_err("a != b != c", 1);
    check("a < b < c", "(< (< (.a) (.b)) (.c))");
}

#[test]
fn aliases() {
    check("alias b a", "(alias b a)");
    check("alias :b :a", "(alias b a)");
    check("alias eql? ==", "(alias eql? ==)");
    check("alias\n b a", "(alias b a)");
    check_err("alias b", 1);
}

/// A lone literal without interpolation is a plain string; adjacent literals, interpolation
/// and `"key":` labels keep their parts.
#[test]
fn plain_strings() {
    let kind = |code: &str| {
        let n = compile_with(format!("<% {code} %>").as_bytes(), &Limits::default()).unwrap();
        match n.kind {
            Kind::Seq(mut v) if v.len() == 1 => v.remove(0).kind,
            k => k,
        }
    };
    assert!(matches!(kind("'a'"), Kind::PlainStr(s) if s == "a"));
    assert!(matches!(kind("\"a\\n\""), Kind::PlainStr(s) if s == "a\n"));
    assert!(matches!(kind("\"a\" 'b'"), Kind::Str(p) if p.len() == 2));
    assert!(matches!(kind("\"a#{1}\""), Kind::Str(p) if p.len() == 2));
    check("x = \"a\" \"b\"", "(= x \"ab\")");
    check("{\"a\": 1}", "{(dsym \"a\") => 1}");
}

/// An operand followed by what cannot continue it ends at once; each continuation after it
/// still applies (modifiers, `and`/`or`, postfix, operators, ranges, ternaries, assignment).
#[test]
fn continuations_after_an_operand() {
    check("a if b", "(if (.b) (.a) nil)");
    check("a unless b", "(if (.b) nil (.a))");
    check("a and b or c", "(or (and (.a) (.b)) (.c))");
    check("a.b&.c::D", "(:: (&.c (b (.a))) D)");
    check("a[1]", "([] (.a) 1)");
    check("a { 1 }", "(block (.a) () 1)");
    check("a do 1 end", "(block (.a) () 1)");
    check("a + 1", "(+ (.a) 1)");
    check("a ? 1 : 2", "(if (.a) 1 2)");
    check("a..b", "(.. (.a) (.b))");
    check("a = b", "(= a (.b))");
    check("@a ||= 1", "(||= @a 1)");
    check("f(a, b) if c", "(if (.c) (.f (.a) (.b)) nil)");
}

/// The locals a scope's code assigns, besides its parameters, are listed at its body, the
/// block-locals (`|i; v|`) among them; the template's own at its top.
#[test]
fn scope_locals() {
    check(
        "[1].each { |i; v| x = i; v = x }",
        "(block (each [1]) (i) (locals (v x) (seq (= x i) (= v x))))",
    );
    check("def f(a, b = 1); c = a; [a].map { |d| e = d; c }; end", "(def f (a b=1) (locals (c) (seq (= c a) (block (map [a]) (d) (locals (e) (seq (= e d) c))))))");
    check("-> (a) { b = a }", "(lambda (a) (locals (b) (= b a)))");
    check("[1].each { |i| i }", "(block (each [1]) (i) i)");
    let n = compile_with(
        b"<% x = 1 if false; [1].each { |i| y = i } %><%= x %>",
        &Limits::default(),
    )
    .unwrap();
    assert!(matches!(&n.kind, Kind::Locals(b) if b.0.len() == 1 && &*b.0[0] == "x"));
}

/// `x = a, b` assigns a list; after a splat (`x = *a, b`) the splat's list goes on. What
/// marks a splat's end is the template's own: a program compiled before, whose splat ended
/// at the same token, leaves `y = [1, 2], 3` a list of two.
#[test]
fn assignment_of_a_list() {
    check("x = 1, 2", "(= x [1 2])");
    check("x = *a, 2", "(= x [(* (.a)) 2])");
    check("x = [1], 2", "(= x [[1] 2])");
    check("f(x = 1, 2)", "(.f (= x 1) 2)");
    for pad in 0..8 {
        let before = format!("<% x = *[1{}] %>", ", 1".repeat(pad));
        compile_with(before.as_bytes(), &Limits::default()).unwrap();
        check("y = [1, 2], 3", "(= y [[1 2] 3])");
        check("y = [a[1]], 3", "(= y [[([] (.a) 1)] 3])");
    }
}
