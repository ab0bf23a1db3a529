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
    // an assignment is a binary operator's right operand, taking all that follows
    check("<% if (a = 1) && b = 2 %><%= a %><%= b %><% end %>", "12");
    check("<%= x = 1 + y = 2 * 3 %> <%= y %>", "7 6");
    check("<% z = nil %><%= false || z ||= 5 %> <%= z %>", "5 5");
    check("<%= nil || u = 1 ? 'a' : 'b' %> <%= u %>", "a a");
}

#[test]
fn ternaries_and_modifiers() {
    check("<%= true ? 'a' : 'b' %>", "a");
    // in an `if` condition, `do` opens a block (in a loop's, it belongs to the loop)
    check(
        "<% if [1, 2].all? do |k| k > 0 end %>y<% end %><% unless [1].any? do |k| k > 5 end %>u<% end %>",
        "yu",
    );
    check("<% i = 0; while i < 2 do i += 1 end %><%= i %>", "2");
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

#[test]
fn a_label_first_in_a_hash_after_not_or_defined() {
    // the director's Ruby (3.4) refuses it, at the label; a hash with `=>` is read
    check_syntax_err("<% x = 1 %>\n<% y = (not {a: 1}) %>", 2);
    check_syntax_err("<%= [(not {\n\"a\": 1})] %>", 2);
    check_syntax_err("<%= defined? {a: 1} %>", 1);
    check(
        "<%= (not {'a' => 1, b: 2}) %> <%= (not {}) %> <%= defined? {'a' => 1} %>",
        "false false expression",
    );
    check(
        "<%= not({a: 1}) %> <%= (not [1]) %> <%= defined?({a: 1}) %>",
        "false false expression",
    );
}

#[test]
fn modifier_after_command_name() {
    // `if`/`unless` after a method name are modifiers, never the start of an argument
    check(
        "<%= [1, nil].map { |e| e.to_s if e }.inspect %>",
        "[\"1\", nil]",
    );
    check("<% y = 'a'.upcase if true %><%= y %>", "A");
    check(
        "<%= [2].map { |e| e.to_s unless e.nil? }.inspect %>",
        "[\"2\"]",
    );
}

#[test]
fn operator_method_names() {
    check("<%= true.! %> <%= 1.+(2) %> <%= 3.<=>(4) %>", "false 3 -1");
    // the operator named after the dot does not continue onto the next line
    check(
        "<%= begin\n  true.!\nrescue => e\n  e.class\nend %>",
        "false",
    );
}

#[test]
fn unary_minus_and_power() {
    check("<%= -2 ** 2 %> <%= -2.0 ** 2 %> <%= -2.abs %>", "-4 -4.0 2");
    check(
        "<% x = 3 %><%= -x ** 2 %> <%= -(x).abs ** 2 %> <%= -x * 2 %>",
        "-9 -9 -6",
    );
}

#[test]
fn modifier_if_after_a_command_argument_without_parentheses() {
    // uaa's uaa.yml.erb: `raise URI::InvalidURIError.new if parsed.instance_of? URI::Generic`
    check(
        "<% begin\n  raise ArgumentError.new if 1.instance_of? Integer\n  y = 2\nrescue ArgumentError\n  y = 3\nend %><%= y %>",
        "3",
    );
    check("<% y = [1].first unless false %><%= y %>", "1");
    check("<% def f(x = 9) = x %><%= (f if true) %>", "9");
}

#[test]
fn rescue_else_ensure_in_do_blocks_not_in_braces() {
    check(
        "<% out = [] %><% [1, 0].each do |d|\n  out << 10 / d\nrescue ZeroDivisionError => e\n  out << e.message\nelse\n  out << 'ok'\nensure\n  out << 'done'\nend %><%= out.inspect %>",
        "[10, \"ok\", \"done\", \"divided by 0\", \"done\"]",
    );
    check_syntax_err("<% [1].each { |d|\n  1 / d\nrescue\n  2\n} %>", 3);
}

#[test]
fn a_command_is_refused_when_it_runs_not_when_the_template_compiles() {
    check("<% if false %><%= `ls` %><%= %x(ls) %><% end %>ok", "ok");
    let f = render(b"a\n<%= `echo #{1}` %>", &NoHost, &Limits::default()).unwrap_err();
    assert_eq!((f.class.as_str(), f.line), ("NotImplementedError", 2));
    assert!(f.message.contains("backticks"), "{}", f.message);
}
