//! YAML read: `YAML.load` (YAML 1.1 scalars, block scalars, tags) and what Psych's loaders
//! permit (`load`, `safe_load`, `unsafe_load`).

use super::{check, check_err};

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
