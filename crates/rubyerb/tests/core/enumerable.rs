//! Enumerable and Enumerator: chains (`with_index`, `with_object`), `next`, `grep`, slices.

use super::{check, check_err};

#[test]
fn enumerators() {
    check(r##"[1, 2, 3].each.next"##, r##"1"##);
    check(
        r##"[1, 2, 3].each_with_index.to_a.inspect"##,
        r##"[[1, 0], [2, 1], [3, 2]]"##,
    );
    check(
        r##"[1, 2, 3].each.with_index(1).to_a.inspect"##,
        r##"[[1, 1], [2, 2], [3, 3]]"##,
    );
    check(
        r##"[1, 2, 3].map.with_index { |x, i| x * i }.inspect"##,
        r##"[0, 2, 6]"##,
    );
    check(
        r##"[1, 2, 3].select.with_index { |x, i| i > 0 }.inspect"##,
        r##"[2, 3]"##,
    );
    check(
        r##"%w[a b c].each_with_index.select { |x, i| i.even? }.map(&:first).inspect"##,
        r##"["a", "c"]"##,
    );
    check(
        r##"a = [1, 2]; a.collect!.with_index { |x, i| x + i }; a.inspect"##,
        r##"[1, 3]"##,
    );
    check(
        r##"[4, 5].each_with_index.map { |x, i| [i, x] }.to_h.inspect"##,
        r##"{0 => 4, 1 => 5}"##,
    );
    check(
        r##"[1, 2, 3].lazy.map { |x| x * 2 }.to_a.inspect rescue 'no'"##,
        r##"[2, 4, 6]"##,
    );
    check(
        r##"[1, 2, 3].each_slice(2).map(&:sum).inspect"##,
        r##"[3, 3]"##,
    );
    check(r##"[1, 2, 3].each_cons(2).to_a.size"##, r##"2"##);
    check(
        r##"[3, 1, 2].sort.each_with_index.map { |x, i| "#{i}#{x}" }.join"##,
        r##"011223"##,
    );
    check(r##"[1, 2, 3].each.size"##, r##"3"##);
    check(
        r##"(1..3).each_entry.to_a.inspect rescue 'no'"##,
        r##"[1, 2, 3]"##,
    );
    check(
        r##"[1, 2, 3].reverse_each.map { |x| x }.inspect"##,
        r##"[3, 2, 1]"##,
    );
    check(
        r##"[[1, 2], [3, 4]].each_with_index.map { |(a, b), i| a + b + i }.inspect"##,
        r##"[3, 8]"##,
    );
    check(r##"3.times.to_a.inspect"##, r##"[0, 1, 2]"##);
    check(r##"[1, 2, 3].sum { |x| x * 10 }"##, r##"60"##);
    check(r##"[1, 2, 3].min(2).inspect"##, r##"[1, 2]"##);
    check(
        r##"[1, 2, 3].sort_by { |x| [-x, x] }.inspect"##,
        r##"[3, 2, 1]"##,
    );
    check(
        r##"[[1, 'b'], [1, 'a'], [0, 'z']].sort_by { |n, s| [n, s] }.inspect"##,
        r##"[[0, "z"], [1, "a"], [1, "b"]]"##,
    );
    check(
        r##"%w[apple banana cherry].each_with_object({}) { |w, h| h[w[0]] = w.size }.inspect"##,
        r##"{"a" => 5, "b" => 6, "c" => 6}"##,
    );
    check(
        r##"%w[a b c].zip(1..3).to_h.inspect"##,
        r##"{"a" => 1, "b" => 2, "c" => 3}"##,
    );
    check(
        r##"%w[a b].to_enum.to_a.inspect rescue 'no'"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"[1, 2, 3, 4].each_slice(2).to_h.inspect"##,
        r##"{1 => 2, 3 => 4}"##,
    );
    check(r##"[[1, 2], [3]].sum([]).inspect"##, r##"[1, 2, 3]"##);
    check(
        r##"[nil, 1, false, 2].compact.inspect"##,
        r##"[1, false, 2]"##,
    );
    check(
        r##"[1, [2, [3, nil]]].flatten.compact.inspect"##,
        r##"[1, 2, 3]"##,
    );
    check(r##"[1, 2, 3].first(0).inspect"##, r##"[]"##);
    check(
        r##"[1, 2, 3, 4, 5].each_slice(2).to_a.last.inspect"##,
        r##"[5]"##,
    );
    check(
        r##"%w[a b c].each_with_index.max_by { |x, i| i }.inspect"##,
        r##"["c", 2]"##,
    );
    check(r##"[1, 2, 3].uniq { |x| x % 2 }.inspect"##, r##"[1, 2]"##);
    check(r##"[1, 2, 3].grep(2..3).inspect"##, r##"[2, 3]"##);
    check(r##"%w[ab cd ax].grep(/a/).inspect"##, r##"["ab", "ax"]"##);
    check(r##"%w[ab cd ax].grep_v(/a/).inspect"##, r##"["cd"]"##);
    check(
        r##"[1, 'a', :b, 2.0].grep(Numeric).inspect"##,
        r##"[1, 2.0]"##,
    );
    check(r##"[1, 2, 3].zip.inspect"##, r##"[[1], [2], [3]]"##);
    check(r##"[1, 2, 3].step rescue $!.class"##, r##"NoMethodError"##);
    check_err(
        r##"[1, 2, 3].inject(:foo)"##,
        r##"NoMethodError: undefined method 'foo' for an instance of Integer"##,
    );
    check(r##"[1, 2, 3].each.class"##, r##"Enumerator"##);
    check(r##"[1, 2, 3].map.class"##, r##"Enumerator"##);
    check(
        r##"[1, 2].each.inspect"##,
        r##"#<Enumerator: [1, 2]:each>"##,
    );
    check(r##"[1, 2].map.inspect"##, r##"#<Enumerator: [1, 2]:map>"##);
    check(
        r##"e = [1, 2].each; [e.next, e.next].inspect"##,
        r##"[1, 2]"##,
    );
    check_err(
        r##"e = [1].each; e.next; e.next"##,
        r##"StopIteration: iteration reached an end"##,
    );
    check(r##"e = [1, 2].map; e.next; e.peek"##, r##"2"##);
    check(r##"e = [1, 2].each; e.next; e.rewind; e.next"##, r##"1"##);
    check(r##"{a: 1}.each.next.inspect"##, r##"[:a, 1]"##);
    check(r##"[1, 2, 3].minmax_by { |x| -x }.inspect"##, r##"[3, 1]"##);
    check(
        r##"%w[bb a ccc].minmax_by(&:size).inspect"##,
        r##"["a", "ccc"]"##,
    );
    check(r##"[].minmax_by { |x| x }.inspect"##, r##"[nil, nil]"##);
    check(
        r##"(1..4).minmax_by { |x| (x - 2).abs }.inspect"##,
        r##"[2, 4]"##,
    );
}

/// `cycle`: with a count, with a block ended by `break`, and an endless one's first elements.
#[test]
fn cycle() {
    check(
        r##"[[1, 2, 3].cycle.first(7), [1, 2].cycle(2).to_a, [].cycle.first(3), [4, 5].cycle.first, (1..3).cycle.take(5), {a: 1}.cycle.first(2)].inspect"##,
        r##"[[1, 2, 3, 1, 2, 3, 1], [1, 2, 1, 2], [], 4, [1, 2, 3, 1, 2], [[:a, 1], [:a, 1]]]"##,
    );
    check(
        r##"r = []; [[1, 2].cycle(3) { |x| r << x }, r, [1, 2, 3].cycle { |x| r << x; break :done if r.size > 8 }, [].cycle { }, [1].cycle(0) { }].inspect"##,
        r##"[nil, [1, 2, 1, 2, 1, 2, 1, 2, 3], :done, nil, nil]"##,
    );
    check(
        r##"[[1, 2].cycle(2).with_index.map { |x, i| x * i }, 'ab'.chars.cycle.first(3).join].inspect"##,
        r##"[[0, 2, 2, 6], "aba"]"##,
    );
}

#[test]
fn slices_of_size_below_one_are_refused() {
    check_err(
        r##"[1, 2].each_slice(0).to_a"##,
        r##"ArgumentError: invalid slice size"##,
    );
    check_err(
        r##"[].each_slice(0)"##,
        r##"ArgumentError: invalid slice size"##,
    );
    check_err(
        r##"[1].each_slice(-1) { }"##,
        r##"ArgumentError: invalid slice size"##,
    );
    check_err(
        r##"[1, 2].each_cons(0).to_a"##,
        r##"ArgumentError: invalid size"##,
    );
    check_err(
        r##"(1..3).each_slice(0) { }"##,
        r##"ArgumentError: invalid slice size"##,
    );
    check_err(
        r##"[1, 2].each.each_slice(0).to_a"##,
        r##"ArgumentError: invalid slice size"##,
    );
}

/// A pattern argument is matched with `===`, as `case` matches: ranges, regexps against
/// symbols too, classes; a hash's elements are its pairs.
#[test]
fn predicates_and_grep_match_a_pattern_with_case_equality() {
    check(
        r##"[['private', 'x'].any?(/a/), [:ab].any?(/b/), [1, 5].one?(3..6), [1, 2].all?(Integer), [1, 'a'].none?(String)].inspect"##,
        r##"[true, true, true, true, false]"##,
    );
    check(
        r##"[{a: 1}.any?([:a, 1]), {a: 1}.all?(Array), {a: 1}.none?([:a, 2])].inspect"##,
        r##"[true, true, true]"##,
    );
    check(
        r##"[[1, 5, 9].grep(3..6), [:ab, 'cb', 1].grep(/b/), [1, 'a'].grep_v(Integer)].inspect"##,
        r##"[[5], [:ab, "cb"], ["a"]]"##,
    );
}

/// `to_h` names the element that is not a pair, as Ruby does (a Hash's block names none).
#[test]
fn to_h_errors_name_the_element() {
    check_err(
        r##"[[[1, 2]], [[3, 4]]].to_h"##,
        r##"ArgumentError: wrong array length at 0 (expected 2, was 1)"##,
    );
    check_err(
        r##"[[1, 2], 3].to_h"##,
        r##"TypeError: wrong element type Integer at 1 (expected array)"##,
    );
    check_err(
        r##"[1].to_h { nil }"##,
        r##"TypeError: wrong element type NilClass at 0 (expected array)"##,
    );
    check_err(
        r##"{a: 1}.to_h { [1] }"##,
        r##"ArgumentError: element has wrong array length (expected 2, was 1)"##,
    );
    check_err(
        r##"{a: 1}.to_h { 1 }"##,
        r##"TypeError: wrong element type Integer (expected array)"##,
    );
}

/// A parameter name given twice (only `_`-names may be) keeps its first argument.
#[test]
fn a_parameter_named_twice_keeps_the_first_argument() {
    check(r##"[[1, 2]].map { |_, _| _ }.inspect"##, r##"[1]"##);
    check(
        r##"[[1, 2, 3]].map { |_a, b, _a| [_a, b] }.inspect"##,
        r##"[[1, 2]]"##,
    );
    check(
        r##"[[1, [2, 3]]].map { |_, (_, c)| [_, c] }.inspect"##,
        r##"[[2, 3]]"##,
    );
    check(
        r##"[[[1, 2], 3]].map { |(_, a), _| [_, a] }.inspect"##,
        r##"[[1, 2]]"##,
    );
    check(
        r##"[[1, [2, 3]]].map { |(a), _| [_, a] }.inspect"##,
        r##"[[[2, 3], 1]]"##,
    );
    check(r##"(def f(_, _) = _; f(3, 4))"##, r##"3"##);
    check(r##"(def g(_, *_) = _; g(5, 6, 7))"##, r##"5"##);
}

/// Blocks written without parameters: numbered ones (`_1`...`_9`) and Ruby 3.4's `it`.
#[test]
fn implicit_block_parameters() {
    check(r##"[1, 2, 3].map { _1 * 2 }.inspect"##, r##"[2, 4, 6]"##);
    check(r##"[[1, 2]].map { _1 + _2 }.inspect"##, r##"[3]"##);
    check(r##"[[1, 2]].map { _1 }.inspect"##, r##"[[1, 2]]"##);
    check(r##"[[1, 2]].map { _2 }.inspect"##, r##"[2]"##);
    check(r##"{a: 1}.map { "#{_1}=#{_2}" }.inspect"##, r##"["a=1"]"##);
    check(
        r##"[1, 2].each_with_object([]) { _2 << _1 }.inspect"##,
        r##"[1, 2]"##,
    );
    check(r##"[1, 2].map do _1 * 3 end.inspect"##, r##"[3, 6]"##);
    check(r##"[1, 2].map { it + 1 }.inspect"##, r##"[2, 3]"##);
    check(r##"[[1, 2]].map { it }.inspect"##, r##"[[1, 2]]"##);
    check(
        r##"[1, 2].map { [it, it * 2] }.inspect"##,
        r##"[[1, 2], [2, 4]]"##,
    );
    check(
        r##"(def it(x = 0) = 'm'; [1].map { it }.inspect)"##,
        r##"[1]"##,
    );
    check(r##"(it = 5; [1].map { it }.inspect)"##, r##"[5]"##);
    check(
        r##"[1, 2].map { _1.then { it * 2 } }.inspect"##,
        r##"[2, 4]"##,
    );
}

/// Which blocks take a lone array argument apart: not `|*a|` nor `|a = 1|`.
#[test]
fn blocks_take_a_lone_array_apart_as_ruby_does() {
    check(r##"[[1, 2]].map { |a = 5| a }.inspect"##, r##"[[1, 2]]"##);
    check(
        r##"[[1, 2]].map { |a = 5, b = 6| [a, b] }.inspect"##,
        r##"[[1, 2]]"##,
    );
    check(r##"[[1, 2]].map { |*a| a }.inspect"##, r##"[[[1, 2]]]"##);
    check(
        r##"[[1, 2]].map { |*a, &b| a }.inspect"##,
        r##"[[[1, 2]]]"##,
    );
    check(r##"[[1, 2]].map { |a, &b| a }.inspect"##, r##"[[1, 2]]"##);
    check(
        r##"[[1, 2]].map { |a, k: 1| [a, k] }.inspect"##,
        r##"[[[1, 2], 1]]"##,
    );
    check(
        r##"[[1, 2]].map { |*r, a| [r, a] }.inspect"##,
        r##"[[[1], 2]]"##,
    );
    check(
        r##"[[1, 2]].map { |a = 5, *r| [a, r] }.inspect"##,
        r##"[[[1, 2], []]]"##,
    );
    check(r##"proc { |*a| a }.call([1, 2]).inspect"##, r##"[[1, 2]]"##);
    check(
        r##"proc { |a = 1| a }.call([1, 2]).inspect"##,
        r##"[1, 2]"##,
    );
}

/// Keywords beside one positional parameter: Ruby 3.4 no longer takes the array apart.
#[test]
fn keywords_do_not_make_a_block_take_an_array_apart() {
    check(
        r##"[[1, 2]].map { |a, **kw| [a, kw] }.inspect"##,
        r##"[[[1, 2], {}]]"##,
    );
    check(
        r##"[[1, 2]].map { |(a, b), k: 1| [a, b, k] }.inspect"##,
        r##"[[1, 2, 1]]"##,
    );
    check(
        r##"[[1, 2]].map { |*r, k: 1| [r, k] }.inspect"##,
        r##"[[[[1, 2]], 1]]"##,
    );
    check(
        r##"[[1, 2]].map { |a, b, k: 1| [a, b, k] }.inspect"##,
        r##"[[1, 2, 1]]"##,
    );
    check(
        r##"[[1, 2]].map { |a, *r, k: 1| [a, r, k] }.inspect"##,
        r##"[[1, [2], 1]]"##,
    );
}

/// An enumerator whose `each` yields two values (`each_with_index`, `with_index`,
/// `with_object`): `map`, `count`, `any?`... hand a block the two apart, `select`,
/// `sort_by`, `find`... hand it the pair.
#[test]
fn two_values_from_an_enumerator() {
    check(
        r##"[5, 6].each_with_index.map { |a| a }.inspect"##,
        r##"[5, 6]"##,
    );
    check(
        r##"[[1, 2]].each_with_index.map { |*a| a }.inspect"##,
        r##"[[[1, 2], 0]]"##,
    );
    check(
        r##"[5, 6].each.with_index(1).map { |a| a }.inspect"##,
        r##"[5, 6]"##,
    );
    check(r##"[5, 6].each_with_index.count { |a| a > 5 }"##, r##"1"##);
    check(
        r##"[5, 6].each_with_index.to_h { |a| [a, 1] }.inspect"##,
        r##"{5 => 1, 6 => 1}"##,
    );
    check(
        r##"[5, 6].each_with_index.any? { |a| a == 6 }"##,
        r##"true"##,
    );
    check(
        r##"[5, 6].each_with_index.select { |a| a[1] > 0 }.inspect"##,
        r##"[[6, 1]]"##,
    );
    check(
        r##"[5, 6].each_with_index.find { |a| a[0] == 6 }.inspect"##,
        r##"[6, 1]"##,
    );
    check(
        r##"[5, 6].each.with_object([]).map { |a| a }.inspect"##,
        r##"[5, 6]"##,
    );
    check(
        r##"[5, 6].each_with_object([]).to_a.inspect"##,
        r##"[[5, []], [6, []]]"##,
    );
    check(
        r##"[5, 6].each.with_index(1).to_a.inspect"##,
        r##"[[5, 1], [6, 2]]"##,
    );
    check(
        r##"[5, 6].each.with_index.each { |a| a }.inspect"##,
        r##"[5, 6]"##,
    );
    check(
        r##"[5, 6].map.with_index(1).inspect"##,
        r##"#<Enumerator: #<Enumerator: [5, 6]:map>:with_index(1)>"##,
    );
    check(
        r##"{a: 1}.each_with_index.map { |a| a }.inspect"##,
        r##"[[:a, 1]]"##,
    );
    check(
        r##"'ab'.each_char.with_index.map { |c, i| c * (i + 1) }.inspect"##,
        r##"["a", "bb"]"##,
    );
    check(
        r##"'ab'.each_byte.with_index.map { |b, i| b + i }.inspect"##,
        r##"[97, 99]"##,
    );
    check(
        r##""a\nb".each_line.map(&:chomp).inspect"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"'ab'.each_char.inspect"##,
        r##"#<Enumerator: "ab":each_char>"##,
    );
}

#[test]
fn zip_refuses_a_value_without_each() {
    check_err(
        r##"[1].zip(3)"##,
        r##"TypeError: wrong argument type Integer (must respond to :each)"##,
    );
    check_err(
        r##"[1].zip(nil)"##,
        r##"TypeError: wrong argument type NilClass (must respond to :each)"##,
    );
    check_err(
        r##"{a: 1}.zip('a')"##,
        r##"TypeError: wrong argument type String (must respond to :each)"##,
    );
    check_err(
        r##"(1..2).zip([2], :s)"##,
        r##"TypeError: wrong argument type Symbol (must respond to :each)"##,
    );
    check(
        r##"[1].zip(1..3, {a: 1}).inspect"##,
        r##"[[1, 1, [:a, 1]]]"##,
    );
    check_err(
        r##"[1].zip(-> {})"##,
        r##"TypeError: wrong argument type Proc (must respond to :each)"##,
    );
    check_err(
        r##"[1].zip(String)"##,
        r##"TypeError: wrong argument type Class (must respond to :each)"##,
    );
}

#[test]
fn an_empty_array_zips_without_reading_its_arguments() {
    check(r##"[].zip(6, nil).inspect"##, r##"[]"##);
    check(r##"[].zip(6) { }.inspect"##, r##"nil"##);
    check_err(
        r##"(1...1).zip(6)"##,
        r##"TypeError: wrong argument type Integer (must respond to :each)"##,
    );
    check_err(
        r##"{}.zip(6)"##,
        r##"TypeError: wrong argument type Integer (must respond to :each)"##,
    );
}

#[test]
fn zip_walks_what_has_each() {
    check(
        r##"[1].zip(OpenStruct.new(a: 1)).inspect"##,
        r##"[[1, nil]]"##,
    );
    check(
        r##"[1].zip([1, 2].each_slice(1)).inspect"##,
        r##"[[1, [1]]]"##,
    );
    check_err(
        r##"[1].zip(Time.at(0))"##,
        r##"TypeError: wrong argument type Time (must respond to :each)"##,
    );
}

#[test]
fn chunk_groups_runs_of_equal_keys() {
    check(
        r##"[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5].chunk { |n| n.even? }.to_a.inspect"##,
        r##"[[false, [3, 1]], [true, [4]], [false, [1, 5, 9]], [true, [2, 6]], [false, [5, 3, 5]]]"##,
    );
    check(
        r##"[1, 2, nil, 3, 4].chunk { |x| x.nil? ? nil : x.odd? }.to_a.inspect"##,
        r##"[[true, [1]], [false, [2]], [true, [3]], [false, [4]]]"##,
    );
    check(
        r##"[1, 2, 3, 4, 5].chunk { |x| x == 3 ? :_separator : x > 3 }.map { |k, v| "#{k}:#{v.join}" }.join(' ')"##,
        r##"false:12 true:45"##,
    );
    check(
        r##"[1, 2, 3, 4].chunk { |x| x.even? ? :_alone : true }.to_a.inspect"##,
        r##"[[true, [1]], [:_alone, [2]], [true, [3]], [:_alone, [4]]]"##,
    );
    check(
        r##"{a: 1, b: 1, c: 2}.chunk { |k, v| v }.to_a.inspect"##,
        r##"[[1, [[:a, 1], [:b, 1]]], [2, [[:c, 2]]]]"##,
    );
    check(
        r##"(1..10).chunk { |i| i / 3 }.to_a.inspect"##,
        r##"[[0, [1, 2]], [1, [3, 4, 5]], [2, [6, 7, 8]], [3, [9, 10]]]"##,
    );
    check(
        r##"[1.0, 1, 2].chunk { |x| x }.to_a.inspect"##,
        r##"[[1.0, [1.0, 1]], [2, [2]]]"##,
    );
    check_err(
        r##"[1, 2].chunk { |x| :_foo }.to_a"##,
        r##"RuntimeError: symbols beginning with an underscore are reserved"##,
    );
}
