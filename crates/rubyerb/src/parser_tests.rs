//! Parser: programs it accepts render what Ruby renders; programs it rejects fail with
//! Ruby's SyntaxError at the right line.

use crate::{render, Limits, NoHost};

fn check(src: &str, expect: &str) {
    match render(src.as_bytes(), &NoHost, &Limits::default()) {
        Ok(out) => assert_eq!(String::from_utf8_lossy(&out), expect, "{src}"),
        Err(f) => panic!("{src}: {}: {} (line {})", f.class, f.message, f.line),
    }
}

fn check_syntax_err(src: &str, line: u32) {
    let f = render(src.as_bytes(), &NoHost, &Limits::default()).unwrap_err();
    assert_eq!(
        (f.class.as_str(), f.line),
        ("SyntaxError", line),
        "{src}: {}",
        f.message
    );
}

#[test]
fn precedence() {
    check("<%= 1 + 2 * 3 ** 2 %>", "19");
    check("<%= 2 - -2 %>", "4");
    check("<%= !true || true %>", "true");
    check("<%= (not true) %>", "false");
    check("<%= 1 < 2 && 2 < 3 %>", "true");
}

#[test]
fn ternaries_and_modifiers() {
    check("<%= true ? 'a' : 'b' %>", "a");
    check("<% x = 1 if true %><%= x %>", "1");
    check(
        "<% x = 5 %><%= x > 3 ? x > 4 ? 'big' : 'mid' : 'small' %>",
        "big",
    );
    check("<%= {a: true ? 1 : 2, b: 3}.inspect %>", "{a: 1, b: 3}");
}

#[test]
fn command_calls_without_parentheses() {
    check("<%= [1, 2].include? 2 %>", "true");
    check(
        "<%= begin\n 'a'.instance_of? String\nrescue\n false\nend %>",
        "true",
    );
    check("<% def f(a, b = 2) a + b end %><%= f 1 %>", "3");
}

#[test]
fn blocks_and_lambdas() {
    check("<%= [1, 2].map do |x| x * 2 end.inspect %>", "[2, 4]");
    check(
        "<% sq = ->(x) { x * x } %><%= sq.(3) %> <%= sq[4] %>",
        "9 16",
    );
    check(
        "<% add = lambda { |a, b| a + b } %><%= add.call(1, 2) %>",
        "3",
    );
}

#[test]
fn string_forms() {
    check("<%= %w[a b].inspect %>", "[\"a\", \"b\"]");
    check("<% n = 2 %><%= \"#{n} x #{\"#{n}\"}\" %>", "2 x 2");
    check("<%= <<~EOS\n  a\n    b\nEOS\n%>", "a\n  b\n");
}

#[test]
fn control_flow() {
    check(
        "<% case 3 when 1..2 then %>low<% when 3..4 then %>mid<% end %>",
        "mid",
    );
    check("<% i = 0; while i < 3; i += 1; end %><%= i %>", "3");
    check(
        "<% [1, 2, 3].each do |x| next if x == 2 %><%= x %><% end %>",
        "13",
    );
}

#[test]
fn syntax_errors_have_lines() {
    check_syntax_err("a\n<% if true %>\n", 2);
    check_syntax_err("<%= 1 + %>", 1);
    check_syntax_err("\n\n<%= foo( %>", 3);
}
