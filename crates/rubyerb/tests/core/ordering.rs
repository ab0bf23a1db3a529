//! min, max and minmax, with a count too, and sorts: which elements Ruby compares, in which
//! order (ties keep the earlier element; a pair that does not compare fails naming the two as
//! Ruby names them), for an array's own methods, for Enumerable's walk by pairs, for an array
//! literal's `max`, for sorting (glibc's merge sort) and for a count (Ruby's quickselect).

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

#[test]
fn a_literal_array_compares_each_element_against_the_best_so_far() {
    // `[...].max` written with more than static literals is a call of its own in Ruby,
    // which asks the element against the best so far; an array value asks the other way
    check_err(
        r##"[1, "a"].max"##,
        r##"ArgumentError: comparison of String with 1 failed"##,
    );
    check_err(
        r##"["a", 1].max"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"[1, "a"].min"##,
        r##"ArgumentError: comparison of String with 1 failed"##,
    );
    check_err(
        r##"([1.5, "a"]).max()"##,
        r##"ArgumentError: comparison of String with 1.5 failed"##,
    );
    check_err(
        r##"x = 3; y = nil; [x, y].max"##,
        r##"ArgumentError: comparison of NilClass with 3 failed"##,
    );
    check_err(
        r##"[1, [2]].max"##,
        r##"ArgumentError: comparison of Array with 1 failed"##,
    );
    check_err(
        r##"[1, (1..2)].max"##,
        r##"ArgumentError: comparison of Range with 1 failed"##,
    );
    // static literals alone make an array value; so does `&.`, a block or a count
    check_err(
        r##"[3, nil].max"##,
        r##"ArgumentError: comparison of Integer with nil failed"##,
    );
    check_err(
        r##"[1, :a, /x/].max"##,
        r##"ArgumentError: comparison of Integer with :a failed"##,
    );
    check_err(
        r##"[true, 1].min"##,
        r##"ArgumentError: comparison of TrueClass with 1 failed"##,
    );
    check_err(
        r##"[1, "a"]&.max"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"[1, "a"].max { |a, b| a <=> b }"##,
        r##"ArgumentError: comparison of String with 1 failed"##,
    );
    check(r##"[2, "b".size, 1].max"##, r##"2"##);
    check(r##"[[1, 'b'], [1, 'a']].max.inspect"##, r##"[1, "b"]"##);
}

#[test]
fn sorts_compare_as_a_top_down_merge_sort() {
    check(
        r##"log = []; [5, 3, 8, 1, 9, 2, 7].sort { |x, y| log << [x, y]; x <=> y }; log.inspect"##,
        r##"[[3, 8], [5, 3], [5, 8], [1, 9], [2, 7], [1, 2], [9, 2], [9, 7], [3, 1], [3, 2], [3, 7], [5, 7], [8, 7], [8, 9]]"##,
    );
    check(
        r##"log = []; r = %w[pear fig apple kiwi banana].sort_by { |w| log << w; w.size }; [r, log].inspect"##,
        r##"[["fig", "pear", "kiwi", "apple", "banana"], ["pear", "fig", "apple", "kiwi", "banana"]]"##,
    );
    check_err(
        r##"[1, "a", 2].sort"##,
        r##"ArgumentError: comparison of String with 2 failed"##,
    );
    check_err(
        r##"[3, "b", 1, "a"].sort"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"%w[b a c].sort_by { |w| w == "a" ? nil : w }"##,
        r##"ArgumentError: comparison of NilClass with String failed"##,
    );
    check_err(
        r##"{b: 1, a: nil, c: 0}.sort_by { |k, v| v }"##,
        r##"ArgumentError: comparison of NilClass with 0 failed"##,
    );
    check(
        r##"[2, 1, 3, 2, 1].sort { |a, b| b <=> a }.inspect"##,
        r##"[3, 2, 2, 1, 1]"##,
    );
    check(
        r##"[[1, :a], [0, :b], [1, :c], [0, :d]].sort_by(&:first).inspect"##,
        r##"[[0, :b], [0, :d], [1, :a], [1, :c]]"##,
    );
}

#[test]
fn a_count_takes_the_best_by_quickselect() {
    check(
        r##"log = []; r = [5, 1, 4, 2, 8, 7, 3, 9, 6, 0, 11, 10].max(2) { |a, b| log << [a, b]; a <=> b }; [r, log].inspect"##,
        r##"[[11, 10], [[5, 2], [1, 2], [4, 2], [9, 2], [8, 2], [7, 2], [3, 2], [5, 9], [4, 9], [3, 9], [8, 9], [7, 9], [4, 8], [3, 8], [5, 8], [7, 8], [6, 8], [0, 8], [11, 8], [10, 8], [9, 8], [10, 8], [11, 8], [9, 10], [11, 10], [11, 10]]]"##,
    );
    check(
        r##"log = []; r = %w[aa b cccc ddd e ffffff gg hhh i jjjjjjj kk].min_by(2) { |w| log << w; w.size }; [r, log].inspect"##,
        r##"[["b", "e"], ["aa", "b", "cccc", "ddd", "e", "ffffff", "gg", "hhh", "i", "jjjjjjj", "kk"]]"##,
    );
    check(
        r##"%w[aa b cccc ddd e ffffff gg hhh i jjjjjjj kk].max_by(3) { |w| w.size }.inspect"##,
        r##"["jjjjjjj", "ffffff", "cccc"]"##,
    );
    check(
        r##"[[1, :a], [1, :b], [0, :c]].max_by(2) { |x| x[0] }.inspect"##,
        r##"[[1, :a], [1, :b]]"##,
    );
    check(
        r##"[3, 1, 2].max(0).inspect + [3, 1, 2].min(5).inspect"##,
        r##"[][1, 2, 3]"##,
    );
    check(
        r##"(1..20).each.min(3).inspect + (1..20).max(2).inspect"##,
        r##"[1, 2, 3][20, 19]"##,
    );
    check_err(
        r##"[1, "a", 2].max(2)"##,
        r##"ArgumentError: comparison of Integer with String failed"##,
    );
    check_err(
        r##"[1, nil, 2, 3, 4, 5, 6, 7, 8, 9].min(2)"##,
        r##"ArgumentError: comparison of NilClass with 3 failed"##,
    );
    check_err(
        r##"[1, 2, 3, 4, 5, 6, 7, 8, 9, nil].min(2)"##,
        r##"ArgumentError: comparison of NilClass with 2 failed"##,
    );
    check_err(
        r##"[3, 1, 2].max(-1)"##,
        r##"ArgumentError: negative size (-1)"##,
    );
}

#[test]
fn min_by_and_max_by_walk_once() {
    check_err(
        r##"[1, 2, "a"].max_by { |x| x }"##,
        r##"ArgumentError: comparison of String with 2 failed"##,
    );
    check_err(
        r##"[1, 2, "a"].min_by { |x| x }"##,
        r##"ArgumentError: comparison of String with 1 failed"##,
    );
    check(
        r##"log = []; r = [3, 1, 2].max_by { |x| log << x; -x }; [r, log].inspect"##,
        r##"[1, [3, 1, 2]]"##,
    );
    check(
        r##"[[1, :a], [1, :b]].max_by(&:first).inspect"##,
        r##"[1, :a]"##,
    );
    check(
        r##"[[1, :a], [1, :b]].min_by(&:first).inspect"##,
        r##"[1, :a]"##,
    );
}

#[test]
fn any_object_compares_equal_to_itself() {
    check(r##"(Object.new <=> 1).inspect"##, r##"nil"##);
    check(r##"(o = Object.new; o <=> o).inspect"##, r##"0"##);
    check(r##"((o = OpenStruct.new(a: 1)) <=> o).inspect"##, r##"0"##);
    check(
        r##"(OpenStruct.new(a: 1) <=> OpenStruct.new(a: 1)).inspect"##,
        r##"0"##,
    );
    check(r##"({a: 1} <=> {a: 1}).inspect"##, r##"0"##);
    check(
        r##"[OpenStruct.new(a: 1), OpenStruct.new(a: 1)].max.inspect"##,
        r##"#<OpenStruct a=1>"##,
    );
    check_err(
        r##"[OpenStruct.new(a: 1), 1].sort"##,
        r##"ArgumentError: comparison of OpenStruct with 1 failed"##,
    );
    check_err(
        r##"[Object.new, 'x'].min"##,
        r##"ArgumentError: comparison of String with Object failed"##,
    );
}
