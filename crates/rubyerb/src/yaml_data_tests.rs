//! The spec loader (`yaml_in::load_data`: the direct reader, else the parser) against the
//! parser alone as `YAML.load` uses it: the same document, budgets, errors and lines.

use super::data::Data;
use super::format::inspect;
use super::value::Value;
use super::yaml_in::{load, load_data, load_data_with, load_with, YamlErrorKind};
use super::Limits;

/// What `to_data` of the Ruby values makes: the reference for the plain loader.
fn from_value(v: &Value) -> Data {
    match v {
        Value::Nil => Data::Nil,
        Value::Bool(b) => Data::Bool(*b),
        Value::Int(i) => Data::Int(*i),
        Value::Float(f) => Data::Float(*f),
        Value::Str(s) => Data::Str(s.borrow().clone()),
        Value::Sym(s) => Data::Sym(s.to_string()),
        Value::Array(a) => Data::Array(a.borrow().iter().map(from_value).collect()),
        Value::Hash(h) => Data::Hash(
            h.borrow()
                .map
                .values()
                .map(|(k, v)| (from_value(k), from_value(v)))
                .collect(),
        ),
        other => panic!("not data: {}", inspect(other)),
    }
}

/// Both loaders agree; the data as Ruby's `inspect` prints it.
fn same(text: &str) -> String {
    let d = load_data(text).unwrap();
    assert_eq!(
        format!("{d:?}"),
        format!("{:?}", from_value(&load(text).unwrap())),
        "{text}"
    );
    inspect(&d.to_value())
}

const SPEC: &str = r#"---
name: web
templates:
  ctl.erb: bin/ctl
  config.yml.erb: config/config.yml
packages: [web]
consumes:
- name: db
  type: database
  optional: true
properties:
  port:
    description: "listen port"
    default: 8080
  tls.enabled:
    default: yes
  mode:
    default: 0755
  ratio:
    default: 1.5
  timeout:
    default: "1:30"
  window:
    default: 1:30
  kind:
    default: :fast
  nothing:
    default: ~
  list:
    default: [a, 'b', 3]
  text:
    default: |
      multi
      line
"#;

#[test]
fn a_real_spec_loads_as_psych_types_it() {
    let got = same(SPEC);
    for want in [
        r#""name" => "web""#,
        r#""ctl.erb" => "bin/ctl""#,
        r#""port" => {"description" => "listen port", "default" => 8080}"#,
        r#""tls.enabled" => {"default" => true}"#,
        r#""mode" => {"default" => 493}"#,
        r#""ratio" => {"default" => 1.5}"#,
        r#""timeout" => {"default" => "1:30"}"#,
        r#""window" => {"default" => 5400}"#,
        r#""kind" => {"default" => :fast}"#,
        r#""nothing" => {"default" => nil}"#,
        r#""list" => {"default" => ["a", "b", 3]}"#,
        r#""text" => {"default" => "multi\nline\n"}"#,
    ] {
        assert!(got.contains(want), "{want} in {got}");
    }
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "\
base: &base
  port: 80
  host: a
extra: &extra {tls: true, host: z}
web:
  <<: *base
  host: b
both:
  <<: [*base, *extra]
  name: n
list: &l [1, 2]
again: *l
";
    let got = same(text);
    assert!(
        got.contains(r#""web" => {"port" => 80, "host" => "b"}"#),
        "{got}"
    );
    // earlier merge sources win, explicit keys win over all
    assert!(
        got.contains(r#""both" => {"tls" => true, "host" => "a", "port" => 80, "name" => "n"}"#),
        "{got}"
    );
    assert!(got.contains(r#""again" => [1, 2]"#), "{got}");
}

#[test]
fn duplicate_keys_keep_their_first_place_and_last_value() {
    assert_eq!(same("a: 1\nb: 2\na: 3\n"), r#"{"a" => 3, "b" => 2}"#);
    // past the direct scan: the sorted path
    let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    big.push_str("k7: last\n");
    let got = same(&big);
    assert!(got.contains(r#""k7" => "last", "k8" => 8"#), "{got}");
    assert_eq!(got.matches("\"k7\"").count(), 1, "{got}");
    // keys that are not strings: Ruby's eql? (1 and 0x1 are one key, 1.0 and "1" others)
    assert_eq!(
        same("1: a\n1.0: b\n'1': c\n0x1: d\n:s: e\ns: f\n"),
        r#"{1 => "d", 1.0 => "b", "1" => "c", s: "e", "s" => "f"}"#
    );
    let many: String = (0..30).map(|i| format!("{}: {i}\n", i % 20)).collect();
    same(&many);
}

#[test]
fn tags_and_quotes_keep_strings() {
    assert_eq!(
        same("a: !!str 123\nb: '0755'\nc: !!int '42'\nd: !!float 2\ne: \"yes\"\n"),
        r#"{"a" => "123", "b" => "0755", "c" => 42, "d" => 2.0, "e" => "yes"}"#
    );
}

#[test]
fn a_bad_spec_names_its_line() {
    for (text, line) in [
        ("name: web\ntemplates:\n  a.erb: [b\nproperties: {}\n", 4),
        (
            "name: web\nproperties:\n  start:\n    default: 2024-01-01\n",
            4,
        ),
        ("name: web\nport: !!int eighty\n", 2),
        ("name: web\nx: *nowhere\n", 2),
        ("a: b\n  c: d\n", 2),
    ] {
        let Err(want) = load(text) else {
            panic!("{text} loads")
        };
        let got = load_data(text).unwrap_err();
        assert_eq!(got, want, "{text}");
        assert_eq!(got.line, line, "{text}: {got}");
    }
    let e = load_data("name: web\nproperties:\n  start:\n    default: 2024-01-01\n").unwrap_err();
    assert!(matches!(e.kind, YamlErrorKind::DateTime(_)), "{e}");
}

#[test]
fn budgets_hold_as_for_ruby_values() {
    let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..8 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        laughs.push_str(&format!(
            "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let limits = Limits::default();
    let got = load_data_with(&laughs, &limits).unwrap_err();
    assert!(matches!(got.kind, YamlErrorKind::TooLarge(_)), "{got}");
    assert_eq!(Some(got), load_with(&laughs, &limits).err());
    // read as a spec or manifest, a small document may expand to 4M, not the full budget,
    // while one that aliases a large anchor a few dozen times reads as before
    let got = load_data(&laughs).unwrap_err();
    assert_eq!(got.kind, YamlErrorKind::TooLarge(4 << 20), "{got}");
    let block = format!("b: &b '{}'\n", "x".repeat(100_000));
    let aliased = block + &(0..40).map(|i| format!("c{i}: *b\n")).collect::<String>();
    assert!(load_data(&aliased).is_ok());
    let deep = format!("{}1{}", "[".repeat(230), "]".repeat(230));
    let got = load_data(&deep).unwrap_err();
    assert!(matches!(got.kind, YamlErrorKind::TooDeep(_)), "{got}");
    assert_eq!(Some(got), load(&deep).err());
}

#[test]
fn documents_and_empty_input() {
    assert_eq!(same(""), "nil");
    assert_eq!(same("--- 1\n--- 2\n"), "1");
    assert_eq!(same("---\n...\n"), "nil");
}

/// The direct reader either reads a document exactly as the full parser does or leaves it
/// to the full parser (errors included).
#[test]
fn the_direct_reader_agrees_with_the_parser_or_steps_aside() {
    let limits = Limits::default();
    let cases: &[(&str, bool)] = &[
        ("a: b\n  c\n", true),
        ("a: b\n\n  c\n\n\n  d  \nz: 1\n", true),
        ("a: |\n  x\n   y\n\n  z\n\n", true),
        ("a: |-\n  x\n  y\n", true),
        ("a: |\n\n  x\n", true),
        ("a: |\n  x\n  \n  y\n# c\nb: 1\n", true),
        ("a: |  # c\n  #x\n", true),
        ("a:\n- 1\n- 2\nb: 3\n", true),
        ("- a: 1\n  b: 2\n- c\n", true),
        ("-   a: 1\n    b: [x, y z, 2.5]\n", true),
        ("- - a\n  - b\n- c\n  d\n", true),
        ("a:\n  -\n  - x\n  -\n    b: 1\n", true),
        ("a: 'it''s' # c\nb: \"x: y\"\nc: []\nd: {}\n", true),
        (
            "a: -1\nb: .5\nc: ~\nd: yes\ne: 0755\nf: 1:30\n1: a\na:b: c\n",
            true,
        ),
        ("---\nkey with spaces  : v # c\nx: y#z\n", true),
        ("  a: 1\n  b:\n\n    c: café\n", true),
        ("a: 1\na: 2\nb: 3\n", true),
        ("a: -Xmx1g -Dx=y\nb: ?x\nc: :sym\nd: --\n", true),
        ("a: >-\n  folded\n  text\n\n  para\nb: >\n  x\n", true),
        (
            "a: [ \"x:1\", 'y', /a/*/b.yml , 2]\nb: \"C:\\\\w\\\"q\\\" \\/ \\n\"\n",
            true,
        ),
        ("a: 1\nb: |\n  x", false),
        ("a: 1\nb: c", true),
        ("a: >\n  x\n    y\n", false),
        ("a: >\n\n  x\n", false),
        (
            "a: {\"deployment\": \"cf\", b: 2, 'c': x y, 1: ~}\nb: { a: x }\n",
            true,
        ),
        ("a: {b: 1, b: 2}\n", true),
        ("a: ['it''s', 'x: y', {'k': 'v'}]\n", true),
        ("a: {\"b\":  1, '&': x,  c:   [ d ,  e ] }\n", true),
        ("a: {b: http://x}\n", false),
        ("a: {\"b\":1}\n", false),
        ("a: {b}\n", false),
        ("a: {b: }\n", false),
        ("a: {b: 1,}\n", false),
        ("a: {b: [], c: {}, d: [{e: 1, f: [g]}] }\n", true),
        ("a: {[b]: 1}\n", false),
        ("a: [b] c\n", false),
        ("a: [b\n", false),
        ("a: [b]]\n", false),
        ("a: {b: {c: 1}}\n", true),
        ("a: {b: 1] \n", false),
        ("a: [\"x\" \"y\"]\n", false),
        ("a: [x, ]\n", false),
        ("a: \"\\u0041\"\n", false),
        ("a: b # c\n  d\n", false),
        ("a: x:\n", false),
        ("a:\n  b\n  c: d\n", false),
        ("--- # c\na: 1\n", false),
        ("a: 1\n...\n", false),
        ("a: 1\n---\nb: 2\n", false),
        ("a: b\n- c\n", false),
        ("a:\n    b: 1\n  c: 2\n", false),
        ("a: |\n  x\n y\n", false),
        ("a: |\n  x\n    \n", false),
        ("a: |+\n  x\n\n", false),
        ("a: >\n  x\n", true),
        ("a: 'x\n  y'\n", false),
        ("a: \"x\\ty\"\n", true),
        ("a: 2024-01-01\n", false),
        ("a: &x 1\nb: *x\n", false),
        ("a: !!str 1\n", false),
        ("a:\tb\n", false),
        (
            "'a': 1\n\"b c\" :  |\n  x\n'it''s':\n  - \"d: e\"\n  - 'f: g'\n",
            true,
        ),
        ("\"503\": x\n\"a\":b\n", false),
        ("\"a\" b: 1\n", false),
        ("- \"a\" b\n", false),
        ("'a\n  b': 1\n", false),
        ("a: [a, [b]]\n", true),
        ("a: [a,]\n", false),
        ("<<: {a: 1}\n", false),
        ("a: |\n", false),
        ("- # c\n", false),
        ("", false),
        ("# only\n", false),
    ];
    for (text, direct) in cases {
        let full = super::yaml_in::load_data_full(text, &limits, None);
        match super::yaml_fast::load_simple(text, &limits) {
            Some(d) => {
                let Ok(f) = full else {
                    panic!("{text:?}: read directly, refused by the parser")
                };
                assert_eq!(format!("{d:?}"), format!("{f:?}"), "{text:?}");
                assert!(direct, "{text:?} read directly");
            }
            None => assert!(!direct, "{text:?} left to the parser"),
        }
    }
    // nesting past the reader's own depth is left to the parser and its budget
    let deep: String = (0..80)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    assert!(super::yaml_fast::load_simple(&deep, &limits).is_none());
    assert!(same(&deep).contains("\"k60\" => {\"k61\""));
}

/// The direct reader's word-at-a-time searches, marker lines, number and word shortcuts and
/// duplicate-key checks, at the edges they could get wrong: each document agrees with the
/// parser, or is left to it.
#[test]
fn the_direct_readers_shortcuts_agree_with_the_parser() {
    let limits = Limits::default();
    let mut cases: Vec<String> = [
        "abcdefghij:klmno: v\n",
        "abcdefg:h: v # c: d\nb: x#y:z # :\n",
        "a: b c d e f g h i j # k: l\n",
        "a234567: 1\nb2345678:\n  c234567890123456: d2345678 # x\n",
        "---  \na: 1\n",
        "--- a\n",
        "%YAML 1.1\n---\na: 1\n",
        "# c\n\n---\na: 1\n",
        "a: 1\n--- \n",
        "a: 1\n....\n",
        "a: |\n  ---\n  x\n",
        "a: 123456789012345678\nb: 1234567890123456789\nc: 12345678901234567890\n",
        "a: 0\nb: 00\nc: 09\nd: 0755\ne: 10\nf: 1_000\ng: 1,000\nh: 9223372036854775807\n",
        "a: No\nb: oFF\nc: nUll\nd: Yes\ne: y\nf: n\ng: tru\nh: ON\ni: Off\nj: _no\nk: nope\n",
        "ab: 1\ncb: 2\nab: 3\n",
        "ab: 1\nba: 2\naab: 3\n",
        "1: a\n'1': b\n1: c\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // past the pairwise check's size: one map with a repeated key, one without
    for dup in [false, true] {
        let mut s: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        if dup {
            s.push_str("k7: again\n");
        }
        cases.push(s);
    }
    for text in &cases {
        let full = super::yaml_in::load_data_full(text, &limits, None);
        if let Some(d) = super::yaml_fast::load_simple(text, &limits) {
            let Ok(f) = full else {
                panic!("{text:?}: read directly, refused by the parser")
            };
            assert_eq!(format!("{d:?}"), format!("{f:?}"), "{text:?}");
        }
        assert_eq!(
            format!("{:?}", load_data(text)),
            format!("{:?}", super::yaml_in::load_data_full(text, &limits, None)),
            "{text:?}"
        );
    }
}

#[test]
fn a_spec_ending_in_a_block_scalar_without_a_final_line_break() {
    // the direct reader leaves such a text to the parser; both read what Psych reads
    let text = "properties:\n  conf:\n    default: |\n      sub a {\n      }";
    same(text);
    assert_eq!(
        inspect(&load(text).unwrap()),
        r#"{"properties" => {"conf" => {"default" => "sub a {\n}"}}}"#
    );
}

/// `!!binary` is decoded and `!!int` read in every form Psych reads, by every loader (specs
/// and manifests as much as a template's `YAML.load`): Base64 as `unpack1('m')` decodes it,
/// skipping what is not of its alphabet and ending at a `=` inside a group.
#[test]
fn binary_and_int_tags_read_as_psych_reads_them() {
    let one = |text: &str| inspect(&load(text).unwrap());
    assert_eq!(one("!!binary aGVsbG8="), r#""hello""#);
    assert_eq!(one("!!binary |\n  aGVs\n   bG8\n"), r#""hello""#);
    assert_eq!(one("!!binary aGk"), r#""hi""#);
    assert_eq!(one("!!binary aGk=x"), r#""hi""#);
    assert_eq!(one("!!binary =aGk"), r#""hi""#);
    assert_eq!(one("!!binary aGVsbA="), r#""hell""#);
    assert_eq!(one("!!binary a"), r#""""#);
    assert_eq!(
        one("[!!int 0x1f, !!int '0b101', !!int 1_000, !!int -7]"),
        "[31, 5, 1000, -7]"
    );
    assert!(load("!!int abc").is_err());
}

/// A pruned value goes with its key whichever reader reads the document, and only at its
/// path; a value the full parser refuses is refused though it would be pruned.
#[test]
fn pruned_values_are_read_but_not_kept() {
    use super::yaml_in::load_data_pruned;
    let prune = [Some("properties"), None, Some("description")];
    let limits = Limits::default();
    let show = |d: &Data| format!("{d:?}");
    let cases = [
        // plain, folded over lines, commented, quoted with escapes, single-quoted, literal
        // and folded blocks, a flow collection, nothing, a nested mapping
        "properties:\n  a:\n    description: Plain words here\n    default: 1\n",
        "properties:\n  a:\n    description: Words that go\n      on over lines\n\n      and past a blank\n    default: 1\n",
        "properties:\n  a:\n    description: words # a comment\n",
        "properties:\n  a:\n    description: \"say \\\"hi\\\"\\n\"\n    example: x\n",
        "properties:\n  a:\n    description: 'it''s'\n",
        "properties:\n  a:\n    description: |\n      line\n        more\n    default: [1]\n",
        "properties:\n  a:\n    description: >-\n      folded\n      text\n",
        "properties:\n  a:\n    description: [x, y]\n",
        "properties:\n  a:\n    description:\n  b: {}\n",
        "properties:\n  a:\n    description:\n      nested: map\n",
        // numbers and other typed scalars, and a key given quoted
        "properties:\n  a:\n    description: 12\n  b:\n    \"description\": yes\n",
        // elsewhere a description is kept: at the root, a level too deep or shallow, in a
        // sequence, under another root key
        "description: root\nproperties:\n  description: shallow\n  a:\n    x:\n      description: deep\n",
        "consumes:\n- name: a\n  description: kept\nprovides:\n  a:\n    description: kept\n",
        "other:\n  properties:\n    a:\n      description: kept\n",
        "- properties:\n    a:\n      description: kept\n",
        // left to the full parser: an anchor, a merge, a multi-line quoted scalar
        "properties:\n  a: &a\n    description: x\n  b: *a\n",
        "properties:\n  a:\n    <<: {description: merged}\n    description: own\n",
        "properties:\n  a:\n    description: \"two\n      lines\"\n    default: 2\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let full = super::yaml_in::load_data_full(text, &limits, None).unwrap();
        let mut want = full.clone();
        super::yaml_in::prune_data(&mut want, &prune);
        let got = load_data_pruned(text, &prune).unwrap();
        assert_eq!(show(&got), show(&want), "{text:?}");
        // all but the last three are read directly
        match super::yaml_fast::load_pruned(text, &limits, &prune) {
            Some(fast) => assert_eq!(show(&fast), show(&want), "{text:?}"),
            None => assert!(i >= cases.len() - 3, "{text:?} left to the parser"),
        }
        // nothing else changes
        assert_eq!(show(&load_data_pruned(text, &[]).unwrap()), show(&full));
    }
    let kept = load_data_pruned(cases[11], &prune).unwrap();
    assert_eq!(show(&kept).matches("description").count(), 3, "{kept:?}");
    for off_path in &cases[12..15] {
        let d = load_data_pruned(off_path, &prune).unwrap();
        assert_eq!(
            show(&d),
            show(&load_data(off_path).unwrap()),
            "{off_path:?}"
        );
    }
    let gone = load_data_pruned(cases[0], &prune).unwrap();
    assert!(!show(&gone).contains("description"), "{gone:?}");
    assert!(show(&gone).contains("default"), "{gone:?}");
    // a key is on the path as it loads: a word that loads as a number or a boolean is
    // not the string it is written as, a quoted one is; other words are themselves
    let text = "123abc: 1\n'on': 2\non: 3\n1: 4\n";
    for (path, left) in [([Some("123abc")], 3), ([Some("on")], 3), ([Some("1")], 4)] {
        let mut want = load_data(text).unwrap();
        super::yaml_in::prune_data(&mut want, &path);
        assert_eq!(
            show(&load_data_pruned(text, &path).unwrap()),
            show(&want),
            "{path:?}"
        );
        let fast = super::yaml_fast::load_pruned(text, &limits, &path).unwrap();
        assert_eq!(show(&fast), show(&want), "{path:?}");
        assert!(
            matches!(&want, Data::Hash(p) if p.len() == left),
            "{want:?}"
        );
    }
    // an error inside a pruned value is the document's error
    for bad in [
        "properties:\n  a:\n    description: \"bad \\q escape\"\n",
        "properties:\n  a:\n    description: \"open\n",
        "properties:\n  a:\n    description: [x\n",
        "properties:\n  a:\n    description: x: y\n",
    ] {
        assert!(load_data_pruned(bad, &prune).is_err(), "{bad:?}");
        assert!(load_data(bad).is_err(), "{bad:?}");
    }
}
