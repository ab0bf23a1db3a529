//! min, max and minmax: which elements Ruby compares, in which order (ties keep the earlier
//! element; a pair that does not compare fails naming the two as Ruby names them), for an
//! array's own methods and for Enumerable's walk by pairs.

use super::{check, check_err};

#[test]
fn ties_keep_the_first_element() {
    check(
        r##"%w[a A b B].minmax { |a, b| a.downcase <=> b.downcase }.inspect"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"%w[B b A a].minmax { |a, b| a.downcase <=> b.downcase }.inspect"##,
        r##"["A", "B"]"##,
    );
    check(
        r##"%w[a A b B].each.minmax { |a, b| a.downcase <=> b.downcase }.inspect"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"%w[b B a A].max { |a, b| a.downcase <=> b.downcase }"##,
        r##"b"##,
    );
    check(
        r##"%w[b B a A].min { |a, b| a.downcase <=> b.downcase }"##,
        r##"a"##,
    );
    check(r##"x = [1.0, 1]; x.minmax.inspect"##, r##"[1.0, 1.0]"##);
    check(r##"x = [1, 1.0]; x.minmax.inspect"##, r##"[1, 1]"##);
    check(
        r##"%w[x yy z ww].each.minmax { |a, b| a.size <=> b.size }.inspect"##,
        r##"["x", "yy"]"##,
    );
    check(
        r##"[[1, 'b'], [1, 'a']].minmax_by(&:first).inspect"##,
        r##"[[1, "b"], [1, "b"]]"##,
    );
}

#[test]
fn minmax_compares_by_pairs() {
    check(
        r##"log = []; r = [3, 1, 4, 1, 5, 9, 2, 6].minmax { |a, b| log << [a, b]; a <=> b }; [r, log].inspect"##,
        r##"[[1, 9], [[3, 1], [4, 1], [1, 1], [4, 3], [5, 9], [5, 1], [9, 4], [2, 6], [2, 1], [6, 9]]]"##,
    );
    // the last two elements never meet: no failure
    check(
        r##"x = [[0, 'b'], [1, 'a'], [2, 3], [3, nil], [2, [3]]]; x.minmax.inspect"##,
        r##"[[0, "b"], [3, nil]]"##,
    );
    check(
        r##"x = [[0, 'b'], [1, 'a'], [2, 3], [3, nil], [2, [3]]]; x.each.minmax.inspect"##,
        r##"[[0, "b"], [3, nil]]"##,
    );
    check(r##"[].minmax.inspect"##, r##"[nil, nil]"##);
    check(r##"[5].each.minmax.inspect"##, r##"[5, 5]"##);
    check(
        r##"{'a' => 1, 'B' => 2}.minmax.inspect"##,
        r##"[["B", 2], ["a", 1]]"##,
    );
    check(r##"[1, 2, 3].minmax { 1.5 }.inspect"##, r##"[2, 3]"##);
    check(r##"[1, 2].max { 2**70 }"##, r##"2"##);
}

#[test]
fn failures_name_the_pair() {
    check_err(
        r##"x = [[2, 3], [2, [3]], [0, 'b']]; x.minmax"##,
        r##"ArgumentError: comparison of Array with Array failed"##,
    );
    check_err(
        r##"x = [[1, nil], [1, 2]]; x.sort"##,
        r##"ArgumentError: comparison of Array with Array failed"##,
    );
    check_err(
        r##"x = [1, 'a']; x.minmax"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"x = [:a, 1]; x.max"##,
        r##"ArgumentError: comparison of Symbol with 1 failed"##,
    );
    check_err(
        r##"x = [1, 2, :a]; x.min"##,
        r##"ArgumentError: comparison of Integer with :a failed"##,
    );
    check_err(
        r##"x = [nil, 1]; x.min"##,
        r##"ArgumentError: comparison of NilClass with 1 failed"##,
    );
    check_err(
        r##"x = [1, nil]; x.max"##,
        r##"ArgumentError: comparison of Integer with nil failed"##,
    );
    check_err(
        r##"x = [1.5, :a]; x.max"##,
        r##"ArgumentError: comparison of Float with :a failed"##,
    );
    check_err(
        r##"x = [2**70, 'a']; x.max"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"[1, 2, :a].each.max"##,
        r##"ArgumentError: comparison of Symbol with 2 failed"##,
    );
    check_err(
        r##"[:a, :b, 1].each.min"##,
        r##"ArgumentError: comparison of Integer with :a failed"##,
    );
    check_err(
        r##"[1, 2, :a].each.minmax"##,
        r##"ArgumentError: comparison of Symbol with 1 failed"##,
    );
    check_err(
        r##"{1 => 2, :a => 3}.max"##,
        r##"ArgumentError: comparison of Array with Array failed"##,
    );
    check_err(
        r##"[1, 2, 3].minmax { nil }"##,
        r##"ArgumentError: comparison of Integer with 2 failed"##,
    );
    check_err(
        r##"[1, 2, 3].max { nil }"##,
        r##"ArgumentError: comparison of Integer with 1 failed"##,
    );
    check_err(
        r##"[1, 2, 3].min { 'x' }"##,
        r##"ArgumentError: comparison of String with 0 failed"##,
    );
    check_err(
        r##"[1, 2].max { [1] }"##,
        r##"NoMethodError: undefined method '>' for an instance of Array"##,
    );
}
