//! nil, true and false: conversions, logic, truthiness, `defined?`; and too many arguments
//! to a method of any scalar (nil, true, Integer, Float, Symbol), which Ruby refuses.

use super::{check, check_err};

#[test]
fn nil() {
    check(r##"nil.to_s"##, r##""##);
    check(r##"nil.inspect"##, r##"nil"##);
    check(r##"nil.to_a.inspect"##, r##"[]"##);
    check(r##"nil.to_i"##, r##"0"##);
    check(r##"nil.to_f"##, r##"0.0"##);
    check(r##"nil.to_h.inspect"##, r##"{}"##);
    check(r##"nil.nil?"##, r##"true"##);
    check(r##"nil & true"##, r##"false"##);
    check(r##"nil | 1"##, r##"true"##);
    check(r##"nil.class"##, r##"NilClass"##);
    check(r##"NilClass"##, r##"NilClass"##);
    check(r##"nil == false"##, r##"false"##);
    check(r##"nil.to_s.empty?"##, r##"true"##);
    check_err(
        r##"nil.foo"##,
        r##"NoMethodError: undefined method 'foo' for nil"##,
    );
    check_err(
        r##"nil[0]"##,
        r##"NoMethodError: undefined method '[]' for nil"##,
    );
    check_err(
        r##"nil + 1"##,
        r##"NoMethodError: undefined method '+' for nil"##,
    );
    check_err(
        r##"nil.upcase"##,
        r##"NoMethodError: undefined method 'upcase' for nil"##,
    );
    check_err(
        r##"nil.each"##,
        r##"NoMethodError: undefined method 'each' for nil"##,
    );
    check_err(
        r##"nil.length"##,
        r##"NoMethodError: undefined method 'length' for nil"##,
    );
    check(r##"!nil"##, r##"true"##);
    check(r##"!!nil"##, r##"false"##);
    check(r##"nil.dup.inspect"##, r##"nil"##);
    check(r##"nil.frozen?"##, r##"true"##);
}

#[test]
fn booleans() {
    check(r##"true.to_s"##, r##"true"##);
    check(r##"false.inspect"##, r##"false"##);
    check(r##"true & false"##, r##"false"##);
    check(r##"true | false"##, r##"true"##);
    check(r##"true ^ true"##, r##"false"##);
    check(r##"false ^ true"##, r##"true"##);
    check(r##"true.class"##, r##"TrueClass"##);
    check(r##"false.class"##, r##"FalseClass"##);
    check(r##"true == 1"##, r##"false"##);
    check_err(
        r##"true.foo"##,
        r##"NoMethodError: undefined method 'foo' for true"##,
    );
    check(r##"!true"##, r##"false"##);
    check(r##"true && 'x'"##, r##"x"##);
    check(r##"false || 'y'"##, r##"y"##);
    check(r##"nil || false"##, r##"false"##);
    check(r##"(1 if false).inspect"##, r##"nil"##);
    check(r##"true.is_a?(TrueClass)"##, r##"true"##);
    check(r##"[true, false].map(&:!).inspect"##, r##"[false, true]"##);
    check(r##"1.nil?"##, r##"false"##);
    check(r##"0 ? 'truthy' : 'falsy'"##, r##"truthy"##);
    check(r##"'' ? 'truthy' : 'falsy'"##, r##"truthy"##);
    check(r##"[] ? 'truthy' : 'falsy'"##, r##"truthy"##);
    check(r##"defined?(zzz).inspect"##, r##"nil"##);
    check(r##"defined?(String)"##, r##"constant"##);
    check(r##"defined?(@x).inspect"##, r##"nil"##);
    check(r##"x = 1; defined?(x)"##, r##"local-variable"##);
}

#[test]
fn too_many_arguments_to_a_scalar() {
    check_err(
        r##"nil.to_i(16)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"nil.to_s(2)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"true.to_s(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"false.inspect(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"1.to_s(2, 3)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 0..1)"##,
    );
    check_err(
        r##"1.5.round(1, 2)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 0..1)"##,
    );
    check_err(
        r##"(2**70).to_s(16, 1)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 0..1)"##,
    );
    check_err(
        r##":a.to_s(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check(r##"1.5.round(1, half: :even)"##, r##"1.5"##);
    check(r##"15.ceil(-1)"##, r##"20"##);
    check(r##"255.to_s(2)"##, r##"11111111"##);
}
