//! String: slicing, whitespace, split/tr, substitution with back-references, escapes in `inspect`, `%` formatting, frozen literals and frozen strings, shell words.

use super::{check, check_err};

#[test]
fn basics() {
    check(r##"'abc'.upcase"##, r##"ABC"##);
    check(r##"'ABC'.downcase"##, r##"abc"##);
    check(r##"'hello world'.capitalize"##, r##"Hello world"##);
    check(r##"'Hello'.swapcase"##, r##"hELLO"##);
    check(r##"'abc'.length"##, r##"3"##);
    check(r##"'héllo'.length"##, r##"5"##);
    check(r##"'héllo'.bytesize"##, r##"6"##);
    check(r##"'abc'.reverse"##, r##"cba"##);
    check(r##"'abc' * 3"##, r##"abcabcabc"##);
    check(r##"'a' + 'b'"##, r##"ab"##);
    check(r##"'abc' <=> 'abd'"##, r##"-1"##);
    check(r##"'abc' == 'abc'"##, r##"true"##);
    check(r##"'abc'.eql?('abc')"##, r##"true"##);
    check(r##"'abc'.equal?('abc')"##, r##"false"##);
    check(r##"'a'.ord"##, r##"97"##);
    check(r##"'abc'.sum"##, r##"294"##);
    check(r##"'abc'.hash == 'abc'.hash"##, r##"true"##);
    check(r##"'abc'.empty?"##, r##"false"##);
    check(r##"''.empty?"##, r##"true"##);
    check(r##"'abc'.include?('b')"##, r##"true"##);
    check(r##"'abc'.start_with?('ab')"##, r##"true"##);
    check(r##"'abc'.start_with?('x', 'a')"##, r##"true"##);
    check(r##"'abc'.end_with?('bc')"##, r##"true"##);
    check(r##"'abc'.index('c').inspect"##, r##"2"##);
    check(r##"'abc'.index('z').inspect"##, r##"nil"##);
    check(r##"'abcabc'.rindex('b')"##, r##"4"##);
    check(r##"'abc'.count('a-b')"##, r##"2"##);
    check(r##"'hello'.count('l')"##, r##"2"##);
    check(r##"'abc'.chars.inspect"##, r##"["a", "b", "c"]"##);
    check(r##"'abc'.bytes.inspect"##, r##"[97, 98, 99]"##);
    check(r##""a\nb\nc".lines.inspect"##, r##"["a\n", "b\n", "c"]"##);
    check(r##""a\nb".each_line.to_a.inspect"##, r##"["a\n", "b"]"##);
    check(r##"'abc'.each_char.to_a.inspect"##, r##"["a", "b", "c"]"##);
    check(r##"'abc'.succ"##, r##"abd"##);
    check(r##"'az'.next"##, r##"ba"##);
    check(r##"'zz'.succ"##, r##"aaa"##);
    check(r##"'a9'.succ"##, r##"b0"##);
    check(r##"'abc'.frozen?"##, r##"false"##);
    check(r##"'abc'.dup.frozen?"##, r##"false"##);
    check(r##":abc.to_s.frozen?"##, r##"false"##);
    check(r##"'abc'.to_sym.inspect"##, r##":abc"##);
    check(r##"'a b'.to_sym.inspect"##, r##":"a b""##);
    check(r##"'abc'.to_s"##, r##"abc"##);
    check(r##"'abc'.to_str"##, r##"abc"##);
    check(r##"'abc'.class"##, r##"String"##);
    check(r##"'abc'.is_a?(Comparable)"##, r##"true"##);
}

#[test]
fn slicing() {
    check(r##"'hello'[1]"##, r##"e"##);
    check(r##"'hello'[1..3]"##, r##"ell"##);
    check(r##"'hello'[1...3]"##, r##"el"##);
    check(r##"'hello'[1, 2]"##, r##"el"##);
    check(r##"'hello'[-3..]"##, r##"llo"##);
    check(r##"'hello'[-1]"##, r##"o"##);
    check(r##"'hello'[10].inspect"##, r##"nil"##);
    check(r##"'hello'[5].inspect"##, r##"nil"##);
    check(r##"'hello'[5, 2].inspect"##, r##""""##);
    check(r##"'hello'[6, 2].inspect"##, r##"nil"##);
    check(r##"'hello'['ll']"##, r##"ll"##);
    check(r##"'hello'['x'].inspect"##, r##"nil"##);
    check(r##"'hello'[/l+/]"##, r##"ll"##);
    check(r##"'hello'.slice(0, 2)"##, r##"he"##);
    check(r##"'hello'.chr"##, r##"h"##);
    check(r##"s = 'hello'; s[0] = 'J'; s"##, r##"Jello"##);
    check(r##"s = 'hello'; s['ll'] = 'LL'; s"##, r##"heLLo"##);
    check(
        r##"'hello world'.partition(' ').inspect"##,
        r##"["hello", " ", "world"]"##,
    );
    check(
        r##"'a.b.c'.rpartition('.').inspect"##,
        r##"["a.b", ".", "c"]"##,
    );
    check(r##"'hello'.delete('l')"##, r##"heo"##);
    check(r##"'hello'.squeeze"##, r##"helo"##);
    check(r##"'hello'.squeeze('l')"##, r##"helo"##);
    check(r##"'aaa'.delete_prefix('a')"##, r##"aa"##);
    check(r##"'abc'.delete_suffix('c')"##, r##"ab"##);
    check(r##"s = 'hello'; s[1..2] = 'EL'; s"##, r##"hELlo"##);
    check(r##"s = 'hello'; s[1..] = '!'; s"##, r##"h!"##);
    check(r##"s = 'hello'; s[-3...-1] = 'X'; s"##, r##"heXo"##);
    check(r##"s = 'hello'; s[5..] = '!'; s"##, r##"hello!"##);
    check_err(
        r##"s = 'hi'; s[5..6] = 'x'"##,
        r##"RangeError: 5..6 out of range"##,
    );
}

#[test]
fn whitespace() {
    check(r##"'  hi  '.strip"##, r##"hi"##);
    check(r##"'  hi  '.lstrip"##, r##"hi  "##);
    check(r##"'  hi  '.rstrip"##, r##"  hi"##);
    check(r##""hi\n".chomp"##, r##"hi"##);
    check(r##""hi\r\n".chomp"##, r##"hi"##);
    check(r##"'hi!'.chomp('!')"##, r##"hi"##);
    check(r##"'hi'.chop"##, r##"h"##);
    check(r##""\t x \n".strip"##, r##"x"##);
    check(r##"'x'.ljust(3, '.') + '|'"##, r##"x..|"##);
    check(r##"'x'.rjust(4, '0')"##, r##"000x"##);
    check(r##"'x'.center(5, '*')"##, r##"**x**"##);
    check(r##"'x'.center(6)"##, r##"  x   "##);
    check(r##"'ab'.ljust(1)"##, r##"ab"##);
    check(r##"'abc'.ljust(7, '12')"##, r##"abc1212"##);
}

#[test]
fn split_join() {
    check(
        r##"'a,b,,c'.split(',').inspect"##,
        r##"["a", "b", "", "c"]"##,
    );
    check(
        r##"'a,b,,c,,'.split(',').inspect"##,
        r##"["a", "b", "", "c"]"##,
    );
    check(
        r##"'a,b,,c,,'.split(',', -1).inspect"##,
        r##"["a", "b", "", "c", "", ""]"##,
    );
    check(r##"'a b  c'.split.inspect"##, r##"["a", "b", "c"]"##);
    check(r##"' a b '.split(' ').inspect"##, r##"["a", "b"]"##);
    check(r##"'a,b,c'.split(',', 2).inspect"##, r##"["a", "b,c"]"##);
    check(r##"'abc'.split('').inspect"##, r##"["a", "b", "c"]"##);
    check(r##"'a1b2c'.split(/\d/).inspect"##, r##"["a", "b", "c"]"##);
    check(
        r##"'a1b2c'.split(/(\d)/).inspect"##,
        r##"["a", "1", "b", "2", "c"]"##,
    );
    check(r##"''.split(',').inspect"##, r##"[]"##);
    check(r##"'a-b_c'.tr('-_', '  ')"##, r##"a b c"##);
    check(r##"'hello'.tr('el', 'ip')"##, r##"hippo"##);
    check(r##"'hello'.tr('a-y', 'b-z')"##, r##"ifmmp"##);
    check(r##"'hello'.tr('^l', '*')"##, r##"**ll*"##);
    check(r##"'hello'.delete('^l')"##, r##"ll"##);
    check(r##"%w[a b c].join('-')"##, r##"a-b-c"##);
    check(r##"'abc'.each_char.map(&:upcase).join"##, r##"ABC"##);
}

#[test]
fn substitution() {
    check(
        r##"'Hello World'.gsub(/o/) { |m| m.upcase }"##,
        r##"HellO WOrld"##,
    );
    check(r##"'Hello World'.gsub('o', '0')"##, r##"Hell0 W0rld"##);
    check(r##"'Hello World'.sub('o', '0')"##, r##"Hell0 World"##);
    check(r##"'a-b-c'.gsub('-', '_')"##, r##"a_b_c"##);
    check(r##"'hello'.gsub(/l/, 'l' => 'L')"##, r##"heLLo"##);
    check(
        r##"'john smith'.gsub(/(\w+) (\w+)/, '\2 \1')"##,
        r##"smith john"##,
    );
    check(
        r##"'john smith'.sub(/(?<first>\w+) (?<last>\w+)/, '\k<last>')"##,
        r##"smith"##,
    );
    check(r##"'a.b'.gsub('.', '\\')"##, r##"a\b"##);
    check(r##"'aaa'.sub(/a/) { $~[0].upcase }"##, r##"Aaa"##);
    check(r##"'x'.gsub(/x/, '\\\\')"##, r##"\"##);
    check(
        r##"'path/to/file'.gsub('/', '\\/')"##,
        r##"path\/to\/file"##,
    );
    check(r##"'abc'.gsub(/b/, '[\0]')"##, r##"a[b]c"##);
    check(r##"'abc'.gsub(/(b)/, '<\1>')"##, r##"a<b>c"##);
    check(r##"'abc'.gsub('', '-')"##, r##"-a-b-c-"##);
    check(r##"'hello'.scan(/l/).inspect"##, r##"["l", "l"]"##);
    check(
        r##"'a1b22c333'.scan(/[a-z]\d+/).inspect"##,
        r##"["a1", "b22", "c333"]"##,
    );
    check(
        r##"'a1b22'.scan(/([a-z])(\d+)/).inspect"##,
        r##"[["a", "1"], ["b", "22"]]"##,
    );
    check(r##"'hello world' =~ /o/"##, r##"4"##);
    check(r##"('hello' =~ /z/).inspect"##, r##"nil"##);
    check(r##"'hello'.match?(/ell/)"##, r##"true"##);
    check(r##"'hello'.match(/l(l)/)[1]"##, r##"l"##);
    check(r##"'%s and %s' % ['a', 'b']"##, r##"a and b"##);
    check(r##"'abc'.replace('x')"##, r##"x"##);
    check(r##"'abc'.insert(1, 'X')"##, r##"aXbc"##);
    check(r##"'abc'.prepend('>')"##, r##">abc"##);
    check(r##"s = +'a'; s << 'b' << 'c'; s"##, r##"abc"##);
    check(r##"s = +'a'; s.concat('b', 'c'); s"##, r##"abc"##);
    check(r##"'abc'.unpack('C*').inspect"##, r##"[97, 98, 99]"##);
    check(r##"'hello'.unpack1('H*')"##, r##"68656c6c6f"##);
}

#[test]
fn escapes_inspect() {
    check(r##""tab\t".inspect"##, r##""tab\t""##);
    check(r##""nl\n".inspect"##, r##""nl\n""##);
    check(r##""q\"".inspect"##, r##""q\"""##);
    check(r##"'sq\''.inspect"##, r##""sq'""##);
    check(r##""back\\slash".inspect"##, r##""back\\slash""##);
    check(r##""\e[0m".inspect"##, r##""\e[0m""##);
    check(r##""\u00e9".inspect"##, r##""é""##);
    check(r##""\x00\x01".inspect"##, r##""\u0000\u0001""##);
    check(r##""\#{x}".inspect"##, r##""\#{x}""##);
    check(r##"'#{x}'.inspect"##, r##""\#{x}""##);
    check(r##""a#b".inspect"##, r##""a#b""##);
    check(r##""\u2603".inspect"##, r##""☃""##);
    check(r##""\r\f\v\a\b".inspect"##, r##""\r\f\v\a\b""##);
    check(r##""é".bytes.inspect"##, r##"[195, 169]"##);
    check(r##"'a\nb'"##, r##"a\nb"##);
    check(r##""a\sb""##, r##"a b"##);
    check(r##""\101\x41\u0041""##, r##"AAA"##);
    check(r##"'abc'.dump"##, r##""abc""##);
    check(r##""é".dump"##, r##""\u00E9""##);
    check(r##""a\tb".dump"##, r##""a\tb""##);
}

#[test]
fn case_and_format() {
    check(
        r##"'hello_world'.split('_').map(&:capitalize).join"##,
        r##"HelloWorld"##,
    );
    check(
        r##"'HelloWorld'.gsub(/([A-Z])/) { '_' + $1.downcase }"##,
        r##"_hello_world"##,
    );
    check(r##"'snake_case'.tr('_', '-')"##, r##"snake-case"##);
    check(r##"'ABC'.casecmp('abc')"##, r##"0"##);
    check(r##"'ABC'.casecmp?('abc')"##, r##"true"##);
    check(r##"'abc'.upcase!.inspect"##, r##""ABC""##);
    check(r##"'ABC'.upcase!.inspect"##, r##"nil"##);
    check(r##"'%-5s|' % 'ab'"##, r##"ab   |"##);
    check(r##"'%05d' % 42"##, r##"00042"##);
    check(r##"'%x' % 255"##, r##"ff"##);
    check(r##"'%o' % 8"##, r##"10"##);
    check(r##"'%b' % 5"##, r##"101"##);
    check(r##"'%e' % 12345.678"##, r##"1.234568e+04"##);
    check(r##"'%.2f' % 2.345"##, r##"2.34"##);
    check(r##"'%10.3f|' % 3.14159"##, r##"     3.142|"##);
    check(r##"'%+d' % 5"##, r##"+5"##);
    check(r##"'%s' % nil"##, r##""##);
    check(r##"'%p' % [nil]"##, r##"nil"##);
    check(r##"'%c' % 65"##, r##"A"##);
    check(r##"'%%'  % []"##, r##"%"##);
    check(r##"'%-10s|%5s' % ['a', 'b']"##, r##"a         |    b"##);
    check(r##"'%<a>s-%<b>d' % {a: 'x', b: 2}"##, r##"x-2"##);
    check(r##"'%{a}-%{b}' % {a: 'x', b: 2}"##, r##"x-2"##);
    check(r##"'abc'.encoding"##, r##"UTF-8"##);
    check(r##"'abc'.valid_encoding?"##, r##"true"##);
    check(r##"'abc'.ascii_only?"##, r##"true"##);
    check(r##"'é'.ascii_only?"##, r##"false"##);
    check(r##"'abc'.unicode_normalize rescue 'no'"##, r##"abc"##);
}

#[test]
fn errors() {
    check_err(
        r##"'a' + 1"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"'a' + nil"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(r##"'a' * -1"##, r##"ArgumentError: negative argument"##);
    check_err(
        r##"'a' * 'b'"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
    check_err(
        r##"'abc'.foo"##,
        r##"NoMethodError: undefined method 'foo' for an instance of String"##,
    );
    check_err(
        r##"nil.upcase"##,
        r##"NoMethodError: undefined method 'upcase' for nil"##,
    );
    check_err(
        r##"'%d' % 'x'"##,
        r##"ArgumentError: invalid value for Integer(): "x""##,
    );
    check_err(
        r##"'%d' % nil"##,
        r##"TypeError: can't convert nil into Integer"##,
    );
    check_err(
        r##"'%s %s' % ['a']"##,
        r##"ArgumentError: too few arguments"##,
    );
}

#[test]
fn file_paths() {
    check(r##"File.join('a', ['b', ['c']], 'd')"##, r##"a/b/c/d"##);
    check(r##"File.join('a/', '/b')"##, r##"a/b"##);
    check(r##"File.join('', 'x')"##, r##"/x"##);
    check(r##"File.join"##, r##""##);
    check(
        r##"File.join('/var/vcap/packages', 'app', File.dirname('index.php'))"##,
        r##"/var/vcap/packages/app/."##,
    );
    check_err(
        r##"File.join('/var/vcap/packages', nil, 'x')"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check_err(
        r##"File.join('a', :b)"##,
        r##"TypeError: no implicit conversion of Symbol into String"##,
    );
    check_err(
        r##"File.join('a', [1])"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
}

/// `casecmp` and `casecmp?` answer nil for anything but a string.
#[test]
fn casecmp_of_a_non_string_is_nil() {
    check(
        r##"['a'.casecmp?(nil), 'a'.casecmp(1), 'a'.casecmp?(:A), 'a'.casecmp('B'), 'a'.casecmp?('A')].inspect"##,
        r##"[nil, nil, nil, -1, true]"##,
    );
}

/// `Shellwords.split` reads quotes and escapes as its scanner does, and refuses an unmatched
/// quote.
#[test]
fn shell_words() {
    check(
        r##"Shellwords.split(%q{'a b' "c d" e\ f}).inspect"##,
        r##"["a b", "c d", "e f"]"##,
    );
    check(
        r##"Shellwords.split(%q{"a\$b\qc\\\\d\"e"}).inspect"##,
        r##"["a$b\\qc\\d\"e"]"##,
    );
    check(
        r##"Shellwords.split(%q{x'y'z"w" a"b c"d}).inspect"##,
        r##"["xyzw", "ab cd"]"##,
    );
    check(
        r##"Shellwords.split("tab\there\nnew").inspect"##,
        r##"["tab", "here", "new"]"##,
    );
    check(r##"Shellwords.split(%q{a\\}).inspect"##, r##"["a\\"]"##);
    check(r##"'a  b'.shellsplit.inspect"##, r##"["a", "b"]"##);
    check_err(
        r##"Shellwords.split(%q{quote"d})"##,
        r##"ArgumentError: Unmatched quote: "quote\"d""##,
    );
    check_err(
        r##"Shellwords.split(%q{it's})"##,
        r##"ArgumentError: Unmatched quote: "it's""##,
    );
    check_err(
        r##"'"a\\'.shellsplit"##,
        r##"ArgumentError: Unmatched quote: "\"a\\""##,
    );
}

/// Strings Ruby hands out frozen, and `freeze`: methods that would change one raise
/// `FrozenError`; copies are frozen as Ruby makes them.
#[test]
fn frozen_strings() {
    check(
        r##"[nil.to_s, true.to_s, false.inspect, String.name, :a.name].map(&:frozen?).inspect"##,
        r##"[true, true, true, true, true]"##,
    );
    check(
        r##"[nil.inspect, String.to_s, :a.to_s, 1.to_s, "#{nil}", [1].join].map(&:frozen?).inspect"##,
        r##"[false, false, false, false, false, false]"##,
    );
    check(
        r##"s = 'a'.freeze; [s.frozen?, s.dup.frozen?, s.clone.frozen?, (+s).frozen?, s.upcase.frozen?, (s + 'b').frozen?].inspect"##,
        r##"[true, false, true, false, false, false]"##,
    );
    check(
        r##"[(-'a').frozen?, (+'a').frozen?, 'a'.clone.frozen?].inspect"##,
        r##"[true, false, false]"##,
    );
    check(r##"s = 'x'.freeze; s += 'y'; s"##, r##"xy"##);
    check_err(
        r##"false.to_s << 'x'"##,
        r##"FrozenError: can't modify frozen String: "false""##,
    );
    check_err(
        r##"'x'.freeze.upcase!"##,
        r##"FrozenError: can't modify frozen String: "x""##,
    );
    check_err(
        r##"'x'.freeze.sub!('y', 'z')"##,
        r##"FrozenError: can't modify frozen String: "x""##,
    );
    check_err(
        r##"true.class.name.force_encoding('UTF-8')"##,
        r##"FrozenError: can't modify frozen String: "TrueClass""##,
    );
    check_err(
        r##"s = 'ab'.freeze; s[0] = 'c'"##,
        r##"FrozenError: can't modify frozen String: "ab""##,
    );
    check(
        r##"begin; nil.to_s << 'a'; rescue RuntimeError => e; e.class; end"##,
        r##"FrozenError"##,
    );
}

/// Characters Ruby does not count as printable are escaped by `inspect`: controls (DEL and
/// C1 too) and the line and paragraph separators; format characters are not.
#[test]
fn inspect_escapes_what_is_not_printable() {
    check(r##""ab\x7f".inspect"##, r##""ab\u007F""##);
    check(
        r##""\u0085\u0080\u009f".inspect"##,
        r##""\u0085\u0080\u009F""##,
    );
    check(r##""a\u2028b\u2029".inspect"##, r##""a\u2028b\u2029""##);
    check(r##""\u0001\u001f".inspect"##, r##""\u0001\u001F""##);
    // format characters and a no-break space are printed as they are
    check(
        r##""\u200b\u00ad\u00a0".inspect == "\"\u200b\u00ad\u00a0\"""##,
        r##"true"##,
    );
    check(r##"["\u2028"].inspect"##, r##"["\u2028"]"##);
}

#[test]
fn slice_bang_and_appending_code_points() {
    check(
        r##"s = 'abcdef'; [s.slice!(1..2), s].inspect"##,
        r##"["bc", "adef"]"##,
    );
    check(
        r##"s = 'abcdef'; [s.slice!(1), s.slice!(-1), s].inspect"##,
        r##"["b", "f", "acde"]"##,
    );
    check(
        r##"s = 'abcdef'; [s.slice!('cd'), s.slice!('zz'), s].inspect"##,
        r##"["cd", nil, "abef"]"##,
    );
    check(
        r##"s = 'abcdef'; [s.slice!(/e./), s].inspect"##,
        r##"["ef", "abcd"]"##,
    );
    check(
        r##"s = 'abcdef'; [s.slice!(2, 3), s].inspect"##,
        r##"["cde", "abf"]"##,
    );
    check(
        r##"s = 'héllo'; [s.slice!(1, 2), s.slice!(9), s].inspect"##,
        r##"["él", nil, "hlo"]"##,
    );
    check_err(
        r##"'0755'.dup << -1"##,
        r##"RangeError: -1 out of char range"##,
    );
    check_err(
        r##"'a'.dup << 0x110000"##,
        r##"RangeError: 1114112 out of char range"##,
    );
    check_err(
        r##"'a'.dup << 0xD800"##,
        r##"RangeError: invalid codepoint 0xD800 in UTF-8"##,
    );
    check(r##"'a'.dup << 233 << 0x263a"##, r##"aé☺"##);
    check_err(
        r##"'abc'.freeze.slice!(1)"##,
        r##"FrozenError: can't modify frozen String: "abc""##,
    );
}

#[test]
fn succ_steps_letters_and_digits_beyond_ascii() {
    check(
        r##"['éu'.succ, 'été'.succ, 'ét'.succ, 'éz'.succ, 'zé'.succ, 'é'.succ, 'ÿ'.succ, '日本'.succ].inspect"##,
        r##"["év", "étê", "éu", "êa", "zê", "ê", "Ā", "日札"]"##,
    );
    check(
        r##"['a9'.succ, 'Zz'.succ, '1.9'.succ, '-'.succ, '٩'.succ, 'a٩'.succ].inspect"##,
        r##"["b0", "AAa", "2.0", ".", "١٠", "b٠"]"##,
    );
}

/// `index` and `rindex` from a start position, from the end when negative; `rindex` finds
/// the last match starting by it, one that overlaps a later one too.
#[test]
fn index_and_rindex_from_a_position() {
    check(
        r##"['abcabc'.rindex('b', 3), 'aaa'.rindex('aa'), 'abc'.rindex('', 1), 'abc'.rindex(''), 'abc'.rindex('c', -1), 'abc'.rindex('a', -4), 'abc'.rindex('c', 10)].inspect"##,
        r##"[1, 1, 1, 3, 2, nil, 2]"##,
    );
    check(
        r##"['aaa'.rindex(/aa/), 'abcabc'.rindex(/b/, 3), 'abcabc'.rindex(/c/, -2), 'héllo héllo'.rindex(/l+/), 'abc'.rindex(//), 'hello'.rindex('l', 1)].inspect"##,
        r##"[1, 1, 2, 9, 3, nil]"##,
    );
    check(
        r##"['abcabc'.index('c', -2), 'abc'.index('a', -4), 'abc'.index('', 3), 'abc'.index('', 4), 'abcabc'.index(/c/, -2), 'héllo'.index('l', 3)].inspect"##,
        r##"[5, nil, 3, nil, 5, 3]"##,
    );
}

/// `lines` and `each_line` take a separator (nil: the whole text; `""`: paragraphs) and
/// `chomp:`; `split` with a block gives it each part and answers the string.
#[test]
fn lines_take_a_separator_and_chomp() {
    check(
        r##"["a\nb\n".lines(chomp: true), "a\r\nb\n".each_line(chomp: true).to_a, 'a,b,c'.lines(','), 'a,b,,c'.lines(',', chomp: true), "a\nb".lines(nil, chomp: true)].inspect"##,
        r##"[["a", "b"], ["a", "b"], ["a,", "b,", "c"], ["a", "b", "", "c"], ["a\nb"]]"##,
    );
    check(
        r##"["a\n\n\nb\n".lines(''), "\n\na\n\n\nb".lines(''), ''.lines].inspect"##,
        r##"[["a\n\n", "b\n"], ["\n\n", "a\n\n", "b"], []]"##,
    );
    check(
        r##""xxayyazz".each_line("a", chomp: true).map(&:upcase).inspect"##,
        r##"["XX", "YY", "ZZ"]"##,
    );
    check(
        r##"r = []; "a\nb".each_line(chomp: true) { |l| r << l }; r.inspect"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"flags = []; 'net_admin,sys_time'.split(',') { |c| flags << "--cap-add=#{c}" }; flags.join(' ')"##,
        r##"--cap-add=net_admin --cap-add=sys_time"##,
    );
    check(r##"'a,b'.split(',') { |x| x }"##, r##"a,b"##);
    check_err(
        r##""abc".lines(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
}

/// `encode` to UTF-8 or ASCII with the options that change the text: XML escaping, newline
/// conversions, replacing what ASCII lacks.
#[test]
fn encode_escapes_for_xml_and_converts_newlines() {
    check(
        r##"s = "a<b>&\"c'"; [s.encode(xml: :text), s.encode(xml: :attr), "é".encode(xml: :text)].inspect"##,
        r##"["a&lt;b&gt;&amp;\"c'", "\"a&lt;b&gt;&amp;&quot;c&apos;\"", "é"]"##,
    );
    check(
        r##"["a\r\nb\rc\n".encode(universal_newline: true), "a\nb".encode(crlf_newline: true), "a\nb".encode(cr_newline: true)].inspect"##,
        r##"["a\nb\nc\n", "a\r\nb", "a\rb"]"##,
    );
    check(
        r##"["café".encode("ASCII", undef: :replace), "café".encode("US-ASCII", undef: :replace, replace: "*"), "café".encode("UTF-8")].inspect"##,
        r##"["caf?", "caf*", "café"]"##,
    );
    check(r##"s = 'a'; s.encode.equal?(s)"##, r##"false"##);
    check_err(
        r##""café".encode("ASCII")"##,
        r##"Encoding::UndefinedConversionError: U+00E9 from UTF-8 to US-ASCII"##,
    );
    check_err(
        r##""x".encode(xml: :bogus)"##,
        r##"ArgumentError: unexpected value for xml option: bogus"##,
    );
}

/// `CGI.unescapeHTML` decodes what `escapeHTML` writes and numeric references; `Math.hypot`.
#[test]
fn unescape_html_and_hypot() {
    check(
        r##"CGI.unescapeHTML('&lt;a&gt; &amp; &quot;x&quot; &#39;y&#39; &#x41;&#66; &amp;lt; &bogus; & &#1234567; &#x263A;')"##,
        r##"<a> & "x" 'y' AB &lt; &bogus; & &#1234567; ☺"##,
    );
    check(
        r##"[Math.hypot(3, 4), Math.hypot(1.5, 2)].inspect"##,
        r##"[5.0, 2.5]"##,
    );
}

/// `count`, `delete` and `squeeze` with several sets take the characters in all of them.
#[test]
fn character_sets_intersect() {
    check(
        r##"['hello world'.count('lo', 'o'), 'hello'.count('a-z', '^l'), 'hello'.delete('lo', 'o'), 'aaabbbccc'.squeeze('a-c', 'b'), 'aaabbb'.squeeze].inspect"##,
        r##"[2, 3, "hell", "aaabccc", "ab"]"##,
    );
    check_err(
        r##"'hello'.count"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1+)"##,
    );
}

#[test]
fn capitalize_writes_the_title_case() {
    check(
        r##"%w[ß ǆ ǉ ﬁ ﬃ և ŉ ᾀ ᾳ ᾗ éCOLE].map(&:capitalize).join(' ') + :ßx.capitalize.to_s"##,
        r##"Ss ǅ ǈ Fi Ffi Եւ ʼN ᾈ ᾼ ᾟ ÉcoleSsx"##,
    );
}
