//! Literals and the language around the core classes: string forms, heredocs, assignment forms, exceptions, methods and blocks, control flow.

use super::{check, check_err};

#[test]
fn eval_of_a_string() {
    check(r##"x = 2; eval('x + 1')"##, r##"3"##);
    check(r##"s = 'up'; eval("s.#{'upcase'}")"##, r##"UP"##);
    check(r##"eval('y = 5; y * 2')"##, r##"10"##);
    check(r##"eval("[1, 2].map { |i| i * 3 }\n.sum")"##, r##"9"##);
    check(r##"eval('')"##, r##""##);
    check_err(
        r##"eval(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
}

#[test]
fn literals() {
    check(r##"'a' 'b'"##, r##"ab"##);
    check(r##""a" "#{1}b""##, r##"a1b"##);
    check(r##"%q(single 'quoted')"##, r##"single 'quoted'"##);
    check(r##"%Q(double #{1 + 1})"##, r##"double 2"##);
    check(r##"%(paren #{2})"##, r##"paren 2"##);
    check(r##"%w[a b c].size"##, r##"3"##);
    check(r##"%W[a#{1} b].inspect"##, r##"["a1", "b"]"##);
    check(r##"?a"##, r##"a"##);
    check(r##":"dyn#{1}".inspect"##, r##":dyn1"##);
    check(r##"0x1F + 0b11 + 0o17 + 017"##, r##"64"##);
    check(r##"1_000.5 rescue 'no'"##, r##"1000.5"##);
    check(r##"1e3"##, r##"1000.0"##);
    check(r##"-1.5e-3"##, r##"-0.0015"##);
    check(r##"[1, *[2, 3], *nil].inspect"##, r##"[1, 2, 3]"##);
    check(r##"{**{a: 1}, b: 2}.inspect"##, r##"{a: 1, b: 2}"##);
    check(r##"{'a': 1}.inspect"##, r##"{a: 1}"##);
    check(r##"{"a b": 1}.inspect"##, r##"{"a b": 1}"##);
    check(r##"x = 5; "#{x > 3 ? 'big' : 'small'}""##, r##"big"##);
    check(
        r##"<<~EOS.inspect
  a
    b
  c
EOS
"##,
        r##""a\n  b\nc\n""##,
    );
    check(
        r##"<<-EOS.inspect
  a
  EOS
"##,
        r##""  a\n""##,
    );
    // a heredoc's name may start in lowercase (`<<-eoyaml`), where a local's `x <<y` shifts
    check(
        r##"[<<-eos, <<eo].inspect
  hi
  eos
two
eo
"##,
        r##"["  hi\n", "two\n"]"##,
    );
    check(
        r##"YAML.load(<<-eoyaml)['a']
a: 1
eoyaml
"##,
        r##"1"##,
    );
    check(
        r##"y = 1; z = [1]; [y <<2, z <<3, 8 <<1].inspect"##,
        r##"[4, [1, 3], 16]"##,
    );
    check(r##"a, b = 1, 2; [a, b].inspect"##, r##"[1, 2]"##);
    check(r##"a, *b = 1, 2, 3; b.inspect"##, r##"[2, 3]"##);
    check(r##"a, (b, c) = 1, [2, 3]; c"##, r##"3"##);
    check(r##"a = b = 3; a + b"##, r##"6"##);
    check(r##"x = nil; x ||= 4; x"##, r##"4"##);
    check(r##"x = 2; x &&= x + 1; x"##, r##"3"##);
    check(r##"x = 1; x += 1; x *= 3; x"##, r##"6"##);
    check(r##"self.class"##, r##"Object"##);
    check(r##"1.then { |x| x + 1 }"##, r##"2"##);
    check(r##"1.tap { |x| x + 1 }"##, r##"1"##);
    check(r##"[1, 2].frozen?"##, r##"false"##);
    check(r##"'lit'.frozen?"##, r##"false"##);
    check(r##":sym.frozen?"##, r##"true"##);
    check(r##"1.frozen?"##, r##"true"##);
    check(r##"nil.frozen?"##, r##"true"##);
    check(r##""a#{1}".frozen?"##, r##"false"##);
    check(r##"'a'.equal?('a')"##, r##"false"##);
    check(r##":a.equal?(:a)"##, r##"true"##);
    check(
        r##"begin; raise 'boom'; rescue => e; e.message; end"##,
        r##"boom"##,
    );
    check(
        r##"begin; raise ArgumentError; rescue => e; e.message; end"##,
        r##"ArgumentError"##,
    );
    check(
        r##"begin; raise ArgumentError, 'bad'; rescue ArgumentError => e; "#{e.class}: #{e.message}"; end"##,
        r##"ArgumentError: bad"##,
    );
    check(
        r##"begin; [].fetch(1); rescue IndexError => e; e.message; end"##,
        r##"index 1 outside of array bounds: 0...0"##,
    );
    check(
        r##"begin; Integer('x'); rescue => e; e.class; end"##,
        r##"ArgumentError"##,
    );
    check(
        r##"begin; 1/0; rescue ZeroDivisionError; 'z'; ensure; 'e'; end"##,
        r##"z"##,
    );
    check(r##"(raise 'x' rescue 'rescued')"##, r##"rescued"##);
    check_err(r##"raise 'plain'"##, r##"RuntimeError: plain"##);
    check_err(r##"raise ArgumentError, 'arg'"##, r##"ArgumentError: arg"##);
    check_err(r##"raise TypeError.new('te')"##, r##"TypeError: te"##);
    check_err(r##"raise KeyError"##, r##"KeyError: KeyError"##);
    check_err(r##"fail 'f'"##, r##"RuntimeError: f"##);
    check(r##"catch(:done) { throw :done, 5 }"##, r##"5"##);
    check_err(
        r##"throw :nope"##,
        r##"UncaughtThrowError: uncaught throw :nope"##,
    );
    check(
        r##"def f(a, b = 2, *r, k: 3, **o) = [a, b, r, k, o].inspect; f(1, 9, 8, k: 0, z: 1)"##,
        r##"[1, 9, [8], 0, {z: 1}]"##,
    );
    check_err(
        r##"def g(a) = a; g"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check_err(
        r##"def g(a) = a; g(1, 2)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 1)"##,
    );
    // calls of a method found once and kept: redefined, in a class, recursive, mixed
    check(
        r##"def f; 1; end; a = f; def f; 2; end; [a, f].inspect"##,
        r##"[1, 2]"##,
    );
    check(
        r##"class K; def a(x) = b(x) + 1; def b(x) = x * 2; def run = [a(1), a(2), b(3)]; end; K.new.run.inspect"##,
        r##"[3, 5, 6]"##,
    );
    check(r##"def m = __method__; [m, m].inspect"##, r##"[:m, :m]"##);
    check(
        r##"def g(n) = n.zero? ? block_given? : g(n - 1); g(3)"##,
        r##"false"##,
    );
    check(
        r##"def h(n) = n > 0 ? h(n - 1, 0) : 0; begin; h(2); rescue ArgumentError => e; e.message; end"##,
        r##"wrong number of arguments (given 2, expected 1)"##,
    );
    check(r##"def d(_, _) = _; d(1, 2)"##, r##"1"##);
    check(
        r##"def r(n) = n < 2 ? n : r(n - 1) + r(n - 2); def r2(n) = r(n) * 2; [r2(10), r(10)].inspect"##,
        r##"[110, 55]"##,
    );
    check_err(
        r##"def h(k:) = k; h"##,
        r##"ArgumentError: missing keyword: :k"##,
    );
    check_err(
        r##"->(x) { x }.call"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check(
        r##"proc { |x, y| [x, y] }.call(1).inspect"##,
        r##"[1, nil]"##,
    );
    check(
        r##"proc { |x, y| [x, y] }.call([1, 2]).inspect"##,
        r##"[1, 2]"##,
    );
    // plain block parameters bound in order: taken apart, missing, extra, a lambda's count
    check(
        r##"[[1, 2], [3, 4]].map { |a, b| b }.inspect"##,
        r##"[2, 4]"##,
    );
    check(r##"[1].map { |a, b| b }.inspect"##, r##"[nil]"##);
    check_err(
        r##"->(x, y) { x }.call(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check(
        r##"proc { |a, c| [a, c] }.call(1, 2, 3).inspect"##,
        r##"[1, 2]"##,
    );
    check(r##"[[1, 2]].map { |_, _| _ }.inspect"##, r##"[1]"##);
    check(
        r##"{a: 1}.map { |k, v| [v, k] }.inspect"##,
        r##"[[1, :a]]"##,
    );
    check(r##"lambda { |x| x }.lambda?"##, r##"true"##);
    check(r##"[1, 2].each { |x| break x * 10 if x == 2 }"##, r##"20"##);
    check(
        r##"[1, 2, 3].map { |x| next 0 if x == 2; x }.inspect"##,
        r##"[1, 0, 3]"##,
    );
    check(r##"def m; yield 1, 2; end; m { |a, b| a + b }"##, r##"3"##);
    check(r##"def m2; block_given?; end; m2"##, r##"false"##);
    check(r##"def m3(&b) = b.call(2); m3 { |x| x * 3 }"##, r##"6"##);
    check(
        r##"x = 0; while x < 5; x += 1; break if x == 3; end; x"##,
        r##"3"##,
    );
    check(r##"x = 0; until x >= 3; x += 1; end; x"##, r##"3"##);
    check(
        r##"r = []; for i in 1..3; r << i; end; r.inspect"##,
        r##"[1, 2, 3]"##,
    );
    check(
        r##"r = []; [1, 2].each do |i| r << i end; r.inspect"##,
        r##"[1, 2]"##,
    );
    check(r##"case 'abc' when /b/ then 'm' else 'n' end"##, r##"m"##);
    check(
        r##"case 5 when Integer then 'int' when String then 'str' end"##,
        r##"int"##,
    );
    check(r##"case 5 when 1, 5 then 'hit' end"##, r##"hit"##);
    check(
        r##"x = if false then 1 elsif nil then 2 else 3 end; x"##,
        r##"3"##,
    );
    check(r##"(true and false) || 'ok'"##, r##"ok"##);
    check(r##"!!(1 && nil)"##, r##"false"##);
    check(r##"1.instance_variable_get(:@a).inspect"##, r##"nil"##);
    check(r##"Comparable.is_a?(Module)"##, r##"true"##);
    check(r##"String.name"##, r##"String"##);
    check(r##"Integer.to_s"##, r##"Integer"##);
    check(r##"String.new('a')"##, r##"a"##);
}

#[test]
fn eval_recursion_is_stopped_by_the_call_depth_budget() {
    check_err(
        r##"def f; eval('f'); end; f"##,
        r##"SystemStackError: stack level too deep"##,
    );
    check_err(
        r##"begin; eval('1 +'); rescue => e; 'rescued'; end rescue 'not a StandardError'"##,
        r##"SyntaxError: (eval):1: syntax error, unexpected end-of-input"##,
    );
}

/// Unary plus is a call of `+@`, which numbers and strings have and nil, booleans,
/// symbols, arrays and hashes do not.
#[test]
fn unary_plus_calls_plus_at() {
    check(
        r##"[(+false rescue $!.class), (+nil rescue $!.class), (+[1] rescue $!.class), +1, +1.5, +'s', (+:s rescue $!.class), +(2**64), (x = 3; +x), -+2].inspect"##,
        r##"[NoMethodError, NoMethodError, NoMethodError, 1, 1.5, "s", NoMethodError, 18446744073709551616, 3, -2]"##,
    );
    check_err(
        r##"+false"##,
        r##"NoMethodError: undefined method '+@' for false"##,
    );
    check_err(
        r##"+{}"##,
        r##"NoMethodError: undefined method '+@' for an instance of Hash"##,
    );
}

/// A number right after a unary plus is a literal: methods bind to it (`+7.fdiv(4)` is
/// `(+7).fdiv(4)`).
#[test]
fn unary_plus_before_a_number_is_the_literal() {
    check(
        r##"[+7.fdiv(4), +7.fdiv(4).round.eql?(7.0), +2 ** 2, +1.5.floor, (+ 3).class].inspect"##,
        r##"[1.75, false, 4, 1, Integer]"##,
    );
}

#[test]
fn quoted_labels_in_array_literals_and_arguments() {
    // an array or argument list ending in `"name": value` pairs holds them as one hash
    check(r##"["a": 1, "b": 2].inspect"##, r##"[{a: 1, b: 2}]"##);
    check(r##"[1, "a#{1}": 2].inspect"##, r##"[1, {a1: 2}]"##);
    check(r##"f = ->(*a) { a }; f.("a": 1).inspect"##, r##"[{a: 1}]"##);
    check(r##"x = true; [x ? "a": "b"].inspect"##, r##"["a"]"##);
    check(
        r##"x = false; [x ? "a" : "b", "c": 3].inspect"##,
        r##"["b", {c: 3}]"##,
    );
    check(
        r##"[
  "name": "x",
  "config": {}
].to_json"##,
        r##"[{"name":"x","config":{}}]"##,
    );
}

/// A multiple assignment may start with its splat (`*init, last = list`), or be one.
#[test]
fn assignment_starting_with_a_splat() {
    check(
        r##"*init, last = [1, 2, 3]; [init, last].inspect"##,
        r##"[[1, 2], 3]"##,
    );
    check(r##"*all = 5; all.inspect"##, r##"[5]"##);
    check(
        r##"*a, (b, c) = 1, [2, 3]; [a, b, c].inspect"##,
        r##"[[1], 2, 3]"##,
    );
}

/// `__LINE__` is the template's line.
#[test]
fn line_keyword() {
    check(r##"[__LINE__, __LINE__ + 1].inspect"##, r##"[1, 2]"##);
}

/// `"#@name"`, `"#$name"`: a variable interpolated without braces; `#` before anything
/// else is text.
#[test]
fn variables_interpolated_without_braces() {
    check(
        r##"@x = 'a'; $g = 7; ["#@x-#{1}", "#@nope.", "#$g", "#@1 #@ #$ #", 'q#@x', %W[#@x y], /#@x/.source].inspect"##,
        r##"["a-1", ".", "7", "\#@1 \#@ \#$ #", "q\#@x", ["a", "y"], "a"]"##,
    );
}

#[test]
fn percent_literals_with_quotes_and_colons() {
    check(
        r##"["a12" =~ %r"\d+", %r'a/b'.source, %q"it's", %w:a b:, %i'x y', %Q"x#{1}"].inspect"##,
        r##"[1, "a/b", "it's", ["a", "b"], [:x, :y], "x1"]"##,
    );
}
