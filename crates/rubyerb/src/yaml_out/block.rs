//! Block scalars as libyaml writes them: literal (`|`), each line as it is, and folded
//! (`>`), long lines broken at a space past the width, which Psych asks for when a template
//! gives `line_width:` and a string is longer.

use super::Emitter;

impl Emitter {
    /// A literal or folded block scalar after its key or dash: the indicator with its hints
    /// (an indentation hint for text that starts with a space or newline; `-`, nothing or
    /// `+` for no, one or more final newlines), then the lines at `cont`. The final newline
    /// is left to the caller, which ends every value with one.
    pub(super) fn block(&mut self, text: &str, cont: usize, folded: bool) {
        let trailing = text.len() - text.trim_end_matches('\n').len();
        let chomp = match trailing {
            0 => "-",
            1 => "",
            _ => "+",
        };
        let hint = if text.starts_with(' ') || text.starts_with('\n') {
            "2"
        } else {
            ""
        };
        let indicator = if folded { '>' } else { '|' };
        self.write(&format!("{indicator}{hint}{chomp}"));
        if chomp == "+" && self.root {
            self.open_ended = true;
        }
        let body = if trailing > 0 {
            &text[..text.len() - 1]
        } else {
            text
        };
        if folded {
            self.folded(body, cont);
            return;
        }
        for line in body.split('\n') {
            self.newline();
            if !line.is_empty() {
                self.pad_to(cont);
                self.out.push_str(line);
                self.column += line.chars().count();
            }
        }
    }

    /// libyaml's folded body: a line break between two lines of text is written twice (a
    /// single one would read back as a space), unless the next line starts with a blank;
    /// a space past the width, not followed by another, becomes a line break.
    fn folded(&mut self, body: &str, cont: usize) {
        self.newline();
        let mut breaks = true;
        let mut leading_spaces = true;
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\n' {
                if !breaks && !leading_spaces {
                    let rest = chars.clone().find(|c| *c != '\n');
                    if !matches!(rest, None | Some(' ' | '\t')) {
                        self.newline();
                    }
                }
                self.newline();
                breaks = true;
                continue;
            }
            if breaks {
                self.pad_to(cont);
                leading_spaces = c == ' ' || c == '\t';
            }
            if !breaks && c == ' ' && chars.peek() != Some(&' ') && self.column > self.width {
                self.newline();
                self.pad_to(cont);
            } else {
                self.out.push(c);
                self.column += 1;
            }
            breaks = false;
        }
    }

    /// Spaces from the start of a line to `cont`.
    fn pad_to(&mut self, cont: usize) {
        for _ in 0..cont {
            self.out.push(' ');
        }
        self.column = cont;
    }
}
