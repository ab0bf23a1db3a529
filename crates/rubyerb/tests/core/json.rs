//! JSON: generate (json >= 2.15 float and empty-container printing) and its options,
//! pretty_generate, parse and its errors.

use super::{check, check_err};

#[test]
fn generate() {
    check(
        r##"{a: 1, 'b' => [1, 2.5, nil, true]}.to_json"##,
        r##"{"a":1,"b":[1,2.5,null,true]}"##,
    );
    check(r##"[1, 'a', nil].to_json"##, r##"[1,"a",null]"##);
    check(r##"'str'.to_json"##, r##""str""##);
    check(r##""q\"\\\n\t\u0001".to_json"##, r##""q\"\\\n\t\u0001""##);
    check(r##""é/<>&".to_json"##, r##""é/<>&""##);
    check(r##"nil.to_json"##, r##"null"##);
    check(r##"1.5.to_json"##, r##"1.5"##);
    check(r##"1e20.to_json"##, r##"1e+20"##);
    check(r##"1.0e-5.to_json"##, r##"0.00001"##);
    check(r##"100.0.to_json"##, r##"100.0"##);
    check(r##"0.1.to_json"##, r##"0.1"##);
    check(r##":sym.to_json"##, r##""sym""##);
    check(
        r##"{1 => 2, nil => 3, :s => 4}.to_json"##,
        r##"{"1":2,"":3,"s":4}"##,
    );
    check(
        r##"JSON.generate({a: [1, {b: nil}]})"##,
        r##"{"a":[1,{"b":null}]}"##,
    );
    check(r##"JSON.dump({a: 1})"##, r##"{"a":1}"##);
    check(r##"JSON.dump('s')"##, r##""s""##);
    check(r##"JSON.dump(nil)"##, r##"null"##);
    check(
        r##"JSON.pretty_generate({a: 1, b: [1, 2], c: {}, d: []})"##,
        r##"{
  "a": 1,
  "b": [
    1,
    2
  ],
  "c": {},
  "d": []
}"##,
    );
    check(r##"JSON.pretty_generate([])"##, r##"[]"##);
    check(r##"JSON.pretty_generate({})"##, r##"{}"##);
    check(
        r##"JSON.pretty_generate({a: {b: {c: [1, {d: 2}]}}})"##,
        r##"{
  "a": {
    "b": {
      "c": [
        1,
        {
          "d": 2
        }
      ]
    }
  }
}"##,
    );
    check(r##"JSON.pretty_generate('x')"##, r##""x""##);
    check(
        r##"JSON.generate(1.0 / 0) rescue $!.class"##,
        r##"JSON::GeneratorError"##,
    );
    check_err(
        r##"JSON.generate(Float::NAN)"##,
        r##"JSON::GeneratorError: NaN not allowed in JSON"##,
    );
    check(
        r##"[1.0, 2.50, 1e-7, 123456789.123456789].to_json"##,
        r##"[1.0,2.5,0.0000001,123456789.12345679]"##,
    );
    check(r##"{a: 1..2}.to_json"##, r##"{"a":"1..2"}"##);
}

/// The generator's options: what goes around keys, values and levels (symbol keys only).
#[test]
fn generate_options() {
    check(
        r##"[1, 'two', :three, nil, 4.5].to_json(space: ' ')"##,
        r##"[1,"two","three",null,4.5]"##,
    );
    check(
        r##"[{'n' => 'b', 'v' => 1}].to_json(space: ' ')"##,
        r##"[{"n": "b","v": 1}]"##,
    );
    check(
        r##"JSON.generate({'a' => [1, {'b' => 2}], 'c' => {}}, indent: '  ').inspect"##,
        r##""{  \"a\":[    1,    {      \"b\":2}],  \"c\":{}}""##,
    );
    check(
        r##"JSON.generate({'a' => [1, {'b' => 2}], 'c' => [3]}, indent: "\t", object_nl: "\n", array_nl: "\n", space: ' ', space_before: ' ').inspect"##,
        r##""{\n\t\"a\" : [\n\t\t1,\n\t\t{\n\t\t\t\"b\" : 2\n\t\t}\n\t],\n\t\"c\" : [\n\t\t3\n\t]\n}""##,
    );
    check(
        r##"JSON.pretty_generate({'a' => [1, 2]}, indent: '    ').inspect"##,
        r##""{\n    \"a\": [\n        1,\n        2\n    ]\n}""##,
    );
    check(
        r##"JSON.pretty_generate({'a' => [1, 2]}, space: '').inspect"##,
        r##""{\n  \"a\":[\n    1,\n    2\n  ]\n}""##,
    );
    check(
        r##"JSON.pretty_generate({'a' => [1, 2]}, 'space' => '', 'array_nl' => '').inspect"##,
        r##""{\n  \"a\": [\n    1,\n    2\n  ]\n}""##,
    );
    check(
        r##"{'x' => {'y' => [1]}}.to_json(object_nl: "\n").inspect"##,
        r##""{\n\"x\":{\n\"y\":[1]\n}\n}""##,
    );
    check(
        r##"JSON.generate([0.0/0, 1.0/0, -1.0/0], allow_nan: true)"##,
        r##"[NaN,Infinity,-Infinity]"##,
    );
    check_err(
        r##"JSON.generate([0.0/0])"##,
        r##"JSON::GeneratorError: NaN not allowed in JSON"##,
    );
    check_err(
        r##"JSON.generate({'a' => 1}, space: 5)"##,
        r##"TypeError: wrong argument type Integer (expected String)"##,
    );
    check(r##"JSON.dump({'a' => 1}, nil)"##, r##"{"a":1}"##);
    check(r##"JSON.generate({a: 1}, nil)"##, r##"{"a":1}"##);
}

#[test]
fn parse() {
    check(
        r##"JSON.parse('{"a": [1, 2.5, null, true, "x"]}').inspect"##,
        r##"{"a" => [1, 2.5, nil, true, "x"]}"##,
    );
    check(
        r##"JSON.parse('[1, {"b": {}}]').inspect"##,
        r##"[1, {"b" => {}}]"##,
    );
    check(
        r##"JSON.parse('{"a": 1}', symbolize_names: true).inspect"##,
        r##"{a: 1}"##,
    );
    check(r##"JSON.parse('"x"').inspect"##, r##""x""##);
    check(r##"JSON.parse('1e3').inspect"##, r##"1000.0"##);
    check(r##"JSON.parse('1.0E+2').inspect"##, r##"100.0"##);
    check(r##"JSON.parse('"\u00e9\n"').inspect"##, r##""é\n""##);
    check(
        r##"JSON.parse('{"a":1,"a":2}').inspect"##,
        r##"{"a" => 2}"##,
    );
    check_err(
        r##"JSON.parse(nil)"##,
        r##"TypeError: no implicit conversion of nil into String"##,
    );
    check(r##"JSON.parse('{"a": [1, 2]}')['a'].sum"##, r##"3"##);
    check(
        r##"JSON.parse(JSON.dump({'k' => [1, 'v']})) == {'k' => [1, 'v']}"##,
        r##"true"##,
    );
    check(r##"JSON.load('[1]').inspect"##, r##"[1]"##);
}

/// `JSON.parse` reads as the json gem does: integers of any size, NaN when allowed, comments,
/// a nesting limit; `JSON.load` of nothing is nil, and `JSON.dump` writes NaN. Error
/// messages are left out: the reference's json is older than the director's and words them
/// differently.
#[test]
fn parse_as_the_gem_reads() {
    check(
        r##"JSON.parse('[18446744073709551616, -12345678901234567890123, 1e400, -0, -0.0, 1E2]').inspect"##,
        r##"[18446744073709551616, -12345678901234567890123, Infinity, 0, -0.0, 100.0]"##,
    );
    check(
        r##"JSON.parse(' "x" ').inspect + JSON.parse('null').inspect + JSON.parse('2.5').inspect"##,
        r##""x"nil2.5"##,
    );
    check(
        r##"JSON.parse('[NaN, Infinity, -Infinity]', allow_nan: true).inspect"##,
        r##"[NaN, Infinity, -Infinity]"##,
    );
    check(
        r##"(JSON.parse('[NaN]') rescue $!.class).inspect"##,
        r##"JSON::ParserError"##,
    );
    check(
        r##"JSON.parse("[1, /* two */ 2, // three\n 3]").inspect"##,
        r##"[1, 2, 3]"##,
    );
    check(
        r##"(JSON.parse('[' * 102 + '1' + ']' * 102) rescue $!.class).inspect"##,
        r##"JSON::NestingError"##,
    );
    check(
        r##"JSON.parse('[' * 102 + '1' + ']' * 102, max_nesting: false).flatten.inspect"##,
        r##"[1]"##,
    );
    check(
        r##"(JSON.parse('[[1]]', max_nesting: 1) rescue $!.message)"##,
        r##"nesting of 2 is too deep"##,
    );
    check(
        r##"JSON.parse('{"a": {"b": [1]}, "a": 2}', symbolize_names: true).inspect"##,
        r##"{a: 2}"##,
    );
    check(
        r##"[JSON.load(nil), JSON.load(''), JSON.load('[NaN]')].inspect"##,
        r##"[nil, nil, [NaN]]"##,
    );
    check(
        r##"%w[[1,] [01] [-] [1.] {'a':1} {}{} "\u0001"].map { |t| JSON.parse(t) rescue $!.class }.inspect"##,
        r##"[JSON::ParserError, JSON::ParserError, JSON::ParserError, JSON::ParserError, JSON::ParserError, JSON::ParserError, "\u0001"]"##,
    );
    check(
        r##"JSON.dump([Float::NAN, -Float::INFINITY])"##,
        r##"[NaN,-Infinity]"##,
    );
    check(
        r##"(JSON.generate([Float::NAN]) rescue $!.class).inspect"##,
        r##"JSON::GeneratorError"##,
    );
    check(
        r##"JSON::NestingError.ancestors.take(3).inspect"##,
        r##"[JSON::NestingError, JSON::ParserError, JSON::JSONError]"##,
    );
}
