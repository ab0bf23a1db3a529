//! Regexp and MatchData: literals, captures (numbered and named), anchors, escaping, `$~`.

use super::{check, check_err};

#[test]
fn regexps() {
    check(r##"/a+/.inspect"##, r##"/a+/"##);
    check(r##"/a+/i.inspect"##, r##"/a+/i"##);
    check(r##"/a\/b/.inspect"##, r##"/a\/b/"##);
    check(r##"/a+/.source"##, r##"a+"##);
    check(r##"/x/mix.inspect"##, r##"/x/mix"##);
    check(r##"/(\d+)-(\d+)/.match('10-20')[0]"##, r##"10-20"##);
    check(r##"/(\d+)-(\d+)/.match('10-20')[2]"##, r##"20"##);
    check(
        r##"/(\d+)-(\d+)/.match('10-20').captures.inspect"##,
        r##"["10", "20"]"##,
    );
    check(r##"/(?<a>\d+)-(?<b>\d+)/.match('10-20')[:b]"##, r##"20"##);
    check(r##"/(?<a>\d+)-(?<b>\d+)/.match('10-20')['a']"##, r##"10"##);
    check(
        r##"/(?<a>\d+)-(?<b>\d+)/.match('10-20').named_captures.inspect"##,
        r##"{"a" => "10", "b" => "20"}"##,
    );
    check(
        r##"/(?<a>\d+)-(?<b>\d+)/.match('10-20').names.inspect"##,
        r##"["a", "b"]"##,
    );
    check(r##"/(\d+)/.match('ab12cd').pre_match"##, r##"ab"##);
    check(r##"/(\d+)/.match('ab12cd').post_match"##, r##"cd"##);
    check(r##"/(\d+)/.match('ab12cd').begin(0)"##, r##"2"##);
    check(r##"/(\d+)/.match('ab12cd').end(0)"##, r##"4"##);
    check(
        r##"/(\d+)/.match('ab12cd').to_a.inspect"##,
        r##"["12", "12"]"##,
    );
    check(r##"/(\d+)/.match('abcd').inspect"##, r##"nil"##);
    check(r##"/z/.match?('abc')"##, r##"false"##);
    check(r##"/b/ =~ 'abc'"##, r##"1"##);
    check(r##"('abc' =~ /z/).inspect"##, r##"nil"##);
    check(r##"'abc' !~ /z/"##, r##"true"##);
    check(
        r##"'x12y' =~ /(\d)(\d)/; [$~[0], $1, $2].inspect"##,
        r##"["12", "1", "2"]"##,
    );
    check(r##"'abc'.match(/b/).class"##, r##"MatchData"##);
    check(r##"/b/.match('abc').string"##, r##"abc"##);
    check(r##"/a|b/.match('xbx')[0]"##, r##"b"##);
    check(r##"/\A\d+\z/.match?('123')"##, r##"true"##);
    check(r##"/\A\d+\z/.match?("123\n")"##, r##"false"##);
    check(r##"/^\d+$/.match?("x\n123")"##, r##"true"##);
    check(r##"/\s+/.match?("a b")"##, r##"true"##);
    check(r##"Regexp.escape('a.b*c')"##, r##"a\.b\*c"##);
    check(r##"Regexp.escape('1+1=2?')"##, r##"1\+1=2\?"##);
    check(r##"Regexp.new('a.c').match?('abc')"##, r##"true"##);
    check(
        r##"Regexp.new('a', Regexp::IGNORECASE).match?('A')"##,
        r##"true"##,
    );
    check(r##"Regexp.union('a', 'b.').source"##, r##"a|b\."##);
    check(r##"/[[:alpha:]]+/.match('12ab3')[0]"##, r##"ab"##);
    check(r##"/\p{Alpha}+/.match('12ab3')[0]"##, r##"ab"##);
    check(r##"/(a)(b)?/.match('a')[2].inspect"##, r##"nil"##);
    check(
        r##"/(a)(b)?/.match('a').captures.inspect"##,
        r##"["a", nil]"##,
    );
    check(r##"/./m.match("\n")[0].inspect"##, r##""\n""##);
    check(r##"/a.c/ === 'abc'"##, r##"true"##);
    check(r##"'abc'.sub(/(?<x>b)/, '[\k<x>]')"##, r##"a[b]c"##);
    check(
        r##"'2024-01-15'.match(/(\d+)-(\d+)-(\d+)/).captures.map(&:to_i).inspect"##,
        r##"[2024, 1, 15]"##,
    );
    check(
        r##"'key=value'.split('=', 2).inspect"##,
        r##"["key", "value"]"##,
    );
    check(
        r##"'a1b2'.gsub(/\d/) { |d| (d.to_i * 2).to_s }"##,
        r##"a2b4"##,
    );
    check(
        r##"'hello world'.scan(/\w+/).map(&:capitalize).join(' ')"##,
        r##"Hello World"##,
    );
    check(r##"'abc'.index(/c/)"##, r##"2"##);
    check(r##"'foo.bar.baz'[/\.(\w+)\z/, 1]"##, r##"baz"##);
    check(
        r##"'http://host:8080/p'.match(%r{\Ahttps?://([^:/]+)(?::(\d+))?})[2]"##,
        r##"8080"##,
    );
    check(r##"%r{a/b}.source"##, r##"a/b"##);
    check(r##"/\d+/.match(nil).inspect rescue $!.class"##, r##"nil"##);
    check_err(
        r##"/x/.match(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    // digit, word and space classes are ASCII, as in Ruby
    check(r##"("\u0663" =~ /\d/).inspect"##, r##"nil"##);
    check(r##"("\u00e9" =~ /\w/).inspect"##, r##"nil"##);
    check(r##""a b\u00a0c".split(/\s/).inspect"##, r##"["a", "b c"]"##);
    check(
        r##""x-1 y_2 \u00e9".scan(/[\w-]+/).inspect"##,
        r##"["x-1", "y_2"]"##,
    );
    check(r##""a1b2".gsub(/\D/, "")"##, r##"12"##);
    check(r##""a1 b2".scan(/[^\W\d]/).inspect"##, r##"["a", "b"]"##);
    check(r##""tab\there" =~ /[\S]\s/"##, r##"2"##);
    check(r##""a  b" =~ /a[\s]+b/x"##, r##"0"##);
}

/// `=~` is String's, Symbol's, Regexp's and nil's only since Ruby 3.2; `!s =~ re` is
/// `(!s) =~ re`, a NoMethodError on the director's Ruby.
#[test]
fn match_operator_on_other_objects_is_no_method() {
    check(
        r##"[nil =~ /x/, :ab =~ /b/, 'ab' =~ /b/, /b/ =~ 'ab'].inspect"##,
        r##"[nil, 1, 1, 1]"##,
    );
    check_err(
        r##"false =~ /x/"##,
        r##"NoMethodError: undefined method '=~' for false"##,
    );
    check_err(
        r##"!'0755' =~ /\A\d+\z/"##,
        r##"NoMethodError: undefined method '=~' for false"##,
    );
    check_err(
        r##"1 =~ /1/"##,
        r##"NoMethodError: undefined method '=~' for an instance of Integer"##,
    );
    check_err(
        r##"[1] !~ /1/"##,
        r##"NoMethodError: undefined method '=~' for an instance of Array"##,
    );
}

/// Ruby's `^` holds at the start and after every newline except one that ends the text,
/// where the regex engine's line anchor holds too: `gsub(/^/, '  ')`, the way templates
/// indent a block, adds nothing after the block's last line.
#[test]
fn line_start_is_not_after_a_final_newline() {
    check(r##""a\n".gsub(/^/, "X").inspect"##, r##""Xa\n""##);
    check(r##""a\n\n".gsub(/^/, "X").inspect"##, r##""Xa\nX\n""##);
    check(r##""".gsub(/^/, "X").inspect"##, r##""X""##);
    check(r##""\n".gsub(/^/, "X").inspect"##, r##""X\n""##);
    check(r##""a\nb".gsub(/^/, "X").inspect"##, r##""Xa\nXb""##);
    check(r##""a\n".scan(/^/).size"##, r##"1"##);
    check(r##""a\n".split(/^/).inspect"##, r##"["a\n"]"##);
    check(r##""x\n  y\n".gsub(/^ */, "").inspect"##, r##""x\ny\n""##);
    check(r##""a\n".gsub(/^\s*/, ">").inspect"##, r##"">a\n""##);
    check(
        r##"[("a\n" =~ /^$/), "a\n".match?(/^$/), "a\n".index(/^/, 2)].inspect"##,
        r##"[nil, false, nil]"##,
    );
    // a `^` after other pattern text, in an alternation or in a group
    check(r##"("a\n" =~ /\n^/).inspect"##, r##"nil"##);
    check(r##""a\n".sub(/\n^/, "!").inspect"##, r##""a\n""##);
    check(r##""a\n".gsub(/^|$/, "Z").inspect"##, r##""ZaZ\nZ""##);
    check(r##""a\n".gsub(/x|^/, "Z").inspect"##, r##""Za\n""##);
    check(r##""a\n".gsub(/(^)/, "Z").inspect"##, r##""Za\n""##);
    check(r##""a\n".gsub(/^(a|)/, "Z").inspect"##, r##""Z\n""##);
    check(r##"("a\n" =~ /^\z/).inspect"##, r##"nil"##);
    // not an anchor: in a class, escaped
    check(r##""a\n^".gsub(/[^a]/, "Q")"##, r##"aQQ"##);
    check(r##""a^\n".gsub(/\^/, "Q").inspect"##, r##""aQ\n""##);
}

/// Inline options: Ruby's `m` lets a dot match a newline (the regex engine's `s`); its line
/// anchors are multi-line whatever the options say.
#[test]
fn inline_options_are_rubys() {
    check(r##"("a\nb" =~ /(?m:a.b)/).inspect"##, r##"0"##);
    check(r##"("a\nb" =~ /a(?m).b/).inspect"##, r##"0"##);
    check(r##"("A\nb" =~ /(?mi:a.B)/).inspect"##, r##"0"##);
    check(r##"("a\nb" =~ /(?-m:^b)/).inspect"##, r##"2"##);
    check(r##"("a\nb" =~ /(?m-i:A.b)/i).inspect"##, r##"nil"##);
    check(r##"("a\nb" =~ /(?-m:a.b)/m).inspect"##, r##"nil"##);
}

/// POSIX brackets in a UTF-8 pattern are Unicode in Ruby (Onigmo's definitions: `alpha` the
/// Alphabetic property, `digit` decimal numbers, `punct` punctuation and nine ASCII
/// symbols); the regex engine's are ASCII. (`\d`, `\w` and `\s` are ASCII in both.)
#[test]
fn posix_brackets_are_unicode() {
    check(
        r##"["١٢" =~ /[[:digit:]]/, "é" =~ /[[:alpha:]]/, "é" =~ /[[:lower:]]/, "É" =~ /[[:upper:]]/, "\u0301" =~ /[[:alpha:]]/].inspect"##,
        r##"[0, 0, 0, 0, nil]"##,
    );
    check(
        r##"["_" =~ /[[:punct:]]/, "$" =~ /[[:punct:]]/, "+" =~ /[[:punct:]]/, "\u00a0" =~ /[[:space:]]/, "\u00a0" =~ /[[:blank:]]/].inspect"##,
        r##"[0, 0, 0, 0, 0]"##,
    );
    check(
        r##"["é" =~ /[[:word:]]/, "é" =~ /[[:alnum:]]/, "é" =~ /[[:xdigit:]]/, "a" =~ /[^[:alpha:]]/].inspect"##,
        r##"[0, 0, nil, nil]"##,
    );
    check(
        r##"["é1".scan(/[[:^alpha:]]/), "ab".scan(/[[:alpha:]&&[^a]]/), "Ab".scan(/[[:lower:]]/i)].inspect"##,
        r##"[["1"], ["b"], ["A", "b"]]"##,
    );
    check(
        r##"["\u0085" =~ /[[:space:]]/, "\u2028" =~ /[[:space:]]/, "€" =~ /[[:punct:]]/, "€" =~ /[[:graph:]]/, "é" =~ /[[:print:]]/].inspect"##,
        r##"[0, 0, nil, 0, 0]"##,
    );
    check(
        r##"["\u0301" =~ /[[:alnum:]]/, "\u0301" =~ /[[:word:]]/, "\u00aa" =~ /[[:lower:]]/, "\u2160" =~ /[[:upper:]]/, "\u00b2" =~ /[[:digit:]]/].inspect"##,
        r##"[nil, 0, 0, 0, nil]"##,
    );
    check(
        r##"["\u200d" =~ /[[:word:]]/, "\u00ad" =~ /[[:cntrl:]]/, "\u00ad" =~ /[[:graph:]]/, " " =~ /[[:print:]]/, " " =~ /[[:graph:]]/].inspect"##,
        r##"[nil, nil, 0, 0, nil]"##,
    );
    check(
        r##"["\u3000" =~ /[[:print:]]/, "\t" =~ /[[:print:]]/, "\u2028" =~ /[[:print:]]/, "\uE000" =~ /[[:graph:]]/, "ß" =~ /[[:upper:]]/i].inspect"##,
        r##"[0, nil, nil, 0, 0]"##,
    );
    check(
        r##""a1 b2_c".scan(/[[:alnum:]_]+/).inspect"##,
        r##"["a1", "b2_c"]"##,
    );
    check(
        r##""x: 1, y: 2".gsub(/[[:space:][:punct:]]+/, "|")"##,
        r##"x|1|y|2"##,
    );
}

/// `Regexp#to_s` writes the options on, then off; `Regexp.union` joins regexps by that
/// form, so each keeps its own options, and one regexp is itself.
#[test]
fn to_s_and_union_keep_each_regexps_options() {
    check(
        r##""ab12".scan(/[^[:digit:]]/).inspect"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"[/a/i.to_s, /a/mix.to_s, /a/m.to_s, /a/x.to_s, /a/mi.to_s, /a/.to_s].inspect"##,
        r##"["(?i-mx:a)", "(?mix:a)", "(?m-ix:a)", "(?x-mi:a)", "(?mi-x:a)", "(?-mix:a)"]"##,
    );
    check(
        r##"[Regexp.union(/a/i, "b").source, Regexp.union([/a/, /b/m]).source, Regexp.union(/a/).source, Regexp.union("a.").source, Regexp.union.source, Regexp.union(/a/i).inspect].inspect"##,
        r##"["(?i-mx:a)|b", "(?-mix:a)|(?m-ix:b)", "a", "a\\.", "(?!)", "/a/i"]"##,
    );
    check(
        r##"["xAy" =~ Regexp.union(/a/i, "z"), "x\nby" =~ Regexp.union(/x.b/m, "q")].inspect"##,
        r##"[1, 0]"##,
    );
    check(r##""Ab" =~ /#{/a/i}b/"##, r##"0"##);
    check(r##"("AB" =~ /#{/a/i}b/).inspect"##, r##"nil"##);
}

/// `String#match` and `match?` read a String pattern as a regexp (`sub` and `index` take it
/// as text), and take a start position; a MatchData prints as its match.
#[test]
fn match_takes_a_string_pattern_and_a_start() {
    check(r##"'1m'.match('m$').inspect"##, r##"#<MatchData "m">"##);
    check(
        r##"['1m'.match?('\d'), 'a.c'.match?('a.c'), 'abc'.match?('a.c')].inspect"##,
        r##"[true, true, true]"##,
    );
    check(
        r##"'10m'.match('(\d+)([mhd])$').captures.inspect"##,
        r##"["10", "m"]"##,
    );
    check(r##":abc.match('b.').inspect"##, r##"#<MatchData "bc">"##);
    check(r##"'abcb'.match(/b/, 2).begin(0)"##, r##"3"##);
    check(
        r##"['abc'.match?(/b/, 2), /b/.match?('abc', 2), :abc.match?(/c/, 3)].inspect"##,
        r##"[false, false, false]"##,
    );
    check(
        r##"['abc'.match(/b/, 2), /b/.match('abc', 2), 'abc'.match(/b/, -5)].inspect"##,
        r##"[nil, nil, nil]"##,
    );
    check(
        r##"['abc'.match(/c/, -1), 'abc'.match(//, 3)].inspect"##,
        r##"[#<MatchData "c">, #<MatchData "">]"##,
    );
    check(r##"'héllo'.match(/l/, 3).begin(0)"##, r##"3"##);
    check_err(
        r##"'abc'.match(/b/, nil)"##,
        r##"TypeError: no implicit conversion from nil to integer"##,
    );
    check_err(
        r##"'a1' =~ 'x'"##,
        r##"TypeError: type mismatch: String given"##,
    );
    check(
        r##""x#{'abc'.match(/b/)}y" + ['abc'.match(/c/)].join"##,
        r##"xbyc"##,
    );
    check(
        r##"'abc'.match(/(?<x>b)/).inspect"##,
        r##"#<MatchData "b" x:"b">"##,
    );
    check(
        r##"'abc'.match(/(b)(x)?/).inspect"##,
        r##"#<MatchData "b" 1:"b" 2:nil>"##,
    );
    check(
        r##"'abc'.match(/(?<first>a)(?<second>z)?/).inspect"##,
        r##"#<MatchData "a" first:"a" second:nil>"##,
    );
}

/// A MatchData's groups by index, range, name and list; where each matched, in characters.
#[test]
fn matchdata_reads_groups_and_places() {
    check(
        r##"m = 'a1b2'.match(/(\w)(\d)/); [m.values_at(0, -1, 1..2), m[1..2], m[0, 2], m.offset(0), m.size].inspect"##,
        r##"[["a1", "1", "a", "1"], ["a", "1"], ["a1", "a"], [0, 2], 3]"##,
    );
    check(
        r##"m = 'xa1b2'.match(/(\w)(\d)/); [m.begin(1), m.end(1), m.begin(2), m.end(2), m.offset(2)].inspect"##,
        r##"[1, 2, 2, 3, [2, 3]]"##,
    );
    check(
        r##"m = 'xab'.match(/(a)(z)?/); [m.offset(2), m.begin(2)].inspect"##,
        r##"[[nil, nil], nil]"##,
    );
    check_err(
        r##"'xab'.match(/(a)/).begin(3)"##,
        r##"IndexError: index 3 out of matches"##,
    );
    check(
        r##"m = 'héllo wörld'.match(/(?<w>w\S+)/); [m.begin(:w), m.end('w'), m.offset(0), m[:w], m.values_at(:w, 0)].inspect"##,
        r##"[6, 11, [6, 11], "wörld", ["wörld", "wörld"]]"##,
    );
    check_err(
        r##"'abc'.match(/(?<x>b)/)[:y]"##,
        r##"IndexError: undefined group name reference: y"##,
    );
    check(
        r##"m = 'abc'.match(/b/); [m == 'abc'.match(/b/), m == 'abd'.match(/b/), m.eql?(m), m == 1].inspect"##,
        r##"[true, false, true, false]"##,
    );
    check(
        r##"'a1b2' =~ /(\d)/; [$~.begin(0), $~.offset(1), $~[1]].inspect"##,
        r##"[1, [1, 2], "1"]"##,
    );
}

/// A regexp that names a group captures only its named groups: a plain `(...)` only groups,
/// and `\1` in a replacement is empty.
#[test]
fn named_groups_leave_plain_groups_uncaptured() {
    check(
        r##"['ab'.match(/(?<x>a)(b)/).captures, 'abab'.scan(/(?<x>a)(b)/), 'xab'.match(/(?<=x)(a)(b)/).captures].inspect"##,
        r##"[["a"], [["a"], ["a"]], ["a", "b"]]"##,
    );
    check(
        r##"'ab' =~ /(?<x>a)(b)/; [$1, $2].inspect"##,
        r##"["a", nil]"##,
    );
    check(
        r##"['ab'.gsub(/(?<x>a)(b)/, '[\1|\2]'), 'ab'.gsub(/(?<x>a)/, '[\0][\1][\&][\k<x>]'), 'a(b'.match(/(?<x>a)\((b)/).captures].inspect"##,
        r##"["[|]", "[a][][a][a]b", ["a"]]"##,
    );
}

/// `Regexp.last_match`: `$~`, or one of its groups by number or name.
#[test]
fn last_match_reads_the_last_match() {
    check(
        r##"a = Regexp.last_match.inspect; 'ab' =~ /(?<x>a)/; [a, Regexp.last_match(0), Regexp.last_match(:x), Regexp.last_match.to_s].inspect"##,
        r##"["nil", "a", "a", "a"]"##,
    );
}

/// A regexp's `===` (what `when /re/` calls) is false for what is not a String or Symbol,
/// where `match` and `=~` refuse it.
#[test]
fn case_equality_is_false_for_other_values() {
    check(
        r##"[/1/ === 1, /a/ === nil, /a/ === :abc, /t/ === true].inspect"##,
        r##"[false, false, true, false]"##,
    );
    check(
        r##"case 8080 when /\d+/ then 'text' when Integer then 'int' end"##,
        r##"int"##,
    );
    check(r##"'ab' =~ /b/; /x/ === 1; $~.inspect"##, r##"nil"##);
    check_err(
        r##"/a/.match(true)"##,
        r##"TypeError: no implicit conversion of true into String"##,
    );
    check_err(
        r##"/a/ =~ 1"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
}

/// `%r` with any delimiter keeps its escapes for the engine; an escaped delimiter loses its
/// backslash unless it means something to the engine; `inspect` and `to_s` escape `/`.
#[test]
fn percent_regexps_keep_their_escapes() {
    check(
        r##"["a12" =~ %r!\d+!, %r|a\|b\d|.source, %r|\d|.match("x5").to_s].inspect"##,
        r##"[1, "a\\|b\\d", "5"]"##,
    );
    check(
        r##"[%r{a\}b}.source, %r(a\)b).source, %r!a\!b!.source, %r<a\>b>.source, %r[a\]b].source, %r{a\{b}.source].inspect"##,
        r##"["a\\}b", "a\\)b", "a!b", "a\\>b", "a\\]b", "a\\{b"]"##,
    );
    check(
        r##"[%r{\s+(\w)}.match("x  y")[1], %r(\(x\)).source, %r!/!.source, /a\/b/.source].inspect"##,
        r##"["y", "\\(x\\)", "/", "a/b"]"##,
    );
    check(
        r##"[/a\/b/.inspect, %r!/!.inspect, /a\/b/.to_s, %r{a/b}.to_s, %r{a\/b}.source, Regexp.new('a/b').inspect].inspect"##,
        r##"["/a\\/b/", "/\\//", "(?-mix:a\\/b)", "(?-mix:a\\/b)", "a\\/b", "/a\\/b/"]"##,
    );
    check(
        r##"[%r!a\\/b!.inspect, "x/y" =~ /\//, "x/y".split(%r{/})].inspect"##,
        r##"["/a\\\\\\/b/", 1, ["x", "y"]]"##,
    );
}

#[test]
fn byte_escapes_and_back_references_read_as_onigmo_reads_them() {
    check(r##"/\141/ =~ "xa""##, r##"1"##);
    check(
        r##"[/\0/ =~ "x\0", /\00/ =~ "x\0", /\000/ =~ "x\0", /\0000/ =~ "x\0000"].inspect"##,
        r##"[1, 1, 1, 1]"##,
    );
    check(r##"/(a)\1/ =~ "aa""##, r##"0"##);
    check(r##"/(a)\12/ =~ "a\n""##, r##"0"##);
    check(r##"/(a)\18/ =~ "a\0018""##, r##"0"##);
    check(r##"/\18/ =~ "x\0018""##, r##"1"##);
    check(r##"/\10/ =~ "x\b""##, r##"1"##);
    check(r##"/\101\102/.match("zAB")[0]"##, r##"AB"##);
    check(r##"/\1411/.match("a1")[0]"##, r##"a1"##);
    check(r##"/[\141-\143]+/.match("xabcd")[0]"##, r##"abc"##);
    check(r##"/[\1]/ =~ "\1""##, r##"0"##);
    check(r##"/[\8]/ =~ "8""##, r##"0"##);
    check(
        r##"/[\18]+/.match("\0018")[0].bytes.inspect"##,
        r##"[1, 56]"##,
    );
    check(r##"/\177/ =~ "\x7f""##, r##"0"##);
    check(
        r##"/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10/ =~ "abcdefghijj""##,
        r##"0"##,
    );
    check(
        r##"/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\11/ =~ "abcdefghij\t""##,
        r##"0"##,
    );
    check(
        r##"/\10(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)/ =~ "\babcdefghij""##,
        r##"0"##,
    );
    check(r##"/(?<x>a)\12/ =~ "a\n""##, r##"0"##);
    check(r##"/\08/ =~ "\0008""##, r##"0"##);
    check(r##"/\81/ =~ "81""##, r##"0"##);
    check(r##"/\90/ =~ "90""##, r##"0"##);
    check(r##"Regexp.new("\\141") =~ "a""##, r##"0"##);
    check(r##""a\n".gsub(/\12/, "N")"##, r##"aN"##);
    check(r##"/\x41/ =~ "A""##, r##"0"##);
    check(r##"/\x7/ =~ "\7""##, r##"0"##);
    check(r##"/\xc3\xa9/ =~ "xé""##, r##"1"##);
    check(r##"/\303\251/ =~ "xé""##, r##"1"##);
    check(r##"/\xc3\251/ =~ "xé""##, r##"1"##);
    check(r##"/[\xc3\xa9]/ =~ "xé""##, r##"1"##);
    check(r##"/\x41\xc3\xa9/ =~ "Aé""##, r##"0"##);
    check(r##"/\xc3\xa9+/.match("xéé")[0]"##, r##"éé"##);
    check(r##"/\x41\x42+/.match("ABB")[0]"##, r##"ABB"##);
    check(r##"Regexp.new("\\xc3\\xa9") =~ "é""##, r##"0"##);
    check(r##"/[\x2D\x5D]+/.match("a-]b")[0]"##, r##"-]"##);
    check(r##"/\x41/.source"##, r##"\x41"##);
    check_err(
        r##"Regexp.new("\\xc3")"##,
        r##"RegexpError: too short escaped multibyte character: /\xc3/"##,
    );
    check_err(
        r##"Regexp.new("\\xc3\\xa9\\xc3")"##,
        r##"RegexpError: too short escaped multibyte character: /\xc3\xa9\xc3/"##,
    );
    check_err(
        r##"Regexp.new("\\200")"##,
        r##"RegexpError: invalid multibyte escape: /\200/"##,
    );
    check_err(
        r##"Regexp.new("\\400")"##,
        r##"RegexpError: invalid escape code: /\400/"##,
    );
    check_err(
        r##"Regexp.new("[\\477]")"##,
        r##"RegexpError: invalid escape code: /[\477]/"##,
    );
    check_err(
        r##"Regexp.new("\\x")"##,
        r##"RegexpError: invalid hex escape: /\x/"##,
    );
    check_err(
        r##"Regexp.new("a\\xg")"##,
        r##"RegexpError: invalid hex escape: /a\xg/"##,
    );
    check_err(
        r##"Regexp.new("(a)\\2")"##,
        r##"RegexpError: invalid backref number/name: /(a)\2/"##,
    );
    check_err(
        r##"Regexp.new("(?<x>a)\\1")"##,
        r##"RegexpError: numbered backref/call is not allowed. (use name): /(?<x>a)\1/"##,
    );
    check_err(
        r##"Regexp.new("[(]\\1")"##,
        r##"RegexpError: invalid backref number/name: /[(]\1/"##,
    );
    check(r##"Regexp.new("(?<x>a)(b)\\k<x>") =~ "aba""##, r##"0"##);
    check(r##"/(a)[\2]/ =~ "a\2""##, r##"0"##);
}

/// `\R`, Onigmo's line break: CR LF as one, or any one vertical space.
#[test]
fn line_breaks() {
    check(
        r##""a\r\nb\nc\rd\ve\fg".scan(/\R/).inspect"##,
        r##"["\r\n", "\n", "\r", "\v", "\f"]"##,
    );
    check(r##""a\r\n\nb".split(/\R/).inspect"##, r##"["a", "", "b"]"##);
    check(r##""a\r\nb".sub(/a\R+b/, "-")"##, r##"-"##);
    check(r##""a\u2028b\u0085c".scan(/\R/).size"##, r##"2"##);
}
