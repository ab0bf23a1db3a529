//! YAML written: `to_yaml`/`YAML.dump` (Psych quoting, block styles, anchors, line width).
//! Reading is `yaml_load.rs`.

use super::check;

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

/// A key is a node like a value: a class or collection met again as a key is an alias,
/// which libyaml writes as a simple key (`*1 :`), even where the node it stands for is not.
#[test]
fn keys_are_anchored_and_aliased() {
    check(
        r##"{Array => Array}.to_yaml"##,
        r##"---
&1 !ruby/class 'Array': *1
"##,
    );
    check(
        r##"{Array => 1, 'x' => Array}.to_yaml"##,
        r##"---
&1 !ruby/class 'Array': 1
x: *1
"##,
    );
    check(
        r##"[Array, Array, Hash, {Hash => Kernel}].to_yaml"##,
        r##"---
- &1 !ruby/class 'Array'
- *1
- &2 !ruby/class 'Hash'
- *2 : !ruby/module 'Kernel'
"##,
    );
    check(
        r##"e = []; h = {}; {e => e, h => h}.to_yaml"##,
        r##"---
&1 []: *1
&2 {}: *2
"##,
    );
    check(
        r##"a = [1]; h = {'k' => 1}; [a, {a => 2}, h, {h => h}].to_yaml"##,
        r##"---
- &1
  - 1
- *1 : 2
- &2
  k: 1
- *2 : *2
"##,
    );
    check(
        r##"{Array => {Array => [Array]}}.to_yaml"##,
        r##"---
&1 !ruby/class 'Array':
  *1 :
  - *1
"##,
    );
    check(
        r##"o = OpenStruct.new; {o => o, 'p' => [o]}.to_yaml"##,
        r##"---
&1 !ruby/object:OpenStruct {}: *1
p:
- *1
"##,
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

/// A string that spells an integer past 64 bits is quoted, as Psych reads one back as an
/// Integer of any size.
#[test]
fn big_integer_strings() {
    check(
        r##""99999999999999999999".to_yaml"##,
        r##"--- '99999999999999999999'
"##,
    );
    check(
        r##""1110100011010100101001010001000000000000".to_yaml"##,
        r##"--- '1110100011010100101001010001000000000000'
"##,
    );
    check(
        r##""-9223372036854775809".to_yaml"##,
        r##"--- "-9223372036854775809"
"##,
    );
    check(
        r##""0x1FFFFFFFFFFFFFFFFF".to_yaml"##,
        r##"--- '0x1FFFFFFFFFFFFFFFFF'
"##,
    );
    check(
        r##""0b11111111111111111111111111111111111111111111111111111111111111111".to_yaml"##,
        r##"--- '0b11111111111111111111111111111111111111111111111111111111111111111'
"##,
    );
    check(
        r##""077777777777777777777777".to_yaml"##,
        r##"--- '077777777777777777777777'
"##,
    );
    check(
        r##""1_000_000_000_000_000_000_000".to_yaml"##,
        r##"--- '1_000_000_000_000_000_000_000'
"##,
    );
    check(
        r##"{'k' => '99999999999999999999'}.to_yaml"##,
        r##"---
k: '99999999999999999999'
"##,
    );
}
