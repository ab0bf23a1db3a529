//! URI's form encoding: `URI.encode_www_form` and `URI.decode_www_form`.

use super::{check, check_err};

#[test]
fn www_forms() {
    check(
        r##"URI.encode_www_form({'a' => '1 2', 'b' => nil, 'c' => ['x', nil, 'y'], 'd' => [], 'e&' => 'é*~'})"##,
        r##"a=1+2&b&c=x&&c=y&&e%26=%C3%A9*%7E"##,
    );
    check(
        r##"URI.encode_www_form([['q', 1], [:s, :t]])"##,
        r##"q=1&s=t"##,
    );
    check(
        r##"['a=1+2&b&c=%41', 'a&&b', 'a&', '', '=x', 'k=v=w', '%zz=%4'].map { |s| URI.decode_www_form(s) }.inspect"##,
        r##"[[["a", "1 2"], ["b", ""], ["c", "A"]], [["a", ""], ["", ""], ["b", ""]], [["a", ""]], [], [["", "x"]], [["k", "v=w"]], [["%zz", "%4"]]]"##,
    );
    check_err(
        r##"URI.decode_www_form('é=1')"##,
        r##"ArgumentError: the input of URI.decode_www_form must be ASCII only string"##,
    );
}
