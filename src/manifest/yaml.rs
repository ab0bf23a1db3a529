//! YAML in and out. Reading uses serde-saphyr (a maintained pure-Rust YAML parser that reports
//! line and column); writing is a small emitter that reproduces the bytes the `bosh` CLI's
//! yaml.v2 writes for BOSH's fixed file shapes, because teams commit those files and a
//! byte-level diff after switching tools would be noise (spec: release-format Appendix A).

use std::fmt::Write as _;
use std::io::Read;
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
    /// A value that does not fit its field, in yaml.v2's words (the CLI prints them after
    /// `Unmarshalling …:`).
    #[error("yaml: unmarshal errors:\n  line {line}: {message}")]
    Unmarshal {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A file larger than bale reads for its kind: refused before it is parsed.
    #[error("{}: larger than {limit} bytes, the most bale reads of such a file; refused", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    /// A value that parsed but would name a file outside its directory.
    #[error("{}: {entry} {problem}", path.display())]
    Name {
        path: PathBuf,
        /// Where in the file: `jobs[0].name`, `packages[2].dependencies[1]`.
        entry: String,
        problem: crate::name::NameError,
    },
}

/// The most bale reads of a job or package spec, `job.MF` or `stemcell.MF`: real ones are a
/// few kB to a few hundred kB. A file past it is refused by name before it is parsed, so a
/// release cannot make bale hold an arbitrarily large document in memory.
pub const MAX_SPEC_BYTES: u64 = 1 << 20;

/// The most bale reads of `release.MF`, `config/blobs.yml`, `config/final.yml` and the
/// build and release indexes, which grow with the number of jobs, packages, blobs and
/// builds (one entry is ~150 bytes: 16 MiB is ~100,000 entries). Depth, alias and node
/// budgets are serde-saphyr's defaults (64 levels, 50,000 aliases, 250,000 nodes).
pub const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// Reads at most `limit` bytes of UTF-8 text from `r` (the content of `path`, a file or an
/// archive entry); more is [`YamlError::TooLarge`].
pub fn read_capped(r: &mut dyn Read, path: &Path, limit: u64) -> Result<String, YamlError> {
    read_capped_sized(r, 0, path, limit)
}

/// [`read_capped`] into a buffer sized for `expected` bytes (a file's length), so that a
/// spec is read in one or two reads, without the buffer growing under it.
fn read_capped_sized(
    r: &mut dyn Read,
    expected: u64,
    path: &Path,
    limit: u64,
) -> Result<String, YamlError> {
    let io = |source| YamlError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut buf = Vec::with_capacity(expected.min(limit) as usize + 1);
    r.take(limit + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() as u64 > limit {
        return Err(YamlError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    String::from_utf8(buf).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// [`read_capped`] of a file opened at `path`.
pub fn read_open_capped(
    f: &mut std::fs::File,
    path: &Path,
    limit: u64,
) -> Result<String, YamlError> {
    let expected = f.metadata().map(|m| m.len()).unwrap_or(0);
    read_capped_sized(f, expected, path, limit)
}

/// [`read_capped`] of the file at `path`.
pub fn read_file_capped(path: &Path, limit: u64) -> Result<String, YamlError> {
    let mut f = std::fs::File::open(path).map_err(|source| YamlError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_open_capped(&mut f, path, limit)
}

/// Parses `text` (the contents of `path`) into `T`; errors carry the file and line.
pub fn from_str<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str(text).map_err(|e| parse_error(path, &e.to_string()))
}

pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, YamlError> {
    let text = read_file_capped(path, MAX_MANIFEST_BYTES)?;
    from_str(path, &text)
}

/// Like [`read`], but a document with no content (`---` alone, or comments) reads as
/// `T::default()`, as the CLI treats an empty config file.
pub fn read_maybe_empty<T: DeserializeOwned + Default>(path: &Path) -> Result<T, YamlError> {
    let text = read_file_capped(path, MAX_MANIFEST_BYTES)?;
    if is_empty_document(&text) {
        return Ok(T::default());
    }
    from_str(path, &text)
}

/// A document with no content: blank lines, `---` and comments only.
pub fn is_empty_document(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l == "---" || l.starts_with('#')
    })
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

/// yaml.v2's order of string map keys when it marshals a map (Go's `keyList.Less`): rune
/// by rune, letters before other characters, digit runs compared as numbers, so `8c…`
/// comes before `18…`. `config/blobs.yml` is written in this order; build indexes are
/// not (the CLI sorts their keys bytewise itself).
pub fn key_less(x: &str, y: &str) -> bool {
    let ar: Vec<char> = x.chars().collect();
    let br: Vec<char> = y.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// [`key_less`] as an ordering.
pub fn key_cmp(x: &str, y: &str) -> std::cmp::Ordering {
    if key_less(x, y) {
        std::cmp::Ordering::Less
    } else if key_less(y, x) {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
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
    fn oversized_files_are_refused_by_name() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("blobs.yml");
        let mut big = String::from("a:\n  size: 1\n  sha: x\n");
        big.push_str(&"# pad\n".repeat((MAX_MANIFEST_BYTES / 6 + 1) as usize));
        std::fs::write(&p, &big).unwrap();
        let e = read_maybe_empty::<Option<serde_json::Value>>(&p).unwrap_err();
        assert!(matches!(e, YamlError::TooLarge { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("blobs.yml: larger than 16777216 bytes"),
            "{e}"
        );
        let spec = "x".repeat(MAX_SPEC_BYTES as usize + 1);
        let e = read_capped(
            &mut spec.as_bytes(),
            Path::new("jobs/web/job.MF"),
            MAX_SPEC_BYTES,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("jobs/web/job.MF: larger than 1048576"),
            "{e}"
        );
        let ok = "x".repeat(MAX_SPEC_BYTES as usize);
        assert_eq!(
            read_capped(&mut ok.as_bytes(), Path::new("s"), MAX_SPEC_BYTES)
                .unwrap()
                .len(),
            ok.len()
        );
    }

    #[test]
    fn alias_expansion_and_depth_have_budgets() {
        let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            laughs.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(from_str::<serde_json::Value>(Path::new("laughs"), &laughs).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(from_str::<serde_json::Value>(Path::new("deep"), &deep).is_err());
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
