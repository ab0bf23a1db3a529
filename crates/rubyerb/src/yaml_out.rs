//! `to_yaml` / `YAML.dump` as Psych writes them through libyaml: Psych picks a style per
//! string (literal for multi-line text, double quotes for `y`/`n` and strings starting with a
//! non-word character, single quotes for strings that would read back as another type), and
//! libyaml's analysis overrides it when the style cannot hold the text. Long scalars fold at
//! 80 columns, or the `line_width:` a template asks for.

use super::format::float_to_s;
use super::methods::ostruct;
use super::value::Value;
use super::yaml_anchors::{Mark, Marks};
use super::yaml_style::{analyze, is_break, psych_style, Style};

mod block;
mod quoted;

/// libyaml's width when none is asked for.
const WIDTH: usize = 80;

/// Levels of nesting a document is written to: each indents its lines two columns further,
/// so a thousand levels are already lines of 2,000 spaces (Ruby's Psych gives up between one
/// and ten thousand, with `SystemStackError`, as bale does past this).
const MAX_LEVELS: usize = 1_000;

struct Emitter {
    out: String,
    /// The column past which long scalars fold (`usize::MAX`: never).
    width: usize,
    /// The `line_width:` a template gave, past which Psych folds a string.
    line_width: Option<usize>,
    column: usize,
    /// The last thing written was whitespace (or an indicator that needs none after it).
    whitespace: bool,
    open_ended: bool,
    /// The scalar being written is the whole document.
    root: bool,
    /// Nodes the document holds more than once: anchored where first written, aliased after.
    marks: Marks,
}

/// `v` as a YAML document; `line_width` is Psych's option (-1: no folding), when given.
pub fn dump(v: &Value, line_width: Option<i64>, to_s: &mut dyn FnMut(&Value) -> String) -> String {
    let mut e = Emitter {
        out: String::new(),
        // libyaml's: 80 when none or up to twice the indentation, never when negative
        width: match line_width {
            Some(w) if w < 0 => usize::MAX,
            Some(w) if w > 4 => w as usize,
            _ => WIDTH,
        },
        line_width: line_width.and_then(|w| usize::try_from(w).ok()),
        column: 0,
        whitespace: true,
        open_ended: false,
        root: false,
        marks: Marks::new(v),
    };
    e.write("---");
    e.whitespace = false;
    // the root is never an alias; an anchor goes after the marker (a structure holding itself)
    e.mark(v);
    if let Some((tag, fields)) = ostruct::yaml_view(v) {
        e.tagged(&tag, &fields, 0, to_s);
        return e.out;
    }
    match v {
        Value::Hash(h) if !h.borrow().is_empty() => {
            e.newline();
            e.mapping(v, 0, false, to_s);
        }
        Value::Array(a) if !a.borrow().is_empty() => {
            e.newline();
            e.sequence(v, 0, false, to_s);
        }
        _ => {
            e.root = true;
            e.scalar(v, 0, false, to_s);
            e.newline();
        }
    }
    if e.open_ended {
        e.out.push_str("...\n");
    }
    e.out
}

/// Whether libyaml can write `k` as a simple key (`k: v`): a scalar on one line of at most
/// 128 bytes, or an empty collection. Others are written after `?`. (A key written through
/// `to_s` is taken as simple: its text is made once, when it is written.)
fn simple_key(k: &Value) -> bool {
    let short = |t: &str| t.len() <= 128 && !t.chars().any(is_break);
    match k {
        Value::Str(s) => short(&s.borrow()),
        // written as `:name`
        Value::Sym(s) => s.len() < 128 && !s.chars().any(is_break),
        Value::Array(a) => a.borrow().is_empty(),
        Value::Hash(h) => h.borrow().is_empty(),
        // a tagged mapping: simple when empty, its tag counted in the length
        Value::Object(_) => match ostruct::yaml_view(k) {
            Some((tag, Value::Hash(h))) => h.borrow().is_empty() && tag.len() <= 128,
            _ => true,
        },
        _ => true,
    }
}

impl Emitter {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }
    fn newline(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.whitespace = true;
    }
    fn indent_to(&mut self, indent: usize) {
        if self.column > indent || (self.column == indent && !self.whitespace) {
            self.newline();
        }
        while self.column < indent {
            self.out.push(' ');
            self.column += 1;
        }
        self.whitespace = true;
    }

    fn mapping(
        &mut self,
        v: &Value,
        indent: usize,
        inline_first: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        crate::value::level(MAX_LEVELS, || {
            self.mapping_level(v, indent, inline_first, to_s)
        });
    }

    fn mapping_level(
        &mut self,
        v: &Value,
        indent: usize,
        inline_first: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        let Value::Hash(h) = v else { return };
        let pairs = h.borrow().pairs();
        for (i, (k, val)) in pairs.iter().enumerate() {
            if !(i == 0 && inline_first) {
                self.indent_to(indent);
            }
            // a key is marked like any node (a class or collection met before is an
            // alias, `*1 :`, which libyaml always writes as a simple key)
            let mark = self.marks.mark(k);
            if matches!(mark, Mark::Alias(_)) || simple_key(k) {
                if self.write_mark(mark) {
                    self.write(" :");
                } else {
                    self.scalar(k, indent, true, to_s);
                    self.write(":");
                }
                self.whitespace = false;
                self.value(val, indent, to_s);
            } else {
                // a key libyaml cannot write as a simple one goes after `?`, and its value
                // after a `:` at the start of the next line, each on the indicator's line
                self.write("?");
                self.whitespace = false;
                self.after_mark(k, mark, indent, false, to_s);
                self.indent_to(indent);
                self.write(":");
                self.whitespace = false;
                self.after_indicator(val, indent, false, to_s);
            }
        }
    }

    /// A node after a `-`, `?` or `:` indicator: a collection starts on the indicator's
    /// line, its other entries two columns in.
    /// An anchored collection starts on the next line instead: a mapping two columns in, a
    /// sequence too after a `-` (`in_seq`) and at the indicator's column after `?` or `:`.
    fn after_indicator(
        &mut self,
        v: &Value,
        indent: usize,
        in_seq: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        let mark = self.marks.mark(v);
        self.after_mark(v, mark, indent, in_seq, to_s)
    }

    /// [`Self::after_indicator`] for a node whose mark is taken already.
    fn after_mark(
        &mut self,
        v: &Value,
        mark: Mark,
        indent: usize,
        in_seq: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        let anchored = matches!(mark, Mark::Anchor(_));
        if self.write_mark(mark) {
            return self.newline();
        }
        if let Some((tag, fields)) = ostruct::yaml_view(v) {
            return self.tagged(&tag, &fields, indent + 2, to_s);
        }
        match v {
            Value::Hash(h) if anchored && !h.borrow().is_empty() => {
                self.newline();
                self.mapping(v, indent + 2, false, to_s);
            }
            Value::Array(a) if anchored && !a.borrow().is_empty() => {
                self.newline();
                self.sequence(v, if in_seq { indent + 2 } else { indent }, false, to_s);
            }
            Value::Hash(h) if !h.borrow().is_empty() => {
                self.write(" ");
                self.whitespace = true;
                self.mapping(v, indent + 2, true, to_s);
            }
            Value::Array(a) if !a.borrow().is_empty() => {
                self.write(" ");
                self.whitespace = true;
                self.sequence(v, indent + 2, true, to_s);
            }
            _ => {
                self.scalar(v, indent, false, to_s);
                self.newline();
            }
        }
    }

    fn sequence(
        &mut self,
        v: &Value,
        indent: usize,
        inline_first: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        crate::value::level(MAX_LEVELS, || {
            self.sequence_level(v, indent, inline_first, to_s)
        });
    }

    fn sequence_level(
        &mut self,
        v: &Value,
        indent: usize,
        inline_first: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        let Value::Array(a) = v else { return };
        let items = a.borrow().clone();
        for (i, item) in items.iter().enumerate() {
            if !(i == 0 && inline_first) {
                self.indent_to(indent);
            }
            self.write("-");
            self.whitespace = false;
            self.after_indicator(item, indent, true, to_s);
        }
    }

    fn value(&mut self, val: &Value, indent: usize, to_s: &mut dyn FnMut(&Value) -> String) {
        if self.mark(val) {
            return self.newline();
        }
        if let Some((tag, fields)) = ostruct::yaml_view(val) {
            return self.tagged(&tag, &fields, indent + 2, to_s);
        }
        match val {
            Value::Hash(h) if !h.borrow().is_empty() => {
                self.newline();
                self.mapping(val, indent + 2, false, to_s);
            }
            Value::Array(a) if !a.borrow().is_empty() => {
                self.newline();
                self.sequence(val, indent, false, to_s);
            }
            _ => {
                self.scalar(val, indent, false, to_s);
                self.newline();
            }
        }
    }

    /// A scalar (or empty collection) after a key, a dash or the document marker; `indent`
    /// is the column of the enclosing block, continuation lines go two further.
    fn scalar(
        &mut self,
        v: &Value,
        indent: usize,
        key: bool,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        // an OpenStruct written as a key: one without fields (`simple_key`)
        if let Some((tag, _)) = ostruct::yaml_view(v) {
            self.pad();
            self.write(&tag);
            self.write(" {}");
            return;
        }
        let mut borrowed = None;
        // Psych gives nil and symbols no tag but lets only their plain form imply one:
        // written any other way, libyaml marks them with the non-specific tag `!`
        let tag_unless_plain = matches!(v, Value::Nil | Value::Sym(_));
        let (text, style) = match v {
            Value::Sym(s) if s.is_empty() => {
                // Psych's own tag, and an empty scalar (quoted where a key cannot be empty)
                self.pad();
                self.write(if key {
                    "!ruby/symbol ''"
                } else {
                    "!ruby/symbol"
                });
                self.whitespace = false;
                return;
            }
            Value::Nil => (String::new(), Style::Plain),
            Value::Bool(b) => (b.to_string(), Style::Plain),
            Value::Int(i) => (i.to_string(), Style::Plain),
            Value::Big(b) => (b.to_string(), Style::Plain),
            Value::Float(f) => (
                if f.is_nan() {
                    ".nan".into()
                } else if f.is_infinite() {
                    if *f > 0.0 {
                        ".inf".into()
                    } else {
                        "-.inf".into()
                    }
                } else {
                    float_to_s(*f)
                },
                Style::Plain,
            ),
            Value::Sym(s) => (format!(":{s}"), Style::Plain),
            Value::Str(s) if *s.borrow() == "<<" => {
                self.pad();
                self.write("!!str '<<'");
                self.whitespace = false;
                return;
            }
            // Psych writes bytes past ASCII as their Base64 (`pack('m0')`), tagged: a
            // literal block, or double-quoted as a key
            Value::Str(s) if s.is_binary() => {
                use base64::Engine as _;
                let b64 = base64::engine::general_purpose::STANDARD.encode(s.bytes());
                self.pad();
                self.write("!binary ");
                if key {
                    self.write(&format!("\"{b64}\""));
                } else {
                    self.block(&b64, indent + 2, false);
                }
                self.whitespace = false;
                return;
            }
            Value::Str(s) => {
                // read in place: nothing runs while a string is written out
                let b = borrowed.insert(s.borrow());
                let st = psych_style(b, self.line_width);
                (String::new(), st)
            }
            Value::Class(c) => {
                // Psych's own tag, and the name always single-quoted
                self.pad();
                let tag = if c.is_module {
                    "!ruby/module"
                } else {
                    "!ruby/class"
                };
                self.write(&format!("{tag} '{}'", c.name));
                self.whitespace = false;
                return;
            }
            Value::Array(_) => {
                self.pad();
                self.write("[]");
                return;
            }
            Value::Hash(_) => {
                self.pad();
                self.write("{}");
                return;
            }
            other => {
                let s = to_s(other);
                let st = psych_style(&s, self.line_width);
                (s, st)
            }
        };
        let text: &str = match &borrowed {
            Some(b) => b,
            None => &text,
        };
        let a = analyze(text);
        let mut style = style;
        if key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain || (text.is_empty() && key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_ok {
            style = Style::Double;
        }
        if matches!(style, Style::Literal | Style::Folded) && (!a.block_ok || key) {
            style = Style::Double;
        }
        let cont = indent + 2;
        match style {
            Style::Plain => {
                if text.is_empty() {
                    return;
                }
                self.pad();
                self.folded_words(text, cont, false);
            }
            Style::Single => {
                self.pad();
                if tag_unless_plain {
                    self.write("! ");
                }
                self.write("'");
                self.single(text, cont);
                self.write("'");
            }
            Style::Double => {
                self.pad();
                if tag_unless_plain {
                    self.write("! ");
                }
                self.write("\"");
                self.double(text, cont);
                self.write("\"");
            }
            Style::Literal | Style::Folded => {
                self.pad();
                if tag_unless_plain {
                    self.write("! ");
                }
                self.block(text, cont, style == Style::Folded);
            }
        }
        self.whitespace = false;
    }

    /// An object Psych writes as a tagged mapping (an OpenStruct): the tag on the line of
    /// its key, dash or document marker, the fields from the next line at `indent`, or `{}`
    /// after the tag when there are none.
    fn tagged(
        &mut self,
        tag: &str,
        fields: &Value,
        indent: usize,
        to_s: &mut dyn FnMut(&Value) -> String,
    ) {
        self.pad();
        self.write(tag);
        match fields {
            Value::Hash(h) if !h.borrow().is_empty() => {
                self.newline();
                self.mapping(fields, indent, false, to_s);
            }
            _ => {
                self.write(" {}");
                self.newline();
            }
        }
    }

    /// Writes `v`'s anchor or alias, if it has one; whether it was an alias (the node is
    /// then written).
    fn mark(&mut self, v: &Value) -> bool {
        let m = self.marks.mark(v);
        self.write_mark(m)
    }

    fn write_mark(&mut self, m: Mark) -> bool {
        let (sigil, n) = match m {
            Mark::None => return false,
            Mark::Anchor(n) => ('&', n),
            Mark::Alias(n) => ('*', n),
        };
        self.pad();
        self.write(&format!("{sigil}{n}"));
        matches!(m, Mark::Alias(_))
    }

    fn pad(&mut self) {
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
    }
}
