//! Writing a [`Node`] with the bytes yaml.v2's `Marshal` produces: block style with sequences
//! at their key's indentation, map keys in yaml.v2's natural order, `{}`/`[]` for empty
//! collections, plain scalars where they read back the same, `|` literals for multi-line
//! strings (with `-`/`+` chomping and an indentation hint when needed), single or double
//! quotes otherwise, and plain and quoted scalars folded at spaces past column 80.

use super::node::{go_float, Node};
use super::order::key_order;
use super::resolve::plain_reads_back_as_string;
use super::scalar_style::{analyze, is_break, is_printable};

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

struct Emitter<'a> {
    /// A map written in its own order (a value the CLI marshals from a Go struct).
    unsorted: Option<&'a Node>,
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
}

/// The document as `yaml.Marshal` writes it.
pub fn to_yaml(n: &Node) -> String {
    write_doc(n, None)
}

/// Like [`to_yaml`], but the map under top-level key `key` keeps its field order, as a value
/// the CLI just generated (a Go struct) is written to a vars store.
pub fn to_yaml_keeping_order(n: &Node, key: &str) -> String {
    let unsorted = match n {
        Node::Map(m) => m.get_str(key),
        _ => None,
    };
    write_doc(n, unsorted)
}

fn write_doc(n: &Node, unsorted: Option<&Node>) -> String {
    let mut e = Emitter {
        unsorted,
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        indents: Vec::new(),
    };
    e.node(n, Ctx::default());
    // Document end: a line break unless one was just written.
    e.write_indent();
    e.out
}

impl Emitter<'_> {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, n: &Node, ctx: Ctx) {
        match n {
            Node::Seq(items) if !items.is_empty() => {
                self.increase_indent(false, ctx.mapping && !self.indention);
                for it in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(it, Ctx::default());
                }
                self.pop_indent();
            }
            Node::Map(m) if !m.is_empty() => {
                self.increase_indent(false, false);
                let mut pairs: Vec<(&Node, &Node)> = m.iter().collect();
                if !self.unsorted.is_some_and(|u| std::ptr::eq(u, n)) {
                    pairs.sort_by(|a, b| key_order(a.0, b.0));
                }
                for (k, v) in pairs {
                    self.write_indent();
                    let (text, style) = scalar_text(k);
                    let multiline = text.chars().any(is_break);
                    if !multiline && text.len() <= 128 {
                        self.scalar(
                            &text,
                            style,
                            Ctx {
                                mapping: true,
                                simple_key: true,
                            },
                        );
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.scalar(
                            &text,
                            style,
                            Ctx {
                                mapping: true,
                                simple_key: false,
                            },
                        );
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(
                        v,
                        Ctx {
                            mapping: true,
                            simple_key: false,
                        },
                    );
                }
                self.pop_indent();
            }
            Node::Seq(_) => self.empty_flow("[", "]"),
            Node::Map(_) => self.empty_flow("{", "}"),
            scalar => {
                let (text, style) = scalar_text(scalar);
                self.scalar(&text, style, ctx);
            }
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (value.is_empty() && ctx.simple_key))
        {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < chars.len() - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let bom = value.starts_with('\u{feff}');
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (letter, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for ch in format!("{v:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < chars.len() - 1
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts with a space or
        // a break, `-` without a final break, `+` with more than one.
        let first = value.chars().next();
        if matches!(first, Some(c) if c == ' ' || is_break(c)) {
            let hint = char::from(b'0' + BEST_INDENT as u8).to_string();
            self.write_indicator(&hint, false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match rev.next() {
            None => Some("-"),
            Some(last) if !is_break(last) => Some("-"),
            Some(_) => match rev.next() {
                None => Some("+"),
                Some(prev) if is_break(prev) => Some("+"),
                Some(_) => None,
            },
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// A scalar's text and the style yaml.v2's encoder asks for.
fn scalar_text(n: &Node) -> (String, Style) {
    match n {
        Node::Null => ("null".into(), Style::Plain),
        Node::Bool(b) => (b.to_string(), Style::Plain),
        Node::Int(i) => (i.to_string(), Style::Plain),
        Node::Uint(u) => (u.to_string(), Style::Plain),
        Node::Float(f) => {
            let s = match go_float(*f).as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                other => other.to_string(),
            };
            (s, Style::Plain)
        }
        Node::Str(s) => {
            let style = if s.contains('\n') {
                Style::Literal
            } else if plain_reads_back_as_string(s) {
                Style::Plain
            } else {
                Style::Double
            };
            (s.clone(), style)
        }
        Node::Seq(_) | Node::Map(_) => unreachable!("collections are not scalars"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpolate::load::load;

    fn roundtrip(input: &str) -> String {
        to_yaml(&load(input).unwrap())
    }

    #[test]
    fn block_style_as_yaml_v2() {
        assert_eq!(
            roundtrip("b: [1, {'y': 2, x: [a]}]\na: {}\nc: []\n"),
            "a: {}\nb:\n- 1\n- x:\n  - a\n  \"y\": 2\nc: []\n"
        );
        assert_eq!(roundtrip("- - a\n  - b\n"), "- - a\n  - b\n");
    }

    #[test]
    fn natural_key_order() {
        assert_eq!(
            roundtrip("a10: 1\na9: 1\nb: 1\n1: x\n_x: 1\n"),
            "1: x\n_x: 1\na9: 1\na10: 1\nb: 1\n"
        );
    }

    #[test]
    fn literals_and_quotes() {
        assert_eq!(roundtrip("k: \"a\\nb\\n\"\n"), "k: |\n  a\n  b\n");
        assert_eq!(roundtrip("k: \"a\\nb\"\n"), "k: |-\n  a\n  b\n");
        assert_eq!(roundtrip("k: \" a\\nb\\n\\n\"\n"), "k: |2+\n   a\n  b\n\n");
        assert_eq!(roundtrip("k: 'yes'\n"), "k: \"yes\"\n");
        assert_eq!(roundtrip("k: '@x'\n"), "k: '@x'\n");
        assert_eq!(roundtrip("k: \"a\\tb\"\n"), "k: \"a\\tb\"\n");
        assert_eq!(roundtrip("k: ''\n"), "k: \"\"\n");
        assert_eq!(roundtrip("k: 1.0\n"), "k: 1\n");
        assert_eq!(roundtrip("k: 2024-01-01\n"), "k: \"2024-01-01\"\n");
    }

    #[test]
    fn long_plain_strings_fold() {
        let words = vec!["word"; 30].join(" ");
        let out = roundtrip(&format!("k: {words}\n"));
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.lines().nth(1).unwrap().starts_with("  word"));
    }
}
