//! What a search by a regexp leaves in `$~`: its match, nil without one, or (`split`)
//! what its search last found; a string pattern and `match?` leave it as it was.

use super::check;

/// sub, gsub and scan leave their last match in `$~`, with or without a block.
#[test]
fn substitutions_leave_their_last_match() {
    check(
        r##"/e/ =~ "hello"; [104, 255, 45, 108].pack("C*").gsub(/-/, "L"); $~.pre_match.inspect"##,
        r##""h\xFF""##,
    );
    check(
        r##""hello".sub(/l/, "L"); $~[0] + $~.pre_match"##,
        r##"lhe"##,
    );
    check(r##""hello".gsub(/l/, "L"); $~.pre_match"##, r##"hel"##);
    check(
        r##""hello".gsub(/(l)/) { "L" }; $~.pre_match + $1"##,
        r##"hell"##,
    );
    check(r##""hello".scan(/l/); $~.pre_match"##, r##"hel"##);
    check(
        r##""hello".scan(/(e)|(o)/); $~.inspect"##,
        r##"#<MatchData "o" 1:nil 2:"o">"##,
    );
    check(
        r##"/e/ =~ "hello"; "hello".sub(/z/, "L"); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "hello".gsub(/z/, "L"); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "hello".scan(/z/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##""hello".sub("l", "L"); $~[0] + $~.pre_match"##,
        r##"lhe"##,
    );
    check(
        r##""hello".gsub(/l/, "l" => "1"); $~.pre_match"##,
        r##"hel"##,
    );
    check(
        r##"s = +"hello"; s.sub!(/l/, "L"); $~.pre_match"##,
        r##"he"##,
    );
    check(
        r##"s = +"hello"; s.gsub!(/l/, "L"); $~.pre_match"##,
        r##"hel"##,
    );
    check(
        r##"s = +"hello"; s.gsub!(/z/, "L"); $~.inspect"##,
        r##"nil"##,
    );
    check(r##""a-b".split(/-/); $~.inspect"##, r##"nil"##);
    check(
        r##"/e/ =~ "hello"; "a-b".split(/-/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"def f; "hello".sub(/l/, "L"); end; f; $~.inspect"##,
        r##"nil"##,
    );
}

/// `split` by a regexp leaves `$~` as its search does: nil when it ran out, the last match
/// when the limit stopped it; a binary string's search leaves a match in bytes.
#[test]
fn split_leaves_its_search_s_last_match() {
    check(
        r##"/t./ =~ "été"; [255, 45].pack("C*").split(/-/, 1); $~.pre_match"##,
        r##"é"##,
    );
    check(
        r##"/t./ =~ "été"; [255, 45].pack("C*").index(/-/, 5); $~[0]"##,
        r##"té"##,
    );
    check(
        r##""a-b-c".split(/(-)/, 3).inspect"##,
        r##"["a", "-", "b", "-", "c"]"##,
    );
    check(
        r##""a-b-c".split(/(-)/, 2).inspect"##,
        r##"["a", "-", "b-c"]"##,
    );
    check(
        r##""a-b-c-d".split(/(-)(x)?/, 3).inspect"##,
        r##"["a", "-", "b", "-", "c-d"]"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".split(/-/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".split("-"); $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".split(/-/, 2); $~.inspect"##,
        r##"#<MatchData "-">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".split(/-/, 1); $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".split(/-/, 3); $~.inspect"##,
        r##"#<MatchData "-">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".split(/-/, 4); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".split(/-/, -1); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "abc".split(//); $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "abc".split(//, 2); $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "abc".split(/x*/, 2); $~.inspect"##,
        r##"#<MatchData "">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a b".split; $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".split(/(-)/); $~.inspect"##,
        r##"nil"##,
    );
    check(r##"/e/ =~ "hello"; "".split(/-/); $~.inspect"##, r##"nil"##);
    check(
        r##"/e/ =~ "hello"; "-a-".split(/-/, 2); $~.inspect"##,
        r##"#<MatchData "-">"##,
    );
    check(
        r##"/e/ =~ "hello"; [255, 45, 254].pack("C*").split(/-/, 2); $~.pre_match.inspect"##,
        r##""\xFF""##,
    );
    check(
        r##"/e/ =~ "hello"; [255, 45, 254].pack("C*").index(/-/); $~.pre_match.inspect"##,
        r##""\xFF""##,
    );
    check(
        r##"/e/ =~ "hello"; [255, 45, 254].pack("C*")[/-/]; $~.post_match.inspect"##,
        r##""\xFE""##,
    );
    check(
        r##"/e/ =~ "hello"; [255, 45, 254].pack("C*").partition(/-/); $~.post_match.inspect"##,
        r##""\xFE""##,
    );
}

/// The other searches by a regexp leave their match in `$~` (nil without one); a string
/// pattern or `match?` leaves it as it was.
#[test]
fn searches_leave_their_match() {
    check(
        r##""aaa".rpartition(/aa/).inspect"##,
        r##"["a", "aa", ""]"##,
    );
    check(
        r##""a-b-c".rpartition(/-/).inspect"##,
        r##"["a-b", "-", "c"]"##,
    );
    check(
        r##""abcabc".rpartition(/b(c)/).inspect + $1"##,
        r##"["abca", "bc", ""]c"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".rpartition(/z/).inspect + $~.inspect"##,
        r##"["", "", "a-b"]nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".start_with?(/z/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".start_with?(/-/); $~.inspect"##,
        r##"nil"##,
    );
    check(r##"/e/ =~ "hello"; "a-b"[/z/]; $~.inspect"##, r##"nil"##);
    check(
        r##"/e/ =~ "hello"; "a-b".index(/-/, 9); $~.inspect"##,
        r##"#<MatchData "e">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".index(/-/, -9); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".rindex(/-/, 9); $~.inspect"##,
        r##"#<MatchData "-">"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".rindex(/-/, -9); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".partition(/z/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".rindex(/-./); [$~.pre_match, $~[0]].inspect"##,
        r##"["a-b", "-c"]"##,
    );
    check(r##"/e/ =~ "hello"; "aaa".rindex(/a+/); $~[0]"##, r##"a"##);
    check(
        r##"/e/ =~ "hello"; "a-b".index(/-/); $~.pre_match"##,
        r##"a"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".index(/z/); $~.inspect"##,
        r##"nil"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".rindex(/-/); $~.pre_match"##,
        r##"a-b"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".index("-"); $~.pre_match"##,
        r##"h"##,
    );
    check(r##"/e/ =~ "hello"; "a-b"[/-/]; $~.pre_match"##, r##"a"##);
    check(
        r##"/e/ =~ "hello"; "a-b".slice(/(-)/, 1); $~.pre_match"##,
        r##"a"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".partition(/-/); $~.pre_match"##,
        r##"a"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b-c".rpartition(/-/); $~.pre_match"##,
        r##"a-b"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".start_with?(/a/); $~.post_match"##,
        r##"-b"##,
    );
    check(
        r##"/e/ =~ "hello"; "a-b".match?(/a/); $~.pre_match"##,
        r##"h"##,
    );
}
