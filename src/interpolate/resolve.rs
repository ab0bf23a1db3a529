//! yaml.v2's implicit typing of plain scalars (YAML 1.1 booleans such as `yes`/`off`, Go's
//! integer syntaxes with `0x`/`0o`/`0b`/leading-zero octal and `_`, floats, and timestamps,
//! which decode to strings but must be quoted on output).

use super::node::Node;

/// What a plain scalar resolves to.
pub enum Resolved {
    Value(Node),
    /// A timestamp: decoded into `interface{}` it stays the original string.
    Timestamp,
    Merge,
}

pub fn resolve_plain(s: &str) -> Resolved {
    let first = match s.bytes().next() {
        None => return Resolved::Value(Node::Null),
        Some(b) => b,
    };
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Value(Node::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Value(Node::Bool(false))
        }
        "~" | "null" | "Null" | "NULL" => return Resolved::Value(Node::Null),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Value(Node::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Value(Node::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Value(Node::Float(f64::NEG_INFINITY)),
        "<<" => return Resolved::Merge,
        _ => {}
    }
    let str_value = || Resolved::Value(Node::Str(s.to_string()));
    match first {
        b'.' => match go_parse_float(s) {
            Some(f) => Resolved::Value(Node::Float(f)),
            None => str_value(),
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain = s.replace('_', "");
            if let Some(i) = go_parse_int(&plain) {
                return Resolved::Value(Node::Int(i));
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Resolved::Value(Node::Uint(u));
            }
            if yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return Resolved::Value(Node::Float(f));
                }
            }
            if let Some(b) = plain.strip_prefix("0b") {
                if let Ok(i) = i64::from_str_radix(b, 2) {
                    return Resolved::Value(Node::Int(i));
                }
                if let Ok(u) = u64::from_str_radix(b, 2) {
                    return Resolved::Value(Node::Uint(u));
                }
            } else if let Some(b) = plain.strip_prefix("-0b") {
                if let Ok(i) = i64::from_str_radix(&format!("-{b}"), 2) {
                    return Resolved::Value(Node::Int(i));
                }
            }
            str_value()
        }
        _ => str_value(),
    }
}

/// Whether yaml.v2 may write `s` unquoted: it must read back as a string and not look like a
/// YAML 1.1 sexagesimal float.
pub fn plain_reads_back_as_string(s: &str) -> bool {
    matches!(resolve_plain(s), Resolved::Value(Node::Str(_))) && !is_base60_float(s)
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0` (octal)
/// or decimal digits. Underscores were removed by the caller.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_base0(body)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i64).wrapping_neg())
        } else {
            None
        }
    } else if mag <= i64::MAX as u64 {
        Some(mag as i64)
    } else {
        None
    }
}

fn go_parse_uint(s: &str) -> Option<u64> {
    let body = s.strip_prefix('+').unwrap_or(s);
    if body.starts_with('-') {
        return None;
    }
    parse_base0(body)
}

fn parse_base0(body: &str) -> Option<u64> {
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for the forms YAML plain scalars reach here with: decimal
/// floats (also `inf`/`nan` words, which Go accepts) and hex floats are rare enough to read as
/// Rust parses them; out-of-range values are errors in Go.
fn go_parse_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return s.parse::<f64>().ok();
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || b"+-.eE_".contains(&c))
    {
        return None;
    }
    if s.contains('_') {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

/// yaml.v2's timestamp check: four digits and `-`, then one of Go's layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t` or a space and no zone) or `2006-1-2`.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Cursor { b, i: 5 };
    let month = match p.num(1, 2) {
        Some(m) if (1..=12).contains(&m) => m,
        _ => return false,
    };
    if !p.eat(b'-') {
        return false;
    }
    let day = match p.num(1, 2) {
        Some(d) => d,
        None => return false,
    };
    let year: u32 = s[..4].parse().unwrap_or(0);
    if day < 1 || day > days_in(year, month) {
        return false;
    }
    if p.done() {
        return true;
    }
    let spaced = match b[p.i] {
        b'T' | b't' => false,
        b' ' => true,
        _ => return false,
    };
    p.i += 1;
    let ok_time = matches!(p.num(1, 2), Some(h) if h < 24)
        && p.eat(b':')
        && matches!(p.num(1, 2), Some(m) if m < 60)
        && p.eat(b':')
        && matches!(p.num(1, 2), Some(s) if s < 60);
    if !ok_time {
        return false;
    }
    if p.peek() == Some(b'.') {
        p.i += 1;
        if p.num(1, 9).is_none() {
            return false;
        }
    }
    if spaced {
        return p.done();
    }
    match p.peek() {
        Some(b'Z') => {
            p.i += 1;
            p.done()
        }
        Some(b'+' | b'-') => {
            p.i += 1;
            p.num(2, 2).is_some() && p.eat(b':') && p.num(2, 2).is_some() && p.done()
        }
        _ => false,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-' || b[0].is_ascii_digit()) || !s.contains(':')
    {
        return false;
    }
    let mut i = usize::from(b[0] == b'+' || b[0] == b'-');
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let g = &s[start..i];
        let ok = match g.len() {
            1 => true,
            2 => g.as_bytes()[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> String {
        match resolve_plain(s) {
            Resolved::Value(n) => format!("{}:{}", n.go_type(), n.go_v()),
            Resolved::Timestamp => "ts".into(),
            Resolved::Merge => "merge".into(),
        }
    }

    #[test]
    fn yaml_v2_typing() {
        assert_eq!(kind("yes"), "bool:true");
        assert_eq!(kind("Off"), "bool:false");
        assert_eq!(kind("0x1f"), "int:31");
        assert_eq!(kind("0123"), "int:83");
        assert_eq!(kind("08"), "float64:8");
        assert_eq!(kind("1_000"), "int:1000");
        assert_eq!(kind("1.5e3"), "float64:1500");
        assert_eq!(kind("99999999999999999999"), "float64:1e+20");
        assert_eq!(kind("18446744073709551615"), "uint64:18446744073709551615");
        assert_eq!(kind("2024-01-31"), "ts");
        assert_eq!(kind("2024-02-30"), "string:2024-02-30");
        assert_eq!(kind("1.2.3"), "string:1.2.3");
        assert_eq!(kind(".5"), "float64:0.5");
        assert_eq!(kind(""), "<nil>:<nil>");
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:70"));
        assert!(!plain_reads_back_as_string("12:30"));
    }
}
