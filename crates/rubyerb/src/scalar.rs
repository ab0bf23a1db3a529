//! Psych's resolution of plain YAML scalars (`ScalarScanner#tokenize`): what a spec
//! default reads as, and which strings `to_yaml` must quote to read back as strings.

#[cfg(test)]
use super::value::Value;

/// What Psych makes of a plain scalar (`ScalarScanner#tokenize`): nil, booleans (YAML 1.1
/// `yes`/`on`/...), integers (`0755` octal, `0x`, `0b`, `1_000`, sexagesimal `1:20`),
/// floats, `:symbols`; anything else stays a string. `Err` means "a time or date", which
/// safe loading refuses and dumping quotes.
#[cfg(test)]
pub fn psych_tokenize(s: &str) -> Result<Value, ()> {
    Ok(match psych_plain(s)? {
        Plain::Nil => Value::Nil,
        Plain::Bool(b) => Value::Bool(b),
        Plain::Int(i) => Value::Int(i),
        Plain::Float(f) => Value::Float(f),
        Plain::Str => Value::str(s),
        Plain::Sym(name) => Value::sym(name),
    })
}

/// What a plain scalar reads as, borrowing from it: loaders that build their own data (job
/// specs) take the string without an intermediate Ruby value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plain<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// The scalar itself, as a String.
    Str,
    Sym(&'a str),
}

/// What `psych_tokenize` reads, without building a value.
pub fn psych_plain(s: &str) -> Result<Plain<'_>, ()> {
    if s.is_empty() {
        return Ok(Plain::Nil);
    }
    let b = s.as_bytes();
    // a decimal that fits 64 bits, as below but without the look at every other form
    // (most numbers of a job spec are ports and counts)
    if b.len() <= 18 && (b[0] != b'0' || b.len() == 1) && b.iter().all(u8::is_ascii_digit) {
        if let Ok(i) = s.parse() {
            return Ok(Plain::Int(i));
        }
    }
    let alpha_start = {
        // ^[^\d.:-]?[[:alpha:]_\s!@#$%^&*(){}<>|/\\~;=]+
        let is_set = |c: char| c.is_alphabetic() || "_ \t\n\r!@#$%^&*(){}<>|/\\~;=".contains(c);
        let mut it = s.chars();
        let first = it.next().unwrap();
        // an ASCII letter is the usual start, answered without decoding
        if b[0].is_ascii_alphabetic() || is_set(first) {
            true
        } else if !first.is_ascii_digit() && !".:-".contains(first) {
            s.chars().nth(1).is_some_and(is_set)
        } else {
            false
        }
    };
    if alpha_start || s.contains('\n') {
        if s.len() > 5 {
            return Ok(Plain::Str);
        }
        if !matches!(
            b[0].to_ascii_lowercase(),
            b'y' | b't' | b'o' | b'n' | b'f' | b'~'
        ) {
            return Ok(Plain::Str);
        }
        let is = |w: &[&str]| w.iter().any(|w| s.eq_ignore_ascii_case(w));
        return Ok(if is(&["~", "null"]) {
            Plain::Nil
        } else if is(&["yes", "true", "on"]) {
            Plain::Bool(true)
        } else if is(&["no", "false", "off"]) {
            Plain::Bool(false)
        } else {
            Plain::Str
        });
    }
    if is_time(s) || is_date(s) {
        return Err(());
    }
    let is = |w: &str| s.eq_ignore_ascii_case(w);
    if is(".inf") || is("+.inf") {
        return Ok(Plain::Float(f64::INFINITY));
    }
    if is("-.inf") {
        return Ok(Plain::Float(f64::NEG_INFINITY));
    }
    if is(".nan") {
        return Ok(Plain::Float(f64::NAN));
    }
    if b[0] == b':' && b.len() > 1 {
        let name = s[1..].trim_matches(|c| c == '"' || c == '\'');
        return Ok(Plain::Sym(name));
    }
    if let Some(v) = sexagesimal(s) {
        return Ok(v);
    }
    if is_yaml_float(s) {
        if s.trim_start_matches(['-', '+']) == "." {
            return Ok(Plain::Str);
        }
        let cleaned: String = s.replace([',', '_'], "");
        let cleaned = cleaned.replace(".e", "e").replace(".E", "E");
        let cleaned = cleaned
            .strip_suffix('.')
            .map(|x| x.to_string())
            .unwrap_or(cleaned);
        return Ok(cleaned
            .parse::<f64>()
            .map(Plain::Float)
            .unwrap_or_else(|_| Plain::Str));
    }
    if let Some(i) = yaml_int(s) {
        return Ok(Plain::Int(i));
    }
    Ok(Plain::Str)
}

fn is_time(s: &str) -> bool {
    // cheap guards before the regexp: a timestamp starts with a year and has a time
    let b = s.as_bytes();
    let y = b.strip_prefix(b"-").unwrap_or(b);
    if b.len() < 14
        || y.len() < 5
        || !y[..4].iter().all(u8::is_ascii_digit)
        || y[4] != b'-'
        || !s.contains(':')
    {
        return false;
    }
    // -?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d...
    static RE: std::sync::OnceLock<fancy_regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| fancy_regex::Regex::new(r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$").unwrap());
    re.is_match(s).unwrap_or(false)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !(8..=10).contains(&b.len()) || !b[..4].iter().all(|c| c.is_ascii_digit()) || b[4] != b'-' {
        return false;
    }
    static RE: std::sync::OnceLock<fancy_regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        fancy_regex::Regex::new(r"^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$").unwrap()
    });
    re.is_match(s).unwrap_or(false)
}

fn is_yaml_float(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, rest) = match t.find('.') {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => return false,
    };
    let digits = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_digit() || c == b'_' || c == b',')
    };
    if !int.is_empty() && (!int.as_bytes()[0].is_ascii_digit() || !digits(int)) {
        return false;
    }
    let (frac, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    match exp {
        None => true,
        Some(e) => {
            (e.starts_with('-') || e.starts_with('+'))
                && e.len() > 1
                && e[1..].bytes().all(|c| c.is_ascii_digit())
        }
    }
}

fn yaml_int(s: &str) -> Option<i64> {
    let (neg, radix, digits) = int_digits(s)?;
    let v = i64::from_str_radix(&digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// Whether `s` is an integer as Psych reads a plain scalar, of any size: Psych reads one
/// past 64 bits as an Integer too, so a string spelling one is quoted when written.
pub(crate) fn is_yaml_int(s: &str) -> bool {
    int_digits(s).is_some()
}

/// The sign, radix and digits (separators dropped) of an integer as Psych reads a plain
/// scalar (`0x`, `0b`, a leading `0` for octal, `_` and `,` between digits).
fn int_digits(s: &str) -> Option<(bool, u32, String)> {
    let (neg, t) = match *s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if t.is_empty() {
        return None;
    }
    let clean = |x: &str| x.replace(['_', ','], "");
    let (radix, digits) = if let Some(h) = t.strip_prefix("0x") {
        if h.is_empty()
            || !h
                .bytes()
                .all(|c| c.is_ascii_hexdigit() || c == b'_' || c == b',')
        {
            return None;
        }
        (16, clean(h))
    } else if let Some(bn) = t.strip_prefix("0b") {
        if bn.is_empty()
            || !bn
                .bytes()
                .all(|c| c == b'0' || c == b'1' || c == b'_' || c == b',')
        {
            return None;
        }
        (2, clean(bn))
    } else if t.len() > 1 && t.starts_with('0') {
        if !t
            .bytes()
            .all(|c| (b'0'..=b'7').contains(&c) || c == b'_' || c == b',')
        {
            return None;
        }
        let c = clean(t);
        (8, if c.is_empty() { "0".to_string() } else { c })
    } else {
        // 0 | [1-9](?:[0-9]|,[0-9]|_[0-9])*
        let bytes = t.as_bytes();
        if bytes[0] == b'0' {
            if t.len() != 1 {
                return None;
            }
            (10, "0".to_string())
        } else {
            if !(b'1'..=b'9').contains(&bytes[0]) {
                return None;
            }
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'0'..=b'9' => i += 1,
                    b',' | b'_' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() => i += 2,
                    _ => return None,
                }
            }
            (10, clean(t))
        }
    };
    // (a hex or binary run of separators alone leaves no digit)
    if digits.is_empty() {
        return None;
    }
    Some((neg, radix, digits))
}

fn sexagesimal(s: &str) -> Option<Plain<'static>> {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !t.contains(':') {
        return None;
    }
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let first = parts[0];
    if first.is_empty()
        || !first.as_bytes()[0].is_ascii_digit()
        || !first.bytes().all(|c| c.is_ascii_digit() || c == b'_')
    {
        return None;
    }
    let last = parts[parts.len() - 1];
    let (last_int, last_frac) = match last.find('.') {
        Some(i) => (&last[..i], Some(&last[i + 1..])),
        None => (last, None),
    };
    let ok_pair = |p: &str| {
        !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p.len() == 1 || p.as_bytes()[0] <= b'5')
    };
    for p in &parts[1..parts.len() - 1] {
        if !ok_pair(p) {
            return None;
        }
    }
    if !ok_pair(last_int) {
        return None;
    }
    if let Some(f) = last_frac {
        if !f.bytes().all(|c| c.is_ascii_digit() || c == b'_') {
            return None;
        }
    }
    // Ruby's arithmetic: digits are weighted 60^|e-2| by position
    let n = parts.len();
    if last_frac.is_some() {
        let mut total = 0.0;
        for (e, p) in parts.iter().enumerate() {
            let v: f64 = p.replace('_', "").parse().unwrap_or(0.0);
            total += v * 60f64.powi((e as i32 - 2).abs());
        }
        let _ = n;
        return Some(Plain::Float(total));
    }
    // past 64 bits it stays a string, as plain integers do (no big integers here)
    let mut total: i64 = 0;
    for (e, p) in parts.iter().enumerate() {
        let v: i64 = p.replace('_', "").parse().ok()?;
        let w = 60i64.pow((e as i32 - 2).unsigned_abs());
        total = total.checked_add(v.checked_mul(w)?)?;
    }
    Some(Plain::Int(if s.starts_with('-') { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::inspect;

    #[test]
    fn plain_scalars_resolve_as_psych_reads_them() {
        let cases = [
            ("yes", "true"),
            ("On", "true"),
            ("off", "false"),
            ("~", "nil"),
            ("0755", "493"),
            ("0x1F", "31"),
            ("1_000", "1000"),
            ("1:30", "5400"),
            ("1.5e+3", "1500.0"),
            (".inf", "Infinity"),
            (":sym", ":sym"),
            ("1e3", "\"1e3\""),
            ("089", "\"089\""),
            ("plain text", "\"plain text\""),
            // past 64 bits (Ruby's big integers) a string, not an overflow
            ("9223372036854775807:00", "\"9223372036854775807:00\""),
            ("888888888888888888888:8", "\"888888888888888888888:8\""),
            // the decimal shortcut and the general path meet at 18 and 19 digits
            ("0", "0"),
            ("7", "7"),
            ("00", "0"),
            ("123456789012345678", "123456789012345678"),
            ("9223372036854775807", "9223372036854775807"),
            ("9223372036854775808", "\"9223372036854775808\""),
            ("Nope", "\"Nope\""),
            ("_no", "\"_no\""),
        ];
        for (text, want) in cases {
            assert_eq!(inspect(&psych_tokenize(text).unwrap()), want, "{text}");
        }
        assert!(psych_tokenize("2024-01-01").is_err());
    }
}
