//! Flow scalars as libyaml writes them: plain ones folded at spaces past the width, and
//! single- and double-quoted ones with their escapes and line breaks.

use super::Emitter;
use crate::yaml_style::{is_break, printable};

impl Emitter {
    pub(super) fn folded_words(&mut self, text: &str, cont: usize, _quoted: bool) {
        if !text.as_bytes().contains(&b' ') {
            // one word: nothing to fold at, written whole
            self.out.push_str(text);
            self.column += text.chars().count();
            return;
        }
        let mut chars = text.chars().peekable();
        let mut spaces = false;
        while let Some(c) = chars.next() {
            if c == ' ' {
                if !spaces && self.column > self.width && chars.peek() != Some(&' ') {
                    self.whitespace = false;
                    self.indent_to(cont);
                } else {
                    self.out.push(' ');
                    self.column += 1;
                }
                spaces = true;
            } else {
                self.out.push(c);
                self.column += 1;
                spaces = false;
            }
        }
    }

    pub(super) fn single(&mut self, text: &str, cont: usize) {
        if text
            .bytes()
            .all(|b| b.is_ascii() && !matches!(b, b' ' | b'\n' | b'\''))
        {
            // ASCII with nothing to fold, break or double: written whole
            self.out.push_str(text);
            self.column += text.chars().count();
            return;
        }
        let mut chars = text.chars().peekable();
        let (mut spaces, mut breaks) = (false, false);
        let mut first = true;
        while let Some(c) = chars.next() {
            let not_first = !std::mem::replace(&mut first, false);
            if c == ' ' {
                if !spaces
                    && self.column > self.width
                    && not_first
                    && chars.peek().is_some_and(|n| *n != ' ')
                {
                    self.whitespace = false;
                    self.indent_to(cont);
                } else {
                    self.out.push(' ');
                    self.column += 1;
                }
                spaces = true;
            } else if is_break(c) {
                // libyaml doubles a line feed (a single one would fold into a space) and
                // writes any other break as it is
                if !breaks && c == '\n' {
                    self.out.push('\n');
                }
                self.out.push(c);
                self.column = 0;
                breaks = true;
            } else {
                if breaks {
                    self.whitespace = true;
                    self.indent_to(cont);
                }
                if c == '\'' {
                    self.out.push('\'');
                    self.column += 1;
                }
                self.out.push(c);
                self.column += 1;
                spaces = false;
                breaks = false;
            }
        }
        if breaks {
            self.whitespace = true;
            self.indent_to(cont);
        }
    }

    pub(super) fn double(&mut self, text: &str, cont: usize) {
        let mut chars = text.chars().peekable();
        let mut spaces = false;
        let mut first = true;
        while let Some(c) = chars.next() {
            let not_first = !std::mem::replace(&mut first, false);
            let esc: Option<String> = match c {
                '\0' => Some("\\0".into()),
                '\x07' => Some("\\a".into()),
                '\x08' => Some("\\b".into()),
                '\t' => Some("\\t".into()),
                '\n' => Some("\\n".into()),
                '\x0b' => Some("\\v".into()),
                '\x0c' => Some("\\f".into()),
                '\r' => Some("\\r".into()),
                '\x1b' => Some("\\e".into()),
                '"' => Some("\\\"".into()),
                '\\' => Some("\\\\".into()),
                '\u{85}' => Some("\\N".into()),
                '\u{2028}' => Some("\\L".into()),
                '\u{2029}' => Some("\\P".into()),
                c if !printable(c) => Some(if (c as u32) <= 0xff {
                    format!("\\x{:02X}", c as u32)
                } else if (c as u32) <= 0xffff {
                    format!("\\u{:04X}", c as u32)
                } else {
                    format!("\\U{:08X}", c as u32)
                }),
                _ => None,
            };
            if let Some(e) = esc {
                self.write(&e);
                spaces = false;
            } else if c == ' ' {
                if !spaces && self.column > self.width && not_first && chars.peek().is_some() {
                    self.whitespace = false;
                    self.indent_to(cont);
                    if chars.peek() == Some(&' ') {
                        self.write("\\");
                    }
                } else {
                    self.write(" ");
                }
                spaces = true;
            } else {
                self.out.push(c);
                self.column += 1;
                spaces = false;
            }
        }
    }
}
