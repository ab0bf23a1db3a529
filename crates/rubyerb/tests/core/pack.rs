//! `Array#pack`: directives with counts writing an array's elements as text.

use super::{check, check_err};

#[test]
fn bytes_code_points_and_integers() {
    check(r##"[65, 66.7].pack('C*')"##, r##"AB"##);
    check(r##"[65, 66].pack('C C').inspect"##, r##""AB""##);
    check(r##"[1, 2, 3].pack('C*').bytes.inspect"##, r##"[1, 2, 3]"##);
    check(r##"[0x263a, 104].pack('U*')"##, r##"☺h"##);
    check(
        r##"[1, 2].pack('N*').bytes.inspect"##,
        r##"[0, 0, 0, 1, 0, 0, 0, 2]"##,
    );
    check(r##"[1, 2].pack('n2').bytes.inspect"##, r##"[0, 1, 0, 2]"##);
    check(
        r##"[258].pack('v').bytes.inspect + [258].pack('V').bytes.inspect"##,
        r##"[2, 1][2, 1, 0, 0]"##,
    );
    check(
        r##"[1].pack('s').bytes.inspect + [1].pack('Q').bytes.inspect"##,
        r##"[1, 0][1, 0, 0, 0, 0, 0, 0, 0]"##,
    );
    check_err(
        r##"[1].pack('C2')"##,
        r##"ArgumentError: too few arguments"##,
    );
    check_err(
        r##"[nil].pack('C')"##,
        r##"TypeError: no implicit conversion of nil into Integer"##,
    );
    check_err(
        r##"['a'].pack('C')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
}

#[test]
fn strings_hex_and_base64() {
    check(r##"['616263'].pack('H*')"##, r##"abc"##);
    check(r##"['616263'].pack('H3').bytes.inspect"##, r##"[97, 96]"##);
    check(r##"['61'].pack('H6').bytes.inspect"##, r##"[97, 0, 0]"##);
    check(r##"['1626'].pack('h*')"##, r##"ab"##);
    check(r##"['zz'].pack('H*').bytes.inspect"##, r##"[51]"##);
    check(
        r##"['abc'].pack('a5').bytes.inspect"##,
        r##"[97, 98, 99, 0, 0]"##,
    );
    check(r##"['abc', 'de'].pack('A4A4').inspect"##, r##""abc de  ""##);
    check(
        r##"['abc'].pack('Z*').bytes.inspect + ['abcdef'].pack('a3')"##,
        r##"[97, 98, 99, 0]abc"##,
    );
    check(
        r##"['abc'].pack('x3a').bytes.inspect"##,
        r##"[0, 0, 0, 97]"##,
    );
    check(r##"['abc'].pack('m').inspect"##, r##""YWJj\n""##);
    check(
        r##"['abc' * 20].pack('m').inspect"##,
        r##""YWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJj\nYWJjYWJjYWJjYWJjYWJj\n""##,
    );
    check(
        r##"['abc' * 20].pack('m0')"##,
        r##"YWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJj"##,
    );
    check(
        r##"['abc' * 20].pack('m30').inspect"##,
        r##""YWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJj\nYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJjYWJj\n""##,
    );
    check_err(
        r##"[1].pack('a')"##,
        r##"TypeError: no implicit conversion of Integer into String"##,
    );
}

#[test]
fn text_directives_make_us_ascii() {
    check(
        r##"[["1"].pack('m0').encoding, ['a', 'b'].pack('ma').encoding, ['a'].pack('m*').encoding, [format('%.3f', 0.1)].pack('m0').unicode_normalize].inspect"##,
        r##"[#<Encoding:US-ASCII>, #<Encoding:BINARY (ASCII-8BIT)>, #<Encoding:US-ASCII>, "MC4xMDA="]"##,
    );
}
