//! YAML: `to_yaml`/`YAML.dump` (Psych quoting and block styles) and `YAML.load` (YAML 1.1 scalars).

use super::{check, check_err};

#[test]
fn dump() {
    check(
        r##"{'a' => 1, 'b' => [1, 'two', nil, true]}.to_yaml"##,
        r##"---
a: 1
b:
- 1
- two
-
- true
"##,
    );
    check(
        r##"[1, [2, 3], {'x' => 'y'}].to_yaml"##,
        r##"---
- 1
- - 2
  - 3
- x: "y"
"##,
    );
    check(
        r##"{a: 1}.to_yaml"##,
        r##"---
:a: 1
"##,
    );
    check(
        r##"'str'.to_yaml"##,
        r##"--- str
"##,
    );
    check(
        r##"1.to_yaml"##,
        r##"--- 1
"##,
    );
    check(
        r##"nil.to_yaml"##,
        r##"---
"##,
    );
    check(
        r##"[].to_yaml"##,
        r##"--- []
"##,
    );
    check(
        r##"{}.to_yaml"##,
        r##"--- {}
"##,
    );
    check(
        r##"{'a' => []}.to_yaml"##,
        r##"---
a: []
"##,
    );
    check(
        r##"{'a' => {}}.to_yaml"##,
        r##"---
a: {}
"##,
    );
    check(
        r##"['true', 'yes', 'no', 'null', '~', '1', '1.5', '', ' x', 'x:', '- a', '#c', 'a: b'].to_yaml"##,
        r##"---
- 'true'
- 'yes'
- 'no'
- 'null'
- "~"
- '1'
- '1.5'
- ''
- " x"
- 'x:'
- "- a"
- "#c"
- 'a: b'
"##,
    );
    check(
        r##"["multi\nline", "trail\n"].to_yaml"##,
        r##"---
- |-
  multi
  line
- 'trail

  '
"##,
    );
    check(
        r##"{'k' => "a\nb\n"}.to_yaml"##,
        r##"---
k: |
  a
  b
"##,
    );
    check(
        r##"[1.5, 1e20, -0.0, Float::INFINITY].to_yaml"##,
        r##"---
- 1.5
- 1.0e+20
- -0.0
- .inf
"##,
    );
    check(
        r##"['0o17', '0x1f', '1_000', '1e3', '.5', '+1'].to_yaml"##,
        r##"---
- 0o17
- '0x1f'
- '1_000'
- 1e3
- ".5"
- "+1"
"##,
    );
    check(
        r##"['@a', '`b', '!c', '&d', '*e', '%f', '|g', '>h', '"i', "'j"].to_yaml"##,
        r##"---
- "@a"
- "`b"
- "!c"
- "&d"
- "*e"
- "%f"
- "|g"
- ">h"
- "\"i"
- "'j"
"##,
    );
    check(
        r##"[:sym, 'é', "tab\t"].to_yaml"##,
        r##"---
- :sym
- é
- "tab\t"
"##,
    );
    check(
        r##"{'a' => {'b' => {'c' => [1, {'d' => 2}]}}}.to_yaml"##,
        r##"---
a:
  b:
    c:
    - 1
    - d: 2
"##,
    );
    check(
        r##"YAML.dump({'x' => 1})"##,
        r##"---
x: 1
"##,
    );
    check(
        r##"['2024-01-01', '12:30', '1:20', 'Null', 'NULL', 'Y', 'n', 'off'].to_yaml"##,
        r##"---
- '2024-01-01'
- '12:30'
- '1:20'
- 'Null'
- 'NULL'
- "Y"
- "n"
- 'off'
"##,
    );
    check(
        r##"['a' * 90].to_yaml"##,
        r##"---
- aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
"##,
    );
    check(
        r##"['word ' * 20].to_yaml"##,
        r##"---
- 'word word word word word word word word word word word word word word word word
  word word word word '
"##,
    );
}

#[test]
fn load() {
    check(
        r##"YAML.load("a: 1\nb: [1, 2]\n").inspect"##,
        r##"{"a" => 1, "b" => [1, 2]}"##,
    );
    check(
        r##"YAML.load("- 1\n- two\n- 3.5\n- null\n- ~\n- true\n- no\n").inspect"##,
        r##"[1, "two", 3.5, nil, nil, true, false]"##,
    );
    check(
        r##"YAML.load("x: 0x1f\ny: 0o17\nz: 017\nw: 1_000\n").inspect"##,
        r##"{"x" => 31, "y" => "0o17", "z" => 15, "w" => 1000}"##,
    );
    check(
        r##"YAML.load("a: |\n  l1\n  l2\nb: >\n  f1\n  f2\n").inspect"##,
        r##"{"a" => "l1\nl2\n", "b" => "f1 f2\n"}"##,
    );
    check(
        r##"YAML.load("'q': \"a\\tb\"\n").inspect"##,
        r##"{"q" => "a\tb"}"##,
    );
    check(r##"YAML.load("--- 5\n").inspect"##, r##"5"##);
    check(r##"YAML.load("").inspect"##, r##"nil"##);
    check(
        r##"YAML.load("a: 1.0\nb: 1e3\nc: .inf\nd: -.inf\n").inspect"##,
        r##"{"a" => 1.0, "b" => "1e3", "c" => Infinity, "d" => -Infinity}"##,
    );
    check(
        r##"YAML.load("a: 12:30\n").inspect"##,
        r##"{"a" => 45000}"##,
    );
    check(
        r##"YAML.load("{a: 1, b: {c: 2}}").inspect"##,
        r##"{"a" => 1, "b" => {"c" => 2}}"##,
    );
    check(
        r##"YAML.load("a:\n  - b: 1\n    c: 2\n").inspect"##,
        r##"{"a" => [{"b" => 1, "c" => 2}]}"##,
    );
    check(
        r##"YAML.load("? complex\n: v\n").inspect"##,
        r##"{"complex" => "v"}"##,
    );
    check(r##"YAML.load("a: 'it''s'\n")['a']"##, r##"it's"##);
    check(r##"YAML.load("a: \"\\u00e9\"\n")['a']"##, r##"é"##);
    check(
        r##"YAML.load("<<: {a: 1}\nb: 2\n").inspect"##,
        r##"{"a" => 1, "b" => 2}"##,
    );
    check(
        r##"YAML.load(YAML.dump({'a' => ['x', nil]})) == {'a' => ['x', nil]}"##,
        r##"true"##,
    );
}

/// `YAML.load` refuses an alias unless told to follow them, and every class but Symbol
/// (`safe_load` Symbol too) unless permitted; `unsafe_load` refuses nothing.
#[test]
fn load_permits() {
    check_err(
        r##"YAML.load("a: &x 1\nb: *x")"##,
        r##"Psych::AliasesNotEnabled: Alias parsing was not enabled. To enable it, pass `aliases: true` to `Psych::load` or `Psych::safe_load`."##,
    );
    check_err(
        r##"YAML.safe_load("- &x [1]\n- *x")"##,
        r##"Psych::AliasesNotEnabled: Alias parsing was not enabled. To enable it, pass `aliases: true` to `Psych::load` or `Psych::safe_load`."##,
    );
    check(
        r##"YAML.load("a: &x 1\nb: *x", aliases: true).inspect"##,
        r##"{"a" => 1, "b" => 1}"##,
    );
    check(
        r##"YAML.unsafe_load("<<: &x {a: 1}\nb: *x").inspect"##,
        r##"{"a" => 1, "b" => {"a" => 1}}"##,
    );
    check(
        r##"YAML.load("a: &x 1\nb: 2").inspect"##,
        r##"{"a" => 1, "b" => 2}"##,
    );
    check(
        r##"YAML.load("- :a\n- !ruby/symbol b\n- !ruby/sym ''").inspect"##,
        r##"[:a, :b, :""]"##,
    );
    check_err(
        r##"YAML.safe_load("- :a")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Symbol"##,
    );
    check(
        r##"YAML.safe_load("- :a", permitted_classes: [Symbol]).inspect"##,
        r##"[:a]"##,
    );
    check_err(
        r##"YAML.load("- :a", permitted_classes: [])"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Symbol"##,
    );
    check_err(
        r##"YAML.load("- :a\n- :b", permitted_symbols: [:a])"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Symbol"##,
    );
    check_err(
        r##"YAML.load("- 2001-01-01")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Date"##,
    );
    check_err(
        r##"YAML.load("- 2001-01-01 10:00:00 +01:00")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Time"##,
    );
    check_err(
        r##"YAML.load("--- !ruby/object:OpenStruct\na: 1\n")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: OpenStruct"##,
    );
    check_err(
        r##"YAML.load("- !ruby/struct:Point {x: 1}")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Point"##,
    );
    check_err(
        r##"YAML.load("- !ruby/range 1..2")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Range"##,
    );
    check_err(
        r##"YAML.load("- !ruby/module Kernel")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Kernel"##,
    );
    check_err(
        r##"YAML.load("a: !!set {x: null}")"##,
        r##"Psych::DisallowedClass: Tried to load unspecified class: Psych::Set"##,
    );
    check_err(
        r##"YAML.unsafe_load("- !ruby/object:NoSuchClass {}")"##,
        r##"ArgumentError: undefined class/module NoSuchClass"##,
    );
    check_err(
        r##"YAML.load("a: 1", foo: 1)"##,
        r##"ArgumentError: unknown keyword: :foo"##,
    );
    check_err(
        r##"YAML.safe_load("a: 1", [], [], true)"##,
        r##"ArgumentError: wrong number of arguments (given 4, expected 1)"##,
    );
    check(
        r##"YAML.load("- !!binary |\n  aGVs\n  bG8=\n- !!int '0b101'\n- !!omap [b: 1, a: 2]").inspect"##,
        r##"["hello", 5, {"b" => 1, "a" => 2}]"##,
    );
    check(
        r##"YAML.load("a: [b: 1]\nc: {'d': {e: 1}}", symbolize_names: true).inspect"##,
        r##"{a: [{b: 1}], c: {d: {e: 1}}}"##,
    );
    check(
        r##"[YAML.load("# only a comment"), YAML.unsafe_load(""), YAML.load("", fallback: 7), YAML.load("--- ~")].inspect"##,
        r##"[nil, false, 7, nil]"##,
    );
    check(
        r##"Psych::AliasesNotEnabled.ancestors.take(4).inspect"##,
        r##"[Psych::AliasesNotEnabled, Psych::BadAlias, Psych::Exception, RuntimeError]"##,
    );
}

/// An OpenStruct is a tagged mapping of its fields, by name as strings, as Psych writes it.
#[test]
fn ostruct_is_a_tagged_mapping() {
    check(
        r##"OpenStruct.new(a: 1, b: {'c' => [1, 2]}).to_yaml"##,
        r##"--- !ruby/object:OpenStruct
a: 1
b:
  c:
  - 1
  - 2
"##,
    );
    check(
        r##"{x: OpenStruct.new(a: 1), y: OpenStruct.new}.to_yaml"##,
        r##"---
:x: !ruby/object:OpenStruct
  a: 1
:y: !ruby/object:OpenStruct {}
"##,
    );
    check(
        r##"[OpenStruct.new(a: OpenStruct.new(b: 2)), OpenStruct.new].to_yaml"##,
        r##"---
- !ruby/object:OpenStruct
  a: !ruby/object:OpenStruct
    b: 2
- !ruby/object:OpenStruct {}
"##,
    );
    check(
        r##"OpenStruct.new.to_yaml"##,
        r##"--- !ruby/object:OpenStruct {}
"##,
    );
    check(
        r##"YAML.dump(OpenStruct.new('true' => 1, 'a b' => [], x: {}))"##,
        r##"--- !ruby/object:OpenStruct
'true': 1
a b: []
x: {}
"##,
    );
    check(
        r##"{OpenStruct.new(a: 1) => 2, OpenStruct.new => 3}.to_yaml"##,
        r##"---
? !ruby/object:OpenStruct
  a: 1
: 2
!ruby/object:OpenStruct {}: 3
"##,
    );
}

/// A node written twice (the same array, hash or OpenStruct) is anchored where it first
/// appears and aliased after, as Psych writes it; numbers follow the order the repeats are met.
#[test]
fn repeated_nodes_are_anchored_and_aliased() {
    check(
        r##"a = [1, 2]; [a, a].to_yaml"##,
        r##"---
- &1
  - 1
  - 2
- *1
"##,
    );
    check(
        r##"h = {'k' => 1}; {'x' => h, 'y' => h}.to_yaml"##,
        r##"---
x: &1
  k: 1
"y": *1
"##,
    );
    check(
        r##"a = [1, 2]; {'list' => a, 'other' => {'l' => a}}.to_yaml"##,
        r##"---
list: &1
- 1
- 2
other:
  l: *1
"##,
    );
    check(
        r##"e = []; eh = {}; [e, e, eh, eh].to_yaml"##,
        r##"---
- &1 []
- *1
- &2 {}
- *2
"##,
    );
    check(
        r##"h = {'k' => 1}; [h, h].to_yaml"##,
        r##"---
- &1
  k: 1
- *1
"##,
    );
    check(
        r##"a = [1, 2]; [[a, 1], a].to_yaml"##,
        r##"---
- - &1
    - 1
    - 2
  - 1
- *1
"##,
    );
    check(
        r##"a = [1, 2]; {a => 1, 'z' => a}.to_yaml"##,
        r##"---
? &1
- 1
- 2
: 1
z: *1
"##,
    );
    check(
        r##"h = {'k' => 1}; {'m' => [h, h]}.to_yaml"##,
        r##"---
m:
- &1
  k: 1
- *1
"##,
    );
    check(
        r##"c = [1]; c << c; c.to_yaml"##,
        r##"--- &1
- 1
- *1
"##,
    );
    check(
        r##"hc = {'a' => 1}; hc['self'] = hc; hc.to_yaml"##,
        r##"--- &1
a: 1
self: *1
"##,
    );
    check(
        r##"o = OpenStruct.new(x: 1); [o, o].to_yaml"##,
        r##"---
- &1 !ruby/object:OpenStruct
  x: 1
- *1
"##,
    );
    check(
        r##"s = 's'; [s, s, :y, :y].to_yaml"##,
        r##"---
- s
- s
- :y
- :y
"##,
    );
    check(
        r##"a = [1, 2]; h = {'k' => 1}; [a, h, h, a].to_yaml"##,
        r##"---
- &2
  - 1
  - 2
- &1
  k: 1
- *1
- *2
"##,
    );
    check(
        r##"a = [1, 2]; h = {'k' => 1}; {'a' => {'b' => a, 'c' => [a, h]}, 'd' => h}.to_yaml"##,
        r##"---
a:
  b: &1
  - 1
  - 2
  c:
  - *1
  - &2
    k: 1
d: *2
"##,
    );
    check(
        r##"[String, String].to_yaml"##,
        r##"---
- &1 !ruby/class 'String'
- *1
"##,
    );
}

/// A quoted scalar with a tag other than a type's (`! ''`, as `to_yaml` writes a nil key)
/// reads as a plain one: a nil key comes back nil.
#[test]
fn a_tagged_quoted_scalar_reads_as_plain() {
    check(
        r##"YAML.load({nil => 5, 'a' => nil}.to_yaml).inspect"##,
        r##"{nil => 5, "a" => nil}"##,
    );
    check(
        r##"[YAML.load("--- ! \"5\""), YAML.load("--- ! ''"), YAML.load("--- !foo \"true\""), YAML.load("--- 'x'")].inspect"##,
        r##"[5, nil, true, "x"]"##,
    );
}

#[test]
fn a_block_scalar_at_the_end_of_a_text_without_a_final_line_break_ends_without_one() {
    // a job spec ending `default: |` ... `}` with no newline after the `}`
    check(
        r##"YAML.load("a: |\n  x\n  y").inspect"##,
        r##"{"a" => "x\ny"}"##,
    );
    check(
        r##"YAML.load("a: |\n  x\n\n  y").inspect"##,
        r##"{"a" => "x\n\ny"}"##,
    );
    check(
        r##"YAML.load("a: >\n  x\n  y").inspect"##,
        r##"{"a" => "x y"}"##,
    );
    check(r##"YAML.load("a: |+\n  x").inspect"##, r##"{"a" => "x"}"##);
    check(r##"YAML.load("- |\n  x\n  y").inspect"##, r##"["x\ny"]"##);
    check(
        r##"YAML.load("a: |\n  x\n  y  ").inspect"##,
        r##"{"a" => "x\ny  "}"##,
    );
    // a final line break, spaces after it, or a comment after the scalar: it keeps one
    check(
        r##"YAML.load("a: |\n  x\n  y\n").inspect"##,
        r##"{"a" => "x\ny\n"}"##,
    );
    check(
        r##"YAML.load("a: |\n  x\n  y\n  ").inspect"##,
        r##"{"a" => "x\ny\n"}"##,
    );
    check(
        r##"YAML.load("a: |\n  x\n# c").inspect"##,
        r##"{"a" => "x\n"}"##,
    );
    check(
        r##"YAML.load("a: |\n  x\nb: |\n  y").inspect"##,
        r##"{"a" => "x\n", "b" => "y"}"##,
    );
}

/// `line_width:` of `to_yaml` and `YAML.dump`: -1 never folds; a string longer than the
/// width given is folded (`>`) where libyaml allows a block, double-quoted where not.
#[test]
fn line_width_folds_long_strings() {
    check(
        r##"{'cmd' => (['word'] * 25).join(' ')}.to_yaml(line_width: -1)"##,
        r##"---
cmd: word word word word word word word word word word word word word word word word word word word word word word word word word
"##,
    );
    check(
        r##"YAML.dump({'cmd' => (['word'] * 25).join(' ')}, line_width: -1)"##,
        r##"---
cmd: word word word word word word word word word word word word word word word word word word word word word word word word word
"##,
    );
    check(
        r##"{'cmd' => (['word'] * 25).join(' ')}.to_yaml(line_width: 20)"##,
        r##"---
cmd: >-
  word word word word
  word word word word
  word word word word
  word word word word
  word word word word
  word word word word
  word
"##,
    );
    check(
        r##"{'cmd' => (['word'] * 25).join(' ')}.to_yaml(line_width: 0)"##,
        r##"---
"cmd": >-
  word word word word word word word word word word word word word word word word
  word word word word word word word word word
"##,
    );
    check(
        r##"{'cmd' => "\"" + (['word'] * 25).join(' ')}.to_yaml(line_width: 30)"##,
        r##"---
cmd: >-
  "word word word word word word
  word word word word word word
  word word word word word word
  word word word word word word
  word
"##,
    );
    check(
        r##"{'a' => ('w ' * 30) + "\n\n", 'b' => ('x' * 30) + "\n"}.to_yaml(line_width: 10)"##,
        r##"---
a: "w w w w
  w w w w w
  w w w w w
  w w w w w
  w w w w w
  w w w w w
  w \n\n"
b: >
  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
"##,
    );
    check(
        r##"[('ab ' * 20).strip, 'short', 'a  b  c  d  e  f  g', ' lead ' * 4].to_yaml(line_width: 8)"##,
        r##"---
- >-
  ab ab ab
  ab ab ab
  ab ab ab
  ab ab ab
  ab ab ab
  ab ab ab
  ab ab
- short
- >-
  a  b  c 
  d  e  f 
  g
- " lead  lead
  \ lead  lead "
"##,
    );
    check(
        r##"('long ' * 30).to_yaml(line_width: 20)"##,
        r##"--- "long long long long
  long long long long
  long long long long
  long long long long
  long long long long
  long long long long
  long long long long
  long long "
"##,
    );
}
