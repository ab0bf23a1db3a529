//! Float: shortest round-trip printing, rounding (half away from zero, `half:`), Math, conversions.

use super::{check, check34, check_err};

#[test]
fn printing() {
    check(r##"0.1 + 0.2"##, r##"0.30000000000000004"##);
    check(r##"1.0"##, r##"1.0"##);
    check(r##"1.5"##, r##"1.5"##);
    check(r##"-0.0"##, r##"-0.0"##);
    check(r##"100.0"##, r##"100.0"##);
    check(r##"1e20"##, r##"1.0e+20"##);
    check(r##"1e15"##, r##"1.0e+15"##);
    check(r##"1e16"##, r##"1.0e+16"##);
    check(r##"123456789012345.0"##, r##"123456789012345.0"##);
    check(r##"1234567890123456.0"##, r##"1.234567890123456e+15"##);
    check(r##"1.0e-4"##, r##"0.0001"##);
    check(r##"0.0001"##, r##"0.0001"##);
    check(r##"0.00001"##, r##"1.0e-05"##);
    check(r##"1.5e-7"##, r##"1.5e-07"##);
    check(r##"2.0 ** 70"##, r##"1.1805916207174113e+21"##);
    check(r##"1.0 / 3"##, r##"0.3333333333333333"##);
    check(r##"2.0 / 3"##, r##"0.6666666666666666"##);
    check(r##"10.0 / 4"##, r##"2.5"##);
    check(r##"3.14159"##, r##"3.14159"##);
    check(r##"1.23456789012345e+30"##, r##"1.23456789012345e+30"##);
    check(r##"Float::INFINITY"##, r##"Infinity"##);
    check(r##"-Float::INFINITY"##, r##"-Infinity"##);
    check(r##"Float::NAN"##, r##"NaN"##);
    check(r##"Float::NAN.nan?"##, r##"true"##);
    check(r##"Float::INFINITY.infinite?"##, r##"1"##);
    check(r##"1.0.infinite?.inspect"##, r##"nil"##);
    check(r##"Float::MAX"##, r##"1.7976931348623157e+308"##);
    check(r##"Float::MIN"##, r##"2.2250738585072014e-308"##);
    check(r##"Float::EPSILON"##, r##"2.220446049250313e-16"##);
    check(r##"(0.1 * 3).inspect"##, r##"0.30000000000000004"##);
    check(r##"3.0 * 1.1"##, r##"3.3000000000000003"##);
}

#[test]
fn rounding() {
    check(r##"2.5.round"##, r##"3"##);
    check(r##"3.5.round"##, r##"4"##);
    check(r##"-2.5.round"##, r##"-3"##);
    check(r##"2.5.round(half: :even)"##, r##"2"##);
    check(r##"2.5.round(half: :down)"##, r##"2"##);
    check(r##"3.14159.round(2)"##, r##"3.14"##);
    check(r##"3.145.round(2)"##, r##"3.15"##);
    check(r##"2.675.round(2)"##, r##"2.68"##);
    check(r##"1.005.round(2)"##, r##"1.01"##);
    check(r##"1234.5678.round(-2)"##, r##"1200"##);
    check(r##"1234.5678.round(-2).class"##, r##"Integer"##);
    check(r##"1234.5678.floor(2)"##, r##"1234.56"##);
    check(r##"1234.5678.ceil(2)"##, r##"1234.57"##);
    check(r##"-1234.5678.floor(1)"##, r##"-1234.6"##);
    check(r##"1234.5678.truncate(1)"##, r##"1234.5"##);
    // toward zero by `ceil` below zero: a negative too small for the digits is `0.0`
    check(
        r##"[-1.0e-5.truncate(1), -1.23456.truncate(2), -0.0.truncate(1), 1e300.truncate(5)].inspect"##,
        r##"[0.0, -1.23, -0.0, 1.0e+300]"##,
    );
    check(r##"7.9.floor"##, r##"7"##);
    check(r##"-7.9.floor"##, r##"-8"##);
    check(r##"7.1.ceil"##, r##"8"##);
    check(r##"-7.1.ceil"##, r##"-7"##);
    check(r##"7.9.to_i"##, r##"7"##);
    check(r##"-7.9.to_i"##, r##"-7"##);
    check(r##"7.9.truncate"##, r##"7"##);
    check(r##"0.5.round"##, r##"1"##);
    check(r##"1.5.round"##, r##"2"##);
    check(r##"12.0.round(1)"##, r##"12.0"##);
    check(r##"12.34.round(5)"##, r##"12.34"##);
    // to decimals a double has none of, or below half of one unit: decided from the binary
    // exponent, without multiplying (which would lose bits)
    check(r##"5e20.round(2).inspect"##, r##"5.0e+20"##);
    check(
        r##"((1e20 * 10).to_i / 2.0).round(2).inspect"##,
        r##"5.0e+20"##,
    );
    check(
        r##"123456789012345.678.round(2).inspect"##,
        r##"123456789012345.69"##,
    );
    check(r##"1e300.round(2).inspect"##, r##"1.0e+300"##);
    check(r##"0.1.round(20).inspect"##, r##"0.1"##);
    check(r##"1e-20.round(2).inspect"##, r##"0.0"##);
    check(r##"-1e-20.round(2).inspect"##, r##"0.0"##);
    check(r##"-1e-20.round(2, half: :even).inspect"##, r##"0.0"##);
    check(r##"5e20.floor(2).inspect"##, r##"5.0e+20"##);
    check(r##"5e20.ceil(3).inspect"##, r##"5.0e+20"##);
    check(r##"1e-20.floor(2).inspect"##, r##"0.0"##);
    check(r##"1e-20.ceil(2).inspect"##, r##"0.01"##);
    check(r##"-1e-20.ceil(2).inspect"##, r##"0.0"##);
    check(r##"-1e-20.floor(2).inspect"##, r##"-0.01"##);
    check(r##"-0.0.round(2).inspect"##, r##"-0.0"##);
    check(r##"3.0e-310.round(2).inspect"##, r##"0.0"##);
}

#[test]
fn arithmetic() {
    check(r##"10.0 / 4"##, r##"2.5"##);
    check(r##"10.0 % 3"##, r##"1.0"##);
    check(r##"-10.0 % 3"##, r##"2.0"##);
    check(r##"10.0.divmod(3).inspect"##, r##"[3, 1.0]"##);
    check(r##"-7.5.abs"##, r##"7.5"##);
    check(r##"2.0 ** 0.5"##, r##"1.4142135623730951"##);
    check(r##"4 ** 0.5"##, r##"2.0"##);
    check(r##"Math.sqrt(16)"##, r##"4.0"##);
    check(r##"Math.sqrt(2)"##, r##"1.4142135623730951"##);
    check(r##"Math.log(Math::E)"##, r##"1.0"##);
    check(r##"Math.log2(8)"##, r##"3.0"##);
    check(r##"Math.log10(1000)"##, r##"3.0"##);
    check(r##"Math::PI"##, r##"3.141592653589793"##);
    // integers past 64 bits: a float, or for a logarithm past the floats' range its
    // leading bits and how many were shifted out
    check(r##"Math.sqrt(10**20)"##, r##"10000000000.0"##);
    check(r##"Math.sqrt(10**400)"##, r##"Infinity"##);
    check(r##"Math.log(10**400)"##, r##"921.0340371976183"##);
    check(r##"Math.log2(2**2000)"##, r##"2000.0"##);
    check(r##"Math.log10(10**500)"##, r##"500.0"##);
    check(r##"Math.log10(3**2000)"##, r##"954.2425094393249"##);
    check(r##"Math.log(10**400, 10)"##, r##"400.0"##);
    // Ruby 3.4 adds the bits shifted out of each as a count over the base's logarithm
    check34(r##"Math.log(2**3000, 2**1500)"##, r##"29.846153846153847"##);
    check(r##"Math.cbrt(10**30)"##, r##"10000000000.0"##);
    check(r##"Math.sin(10**20)"##, r##"-0.6452512852657808"##);
    check_err(
        r##"Math.log(-(10**400))"##,
        r##"Math::DomainError: Numerical argument is out of domain - log"##,
    );
    check_err(
        r##"Math.sqrt(-1)"##,
        r##"Math::DomainError: Numerical argument is out of domain - sqrt"##,
    );
    check(r##"1.5.floor.class"##, r##"Integer"##);
    check(r##"1.0 == 1"##, r##"true"##);
    check(r##"1.0.eql?(1)"##, r##"false"##);
    check(r##"1.0 <=> 2"##, r##"-1"##);
    check(r##"0.1 + 0.2 == 0.3"##, r##"false"##);
    check(r##"(0.1 + 0.2 - 0.3).abs < Float::EPSILON"##, r##"true"##);
    check(r##"3.7 % 1"##, r##"0.7000000000000002"##);
    check(r##"1.0.to_s"##, r##"1.0"##);
    check(r##"1.0.to_i"##, r##"1"##);
    check(r##"3.0.zero?"##, r##"false"##);
    check(r##"0.0.zero?"##, r##"true"##);
    check(r##"1.5.positive?"##, r##"true"##);
    check(r##"1.5.nan?"##, r##"false"##);
}

#[test]
fn conversions() {
    check(r##"Float('1.5')"##, r##"1.5"##);
    check(r##"Float('1e3')"##, r##"1000.0"##);
    check_err(
        r##"Float('abc')"##,
        r##"ArgumentError: invalid value for Float(): "abc""##,
    );
    check_err(
        r##"Float(nil)"##,
        r##"TypeError: can't convert nil into Float"##,
    );
    check_err(
        r##"Float('')"##,
        r##"ArgumentError: invalid value for Float(): """##,
    );
    check(r##"Float('  2.5 ')"##, r##"2.5"##);
    check(r##"'1.5abc'.to_f"##, r##"1.5"##);
    check(r##"'abc'.to_f"##, r##"0.0"##);
    check(r##"'.5'.to_f"##, r##"0.5"##);
    check(r##"'1e-2'.to_f"##, r##"0.01"##);
    check(r##"'1_000.5'.to_f"##, r##"1000.5"##);
    check(r##"1.5.to_s"##, r##"1.5"##);
    check(r##"12.5.to_i"##, r##"12"##);
    check(r##"1e2.to_i"##, r##"100"##);
}

#[test]
fn rounding_to_tens_and_beyond_rounds_the_integer_part() {
    check(
        r##"[(1e20 / 3).round(-1), (1e20 / 3).round(-3), 1e16.round(-1)].inspect"##,
        r##"[33333333333333331970, 33333333333333332000, 10000000000000000]"##,
    );
    check(
        r##"[25.3.round(-1, half: :even), -25.3.round(-1, half: :even), 15.7.round(-1, half: :down)].inspect"##,
        r##"[20, -20, 10]"##,
    );
    check(
        r##"[5.5.round(-1), 2.5.round(-1), 99.99.round(-2), -15.5.round(-1), -0.0.round(-2)].inspect"##,
        r##"[10, 0, 100, -20, 0]"##,
    );
    check_err(r##"(0.0 / 0.0).round(-1)"##, r##"FloatDomainError: NaN"##);
}

/// A number's `to_i` takes no base (a String's does).
#[test]
fn to_i_takes_no_argument() {
    check_err(
        r##"100.0.to_i(16)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"-7.5.to_int(2)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check_err(
        r##"7.to_i(2)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 0)"##,
    );
    check(
        r##"[7.to_i, 7.5.to_int, '7f'.to_i(16)].inspect"##,
        r##"[7, 7, 127]"##,
    );
}

/// `Integer#pow` has no Float counterpart; `**` with whole and fractional exponents.
#[test]
fn pow_is_integers_only() {
    check_err(
        r##"1.5.pow(2)"##,
        r##"NoMethodError: undefined method 'pow' for an instance of Float"##,
    );
    check(
        r##"[(-8.0) ** 2.0, (-8.0) ** -2, 8 ** 0.5, (-0.0) ** 0.5, (-8.0) ** Float::INFINITY, 2.pow(10)].inspect"##,
        r##"[64.0, 0.015625, 2.8284271247461903, 0.0, Infinity, 1024]"##,
    );
}

/// `sum` adds Floats compensated (Kahan-Babuska), as Ruby does for an Array, a Range, a
/// Hash and an Enumerator, with a block too; Integers exactly; an infinity without NaN.
#[test]
fn sum_adds_floats_compensated() {
    check(
        r##"[[0.1] * 10, [0.1, 0.2, 0.3], [1, 0.1, 0.2], [1e100, 1.0, -1e100]].map(&:sum).inspect"##,
        r##"[1.0, 0.6, 1.3, 1.0]"##,
    );
    check(
        r##"[(1..10).sum { |x| x * 0.1 }, {a: 0.1, b: 0.2, c: 0.3}.sum { |k, v| v }, [0.1, 0.2, 0.3].each.sum, [0.1, 0.2, 0.3].sum(0.0), (1..10).sum(0.5)].inspect"##,
        r##"[5.5, 0.6, 0.6, 0.6, 55.5]"##,
    );
    check(
        r##"[[Float::INFINITY, 1.0].sum, [1.0, -Float::INFINITY].sum, [Float::INFINITY, -Float::INFINITY].sum, [Float::NAN, 1.0].sum].inspect"##,
        r##"[Infinity, -Infinity, NaN, NaN]"##,
    );
    check(
        r##"[[1, 2**64, 0.5].sum, (1..10**12).sum, (1...10**12).sum(2**70), (5..1).sum, [].sum(''), ['a', 'b'].sum('x')].inspect"##,
        r##"[1.8446744073709552e+19, 500000000000500000000000, 501180591620217411303424, 0, "", "xab"]"##,
    );
    check_err(
        r##"[1.5, 2].sum(nil)"##,
        r##"TypeError: no implicit conversion to float from nil"##,
    );
    check_err(
        r##"[1.5].sum('x')"##,
        r##"TypeError: no implicit conversion to float from string"##,
    );
    check_err(
        r##"[0, 1.5].sum(nil)"##,
        r##"TypeError: nil can't be coerced into Integer"##,
    );
    check_err(
        r##"[3, 0.1, 'x'].sum"##,
        r##"TypeError: String can't be coerced into Float"##,
    );
}

/// `step` over Floats as Ruby counts it (a tolerance of the operands' rounding error, a
/// value past the end taken as the end), down with a negative step, with keywords too; a
/// range's negative step is an empty sequence, and refused with a block.
#[test]
fn step_counts_floats_as_ruby_does() {
    check(
        r##"[1.step(-2, 4).to_a, 5.step(7, -1).to_a, 1.step(1, 3).to_a, 10.step(1, -4).to_a, 1.step(-2.0, 4).to_a].inspect"##,
        r##"[[], [], [1], [10, 6, 2], []]"##,
    );
    check(
        r##"[10.0.step(9.0, -0.5).to_a, 1.0.step(0.0, -0.25).to_a, 1.step(0, -0.5).to_a, 1.step(3, 1.0).to_a].inspect"##,
        r##"[[10.0, 9.5, 9.0], [1.0, 0.75, 0.5, 0.25, 0.0], [1.0, 0.5, 0.0], [1.0, 2.0, 3.0]]"##,
    );
    check(
        r##"[1.step(by: 2, to: 5).to_a, 1.0.step(by: -0.5, to: 0).to_a, 1.step(5, by: 2).to_a, 3.step(1).to_a].inspect"##,
        r##"[[1, 3, 5], [1.0, 0.5, 0.0], [1, 3, 5], []]"##,
    );
    check(
        r##"[(0.1..1.0).step(0.3).to_a, (0.0...1.0).step(0.1).to_a.size, (0.0..1.0).step(0.1).to_a.last, (0.0...0.5).step(1.0).to_a, (1..10).step(-2).to_a].inspect"##,
        r##"[[0.1, 0.4, 0.7, 0.9999999999999999], 10, 1.0, [0.0], []]"##,
    );
    check_err(
        r##"1.step(10, 0).to_a"##,
        r##"ArgumentError: step can't be 0"##,
    );
    check_err(
        r##"(1.0..2.0).step(0.0).to_a"##,
        r##"ArgumentError: step can't be 0"##,
    );
    check_err(
        r##"(1..10).step(-2) { }"##,
        r##"ArgumentError: step can't be negative"##,
    );
}

#[test]
fn sixteen_digits_before_the_point() {
    check(r##"1499999999999944.5"##, r##"1499999999999944.5"##);
    check(r##"(1e15 + 0.5).inspect"##, r##"1000000000000000.5"##);
    check(r##"9999999999999998.0"##, r##"9.999999999999998e+15"##);
    check(r##"12345678901234567.0"##, r##"1.2345678901234568e+16"##);
    check(r##"[1e15 + 0.5].to_json"##, r##"[1000000000000000.5]"##);
}

#[test]
fn halfway_between_two_shortest_ends_even() {
    check(r##"1111111000000001.25"##, r##"1111111000000001.2"##);
    check(r##"1111111000000001.75"##, r##"1111111000000001.8"##);
    check(
        r##"1111111000000003.25.inspect"##,
        r##"1111111000000003.2"##,
    );
    check(
        r##"(255 ** 2).to_s(2).to_f.round(1)"##,
        r##"1111111000000001.2"##,
    );
    check(
        r##"[1769019270557668.25, 1201726685377119.25].to_json"##,
        r##"[1769019270557668.2,1201726685377119.2]"##,
    );
    check(
        r##"{ 'a' => 1927665662443210.25 }.to_yaml"##,
        r##"---
a: 1927665662443210.2
"##,
    );
    check(r##"1111111000000001.0 + 0.2"##, r##"1111111000000001.2"##);
    check(r##"5.0e-324 * 3"##, r##"1.5e-323"##);
    check(r##"5.0e-324"##, r##"5.0e-324"##);
}

#[test]
fn math_functions() {
    // Ruby's domain checks, special cases and argument order (math.c), the C library's values
    check(r##"Math.sqrt(-0.0)"##, r##"0.0"##);
    check(r##"Math.sqrt(-'a,b,,c'.to_f.abs)"##, r##"0.0"##);
    check(r##"Math.cbrt(3)"##, r##"1.4422495703074085"##);
    check(r##"Math.cbrt(-27)"##, r##"-3.0"##);
    check(r##"Math.cbrt(-0.0)"##, r##"-0.0"##);
    check(
        r##"(1..40).sum { |i| Math.cbrt(i * 1.37) }"##,
        r##"115.54389456190417"##,
    );
    // the C library's `cbrt`, `asinh`, `acosh`, `atanh`, not Rust's own (a last bit apart)
    check(r##"Math.cbrt(1234.5678)"##, r##"10.727659535728733"##);
    check(r##"Math.cbrt(3.14159)"##, r##"1.4645914751987925"##);
    check(
        r##"(1..60).map { |i| [Math.cbrt(i * 13.37), Math.asinh(i * 0.37), Math.acosh(1 + i * 0.41), Math.atanh(i / 61.0)] }.flatten.map { |v| v.to_s[-3..] }.join"##,
        r##"408711162437435991382662414585267626997643374349191424695814729892236757609756515615816587869688929592993658661606164948945812797462855061572224188967296394157642085259926084656805487492641682701706153653172784987295184445567567025625827654785332953584452631665576105646957385828683086605979756213988147473581504223335215254879248446298402787517692018885257852924966594425995093995911568187349474483231633058665326917771399937618591722441838132629752394202905273339879382583133181163873074514625301373976393286723604058666906537655873565143828196264848879756228805458153673034164786173079136702508818056017403246156913471604663034964297731093713684654738386548217625763828658362156874716345093094865316599498493829484837"##,
    );
    check(r##"Math.tan(1)"##, r##"1.5574077246549023"##);
    check(r##"Math.asin(0.5)"##, r##"0.5235987755982989"##);
    check(r##"Math.acos(0.5)"##, r##"1.0471975511965979"##);
    check(r##"Math.atan(1)"##, r##"0.7853981633974483"##);
    check(r##"Math.sinh(1)"##, r##"1.1752011936438014"##);
    check(r##"Math.cosh(1)"##, r##"1.5430806348152437"##);
    check(r##"Math.tanh(1)"##, r##"0.7615941559557649"##);
    check(r##"Math.asinh(1)"##, r##"0.881373587019543"##);
    check(r##"Math.acosh(2)"##, r##"1.3169578969248166"##);
    check(r##"Math.atanh(0.5)"##, r##"0.5493061443340548"##);
    check(r##"Math.atanh(1)"##, r##"Infinity"##);
    check(r##"Math.atanh(-1)"##, r##"-Infinity"##);
    check(r##"Math.acos(Float::NAN)"##, r##"NaN"##);
    check(r##"Math.atan2(1, 2)"##, r##"0.4636476090008061"##);
    check(r##"Math.atan2(-0.0, -0.0)"##, r##"-3.141592653589793"##);
    check(r##"Math.atan2(0.0, -0.0)"##, r##"3.141592653589793"##);
    check(r##"Math.atan2(-0.0, 0.0)"##, r##"-0.0"##);
    check(r##"Math.erf(1)"##, r##"0.8427007929497149"##);
    check(r##"Math.erfc(10)"##, r##"2.088487583762545e-45"##);
    check(r##"Math.gamma(5)"##, r##"24.0"##);
    check(r##"Math.gamma(0.5)"##, r##"1.772453850905516"##);
    check(r##"Math.gamma(-1.5)"##, r##"2.363271801207355"##);
    check(r##"Math.gamma(-0.0)"##, r##"-Infinity"##);
    check(r##"Math.gamma(23)"##, r##"1.1240007277776077e+21"##);
    check(r##"Math.gamma(24)"##, r##"2.585201673888498e+22"##);
    check(r##"Math.gamma(171)"##, r##"7.257415615307999e+306"##);
    check(r##"Math.gamma(172)"##, r##"Infinity"##);
    check(
        r##"Math.lgamma(0.5).inspect"##,
        r##"[0.5723649429247001, 1]"##,
    );
    check(
        r##"Math.lgamma(-2.5).inspect"##,
        r##"[-0.05624371649767407, -1]"##,
    );
    check(r##"Math.lgamma(-0.0).inspect"##, r##"[Infinity, -1]"##);
    check(r##"Math.lgamma(-1).inspect"##, r##"[Infinity, 1]"##);
    check(
        r##"Math.frexp(1234.5).inspect"##,
        r##"[0.602783203125, 11]"##,
    );
    check(r##"Math.frexp(0).inspect"##, r##"[0.0, 0]"##);
    check(
        r##"Math.frexp(Float::INFINITY).inspect"##,
        r##"[Infinity, 0]"##,
    );
    check(r##"Math.ldexp(1.5, 2.7)"##, r##"6.0"##);
    check(r##"Math.ldexp(3.0, -1074)"##, r##"1.5e-323"##);
    check(r##"Math.ldexp(1.0, -2**31)"##, r##"0.0"##);
    check(r##"Math.log(0)"##, r##"-Infinity"##);
    check(r##"Math.log(-0.0)"##, r##"-Infinity"##);
    check(r##"Math.log2(0)"##, r##"-Infinity"##);
    check34(r##"Math.log(0, 0.5)"##, r##"-Infinity"##);
    check(r##"Math.log(0, 0)"##, r##"NaN"##);
    check(r##"Math.log(2, 0)"##, r##"-0.0"##);
    check34(r##"Math.log(8, 1)"##, r##"NaN"##);
    check34(r##"Math.log(2**2100, 2**2000)"##, r##"2.9230769230769234"##);
    check34(r##"Math.log(10**500, 10**400)"##, r##"7.294959571961455"##);
    check34(r##"Math.log(1000, 10)"##, r##"3.0"##);
    check(r##"Math.respond_to?(:erf)"##, r##"true"##);
    check(r##"Math.respond_to?(:nope)"##, r##"false"##);
    check(r##"Math.name"##, r##"Math"##);
    check_err(
        r##"Math.sqrt()"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check_err(
        r##"Math.sqrt(1, 2)"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 1)"##,
    );
    check_err(
        r##"Math.hypot(1)"##,
        r##"ArgumentError: wrong number of arguments (given 1, expected 2)"##,
    );
    check_err(
        r##"Math.log(8, 2, 3)"##,
        r##"ArgumentError: wrong number of arguments (given 3, expected 1..2)"##,
    );
    check_err(
        r##"Math.sqrt(nil)"##,
        r##"TypeError: can't convert nil into Float"##,
    );
    check_err(
        r##"Math.sqrt(true)"##,
        r##"TypeError: can't convert true into Float"##,
    );
    check_err(
        r##"Math.log(8, '2')"##,
        r##"TypeError: can't convert String into Float"##,
    );
    check_err(
        r##"Math.log(-1, '2')"##,
        r##"Math::DomainError: Numerical argument is out of domain - log"##,
    );
    check_err(
        r##"Math.log(1, -2)"##,
        r##"Math::DomainError: Numerical argument is out of domain - log"##,
    );
    check_err(
        r##"Math.atan2('a', nil)"##,
        r##"TypeError: can't convert nil into Float"##,
    );
    check_err(
        r##"Math.hypot(nil, 'a')"##,
        r##"TypeError: can't convert String into Float"##,
    );
    check_err(
        r##"Math.acos(2)"##,
        r##"Math::DomainError: Numerical argument is out of domain - acos"##,
    );
    check_err(
        r##"Math.acosh(0.5)"##,
        r##"Math::DomainError: Numerical argument is out of domain - acosh"##,
    );
    check_err(
        r##"Math.atanh(1.5)"##,
        r##"Math::DomainError: Numerical argument is out of domain - atanh"##,
    );
    check_err(
        r##"Math.gamma(-1)"##,
        r##"Math::DomainError: Numerical argument is out of domain - gamma"##,
    );
    check_err(
        r##"Math.lgamma(-Float::INFINITY)"##,
        r##"Math::DomainError: Numerical argument is out of domain - lgamma"##,
    );
    check_err(
        r##"Math.log2(-1)"##,
        r##"Math::DomainError: Numerical argument is out of domain - log2"##,
    );
    check_err(
        r##"Math.ldexp(1.5, '2')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
    check_err(
        r##"Math.ldexp('a', 2**40)"##,
        r##"RangeError: integer 1099511627776 too big to convert to 'int'"##,
    );
    check_err(
        r##"Math.ldexp(1.0, 1e20)"##,
        r##"RangeError: float 1e+20 out of range of integer"##,
    );
    check_err(
        r##"Math.ldexp(1.0, -1.5e19)"##,
        r##"RangeError: float -1.5e+19 out of range of integer"##,
    );
    check_err(
        r##"Math.ldexp(1.0, Float::NAN)"##,
        r##"RangeError: float NaN out of range of integer"##,
    );
    check_err(
        r##"Math.ldexp(1, 9.21e18)"##,
        r##"RangeError: integer 9210000000000000000 too big to convert to 'int'"##,
    );
    check_err(
        r##"Math.ldexp(1, -9.223372036854775808e18)"##,
        r##"RangeError: integer -9223372036854775808 too small to convert to 'int'"##,
    );
    check_err(
        r##"Math.ldexp(1, 9.223372036854775808e18)"##,
        r##"RangeError: float 9.223372037e+18 out of range of integer"##,
    );
    check_err(
        r##"Math.sin((-8) ** (1.0/3))"##,
        r##"RangeError: can't convert 1.0000000000000002+1.7320508075688772i into Float"##,
    );
    check_err(
        r##"Math.ldexp(1.0, 2**31)"##,
        r##"RangeError: integer 2147483648 too big to convert to 'int'"##,
    );
}
