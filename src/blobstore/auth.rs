//! Basic auth with separate read and write principals: a write user may also read.

use base64::Engine as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::str::FromStr for Credentials {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((u, p)) if !u.is_empty() && !p.is_empty() => Ok(Credentials {
                user: u.to_string(),
                password: p.to_string(),
            }),
            _ => Err("expected USER:PASSWORD".into()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Users {
    pub write: Vec<Credentials>,
    pub read: Vec<Credentials>,
    pub anonymous_reads: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

impl Users {
    /// Whether an `Authorization` header value grants `access`.
    pub fn allows(&self, header: Option<&str>, access: Access) -> bool {
        if access == Access::Read && self.anonymous_reads {
            return true;
        }
        let Some(given) = header.and_then(parse_basic) else {
            return false;
        };
        let matches = |list: &[Credentials]| {
            list.iter().any(|c| {
                constant_eq(c.user.as_bytes(), given.user.as_bytes())
                    & constant_eq(c.password.as_bytes(), given.password.as_bytes())
            })
        };
        match access {
            Access::Write => matches(&self.write),
            Access::Read => matches(&self.read) || matches(&self.write),
        }
    }
}

impl Users {
    /// The user an `Authorization` header names and whether it may write; `None` unless the
    /// password matches. Anonymous reads do not apply: this is for the director API, which
    /// always wants a user, as BOSH's director does.
    pub fn who(&self, header: Option<&str>) -> Option<(String, Access)> {
        let given = header.and_then(parse_basic)?;
        let matches = |list: &[Credentials]| {
            list.iter().any(|c| {
                constant_eq(c.user.as_bytes(), given.user.as_bytes())
                    & constant_eq(c.password.as_bytes(), given.password.as_bytes())
            })
        };
        if matches(&self.write) {
            Some((given.user, Access::Write))
        } else if matches(&self.read) {
            Some((given.user, Access::Read))
        } else {
            None
        }
    }
}

/// The user name of a Basic `Authorization` header, unchecked, for the access log.
pub fn claimed_user(header: Option<&str>) -> Option<String> {
    header.and_then(parse_basic).map(|c| c.user)
}

fn parse_basic(h: &str) -> Option<Credentials> {
    let b64 = h
        .strip_prefix("Basic ")
        .or_else(|| h.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (u, p) = text.split_once(':')?;
    Some(Credentials {
        user: u.to_string(),
        password: p.to_string(),
    })
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
