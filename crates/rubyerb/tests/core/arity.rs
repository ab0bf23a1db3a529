//! Calls without the arguments a core method needs, refused as Ruby refuses them, before
//! the method runs: the fewest each method takes come from Ruby (`tools/arity.rb`).

use super::{check, check_err};

#[test]
fn no_arguments_where_some_are_needed() {
    check_err(
        r##"[1, 2].each_slice"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check_err(
        r##"[1, 2].each_slice { |s| s }"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check_err(
        r##"[1, 2].include?"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check_err(
        r##"{'a' => 1}.fetch"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1..2)"##,
    );
    check_err(
        r##"'abc'.gsub"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1..2)"##,
    );
    check_err(
        r##"'abc'.count"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1+)"##,
    );
    check_err(
        r##"[1].dig"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1+)"##,
    );
    check_err(
        r##"5.between?"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 2)"##,
    );
    check_err(
        r##"[1].fill"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1..3)"##,
    );
    check_err(
        r##"{'a' => 1}.assoc"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
}

#[test]
fn the_fewest_is_not_read_off_the_text_for_too_many() {
    // `{}.count(1, 2)` expects "1", yet `{}.count` is fine
    check(
        r##"[{'a' => 1}.count, (1..3).count, (1..3).first, (1..3).min, [1].fill { |i| i }]"##,
        r##"[1, 3, 1, 1, [0]]"##,
    );
}
