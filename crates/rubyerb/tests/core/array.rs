//! Array: access, set operations, ordering, transforming, in-place changes.

use super::{check, check_err};

#[test]
fn basics() {
    check(r##"[1, 2, 3].inspect"##, r##"[1, 2, 3]"##);
    check(
        r##"[1, 'a', nil, :b, 1.5, [2]].inspect"##,
        r##"[1, "a", nil, :b, 1.5, [2]]"##,
    );
    check(r##"[1, 'a', nil].to_s"##, r##"[1, "a", nil]"##);
    check(r##"[].inspect"##, r##"[]"##);
    check(r##"[1, 2, 3].length"##, r##"3"##);
    check(r##"[1, 2, 3].first"##, r##"1"##);
    check(r##"[1, 2, 3].first(2).inspect"##, r##"[1, 2]"##);
    check(r##"[1, 2, 3].last(2).inspect"##, r##"[2, 3]"##);
    check(r##"[].first.inspect"##, r##"nil"##);
    check(r##"[1, 2, 3][1]"##, r##"2"##);
    check(r##"[1, 2, 3][-1]"##, r##"3"##);
    check(r##"[1, 2, 3][5].inspect"##, r##"nil"##);
    check(r##"[1, 2, 3][1..].inspect"##, r##"[2, 3]"##);
    check(r##"[1, 2, 3][1, 5].inspect"##, r##"[2, 3]"##);
    check(r##"[1, 2, 3][3, 1].inspect"##, r##"[]"##);
    check(r##"[1, 2, 3][4, 1].inspect"##, r##"nil"##);
    check(
        r##"[1, 2, 3].values_at(0, 2, 5).inspect"##,
        r##"[1, 3, nil]"##,
    );
    check(r##"[1, 2, 3].fetch(1)"##, r##"2"##);
    check_err(
        r##"[1, 2, 3].fetch(5)"##,
        r##"IndexError: index 5 outside of array bounds: -3...3"##,
    );
    check(r##"[1, 2, 3].fetch(5, 'd')"##, r##"d"##);
    check(r##"[1, 2, 3].dig(0)"##, r##"1"##);
    check(r##"[[1, [2]]].dig(0, 1, 0)"##, r##"2"##);
    check(r##"[1, 2, 3].include?(2)"##, r##"true"##);
    check(r##"[1, 2, 3].index(3)"##, r##"2"##);
    check(r##"[1, 2, 3].find_index { |x| x > 1 }"##, r##"1"##);
    check(r##"[1, 2, 3].empty?"##, r##"false"##);
    check(r##"[].any?"##, r##"false"##);
    check(r##"[nil, false].any?"##, r##"false"##);
    check(r##"[nil, 1].compact.inspect"##, r##"[1]"##);
    check(
        r##"[[1, 2], [3, [4]]].flatten.inspect"##,
        r##"[1, 2, 3, 4]"##,
    );
    check(
        r##"[[1, [2, [3]]]].flatten(1).inspect"##,
        r##"[1, [2, [3]]]"##,
    );
    check(r##"[1, 2] + [3]"##, r##"[1, 2, 3]"##);
    check(r##"([1, 2] + [3]).inspect"##, r##"[1, 2, 3]"##);
    check(r##"([1, 2, 2, 3] - [2]).inspect"##, r##"[1, 3]"##);
    check(r##"([1, 2] & [2, 3]).inspect"##, r##"[2]"##);
    check(r##"([1, 2] | [2, 3]).inspect"##, r##"[1, 2, 3]"##);
    check(r##"([1, 2] * 2).inspect"##, r##"[1, 2, 1, 2]"##);
    check(r##"[1, 2] * ','"##, r##"1,2"##);
    check(r##"[1, 2] <=> [1, 3]"##, r##"-1"##);
    check(r##"[1, 2] == [1, 2]"##, r##"true"##);
    check(r##"[1, [2, nil]].to_s"##, r##"[1, [2, nil]]"##);
    check(r##"Array(nil).inspect"##, r##"[]"##);
    check(r##"Array([1]).inspect"##, r##"[1]"##);
    check(r##"Array(1..3).inspect"##, r##"[1, 2, 3]"##);
    check(r##"Array('a').inspect"##, r##"["a"]"##);
    check(r##"Array({a: 1}).inspect"##, r##"[[:a, 1]]"##);
    check(r##"Array.new(3).inspect"##, r##"[nil, nil, nil]"##);
    check(r##"Array.new(3, 0).inspect"##, r##"[0, 0, 0]"##);
    check(r##"Array.new(3) { |i| i * i }.inspect"##, r##"[0, 1, 4]"##);
    check(r##"%w[a b].inspect"##, r##"["a", "b"]"##);
    check(r##"%i[a b].inspect"##, r##"[:a, :b]"##);
    check(r##"[1, 2, 3].sum"##, r##"6"##);
    check(r##"[0.1, 0.2, 0.3].sum"##, r##"0.6"##);
    check(r##"[1, 2.5].sum"##, r##"3.5"##);
    check(r##"['a', 'b'].sum('')"##, r##"ab"##);
    check(r##"[[1], [2]].sum([]).inspect"##, r##"[1, 2]"##);
}

#[test]
fn ordering() {
    check(r##"[3, 1, 2].sort.inspect"##, r##"[1, 2, 3]"##);
    check(r##"[3, 1, 2].sort.first(2).inspect"##, r##"[1, 2]"##);
    check(
        r##"[3, 1, 2].sort { |a, b| b <=> a }.inspect"##,
        r##"[3, 2, 1]"##,
    );
    check(
        r##"%w[bb a ccc].sort_by(&:length).inspect"##,
        r##"["a", "bb", "ccc"]"##,
    );
    check(
        r##"%w[bb a ccc].sort_by { |s| -s.length }.inspect"##,
        r##"["ccc", "bb", "a"]"##,
    );
    check(r##"[3, 1, 2].max"##, r##"3"##);
    check(r##"[3, 1, 2].min"##, r##"1"##);
    check(r##"[3, 1, 2].minmax.inspect"##, r##"[1, 3]"##);
    check(r##"%w[bb a ccc].max_by(&:length)"##, r##"ccc"##);
    check(r##"%w[bb a ccc].min_by(&:length)"##, r##"a"##);
    check(r##"[3, 1, 2].max(2).inspect"##, r##"[3, 2]"##);
    check(r##"[1, 2, 3].reverse.inspect"##, r##"[3, 2, 1]"##);
    check(r##"[1, 2, 3].rotate.inspect"##, r##"[2, 3, 1]"##);
    check(r##"[1, 2, 3].rotate(-1).inspect"##, r##"[3, 1, 2]"##);
    check(
        r##"[[2, 'b'], [1, 'a']].sort.inspect"##,
        r##"[[1, "a"], [2, "b"]]"##,
    );
    check(r##"['b', 'B', 'a'].sort.inspect"##, r##"["B", "a", "b"]"##);
    check(
        r##"['b', 'B', 'a'].sort_by(&:downcase).inspect"##,
        r##"["a", "b", "B"]"##,
    );
    check(r##"[0.5, 1, -2].sort.inspect"##, r##"[-2, 0.5, 1]"##);
}

#[test]
fn transforming() {
    check(r##"[1, 2, 3].map { |x| x * 2 }.inspect"##, r##"[2, 4, 6]"##);
    check(
        r##"[1, 2, 3].collect(&:to_s).inspect"##,
        r##"["1", "2", "3"]"##,
    );
    check(r##"[1, 2, 3].select(&:odd?).inspect"##, r##"[1, 3]"##);
    check(r##"[1, 2, 3].filter { |x| x > 1 }.inspect"##, r##"[2, 3]"##);
    check(r##"[1, 2, 3].reject(&:odd?).inspect"##, r##"[2]"##);
    check(
        r##"[1, 2, 3].partition(&:odd?).inspect"##,
        r##"[[1, 3], [2]]"##,
    );
    check(
        r##"[1, 2, 3, 4].group_by(&:odd?).inspect"##,
        r##"{true => [1, 3], false => [2, 4]}"##,
    );
    check(
        r##"[1, 2, 3].each_slice(2).to_a.inspect"##,
        r##"[[1, 2], [3]]"##,
    );
    check(
        r##"[1, 2, 3].each_cons(2).to_a.inspect"##,
        r##"[[1, 2], [2, 3]]"##,
    );
    check(
        r##"[1, 2, 3].each_with_index.map { |x, i| x * i }.inspect"##,
        r##"[0, 2, 6]"##,
    );
    check(
        r##"[1, 2, 3].map.with_index(1) { |x, i| "#{i}:#{x}" }.inspect"##,
        r##"["1:1", "2:2", "3:3"]"##,
    );
    check(
        r##"[1, 2, 3].each_with_object([]) { |x, a| a << x * 2 }.inspect"##,
        r##"[2, 4, 6]"##,
    );
    check(r##"[1, 2, 3].inject(:+)"##, r##"6"##);
    check(r##"[1, 2, 3].reduce(10) { |s, x| s + x }"##, r##"16"##);
    check(r##"[1, 2, 3].inject { |s, x| s * x }"##, r##"6"##);
    check(
        r##"[[1, 2], [3, 4]].to_h.inspect"##,
        r##"{1 => 2, 3 => 4}"##,
    );
    check(
        r##"[[1, 2], [3, 4]].map { |a, b| a + b }.inspect"##,
        r##"[3, 7]"##,
    );
    check(
        r##"[[1, [2, 3]]].map { |a, (b, c)| a + b + c }.inspect"##,
        r##"[6]"##,
    );
    check(
        r##"[1, 2].zip([3, 4], [5, 6]).inspect"##,
        r##"[[1, 3, 5], [2, 4, 6]]"##,
    );
    check(
        r##"[1, 2, 3].zip([4]).inspect"##,
        r##"[[1, 4], [2, nil], [3, nil]]"##,
    );
    check(
        r##"[[1, 2], [3, 4]].transpose.inspect"##,
        r##"[[1, 3], [2, 4]]"##,
    );
    check(r##"[1, 2, 2, 3, 3, 3].uniq.inspect"##, r##"[1, 2, 3]"##);
    check(r##"%w[a B b].uniq(&:downcase).inspect"##, r##"["a", "B"]"##);
    check(r##"[1, 2, 3].take(2).inspect"##, r##"[1, 2]"##);
    check(r##"[1, 2, 3].drop(1).inspect"##, r##"[2, 3]"##);
    check(
        r##"[1, 2, 3, 1].take_while { |x| x < 3 }.inspect"##,
        r##"[1, 2]"##,
    );
    check(
        r##"[1, 2, 3, 1].drop_while { |x| x < 3 }.inspect"##,
        r##"[3, 1]"##,
    );
    check(
        r##"[1, 2, 3].flat_map { |x| [x, x] }.inspect"##,
        r##"[1, 1, 2, 2, 3, 3]"##,
    );
    check(r##"[1, 2, 2].tally.inspect"##, r##"{1 => 1, 2 => 2}"##);
    check(r##"[1, 2, 3].count(&:odd?)"##, r##"2"##);
    check(r##"[1, 2, 2].count(2)"##, r##"2"##);
    check(r##"[1, 2, 3].find { |x| x > 1 }"##, r##"2"##);
    check(r##"[1, 2, 3].detect { |x| x > 5 }.inspect"##, r##"nil"##);
    check(r##"[1, 2, 3].all? { |x| x > 0 }"##, r##"true"##);
    check(r##"[1, 2, 3].none?(&:zero?)"##, r##"true"##);
    check(r##"[1, 2, 3].one? { |x| x > 2 }"##, r##"true"##);
    check(
        r##"[1, 2, 3].combination(2).to_a.inspect"##,
        r##"[[1, 2], [1, 3], [2, 3]]"##,
    );
    check(
        r##"[1, 2].product([3, 4]).inspect"##,
        r##"[[1, 3], [1, 4], [2, 3], [2, 4]]"##,
    );
    check(r##"[1, 2, 3].each_entry.to_a.inspect"##, r##"[1, 2, 3]"##);
    check(r##"[3, 1].minmax.inspect"##, r##"[1, 3]"##);
    check(
        r##"[1, 2, 3].filter_map { |x| x * 2 if x.odd? }.inspect"##,
        r##"[2, 6]"##,
    );
    check(
        r##"[1, 2, 3, 4].chunk_while { |a, b| b == a + 1 }.to_a.inspect"##,
        r##"[[1, 2, 3, 4]]"##,
    );
    check(
        r##"[1, 2, 4, 5].slice_when { |a, b| b != a + 1 }.to_a.inspect"##,
        r##"[[1, 2], [4, 5]]"##,
    );
    check(
        r##"['a', 'b'].each_with_index.to_h.inspect rescue $!.class"##,
        r##"{"a" => 0, "b" => 1}"##,
    );
    check(
        r##"%w[a b].each_with_index.to_a.inspect"##,
        r##"[["a", 0], ["b", 1]]"##,
    );
}

#[test]
fn mutating() {
    check(r##"a = [1, 2]; a << 3; a.inspect"##, r##"[1, 2, 3]"##);
    check(
        r##"a = [1, 2, 3]; a[-1] = 9; a[1] = 8; a.inspect"##,
        r##"[1, 8, 9]"##,
    );
    check(
        r##"q = (1..5).to_a; out = []; while (x = q.shift); out << x; q << 9 if x == 2; end; out.inspect"##,
        r##"[1, 2, 3, 4, 5, 9]"##,
    );
    check(
        r##"a = [1, 2]; a.concat(a, [3]); a.inspect"##,
        r##"[1, 2, 1, 2, 3]"##,
    );
    check(
        r##"b = [1, 2, 3]; [b.pop, b.pop, b.pop, b.pop, b.shift].inspect"##,
        r##"[3, 2, 1, nil, nil]"##,
    );
    check_err(
        r##"a = [1, 2]; a[-3] = 1"##,
        r##"IndexError: index -3 too small for array; minimum: -2"##,
    );
    check(
        r##"a = [1, 2]; a.push(3, 4); a.inspect"##,
        r##"[1, 2, 3, 4]"##,
    );
    check(r##"a = [1, 2]; a.unshift(0); a.inspect"##, r##"[0, 1, 2]"##);
    check(r##"a = [1, 2, 3]; a.pop; a.inspect"##, r##"[1, 2]"##);
    check(
        r##"a = [1, 2, 3]; a.shift.inspect + a.inspect"##,
        r##"1[2, 3]"##,
    );
    check(r##"a = [1, 2, 3]; a.delete(2); a.inspect"##, r##"[1, 3]"##);
    check(
        r##"a = [1, 2, 3]; a.delete_at(0); a.inspect"##,
        r##"[2, 3]"##,
    );
    check(
        r##"a = [1, 2, 3]; a.delete_if(&:odd?); a.inspect"##,
        r##"[2]"##,
    );
    check(
        r##"a = [1, 2, 3]; a.insert(1, 'x'); a.inspect"##,
        r##"[1, "x", 2, 3]"##,
    );
    check(
        r##"a = [1, 2, 3]; a.concat([4]); a.inspect"##,
        r##"[1, 2, 3, 4]"##,
    );
    check(r##"a = [3, 1]; a.sort!; a.inspect"##, r##"[1, 3]"##);
    check(r##"a = [1, nil]; a.compact!; a.inspect"##, r##"[1]"##);
    check(r##"a = [1, 1]; a.uniq!; a.inspect"##, r##"[1]"##);
    check(r##"[1].uniq!.inspect"##, r##"nil"##);
    check(
        r##"a = [1, 2]; a.map! { |x| x + 1 }; a.inspect"##,
        r##"[2, 3]"##,
    );
    check(
        r##"a = [1, 2, 3]; a.select! { |x| x > 1 }; a.inspect"##,
        r##"[2, 3]"##,
    );
    check(
        r##"a = [1, 2, 3]; a.reject! { |x| x > 1 }; a.inspect"##,
        r##"[1]"##,
    );
    check(r##"a = [1, 2]; a.clear; a.inspect"##, r##"[]"##);
    check(
        r##"a = [1, 2]; a[5] = 6; a.inspect"##,
        r##"[1, 2, nil, nil, nil, 6]"##,
    );
    check(
        r##"a = [1, 2, 3]; a[0, 2] = ['x']; a.inspect"##,
        r##"["x", 3]"##,
    );
    check(r##"a = [1, 2]; a.fill(0); a.inspect"##, r##"[0, 0]"##);
    check(r##"a = [1, 2]; a.replace([3]); a.inspect"##, r##"[3]"##);
    check(r##"a = [1]; b = a; b << 2; a.inspect"##, r##"[1, 2]"##);
    check(r##"a = [1]; b = a.dup; b << 2; a.inspect"##, r##"[1]"##);
}

#[test]
fn errors() {
    check_err(
        r##"[1, 2].first(-1)"##,
        r##"ArgumentError: negative array size"##,
    );
    check_err(
        r##"[1] + nil"##,
        r##"TypeError: no implicit conversion of nil into Array"##,
    );
    check_err(
        r##"[1, 2].fetch(10)"##,
        r##"IndexError: index 10 outside of array bounds: -2...2"##,
    );
    check_err(
        r##"[1].foo"##,
        r##"NoMethodError: undefined method 'foo' for an instance of Array"##,
    );
    check_err(
        r##"['a'].sum"##,
        r##"TypeError: String can't be coerced into Integer"##,
    );
    check_err(
        r##"[1] + false"##,
        r##"TypeError: no implicit conversion of false into Array"##,
    );
    // transpose takes arrays only, all of the first one's length
    check_err(
        r##"[[1, 2], [3]].transpose"##,
        r##"IndexError: element size differs (1 should be 2)"##,
    );
    check_err(
        r##"[[1], [2, 3]].transpose"##,
        r##"IndexError: element size differs (2 should be 1)"##,
    );
    check_err(
        r##"[[1, 2], nil].transpose"##,
        r##"TypeError: no implicit conversion of nil into Array"##,
    );
    check_err(
        r##"[{'n' => 1}, {'v' => 2}].transpose"##,
        r##"TypeError: no implicit conversion of Hash into Array"##,
    );
    check_err(
        r##"['x', nil].transpose"##,
        r##"TypeError: no implicit conversion of String into Array"##,
    );
    check(r##"[[]].transpose.inspect"##, r##"[]"##);
}

/// Binary search: a true/false block finds the first element it holds for, a numeric one
/// an element it answers 0 for.
#[test]
fn bsearch_finds_as_ruby_does() {
    check(
        r##"[[1, 3, 5, 7].bsearch { |x| x >= 4 }, [1, 3, 5, 7].bsearch { |x| x >= 9 }, [1, 3, 5, 7].bsearch { |x| 5 <=> x }, [1, 3, 5, 7].bsearch { |x| 4 <=> x }, [1, 3, 5].bsearch_index { |x| x >= 3 }, [].bsearch { true }, [1, 2, 3].bsearch { |x| x > 1 ? nil : false }].inspect"##,
        r##"[5, nil, 5, nil, 1, nil, nil]"##,
    );
    check_err(
        r##"[1, 2].bsearch { 'x' }"##,
        r##"TypeError: wrong argument type String (must be numeric, true, false or nil)"##,
    );
    check_err(
        r##"[1, 'a'].bsearch { |x| x >= 2 }"##,
        r##"ArgumentError: comparison of String with 2 failed"##,
    );
}

/// Classes order by inheritance; unrelated ones do not compare.
#[test]
fn classes_compare_by_inheritance() {
    check(
        r##"[[String, String].sort, String <=> Object, Object <=> String, String <=> Integer, String <=> String, [String, Object].max].inspect"##,
        r##"[[String, String], -1, 1, nil, 0, Object]"##,
    );
    check_err(
        r##"[String, Integer, String].sort"##,
        r##"ArgumentError: comparison of Class with Class failed"##,
    );
}

/// `sum` with a start that is not a number adds with the start's own `+`.
#[test]
fn sum_with_a_non_numeric_start() {
    check(
        r##"[[1.5, 2].sum, [1.5].sum(1), [[1], [2.5]].sum([]), ['a', 'b'].sum(''), ([1.5].sum([]) rescue $!.class)].inspect"##,
        r##"[3.5, 2.5, [1, 2.5], "ab", TypeError]"##,
    );
}

#[test]
fn combinatorics() {
    check(
        r##"[1, 2, 3].permutation(2).to_a.inspect"##,
        r##"[[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]]"##,
    );
    check(
        r##"[1, 2, 3].permutation.map(&:join).inspect"##,
        r##"["123", "132", "213", "231", "312", "321"]"##,
    );
    check(
        r##"[[1, 2, 3].permutation(0).to_a, [1, 2].permutation(3).to_a, [1].permutation(-1).to_a].inspect"##,
        r##"[[[]], [], []]"##,
    );
    check(
        r##"[1, 2, 3].repeated_combination(2).to_a.inspect"##,
        r##"[[1, 1], [1, 2], [1, 3], [2, 2], [2, 3], [3, 3]]"##,
    );
    check(
        r##"[1, 2].repeated_permutation(2).to_a.inspect"##,
        r##"[[1, 1], [1, 2], [2, 1], [2, 2]]"##,
    );
    check(
        r##"[[].repeated_combination(0).to_a, [].repeated_combination(1).to_a, [1, 2].combination(0).to_a].inspect"##,
        r##"[[[]], [], [[]]]"##,
    );
    check(
        r##"out = []; r = [1, 2, 3].permutation(2) { |a, b| out << a * b }; [out, r].inspect"##,
        r##"[[2, 3, 2, 6, 3, 6], [1, 2, 3]]"##,
    );
    check(r##"%w[a b].product([1, 2], [:x]).length"##, r##"4"##);
}

#[test]
fn too_many_arguments_fail_as_in_ruby() {
    check_err(
        r##"[1].partition('=')"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"[1].map(1) { |x| x }"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"[1].each_with_index(1) { |x| x }"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"[1].join(',', 1)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 0..1)"##,
    );
    check_err(
        r##"[1].first(1, 2)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 0..1)"##,
    );
    check_err(
        r##"{a: 1}.map(1) { |x| x }"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"(1..3).each_slice(1, 2) { |x| x }"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 1)"##,
    );
    check_err(
        r##"'abc'.center(9, 'x', 2)"##,
        r##"ArgumentError: wrong number of arguments (given 3, expected 1..2)"##,
    );
    // a trailing hash may be keywords, and an enumerator made without a block checks nothing
    check(
        r##"[[1].clone(freeze: false), [1].each_with_index(1).class].inspect"##,
        r##"[[1], Enumerator]"##,
    );
}

/// `values_at` by index and by range: a range's start within the array, its part past the
/// end nils.
#[test]
fn values_at_takes_ranges() {
    check(
        r##"[1, 2, 3].values_at(0, 2..5, -1, 5, 1.9).inspect"##,
        r##"[1, 3, nil, nil, nil, 3, nil, 2]"##,
    );
    check(
        r##"[1, 2, 3].values_at(5..6, 1.., ..1, 2...2, 1...-1).inspect"##,
        r##"[nil, nil, 2, 3, 1, 2, 2]"##,
    );
    check_err(
        r##"[1, 2, 3].values_at(1...-1, -5..1)"##,
        r##"RangeError: -5..1 out of range"##,
    );
    check_err(
        r##"[1, 2, 3].values_at('a')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
}

/// `slice!` takes out what `slice` answers.
#[test]
fn slice_bang_takes_out_what_slice_answers() {
    check(
        r##"r = [[1, 2], [5], [3, 1], [-2..], [1, -1], [0], [1..]].map { |x| a = [1, 2, 3]; [a.slice!(*x), a] }; r.inspect"##,
        r##"[[[2, 3], [1]], [nil, [1, 2, 3]], [[], [1, 2, 3]], [[2, 3], [1]], [nil, [1, 2, 3]], [1, [2, 3]], [[2, 3], [1]]]"##,
    );
}

#[test]
fn fill_takes_a_start_a_length_a_range_or_a_block() {
    check(
        r##"[[1, 2, 3].fill(0, 1), [1, 2, 3].fill(0, -2), [1, 2, 3].fill(0, -5), [1, 2, 3].fill(0, 1, 1), [1, 2, 3].fill(0, 5, 2), [1, 2, 3].fill(0, 5), [1, 2, 3].fill(0, 1, -1), [1, 2, 3].fill(0, nil, 2)]"##,
        r##"[[1, 0, 0], [1, 0, 0], [0, 0, 0], [1, 0, 3], [1, 2, 3, nil, nil, 0, 0], [1, 2, 3], [1, 2, 3], [0, 0, 3]]"##,
    );
    check(
        r##"[[1, 2, 3].fill(0, 2..5), [1, 2, 3].fill(0, -2..), [1, 2, 3].fill(0, ..1), [1, 2, 3].fill(0, 1...1), [1, 2].fill(0, 1.9)]"##,
        r##"[[1, 2, 0, 0, 0, 0], [1, 0, 0], [0, 0, 3], [1, 2, 3], [1, 0]]"##,
    );
    check(
        r##"[[1, 2, 3].fill { |i| i * i }, [1, 2, 3].fill(1) { |i| i * 10 }, [1, 2, 3].fill(1, 4) { |i| i }, [1, 2, 3].fill(0..0) { :z }, Array.new(2).fill { |i| "n#{i}" }]"##,
        r##"[[0, 1, 4], [1, 10, 20], [1, 1, 2, 3, 4], [:z, 2, 3], ["n0", "n1"]]"##,
    );
    check_err(
        r##"[1, 2, 3].fill(0, -5..1)"##,
        r##"RangeError: -5..1 out of range"##,
    );
    check_err(
        r##"[1, 2, 3].fill(0, 'a')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
    check_err(
        r##"[1, 2, 3].fill"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1..3)"##,
    );
}

#[test]
fn a_nil_index_is_refused_as_ruby_words_it() {
    check_err(
        r##"[1, 2][nil]"##,
        r##"TypeError: no implicit conversion from nil to integer"##,
    );
    check_err(
        r##"'abc'[nil]"##,
        r##"TypeError: no implicit conversion from nil to integer"##,
    );
    check_err(
        r##"[1, 2].first(nil)"##,
        r##"TypeError: no implicit conversion from nil to integer"##,
    );
}
