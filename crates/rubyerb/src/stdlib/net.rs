//! IPAddr and URI: parsing, printing and the methods templates call on them.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::methods::{arg, int_arg};
use super::super::value::{ObjKind, Object, Value};
use super::uri_set::uri_set;

// ---------------------------------------------------------------- IPAddr

#[derive(Clone, PartialEq, Debug)]
pub struct IpAddr {
    pub v6: bool,
    pub addr: u128,
    pub prefix: u32,
}

/// An address `IPAddr.new` refuses (`IPAddr::InvalidAddressError`'s messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddrError {
    /// Ruby's IPAddr names no address in this message, whatever it was given.
    #[error("invalid address: ")]
    Address,
    /// A prefix length or netmask that does not fit the address
    /// (`IPAddr::InvalidPrefixError`), the message whole.
    #[error("{0}")]
    Prefix(String),
}

impl AddrError {
    /// The Ruby class raised for it.
    pub fn class(&self) -> &'static str {
        match self {
            AddrError::Address => "IPAddr::InvalidAddressError",
            AddrError::Prefix(_) => "IPAddr::InvalidPrefixError",
        }
    }
}

/// A string `URI.parse` refuses (`URI::InvalidURIError`'s message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad URI (is not URI?): {}", format::str_inspect(.0))]
pub struct BadUri(pub String);

/// The prefix length `p` (after `/`, or `mask`'s string) gives: a decimal length without
/// leading zeros, or for IPv4 a netmask whose ones are contiguous, as Ruby's IPAddr reads it
/// (its messages as in Ruby 3.4).
fn prefix_len(v6: bool, p: &str) -> Result<u32, AddrError> {
    let bits = width(v6);
    if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
        if p.len() > 1 && p.starts_with('0') {
            return Err(AddrError::Prefix("leading zeros in prefix".into()));
        }
        return match p.parse::<u32>() {
            Ok(n) if n <= bits => Ok(n),
            _ => Err(AddrError::Prefix("invalid length".into())),
        };
    }
    let Ok(m) = p.parse::<std::net::Ipv4Addr>() else {
        return Err(AddrError::Address);
    };
    if v6 {
        return Err(AddrError::Prefix("address family is not same".into()));
    }
    let m = u32::from(m);
    if m.leading_ones() + m.trailing_zeros() != 32 {
        return Err(AddrError::Prefix(format!("invalid mask {p}")));
    }
    Ok(m.leading_ones())
}

/// An address's width in bits: 128 for IPv6, 32 for IPv4.
fn width(v6: bool) -> u32 {
    if v6 {
        128
    } else {
        32
    }
}

impl IpAddr {
    fn bits(&self) -> u32 {
        width(self.v6)
    }
    /// Every bit of the address's width set.
    fn ones(&self) -> u128 {
        if self.v6 {
            u128::MAX
        } else {
            u32::MAX as u128
        }
    }
    fn mask(&self) -> u128 {
        if self.prefix == 0 {
            0
        } else {
            let all = self.ones();
            all & !((1u128 << (self.bits() - self.prefix)) - 1).min(all)
        }
    }
    pub fn parse(s: &str) -> Result<IpAddr, AddrError> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let (v6, value) = if let Ok(v4) = addr.parse::<std::net::Ipv4Addr>() {
            (false, u32::from(v4) as u128)
        } else if let Ok(v6) = addr.trim_matches(['[', ']']).parse::<std::net::Ipv6Addr>() {
            (true, u128::from(v6))
        } else {
            return Err(AddrError::Address);
        };
        let prefix = match prefix {
            None => width(v6),
            Some(p) => prefix_len(v6, p)?,
        };
        let mut ip = IpAddr {
            v6,
            addr: value,
            prefix,
        };
        ip.addr &= ip.mask();
        Ok(ip)
    }
    pub fn to_s(&self) -> String {
        if self.v6 {
            std::net::Ipv6Addr::from(self.addr).to_string()
        } else {
            std::net::Ipv4Addr::from(self.addr as u32).to_string()
        }
    }
    fn to_string_full(&self) -> String {
        if self.v6 {
            let segs = std::net::Ipv6Addr::from(self.addr).segments();
            segs.iter()
                .map(|s| format!("{s:04x}"))
                .collect::<Vec<_>>()
                .join(":")
        } else {
            self.to_s()
        }
    }
    fn mask_s(&self) -> String {
        IpAddr {
            v6: self.v6,
            addr: self.mask(),
            prefix: self.bits(),
        }
        .to_s()
    }
    /// As Ruby's `IPAddr#inspect`: an IPv6 address and its mask written out in full.
    pub fn inspect(&self) -> String {
        let mask = IpAddr {
            v6: self.v6,
            addr: self.mask(),
            prefix: self.bits(),
        };
        format!(
            "{}:{}/{}",
            if self.v6 { "IPv6" } else { "IPv4" },
            self.to_string_full(),
            mask.to_string_full()
        )
    }
    fn last(&self) -> IpAddr {
        let host = !self.mask() & self.ones();
        IpAddr {
            v6: self.v6,
            addr: self.addr | host,
            prefix: self.bits(),
        }
    }
    fn contains(&self, o: &IpAddr) -> bool {
        self.v6 == o.v6 && (o.addr & self.mask()) == self.addr
    }
}

pub(super) fn ip_value(it: &Interp, ip: IpAddr) -> Value {
    Value::Object(Rc::new(Object {
        class: it.classes.get("IPAddr").unwrap(),
        ivars: RefCell::new(IndexMap::new()),
        kind: ObjKind::IpAddr(ip),
    }))
}

fn ip_of(it: &Interp, v: &Value) -> R<IpAddr> {
    match v {
        Value::Object(o) => match &o.kind {
            ObjKind::IpAddr(ip) => Ok(ip.clone()),
            _ => it.err("IPAddr::InvalidAddressError", "invalid address"),
        },
        Value::Str(s) => IpAddr::parse(&s.borrow()).or_else(|e| it.err(e.class(), e.to_string())),
        Value::Int(i) => Ok(IpAddr {
            v6: false,
            addr: *i as u128,
            prefix: 32,
        }),
        _ => it.err(
            "IPAddr::AddressFamilyError",
            "address family must be specified",
        ),
    }
}

// ---------------------------------------------------------------- URI

#[derive(Clone, Debug, Default)]
pub struct Uri {
    pub scheme: Option<String>,
    pub userinfo: Option<String>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
    pub opaque: Option<String>,
    /// The port `to_s` leaves out: its class's (URI::HTTP's 80), which `scheme=` keeps.
    pub default_port: Option<i64>,
}

impl Uri {
    pub fn parse(s: &str) -> Result<Uri, BadUri> {
        if s.chars().any(|c| c == ' ' || c.is_control()) {
            return Err(BadUri(s.into()));
        }
        let mut u = Uri::default();
        let mut rest = s;
        if let Some(i) = rest.find('#') {
            u.fragment = Some(rest[i + 1..].to_string());
            rest = &rest[..i];
        }
        if let Some(i) = rest.find(':') {
            let sch = &rest[..i];
            if !sch.is_empty()
                && sch.chars().next().unwrap().is_ascii_alphabetic()
                && sch
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                u.scheme = Some(sch.to_string());
                rest = &rest[i + 1..];
            }
        }
        if let Some(i) = rest.find('?') {
            u.query = Some(rest[i + 1..].to_string());
            rest = &rest[..i];
        }
        if let Some(auth_rest) = rest.strip_prefix("//") {
            let end = auth_rest.find('/').unwrap_or(auth_rest.len());
            let auth = &auth_rest[..end];
            u.path = auth_rest[end..].to_string();
            let hostport = match auth.rfind('@') {
                Some(i) => {
                    u.userinfo = Some(auth[..i].to_string());
                    &auth[i + 1..]
                }
                None => auth,
            };
            let (host, port) = if hostport.starts_with('[') {
                match hostport.find(']') {
                    Some(i) => (&hostport[..=i], hostport[i + 1..].strip_prefix(':')),
                    None => return Err(BadUri(s.into())),
                }
            } else {
                match hostport.rfind(':') {
                    Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
                    None => (hostport, None),
                }
            };
            u.host = Some(host.to_string());
            u.port = match port {
                Some(p) if !p.is_empty() => Some(p.parse().map_err(|_| BadUri(s.into()))?),
                _ => default_port(u.scheme.as_deref()),
            };
        } else if u.scheme.is_some() && !rest.starts_with('/') {
            u.opaque = Some(rest.to_string());
        } else {
            u.path = rest.to_string();
        }
        u.default_port = default_port(u.scheme.as_deref().map(str::to_ascii_lowercase).as_deref());
        Ok(u)
    }
    pub fn to_s(&self) -> String {
        let mut s = String::new();
        if let Some(sc) = &self.scheme {
            s.push_str(sc);
            s.push(':');
        }
        if let Some(o) = &self.opaque {
            s.push_str(o);
        }
        if let Some(h) = &self.host {
            s.push_str("//");
            if let Some(ui) = &self.userinfo {
                s.push_str(ui);
                s.push('@');
            }
            s.push_str(h);
            if let Some(p) = self.port {
                if Some(p) != self.default_port {
                    s.push_str(&format!(":{p}"));
                }
            }
        }
        s.push_str(&self.path);
        if let Some(q) = &self.query {
            s.push('?');
            s.push_str(q);
        }
        if let Some(fr) = &self.fragment {
            s.push('#');
            s.push_str(fr);
        }
        s
    }
}

fn default_port(scheme: Option<&str>) -> Option<i64> {
    match scheme {
        Some("http") | Some("ws") => Some(80),
        Some("https") | Some("wss") => Some(443),
        Some("ftp") => Some(21),
        Some("ldap") => Some(389),
        Some("ldaps") => Some(636),
        _ => None,
    }
}

/// Methods of IPAddr and URI objects.
pub fn object_call(it: &mut Interp, recv: &Value, name: &str, args: &[Value]) -> R<Option<Value>> {
    let Value::Object(o) = recv else {
        return Ok(None);
    };
    match &o.kind {
        ObjKind::IpAddr(ip) => {
            let v = match name {
                "to_s" => Value::str(ip.to_s()),
                "to_string" => Value::str(ip.to_string_full()),
                "inspect" => Value::str(format!("#<IPAddr: {}>", ip.inspect())),
                "include?" | "===" | "contains?" => {
                    let other = ip_of(it, &arg(args, 0))?;
                    Value::Bool(ip.contains(&other))
                }
                "to_range" => {
                    let first = IpAddr {
                        prefix: ip.bits(),
                        ..ip.clone()
                    };
                    Value::Range(Rc::new(crate::value::RRange(
                        ip_value(it, first),
                        ip_value(it, ip.last()),
                        false,
                    )))
                }
                "ipv4?" => Value::Bool(!ip.v6),
                "ipv6?" => Value::Bool(ip.v6),
                "prefix" => Value::Int(ip.prefix as i64),
                "netmask" => Value::str(ip.mask_s()),
                "to_i" => Value::Int(ip.addr as i64),
                "family" => Value::Int(if ip.v6 { 10 } else { 2 }),
                "succ" => ip_value(
                    it,
                    IpAddr {
                        addr: ip.addr + 1,
                        ..ip.clone()
                    },
                ),
                "mask" => {
                    let n = match arg(args, 0) {
                        Value::Str(p) => prefix_len(ip.v6, &p.borrow())
                            .or_else(|e| it.err(e.class(), e.to_string()))?,
                        other => match u32::try_from(int_arg(it, &other)?) {
                            Ok(n) if n <= ip.bits() => n,
                            _ => return it.err("IPAddr::InvalidPrefixError", "invalid length"),
                        },
                    };
                    let mut m = IpAddr {
                        prefix: n,
                        ..ip.clone()
                    };
                    m.addr &= m.mask();
                    ip_value(it, m)
                }
                "|" | "&" => {
                    let n = match arg(args, 0) {
                        Value::Int(i) => i as u128,
                        other => ip_of(it, &other)?.addr,
                    };
                    let addr = match name {
                        "|" => ip.addr | n,
                        _ => ip.addr & n,
                    };
                    ip_value(it, IpAddr { addr, ..ip.clone() })
                }
                // within the address's width, as Ruby's IPAddr keeps them
                "<<" | ">>" | "~" => {
                    let ones = ip.ones();
                    let addr = match name {
                        "~" => !ip.addr & ones,
                        _ => {
                            // a negative count shifts the other way, as Integer's shifts do
                            let n = int_arg(it, &arg(args, 0))?;
                            let by = u32::try_from(n.unsigned_abs()).unwrap_or(u32::MAX);
                            let shifted = if (name == "<<") == (n >= 0) {
                                ip.addr.checked_shl(by).unwrap_or(0)
                            } else {
                                ip.addr.checked_shr(by).unwrap_or(0)
                            };
                            shifted & ones
                        }
                    };
                    ip_value(it, IpAddr { addr, ..ip.clone() })
                }
                // `==` compares the addresses; `eql?` (and a hash key) the netmasks too
                "==" => Value::Bool(
                    ip_of(it, &arg(args, 0)).is_ok_and(|o| o.addr == ip.addr && o.v6 == ip.v6),
                ),
                "eql?" => Value::Bool(matches!(
                    arg(args, 0),
                    Value::Object(ref o) if matches!(&o.kind, ObjKind::IpAddr(b) if b == ip)
                )),
                "<=>" => match ip_of(it, &arg(args, 0)) {
                    Ok(o) => Value::Int(ip.addr.cmp(&o.addr) as i64),
                    Err(_) => Value::Nil,
                },
                "private?" => Value::Bool(
                    !ip.v6 && {
                        let a = ip.addr as u32;
                        a >> 24 == 10 || a >> 20 == 0xac1 || a >> 16 == 0xc0a8
                    },
                ),
                "loopback?" => Value::Bool(if ip.v6 {
                    ip.addr == 1
                } else {
                    (ip.addr as u32) >> 24 == 127
                }),
                "hton" => Value::binary_result(if ip.v6 {
                    ip.addr.to_be_bytes().to_vec()
                } else {
                    (ip.addr as u32).to_be_bytes().to_vec()
                }),
                "reverse" => Value::str(if ip.v6 {
                    let h = format!("{:032x}", ip.addr);
                    h.chars()
                        .rev()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(".")
                        + ".ip6.arpa"
                } else {
                    let o = (ip.addr as u32).to_be_bytes();
                    format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
                }),
                _ => return Ok(None),
            };
            Ok(Some(v))
        }
        ObjKind::Uri(cell) => {
            if matches!(
                name,
                "scheme="
                    | "host="
                    | "port="
                    | "path="
                    | "userinfo="
                    | "user="
                    | "password="
                    | "query="
                    | "fragment="
            ) {
                let v = arg(args, 0);
                uri_set(it, &mut cell.borrow_mut(), &name[..name.len() - 1], &v)?;
                return Ok(Some(v));
            }
            let u = &*cell.borrow();
            let opt = |s: &Option<String>| s.clone().map(Value::str).unwrap_or(Value::Nil);
            let v = match name {
                "scheme" => opt(&u.scheme),
                "host" => opt(&u.host),
                "hostname" => opt(&u
                    .host
                    .clone()
                    .map(|h| h.trim_matches(['[', ']']).to_string())),
                "port" => u.port.map(Value::Int).unwrap_or(Value::Nil),
                "path" => Value::str(u.path.clone()),
                "query" => opt(&u.query),
                "fragment" => opt(&u.fragment),
                "opaque" => opt(&u.opaque),
                "userinfo" => opt(&u.userinfo),
                "user" => opt(&u
                    .userinfo
                    .as_ref()
                    .map(|ui| ui.split(':').next().unwrap_or("").to_string())),
                "password" => opt(&u
                    .userinfo
                    .as_ref()
                    .and_then(|ui| ui.split_once(':').map(|(_, p)| p.to_string()))),
                "to_s" | "to_str" => Value::str(u.to_s()),
                "inspect" => Value::str(format!("#<{} {}>", o.class.name, u.to_s())),
                "request_uri" => Value::str(format!(
                    "{}{}",
                    if u.path.is_empty() { "/" } else { &u.path },
                    u.query
                        .as_ref()
                        .map(|q| format!("?{q}"))
                        .unwrap_or_default()
                )),
                "absolute?" => Value::Bool(u.scheme.is_some()),
                _ => return Ok(None),
            };
            Ok(Some(v))
        }
        _ => Ok(None),
    }
}

impl Uri {
    /// The class URI.parse gives a URI of this scheme (Ruby's registered schemes).
    pub fn class_name(&self) -> &'static str {
        match self
            .scheme
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("http") => "URI::HTTP",
            Some("https") => "URI::HTTPS",
            Some("ftp") => "URI::FTP",
            Some("file") => "URI::File",
            Some("ldap") => "URI::LDAP",
            Some("ldaps") => "URI::LDAPS",
            Some("mailto") => "URI::MailTo",
            Some("ws") => "URI::WS",
            Some("wss") => "URI::WSS",
            _ => "URI::Generic",
        }
    }
}

#[cfg(test)]
#[path = "net_tests.rs"]
mod tests;
