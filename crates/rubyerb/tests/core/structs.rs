//! OpenStruct (Struct is not implemented: `Struct.new` fails with a message).

use super::{check, check_err};

#[test]
fn openstruct() {
    check(r##"OpenStruct.new(a: 1).a"##, r##"1"##);
    check(r##"OpenStruct.new(a: 1).b.inspect"##, r##"nil"##);
    check(r##"OpenStruct.new(a: 1)[:a]"##, r##"1"##);
    check(r##"OpenStruct.new('a' => 1).a"##, r##"1"##);
    check(r##"o = OpenStruct.new; o.x = 5; o.x"##, r##"5"##);
    check(r##"o = OpenStruct.new(a: 1); o[:b] = 2; o.b"##, r##"2"##);
    check(r##"OpenStruct.new(a: 1).to_h.inspect"##, r##"{a: 1}"##);
    check(r##"OpenStruct.new(a: 1).respond_to?(:a)"##, r##"true"##);
    check(
        r##"OpenStruct.new(a: 1).inspect"##,
        r##"#<OpenStruct a=1>"##,
    );
    check(
        r##"OpenStruct.new(a: 1) == OpenStruct.new(a: 1)"##,
        r##"true"##,
    );
    check(r##"OpenStruct.new(a: {b: 1}).a[:b]"##, r##"1"##);
    check(r##"OpenStruct.new(a: 1).dig(:a)"##, r##"1"##);
    check(
        r##"OpenStruct.new(a: 1).each_pair.to_a.inspect"##,
        r##"[[:a, 1]]"##,
    );
    check(
        r##"o = OpenStruct.new(a: 1); o.delete_field(:a); o.a.inspect"##,
        r##"nil"##,
    );
}

/// `send` without a method name and `dig` without a key are argument errors, not crashes
/// (found by the fuzzer).
#[test]
fn send_and_dig_without_arguments() {
    check(
        r##"[(send rescue [$!.class, $!.message]), (1.public_send rescue $!.message), (OpenStruct.new(a: 1).dig rescue [$!.class, $!.message])].inspect"##,
        r##"[[ArgumentError, "no method name given"], "no method name given", [ArgumentError, "wrong number of arguments (given 0, expected 1+)"]]"##,
    );
}

#[test]
fn openstruct_index_takes_one_key() {
    check_err(
        r##"OpenStruct.new(x: 1)[:x, 2]"##,
        r##"ArgumentError: wrong number of arguments (given 2, expected 1)"##,
    );
    check_err(
        r##"OpenStruct.new(x: 1)[]"##,
        r##"ArgumentError: wrong number of arguments (given 0, expected 1)"##,
    );
    check(
        r##"o = OpenStruct.new(x: 1); o[:x] = 1, 2; o.x.inspect"##,
        r##"[1, 2]"##,
    );
}

/// `Object.new`: a plain object, with Ruby's inspect (the address fixed) and Psych's YAML.
#[test]
fn plain_objects() {
    check(r##"Object.new.class"##, r##"Object"##);
    check(
        r##"Object.new.inspect.sub(/0x\h+/, "X")"##,
        r##"#<Object:X>"##,
    );
    check(
        r##"o = Object.new; o.instance_variable_set(:@a, 1); o.inspect.sub(/0x\h+/, "X")"##,
        r##"#<Object:X @a=1>"##,
    );
    check(
        r##"[Object.new == Object.new, (o = Object.new; o == o), {Object.new => 1}.size]"##,
        r##"[false, true, 1]"##,
    );
    check(
        r##"Object.new.to_yaml"##,
        r##"--- !ruby/object {}
"##,
    );
    check(
        r##"o = Object.new; o.instance_variable_set(:@a, 1); o.instance_variable_set(:@b, "x"); {"k" => [o]}.to_yaml"##,
        r##"---
k:
- !ruby/object
  a: 1
  b: x
"##,
    );
    check(
        r##"class Foo; def initialize; @x = 2; end; end; Foo.new.to_yaml.sub(/:\S*::/, ":")"##,
        r##"--- !ruby/object:Foo
x: 2
"##,
    );
    check(
        r##"{"m" => "ab".match(/(a)/)}.to_yaml"##,
        r##"---
m: !ruby/object:MatchData {}
"##,
    );
    check(
        r##"Object.new(1) rescue [$!.class, $!.message]"##,
        r##"[ArgumentError, "wrong number of arguments (given 1, expected 0)"]"##,
    );
}

/// A template's class that inherits OpenStruct makes OpenStructs of itself; its `inspect`
/// names it, as Ruby's names the object's class.
#[test]
fn openstruct_subclass() {
    check(
        r##"class Pt < OpenStruct; end; (Pt.new({x: 1}, 2) rescue [$!.class, $!.message]).inspect"##,
        r##"[ArgumentError, "wrong number of arguments (given 2, expected 0..1)"]"##,
    );
    check(
        r##"(OpenStruct.new({x: 1}, 2) rescue [$!.class, $!.message]).inspect"##,
        r##"[ArgumentError, "wrong number of arguments (given 2, expected 0..1)"]"##,
    );
    check(r##"class Pt < OpenStruct; end; Pt.new(x: 1).x"##, r##"1"##);
    check(
        r##"class Pt < OpenStruct; end; p = Pt.new(x: 1); p.y = 2; p.to_h.inspect"##,
        r##"{x: 1, y: 2}"##,
    );
    check(
        r##"class Pt < OpenStruct; end; Pt.new.x.inspect"##,
        r##"nil"##,
    );
    check(
        r##"class Pt < OpenStruct; end; Pt.new(x: 1).inspect.sub(/#<.*Pt /, 'Pt ')"##,
        r##"Pt x=1>"##,
    );
    check(
        r##"class Pt < OpenStruct; def norm; x * x; end; end; Pt.new(x: 3).norm"##,
        r##"9"##,
    );
    check(
        r##"class Pt < OpenStruct; end; [Pt.new(x: 1).is_a?(OpenStruct), Pt.new(x: 1) == Pt.new(x: 1)].inspect"##,
        r##"[true, true]"##,
    );
}
