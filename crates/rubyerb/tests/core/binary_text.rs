//! Binary strings through text methods and writers: `succ`, splits, trims, searches and
//! character sets over their bytes, comparisons and conversions that keep them bytes,
//! regexps over their bytes, changes in place, and what escaping, JSON and YAML make of them.

use super::{check, check_err};

#[test]
fn succ_steps_bytes() {
    check(r##"255.chr.succ.inspect"##, r##""\x01\x00""##);
    check(r##"255.chr.reverse.succ.bytes.inspect"##, r##"[1, 0]"##);
    check(r##"[0, 255].pack('C*').succ.inspect"##, r##""\x01\x00""##);
    check(
        r##"[255, 255].pack('C*').next.inspect"##,
        r##""\x01\x00\x00""##,
    );
    check(r##"[0xe9].pack('C').succ.inspect"##, r##""\xEA""##);
    check(r##"('a' + 255.chr).succ.inspect"##, r##""b\xFF""##);
    check(r##"(255.chr + 'z').succ.inspect"##, r##""\xFFaa""##);
    check(r##"('Zz' + 255.chr).succ.inspect"##, r##""AAa\xFF""##);
    check(r##"('9' + 255.chr).succ.inspect"##, r##""10\xFF""##);
    check(r##"('a-' + 255.chr).succ.inspect"##, r##""b-\xFF""##);
    check(r##"255.chr.succ.encoding.to_s"##, r##"ASCII-8BIT"##);
}

#[test]
fn text_methods_over_bytes() {
    check(
        r##"['61ff2062'].pack('H*').split.inspect"##,
        r##"["a\xFF", "b"]"##,
    );
    check(
        r##"['61ff2c62'].pack('H*').split(',').inspect"##,
        r##"["a\xFF", "b"]"##,
    );
    check(
        r##"['61ff2c62'].pack('H*').split(',', 2).last.encoding.to_s"##,
        r##"ASCII-8BIT"##,
    );
    check(
        r##"['61ff0a620a'].pack('H*').lines.inspect"##,
        r##"["a\xFF\n", "b\n"]"##,
    );
    check(
        r##"['61ff0a620a'].pack('H*').lines(chomp: true).inspect"##,
        r##"["a\xFF", "b"]"##,
    );
    check(
        r##"['ff6162'].pack('H*').tr('a-z', '*').inspect"##,
        r##""\xFF**""##,
    );
    check(r##"['78ff'].pack('H*').tr('^a-z', '_')"##, r##"x_"##);
    check(
        r##"['ffff6161'].pack('H*').squeeze.inspect"##,
        r##""\xFFa""##,
    );
    check(
        r##"['ffff6161'].pack('H*').tr_s('a', 'b').inspect"##,
        r##""\xFF\xFFb""##,
    );
    check(r##"['ff6162'].pack('H*').count('a-z')"##, r##"2"##);
    check(
        r##"['ff6162'].pack('H*').delete('a').inspect"##,
        r##""\xFFb""##,
    );
    check(r##"['ff6162'].pack('H*').index('a')"##, r##"1"##);
    check(r##"['ff6162ff'].pack('H*').rindex(255.chr)"##, r##"3"##);
    check(r##"['20ff200a'].pack('H*').strip.inspect"##, r##""\xFF""##);
    check(r##"['20ff20'].pack('H*').lstrip.inspect"##, r##""\xFF ""##);
    check(r##"['ff0a'].pack('H*').chomp.inspect"##, r##""\xFF""##);
    check(r##"['61ff'].pack('H*').chop.inspect"##, r##""a""##);
    check(
        r##"['61ff'].pack('H*').delete_prefix('a').inspect"##,
        r##""\xFF""##,
    );
    check(
        r##"['ff78'].pack('H*').partition('x').inspect"##,
        r##"["\xFF", "x", ""]"##,
    );
    check(
        r##"['ff2eff2e'].pack('H*').rpartition('.').inspect"##,
        r##"["\xFF.\xFF", ".", ""]"##,
    );
    check(r##"['fffe'].pack('H*').sum"##, r##"509"##);
    check(
        r##"['fffe'].pack('H*').codepoints.inspect"##,
        r##"[255, 254]"##,
    );
    check(
        r##"['ff61'].pack('H*').casecmp(['ff41'].pack('H*'))"##,
        r##"0"##,
    );
    check(
        r##"['ff61'].pack('H*').casecmp?(['ff41'].pack('H*'))"##,
        r##"true"##,
    );
    check(r##"[0xe9].pack('C').casecmp('é').inspect"##, r##"nil"##);
    check(r##"[0xe9].pack('C').casecmp?('é').inspect"##, r##"nil"##);
    check(r##"['ff'].pack('H*').casecmp('a')"##, r##"1"##);
    check_err(
        r##"255.chr.count('é')"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check_err(
        r##"255.chr.unicode_normalize"##,
        r##"Encoding::CompatibilityError: Unicode Normalization not appropriate for ASCII-8BIT"##,
    );
}

#[test]
fn escaped_by_bytes() {
    check(r##"CGI.escape(255.chr)"##, r##"%FF"##);
    check(
        r##"CGI.escape(['c3a920ff'].pack('H*'))"##,
        r##"%C3%A9+%FF"##,
    );
    check(r##"ERB::Util.url_encode(255.chr)"##, r##"%FF"##);
    check(
        r##"URI.encode_www_form_component(255.chr + ' x')"##,
        r##"%FF+x"##,
    );
    check(r##"URI.encode_www_form('k' => 255.chr)"##, r##"k=%FF"##);
    check(
        r##"ERB::Util.html_escape(['3cff'].pack('H*')).inspect"##,
        r##""&lt;\xFF""##,
    );
    check(
        r##"CGI.escapeHTML(['3cff'].pack('H*')).encoding.to_s"##,
        r##"ASCII-8BIT"##,
    );
    check(r##"CGI.escape('é ü')"##, r##"%C3%A9+%C3%BC"##);
}

#[test]
fn yaml_writes_bytes_as_base64() {
    check(
        r##"['00ff41'].pack('H*').to_yaml"##,
        r##"--- !binary |-
  AP9B
"##,
    );
    check(
        r##"{'k' => ['00ff41'].pack('H*'), 'a' => [255.chr]}.to_yaml"##,
        r##"---
k: !binary |-
  AP9B
a:
- !binary |-
  /w==
"##,
    );
    check(
        r##"{'a' => {'b' => 255.chr}}.to_yaml"##,
        r##"---
a:
  b: !binary |-
    /w==
"##,
    );
    check(
        r##"[[255.chr]].to_yaml"##,
        r##"---
- - !binary |-
    /w==
"##,
    );
    check(
        r##"{255.chr => 1}.to_yaml"##,
        r##"---
!binary "/w==": 1
"##,
    );
    check(
        r##"(255.chr * 70).to_yaml"##,
        r##"--- !binary |-
  /////////////////////////////////////////////////////////////////////////////////////////////w==
"##,
    );
    check(
        r##"YAML.dump(255.chr + "\n")"##,
        r##"--- !binary |-
  /wo=
"##,
    );
    check(
        r##"YAML.dump('é'.b)"##,
        r##"--- !binary |-
  w6k=
"##,
    );
    check(
        r##"YAML.dump('abc'.b)"##,
        r##"--- abc
"##,
    );
}

#[test]
fn json_takes_utf8_bytes_and_refuses_others() {
    check(r##"{'a' => 'é'.b}.to_json"##, r##"{"a":"é"}"##);
    check(r##"JSON.generate(['é'.b, 'x'.b])"##, r##"["é","x"]"##);
    check(
        r##"JSON.pretty_generate(['a', ['c3a9'].pack('H*')])"##,
        r##"[
  "a",
  "é"
]"##,
    );
    check(r##"JSON.generate({'é'.b => 1})"##, r##"{"é":1}"##);
    check(
        r##"(255.chr.to_json rescue $!.class)"##,
        r##"JSON::GeneratorError"##,
    );
    check(
        r##"(JSON.generate({255.chr => 1}) rescue $!.class)"##,
        r##"JSON::GeneratorError"##,
    );
}

#[test]
fn kept_as_bytes_by_conversions_escapes_and_comparisons() {
    check(r##"String(255.chr).inspect"##, r##""\xFF""##);
    check(r##"(x = 'ab'; String(x).equal?(x))"##, r##"true"##);
    check(r##"String.new(255.chr).encoding.to_s"##, r##"ASCII-8BIT"##);
    check_err(
        r##"String.new(1)"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check(
        r##"(255.chr + ' x').shellescape.inspect"##,
        r##""\\\xFF\\ x""##,
    );
    check(r##"Shellwords.escape(255.chr).inspect"##, r##""\\\xFF""##);
    check(
        r##"(a = []; ['61ff0a62'].pack('H*').each_line { |l| a << l }; a.inspect)"##,
        r##"["a\xFF\n", "b"]"##,
    );
    check(r##"(255.chr > 'a')"##, r##"true"##);
    check(r##"(255.chr < 254.chr)"##, r##"false"##);
    check(r##"(255.chr <=> 'é')"##, r##"1"##);
    check(
        r##"[255.chr, 'b', 200.chr].sort.inspect"##,
        r##"["b", "\xC8", "\xFF"]"##,
    );
}

#[test]
fn each_line_without_a_block_is_an_enumerator_of_byte_lines() {
    check(
        r##"['61ff0a62'].pack('H*').each_line.map(&:bytesize).inspect"##,
        r##"[3, 1]"##,
    );
    check(
        r##"['61ff0a62'].pack('H*').each_line.with_index.map { |l, i| [i, l] }.inspect"##,
        r##"[[0, "a\xFF\n"], [1, "b"]]"##,
    );
}

/// Regexps of ASCII over a binary string's bytes: what `=~`, `match`, `scan`, `sub`,
/// `gsub`, `split`, `index`, slices and `case` make are binary strings, and so are the
/// match globals after them; a pattern past ASCII is Ruby's `Encoding::CompatibilityError`.
#[test]
fn patterns_over_bytes() {
    check(
        r##"s = ['ffef6162'].pack('H*'); [s =~ /../, $~, $&, $`, $'].inspect"##,
        r##"[0, #<MatchData "\xFF\xEF">, "\xFF\xEF", "", "ab"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); /(?<x>..)/.match(s).inspect"##,
        r##"#<MatchData "\xFF\xEF" x:"\xFF\xEF">"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [/(..)(z)?/.match(s)[1], $1, $2, $+].inspect"##,
        r##"["\xFF\xEF", "\xFF\xEF", nil, "\xFF\xEF"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); /(..)/.match(s).then { |m| [m.pre_match, m.post_match, m.begin(1)] }.inspect"##,
        r##"["", "ab", 0]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.scan(/./), s.scan(/(.)(.)/)].inspect"##,
        r##"[["\xFF", "\xEF", "a", "b"], [["\xFF", "\xEF"], ["a", "b"]]]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.gsub(/a/, 'X'), s.sub(/(.)(.)/, '\2\1'), s.gsub('a', 'y')].inspect"##,
        r##"["\xFF\xEFXb", "\xEF\xFFab", "\xFF\xEFyb"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.split(/a/), s.split(//), s.index(/a/), s.rindex(/./)].inspect"##,
        r##"[["\xFF\xEF", "b"], ["\xFF", "\xEF", "a", "b"], 2, 3]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s[/../], s.slice(/(.)a/, 1), s.partition(/a/), s.rpartition(/./)].inspect"##,
        r##"["\xFF\xEF", "\xEF", ["\xFF\xEF", "a", "b"], ["\xFF\xEFa", "b", ""]]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.match?(/\W/), s =~ /b/, $~, s.match(/(.)b/), $1].inspect"##,
        r##"[true, 3, #<MatchData "b">, #<MatchData "ab" 1:"a">, "a"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [["a0"].pack('H*') =~ /\s/, s =~ /\w/, s.gsub(/[^a-z]/, '.'), s.gsub(/\h/i, '#')].inspect"##,
        r##"[nil, 2, "..ab", "\xFF\xEF##"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); case s when /(a)(b)/ then [$~, $2].inspect end"##,
        r##"[#<MatchData "ab" 1:"a" 2:"b">, "b"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.gsub(/a/, 255.chr), s.sub(/b/, '\0\0').encoding].inspect"##,
        r##"["\xFF\xEF\xFFb", #<Encoding:BINARY (ASCII-8BIT)>]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [(/(.)/ =~ s), $1.encoding, s.scan(/(.)/)[0][0].encoding].inspect"##,
        r##"[0, #<Encoding:BINARY (ASCII-8BIT)>, #<Encoding:BINARY (ASCII-8BIT)>]"##,
    );
}

#[test]
fn patterns_past_ascii_meet_bytes() {
    check_err(
        r##"s = ['ffef6162'].pack('H*'); s =~ /é/"##,
        r##"Encoding::CompatibilityError: incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)"##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*'); /é/.match(s)"##,
        r##"Encoding::CompatibilityError: incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)"##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*'); s.gsub(/é/, '')"##,
        r##"Encoding::CompatibilityError: incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)"##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*'); s.match?(/é/)"##,
        r##"Encoding::CompatibilityError: incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)"##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*'); case s when /é/ then 1 end"##,
        r##"Encoding::CompatibilityError: incompatible encoding regexp match (UTF-8 regexp with BINARY (ASCII-8BIT) string)"##,
    );
}

#[test]
fn patterns_over_bytes_with_a_block() {
    check(
        r##"s = ['ffef6162'].pack('H*'); s.gsub(/./) { |c| c.ord.to_s(16) }"##,
        r##"ffef6162"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); s.gsub(/(.)/) { $1.inspect }"##,
        r##""\xFF""\xEF""a""b""##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.sub(/../) { |m| m.reverse }, s.sub(/z/) { 1 }].inspect"##,
        r##"["\xEF\xFFab", "\xFF\xEFab"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); s.gsub(/b/) { 255.chr }.inspect"##,
        r##""\xFF\xEFa\xFF""##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); r = []; s.scan(/(.)(.)/) { |a, b| r << [a, b, $~[0]] }; r.inspect"##,
        r##"[["\xFF", "\xEF", "\xFF\xEF"], ["a", "b", "ab"]]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); r = []; x = s.scan(/[^a]/) { |m| r << m.bytes }; [r, x.equal?(s)].inspect"##,
        r##"[[[255], [239], [98]], true]"##,
    );
}

#[test]
fn bytes_changed_in_place() {
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.slice!(1), s].inspect"##,
        r##"["\xEF", "\xFFab"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.slice!(/a./), s, s.encoding].inspect"##,
        r##"["ab", "\xFF\xEF", #<Encoding:BINARY (ASCII-8BIT)>]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.slice!(0..1), s.slice!('z'), s].inspect"##,
        r##"["\xFF\xEF", nil, "ab"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.sub!(/a/, 'X'), s.gsub!(/z/, ''), s].inspect"##,
        r##"["\xFF\xEFXb", nil, "\xFF\xEFXb"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); s.gsub!(/./) { |c| c.ord.to_s }; s"##,
        r##"2552399798"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.upcase!, s.reverse!, s.chop!, s].inspect"##,
        r##"["BA\xEF", "BA\xEF", "BA\xEF", "BA\xEF"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); s[0] = 'Z'; s[/b/] = 255.chr; s[1..1] = ''; s.inspect"##,
        r##""Za\xFF""##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*'); s[0] = 'é'"##,
        r##"Encoding::CompatibilityError: incompatible character encodings: BINARY (ASCII-8BIT) and UTF-8"##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*').freeze; s.slice!(0)"##,
        r##"FrozenError: can't modify frozen String: "\xFF\xEFab""##,
    );
    check_err(
        r##"s = ['ffef6162'].pack('H*').freeze; s[0] = 'a'"##,
        r##"FrozenError: can't modify frozen String: "\xFF\xEFab""##,
    );
}

#[test]
fn ascii_8bit_is_not_normalized() {
    check_err(
        r##"['48'].pack('H*').squeeze.unicode_normalize"##,
        r##"Encoding::CompatibilityError: Unicode Normalization not appropriate for ASCII-8BIT"##,
    );
    check(
        r##"'48'.dup.force_encoding('US-ASCII').unicode_normalize"##,
        r##"48"##,
    );
}

/// What `sub` and `gsub` put into bytes as text past ASCII: Ruby answers text when no byte
/// past ASCII is left outside the matches and raises when one is; bale refuses both, by name.
/// A match in bytes is written as its bytes, and not taken as text.
#[test]
fn text_past_ascii_into_bytes_is_refused() {
    use super::Bytes::{Raised, Written};
    let out = super::rendered;
    let s = "<% s = ['ffef6162'].pack('H*') %>";
    let refused = |what: &str| {
        Raised(format!(
            "NotImplementedError: unsupported construct: {what} \
             (bale renders templates without Ruby and does not implement this)"
        ))
    };
    assert_eq!(
        out(&format!("{s}<%= s.gsub(/a/, 'é') %>")),
        refused("String#gsub of a binary string")
    );
    assert_eq!(
        out(&format!("{s}<%= s.sub(/../) {{ 'é' }} %>")),
        refused("String#sub of a binary string whose block answers text past ASCII")
    );
    assert_eq!(
        out(&format!("{s}<%= s.match(/../) %>|<%= s.match(/a/) %>")),
        Written(b"\xff\xef|a".to_vec())
    );
    assert_eq!(
        out(&format!("{s}<%= [s.match(/../)].join %>")),
        refused("a binary string taken as text")
    );
    assert_eq!(
        out(&format!("{s}<%= s =~ /\\bb/ %>")),
        refused("String#=~ of a binary string")
    );
}

#[test]
fn patterns_over_bytes_more() {
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.match(/./).string, s.match('a').to_s, $~[0]].inspect"##,
        r##"["\xFF\xEFab", "a", "a"]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s.match(/(?<x>a)/, 1), s.match?('[^a]', 3)].inspect"##,
        r##"[#<MatchData "a" x:"a">, true]"##,
    );
    check(
        r##"s = ['ffef6162'].pack('H*'); [s =~ /\x61/, s =~ /b\z/].inspect"##,
        r##"[2, 3]"##,
    );
}

#[test]
fn text_compared_with_bytes() {
    check(
        r##"[('  padded  ' < ['00ff41'].pack('H*')), ('yes' < 'été'.b), ('é' >= 255.chr), ('a' <= 'a'.b + 255.chr), ('z' > 255.chr)].inspect"##,
        r##"[false, true, false, true, false]"##,
    );
}
