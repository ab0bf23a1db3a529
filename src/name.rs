//! Names and relative paths that come from release content, configuration or a request:
//! blob keys, template sources and destinations, job, package and license names, stemcell
//! fields. Each is checked once, where it is parsed, and joined to a directory only through
//! [`RelPath::under`] / [`Name::under`], so a value that would climb out of its directory
//! (`../x`, `/etc/x`, `a//b`, a NUL) never reaches a file system call.

use std::borrow::Borrow;
use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with a name or path; shown after the offending value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("is empty")]
    Empty,
    #[error("is absolute (must be relative)")]
    Absolute,
    #[error("has a '..' segment (must stay inside its directory)")]
    Parent,
    #[error("has a '.' segment (write the path without it)")]
    CurDir,
    #[error("has an empty segment ('//' or a trailing '/')")]
    EmptySegment,
    #[error("contains a NUL byte")]
    Nul,
    #[error("contains '/' where a single name is meant")]
    Separator,
}

/// A refused value: which value, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{}' {problem}", value.escape_debug())]
pub struct NameError {
    pub value: String,
    pub problem: Problem,
}

fn check_segment(s: &str) -> Result<(), Problem> {
    match s {
        "" => Err(Problem::EmptySegment),
        "." => Err(Problem::CurDir),
        ".." => Err(Problem::Parent),
        _ if s.contains('\0') => Err(Problem::Nul),
        _ => Ok(()),
    }
}

fn check_path(s: &str) -> Result<(), Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    if s.starts_with('/') {
        return Err(Problem::Absolute);
    }
    if s.contains('\0') {
        return Err(Problem::Nul);
    }
    // `..` anywhere is the reason to refuse, even when an empty segment comes first
    if s.split('/').any(|c| c == "..") {
        return Err(Problem::Parent);
    }
    s.split('/').try_for_each(check_segment)
}

fn check_name(s: &str) -> Result<(), Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    if s.contains('\0') {
        return Err(Problem::Nul);
    }
    if s.contains('/') {
        return Err(Problem::Separator);
    }
    check_segment(s)
}

/// `base/rel` as `Path::join` makes it, in one allocation of the final size (`join` copies
/// `base` and then grows the copy): reading a job joins a path for each of its files. For
/// checked values (through `under`) and bale's own fixed names (`spec`, `monit`) only.
pub(crate) fn joined(base: &Path, rel: impl AsRef<Path>) -> PathBuf {
    let rel = rel.as_ref();
    let mut p = PathBuf::with_capacity(base.as_os_str().len() + 1 + rel.as_os_str().len());
    p.push(base);
    p.push(rel);
    p
}

macro_rules! string_newtype {
    ($t:ident, $check:ident) => {
        impl $t {
            pub fn new(s: impl Into<String>) -> Result<$t, NameError> {
                let s = s.into();
                match $check(&s) {
                    Ok(()) => Ok($t(s)),
                    Err(problem) => Err(NameError { value: s, problem }),
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }

            /// `base/self`: the only way a checked value becomes a file system path.
            pub fn under(&self, base: &Path) -> PathBuf {
                joined(base, &self.0)
            }
        }

        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $t {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, o: &str) -> bool {
                self.0 == o
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, o: &&str) -> bool {
                self.0 == *o
            }
        }

        impl PartialEq<String> for $t {
            fn eq(&self, o: &String) -> bool {
                &self.0 == o
            }
        }

        impl PartialEq<$t> for String {
            fn eq(&self, o: &$t) -> bool {
                *self == o.0
            }
        }

        impl PartialEq<$t> for str {
            fn eq(&self, o: &$t) -> bool {
                self == o.0
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }

        impl TryFrom<String> for $t {
            type Error = NameError;
            fn try_from(s: String) -> Result<$t, NameError> {
                $t::new(s)
            }
        }

        impl std::str::FromStr for $t {
            type Err = NameError;
            fn from_str(s: &str) -> Result<$t, NameError> {
                $t::new(s)
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let s = String::deserialize(d)?;
                $t::new(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A relative path of one or more `/`-separated segments, none empty, `.` or `..`, no NUL:
/// joined to a directory it always names something inside it. Its text is canonical, so
/// two equal paths are equal strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

string_newtype!(RelPath, check_path);

/// One path segment: a job, package, license, release or stemcell name, an object id. Like a
/// [`RelPath`] of exactly one segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

string_newtype!(Name, check_name);

impl RelPath {
    /// A path as the `bosh` CLI reads a job spec's `templates:` keys and values: Go cleans
    /// them (`filepath.Join`), so real releases write `./bin/ctl` or `a//b`. `.` and empty
    /// segments are dropped here the same way, giving the path the CLI archives and
    /// fingerprints (`bin/ctl`, `a/b`); `..`, absolute paths and NUL are still refused, as
    /// is a path that names nothing below its base (`.`, `./`).
    pub fn normalized(s: impl Into<String>) -> Result<RelPath, NameError> {
        let s = s.into();
        // the segments looked at once, as bytes (a `str` split by a char costs a search
        // per segment, and every template entry of every spec loaded comes here)
        let (mut parent, mut unclean) = (false, false);
        for seg in s.as_bytes().split(|&b| b == b'/') {
            match seg {
                b".." => parent = true,
                b"" | b"." => unclean = true,
                _ => {}
            }
        }
        let problem = if s.is_empty() {
            Some(Problem::Empty)
        } else if s.starts_with('/') {
            Some(Problem::Absolute)
        } else if s.as_bytes().contains(&0) {
            Some(Problem::Nul)
        } else if parent {
            Some(Problem::Parent)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(NameError { value: s, problem });
        }
        if !unclean {
            // already its normal form, as nearly every path a release names is
            return Ok(RelPath(s));
        }
        let clean: Vec<&str> = s
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        if clean.is_empty() {
            return Err(NameError {
                value: s,
                problem: Problem::CurDir,
            });
        }
        Ok(RelPath(clean.join("/")))
    }

    /// The segments, first to last.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// Everything but the last segment; `None` for a single segment.
    pub fn parent(&self) -> Option<RelPath> {
        self.0.rsplit_once('/').map(|(p, _)| RelPath(p.to_string()))
    }

    /// The last segment.
    pub fn file_name(&self) -> &str {
        self.0.rsplit_once('/').map_or(&self.0, |(_, n)| n)
    }

    /// `self/more`: both checked, so the result is too.
    pub fn join(&self, more: &RelPath) -> RelPath {
        RelPath(format!("{}/{}", self.0, more.0))
    }
}

impl From<Name> for RelPath {
    fn from(n: Name) -> RelPath {
        RelPath(n.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Component;

    #[test]
    fn relpath_refuses_what_climbs_out() {
        for (s, p) in [
            ("", Problem::Empty),
            ("/abs/x", Problem::Absolute),
            ("../../x", Problem::Parent),
            ("a/../../x", Problem::Parent),
            ("a//b", Problem::EmptySegment),
            ("a/", Problem::EmptySegment),
            ("./a", Problem::CurDir),
            ("a\0b", Problem::Nul),
            ("..", Problem::Parent),
        ] {
            assert_eq!(RelPath::new(s).unwrap_err().problem, p, "{s:?}");
        }
        for s in [
            "a",
            "dir/blob0.bin",
            "a..b",
            "..a/b..",
            "x\\..\\y",
            "ü/ñ",
            ".hidden/x",
        ] {
            assert_eq!(RelPath::new(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn normalized_cleans_what_go_cleans_and_refuses_the_rest() {
        for (s, want) in [
            ("./bin/ctl", "bin/ctl"),
            ("a//b", "a/b"),
            ("a/./b/", "a/b"),
            (".//x", "x"),
            ("plain.erb", "plain.erb"),
            (".hidden/x", ".hidden/x"),
            ("conf/app.yml.erb", "conf/app.yml.erb"),
            ("a..b/..c", "a..b/..c"),
            ("a/", "a"),
        ] {
            assert_eq!(RelPath::normalized(s).unwrap().as_str(), want, "{s:?}");
        }
        for (s, p) in [
            ("", Problem::Empty),
            ("/abs/x", Problem::Absolute),
            ("../x", Problem::Parent),
            ("./a/../../x", Problem::Parent),
            ("a\0b", Problem::Nul),
            (".", Problem::CurDir),
            ("./", Problem::CurDir),
            ("//", Problem::Absolute),
            ("..", Problem::Parent),
            ("a/..", Problem::Parent),
            ("a/../b/./", Problem::Parent),
            ("a\0/../b", Problem::Nul),
        ] {
            assert_eq!(RelPath::normalized(s).unwrap_err().problem, p, "{s:?}");
        }
    }

    #[test]
    fn name_is_one_segment() {
        assert_eq!(Name::new("a/b").unwrap_err().problem, Problem::Separator);
        assert_eq!(Name::new("..").unwrap_err().problem, Problem::Parent);
        assert_eq!(Name::new(".").unwrap_err().problem, Problem::CurDir);
        assert_eq!(Name::new("").unwrap_err().problem, Problem::Empty);
        assert_eq!(Name::new("nginx-1.2").unwrap().as_str(), "nginx-1.2");
        assert_eq!(
            Name::new("../x").unwrap_err().to_string(),
            "'../x' contains '/' where a single name is meant"
        );
    }

    #[test]
    fn relpath_parts() {
        let p = RelPath::new("a/b/c.txt").unwrap();
        assert_eq!(p.parent().unwrap().as_str(), "a/b");
        assert_eq!(p.file_name(), "c.txt");
        assert_eq!(p.segments().collect::<Vec<_>>(), ["a", "b", "c.txt"]);
        assert!(RelPath::new("c").unwrap().parent().is_none());
        assert_eq!(p.under(Path::new("/base")), Path::new("/base/a/b/c.txt"));
    }

    #[test]
    fn deserialize_refuses_with_the_value() {
        let e = serde_json::from_str::<RelPath>("\"../x\"").unwrap_err();
        assert!(e.to_string().contains("'../x' has a '..' segment"), "{e}");
    }

    /// Lexically resolves `p` under `base` (as the kernel would without symlinks): `None`
    /// when it leaves `base`.
    fn resolve(base: &Path, p: &Path) -> Option<PathBuf> {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::RootDir | Component::Prefix(_) => out = PathBuf::from("/"),
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(n) => out.push(n),
            }
        }
        out.starts_with(base).then_some(out)
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just("/".to_string()),
            Just("\\".to_string()),
            Just("\0".to_string()),
            Just("..\\".to_string()),
            Just("é".to_string()),
            Just("日本".to_string()),
            "[a-z.]{1,3}",
            any::<char>().prop_map(|c| c.to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Whatever is accepted stays under its base, is never absolute, and names a path
        /// strictly below it; names add exactly one component.
        #[test]
        fn accepted_paths_never_leave_their_base(parts in proptest::collection::vec(piece(), 0..8)) {
            let s: String = parts.concat();
            let base = Path::new("/srv/base");
            if let Ok(p) = RelPath::new(s.clone()) {
                let joined = p.under(base);
                let resolved = resolve(base, &joined);
                prop_assert!(resolved.is_some(), "{s:?} escaped to {joined:?}");
                prop_assert!(resolved.unwrap() != base, "{s:?} names the base itself");
                prop_assert!(!s.contains('\0'));
                prop_assert_eq!(joined.components().count(), base.components().count() + p.segments().count());
            }
            if let Ok(p) = RelPath::normalized(s.clone()) {
                let joined = p.under(base);
                let resolved = resolve(base, &joined);
                prop_assert!(resolved.is_some(), "{s:?} escaped to {joined:?}");
                prop_assert!(resolved.unwrap() != base, "{s:?} names the base itself");
                let again = RelPath::new(p.as_str());
                prop_assert_eq!(again.as_ref(), Ok(&p));
            }
            if let Ok(n) = Name::new(s.clone()) {
                let joined = n.under(base);
                prop_assert_eq!(joined.parent(), Some(base));
                prop_assert!(RelPath::new(s.clone()).is_ok());
            }
        }
    }
}
