//! The shape of the `bosh` CLI's errors: a message wrapping a cause (`msg: cause` when
//! flattened, `msg:` and the cause indented on the next line when printed), and lists of
//! sibling errors (`- item`). Interpolation errors keep that tree so bale prints what the
//! CLI prints, byte for byte.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Leaf(String),
    Wrap(String, Box<Failure>),
    Multi(Vec<Failure>),
}

impl Failure {
    pub fn leaf(s: impl Into<String>) -> Failure {
        Failure::Leaf(s.into())
    }

    pub fn wrap(self, msg: impl Into<String>) -> Failure {
        Failure::Wrap(msg.into(), Box::new(self))
    }

    /// The CLI's printed form (`ui/fmt.MultilineError`).
    pub fn multiline(&self) -> String {
        self.prefixed("", "")
    }

    fn prefixed(&self, prefix: &str, bullet: &str) -> String {
        let curr = format!("{prefix}{bullet}");
        let prefix = format!("{prefix}{}", " ".repeat(bullet.len()));
        match self {
            Failure::Wrap(msg, cause) => {
                format!(
                    "{curr}{msg}:\n{}",
                    cause.prefixed(&format!("{prefix}  "), "")
                )
            }
            Failure::Multi(items) => items
                .iter()
                .map(|i| i.prefixed(&prefix, "- "))
                .collect::<Vec<_>>()
                .join("\n"),
            Failure::Leaf(s) => format!("{curr}{s}"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Leaf(s) => f.write_str(s),
            Failure::Wrap(m, c) => write!(f, "{m}: {c}"),
            Failure::Multi(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{it}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Failure {}

/// What Go's `fmt.Sprintf(msg)` with no arguments makes of a message: the CLI passes error
/// texts as a format string, so `%%` becomes `%` and other verbs `%!v(MISSING)`.
pub fn go_sprintf_no_args(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // flags, width and precision, then the verb
        let mut spec = String::new();
        while let Some(&n) = chars.peek() {
            if "+-# 0123456789.".contains(n) {
                spec.push(n);
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            None => out.push_str("%!(NOVERB)"),
            Some('%') if spec.is_empty() => out.push('%'),
            Some(v) => {
                out.push_str("%!");
                out.push(v);
                out.push_str("(MISSING)");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_the_cli() {
        let e = Failure::Multi(vec![Failure::Multi(vec![
            Failure::leaf("x"),
            Failure::leaf("y"),
        ])
        .wrap("Expected to find variables")]);
        assert_eq!(
            e.multiline(),
            "- Expected to find variables:\n    - x\n    - y"
        );
        let w = Failure::leaf("inner").wrap("outer");
        assert_eq!(w.multiline(), "outer:\n  inner");
        assert_eq!(w.to_string(), "outer: inner");
        assert_eq!(go_sprintf_no_args("100% sure %%"), "100%!s(MISSING)ure %");
    }
}
