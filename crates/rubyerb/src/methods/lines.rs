//! A String's lines, as `lines` and `each_line` split them: a separator, paragraphs and
//! `chomp:`.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::check_argc;

/// `lines` and `each_line` with their arguments: a separator (`"\n"` when not given, nil for
/// the whole text, `""` for paragraphs) and `chomp:`.
pub(super) fn lines_with(it: &mut Interp, s: &str, args: &[Value]) -> R<Vec<String>> {
    let (args, kw) = super::keywords(args);
    let chomp = kw.on("chomp");
    check_argc(it, args, 0, 1)?;
    Ok(match args.first() {
        None => split_lines(s, Some("\n"), chomp),
        Some(Value::Nil) => split_lines(s, None, chomp),
        Some(sep) => split_lines(s, Some(&super::str_arg(it, sep)?), chomp),
    })
}

/// The lines of `s` ending with `sep` (each keeping it unless `chomp`; a `"\n"` takes a
/// `"\r"` before it too); `""` splits paragraphs at two or more newlines, as Ruby 3.4.
fn split_lines(s: &str, sep: Option<&str>, chomp: bool) -> Vec<String> {
    let mut out = Vec::new();
    let Some(sep) = sep else {
        if !s.is_empty() {
            out.push(s.to_string());
        }
        return out;
    };
    let paragraphs = sep.is_empty();
    let sep = if paragraphs { "\n\n" } else { sep };
    let mut start = 0;
    while start < s.len() {
        let Some(i) = s[start..].find(sep).map(|i| i + start) else {
            out.push(s[start..].to_string());
            break;
        };
        let end = i + sep.len();
        let kept = if !chomp {
            end
        } else if sep == "\n" && i > start && s.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(s[start..kept].to_string());
        start = end;
        if paragraphs {
            // the newlines past the two that end a paragraph belong to none
            start += s[start..].len() - s[start..].trim_start_matches('\n').len();
        }
    }
    out
}
