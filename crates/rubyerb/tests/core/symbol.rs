//! Symbol: `inspect` quoting, String-like methods, `to_proc`, Comparable.

use super::{check, check_err};

#[test]
fn symbols() {
    check(r##":abc.inspect"##, r##":abc"##);
    check(r##":abc.to_s"##, r##"abc"##);
    check(r##":abc.to_proc.call('x') rescue 'no'"##, r##"no"##);
    check(r##":+.to_proc.call(1, 2)"##, r##"3"##);
    check(r##":upcase.to_proc.call('a')"##, r##"A"##);
    check(r##"%i[b a].sort.inspect"##, r##"[:a, :b]"##);
    check(r##":"a b".inspect"##, r##":"a b""##);
    check(r##":"foo-bar".inspect"##, r##":"foo-bar""##);
    check(r##":a?.inspect"##, r##":a?"##);
    check(r##":b!.inspect"##, r##":b!"##);
    check(r##":c=.inspect"##, r##":c="##);
    check(r##":+.inspect"##, r##":+"##);
    check(r##":[].inspect"##, r##":[]"##);
    check(r##":"9a".inspect"##, r##":"9a""##);
    check(r##":@iv.inspect"##, r##":@iv"##);
    check(r##":A.inspect"##, r##":A"##);
    check(r##":abc.length"##, r##"3"##);
    check(r##":abc.upcase.inspect"##, r##":ABC"##);
    check(r##":abc <=> :abd"##, r##"-1"##);
    check(r##":abc == :abc"##, r##"true"##);
    check(r##":abc.to_sym.equal?(:abc)"##, r##"true"##);
    check(r##":abc.start_with?('a')"##, r##"true"##);
    check(r##":abc.end_with?('c')"##, r##"true"##);
    check(r##":abc[1]"##, r##"b"##);
    check(r##":abc.class"##, r##"Symbol"##);
    check(r##":abc.size"##, r##"3"##);
    check(r##":a.to_proc.call({a: 1}) rescue 'no'"##, r##"no"##);
    check(r##"%w[a b].map(&:upcase).inspect"##, r##"["A", "B"]"##);
    check(r##"[1, 2].map(&:to_s).inspect"##, r##"["1", "2"]"##);
    check(r##":abc.succ.inspect"##, r##":abd"##);
    check(r##":abc.empty?"##, r##"false"##);
    check(r##":"".empty?"##, r##"true"##);
    check(r##":abc.frozen?"##, r##"true"##);
    check_err(
        r##":abc.foo"##,
        r##"NoMethodError: undefined method 'foo' for an instance of Symbol"##,
    );
    check(r##"'abc'.to_sym == :abc"##, r##"true"##);
}

/// Symbol is Comparable through `<=>`: comparing with anything else fails as Ruby words it.
#[test]
fn comparisons() {
    check(r##":z >= :a"##, r##"true"##);
    check(r##":z < :a"##, r##"false"##);
    check(r##":b <= :b"##, r##"true"##);
    check(r##":z.between?(:a, :zz)"##, r##"true"##);
    check(r##":b.clamp(:a, :c).inspect"##, r##":b"##);
    check(r##":x.clamp(:a, :c).inspect"##, r##":c"##);
    check(r##":A.clamp(:a, :c).inspect"##, r##":a"##);
    check_err(
        r##":z >= 2"##,
        r##"ArgumentError: comparison of Symbol with 2 failed"##,
    );
    check_err(
        r##":a <= 10**30"##,
        r##"ArgumentError: comparison of Symbol with Integer failed"##,
    );
    check_err(
        r##"[nil, :z, nil].bsearch { |e| e >= 2 }"##,
        r##"ArgumentError: comparison of Symbol with 2 failed"##,
    );
    check_err(
        r##"'a' < 1.5"##,
        r##"ArgumentError: comparison of String with 1.5 failed"##,
    );
    check_err(
        r##"'a' < nil"##,
        r##"ArgumentError: comparison of String with nil failed"##,
    );
    check_err(
        r##"'a' < true"##,
        r##"ArgumentError: comparison of String with true failed"##,
    );
    check_err(
        r##"'a' < :s"##,
        r##"ArgumentError: comparison of String with :s failed"##,
    );
    check_err(
        r##"'a' < [1]"##,
        r##"ArgumentError: comparison of String with Array failed"##,
    );
}

#[test]
fn an_ascii_symbol_escapes_control_characters_in_hex() {
    check(
        r##"[2.chr.to_sym, :"a\x02", :"\x7f", :"tab\there", :"é\x02", :"\e", :"a\\u0002b"].inspect"##,
        r##"[:"\x02", :"a\x02", :"\x7F", :"tab\there", :"é\u0002", :"\e", :"a\\u0002b"]"##,
    );
    check(
        r##"{:"\x03" => 1, :"é\x03" => 2}.inspect"##,
        r##"{"\x03": 1, "é\u0003": 2}"##,
    );
}

#[test]
fn casecmp_folds_ascii_and_casecmp_p_unicode() {
    check(r##""Ä".casecmp("ä")"##, r##"-1"##);
    check(r##""Ä".casecmp?("ä")"##, r##"true"##);
    check(r##""ß".casecmp?("SS")"##, r##"true"##);
    check(r##":abc.casecmp(:ABD)"##, r##"-1"##);
    check(r##":abc.casecmp?(:ABC)"##, r##"true"##);
    check(r##":abc.casecmp("abc").inspect"##, r##"nil"##);
}
