//! `Object#method` and `Method`: called, passed as a block, and what Ruby's answers of itself.

use super::{check, check_err};

#[test]
fn a_method_is_called_as_its_receivers() {
    check(r##"1.method(:+).call(2)"##, r##"3"##);
    check(
        r##"[[1].method(:size).(), 'abc'.method(:upcase)[]]"##,
        r##"[1, "ABC"]"##,
    );
    check(r##"method(:format).call('%05d', 3)"##, r##"00003"##);
    check(
        r##"def blk; yield 5; end; method(:blk).call { |x| x + 1 }"##,
        r##"6"##,
    );
    check(r##"1.method(:between?).call(0, 2)"##, r##"true"##);
}

#[test]
fn a_method_passed_as_a_block() {
    check(r##"[1, 2].map(&2.method(:*))"##, r##"[2, 4]"##);
    check(
        r##"def dbl(x) x * 2 end; [1, 2].map(&method(:dbl))"##,
        r##"[2, 4]"##,
    );
    check(
        r##"def kv(k, v) "#{k}=#{v}" end; {a: 1, b: 2}.map(&method(:kv))"##,
        r##"["a=1", "b=2"]"##,
    );
    check(
        r##"def k1(k) k end; {a: 1}.map(&method(:k1))"##,
        r##"[[:a, 1]]"##,
    );
    check(r##"[[1, 2]].map(&method(:Array))"##, r##"[[1, 2]]"##);
    check(
        r##"%w[a b].each_with_index.map(&method(:format))"##,
        r##"["a", "b"]"##,
    );
    check(
        r##"[1.method(:+).to_proc.lambda?, 1.method(:+).to_proc.call(4)]"##,
        r##"[true, 5]"##,
    );
}

#[test]
fn a_method_answers_of_itself() {
    check(
        r##"[1.method(:+).name, 1.method(:+).receiver, 1.method(:+).owner, 1.method(:+).class]"##,
        r##"[:+, 1, Integer, Method]"##,
    );
    check(
        r##"[1.method(:+) == 1.method(:+), 1.method(:+) == 2.method(:+), 1.method(:+) == 1.method(:-)]"##,
        r##"[true, false, false]"##,
    );
    check(
        r##"def one(x) x end; def opt(x, y = 1) x end; [method(:one).arity, method(:opt).arity]"##,
        r##"[1, -2]"##,
    );
    check(
        r##"[1.method(:+).respond_to?(:call), 1.method(:+).respond_to?(:each)]"##,
        r##"[true, false]"##,
    );
    check_err(
        r##"1.method(:nope)"##,
        r##"NameError: undefined method 'nope' for class 'Integer'"##,
    );
    check_err(
        r##"1.method(3)"##,
        r##"TypeError: 3 is not a symbol nor a string"##,
    );
}
