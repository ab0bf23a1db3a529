//! Hash: Ruby 3.4 `inspect`, access and defaults, iteration with pairs, transforming, in-place changes.

use super::{check, check_err};

/// String keys read around the size where a lookup stops comparing keys in order and hashes
/// (16): present, missing, a symbol of the same name, a value that is nil.
#[test]
fn string_keys_in_small_and_larger_hashes() {
    check(
        r##"h = {"a" => 1, a: 2, "b" => nil}; [h["a"], h[:a], h["b"], h["c"], h.key?("b"), h.fetch("b", 3)].inspect"##,
        r##"[1, 2, nil, nil, true, nil]"##,
    );
    check(
        r##"h = (1..16).to_h { |i| ["k#{i}", i] }; h[:k1] = :s; [h["k1"], h["k16"], h["k17"], h[:k1], h.size].inspect"##,
        r##"[1, 16, nil, :s, 17]"##,
    );
    check(
        r##"h = (1..40).to_h { |i| ["k#{i}", i] }; h[:k1] = :s; [h["k1"], h["k40"], h["k41"], h[:k1], h.dig("k7")].inspect"##,
        r##"[1, 40, nil, :s, 7]"##,
    );
}

#[test]
fn basics() {
    check(
        r##"{a: 1, 'b' => 2, 3 => [4]}.inspect"##,
        r##"{a: 1, "b" => 2, 3 => [4]}"##,
    );
    check(r##"{a: 1}.to_s"##, r##"{a: 1}"##);
    check(r##"{}.inspect"##, r##"{}"##);
    check(
        r##"{"my-key": 1, "ok?": 2, a!: 3}.inspect"##,
        r##"{"my-key": 1, ok?: 2, a!: 3}"##,
    );
    check(
        r##"{nil => 1, true => 2, 1.5 => 3}.inspect"##,
        r##"{nil => 1, true => 2, 1.5 => 3}"##,
    );
    check(r##"{a: {b: {c: 1}}}.inspect"##, r##"{a: {b: {c: 1}}}"##);
    check(r##"h = {a: 1}; h[:a]"##, r##"1"##);
    check(r##"h = {a: 1}; h[:b].inspect"##, r##"nil"##);
    check(r##"h = {a: 1}; h.fetch(:a)"##, r##"1"##);
    check_err(
        r##"h = {a: 1}; h.fetch(:b)"##,
        r##"KeyError: key not found: :b"##,
    );
    check_err(
        r##"h = {'a' => 1}; h.fetch('b')"##,
        r##"KeyError: key not found: "b""##,
    );
    check(r##"h = {a: 1}; h.fetch(:b, 0)"##, r##"0"##);
    check(r##"h = {a: 1}; h.fetch(:b) { |k| k.to_s * 2 }"##, r##"bb"##);
    check(r##"{a: {b: 1}}.dig(:a, :b)"##, r##"1"##);
    check(r##"{a: [{b: 2}]}.dig(:a, 0, :b)"##, r##"2"##);
    check(r##"{a: 1}.dig(:x, :y).inspect"##, r##"nil"##);
    check(r##"{a: 1}.key?(:a)"##, r##"true"##);
    check(r##"{a: 1}.has_key?('a')"##, r##"false"##);
    check(r##"{a: 1}.include?(:a)"##, r##"true"##);
    check(r##"{a: 1}.member?(:a)"##, r##"true"##);
    check(r##"{a: 1}.value?(1)"##, r##"true"##);
    check(r##"{a: 1}.key(1).inspect"##, r##":a"##);
    check(r##"{a: 1, b: 2}.keys.inspect"##, r##"[:a, :b]"##);
    check(r##"{a: 1, b: 2}.values.inspect"##, r##"[1, 2]"##);
    check(
        r##"{a: 1, b: 2}.values_at(:a, :c).inspect"##,
        r##"[1, nil]"##,
    );
    check(
        r##"{a: 1, b: 2}.fetch_values(:a, :b).inspect"##,
        r##"[1, 2]"##,
    );
    check(r##"{a: 1, b: 2}.length"##, r##"2"##);
    check(r##"{}.empty?"##, r##"true"##);
    check(r##"{a: 1}.to_a.inspect"##, r##"[[:a, 1]]"##);
    check(r##"{a: 1} == {a: 1}"##, r##"true"##);
    check(r##"{a: 1, b: 2} == {b: 2, a: 1}"##, r##"true"##);
    check(r##"{1 => 'a', 1.0 => 'b'}.length"##, r##"2"##);
    check(r##"{1 => 'a'}[1.0].inspect"##, r##"nil"##);
    check(r##"Hash.new(0)[:x]"##, r##"0"##);
    check(
        r##"h = Hash.new { |hash, k| hash[k] = k.to_s * 2 }; h[:ab]; h.inspect"##,
        r##"{ab: "abab"}"##,
    );
    check(r##"Hash[[[1, 2]]].inspect"##, r##"{1 => 2}"##);
    // an element read answered without the general call, and the misses that need it
    check(r##"{"a" => 1}["a"]"##, r##"1"##);
    check(r##"s = "k"; {"k" => 3}[s]"##, r##"3"##);
    check(r##"{[1] => 2}[[1]]"##, r##"2"##);
    check(r##"Hash.new("d")["missing"]"##, r##"d"##);
    check(r##"h = Hash.new { |hh, k| k * 2 }; h["ab"]"##, r##"abab"##);
    check(r##"[1, 2, 3][-1]"##, r##"3"##);
    check(
        r##"[[1, 2, 3][3], [1, 2, 3][-4]].inspect"##,
        r##"[nil, nil]"##,
    );
    check(r##"[1, 2, 3][1..].inspect"##, r##"[2, 3]"##);
    check(
        r##"h = {"a" => 1}; h["a"] += 1; h.inspect"##,
        r##"{"a" => 2}"##,
    );
    check(r##"x = nil; (x&.foo += 1).inspect"##, r##"nil"##);
    // merge keeps the default as dup does; merge! works in place, pair by pair
    check(r##"Hash.new(5).merge("y" => 2)["zz"]"##, r##"5"##);
    check(
        r##"h = {"a" => 1}; [h.merge(h).equal?(h), h.equal?(h), [1].equal?([1])].inspect"##,
        r##"[false, true, false]"##,
    );
    check(
        r##"e = {"a" => 1}; begin; e.merge!({"b" => 2, "a" => 3}) { raise "x" }; rescue; end; e.inspect"##,
        r##"{"a" => 1, "b" => 2}"##,
    );
    check(
        r##"acc = {}; 300.times { |i| acc.merge!("k#{i}" => i) }; [acc.size, acc["k299"]].inspect"##,
        r##"[300, 299]"##,
    );
    check(r##"Hash[1, 2, 3, 4].inspect"##, r##"{1 => 2, 3 => 4}"##);
}

#[test]
fn iteration() {
    check(
        r##"{a: 1, b: 2}.map { |k, v| "#{k}=#{v}" }.join(',')"##,
        r##"a=1,b=2"##,
    );
    check(
        r##"{a: 1, b: 2}.each_with_object({}) { |(k, v), h| h[v] = k }.inspect"##,
        r##"{1 => :a, 2 => :b}"##,
    );
    check(
        r##"{a: 1, b: 2}.select { |k, v| v > 1 }.inspect"##,
        r##"{b: 2}"##,
    );
    check(
        r##"{a: 1, b: 2}.filter_map { |k, v| k if v > 1 }.inspect"##,
        r##"[:b]"##,
    );
    check(
        r##"{a: 1, b: 2}.reject { |k, v| v > 1 }.inspect"##,
        r##"{a: 1}"##,
    );
    check(
        r##"{a: 1, b: 2}.find { |k, v| v > 1 }.inspect"##,
        r##"[:b, 2]"##,
    );
    check(r##"{a: 1, b: 2}.count { |k, v| v.odd? }"##, r##"1"##);
    check(
        r##"{a: 1, b: 2}.sort_by { |k, v| -v }.inspect"##,
        r##"[[:b, 2], [:a, 1]]"##,
    );
    check(r##"{b: 1, a: 2}.sort.inspect"##, r##"[[:a, 2], [:b, 1]]"##);
    check(r##"{b: 1, a: 2}.sort.to_h.inspect"##, r##"{a: 2, b: 1}"##);
    check(
        r##"{a: 1, b: 2}.min_by { |k, v| v }.inspect"##,
        r##"[:a, 1]"##,
    );
    check(r##"{a: 1, b: 2}.max_by { |_, v| v }.first"##, r##"b"##);
    check(r##"{a: 1, b: 2}.sum { |k, v| v }"##, r##"3"##);
    check(
        r##"{a: 1, b: 2}.to_a.flatten.inspect"##,
        r##"[:a, 1, :b, 2]"##,
    );
    check(
        r##"{a: 1, b: 2}.each_with_index.map { |(k, v), i| "#{i}#{k}#{v}" }.join"##,
        r##"0a11b2"##,
    );
    check(
        r##"{a: 1, b: 2}.group_by { |k, v| v.odd? }.inspect"##,
        r##"{true => [[:a, 1]], false => [[:b, 2]]}"##,
    );
    check(
        r##"{a: 1, b: 2}.partition { |k, v| v > 1 }.inspect"##,
        r##"[[[:b, 2]], [[:a, 1]]]"##,
    );
    check(
        r##"{a: 1, b: 2}.inject(0) { |s, (k, v)| s + v }"##,
        r##"3"##,
    );
    check(
        r##"{a: 1, b: 2}.each_pair.to_a.inspect"##,
        r##"[[:a, 1], [:b, 2]]"##,
    );
    check(r##"{a: 1, b: 2}.any? { |k, v| v > 1 }"##, r##"true"##);
    check(r##"{a: 1, b: 2}.all? { |(k, v)| v > 0 }"##, r##"true"##);
    check(
        r##"{a: 1}.map { |pair| pair.class }.inspect"##,
        r##"[Array]"##,
    );
    check(r##"{a: 1}.each_slice(1).to_a.inspect"##, r##"[[[:a, 1]]]"##);
    check(
        r##"{a: 1, b: 2}.zip([3, 4]).inspect"##,
        r##"[[[:a, 1], 3], [[:b, 2], 4]]"##,
    );
    check(
        r##"r = []; {a: 1}.each { |k, v| r << k << v }; r.inspect"##,
        r##"[:a, 1]"##,
    );
    check(
        r##"r = []; {a: 1}.each_key { |k| r << k }; r.inspect"##,
        r##"[:a]"##,
    );
    check(
        r##"{a: 1, b: 2}.sort_by { |k, _| k.to_s }.reverse.to_h.inspect"##,
        r##"{b: 2, a: 1}"##,
    );
}

#[test]
fn transforming() {
    check(r##"{a: 1}.merge({b: 2}).inspect"##, r##"{a: 1, b: 2}"##);
    check(
        r##"{a: 1, b: 2}.merge({b: 3}) { |k, o, n| o + n }.inspect"##,
        r##"{a: 1, b: 5}"##,
    );
    check(
        r##"{a: {x: 1}}.merge({a: {y: 2}}).inspect"##,
        r##"{a: {y: 2}}"##,
    );
    check(
        r##"{a: 1}.transform_values { |v| v * 10 }.inspect"##,
        r##"{a: 10}"##,
    );
    check(
        r##"{a: 1}.transform_keys(&:to_s).inspect"##,
        r##"{"a" => 1}"##,
    );
    check(
        r##"{'a' => 1}.transform_keys(&:to_sym).inspect"##,
        r##"{a: 1}"##,
    );
    check(
        r##"{a: 1, b: 2}.invert.inspect"##,
        r##"{1 => :a, 2 => :b}"##,
    );
    check(
        r##"{a: 1, b: 2}.to_a.transpose.inspect"##,
        r##"[[:a, :b], [1, 2]]"##,
    );
    check(r##"{a: 1, b: 2}.slice(:a).inspect"##, r##"{a: 1}"##);
    check(r##"{a: 1, b: 2}.except(:a).inspect"##, r##"{b: 2}"##);
    check(r##"{a: nil, b: 2}.compact.inspect"##, r##"{b: 2}"##);
    check(
        r##"{a: 1, b: 2}.filter_map { |k, v| v }.inspect"##,
        r##"[1, 2]"##,
    );
    check(
        r##"{a: 1, b: 2}.map { |k, v| [k, v * 2] }.to_h.inspect"##,
        r##"{a: 2, b: 4}"##,
    );
    check(
        r##"{a: 1, b: 2}.to_h { |k, v| [v, k] }.inspect"##,
        r##"{1 => :a, 2 => :b}"##,
    );
    check(r##"{a: 1}.sort_by { |k, v| v }.class"##, r##"Array"##);
    check(
        r##"{a: 1, b: 2}.min_by(2) { |k, v| -v }.inspect"##,
        r##"[[:b, 2], [:a, 1]]"##,
    );
    check(
        r##"{a: 1}.flat_map { |k, v| [k, v] }.inspect"##,
        r##"[:a, 1]"##,
    );
    check(
        r##"{a: 1, b: 2}.entries.inspect"##,
        r##"[[:a, 1], [:b, 2]]"##,
    );
    check(r##"{b: 1, a: 2}.keys.sort.inspect"##, r##"[:a, :b]"##);
    check(
        r##"{a: 2, b: 1}.sort_by(&:last).inspect"##,
        r##"[[:b, 1], [:a, 2]]"##,
    );
    check(
        r##"{a: 1}.each_with_object([]) { |pair, acc| acc << pair.inspect }.inspect"##,
        r##"["[:a, 1]"]"##,
    );
}

#[test]
fn mutating() {
    check(r##"h = {a: 1}; h[:b] = 2; h.inspect"##, r##"{a: 1, b: 2}"##);
    check(
        r##"h = {a: 1}; h.store('c', 3); h.inspect"##,
        r##"{a: 1, "c" => 3}"##,
    );
    check(
        r##"h = {a: 1, b: 2}; h.delete(:a); h.inspect"##,
        r##"{b: 2}"##,
    );
    check(r##"h = {a: 1}; h.delete(:x).inspect"##, r##"nil"##);
    check(
        r##"h = {a: 1, b: 2}; h.delete_if { |k, v| v > 1 }; h.inspect"##,
        r##"{a: 1}"##,
    );
    check(
        r##"h = {a: 1, b: 2}; h.keep_if { |k, v| v > 1 }; h.inspect"##,
        r##"{b: 2}"##,
    );
    check(
        r##"h = {a: 1}; h.merge!(b: 2); h.inspect"##,
        r##"{a: 1, b: 2}"##,
    );
    check(r##"h = {a: 1}; h.update(a: 5); h.inspect"##, r##"{a: 5}"##);
    check(r##"h = {a: 1}; h.clear; h.inspect"##, r##"{}"##);
    check(
        r##"h = {}; h[:x] ||= []; h[:x] << 1; h.inspect"##,
        r##"{x: [1]}"##,
    );
    check(
        r##"h = {b: 1}; h[:a] = 2; h.keys.inspect"##,
        r##"[:b, :a]"##,
    );
    check(
        r##"h = {a: 1}; h.transform_values!(&:to_s); h.inspect"##,
        r##"{a: "1"}"##,
    );
    check(
        r##"h = {}; k = 'key'; h[k] = 1; k << 'x'; h.keys.inspect"##,
        r##"["key"]"##,
    );
    check(r##"h = {a: 1}; h.default = 5; h[:zz]"##, r##"5"##);
    check(r##"h = {a: 1}; h.to_a.frozen?"##, r##"false"##);
}

#[test]
fn errors() {
    check_err(r##"{a: 1}.fetch(:b)"##, r##"KeyError: key not found: :b"##);
    check_err(
        r##"{a: 1}.foo"##,
        r##"NoMethodError: undefined method 'foo' for an instance of Hash"##,
    );
    check_err(
        r##"{a: 1} + {b: 2}"##,
        r##"NoMethodError: undefined method '+' for an instance of Hash"##,
    );
    check_err(
        r##"{a: 1}.dig(:a, :b)"##,
        r##"TypeError: Integer does not have #dig method"##,
    );
    check_err(
        r##"{a: 1}.merge(1)"##,
        r##"TypeError: no implicit conversion of Integer into Hash"##,
    );
}

/// `flatten` with a depth flattens the values by one level less.
#[test]
fn flatten_takes_a_depth() {
    check(
        r##"h = {a: [1, [[2]]], b: 3}; [h.flatten, h.flatten(1), h.flatten(2), h.flatten(3)].inspect"##,
        r##"[[:a, [1, [[2]]], :b, 3], [:a, [1, [[2]]], :b, 3], [:a, 1, [[2]], :b, 3], [:a, 1, [2], :b, 3]]"##,
    );
}

#[test]
fn subsets_compare_pairs_by_equal_values() {
    check(
        r##"[{a: 1, b: 2} >= {a: 1}, {a: 1} <= {a: 1, b: 2}, {a: 1} < {a: 1}, {a: 1} > {}, {a: 1} <= {a: 2}, {a: 1} <= {a: 1.0}, {} < {}, {} <= {}, {a: nil} <= {b: nil}, {1 => 2} <= {1.0 => 2}]"##,
        r##"[true, true, false, true, false, true, false, true, false, false]"##,
    );
    check(
        r##"[{'a' => [1]} <= {'a' => [1], 'b' => 2}, [{'n' => 1}, {'n' => 2}].select { |e| e >= {'n' => 2} }]"##,
        r##"[true, [{"n" => 2}]]"##,
    );
    check_err(
        r##"{a: 1} >= 2"##,
        r##"TypeError: no implicit conversion of Integer into Hash"##,
    );
    check_err(
        r##"{a: 1} < nil"##,
        r##"TypeError: no implicit conversion of nil into Hash"##,
    );
    check_err(
        r##"{a: 1} > true"##,
        r##"TypeError: no implicit conversion of true into Hash"##,
    );
}
