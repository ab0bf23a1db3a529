//! Complex: what Ruby gives for a negative number to a fractional power, its parts, text,
//! arithmetic with reals and with itself, and its JSON and YAML.

use super::{check, check_err};

#[test]
fn powers_of_negatives() {
    check(
        r##"((-1.5) ** 0.5).inspect"##,
        r##"(0.0+1.224744871391589i)"##,
    );
    check(
        r##"((-8) ** 0.5).inspect"##,
        r##"(0.0+2.8284271247461903i)"##,
    );
    check(
        r##"((-8.0) ** 2.5).inspect"##,
        r##"(0.0+181.01933598375618i)"##,
    );
    check(
        r##"((-8) ** (1.0 / 3)).inspect"##,
        r##"(1.0000000000000002+1.7320508075688772i)"##,
    );
    check(
        r##"((-2.0) ** 1.5).inspect"##,
        r##"(0.0-2.8284271247461903i)"##,
    );
    check(
        r##"((-2.0) ** -0.5).inspect"##,
        r##"(0.0-0.7071067811865476i)"##,
    );
    check(
        r##"((-2.0) ** -1.5).inspect"##,
        r##"(0.0+0.3535533905932738i)"##,
    );
    check(
        r##"((-2.0) ** 0.25).inspect"##,
        r##"(0.8408964152537146+0.8408964152537144i)"##,
    );
    check(
        r##"((-3.0) ** 0.7).inspect"##,
        r##"(-1.2682461820935849+1.7455911157402024i)"##,
    );
    check(
        r##"((-0.5) ** 3.5).inspect"##,
        r##"(0.0-0.08838834764831845i)"##,
    );
    check(
        r##"((-Float::INFINITY) ** 0.5).inspect"##,
        r##"(0.0+Infinity*i)"##,
    );
    check(r##"((-2.0) ** Float::NAN).inspect"##, r##"(NaN+NaN*i)"##);
    check(r##"(-2) ** 2.0"##, r##"4.0"##);
}

#[test]
fn parts_and_text() {
    check(r##"((-1.5) ** 0.5).to_s"##, r##"0.0+1.224744871391589i"##);
    check(r##""#{(-1.5) ** 0.5}""##, r##"0.0+1.224744871391589i"##);
    check(
        r##"[(-1.5) ** 0.5].inspect"##,
        r##"[(0.0+1.224744871391589i)]"##,
    );
    check(r##"((-1.5) ** 0.5).real"##, r##"0.0"##);
    check(r##"((-1.5) ** 0.5).imaginary"##, r##"1.224744871391589"##);
    check(r##"((-1.5) ** 0.5).imag"##, r##"1.224744871391589"##);
    check(
        r##"((-1.5) ** 0.5).rectangular.inspect"##,
        r##"[0.0, 1.224744871391589]"##,
    );
    check(
        r##"((-8) ** (1.0 / 3)).polar.inspect"##,
        r##"[2.0, 1.0471975511965976]"##,
    );
    check(r##"((-8) ** (1.0 / 3)).abs"##, r##"2.0"##);
    check(r##"((-8) ** (1.0 / 3)).arg"##, r##"1.0471975511965976"##);
    check(r##"((-1.5) ** 0.5).abs2"##, r##"1.4999999999999998"##);
    check(
        r##"((-1.5) ** 0.5).conjugate.inspect"##,
        r##"(0.0-1.224744871391589i)"##,
    );
    check(r##"((-1.5) ** 0.5).class"##, r##"Complex"##);
    check(r##"((-1.5) ** 0.5).is_a?(Numeric)"##, r##"true"##);
    check(r##"((-1.5) ** 0.5).real?"##, r##"false"##);
    check(r##"((-1.5) ** 0.5).integer?"##, r##"false"##);
    check(r##"((-1.5) ** 0.5).finite?"##, r##"true"##);
    check(r##"((-1.5) ** 0.5).infinite?.inspect"##, r##"nil"##);
    check(r##"((-1.5) ** 0.5).frozen?"##, r##"true"##);
    check(r##"((-1.5) ** 0.5).respond_to?(:real)"##, r##"true"##);
    check(r##"((-1.5) ** 0.5).respond_to?(:each)"##, r##"false"##);
    check(r##"[(-1.5) ** 0.5, (-1.5) ** 0.5].uniq.size"##, r##"1"##);
    check_err(
        r##"((-1.5) ** 0.5).to_f"##,
        r##"RangeError: can't convert 0.0+1.224744871391589i into Float"##,
    );
    check_err(
        r##"((-1.5) ** 0.5).to_i"##,
        r##"RangeError: can't convert 0.0+1.224744871391589i into Integer"##,
    );
    check_err(
        r##"((-1.5) ** 0.5) > 1"##,
        r##"NoMethodError: undefined method '>' for an instance of Complex"##,
    );
}

#[test]
fn arithmetic() {
    check(
        r##"(((-1.5) ** 0.5) + 1).inspect"##,
        r##"(1.0+1.224744871391589i)"##,
    );
    check(
        r##"(1 + (-1.5) ** 0.5).inspect"##,
        r##"(1.0+1.224744871391589i)"##,
    );
    check(
        r##"(2 * (-1.5) ** 0.5).inspect"##,
        r##"(0.0+2.449489742783178i)"##,
    );
    check(r##"(0 * (-1.5) ** 0.5).inspect"##, r##"(0.0+0.0i)"##);
    check(
        r##"(0.5 - (-1.5) ** 0.5).inspect"##,
        r##"(0.5-1.224744871391589i)"##,
    );
    check(
        r##"(((-1.5) ** 0.5) - 0.5).inspect"##,
        r##"(-0.5+1.224744871391589i)"##,
    );
    check(
        r##"(((-1.5) ** 0.5) * ((-1.5) ** 0.5)).inspect"##,
        r##"(-1.4999999999999998+0.0i)"##,
    );
    check(
        r##"(((-1.5) ** 0.5) - ((-1.5) ** 0.5)).inspect"##,
        r##"(0.0+0.0i)"##,
    );
    check(
        r##"(((-1.5) ** 0.5) / 2).inspect"##,
        r##"(0.0+0.6123724356957945i)"##,
    );
    check(
        r##"(-((-1.5) ** 0.5)).inspect"##,
        r##"(-0.0-1.224744871391589i)"##,
    );
    check(
        r##"[1, (-1.5) ** 0.5].sum.inspect"##,
        r##"(1.0+1.224744871391589i)"##,
    );
    check(r##"((-1.5) ** 0.5) == ((-1.5) ** 0.5)"##, r##"true"##);
    check(r##"((-1.5) ** 0.5) == 0"##, r##"false"##);
    check(r##"(((-1.5) ** 0.5) <=> 1).inspect"##, r##"nil"##);
    check(
        r##"(((-1.5) ** 0.5) * ((-1.5) ** 0.5) <=> 1).inspect"##,
        r##"-1"##,
    );
    check_err(
        r##"((-1.5) ** 0.5) + nil"##,
        r##"TypeError: nil can't be coerced into Complex"##,
    );
    check(
        r##"(1 / (-1.5) ** 0.5).inspect"##,
        r##"(0.0-0.8164965809277261i)"##,
    );
    check(r##"(0 / (-2.0) ** 0.25).inspect"##, r##"(0.0+0.0i)"##);
    check(
        r##"(((-1.5) ** 0.5) / ((-1.5) ** 0.5)).inspect"##,
        r##"(1.0+0.0i)"##,
    );
    check(
        r##"(((-2.0) ** 0.25) / ((-8) ** (1.0 / 3))).inspect"##,
        r##"(0.5743429325939211-0.1538947249670639i)"##,
    );
    check(
        r##"(((-8) ** (1.0 / 3)) / ((-2.0) ** 0.25)).inspect"##,
        r##"(1.6244871294549195+0.4352800144521984i)"##,
    );
    check(
        r##"((-2.0) ** 0.25).fdiv(3).inspect"##,
        r##"(0.28029880508457156+0.28029880508457145i)"##,
    );
    check_err(
        r##"((-2.0) ** 0.25) / nil"##,
        r##"TypeError: nil can't be coerced into Complex"##,
    );
}

#[test]
fn json_and_yaml() {
    check(
        r##"((-1.5) ** 0.5).to_json"##,
        r##""0.0+1.224744871391589i""##,
    );
    check(
        r##"{ 'a' => (-1.5) ** 0.5 }.to_json"##,
        r##"{"a":"0.0+1.224744871391589i"}"##,
    );
    check(
        r##"((-1.5) ** 0.5).to_yaml"##,
        r##"--- !ruby/object:Complex
real: 0.0
image: 1.224744871391589
"##,
    );
    check(
        r##"{ 'a' => (-1.5) ** 0.5, 'b' => [(-2.0) ** 0.25] }.to_yaml"##,
        r##"---
a: !ruby/object:Complex
  real: 0.0
  image: 1.224744871391589
b:
- !ruby/object:Complex
  real: 0.8408964152537146
  image: 0.8408964152537144
"##,
    );
}

/// `format`'s numeric directives, `Float()` and `Integer()` refuse a Complex as `to_f` and
/// `to_i` do (a RangeError naming it), not as a value of the wrong class.
#[test]
fn conversions_refused() {
    check_err(
        r##"'%f' % ((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Float"##,
    );
    check_err(
        r##"'%G' % ((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Float"##,
    );
    check_err(
        r##"'%d' % ((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Integer"##,
    );
    check_err(
        r##"'%x' % ((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Integer"##,
    );
    check(
        r##"'%s' % ((-0.5) ** 0.5)"##,
        r##"0.0+0.7071067811865476i"##,
    );
    check_err(
        r##"Float((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Float"##,
    );
    check_err(
        r##"Integer((-0.5) ** 0.5)"##,
        r##"RangeError: can't convert 0.0+0.7071067811865476i into Integer"##,
    );
    check(
        r##"begin; format('%.2e', (-2) ** 1.5); rescue RangeError => e; e.class; end"##,
        r##"RangeError"##,
    );
}
