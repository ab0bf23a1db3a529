//! The text algorithms behind String methods: indexing, `tr` sets, `succ`, number
//! prefixes, line splitting.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::regex as rx;
use super::string::{byte_at, char_len};
use super::{check_argc, int_arg};

pub(super) fn fxhash(s: &str) -> i64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h as i64
}

pub(super) fn name_for(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        o => o.class_name(),
    }
}

/// How Ruby's "comparison of X with Y failed" names Y: values held in the reference
/// itself (nil, booleans, small integers, symbols) and floats by `inspect`, others by class.
pub(super) fn cmp_name(v: &Value) -> String {
    match v {
        Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Sym(_) => {
            super::super::format::inspect(v)
        }
        o => o.class_name(),
    }
}

/// How "no implicit conversion of X into ..." names X: nil, true and false by value,
/// everything else by class.
pub(crate) fn implicit_name(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Bool(b) => b.to_string(),
        v => v.class_name(),
    }
}

pub(super) fn ord(o: std::cmp::Ordering) -> i64 {
    match o {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => {
            let mut out = match titlecase(f) {
                Some(t) => t.to_string(),
                None => f.to_uppercase().collect(),
            };
            out.push_str(&c.as_str().to_lowercase());
            out
        }
        None => String::new(),
    }
}

/// The characters whose title case (what `capitalize` makes of a first character) is not
/// their upper case: `ß` becomes `Ss`, not `SS`; the digraphs and ligatures their first
/// letter alone; Greek letters with a subscript iota keep it subscript.
fn titlecase(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "Ss",
        'Ǆ' | 'ǅ' | 'ǆ' => "ǅ",
        'Ǉ' | 'ǈ' | 'ǉ' => "ǈ",
        'Ǌ' | 'ǋ' | 'ǌ' => "ǋ",
        'Ǳ' | 'ǲ' | 'ǳ' => "ǲ",
        'ﬀ' => "Ff",
        'ﬁ' => "Fi",
        'ﬂ' => "Fl",
        'ﬃ' => "Ffi",
        'ﬄ' => "Ffl",
        'ﬅ' | 'ﬆ' => "St",
        'և' => "Եւ",
        'ﬓ' => "Մն",
        'ﬔ' => "Մե",
        'ﬕ' => "Մի",
        'ﬖ' => "Վն",
        'ﬗ' => "Մխ",
        'ŉ' => "ʼN",
        'ǰ' => "J\u{30c}",
        'ᾳ' | 'ᾼ' => "ᾼ",
        'ῃ' | 'ῌ' => "ῌ",
        'ῳ' | 'ῼ' => "ῼ",
        '\u{1f80}'..='\u{1faf}' => {
            // each row of eight lower-case letters has its title case eight further on
            const TITLE: [&str; 24] = [
                "ᾈ", "ᾉ", "ᾊ", "ᾋ", "ᾌ", "ᾍ", "ᾎ", "ᾏ", "ᾘ", "ᾙ", "ᾚ", "ᾛ", "ᾜ", "ᾝ", "ᾞ", "ᾟ",
                "ᾨ", "ᾩ", "ᾪ", "ᾫ", "ᾬ", "ᾭ", "ᾮ", "ᾯ",
            ];
            let i = c as usize - 0x1f80;
            TITLE[(i / 16) * 8 + i % 8]
        }
        _ => return None,
    })
}

pub(super) fn index(it: &mut Interp, s: &str, args: &[Value]) -> R<Value> {
    check_argc(it, args, 1, 2)?;
    Ok(match (&args[0], args.get(1)) {
        (Value::Int(i), None) => {
            let v = substr(s, *i, 1);
            match &v {
                Value::Str(x) if x.borrow().is_empty() => Value::Nil,
                _ => v,
            }
        }
        (Value::Int(i), Some(l)) => substr(s, *i, int_arg(it, l)?),
        (Value::Range(r), None) => match super::elements::range_span(it, r, char_len(s) as i64)? {
            Some((a, n)) => substr(s, a, n),
            None => Value::Nil,
        },
        (Value::Str(p), None) => {
            if s.contains(p.borrow().as_str()) {
                Value::str(p.borrow().clone())
            } else {
                Value::Nil
            }
        }
        (Value::Regex(re), cap) => {
            // the match is left in `$~` (nil without one)
            let m = rx::find_at(re, s, 0);
            rx::set_last_match(it, s, m.as_ref());
            match (m, cap) {
                (None, _) => Value::Nil,
                (Some(m), None) => m.group(s, 0),
                (Some(m), Some(Value::Int(i))) => m.group(s, *i as usize),
                (Some(m), Some(Value::Str(n))) => m.named(s, &n.borrow()).unwrap_or(Value::Nil),
                (Some(m), Some(Value::Sym(n))) => m.named(s, n).unwrap_or(Value::Nil),
                (Some(_), Some(_)) => Value::Nil,
            }
        }
        (other, _) => return super::not_integer(it, other),
    })
}

/// Ruby's white space (`ISSPACE`): the six ASCII spaces, vertical tab among them, and
/// nothing past ASCII. `strip`, `split` and the number readers skip these, where Rust's
/// `trim` also takes Unicode's spaces and its `is_ascii_whitespace` leaves out `\v`.
pub(crate) fn ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// The integer `s` starts with in `base`, as `to_i` reads it (0 when none), of any width;
/// `None` past [`bignum::MAX_BITS`](super::bignum::MAX_BITS).
pub fn parse_int_prefix(s: &str, base: u32) -> Option<Value> {
    let t = s.trim_start_matches(ruby_space);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    // the prefix naming the base, once, as Ruby reads it
    let letters: &[char] = match base {
        16 => &['x', 'X'],
        10 => &['d', 'D'],
        8 => &['o', 'O'],
        2 => &['b', 'B'],
        _ => &[],
    };
    let t = t
        .strip_prefix('0')
        .and_then(|r| r.strip_prefix(letters))
        .filter(|_| !letters.is_empty())
        .unwrap_or(t);
    // the magnitude, so that the most negative integer is read too
    let mut v: Option<u64> = Some(0);
    let mut end = 0;
    let mut prev_us = true;
    for (i, c) in t.char_indices() {
        if c == '_' && !prev_us {
            prev_us = true;
            continue;
        }
        match c.to_digit(base) {
            Some(d) => v = v.and_then(|v| v.checked_mul(base as u64)?.checked_add(d as u64)),
            None => break,
        }
        end = i + 1;
        prev_us = false;
    }
    let small = v.and_then(|v| {
        if neg {
            0i64.checked_sub_unsigned(v)
        } else {
            i64::try_from(v).ok()
        }
    });
    match small {
        Some(i) => Some(Value::Int(i)),
        // past 64 bits: the digits read again, as a big integer
        None => {
            let digits: String = t[..end].chars().filter(|&c| c != '_').collect();
            super::bignum::parse(&digits, base, neg)
        }
    }
}

pub fn parse_float_prefix(s: &str) -> f64 {
    let t = s.trim_start_matches(ruby_space);
    let mut end = 0;
    let b = t.as_bytes();
    if end < b.len() && (b[end] == b'-' || b[end] == b'+') {
        end += 1;
    }
    while end < b.len()
        && (b[end].is_ascii_digit() || (b[end] == b'_' && end > 0 && b[end - 1].is_ascii_digit()))
    {
        end += 1;
    }
    if end < b.len() && b[end] == b'.' && end + 1 < b.len() && b[end + 1].is_ascii_digit() {
        end += 1;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
        let mut e = end + 1;
        if e < b.len() && (b[e] == b'-' || b[e] == b'+') {
            e += 1;
        }
        if e < b.len() && b[e].is_ascii_digit() {
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            end = e;
        }
    }
    t[..end].replace('_', "").parse().unwrap_or(0.0)
}

/// `tr` sets: ranges expanded; a leading `^` negates.
pub(super) fn expand_tr(spec: &str) -> (bool, Vec<char>) {
    let chars: Vec<char> = spec.chars().collect();
    let (neg, start) = if chars.len() > 1 && chars[0] == '^' {
        (true, 1)
    } else {
        (false, 0)
    };
    let mut out = Vec::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            let (a, b) = (chars[i] as u32, chars[i + 2] as u32);
            for c in a..=b {
                if let Some(c) = char::from_u32(c) {
                    out.push(c);
                }
            }
            i += 3;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    (neg, out)
}

pub(super) fn tr_contains(set: &(bool, Vec<char>), c: char) -> bool {
    set.1.contains(&c) != set.0
}

/// `tr_s`: as [`tr`], and a run of characters translated to the same one becomes one.
pub(super) fn tr_s(s: &str, from: &(bool, Vec<char>), to: &(bool, Vec<char>)) -> String {
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in s.chars() {
        if !tr_contains(from, c) {
            out.push(c);
            last = None;
            continue;
        }
        let Some(t) = tr_char(c, from, to) else {
            continue;
        };
        if last != Some(t) {
            out.push(t);
        }
        last = Some(t);
    }
    out
}

pub(super) fn tr(s: &str, from: &(bool, Vec<char>), to: &(bool, Vec<char>)) -> String {
    s.chars().filter_map(|c| tr_char(c, from, to)).collect()
}

/// What `tr` makes of `c`: itself, its translation, or nothing (deleted by an empty `to`).
fn tr_char(c: char, from: &(bool, Vec<char>), to: &(bool, Vec<char>)) -> Option<char> {
    if from.0 {
        if from.1.contains(&c) {
            Some(c)
        } else {
            to.1.last().copied()
        }
    } else {
        match from.1.iter().position(|x| *x == c) {
            Some(i) => {
                if to.1.is_empty() {
                    None
                } else {
                    Some(*to.1.get(i).unwrap_or(to.1.last().unwrap()))
                }
            }
            None => Some(c),
        }
    }
}

pub(super) fn succ(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut chars: Vec<char> = s.chars().collect();
    if !chars.iter().any(|&c| alnum(c)) {
        // no letters or digits: the rightmost character steps
        let last = chars.len() - 1;
        chars[last] = char::from_u32(chars[last] as u32 + 1).unwrap_or(chars[last]);
        return chars.into_iter().collect();
    }
    // the rightmost letter or digit steps, carrying into the next one to its left;
    // the carry crosses other characters only between two digits or two letters
    // ("1.9.9" becomes "2.0.0", "a-9" becomes "a-10")
    let mut i = chars.len();
    let mut leftmost = chars.len();
    loop {
        let next = (0..i).rev().find(|&j| alnum(chars[j]));
        let next = next.filter(|&j| {
            leftmost == chars.len()
                || j + 1 == leftmost
                || digit(chars[j]) == digit(chars[leftmost])
        });
        let Some(j) = next else {
            // a new first place: the digit after the one wrapped to, or the letter itself
            let ins = match chars[leftmost] {
                '0' => '1',
                'A' => 'A',
                c if !c.is_ascii() && digit(c) => wide_succ(c).0,
                c if !c.is_ascii() => c,
                _ => 'a',
            };
            chars.insert(leftmost, ins);
            break;
        };
        leftmost = j;
        match chars[j] {
            'z' => chars[j] = 'a',
            'Z' => chars[j] = 'A',
            '9' => chars[j] = '0',
            c if c.is_ascii() => {
                chars[j] = (c as u8 + 1) as char;
                break;
            }
            c => match wide_succ(c) {
                (n, false) => {
                    chars[j] = n;
                    break;
                }
                (n, true) => chars[j] = n,
            },
        }
        i = j;
    }
    chars.into_iter().collect()
}

/// A letter or digit as `succ` steps it: Unicode's (`é` steps to `ê`, as in Ruby).
fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

fn digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// The next character after a non-ASCII letter or digit of the same kind, or (when the run
/// of that kind ends) the first of the run, with a carry: Ruby steps such a character
/// through its encoding's code points.
fn wide_succ(c: char) -> (char, bool) {
    let kind = |x: char| (x.is_alphabetic(), x.is_numeric());
    let k = kind(c);
    let mut n = c as u32;
    for _ in 0..4096 {
        n += 1;
        match char::from_u32(n) {
            Some(x) if kind(x) == k => return (x, false),
            Some(_) => break,
            None => {}
        }
    }
    let mut first = c;
    while let Some(p) = char::from_u32(first as u32 - 1).filter(|&p| kind(p) == k) {
        first = p;
    }
    (first, true)
}

fn substr(s: &str, start: i64, len: i64) -> Value {
    let n = char_len(s) as i64;
    let start = if start < 0 { n + start } else { start };
    if start < 0 || start > n || len < 0 {
        return Value::Nil;
    }
    let end = start.saturating_add(len).min(n);
    Value::str(&s[byte_at(s, start as usize)..byte_at(s, end as usize)])
}

/// The character `String#<<` appends for an Integer, or Ruby's `RangeError` for a number
/// that is no Unicode scalar value.
pub(super) fn code_point(it: &Interp, i: i64) -> R<char> {
    match u32::try_from(i).ok().map(|u| (u, char::from_u32(u))) {
        Some((_, Some(c))) => Ok(c),
        Some((u, None)) if u <= 0x10ffff => {
            it.err("RangeError", format!("invalid codepoint 0x{u:X} in UTF-8"))
        }
        _ => it.err("RangeError", format!("{i} out of char range")),
    }
}
