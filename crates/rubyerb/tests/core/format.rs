//! Kernel#format / String#%: flags, widths, precision, rounding of `%f`, positional and named references, errors; `to_s` of numbers.

use super::{check, check_err};

#[test]
fn sprintf() {
    check(r##"format('%05.1f', 3.14159)"##, r##"003.1"##);
    check(r##"format('%d', 3.99)"##, r##"3"##);
    check(r##"format('%d', -3.99)"##, r##"-3"##);
    check(r##"format('%.0f', 0.5)"##, r##"0"##);
    check(r##"format('%.0f', 1.5)"##, r##"2"##);
    check(r##"format('%.0f', 2.5)"##, r##"2"##);
    check(r##"format('%.1f', 0.25)"##, r##"0.2"##);
    check(r##"format('%.1f', 0.35)"##, r##"0.4"##);
    check(r##"format('%.2f', 1.005)"##, r##"1.00"##);
    check(r##"format('%.3f', -0.0005)"##, r##"-0.001"##);
    check(r##"format('%f', 1.0)"##, r##"1.000000"##);
    check(r##"format('%g', 1234567.0)"##, r##"1.23457e+06"##);
    check(r##"format('%g', 0.0001234)"##, r##"0.0001234"##);
    check(r##"format('%g', 100.0)"##, r##"100"##);
    check(r##"format('%10.4g|', 3.14159)"##, r##"     3.142|"##);
    check(r##"format('%e', 0.0)"##, r##"0.000000e+00"##);
    check(r##"format('%E', 1234.5)"##, r##"1.234500E+03"##);
    check(r##"format('%#x', 255)"##, r##"0xff"##);
    check(r##"format('%#o', 8)"##, r##"010"##);
    check(r##"format('%08.3f', -3.14159)"##, r##"-003.142"##);
    check(r##"format('%+.2f', 3.14159)"##, r##"+3.14"##);
    check(r##"format('% d', 5)"##, r##" 5"##);
    check(r##"format('%-6d|', 42)"##, r##"42    |"##);
    check(r##"format('%*d', 5, 1)"##, r##"    1"##);
    check(r##"format('%-*d|', 5, 1)"##, r##"1    |"##);
    check(r##"format('%.3s', 'abcdef')"##, r##"abc"##);
    check(r##"format('%5.1s|', 'abc')"##, r##"    a|"##);
    check(r##"format('%s', [1, 'a'])"##, r##"[1, "a"]"##);
    check(r##"format('%s', {a: 1})"##, r##"{a: 1}"##);
    check(r##"format('%p', 'a')"##, r##""a""##);
    check(r##"format('%p %p', nil, :a)"##, r##"nil :a"##);
    check(r##"format('%d%%', 50)"##, r##"50%"##);
    check(r##"format('%05s', 'ab')"##, r##"   ab"##);
    check(r##"format('%x', 3.0)"##, r##"3"##);
    check(r##"format('%d', '12')"##, r##"12"##);
    check(r##"format('%d', '0x1A')"##, r##"26"##);
    check(r##"format('%f', '1.5')"##, r##"1.500000"##);
    check(r##"format('%.10f', 1.0 / 3)"##, r##"0.3333333333"##);
    check(r##"format('%.15g', 0.1)"##, r##"0.1"##);
    check(r##"format('%.17g', 0.1)"##, r##"0.10000000000000001"##);
    check(r##"format('%3$s %1$s %2$s', 'a', 'b', 'c')"##, r##"c a b"##);
    check(r##"format('%<x>08.3f', x: 3.14159)"##, r##"0003.142"##);
    check(r##"format('%{x}|%<y>5s', x: 1, y: 'b')"##, r##"1|    b"##);
    check_err(r##"format('%s')"##, r##"ArgumentError: too few arguments"##);
    check_err(
        r##"format('%d', 'x')"##,
        r##"ArgumentError: invalid value for Integer(): "x""##,
    );
    check_err(
        r##"format('%d', nil)"##,
        r##"TypeError: can't convert nil into Integer"##,
    );
    check_err(
        r##"format('%z', 1)"##,
        r##"ArgumentError: malformed format string - %z"##,
    );
    check_err(
        r##"format('%<x>s', {})"##,
        r##"KeyError: key<x> not found"##,
    );
    check_err(
        r##"format('%s %s', 1)"##,
        r##"ArgumentError: too few arguments"##,
    );
    check(r##"sprintf('%s-%s', 1, 2)"##, r##"1-2"##);
    check(r##"'%s' % :sym"##, r##"sym"##);
    check(r##"'%s' % [[1, 2]]"##, r##"[1, 2]"##);
    check(r##"'%d items' % 3"##, r##"3 items"##);
    check(r##"'%.2e' % 123456"##, r##"1.23e+05"##);
    check(r##"'%s and %p' % ['a', 'a']"##, r##"a and "a""##);
    check(r##"'%-3s|%3s|' % %w[a b]"##, r##"a  |  b|"##);
}

#[test]
fn conversions_to_s() {
    check(r##"1.to_s + 1.5.to_s + nil.to_s + :a.to_s"##, r##"11.5a"##);
    check(
        r##""#{1}#{1.5}#{nil}#{:a}#{[1, nil]}#{{a: nil}}""##,
        r##"11.5a[1, nil]{a: nil}"##,
    );
    check(
        r##""#{1e20} #{1.0e-5} #{100.0} #{-0.0}""##,
        r##"1.0e+20 1.0e-05 100.0 -0.0"##,
    );
    check(
        r##"[1.0, 2.5e-5, 1e16].inspect"##,
        r##"[1.0, 2.5e-05, 1.0e+16]"##,
    );
    check(r##"1234567.89.to_s"##, r##"1234567.89"##);
    check(r##"0.1.to_s"##, r##"0.1"##);
    check(r##"123e-20.to_s"##, r##"1.23e-18"##);
    check(r##"(10.0 ** 20).to_s"##, r##"1.0e+20"##);
    check(r##"1.23456789e-7.to_s"##, r##"1.23456789e-07"##);
    check(r##"9007199254740993.0.to_s"##, r##"9.007199254740992e+15"##);
    check(r##"4.35.to_s"##, r##"4.35"##);
    check(r##"(4.35 * 100).to_s"##, r##"434.99999999999994"##);
    check(r##"1.1 * 3"##, r##"3.3000000000000003"##);
    check(r##"100.0.to_i.to_s"##, r##"100"##);
    check(r##"Integer === 1"##, r##"true"##);
    check(r##"Float === 1"##, r##"false"##);
    check(r##"Numeric === 1.0"##, r##"true"##);
    check(r##"String === 'a'"##, r##"true"##);
}

/// `%e` and `%g` round as Ruby's dtoa does (the shortest digits half to even when the
/// precision cuts into them, up to 14 digits), `%g` keeps a tie's zeros as Ruby does, `#`
/// keeps the point, and infinities and NaN print as Ruby prints them.
#[test]
fn sprintf_exponent_and_general() {
    check(
        r##"['%.f' % 2.5, '%.e' % 1.5, '%5.s|' % 'abc', '%.d' % 7].join(' ')"##,
        r##"2 2e+00      | 7"##,
    );
    check(r##"'%.1e' % 0.0985"##, r##"9.8e-02"##);
    check(r##"'%.2e' % 2.675"##, r##"2.68e+00"##);
    check(
        r##"['%.2g' % 8.05, '%.2g' % 7.05, '%.2g' % 1.05e5, '%.2g' % 0.0105, '%.2g' % 1.95].join(' ')"##,
        r##"8.0 7 1.0e+05 0.010 2"##,
    );
    check(
        r##"['%g' % 0.0000999, '%.2g' % 0.0000999, '%.2g' % 9.96, '%.3g' % 99960.0].join(' ')"##,
        r##"9.99e-05 0.0001 10 1e+05"##,
    );
    check(
        r##"['%#.3g' % 700.0, '%#.0e' % 700.0, '%#g' % 0.0, '%#.3g' % 0.5].join(' ')"##,
        r##"700. 7.e+02 0.00000 0.500"##,
    );
    check(
        r##"['%e' % (1.0 / 0), '%.2e' % (-1.0 / 0), '%g' % (0.0 / 0), '%05f' % (1.0 / 0), '%+e' % (1.0 / 0), '%-6g|' % (1.0 / 0)].join(' ')"##,
        r##"Inf -Inf NaN   Inf +Inf Inf   |"##,
    );
    check(
        r##"['%.15g' % 7.9129275535569547e-19, '%.17g' % 0.1, '%.20e' % 0.1].join(' ')"##,
        r##"7.91292755355695e-19 0.10000000000000001 1.00000000000000005551e-01"##,
    );
}

/// Ruby's dtoa rounds a half within its floating-point error to the even digit, and an
/// integer's digits cut short keep their zeros.
#[test]
fn sprintf_rounds_near_halves_as_ruby_dtoa() {
    check(
        r##"[1.5 * 1.1, 0.35, 0.45, 2.675, 12.500000000000002, 1.6500000000000024].map { |x| format('%.1f|%.2f|%.0f', x, x, x) }.inspect"##,
        r##"["1.6|1.65|2", "0.4|0.35|0", "0.4|0.45|0", "2.7|2.68|3", "12.5|12.50|12", "1.7|1.65|2"]"##,
    );
    check(
        r##"[905.0, 680026226402905.0, 8.05, 7.05, 10005.0].map { |x| format('%.2g|%.14g|%.4g', x, x, x) }.inspect"##,
        r##"["9.0e+02|905|905", "6.8e+14|6.8002622640290e+14|6.8e+14", "8.0|8.05|8.05", "7|7.05|7.05", "1e+04|10005|1.000e+04"]"##,
    );
    check(
        r##"[format('%.1f', -0.0), format('%e', -0.0), format('%g', -0.0), format('%+.1f', -0.04)].inspect"##,
        r##"["-0.0", "-0.000000e+00", "-0", "-0.0"]"##,
    );
}

/// `%c` takes a string's first character or an Integer's code (a float truncated); nil,
/// booleans and other objects are Ruby's TypeErrors.
#[test]
fn percent_c_takes_a_character_or_a_code() {
    check(
        r##"['%c' % 'x', '%c' % 65, ('%c' % 10.5).ord, '%c' % 0x263a].inspect"##,
        r##"["x", "A", 10, "☺"]"##,
    );
    check_err(
        r##"'%c' % false"##,
        r##"TypeError: no implicit conversion of false into Integer"##,
    );
    check_err(
        r##"'%c' % nil"##,
        r##"TypeError: no implicit conversion from nil to integer"##,
    );
    check_err(
        r##"'%c' % [[1]]"##,
        r##"TypeError: no implicit conversion of Array into Integer"##,
    );
    // Ruby 3.4's words (3.1 wrote the byte 0xFF for -1, and quoted `int' otherwise)
    check_err(r##"'%c' % -1"##, r##"ArgumentError: invalid character"##);
    check_err(
        r##"'%c' % 0x110000"##,
        r##"ArgumentError: invalid character"##,
    );
    check_err(
        r##"'%c' % (2**40)"##,
        r##"RangeError: integer 1099511627776 too big to convert to 'int'"##,
    );
    check_err(
        r##"'%c' % -(2**40)"##,
        r##"RangeError: integer -1099511627776 too small to convert to 'int'"##,
    );
}

/// `%x`, `%o` and `%b` read a string argument as `Integer()` does, as `%d` does.
#[test]
fn radix_formats_read_strings_as_integers() {
    check(
        r##"['%b' % '-2', '%x' % '0x1f', '%o' % '8', '%x' % '255', '%+b' % '5'].inspect"##,
        r##"["..10", "1f", "10", "ff", "+101"]"##,
    );
    check_err(
        r##"'%x' % 'zz'"##,
        r##"ArgumentError: invalid value for Integer(): "zz""##,
    );
}

#[test]
fn a_missing_named_reference_is_named_as_written() {
    check_err(r##"'%{x}' % {}"##, r##"KeyError: key{x} not found"##);
    check_err(r##"'%<x>s' % {}"##, r##"KeyError: key<x> not found"##);
}

#[test]
fn hexadecimal_floats() {
    check(
        r##"['%a' % 1.0, '%a' % 0.5, '%a' % 3.0, '%a' % -0.1, '%a' % 0.0, '%a' % -0.0]"##,
        r##"["0x1p+0", "0x1p-1", "0x1.8p+1", "-0x1.999999999999ap-4", "0x0p+0", "-0x0p+0"]"##,
    );
    check(
        r##"['%a' % 1e300, '%a' % 5e-324, '%a' % 1.5e-320, '%a' % 2.2250738585072014e-308]"##,
        r##"["0x1.7e43c8800759cp+996", "0x1p-1074", "0x1.7b8p-1063", "0x1p-1022"]"##,
    );
    check(
        r##"['%.2a' % 1.0, '%.3a' % 0.1, '%.0a' % 1.5, '%.0a' % 2.5, '%.1a' % 1.96875, '%.15a' % 0.1]"##,
        r##"["0x1.00p+0", "0x1.99ap-4", "0x1p+1", "0x1p+1", "0x1.0p+1", "0x1.999999999999a00p-4"]"##,
    );
    check(
        r##"['%A' % 255.5, '%a' % 10, '%10a' % 1.0, '%-10a|' % 1.0, '%+a' % 1.0, '% a' % 2.0]"##,
        r##"["0X1.FFP+7", "0x1.4p+3", "    0x1p+0", "0x1p+0    |", "+0x1p+0", " 0x1p+1"]"##,
    );
    check(
        r##"['%010a' % 1.0, '%010a' % -1.0, '%#a' % 1.0, '%#.0a' % 1.0, '%-+12.3A|' % -3.75]"##,
        r##"["0x00001p+0", "-0x0001p+0", "0x1.p+0", "0x1.p+0", "-0X1.E00P+1 |"]"##,
    );
    check(
        r##"['%a' % Float::INFINITY, '%a' % Float::NAN, '%010a' % -Float::INFINITY, format('%a', 7)]"##,
        r##"["Inf", "NaN", "      -Inf", "0x1.cp+2"]"##,
    );
}

#[test]
fn f_prints_an_integer_s_digits_exactly() {
    check(r##"'%.1f' % (2**60 + 1)"##, r##"1152921504606846977.0"##);
    check(
        r##"'%012.2f|' % -(2**70)"##,
        r##"-1180591620717411303424.00|"##,
    );
    check(
        r##"'%08.3f' % -(10**40)"##,
        r##"-10000000000000000000000000000000000000000.000"##,
    );
    check(
        r##"'%#.0f|%+f|% .2f' % [3, 0, 3]"##,
        r##"3|+0.000000| 3.00"##,
    );
    check(r##"format('%-+12.1f|', -3)"##, r##"-3.0        |"##);
}
