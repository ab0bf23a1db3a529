//! Comparable's methods as numbers, strings and symbols answer them: `clamp` by `<=>`, and
//! too few arguments to a core method refused as Ruby refuses them.

use super::{check, check_err};

#[test]
fn clamp_by_comparison() {
    check(
        r##"[5.clamp(1, 3), 5.clamp(5.0, 6), 5.clamp(1.0, 3), 1.5.clamp(1, 2)]"##,
        r##"[3, 5, 3, 1.5]"##,
    );
    check(
        r##"[5.clamp(..3), 5.clamp(1...), 5.clamp(nil, 3), 5.clamp(1, nil)]"##,
        r##"[3, 5, 3, 5]"##,
    );
    check(
        r##"[(10**20).clamp(1, 5), 'b'.clamp('a', 'c'), 'b'.clamp('c'..'d'), 'b'.clamp('c'..)]"##,
        r##"[5, "b", "c", "c"]"##,
    );
    check(r##"[:b.clamp(:a, :c), :d.clamp(:a, :c)]"##, r##"[:b, :c]"##);
    check_err(
        r##"5.clamp(1...3)"##,
        r##"ArgumentError: cannot clamp with an exclusive range"##,
    );
    check_err(
        r##"5.clamp(1.5)"##,
        r##"TypeError: wrong argument type Float (expected Range)"##,
    );
    check_err(
        r##"'b'.clamp('a')"##,
        r##"TypeError: wrong argument type String (expected Range)"##,
    );
    check_err(
        r##"5.clamp('a', 'b')"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##":b.clamp('a', 'c')"##,
        r##"ArgumentError: comparison of Symbol with String failed"##,
    );
}

#[test]
fn too_few_arguments() {
    check_err(
        r##"1.between?(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check_err(
        r##"'a'.between?('a')"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check_err(
        r##"'abc'.tr('a')"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check_err(
        r##"'abc'.insert(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check(
        r##"['abc'.center(5), 'abc'.ljust(4), [3, 1].insert(1), 'a,b'.split(',', 1)]"##,
        r##"[" abc ", "abc ", [3, 1], ["a,b"]]"##,
    );
}
