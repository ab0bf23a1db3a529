//! Variable values from the command line, read as the CLI reads its flags: `-v NAME=VALUE`
//! (YAML unless it reads as a plain string, then the raw text less one pair of wrapping
//! quotes), `--var-file NAME=PATH` (the file's text), `-l FILE` (a YAML map) and
//! `--vars-env PREFIX` (`PREFIX_name` variables, YAML values). Errors carry the CLI's texts
//! without the flag prefix, which the caller adds.

use std::path::Path;

use super::load::load;
use super::node::Node;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FlagError(pub String);

pub fn var_kv(data: &str) -> Result<(String, Node), FlagError> {
    let Some((name, value)) = data.split_once('=') else {
        return Err(FlagError(format!(
            "Expected var '{data}' to be in format 'name=value'"
        )));
    };
    if name.is_empty() {
        return Err(FlagError(format!(
            "Expected var '{data}' to specify non-empty name"
        )));
    }
    if value.is_empty() {
        return Err(FlagError(format!(
            "Expected var '{data}' to specify non-empty value"
        )));
    }
    let parsed =
        load(value).map_err(|e| FlagError(format!("Deserializing variables '{data}': {e}")))?;
    Ok(match parsed {
        Node::Str(_) => (name.to_string(), Node::Str(trim_wrapping_quotes(value))),
        other => (name.to_string(), other),
    })
}

fn trim_wrapping_quotes(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() >= 2
        && ((b[0] == b'"' && b[b.len() - 1] == b'"') || (b[0] == b'\'' && b[b.len() - 1] == b'\''))
    {
        return s[1..s.len() - 1].to_string();
    }
    // A single quote character is both first and last: Go slices it to "".
    if b.len() == 1 && (b[0] == b'"' || b[0] == b'\'') {
        return String::new();
    }
    s.to_string()
}

/// `NAME=PATH`: the variable is the file's text. The path is shown absolute, as the CLI
/// expands it.
pub fn var_file(data: &str) -> Result<(String, Node), FlagError> {
    let Some((name, path)) = data.split_once('=') else {
        return Err(FlagError(format!(
            "Expected var '{data}' to be in format 'name=path'"
        )));
    };
    if name.is_empty() {
        return Err(FlagError(format!(
            "Expected var '{data}' to specify non-empty name"
        )));
    }
    if path.is_empty() {
        return Err(FlagError(format!(
            "Expected var '{data}' to specify non-empty path"
        )));
    }
    let abs = absolute(path);
    let text =
        read(&abs).map_err(|e| FlagError(format!("Reading variable from file '{abs}': {e}")))?;
    Ok((name.to_string(), Node::Str(text)))
}

/// `-l FILE`: a map of names to values (a null document is empty).
pub fn vars_file(path: &str) -> Result<Vec<(String, Node)>, FlagError> {
    let text =
        read(path).map_err(|e| FlagError(format!("Reading variables file '{path}': {e}")))?;
    let doc = load(&text)
        .map_err(|e| FlagError(format!("Deserializing variables file '{path}': {e}")))?;
    string_map(doc).map_err(|kind| {
        FlagError(format!(
            "Deserializing variables file '{path}': yaml: unmarshal errors:\n  line 1: cannot unmarshal {kind} into template.StaticVariables"
        ))
    })
}

/// A document that is not a map where Go decodes into a map; the text is what yaml.v2's
/// "cannot unmarshal X into T" says of the value.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotAMap(String);

impl NotAMap {
    pub fn of(doc: &Node) -> NotAMap {
        NotAMap(match doc {
            Node::Seq(_) => "!!seq".into(),
            Node::Str(s) => format!("!!str `{s}`"),
            other => format!("`{}`", other.go_v()),
        })
    }
}

/// A YAML map decoded into Go's `map[string]interface{}`: scalar keys become their text.
pub fn string_map(doc: Node) -> Result<Vec<(String, Node)>, NotAMap> {
    match doc {
        Node::Null => Ok(Vec::new()),
        Node::Map(m) => Ok(m.into_iter().map(|(k, v)| (k.go_string(), v)).collect()),
        other => Err(NotAMap::of(&other)),
    }
}

/// `--vars-env PREFIX`: every `PREFIX_name=value` in `environ`.
pub fn vars_env(
    prefix: &str,
    environ: &[(String, String)],
) -> Result<Vec<(String, Node)>, FlagError> {
    let want = format!("{prefix}_");
    let mut out = Vec::new();
    for (k, v) in environ {
        let Some(name) = k.strip_prefix(&want) else {
            continue;
        };
        let val = load(v).map_err(|e| {
            FlagError(format!(
                "Deserializing YAML from environment variable '{k}': {e}"
            ))
        })?;
        out.push((name.to_string(), val));
    }
    Ok(out)
}

pub fn absolute(path: &str) -> String {
    let p = Path::new(path);
    if p.is_absolute() {
        return path.to_string();
    }
    let expanded = match path.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(h) => Path::new(&h).join(rest),
            None => p.to_path_buf(),
        },
        None => match std::env::current_dir() {
            Ok(cwd) => cwd.join(p),
            Err(_) => p.to_path_buf(),
        },
    };
    clean(&expanded.to_string_lossy())
}

/// Go's `filepath.Clean` for absolute paths: no `.` segments, `..` resolved lexically.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A file named on the command line that could not be read, in the CLI's words.
#[derive(Debug, thiserror::Error)]
#[error("Opening file {path}: open {path}: {}", crate::error::io_text(.source))]
pub struct ReadError {
    path: String,
    source: std::io::Error,
}

/// Reads a file as the CLI's file system does.
pub fn read(path: &str) -> Result<String, ReadError> {
    std::fs::read(path)
        .map_err(|source| ReadError {
            path: path.to_string(),
            source,
        })
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_flags() {
        assert_eq!(var_kv("a=1").unwrap(), ("a".into(), Node::Int(1)));
        assert_eq!(
            var_kv("a='x'").unwrap(),
            ("a".into(), Node::Str("x".into()))
        );
        assert_eq!(
            var_kv("a=x: y").unwrap().1.go_type(),
            "map[interface {}]interface {}"
        );
        assert_eq!(
            var_kv("a=b=c").unwrap(),
            ("a".into(), Node::Str("b=c".into()))
        );
        assert_eq!(
            var_kv("a").unwrap_err().to_string(),
            "Expected var 'a' to be in format 'name=value'"
        );
        let env = vec![
            ("P_x".to_string(), "[1]".to_string()),
            ("Q_y".into(), "2".into()),
        ];
        assert_eq!(
            vars_env("P", &env).unwrap(),
            vec![("x".into(), Node::Seq(vec![Node::Int(1)]))]
        );
    }
}
