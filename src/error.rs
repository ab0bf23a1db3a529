//! The error type of bale's commands: a message with either one cause or a list of causes,
//! printed as the `bosh` CLI nests them (`msg:` then the cause indented; lists as `- item`), so
//! scripts and people reading either tool's output see the same shape. Format-level modules
//! keep their own typed errors (`thiserror`: `atomic::PathError`, `manifest::YamlError`,
//! `manifest::final_yml::ConfigError`, `version::VersionError`, `digest::DigestError`,
//! `archive::ReadError`, ...); they become leaves here. `cli::output::Ui::finish` is the one
//! place an error is printed.
//!
//! Exit codes: 0 success; 1 any failure of a command (its message nested as below, then
//! `Exit code 1`), a usage error (unknown command or flag), `verify` with an error finding,
//! `render`/`lint-templates` when a template fails; 2 when `render`/`lint-templates` cannot
//! read their release, job or context.

use std::fmt;
use std::io;

#[derive(Debug)]
pub enum Error {
    Leaf(String),
    Context(String, Box<Error>),
    List(String, Vec<Error>),
    /// Several failures with no heading of their own (`- a` / `- b`), as the CLI prints what
    /// its worker pool collected; a caller may still put one in context.
    Multi(Vec<Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A leaf from a message or from any area's typed error (its `Display` is the text).
    pub fn msg(s: impl fmt::Display) -> Error {
        Error::Leaf(s.to_string())
    }

    pub fn context(self, msg: impl Into<String>) -> Error {
        Error::Context(msg.into(), Box::new(self))
    }

    /// An I/O failure phrased like the CLI's (`lstat <path>: no such file or directory`).
    pub fn io(op: &str, path: &std::path::Path, e: &io::Error) -> Error {
        Error::Leaf(format!("{op} {}: {}", path.display(), io_text(e)))
    }
}

/// The OS error text without Rust's "(os error N)" suffix, lowercased like Go's.
pub fn io_text(e: &io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn indent(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Leaf(s) => f.write_str(s),
            Error::Context(m, cause) => {
                write!(f, "{m}:\n{}", indent(&cause.to_string(), "  ", "  "))
            }
            Error::List(m, items) => {
                write!(f, "{m}:")?;
                for it in items {
                    write!(f, "\n{}", indent(&it.to_string(), "  - ", "    "))?;
                }
                Ok(())
            }
            Error::Multi(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    f.write_str(&indent(&it.to_string(), "- ", "  "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

macro_rules! leaf_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::Leaf(e.to_string())
            }
        }
    )*};
}
leaf_from!(
    crate::atomic::PathError,
    crate::manifest::YamlError,
    crate::fingerprint::FingerprintError,
    crate::archive::ReadError,
    crate::digest::DigestError,
    crate::version::VersionError,
    crate::manifest::final_yml::ConfigError,
    crate::deployment::DeployError
);

/// Splits results into values and errors, keeping their order.
pub fn split<T>(results: impl IntoIterator<Item = Result<T>>) -> (Vec<T>, Vec<Error>) {
    let mut oks = Vec::new();
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(v) => oks.push(v),
            Err(e) => errs.push(e),
        }
    }
    (oks, errs)
}

/// Every value, or every error under one heading: work done in parallel reports all its
/// failures at once, as the CLI does.
pub fn collect<T>(results: impl IntoIterator<Item = Result<T>>, heading: &str) -> Result<Vec<T>> {
    let (oks, errs) = split(results);
    if errs.is_empty() {
        Ok(oks)
    } else {
        Err(Error::List(heading.into(), errs))
    }
}

/// Adds a CLI-style context line to any error convertible into [`Error`].
pub trait Context<T> {
    fn context(self, msg: impl Into<String>) -> Result<T>;
    fn with_context<F: FnOnce() -> String>(self, f: F) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, msg: impl Into<String>) -> Result<T> {
        self.map_err(|e| e.into().context(msg))
    }
    fn with_context<F: FnOnce() -> String>(self, f: F) -> Result<T> {
        self.map_err(|e| e.into().context(f()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_like_the_cli() {
        let e = Error::List(
            "Building a release from directory 'r'".into(),
            vec![Error::List(
                "Constructing packages from directory".into(),
                vec![Error::msg("Missing files for pattern 'x'")
                    .context("Collecting package files")
                    .context("Reading package from 'r/packages/app'")],
            )],
        );
        assert_eq!(
            e.to_string(),
            "Building a release from directory 'r':\n  - Constructing packages from directory:\n      - Reading package from 'r/packages/app':\n          Collecting package files:\n            Missing files for pattern 'x'"
        );
    }

    #[test]
    fn io_text_reads_like_go() {
        let e = io::Error::from(io::ErrorKind::NotFound);
        let e = io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(2));
        assert_eq!(io_text(&e), "no such file or directory");
    }
}
