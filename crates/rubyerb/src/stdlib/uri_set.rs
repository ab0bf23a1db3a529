//! URI's component setters (`scheme=`, `host=`, `port=`, `path=`, `userinfo=`, ...): each
//! value checked as Ruby's URI::Generic checks it, with its exception classes and messages,
//! before the URI changes.

use super::super::format;
use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::net::Uri;

/// A URI setter with Ruby's checks (URI::Generic#check_scheme, check_port...) and messages.
pub(super) fn uri_set(it: &Interp, u: &mut Uri, field: &str, v: &Value) -> R<()> {
    let bad = |what: &str, shown: String| {
        it.err(
            "URI::InvalidComponentError",
            format!("bad component(expected {what} component): {shown}"),
        )
    };
    let s = match v {
        Value::Nil => None,
        Value::Int(i) if field == "port" => Some(i.to_string()),
        other => Some(super::super::methods::str_arg(it, other)?),
    };
    let sref = s.as_deref();
    match field {
        "scheme" => {
            if let Some(sc) = sref {
                let mut cs = sc.chars();
                if !cs.next().is_some_and(|c| c.is_ascii_alphabetic())
                    || !cs.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                {
                    return bad("scheme", sc.to_string());
                }
            }
            u.scheme = s.map(|sc| sc.to_ascii_lowercase());
        }
        "port" => {
            if u.opaque.is_some() {
                return it.err(
                    "URI::InvalidURIError",
                    "can not set port with registry or opaque",
                );
            }
            u.port = match (v, sref) {
                (Value::Int(i), _) => Some(*i),
                (_, None) | (_, Some("")) => None,
                (_, Some(p)) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok(),
                (_, Some(p)) => return bad("port", format::str_inspect(p)),
            };
        }
        "host" => {
            if sref.is_some() && u.opaque.is_some() {
                return it.err(
                    "URI::InvalidURIError",
                    "can not set host with registry or opaque",
                );
            }
            if let Some(h) = sref {
                let literal = h.starts_with('[') && h.ends_with(']');
                if !literal
                    && !h
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=".contains(c))
                {
                    return bad("host", h.to_string());
                }
            }
            u.host = s;
        }
        "path" => {
            let p = s.unwrap_or_default();
            if !p.is_empty() && u.opaque.is_some() {
                return it.err("URI::InvalidURIError", "path conflicts with opaque");
            }
            if u.scheme.is_some() && !p.is_empty() && !p.starts_with('/') {
                return bad("absolute path", p);
            }
            u.path = p;
        }
        "userinfo" => u.userinfo = s,
        "user" => {
            let pw = u
                .userinfo
                .as_ref()
                .and_then(|ui| ui.split_once(':').map(|(_, p)| p.to_string()));
            u.userinfo = s.map(|user| match pw {
                Some(pw) => format!("{user}:{pw}"),
                None => user,
            });
        }
        "password" => {
            let Some(user) = u
                .userinfo
                .as_ref()
                .map(|ui| ui.split(':').next().unwrap_or("").to_string())
            else {
                return it.err(
                    "URI::InvalidURIError",
                    "password component depends user component",
                );
            };
            u.userinfo = Some(match s {
                Some(pw) => format!("{user}:{pw}"),
                None => user,
            });
        }
        "query" => u.query = s,
        _ => u.fragment = s,
    }
    Ok(())
}
