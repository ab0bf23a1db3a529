//! Range: inclusive and exclusive, endless, steps, membership, Enumerable through ranges.

use super::{check, check_err};

#[test]
fn ranges() {
    check(r##"(1..5).to_a.inspect"##, r##"[1, 2, 3, 4, 5]"##);
    check(r##"(1...5).to_a.inspect"##, r##"[1, 2, 3, 4]"##);
    check(r##"(1..5).inspect"##, r##"1..5"##);
    check(r##"(1...5).to_s"##, r##"1...5"##);
    check(
        r##"('a'..'e').to_a.inspect"##,
        r##"["a", "b", "c", "d", "e"]"##,
    );
    check(
        r##"('a'..'e').step(2).to_a.inspect rescue 'no'"##,
        r##"["a", "c", "e"]"##,
    );
    check(
        r##"('aa'..'ad').to_a.inspect"##,
        r##"["aa", "ab", "ac", "ad"]"##,
    );
    check(r##"(1..10).step(3).to_a.inspect"##, r##"[1, 4, 7, 10]"##);
    check(
        r##"(1..10).each_slice(3).to_a.inspect"##,
        r##"[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]"##,
    );
    check(r##"(1..5).include?(3)"##, r##"true"##);
    check(r##"(1..5).include?(5.5)"##, r##"false"##);
    check(r##"(1...5).include?(5)"##, r##"false"##);
    check(r##"(1..5).cover?(2..3)"##, r##"true"##);
    check(r##"(1..5) === 3"##, r##"true"##);
    check(r##"(1..5).member?(6)"##, r##"false"##);
    check(r##"(1..5).sum"##, r##"15"##);
    check(r##"(1..5).reduce(:*)"##, r##"120"##);
    check(r##"(1..5).size"##, r##"5"##);
    check(r##"(1...5).size"##, r##"4"##);
    check(r##"(1..0).to_a.inspect"##, r##"[]"##);
    check(r##"(1..5).first"##, r##"1"##);
    check(r##"(1..5).first(2).inspect"##, r##"[1, 2]"##);
    check(r##"(1..5).last"##, r##"5"##);
    check(r##"(1..5).last(2).inspect"##, r##"[4, 5]"##);
    check(r##"(1..5).min"##, r##"1"##);
    check(r##"(1..5).max"##, r##"5"##);
    check(r##"(..5).include?(3)"##, r##"true"##);
    check(
        r##"(1..5).map { |x| x * x }.inspect"##,
        r##"[1, 4, 9, 16, 25]"##,
    );
    check(r##"(1..5).select(&:even?).inspect"##, r##"[2, 4]"##);
    check(
        r##"(1..5).each_cons(2).map { |a, b| b - a }.inspect"##,
        r##"[1, 1, 1, 1]"##,
    );
    check(
        r##"(1..3).zip(4..6).inspect"##,
        r##"[[1, 4], [2, 5], [3, 6]]"##,
    );
    check(r##"(1..3).to_a.reverse.inspect"##, r##"[3, 2, 1]"##);
    check(r##"(1..3).reverse_each.to_a.inspect"##, r##"[3, 2, 1]"##);
    check(r##"(1.0..2.0).include?(1.5)"##, r##"true"##);
    check(
        r##"(1..3).step(0.5).to_a.inspect rescue 'no'"##,
        r##"[1.0, 1.5, 2.0, 2.5, 3.0]"##,
    );
    check(r##"(1..3).count"##, r##"3"##);
    check(r##"(1..3).entries.inspect"##, r##"[1, 2, 3]"##);
    check(r##"(1..3).begin"##, r##"1"##);
    check(r##"(1..3).end"##, r##"3"##);
    check(r##"(1...3).exclude_end?"##, r##"true"##);
    check(r##"(1..3) == (1..3)"##, r##"true"##);
    check(r##"(1..3).eql?(1...3)"##, r##"false"##);
    check(r##"[1, 2, 3, 4, 5][1..-2].inspect"##, r##"[2, 3, 4]"##);
    check(r##"'hello'[1..-2]"##, r##"ell"##);
    check(r##"(0...0).to_a.inspect"##, r##"[]"##);
    check(r##"(-2..2).map(&:abs).inspect"##, r##"[2, 1, 0, 1, 2]"##);
    check(
        r##"(1..3).each_with_object([]) { |i, a| a.unshift(i) }.inspect"##,
        r##"[3, 2, 1]"##,
    );
    check(r##"(1..10).find { |i| i % 7 == 0 }"##, r##"7"##);
    check(
        r##"(1..10).group_by { |i| i % 3 }.inspect"##,
        r##"{1 => [1, 4, 7, 10], 2 => [2, 5, 8], 0 => [3, 6, 9]}"##,
    );
    check(
        r##"(1..10).partition(&:odd?).inspect"##,
        r##"[[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]]"##,
    );
    check(
        r##"(1..6).each_slice(2).map(&:sum).inspect"##,
        r##"[3, 7, 11]"##,
    );
    check(r##"(1..4).inject(:+)"##, r##"10"##);
    check(
        r##"(1..4).tally.inspect rescue 'no'"##,
        r##"{1 => 1, 2 => 1, 3 => 1, 4 => 1}"##,
    );
    check(
        r##"('a'..'c').map(&:upcase).inspect"##,
        r##"["A", "B", "C"]"##,
    );
    check(r##"('a'..'c').include?('bb')"##, r##"false"##);
    check(r##"('a'..'c').cover?('bb')"##, r##"true"##);
    check(r##"(1..5).min_by { |x| (x - 3).abs }"##, r##"3"##);
    check(r##"Range.new(1, 3).to_a.inspect"##, r##"[1, 2, 3]"##);
    check(r##"Range.new(1, 3, true).to_a.inspect"##, r##"[1, 2]"##);
    check_err(r##"(1..'a')"##, r##"ArgumentError: bad value for range"##);
    check(
        r##"(1..5).step(2).map { |x| x }.inspect"##,
        r##"[1, 3, 5]"##,
    );
    check(r##"1.step(2, 0.5).to_a.inspect"##, r##"[1.0, 1.5, 2.0]"##);
}

/// An endless range of integers: its first elements, and walks a block ends.
#[test]
fn endless_ranges() {
    check(r##"(1..).first(2).inspect"##, r##"[1, 2]"##);
    check(r##"(5..).take(3).inspect"##, r##"[5, 6, 7]"##);
    check(r##"(1..nil).first(0).inspect"##, r##"[]"##);
    check(r##"(1..).find { _1 > 3 }"##, r##"4"##);
    check(r##"(-3..).detect(&:positive?)"##, r##"1"##);
    check(r##"(1..).find_index { _1 * _1 > 50 }"##, r##"7"##);
    check(r##"(1..).take_while { _1 < 3 }.inspect"##, r##"[1, 2]"##);
    check(r##"(1..).each { break _1 if _1 > 2 }"##, r##"3"##);
    check(
        r##"(1..).each_with_index { |x, i| break [x, i] if i == 2 }.inspect"##,
        r##"[3, 2]"##,
    );
    check_err(
        r##"(1..).first(-1)"##,
        r##"ArgumentError: negative array size (or size too big)"##,
    );
}

/// An endless range ends where nothing that starts an operand follows: a list's comma or
/// closing bracket, `=>`, `then`, a modifier.
#[test]
fn endless_ranges_in_lists() {
    check(
        r##"[[1.., 2], {a: 1..}, [1, 2, 3].values_at(1.., 0)].inspect"##,
        r##"[[1.., 2], {a: 1..}, [2, 3, 1]]"##,
    );
    check(
        r##"[(case 5 when 3.. then 'big' end), (case 1 when 3.. then 'big' else 'small' end)].inspect"##,
        r##"["big", "small"]"##,
    );
    check(
        r##"r = (1..) if true; h = {1 => 2..}; [r, h].inspect"##,
        r##"[1.., {1 => 2..}]"##,
    );
}

#[test]
fn last_is_the_end_as_written() {
    check(
        r##"[(1...3).last, (1..3).last, ('a'...'c').last, (1.0...2.5).last, (1...3).last(1), (1...1).last, (1...3).max]"##,
        r##"[3, 3, "c", 2.5, [2], 1, 2]"##,
    );
    check_err(
        r##"(1..).last"##,
        r##"RangeError: cannot get the last element of endless range"##,
    );
    check_err(
        r##"(1..nil).last"##,
        r##"RangeError: cannot get the last element of endless range"##,
    );
}

#[test]
fn strings_count_up_as_ruby_counts_them() {
    check(
        r##"['a'.upto('e', true).to_a, 'b'.upto('a').to_a, ('b'..'a').to_a, 'Z'.upto('b').to_a, '9'.upto('11').to_a, '09'.upto('11').to_a, '9'.upto('11', true).to_a]"##,
        r##"[["a", "b", "c", "d"], [], [], ["Z", "[", "\\", "]", "^", "_", "`", "a", "b"], ["9", "10", "11"], ["09", "10", "11"], ["9", "10"]]"##,
    );
    check(
        r##"['az'.upto('bc').to_a, 'a8'.upto('b1').to_a, 'zz'.upto('a').to_a, 'a'.upto('a', true).to_a, ('aa'..'b').to_a, ('A'..'z').count, ('y'..'ab').to_a, ''.upto('').to_a, ''.upto('b').to_a]"##,
        r##"[["az", "ba", "bb", "bc"], ["a8", "a9", "b0", "b1"], [], [], ["aa"], 58, [], [], [""]]"##,
    );
}

#[test]
fn ends_and_sums() {
    check_err(
        r##"(1.0..Float::NAN)"##,
        r##"ArgumentError: bad value for range"##,
    );
    check_err(
        r##"(Float::NAN..1)"##,
        r##"ArgumentError: bad value for range"##,
    );
    check_err(
        r##"Range.new(1, 'a')"##,
        r##"ArgumentError: bad value for range"##,
    );
    check(r##"(nil..nil).inspect"##, r##"nil..nil"##);
    check(r##"(nil..nil).to_s"##, r##".."##);
    check(r##""#{'a'..'c'}""##, r##"a..c"##);
    check(r##"['a'..'b', 1.0...2].join(',')"##, r##"a..b,1.0...2"##);
    check(
        r##"(1..Float::INFINITY).first(3).inspect"##,
        r##"[1, 2, 3]"##,
    );
    check(
        r##"(1...Float::INFINITY).find { |x| x * x > 50 }"##,
        r##"8"##,
    );
    check(r##"(1..Float::INFINITY).size"##, r##"Infinity"##);
    check(r##"(1..).size"##, r##"Infinity"##);
    check(r##"(1..2).sum('3')"##, r##"6.0"##);
    check(r##"(1...3).sum(0.5)"##, r##"3.5"##);
    check(r##"(1..0).sum(nil).inspect"##, r##"nil"##);
    check_err(
        r##"(1..2).sum(nil)"##,
        r##"TypeError: can't convert nil into Float"##,
    );
    check_err(
        r##"(1..2).sum(:a)"##,
        r##"TypeError: can't convert Symbol into Float"##,
    );
    check_err(
        r##"(1..2).sum(true)"##,
        r##"TypeError: can't convert true into Float"##,
    );
    check_err(
        r##"(1..2).sum('')"##,
        r##"ArgumentError: invalid value for Float(): """##,
    );
}

/// An end past 64 bits on the side a range or step moves away from: nothing to iterate,
/// where bale used to refuse the big integer.
#[test]
fn big_bounds_that_iterate_nothing() {
    check(r##"1.step(-(10**24), 4).to_a"##, r##"[]"##);
    check(r##"1.step(10**24, -4).to_a"##, r##"[]"##);
    check(
        r##"[(1..-(2**70)).to_a, (1...-(2**70)).to_a]"##,
        r##"[[], []]"##,
    );
    check(
        r##"[(2**70..1).to_a, (2**71..2**70).to_a]"##,
        r##"[[], []]"##,
    );
    check(
        r##"(1..-(2**70)).each { |x| raise 'no' }"##,
        r##"1..-1180591620717411303424"##,
    );
}

#[test]
fn ranges_as_keys() {
    check(
        r##"[{(1..2) => 1}[(1..2)], [1..2, 1..2].uniq, {(1..2) => 1}[(1..2.0)], [1..2, 1...2].uniq, {('a'..'b') => 1}.key?('a'..'b')]"##,
        r##"[1, [1..2], nil, [1..2, 1...2], true]"##,
    );
}

#[test]
fn a_step_over_strings_is_an_enumerator_of_the_range() {
    check(
        r##"('a'..'e').step(2).inspect"##,
        r##"#<Enumerator: "a".."e":step(2)>"##,
    );
    check(
        r##"(('a'..'e') % 2).inspect"##,
        r##"#<Enumerator: "a".."e":%(2)>"##,
    );
    check(
        r##"('a'..'e').step(2).to_a.inspect"##,
        r##"["a", "c", "e"]"##,
    );
    check(
        r##"('a'...'e').step(3).map(&:upcase).inspect"##,
        r##"["A", "D"]"##,
    );
    check(r##"('a'..'e').step(2).size.inspect"##, r##"nil"##);
    check(
        r##"('a'..'e').step(2).with_index.to_a.inspect"##,
        r##"[["a", 0], ["c", 1], ["e", 2]]"##,
    );
    check(
        r##"('a'..'e').step(-1).inspect"##,
        r##"#<Enumerator: "a".."e":step(-1)>"##,
    );
    check_err(
        r##"('a'..'e').step(0)"##,
        r##"ArgumentError: step can't be 0"##,
    );
    check_err(
        r##"('a'..'e').step(-1).to_a"##,
        r##"ArgumentError: step can't be negative"##,
    );
    check_err(
        r##"('a'..'e').step(-1).size"##,
        r##"ArgumentError: step can't be negative"##,
    );
    check_err(
        r##"('a'..'e').step(-1) { }"##,
        r##"ArgumentError: step can't be negative"##,
    );
    check_err(
        r##"('a'..'e').step('x').to_a"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
}

#[test]
fn symbols_walk_as_their_names() {
    check(r##"(:a..:e).to_a.inspect"##, r##"[:a, :b, :c, :d, :e]"##);
    check(
        r##"(:a...:e).map(&:to_s).inspect"##,
        r##"["a", "b", "c", "d"]"##,
    );
    check(
        r##"(:aa..:ad).each_with_index.to_a.inspect"##,
        r##"[[:aa, 0], [:ab, 1], [:ac, 2], [:ad, 3]]"##,
    );
    check(r##"(:a..:e).step(2).to_a.inspect"##, r##"[:a, :c, :e]"##);
    check(
        r##"(:a..:e).each_slice(2).to_a.inspect"##,
        r##"[[:a, :b], [:c, :d], [:e]]"##,
    );
    check(
        r##"(:e..:a).to_a.inspect + (:a..:e).count.to_s"##,
        r##"[]5"##,
    );
    check(
        r##"s = +''; (:x..:z).each { |x| s << x.inspect }; s"##,
        r##":x:y:z"##,
    );
}

#[test]
fn a_step_over_other_ranges_is_an_enumerator_of_the_range_too() {
    check(
        r##"(:a..:e).step(2).inspect + (:a..:e).step(2).size.inspect"##,
        r##"#<Enumerator: :a..:e:step(2)>nil"##,
    );
    check(
        r##"([1]..[3]).step(1).inspect"##,
        r##"#<Enumerator: [1]..[3]:step(1)>"##,
    );
    check(r##"(1..10).step(3).size.inspect"##, r##"4"##);
}
