//! `Enumerator::ArithmeticSequence`: what `Numeric#step` and a numeric range's `step` or
//! `%` return without a block. Nothing is made before a value is asked for, and the
//! sequence answers Ruby's own methods and spells its call when inspected.

use super::{check, check_err};

#[test]
fn a_sequence_spells_its_call() {
    check(r##"1.step(10, 3).inspect"##, r##"(1.step(10, 3))"##);
    check(r##"(1..10).step(3).inspect"##, r##"((1..10).step(3))"##);
    check(r##"((1...10) % 3).inspect"##, r##"((1...10).%(3))"##);
    check(r##"(1..3).step.inspect"##, r##"((1..3).step)"##);
    check(
        r##"1.step(by: 2, to: 7).inspect"##,
        r##"(1.step(by: 2, to: 7))"##,
    );
    check(r##"1.step(5, by: 2).inspect"##, r##"(1.step(5, by: 2))"##);
    check(
        r##"1.0.step(2.0, 0.5).inspect"##,
        r##"(1.0.step(2.0, 0.5))"##,
    );
    check(r##"(-1).step(5, 2).inspect"##, r##"(-1.step(5, 2))"##);
    check(r##"1.step(nil, 2).inspect"##, r##"(1.step(nil, 2))"##);
    check(r##"(1..).step(2).inspect"##, r##"((1..).step(2))"##);
    check(
        r##"[(1..10).step(3), 1.step(5)].inspect"##,
        r##"[((1..10).step(3)), (1.step(5))]"##,
    );
    check(
        r##"[[1, 2].lazy.map { |x| x }].inspect"##,
        r##"[#<Enumerator::Lazy: #<Enumerator::Lazy: [1, 2]>:map>]"##,
    );
    check(
        r##"1.step(10, 3).class"##,
        r##"Enumerator::ArithmeticSequence"##,
    );
    check(
        r##"(1.0..2.0).step(0.5).class"##,
        r##"Enumerator::ArithmeticSequence"##,
    );
    check(r##"1.step(10, 3).is_a?(Enumerator)"##, r##"true"##);
}

#[test]
fn a_sequence_answers_its_terms() {
    check(
        r##"[1.step(10, 3).begin, 1.step(10, 3).end, 1.step(10, 3).step]"##,
        r##"[1, 10, 3]"##,
    );
    check(
        r##"[(1...10).step(3).exclude_end?, (1..10).step.step]"##,
        r##"[true, 1]"##,
    );
    check(r##"(1..10).step(3) == 1.step(10, 3)"##, r##"true"##);
    check(r##"(1..10).step(3).eql?((1..10).step(4))"##, r##"false"##);
    check(r##"(1..10).step(3) === 4"##, r##"false"##);
    check(
        r##"1.step(10, 3).each { |x| x }.inspect"##,
        r##"(1.step(10, 3))"##,
    );
    check(
        r##"x = []; (1..10).step(4).each { |i| x << i }; x"##,
        r##"[1, 5, 9]"##,
    );
}

#[test]
fn a_long_sequence_is_walked_not_made() {
    check(r##"1.step(10_000_000_000, 1).first(3)"##, r##"[1, 2, 3]"##);
    check(r##"(1..10_000_000_000).step(2).take(2)"##, r##"[1, 3]"##);
    check(r##"1.step(10**10).size"##, r##"10000000000"##);
    check(r##"(1..10**12).step(5).last"##, r##"999999999996"##);
    check(
        r##"[(1...10).step(3).size, (1...10).step(3).last, (5..1).step(2).last]"##,
        r##"[3, 7, nil]"##,
    );
    check(r##"1.0.step.first(2)"##, r##"[1.0, 2.0]"##);
    check(r##"(1.0..).step(0.5).first(3)"##, r##"[1.0, 1.5, 2.0]"##);
    check(r##"1.step(nil, 2).first(2)"##, r##"[1, 3]"##);
}

#[test]
fn a_sequence_enumerates_as_ruby_steps() {
    check(r##"(1..10).step(-2).to_a"##, r##"[]"##);
    check(r##"1.step(-5, -2).to_a"##, r##"[1, -1, -3, -5]"##);
    check(r##"1.step(3, 1.5).to_a"##, r##"[1.0, 2.5]"##);
    check(
        r##"(0.1..0.5).step(0.1).to_a"##,
        r##"[0.1, 0.2, 0.30000000000000004, 0.4, 0.5]"##,
    );
    check(
        r##"1.step(10, 3).each_slice(2).map(&:sum)"##,
        r##"[5, 17]"##,
    );
    check(
        r##"1.step(10, 3).lazy.select(&:even?).to_a"##,
        r##"[4, 10]"##,
    );
    check(r##"(1..10).step(3).last(2)"##, r##"[7, 10]"##);
    check_err(
        r##"(1..10).step(0)"##,
        r##"ArgumentError: step can't be 0"##,
    );
    check_err(r##"1.step(10, 0)"##, r##"ArgumentError: step can't be 0"##);
}

#[test]
fn an_enumerator_responds_as_its_class() {
    check(
        r##"[[1].each.respond_to?(:next), [1].each.respond_to?(:begin), [1].each.respond_to?(:size)]"##,
        r##"[true, false, true]"##,
    );
    check(
        r##"[1.step(3).respond_to?(:begin), 1.step(3).respond_to?(:exclude_end?), 1.step(3).respond_to?(:map)]"##,
        r##"[true, true, true]"##,
    );
    check(
        r##"[[1].lazy.respond_to?(:force), [1].each.respond_to?(:force), [1].lazy.respond_to?(:eager)]"##,
        r##"[true, false, true]"##,
    );
}
