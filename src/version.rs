//! Release versions: `RELEASE[-PRE_RELEASE][+POST_RELEASE]`, compared and incremented as the
//! `bosh` CLI does (go-semi-semantic; spec: release-format §7).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Int(u64),
    Str(String),
}

impl Part {
    fn is_zero(&self) -> bool {
        matches!(self, Part::Int(0))
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Int(n) => write!(f, "{n}"),
            Part::Str(s) => f.write_str(s),
        }
    }
}

fn cmp_part(a: &Part, b: &Part) -> Ordering {
    match (a, b) {
        (Part::Int(x), Part::Int(y)) => x.cmp(y),
        (Part::Int(_), Part::Str(_)) => Ordering::Less,
        (Part::Str(_), Part::Int(_)) => Ordering::Greater,
        (Part::Str(x), Part::Str(y)) => x.cmp(y),
    }
}

/// Why a version string is refused or cannot be followed by a next one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("Parsing version '{version}': {why}")]
    Parse {
        version: String,
        #[source]
        why: SegmentError,
    },
    #[error("cannot increment '{0}': its last component is not a number")]
    NotIncrementable(String),
}

/// What is wrong with one part of a version (the release part, or what follows `-` or `+`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("empty segment")]
    Empty,
    #[error("invalid component '{0}'")]
    Component(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Segment(Vec<Part>);

impl Segment {
    fn parse(s: &str, allow_dash: bool) -> Result<Segment, SegmentError> {
        if s.is_empty() {
            return Err(SegmentError::Empty);
        }
        let mut parts = Vec::new();
        for c in s.split('.') {
            let ok_char =
                |ch: char| ch.is_ascii_alphanumeric() || ch == '_' || (allow_dash && ch == '-');
            if c.is_empty() || !c.chars().all(ok_char) {
                return Err(SegmentError::Component(c.to_string()));
            }
            let is_int = c.bytes().all(|b| b.is_ascii_digit()) && (c == "0" || !c.starts_with('0'));
            parts.push(match (is_int, c.parse::<u64>()) {
                (true, Ok(n)) => Part::Int(n),
                _ => Part::Str(c.to_string()),
            });
        }
        Ok(Segment(parts))
    }

    fn cmp(&self, other: &Segment) -> Ordering {
        let n = self.0.len().max(other.0.len());
        for i in 0..n {
            let ord = match (self.0.get(i), other.0.get(i)) {
                (Some(a), Some(b)) => cmp_part(a, b),
                (Some(a), None) if a.is_zero() => Ordering::Equal,
                (Some(_), None) => Ordering::Greater,
                (None, Some(b)) if b.is_zero() => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    fn incremented(&self) -> Result<Segment, VersionError> {
        let mut parts = self.0.clone();
        match parts.last_mut() {
            Some(Part::Int(n)) => *n += 1,
            _ => return Err(VersionError::NotIncrementable(self.to_string())),
        }
        Ok(Segment(parts))
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s: Vec<String> = self.0.iter().map(|p| p.to_string()).collect();
        f.write_str(&s.join("."))
    }
}

/// A parsed release version; `Display` gives its canonical text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    release: Segment,
    pre: Option<Segment>,
    post: Option<Segment>,
}

impl FromStr for Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: SegmentError| VersionError::Parse {
            version: s.to_string(),
            why,
        };
        let (head, post) = match s.split_once('+') {
            Some((h, p)) => (h, Some(Segment::parse(p, true).map_err(bad)?)),
            None => (s, None),
        };
        let (rel, pre) = match head.split_once('-') {
            Some((r, p)) => (r, Some(Segment::parse(p, true).map_err(bad)?)),
            None => (head, None),
        };
        Ok(Version {
            release: Segment::parse(rel, false).map_err(bad)?,
            pre,
            post,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.release)?;
        if let Some(p) = &self.pre {
            write!(f, "-{p}")?;
        }
        if let Some(p) = &self.post {
            write!(f, "+{p}")?;
        }
        Ok(())
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.release
            .cmp(&other.release)
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => a.cmp(b),
            })
            .then_with(|| match (&self.post, &other.post) {
                (None, None) => Ordering::Equal,
                (Some(_), None) => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Version {
    /// The next final version after `latest` (or `1` when there is none).
    pub fn next_final(latest: Option<&Version>) -> Result<Version, VersionError> {
        match latest {
            None => Ok("1".parse().expect("valid")),
            Some(v) => Ok(Version {
                release: v.release.incremented()?,
                pre: None,
                post: None,
            }),
        }
    }

    /// The next dev version after `latest` (or `0+dev.1` when there is none).
    pub fn next_dev(latest: Option<&Version>) -> Result<Version, VersionError> {
        let base = latest
            .cloned()
            .unwrap_or_else(|| "0".parse().expect("valid"));
        let post = match &base.post {
            None => Segment(vec![Part::Str("dev".into()), Part::Int(1)]),
            Some(p) => p.incremented()?,
        };
        Ok(Version {
            post: Some(post),
            ..base
        })
    }

    /// This version with its post-release replaced by `dev.<timestamp>`.
    pub fn with_dev_timestamp(&self, unix_seconds: u64) -> Version {
        Version {
            post: Some(Segment(vec![
                Part::Str("dev".into()),
                Part::Int(unix_seconds),
            ])),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn next_versions_follow_the_cli() {
        assert_eq!(Version::next_dev(None).unwrap().to_string(), "0+dev.1");
        assert_eq!(
            Version::next_dev(Some(&v("0+dev.1"))).unwrap().to_string(),
            "0+dev.2"
        );
        assert_eq!(
            Version::next_dev(Some(&v("1"))).unwrap().to_string(),
            "1+dev.1"
        );
        assert_eq!(
            Version::next_dev(Some(&v("2.0.0-rc.1+dev.7")))
                .unwrap()
                .to_string(),
            "2.0.0-rc.1+dev.8"
        );
        assert_eq!(Version::next_final(None).unwrap().to_string(), "1");
        assert_eq!(
            Version::next_final(Some(&v("1.5"))).unwrap().to_string(),
            "1.6"
        );
        assert_eq!(
            Version::next_final(Some(&v("2.0.0-rc.1+dev.7")))
                .unwrap()
                .to_string(),
            "2.0.1"
        );
        assert_eq!(
            v("1").with_dev_timestamp(1795313177).to_string(),
            "1+dev.1795313177"
        );
    }

    #[test]
    fn ordering() {
        assert!(v("1.0") == v("1.0"));
        assert_eq!(v("1.0").cmp(&v("1")), Ordering::Equal);
        assert!(v("1-rc.1") < v("1"));
        assert!(v("1+dev.1") > v("1"));
        assert!(v("0+dev.10") > v("0+dev.9"));
        assert!(v("1+dev.1795313738") > v("1+dev.1"));
        assert!(v("2.0.0-rc.1+dev.8") > v("1+dev.999"));
        assert!(v("1.a") > v("1.9"));
        assert!("1..2".parse::<Version>().is_err());
    }
}
