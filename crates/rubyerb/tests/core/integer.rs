//! Integer: arithmetic (floored division and modulo), big numbers, rounding with negative digits, conversions, errors.

use super::{check, check_err};

#[test]
fn arithmetic() {
    check(r##"1 + 2"##, r##"3"##);
    check(r##"7 - 10"##, r##"-3"##);
    check(r##"6 * 7"##, r##"42"##);
    check(r##"7 / 2"##, r##"3"##);
    check(r##"-7 / 2"##, r##"-4"##);
    check(r##"7 / -2"##, r##"-4"##);
    check(r##"-7 % 3"##, r##"2"##);
    check(r##"7 % -3"##, r##"-2"##);
    check(r##"-7 % -3"##, r##"-1"##);
    check(r##"7.remainder(-3)"##, r##"1"##);
    check(r##"-7.remainder(3)"##, r##"-1"##);
    check(r##"2 ** 10"##, r##"1024"##);
    check(r##"2 ** 0"##, r##"1"##);
    check(r##"(-2) ** 3"##, r##"-8"##);
    check(r##"10.fdiv(4)"##, r##"2.5"##);
    check(r##"10.divmod(3).inspect"##, r##"[3, 1]"##);
    check(r##"(-10).divmod(3).inspect"##, r##"[-4, 2]"##);
    check(r##"10.div(3)"##, r##"3"##);
    check(r##"10.modulo(-3)"##, r##"-2"##);
    check(r##"3 * 1.5"##, r##"4.5"##);
}

/// Past the ends of 64 bits: what has no 64-bit answer is a big integer, as in Ruby (and
/// nothing panics or wraps).
#[test]
fn arithmetic_at_the_ends_of_64_bits() {
    let m = "(-9223372036854775807 - 1)";
    check(&format!("{m} / -1"), r##"9223372036854775808"##);
    check(&format!("{m}.div(-1)"), r##"9223372036854775808"##);
    check(&format!("{m} % -1"), r##"0"##);
    check(&format!("{m}.remainder(-1)"), r##"0"##);
    check(
        &format!("{m}.divmod(-1).inspect"),
        r##"[9223372036854775808, 0]"##,
    );
    check(&format!("{m}.abs"), r##"9223372036854775808"##);
    check(&format!("-{m}"), r##"9223372036854775808"##);
    check(&format!("{m}.pred"), r##"-9223372036854775809"##);
    check(r##"9223372036854775807.succ"##, r##"9223372036854775808"##);
    check(&format!("{m}.gcd(0)"), r##"9223372036854775808"##);
    check(&format!("{m}.lcm(-1)"), r##"9223372036854775808"##);
    check(
        r##"9223372036854775807.lcm(2)"##,
        r##"18446744073709551614"##,
    );
    // exact, not through a float
    check(
        r##"9007199254740993.divmod(2).inspect"##,
        r##"[4503599627370496, 1]"##,
    );
    check(
        r##"x = 7; x /= 2; y = -7; y %= 3; [x, y].inspect"##,
        r##"[3, 2]"##,
    );
    // counts, steps and indexes that reach past 64 bits
    check(
        r##"(1..10).step(9223372036854775807).to_a.inspect"##,
        r##"[1]"##,
    );
    check(
        r##"9223372036854775807.step(9223372036854775800, -3).to_a.inspect"##,
        r##"[9223372036854775807, 9223372036854775804, 9223372036854775801]"##,
    );
    check(
        r##"[3, 1].each.with_index(9223372036854775807).to_a.inspect"##,
        r##"[[3, 9223372036854775807], [1, 9223372036854775808]]"##,
    );
    check(
        &format!("({m}..9223372036854775807).size"),
        r##"18446744073709551616"##,
    );
    check(r##""abcdef"[1, 9223372036854775807]"##, r##"bcdef"##);
    check(
        r##"[1, 2, 3, 4][1, 9223372036854775807].inspect"##,
        r##"[2, 3, 4]"##,
    );
    check(r##"2.5.round(-400)"##, r##"0"##);
}

#[test]
fn division_errors() {
    check_err(r##"1 / 0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"1 % 0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"1.divmod(0)"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(
        r##"1.remainder(0)"##,
        r##"ZeroDivisionError: divided by 0"##,
    );
    check(r##"1.0 / 0"##, r##"Infinity"##);
    check(r##"-1.0 / 0"##, r##"-Infinity"##);
    check(r##"0.0 / 0"##, r##"NaN"##);
    check(r##"1.fdiv(0)"##, r##"Infinity"##);
}

#[test]
fn rounding() {
    check(r##"15.round"##, r##"15"##);
    check(r##"15.round(-1)"##, r##"20"##);
    check(r##"25.round(-1)"##, r##"30"##);
    check(r##"-25.round(-1)"##, r##"-30"##);
    check(r##"1234.round(-2)"##, r##"1200"##);
    check(r##"1250.round(-2)"##, r##"1300"##);
    check(r##"1234.floor(-2)"##, r##"1200"##);
    check(r##"-1234.floor(-2)"##, r##"-1300"##);
    check(r##"1234.ceil(-2)"##, r##"1300"##);
    check(r##"1234.truncate(-2)"##, r##"1200"##);
    check(r##"5.round(2)"##, r##"5"##);
    check(r##"15.round(-1, half: :even)"##, r##"20"##);
    check(r##"25.round(-1, half: :even)"##, r##"20"##);
    check(r##"25.round(-1, half: :down)"##, r##"20"##);
    check(r##"5.round(-5)"##, r##"0"##);
}

#[test]
fn conversions() {
    check(r##"255.to_s(16)"##, r##"ff"##);
    check(r##"255.to_s(2)"##, r##"11111111"##);
    check(r##"-255.to_s(36)"##, r##"-73"##);
    check(r##"255.to_s.class"##, r##"String"##);
    check(r##"65.chr"##, r##"A"##);
    check(r##"3.to_f"##, r##"3.0"##);
    check(r##"3.to_i"##, r##"3"##);
    check(r##"'%.3e' % 12345"##, r##"1.234e+04"##);
    check(r##"1_000_000.to_s"##, r##"1000000"##);
    check(r##"Integer('42')"##, r##"42"##);
    check(r##"Integer('0x1f')"##, r##"31"##);
    check(r##"Integer('0b101')"##, r##"5"##);
    check(r##"Integer('  12  ')"##, r##"12"##);
    check(r##"Integer('12', 8)"##, r##"10"##);
    check_err(
        r##"Integer('abc')"##,
        r##"ArgumentError: invalid value for Integer(): "abc""##,
    );
    check_err(
        r##"Integer(nil)"##,
        r##"TypeError: can't convert nil into Integer"##,
    );
    check_err(
        r##"Integer('1.5')"##,
        r##"ArgumentError: invalid value for Integer(): "1.5""##,
    );
    check(r##"Integer(1.9)"##, r##"1"##);
    check(r##"'42abc'.to_i"##, r##"42"##);
    check(r##"'abc'.to_i"##, r##"0"##);
    check(r##"'0x1f'.to_i(16)"##, r##"31"##);
    check(r##"'1f'.to_i(16)"##, r##"31"##);
    check(r##"'-12'.to_i"##, r##"-12"##);
    check(r##"' 12'.to_i"##, r##"12"##);
    check(r##"'1_000'.to_i"##, r##"1000"##);
    check(r##"'12e3'.to_i"##, r##"12"##);
    check(r##"Integer('abc', exception: false).inspect"##, r##"nil"##);
    check(r##"Integer('12', exception: false)"##, r##"12"##);
    check(r##"Float('x', exception: false).inspect"##, r##"nil"##);
    check(r##"Float('1.5', exception: false)"##, r##"1.5"##);
}

#[test]
fn predicates() {
    check(r##"0.zero?"##, r##"true"##);
    check(r##"3.positive?"##, r##"true"##);
    check(r##"-3.negative?"##, r##"true"##);
    check(r##"4.even?"##, r##"true"##);
    check(r##"3.odd?"##, r##"true"##);
    check(r##"3.between?(1, 5)"##, r##"true"##);
    check(r##"3.clamp(5, 9)"##, r##"5"##);
    check(r##"12.clamp(5, 9)"##, r##"9"##);
    check(r##"3.integer?"##, r##"true"##);
    check(r##"3.0.integer?"##, r##"false"##);
    check(r##"3.is_a?(Numeric)"##, r##"true"##);
    check(r##"3.is_a?(Comparable)"##, r##"true"##);
    check(r##"3.kind_of?(Integer)"##, r##"true"##);
    check(r##"3.instance_of?(Numeric)"##, r##"false"##);
    check(r##"3.class"##, r##"Integer"##);
    check(r##"5.nonzero?.inspect"##, r##"5"##);
    check(r##"0.nonzero?.inspect"##, r##"nil"##);
}

#[test]
fn methods() {
    check(r##"-5.abs"##, r##"5"##);
    check(r##"5.pred"##, r##"4"##);
    check(r##"5.succ"##, r##"6"##);
    check(r##"5.next"##, r##"6"##);
    check(r##"10.gcd(4)"##, r##"2"##);
    check(r##"10.lcm(4)"##, r##"20"##);
    check(r##"10.pow(3)"##, r##"1000"##);
    check(r##"10.pow(3, 7)"##, r##"6"##);
    check(r##"10.digits.inspect"##, r##"[0, 1]"##);
    check(r##"1234.digits.inspect"##, r##"[4, 3, 2, 1]"##);
    check(r##"255.bit_length"##, r##"8"##);
    check(r##"5 & 3"##, r##"1"##);
    check(r##"5 | 3"##, r##"7"##);
    check(r##"5 ^ 3"##, r##"6"##);
    check(r##"~5"##, r##"-6"##);
    check(r##"1 << 10"##, r##"1024"##);
    check(r##"1024 >> 3"##, r##"128"##);
    check(r##"5[0]"##, r##"1"##);
    check(r##"5[1]"##, r##"0"##);
    check(r##"3 <=> 5"##, r##"-1"##);
    check(r##"5 <=> 5"##, r##"0"##);
    check(r##"(3 <=> 'a').inspect"##, r##"nil"##);
    check(r##"3 == 3.0"##, r##"true"##);
    check(r##"3.eql?(3.0)"##, r##"false"##);
    check(r##"3.equal?(3)"##, r##"true"##);
    check(
        r##"b = 2**64; [(2**64).equal?(2**64), b.equal?(b), 2**64 == 2**64].inspect"##,
        r##"[false, true, true]"##,
    );
    check(r##"3.hash == 3.hash"##, r##"true"##);
    check(r##"[1, 2, 3].sum"##, r##"6"##);
    check(r##"10.coerce(2.5).inspect"##, r##"[2.5, 10.0]"##);
}

#[test]
fn iteration() {
    check(r##"3.times.map { |i| i * 2 }.inspect"##, r##"[0, 2, 4]"##);
    check(r##"1.upto(3).to_a.inspect"##, r##"[1, 2, 3]"##);
    check(r##"3.downto(1).to_a.inspect"##, r##"[3, 2, 1]"##);
    check(r##"1.step(10, 3).to_a.inspect"##, r##"[1, 4, 7, 10]"##);
    check(
        r##"1.0.step(2.0, 0.5).to_a.inspect"##,
        r##"[1.0, 1.5, 2.0]"##,
    );
    check(
        r##"r = []; 3.times { |i| r << i }; r.inspect"##,
        r##"[0, 1, 2]"##,
    );
    check(r##"5.times.select(&:even?).inspect"##, r##"[0, 2, 4]"##);
    check(r##"10.step(1, -4).to_a.inspect"##, r##"[10, 6, 2]"##);
    check(
        r##"r = []; 10.step(1, -3) { |i| r << i }; r.inspect"##,
        r##"[10, 7, 4, 1]"##,
    );
    check(
        r##"5.step(1, -2).map { |i| i * 2 }.inspect"##,
        r##"[10, 6, 2]"##,
    );
    check(r##"1.step(5, -1).to_a.inspect"##, r##"[]"##);
}

#[test]
fn errors() {
    check_err(
        r##"1 + 'a'"##,
        r##"TypeError: String can't be coerced into Integer"##,
    );
    check_err(
        r##"1 + nil"##,
        r##"TypeError: nil can't be coerced into Integer"##,
    );
    check_err(
        r##"'a' + 1"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
    check_err(
        r##"1.foo"##,
        r##"NoMethodError: undefined method 'foo' for an instance of Integer"##,
    );
    check_err(
        r##"nil + 1"##,
        r##"NoMethodError: undefined method '+' for nil"##,
    );
    check(r##"Integer.new rescue $!.class"##, r##"NoMethodError"##);
}

#[test]
fn bit_operators_refuse_what_is_not_an_integer() {
    check_err(
        r##"36 ^ true"##,
        r##"TypeError: true can't be coerced into Integer"##,
    );
    check_err(
        r##"1 & nil"##,
        r##"TypeError: nil can't be coerced into Integer"##,
    );
    check_err(
        r##"1 | 'a'"##,
        r##"TypeError: String can't be coerced into Integer"##,
    );
    check_err(
        r##"1 & 1.5"##,
        r##"TypeError: 1.5 can't be coerced into Integer"##,
    );
    check_err(
        r##"(2**70) & 'a'"##,
        r##"TypeError: String can't be coerced into Integer"##,
    );
    check_err(
        r##"1 >> nil"##,
        r##"TypeError: no implicit conversion of nil into Integer"##,
    );
    check_err(
        r##"1 << 'a'"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
    check(r##"[1 << 1.5, 8 >> 2.9]"##, r##"[2, 2]"##);
    check_err(
        r##"1 + true"##,
        r##"TypeError: true can't be coerced into Integer"##,
    );
}

#[test]
fn bits_by_start_and_length_or_range() {
    check(
        r##"[0b1011[0..2], 0b1011[1, 2], 0b1011[2..], 255[4...8]].inspect"##,
        r##"[3, 1, 2, 15]"##,
    );
    check(
        r##"[-1[0..3], -8[1..], 5[-1..2], 5[0, -1], 5[-2, 3]].inspect"##,
        r##"[15, -4, 10, 5, 4]"##,
    );
    check(
        r##"[0b1011[3..1], 0b1011[1..1], 0b1011[1...1], 12[2, 0]].inspect"##,
        r##"[1, 1, 0, 0]"##,
    );
    check(r##"[0[..5], 4[..1], -3[..-1]].inspect"##, r##"[0, 0, 0]"##);
    check_err(
        r##"5[..1]"##,
        r##"ArgumentError: The beginless range for Integer#[] results in infinity"##,
    );
}

#[test]
fn numeric_division_remainders_squares_and_bit_masks() {
    check(
        r##"[7.div(2.5), 7.5.div(2), -7.5.div(2), (2**70).div(-2.5)]"##,
        r##"[2, 3, -4, -472236648286964547584]"##,
    );
    check(
        r##"[7.remainder(-2), -7.remainder(2.5), 7.5.remainder(2), -7.5.remainder(-2), 7.remainder(Float::INFINITY), -7.remainder(Float::INFINITY), -7.5.remainder(Float::INFINITY)]"##,
        r##"[1, -2.0, 1.5, -1.5, 7.0, -7, -7.5]"##,
    );
    // a float modulo by zero raises, as a float division by zero does not
    check_err(r##"7.5 % 0.0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"7 % 0.0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"7.5.modulo(0)"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"(2**70) % 0.0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"0.0 % 0.0"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(
        r##"7.5.remainder(0.0)"##,
        r##"ZeroDivisionError: divided by 0"##,
    );
    check(
        r##"[7.0.fdiv(0), Float::NAN % 2, -7.5 % Float::INFINITY]"##,
        r##"[Infinity, NaN, Infinity]"##,
    );
    check(
        r##"[(2**70).remainder(2.5), (2**70).remainder(-3), 7.quo(2.0), 7.5.quo(2), (2**70).quo(2.5)]"##,
        r##"[1.5, 1, 3.5, 3.75, 4.7223664828696455e+20]"##,
    );
    check(
        r##"[7.abs2, -3.abs2, 2.5.abs2, (2**40).abs2, (2**70).abs2]"##,
        r##"[49, 9, 6.25, 1208925819614629174706176, 1393796574908163946345982392040522594123776]"##,
    );
    check(
        r##"[7.allbits?(3), 7.anybits?(8), 7.nobits?(8), 6.allbits?(3), -1.allbits?(2**70), (2**70).anybits?(3), (2**70 + 1).anybits?(3), 7.allbits?(3.9)]"##,
        r##"[true, false, true, false, true, false, true, true]"##,
    );
    check(
        r##"[Integer.sqrt(24), Integer.sqrt(2**62 - 1), Integer.sqrt(2**64), Integer.sqrt(10**40 - 1), Integer.sqrt(24.9)]"##,
        r##"[4, 2147483647, 4294967296, 99999999999999999999, 4]"##,
    );
    check(
        r##"[10.gcdlcm(4), -6.gcdlcm(4), (2**70).gcdlcm(6), 7.respond_to?(:remainder), 7.5.respond_to?(:div)]"##,
        r##"[[2, 20], [2, 12], [2, 3541774862152233910272], true, true]"##,
    );
    check(
        r##"[1.0.next_float - 1.0, 1.0 - 1.0.prev_float, 0.0.next_float, Float::INFINITY.next_float, Float('0x1A'), Float('-0x1a'), Float(' 0X1_0 '), Float('+0x1A')]"##,
        r##"[2.220446049250313e-16, 1.1102230246251565e-16, 5.0e-324, Infinity, 26.0, -26.0, 16.0, 26.0]"##,
    );
    check(
        r##"%w[.5 -.5 +.5 .5e1 1_000.5 1_0e1_0 2.5e-3].map { |s| Float(s) }"##,
        r##"[0.5, -0.5, 0.5, 5.0, 1000.5, 100000000000.0, 0.0025]"##,
    );
    check(
        r##"%w[.e5 . 1. 1.e5 0.5. 5e 1e+ _.5 ._5 .5_ 1_.5 1__0].map { |s| Float(s) rescue :refused }.uniq"##,
        r##"[:refused]"##,
    );
    check_err(
        r##"Float('0xf_f')"##,
        r##"ArgumentError: invalid value for Float(): "0xf_f""##,
    );
    check_err(
        r##"Float('0x1A_')"##,
        r##"ArgumentError: invalid value for Float(): "0x1A_""##,
    );
    check_err(
        r##"Float('0X_ff')"##,
        r##"ArgumentError: invalid value for Float(): "0X_ff""##,
    );
    check_err(
        r##"Float('0x')"##,
        r##"ArgumentError: invalid value for Float(): "0x""##,
    );
    check_err(
        r##"Float('0x1G')"##,
        r##"ArgumentError: invalid value for Float(): "0x1G""##,
    );
    check_err(r##"7.div(0.0)"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"7.5.div(0)"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"Float::NAN.div(1)"##, r##"FloatDomainError: NaN"##);
    check_err(
        r##"7.div(nil)"##,
        r##"TypeError: nil can't be coerced into Integer"##,
    );
    check_err(
        r##"7.remainder('a')"##,
        r##"TypeError: String can't be coerced into Integer"##,
    );
    check_err(
        r##"7.allbits?(nil)"##,
        r##"TypeError: no implicit conversion of nil into Integer"##,
    );
    check_err(
        r##"Integer.sqrt(-1)"##,
        r##"Math::DomainError: Numerical argument is out of domain - "isqrt""##,
    );
    check_err(r##"7.gcd(2.5)"##, r##"TypeError: not an integer"##);
    check_err(r##"7.lcm(nil)"##, r##"TypeError: not an integer"##);
    check_err(r##"7.gcdlcm('a')"##, r##"TypeError: not an integer"##);
    check_err(
        r##"1.digits(nil)"##,
        r##"TypeError: no implicit conversion of nil into Integer"##,
    );
    check_err(
        r##"(2**70).digits(nil)"##,
        r##"TypeError: no implicit conversion of nil into Integer"##,
    );
    check(
        r##"[255.inspect(16), 10.digits(3), 0.digits, 10.digits(2**70), (2**64).digits(2**32)].inspect"##,
        r##"["ff", [1, 0, 1], [0], [10], [0, 0, 1]]"##,
    );
    check_err(
        r##"1.5.to_s(16)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"1.5.inspect(2)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(r##"(-1).digits"##, r##"Math::DomainError: out of domain"##);
    check_err(r##"10.digits(1)"##, r##"ArgumentError: invalid radix 1"##);
    check_err(r##"10.digits(-2)"##, r##"ArgumentError: negative radix"##);
    check_err(
        r##"10.digits('a')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
}

/// A negative power: Ruby's answer is a Rational, which bale does not have, except for the
/// bases whose answer is an Integer (1 and -1) or an error (0).
#[test]
fn negative_powers_with_integer_answers() {
    check(
        r##"[1 ** -1, (-1) ** -3, (-1) ** -2, 1.pow(-5), -(1 ** -1), -1 ** -3].inspect"##,
        r##"[1, -1, 1, 1, -1, -1]"##,
    );
    check(
        r##"{a: -('\\back' =~ /[a-z]/).to_i.abs ** 2.modulo(-3)}.to_json"##,
        r##"{"a":-1}"##,
    );
    check_err(r##"0 ** -1"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(r##"0.pow(-2)"##, r##"ZeroDivisionError: divided by 0"##);
}

/// The same bases with a power past 64 bits, and `pow` with a modulus: Ruby's checks, in
/// Ruby's order.
#[test]
fn negative_big_powers_and_modular_pow_checks() {
    check(
        r##"[1 ** -(2**64), (-1) ** -(2**64+1), (-1) ** -(2**64)].inspect"##,
        r##"[1, -1, 1]"##,
    );
    check(
        r##"[2.pow(3, -5), 2.pow(10, 1000), (2**64).pow(2, 7)].inspect"##,
        r##"[-2, 24, 4]"##,
    );
    check_err(r##"0 ** -(2**64)"##, r##"ZeroDivisionError: divided by 0"##);
    check_err(
        r##"2.pow(3.0, 5)"##,
        r##"TypeError: Integer#pow() 2nd argument not allowed unless a 1st argument is integer"##,
    );
    check_err(
        r##"2.pow('a', 5)"##,
        r##"TypeError: Integer#pow() 2nd argument not allowed unless a 1st argument is integer"##,
    );
    check_err(
        r##"2.pow(-1, 0)"##,
        r##"RangeError: Integer#pow() 1st argument cannot be negative when 2nd argument specified"##,
    );
    check_err(
        r##"0.pow(-1, 5.0)"##,
        r##"RangeError: Integer#pow() 1st argument cannot be negative when 2nd argument specified"##,
    );
    check_err(
        r##"(2**64).pow(-1, 5)"##,
        r##"RangeError: Integer#pow() 1st argument cannot be negative when 2nd argument specified"##,
    );
    check_err(
        r##"2.pow(3, 0.0)"##,
        r##"TypeError: Integer#pow() 2nd argument not allowed unless all arguments are integers"##,
    );
    check_err(r##"2.pow(3, 0)"##, r##"ZeroDivisionError: divided by 0"##);
}
