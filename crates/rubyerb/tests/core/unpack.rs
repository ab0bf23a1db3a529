//! `String#unpack` and `unpack1`: directives with counts over a string's bytes; `byteslice`.

use super::{check, check_err};

#[test]
fn bytes_characters_and_strings() {
    check(r##"'ab'.unpack('C3').inspect"##, r##"[97, 98, nil]"##);
    check(r##"'abc'.unpack('C').inspect"##, r##"[97]"##);
    check(r##"'abc'.unpack('c*').inspect"##, r##"[97, 98, 99]"##);
    check(r##"'abc'.unpack('C C').inspect"##, r##"[97, 98]"##);
    check(r##"'a'.unpack('U3').inspect"##, r##"[97]"##);
    check(
        r##"'héllo €'.unpack('U*').inspect"##,
        r##"[104, 233, 108, 108, 111, 32, 8364]"##,
    );
    check(
        r##"'héllo'.unpack('C*').inspect"##,
        r##"[104, 195, 169, 108, 108, 111]"##,
    );
    check(r##""ab  \0".unpack('A*').inspect"##, r##"["ab"]"##);
    check(r##""ab\0cd".unpack('Z*a').inspect"##, r##"["ab", "c"]"##);
    check(r##"'abc'.unpack('a2a').inspect"##, r##"["ab", "c"]"##);
    check(r##"'abc'.unpack('a5').inspect"##, r##"["abc"]"##);
    check(r##"'abc'.unpack('x C').inspect"##, r##"[98]"##);
    check(r##"'abc'.unpack1('C*').inspect"##, r##"97"##);
    check(r##"''.unpack1('C').inspect"##, r##"nil"##);
    check_err(
        r##"'ab'.unpack('x3')"##,
        r##"ArgumentError: x outside of string"##,
    );
}

#[test]
fn hex_numbers_and_base64() {
    check(r##"'abcd'.unpack('H').inspect"##, r##"["6"]"##);
    check(r##"'abcd'.unpack('H3').inspect"##, r##"["616"]"##);
    check(r##"'abcd'.unpack('h*').inspect"##, r##"["16263646"]"##);
    check(
        r##""\x01\x02\x03\x04".unpack('nN').inspect"##,
        r##"[258, nil]"##,
    );
    check(
        r##""\x01\x02\x03\x04\x05".unpack('vV').inspect"##,
        r##"[513, nil]"##,
    );
    check(
        r##""\x01\x02\x03\x04\x05\x06\x07\x08".unpack('N*').inspect"##,
        r##"[16909060, 84281096]"##,
    );
    check(
        r##""\x01\x02\x03\x04\x05\x06\x07\x08".unpack('s2l').inspect"##,
        r##"[513, 1027, 134678021]"##,
    );
    check(
        r##""\x01\x02\x03\x04\x05\x06\x07\x08".unpack('q').inspect"##,
        r##"[578437695752307201]"##,
    );
    check(r##"'YWJj'.unpack('m').inspect"##, r##"["abc"]"##);
    check(r##"'YWJj'.unpack1('m0')"##, r##"abc"##);
}

#[test]
fn counts_past_any_size_are_refused() {
    // a count too large for any string
    check_err(
        r##"'abc'.unpack('C99999999999999999999')"##,
        r##"RangeError: pack length too big"##,
    );
}

/// `Base64.decode64` is `unpack1('m')`, which never fails: characters outside the alphabet
/// skipped, a `=` where a group's third or fourth character would be ending it; the strict
/// and URL-safe forms refuse what is not whole groups of the alphabet.
#[test]
fn base64_decoding_as_unpack_reads_it() {
    check(
        r##"['aGk=x', '=aGk', 'aGk', 'a', "aGVs\nbG8=", 'aG!k', 'aGVsbA=', 'aGVsbA==', ''].map { |s| Base64.decode64(s) }.inspect"##,
        r##"["hi", "hi", "hi", "", "hello", "hi", "hell", "hell", ""]"##,
    );
    check(
        r##"['aGk=x', '=aGk', 'aGVsbA='].map { |s| s.unpack1('m') }.inspect"##,
        r##"["hi", "hi", "hell"]"##,
    );
    check(
        r##"[Base64.urlsafe_decode64('aGk'), Base64.urlsafe_decode64('fn5-'), Base64.urlsafe_decode64('fn4'), Base64.urlsafe_decode64('aGk=')].inspect"##,
        r##"["hi", "~~~", "~~", "hi"]"##,
    );
    check_err(
        r##"Base64.urlsafe_decode64('a!bc')"##,
        r##"ArgumentError: invalid base64"##,
    );
    check_err(
        r##"Base64.strict_decode64('aGk')"##,
        r##"ArgumentError: invalid base64"##,
    );
    check(r##"Base64.strict_decode64('aGk=')"##, r##"hi"##);
}

#[test]
fn byteslice_cuts_bytes_as_slice_cuts_characters() {
    check(
        r##"['abc'.byteslice(1, 5), 'abc'.byteslice(1), 'abc'.byteslice(-1), 'abc'.byteslice(3), 'abc'.byteslice(3, 1), 'abc'.byteslice(4, 1), 'abc'.byteslice(1..), 'abc'.byteslice(-2, 1), 'abc'.byteslice(0, -1), 'héllo'.byteslice(0, 3), 'abc'.byteslice(1.5), 'abc'.byteslice(5..)]"##,
        r##"["bc", "b", "c", nil, "", nil, "bc", "b", nil, "hé", "b", nil]"##,
    );
    check_err(
        r##"'abc'.byteslice('a')"##,
        r##"TypeError: no implicit conversion of String into Integer"##,
    );
}
