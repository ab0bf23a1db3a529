//! Enumerators made without a block: what they show, how many they say they yield, and what
//! a block given later gets back.

use super::{check, check_err};

#[test]
fn enumerators_show_their_receiver() {
    check(
        r##"[(1..3).map, ('a'..'c').select, (1..3).each_with_object([]), (1..3).take_while]"##,
        r##"[#<Enumerator: 1..3:map>, #<Enumerator: "a".."c":select>, #<Enumerator: 1..3:each_with_object([])>, #<Enumerator: 1..3:take_while>]"##,
    );
    check(
        r##"[[1, 2, 3].each_slice(2), [1, 2].each_slice(2.5), [1, 2].find_index, [1, 2].rindex]"##,
        r##"[#<Enumerator: [1, 2, 3]:each_slice(2)>, #<Enumerator: [1, 2]:each_slice(2.5)>, #<Enumerator: [1, 2]:find_index>, #<Enumerator: [1, 2]:rindex>]"##,
    );
    check(
        r##"[{a: 1}.take_while, [1].drop_while]"##,
        r##"[#<Enumerator: {a: 1}:take_while>, #<Enumerator: [1]:drop_while>]"##,
    );
}

#[test]
fn searches_without_a_block() {
    check(
        r##"[[1, 2].index.each { |x| x == 2 }, [1, 2].rindex.each { |x| x == 1 }, (1..3).find_index.each { |x| x == 3 }]"##,
        r##"[1, 0, 2]"##,
    );
    check(
        r##"[[1, 2].find.size, [1, 2].find_index.size, [1, 2].take_while.size, {a: 1}.find.size, [1, 2].select.size]"##,
        r##"[nil, nil, nil, nil, 2]"##,
    );
    check(
        r##"[[1, 2].take_while.each { |x| x < 2 }, [1, 2].drop_while.each { |x| x < 2 }]"##,
        r##"[[1], [2]]"##,
    );
}

#[test]
fn slices_walked_later() {
    check(
        r##"[[1, 2, 3].each_slice(2).with_index { |a, i| a }, [1, 2, 3].each_cons(2).with_index { |a, i| a }]"##,
        r##"[[1, 2, 3], [1, 2, 3]]"##,
    );
    check(
        r##"[[1, 2, 3].each_slice(2).map(&:sum), (1..5).each_slice(2).to_a, [1, 2, 3].each_slice(2).size]"##,
        r##"[[3, 3], [[1, 2], [3, 4], [5]], 2]"##,
    );
    check_err(
        r##"[1, 2].each_slice(0)"##,
        r##"ArgumentError: invalid slice size"##,
    );
}

#[test]
fn hash_walks_of_pairs() {
    check(
        r##"h = {a: 1, b: 2}; [h.take_while { |k, v| v < 2 }, h.drop_while { |k, v| v < 2 }, h.each_cons(2).to_a]"##,
        r##"[[[:a, 1]], [[:b, 2]], [[[:a, 1], [:b, 2]]]]"##,
    );
    check(
        r##"h = {a: 1, b: 2}; [h.grep_v(Array), h.minmax, h.minmax_by { |k, v| -v }, h.collect_concat { |k, v| [k, v] }]"##,
        r##"[[], [[:a, 1], [:b, 2]], [[:b, 2], [:a, 1]], [:a, 1, :b, 2]]"##,
    );
    check(
        r##"h = {a: 1, b: 2}; [h.chunk_while { |a, b| a[1] + 1 == b[1] }.to_a, h.slice_when { |a, b| true }.to_a, h.each_entry.to_a]"##,
        r##"[[[[:a, 1], [:b, 2]]], [[[:a, 1]], [[:b, 2]]], [[:a, 1], [:b, 2]]]"##,
    );
}

#[test]
fn sizes_and_refusals() {
    check(
        r##"[[1, 2].cycle.size, [].cycle.size, [1, 2].cycle(3).size, {a: 1}.cycle.size, (1..3).cycle.size]"##,
        r##"[Infinity, 0, 6, Infinity, Infinity]"##,
    );
    check_err(
        r##"[1, 2].chunk_while"##,
        r##"ArgumentError: tried to create Proc object without a block"##,
    );
    check_err(
        r##"[1, 2].slice_when"##,
        r##"ArgumentError: tried to create Proc object without a block"##,
    );
    check(
        r##"[(1..3).frozen?, Range.new(1, 3).frozen?]"##,
        r##"[true, true]"##,
    );
    check_err(
        r##"(1..3).index(2)"##,
        r##"NoMethodError: undefined method 'index' for an instance of Range"##,
    );
    check_err(
        r##"(1..3).join(',')"##,
        r##"NoMethodError: undefined method 'join' for an instance of Range"##,
    );
}

#[test]
fn hash_reverse_each() {
    check(
        r##"h = {a: 1, b: 2}; [h.reverse_each { |k, v| k }, h.reverse_each, h.reverse_each.to_a, h.reverse_each.map { |k, v| v }]"##,
        r##"[{a: 1, b: 2}, #<Enumerator: {a: 1, b: 2}:reverse_each>, [[:b, 2], [:a, 1]], [2, 1]]"##,
    );
}
