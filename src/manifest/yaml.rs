//! YAML in and out. Reading uses serde-saphyr (a maintained pure-Rust YAML parser that reports
//! line and column); writing is a small emitter that reproduces the bytes the `bosh` CLI's
//! yaml.v2 writes for BOSH's fixed file shapes, because teams commit those files and a
//! byte-level diff after switching tools would be noise (spec: release-format Appendix A).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A YAML file that could not be read or did not have the expected shape.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    #[error("reading '{}': {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A value that parsed but would name a file outside its directory.
    #[error("{}: {entry} {problem}", path.display())]
    Name {
        path: PathBuf,
        /// Where in the file: `jobs[0].name`, `packages[2].dependencies[1]`.
        entry: String,
        problem: crate::name::NameError,
    },
}

/// Parses `text` (the contents of `path`) into `T`; errors carry the file and line.
pub fn from_str<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str(text).map_err(|e| parse_error(path, &e.to_string()))
}

pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, YamlError> {
    let text = std::fs::read_to_string(path).map_err(|source| YamlError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_str(path, &text)
}

/// Like [`read`], but a document with no content (`---` alone, or comments) reads as
/// `T::default()`, as the CLI treats an empty config file.
pub fn read_maybe_empty<T: DeserializeOwned + Default>(path: &Path) -> Result<T, YamlError> {
    let text = std::fs::read_to_string(path).map_err(|source| YamlError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let empty = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l == "---" || l.starts_with('#')
    });
    if empty {
        return Ok(T::default());
    }
    from_str(path, &text)
}

fn parse_error(path: &Path, raw: &str) -> YamlError {
    // serde-saphyr's first line reads "error: line L column C: message", followed by an excerpt.
    let first = raw.lines().next().unwrap_or(raw);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let (line, message) = match first.strip_prefix("line ").and_then(|rest| {
        let (num, tail) = rest.split_once(' ')?;
        let message = tail.split_once(": ").map(|(_, m)| m).unwrap_or(tail);
        Some((num.parse().ok()?, message.to_string()))
    }) {
        Some(v) => v,
        None => (0, first.to_string()),
    };
    YamlError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Formats a string scalar the way yaml.v2 does: plain when it reads back as the same string,
/// double-quoted when the plain form would resolve to another type, single-quoted when YAML
/// syntax characters need escaping.
pub fn scalar(s: &str) -> String {
    if s.is_empty() || resolves_to_non_string(s) {
        return double_quoted(s);
    }
    if needs_quotes(s) {
        if s.chars().any(|c| c.is_control() && c != '\t') {
            return double_quoted(s);
        }
        return format!("'{}'", s.replace('\'', "''"));
    }
    s.to_string()
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// YAML 1.1 implicit typing as yaml.v2 resolves a plain scalar.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
        ".NaN", ".NAN", "<<",
    ];
    WORDS.contains(&s) || is_int(s) || is_float(s) || is_timestamp(s)
}

fn is_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let digits = |t: &str, ok: fn(char) -> bool| {
        !t.is_empty() && t.chars().all(|c| c == '_' || ok(c)) && t.chars().any(|c| c != '_')
    };
    if let Some(b) = body.strip_prefix("0b") {
        return digits(b, |c| c == '0' || c == '1');
    }
    if let Some(x) = body.strip_prefix("0x") {
        return digits(x, |c| c.is_ascii_hexdigit());
    }
    if let Some(o) = body.strip_prefix("0o") {
        return digits(o, |c| ('0'..='7').contains(&c));
    }
    digits(body, |c| c.is_ascii_digit())
}

fn is_float(s: &str) -> bool {
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, and it must fit in an f64.
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()))
                || (!int.is_empty()
                    && int.bytes().all(|b| b.is_ascii_digit() || b == b'_')
                    && frac.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'_'),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        }
    };
    if !(mantissa_ok && exp_ok) {
        return false;
    }
    // A value that overflows (123e456) does not resolve to a float in yaml.v2.
    s.replace('_', "")
        .parse::<f64>()
        .map(f64::is_finite)
        .unwrap_or(false)
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn needs_quotes(s: &str) -> bool {
    let first = s.chars().next().expect("non-empty");
    let second = s.chars().nth(1);
    let blank_after = |c: Option<char>| matches!(c, None | Some(' ' | '\t'));
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return true;
    }
    if matches!(first, '?' | ':' | '-') && blank_after(second) {
        return true;
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.contains('\n') {
        return true;
    }
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == ':' && blank_after(next) {
            return true;
        }
        if c == '#' && i > 0 && matches!(chars[i - 1], ' ' | '\t') {
            return true;
        }
    }
    false
}

/// A map key as yaml.v2 writes it (same rules as values).
pub fn key(s: &str) -> String {
    scalar(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(scalar(input), expected, "input {input:?}");
    }

    #[test]
    fn type_lookalikes_are_double_quoted() {
        for s in [
            "1",
            "1.0",
            "12345678",
            "1e10",
            "0123",
            "0x1f",
            "1_000",
            ".5",
            "0.",
            "+1",
            "9.99",
            "2024-01-01",
            ".inf",
            "true",
            "yes",
            "y",
            "n",
            "on",
            "off",
            "null",
            "~",
        ] {
            check(s, &format!("\"{s}\""));
        }
        check("", "\"\"");
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for s in [
            "0+dev.1",
            "1.2.3",
            "56e603e",
            "123e456",
            "1e5a",
            "NaN",
            "non-git",
            "sha256:abc",
            "x:y",
            "-x",
            "v1",
        ] {
            check(s, s);
        }
    }

    #[test]
    fn syntax_characters_are_single_quoted() {
        for s in [
            " lead", "a: b", "#x", "x #y", "@x", "`x", "[x]", "{x}", "!x", "&x", "*x", "%x", "|x",
            ">x", "\"x",
        ] {
            check(s, &format!("'{}'", s.replace('\'', "''")));
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            files: Vec<String>,
        }
        let err = from_str::<S>(Path::new("x/spec"), "---\nname: a\nfiles:\n  key: v\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x/spec:4: "), "{err}");
    }
}
