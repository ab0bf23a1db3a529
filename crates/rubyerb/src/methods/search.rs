//! String's searches by a String or Regexp: `split`, `index` and `rindex` (by position
//! too), and Ruby's backward search, with what each leaves in `$~`.

use super::super::interp::{Interp, R};
use super::super::value::Value;
use super::regex as rx;
use super::string::{byte_at, char_len};
use super::text::ruby_space;
use super::{arg, int_arg};

pub(super) fn split(it: &mut Interp, s: &str, args: &[Value]) -> R<Value> {
    let limit = match args.get(1) {
        Some(l) => int_arg(it, l)?,
        None => 0,
    };
    let sep = arg(args, 0);
    let mut parts: Vec<String> = Vec::new();
    if s.is_empty() {
        if matches!(&sep, Value::Regex(re) if !re.source.is_empty()) {
            rx::set_last_match(it, s, None);
        }
        return Ok(Value::array(vec![]));
    }
    let awk = matches!(&sep, Value::Nil) || matches!(&sep, Value::Str(x) if *x.borrow() == " ");
    if awk {
        let t = s.trim_start_matches(ruby_space);
        if limit > 0 {
            let mut rest = t;
            while (parts.len() as i64) < limit - 1 {
                match rest.find(ruby_space) {
                    Some(i) => {
                        parts.push(rest[..i].to_string());
                        rest = rest[i..].trim_start_matches(ruby_space);
                    }
                    None => break,
                }
            }
            if !rest.is_empty() || (parts.len() as i64) < limit {
                parts.push(rest.to_string());
            }
            return Ok(Value::array(parts.into_iter().map(Value::str).collect()));
        }
        parts = t
            .split(ruby_space)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        // a negative limit keeps the empty field after trailing whitespace
        if limit < 0 && t.ends_with(ruby_space) {
            parts.push(String::new());
        }
    } else {
        match &sep {
            Value::Str(x) if x.borrow().is_empty() => {
                if limit > 0 {
                    // characters one by one, the last field the rest (empty past the end)
                    let mut rest = s;
                    while (parts.len() as i64) < limit - 1 {
                        let Some(c) = rest.chars().next() else { break };
                        parts.push(c.to_string());
                        rest = &rest[c.len_utf8()..];
                    }
                    parts.push(rest.to_string());
                } else {
                    parts = s.chars().map(|c| c.to_string()).collect();
                    if limit < 0 {
                        parts.push(String::new());
                    }
                }
            }
            Value::Str(x) => {
                let x = x.borrow().clone();
                if limit > 0 {
                    parts = s
                        .splitn(limit as usize, x.as_str())
                        .map(String::from)
                        .collect();
                } else {
                    parts = s.split(x.as_str()).map(String::from).collect();
                }
            }
            Value::Regex(re) => {
                let mut last = 0;
                // `$~` is left nil when the search ran out, and the last match used when
                // the limit stopped it, as Ruby's search leaves it
                let mut stopped = None;
                // the fields a match ended, which the limit counts (its groups are extra)
                let mut fields = 0;
                let all = rx::all(re, s);
                for m in all.iter().take_while(|_| limit != 1) {
                    let (a, b) = m.range();
                    if a == b && a == 0 {
                        continue;
                    }
                    if a == b && a >= s.len() {
                        break;
                    }
                    parts.push(s[last..a].to_string());
                    for g in 1..m.groups.len() {
                        if let Value::Str(c) = m.group(s, g) {
                            parts.push(c.borrow().clone());
                        }
                    }
                    last = b;
                    fields += 1;
                    if limit > 0 && fields >= limit - 1 {
                        stopped = Some(m);
                        break;
                    }
                }
                // (`//` splits into chars without a search)
                if limit != 1 && !re.source.is_empty() {
                    rx::set_last_match(it, s, stopped);
                }
                parts.push(s[last..].to_string());
            }
            other => {
                return it.type_err(format!(
                    "wrong argument type {} (expected Regexp)",
                    other.class_name()
                ))
            }
        }
    }
    if limit == 0 {
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
    }
    Ok(Value::array(parts.into_iter().map(Value::str).collect()))
}

/// `index` and `rindex` of a String or Regexp from character `pos` (counted from the end
/// when negative): the first match starting there or after, or the last starting there or
/// before (a match may overlap a later one: `'aaa'.rindex('aa')` is 1); in characters. A
/// regexp's match is left in `$~`.
pub(super) fn find(it: &mut Interp, s: &str, backward: bool, args: &[Value]) -> R<Value> {
    let len = char_len(s) as i64;
    let pos = match args.get(1) {
        None if backward => len,
        None => 0,
        Some(p) => {
            let p = int_arg(it, p)?;
            let p = if p < 0 { p + len } else { p };
            if p < 0 || (p > len && !backward) {
                // before the start, a regexp's `$~` is cleared; past the end, left
                if p < 0 && matches!(args.first(), Some(Value::Regex(_))) {
                    rx::set_last_match(it, s, None);
                }
                return Ok(Value::Nil);
            }
            p.min(len)
        }
    };
    let at = byte_at(s, pos as usize);
    let found = match (arg(args, 0), backward) {
        (Value::Regex(re), _) => {
            let m = if backward {
                last_match_by(it, &re, s, at)?
            } else {
                rx::find_at(&re, s, at)
            };
            rx::set_last_match(it, s, m.as_ref());
            m.map(|m| m.range().0)
        }
        (other, false) => {
            let needle = super::str_arg(it, &other)?;
            s[at..].find(needle.as_str()).map(|i| i + at)
        }
        (other, true) => {
            let needle = super::str_arg(it, &other)?;
            // an occurrence that ends by `at` and the needle's length starts by `at`
            let mut end = (at + needle.len()).min(s.len());
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s[..end].rfind(needle.as_str())
        }
    };
    Ok(found.map_or(Value::Nil, |b| Value::Int(char_len(&s[..b]) as i64)))
}

/// The match of `re` that starts last, by byte `at` (Ruby's backward search, as `rindex`
/// and `rpartition` search): every place a match starts is found, each search stepping one
/// character past the last start, so that none is skipped (`"aaa"` has `/aa/` at 1).
pub(super) fn last_match_by(
    it: &mut Interp,
    re: &super::super::value::Regex,
    s: &str,
    at: usize,
) -> R<Option<rx::Match>> {
    let mut last = None;
    let mut from = 0;
    while let Some(m) = rx::find_at(re, s, from) {
        let start = m.range().0;
        if start > at {
            break;
        }
        let r = it.budget.step();
        it.spend(r)?;
        let next = s[start..].chars().next();
        last = Some(m);
        match next {
            Some(c) => from = start + c.len_utf8(),
            None => break,
        }
    }
    Ok(last)
}
