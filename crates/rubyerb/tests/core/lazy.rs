//! Lazy enumerators and endless sequences: steps run one element at a time, so that an
//! endless source gives its first elements as in Ruby, instead of running out of budget or
//! answering with nothing.

use super::check;

#[test]
fn lazy_steps_over_endless_and_finite_sources() {
    check(
        r##"(1..Float::INFINITY).lazy.map { |x| x * 2 }.first(3)"##,
        r##"[2, 4, 6]"##,
    );
    check(
        r##"(1..).lazy.select(&:even?).map { |x| x * x }.first(2)"##,
        r##"[4, 16]"##,
    );
    check(
        r##"(1..).lazy.map { |x| x * 2 }.take(3).to_a"##,
        r##"[2, 4, 6]"##,
    );
    check(
        r##"(1..).lazy.map { _1 * 2 }.take_while { _1 < 10 }.to_a"##,
        r##"[2, 4, 6, 8]"##,
    );
    check(
        r##"(1..).lazy.filter_map { |x| x * 2 if x.even? }.first(2)"##,
        r##"[4, 8]"##,
    );
    check(
        r##"(1..).lazy.map { |x| x * 2 }.find { |x| x > 7 }"##,
        r##"8"##,
    );
    check(r##"(1..).lazy.include?(5)"##, r##"true"##);
    check(
        r##"(1..Float::INFINITY).lazy.select(&:even?).first"##,
        r##"2"##,
    );
    check(r##"(1..10).lazy.drop(7).to_a"##, r##"[8, 9, 10]"##);
    check(
        r##"(1..10).lazy.drop_while { |x| x < 8 }.to_a"##,
        r##"[8, 9, 10]"##,
    );
    check(
        r##"(1..10).lazy.reject(&:odd?).force"##,
        r##"[2, 4, 6, 8, 10]"##,
    );
    check(r##"[1, nil, 2].lazy.compact.to_a"##, r##"[1, 2]"##);
    check(r##"(1..5).lazy.map { |x| x * 2 }.sum"##, r##"30"##);
    check(
        r##"[1, 2, 3].lazy.take(2).map { |x| x * 10 }.to_a"##,
        r##"[10, 20]"##,
    );
    check(r##"[1, 2, 3].lazy.take(0).to_a"##, r##"[]"##);
    check(
        r##"{a: 1}.lazy.map { |k, v| [k, v * 2] }.to_a"##,
        r##"[[:a, 2]]"##,
    );
    check(
        r##"[1, 2, 3].each_slice(2).lazy.map(&:sum).to_a"##,
        r##"[3, 3]"##,
    );
    check(
        r##"1.step.lazy.map { |x| x * x }.first(3)"##,
        r##"[1, 4, 9]"##,
    );
    check(r##"(1..3).lazy.class"##, r##"Enumerator::Lazy"##);
    check(r##"(1..3).lazy.inspect"##, r##"#<Enumerator::Lazy: 1..3>"##);
    check(
        r##"[1, 2].lazy.map { |x| x }.take(1).inspect"##,
        r##"#<Enumerator::Lazy: #<Enumerator::Lazy: #<Enumerator::Lazy: [1, 2]>:map>:take(1)>"##,
    );
    check(r##"(1..3).lazy.each { |x| x }"##, r##"1..3"##);
}

#[test]
fn endless_sequences_give_their_first_elements() {
    check(r##"1.step.first(3)"##, r##"[1, 2, 3]"##);
    check(r##"1.step.take(3)"##, r##"[1, 2, 3]"##);
    check(r##"1.step(by: 2).first(2)"##, r##"[1, 3]"##);
    check(r##"(1..).step(2).first(2)"##, r##"[1, 3]"##);
    check(r##"(1..).step(3).take(2)"##, r##"[1, 4]"##);
    check(r##"(1..).step(2).find { |x| x > 6 }"##, r##"7"##);
    check(
        r##"(1..).step(2).take_while { |x| x < 6 }"##,
        r##"[1, 3, 5]"##,
    );
    check(r##"(1..).step(2).include?(7)"##, r##"true"##);
    check(r##"(1..).step(2).size"##, r##"Infinity"##);
    check(r##"(1..).step(2).inspect"##, r##"((1..).step(2))"##);
    check(
        r##"x = []; (1..).step(5) { |i| break if i > 20; x << i }; x"##,
        r##"[1, 6, 11, 16]"##,
    );
}
